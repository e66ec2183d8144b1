import datetime as dt

import html5lib
import pytest
import time_machine
from django.urls import reverse

from oncoreach.volunteers.models import VolunteerAvailability, VolunteerProfile
from tests.factories.accounts import UserFactory
from tests.factories.volunteers import ActivityLogFactory, VolunteerAvailabilityFactory, VolunteerProfileFactory
from tests.factories.workshops import FacultyInvitationFactory

pytestmark = [pytest.mark.integration]


@pytest.fixture(autouse=True)
def _frozen_clock():
    with time_machine.travel(dt.datetime(2026, 11, 26, 12, tzinfo=dt.UTC), tick=False):
        yield


def test_dashboard_shows_profile_hours_and_availability(client, volunteer):
    profile = VolunteerProfileFactory(person=volunteer.person, roles=["faculty", "mentor"])
    VolunteerAvailabilityFactory(profile=profile, start=dt.date(2027, 1, 1), end=dt.date(2027, 2, 1))
    ActivityLogFactory(person=volunteer.person, date=dt.date(2026, 5, 1), hours=8, description="Taught in Hue")
    client.force_login(volunteer)
    response = client.get(reverse("volunteers:dashboard"))
    assert response.status_code == 200
    assert response.context["profile"] == profile
    assert [str(w) for w in response.context["availability"]] == ["2027-01-01 – 2027-02-01"]
    assert str(response.context["hours_this_year"]) == "8.0"
    assert "Taught in Hue" in response.content.decode()
    assert [panel.template for panel in response.context["panels"]] == ["workshops/includes/volunteer_panel.html"]
    parser = html5lib.HTMLParser(strict=True)
    parser.parse(response.content)
    assert parser.errors == []


def test_dashboard_without_profile_invites_to_volunteer(client, member):
    client.force_login(member)
    response = client.get(reverse("volunteers:dashboard"))
    assert response.status_code == 200
    assert response.context["profile"] is None
    assert reverse("volunteers:profile-edit") in response.content.decode()


def test_dashboard_requires_login(client):
    response = client.get(reverse("volunteers:dashboard"))
    assert response.status_code == 302
    assert response["Location"].startswith(reverse("accounts:login"))


def test_dashboard_refuses_login_without_person(client, db):
    client.force_login(UserFactory())
    assert client.get(reverse("volunteers:dashboard")).status_code == 404


@pytest.mark.parametrize("count", [1, 3])
def test_dashboard_query_count(client, volunteer, django_assert_num_queries, count):
    VolunteerProfileFactory(person=volunteer.person)
    for _ in range(count):
        FacultyInvitationFactory(person=volunteer.person, status="accepted")
        ActivityLogFactory(person=volunteer.person)
    client.force_login(volunteer)
    with django_assert_num_queries(14):
        response = client.get(reverse("volunteers:dashboard"))
    assert len(response.context["panels"][0].context["upcoming"]) == count


def test_profile_edit_get_shows_form(client, volunteer):
    client.force_login(volunteer)
    response = client.get(reverse("volunteers:profile-edit"))
    assert response.status_code == 200
    assert response.context["form"].initial["roles"] == ["faculty"]


def test_profile_edit_post_saves(client, volunteer):
    client.force_login(volunteer)
    response = client.post(
        reverse("volunteers:profile-edit"),
        {
            "roles": ["faculty", "reviewer"],
            "specialty": "pathology",
            "expertise": "breast cancer, Lymphoma",
            "max_trips_per_year": "2",
            "travel_document_notes": "Visa for India until 2028",
            "is_active": "on",
        },
    )
    assert response.status_code == 302
    profile = VolunteerProfile.objects.get(person=volunteer.person)
    assert (profile.roles, profile.expertise, profile.travel_document_notes) == (
        ["faculty", "reviewer"],
        ["breast cancer", "lymphoma"],
        "Visa for India until 2028",
    )


def test_profile_edit_post_invalid_changes_nothing(client, volunteer):
    client.force_login(volunteer)
    response = client.post(reverse("volunteers:profile-edit"), {"roles": ["faculty"], "max_trips_per_year": "99"})
    assert response.status_code == 400
    assert "max_trips_per_year" in response.context["form"].errors
    assert 'aria-invalid="true"' in response.content.decode()
    assert VolunteerProfile.objects.count() == 0


def test_profile_edit_requires_login(client):
    assert client.get(reverse("volunteers:profile-edit")).status_code == 302


def test_availability_add_saves_window(client, volunteer):
    VolunteerProfileFactory(person=volunteer.person)
    client.force_login(volunteer)
    response = client.post(reverse("volunteers:availability-add"), {"start": "2027-01-01", "end": "2027-01-31"})
    assert response.status_code == 302
    assert [str(w) for w in VolunteerAvailability.objects.all()] == ["2027-01-01 – 2027-01-31"]


def test_availability_add_end_before_start_shows_error(client, volunteer):
    VolunteerProfileFactory(person=volunteer.person)
    client.force_login(volunteer)
    response = client.post(reverse("volunteers:availability-add"), {"start": "2027-02-01", "end": "2027-01-31"})
    assert response.status_code == 400
    assert response.context["availability_form"].errors["end"] == ["The window ends before it starts."]
    assert VolunteerAvailability.objects.count() == 0


def test_availability_add_without_profile_redirects(client, member):
    client.force_login(member)
    response = client.post(reverse("volunteers:availability-add"), {"start": "2027-01-01", "end": "2027-01-31"})
    assert response["Location"] == reverse("volunteers:profile-edit")
    assert VolunteerAvailability.objects.count() == 0


def test_availability_delete_own_window(client, volunteer):
    window = VolunteerAvailabilityFactory(profile__person=volunteer.person)
    client.force_login(volunteer)
    response = client.post(reverse("volunteers:availability-delete", args=[window.pk]))
    assert response.status_code == 302
    assert VolunteerAvailability.objects.count() == 0


def test_availability_delete_refuses_someone_elses_window(client, volunteer, outsider):
    window = VolunteerAvailabilityFactory(profile__person=volunteer.person)
    client.force_login(outsider)
    response = client.post(reverse("volunteers:availability-delete", args=[window.pk]))
    assert response.status_code == 404
    assert list(VolunteerAvailability.objects.all()) == [window]
