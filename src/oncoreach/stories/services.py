"""Writes for stories: guest authors submit and revise, editors publish or ask for changes.

A story's state is Wagtail's own (ARCHITECTURE.md §3): these services wrap ``save_revision``,
``Workflow.start``, ``WorkflowState.resume`` and the moderation task's approve/reject actions, so
the guest form, the demo seeder, the tests and the Wagtail admin all move a story the same way.
Wagtail's page log is the audit trail for pages; our audit table only records the submission
token that makes a double submit create one story.

E-mails go through the core outbox (rendered in each recipient's language). The outbox rows are
written inside the transaction, so rolled-back work queues nothing, and they are sent only after
commit (``queue_email`` defers the sending with ``on_commit``).
"""

from __future__ import annotations

import io
import uuid
from collections.abc import Iterable, Sequence
from dataclasses import dataclass
from typing import Any

from django.conf import settings
from django.contrib.auth import get_user_model
from django.core.exceptions import PermissionDenied, ValidationError
from django.core.files.images import ImageFile
from django.core.files.uploadedfile import UploadedFile
from django.db import transaction
from django.db.models import Q
from django.urls import reverse
from django.utils import timezone, translation
from django.utils.text import slugify
from django.utils.translation import gettext as _
from PIL import Image as PILImage
from PIL import ImageOps
from wagtail.images import get_image_model
from wagtail.models import Collection, Page, TaskState, WorkflowState
from wagtail.rich_text import RichText

from oncoreach.accounts.enums import StaffGroup
from oncoreach.core.links import absolute_reverse, absolute_url
from oncoreach.core.models import AuditEvent
from oncoreach.core.services import queue_email, record_audit
from oncoreach.core.validators import validate_image_upload
from oncoreach.people.models import Person
from oncoreach.stories.bodytext import text_to_html
from oncoreach.stories.models import StoryAuthor, StoryIndexPage, StoryPage
from oncoreach.stories.permissions import can_moderate_story, can_revise_story, can_write_story
from oncoreach.stories.selectors_authoring import AuthorStoryStatus, story_status

MAX_IMAGES = 3
TEASER_MAX_LENGTH = 600
GUEST_COLLECTION_NAME = "Guest uploads"
# Our own URLs under /<lang>/stories/ win over Wagtail's page serving, so a story must not take
# one of their names as its slug.
RESERVED_SLUGS = {"write", "mine", "feed", "feeds", "atom", "rss", "search", "topics", "page"}
SUBMITTED_ACTION = "stories.guest_submitted"
REVISED_ACTION = "stories.guest_revised"


class StoriesNotSetUpError(Exception):
    """The stories section or its moderation workflow is missing (a data migration did not run)."""


@dataclass(frozen=True)
class GuestImage:
    """One uploaded picture with the alt text the author must give and an optional caption."""

    file: UploadedFile[bytes]
    alt_text: str
    caption: str = ""


# --- Guest authors -----------------------------------------------------------------------------


@transaction.atomic
def submit_guest_story(*, author_user: Any, data: dict[str, Any], images: Sequence[GuestImage]) -> StoryPage:
    """Create a non-live story as the author, save its first revision and start moderation.

    ``data`` holds the form's cleaned fields (title, teaser, body as plain text, countries,
    programs, topics, no_patient_identifiers, submission_token). A second call with the same
    token returns the first story instead of creating another.
    """
    if not can_write_story(author_user):
        raise PermissionDenied("Only volunteers, editors and staff may write stories.")
    _lock_author(author_user)
    token = str(data["submission_token"])
    existing = _story_for_token(author_user, SUBMITTED_ACTION, token)
    if existing is not None:
        return existing
    _validate_story_data(data, images, kept_images=0)
    person = Person.objects.filter(user=author_user).first()
    if person is None:
        raise ValidationError(_("Your account has no profile yet. Complete your profile, then write your story."))
    index = StoryIndexPage.objects.first()
    if index is None:
        raise StoriesNotSetUpError("There is no stories section (StoryIndexPage) to add the story to.")

    blocks: list[tuple[str, Any]] = [("paragraph", RichText(text_to_html(data["body"])))]
    blocks.extend(_image_blocks(images, user=author_user))
    page = StoryPage(
        title=data["title"].strip(),
        slug=_unique_slug(index, data["title"]),
        teaser=data["teaser"].strip(),
        date=timezone.localdate(),
        body=blocks,
        owner=author_user,
        live=False,
        no_patient_identifiers=bool(data["no_patient_identifiers"]),
    )
    _set_tags(page, data)
    page.story_authors.add(StoryAuthor(person=person))
    index.add_child(instance=page)
    revision = page.save_revision(user=author_user, log_action=True)

    workflow = page.get_workflow()
    if workflow is None:
        raise StoriesNotSetUpError("The stories section has no moderation workflow.")
    workflow.start(page, author_user)
    record_audit(actor=author_user, action=SUBMITTED_ACTION, target=page, submission_token=token)

    _notify_editors(page=page, event=f"story-submitted:{revision.pk}", template="stories/email/story_submitted_editors")
    _notify_authors(page=page, event=f"story-received:{revision.pk}", template="stories/email/story_received")
    return page


