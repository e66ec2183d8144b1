"""Reads for trips: fetch-or-deny, the traveller's own trips, and the staff list of every
program's trips (awardees' and faculty's alike are ``Trip`` rows).

A program that keeps more about its trips than ``Trip`` holds (workshops: booking, per diem,
reimbursement, the invitation) registers the page where staff manage them with
:func:`register_trip_manager` in ``AppConfig.ready``, so this app never imports it; such a trip's
status then moves only through that program's services.
"""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

from django.db.models import QuerySet
from django.http import Http404
from django.shortcuts import get_object_or_404

from oncoreach.people.models import Person
from oncoreach.travel.models import Trip
from oncoreach.travel.permissions import can_view_trip

TripPage = Callable[[Trip], str]
_managers: dict[str, TripPage] = {}


def register_trip_manager(purpose: str, page_url: TripPage) -> None:
    """Trips of ``purpose`` are managed by another program: ``page_url(trip)`` is where."""
    _managers[purpose] = page_url


def trip_managed_at(trip: Trip) -> str | None:
    """The page of the program that manages this trip, or None when staff manage it here."""
    page_url = _managers.get(trip.purpose)
    return page_url(trip) if page_url is not None else None


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


def staff_trips() -> QuerySet[Trip]:
    """Every program's trips, by first day (one query)."""
    return _trips().order_by("start_date", "traveller__family_name", "id")
