"""The committee's ranking of a call: raw and calibrated, with disagreement flags and the
shortlist's balance. A constant number of queries however many applications (STYLE.md §3).

The ranking is of one assessment stage (the call's first unless named). A committee stage ranks
the scores of the review stage that feeds it (``scores_stage_for``: the nearest review stage before
it) and holds its own panel decisions; any other stage ranks its own reviews. The overall score of a
review is its weighted total over its ``CriterionScore`` rows (``services.weighted_total``), over
the stage's submitted reviews; ``calibration.calibrate`` does the arithmetic per reviewer within
that stage. The shortlist is every application shortlisted or further on (an interview or
decision stage, accepted); its balance is counted by World Bank region,
income group as of the call's eligibility reference date, country and career stage.
"""

from __future__ import annotations

import dataclasses
from collections import Counter
from collections.abc import Callable
from dataclasses import dataclass
from typing import Any

from oncoreach.calls.balance import balance_dimensions
from oncoreach.calls.calibration import HIGH_SPREAD_Z, calibrate
from oncoreach.calls.eligibility import reference_date_for
from oncoreach.calls.enums import ApplicationStatus, PanelOutcome, StageKind
from oncoreach.calls.models import Application, Call, CallStage, PanelDecision, Review
from oncoreach.geo.enums import IncomeGroup, Region
from oncoreach.geo.selectors import income_groups_on
from oncoreach.people.enums import CareerStage

S = ApplicationStatus
#: Statuses that count as the shortlist for its balance (as do applications in a stage of
#: ``SHORTLIST_KINDS``, whatever their status there).
SHORTLIST: frozenset[str] = frozenset({S.SHORTLISTED, S.ACCEPTED, S.WAITLISTED})
SHORTLIST_KINDS: frozenset[str] = frozenset({StageKind.INTERVIEW, StageKind.DECISION})
#: Statuses listed in the ranking (submitted for review, whatever happened since).
RANKED: frozenset[str] = frozenset(
    {S.ELIGIBLE, S.UNDER_REVIEW, S.SHORTLISTED, S.WAITLISTED, S.ACCEPTED, S.REJECTED, S.DECLINED}
)


@dataclass(frozen=True)
class RankedApplication:
    application_id: int
    applicant: str
    status: str
    status_label: str
    country: str
    region: str
    income_group: str
    career_stage: str
    n_reviews: int
    mean_raw: float | None
    mean_calibrated: float | None
    mean_robust: float | None
    rank_raw: int | None
    rank_calibrated: int | None
    rank_change: int | None
    spread: float | None
    high_spread: bool
    shortlisted: bool
    panel_decision: str = ""  # the chair's latest recorded decision, in words
    panel_notes: str = ""
    #: The reader has a conflict of interest with it: its scores and notes are left out.
    conflict: bool = False


@dataclass(frozen=True)
class Ranking:
    rows: list[RankedApplication]  # best calibrated first; applications without a review last
    balance: dict[str, list[tuple[str, int]]]  # dimension -> (label, count), most first
    shortlist_size: int
    high_spread_threshold: float
    #: Dimensions apps add (``calls.balance``, e.g. awards' track): (label, (group, count) most first).
    more_balance: list[tuple[str, list[tuple[str, int]]]] = dataclasses.field(default_factory=list)


_OUT: frozenset[str] = frozenset({S.REJECTED, S.WITHDRAWN, S.DECLINED})


def _label(choices: Any, code: str) -> str:
    return str(choices(code).label) if code in choices.values else (code or "—")


def scores_stage_for(stage: CallStage) -> CallStage:
    """The stage whose reviews a stage's ranking reads: for a committee, the nearest review stage
    before it (the one that feeds it), else the committee itself; any other stage reads its own."""
    if stage.kind != StageKind.COMMITTEE:
        return stage
    before = [item for item in stage.call.stage_list if (item.order, item.pk) < (stage.order, stage.pk)]
    return next((item for item in reversed(before) if item.kind == StageKind.REVIEW), stage)


