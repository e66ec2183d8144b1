"""Registration through the course's intake call: opening it, registering, the staff intake
(accept, wait-list, reject) and automatic promotion from the wait list.

The decision lives on the calls Application (changed only by ``transition_application``); the
Registration mirrors it in :func:`on_application_status_changed`. For a participant intake call,
the calls stage "shortlisted" means wait-listed. Bad input raises ``ValidationError`` and
changes nothing.
"""

from __future__ import annotations

import datetime as dt
from collections import deque
from typing import Any

from django.conf import settings
from django.core.exceptions import ValidationError
from django.db import transaction
from django.urls import reverse
from django.utils import timezone, translation
from django.utils.translation import gettext as _

from oncoreach.calls.enums import ApplicationStatus, CallKind, transitions_for
from oncoreach.calls.models import Application, Call
from oncoreach.calls.services import start_application, transition_application
from oncoreach.core.services import queue_email, record_audit
from oncoreach.people.models import Person
from oncoreach.programs.models import Cycle, FormDefinition
from oncoreach.workshops.enums import (
    DECIDABLE_APPLICATION_STATUSES,
    SEAT_TAKING_STATUSES,
    CourseStatus,
    RegistrationStatus,
)
from oncoreach.workshops.models import Course, Registration
from oncoreach.workshops.services.intake_forms import (
    default_evaluation_form,
    default_follow_up_form,
    default_registration_form,
)
from oncoreach.workshops.services.recipients import recipient_address, recipient_language

S = ApplicationStatus
R = RegistrationStatus

#: Application statuses from which staff may decide (eligibility already judged).
DECIDABLE = DECIDABLE_APPLICATION_STATUSES
#: Registration status that mirrors each application status (for participant intake calls).
MIRROR: dict[str, str] = {
    S.ACCEPTED: R.ACCEPTED,
    S.SHORTLISTED: R.WAITLISTED,
    S.REJECTED: R.REJECTED,
    S.INELIGIBLE: R.REJECTED,
}
CANCELLING = frozenset({S.DECLINED, S.WITHDRAWN})

# --- Intake call -----------------------------------------------------------------------------


def _course_start(course: Course) -> dt.datetime:
    return dt.datetime.combine(course.start_date, dt.time(0), tzinfo=course.zone)


@transaction.atomic
def open_registration(
    *, course: Course, actor: Any, form: FormDefinition | None = None, closes_at: dt.datetime | None = None
) -> Call:
    """The course's intake call (participant kind), made once; it closes when the course starts.

    Called when a course opens for registration, or on demand by staff.
    """
    course = Course.objects.select_for_update(of=("self",)).select_related("intake_call").get(pk=course.pk)
    if course.intake_call is not None:
        return course.intake_call
    if course.status in (CourseStatus.CANCELLED, CourseStatus.HELD, CourseStatus.CLOSED):
        raise ValidationError(_("Registration cannot open for a course that is over or cancelled."), code="course_over")
    now = timezone.now()
    closes_at = closes_at or _course_start(course)
    if closes_at <= now:
        raise ValidationError(_("Registration cannot open: the course has already started."), code="too_late")
    cycle, _created = Cycle.objects.get_or_create(
        program=course.program,
        year=course.start_date.year,
        defaults={"name": f"{course.program} {course.start_date.year}", "reference_date": course.start_date},
    )
    call = Call(
        cycle=cycle,
        title=_("Registration: %(course)s") % {"course": course.title},
        slug=f"{course.slug}-registration"[:120],
        kind=CallKind.PARTICIPANT,
        description=course.summary,
        opens_at=now,
        closes_at=closes_at,
        time_zone=course.time_zone,
        form=form or default_registration_form(),
        reviews_per_application=0,
    )
    call.full_clean()
    call.save()
    course.intake_call = call
    course.follow_up_form = course.follow_up_form or default_follow_up_form()
    course.evaluation_form = course.evaluation_form or default_evaluation_form()
    course.save(update_fields=["intake_call", "follow_up_form", "evaluation_form", "updated_at"])
    record_audit(actor=actor, action="workshops.registration_opened", target=course, call=call.pk)
    return call


