"""After acceptance: the follow-up form, attendance and scores, the evaluation survey and the
one-year impact survey."""

from __future__ import annotations

import datetime as dt
from collections.abc import Mapping
from decimal import Decimal
from typing import Any

from django.core.exceptions import ValidationError
from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from oncoreach.core.links import absolute_reverse
from oncoreach.core.services import record_audit
from oncoreach.programs.forms_engine import questions_for, save_answers
from oncoreach.programs.models import FormDefinition, ResponseSet
from oncoreach.workshops.enums import FOLLOWUP_AFTER_DAYS, OFFER_STATUSES, SEAT_TAKING_STATUSES, RegistrationStatus
from oncoreach.workshops.models import Course, Registration
from oncoreach.workshops.services.intake_forms import (
    IMPACT_ORDER,
    default_evaluation_form,
    default_follow_up_form,
    impact_survey_form,
)
from oncoreach.workshops.services.recipients import recipient_language
from oncoreach.workshops.services.registration import mail_registration, transition_registration
from oncoreach.workshops.tokens import make_survey_token

R = RegistrationStatus


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
    """Attended (a certificate code is issued) or no-show, for accepted participants only; staff
    may correct the mark later. Marking what is already marked changes nothing."""
    registration = Registration.objects.select_related("course").get(pk=registration.pk)
    if registration.status not in SEAT_TAKING_STATUSES:
        raise ValidationError(_("Only accepted participants can be marked present or absent."), code="not_accepted")
    _check_course_started(registration.course, today)
    to = R.ATTENDED if attended else R.NO_SHOW
    if registration.status == to:
        return registration
    return transition_registration(registration=registration, to=to, actor=actor)


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
                language=recipient_language(registration.person),
            )
            mail_registration(registration, "impact_survey", "impact_survey", survey_url=url)
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
