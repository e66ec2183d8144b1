import datetime as dt
from decimal import Decimal

import pytest
from django.core.exceptions import ValidationError
from django.db import IntegrityError, transaction

from oncoreach.core.models import AuditEvent, OutboundEmail
from oncoreach.volunteers.models import ActivityLog
from oncoreach.workshops import selectors, services
from oncoreach.workshops.models import FacultyInterest, FacultyInvitation, Travel
from tests.factories.people import PersonFactory
from tests.factories.volunteers import VolunteerProfileFactory
from tests.factories.workshops import (
    CourseFactory,
    FacultyInvitationFactory,
    FacultySlotFactory,
    TravelFactory,
)

pytestmark = [pytest.mark.integration]


def _volunteer(**kwargs):
    return VolunteerProfileFactory(**kwargs).person


# --- propose_faculty ---------------------------------------------------------------------------


def test_propose_faculty_creates_proposed_invitation(coordinator):
    slot = FacultySlotFactory()
    person = _volunteer()
    invitation = services.propose_faculty(slot=slot, person=person, actor=coordinator, fit=0.8)
    assert (invitation.status, invitation.fit) == ("proposed", 0.8)
    assert OutboundEmail.objects.count() == 0  # nothing is sent on proposal


def test_propose_faculty_refuses_person_without_volunteer_profile(coordinator):
    with pytest.raises(ValidationError) as exc:
        services.propose_faculty(slot=FacultySlotFactory(), person=PersonFactory(), actor=coordinator)
    assert exc.value.code == "not_volunteer"
    assert FacultyInvitation.objects.count() == 0


def test_propose_faculty_refuses_filled_slot(coordinator):
    filled = FacultyInvitationFactory(status="accepted")
    with pytest.raises(ValidationError) as exc:
        services.propose_faculty(slot=filled.slot, person=_volunteer(), actor=coordinator)
    assert exc.value.messages == ["This slot is already filled."]
    assert list(FacultyInvitation.objects.all()) == [filled]


def test_propose_faculty_refuses_same_person_twice(coordinator):
    declined = FacultyInvitationFactory(status="declined")
    VolunteerProfileFactory(person=declined.person)
    with pytest.raises(ValidationError) as exc:
        services.propose_faculty(slot=declined.slot, person=declined.person, actor=coordinator)
    assert exc.value.code == "duplicate"


def test_propose_faculty_refuses_overlapping_course(coordinator):
    person = _volunteer()
    FacultyInvitationFactory(person=person, status="accepted", slot__course__title="Hue visit")
    other = FacultySlotFactory(course__start_date=dt.date(2027, 3, 7), course__end_date=dt.date(2027, 3, 9))
    with pytest.raises(ValidationError) as exc:
        services.propose_faculty(slot=other, person=person, actor=coordinator)
    assert exc.value.messages == [
        f"{person} already teaches at Hue visit (2027-03-05 – 2027-03-07), which overlaps these dates."
    ]
    assert FacultyInvitation.objects.filter(slot=other).count() == 0


def test_propose_faculty_refuses_closed_course(coordinator):
    slot = FacultySlotFactory(course__status="closed")
    with pytest.raises(ValidationError) as exc:
        services.propose_faculty(slot=slot, person=_volunteer(), actor=coordinator)
    assert exc.value.code == "course_status"


# --- transition_invitation ---------------------------------------------------------------------


def test_invite_queues_one_email_with_signed_link(coordinator):
    invitation = FacultyInvitationFactory(person=_volunteer())
    services.send_invitations(course=invitation.slot.course, actor=coordinator)
    services.send_invitations(course=invitation.slot.course, actor=coordinator)  # nothing left to send
    invitation.refresh_from_db()
    assert invitation.status == "invited"
    assert invitation.invited_at is not None
    mail = OutboundEmail.objects.get()
    assert mail.to == invitation.person.email
    assert "/en/workshops/invitations/answer/" in mail.body_text


def test_accept_fills_slot_creates_travel_and_confirms(coordinator):
    invitation = FacultyInvitationFactory(status="invited")
    services.respond_to_invitation(invitation=invitation, accept=True, actor=None)
    invitation.refresh_from_db()
    assert invitation.status == "accepted"
    assert invitation.responded_at is not None
    assert Travel.objects.filter(invitation=invitation).count() == 1
    assert OutboundEmail.objects.get().event_key == f"workshops.invitation.{invitation.pk}.accepted"


