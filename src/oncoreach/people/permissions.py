"""Who may do what with people data: plain predicates over a user (STYLE.md §3)."""

from __future__ import annotations

from typing import Any


def can_view_people_lists(user: Any) -> bool:
    """Program staff and administrators see the people, organization and inquiry lists."""
    return bool(user.is_authenticated and user.is_program_staff)


def can_use_cms(user: Any) -> bool:
    """Editors, program staff and administrators reach the Wagtail admin."""
    return bool(user.is_authenticated and (user.is_editor or user.is_program_staff))


def can_use_django_admin(user: Any) -> bool:
    """Only administrators are sent to the Django admin (technical settings); staff work in our
    own pages and never need it."""
    return bool(user.is_authenticated and user.is_administrator)


def can_import_memberships(user: Any) -> bool:
    """Program staff and administrators import the society's membership export."""
    return bool(user.is_authenticated and user.is_program_staff)


def can_keep_staff_notes(user: Any) -> bool:
    """Staff notes are for program staff and administrators only: never the person themselves,
    volunteers, the API, or a "view as" session of someone who is not staff."""
    return bool(user.is_authenticated and user.is_program_staff)


def can_edit_staff_note(user: Any, note: Any) -> bool:
    """Only the author edits a note (every edit is kept)."""
    return can_keep_staff_notes(user) and note.author_id == user.pk


def can_merge_people(user: Any) -> bool:
    """Program staff and administrators find duplicates, merge them and undo merges."""
    return bool(user.is_authenticated and user.is_program_staff)
