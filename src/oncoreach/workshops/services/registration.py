"""Registration through the course's intake call: opening and closing the call, the
registration lifecycle, and what the participant does (register, answer, submit).

A Registration is one-to-one with an Application to the intake call, and each has its own
lifecycle: ``transition_registration`` here (REGISTRATION_TRANSITIONS in enums.py) and calls'
``transition_application``. Nothing copies one status into the other: every service that changes
one changes the other in the same transaction, by calling both (the calls pages leave these
applications alone, see ``calls.enums.DRIVEN_ELSEWHERE``). For a participant intake call the calls
stage "shortlisted" means wait-listed. Staff decisions, the wait list and cancellations are in
``intake``. Bad input raises ``ValidationError`` and changes nothing.
"""

from __future__ import annotations

import datetime as dt
import secrets
from collections.abc import Mapping
from typing import Any

from django.core.exceptions import ValidationError
from django.core.files.uploadedfile import UploadedFile
from django.db import transaction
from django.utils import timezone, translation
from django.utils.translation import gettext as _

from oncoreach.calls.enums import OPEN_STATES, ApplicationStatus, CallKind, route
from oncoreach.calls.models import Application, Call
from oncoreach.calls.permissions import call_transitions
from oncoreach.calls.services import (
    close_call,
    save_draft,
    start_application,
    submit_application,
    transition_application,
)
from oncoreach.calls.services_setup import set_stages, simple_stages
from oncoreach.core.links import absolute_reverse, absolute_url
from oncoreach.core.services import queue_email, record_audit
from oncoreach.people.models import Person
from oncoreach.programs.models import Cycle, FormDefinition
from oncoreach.workshops.enums import (
    DECIDABLE_APPLICATION_STATUSES,
    REGISTRATION_TRANSITIONS,
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
        time_zone=course.time_zone,
    )
    call.full_clean()
    call.save()
    set_stages(
        call=call, stages=simple_stages(form=form or default_registration_form(), opens_at=now, closes_at=closes_at)
    )
    course.intake_call = call
    course.follow_up_form = course.follow_up_form or default_follow_up_form()
    course.evaluation_form = course.evaluation_form or default_evaluation_form()
    course.save(update_fields=["intake_call", "follow_up_form", "evaluation_form", "updated_at"])
    record_audit(actor=actor, action="workshops.registration_opened", target=course, call=call.pk)
    return call


@transaction.atomic
def close_registration(*, course: Course, actor: Any) -> None:
    """Stop taking registrations now (the course is cancelled); nothing when there is no call."""
    if course.intake_call_id is not None:
        close_call(call=Call.objects.get(pk=course.intake_call_id), actor=actor)


# --- The registration lifecycle --------------------------------------------------------------


def _label(status: str) -> str:
    return str(RegistrationStatus(status).label) if status in RegistrationStatus.values else status


@transaction.atomic
def transition_registration(*, registration: Registration, to: str, actor: Any, reason: str = "") -> Registration:
    """The one way a registration changes status (REGISTRATION_TRANSITIONS): checks the table,
    keeps the wait-list time and the certificate code in step, writes an audit row and queues the
    participant's e-mail (the outbox sends it after commit). Callers change the application."""
    registration = (
        Registration.objects.select_for_update(of=("self",))
        .select_related("course", "person__user")
        .get(pk=registration.pk)
    )
    old = registration.status
    if to not in REGISTRATION_TRANSITIONS.get(old, frozenset()):
        raise ValidationError(
            _("A registration cannot go from “%(old)s” to “%(new)s”.") % {"old": _label(old), "new": _label(to)},
            code="registration_transition",
        )
    registration.status = to
    registration.waitlisted_at = timezone.now() if to == R.WAITLISTED else None
    if to == R.ATTENDED and not registration.certificate_code:
        registration.certificate_code = secrets.token_hex(8).upper()
    if to == R.NO_SHOW:
        registration.certificate_code = None
    registration.save(update_fields=["status", "waitlisted_at", "certificate_code"])
    record_audit(
        actor=actor,
        action="workshops.registration_transition",
        target=registration,
        old=old,
        new=to,
        reason=reason[:500],
    )
    _after_registration_transition(registration=registration, old=old)
    return registration


