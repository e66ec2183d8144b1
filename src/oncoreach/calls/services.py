"""Writes for calls: the application lifecycle, referees, conflicts, reviews and decisions.

``Application.status`` changes only in :func:`transition_application` and
``ReviewAssignment.status`` only in :func:`transition_assignment` (STYLE.md §3).
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Mapping
from decimal import ROUND_HALF_UP, Decimal
from typing import Any

from django.core.exceptions import ValidationError
from django.core.files.uploadedfile import UploadedFile
from django.db import transaction
from django.utils import formats, timezone
from django.utils.translation import gettext as _

from oncoreach.calls.conflicts import conflict_index
from oncoreach.calls.eligibility import judge_eligibility, snapshot_is_fixable
from oncoreach.calls.enums import (
    ASSESSMENT_KINDS,
    ASSIGNMENT_TRANSITIONS,
    DECISIONS,
    OPEN_STATES,
    READY_STATUS,
    AssignmentStatus,
)
from oncoreach.calls.lifecycle import (
    LEGACY_TARGETS,
    NOTIFY_STATUSES,
    REVIEWABLE,
    DrivenElsewhere,
    S,
    TransitionNotAllowed,
    advance_application,
    check_not_driven_elsewhere,
    ensure_submission,
    next_stage,
    notify_applicant,
    recipient_language,
    require_draft,
    transition_application,
    transitions_table,
)
from oncoreach.calls.models import (
    Application,
    ApplicationSubmission,
    Call,
    CallStage,
    ConflictDeclaration,
    CriterionScore,
    Review,
    ReviewAssignment,
    RubricCriterion,
)
from oncoreach.calls.permissions import STAFF_MOVES
from oncoreach.calls.references import (
    reference_refusal_message,
    request_reference,
    upload_reference_letter,
)
from oncoreach.calls.selectors import criteria_for_application
from oncoreach.core.links import absolute_reverse
from oncoreach.core.services import queue_email, record_audit
from oncoreach.people.models import Person
from oncoreach.programs.forms_engine import (
    answer_by_key,
    freeze_response_set,
    missing_required,
    save_answers,
)
from oncoreach.programs.models import ResponseSet

# --- Applicant --------------------------------------------------------------------------------


@transaction.atomic
def start_application(*, call: Call, person: Person, now: dt.datetime | None = None) -> Application:
    """Open (or find) the person's draft for a call, in its first stage. One application per
    person and call."""
    existing = Application.objects.filter(call=call, applicant=person).first()
    if existing is not None:
        return existing
    if not call.is_open(now):
        raise ValidationError(_("This call is not open for applications."), code="closed")
    entry = call.entry_stage
    assert entry is not None  # is_open says there is one
    application = Application.objects.create(call=call, applicant=person, current_stage=entry)
    ensure_submission(application, entry)
    record_audit(actor=person.user, action="calls.application.start", target=application)
    return application


def current_submission(application: Application) -> ApplicationSubmission:
    """The answers the applicant works on now (the current submission stage's)."""
    submission = (
        ApplicationSubmission.objects.filter(application=application, stage_id=application.current_stage_id)
        .select_related("response_set", "stage")
        .first()
    )
    if submission is None:
        raise ValidationError(_("This stage of the call takes no answers."), code="no_form")
    return submission


@transaction.atomic
def save_draft(
    *, application: Application, values: Mapping[str, Any], files: Mapping[str, UploadedFile] | None = None
) -> Application:
    """Autosave: store whatever was typed, complete or not. Saving the same text twice is a no-op."""
    require_draft(application)
    save_answers(response_set=current_submission(application).response_set, values=values, files=files)
    application.draft_saved_at = timezone.now()
    application.save(update_fields=["draft_saved_at", "updated_at"])
    return application


def _deadline_text(call: Call, stage: CallStage) -> str:
    closes = stage.closes_at_local
    return (formats.date_format(closes, "DATETIME_FORMAT") if closes else "") + f" ({call.time_zone})"


def _cap_problems(response_set: ResponseSet, caps: Mapping[str, Any]) -> list[str]:
    """The stage's limits on amounts, checked again on the server (the form checks them too)."""
    problems: list[str] = []
    for key, cap in caps.items():
        answer = answer_by_key(response_set, key)
        amount = _amount(answer)
        if amount is not None and amount > Decimal(str(cap)):
            problems.append(_("“%(key)s” may be at most %(cap)s.") % {"key": key, "cap": cap})
    return problems


def _amount(answer: Any) -> Decimal | None:
    value = getattr(answer, "amount", answer)
    if isinstance(value, dict):
        value = value.get("amount")
    if isinstance(value, list):  # a repeating group: the total of its amounts
        amounts = [_amount(row) for row in value]
        found = [item for item in amounts if item is not None]
        return sum(found, Decimal(0)) if found else None
    try:
        return Decimal(str(value)) if value not in (None, "") else None
    except ArithmeticError:
        return None


def completeness_problems(*, application: Application) -> list[str]:
    """What still stops this application from being submitted, in words."""
    problems: list[str] = []
    submission = current_submission(application)
    missing = missing_required(response_set=submission.response_set)
    if missing:
        problems.append(
            _("Please answer: %(questions)s.") % {"questions": "; ".join(question.label for question in missing)}
        )
    problems += _cap_problems(submission.response_set, submission.stage.caps or {})
    needed = application.call.reference_letters_required
    named = application.reference_requests.count()
    if needed and submission.stage.pk == application.call.entry_stage.pk and named < needed:  # type: ignore[union-attr]
        problems.append(
            _("Please name %(needed)s referees (%(named)s named so far).") % {"needed": needed, "named": named}
        )
    return problems


@transaction.atomic
def submit_application(*, application: Application, actor: Any, now: dt.datetime | None = None) -> Application:
    """Submit a complete draft of the current submission stage before its deadline (in the call's
    zone), freeze its answers, then judge eligibility (first stage only).

    Submitting again is harmless: an application already submitted is returned unchanged. An
    application judged ineligible only for missing data (``eligibility.fixable``) may be
    submitted again after the applicant fixed their profile: the check runs again. Ends eligible
    or ineligible, with the judged snapshot stored on the application.
    """
    now = now or timezone.now()
    Application.objects.select_for_update(of=("self",)).filter(pk=application.pk).first()
    application.refresh_from_db(fields=["status", "current_stage", "eligibility"])
    call = application.call
    stage = next(item for item in call.stage_list if item.pk == application.current_stage_id)
    if application.status == S.INELIGIBLE and stage.pk == call.entry_stage.pk:  # type: ignore[union-attr]
        return recheck_eligibility(application=application, actor=actor, now=now)
    if application.status != S.DRAFT:
        if application.status in {S.SUBMITTED, S.ELIGIBLE} and stage.is_submission:
            return application  # submitted twice (a double click, a second tab): nothing to do
        require_draft(application)
    if stage.closes_at is not None and now >= stage.closes_at:
        raise ValidationError(
            _("The deadline (%(deadline)s) has passed.") % {"deadline": _deadline_text(call, stage)}, code="deadline"
        )
    problems = completeness_problems(application=application)
    if problems:
        raise ValidationError(problems, code="incomplete")
    freeze_response_set(response_set=current_submission(application).response_set, now=now)
    ApplicationSubmission.objects.filter(application=application, stage=stage).update(submitted_at=now)
    transition_application(application=application, to=S.SUBMITTED, actor=actor)
    if stage.pk != call.entry_stage.pk:  # type: ignore[union-attr]
        return transition_application(application=application, to=S.ELIGIBLE, actor=actor)
    return _judge(application, actor)


def _judge(application: Application, actor: Any) -> Application:
    result = judge_eligibility(call=application.call, person=application.applicant)
    application.eligibility = result.as_snapshot()
    application.save(update_fields=["eligibility", "updated_at"])
    return transition_application(
        application=application, to=S.ELIGIBLE if result.eligible else S.INELIGIBLE, actor=actor
    )


@transaction.atomic
def recheck_eligibility(*, application: Application, actor: Any, now: dt.datetime | None = None) -> Application:
    """Judge an ineligible application again after the applicant fixed missing data (their
    country of practice, training year…). Refused when the verdict was not for missing data (it
    fails a rule: only staff may override it) or after the deadline."""
    now = now or timezone.now()
    if application.status != S.INELIGIBLE:
        raise TransitionNotAllowed(application.status, S.SUBMITTED)
    if not snapshot_is_fixable(application.eligibility) or application.eligibility.get("override"):
        raise ValidationError(
            _("This application does not meet the call's rules; only the program staff can change that."),
            code="not_fixable",
        )
    entry = application.call.entry_stage
    assert entry is not None
    if entry.closes_at is not None and now >= entry.closes_at:
        raise ValidationError(
            _("The deadline (%(deadline)s) has passed.") % {"deadline": _deadline_text(application.call, entry)},
            code="deadline",
        )
    transition_application(application=application, to=S.SUBMITTED, actor=actor, notify=False)
    return _judge(application, actor)


@transaction.atomic
def override_eligibility(*, application: Application, eligible: bool, reason: str, actor: Any) -> Application:
    """Staff overturn the eligibility verdict (eligible ↔ ineligible) with a reason, kept in the
    snapshot (shown on the application) and the audit log."""
    reason = reason.strip()
    if not reason:
        raise ValidationError({"reason": _("Please give the reason for the override.")}, code="no_reason")
    to = S.ELIGIBLE if eligible else S.INELIGIBLE
    if application.status == to:
        raise ValidationError(_("The application already has this verdict."), code="same_verdict")
    snapshot = dict(application.eligibility or {})
    snapshot["override"] = {
        "eligible": eligible,
        "reason": reason[:1000],
        "by": str(actor) if actor is not None else "",
        "at": timezone.now().isoformat(),
    }
    application.eligibility = snapshot
    application.save(update_fields=["eligibility", "updated_at"])
    transition_application(application=application, to=to, actor=actor, note=reason[:1000])
    record_audit(actor=actor, action="calls.eligibility.override", target=application, eligible=eligible, reason=reason)
    return application


@transaction.atomic
def withdraw_application(*, application: Application, actor: Any, note: str = "") -> Application:
    check_not_driven_elsewhere(application, S.WITHDRAWN)
    if application.status not in OPEN_STATES:
        raise TransitionNotAllowed(application.status, S.WITHDRAWN)
    return transition_application(application=application, to=S.WITHDRAWN, actor=actor, note=note)


@transaction.atomic
def decline_offer(*, application: Application, actor: Any, note: str = "") -> Application:
    """An accepted applicant turns the offer down."""
    check_not_driven_elsewhere(application, S.DECLINED)
    return transition_application(application=application, to=S.DECLINED, actor=actor, note=note)


# --- Staff ------------------------------------------------------------------------------------


@transaction.atomic
def close_call(*, call: Call, actor: Any, now: dt.datetime | None = None) -> Call:
    """Stop taking applications now (e.g. its course is cancelled): an open call's first stage
    closes at once, one that has not opened yet is unpublished. Idempotent; the applications stay
    as they are."""
    now = now or timezone.now()
    call = Call.objects.select_for_update(of=("self",)).get(pk=call.pk)
    entry = call.entry_stage
    assert entry is not None
    if entry.opens_at is not None and entry.opens_at >= now:
        if not call.is_published:
            return call
        call.is_published = False
        call.save(update_fields=["is_published"])
    elif entry.closes_at is None or entry.closes_at > now:
        entry.closes_at = now
        entry.save(update_fields=["closes_at"])
    else:
        return call
    record_audit(actor=actor, action="calls.call.closed", target=call, at=now.isoformat())
    return call


@transaction.atomic
def move_application(
    *, application: Application, to: str, actor: Any, note: str = "", stage: CallStage | None = None
) -> Application:
    """Staff move an application on through the stages (not decisions; see decide_application)."""
    if to not in STAFF_MOVES | set(LEGACY_TARGETS):
        raise TransitionNotAllowed(application.status, to)
    check_not_driven_elsewhere(application, to)
    return transition_application(application=application, to=to, actor=actor, note=note, stage=stage)


@transaction.atomic
def decide_application(*, application: Application, outcome: str, actor: Any, note: str = "") -> Application:
    """Accept, reject or wait-list; the applicant gets the decision e-mail worded for the call's
    kind. An application still in an assessment stage is shortlisted on the way to acceptance."""
    if outcome not in DECISIONS:
        raise TransitionNotAllowed(application.status, outcome)
    check_not_driven_elsewhere(application, outcome)
    return transition_application(application=application, to=outcome, actor=actor, note=note)


# --- Referees ---------------------------------------------------------------------------------


# --- Reviewers and conflicts ------------------------------------------------------------------


@transaction.atomic
def declare_conflict(
    *, application: Application, reviewer: Person, reason: str, actor: Any, call: Call | None = None
) -> ConflictDeclaration:
    """Record a declared conflict (it holds in every stage of the application's call). A caller
    naming a call must name the application's own: a declaration for the wrong call is refused,
    never silently dropped."""
    if call is not None and call.pk != application.call_id:
        raise ValidationError(
            _("This application belongs to another call; the conflict cannot be declared on this one."),
            code="wrong_call",
        )
    declaration, _created = ConflictDeclaration.objects.get_or_create(
        application=application, reviewer=reviewer, defaults={"reason": reason[:500]}
    )
    record_audit(
        actor=actor, action="calls.conflict.declare", target=application, reviewer=reviewer.pk, reason=reason[:500]
    )
    return declaration


def _review_stage_for(application: Application, stage: CallStage | None) -> CallStage:
    """The stage an assignment belongs to: the one named, else the application's current stage
    when it assesses, else the next assessment stage (an eligible application about to enter it)."""
    if stage is not None:
        if stage.call_id != application.call_id or stage.kind not in ASSESSMENT_KINDS:
            raise ValidationError(_("Reviewers are assigned in a review stage of this call."), code="bad_stage")
        return stage
    current = application.current_stage
    if current.kind in ASSESSMENT_KINDS:
        return current
    following = next_stage(application) if application.status == READY_STATUS[current.kind] else None
    if following is None or following.kind not in ASSESSMENT_KINDS:
        raise ValidationError(_("Reviewers can be assigned only to eligible applications."), code="not_reviewable")
    return following


@transaction.atomic
def assign_reviewer(
    *,
    application: Application,
    reviewer: Person,
    actor: Any,
    by_engine: bool = False,
    score: float | None = None,
    stage: CallStage | None = None,
) -> ReviewAssignment:
    """Propose a reviewer for an application in a stage; refused when they are in conflict of
    interest (any rule in the registry). An eligible application enters the review stage with
    its first reviewer."""
    if application.status not in REVIEWABLE:
        raise ValidationError(_("Reviewers can be assigned only to eligible applications."), code="not_reviewable")
    stage = _review_stage_for(application, stage)
    index = conflict_index(
        call=application.call, stage=stage, reviewer_ids={reviewer.pk}, application_ids=[application.pk]
    )
    if index.has(application.pk, reviewer.pk):
        raise ValidationError(
            _("%(name)s has a conflict of interest with this application.") % {"name": reviewer}, code="conflict"
        )
    assignment, created = ReviewAssignment.objects.get_or_create(
        application=application, reviewer=reviewer, stage=stage, defaults={"by_engine": by_engine, "score": score}
    )
    if not created:
        raise ValidationError(_("%(name)s is already assigned.") % {"name": reviewer}, code="duplicate")
    record_audit(
        actor=actor,
        action="calls.assignment.propose",
        target=application,
        reviewer=reviewer.pk,
        stage=stage.key,
        by_engine=by_engine,
    )
    if reviewer.email:
        queue_email(
            event_key=f"calls:assignment:{assignment.pk}:proposed",
            to=reviewer.email,
            template="calls/email/review_request",
            context={
                "call": application.call,
                "reviewer": reviewer,
                "url": absolute_reverse("calls:review-list", language=recipient_language(reviewer)),
            },
            language=recipient_language(reviewer),
        )
    if application.current_stage_id != stage.pk:
        transition_application(application=application, to=S.UNDER_REVIEW, actor=actor, stage=stage)
    return assignment


@transaction.atomic
def transition_assignment(*, assignment: ReviewAssignment, to: str, actor: Any, note: str = "") -> ReviewAssignment:
    """The one place a review assignment's status changes (proposed → accepted | declined → submitted)."""
    current = (
        ReviewAssignment.objects.select_for_update(of=("self",)).values_list("status", flat=True).get(pk=assignment.pk)
    )
    if to not in ASSIGNMENT_TRANSITIONS.get(current, frozenset()):
        raise TransitionNotAllowed(current, to)
    assignment.status = to
    assignment.responded_at = timezone.now()
    assignment.save(update_fields=["status", "responded_at"])
    record_audit(
        actor=actor,
        action="calls.assignment.transition",
        target=assignment.application,
        reviewer=assignment.reviewer_id,
        from_status=current,
        to_status=to,
        note=note,
    )
    return assignment


@transaction.atomic
def respond_to_assignment(
    *, assignment: ReviewAssignment, accept: bool, actor: Any, conflict_reason: str = ""
) -> ReviewAssignment:
    """The reviewer accepts, or declines (declaring a conflict when they give one)."""
    if accept:
        return transition_assignment(assignment=assignment, to=AssignmentStatus.ACCEPTED, actor=actor)
    if conflict_reason.strip():
        declare_conflict(
            application=assignment.application, reviewer=assignment.reviewer, reason=conflict_reason, actor=actor
        )
    return transition_assignment(assignment=assignment, to=AssignmentStatus.DECLINED, actor=actor, note=conflict_reason)


def weighted_total(*, criteria: list[RubricCriterion], scores: Mapping[str, Any]) -> Decimal | None:
    """The rubric total on a 0–100 scale: each score as a share of its scale, weighted. Given the
    criteria of the application's rubric variant, every variant's total runs from 0 to 100 too,
    so totals of different variants rank together (``calls.rubric_variants``)."""
    if not criteria:
        return None
    total_weight = sum((criterion.weight for criterion in criteria), Decimal(0))
    points = sum(
        (
            criterion.weight * Decimal(int(scores[str(criterion.pk)])) / Decimal(criterion.scale_max)
            for criterion in criteria
        ),
        Decimal(0),
    )
    return (points / total_weight * 100).quantize(Decimal("0.01"), rounding=ROUND_HALF_UP)


def _clean_scores(criteria: list[RubricCriterion], scores: Mapping[str, Any]) -> dict[str, int]:
    cleaned: dict[str, int] = {}
    errors: dict[str, str] = {}
    for criterion in criteria:
        key = str(criterion.pk)
        try:
            value = int(scores.get(key, ""))
        except (TypeError, ValueError):
            errors[f"c{criterion.pk}"] = _("Please give a score.")
            continue
        if not 0 <= value <= criterion.scale_max:
            errors[f"c{criterion.pk}"] = _("Scores run from 0 to %(max)s.") % {"max": criterion.scale_max}
            continue
        cleaned[key] = value
    if errors:
        raise ValidationError(errors, code="bad_score")
    return cleaned


@transaction.atomic
def record_review(
    *,
    assignment: ReviewAssignment,
    scores: Mapping[str, Any],
    comment: str,
    actor: Any,
    conflict_declared: bool = False,
    conflict_reason: str = "",
) -> Review | None:
    """Submit a review with a score per rubric criterion. Declaring a conflict instead withdraws
    the reviewer from this application (declaration + declined assignment) and returns None."""
    if conflict_declared:
        declare_conflict(
            application=assignment.application,
            reviewer=assignment.reviewer,
            reason=conflict_reason or _("Declared while reviewing"),
            actor=actor,
        )
        transition_assignment(assignment=assignment, to=AssignmentStatus.DECLINED, actor=actor, note=conflict_reason)
        Review.objects.filter(assignment=assignment).delete()
        return None
    if assignment.status == AssignmentStatus.PROPOSED:
        transition_assignment(assignment=assignment, to=AssignmentStatus.ACCEPTED, actor=actor)
    if assignment.status != AssignmentStatus.ACCEPTED:
        raise TransitionNotAllowed(assignment.status, AssignmentStatus.SUBMITTED)
    criteria = criteria_for_application(stage=assignment.stage_id, application=assignment.application)
    cleaned = _clean_scores(criteria, scores)
    review, _created = Review.objects.update_or_create(
        assignment=assignment,
        defaults={
            "comment": comment,
            "conflict_declared": False,
            "weighted_total": weighted_total(criteria=criteria, scores=cleaned),
            "submitted_at": timezone.now(),
        },
    )
    CriterionScore.objects.filter(review=review).delete()
    CriterionScore.objects.bulk_create(
        [CriterionScore(review=review, criterion_id=int(key), score=value) for key, value in cleaned.items()]
    )
    transition_assignment(assignment=assignment, to=AssignmentStatus.SUBMITTED, actor=actor)
    return review


#: Names other apps and views call through ``services`` (they live in lifecycle and references).
__all__ = [
    "NOTIFY_STATUSES",
    "REVIEWABLE",
    "DrivenElsewhere",
    "TransitionNotAllowed",
    "advance_application",
    "notify_applicant",
    "reference_refusal_message",
    "request_reference",
    "transition_application",
    "transitions_table",
    "upload_reference_letter",
]
