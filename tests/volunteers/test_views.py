import datetime as dt

import html5lib
import pytest
import time_machine
from django.urls import reverse

from oncoreach.core.models import AuditEvent
from oncoreach.volunteers.models import ActivityLog, VolunteerAvailability, VolunteerProfile
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
    with django_assert_num_queries(17):  # panels: awards interviews, awardees you mentor, finished mentorships
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


def test_a_volunteer_logs_their_own_hours(client, volunteer):
    VolunteerProfileFactory(person=volunteer.person)
    client.force_login(volunteer)
    page = client.get(reverse("volunteers:dashboard"))
    assert reverse("volunteers:activity-add") in page.content.decode()
    response = client.post(
        reverse("volunteers:activity-add"),
        {"kind": "preparation", "date": "2026-11-20", "hours": "3.5", "description": "Slides on tumor boards"},
    )
    assert response["Location"] == reverse("volunteers:dashboard")
    entry = ActivityLog.objects.get()
    assert (entry.person, entry.kind, entry.date, str(entry.hours), entry.description) == (
        volunteer.person,
        "preparation",
        dt.date(2026, 11, 20),
        "3.5",
        "Slides on tumor boards",
    )


@pytest.mark.parametrize(
    ("data", "message"),
    [
        ({"kind": "preparation", "date": "2026-12-20", "hours": "2"}, "The date is in the future."),
        ({"kind": "preparation", "date": "2026-11-20", "hours": "0"}, "Enter between 0.1 and 200 hours."),
        ({"kind": "preparation", "date": "2026-11-20", "hours": "250"}, "Enter between 0.1 and 200 hours."),
        ({"kind": "preparation", "date": "2025-01-20", "hours": "2"}, "ask program staff for older entries"),
        ({"kind": "gardening", "date": "2026-11-20", "hours": "2"}, "Select a valid choice."),
    ],
)
def test_bad_hours_are_refused_with_a_reason(client, volunteer, data, message):
    client.force_login(volunteer)
    response = client.post(reverse("volunteers:activity-add"), data, follow=True)
    assert message in " ".join(str(m) for m in response.context["messages"])
    assert ActivityLog.objects.count() == 0


def test_a_volunteer_removes_only_their_own_hand_logged_entries(client, volunteer, member):
    mine = ActivityLogFactory(person=volunteer.person)
    automatic = ActivityLogFactory(person=volunteer.person, related_id="7", kind="teaching")
    theirs = ActivityLogFactory(person=member.person)
    client.force_login(volunteer)
    for entry in (automatic, theirs):
        assert client.post(reverse("volunteers:activity-delete", args=[entry.pk])).status_code == 404
    client.post(reverse("volunteers:activity-delete", args=[mine.pk]))
    assert sorted(ActivityLog.objects.values_list("pk", flat=True)) == sorted([automatic.pk, theirs.pk])


def test_staff_see_and_correct_a_volunteers_hours(client, coordinator, volunteer):
    entry = ActivityLogFactory(person=volunteer.person, hours=8, kind="teaching", related_id="3")
    client.force_login(coordinator)
    page = client.get(reverse("volunteers:staff-activities", args=[volunteer.person.pk]))
    assert (page.context["activities"], str(page.context["hours_total"])) == ([entry], "8.0")
    url = reverse("volunteers:staff-activity-edit", args=[entry.pk])
    for html in (page.content, client.get(url).content):
        parser = html5lib.HTMLParser(strict=True)
        parser.parse(html)
        assert parser.errors == []
    response = client.post(url, {"kind": "teaching", "date": "2026-05-01", "hours": "16", "description": "Two days"})
    assert response["Location"] == reverse("volunteers:staff-activities", args=[volunteer.person.pk])
    entry.refresh_from_db()
    assert (str(entry.hours), entry.date, entry.related_id) == ("16.0", dt.date(2026, 5, 1), "3")
    audit = AuditEvent.objects.get(action="volunteers.activity_corrected")
    assert (audit.data["before"]["hours"], audit.data["after"]["hours"]) == ("8.0", "16.0")
    client.post(url, {"action": "delete"})
    assert ActivityLog.objects.count() == 0


def test_staff_hours_pages_refuse_others(client, volunteer, member):
    entry = ActivityLogFactory(person=member.person)
    client.force_login(volunteer)
    assert client.get(reverse("volunteers:staff-activities", args=[member.person.pk])).status_code == 403
    edit = reverse("volunteers:staff-activity-edit", args=[entry.pk])
    assert client.get(edit).status_code == 403
    assert client.post(edit, {"action": "delete"}).status_code == 403
    assert ActivityLog.objects.count() == 1


@pytest.mark.parametrize("count", [1, 3])
def test_staff_hours_page_query_count(client, coordinator, volunteer, django_assert_num_queries, count):
    for _ in range(count):
        ActivityLogFactory(person=volunteer.person)
    client.force_login(coordinator)
    with django_assert_num_queries(7):
        response = client.get(reverse("volunteers:staff-activities", args=[volunteer.person.pk]))
    assert len(response.context["activities"]) == count
