"""Who may see what about a volunteer: plain predicates, easy to test."""

from __future__ import annotations

from typing import Any

from oncoreach.volunteers.models import VolunteerProfile


def is_volunteer_staff(user: Any) -> bool:
    return bool(user.is_authenticated and user.is_program_staff)


def can_view_private_volunteer_data(user: Any, profile: VolunteerProfile) -> bool:
    """Passport/visa notes: program staff and the volunteer themself, nobody else."""
    if not user.is_authenticated:
        return False
    return is_volunteer_staff(user) or profile.person.user_id == user.pk
