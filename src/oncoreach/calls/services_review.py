"""Writes of an engine reviewer-assignment run, in bulk (thousands of pairs in one transaction).

``services.assign_reviewer`` proposes one reviewer at a time (staff by hand): it reads the
conflicts for that pair, writes one row, one audit row and one e-mail. An engine run proposes
thousands, so :func:`propose_assignments` does the same checks once for the whole call: the
applications' statuses (locked), the conflicts of interest as they are now (someone may have
declared one while the engine ran) and the existing assignments; then bulk-inserts the
assignments and their audit rows, sends each reviewer one e-mail listing what is new, and moves
each application ready for the stage into it ("under review"), the bulk form of
``transition_application`` (the one transition function). Every write is on one review stage
(the call's first unless named). :func:`withdraw_proposals` takes back proposals a re-run moved.
"""

from __future__ import annotations

import datetime as dt
from collections import defaultdict
from collections.abc import Callable, Iterable, Sequence
from dataclasses import dataclass
from typing import Any

from django.contrib.contenttypes.models import ContentType
from django.core.exceptions import ValidationError
from django.core.validators import validate_slug
from django.db import transaction
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _

from oncoreach.calls.conflicts import conflict_index
from oncoreach.calls.enums import (
    REVIEWER_ASSIGNMENT_RUN,
    ApplicationStatus,
    AssignmentStatus,
    PanelOutcome,
)
from oncoreach.calls.models import Application, Call, CallStage, PanelDecision, ReviewAssignment, RubricCriterion
from oncoreach.calls.permissions import call_transitions, is_call_staff
from oncoreach.calls.selectors import stage_panel
from oncoreach.calls.services import NOTIFY_STATUSES, REVIEWABLE, respond_to_assignment, transition_application
from oncoreach.calls.stage_kinds import behaviours_for
from oncoreach.core.links import absolute_reverse
from oncoreach.core.models import AuditEvent, BackgroundRun
from oncoreach.core.runs import start_run
from oncoreach.core.services import queue_email, record_audit
from oncoreach.people.models import Person

ProposedPair = tuple[int, int, float | None]  # (application id, reviewer id, engine score)


@transaction.atomic
def set_rubric_variant(*, application: Application, variant: str, actor: Any) -> Application:
    """Score the application under a rubric variant (``calls.rubric_variants``; empty: only the
    criteria for every application). Refused once a reviewer has accepted or scored it in a stage
    where the change would change its criteria: every review must be scored against the same ones."""
    if variant == application.rubric_variant:
        return application
    if variant:
        validate_slug(variant)
    started = ReviewAssignment.objects.filter(
        application=application, status__in=[AssignmentStatus.ACCEPTED, AssignmentStatus.SUBMITTED]
    ).values("stage_id")
    keys = {application.rubric_variant, variant} - {""}
    if RubricCriterion.objects.filter(stage_id__in=started, variant__in=keys).exists():
        raise ValidationError(
            _(
                "Reviewing of this application has started, so the rubric it is scored under is locked: "
                "every review must be scored against the same criteria."
            ),
            code="rubric_locked",
        )
    previous, application.rubric_variant = application.rubric_variant, variant
    application.save(update_fields=["rubric_variant", "updated_at"])
    record_audit(actor=actor, action="calls.rubric_variant_set", target=application, variant=variant, previous=previous)
    return application


@dataclass(frozen=True)
class BulkOutcome:
    created: list[ReviewAssignment]
    skipped: list[tuple[int, int, str]]  # (application id, reviewer id, reason code)


def _recipient_language(person: Person) -> str:
    user = person.user
    return (user.preferred_language if user is not None else "") or "en"


def _actor(actor: Any) -> Any:
    return actor if getattr(actor, "pk", None) else None


def _review_stage(call: Call, stage: CallStage | None) -> CallStage:
    found = stage or call.first_review_stage
    if found is None:
        raise ValidationError(_("This call has no review stage."), code="no_review_stage")
    return found


