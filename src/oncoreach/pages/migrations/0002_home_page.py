"""Replace Wagtail's "Welcome" page with our HomePage as the default Site's root page.

Idempotent: if a HomePage already exists nothing is created. Reversible: the reverse puts a plain
welcome page back as the Site root and removes the HomePage (only when it has no children).
"""

from django.conf import settings
from django.db import migrations
from django.utils import timezone

STEPLEN = 4


def _child_path(parent, Page):  # noqa: N803 (historical model passed in)
    """The next free treebeard path under ``parent`` (historical models have no tree API)."""
    last = Page.objects.filter(path__startswith=parent.path, depth=parent.depth + 1).order_by("-path").first()
    number = int(last.path[-STEPLEN:], 36) + 1 if last else 1
    digits = "0123456789ABCDEFGHIJKLMNOPQRSTUVWXYZ"
    encoded = ""
    while number:
        number, rest = divmod(number, 36)
        encoded = digits[rest] + encoded
    return parent.path + encoded.rjust(STEPLEN, "0")


def create_home_page(apps, schema_editor):
    ContentType = apps.get_model("contenttypes.ContentType")
    Page = apps.get_model("wagtailcore.Page")
    Site = apps.get_model("wagtailcore.Site")
    Locale = apps.get_model("wagtailcore.Locale")
    HomePage = apps.get_model("pages.HomePage")

    if HomePage.objects.exists():
        return
    root = Page.objects.filter(depth=1).order_by("path").first()
    if root is None:
        return
    page_type = ContentType.objects.get_or_create(app_label="wagtailcore", model="page")[0]
    home_type = ContentType.objects.get_or_create(app_label="pages", model="homepage")[0]
    locale = Locale.objects.get(pk=root.locale_id) if root.locale_id else Locale.objects.order_by("pk").first()
    title = settings.SOCIETY["program_name"]
    now = timezone.now()
    welcome = Page.objects.filter(depth=2, slug="home", content_type=page_type).first()

    home = HomePage.objects.create(
        title=title, draft_title=title, slug="home" if welcome is None else "home-new",
        content_type=home_type, path=_child_path(root, Page), depth=2, numchild=0, url_path="/home/",
        locale=locale, live=True, has_unpublished_changes=False, first_published_at=now, last_published_at=now,
    )
    if welcome is not None:
        Site.objects.filter(root_page_id=welcome.pk).update(root_page_id=home.pk)
        Page.objects.filter(pk=welcome.pk).delete()
        HomePage.objects.filter(pk=home.pk).update(slug="home")
    if not Site.objects.exists():
        Site.objects.create(hostname="localhost", port=80, root_page_id=home.pk, is_default_site=True)
    Page.objects.filter(pk=root.pk).update(numchild=Page.objects.filter(depth=2).count())


def restore_welcome_page(apps, schema_editor):
    ContentType = apps.get_model("contenttypes.ContentType")
    Page = apps.get_model("wagtailcore.Page")
    Site = apps.get_model("wagtailcore.Site")
    HomePage = apps.get_model("pages.HomePage")

    home = HomePage.objects.filter(slug="home", depth=2, numchild=0).first()
    if home is None:
        return
    root = Page.objects.filter(depth=1).order_by("path").first()
    page_type = ContentType.objects.get_or_create(app_label="wagtailcore", model="page")[0]
    welcome = Page.objects.create(
        title="Welcome to your new Wagtail site!", draft_title="Welcome to your new Wagtail site!", slug="home-old",
        content_type=page_type, path=_child_path(root, Page), depth=2, numchild=0, url_path="/home/",
        locale_id=home.locale_id, live=True,
    )
    Site.objects.filter(root_page_id=home.pk).update(root_page_id=welcome.pk)
    home.delete()
    Page.objects.filter(pk=welcome.pk).update(slug="home")
    Page.objects.filter(pk=root.pk).update(numchild=Page.objects.filter(depth=2).count())


class Migration(migrations.Migration):
    dependencies = [
        ("pages", "0001_initial"),
        ("wagtailcore", "0098_apitoken"),
        ("contenttypes", "0002_remove_content_type_name"),
    ]

    operations = [migrations.RunPython(create_home_page, restore_welcome_page)]
