"""The staff intake and the wait list: accept (within capacity), wait-list or reject a submitted
registration, promote the first wait-listed when a place frees up, and cancel registrations (the
participant leaves, staff release a place, or the course is cancelled).

Each service changes the registration (``transition_registration``) and its application
(``transition_application``) together, in one transaction.
"""

from __future__ import annotations

from typing import Any

from django.core.exceptions import ValidationError
from django.db import transaction
from django.utils.translation import gettext as _

from oncoreach.calls.enums import OPEN_STATES, ApplicationStatus
from oncoreach.calls.services import transition_application
from oncoreach.core.services import record_audit
from oncoreach.workshops.enums import (
    DECIDABLE_APPLICATION_STATUSES,
    INTAKE_APPLICATION_STATUS,
    LIVE_REGISTRATION_STATUSES,
    REGISTRATION_TRANSITIONS,
    SEAT_TAKING_STATUSES,
    RegistrationStatus,
)
from oncoreach.workshops.models import Course, Registration
from oncoreach.workshops.services.registration import leave_application, transition_registration, walk_application

S = ApplicationStatus
R = RegistrationStatus


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
    if application is None or outcome not in INTAKE_APPLICATION_STATUS:
        raise ValidationError(_("This decision is not possible here."), code="bad_outcome")
    if (
        application.status not in DECIDABLE_APPLICATION_STATUSES
        or outcome not in REGISTRATION_TRANSITIONS[registration.status]
    ):
        raise ValidationError(
            _("This registration cannot be changed now (its application is “%(status)s”).")
            % {"status": ApplicationStatus(application.status).label},
            code="not_decidable",
        )
    if outcome == R.ACCEPTED:
        _check_capacity(course)
    # Only a rejection uses the calls wording; acceptance and wait-list mails come from the
    # registration's transition.
    walk_application(application, INTAKE_APPLICATION_STATUS[outcome], actor, note=note, notify=outcome == R.REJECTED)
    return transition_registration(registration=registration, to=outcome, actor=actor, reason=note)


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
    registration = transition_registration(registration=registration, to=R.ACCEPTED, actor=actor)
    record_audit(actor=actor, action="workshops.registration_promoted", target=registration)
    return registration


def promote_if_possible(*, course: Course, actor: Any) -> Registration | None:
    """Automatic promotion: promote when a place is free and someone waits; otherwise nothing."""
    try:
        with transaction.atomic():
            return promote_from_waitlist(course=course, actor=actor)
    except ValidationError:
        return None


def _cancel(*, registration: Registration, actor: Any, reason: str) -> Registration:
    registration = Registration.objects.select_for_update(of=("self",)).select_related("course").get(pk=registration.pk)
    if registration.status not in LIVE_REGISTRATION_STATUSES:
        raise ValidationError(
            _("Only a pending, wait-listed or accepted registration can be cancelled."), code="not_withdrawable"
        )
    held_seat = registration.status in SEAT_TAKING_STATUSES
    if registration.application is not None:
        leave_application(application=registration.application, actor=actor, note=reason)
    registration = transition_registration(registration=registration, to=R.CANCELLED, actor=actor, reason=reason)
    if held_seat:
        promote_if_possible(course=registration.course, actor=actor)
    return registration


@transaction.atomic
def cancel_registration(*, registration: Registration, actor: Any, reason: str = "") -> Registration:
    """The participant cannot come after all: their application is withdrawn (or the offer
    declined) and a place they held goes to the first wait-listed participant."""
    return _cancel(registration=registration, actor=actor, reason=reason.strip()[:500])


@transaction.atomic
def withdraw_registration(*, registration: Registration, actor: Any, reason: str = "") -> Registration:
    """Staff release a participant's place for them (e.g. they cannot travel); the first
    wait-listed participant is promoted."""
    registration = _cancel(registration=registration, actor=actor, reason=reason.strip()[:500])
    record_audit(actor=actor, action="workshops.registration_withdrawn", target=registration, reason=reason[:500])
    return registration


def cancel_registrations_for_course(*, course: Course, actor: Any) -> int:
    """The course is cancelled: every live registration is cancelled (each participant is told in
    their language) and every application still open is withdrawn; accepted offers stay on record
    as the society's decision. No one is promoted. Returns how many registrations were cancelled."""
    registrations = list(
        Registration.objects.filter(course=course, status__in=LIVE_REGISTRATION_STATUSES)
        .select_related("application")
        .order_by("id")
    )
    for registration in registrations:
        application = registration.application
        if application is not None and application.status in OPEN_STATES:
            transition_application(
                application=application, to=S.WITHDRAWN, actor=actor, note="course cancelled", notify=False
            )
        transition_registration(registration=registration, to=R.CANCELLED, actor=actor, reason="course cancelled")
    return len(registrations)
