"""The committee's view of a call, for the people on it: chair and members by their ``CallRole``
(on the call, one of its stages, or its program cycle), never by a global group.

- ``committee_seats_for_user``: the calls whose committee the signed-in person sits on (their
  "my reviews" page links to each).
- ``get_committee_seat``: fetch-or-deny for one call's committee pages: 404 for anyone without a
  seat there (no existence leak), staff always in.
- ``committee_ranking``: the ranking as the seat may read it. A seat's stage is its role's stage
  (the call's ``panel_stage`` for a call-wide role): a committee stage ranks the scores of the
  review stage that feeds it (``selectors_ranking.scores_stage_for``) and holds the decisions.
  Where either stage is blind, a non-staff reader gets the neutral label reviewers get
  ("Application #12") and no per-row demographics (country, region, income group, career stage),
  so the shortlist's balance, which stays exact, cannot be joined to a row; an application the
  reader has a conflict of interest with shows no score, rank or notes, and comes last.
"""

from __future__ import annotations

import dataclasses
from collections.abc import Iterable
from dataclasses import dataclass
from typing import Any

from django.db.models import Q
from django.http import Http404
from django.shortcuts import get_object_or_404
from django.utils.translation import gettext as _

from oncoreach.calls.conflicts import conflict_index
from oncoreach.calls.models import Call, CallRole, CallStage
from oncoreach.calls.permissions import (
    can_record_panel_decision,
    can_see_committee_row,
    chairs_committee,
    committee_reads_blind,
    is_call_staff,
    sits_on_committee,
)
from oncoreach.calls.roles import role_definition, roles_seeing_ranking
from oncoreach.calls.selectors import _STAGES
from oncoreach.calls.selectors_ranking import RankedApplication, Ranking, ranking_for_call, scores_stage_for


@dataclass(frozen=True)
class CommitteeSeat:
    """One person's place on one call's committee: where it sits and decides (``stage``), whose
    scores it ranks (``scores_stage``), whether they chair, and what they may not see."""

    call: Call
    stage: CallStage
    scores_stage: CallStage
    chairs: bool
    is_staff: bool = False
    blind: bool = False
    conflicted_ids: frozenset[int] = frozenset()

    def may_decide(self, user: Any, application_id: int) -> bool:
        return can_record_panel_decision(
            user, chairs=self.chairs, application_id=application_id, conflicted_ids=self.conflicted_ids
        )


def _held_roles(*, user: Any) -> Q:
    return Q(person__user=user, role__in=roles_seeing_ranking())


def _roles_here(call: Call, roles: Iterable[CallRole]) -> list[CallRole]:
    stage_ids = {stage.pk for stage in call.stage_list}
    return [
        role
        for role in roles
        if (role.call_id == call.pk and (role.stage_id is None or role.stage_id in stage_ids))
        or (role.cycle_id is not None and role.cycle_id == call.cycle_id)
    ]


def _seat_stage(call: Call, roles: list[CallRole]) -> CallStage | None:
    """A chairing role's stage first, then any role's; a call-wide role sits on the panel stage."""
    ranked = sorted(roles, key=lambda role: not getattr(role_definition(role.role), "chairs", False))
    for role in ranked:
        if role.stage_id is not None:
            return next((stage for stage in call.stage_list if stage.pk == role.stage_id), None)
    return call.panel_stage


def committee_seats_for_user(*, user: Any) -> list[CommitteeSeat]:
    """Every call whose committee the signed-in person sits on, newest first (two queries and the
    stages' prefetch); no conflicts computed (the list shows no application)."""
    if not user.is_authenticated:
        return []
    roles = list(CallRole.objects.filter(_held_roles(user=user)))
    call_ids = {role.call_id for role in roles if role.call_id is not None}
    cycle_ids = {role.cycle_id for role in roles if role.cycle_id is not None}
    if not roles:
        return []
    calls = (
        Call.objects.filter(Q(pk__in=call_ids) | Q(cycle_id__in=cycle_ids))
        .select_related("cycle__program")
        .prefetch_related(_STAGES)
        .order_by("-created_at", "-id")
    )
    seats = []
    for call in calls:
        here = _roles_here(call, roles)
        stage = _seat_stage(call, here)
        if stage is not None and sits_on_committee(role.role for role in here):
            codes = [role.role for role in here]
            seats.append(
                CommitteeSeat(
                    call=call, stage=stage, scores_stage=scores_stage_for(stage), chairs=chairs_committee(codes)
                )
            )
    return seats


def get_committee_seat(*, user: Any, slug: str) -> CommitteeSeat:
    """Fetch-or-deny: the signed-in person's seat on this call's committee, with the applications
    they have a conflict of interest with; staff sit on every committee (deciding, reading names).
    404 for anyone else, a chair of another call included."""
    if not user.is_authenticated:
        raise Http404
    call = get_object_or_404(Call.objects.select_related("cycle__program").prefetch_related(_STAGES), slug=slug)
    if is_call_staff(user):
        stage = call.panel_stage
        if stage is None:
            raise Http404
        return CommitteeSeat(call=call, stage=stage, scores_stage=scores_stage_for(stage), chairs=True, is_staff=True)
    roles = _roles_here(
        call, CallRole.objects.filter(_held_roles(user=user)).filter(Q(call=call) | Q(cycle_id=call.cycle_id))
    )
    stage = _seat_stage(call, roles)
    codes = [role.role for role in roles]
    if stage is None or not sits_on_committee(codes):
        raise Http404
    conflicts = conflict_index(call=call, reviewer_ids={roles[0].person_id})
    scores_stage = scores_stage_for(stage)
    return CommitteeSeat(
        call=call,
        stage=stage,
        scores_stage=scores_stage,
        chairs=chairs_committee(codes),
        blind=committee_reads_blind(user, [stage, scores_stage]),
        conflicted_ids=frozenset(application_id for application_id, _reviewer in conflicts.pairs()),
    )


def neutral_label(application_id: int) -> str:
    """What a blind reader calls an application (the reviewers' list says the same)."""
    return _("Application #%(number)s") % {"number": application_id}


def _as_read(row: RankedApplication, *, seat: CommitteeSeat, user: Any) -> RankedApplication:
    if seat.blind:
        row = dataclasses.replace(
            row, applicant=neutral_label(row.application_id), country="", region="", income_group="", career_stage=""
        )
    if not can_see_committee_row(user, application_id=row.application_id, conflicted_ids=seat.conflicted_ids):
        row = dataclasses.replace(
            row,
            conflict=True,
            mean_raw=None,
            mean_calibrated=None,
            mean_robust=None,
            rank_raw=None,
            rank_calibrated=None,
            rank_change=None,
            spread=None,
            high_spread=False,
            panel_decision="",
            panel_notes="",
        )
    return row


def committee_ranking(*, seat: CommitteeSeat, user: Any) -> Ranking:
    """The ranking of the seat's stage as this reader may read it (see the module docstring)."""
    ranking = ranking_for_call(call=seat.call, stage=seat.stage)
    rows = [_as_read(row, seat=seat, user=user) for row in ranking.rows]
    rows.sort(key=lambda row: row.conflict)  # stable: the ranking's order, conflicted rows last
    return dataclasses.replace(ranking, rows=rows)
