"""Faculty invitations: proposing volunteers for slots, inviting them, their answers, interest.

``transition_invitation`` is the one way an invitation changes status (INVITATION_TRANSITIONS).
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Sequence
from typing import Any

from django.core.exceptions import ValidationError
from django.db import IntegrityError, transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from oncoreach.core.links import absolute_reverse
from oncoreach.core.services import queue_email, record_audit
from oncoreach.people.models import Person
from oncoreach.travel.enums import TripPurpose, TripStatus
from oncoreach.travel.services import create_trip, transition_trip, update_trip
from oncoreach.volunteers.enums import ActivityKind, VolunteerRole
from oncoreach.volunteers.models import VolunteerProfile
from oncoreach.volunteers.services import log_activity
from oncoreach.workshops import selectors
from oncoreach.workshops.enums import (
    HOURS_PER_TEACHING_DAY,
    INVITATION_TRANSITIONS,
    INVITATION_TRIP_STATUS,
    BookingStatus,
    CourseStatus,
    InvitationStatus,
)
from oncoreach.workshops.models import Course, FacultyInterest, FacultyInvitation, FacultySlot, Travel
from oncoreach.workshops.services.recipients import recipient_address, recipient_language
from oncoreach.workshops.tokens import make_response_token


def ensure_travel(*, invitation: FacultyInvitation, actor: Any) -> Travel:
    """The invitation's travel record and its ``travel.Trip`` (made once: the invited person to
    the course, to teach, planned), locked for the caller to change."""
    travel = Travel.objects.select_for_update(of=("self",)).select_related("trip").filter(invitation=invitation).first()
    if travel is not None:
        return travel
    course = invitation.slot.course
    trip = create_trip(
        traveller=invitation.person,
        purpose=TripPurpose.WORKSHOP_FACULTY,
        title=course.title,
        city=course.city,
        country=course.country,
        start_date=course.start_date,
        end_date=course.end_date,
        actor=actor,
    )
    return Travel.objects.create(invitation=invitation, trip=trip)


def _trip_follows_invitation(*, invitation: FacultyInvitation, actor: Any) -> None:
    """Declining or withdrawing cancels the faculty trip; completing the course completes it."""
    to = INVITATION_TRIP_STATUS.get(invitation.status)
    travel = Travel.objects.select_related("trip").filter(invitation=invitation).first()
    if to is None or travel is None or travel.trip.status not in (TripStatus.PLANNED, TripStatus.BOOKED):
        return
    transition_trip(trip=travel.trip, to=to, actor=actor)


def reschedule_faculty_trips(*, course: Course, actor: Any) -> None:
    """Trips still ahead follow their course's new dates (finished or cancelled ones keep theirs)."""
    travels = Travel.objects.filter(
        invitation__slot__course=course, trip__status__in=[TripStatus.PLANNED, TripStatus.BOOKED]
    ).select_related("trip")
    for travel in travels:
        update_trip(trip=travel.trip, actor=actor, start_date=course.start_date, end_date=course.end_date)


def _check_no_overlap(*, person: Person, course: Course) -> None:
    clash = selectors.committed_clash(person=person, start=course.start_date, end=course.end_date)
    if clash is not None:
        raise ValidationError(
            _("%(person)s already teaches at %(course)s (%(start)s – %(end)s), which overlaps these dates.")
            % {
                "person": person,
                "course": clash.slot.course,
                "start": clash.slot.course.start_date.isoformat(),
                "end": clash.slot.course.end_date.isoformat(),
            },
            code="faculty_overlap",
        )


def _check_slot_open(*, slot: FacultySlot) -> None:
    if selectors.slot_is_filled(slot=slot):
        raise ValidationError(_("This slot is already filled."), code="slot_filled")


@transaction.atomic
def propose_faculty(
    *,
    slot: FacultySlot,
    person: Person,
    actor: Any,
    fit: float | None = None,
    explanation: Sequence[dict[str, Any]] = (),
) -> FacultyInvitation:
    """Propose a volunteer for a slot (by hand or from the engine); nothing is sent yet."""
    slot = FacultySlot.objects.select_for_update(of=("self",)).select_related("course").get(pk=slot.pk)
    if slot.course.status not in (CourseStatus.PLANNING, CourseStatus.OPEN):
        raise ValidationError(_("Faculty can only be proposed for a course in planning or open."), code="course_status")
    if not VolunteerProfile.objects.filter(person=person).exists():
        raise ValidationError(_("%(person)s has no volunteer profile.") % {"person": person}, code="not_volunteer")
    _check_slot_open(slot=slot)
    if FacultyInvitation.objects.filter(slot=slot, person=person).exists():
        raise ValidationError(_("%(person)s was already asked for this slot.") % {"person": person}, code="duplicate")
    _check_no_overlap(person=person, course=slot.course)
    invitation = FacultyInvitation.objects.create(slot=slot, person=person, fit=fit, explanation=list(explanation))
    record_audit(actor=actor, action="workshops.faculty_proposed", target=invitation, fit=fit)
    return invitation


