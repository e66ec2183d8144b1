"""Reads for guest authors: their own stories, each story's state in words, editors' feedback.

A story's state is Wagtail's own (``live``, revisions, the moderation workflow's state); this
module only names it for the author (ARCHITECTURE.md §3). Everything here is scoped to the
acting user, so another author's story never appears.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Any

from django.contrib.auth import get_user_model
from django.db.models import Exists, OuterRef, Prefetch, Q, QuerySet
from django.http import Http404
from django.utils.translation import gettext_lazy as _
from wagtail.models import Comment, WorkflowState

from oncoreach.accounts.enums import StaffGroup
from oncoreach.people.models import Person
from oncoreach.stories.bodytext import html_to_text
from oncoreach.stories.models import StoryAuthor, StoryPage


class AuthorStoryStatus:
    """A story's state in the author's words (derived, never stored)."""

    DRAFT = "draft"
    SUBMITTED = "submitted"
    CHANGES_REQUESTED = "needs_changes"
    PUBLISHED = "published"
    UNPUBLISHED = "unpublished"

    LABELS = {
        DRAFT: _("draft"),
        SUBMITTED: _("submitted: waiting for the editors"),
        CHANGES_REQUESTED: _("changes requested"),
        PUBLISHED: _("published"),
        UNPUBLISHED: _("unpublished"),
    }


@dataclass(frozen=True)
class Feedback:
    """One note from an editor to the author."""

    text: str
    author_name: str
    created_at: Any


@dataclass
class AuthorStoryRow:
    page: StoryPage
    status: str
    status_label: str
    can_revise: bool
    feedback: list[Feedback] = field(default_factory=list)


def _authored_by(user: Any) -> Q:
    return Q(owner=user) | Q(pk__in=StoryAuthor.objects.filter(person__user=user).values("page_id"))


def stories_for_author(*, user: Any) -> QuerySet[StoryPage]:
    """The user's own stories (owner or named author), newest first, with workflow and comments."""
    stories: QuerySet[StoryPage] = (
        StoryPage.objects.filter(_authored_by(user))
        .prefetch_related(
            # Workflow states of a StoryPage queryset carry the specific content type; Wagtail's
            # ``current_workflow_state`` reads this attribute when it is there.
            Prefetch(
                "_specific_workflow_states",
                queryset=WorkflowState.objects.active().select_related(
                    "current_task_state__task", "current_task_state__finished_by"
                ),
                to_attr="_current_workflow_states",
            ),
            Prefetch(
                "wagtail_admin_comments",
                queryset=Comment.objects.filter(resolved_at__isnull=True).select_related("user").order_by("created_at"),
                to_attr="open_comments",
            ),
        )
        .order_by("-latest_revision_created_at", "-pk")
    )
    return stories


def get_story_for_author(*, user: Any, page_id: int) -> StoryPage:
    """Fetch-or-deny: the user's own story, or 404 (never reveal that someone else's exists)."""
    page = stories_for_author(user=user).filter(pk=page_id).first()
    if page is None:
        raise Http404("No such story of yours.")
    return page


def current_workflow_state(page: StoryPage) -> WorkflowState | None:
    """The in-progress or needs-changes workflow state (uses the prefetch when there is one)."""
    return page.current_workflow_state


def story_status(page: StoryPage) -> str:
    """Name Wagtail's state for the author: in moderation beats live beats draft."""
    state = current_workflow_state(page)
    if state is not None:
        if state.status == WorkflowState.STATUS_NEEDS_CHANGES:
            return AuthorStoryStatus.CHANGES_REQUESTED
        return AuthorStoryStatus.SUBMITTED
    if page.live:
        return AuthorStoryStatus.PUBLISHED
    if page.last_published_at is not None:
        return AuthorStoryStatus.UNPUBLISHED
    return AuthorStoryStatus.DRAFT


def editor_feedback(page: StoryPage) -> list[Feedback]:
    """The editors' request-changes comment and their open comments on the story."""
    notes: list[Feedback] = []
    state = current_workflow_state(page)
    if state is not None and state.status == WorkflowState.STATUS_NEEDS_CHANGES and state.current_task_state:
        task_state = state.current_task_state
        if task_state.comment:
            notes.append(
                Feedback(
                    text=task_state.comment,
                    author_name=str(task_state.finished_by) if task_state.finished_by_id else "",
                    created_at=task_state.finished_at,
                )
            )
    open_comments = getattr(page, "open_comments", None)
    if open_comments is None:
        open_comments = page.wagtail_admin_comments.filter(resolved_at__isnull=True).select_related("user")
    notes.extend(Feedback(text=c.text, author_name=str(c.user), created_at=c.created_at) for c in open_comments)
    return notes


def author_story_rows(*, user: Any) -> list[AuthorStoryRow]:
    """Ready-made rows for the author's "My stories" page."""
    from oncoreach.stories.permissions import can_revise_story

    rows = []
    for page in stories_for_author(user=user):
        status = story_status(page)
        rows.append(
            AuthorStoryRow(
                page=page,
                status=status,
                status_label=str(AuthorStoryStatus.LABELS[status]),
                can_revise=can_revise_story(status=status),
                feedback=editor_feedback(page),
            )
        )
    return rows


@dataclass(frozen=True)
class ExistingImage:
    """A picture already in the story, shown on the revision form."""

    block_id: str
    image: Any
    alt_text: str
    caption: str


def story_form_initial(*, page: StoryPage) -> tuple[dict[str, Any], list[ExistingImage]]:
    """What the revision form shows: the latest revision's fields, and its pictures."""
    draft = page.get_latest_revision_as_object()
    texts = [block.value.source for block in draft.body if block.block_type == "paragraph"]
    images = [
        ExistingImage(
            block_id=block.id,
            image=block.value["image"],
            alt_text=block.value["alt_text"],
            caption=block.value.get("caption") or "",
        )
        for block in draft.body
        if block.block_type == "image" and block.value.get("image") is not None
    ]
    initial = {
        "title": draft.title,
        "teaser": draft.teaser,
        "body": "\n\n".join(html_to_text(text) for text in texts),
        "countries": list(draft.countries.all()),
        "programs": list(draft.programs.all()),
        "topics": ", ".join(tag.name for tag in draft.topics.all()),
        "no_patient_identifiers": draft.no_patient_identifiers,
    }
    return initial, images


def story_author_candidates() -> QuerySet[Person]:
    """Who an editor may credit as a story's author (the CMS author chooser lists only them).

    Authors are people already credited on a story, and people whose active login may write one
    (``permissions.can_write_story``): volunteers, editors, program staff and administrators.
    Everybody else (members, applicants, referees, people without a login) is left out.
    """
    writers = (
        get_user_model()
        .objects.filter(pk=OuterRef("user_id"), is_active=True)
        .filter(
            Q(person__is_volunteer=True)
            | Q(is_staff=True)
            | Q(is_superuser=True)
            | Q(groups__name__in=[group.value for group in StaffGroup])
        )
    )
    credited = StoryAuthor.objects.filter(person=OuterRef("pk"))
    return Person.objects.filter(Exists(credited) | Exists(writers))
