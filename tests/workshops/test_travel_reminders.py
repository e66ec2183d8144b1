import datetime as dt
from io import StringIO

import pytest
import time_machine
from django.conf import settings
from django.core.management import call_command

from oncoreach.core.models import OutboundEmail
from oncoreach.workshops.services.travel import send_trip_reminders
from tests.factories.accounts import UserFactory
from tests.factories.people import PersonFactory
from tests.factories.workshops import (
    CourseFactory,
    FacultyInvitationFactory,
    FacultySlotFactory,
    RegistrationFactory,
    TravelFactory,
)

pytestmark = [pytest.mark.integration]

START = dt.date(2027, 3, 5)  # the factory course's first day


def _invitation(status="accepted", *, language="en", course=None, **travel):
    person = PersonFactory(user=UserFactory(preferred_language=language), is_volunteer=True)
    slot = FacultySlotFactory(course=course or CourseFactory(start_date=START, end_date=START + dt.timedelta(days=2)))
    invitation = FacultyInvitationFactory(slot=slot, person=person, status=status)
    TravelFactory(invitation=invitation, **travel)
    return invitation


def _keys():
    return sorted(OutboundEmail.objects.values_list("event_key", flat=True))


def test_commands_are_periodic():
    assert "send_trip_reminders" in settings.PERIODIC_COMMANDS
    assert "purge_travel_data" in settings.PERIODIC_COMMANDS


@pytest.mark.parametrize("days", [14, 3])
def test_faculty_reminder_sent_once_on_the_day(db, days):
    invitation = _invitation()
    today = START - dt.timedelta(days=days)
    assert send_trip_reminders(today=today) == 1
    assert send_trip_reminders(today=today) == 0
    assert _keys() == [f"workshops.invitation.{invitation.pk}.trip_reminder.{days}"]


def test_no_reminder_on_other_days(db):
    _invitation()
    for days in (15, 13, 4, 2, 1, 0, -1):
        assert send_trip_reminders(today=START - dt.timedelta(days=days)) == 0
    assert _keys() == []


def test_travel_booked_invitation_is_reminded(db):
    invitation = _invitation("travel_booked", booking_status="booked", itinerary="Arrive 4 March, leave 8 March")
    send_trip_reminders(today=START - dt.timedelta(days=3))
    mail = OutboundEmail.objects.get()
    assert mail.event_key == f"workshops.invitation.{invitation.pk}.trip_reminder.3"
    assert "Travel booking: Booked" in mail.body_text
    assert "Everything for your trip is in place." in mail.body_text


@pytest.mark.parametrize("status", ["declined", "withdrawn", "proposed", "invited", "completed"])
def test_not_travelling_gets_no_reminder(db, status):
    _invitation(status)
    assert send_trip_reminders(today=START - dt.timedelta(days=14)) == 0
    assert _keys() == []


def test_cancelled_course_gets_no_reminder(db):
    course = CourseFactory(start_date=START, end_date=START, status="cancelled")
    _invitation(course=course)
    assert send_trip_reminders(today=START - dt.timedelta(days=14)) == 0


def test_faculty_reminder_lists_what_is_missing(db):
    invitation = _invitation(visa_letter_needed=True)
    send_trip_reminders(today=START - dt.timedelta(days=14))
    mail = OutboundEmail.objects.get()
    assert mail.to == invitation.person.email
    assert mail.subject == f"{invitation.slot.course.title} starts in 14 days: your trip"
    assert "Travel booking: Not started" in mail.body_text
    assert "Your itinerary (arrival and departure) is not entered yet." in mail.body_text
    assert "Your booking is not confirmed yet." in mail.body_text
    assert "visa invitation letter" in mail.body_text
    assert "Kathmandu" in mail.body_text
    assert f"{settings.SITE_URL}/en/workshops/invitations/{invitation.pk}/travel/" in mail.body_text


def test_faculty_reminder_without_travel_row(db):
    person = PersonFactory(user=UserFactory(), is_volunteer=True)
    course = CourseFactory(start_date=START, end_date=START)
    FacultyInvitationFactory(slot=FacultySlotFactory(course=course), person=person, status="accepted")
    send_trip_reminders(today=START - dt.timedelta(days=3))
    assert "Your travel details have not been entered yet." in OutboundEmail.objects.get().body_text


def test_faculty_reminder_in_the_volunteers_language(db):
    invitation = _invitation(language="es")
    send_trip_reminders(today=START - dt.timedelta(days=14))
    mail = OutboundEmail.objects.get()
    assert mail.language == "es"
    assert f"/es/workshops/invitations/{invitation.pk}/travel/" in mail.body_text


def test_participant_reminder_three_days_before_only(db):
    course = CourseFactory(start_date=START, end_date=START)
    registration = RegistrationFactory(course=course, person=PersonFactory(user=UserFactory(preferred_language="es")))
    RegistrationFactory(course=course, status="waitlisted")
    assert send_trip_reminders(today=START - dt.timedelta(days=14)) == 0
    assert send_trip_reminders(today=START - dt.timedelta(days=3)) == 1
    assert send_trip_reminders(today=START - dt.timedelta(days=3)) == 0
    mail = OutboundEmail.objects.get()
    assert mail.event_key == f"workshops.registration.{registration.pk}.trip_reminder.3"
    assert mail.language == "es"
    assert f"/es/workshops/registrations/{registration.pk}/" in mail.body_text


def test_command_runs_every_minute_but_sends_once(db):
    invitation = _invitation()
    out = StringIO()
    with time_machine.travel(dt.datetime(2027, 2, 19, 12, tzinfo=dt.UTC), tick=False):
        call_command("send_trip_reminders", stdout=out)
        call_command("send_trip_reminders", stdout=out)
    assert out.getvalue().splitlines() == ["1 trip reminders queued.", "0 trip reminders queued."]
    assert _keys() == [f"workshops.invitation.{invitation.pk}.trip_reminder.14"]


def test_command_reminder_days_are_configurable(db):
    invitation = _invitation()
    out = StringIO()
    with time_machine.travel(dt.datetime(2027, 2, 26, 12, tzinfo=dt.UTC), tick=False):
        call_command("send_trip_reminders", "--faculty-days", "7", stdout=out)
    assert out.getvalue() == "1 trip reminders queued.\n"
    assert _keys() == [f"workshops.invitation.{invitation.pk}.trip_reminder.7"]