def _after_registration_transition(*, registration: Registration, old: str) -> None:
    to = registration.status
    if to == R.WAITLISTED:
        mail_registration(registration, "registration_waitlisted", "waitlisted")
    elif to == R.ACCEPTED and old == R.WAITLISTED:
        mail_registration(registration, "registration_promoted", "promoted")
    elif to == R.ACCEPTED:
        mail_registration(registration, "registration_accepted", "accepted")
    elif to == R.CANCELLED and registration.course.status == CourseStatus.CANCELLED:
        mail_registration(registration, "registration_course_cancelled", "course_cancelled")


def mail_registration(registration: Registration, template: str, event: str, **extra: Any) -> None:
    address = recipient_address(registration.person)
    if not address:
        return
    language = recipient_language(registration.person)
    url = absolute_reverse("workshops:registration-detail", kwargs={"pk": registration.pk}, language=language)
    with translation.override(language):
        course_url = absolute_url(registration.course.get_absolute_url())
    queue_email(
        event_key=f"workshops.registration.{registration.pk}.{event}",
        to=address,
        template=f"workshops/email/{template}",
        context={
            "registration": registration,
            "course": registration.course,
            "person": registration.person,
            "url": url,
            "course_url": course_url,
            **extra,
        },
        language=language,
    )


# --- Keeping the application in step --------------------------------------------------------


def _path(application: Application, target: str) -> list[str]:
    """The statuses from the application's to ``target`` through the decidable ones only (the
    call's table, derived from its stages, says which steps exist)."""
    table = call_transitions(application.call)
    start = (application.current_stage.key, application.status)
    return [status for _key, status in route(table, start, target, through=DECIDABLE_APPLICATION_STATUSES)]


def walk_application(application: Application, target: str, actor: Any, note: str = "", notify: bool = True) -> None:
    """Take the application to ``target`` through the review stages its call has (one click for
    staff); only the last step may mail the applicant."""
    steps = _path(application, target)
    for position, step in enumerate(steps):
        last = position == len(steps) - 1
        transition_application(
            application=application, to=step, actor=actor, note=note if last else "", notify=notify and last
        )


def leave_application(*, application: Application, actor: Any, note: str = "") -> None:
    """The participant leaves (or staff release the place for them): an application still open is
    withdrawn and an accepted offer declined, without the calls e-mail; a closed one stays."""
    application.refresh_from_db(fields=["status"])
    if application.status in OPEN_STATES:
        transition_application(application=application, to=S.WITHDRAWN, actor=actor, note=note, notify=False)
    elif application.status == S.ACCEPTED:
        transition_application(application=application, to=S.DECLINED, actor=actor, note=note, notify=False)


# --- The participant -------------------------------------------------------------------------


@transaction.atomic
def register(*, course: Course, person: Person, actor: Any) -> Registration:
    """Start a registration: a draft application to the intake call, linked one-to-one.

    The participant then answers the course's questions and submits (``submit_registration``).
    """
    course = Course.objects.select_related("intake_call").get(pk=course.pk)
    call = course.intake_call
    if call is None or not call.is_open() or course.status != CourseStatus.OPEN:
        raise ValidationError(_("Registration for this course is not open."), code="closed")
    if Registration.objects.filter(course=course, person=person).exists():
        raise ValidationError(_("You are already registered for this course."), code="duplicate")
    application = start_application(call=call, person=person)
    registration = Registration.objects.create(course=course, person=person, application=application, status=R.PENDING)
    record_audit(actor=actor, action="workshops.registration_started", target=registration)
    return registration


def _draft_application(registration: Registration) -> Application:
    application = registration.application
    if application is None or registration.status != R.PENDING or application.status != S.DRAFT:
        raise ValidationError(_("This registration is already sent; its answers can no longer change."), code="sent")
    return application


@transaction.atomic
def save_registration_answers(
    *,
    registration: Registration,
    values: Mapping[str, Any],
    actor: Any,
    files: Mapping[str, UploadedFile] | None = None,
) -> Registration:
    """Keep what the participant typed so far (complete or not) until they submit."""
    save_draft(application=_draft_application(registration), values=values, files=files)
    return registration


@transaction.atomic
def submit_registration(*, registration: Registration, actor: Any, now: dt.datetime | None = None) -> Registration:
    """Send the answers: the application is submitted and judged at once; a participant who is not
    eligible is not selected (the registration follows its application in the same transaction).
    An eligible one waits for the staff intake."""
    application = _draft_application(registration)
    submit_application(application=application, actor=actor, now=now)
    if application.status == S.INELIGIBLE:
        return transition_registration(registration=registration, to=R.REJECTED, actor=actor, reason="ineligible")
    record_audit(actor=actor, action="workshops.registration_submitted", target=registration)
    registration.refresh_from_db()
    return registration