def test_accept_refuses_slot_filled_twice(coordinator):
    winner = FacultyInvitationFactory(status="accepted")
    loser = FacultyInvitationFactory(slot=winner.slot, status="invited")
    with pytest.raises(ValidationError) as exc:
        services.respond_to_invitation(invitation=loser, accept=True, actor=None)
    assert exc.value.code == "slot_filled"
    loser.refresh_from_db()
    assert loser.status == "invited"


def test_database_refuses_two_filling_invitations_for_one_slot(db):
    winner = FacultyInvitationFactory(status="accepted")
    with pytest.raises(IntegrityError), transaction.atomic():
        FacultyInvitationFactory(slot=winner.slot, status="travel_booked")


def test_accept_refuses_overlapping_course(coordinator):
    person = _volunteer()
    FacultyInvitationFactory(person=person, status="travel_booked")
    other = FacultyInvitationFactory(
        person=person,
        status="invited",
        slot__course__start_date=dt.date(2027, 3, 6),
        slot__course__end_date=dt.date(2027, 3, 8),
    )
    with pytest.raises(ValidationError) as exc:
        services.respond_to_invitation(invitation=other, accept=True, actor=None)
    assert exc.value.code == "faculty_overlap"
    other.refresh_from_db()
    assert other.status == "invited"


def test_decline_keeps_reason_reopens_slot_and_tells_staff(coordinator, settings):
    settings.STAFF_NOTIFICATION_EMAILS = ["staff@example.org"]
    invitation = FacultyInvitationFactory(status="invited")
    services.respond_to_invitation(invitation=invitation, accept=False, actor=None, reason="  Surgery list that week ")
    invitation.refresh_from_db()
    assert (invitation.status, invitation.decline_reason) == ("declined", "Surgery list that week")
    assert selectors.slot_is_filled(slot=invitation.slot) is False
    assert sorted(OutboundEmail.objects.values_list("to", flat=True)) == [
        "coordinator@example.org",
        "staff@example.org",
    ]
    assert AuditEvent.objects.get(action="workshops.invitation_transition").data["reason"] == "Surgery list that week"


def test_accepted_volunteer_can_still_decline(coordinator):
    invitation = FacultyInvitationFactory(status="accepted")
    services.respond_to_invitation(invitation=invitation, accept=False, actor=None, reason="ill")
    invitation.refresh_from_db()
    assert invitation.status == "declined"


@pytest.mark.parametrize(
    ("start", "to"),
    [
        ("proposed", "accepted"),
        ("proposed", "completed"),
        ("invited", "travel_booked"),
        ("invited", "proposed"),
        ("declined", "accepted"),
        ("completed", "declined"),
        ("withdrawn", "invited"),
        ("accepted", "invited"),
        ("invited", "nonsense"),
    ],
)
def test_transition_invitation_refused(coordinator, start, to):
    invitation = FacultyInvitationFactory(status=start)
    with pytest.raises(ValidationError) as exc:
        services.transition_invitation(invitation=invitation, to=to, actor=coordinator)
    assert exc.value.code == "invitation_transition"
    invitation.refresh_from_db()
    assert invitation.status == start
    assert AuditEvent.objects.count() == 0


@pytest.mark.parametrize(
    ("start", "to"),
    [("proposed", "invited"), ("proposed", "withdrawn"), ("invited", "withdrawn"), ("accepted", "withdrawn")],
)
def test_transition_invitation_allowed(coordinator, start, to):
    invitation = FacultyInvitationFactory(status=start)
    services.transition_invitation(invitation=invitation, to=to, actor=coordinator)
    invitation.refresh_from_db()
    assert invitation.status == to
    assert AuditEvent.objects.get(action="workshops.invitation_transition").data["new"] == to


def test_invite_refuses_cancelled_course(coordinator):
    invitation = FacultyInvitationFactory(slot__course__status="cancelled")
    with pytest.raises(ValidationError) as exc:
        services.transition_invitation(invitation=invitation, to="invited", actor=coordinator)
    assert exc.value.code == "course_status"


def test_travel_booked_needs_booked_travel(coordinator):
    invitation = FacultyInvitationFactory(status="accepted")
    with pytest.raises(ValidationError) as exc:
        services.transition_invitation(invitation=invitation, to="travel_booked", actor=coordinator)
    assert exc.value.code == "travel_not_booked"


