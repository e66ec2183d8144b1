"""Annual Meeting travel for awardees: one trip per awardee whose benefits include it, through
the shared ``travel`` app (trips and visa letters live one layer below workshops and awards)."""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass
from typing import Any

from django.core.exceptions import ValidationError
from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from oncoreach.awards import selectors
from oncoreach.awards.enums import BenefitStatus
from oncoreach.awards.models import Benefit
from oncoreach.core.services import record_audit
from oncoreach.geo.models import Country
from oncoreach.programs.models import Cycle
from oncoreach.travel.enums import TripPurpose
from oncoreach.travel.models import Trip
from oncoreach.travel.services import create_trip


@dataclass(frozen=True)
class Meeting:
    """Where and when the Annual Meeting is (staff enter it once per cycle)."""

    title: str
    city: str
    country: Country | None
    start_date: dt.date
    end_date: dt.date


@transaction.atomic
def arrange_meeting_travel(*, cycle: Cycle, meeting: Meeting, actor: Any) -> list[Trip]:
    """A trip for every awardee of the cycle whose Annual Meeting travel is still planned and has
    no trip yet; a visa letter is needed when the awardee practises outside the meeting's country.
    Returns the trips made (none when every awardee already has one)."""
    if meeting.end_date < meeting.start_date:
        raise ValidationError(_("The last day of a trip cannot be before its first day."), code="dates")
    benefits = selectors.meeting_travel_benefits(cycle=cycle).filter(status=BenefitStatus.PLANNED, trip__isnull=True)
    trips = []
    for benefit in benefits.select_for_update(of=("self",)):
        person = benefit.award.person
        trip = create_trip(
            traveller=person,
            purpose=TripPurpose.ANNUAL_MEETING,
            title=meeting.title,
            city=meeting.city,
            country=meeting.country,
            start_date=meeting.start_date,
            end_date=meeting.end_date,
            visa_letter_needed=meeting.country is None or person.country_of_practice_id != meeting.country.pk,
            actor=actor,
        )
        Benefit.objects.filter(pk=benefit.pk).update(trip=trip, status=BenefitStatus.GRANTED, granted_at=timezone.now())
        record_audit(actor=actor, action="awards.benefit_granted", target=benefit, trip=trip.pk)
        trips.append(trip)
    return trips
