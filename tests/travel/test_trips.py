import pytest
from django.core.exceptions import ValidationError
from django.urls import reverse

from oncoreach.core.models import AuditEvent
from oncoreach.travel import services
from oncoreach.travel.enums import TripStatus
from oncoreach.travel.models import Trip
from tests.factories.travel import TripFactory

pytestmark = [pytest.mark.integration]


def test_transition_trip_moves_status_and_audits(coordinator):
    trip = TripFactory()
    trip = services.transition_trip(trip=trip, to=TripStatus.BOOKED, actor=coordinator)
    assert trip.status == TripStatus.BOOKED
    event = AuditEvent.objects.get(action="travel.trip_status")
    assert (event.data, event.actor) == ({"previous": "planned", "status": "booked"}, coordinator)


def test_transition_trip_refuses_a_move_not_in_the_table(coordinator):
    trip = TripFactory(status=TripStatus.CANCELLED)
    with pytest.raises(ValidationError) as exc:
        services.transition_trip(trip=trip, to=TripStatus.BOOKED, actor=coordinator)
    assert exc.value.messages == ["A trip cannot go from “Cancelled” to “Booked”."]
    trip.refresh_from_db()
    assert trip.status == TripStatus.CANCELLED
    assert not AuditEvent.objects.filter(action="travel.trip_status").exists()


def test_create_trip_refuses_dates_backwards(coordinator, member):
    trip = TripFactory.build()
    with pytest.raises(ValidationError):
        services.create_trip(
            traveller=member.person,
            purpose="annual_meeting",
            title="Annual Meeting",
            city="Chicago",
            country=None,
            start_date=trip.end_date,
            end_date=trip.start_date,
            actor=coordinator,
        )
    assert not member.person.trips.exists()


def test_trip_page_shows_the_traveller_their_letter_link(client, member):
    trip = TripFactory(traveller=member.person)
    client.force_login(member)
    response = client.get(reverse("travel:trip", kwargs={"pk": trip.pk}))
    assert response.status_code == 200
    assert reverse("travel:visa-letter", kwargs={"pk": trip.pk}) in response.content.decode()
    assert response.context["form"] is None


def test_trip_page_refuses_outsider(client, outsider, member):
    trip = TripFactory(traveller=member.person)
    client.force_login(outsider)
    assert client.get(reverse("travel:trip", kwargs={"pk": trip.pk})).status_code == 404
    assert client.get(reverse("travel:visa-letter", kwargs={"pk": trip.pk})).status_code == 404


def test_traveller_cannot_change_the_status(client, member):
    trip = TripFactory(traveller=member.person)
    client.force_login(member)
    response = client.post(reverse("travel:trip", kwargs={"pk": trip.pk}), {"status": "booked"})
    assert response.status_code == 403
    trip.refresh_from_db()
    assert trip.status == TripStatus.PLANNED


def test_staff_moves_a_trip_from_its_page(client, coordinator):
    trip = TripFactory()
    client.force_login(coordinator)
    response = client.post(reverse("travel:trip", kwargs={"pk": trip.pk}), {"status": "booked"})
    assert response.status_code == 302
    trip.refresh_from_db()
    assert trip.status == TripStatus.BOOKED


def test_visa_letter_is_a_pdf_with_the_passport_name(client, member):
    pytest.importorskip("weasyprint")
    member.person.passport_name = "MINA ZAHRA MEMBER"
    member.person.save()
    trip = TripFactory(traveller=member.person)
    client.force_login(member)
    response = client.get(reverse("travel:visa-letter", kwargs={"pk": trip.pk}))
    assert response.status_code == 200
    assert response["Content-Type"] == "application/pdf"
    assert response.content.startswith(b"%PDF")


def test_no_visa_letter_when_not_needed_or_cancelled(client, member):
    client.force_login(member)
    for trip in (
        TripFactory(traveller=member.person, visa_letter_needed=False),
        TripFactory(traveller=member.person, status=TripStatus.CANCELLED),
    ):
        assert client.get(reverse("travel:visa-letter", kwargs={"pk": trip.pk})).status_code == 404


def test_staff_trips_refuses_non_staff(client, member):
    client.force_login(member)
    assert client.get(reverse("travel:staff-trips")).status_code == 403


@pytest.mark.parametrize("n", [1, 3])
def test_staff_trips_query_count(client, coordinator, django_assert_num_queries, n):
    TripFactory.create_batch(n)
    client.force_login(coordinator)
    with django_assert_num_queries(4):
        response = client.get(reverse("travel:staff-trips"))
    assert len(response.context["trips"]) == n


@pytest.mark.parametrize("n", [1, 3])
def test_staff_trips_shows_faculty_travel_beside_awardee_trips(client, coordinator, django_assert_num_queries, n):
    from tests.factories.workshops import TravelFactory

    awardee = TripFactory(title="Annual Meeting 2027")
    faculty = [TravelFactory(visa_letter_needed=True, booking_status="booked").trip for _ in range(n)]
    client.force_login(coordinator)
    with django_assert_num_queries(4):
        response = client.get(reverse("travel:staff-trips"))
    trips = response.context["trips"]
    assert sorted(trips, key=lambda trip: trip.pk) == [awardee, *faculty]
    assert [trip.get_purpose_display() for trip in trips].count("Workshop faculty") == n
    page = response.content.decode()
    assert all(reverse("travel:trip", kwargs={"pk": trip.pk}) in page for trip in trips)
    assert page.count("Booked") == n


def test_update_trip_changes_the_plan_and_audits_field_names_only(coordinator):
    trip = TripFactory(visa_letter_needed=False)
    trip = services.update_trip(trip=trip, actor=coordinator, visa_letter_needed=True, city="  Chicago ")
    assert (trip.visa_letter_needed, trip.city) == (True, "Chicago")
    assert AuditEvent.objects.get(action="travel.trip_updated").data == {"fields": ["visa_letter_needed"]}


def test_update_trip_refuses_a_finished_trip_and_backwards_dates(coordinator):
    done = TripFactory(status=TripStatus.COMPLETED, visa_letter_needed=False)
    with pytest.raises(ValidationError) as exc:
        services.update_trip(trip=done, actor=coordinator, visa_letter_needed=True)
    assert exc.value.messages == ["A trip that is “Completed” can no longer be changed."]
    ahead = TripFactory()
    with pytest.raises(ValidationError):
        services.update_trip(trip=ahead, actor=coordinator, end_date=ahead.start_date.replace(day=1))
    ahead.refresh_from_db()
    done.refresh_from_db()
    assert (done.visa_letter_needed, ahead.end_date.day) == (False, 3)
    assert not AuditEvent.objects.filter(action="travel.trip_updated").exists()


def test_update_trip_changes_only_the_plan(coordinator):
    with pytest.raises(TypeError):
        services.update_trip(trip=TripFactory(), actor=coordinator, status=TripStatus.BOOKED)


def test_a_planned_trip_may_complete_without_a_booking(coordinator):
    trip = services.transition_trip(trip=TripFactory(), to=TripStatus.COMPLETED, actor=coordinator)
    assert trip.status == TripStatus.COMPLETED


def test_forget_visa_letter_requests_clears_only_the_given_trips(db):
    asked, other = TripFactory(visa_letter_needed=True), TripFactory(visa_letter_needed=True)
    assert services.forget_visa_letter_requests(trip_ids=[asked.pk]) == 1
    assert list(Trip.objects.order_by("pk").values_list("visa_letter_needed", flat=True)) == [False, True]
    assert other.visa_letter_needed