def test_complete_refuses_before_course_held(coordinator):
    invitation = FacultyInvitationFactory(status="travel_booked")
    with pytest.raises(ValidationError) as exc:
        services.transition_invitation(invitation=invitation, to="completed", actor=coordinator)
    assert exc.value.code == "not_held"
    assert ActivityLog.objects.count() == 0


def test_complete_after_held_logs_hours(coordinator):
    invitation = FacultyInvitationFactory(status="accepted", slot__course__status="held")
    services.transition_invitation(invitation=invitation, to="completed", actor=coordinator)
    assert ActivityLog.objects.get().hours == Decimal("24.0")


# --- express_interest and travel ----------------------------------------------------------------


def test_express_interest_is_idempotent(volunteer):
    VolunteerProfileFactory(person=volunteer.person)
    slot = FacultySlotFactory()
    first = services.express_interest(slot=slot, person=volunteer.person, actor=volunteer)
    second = services.express_interest(slot=slot, person=volunteer.person, actor=volunteer)
    assert first == second
    assert FacultyInterest.objects.count() == 1


def test_express_interest_refuses_non_faculty(volunteer):
    VolunteerProfileFactory(person=volunteer.person, roles=["mentor"])
    with pytest.raises(ValidationError) as exc:
        services.express_interest(slot=FacultySlotFactory(), person=volunteer.person, actor=volunteer)
    assert exc.value.code == "not_faculty"


def test_express_interest_refuses_filled_slot(volunteer):
    VolunteerProfileFactory(person=volunteer.person)
    filled = FacultyInvitationFactory(status="accepted")
    with pytest.raises(ValidationError) as exc:
        services.express_interest(slot=filled.slot, person=volunteer.person, actor=volunteer)
    assert exc.value.code == "slot_filled"


def test_express_interest_refuses_cancelled_course(volunteer):
    VolunteerProfileFactory(person=volunteer.person)
    with pytest.raises(ValidationError) as exc:
        services.express_interest(
            slot=FacultySlotFactory(course=CourseFactory(status="cancelled")), person=volunteer.person, actor=volunteer
        )
    assert exc.value.code == "course_status"


def _travel_data(**overrides):
    data = {
        "itinerary": "LHR → KTM",
        "visa_letter_needed": True,
        "booking_status": "booked",
        "per_diem": Decimal("60"),
        "per_diem_currency": "usd",
        "reimbursement_status": "none",
    }
    data.update(overrides)
    return data


def test_save_travel_booked_moves_invitation_to_travel_booked(coordinator):
    travel = TravelFactory()
    services.save_travel(invitation=travel.invitation, actor=coordinator, **_travel_data())
    travel.refresh_from_db()
    travel.invitation.refresh_from_db()
    assert (travel.itinerary, travel.per_diem_currency, travel.invitation.status) == (
        "LHR → KTM",
        "USD",
        "travel_booked",
    )
    assert "LHR" not in str(AuditEvent.objects.get(action="workshops.travel_saved").data)


def test_save_travel_requested_keeps_invitation_accepted(coordinator):
    travel = TravelFactory()
    services.save_travel(invitation=travel.invitation, actor=coordinator, **_travel_data(booking_status="requested"))
    travel.invitation.refresh_from_db()
    assert travel.invitation.status == "accepted"


def test_save_travel_refuses_before_acceptance(coordinator):
    invitation = FacultyInvitationFactory(status="invited")
    with pytest.raises(ValidationError) as exc:
        services.save_travel(invitation=invitation, actor=coordinator, **_travel_data())
    assert exc.value.code == "not_accepted"
    assert Travel.objects.count() == 0


def test_save_travel_refuses_negative_per_diem(coordinator):
    travel = TravelFactory()
    with pytest.raises(ValidationError):
        services.save_travel(invitation=travel.invitation, actor=coordinator, **_travel_data(per_diem=Decimal("-1")))
    travel.refresh_from_db()
    assert travel.per_diem == Decimal("0")


def test_respond_by_link_refuses_an_invitation_already_answered(coordinator):
    invitation = FacultyInvitationFactory(status="invited")
    services.respond_to_invitation(invitation=invitation, accept=True, actor=None, by_link=True)

    with pytest.raises(ValidationError) as excinfo:
        services.respond_to_invitation(invitation=invitation, accept=False, actor=None, reason="No", by_link=True)

    invitation.refresh_from_db()
    assert (excinfo.value.code, invitation.status, invitation.decline_reason) == ("link_used", "accepted", "")
