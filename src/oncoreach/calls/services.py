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

from oncoreach.calls.conflicts import conflict_index
from oncoreach.calls.eligibility import judge_eligibility, snapshot_is_fixable
from oncoreach.calls.enums import (
    ASSESSMENT_KINDS,
    ASSIGNMENT_TRANSITIONS,
    DECISIONS,
    DRIVEN_ELSEWHERE,
    ENTRY_STATUS,
    MAX_REFERENCE_LETTER_BYTES,
    OPEN_STATES,
    READY_STATUS,
    REFERENCE_GRACE_DAYS,
    REVIEWER_ASSIGNMENT_RUN,
    ApplicationStatus,
    AssignmentStatus,
    StageKind,
    State,
)
from oncoreach.calls.models import (
    Application,
    ApplicationSubmission,
    Call,
    CallStage,
    ConflictDeclaration,
    CriterionScore,
    ReferenceRequest,
    Review,
    ReviewAssignment,
    RubricCriterion,
)
from oncoreach.calls.permissions import STAFF_MOVES, call_transitions, reference_letter_refusal
from oncoreach.calls.selectors import reference_token
from oncoreach.calls.stage_kinds import run_on_enter
from oncoreach.core.links import absolute_reverse
from oncoreach.core.models import BackgroundRun
from oncoreach.core.runs import start_run
from oncoreach.core.services import queue_email, record_audit
from oncoreach.people.models import Person
from oncoreach.programs.forms_engine import (
    answer_by_key,
    freeze_response_set,
    missing_required,
    save_answers,
    validate_pdf_upload,
)
from oncoreach.programs.models import ResponseSet

S = ApplicationStatus

#: Statuses the applicant hears about by e-mail (one mail per application, stage and status).
NOTIFY_STATUSES: frozenset[str] = frozenset(
    {S.SUBMITTED, S.INELIGIBLE, S.SHORTLISTED, S.WAITLISTED, S.ACCEPTED, S.REJECTED, S.WITHDRAWN, S.DECLINED}
)
#: Statuses in which reviewers may be assigned (an assessment stage's, or an eligible application
#: about to enter one).
REVIEWABLE: frozenset[str] = frozenset({S.ELIGIBLE, S.UNDER_REVIEW, S.SHORTLISTED})
#: The mail an applicant gets on entering a stage of these kinds (templates application_<name>).
_STAGE_MAIL: dict[str, str] = {StageKind.SUBMISSION: "invited", StageKind.INTERVIEW: "interview"}
#: Former statuses (before stages were data) that callers may still name: the stage they meant.
_LEGACY_TARGETS: dict[str, tuple[str, str]] = {
    S.LETTER_OF_INTENT: ("key", "letter_of_intent"),
    S.INTERVIEW: ("kind", StageKind.INTERVIEW),
}


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


