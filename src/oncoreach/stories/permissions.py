"""Who may write, revise and moderate stories: pure predicates over a user (and a story).

Guest authors are volunteers without editor rights (ARCHITECTURE.md §7): they write through our
own form and never get the Wagtail admin. Editors moderate in the admin.
"""

from __future__ import annotations

from typing import Any

from oncoreach.people.models import Person
from oncoreach.stories.selectors_authoring import AuthorStoryStatus


def can_write_story(user: Any) -> bool:
    """Signed-in volunteers, editors and staff may write a story for moderation."""
    if not getattr(user, "is_authenticated", False) or not user.is_active:
        return False
    if user.is_staff or user.is_editor or user.is_program_staff:
        return True
    return Person.objects.filter(user=user, is_volunteer=True).exists()


def can_moderate_story(user: Any) -> bool:
    """Editors (and administrators) approve stories or ask for changes."""
    return bool(getattr(user, "is_authenticated", False) and user.is_active and user.is_editor)


def can_revise_story(*, status: str) -> bool:
    """An author revises a draft or a story that came back with requested changes, nothing else.

    ``status`` is an ``AuthorStoryStatus`` value (from ``selectors_authoring.story_status``);
    a story in moderation or published belongs to the editors until they act.
    """
    return status in (AuthorStoryStatus.DRAFT, AuthorStoryStatus.CHANGES_REQUESTED)


def can_see_unpublished_image(user: Any, *, uploaded_by_id: int | None, author_user_ids: set[int]) -> bool:
    """A picture no live page shows yet: its uploader, the authors of the stories that use it,
    editors and program staff (who moderate and preview), never anyone else."""
    if not getattr(user, "is_authenticated", False) or not user.is_active:
        return False
    if user.is_staff or user.is_editor or user.is_program_staff:
        return True
    return user.pk == uploaded_by_id or user.pk in author_user_ids
