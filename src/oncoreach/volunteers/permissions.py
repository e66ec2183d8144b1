"""Who may see what about a volunteer: plain predicates, easy to test."""

from __future__ import annotations

from typing import Any

from oncoreach.volunteers.models import ActivityLog, VolunteerProfile


def is_volunteer_staff(user: Any) -> bool:
    return bool(user.is_authenticated and user.is_program_staff)


def can_view_private_volunteer_data(user: Any, profile: VolunteerProfile) -> bool:
    """Passport/visa notes: program staff and the volunteer themself, nobody else."""
    if not user.is_authenticated:
        return False
    return is_volunteer_staff(user) or profile.person.user_id == user.pk


def can_remove_own_activity(user: Any, entry: ActivityLog) -> bool:
    """A volunteer removes an entry they logged by hand (never one made by a course, say)."""
    return bool(user.is_authenticated and entry.person.user_id == user.pk and not entry.related_id)


def can_correct_activities(user: Any) -> bool:
    """Program staff see and correct every volunteer's hours."""
    return is_volunteer_staff(user)
