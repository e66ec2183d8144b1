"""Interviews: interviewers offer slots, shortlisted applicants book one, reminders go out a day
before. Two applicants can never hold one slot: a partial unique index on live bookings refuses
the second, and the loser gets a clear message (``SLOT_TAKEN``)."""

from __future__ import annotations

import datetime as dt
from typing import Any

from django.core.exceptions import ValidationError
from django.db import IntegrityError, transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from oncoreach.awards import permissions, selectors
from oncoreach.awards.enums import REMINDER_HOURS, BookingStatus
from oncoreach.awards.models import InterviewBooking, Interviewer, InterviewSlot
from oncoreach.awards.services.common import local_time_text, notify, recipient_language
from oncoreach.calls.models import Application, Call
from oncoreach.core.links import absolute_reverse
from oncoreach.core.services import record_audit
from oncoreach.people.models import Person


def slot_taken_error() -> ValidationError:
    return ValidationError(
        _("This slot was just taken by another applicant. Please choose another time."), code="slot_taken"
    )


@transaction.atomic
def add_interviewer(*, call: Call, person: Person, actor: Any) -> Interviewer:
    interviewer, created = Interviewer.objects.get_or_create(call=call, person=person)
    if created:
        record_audit(actor=actor, action="awards.interviewer_added", target=interviewer)
    return interviewer


@transaction.atomic
def offer_slot(
    *,
    call: Call,
    interviewer: Person,
    starts_at: dt.datetime,
    duration_minutes: int,
    actor: Any,
    video_link: str = "",
    place: str = "",
    now: dt.datetime | None = None,
) -> InterviewSlot:
    """A slot for ``interviewer``, who must be on the call's interview panel."""
    now = now or timezone.now()
    if not Interviewer.objects.filter(call=call, person=interviewer).exists():
        raise ValidationError(
            _("%(person)s is not on this call's interview panel.") % {"person": interviewer}, code="not_interviewer"
        )
    if timezone.is_naive(starts_at):
        raise ValidationError(_("Give the time with its time zone."), code="naive_time")
    if starts_at <= now:
        raise ValidationError(_("An interview slot must start in the future."), code="slot_in_past")
    if duration_minutes < 5 or duration_minutes > 240:
        raise ValidationError(_("An interview lasts between 5 and 240 minutes."), code="bad_duration")
    if not (video_link.strip() or place.strip()):
        raise ValidationError(_("Give a video link or a place for the interview."), code="no_place")
    slot = InterviewSlot.objects.create(
        call=call,
        interviewer=interviewer,
        starts_at=starts_at,
        duration_minutes=duration_minutes,
        video_link=video_link.strip(),
        place=place.strip()[:200],
    )
    record_audit(actor=actor, action="awards.slot_offered", target=slot)
    return slot


def _booking_context(booking: InterviewBooking, person: Person, role: str) -> dict[str, Any]:
    slot = booking.slot
    language = recipient_language(person)
    if role == "applicant":
        url = absolute_reverse("awards:interview", kwargs={"pk": booking.application_id}, language=language)
    else:
        url = absolute_reverse("awards:call-interviews", kwargs={"slug": slot.call.slug}, language=language)
    return {
        "booking": booking,
        "slot": slot,
        "call": slot.call,
        "applicant": booking.application.applicant,
        "interviewer": slot.interviewer,
        "when": local_time_text(slot.starts_at, person=person, language=language),
        "url": url,
        "ics_url": absolute_reverse("awards:interview-ics", kwargs={"pk": booking.pk}, language=language),
    }


def _notify_both(booking: InterviewBooking, template: str, event: str) -> None:
    for role, person in (("applicant", booking.application.applicant), ("interviewer", booking.slot.interviewer)):
        notify(
            person=person,
            event_key=f"awards.booking.{booking.pk}.{event}.{role}",
            template=f"awards/email/{template}",
            context={**_booking_context(booking, person, role), "role": role},
        )


def _check_can_book(*, application: Application, slot: InterviewSlot, now: dt.datetime) -> None:
    if not permissions.can_book_interview(application):
        raise ValidationError(
            _("Only shortlisted applicants can book an interview; this application is “%(status)s”.")
            % {"status": application.get_status_display()},
            code="not_shortlisted",
        )
    if slot.call_id != application.call_id:
        raise ValidationError(_("This slot belongs to another call."), code="other_call")
    if slot.is_withdrawn:
        raise ValidationError(_("This slot is no longer offered."), code="slot_withdrawn")
    if slot.starts_at <= now:
        raise ValidationError(_("This slot has already started."), code="slot_in_past")


