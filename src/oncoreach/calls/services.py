"""Writes for calls: the application lifecycle, referees, conflicts, reviews and decisions.

``Application.status`` changes only in :func:`transition_application` and
``ReviewAssignment.status`` only in :func:`transition_assignment` (STYLE.md §3).
"""

from __future__ import annotations

import datetime as dt
import secrets
from collections.abc import Mapping
from decimal import ROUND_HALF_UP, Decimal
from typing import Any

from django.core.exceptions import ValidationError
from django.core.files.uploadedfile import UploadedFile
from django.db import transaction
from django.template import TemplateDoesNotExist
from django.template.loader import select_template
from django.utils import formats, timezone
from django.utils.translation import gettext as _

from oncoreach.calls.conflicts import conflicted_pairs, conflicts_for_call
from oncoreach.calls.eligibility import judge_eligibility
from oncoreach.calls.enums import (
    ASSIGNMENT_TRANSITIONS,
    DECISIONS,
    DRIVEN_ELSEWHERE,
    EXTRA_STAGES,
    MAX_REFERENCE_LETTER_BYTES,
    OPEN_STATES,
    REFERENCE_GRACE_DAYS,
    REVIEWER_ASSIGNMENT_RUN,
    STAFF_MOVES,
    ApplicationStatus,
    AssignmentStatus,
    transitions_for,
)
from oncoreach.calls.models import (
    Application,
    Call,
    ConflictDeclaration,
    ReferenceRequest,
    Review,
    ReviewAssignment,
    RubricCriterion,
)
from oncoreach.calls.permissions import reference_letter_refusal
from oncoreach.calls.selectors import reference_token
from oncoreach.core.links import absolute_reverse
from oncoreach.core.models import BackgroundRun
from oncoreach.core.runs import start_run
from oncoreach.core.services import queue_email, record_audit
from oncoreach.people.models import Person
from oncoreach.programs.forms_engine import missing_required, save_answers, validate_pdf_upload
from oncoreach.programs.models import ResponseSet

S = ApplicationStatus

#: Statuses the applicant hears about by e-mail (one mail per application and status).
NOTIFY_STATUSES: frozenset[str] = frozenset(
    {
        S.SUBMITTED,
        S.INELIGIBLE,
        S.LETTER_OF_INTENT,
        S.INTERVIEW,
        S.SHORTLISTED,
        S.ACCEPTED,
        S.REJECTED,
        S.WITHDRAWN,
        S.DECLINED,
    }
)
#: Statuses in which reviewers may be assigned.
REVIEWABLE: frozenset[str] = frozenset({S.ELIGIBLE, S.UNDER_REVIEW, *EXTRA_STAGES, S.SHORTLISTED})


class TransitionNotAllowed(Exception):  # noqa: N818 — reads as the domain says it
    """The allowed-transitions table has no such step from the current status."""

    def __init__(self, current: str, to: str) -> None:
        super().__init__(f"Cannot go from {current} to {to}.")
        self.current = current
        self.to = to


class DrivenElsewhere(TransitionNotAllowed):
    """The application belongs to another app's record (a course registration); act there."""


def _check_not_driven_elsewhere(application: Application, to: str) -> None:
    """The applicant's and staff's entry points here refuse applications another app drives."""
    if application.call.kind in DRIVEN_ELSEWHERE:
        raise DrivenElsewhere(application.status, to)


# --- The choke point --------------------------------------------------------------------------


def _recipient_language(person: Person) -> str:
    user = person.user
    return (user.preferred_language if user is not None else "") or "en"


def _email_template(call: Call, status: str) -> str:
    """The most specific template for this call kind and status (``award_accepted`` beats
    ``application_accepted``), named without its ``_subject.txt`` suffix."""
    names = [f"calls/email/{call.kind}_{status}", f"calls/email/application_{status}"]
    try:
        template = select_template([f"{name}_subject.txt" for name in names])
    except TemplateDoesNotExist:
        return ""
    return str(template.template.name).removesuffix("_subject.txt")


def _notify_applicant(application: Application, status: str) -> None:
    applicant = application.applicant
    template = _email_template(application.call, status)
    if not applicant.email or not template:
        return
    queue_email(
        event_key=f"calls:application:{application.pk}:{status}",
        to=applicant.email,
        template=template,
        context={
            "application": application,
            "call": application.call,
            "applicant": applicant,
            "note": application.decision_note,
            "url": absolute_reverse(
                "calls:application-detail", kwargs={"pk": application.pk}, language=_recipient_language(applicant)
            ),
        },
        language=_recipient_language(applicant),
    )


