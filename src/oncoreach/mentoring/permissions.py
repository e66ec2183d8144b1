"""Who may do what in mentoring: plain predicates (STYLE.md §3)."""

from __future__ import annotations

from typing import Any

from oncoreach.mentoring.enums import MatchStatus, Side
from oncoreach.mentoring.models import Match


def is_mentoring_staff(user: Any) -> bool:
    return bool(user.is_authenticated and user.is_program_staff)


def side_of(user: Any, match: Match) -> str | None:
    """The side the user is on in this match (mentee or mentor), or None for anyone else."""
    person = getattr(user, "person", None) if user.is_authenticated else None
    if person is None:
        return None
    if match.request.application.applicant_id == person.pk:
        return Side.MENTEE
    if match.offer.person_id == person.pk:
        return Side.MENTOR
    return None


def can_see_contact(user: Any, match: Match) -> bool:
    """Contact details are shown to the two sides only once both accepted (staff always)."""
    if is_mentoring_staff(user):
        return True
    return match.status == MatchStatus.ACCEPTED and side_of(user, match) is not None