# --- Registering -----------------------------------------------------------------------------


@transaction.atomic
def register(*, course: Course, person: Person, actor: Any) -> Registration:
    """Start a registration: a draft application to the intake call, linked one-to-one.

    The participant then answers the course's questions and submits through the calls pages.
    """
    course = Course.objects.select_related("intake_call").get(pk=course.pk)
    call = course.intake_call
    if call is None or not call.is_open():
        raise ValidationError(_("Registration for this course is not open."), code="closed")
    if Registration.objects.filter(course=course, person=person).exists():
        raise ValidationError(_("You are already registered for this course."), code="duplicate")
    application = start_application(call=call, person=person)
    registration = Registration.objects.create(course=course, person=person, application=application, status=R.PENDING)
    record_audit(actor=actor, action="workshops.registration_started", target=registration)
    return registration


def _path(application: Application, target: str) -> list[str]:
    """The steps from the application's status to ``target`` through review stages only."""
    table = transitions_for(application.call.extra_stages)
    allowed = DECIDABLE | {target}
    queue: deque[list[str]] = deque([[application.status]])
    while queue:
        route = queue.popleft()
        if route[-1] == target:
            return route[1:]
        for nxt in sorted(table.get(route[-1], frozenset())):
            if nxt in allowed and nxt not in route:
                queue.append([*route, nxt])
    return []


def walk_application(application: Application, target: str, actor: Any, note: str = "", notify: bool = True) -> None:
    steps = _path(application, target)
    for position, step in enumerate(steps):
        last = position == len(steps) - 1
        transition_application(
            application=application, to=step, actor=actor, note=note if last else "", notify=notify and last
        )


def _check_capacity(course: Course) -> None:
    taken = Registration.objects.filter(course=course, status__in=SEAT_TAKING_STATUSES).count()
    if taken >= course.capacity:
        raise ValidationError(
            _("The course is full (%(capacity)d places); wait-list this participant instead.")
            % {"capacity": course.capacity},
            code="full",
        )


@transaction.atomic
def decide_registration(*, registration: Registration, outcome: str, actor: Any, note: str = "") -> Registration:
    """Staff intake: accept (within capacity), wait-list or reject a submitted registration."""
    course = Course.objects.select_for_update(of=("self",)).get(pk=registration.course_id)
    registration = Registration.objects.select_related("application__call").get(pk=registration.pk)
    application = registration.application
    targets: dict[str, str] = {R.ACCEPTED: S.ACCEPTED, R.WAITLISTED: S.SHORTLISTED, R.REJECTED: S.REJECTED}
    if application is None or outcome not in targets:
        raise ValidationError(_("This decision is not possible here."), code="bad_outcome")
    if application.status not in DECIDABLE or registration.status == outcome:
        raise ValidationError(
            _("This registration cannot be changed now (its application is “%(status)s”).")
            % {"status": ApplicationStatus(application.status).label},
            code="not_decidable",
        )
    if outcome == R.ACCEPTED:
        _check_capacity(course)
    # Only a rejection uses the calls wording; acceptance and wait list mails come from here.
    walk_application(application, targets[outcome], actor, note=note, notify=outcome == R.REJECTED)
    registration.refresh_from_db()
    if outcome in (R.ACCEPTED, R.WAITLISTED):
        mail_registration(registration, f"registration_{outcome}", outcome)
    return registration


def mail_registration(registration: Registration, template: str, event: str, **extra: Any) -> None:
    address = recipient_address(registration.person)
    if not address:
        return
    language = recipient_language(registration.person)
    with translation.override(language):
        url = settings.SITE_URL + reverse("workshops:registration-detail", kwargs={"pk": registration.pk})
    queue_email(
        event_key=f"workshops.registration.{registration.pk}.{event}",
        to=address,
        template=f"workshops/email/{template}",
        context={
            "registration": registration,
            "course": registration.course,
            "person": registration.person,
            "url": url,
            **extra,
        },
        language=language,
    )


