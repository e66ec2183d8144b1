import datetime as dt

import pytest
from django.core import mail
from django.core.exceptions import ValidationError

from oncoreach.awards import services
from oncoreach.awards.models import InterviewBooking, InterviewSlot
from oncoreach.core.models import OutboundEmail
from tests.awards.conftest import NOW
from tests.factories.awards import InterviewBookingFactory, InterviewSlotFactory
from tests.factories.calls import ApplicationFactory
from tests.factories.people import PersonFactory

pytestmark = [pytest.mark.integration]


def _mails():
    return list(OutboundEmail.objects.order_by("id").values_list("to", "subject"))


def test_offer_slot_by_a_panel_member(call, interviewer_user):
    slot = services.offer_slot(
        call=call,
        interviewer=interviewer_user.person,
        starts_at=NOW + dt.timedelta(days=1),
        duration_minutes=45,
        video_link="https://video.example.org/x",
        actor=interviewer_user,
    )
    assert (slot.interviewer, slot.duration_minutes) == (interviewer_user.person, 45)


@pytest.mark.parametrize(
    ("kwargs", "code"),
    [
        ({"starts_at": NOW - dt.timedelta(minutes=1)}, "slot_in_past"),
        ({"duration_minutes": 2}, "bad_duration"),
        ({"video_link": "", "place": ""}, "no_place"),
    ],
)
def test_offer_slot_refuses_bad_input(call, interviewer_user, kwargs, code):
    values = {
        "starts_at": NOW + dt.timedelta(days=1),
        "duration_minutes": 30,
        "video_link": "https://video.example.org/x",
        **kwargs,
    }
    with pytest.raises(ValidationError) as exc:
        services.offer_slot(call=call, interviewer=interviewer_user.person, actor=interviewer_user, **values)
    assert exc.value.code == code
    assert InterviewSlot.objects.count() == 0


def test_offer_slot_refuses_someone_not_on_the_panel(call, outsider):
    with pytest.raises(ValidationError) as exc:
        services.offer_slot(
            call=call,
            interviewer=outsider.person,
            starts_at=NOW + dt.timedelta(days=1),
            duration_minutes=30,
            place="Room 4",
            actor=outsider,
        )
    assert exc.value.code == "not_interviewer"


def test_book_slot_mails_both_sides_in_their_own_zone(applicant_user, interviewer_user, slot):
    booking = services.book_slot(application=applicant_user.application, slot=slot, actor=applicant_user)

    assert booking.status == "booked"
    bodies = dict(OutboundEmail.objects.values_list("to", "body_text"))
    # 15:00 in Nairobi (UTC+3) and 07:00 in New York (UTC-5) for a slot at 12:00 UTC.
    assert "3 p.m. (Africa/Nairobi, UTC+0300)" in bodies[applicant_user.person.email]
    assert "7 a.m. (America/New_York, UTC-0500)" in bodies[interviewer_user.person.email]


def test_book_slot_shows_daylight_saving_of_the_day_itself(applicant_user, interviewer_user, call):
    # 1 July: New York is on summer time (UTC-4).
    summer = InterviewSlotFactory(
        call=call, interviewer=interviewer_user.person, starts_at=dt.datetime(2027, 7, 1, 12, tzinfo=dt.UTC)
    )
    services.book_slot(application=applicant_user.application, slot=summer, actor=applicant_user)
    body = OutboundEmail.objects.get(to=interviewer_user.person.email).body_text
    assert "8 a.m. (America/New_York, UTC-0400)" in body


def test_book_slot_refuses_a_taken_slot(applicant_user, slot, call):
    other = ApplicationFactory(call=call, status="shortlisted")
    services.book_slot(application=other, slot=slot, actor=None)

    with pytest.raises(ValidationError) as exc:
        services.book_slot(application=applicant_user.application, slot=slot, actor=applicant_user)
    assert exc.value.code == "slot_taken"
    assert exc.value.messages == ["This slot was just taken by another applicant. Please choose another time."]
    assert list(InterviewBooking.objects.values_list("application", flat=True)) == [other.pk]


def test_the_database_refuses_two_live_bookings_of_one_slot(slot, call):
    from django.db import IntegrityError, transaction

    InterviewBookingFactory(slot=slot)
    with pytest.raises(IntegrityError), transaction.atomic():
        InterviewBookingFactory(slot=slot)


@pytest.mark.parametrize("status", ["submitted", "under_review", "rejected", "accepted"])
def test_book_slot_refuses_an_application_not_shortlisted(applicant_user, slot, status):
    application = applicant_user.application
    application.status = status
    application.save()
    with pytest.raises(ValidationError) as exc:
        services.book_slot(application=application, slot=slot, actor=applicant_user)
    assert exc.value.code == "not_shortlisted"
    assert InterviewBooking.objects.count() == 0


