"""Reads for trips: fetch-or-deny, the traveller's own trips, and the staff list that shows every
program's trips side by side.

Programs that keep their own travel records (workshops' faculty travel) add their rows through
:func:`register_trip_source` in ``AppConfig.ready``, so this app never imports them.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Callable
from dataclasses import dataclass
from typing import Any

from django.db.models import QuerySet
from django.http import Http404
from django.shortcuts import get_object_or_404
from django.urls import reverse

from oncoreach.people.models import Person
from oncoreach.travel.models import Trip
from oncoreach.travel.permissions import can_view_trip


@dataclass(frozen=True)
class TripRow:
    """One trip as the staff list shows it, whichever program keeps it."""

    traveller: str
    purpose: str
    title: str
    destination: str
    start_date: dt.date | None
    end_date: dt.date | None
    status: str
    visa_letter_needed: bool
    url: str


TripSource = Callable[[], list[TripRow]]
_sources: dict[str, TripSource] = {}


def register_trip_source(name: str, source: TripSource) -> None:
    """Register ``source() -> list[TripRow]`` once under ``name`` (a constant number of queries)."""
    _sources[name] = source


def _trips() -> QuerySet[Trip]:
    return Trip.objects.select_related("traveller__user", "country")


def trips_for_person(*, person: Person) -> QuerySet[Trip]:
    return _trips().filter(traveller=person).order_by("-start_date", "-id")


def get_trip_for_viewer(*, user: Any, pk: int) -> Trip:
    """Fetch-or-deny: the traveller or program staff; anyone else gets a 404."""
    trip = get_object_or_404(_trips(), pk=pk)
    if not can_view_trip(user, trip):
        raise Http404
    return trip


def _row(trip: Trip) -> TripRow:
    destination = f"{trip.city}, {trip.country.name}" if trip.country else trip.city
    return TripRow(
        traveller=trip.traveller.full_name,
        purpose=str(trip.get_purpose_display()),
        title=trip.title,
        destination=destination,
        start_date=trip.start_date,
        end_date=trip.end_date,
        status=str(trip.get_status_display()),
        visa_letter_needed=trip.visa_letter_needed,
        url=reverse("travel:trip", kwargs={"pk": trip.pk}),
    )


def staff_trip_rows() -> list[TripRow]:
    """Every trip: the ones kept here and each registered program's, by first day (undated last)."""
    rows = [_row(trip) for trip in _trips().order_by("start_date", "id")]
    for name in sorted(_sources):
        rows.extend(_sources[name]())
    return sorted(rows, key=lambda row: (row.start_date is None, row.start_date or dt.date.min, row.traveller))