@transaction.atomic
def revise_guest_story(
    *,
    author_user: Any,
    page: StoryPage,
    data: dict[str, Any],
    images: Sequence[GuestImage],
    remove_image_block_ids: Iterable[str] = (),
) -> StoryPage:
    """Save the author's new revision of a draft or a story with requested changes, and resubmit it.

    A workflow that is waiting for changes is resumed; a draft with no workflow starts one.
    Stories in moderation or published are refused with a message the author can act on.
    """
    from oncoreach.stories.selectors_authoring import stories_for_author

    if not stories_for_author(user=author_user).filter(pk=page.pk).exists():
        raise PermissionDenied("Only the story's authors may revise it.")
    _lock_author(author_user)
    token = str(data["submission_token"])
    if _story_for_token(author_user, REVISED_ACTION, token) is not None:
        return page
    page = _fresh(page)  # not a prefetched one
    status = story_status(page)
    if not can_revise_story(status=status):
        raise ValidationError(not_revisable_message(status), code="not_revisable")

    draft = page.get_latest_revision_as_object()
    removed = set(remove_image_block_ids)
    kept = [b for b in draft.body if b.block_type == "image" and b.id not in removed]
    _validate_story_data(data, images, kept_images=len(kept))
    new_blocks = _revised_body(draft, body_html=text_to_html(data["body"]), removed=removed)
    new_blocks.extend(_image_blocks(images, user=author_user))

    draft.title = data["title"].strip()
    draft.teaser = data["teaser"].strip()
    draft.body = new_blocks
    draft.no_patient_identifiers = bool(data["no_patient_identifiers"])
    _set_tags(draft, data)
    revision = draft.save_revision(user=author_user, log_action=True)

    state = page.current_workflow_state
    if state is not None and state.status == WorkflowState.STATUS_NEEDS_CHANGES:
        state.resume(user=author_user)
    else:
        workflow = page.get_workflow()
        if workflow is None:
            raise StoriesNotSetUpError("The stories section has no moderation workflow.")
        workflow.start(page, author_user)
    record_audit(actor=author_user, action=REVISED_ACTION, target=page, submission_token=token)
    _notify_editors(
        page=page, event=f"story-resubmitted:{revision.pk}", template="stories/email/story_resubmitted_editors"
    )
    return _fresh(page)


def not_revisable_message(status: str) -> str:
    """Why the author cannot revise now, in words they can act on."""
    if status == AuthorStoryStatus.SUBMITTED:
        return _("This story is with the editors now. You can revise it if they ask for changes.")
    return _("This story is published. Write to the editors if something in it must change.")


def _revised_body(draft: StoryPage, *, body_html: str, removed: set[str]) -> list[tuple[str, Any]]:
    """The new text replaces the paragraphs; editors' other blocks stay; removed pictures go."""
    blocks: list[tuple[str, Any]] = []
    paragraph_placed = False
    for block in draft.body:
        if block.block_type == "paragraph":
            if not paragraph_placed:
                blocks.append(("paragraph", RichText(body_html)))
                paragraph_placed = True
        elif not (block.block_type == "image" and block.id in removed):
            blocks.append((block.block_type, block.value))
    if not paragraph_placed:
        blocks.insert(0, ("paragraph", RichText(body_html)))
    return blocks


# --- Editors -----------------------------------------------------------------------------------


@transaction.atomic
def publish_story(*, page: StoryPage, editor: Any) -> StoryPage:
    """Approve the story's moderation task as the editor; when it is the last task, Wagtail publishes.

    The same action as "Approve" in the Wagtail admin (the author is e-mailed either way).
    """
    task_state = _task_state_for_editor(page=page, editor=editor, action="approve")
    draft = page.get_latest_revision_as_object()
    today = timezone.localdate()
    if page.first_published_at is None and draft.date != today:
        # A first publication is dated the day it goes live, not the day it was written, so it
        # sorts (and reaches feed readers) as new. In the admin the editor sets this field.
        draft.date = today
        draft.save_revision(user=editor, log_action=True)
    task_state.task.specific.on_action(task_state, editor, "approve")
    page = _fresh(page)
    if page.live:
        notify_author_published(page=page)
    return page