def _insert_booking(*, slot: InterviewSlot, application: Application) -> InterviewBooking:
    try:
        with transaction.atomic():
            return InterviewBooking.objects.create(slot=slot, application=application)
    except IntegrityError as exc:
        if InterviewBooking.objects.filter(application=application, status=BookingStatus.BOOKED).exists():
            raise ValidationError(
                _("You already have an interview booked; reschedule it instead."), code="already_booked"
            ) from exc
        raise slot_taken_error() from exc


@transaction.atomic
def book_slot(
    *, application: Application, slot: InterviewSlot, actor: Any, now: dt.datetime | None = None
) -> InterviewBooking:
    """Book ``slot`` for the application. A slot someone else holds, a second booking, an
    application that is not shortlisted: each a clear refusal, nothing written."""
    now = now or timezone.now()
    application = Application.objects.select_related("applicant__user", "call").get(pk=application.pk)
    _check_can_book(application=application, slot=slot, now=now)
    if InterviewBooking.objects.filter(slot=slot, status=BookingStatus.BOOKED).exists():
        raise slot_taken_error()
    if selectors.live_booking(application=application) is not None:
        raise ValidationError(_("You already have an interview booked; reschedule it instead."), code="already_booked")
    booking = _insert_booking(slot=slot, application=application)
    record_audit(actor=actor, action="awards.interview_booked", target=booking, slot=slot.pk)
    _notify_both(booking, "interview_booked", "booked")
    return booking


@transaction.atomic
def reschedule_booking(
    *, booking: InterviewBooking, slot: InterviewSlot, actor: Any, now: dt.datetime | None = None
) -> InterviewBooking:
    """Move a live booking to another slot: the old one is freed only if the new one is won."""
    now = now or timezone.now()
    booking = InterviewBooking.objects.select_for_update().select_related("application").get(pk=booking.pk)
    if booking.status != BookingStatus.BOOKED:
        raise ValidationError(_("This booking was cancelled; book a new slot."), code="booking_cancelled")
    if slot.pk == booking.slot_id:
        raise ValidationError(_("That is the slot you already have."), code="same_slot")
    _check_can_book(application=booking.application, slot=slot, now=now)
    if InterviewBooking.objects.filter(slot=slot, status=BookingStatus.BOOKED).exists():
        raise slot_taken_error()
    booking.status = BookingStatus.CANCELLED
    booking.cancelled_at = now
    booking.save(update_fields=["status", "cancelled_at"])
    new = _insert_booking(slot=slot, application=booking.application)
    record_audit(actor=actor, action="awards.interview_rescheduled", target=new, previous=booking.pk)
    _notify_both(new, "interview_booked", "booked")
    return new


@transaction.atomic
def cancel_booking(*, booking: InterviewBooking, actor: Any, now: dt.datetime | None = None) -> InterviewBooking:
    booking = InterviewBooking.objects.select_for_update().get(pk=booking.pk)
    if booking.status != BookingStatus.BOOKED:
        raise ValidationError(_("This booking was already cancelled."), code="booking_cancelled")
    booking.status = BookingStatus.CANCELLED
    booking.cancelled_at = now or timezone.now()
    booking.save(update_fields=["status", "cancelled_at"])
    record_audit(actor=actor, action="awards.interview_cancelled", target=booking)
    _notify_both(booking, "interview_cancelled", "cancelled")
    return booking


@transaction.atomic
def withdraw_slot(*, slot: InterviewSlot, actor: Any) -> InterviewSlot:
    """The interviewer or staff take a slot back; a booking on it is cancelled and both are told."""
    slot = InterviewSlot.objects.select_for_update().get(pk=slot.pk)
    if slot.is_withdrawn:
        raise ValidationError(_("This slot was already withdrawn."), code="slot_withdrawn")
    live = InterviewBooking.objects.filter(slot=slot, status=BookingStatus.BOOKED).first()
    if live is not None:
        cancel_booking(booking=live, actor=actor)
    slot.is_withdrawn = True
    slot.save(update_fields=["is_withdrawn"])
    record_audit(actor=actor, action="awards.slot_withdrawn", target=slot)
    return slot


def send_interview_reminders(*, now: dt.datetime | None = None) -> int:
    """Remind both sides of every interview starting within a day, once (a booking is claimed by
    setting ``reminder_sent_at`` before its mail is queued, in one transaction)."""
    now = now or timezone.now()
    sent = 0
    for booking in selectors.bookings_due_reminder(now=now, hours=REMINDER_HOURS):
        with transaction.atomic():
            claimed = InterviewBooking.objects.filter(
                pk=booking.pk, reminder_sent_at__isnull=True, status=BookingStatus.BOOKED
            ).update(reminder_sent_at=now)
            if not claimed:
                continue
            _notify_both(booking, "interview_reminder", "reminder")
            sent += 1
    return sent