def on_application_status_changed(*, application: Application, old: str, new: str, actor: Any, **_: Any) -> None:
    """Keep the registration in step with its application (connected in apps.py).

    Accepting beyond capacity is refused here too, so the calls staff pages cannot overfill a
    course; a declined or withdrawn offer frees the seat and promotes the first wait-listed.
    """
    if application.call.kind != CallKind.PARTICIPANT:
        return
    registration = (
        Registration.objects.select_for_update(of=("self",))
        .select_related("course", "person__user")
        .filter(application_id=application.pk)
        .first()
    )
    if registration is None:
        # Applied through the calls pages directly: the registration is made on the first step.
        course = Course.objects.filter(intake_call_id=application.call_id).first()
        if course is None:
            return
        registration, _created = Registration.objects.get_or_create(
            course=course, person=application.applicant, defaults={"application": application, "status": R.PENDING}
        )
        if registration.application_id != application.pk:
            return
    if new in MIRROR:
        status = MIRROR[new]
        if status == R.ACCEPTED and registration.status not in SEAT_TAKING_STATUSES:
            _check_capacity(registration.course)
        registration.status = status
        registration.waitlisted_at = timezone.now() if status == R.WAITLISTED else None
        registration.save(update_fields=["status", "waitlisted_at"])
    elif new in CANCELLING:
        if registration.status in (R.ATTENDED, R.NO_SHOW):
            return  # the course took place: a late "decline" cannot undo attendance or a certificate
        held_seat = registration.status in SEAT_TAKING_STATUSES
        registration.status = R.CANCELLED
        registration.waitlisted_at = None
        registration.save(update_fields=["status", "waitlisted_at"])
        if held_seat:
            promote_if_possible(course=registration.course, actor=actor)


def first_waitlisted(*, course: Course) -> Registration | None:
    return (
        Registration.objects.filter(course=course, status=R.WAITLISTED)
        .select_related("application__call", "person__user", "course")
        .order_by("waitlisted_at", "id")
        .first()
    )


@transaction.atomic
def promote_from_waitlist(*, course: Course, actor: Any) -> Registration:
    """Give a freed place to the first wait-listed participant (audit, e-mail).

    Refused when the course is full or nobody is waiting.
    """
    course = Course.objects.select_for_update(of=("self",)).get(pk=course.pk)
    _check_capacity(course)
    registration = first_waitlisted(course=course)
    if registration is None or registration.application is None:
        raise ValidationError(_("Nobody is on the wait list."), code="empty_waitlist")
    walk_application(registration.application, S.ACCEPTED, actor, notify=False)
    registration.refresh_from_db()
    record_audit(actor=actor, action="workshops.registration_promoted", target=registration)
    mail_registration(registration, "registration_promoted", "promoted")
    return registration


def promote_if_possible(*, course: Course, actor: Any) -> Registration | None:
    """Automatic promotion: promote when a place is free and someone waits; otherwise nothing."""
    try:
        with transaction.atomic():
            return promote_from_waitlist(course=course, actor=actor)
    except ValidationError:
        return None


@transaction.atomic
def withdraw_registration(*, registration: Registration, actor: Any, reason: str = "") -> Registration:
    """Staff release an accepted participant's place (e.g. they cannot travel); the first
    wait-listed participant is promoted. The application's decision stays on record."""
    registration = Registration.objects.select_for_update(of=("self",)).select_related("course").get(pk=registration.pk)
    if registration.status not in (R.ACCEPTED, R.WAITLISTED, R.PENDING):
        raise ValidationError(
            _("Only a pending, wait-listed or accepted registration can be withdrawn."), code="not_withdrawable"
        )
    held_seat = registration.status in SEAT_TAKING_STATUSES
    registration.status = R.CANCELLED
    registration.waitlisted_at = None
    registration.save(update_fields=["status", "waitlisted_at"])
    record_audit(actor=actor, action="workshops.registration_withdrawn", target=registration, reason=reason[:500])
    if held_seat:
        promote_if_possible(course=registration.course, actor=actor)
    return registration
