"""Writes for trips: create one, change its plan (destination, dates, visa-letter flag), move its
status through the one transition function (allowed transitions in ``enums.TRIP_TRANSITIONS``, an
audit row for each move), and forget visa-letter requests when travel data is purged.

Every program writes trip state through these functions (awards for the Annual Meeting, workshops
for faculty travel); none saves a ``Trip`` itself."""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterable
from typing import Any

from django.core.exceptions import ValidationError
from django.db import transaction
from django.utils.translation import gettext as _

from oncoreach.core.services import record_audit
from oncoreach.geo.models import Country
from oncoreach.people.models import Person
from oncoreach.travel.enums import TRIP_TRANSITIONS, TripPurpose, TripStatus
from oncoreach.travel.models import Trip


@transaction.atomic
def create_trip(
    *,
    traveller: Person,
    purpose: str,
    title: str,
    city: str,
    country: Country | None,
    start_date: dt.date,
    end_date: dt.date,
    actor: Any,
    visa_letter_needed: bool = False,
) -> Trip:
    if purpose not in TripPurpose.values:
        raise ValidationError(_("Unknown purpose of travel."), code="bad_purpose")
    if end_date < start_date:
        raise ValidationError(_("The last day of a trip cannot be before its first day."), code="dates")
    trip = Trip(
        traveller=traveller,
        purpose=purpose,
        title=title.strip(),
        city=city.strip(),
        country=country,
        start_date=start_date,
        end_date=end_date,
        visa_letter_needed=visa_letter_needed,
    )
    trip.full_clean()
    trip.save()
    # Travel data is private: the audit keeps the purpose only.
    record_audit(actor=actor, action="travel.trip_created", target=trip, purpose=purpose)
    return trip


@transaction.atomic
def transition_trip(*, trip: Trip, to: str, actor: Any) -> Trip:
    """The one place a trip's status changes."""
    trip = Trip.objects.select_for_update().get(pk=trip.pk)
    if to not in TRIP_TRANSITIONS.get(trip.status, frozenset()):
        label = TripStatus(to).label if to in TripStatus.values else to
        raise ValidationError(
            _("A trip cannot go from “%(from)s” to “%(to)s”.") % {"from": trip.get_status_display(), "to": label},
            code="bad_transition",
        )
    previous = trip.status
    trip.status = to
    trip.save(update_fields=["status", "updated_at"])
    record_audit(actor=actor, action="travel.trip_status", target=trip, previous=previous, status=to)
    return trip


#: What ``update_trip`` may change; status moves only through ``transition_trip``.
PLAN_FIELDS = ("title", "city", "country", "start_date", "end_date", "visa_letter_needed")


@transaction.atomic
def update_trip(*, trip: Trip, actor: Any, **changes: Any) -> Trip:
    """Change a trip's plan (any of ``PLAN_FIELDS``); a finished or cancelled trip keeps its plan.

    The audit names the fields that changed, never their values (travel data is private)."""
    unknown = sorted(set(changes) - set(PLAN_FIELDS))
    if unknown:
        raise TypeError(f"update_trip cannot change {', '.join(unknown)}")
    changes = {name: value.strip() if isinstance(value, str) else value for name, value in changes.items()}
    trip = Trip.objects.select_for_update().get(pk=trip.pk)
    changed = [name for name, value in changes.items() if getattr(trip, name) != value]
    if not changed:
        return trip
    if trip.status not in (TripStatus.PLANNED, TripStatus.BOOKED):
        raise ValidationError(
            _("A trip that is “%(status)s” can no longer be changed.") % {"status": trip.get_status_display()},
            code="trip_closed",
        )
    for name in changed:
        setattr(trip, name, changes[name])
    if trip.end_date < trip.start_date:
        raise ValidationError(_("The last day of a trip cannot be before its first day."), code="dates")
    trip.full_clean()
    trip.save(update_fields=[*changed, "updated_at"])
    record_audit(actor=actor, action="travel.trip_updated", target=trip, fields=sorted(changed))
    return trip


@transaction.atomic
def forget_visa_letter_requests(*, trip_ids: Iterable[int]) -> int:
    """Clear the visa-letter flag of these trips, whatever their status (the retention purge of
    personal travel data). Returns how many trips changed; the caller audits the purge."""
    return Trip.objects.filter(pk__in=list(trip_ids), visa_letter_needed=True).update(visa_letter_needed=False)
