"""Create the three staff groups with their Django permissions (reversible).

Editors reach the Wagtail admin (page-tree permissions are granted by the stories app);
program staff also see and change people, organizations and inquiries; administrators get
every permission that exists when this runs.
"""

from django.contrib.auth.management import create_permissions
from django.db import migrations

EDITORS = "Editors"
PROGRAM_STAFF = "Program staff"
ADMINISTRATORS = "Administrators"
PROGRAM_STAFF_MODELS = ["person", "organization", "affiliation", "inquiry"]


def _ensure_permissions(apps):
    """Permissions are normally made after migrate; make them now so the groups can get them."""
    for app_config in apps.get_app_configs():
        app_config.models_module = True
        create_permissions(app_config, apps=apps, verbosity=0)
        app_config.models_module = None


def create_groups(apps, schema_editor):
    Group = apps.get_model("auth", "Group")
    Permission = apps.get_model("auth", "Permission")
    _ensure_permissions(apps)
    access_admin = Permission.objects.filter(content_type__app_label="wagtailadmin", codename="access_admin")

    editors, _ = Group.objects.get_or_create(name=EDITORS)
    editors.permissions.add(*access_admin)

    staff, _ = Group.objects.get_or_create(name=PROGRAM_STAFF)
    people_permissions = Permission.objects.filter(
        content_type__app_label="people",
        codename__in=[f"{action}_{model}" for action in ("view", "change") for model in PROGRAM_STAFF_MODELS],
    )
    staff.permissions.add(*access_admin, *people_permissions)

    administrators, _ = Group.objects.get_or_create(name=ADMINISTRATORS)
    administrators.permissions.add(*Permission.objects.all())


def remove_groups(apps, schema_editor):
    """Remove the groups this migration made; Editors also comes from Wagtail's own migrations,
    and keeps the permissions Wagtail gave it."""
    Group = apps.get_model("auth", "Group")
    Group.objects.filter(name__in=[PROGRAM_STAFF, ADMINISTRATORS]).delete()


class Migration(migrations.Migration):
    dependencies = [
        ("accounts", "0001_initial"),
        ("auth", "0012_alter_user_first_name_max_length"),
        ("contenttypes", "0002_remove_content_type_name"),
        ("people", "0002_profile_validation_consent_inquiry_token"),
        ("wagtailadmin", "0001_create_admin_access_permissions"),
    ]

    operations = [migrations.RunPython(create_groups, remove_groups)]
