"""The data migration that gives every faculty travel record its travel.Trip (0004_faculty_trips),
forward and back with real rows (docs/decisions.md §21)."""

import datetime as dt

import pytest

from tests.factories.travel import TripFactory
from tests.factories.workshops import CourseFactory, FacultyInvitationFactory, FacultySlotFactory
from tests.migrating import latest, migrate_to

pytestmark = [pytest.mark.integration, pytest.mark.django_db(transaction=True, serialized_rollback=True)]

BEFORE = [("workshops", "0003_travel_trip")]
AFTER = [("workshops", "0005_travel_trip_required")]


def test_every_faculty_travel_gets_its_trip_and_goes_back(initial_data):
    course = CourseFactory(title="MCMC Kathmandu", city="Kathmandu")
    held = CourseFactory(
        title="MCMC Lima", city="Lima", start_date=dt.date(2026, 3, 2), end_date=dt.date(2026, 3, 4), status="closed"
    )

    def invitation(status, on=course):
        return FacultyInvitationFactory(slot=FacultySlotFactory(course=on), status=status)

    requested = invitation("accepted")
    booked = invitation("travel_booked")
    taught = invitation("completed", on=held)
    withdrawn = invitation("withdrawn")
    no_record = invitation("accepted")
    only_invited = invitation("invited")
    awardee_trip = TripFactory(title="Annual Meeting 2027")
    try:
        old = migrate_to(BEFORE)
        travel = old.get_model("workshops", "Travel")
        rows = {
            requested.pk: ("requested", True),
            booked.pk: ("booked", False),
            taught.pk: ("booked", True),
            withdrawn.pk: ("booked", True),
        }
        for invitation_pk, (booking, visa) in rows.items():
            travel.objects.create(
                invitation_id=invitation_pk,
                booking_status=booking,
                visa_letter_needed=visa,
                itinerary="QR 650",
                per_diem="60.00",
                per_diem_currency="EUR",
                reimbursement_status="claimed",
            )

        new = migrate_to(AFTER)
        travels = new.get_model("workshops", "Travel").objects.select_related("trip", "invitation")
        trips = {
            t.invitation_id: (
                t.trip.traveller_id,
                t.trip.purpose,
                t.trip.title,
                t.trip.city,
                t.trip.country_id,
                t.trip.start_date,
                t.trip.status,
                t.trip.visa_letter_needed,
            )
            for t in travels
        }
        assert trips == {
            requested.pk: (requested.person_id, "workshop_faculty", "MCMC Kathmandu", "Kathmandu", course.country_id,
                           course.start_date, "planned", True),
            booked.pk: (booked.person_id, "workshop_faculty", "MCMC Kathmandu", "Kathmandu", course.country_id,
                        course.start_date, "booked", False),
            taught.pk: (taught.person_id, "workshop_faculty", "MCMC Lima", "Lima", held.country_id,
                        held.start_date, "completed", True),
            withdrawn.pk: (withdrawn.person_id, "workshop_faculty", "MCMC Kathmandu", "Kathmandu", course.country_id,
                           course.start_date, "cancelled", True),
            no_record.pk: (no_record.person_id, "workshop_faculty", "MCMC Kathmandu", "Kathmandu", course.country_id,
                           course.start_date, "planned", False),
        }  # fmt: skip
        kept = travels.get(invitation_id=requested.pk)
        assert (kept.booking_status, kept.itinerary, str(kept.per_diem), kept.per_diem_currency) == (
            "requested",
            "QR 650",
            "60.00",
            "EUR",
        )
        assert only_invited.pk not in trips
        assert new.get_model("travel", "Trip").objects.count() == 6  # five faculty trips and the awardee's

        back = migrate_to(BEFORE)
        restored = back.get_model("workshops", "Travel").objects.order_by("invitation_id")
        assert {t.invitation_id: (t.booking_status, t.visa_letter_needed, t.trip_id) for t in restored} == {
            requested.pk: ("requested", True, None),
            booked.pk: ("booked", False, None),
            taught.pk: ("booked", True, None),
            withdrawn.pk: ("booked", True, None),
            no_record.pk: ("not_started", False, None),
        }
        assert list(back.get_model("travel", "Trip").objects.values_list("pk", flat=True)) == [awardee_trip.pk]
    finally:
        migrate_to(latest())