@transaction.atomic
def propose_assignments(
    *, call: Call, pairs: Sequence[ProposedPair], actor: Any, stage: CallStage | None = None
) -> BulkOutcome:
    """Propose the engine's pairs (see the module docstring). A pair whose application is no longer
    reviewable, which is now in conflict or which exists already is skipped with a reason code
    (``changed_meanwhile``, ``conflict``, ``duplicate``); the others are written."""
    stage = _review_stage(call, stage)
    application_ids = {a for a, _r, _s in pairs}
    reviewer_ids = {r for _a, r, _s in pairs}
    applications = {
        a.pk: a
        for a in Application.objects.select_for_update(of=("self",))
        .filter(call=call, pk__in=application_ids)
        .select_related("call", "current_stage")
    }
    conflicts = (
        conflict_index(call=call, stage=stage, reviewer_ids=reviewer_ids, application_ids=application_ids).pairs()
        if reviewer_ids
        else set()
    )
    existing = set(
        ReviewAssignment.objects.filter(application__call=call, stage=stage, reviewer_id__in=reviewer_ids).values_list(
            "application_id", "reviewer_id"
        )
    )
    in_stage = _may_review_in(call, stage)
    rows: list[ReviewAssignment] = []
    skipped: list[tuple[int, int, str]] = []
    for application_id, reviewer_id, score in pairs:
        application = applications.get(application_id)
        if application is None or application.status not in REVIEWABLE or not in_stage(application):
            skipped.append((application_id, reviewer_id, "changed_meanwhile"))
        elif (application_id, reviewer_id) in conflicts:
            skipped.append((application_id, reviewer_id, "conflict"))
        elif (application_id, reviewer_id) in existing:
            skipped.append((application_id, reviewer_id, "duplicate"))
        else:
            existing.add((application_id, reviewer_id))
            rows.append(
                ReviewAssignment(
                    application_id=application_id, reviewer_id=reviewer_id, stage=stage, by_engine=True, score=score
                )
            )
    created = ReviewAssignment.objects.bulk_create(rows, batch_size=500)
    if not all(row.pk for row in created):  # a backend that returns no keys: read them back
        by_pair = {
            (a, r): pk
            for a, r, pk in ReviewAssignment.objects.filter(
                application__call=call, stage=stage, reviewer_id__in=reviewer_ids
            ).values_list("application_id", "reviewer_id", "pk")
        }
        for row in created:
            row.pk = by_pair[(row.application_id, row.reviewer_id)]  # type: ignore[index]
    application_type = ContentType.objects.get_for_model(Application)
    # what str(application) says, without a query per application
    labels = {
        pk: f"{a.applicant.given_name} {a.applicant.family_name}".strip()[:200] + f" — {call.title}"[:55]
        for pk, a in applications.items()
    }
    AuditEvent.objects.bulk_create(
        [
            AuditEvent(
                actor=_actor(actor),
                action="calls.assignment.propose",
                target_type=application_type,
                target_id=str(row.application_id),
                target_repr=labels[row.application_id],
                data={"reviewer": row.reviewer_id, "stage": stage.key, "by_engine": True},
            )
            for row in created
        ],
        batch_size=500,
    )
    _email_reviewers(call=call, created=created)
    _start_review(
        call=call,
        stage=stage,
        applications=[applications[pk] for pk in sorted({row.application_id for row in created})],
        labels=labels,
        actor=actor,
    )
    return BulkOutcome(created=created, skipped=skipped)


def _may_review_in(call: Call, stage: CallStage) -> Callable[[Application], bool]:
    """Whether an application is in the stage, or its call's table lets it enter the stage now."""
    table = call_transitions(call)
    keys = {item.pk: item.key for item in call.stage_list}
    entry = (stage.key, ApplicationStatus.UNDER_REVIEW)

    def check(application: Application) -> bool:
        if application.current_stage_id == stage.pk:
            return True
        state = (keys.get(application.current_stage_id, ""), application.status)
        return entry in table.get(state, frozenset())

    return check


