"""Who may do what with courses, invitations and travel: plain predicates over user and object."""

from __future__ import annotations

from typing import Any

from oncoreach.calls.enums import ApplicationStatus
from oncoreach.workshops.enums import LIVE_REGISTRATION_STATUSES, CourseStatus, InvitationStatus, RegistrationStatus
from oncoreach.workshops.models import FacultyInvitation, Registration


def can_manage_courses(user: Any) -> bool:
    return bool(user.is_authenticated and user.is_program_staff)


def is_invitee(user: Any, invitation: FacultyInvitation) -> bool:
    return bool(user.is_authenticated and invitation.person.user_id == user.pk)


def can_view_travel(user: Any, invitation: FacultyInvitation) -> bool:
    """Travel and passport data: program staff and the traveller only (ARCHITECTURE.md §7)."""
    return can_manage_courses(user) or is_invitee(user, invitation)


def can_edit_itinerary(user: Any, invitation: FacultyInvitation) -> bool:
    """The traveller enters their own itinerary for an accepted trip to a course that is on."""
    return (
        is_invitee(user, invitation)
        and invitation.status in (InvitationStatus.ACCEPTED, InvitationStatus.TRAVEL_BOOKED)
        and invitation.slot.course.status in (CourseStatus.PLANNING, CourseStatus.OPEN)
    )


def can_answer_registration(registration: Registration) -> bool:
    """The participant may still change their answers: registered but not sent yet."""
    application = registration.application
    return (
        registration.status == RegistrationStatus.PENDING
        and application is not None
        and application.status == ApplicationStatus.DRAFT
        and registration.course.intake_call_id is not None
    )


def can_cancel_registration(registration: Registration) -> bool:
    """Before the course starts, a pending, wait-listed or accepted registration may be cancelled."""
    return registration.status in LIVE_REGISTRATION_STATUSES