@transaction.atomic
def request_changes(*, page: StoryPage, editor: Any, comment: str) -> StoryPage:
    """Send the story back to its author with the editor's comment (Wagtail's "Request changes")."""
    comment = (comment or "").strip()
    if not comment:
        raise ValidationError(_("Tell the author what to change."), code="comment_required")
    task_state = _task_state_for_editor(page=page, editor=editor, action="reject")
    task_state.task.specific.on_action(task_state, editor, "reject", comment=comment)
    notify_author_changes_requested(task_state=TaskState.objects.get(pk=task_state.pk))
    return _fresh(page)


def _task_state_for_editor(*, page: StoryPage, editor: Any, action: str) -> TaskState:
    if not can_moderate_story(editor):
        raise PermissionDenied("Only editors moderate stories.")
    state = page.workflow_states.filter(status=WorkflowState.STATUS_IN_PROGRESS).first()
    if state is None or state.current_task_state is None:
        raise ValidationError(_("This story is not waiting for an editor's decision."), code="not_in_moderation")
    task_state = state.current_task_state.specific
    allowed = {name for name, _label, _needs_data in task_state.task.specific.get_actions(page, editor)}
    if action not in allowed:
        raise PermissionDenied("This editor may not act on the story's current moderation step.")
    return task_state


# --- Notifications (also called from stories.signal_handlers for actions in the admin) ---------


def notify_author_published(*, page: StoryPage) -> None:
    """Tell the authors their story is live; once per story, however often it is republished."""
    _notify_authors(page=page, event=f"story-published:{page.pk}", template="stories/email/story_published")


def notify_author_changes_requested(*, task_state: TaskState) -> None:
    """Give the authors the editor's comment; once per rejected task state."""
    page = task_state.workflow_state.content_object
    page = page.specific if isinstance(page, Page) else page
    if not isinstance(page, StoryPage):
        return
    _notify_authors(
        page=page,
        event=f"story-changes-requested:{task_state.pk}",
        template="stories/email/story_changes_requested",
        extra={"comment": task_state.comment},
        exclude=task_state.finished_by,
    )


def story_absolute_url(page: StoryPage, *, language: str | None = None) -> str:
    """The story's public address in ``language``: its path under Wagtail's site root, made
    absolute from SITE_URL like every other link we send."""
    with translation.override(language or translation.get_language()):
        parts = page.get_url_parts()
        path = parts[2] if parts and parts[2] else reverse("stories:index")
    return absolute_url(path)


def _recipient_language(user: Any) -> str:
    codes = {code for code, _name in settings.LANGUAGES}
    return user.preferred_language if user.preferred_language in codes else settings.LANGUAGE_CODE


def _notify_editors(*, page: StoryPage, event: str, template: str) -> None:
    editors = (
        get_user_model()
        .objects.filter(is_active=True, groups__name=StaffGroup.EDITOR.value)
        .exclude(email="")
        .distinct()
        .order_by("pk")
    )
    admin_url = absolute_reverse("wagtailadmin_pages:edit", args=(page.pk,))
    for editor in editors:
        queue_email(
            event_key=event,
            to=editor.email,
            template=template,
            context={"page": page, "recipient": editor, "admin_url": admin_url},
            language=_recipient_language(editor),
        )


def _story_authors(page: StoryPage) -> list[Any]:
    person_ids = StoryAuthor.objects.filter(page=page).values("person_id")
    return list(
        get_user_model()
        .objects.filter(Q(pk=page.owner_id) | Q(person__in=person_ids), is_active=True)
        .exclude(email="")
        .distinct()
        .order_by("pk")
    )


def _notify_authors(
    *, page: StoryPage, event: str, template: str, extra: dict[str, Any] | None = None, exclude: Any = None
) -> None:
    for author in _story_authors(page):
        if exclude is not None and author.pk == exclude.pk:
            continue
        language = _recipient_language(author)
        mine_url = absolute_reverse("stories:mine", language=language)
        story_url = story_absolute_url(page, language=language) if page.live else ""
        queue_email(
            event_key=event,
            to=author.email,
            template=template,
            context={"page": page, "recipient": author, "mine_url": mine_url, "story_url": story_url, **(extra or {})},
            language=language,
        )


# --- Helpers -----------------------------------------------------------------------------------


def _fresh(page: StoryPage) -> StoryPage:
    """The story as the database has it now (live flag, latest revision, workflow)."""
    fresh: StoryPage = StoryPage.objects.get(pk=page.pk)
    return fresh