def _start_review(
    *, call: Call, stage: CallStage, applications: list[Application], labels: dict[int, str], actor: Any
) -> None:
    """Applications ready for the stage (eligible after the submission before it, or through the
    assessment before it) that got their first reviewer enter it, "under review": the bulk form of
    ``services.transition_application`` for this one step (same table, one audit row each, the
    same fields; entering a review stage sends no e-mail), so that an engine run over thousands
    of applications costs a few statements instead of four per application. The rows are locked
    by the caller (``propose_assignments``). Should the step ever mail the applicant or run an
    app's behaviour, it goes one by one."""
    to = ApplicationStatus.UNDER_REVIEW
    stages = {item.pk: item for item in call.stage_list}
    moving = [a for a in applications if a.current_stage_id != stage.pk]
    if not moving:
        return
    if to in NOTIFY_STATUSES or behaviours_for(stage.kind):
        for a in moving:
            transition_application(application=a, to=to, actor=actor, stage=stage)
        return
    now = timezone.now()
    by_from: dict[tuple[int, str], list[Application]] = defaultdict(list)
    for a in moving:
        by_from[(a.current_stage_id, a.status)].append(a)
    for (stage_id, status), group in by_from.items():
        Application.objects.filter(pk__in=[a.pk for a in group], current_stage_id=stage_id, status=status).update(
            status=to, current_stage=stage, status_changed_at=now, updated_at=now
        )
    application_type = ContentType.objects.get_for_model(Application)
    AuditEvent.objects.bulk_create(
        [
            AuditEvent(
                actor=_actor(actor),
                action="calls.application.transition",
                target_type=application_type,
                target_id=str(a.pk),
                target_repr=labels[a.pk],
                data={
                    "from_status": a.status,
                    "to_status": to.value,
                    "from_stage": stages[a.current_stage_id].key,
                    "to_stage": stage.key,
                    "note": "",
                },
            )
            for a in moving
        ],
        batch_size=500,
    )
    for a in moving:
        a.status, a.current_stage, a.status_changed_at = to, stage, now


def _email_reviewers(*, call: Call, created: Iterable[ReviewAssignment]) -> None:
    """One e-mail per reviewer for everything new in this run."""
    by_reviewer: dict[int, list[ReviewAssignment]] = defaultdict(list)
    for row in created:
        by_reviewer[row.reviewer_id].append(row)
    reviewers = Person.objects.filter(pk__in=by_reviewer).select_related("user")
    for reviewer in reviewers:
        if not reviewer.email:
            continue
        language = _recipient_language(reviewer)
        first = min(row.pk for row in by_reviewer[reviewer.pk])
        queue_email(
            event_key=f"calls:assignment:{first}:proposed",
            to=reviewer.email,
            template="calls/email/review_request",
            context={
                "call": call,
                "reviewer": reviewer,
                "url": absolute_reverse("calls:review-list", language=language),
            },
            language=language,
        )


@transaction.atomic
def withdraw_proposals(
    *, call: Call, pairs: Iterable[tuple[int, int]], actor: Any, stage: CallStage | None = None
) -> int:
    """Take back proposals a re-run moved. Only proposals nobody answered yet are taken back (an
    accepted or declined assignment stays as it is); each is audited. Returns how many."""
    wanted = set(pairs)
    if not wanted:
        return 0
    rows = list(
        ReviewAssignment.objects.select_for_update(of=("self",))
        .filter(
            application__call=call,
            stage=_review_stage(call, stage),
            status=AssignmentStatus.PROPOSED,
            application_id__in={a for a, _r in wanted},
            reviewer_id__in={r for _a, r in wanted},
        )
        .select_related("application")
    )
    rows = [row for row in rows if (row.application_id, row.reviewer_id) in wanted]
    for row in rows:
        record_audit(actor=actor, action="calls.assignment.withdraw", target=row.application, reviewer=row.reviewer_id)
    ReviewAssignment.objects.filter(pk__in=[row.pk for row in rows]).delete()
    return len(rows)


