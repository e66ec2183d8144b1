"""Who may do what with courses, invitations and travel: plain predicates over user and object."""

from __future__ import annotations

from typing import Any

from oncoreach.workshops.enums import InvitationStatus
from oncoreach.workshops.models import FacultyInvitation, Travel


def can_manage_courses(user: Any) -> bool:
    return bool(user.is_authenticated and user.is_program_staff)


def is_invitee(user: Any, invitation: FacultyInvitation) -> bool:
    return bool(user.is_authenticated and invitation.person.user_id == user.pk)


def can_view_travel(user: Any, invitation: FacultyInvitation) -> bool:
    """Travel and passport data: program staff and the traveller only (ARCHITECTURE.md §7)."""
    return can_manage_courses(user) or is_invitee(user, invitation)


def can_have_visa_letter(*, invitation: FacultyInvitation, travel: Travel | None) -> bool:
    """A letter exists only for an accepted trip that needs one (never for a declined invitation)."""
    return (
        travel is not None
        and travel.visa_letter_needed
        and invitation.status in (InvitationStatus.ACCEPTED, InvitationStatus.TRAVEL_BOOKED)
    )
