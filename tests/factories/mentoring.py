"""Mentoring data built through mentoring's services (a cycle, offers, submitted requests)."""

from __future__ import annotations

import datetime as dt
from typing import Any

from django.utils import timezone

from oncoreach.mentoring.enums import GoalType
from oncoreach.mentoring.models import MenteeRequest, MentoringCycle, MentorOffer
from oncoreach.mentoring.services.cycle import CycleSetup, create_cycle
from oncoreach.mentoring.services.offers import OfferData, save_offer
from oncoreach.mentoring.services.requests import RequestData, save_request, start_request, submit_request
from tests.factories.accounts import UserFactory
from tests.factories.calls import CycleFactory
from tests.factories.geo import CountryFactory
from tests.factories.people import PersonFactory

WEEKDAYS_9_TO_12 = [(d, 9 * 60, 12 * 60) for d in range(5)]


def make_cycle(actor: Any = None, **overrides: Any) -> MentoringCycle:
    today = timezone.localdate()
    values: dict[str, Any] = {
        "cycle": CycleFactory(),
        "opens_on": today - dt.timedelta(days=3),
        "closes_on": today + dt.timedelta(days=30),
        "time_zone": "UTC",
        "term_start": today + dt.timedelta(days=60),
        "term_months": 12,
        "consent_days": 14,
        "tracks": ["Practising oncologists", "Oncologists in training"],
    }
    values.update(overrides)
    return create_cycle(setup=CycleSetup(**values), actor=actor)


def make_mentor(mentoring: MentoringCycle, *, person: Any = None, **overrides: Any) -> MentorOffer:
    if person is None:
        user = UserFactory()
        person = PersonFactory(
            user=user, is_volunteer=True, country_of_practice=CountryFactory(region="NAC", income_group="H")
        )
    values: dict[str, Any] = {
        "capacity": 2,
        "focus_areas": ["breast_cancer", "clinical_trials"],
        "languages": ["en"],
        "years_in_oncology": 15,
        "time_zone": "America/New_York",
        "windows": WEEKDAYS_9_TO_12,
        "about": "Breast oncologist.",
        "contact_note": "Skype: mentor.secret",
    }
    values.update(overrides)
    return save_offer(mentoring=mentoring, person=person, data=OfferData(**values), actor=person.user)


def make_mentee(
    mentoring: MentoringCycle, *, person: Any = None, submit: bool = True, **overrides: Any
) -> MenteeRequest:
    if person is None:
        person = PersonFactory(user=UserFactory(), country_of_practice=CountryFactory(region="SSA"))
    request = start_request(mentoring=mentoring, person=person)
    values: dict[str, Any] = {
        "goal_type": GoalType.CLINICAL,
        "goals": "Learn to run a breast cancer clinic.",
        "focus_areas": ["breast_cancer"],
        "languages": ["en"],
        "time_zone": "Africa/Lagos",
        "windows": [(d, 14 * 60, 18 * 60) for d in range(5)],
        "preferences": [],
        "contact_note": "WhatsApp: mentee.secret",
    }
    values.update(overrides)
    request = save_request(request=request, data=RequestData(**values))
    if submit:
        request = submit_request(request=request, actor=person.user)
    return request
