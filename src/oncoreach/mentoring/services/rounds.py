"""Match rounds: staff open a round, run the engine (in the worker), pin, exclude and swap pairs,
re-run with a keep bonus, and publish one run. ``transition_round`` is the one way a round's status
changes; publishing turns the run's pairs into proposals that go to both sides."""

from __future__ import annotations

from collections.abc import Iterable, Mapping
from typing import Any

from django.core.exceptions import ValidationError
from django.db import IntegrityError, transaction
from django.db.models import Max
from django.utils import timezone
from django.utils.translation import gettext as _

from oncoreach.core.runs import start_run
from oncoreach.core.services import record_audit
from oncoreach.mentoring.enums import (
    DEFAULT_KEEP_BONUS,
    ROUND_RUN,
    ROUND_TRANSITIONS,
    AdjustmentKind,
    MatchStatus,
    Objective,
    RoundStatus,
)
from oncoreach.mentoring.models import (
    Match,
    MatchRound,
    MatchRun,
    MenteeRequest,
    MentoringCycle,
    MentorOffer,
    RoundAdjustment,
)
from oncoreach.mentoring.services.consent import transition_matches


def _round_locked(round_: MatchRound) -> MatchRound:
    return MatchRound.objects.select_for_update(of=("self",)).select_related("cycle").get(pk=round_.pk)


@transaction.atomic
def transition_round(*, round_: MatchRound, to: str, actor: Any, **data: Any) -> MatchRound:
    round_ = _round_locked(round_)
    if to not in ROUND_TRANSITIONS.get(round_.status, frozenset()):
        raise ValidationError(
            _("This round is %(status)s; it cannot change now.") % {"status": round_.get_status_display()},
            code="round_transition",
        )
    previous, round_.status = round_.status, to
    round_.save(update_fields=["status"])
    record_audit(
        actor=actor, action="mentoring.round.transition", target=round_, from_status=previous, to_status=to, **data
    )
    return round_


@transaction.atomic
def open_round(*, mentoring: MentoringCycle, actor: Any) -> MatchRound:
    number = (mentoring.rounds.aggregate(n=Max("number"))["n"] or 0) + 1
    try:
        with transaction.atomic():
            round_ = MatchRound.objects.create(cycle=mentoring, number=number, created_by=_user(actor))
    except IntegrityError as exc:
        raise ValidationError(
            _("This cycle already has a round being prepared or waiting for answers; close it first."),
            code="live_round",
        ) from exc
    record_audit(actor=actor, action="mentoring.round.open", target=round_)
    return round_


def _user(actor: Any) -> Any:
    return actor if getattr(actor, "pk", None) else None


@transaction.atomic
def start_engine_run(
    *,
    round_: MatchRound,
    actor: Any,
    objective: str = Objective.TOTAL,
    keep_bonus: float = 0.0,
    based_on: MatchRun | None = None,
    return_url: str = "",
) -> MatchRun:
    """Queue an engine run of a round being prepared (the worker builds, solves and writes it)."""
    round_ = _round_locked(round_)
    if round_.status != RoundStatus.DRAFT:
        raise ValidationError(_("Only a round being prepared can be run again."), code="not_draft")
    if based_on is not None and based_on.round_id != round_.pk:
        raise ValidationError(_("Re-run a run of this round."), code="other_round")
    number = (round_.runs.aggregate(n=Max("number"))["n"] or 0) + 1
    run = MatchRun.objects.create(
        round=round_,
        number=number,
        objective=objective,
        keep_bonus=keep_bonus if based_on is not None else 0.0,
        based_on=based_on,
        created_by=_user(actor),
    )
    run.background = start_run(kind=ROUND_RUN, actor=actor, params={"run_id": run.pk}, return_url=return_url)
    run.save(update_fields=["background"])
    record_audit(actor=actor, action="mentoring.run.start", target=run, objective=objective, keep_bonus=run.keep_bonus)
    return run


def rerun(*, run: MatchRun, actor: Any, objective: str | None = None, return_url: str = "") -> MatchRun:
    """Run again after pins and exclusions, keeping the previous pairs where they still fit."""
    return start_engine_run(
        round_=run.round,
        actor=actor,
        objective=objective or run.objective,
        keep_bonus=DEFAULT_KEEP_BONUS,
        based_on=run,
        return_url=return_url,
    )


