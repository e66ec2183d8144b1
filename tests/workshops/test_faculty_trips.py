"""Faculty travel on the shared travel.Trip: workshops' services write the trip through
travel.services, the trip follows its invitation and course, and the trip's pages serve it."""

import datetime as dt
import io
from decimal import Decimal

import pytest
from django.core.exceptions import ValidationError
from django.urls import reverse

from oncoreach.core.models import AuditEvent
from oncoreach.travel.models import Trip
from oncoreach.workshops import services
from oncoreach.workshops.models import Travel
from tests.factories.workshops import CourseFactory, FacultyInvitationFactory, TravelFactory

pytestmark = [pytest.mark.integration]


def _save(travel, actor, **changes):
    data = {
        "itinerary": "",
        "visa_letter_needed": False,
        "booking_status": "not_started",
        "per_diem": Decimal("60"),
        "per_diem_currency": "USD",
        "reimbursement_status": "none",
        **changes,
    }
    return services.save_travel(invitation=travel.invitation, actor=actor, **data)


def test_accepting_an_invitation_makes_its_faculty_trip(volunteer):
    invitation = FacultyInvitationFactory(person=volunteer.person, status="invited")
    course = invitation.slot.course
    services.respond_to_invitation(invitation=invitation, accept=True, actor=volunteer)
    trip = Travel.objects.select_related("trip").get(invitation=invitation).trip
    assert (trip.traveller, trip.purpose, trip.title, trip.city, trip.country, trip.start_date, trip.end_date) == (
        volunteer.person,
        "workshop_faculty",
        course.title,
        course.city,
        course.country,
        course.start_date,
        course.end_date,
    )
    assert (trip.status, trip.visa_letter_needed) == ("planned", False)
    assert AuditEvent.objects.filter(action="travel.trip_created", target_id=str(trip.pk)).count() == 1


def test_save_travel_books_the_trip_through_transition_trip(coordinator):
    travel = TravelFactory()
    _save(travel, coordinator, booking_status="booked", visa_letter_needed=True)
    trip = Trip.objects.get(pk=travel.trip_id)
    assert (trip.status, trip.visa_letter_needed) == ("booked", True)
    moves = AuditEvent.objects.filter(action="travel.trip_status", target_id=str(trip.pk))
    assert [event.data for event in moves] == [{"previous": "planned", "status": "booked"}]
    assert AuditEvent.objects.get(action="travel.trip_updated").data == {"fields": ["visa_letter_needed"]}


def test_a_requested_booking_keeps_the_trip_planned(coordinator):
    travel = TravelFactory(booking_status="booked", invitation__status="travel_booked")
    _save(travel, coordinator, booking_status="requested")
    travel.refresh_from_db()
    assert (travel.booking_status, travel.trip.status) == ("requested", "planned")


def test_save_travel_cannot_book_a_cancelled_trip_and_changes_nothing(coordinator):
    travel = TravelFactory(booking_status="cancelled", itinerary="old")
    with pytest.raises(ValidationError) as exc:
        _save(travel, coordinator, booking_status="booked", itinerary="new", per_diem=Decimal("99"))
    assert exc.value.messages == ["A trip cannot go from “Cancelled” to “Booked”."]
    travel.refresh_from_db()
    assert (travel.itinerary, travel.booking_status, travel.per_diem, travel.trip.status) == (
        "old",
        "cancelled",
        Decimal("0"),
        "cancelled",
    )
    assert travel.invitation.status == "accepted"


def test_reimbursing_after_the_course_keeps_the_trip_completed(coordinator):
    course = CourseFactory(start_date=dt.date(2026, 11, 1), end_date=dt.date(2026, 11, 3), status="closed")
    travel = TravelFactory(invitation__slot__course=course, invitation__status="completed", booking_status="booked")
    _save(travel, coordinator, booking_status="booked", reimbursement_status="paid")
    travel.refresh_from_db()
    assert (travel.reimbursement_status, travel.trip.status) == ("paid", "completed")


def test_declining_an_accepted_invitation_cancels_its_trip(volunteer):
    travel = TravelFactory(invitation__person=volunteer.person, visa_letter_needed=True)
    services.respond_to_invitation(invitation=travel.invitation, accept=False, actor=volunteer, reason="Ill")
    travel.trip.refresh_from_db()
    assert travel.trip.status == "cancelled"


