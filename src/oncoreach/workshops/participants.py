"""Writes for participants and hosts: registration through the course's intake call, the staff
intake (accept, wait-list, reject), automatic promotion from the wait list, follow-up form,
attendance and scores, the evaluation survey, the one-year impact survey and host approval.

The decision lives on the calls Application (changed only by ``transition_application``); the
Registration mirrors it in :func:`on_application_status_changed`. For a participant intake call,
the calls stage "shortlisted" means wait-listed. Bad input raises ``ValidationError`` and
changes nothing.
"""

from __future__ import annotations

import datetime as dt
import secrets
from collections import deque
from collections.abc import Mapping
from decimal import Decimal
from typing import Any

from django.core.exceptions import ValidationError
from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from oncoreach.calls.enums import ApplicationStatus, CallKind, transitions_for
from oncoreach.calls.models import Application, Call
from oncoreach.calls.services import start_application, transition_application
from oncoreach.core.links import absolute_reverse
from oncoreach.core.services import queue_email, record_audit
from oncoreach.people.models import Organization, Person
from oncoreach.programs.forms_engine import create_form_definition, questions_for, save_answers
from oncoreach.programs.models import Cycle, FormDefinition, ResponseSet
from oncoreach.workshops.enums import (
    DECIDABLE_APPLICATION_STATUSES,
    FOLLOWUP_AFTER_DAYS,
    OFFER_STATUSES,
    SEAT_TAKING_STATUSES,
    CourseStatus,
    RegistrationStatus,
)
from oncoreach.workshops.models import Course, Registration
from oncoreach.workshops.tokens import make_survey_token

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

# --- Default forms (the society edits them in the admin; the code only makes the first ones) -----

REGISTRATION_FORM = "Course registration"
FOLLOW_UP_FORM = "Course follow-up: travel and dietary needs"
EVALUATION_FORM = "Course evaluation"
IMPACT_FORM = "Course one-year follow-up"
RATING_CHOICES = [[str(n), str(n)] for n in range(1, 6)]


def _form(name: str, questions: list[Mapping[str, Any]]) -> FormDefinition:
    existing = FormDefinition.objects.filter(name=name).first()
    return existing or create_form_definition(name=name, questions=questions)


def default_registration_form() -> FormDefinition:
    return _form(
        REGISTRATION_FORM,
        [
            {"kind": "long_text", "label": "Why do you want to attend this course?", "max_words": 200},
            {"kind": "short_text", "label": "Your current position", "required": False},
        ],
    )


def default_follow_up_form() -> FormDefinition:
    return _form(
        FOLLOW_UP_FORM,
        [
            {"kind": "long_text", "label": "Travel plans (arrival and departure)", "required": False},
            {"kind": "short_text", "label": "Dietary needs", "required": False},
        ],
    )


def default_evaluation_form() -> FormDefinition:
    return _form(
        EVALUATION_FORM,
        [
            {"kind": "single_choice", "label": "Overall, how useful was the course? (1–5)", "choices": RATING_CHOICES},
            {"kind": "single_choice", "label": "How good was the teaching? (1–5)", "choices": RATING_CHOICES},
            {"kind": "long_text", "label": "What would you improve?", "required": False},
        ],
    )


#: Order of the impact questions: the answers are copied into the registration's figures.
IMPACT_ORDER = ("practice_changed", "tumor_boards_started", "colleagues_trained", "story")


def impact_survey_form() -> FormDefinition:
    return _form(
        IMPACT_FORM,
        [
            {"kind": "yes_no", "label": "Did the course change how you practise?"},
            {"kind": "number", "label": "How many tumor boards have you started since?"},
            {"kind": "number", "label": "How many colleagues have you trained since?"},
            {"kind": "long_text", "label": "Tell us what changed", "required": False, "max_words": 300},
        ],
    )


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


def _walk(application: Application, target: str, actor: Any, note: str = "", notify: bool = True) -> None:
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
    _walk(application, targets[outcome], actor, note=note, notify=outcome == R.REJECTED)
    registration.refresh_from_db()
    if outcome in (R.ACCEPTED, R.WAITLISTED):
        _mail(registration, f"registration_{outcome}", outcome)
    return registration


def _language(person: Person) -> str:
    user = person.user
    return (user.preferred_language if user is not None else "") or "en"


def _address(person: Person) -> str:
    return person.email or (person.user.email if person.user is not None else "")


def _mail(registration: Registration, template: str, event: str, **extra: Any) -> None:
    address = _address(registration.person)
    if not address:
        return
    language = _language(registration.person)
    url = absolute_reverse("workshops:registration-detail", kwargs={"pk": registration.pk}, language=language)
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
    _walk(registration.application, S.ACCEPTED, actor, notify=False)
    registration.refresh_from_db()
    record_audit(actor=actor, action="workshops.registration_promoted", target=registration)
    _mail(registration, "registration_promoted", "promoted")
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