@transaction.atomic
def adjust_pair(
    *, round_: MatchRound, request: MenteeRequest, offer: MentorOffer, kind: str, actor: Any
) -> RoundAdjustment:
    """Pin (keep whatever the engine says) or exclude (never propose) a pair for the next run."""
    round_ = _round_locked(round_)
    if round_.status != RoundStatus.DRAFT:
        raise ValidationError(_("Pairs can only be adjusted while the round is being prepared."), code="not_draft")
    if request.cycle_id != round_.cycle_id or offer.cycle_id != round_.cycle_id:
        raise ValidationError(_("Choose a mentee and a mentor of this cycle."), code="other_cycle")
    RoundAdjustment.objects.filter(round=round_, request=request, offer=offer).delete()
    if kind == AdjustmentKind.PIN:
        RoundAdjustment.objects.filter(round=round_, request=request, kind=AdjustmentKind.PIN).delete()
    adjustment = RoundAdjustment.objects.create(
        round=round_, request=request, offer=offer, kind=kind, created_by=_user(actor)
    )
    record_audit(actor=actor, action=f"mentoring.round.{kind}", target=round_, request=request.pk, offer=offer.pk)
    return adjustment


@transaction.atomic
def swap_pairs(*, run: MatchRun, first: MenteeRequest, second: MenteeRequest, actor: Any) -> list[RoundAdjustment]:
    """Swap two mentees' mentors of a run: pins both crossed pairs for the next run."""
    pairs = {p.request_id: p for p in run.pairs.filter(request__in=(first, second))}
    if len(pairs) != 2:
        raise ValidationError(_("Both mentees must have a mentor in this run to swap them."), code="swap_unpaired")
    a, b = pairs[first.pk], pairs[second.pk]
    return [
        adjust_pair(round_=run.round, request=first, offer=b.offer, kind=AdjustmentKind.PIN, actor=actor),
        adjust_pair(round_=run.round, request=second, offer=a.offer, kind=AdjustmentKind.PIN, actor=actor),
    ]


@transaction.atomic
def remove_adjustment(*, adjustment: RoundAdjustment, actor: Any) -> None:
    if adjustment.round.status != RoundStatus.DRAFT:
        raise ValidationError(_("Pairs can only be adjusted while the round is being prepared."), code="not_draft")
    record_audit(actor=actor, action="mentoring.round.unadjust", target=adjustment.round, kind=adjustment.kind)
    adjustment.delete()


def create_proposals(*, round_: MatchRound, pairs: Iterable[Mapping[str, Any]], by_cascade: bool) -> list[Match]:
    """Matches for engine pairs (``request_id``, ``offer_id``, score, explanation…), proposed."""
    return Match.objects.bulk_create(
        Match(
            round=round_,
            request_id=pair["request_id"],
            offer_id=pair["offer_id"],
            score=pair.get("score", 0.0),
            preference_rank=pair.get("preference_rank"),
            overlap_hours=pair.get("overlap_hours", 0.0),
            overlap_max_hours=pair.get("overlap_max_hours", 0.0),
            explanation=pair.get("explanation", {}),
            by_cascade=by_cascade,
        )
        for pair in pairs
    )


@transaction.atomic
def publish_round(*, round_: MatchRound, run: MatchRun, actor: Any) -> MatchRound:
    """Send a finished run's pairs to both sides: one proposal each, answer within N days."""
    round_ = _round_locked(round_)
    if run.round_id != round_.pk or run.finished_at is None:
        raise ValidationError(_("Publish a finished run of this round."), code="run_not_finished")
    if round_.status != RoundStatus.DRAFT:
        raise ValidationError(_("This round was already published."), code="published")
    pairs = [
        {
            "request_id": p.request_id,
            "offer_id": p.offer_id,
            "score": p.score,
            "preference_rank": p.preference_rank,
            "overlap_hours": p.overlap_hours,
            "overlap_max_hours": p.overlap_max_hours,
            "explanation": p.explanation,
        }
        for p in run.pairs.all()
    ]
    try:
        with transaction.atomic():
            matches = create_proposals(round_=round_, pairs=pairs, by_cascade=False)
    except IntegrityError as exc:
        raise ValidationError(
            _("Some of these mentees already have a live proposal; run the round again."), code="stale_run"
        ) from exc
    for match in matches:
        match.round = round_
    transition_matches(matches=matches, to=MatchStatus.APPROVED, actor=actor)
    round_.published_run, round_.published_at = run, timezone.now()
    round_.save(update_fields=["published_run", "published_at"])
    return transition_round(round_=round_, to=RoundStatus.PUBLISHED, actor=actor, run=run.pk, proposals=len(matches))