def _invitation_email_context(invitation: FacultyInvitation) -> dict[str, Any]:
    token = make_response_token(invitation=invitation)
    language = recipient_language(invitation.person)
    course = invitation.slot.course
    return {
        "person": invitation.person,
        "course": course,
        "slot": invitation.slot,
        "invitation": invitation,
        "respond_url": absolute_reverse(
            "workshops:invitation-respond-token", kwargs={"token": token}, language=language
        ),
        "dashboard_url": absolute_reverse("volunteers:dashboard", language=language),
    }


def _notify(invitation: FacultyInvitation, template: str, event: str) -> None:
    address = recipient_address(invitation.person)
    if not address:
        return
    queue_email(
        event_key=f"workshops.invitation.{invitation.pk}.{event}",
        to=address,
        template=f"workshops/email/{template}",
        context=_invitation_email_context(invitation),
        language=recipient_language(invitation.person),
    )


def _notify_staff_of_decline(invitation: FacultyInvitation) -> None:
    from oncoreach.people.selectors import staff_notification_recipients

    course = invitation.slot.course
    context = {"invitation": invitation, "course": course, "slot": invitation.slot, "person": invitation.person}
    for address, language in staff_notification_recipients():
        queue_email(
            event_key=f"workshops.invitation.{invitation.pk}.declined.staff",
            to=address,
            template="workshops/email/invitation_declined_staff",
            context={
                **context,
                "staffing_url": absolute_reverse(
                    "workshops:staff-course", kwargs={"slug": course.slug}, language=language
                ),
            },
            language=language,
        )


def _check_invitation_guards(*, invitation: FacultyInvitation, to: str, today: dt.date | None) -> None:
    """The rules beyond the table: each raises a clear error and changes nothing."""
    course = invitation.slot.course
    if to == InvitationStatus.INVITED and course.status not in (CourseStatus.PLANNING, CourseStatus.OPEN):
        raise ValidationError(_("Invitations can only be sent for a course in planning or open."), code="course_status")
    if to == InvitationStatus.ACCEPTED:
        FacultySlot.objects.select_for_update(of=("self",)).filter(pk=invitation.slot_id).first()
        _check_slot_open(slot=invitation.slot)
        _check_no_overlap(person=invitation.person, course=course)
    if to == InvitationStatus.TRAVEL_BOOKED:
        travel = Travel.objects.filter(invitation=invitation).first()
        if travel is None or travel.booking_status != BookingStatus.BOOKED:
            raise ValidationError(_("Record the booked travel first."), code="travel_not_booked")
    if to == InvitationStatus.COMPLETED:
        today = today or timezone.localdate()
        if course.status not in (CourseStatus.HELD, CourseStatus.CLOSED) and today <= course.end_date:
            raise ValidationError(_("Faculty complete a course only once it has been held."), code="not_held")


def _after_invitation_transition(*, invitation: FacultyInvitation, old: str, actor: Any) -> None:
    """Side effects: e-mails are queued in the outbox (drained after commit); hours are logged;
    the faculty trip follows (``enums.INVITATION_TRIP_STATUS``)."""
    to = invitation.status
    course = invitation.slot.course
    _trip_follows_invitation(invitation=invitation, actor=actor)
    if to == InvitationStatus.INVITED:
        _notify(invitation, "invitation", "invited")
    elif to == InvitationStatus.ACCEPTED:
        ensure_travel(invitation=invitation, actor=actor)
        _notify(invitation, "invitation_accepted", "accepted")
    elif to == InvitationStatus.DECLINED:
        _notify_staff_of_decline(invitation)
    elif to == InvitationStatus.WITHDRAWN and old != InvitationStatus.PROPOSED:
        if course.status == CourseStatus.CANCELLED:
            _notify(invitation, "invitation_course_cancelled", "course_cancelled")
        else:
            _notify(invitation, "invitation_withdrawn", "withdrawn")
    elif to == InvitationStatus.COMPLETED:
        log_activity(
            person=invitation.person,
            actor=actor,
            kind=ActivityKind.TEACHING,
            date=course.end_date,
            hours=course.days * HOURS_PER_TEACHING_DAY,
            description=str(course)[:300],
            related=invitation,
        )


