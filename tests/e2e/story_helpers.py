"""Helpers for guest-author tests: the stories page tree, pictures with GPS data, form data.

``ensure_story_tree()`` is idempotent: the data migrations normally create the home page, the
stories section and its moderation workflow; tests that flush the database (``transactional_db``)
get them back from here.
"""

from __future__ import annotations

import io
import uuid
from typing import Any

from django.contrib.auth.models import Group, Permission
from django.core.files.uploadedfile import SimpleUploadedFile
from PIL import Image
from wagtail.models import GroupApprovalTask, GroupPagePermission, Page, Site, Workflow, WorkflowPage, WorkflowTask

from oncoreach.accounts.enums import StaffGroup
from oncoreach.stories.models import StoryIndexPage

GPS_IFD = 0x8825


def ensure_story_tree() -> StoryIndexPage:
    """The StoryIndexPage (slug "stories") with the "Story moderation" workflow for Editors."""
    from oncoreach.pages.models import HomePage

    editors = Group.objects.get_or_create(name=StaffGroup.EDITOR.value)[0]
    editors.permissions.add(Permission.objects.get(content_type__app_label="wagtailadmin", codename="access_admin"))
    index = StoryIndexPage.objects.first()
    if index is None:
        home = HomePage.objects.first()
        if home is None:
            root = Page.get_first_root_node()
            home = root.add_child(instance=HomePage(title="Home", slug="home"))
            site = Site.objects.filter(is_default_site=True).first()
            if site is None:
                Site.objects.create(hostname="localhost", port=80, root_page=home, is_default_site=True)
            else:
                site.root_page = home
                site.save()
        index = home.add_child(instance=StoryIndexPage(title="Stories", slug="stories"))
    for codename in ("add_page", "change_page", "publish_page"):
        GroupPagePermission.objects.get_or_create(
            group=editors,
            page=index,
            permission=Permission.objects.get(content_type__app_label="wagtailcore", codename=codename),
        )
    task = GroupApprovalTask.objects.filter(name="Editors approve the story").first()
    if task is None:
        task = GroupApprovalTask.objects.create(name="Editors approve the story")
    task.groups.add(editors)
    workflow = Workflow.objects.get_or_create(name="Story moderation", defaults={"active": True})[0]
    WorkflowTask.objects.get_or_create(workflow=workflow, task=task, defaults={"sort_order": 0})
    WorkflowPage.objects.update_or_create(page=index, defaults={"workflow": workflow})
    return index


def jpeg_bytes(*, with_gps: bool = True, size: tuple[int, int] = (64, 48)) -> bytes:
    """A small JPEG; with GPS EXIF (a hospital's coordinates) and a camera model when asked."""
    image = Image.new("RGB", size, (200, 80, 40))
    buffer = io.BytesIO()
    exif = Image.Exif()
    if with_gps:
        exif[0x0110] = "Hospital Camera 3000"  # Model
        exif[GPS_IFD] = {1: "N", 2: (6.0, 27.0, 0.0), 3: "E", 4: (3.0, 23.0, 0.0)}
    image.save(buffer, format="JPEG", exif=exif.tobytes())
    return buffer.getvalue()


def jpeg_upload(name: str = "ward-photo.jpg", *, with_gps: bool = True) -> SimpleUploadedFile:
    return SimpleUploadedFile(name, jpeg_bytes(with_gps=with_gps), content_type="image/jpeg")


def story_data(**overrides: Any) -> dict[str, Any]:
    """Cleaned form data as the services take it."""
    data: dict[str, Any] = {
        "submission_token": uuid.uuid4(),
        "title": "A tumor board in Ibadan",
        "teaser": "How a weekly meeting changed care for our patients.",
        "body": "We started in March.\n\nNow twelve doctors meet every week: https://example.org/board",
        "countries": [],
        "programs": [],
        "topics": ["tumor boards", "pathology"],
        "no_patient_identifiers": True,
    }
    data.update(overrides)
    return data


def post_data(**overrides: Any) -> dict[str, Any]:
    """What the browser posts from the story form (no pictures)."""
    data: dict[str, Any] = {
        "submission_token": str(uuid.uuid4()),
        "title": "A tumor board in Ibadan",
        "teaser": "How a weekly meeting changed care for our patients.",
        "body": "We started in March.\n\nNow twelve doctors meet every week.",
        "topics": "tumor boards, pathology",
        "no_patient_identifiers": "on",
    }
    for number in (1, 2, 3):
        data[f"image_{number}_alt"] = ""
        data[f"image_{number}_caption"] = ""
    data.update(overrides)
    return data