@transaction.atomic
def transition_application(
    *, application: Application, to: str, actor: Any, note: str = "", notify: bool = True
) -> Application:
    """Move an application one step along its call's table; audit it; queue the applicant's mail.

    ``notify=False`` skips the applicant's mail for a step another app passes through on the
    way to a decision (workshops accept in one click). An app that keeps its own record for an
    application (a course registration) calls this from its own services and changes its record
    in the same transaction; nothing listens here. Raises TransitionNotAllowed for a step the table
    does not have (nothing changes).
    """
    current = (
        Application.objects.select_for_update(of=("self",)).values_list("status", flat=True).get(pk=application.pk)
    )
    table = transitions_for(application.call.extra_stages)
    if to not in table.get(current, frozenset()):
        raise TransitionNotAllowed(current, to)
    now = timezone.now()
    application.status = to
    application.status_changed_at = now
    fields = ["status", "status_changed_at", "updated_at"]
    if to == S.SUBMITTED:
        application.submitted_at = now
        fields.append("submitted_at")
    if to in {S.ACCEPTED, S.REJECTED}:
        application.decided_at = now
        application.decision_note = note
        fields += ["decided_at", "decision_note"]
    application.save(update_fields=fields)
    record_audit(
        actor=actor,
        action="calls.application.transition",
        target=application,
        from_status=current,
        to_status=to,
        note=note,
    )
    if notify and to in NOTIFY_STATUSES:
        _notify_applicant(application, to)
    return application


# --- Applicant --------------------------------------------------------------------------------


@transaction.atomic
def start_application(*, call: Call, person: Person, now: dt.datetime | None = None) -> Application:
    """Open (or find) the person's draft for a call. One application per person and call."""
    existing = Application.objects.filter(call=call, applicant=person).first()
    if existing is not None:
        return existing
    if not call.is_open(now):
        raise ValidationError(_("This call is not open for applications."), code="closed")
    response_set = ResponseSet.objects.create(form=call.form, respondent=person)
    application = Application.objects.create(call=call, applicant=person, response_set=response_set)
    record_audit(actor=person.user, action="calls.application.start", target=application)
    return application


def _require_draft(application: Application) -> None:
    if application.status != S.DRAFT:
        raise ValidationError(
            _("This application was already submitted; it can no longer be changed."), code="not_draft"
        )


@transaction.atomic
def save_draft(
    *, application: Application, values: Mapping[str, Any], files: Mapping[str, UploadedFile] | None = None
) -> Application:
    """Autosave: store whatever was typed, complete or not. Saving the same text twice is a no-op."""
    _require_draft(application)
    assert application.response_set is not None
    save_answers(response_set=application.response_set, values=values, files=files)
    application.draft_saved_at = timezone.now()
    application.save(update_fields=["draft_saved_at", "updated_at"])
    return application


def _deadline_text(call: Call) -> str:
    return formats.date_format(call.closes_at_local, "DATETIME_FORMAT") + f" ({call.time_zone})"


def completeness_problems(*, application: Application) -> list[str]:
    """What still stops this application from being submitted, in words."""
    problems: list[str] = []
    assert application.response_set is not None
    missing = missing_required(response_set=application.response_set)
    if missing:
        problems.append(
            _("Please answer: %(questions)s.") % {"questions": "; ".join(question.label for question in missing)}
        )
    needed = application.call.reference_letters_required
    named = application.reference_requests.count()
    if named < needed:
        problems.append(
            _("Please name %(needed)s referees (%(named)s named so far).") % {"needed": needed, "named": named}
        )
    return problems


@transaction.atomic
def submit_application(*, application: Application, actor: Any, now: dt.datetime | None = None) -> Application:
    """Submit a complete draft before the deadline, then judge eligibility at once.

    Ends eligible or ineligible, with the judged snapshot stored on the application.
    """
    now = now or timezone.now()
    _require_draft(application)
    call = application.call
    if now >= call.closes_at:
        raise ValidationError(
            _("The deadline (%(deadline)s) has passed.") % {"deadline": _deadline_text(call)}, code="deadline"
        )
    problems = completeness_problems(application=application)
    if problems:
        raise ValidationError(problems, code="incomplete")
    assert application.response_set is not None
    ResponseSet.objects.filter(pk=application.response_set.pk).update(submitted_at=now)
    transition_application(application=application, to=S.SUBMITTED, actor=actor)
    result = judge_eligibility(call=call, person=application.applicant)
    application.eligibility = result.as_snapshot()
    application.save(update_fields=["eligibility", "updated_at"])
    return transition_application(
        application=application, to=S.ELIGIBLE if result.eligible else S.INELIGIBLE, actor=actor
    )


