"""Who may see a trip and its visa letter: the traveller and program staff only (ARCHITECTURE.md §7)."""

from __future__ import annotations

from typing import Any

from oncoreach.travel.enums import LETTER_STATUSES
from oncoreach.travel.models import Trip


def can_manage_travel(user: Any) -> bool:
    return bool(user.is_authenticated and user.is_program_staff)


def is_traveller(user: Any, trip: Trip) -> bool:
    return bool(user.is_authenticated and trip.traveller.user_id == user.pk)


def can_view_trip(user: Any, trip: Trip) -> bool:
    return can_manage_travel(user) or is_traveller(user, trip)


def can_have_visa_letter(trip: Trip) -> bool:
    """A letter exists only for a trip still ahead that needs one."""
    return trip.visa_letter_needed and trip.status in LETTER_STATUSES
