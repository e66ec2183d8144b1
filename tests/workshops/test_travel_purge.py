import datetime as dt
from decimal import Decimal
from io import StringIO

import pytest
import time_machine
from django.core.management import call_command

from oncoreach.core.models import AuditEvent
from oncoreach.programs.models import Answer
from oncoreach.workshops import services
from oncoreach.workshops.models import Travel
from oncoreach.workshops.services.travel import purge_travel_data, travel_purge_plans
from tests.factories.people import PersonFactory
from tests.factories.workshops import (
    CourseFactory,
    FacultyInvitationFactory,
    FacultySlotFactory,
    RegistrationFactory,
    TravelFactory,
)

pytestmark = [pytest.mark.integration]

END = dt.date(2026, 6, 3)
DUE = END + dt.timedelta(days=91)  # the first day the course is past the 90-day retention


@pytest.fixture
def course(db):
    return CourseFactory(start_date=dt.date(2026, 6, 1), end_date=END, status="closed", slug="kathmandu-2026")


@pytest.fixture
def travel(course):
    invitation = FacultyInvitationFactory(slot=FacultySlotFactory(course=course), status="completed")
    return TravelFactory(
        invitation=invitation,
        itinerary="KTM arrive 31 May QR 652, passport N1234567",
        visa_letter_needed=True,
        booking_status="booked",
        per_diem=Decimal("85.00"),
        per_diem_currency="EUR",
        reimbursement_status="paid",
    )


@pytest.fixture
def follow_up(course):
    registration = RegistrationFactory(course=course, status="attended")
    form = services.default_follow_up_form()
    values = {question.field_name: "Arrive 31 May by bus" for question in form.questions.all()}
    registration.status = "accepted"
    services.save_follow_up(registration=registration, values=values, actor=None)
    registration.status = "attended"
    registration.save(update_fields=["status"])
    registration.refresh_from_db()
    return registration


def _fields(travel):
    travel = Travel.objects.get(pk=travel.pk)
    return (
        travel.itinerary,
        travel.trip.visa_letter_needed,
        travel.booking_status,
        travel.per_diem,
        travel.per_diem_currency,
        travel.reimbursement_status,
    )


def test_purge_clears_personal_fields_and_keeps_report_facts(travel, follow_up):
    plans = purge_travel_data(today=DUE)
    assert [(plan.course.slug, len(plan.travels), plan.follow_up_answers) for plan in plans] == [
        ("kathmandu-2026", 1, 2)
    ]
    assert _fields(travel) == ("", False, "booked", Decimal("85.00"), "EUR", "paid")
    assert Answer.objects.filter(response_set=follow_up.follow_up).count() == 0
    follow_up.refresh_from_db()
    assert follow_up.status == "attended"
    assert follow_up.follow_up is not None


def test_one_audit_row_per_course_without_personal_data(travel, follow_up):
    purge_travel_data(today=DUE)
    audit = AuditEvent.objects.get(action="workshops.travel_data_purged")
    assert audit.target_id == str(travel.invitation.slot.course.pk)
    assert audit.data == {"travels": 1, "follow_up_answers": 2, "retention_days": 90}


def test_nothing_purged_within_retention(travel, follow_up):
    assert purge_travel_data(today=DUE - dt.timedelta(days=1)) == []
    assert _fields(travel) == (
        "KTM arrive 31 May QR 652, passport N1234567",
        True,
        "booked",
        Decimal("85.00"),
        "EUR",
        "paid",
    )
    assert Answer.objects.filter(response_set=follow_up.follow_up).count() == 2
    assert AuditEvent.objects.filter(action="workshops.travel_data_purged").count() == 0


def test_upcoming_course_is_untouched(db):
    upcoming = TravelFactory(itinerary="Arrive 4 March", visa_letter_needed=True)
    assert purge_travel_data(today=DUE) == []
    assert Travel.objects.get(pk=upcoming.pk).itinerary == "Arrive 4 March"


def test_purge_is_idempotent(travel, follow_up):
    assert len(purge_travel_data(today=DUE)) == 1
    assert purge_travel_data(today=DUE) == []
    assert AuditEvent.objects.filter(action="workshops.travel_data_purged").count() == 1


def test_retention_follows_the_setting(travel, settings):
    settings.TRAVEL_DATA_RETENTION_DAYS = 10
    assert [plan.course.pk for plan in travel_purge_plans(today=END + dt.timedelta(days=11))] == [
        travel.invitation.slot.course.pk
    ]
    assert travel_purge_plans(today=END + dt.timedelta(days=10)) == []


def test_dry_run_prints_and_changes_nothing(travel, follow_up):
    out = StringIO()
    with time_machine.travel(dt.datetime(2026, 9, 2, 12, tzinfo=dt.UTC), tick=False):
        call_command("purge_travel_data", "--dry-run", stdout=out)
    assert out.getvalue().splitlines() == [
        "kathmandu-2026 (ended 2026-06-03): would clear 1 travel records, 2 follow-up answers",
        "1 courses past 90 days would clear.",
    ]
    assert _fields(travel)[:2] == ("KTM arrive 31 May QR 652, passport N1234567", True)
    assert Answer.objects.filter(response_set=follow_up.follow_up).count() == 2
    assert AuditEvent.objects.filter(action="workshops.travel_data_purged").count() == 0


def test_command_purges_once(travel):
    out = StringIO()
    with time_machine.travel(dt.datetime(2026, 9, 2, 12, tzinfo=dt.UTC), tick=False):
        call_command("purge_travel_data", stdout=out)
        call_command("purge_travel_data", stdout=out)
    assert out.getvalue().splitlines() == [
        "kathmandu-2026 (ended 2026-06-03): cleared 1 travel records, 0 follow-up answers",
        "1 courses past 90 days cleared.",
        "0 courses past 90 days cleared.",
    ]
    assert _fields(travel)[:2] == ("", False)


def test_person_is_kept(travel):
    person_pk = travel.invitation.person.pk
    purge_travel_data(today=DUE)
    assert PersonFactory._meta.model.objects.filter(pk=person_pk).count() == 1