# --- After acceptance ------------------------------------------------------------------------


def _response_set(registration: Registration, field: str, form: FormDefinition) -> ResponseSet:
    current = getattr(registration, field)
    if current is None:
        current = ResponseSet.objects.create(form=form, respondent=registration.person)
        setattr(registration, field, current)
        registration.save(update_fields=[field])
    return current


@transaction.atomic
def save_follow_up(*, registration: Registration, values: Mapping[str, Any], actor: Any) -> Registration:
    """Travel and dietary needs, for accepted participants (may be changed until the course)."""
    if registration.status not in OFFER_STATUSES:
        raise ValidationError(_("The follow-up form opens once your place is confirmed."), code="not_accepted")
    form = registration.course.follow_up_form or default_follow_up_form()
    save_answers(response_set=_response_set(registration, "follow_up", form), values=values)
    record_audit(actor=actor, action="workshops.registration_follow_up", target=registration)
    return registration


def _check_course_started(course: Course, today: dt.date | None) -> None:
    today = today or timezone.localdate()
    if today < course.start_date:
        raise ValidationError(_("Attendance is recorded once the course has started."), code="too_early")


@transaction.atomic
def record_attendance(
    *, registration: Registration, attended: bool, actor: Any, today: dt.date | None = None
) -> Registration:
    """Attended (a certificate code is issued) or no-show, for accepted participants only."""
    registration = Registration.objects.select_for_update(of=("self",)).select_related("course").get(pk=registration.pk)
    if registration.status not in SEAT_TAKING_STATUSES:
        raise ValidationError(_("Only accepted participants can be marked present or absent."), code="not_accepted")
    _check_course_started(registration.course, today)
    old = registration.status
    registration.status = R.ATTENDED if attended else R.NO_SHOW
    if attended and not registration.certificate_code:
        registration.certificate_code = secrets.token_hex(8).upper()
    if not attended:
        registration.certificate_code = None
    registration.save(update_fields=["status", "certificate_code"])
    record_audit(
        actor=actor, action="workshops.registration_attendance", target=registration, old=old, new=registration.status
    )
    return registration


def _score(value: Any, field: str) -> Decimal | None:
    if value in (None, ""):
        return None
    try:
        score = Decimal(str(value))
    except ArithmeticError as exc:
        raise ValidationError({field: _("Enter a number from 0 to 100.")}, code="bad_score") from exc
    if not score.is_finite() or not Decimal(0) <= score <= Decimal(100):
        raise ValidationError({field: _("Enter a number from 0 to 100.")}, code="bad_score")
    return score.quantize(Decimal("0.01"))


@transaction.atomic
def record_scores(*, registration: Registration, pre: Any, post: Any, actor: Any) -> Registration:
    """Pre- and post-test scores (0–100) for a participant who took part."""
    if registration.status not in SEAT_TAKING_STATUSES:
        raise ValidationError(_("Scores are recorded for accepted participants only."), code="not_accepted")
    registration.pre_test_score = _score(pre, "pre_test_score")
    registration.post_test_score = _score(post, "post_test_score")
    registration.save(update_fields=["pre_test_score", "post_test_score"])
    record_audit(actor=actor, action="workshops.registration_scores", target=registration, pre=str(pre), post=str(post))
    return registration


@transaction.atomic
def record_participation(
    *, registration: Registration, attendance: str, pre: Any, post: Any, actor: Any, today: dt.date | None = None
) -> Registration:
    """The staff attendance row in one go: attended / no-show (or unchanged) and both scores."""
    if attendance not in ("", "attended", "no_show"):
        raise ValidationError(_("Choose attended or no-show."), code="bad_attendance")
    if attendance:
        registration = record_attendance(
            registration=registration, attended=attendance == "attended", actor=actor, today=today
        )
    return record_scores(registration=registration, pre=pre, post=post, actor=actor)


@transaction.atomic
def submit_evaluation(*, registration: Registration, values: Mapping[str, Any], actor: Any) -> Registration:
    """The participant's evaluation survey, once, after attending."""
    if registration.status != R.ATTENDED:
        raise ValidationError(_("The evaluation opens for participants who attended."), code="not_attended")
    if registration.evaluation is not None and registration.evaluation.submitted_at is not None:
        raise ValidationError(_("You already sent your evaluation. Thank you!"), code="duplicate")
    form = registration.course.evaluation_form or default_evaluation_form()
    response_set = _response_set(registration, "evaluation", form)
    save_answers(response_set=response_set, values=values)
    ResponseSet.objects.filter(pk=response_set.pk).update(submitted_at=timezone.now())
    record_audit(actor=actor, action="workshops.registration_evaluation", target=registration)
    return registration


