import io
import random

import pytest

from oncoreach.workshops.demo import seed_workshops
from oncoreach.workshops.models import Course, FacultyInvitation, Registration
from tests.factories.geo import CountryFactory
from tests.factories.people import OrganizationFactory, PersonFactory

pytestmark = [pytest.mark.integration]


def test_seed_workshops_builds_past_and_upcoming_courses(db):
    nepal = CountryFactory(
        iso3="NPL", iso2="NP", name="Nepal", income_group="LM", time_zone="Asia/Kathmandu", languages=["ne"]
    )
    usa = CountryFactory(iso3="USA", iso2="US", name="United States", income_group="H", time_zone="America/New_York")
    organizations = [
        OrganizationFactory(country=nepal, city="Kathmandu"),
        OrganizationFactory(country=usa, city="Boston"),
    ]
    specialties = [
        "medical_oncology",
        "radiation_oncology",
        "surgical_oncology",
        "pathology",
        "oncology_nursing",
        "palliative_care",
        "biostatistics",
    ]
    people = [
        PersonFactory(
            country_of_practice=usa, specialty=specialties[n % len(specialties)], is_volunteer=True, languages=["en"]
        )
        for n in range(40)
    ] + [PersonFactory(country_of_practice=nepal) for _ in range(12)]
    out = io.StringIO()
    counts = seed_workshops(
        rng=random.Random(1), people=people, organizations=organizations, countries=[nepal, usa], stdout=out
    )
    assert counts["courses"] == 12
    assert Course.objects.filter(status="closed").count() == 6
    assert Course.objects.filter(status="open").count() == 5
    assert FacultyInvitation.objects.filter(status="completed").exists()
    assert FacultyInvitation.objects.filter(status="proposed").exists()
    assert out.getvalue().startswith("workshops: 12 courses")
    assert Registration.objects.filter(status="attended", evaluation__submitted_at__isnull=False).exists()
    assert Registration.objects.filter(status="attended", post_test_score__isnull=False).exists()
    assert Registration.objects.filter(impact_survey__submitted_at__isnull=False).exists()
    upcoming = Course.objects.filter(status="open", intake_call__isnull=False)
    assert upcoming.count() == 5
    assert Registration.objects.filter(course__in=upcoming, status="accepted").exists()
    assert Registration.objects.filter(course__in=upcoming, status="waitlisted").exists()
    assert counts["registrations"] == Registration.objects.count()