@transaction.atomic
def transition_invitation(
    *, invitation: FacultyInvitation, to: str, actor: Any, reason: str = "", today: dt.date | None = None
) -> FacultyInvitation:
    """The one way a faculty invitation changes status (see INVITATION_TRANSITIONS).

    Accepting checks the slot is still open and that the volunteer has no overlapping course;
    declining keeps the reason and re-opens the slot; completing logs the teaching hours.
    """
    invitation = (
        FacultyInvitation.objects.select_for_update(of=("self",))
        .select_related("slot__course", "person__user")
        .get(pk=invitation.pk)
    )
    old = invitation.status
    if to not in INVITATION_TRANSITIONS.get(old, frozenset()):
        raise ValidationError(
            _("An invitation cannot go from “%(old)s” to “%(new)s”.")
            % {
                "old": InvitationStatus(old).label,
                "new": InvitationStatus(to).label if to in InvitationStatus.values else to,
            },
            code="invitation_transition",
        )
    _check_invitation_guards(invitation=invitation, to=to, today=today)
    now = timezone.now()
    if to == InvitationStatus.DECLINED:
        invitation.decline_reason = reason.strip()[:2000]
    if to == InvitationStatus.INVITED:
        invitation.invited_at = now
    if to in (InvitationStatus.ACCEPTED, InvitationStatus.DECLINED) and old != InvitationStatus.TRAVEL_BOOKED:
        invitation.responded_at = now
    invitation.status = to
    try:
        with transaction.atomic():
            invitation.save(update_fields=["status", "decline_reason", "invited_at", "responded_at", "updated_at"])
    except IntegrityError as exc:  # two acceptances raced for one slot
        raise ValidationError(_("This slot is already filled."), code="slot_filled") from exc
    record_audit(
        actor=actor,
        action="workshops.invitation_transition",
        target=invitation,
        old=old,
        new=to,
        reason=invitation.decline_reason if to == InvitationStatus.DECLINED else "",
    )
    _after_invitation_transition(invitation=invitation, old=old, actor=actor)
    return invitation


@transaction.atomic
def respond_to_invitation(
    *, invitation: FacultyInvitation, accept: bool, actor: Any, reason: str = "", by_link: bool = False
) -> FacultyInvitation:
    """The volunteer's answer, from the dashboard or the signed e-mail link.

    ``by_link``: the e-mailed link answers only an invitation still waiting for an answer (checked
    under the row lock, so two posts of one link cannot both answer); changing an answer later
    (declining an accepted invitation) needs the signed-in dashboard.
    """
    if by_link:
        current = (
            FacultyInvitation.objects.select_for_update(of=("self",))
            .values_list("status", flat=True)
            .get(pk=invitation.pk)
        )
        if current != InvitationStatus.INVITED:
            raise ValidationError(_("This invitation was already answered."), code="link_used")
    to = InvitationStatus.ACCEPTED if accept else InvitationStatus.DECLINED
    return transition_invitation(invitation=invitation, to=to, actor=actor, reason=reason)


@transaction.atomic
def send_invitations(*, course: Course, actor: Any) -> list[FacultyInvitation]:
    """Send every proposed invitation of a course (one e-mail each, never twice)."""
    proposed = FacultyInvitation.objects.filter(slot__course=course, status=InvitationStatus.PROPOSED).order_by("id")
    return [transition_invitation(invitation=inv, to=InvitationStatus.INVITED, actor=actor) for inv in proposed]


@transaction.atomic
def express_interest(*, slot: FacultySlot, person: Person, actor: Any) -> FacultyInterest:
    """A volunteer raises a hand for an open slot; idempotent."""
    profile = VolunteerProfile.objects.filter(person=person).first()
    if profile is None or not profile.offers(VolunteerRole.FACULTY):
        raise ValidationError(_("Offer to teach in your volunteer profile first."), code="not_faculty")
    if slot.course.status not in (CourseStatus.PLANNING, CourseStatus.OPEN):
        raise ValidationError(_("This course is no longer looking for faculty."), code="course_status")
    _check_slot_open(slot=slot)
    interest, created = FacultyInterest.objects.get_or_create(slot=slot, person=person)
    if created:
        record_audit(actor=actor, action="workshops.interest_expressed", target=slot, person=person.pk)
    return interest