def check_staff_pairs(
    *,
    call: Call,
    pins: Iterable[tuple[int, int]],
    exclusions: Iterable[tuple[int, int]],
    stage: CallStage | None = None,
) -> None:
    """Refuse pins and exclusions that cannot be honoured, with a specific message: a pair that is
    not an application of this call with a reviewer on its panel, a pin in conflict of interest or
    already declined, or a pair both pinned and excluded."""
    pins, exclusions = set(pins), set(exclusions)
    both = pins & exclusions
    if both:
        raise ValidationError(_("A pair cannot be both pinned and excluded."), code="pinned_and_excluded")
    pairs = pins | exclusions
    if not pairs:
        return
    stage = _review_stage(call, stage)
    applications = set(
        Application.objects.filter(call=call, pk__in={a for a, _r in pairs}).values_list("pk", flat=True)
    )
    panel = set(stage_panel(call=call, stage=stage).filter(pk__in={r for _a, r in pairs}).values_list("pk", flat=True))
    for application_id, reviewer_id in sorted(pairs):
        if application_id not in applications or reviewer_id not in panel:
            raise ValidationError(
                _(
                    "Application #%(application)s and reviewer #%(reviewer)s are not an application and a reviewer of this call."
                )
                % {"application": application_id, "reviewer": reviewer_id},
                code="unknown_pair",
            )
    conflicts = conflict_index(call=call, stage=stage, reviewer_ids={r for _a, r in pins}).pairs()
    declined = set(
        ReviewAssignment.objects.filter(
            application__call=call, stage=stage, status=AssignmentStatus.DECLINED
        ).values_list("application_id", "reviewer_id")
    )
    for pair in sorted(pins):
        if pair in conflicts:
            raise ValidationError(
                _(
                    "Reviewer #%(reviewer)s has a conflict of interest with application #%(application)s: it cannot be pinned."
                )
                % {"application": pair[0], "reviewer": pair[1]},
                code="pinned_conflict",
            )
        if pair in declined:
            raise ValidationError(
                _("Reviewer #%(reviewer)s declined application #%(application)s: it cannot be pinned.")
                % {"application": pair[0], "reviewer": pair[1]},
                code="pinned_declined",
            )


#: The background run kind proposing the next best reviewer after a decline (runner in matching_adapter).
DECLINE_CASCADE_RUN = "calls.decline_cascade"


def start_assignment_run(
    *, call: Call, actor: Any, params: dict[str, Any], return_url: str = "", stage: CallStage | None = None
) -> BackgroundRun:
    """Queue an engine run for one review stage of the call (its first unless named) after
    checking it can do something: the stage has a panel, some application still needs reviews,
    and the pins and exclusions are pairs of this call that can be honoured. Each refusal is a
    specific message; nothing is queued."""
    stage = _review_stage(call, stage)
    if not stage_panel(call=call, stage=stage).exists():
        raise ValidationError(
            _("This call has no reviewer panel yet: add reviewers before asking the engine."), code="no_reviewers"
        )
    if not Application.objects.filter(call=call, status__in=REVIEWABLE).exists():
        raise ValidationError(
            _("No application of this call is ready for review (eligible or under review)."), code="no_applications"
        )
    check_staff_pairs(
        call=call,
        pins=[(int(a), int(r)) for a, r in params.get("pins", [])],
        exclusions=[(int(a), int(r)) for a, r in params.get("exclusions", [])],
        stage=stage,
    )
    return start_run(
        kind=REVIEWER_ASSIGNMENT_RUN,
        actor=actor,
        params={"call_id": call.pk, "stage_id": stage.pk, **params},
        return_url=return_url,
        language=getattr(actor, "preferred_language", "") or "",
    )


@transaction.atomic
def respond_to_request(
    *, assignment: ReviewAssignment, accept: bool, actor: Any, conflict_reason: str = ""
) -> ReviewAssignment:
    """The reviewer accepts or declines their own request (``services.respond_to_assignment``);
    a decline queues the engine to propose the next best reviewer for that application, without
    moving anyone else (the worker runs it once this transaction commits)."""
    reviewer_user = Person.objects.filter(pk=assignment.reviewer_id).values_list("user_id", flat=True).first()
    if reviewer_user is None or reviewer_user != getattr(actor, "pk", None):
        raise ValidationError(_("You can answer only your own review requests."), code="not_yours")
    answered = respond_to_assignment(assignment=assignment, accept=accept, actor=actor, conflict_reason=conflict_reason)
    if not accept:
        start_run(
            kind=DECLINE_CASCADE_RUN,
            actor=actor,
            params={
                "call_id": assignment.application.call_id,
                "stage_id": assignment.stage_id,
                "declined": [[assignment.application_id, assignment.reviewer_id]],
            },
        )
    return answered


