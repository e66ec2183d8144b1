"""Trip purposes and the trip lifecycle's allowed transitions."""

from __future__ import annotations

from django.db import models
from django.utils.translation import gettext_lazy as _


class TripPurpose(models.TextChoices):
    ANNUAL_MEETING = "annual_meeting", _("Annual Meeting")
    WORKSHOP_FACULTY = "workshop_faculty", _("Workshop faculty")
    OTHER = "other", _("Other")


class TripStatus(models.TextChoices):
    PLANNED = "planned", _("Planned")
    BOOKED = "booked", _("Booked")
    COMPLETED = "completed", _("Completed")
    CANCELLED = "cancelled", _("Cancelled")


#: planned → booked → completed; cancelled from planned or booked (transition_trip checks this).
#: A planned trip may complete without a booking by staff: the traveller booked it themselves, or
#: local faculty taught without travelling.
TRIP_TRANSITIONS: dict[str, frozenset[str]] = {
    TripStatus.PLANNED: frozenset({TripStatus.BOOKED, TripStatus.COMPLETED, TripStatus.CANCELLED}),
    TripStatus.BOOKED: frozenset({TripStatus.COMPLETED, TripStatus.CANCELLED, TripStatus.PLANNED}),
    TripStatus.COMPLETED: frozenset(),
    TripStatus.CANCELLED: frozenset(),
}

#: A visa letter is issued only for a trip still ahead.
LETTER_STATUSES: frozenset[str] = frozenset({TripStatus.PLANNED, TripStatus.BOOKED})