def test_book_slot_refuses_a_second_booking(applicant_user, slot, call, interviewer_user):
    services.book_slot(application=applicant_user.application, slot=slot, actor=applicant_user)
    other = InterviewSlotFactory(call=call, interviewer=interviewer_user.person)
    with pytest.raises(ValidationError) as exc:
        services.book_slot(application=applicant_user.application, slot=other, actor=applicant_user)
    assert exc.value.code == "already_booked"


def test_book_slot_refuses_a_slot_of_another_call_or_past_or_withdrawn(applicant_user, interviewer_user, slot):
    foreign = InterviewSlotFactory(interviewer=interviewer_user.person)
    past = InterviewSlotFactory(call=slot.call, interviewer=interviewer_user.person, starts_at=NOW)
    withdrawn = InterviewSlotFactory(call=slot.call, interviewer=interviewer_user.person, is_withdrawn=True)
    codes = []
    for target in (foreign, past, withdrawn):
        with pytest.raises(ValidationError) as exc:
            services.book_slot(application=applicant_user.application, slot=target, actor=applicant_user)
        codes.append(exc.value.code)
    assert codes == ["other_call", "slot_in_past", "slot_withdrawn"]


def test_reschedule_frees_the_old_slot_only_when_the_new_one_is_won(applicant_user, slot, call, interviewer_user):
    booking = services.book_slot(application=applicant_user.application, slot=slot, actor=applicant_user)
    taken = InterviewSlotFactory(call=call, interviewer=interviewer_user.person)
    services.book_slot(application=ApplicationFactory(call=call, status="shortlisted"), slot=taken, actor=None)

    with pytest.raises(ValidationError):
        services.reschedule_booking(booking=booking, slot=taken, actor=applicant_user)
    booking.refresh_from_db()
    assert booking.status == "booked"

    free = InterviewSlotFactory(call=call, interviewer=interviewer_user.person)
    new = services.reschedule_booking(booking=booking, slot=free, actor=applicant_user)
    booking.refresh_from_db()
    assert (booking.status, new.slot, new.status) == ("cancelled", free, "booked")


def test_cancel_booking_frees_the_slot_and_tells_both(applicant_user, slot, call):
    booking = services.book_slot(application=applicant_user.application, slot=slot, actor=applicant_user)
    services.cancel_booking(booking=booking, actor=applicant_user)
    with pytest.raises(ValidationError):
        services.cancel_booking(booking=booking, actor=applicant_user)
    again = services.book_slot(application=ApplicationFactory(call=call, status="shortlisted"), slot=slot, actor=None)
    assert again.status == "booked"
    assert [subject for _to, subject in _mails()].count("Interview cancelled: IDEA 2027") == 2


def test_withdraw_slot_cancels_its_booking(applicant_user, slot):
    booking = services.book_slot(application=applicant_user.application, slot=slot, actor=applicant_user)
    services.withdraw_slot(slot=slot, actor=None)
    booking.refresh_from_db()
    assert booking.status == "cancelled"
    with pytest.raises(ValidationError):
        services.withdraw_slot(slot=slot, actor=None)


def test_reminders_go_once_a_day_before(
    applicant_user, slot, call, interviewer_user, django_capture_on_commit_callbacks
):
    services.book_slot(application=applicant_user.application, slot=slot, actor=applicant_user)
    later = InterviewSlotFactory(call=call, interviewer=interviewer_user.person, starts_at=NOW + dt.timedelta(days=5))
    services.book_slot(application=ApplicationFactory(call=call, status="shortlisted"), slot=later, actor=None)

    assert services.send_interview_reminders(now=NOW) == 0
    day_before = slot.starts_at - dt.timedelta(hours=23)
    assert services.send_interview_reminders(now=day_before) == 1
    assert services.send_interview_reminders(now=day_before + dt.timedelta(hours=1)) == 0
    reminders = [to for to, subject in _mails() if subject.startswith("Tomorrow")]
    assert sorted(reminders) == sorted([applicant_user.person.email, interviewer_user.person.email])


def test_reminder_command_runs(db):
    from django.core.management import call_command

    call_command("send_interview_reminders")
    assert mail.outbox == []


def test_mail_is_in_the_recipients_language(applicant_user, slot):
    user = applicant_user
    user.preferred_language = "es"
    user.save()
    services.book_slot(application=user.application, slot=slot, actor=user)
    mail_row = OutboundEmail.objects.get(to=user.person.email)
    assert mail_row.language == "es"


def test_an_applicant_without_an_address_gets_no_mail(call, slot):
    person = PersonFactory(email="")
    application = ApplicationFactory(call=call, applicant=person, status="shortlisted")
    services.book_slot(application=application, slot=slot, actor=None)
    assert [to for to, _subject in _mails()] == [slot.interviewer.email]