def _lock_author(user: Any) -> None:
    """Serialise one author's submissions, so a double click cannot slip past the token check."""
    get_user_model().objects.select_for_update(of=("self",)).filter(pk=user.pk).first()


def _story_for_token(user: Any, action: str, token: str) -> StoryPage | None:
    event = AuditEvent.objects.filter(actor=user, action=action, data__submission_token=token).first()
    if event is None:
        return None
    story: StoryPage | None = StoryPage.objects.filter(pk=event.target_id).first()
    return story


def _validate_story_data(data: dict[str, Any], images: Sequence[GuestImage], *, kept_images: int) -> None:
    errors: dict[str, list[str]] = {}
    if not (data.get("title") or "").strip():
        errors["title"] = [_("Give your story a title.")]
    teaser = (data.get("teaser") or "").strip()
    if not teaser:
        errors["teaser"] = [_("Write a short summary of your story.")]
    elif len(teaser) > TEASER_MAX_LENGTH:
        errors["teaser"] = [_("The summary can be at most %(max)d characters.") % {"max": TEASER_MAX_LENGTH}]
    if not text_to_html(data.get("body") or ""):
        errors["body"] = [_("Write your story.")]
    if not data.get("no_patient_identifiers"):
        errors["no_patient_identifiers"] = [_("Confirm that the story identifies no patient.")]
    if kept_images + len(images) > MAX_IMAGES:
        errors["__all__"] = [_("A story can have at most %(max)d pictures.") % {"max": MAX_IMAGES}]
    for image in images:
        if not image.alt_text.strip():
            errors.setdefault("__all__", []).append(_("Every picture needs a description (alternative text)."))
            break
    if errors:
        raise ValidationError(errors)
    for image in images:
        validate_image_upload(image.file)


def _unique_slug(parent: Page, title: str) -> str:
    base = slugify(title, allow_unicode=True)[:70].strip("-") or "story"
    if base in RESERVED_SLUGS:
        base = f"{base}-story"
    taken = set(parent.get_children().filter(slug__startswith=base).values_list("slug", flat=True))
    slug, number = base, 2
    while slug in taken:
        slug = f"{base}-{number}"
        number += 1
    return slug


def _set_tags(page: StoryPage, data: dict[str, Any]) -> None:
    page.countries.set(list(data.get("countries") or []))
    page.programs.set(list(data.get("programs") or []))
    page.topics.set(list(data.get("topics") or []))


def _guest_collection() -> Collection:
    root = Collection.get_first_root_node()
    existing = root.get_children().filter(name=GUEST_COLLECTION_NAME).first()
    return existing or root.add_child(name=GUEST_COLLECTION_NAME)


def strip_image_metadata(upload: UploadedFile[bytes]) -> tuple[bytes, str, tuple[int, int]]:
    """Re-encode a picture without EXIF (GPS location, camera serials) or other metadata.

    The picture is turned upright first (EXIF orientation), since that information goes too.
    Returns the new bytes, the Pillow format name and the (width, height).
    """
    upload.seek(0)
    with PILImage.open(upload) as original:
        image_format = original.format or "JPEG"
        upright = ImageOps.exif_transpose(original)
        upright.info = {}  # drop exif, xmp, comments, icc text chunks carried from the original
        if image_format == "JPEG" and upright.mode not in ("RGB", "L"):
            upright = upright.convert("RGB")
        buffer = io.BytesIO()
        options: dict[str, Any] = {"format": image_format}
        if image_format == "JPEG":
            options.update(quality=90, optimize=True)
        elif image_format == "WEBP":
            options.update(quality=90)
        upright.save(buffer, **options)
        size = upright.size
    upload.seek(0)
    return buffer.getvalue(), image_format, size


def _image_blocks(images: Sequence[GuestImage], *, user: Any) -> list[tuple[str, dict[str, Any]]]:
    if not images:
        return []
    collection = _guest_collection()
    image_model = get_image_model()
    blocks = []
    for upload in images:
        extension = validate_image_upload(upload.file)
        content, _image_format, (width, height) = strip_image_metadata(upload.file)
        alt_text = upload.alt_text.strip()
        # A random file name: the original one may carry a patient's or a hospital's name.
        image = image_model(
            title=alt_text[:255],
            collection=collection,
            uploaded_by_user=user,
            file=ImageFile(io.BytesIO(content), name=f"guest-{uuid.uuid4().hex}.{extension}"),
        )
        image.width, image.height = width, height
        image._set_image_file_metadata()
        image.save()
        blocks.append(("image", {"image": image, "alt_text": alt_text[:250], "caption": upload.caption.strip()[:300]}))
    return blocks