def _notify_applicant(application: Application, status: str, *, event: str = "") -> None:
    applicant = application.applicant
    template = _email_template(application.call, status)
    if not applicant.email or not template:
        return
    queue_email(
        event_key=f"calls:application:{application.pk}:{event or status}",
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


transitions_table = call_transitions


def _target(
    table: dict[State, frozenset[State]], call: Call, current: State, to: str, stage: CallStage | None
) -> State | None:
    """The one state among the allowed next ones that ``to`` (and ``stage``, when given) names."""
    targets = table.get(current, frozenset())
    if to in _LEGACY_TARGETS and stage is None:
        field, value = _LEGACY_TARGETS[to]
        wanted = [s.key for s in call.stage_list if getattr(s, field) == value]
        found = [state for state in targets if state[0] in wanted and state[1] == S.UNDER_REVIEW]
        return found[0] if len(found) == 1 else None
    found = [state for state in targets if state[1] == to and (stage is None or state[0] == stage.key)]
    if len(found) > 1:  # the same status in this stage and the next: staying put is the default
        found = [state for state in found if state[0] == current[0]]
    return found[0] if len(found) == 1 else None


def _ensure_submission(application: Application, stage: CallStage) -> ApplicationSubmission | None:
    """The application's answers to a submission stage (created empty on entering it)."""
    if stage.kind != StageKind.SUBMISSION or stage.form_id is None:
        return None
    existing = ApplicationSubmission.objects.filter(application=application, stage=stage).first()
    if existing is not None:
        return existing
    response_set = ResponseSet.objects.create(form_id=stage.form_id, respondent_id=application.applicant_id)
    return ApplicationSubmission.objects.create(application=application, stage=stage, response_set=response_set)


@transaction.atomic
def transition_application(
    *,
    application: Application,
    to: str,
    actor: Any,
    note: str = "",
    notify: bool = True,
    stage: CallStage | None = None,
) -> Application:
    """Move an application one step along its call's table; audit it; queue the applicant's mail.

    ``to`` is the status to take; the stage follows from the table (moving on from a stage's
    ready status enters the next stage), or is named with ``stage`` when a status could be taken
    in two stages. ``notify=False`` skips the applicant's mail for a step another app passes
    through on the way to a decision (workshops accept in one click). An app that keeps its own
    record for an application (a course registration) calls this from its own services and
    changes its record in the same transaction. Entering a stage runs the behaviours apps
    registered for its kind (``stage_kinds``). Raises TransitionNotAllowed for a step the table
    does not have (nothing changes).
    """
    locked = (
        Application.objects.select_for_update(of=("self",)).values("status", "current_stage_id").get(pk=application.pk)
    )
    call = application.call
    stages = {item.pk: item for item in call.stage_list}
    current_stage = stages[locked["current_stage_id"]]
    current: State = (current_stage.key, locked["status"])
    target = _target(transitions_table(call), call, current, to, stage)
    if target is None:
        raise TransitionNotAllowed(locked["status"], to)
    new_stage = next(item for item in stages.values() if item.key == target[0])
    now = timezone.now()
    application.status = target[1]
    application.current_stage = new_stage
    application.status_changed_at = now
    fields = ["status", "current_stage", "status_changed_at", "updated_at"]
    if target[1] == S.SUBMITTED:
        application.submitted_at = now
        fields.append("submitted_at")
    if target[1] in DECISIONS:
        application.decided_at = now
        application.decision_note = note
        fields += ["decided_at", "decision_note"]
    application.save(update_fields=fields)
    record_audit(
        actor=actor,
        action="calls.application.transition",
        target=application,
        from_status=current[1],
        to_status=target[1],
        from_stage=current[0],
        to_stage=target[0],
        note=note,
    )
    if new_stage.pk != current_stage.pk:
        _ensure_submission(application, new_stage)
        run_on_enter(application=application, stage=new_stage, actor=actor)
    if notify and target[1] in NOTIFY_STATUSES:
        _notify_applicant(application, target[1])
    elif notify and new_stage.pk != current_stage.pk and new_stage.kind in _STAGE_MAIL:
        # Entering a later submission stage is an invitation; an interview stage, one too.
        _notify_applicant(application, _STAGE_MAIL[new_stage.kind], event=f"stage:{new_stage.key}")
    return application


def next_stage(application: Application) -> CallStage | None:
    stages = application.call.stage_list
    position = next(i for i, item in enumerate(stages) if item.pk == application.current_stage_id)
    return stages[position + 1] if position + 1 < len(stages) else None


@transaction.atomic
def advance_application(*, application: Application, actor: Any, note: str = "") -> Application:
    """Move an application on to its call's next stage (from the current stage's ready status:
    eligible after a submission, under review after an assessment). An application entering a
    later submission stage is invited: it gets an empty draft of that stage's form."""
    following = next_stage(application)
    if following is None:
        raise TransitionNotAllowed(application.status, "next stage")
    _check_not_driven_elsewhere(application, ENTRY_STATUS[following.kind])
    return transition_application(
        application=application, to=ENTRY_STATUS[following.kind], actor=actor, note=note, stage=following
    )


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
    _ensure_submission(application, entry)
    record_audit(actor=person.user, action="calls.application.start", target=application)
    return application


def _require_draft(application: Application) -> None:
    if application.status != S.DRAFT:
        raise ValidationError(
            _("This application was already submitted; it can no longer be changed."), code="not_draft"
        )


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
    _require_draft(application)
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
        _require_draft(application)
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


def start_reviewer_assignment(
    *, call: Call, actor: Any, return_url: str = "", stage: CallStage | None = None
) -> BackgroundRun:
    """Queue the engine to propose reviewers for a stage's applications (the worker runs it);
    the call's first review stage when none is named."""
    stage = stage or call.first_review_stage
    return start_run(
        kind=REVIEWER_ASSIGNMENT_RUN,
        actor=actor,
        params={"call_id": call.pk, "stage_id": stage.pk if stage is not None else None},
        return_url=return_url,
        language=getattr(actor, "preferred_language", "") or "",
    )


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
    if to not in STAFF_MOVES | set(_LEGACY_TARGETS):
        raise TransitionNotAllowed(application.status, to)
    _check_not_driven_elsewhere(application, to)
    return transition_application(application=application, to=to, actor=actor, note=note, stage=stage)


@transaction.atomic
def decide_application(*, application: Application, outcome: str, actor: Any, note: str = "") -> Application:
    """Accept, reject or wait-list; the applicant gets the decision e-mail worded for the call's
    kind. An application still in an assessment stage is shortlisted on the way to acceptance."""
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
        expires_at=_reference_expiry(application),
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


def _reference_expiry(application: Application) -> dt.datetime:
    closes = application.current_stage.closes_at or application.call.window_closes_at or timezone.now()
    return closes + dt.timedelta(days=REFERENCE_GRACE_DAYS)


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
                "url": absolute_reverse("calls:review-list", language=_recipient_language(reviewer)),
            },
            language=_recipient_language(reviewer),
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
    criteria = list(RubricCriterion.objects.filter(stage_id=assignment.stage_id).order_by("order", "id"))
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