def test_cancelling_a_course_cancels_its_faculty_trips_and_their_letters(client, coordinator, volunteer):
    travel = TravelFactory(
        invitation__person=volunteer.person,
        invitation__status="travel_booked",
        booking_status="booked",
        visa_letter_needed=True,
    )
    other = TravelFactory(booking_status="booked")
    services.cancel_course(course=travel.invitation.slot.course, actor=coordinator, reason="Strike")
    assert Trip.objects.get(pk=travel.trip_id).status == "cancelled"
    assert Trip.objects.get(pk=other.trip_id).status == "booked"  # another course: untouched
    client.force_login(volunteer)
    assert client.get(reverse("travel:visa-letter", kwargs={"pk": travel.trip_id})).status_code == 404


def test_closing_a_held_course_completes_its_faculty_trips(coordinator):
    course = CourseFactory(start_date=dt.date(2026, 11, 1), end_date=dt.date(2026, 11, 3), status="held")
    booked = TravelFactory(invitation__slot__course=course, invitation__status="travel_booked", booking_status="booked")
    local = TravelFactory(invitation__slot__course=course)
    services.transition_course(course=course, to="closed", actor=coordinator)
    assert list(Trip.objects.filter(pk__in=[booked.trip_id, local.trip_id]).values_list("status", flat=True)) == [
        "completed",
        "completed",
    ]


def test_rescheduling_a_course_moves_its_trips_still_ahead(coordinator):
    travel = TravelFactory(booking_status="booked", invitation__status="travel_booked")
    course = travel.invitation.slot.course
    services.update_course_schedule(
        course=course, actor=coordinator, start_date=dt.date(2027, 4, 6), end_date=dt.date(2027, 4, 8), capacity=40
    )
    travel.trip.refresh_from_db()
    assert (travel.trip.start_date, travel.trip.end_date, travel.trip.status) == (
        dt.date(2027, 4, 6),
        dt.date(2027, 4, 8),
        "booked",
    )


def test_staff_manage_a_faculty_trip_on_the_workshops_travel_page(client, coordinator):
    travel = TravelFactory()
    client.force_login(coordinator)
    url = reverse("travel:trip", kwargs={"pk": travel.trip_id})
    response = client.get(url)
    travel_page = reverse("workshops:travel-detail", kwargs={"pk": travel.invitation_id})
    assert (response.status_code, response.context["form"], response.context["managed_at"]) == (200, None, travel_page)
    assert travel_page in response.content.decode()
    assert client.post(url, {"status": "booked"}).status_code == 403
    assert Trip.objects.get(pk=travel.trip_id).status == "planned"


def test_the_traveller_reaches_the_travel_page_from_the_trip(client, volunteer):
    travel = TravelFactory(invitation__person=volunteer.person, visa_letter_needed=True)
    client.force_login(volunteer)
    response = client.get(reverse("travel:trip", kwargs={"pk": travel.trip_id}))
    page = response.content.decode()
    assert reverse("workshops:travel-detail", kwargs={"pk": travel.invitation_id}) in page
    assert reverse("travel:visa-letter", kwargs={"pk": travel.trip_id}) in page
    assert response.context["form"] is None


def test_faculty_trip_page_refuses_an_outsider(client, outsider):
    travel = TravelFactory(visa_letter_needed=True)
    client.force_login(outsider)
    assert client.get(reverse("travel:trip", kwargs={"pk": travel.trip_id})).status_code == 404
    assert client.get(reverse("travel:visa-letter", kwargs={"pk": travel.trip_id})).status_code == 404


def test_faculty_trip_letter_keeps_the_faculty_wording(client, volunteer):
    pytest.importorskip("weasyprint")
    pypdf = pytest.importorskip("pypdf")
    travel = TravelFactory(invitation__person=volunteer.person, visa_letter_needed=True)
    client.force_login(volunteer)
    response = client.get(reverse("travel:visa-letter", kwargs={"pk": travel.trip_id}))
    assert (response.status_code, response["Content-Type"]) == (200, "application/pdf")
    text = " ".join(page.extract_text() for page in pypdf.PdfReader(io.BytesIO(response.content)).pages)
    assert f"FI-{travel.invitation_id}" in text
    assert "invited to teach as a volunteer" in " ".join(text.split())


def test_purging_a_course_forgets_its_trips_visa_requests(coordinator):
    course = CourseFactory(start_date=dt.date(2026, 3, 2), end_date=dt.date(2026, 3, 4), status="closed")
    travel = TravelFactory(
        invitation__slot__course=course, invitation__status="completed", visa_letter_needed=True, itinerary="QR 650"
    )
    plans = services.purge_travel_data(today=dt.date(2026, 11, 26))
    assert [plan.course for plan in plans] == [course]
    trip = Trip.objects.get(pk=travel.trip_id)
    assert (trip.visa_letter_needed, trip.status, Travel.objects.get(pk=travel.pk).itinerary) == (
        False,
        "completed",
        "",
    )
