"""The stories section: its index page under the home page, the moderation workflow and the
Editors group's rights over it.

Idempotent (the accounts app creates the same "Editors" group with get_or_create) and reversible:
the reverse removes the workflow, its task and the index page (only if it has no stories), and
leaves the shared Editors group in place.
"""

from django.db import migrations
from django.utils import timezone

STEPLEN = 4
EDITORS = "Editors"
WORKFLOW_NAME = "Story moderation"
TASK_NAME = "Editors approve the story"
PAGE_PERMISSIONS = {
    "add_page": "Can add page",
    "change_page": "Can change page",
    "publish_page": "Publish any page",
    "lock_page": "Lock/unlock pages you've locked",
}


def _child_path(parent, Page):  # noqa: N803
    last = Page.objects.filter(path__startswith=parent.path, depth=parent.depth + 1).order_by("-path").first()
    number = int(last.path[-STEPLEN:], 36) + 1 if last else 1
    digits = "0123456789ABCDEFGHIJKLMNOPQRSTUVWXYZ"
    encoded = ""
    while number:
        number, rest = divmod(number, 36)
        encoded = digits[rest] + encoded
    return parent.path + encoded.rjust(STEPLEN, "0")


def create_stories_section(apps, schema_editor):
    ContentType = apps.get_model("contenttypes.ContentType")
    Permission = apps.get_model("auth.Permission")
    Group = apps.get_model("auth.Group")
    Page = apps.get_model("wagtailcore.Page")
    GroupPagePermission = apps.get_model("wagtailcore.GroupPagePermission")
    Workflow = apps.get_model("wagtailcore.Workflow")
    WorkflowTask = apps.get_model("wagtailcore.WorkflowTask")
    WorkflowPage = apps.get_model("wagtailcore.WorkflowPage")
    GroupApprovalTask = apps.get_model("wagtailcore.GroupApprovalTask")
    HomePage = apps.get_model("pages.HomePage")
    StoryIndexPage = apps.get_model("stories.StoryIndexPage")

    editors = Group.objects.get_or_create(name=EDITORS)[0]

    index = StoryIndexPage.objects.order_by("path").first()
    home = HomePage.objects.order_by("path").first()
    if index is None and home is not None:
        index_type = ContentType.objects.get_or_create(app_label="stories", model="storyindexpage")[0]
        now = timezone.now()
        index = StoryIndexPage.objects.create(
            title="Stories", draft_title="Stories", slug="stories", content_type=index_type,
            path=_child_path(home, Page), depth=home.depth + 1, numchild=0,
            url_path=f"{home.url_path}stories/", locale_id=home.locale_id, live=True,
            has_unpublished_changes=False, first_published_at=now, last_published_at=now,
        )
        Page.objects.filter(pk=home.pk).update(
            numchild=Page.objects.filter(path__startswith=home.path, depth=home.depth + 1).count()
        )
    if index is None:
        return

    # Editors may add, edit, publish and lock stories, and reach the admin.
    page_type = ContentType.objects.get_or_create(app_label="wagtailcore", model="page")[0]
    for codename, name in PAGE_PERMISSIONS.items():
        permission = Permission.objects.get_or_create(content_type=page_type, codename=codename, defaults={"name": name})[0]
        GroupPagePermission.objects.get_or_create(group=editors, page_id=index.pk, permission=permission)
    admin_type = ContentType.objects.get_or_create(app_label="wagtailadmin", model="admin")[0]
    access_admin = Permission.objects.get_or_create(
        content_type=admin_type, codename="access_admin", defaults={"name": "Can access Wagtail admin"}
    )[0]
    editors.permissions.add(access_admin)

    # One moderation step: an editor approves (or asks for changes) before a story goes live.
    task_type = ContentType.objects.get_or_create(app_label="wagtailcore", model="groupapprovaltask")[0]
    task = GroupApprovalTask.objects.filter(name=TASK_NAME).first()
    if task is None:
        task = GroupApprovalTask.objects.create(name=TASK_NAME, content_type=task_type, active=True)
    task.groups.add(editors)
    workflow = Workflow.objects.get_or_create(name=WORKFLOW_NAME, defaults={"active": True})[0]
    WorkflowTask.objects.get_or_create(workflow=workflow, task_id=task.pk, defaults={"sort_order": 0})
    WorkflowPage.objects.update_or_create(page_id=index.pk, defaults={"workflow": workflow})


def remove_stories_section(apps, schema_editor):
    Page = apps.get_model("wagtailcore.Page")
    Workflow = apps.get_model("wagtailcore.Workflow")
    Task = apps.get_model("wagtailcore.Task")
    StoryIndexPage = apps.get_model("stories.StoryIndexPage")

    Workflow.objects.filter(name=WORKFLOW_NAME).delete()
    Task.objects.filter(name=TASK_NAME).delete()
    for index in StoryIndexPage.objects.filter(numchild=0):
        parent_path = index.path[:-STEPLEN]
        index.delete()  # its group page permissions and workflow link go with it
        Page.objects.filter(path=parent_path).update(
            numchild=Page.objects.filter(path__startswith=parent_path, depth=len(parent_path) // STEPLEN + 1).count()
        )


class Migration(migrations.Migration):
    dependencies = [
        ("stories", "0001_initial"),
        ("pages", "0002_home_page"),
        ("wagtailcore", "0098_apitoken"),
        ("wagtailadmin", "0001_create_admin_access_permissions"),
        ("auth", "0012_alter_user_first_name_max_length"),
    ]

    operations = [migrations.RunPython(create_stories_section, remove_stories_section)]
