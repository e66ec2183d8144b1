import datetime as dt
from decimal import Decimal

import pytest
from django.core.exceptions import ValidationError

from oncoreach.core.models import AuditEvent
from oncoreach.volunteers import services
from oncoreach.volunteers.models import ActivityLog, VolunteerAvailability, VolunteerProfile
from tests.factories.people import PersonFactory
from tests.factories.volunteers import VolunteerAvailabilityFactory, VolunteerProfileFactory

pytestmark = [pytest.mark.integration]


def test_save_volunteer_profile_creates_profile_and_marks_volunteer(member):
    person = member.person
    profile = services.save_volunteer_profile(
        person=person,
        actor=member,
        roles=["reviewer", "faculty"],
        expertise=[" Breast Cancer", "breast cancer", "Trial design "],
        max_trips_per_year=3,
        travel_document_notes="Passport valid to 2030",
    )
    person.refresh_from_db()
    assert profile.roles == ["faculty", "reviewer"]
    assert profile.expertise == ["breast cancer", "trial design"]
    assert profile.specialty == person.specialty
    assert person.is_volunteer is True
    event = AuditEvent.objects.get(action="volunteers.profile_created")
    assert "Passport" not in str(event.data)


def test_save_volunteer_profile_updates_existing(volunteer):
    VolunteerProfileFactory(person=volunteer.person, roles=["mentor"])
    profile = services.save_volunteer_profile(
        person=volunteer.person, actor=volunteer, roles=["author"], specialty="pathology", max_trips_per_year=0
    )
    assert VolunteerProfile.objects.count() == 1
    assert (profile.roles, profile.specialty, profile.max_trips_per_year) == (["author"], "pathology", 0)
    assert AuditEvent.objects.filter(action="volunteers.profile_updated").count() == 1


def test_save_volunteer_profile_rejects_unknown_role(member):
    with pytest.raises(ValidationError) as exc:
        services.save_volunteer_profile(person=member.person, actor=member, roles=["astronaut"])
    assert exc.value.code == "role"
    assert VolunteerProfile.objects.count() == 0


def test_save_volunteer_profile_rejects_too_many_topics(member):
    with pytest.raises(ValidationError) as exc:
        services.save_volunteer_profile(
            person=member.person, actor=member, roles=["faculty"], expertise=[f"topic {n}" for n in range(21)]
        )
    assert exc.value.code == "expertise"


def test_save_volunteer_profile_rejects_trips_out_of_range(member):
    with pytest.raises(ValidationError) as exc:
        services.save_volunteer_profile(person=member.person, actor=member, roles=["faculty"], max_trips_per_year=13)
    assert exc.value.code == "trips"
    assert VolunteerProfile.objects.count() == 0


def test_add_availability_saves_window(volunteer):
    profile = VolunteerProfileFactory(person=volunteer.person)
    window = services.add_availability(
        profile=profile, actor=volunteer, start=dt.date(2027, 1, 1), end=dt.date(2027, 2, 1), note="winter"
    )
    assert list(VolunteerAvailability.objects.all()) == [window]
    assert AuditEvent.objects.filter(action="volunteers.availability_added").count() == 1


def test_add_availability_rejects_end_before_start(volunteer):
    profile = VolunteerProfileFactory(person=volunteer.person)
    with pytest.raises(ValidationError) as exc:
        services.add_availability(profile=profile, actor=volunteer, start=dt.date(2027, 2, 1), end=dt.date(2027, 1, 1))
    assert exc.value.code == "end_before_start"
    assert VolunteerAvailability.objects.count() == 0


def test_add_availability_rejects_overlap(volunteer):
    window = VolunteerAvailabilityFactory(
        profile__person=volunteer.person, start=dt.date(2027, 1, 1), end=dt.date(2027, 1, 31)
    )
    with pytest.raises(ValidationError) as exc:
        services.add_availability(
            profile=window.profile, actor=volunteer, start=dt.date(2027, 1, 31), end=dt.date(2027, 3, 1)
        )
    assert exc.value.code == "overlap"
    assert list(VolunteerAvailability.objects.all()) == [window]


def test_remove_availability_deletes_and_audits(volunteer):
    window = VolunteerAvailabilityFactory(profile__person=volunteer.person)
    services.remove_availability(window=window, actor=volunteer)
    assert VolunteerAvailability.objects.count() == 0
    assert AuditEvent.objects.filter(action="volunteers.availability_removed").count() == 1


def test_log_activity_records_hours(coordinator):
    person = PersonFactory()
    entry = services.log_activity(
        person=person, actor=coordinator, kind="reviewing", date=dt.date(2026, 1, 5), hours=2.25
    )
    assert entry.hours == Decimal("2.2")
    assert list(ActivityLog.objects.all()) == [entry]


def test_log_activity_with_related_object_is_idempotent(coordinator):
    person = PersonFactory()
    related = VolunteerProfileFactory(person=person)
    first = services.log_activity(
        person=person, actor=coordinator, kind="teaching", date=dt.date(2026, 1, 5), hours=8, related=related
    )
    second = services.log_activity(
        person=person, actor=coordinator, kind="teaching", date=dt.date(2026, 1, 5), hours=8, related=related
    )
    assert first == second
    assert ActivityLog.objects.count() == 1


def test_log_activity_rejects_negative_hours(coordinator):
    with pytest.raises(ValidationError) as exc:
        services.log_activity(
            person=PersonFactory(), actor=coordinator, kind="other", date=dt.date(2026, 1, 5), hours=-1
        )
    assert exc.value.code == "hours"
    assert ActivityLog.objects.count() == 0


def test_log_activity_rejects_unknown_kind(coordinator):
    with pytest.raises(ValidationError) as exc:
        services.log_activity(person=PersonFactory(), actor=coordinator, kind="golf", date=dt.date(2026, 1, 5), hours=1)
    assert exc.value.code == "kind"