@transaction.atomic
def withdraw_application(*, application: Application, actor: Any, note: str = "") -> Application:
    _check_not_driven_elsewhere(application, S.WITHDRAWN)
    if application.status not in OPEN_STATES:
        raise TransitionNotAllowed(application.status, S.WITHDRAWN)
    return transition_application(application=application, to=S.WITHDRAWN, actor=actor, note=note)


@transaction.atomic
def decline_offer(*, application: Application, actor: Any, note: str = "") -> Application:
    """An accepted applicant turns the offer down."""
    _check_not_driven_elsewhere(application, S.DECLINED)
    return transition_application(application=application, to=S.DECLINED, actor=actor, note=note)


# --- Staff ------------------------------------------------------------------------------------


def start_reviewer_assignment(*, call: Call, actor: Any, return_url: str = "") -> BackgroundRun:
    """Queue the engine to propose reviewers for the call's applications (the worker runs it)."""
    return start_run(
        kind=REVIEWER_ASSIGNMENT_RUN,
        actor=actor,
        params={"call_id": call.pk},
        return_url=return_url,
        language=getattr(actor, "preferred_language", "") or "",
    )


@transaction.atomic
def close_call(*, call: Call, actor: Any, now: dt.datetime | None = None) -> Call:
    """Stop taking applications now (e.g. its course is cancelled): an open call closes at once,
    one that has not opened yet is unpublished. Idempotent; the applications stay as they are."""
    now = now or timezone.now()
    call = Call.objects.select_for_update(of=("self",)).get(pk=call.pk)
    if call.opens_at >= now:
        if not call.is_published:
            return call
        call.is_published = False
        call.save(update_fields=["is_published"])
    elif call.closes_at > now:
        call.closes_at = now
        call.save(update_fields=["closes_at"])
    else:
        return call
    record_audit(actor=actor, action="calls.call.closed", target=call, at=now.isoformat())
    return call


@transaction.atomic
def move_application(*, application: Application, to: str, actor: Any, note: str = "") -> Application:
    """Staff move an application through review stages (not decisions; see decide_application)."""
    if to not in STAFF_MOVES:
        raise TransitionNotAllowed(application.status, to)
    _check_not_driven_elsewhere(application, to)
    return transition_application(application=application, to=to, actor=actor, note=note)


@transaction.atomic
def decide_application(*, application: Application, outcome: str, actor: Any, note: str = "") -> Application:
    """Accept or reject; the applicant gets the decision e-mail worded for the call's kind."""
    if outcome not in DECISIONS:
        raise TransitionNotAllowed(application.status, outcome)
    _check_not_driven_elsewhere(application, outcome)
    return transition_application(application=application, to=outcome, actor=actor, note=note)


# --- Referees ---------------------------------------------------------------------------------


@transaction.atomic
def request_reference(
    *, application: Application, referee_name: str, referee_email: str, actor: Any
) -> ReferenceRequest:
    """Name a referee; they get a private link to upload their letter (no account needed)."""
    _require_draft(application)
    email = referee_email.strip().lower()
    if application.reference_requests.filter(referee_email__iexact=email).exists():
        raise ValidationError({"referee_email": _("You already asked this referee.")}, code="duplicate")
    if email == (application.applicant.email or "").lower():
        raise ValidationError({"referee_email": _("You cannot be your own referee.")}, code="self")
    reference = ReferenceRequest(
        application=application,
        referee_name=referee_name.strip(),
        referee_email=email,
        nonce=secrets.token_urlsafe(24),
        expires_at=application.call.closes_at + dt.timedelta(days=REFERENCE_GRACE_DAYS),
    )
    reference.full_clean()
    reference.save()
    record_audit(actor=actor, action="calls.reference.request", target=application, referee=email)
    queue_email(
        event_key=f"calls:reference:{reference.pk}:requested",
        to=email,
        template="calls/email/reference_request",
        context={
            "reference": reference,
            "application": application,
            "call": application.call,
            "applicant": application.applicant,
            "url": absolute_reverse(
                "calls:reference-upload",
                kwargs={"token": reference_token(reference)},
                language=_recipient_language(application.applicant),
            ),
        },
        language=_recipient_language(application.applicant),
    )
    return reference


