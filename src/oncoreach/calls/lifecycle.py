"""The choke point of the application lifecycle: :func:`transition_application` (the only place
``Application.status`` and ``current_stage`` change, with its audit row and the applicant's mail),
moving on to the next stage, and the statuses the other services read. ``services`` re-exports
every public name here, so callers keep writing ``services.transition_application``.
"""

from __future__ import annotations

from typing import Any

from django.core.exceptions import ValidationError
from django.db import transaction
from django.template import TemplateDoesNotExist
from django.template.loader import select_template
from django.utils import timezone
from django.utils.translation import gettext as _

from oncoreach.calls.enums import (
    DECISIONS,
    DRIVEN_ELSEWHERE,
    ENTRY_STATUS,
    ApplicationStatus,
    StageKind,
    State,
)
from oncoreach.calls.models import Application, ApplicationSubmission, Call, CallStage
from oncoreach.calls.permissions import call_transitions
from oncoreach.calls.stage_kinds import run_on_enter
from oncoreach.core.links import absolute_reverse
from oncoreach.core.services import queue_email, record_audit
from oncoreach.people.models import Person
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
LEGACY_TARGETS: dict[str, tuple[str, str]] = {
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


def check_not_driven_elsewhere(application: Application, to: str) -> None:
    """The applicant's and staff's entry points here refuse applications another app drives."""
    if application.call.kind in DRIVEN_ELSEWHERE:
        raise DrivenElsewhere(application.status, to)


# --- The choke point --------------------------------------------------------------------------


def recipient_language(person: Person) -> str:
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


def notify_applicant(application: Application, status: str, *, event: str = "") -> None:
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
                "calls:application-detail", kwargs={"pk": application.pk}, language=recipient_language(applicant)
            ),
        },
        language=recipient_language(applicant),
    )


transitions_table = call_transitions


def _target(
    table: dict[State, frozenset[State]], call: Call, current: State, to: str, stage: CallStage | None
) -> State | None:
    """The one state among the allowed next ones that ``to`` (and ``stage``, when given) names."""
    targets = table.get(current, frozenset())
    if to in LEGACY_TARGETS and stage is None:
        field, value = LEGACY_TARGETS[to]
        wanted = [s.key for s in call.stage_list if getattr(s, field) == value]
        found = [state for state in targets if state[0] in wanted and state[1] == S.UNDER_REVIEW]
        return found[0] if len(found) == 1 else None
    found = [state for state in targets if state[1] == to and (stage is None or state[0] == stage.key)]
    if len(found) > 1:  # the same status in this stage and the next: staying put is the default
        found = [state for state in found if state[0] == current[0]]
    return found[0] if len(found) == 1 else None


def ensure_submission(application: Application, stage: CallStage) -> ApplicationSubmission | None:
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
        ensure_submission(application, new_stage)
        run_on_enter(application=application, stage=new_stage, actor=actor)
    if notify and target[1] in NOTIFY_STATUSES:
        notify_applicant(application, target[1])
    elif notify and new_stage.pk != current_stage.pk and new_stage.kind in _STAGE_MAIL:
        # Entering a later submission stage is an invitation; an interview stage, one too.
        notify_applicant(application, _STAGE_MAIL[new_stage.kind], event=f"stage:{new_stage.key}")
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
    check_not_driven_elsewhere(application, ENTRY_STATUS[following.kind])
    return transition_application(
        application=application, to=ENTRY_STATUS[following.kind], actor=actor, note=note, stage=following
    )


def require_draft(application: Application) -> None:
    if application.status != S.DRAFT:
        raise ValidationError(
            _("This application was already submitted; it can no longer be changed."), code="not_draft"
        )
