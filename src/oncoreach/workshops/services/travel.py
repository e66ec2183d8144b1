"""Travel: staff record an accepted invitation's travel; reminders before a course starts; and
deleting personal travel data a set time after it ended (ARCHITECTURE.md §7: passport and travel
data are kept only as long as needed).

Reminders and the purge run every minute from ``manage.py run_periodic`` and are idempotent:
reminders use one e-mail event key per invitation (or registration) and reminder day; the purge
only touches courses whose personal fields are not empty yet.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterable
from dataclasses import dataclass, field
from decimal import Decimal
from typing import Any

from django.conf import settings
from django.core.exceptions import ValidationError
from django.db import transaction
from django.db.models import Count, QuerySet
from django.utils import timezone, translation
from django.utils.translation import gettext as _

from oncoreach.core.links import absolute_reverse
from oncoreach.core.services import queue_email, record_audit
from oncoreach.programs.models import Answer
from oncoreach.travel.enums import TripStatus
from oncoreach.travel.services import forget_visa_letter_requests, transition_trip, update_trip
from oncoreach.workshops.enums import (
    BOOKING_TRIP_STATUS,
    BookingStatus,
    CourseStatus,
    InvitationStatus,
    RegistrationStatus,
    ReimbursementStatus,
)
from oncoreach.workshops.models import Course, FacultyInvitation, Registration, Travel
from oncoreach.workshops.services.invitations import ensure_travel, transition_invitation
from oncoreach.workshops.services.recipients import recipient_address, recipient_language


@transaction.atomic
def save_travel(
    *,
    invitation: FacultyInvitation,
    actor: Any,
    itinerary: str,
    visa_letter_needed: bool,
    booking_status: str,
    per_diem: Decimal,
    per_diem_currency: str = "USD",
    reimbursement_status: str = ReimbursementStatus.NONE,
) -> Travel:
    """Staff record travel; marking it booked moves an accepted invitation to "travel booked".

    The visa-letter flag and the status live on the shared trip and change through
    ``travel.services`` (the booking maps onto the trip's status by ``BOOKING_TRIP_STATUS``; a
    completed trip stays completed); the rest stays here."""
    if invitation.status not in (InvitationStatus.ACCEPTED, InvitationStatus.TRAVEL_BOOKED, InvitationStatus.COMPLETED):
        raise ValidationError(_("Travel is arranged only after the invitation is accepted."), code="not_accepted")
    if per_diem < 0:
        raise ValidationError({"per_diem": _("The per diem cannot be negative.")}, code="per_diem")
    travel = ensure_travel(invitation=invitation, actor=actor)
    travel.itinerary = itinerary
    travel.booking_status = booking_status
    travel.per_diem = per_diem
    travel.per_diem_currency = per_diem_currency.upper()[:3]
    travel.reimbursement_status = reimbursement_status
    travel.full_clean()
    travel.save()
    trip = travel.trip
    if trip.visa_letter_needed != visa_letter_needed:
        trip = update_trip(trip=trip, actor=actor, visa_letter_needed=visa_letter_needed)
    to = BOOKING_TRIP_STATUS[booking_status]
    if trip.status not in (to, TripStatus.COMPLETED):
        transition_trip(trip=trip, to=to, actor=actor)
    # The itinerary is private: the audit keeps only statuses.
    record_audit(
        actor=actor,
        action="workshops.travel_saved",
        target=invitation,
        booking=booking_status,
        reimbursement=reimbursement_status,
    )
    if booking_status == BookingStatus.BOOKED and invitation.status == InvitationStatus.ACCEPTED:
        transition_invitation(invitation=invitation, to=InvitationStatus.TRAVEL_BOOKED, actor=actor)
    return travel


@transaction.atomic
def save_itinerary(*, invitation: FacultyInvitation, actor: Any, itinerary: str, visa_letter_needed: bool) -> Travel:
    """The traveller enters their own itinerary (and whether they need a visa letter, on the
    trip) for an accepted trip; staff keep booking, per diem and reimbursement. The audit keeps
    no content."""
    invitation = (
        FacultyInvitation.objects.select_for_update(of=("self",))
        .select_related("slot__course", "person")
        .get(pk=invitation.pk)
    )
    if invitation.status not in (InvitationStatus.ACCEPTED, InvitationStatus.TRAVEL_BOOKED):
        raise ValidationError(_("Travel is arranged only after the invitation is accepted."), code="not_accepted")
    if invitation.slot.course.status not in (CourseStatus.PLANNING, CourseStatus.OPEN):
        raise ValidationError(_("This course is no longer coming up; ask program staff."), code="course_status")
    travel = ensure_travel(invitation=invitation, actor=actor)
    travel.itinerary = itinerary.strip()
    travel.full_clean()
    travel.save(update_fields=["itinerary", "updated_at"])
    if travel.trip.visa_letter_needed != visa_letter_needed:
        update_trip(trip=travel.trip, actor=actor, visa_letter_needed=visa_letter_needed)
    record_audit(
        actor=actor,
        action="workshops.itinerary_saved",
        target=invitation,
        has_itinerary=bool(travel.itinerary),
        visa_letter_needed=visa_letter_needed,
    )
    return travel


# Days before the first course day on which faculty are reminded of their trip.
FACULTY_REMINDER_DAYS: tuple[int, ...] = (14, 3)
# Days before the first course day on which accepted participants are reminded.
PARTICIPANT_REMINDER_DAYS: tuple[int, ...] = (3,)
TRAVELLING_STATUSES = (InvitationStatus.ACCEPTED, InvitationStatus.TRAVEL_BOOKED)
DEFAULT_RETENTION_DAYS = 90


def _missing_for_trip(invitation: FacultyInvitation) -> list[str]:
    """What the traveller still has to do, in words (translated in the active language)."""
    travel: Travel | None = getattr(invitation, "travel", None)
    if travel is None:
        return [_("Your travel details have not been entered yet.")]
    missing = []
    if not travel.itinerary.strip():
        missing.append(_("Your itinerary (arrival and departure) is not entered yet."))
    if travel.booking_status != BookingStatus.BOOKED:
        missing.append(_("Your booking is not confirmed yet."))
    if travel.trip.visa_letter_needed:
        missing.append(_("You asked for a visa invitation letter: download it from your travel page if you have not."))
    return missing


def send_trip_reminders(
    *,
    today: dt.date | None = None,
    faculty_days: Iterable[int] = FACULTY_REMINDER_DAYS,
    participant_days: Iterable[int] = PARTICIPANT_REMINDER_DAYS,
) -> int:
    """Queue the reminders due today: faculty with an accepted or booked trip, and accepted
    participants, of courses starting in exactly one of the given numbers of days.

    Returns how many e-mails were queued now (0 when they were all sent already).
    """
    today = today or timezone.localdate()
    sent = 0
    for days in sorted(set(faculty_days), reverse=True):
        invitations = FacultyInvitation.objects.filter(
            status__in=TRAVELLING_STATUSES,
            slot__course__start_date=today + dt.timedelta(days=days),
        ).exclude(slot__course__status=CourseStatus.CANCELLED)
        invitations = invitations.select_related("slot__course__country", "person__user", "travel__trip")
        for invitation in invitations:
            sent += _remind_faculty(invitation, days)
    for days in sorted(set(participant_days), reverse=True):
        registrations = Registration.objects.filter(
            status=RegistrationStatus.ACCEPTED, course__start_date=today + dt.timedelta(days=days)
        ).exclude(course__status=CourseStatus.CANCELLED)
        for registration in registrations.select_related("course__country", "person__user"):
            sent += _remind_participant(registration, days)
    return sent


def _remind_faculty(invitation: FacultyInvitation, days: int) -> int:
    address = recipient_address(invitation.person)
    if not address:
        return 0
    language = recipient_language(invitation.person)
    travel = getattr(invitation, "travel", None)
    with translation.override(language):
        url = absolute_reverse("workshops:travel-detail", kwargs={"pk": invitation.pk})
        missing = _missing_for_trip(invitation)
        booking = travel.get_booking_status_display() if travel is not None else BookingStatus.NOT_STARTED.label
        booking = str(booking)
    mail = queue_email(
        event_key=f"workshops.invitation.{invitation.pk}.trip_reminder.{days}",
        to=address,
        template="workshops/email/trip_reminder_faculty",
        context={
            "invitation": invitation,
            "course": invitation.slot.course,
            "person": invitation.person,
            "days": days,
            "booking_status": booking,
            "missing": missing,
            "url": url,
        },
        language=language,
    )
    return int(mail is not None)


def _remind_participant(registration: Registration, days: int) -> int:
    address = recipient_address(registration.person)
    if not address:
        return 0
    language = recipient_language(registration.person)
    url = absolute_reverse("workshops:registration-detail", kwargs={"pk": registration.pk}, language=language)
    mail = queue_email(
        event_key=f"workshops.registration.{registration.pk}.trip_reminder.{days}",
        to=address,
        template="workshops/email/trip_reminder_participant",
        context={
            "registration": registration,
            "course": registration.course,
            "person": registration.person,
            "days": days,
            "url": url,
        },
        language=language,
    )
    return int(mail is not None)


@dataclass
class PurgePlan:
    """What the purge of one course clears (counts only: never the personal data itself)."""

    course: Course
    travels: list[int] = field(default_factory=list)
    follow_up_answers: int = 0

    @property
    def is_empty(self) -> bool:
        return not self.travels and not self.follow_up_answers


def retention_days() -> int:
    return int(getattr(settings, "TRAVEL_DATA_RETENTION_DAYS", DEFAULT_RETENTION_DAYS))


def _has_personal_data() -> QuerySet[Travel]:
    return Travel.objects.exclude(itinerary="", trip__visa_letter_needed=False)


def travel_purge_plans(*, today: dt.date | None = None) -> list[PurgePlan]:
    """Courses that ended more than the retention period ago and still hold personal travel data."""
    today = today or timezone.localdate()
    cutoff = today - dt.timedelta(days=retention_days())
    plans: dict[int, PurgePlan] = {}
    travels = _has_personal_data().filter(invitation__slot__course__end_date__lt=cutoff)
    for travel in travels.select_related("invitation__slot__course").order_by("pk"):
        course = travel.invitation.slot.course
        plans.setdefault(course.pk, PurgePlan(course=course)).travels.append(travel.pk)
    follow_ups = Registration.objects.filter(course__end_date__lt=cutoff, follow_up__answers__isnull=False)
    counts = follow_ups.values("course").annotate(answers=Count("follow_up__answers")).order_by("course")
    for row in counts:
        if row["course"] not in plans:
            plans[row["course"]] = PurgePlan(course=Course.objects.get(pk=row["course"]))
        plans[row["course"]].follow_up_answers = row["answers"]
    return sorted(plans.values(), key=lambda plan: (plan.course.end_date, plan.course.pk))


@transaction.atomic
def purge_course_travel_data(*, plan: PurgePlan) -> None:
    """Clear one course's itineraries, its trips' visa flags (through ``travel.services``) and
    participants' follow-up answers (travel plans, dietary needs); keep booking status, per diem,
    reimbursement and the trips themselves for the reports."""
    travels = Travel.objects.filter(pk__in=plan.travels)
    forget_visa_letter_requests(trip_ids=travels.values_list("trip_id", flat=True))
    travels.update(itinerary="")
    follow_ups = Registration.objects.filter(course=plan.course, follow_up__isnull=False).values("follow_up")
    Answer.objects.filter(response_set__in=follow_ups).delete()
    record_audit(
        actor=None,
        action="workshops.travel_data_purged",
        target=plan.course,
        travels=len(plan.travels),
        follow_up_answers=plan.follow_up_answers,
        retention_days=retention_days(),
    )


def purge_travel_data(*, today: dt.date | None = None) -> list[PurgePlan]:
    """Purge every course that is due; returns what was purged (empty when nothing was due)."""
    plans = travel_purge_plans(today=today)
    for plan in plans:
        purge_course_travel_data(plan=plan)
    return plans