def reference_refusal_message(code: str) -> str:
    """What a referee reads when their link cannot take a letter (see reference_letter_refusal)."""
    messages = {
        "received": _("We already have your letter. If it must change, please contact the program staff."),
        "closed": _("This application has moved on; no letter is needed any more."),
        "expired": _("This link has expired; please contact the program staff."),
    }
    return messages[code]


@transaction.atomic
def upload_reference_letter(
    *, reference: ReferenceRequest, letter: UploadedFile, now: dt.datetime | None = None
) -> ReferenceRequest:
    """Store the referee's PDF letter: once, while the application takes letters, before expiry.

    The request row is locked and judged again here, so two uploads through one link cannot
    both store a letter. Raises ValidationError (code ``received``, ``closed``, ``expired`` or
    the PDF check's) and changes nothing.
    """
    now = now or timezone.now()
    reference = (
        ReferenceRequest.objects.select_for_update(of=("self",)).select_related("application").get(pk=reference.pk)
    )
    refusal = reference_letter_refusal(reference, now=now)
    if refusal is not None:
        raise ValidationError(reference_refusal_message(refusal), code=refusal)
    validate_pdf_upload(letter, max_bytes=MAX_REFERENCE_LETTER_BYTES)
    reference.letter.save("letter.pdf", letter, save=False)
    reference.submitted_at = now
    reference.save(update_fields=["letter", "submitted_at"])
    record_audit(
        actor=None, action="calls.reference.upload", target=reference.application, referee=reference.referee_email
    )
    return reference


# --- Reviewers and conflicts ------------------------------------------------------------------


@transaction.atomic
def declare_conflict(*, application: Application, reviewer: Person, reason: str, actor: Any) -> ConflictDeclaration:
    declaration, _created = ConflictDeclaration.objects.get_or_create(
        application=application, reviewer=reviewer, defaults={"call": application.call, "reason": reason[:500]}
    )
    record_audit(
        actor=actor, action="calls.conflict.declare", target=application, reviewer=reviewer.pk, reason=reason[:500]
    )
    return declaration


@transaction.atomic
def assign_reviewer(
    *, application: Application, reviewer: Person, actor: Any, by_engine: bool = False, score: float | None = None
) -> ReviewAssignment:
    """Propose a reviewer for an application; refused when they are in conflict of interest.

    An eligible application moves to "under review" with its first reviewer.
    """
    if application.status not in REVIEWABLE:
        raise ValidationError(_("Reviewers can be assigned only to eligible applications."), code="not_reviewable")
    conflicts = conflicts_for_call(call=application.call, reviewer_ids={reviewer.pk})
    if (application.pk, reviewer.pk) in conflicted_pairs(conflicts):
        raise ValidationError(
            _("%(name)s has a conflict of interest with this application.") % {"name": reviewer}, code="conflict"
        )
    assignment, created = ReviewAssignment.objects.get_or_create(
        application=application, reviewer=reviewer, defaults={"by_engine": by_engine, "score": score}
    )
    if not created:
        raise ValidationError(_("%(name)s is already assigned.") % {"name": reviewer}, code="duplicate")
    record_audit(
        actor=actor, action="calls.assignment.propose", target=application, reviewer=reviewer.pk, by_engine=by_engine
    )
    if reviewer.email:
        queue_email(
            event_key=f"calls:assignment:{assignment.pk}:proposed",
            to=reviewer.email,
            template="calls/email/review_request",
            context={
                "call": application.call,
                "reviewer": reviewer,
                "url": absolute_reverse("calls:review-list", language=_recipient_language(reviewer)),
            },
            language=_recipient_language(reviewer),
        )
    if application.status == S.ELIGIBLE:
        transition_application(application=application, to=S.UNDER_REVIEW, actor=actor)
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
    """The rubric total on a 0–100 scale: each score as a share of its scale, weighted."""
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
    criteria = list(RubricCriterion.objects.filter(call_id=assignment.application.call_id).order_by("order", "id"))
    cleaned = _clean_scores(criteria, scores)
    review, _created = Review.objects.update_or_create(
        assignment=assignment,
        defaults={
            "scores": cleaned,
            "comment": comment,
            "conflict_declared": False,
            "weighted_total": weighted_total(criteria=criteria, scores=cleaned),
            "submitted_at": timezone.now(),
        },
    )
    transition_assignment(assignment=assignment, to=AssignmentStatus.SUBMITTED, actor=actor)
    return review
