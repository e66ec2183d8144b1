"""Courses: creation, dates and places, the agenda, faculty slots and the course lifecycle.

``transition_course`` is the one way a course changes status (COURSE_TRANSITIONS in enums.py).
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterable, Sequence
from typing import Any

from django.core.exceptions import ValidationError
from django.db import transaction
from django.utils import timezone
from django.utils.text import slugify
from django.utils.translation import gettext as _

from oncoreach.core.cache import bump_public_generation
from oncoreach.core.services import record_audit
from oncoreach.geo.models import Country
from oncoreach.people.models import Organization, Person
from oncoreach.people.validators import validate_time_zone
from oncoreach.programs.models import Program
from oncoreach.volunteers.services import normalize_topics
from oncoreach.workshops import selectors
from oncoreach.workshops.enums import (
    COURSE_TRANSITIONS,
    FILLING_STATUSES,
    LIVE_STATUSES,
    CourseStatus,
    FacultyRole,
    InvitationStatus,
)
from oncoreach.workshops.models import (
    Course,
    CourseTemplate,
    FacultyInvitation,
    FacultySlot,
    Module,
    Session,
)
from oncoreach.workshops.services.intake import cancel_registrations_for_course
from oncoreach.workshops.services.invitations import reschedule_faculty_trips, transition_invitation
from oncoreach.workshops.services.registration import close_registration, open_registration


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
    reschedule_faculty_trips(course=course, actor=actor)
    return course


@transaction.atomic
def transition_course(*, course: Course, to: str, actor: Any, today: dt.date | None = None, reason: str = "") -> Course:
    """The one way a course changes status: planning → open → held → closed; cancelled before held.

    Opening opens registration; cancelling closes it, cancels the live registrations and
    withdraws the faculty invitations (everyone concerned is told, in their own language);
    closing completes the faculty's invitations. Public pages are refreshed after commit.
    """
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
    record_audit(
        actor=actor, action="workshops.course_transition", target=course, old=old, new=to, reason=reason.strip()[:500]
    )
    if to == CourseStatus.OPEN and course.intake_call_id is None and today < course.start_date:
        open_registration(course=course, actor=actor)
    if to == CourseStatus.CANCELLED:
        close_registration(course=course, actor=actor)
        cancel_registrations_for_course(course=course, actor=actor)
        for invitation in FacultyInvitation.objects.filter(slot__course=course, status__in=LIVE_STATUSES):
            transition_invitation(invitation=invitation, to=InvitationStatus.WITHDRAWN, actor=actor)
    if to == CourseStatus.CLOSED:
        for invitation in FacultyInvitation.objects.filter(
            slot__course=course, status__in=[InvitationStatus.ACCEPTED, InvitationStatus.TRAVEL_BOOKED]
        ):
            transition_invitation(invitation=invitation, to=InvitationStatus.COMPLETED, actor=actor)
    transaction.on_commit(bump_public_generation)
    return course


@transaction.atomic
def cancel_course(*, course: Course, actor: Any, reason: str = "") -> Course:
    """Staff cancel a course after confirming (see ``transition_course`` for what follows)."""
    if CourseStatus.CANCELLED not in COURSE_TRANSITIONS.get(course.status, frozenset()):
        raise ValidationError(_("This course can no longer be cancelled."), code="not_cancellable")
    return transition_course(course=course, to=CourseStatus.CANCELLED, actor=actor, reason=reason)


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