# --- The one-year follow-up ------------------------------------------------------------------


def send_followup_surveys(*, today: dt.date | None = None) -> int:
    """E-mail every attendee whose course ended a year ago or more and who was not asked yet.

    Idempotent: a registration is asked once (sent time stored, e-mail unique per event).
    """
    today = today or timezone.localdate()
    due = Registration.objects.filter(
        status=R.ATTENDED,
        impact_survey_sent_at__isnull=True,
        course__end_date__lte=today - dt.timedelta(days=FOLLOWUP_AFTER_DAYS),
    ).select_related("course", "person__user")
    sent = 0
    for registration in due:
        with transaction.atomic():
            updated = Registration.objects.filter(pk=registration.pk, impact_survey_sent_at__isnull=True).update(
                impact_survey_sent_at=timezone.now()
            )
            if not updated:
                continue
            url = absolute_reverse(
                "workshops:impact-survey",
                kwargs={"token": make_survey_token(registration_pk=registration.pk)},
                language=_language(registration.person),
            )
            _mail(registration, "impact_survey", "impact_survey", survey_url=url)
            record_audit(actor=None, action="workshops.impact_survey_sent", target=registration)
            sent += 1
    return sent


def _number(value: Any) -> int | None:
    try:
        return max(0, int(Decimal(str(value))))
    except (ArithmeticError, ValueError):
        return None


@transaction.atomic
def submit_impact_survey(*, registration: Registration, values: Mapping[str, Any]) -> Registration:
    """Store the one-year answers and copy the figures that feed the course's impact."""
    if registration.impact_survey_sent_at is None:
        raise ValidationError(_("This survey is not open for you."), code="not_sent")
    if registration.impact_survey is not None and registration.impact_survey.submitted_at is not None:
        raise ValidationError(_("You already answered this survey. Thank you!"), code="duplicate")
    form = impact_survey_form()
    response_set = _response_set(registration, "impact_survey", form)
    save_answers(response_set=response_set, values=values)
    ResponseSet.objects.filter(pk=response_set.pk).update(submitted_at=timezone.now())
    by_key = dict(zip(IMPACT_ORDER, questions_for(form), strict=False))
    registration.practice_changed = {"yes": True, "no": False}.get(
        str(values.get(by_key["practice_changed"].field_name))
    )
    registration.tumor_boards_started = _number(values.get(by_key["tumor_boards_started"].field_name))
    registration.colleagues_trained = _number(values.get(by_key["colleagues_trained"].field_name))
    registration.save(update_fields=["practice_changed", "tumor_boards_started", "colleagues_trained"])
    record_audit(actor=None, action="workshops.impact_survey_answered", target=registration)
    return registration


# --- Hosts -----------------------------------------------------------------------------------


def _applicant_organization(person: Person) -> Organization | None:
    affiliation = person.affiliations.select_related("organization").order_by("-is_primary", "id").first()
    return affiliation.organization if affiliation is not None else None


@transaction.atomic
def approve_host_application(
    *,
    application: Application,
    actor: Any,
    template: Any,
    title: str,
    city: str,
    start_date: dt.date,
    end_date: dt.date,
    time_zone: str,
    capacity: int,
    organization: Organization | None = None,
    note: str = "",
) -> Course:
    """Accept a host application: the institution becomes a partner and its course is created in
    planning, with the applicant as host contact (they see its registrations)."""
    from oncoreach.workshops.services import create_course

    application = Application.objects.select_related("call__cycle__program", "applicant").get(pk=application.pk)
    if application.call.kind != CallKind.HOST:
        raise ValidationError(_("This is not a host application."), code="not_host")
    organization = organization or _applicant_organization(application.applicant)
    if organization is None:
        raise ValidationError(_("Name the applicant's institution first."), code="no_organization")
    if application.status not in DECIDABLE:
        raise ValidationError(
            _("This application cannot be approved now (it is “%(status)s”).")
            % {"status": ApplicationStatus(application.status).label},
            code="not_decidable",
        )
    course = create_course(
        actor=actor,
        template=template,
        program=application.call.cycle.program,
        title=title,
        host_organization=organization,
        city=city,
        country=organization.country,
        start_date=start_date,
        end_date=end_date,
        time_zone=time_zone,
        capacity=capacity,
    )
    _walk(application, S.ACCEPTED, actor, note=note)
    Organization.objects.filter(pk=organization.pk).update(is_partner=True)
    course.host_application = application
    course.save(update_fields=["host_application", "updated_at"])
    course.host_contacts.add(application.applicant)
    record_audit(actor=actor, action="workshops.host_approved", target=course, application=application.pk)
    return course