def ranking_for_call(*, call: Call, stage: CallStage | None = None) -> Ranking:
    """Every reviewed application of the call, ranked on one assessment stage's reviews (a
    committee: its feeding review stage's; see the module docstring), with the panel decisions
    recorded in that stage. Queries: one for the reviews, one for the applications, one for the
    panel decisions, two for the income groups."""
    stage = stage or call.first_review_stage
    scored = scores_stage_for(stage) if stage is not None else None
    reviews = list(
        Review.objects.filter(
            assignment__application__call=call,
            assignment__stage=scored,
            submitted_at__isnull=False,
            weighted_total__isnull=False,
        ).values_list("assignment__reviewer_id", "assignment__application_id", "weighted_total")
    )
    scores = {
        a.application_id: a for a in calibrate((r, a, float(t)) for r, a, t in reviews if t is not None).applications
    }
    rows = list(
        Application.objects.filter(call=call, status__in=RANKED)
        .order_by("id")
        .values_list(
            "id",
            "status",
            "applicant__given_name",
            "applicant__family_name",
            "applicant__career_stage",
            "applicant__country_of_practice_id",
            "applicant__country_of_practice__name",
            "applicant__country_of_practice__region",
            "current_stage__kind",
        )
    )
    decisions: dict[int, tuple[str, str]] = {}
    for application_id, outcome, notes in (
        PanelDecision.objects.filter(application__call=call, stage=stage)
        .order_by("application_id", "-created_at", "-id")
        .values_list("application_id", "outcome", "notes")
    ):
        decisions.setdefault(application_id, (_label(PanelOutcome, outcome), notes))
    incomes = income_groups_on(countries={r[5] for r in rows if r[5] is not None}, on=reference_date_for(call))
    out: list[RankedApplication] = []
    for pk, status, given, family, career, country_id, country, region, stage_kind in rows:
        score = scores.get(pk)
        income = incomes[country_id].income_group if country_id in incomes else ""
        out.append(
            RankedApplication(
                application_id=pk,
                applicant=f"{given} {family}".strip(),
                status=status,
                status_label=_label(ApplicationStatus, status),
                country=country or "—",
                region=_label(Region, region or ""),
                income_group=_label(IncomeGroup, income),
                career_stage=_label(CareerStage, career or ""),
                n_reviews=score.n_reviews if score else 0,
                mean_raw=score.mean_raw if score else None,
                mean_calibrated=score.mean_calibrated if score else None,
                mean_robust=score.mean_robust if score else None,
                rank_raw=score.rank_raw if score else None,
                rank_calibrated=score.rank_calibrated if score else None,
                rank_change=score.rank_change if score else None,
                spread=score.spread if score else None,
                high_spread=bool(score and score.high_spread),
                shortlisted=status in SHORTLIST or (stage_kind in SHORTLIST_KINDS and status not in _OUT),
                panel_decision=decisions.get(pk, ("", ""))[0],
                panel_notes=decisions.get(pk, ("", ""))[1],
            )
        )
    big = len(out) + 1
    out.sort(key=lambda r: (r.rank_calibrated or big, r.rank_raw or big, r.application_id))
    shortlist = [r for r in out if r.shortlisted]
    dimensions: dict[str, Callable[[RankedApplication], str]] = {
        "region": lambda r: r.region,
        "income_group": lambda r: r.income_group,
        "country": lambda r: r.country,
        "career_stage": lambda r: r.career_stage,
    }
    balance = {
        name: sorted(Counter(key(r) for r in shortlist).items(), key=lambda kv: (-kv[1], kv[0]))
        for name, key in dimensions.items()
    }
    return Ranking(
        rows=out,
        balance=balance,
        shortlist_size=len(shortlist),
        high_spread_threshold=HIGH_SPREAD_Z,
        more_balance=_more_balance([r.application_id for r in shortlist]),
    )


def _more_balance(application_ids: list[int]) -> list[tuple[str, list[tuple[str, int]]]]:
    """The registered dimensions' counts over the shortlist (one query each; none when empty)."""
    out = []
    for dimension in balance_dimensions() if application_ids else []:
        counts = Counter(dimension.values(application_ids).values())
        if counts:
            out.append((str(dimension.label), sorted(counts.items(), key=lambda kv: (-kv[1], kv[0]))))
    return out
