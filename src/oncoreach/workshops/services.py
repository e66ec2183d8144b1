"""Writes for courses, faculty invitations and travel.

Each lifecycle has one choke point: ``transition_course`` and ``transition_invitation`` check the
tables in ``enums.py``, write an audit row and queue e-mail after commit. Bad input raises a
``ValidationError`` with a translatable message and changes nothing.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterable, Sequence
from dataclasses import dataclass
from decimal import Decimal
from typing import Any

from django.core.exceptions import ValidationError
from django.db import IntegrityError, transaction
from django.utils import timezone
from django.utils.text import slugify
from django.utils.translation import gettext as _

from oncoreach.core.links import absolute_reverse
from oncoreach.core.services import queue_email, record_audit
from oncoreach.geo.models import Country
from oncoreach.people.models import Organization, Person
from oncoreach.people.validators import validate_time_zone
from oncoreach.programs.models import Program
from oncoreach.volunteers.enums import ActivityKind, VolunteerRole
from oncoreach.volunteers.models import VolunteerProfile
from oncoreach.volunteers.services import log_activity, normalize_topics
from oncoreach.workshops import selectors
from oncoreach.workshops.enums import (
    COURSE_TRANSITIONS,
    FILLING_STATUSES,
    HOURS_PER_TEACHING_DAY,
    INVITATION_TRANSITIONS,
    LIVE_STATUSES,
    BookingStatus,
    CourseStatus,
    FacultyRole,
    InvitationStatus,
    ReimbursementStatus,
)
from oncoreach.workshops.models import (
    Course,
    CourseTemplate,
    FacultyInterest,
    FacultyInvitation,
    FacultySlot,
    Module,
    Session,
    Travel,
)
from oncoreach.workshops.tokens import make_response_token

# --- Courses ------------------------------------------------------------------------------------


def _check_dates(start: dt.date, end: dt.date) -> None:
    if end < start:
        raise ValidationError({"end_date": _("The last day is before the first day.")}, code="end_before_start")


def _check_time_zone(name: str) -> None:
    try:
        validate_time_zone(name)
    except ValidationError as exc:
        raise ValidationError({"time_zone": exc.messages}, code="time_zone") from exc
    if not name:
        raise ValidationError({"time_zone": _("Choose the time zone the course runs in.")}, code="time_zone")


def _unique_slug(title: str, start: dt.date) -> str:
    base = slugify(f"{title} {start.year}")[:100] or f"course-{start.year}"
    slug, n = base, 2
    while Course.objects.filter(slug=slug).exists():
        slug, n = f"{base}-{n}", n + 1
    return slug


@transaction.atomic
def create_course(
    *,
    actor: Any,
    template: CourseTemplate,
    program: Program,
    title: str,
    host_organization: Organization,
    city: str,
    country: Country,
    start_date: dt.date,
    end_date: dt.date,
    time_zone: str,
    capacity: int,
    languages: Sequence[str] = ("en",),
    summary: str = "",
    co_hosts: Iterable[Organization] = (),
) -> Course:
    """A course starts in planning (ARCHITECTURE.md §3: made when a host application is accepted)."""
    _check_dates(start_date, end_date)
    _check_time_zone(time_zone)
    course = Course(
        template=template,
        program=program,
        title=title,
        slug=_unique_slug(title, start_date),
        summary=summary,
        host_organization=host_organization,
        city=city,
        country=country,
        start_date=start_date,
        end_date=end_date,
        time_zone=time_zone,
        languages=list(dict.fromkeys(languages)),
        capacity=capacity,
    )
    course.full_clean()
    course.save()
    course.co_hosts.set([org for org in co_hosts if org.pk != host_organization.pk])
    record_audit(
        actor=actor, action="workshops.course_created", target=course, start=str(start_date), end=str(end_date)
    )
    return course


@transaction.atomic
def update_course_schedule(
    *, course: Course, actor: Any, start_date: dt.date, end_date: dt.date, capacity: int
) -> Course:
    """Move dates or change places; refuses dates that clash for committed faculty or a capacity
    below the seats already given."""
    course = Course.objects.select_for_update(of=("self",)).get(pk=course.pk)
    _check_dates(start_date, end_date)
    taken = course.seats_taken()
    if capacity < taken:
        raise ValidationError(
            {
                "capacity": _("%(taken)d participants are already accepted; places cannot go below that.")
                % {"taken": taken}
            },
            code="capacity_below_accepted",
        )
    committed = FacultyInvitation.objects.filter(slot__course=course, status__in=FILLING_STATUSES).select_related(
        "person"
    )
    for invitation in committed:
        clash = selectors.committed_clash(
            person=invitation.person, start=start_date, end=end_date, exclude_course=course
        )
        if clash is not None:
            raise ValidationError(
                {
                    "start_date": _("%(person)s already teaches at %(course)s on overlapping dates.")
                    % {"person": invitation.person, "course": clash.slot.course}
                },
                code="faculty_overlap",
            )
    changes = {
        "start": [str(course.start_date), str(start_date)],
        "end": [str(course.end_date), str(end_date)],
        "capacity": [course.capacity, capacity],
    }
    course.start_date, course.end_date, course.capacity = start_date, end_date, capacity
    course.full_clean()
    course.save(update_fields=["start_date", "end_date", "capacity", "updated_at"])
    record_audit(actor=actor, action="workshops.course_rescheduled", target=course, **changes)
    return course


@transaction.atomic
def transition_course(*, course: Course, to: str, actor: Any, today: dt.date | None = None) -> Course:
    """The one way a course changes status: planning → open → held → closed; cancelled before held."""
    course = Course.objects.select_for_update(of=("self",)).get(pk=course.pk)
    today = today or timezone.localdate()
    old = course.status
    if to not in COURSE_TRANSITIONS.get(old, frozenset()):
        raise ValidationError(
            _("A course cannot go from “%(old)s” to “%(new)s”.")
            % {"old": CourseStatus(old).label, "new": CourseStatus(to).label if to in CourseStatus.values else to},
            code="course_transition",
        )
    if to == CourseStatus.HELD and today < course.start_date:
        raise ValidationError(_("A course cannot be marked held before its first day."), code="held_too_early")
    course.status = to
    course.save(update_fields=["status", "updated_at"])
    record_audit(actor=actor, action="workshops.course_transition", target=course, old=old, new=to)
    if to == CourseStatus.OPEN and course.intake_call_id is None and today < course.start_date:
        from oncoreach.workshops.participants import open_registration

        open_registration(course=course, actor=actor)
    if to == CourseStatus.CANCELLED:
        for invitation in FacultyInvitation.objects.filter(slot__course=course, status__in=LIVE_STATUSES):
            transition_invitation(invitation=invitation, to=InvitationStatus.WITHDRAWN, actor=actor)
    if to == CourseStatus.CLOSED:
        for invitation in FacultyInvitation.objects.filter(
            slot__course=course, status__in=[InvitationStatus.ACCEPTED, InvitationStatus.TRAVEL_BOOKED]
        ):
            transition_invitation(invitation=invitation, to=InvitationStatus.COMPLETED, actor=actor)
    return course


@transaction.atomic
def add_session(
    *,
    course: Course,
    actor: Any,
    day: dt.date,
    start_time: dt.time,
    end_time: dt.time,
    title: str,
    module: Module | None = None,
    faculty: Iterable[Person] = (),
) -> Session:
    if not course.start_date <= day <= course.end_date:
        raise ValidationError({"day": _("The session must fall within the course dates.")}, code="day_outside_course")
    if end_time <= start_time:
        raise ValidationError({"end_time": _("The session ends before it starts.")}, code="end_before_start")
    session = Session.objects.create(
        course=course, day=day, start_time=start_time, end_time=end_time, title=title, module=module
    )
    session.faculty.set(list(faculty))
    record_audit(actor=actor, action="workshops.session_added", target=course, session=session.pk)
    return session


@transaction.atomic
def add_slot(
    *,
    course: Course,
    actor: Any,
    role: str,
    required_language: str = "",
    required_expertise: Iterable[str] = (),
    notes: str = "",
) -> FacultySlot:
    if role not in FacultyRole.values:
        raise ValidationError({"role": _("Choose a role from the list.")}, code="role")
    slot = FacultySlot.objects.create(
        course=course,
        role=role,
        required_language=required_language,
        required_expertise=normalize_topics(required_expertise),
        notes=notes,
    )
    record_audit(actor=actor, action="workshops.slot_added", target=course, slot=slot.pk, role=role)
    return slot


# --- Invitations --------------------------------------------------------------------------------


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
    language = _recipient_language(invitation.person)
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


def _recipient_language(person: Person) -> str:
    user = person.user
    return (user.preferred_language if user is not None else "") or "en"


def _recipient_address(person: Person) -> str:
    return person.email or (person.user.email if person.user is not None else "")


def _notify(invitation: FacultyInvitation, template: str, event: str) -> None:
    address = _recipient_address(invitation.person)
    if not address:
        return
    queue_email(
        event_key=f"workshops.invitation.{invitation.pk}.{event}",
        to=address,
        template=f"workshops/email/{template}",
        context=_invitation_email_context(invitation),
        language=_recipient_language(invitation.person),
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
    """Side effects: e-mails are queued in the outbox (drained after commit); hours are logged."""
    to = invitation.status
    course = invitation.slot.course
    if to == InvitationStatus.INVITED:
        _notify(invitation, "invitation", "invited")
    elif to == InvitationStatus.ACCEPTED:
        Travel.objects.get_or_create(invitation=invitation)
        _notify(invitation, "invitation_accepted", "accepted")
    elif to == InvitationStatus.DECLINED:
        _notify_staff_of_decline(invitation)
    elif to == InvitationStatus.WITHDRAWN and old != InvitationStatus.PROPOSED:
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


# --- Travel -------------------------------------------------------------------------------------


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
    """Staff record travel; marking it booked moves an accepted invitation to "travel booked"."""
    if invitation.status not in (InvitationStatus.ACCEPTED, InvitationStatus.TRAVEL_BOOKED, InvitationStatus.COMPLETED):
        raise ValidationError(_("Travel is arranged only after the invitation is accepted."), code="not_accepted")
    if per_diem < 0:
        raise ValidationError({"per_diem": _("The per diem cannot be negative.")}, code="per_diem")
    travel, _created = Travel.objects.select_for_update(of=("self",)).get_or_create(invitation=invitation)
    travel.itinerary = itinerary
    travel.visa_letter_needed = visa_letter_needed
    travel.booking_status = booking_status
    travel.per_diem = per_diem
    travel.per_diem_currency = per_diem_currency.upper()[:3]
    travel.reimbursement_status = reimbursement_status
    travel.full_clean()
    travel.save()
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


# --- Season staffing ----------------------------------------------------------------------------


@dataclass(frozen=True)
class UnfilledSlotReport:
    slot: FacultySlot
    reason: str
    message: str


@dataclass(frozen=True)
class TeamProposal:
    proposed: list[FacultyInvitation]
    unfilled: list[UnfilledSlotReport]
    uncovered_languages: list[tuple[Course, str]]
    optimal: bool


def _unfilled_message(reason: str, params: Any) -> str:
    if reason == "no_eligible_volunteer":
        return _(
            "No volunteer fits: %(with_role)s have the role, %(with_language)s of them speak the language, "
            "%(available)s are free on these dates."
        ) % {key: params.get(key, 0) for key in ("with_role", "with_language", "available")}
    return _(
        "Every fitting volunteer is committed elsewhere: %(at_max_trips)s at their trip limit, "
        "%(on_overlapping_course)s on an overlapping course, %(on_this_course)s in another slot here."
    ) % {key: params.get(key, 0) for key in ("at_max_trips", "on_overlapping_course", "on_this_course")}


@transaction.atomic
def propose_team(*, courses: Sequence[Course], actor: Any) -> TeamProposal:
    """Run the season staffing engine over the open slots of ``courses`` and write its choices as
    proposed invitations, all in one transaction. Slots already holding a live invitation stay."""
    from oncoreach.workshops import matching_adapter

    courses = list(
        Course.objects.select_for_update(of=("self",))
        .filter(pk__in=[c.pk for c in courses], status__in=[CourseStatus.PLANNING, CourseStatus.OPEN])
        .order_by("start_date", "id")
    )
    if not courses:
        raise ValidationError(_("Choose at least one course in planning or open."), code="no_courses")
    staffing = matching_adapter.build_staffing_problem(courses=courses)
    result = matching_adapter.solve(staffing)
    visited = matching_adapter.visited_sites_for([p.person_id for p in staffing.profiles.values()])
    proposed = []
    for assignment in result.assignments:
        slot = staffing.slots[assignment.slot]
        profile = staffing.profiles[assignment.volunteer]
        explanation = matching_adapter.explain_fit(
            profile=profile,
            slot=slot,
            course=staffing.courses[assignment.course],
            visited_sites=visited.get(profile.person_id, frozenset()),
        )
        proposed.append(
            propose_faculty(slot=slot, person=profile.person, actor=actor, fit=assignment.fit, explanation=explanation)
        )
    unfilled = [
        UnfilledSlotReport(slot=staffing.slots[u.slot], reason=u.reason, message=_unfilled_message(u.reason, u.params))
        for u in result.unfilled
    ]
    uncovered = [(staffing.courses[course_id], language) for course_id, language in result.uncovered_languages]
    record_audit(
        actor=actor,
        action="workshops.team_proposed",
        target=courses[0] if len(courses) == 1 else None,
        courses=[c.pk for c in courses],
        proposed=len(proposed),
        unfilled=len(unfilled),
        solver_status=result.stats.status,
    )
    return TeamProposal(
        proposed=proposed, unfilled=unfilled, uncovered_languages=uncovered, optimal=result.stats.optimal
    )