def _chair_in_conflict(actor: Any, application: Application) -> bool:
    """A chair (any actor but staff) with a conflict of interest with this application."""
    person = getattr(actor, "person", None) if actor is not None and not is_call_staff(actor) else None
    if person is None:
        return False
    index = conflict_index(call=application.call, reviewer_ids={person.pk}, application_ids=[application.pk])
    return index.has(application.pk, person.pk)


@transaction.atomic
def record_panel_decision(
    *, call: Call, application_id: int, outcome: str, notes: str, actor: Any, stage: CallStage | None = None
) -> PanelDecision:
    """The chair records the panel's decision on one application of this call in one assessment
    stage (the call's ``panel_stage`` unless named), with notes (audited). Refused, with nothing
    written, for an application of another call, a stage that does not assess, an unknown outcome,
    or a chair (any actor but staff) with a conflict of interest with the applicant."""
    stage = stage or call.panel_stage
    if stage is None or stage.call_id != call.pk or not stage.takes_reviews:
        raise ValidationError(_("A panel decides in a review, committee or interview stage."), code="bad_stage")
    application = Application.objects.filter(call=call, pk=application_id).select_related("applicant", "call").first()
    if application is None:
        raise ValidationError(
            _("Application #%(number)s is not an application of this call.") % {"number": application_id},
            code="not_this_call",
        )
    if outcome not in PanelOutcome.values:
        raise ValidationError(_("Choose a panel decision."), code="bad_outcome")
    if _chair_in_conflict(actor, application):
        raise ValidationError(
            _(
                "You have a conflict of interest with application #%(number)s, so you cannot record "
                "the panel's decision on it."
            )
            % {"number": application.pk},
            code="conflict",
        )
    decision = PanelDecision.objects.create(
        application=application, stage=stage, outcome=outcome, notes=notes[:5000], recorded_by=_actor(actor)
    )
    record_audit(
        actor=actor,
        action="calls.panel.decide",
        target=application,
        stage=stage.key,
        outcome=outcome,
        notes=notes[:500],
    )
    return decision


def start_packet_run(*, stage: CallStage, assignments: list[ReviewAssignment], actor: Any) -> Any:
    """Queue the build of a reviewer's PDF packet in the worker (calls.packets.run_review_packet);
    refused at once past the packet's limit."""
    from oncoreach.calls.enums import REVIEW_PACKET_RUN
    from oncoreach.calls.packets import PACKET_MAX_APPLICATIONS
    from oncoreach.core.runs import start_run

    if len(assignments) > PACKET_MAX_APPLICATIONS:
        raise ValidationError(
            _("This stage has more than %(count)s applications for you; open them one at a time.")
            % {"count": PACKET_MAX_APPLICATIONS},
            code="too_many",
        )
    return start_run(
        kind=REVIEW_PACKET_RUN,
        actor=actor,
        params={"call": stage.call.slug, "stage": stage.key, "applications": len(assignments)},
        return_url=reverse("calls:review-list"),
    )


def prune_review_packets(*, now: dt.datetime | None = None) -> int:
    """Delete the reviewers' packet runs started more than ``REVIEW_PACKET_KEEP_DAYS`` ago, and
    their stored PDFs (periodic: ``prune_review_packets``). A packet holds applicants' answers and
    files: it is not kept longer than a reviewer needs it. Returns how many runs went."""
    from django.conf import settings
    from django.core.files.storage import default_storage

    from oncoreach.calls.enums import REVIEW_PACKET_RUN

    cutoff = (now or timezone.now()) - dt.timedelta(days=settings.REVIEW_PACKET_KEEP_DAYS)
    runs = list(BackgroundRun.objects.filter(kind=REVIEW_PACKET_RUN, created_at__lt=cutoff).only("pk", "result"))
    for run in runs:
        name = run.result.get("file") if isinstance(run.result, dict) else None
        if name:
            default_storage.delete(name)  # a file already gone is no error
    BackgroundRun.objects.filter(pk__in=[run.pk for run in runs]).delete()
    return len(runs)
