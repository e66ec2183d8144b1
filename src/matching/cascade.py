"""Cascade re-solve: the next best partners after published proposals are declined or expire.

Once a round is published each proposed pair is

* **accepted** -- both sides said yes; it never moves;
* **pending** -- no answer yet; it stays unless the caller lets the engine move it (``move_pending``);
* **declined** -- declined by either side, or expired; the pair is forbidden from now on.

:func:`cascade` keeps the accepted (and pending) pairs, takes their demand and capacity away, and
solves what is left optimally with the round's own objective, hard rules and coverage: the items
left alone get their next best partners, and capacity freed by a decline goes to whoever gains
most from it (which can be someone who had no partner in the round). The residual problem has only
the edges between items that still have room, so a cascade costs a few vectorised passes over the
candidate pairs plus a small flow.

:func:`prepare_round` does once what every cascade of a round needs (hard rules per pair, sorted
pair keys, id positions); a caller may keep the :class:`PreparedRound` between cascades or rebuild
it from the arrays, which is O(E) numpy work.
"""

from __future__ import annotations

from collections.abc import Iterable, Mapping
from dataclasses import dataclass, replace
from typing import Any, Literal

import numpy as np
import numpy.typing as npt

from matching.model import (
    SCALE,
    ArrayProblem,
    BoolArray,
    Forbidden,
    IntArray,
    Objective,
    Pair,
    PairRef,
    Problem,
    Result,
    SolverStats,
    UnderLoaded,
    Unmatched,
)
from matching.solver import optimise, prepare, rule_reasons
from matching.unmatched import _argsort_keys, _keys, _lookup, unmatched_reasons

DECLINED = "declined"
WITHDRAWN = "withdrawn"
_BELOW_MIN = "below_min_score"
_EMPTY = np.zeros(0, np.int64)


@dataclass(frozen=True, eq=False)
class IndexPairs:
    """Pairs as index arrays into the problem's ``left_ids`` and ``right_ids`` (large rounds)."""

    left: npt.NDArray[np.integer[Any]]
    right: npt.NDArray[np.integer[Any]]


PairsInput = IndexPairs | Iterable[PairRef]
Scope = Literal["all", "left_alone"]


@dataclass(frozen=True, eq=False)
class PreparedRound:
    """A round's problem prepared once for any number of cascades.

    The problem's own ``pinned``, ``proposed`` and ``keep_bonus`` are not used: the arguments of
    :func:`cascade` say what stands.
    """

    problem: ArrayProblem  # ``reasons`` include "declined" and "withdrawn"
    removed_reason: npt.NDArray[np.int16]  # per edge: hard rule or minimum score removing it, -1 if usable
    sorted_key: IntArray  # edge keys (left * n_right + right), ascending
    key_order: IntArray | None  # edge index of each sorted key; None when edges are in canonical order
    excluded_key: IntArray  # keys of the excluded pairs, ascending
    excluded_code: npt.NDArray[np.int16]  # their reason indices, aligned with excluded_key
    left_pos: Mapping[str, int]
    right_pos: Mapping[str, int]

    def edge_of(self, left: IntArray, right: IntArray) -> IntArray:
        """The edge index of each (left, right) index pair, -1 when it is not a candidate."""
        pos = _lookup(self.sorted_key, _keys(left, right, self.problem.n_right))
        if self.key_order is None:
            return pos
        return np.where(pos >= 0, self.key_order[np.maximum(pos, 0)], -1)

    def indices(self, pairs: PairsInput, what: str) -> tuple[IntArray, IntArray]:
        """Index arrays of pairs given by id or by index; unknown ids are an error."""
        if isinstance(pairs, IndexPairs):
            left = np.asarray(pairs.left, np.int64).ravel()
            right = np.asarray(pairs.right, np.int64).ravel()
            n, m = self.problem.n_left, self.problem.n_right
            if len(left) != len(right):
                msg = f"{what}: left and right arrays differ in length"
                raise ValueError(msg)
            if len(left) and (left.min() < 0 or left.max() >= n or right.min() < 0 or right.max() >= m):
                msg = f"{what}: pair index out of range"
                raise ValueError(msg)
            return left, right
        ls: list[int] = []
        rs: list[int] = []
        for ref in pairs:
            try:
                ls.append(self.left_pos[ref.left])
                rs.append(self.right_pos[ref.right])
            except KeyError as exc:
                msg = f"{what} pair ({ref.left}, {ref.right}) refers to an unknown id"
                raise ValueError(msg) from exc
        return np.asarray(ls, np.int64), np.asarray(rs, np.int64)


def prepare_round(problem: Problem | ArrayProblem) -> PreparedRound:
    """Hard rules per candidate pair, sorted pair keys and id positions: O(E) vectorised work."""
    ap = problem.to_arrays() if isinstance(problem, Problem) else problem
    reasons = ap.reasons
    for code in (DECLINED, WITHDRAWN):
        if code not in reasons:
            reasons = (*reasons, code)
    ap = replace(ap, reasons=reasons)
    removed_reason, ekey = rule_reasons(ap)
    order = _argsort_keys(ekey)
    in_order = len(order) == 0 or bool((order == np.arange(len(order))).all())
    xkey = _keys(ap.excluded_left, ap.excluded_right, ap.n_right)
    xorder = np.argsort(xkey, kind="stable")
    left_pos = {x: i for i, x in enumerate(ap.left_ids)}
    right_pos = {x: j for j, x in enumerate(ap.right_ids)}
    if len(left_pos) != ap.n_left or len(right_pos) != ap.n_right:
        msg = "duplicate left or right ids"
        raise ValueError(msg)
    return PreparedRound(
        problem=ap,
        removed_reason=removed_reason,
        sorted_key=ekey if in_order else ekey[order],
        key_order=None if in_order else order,
        excluded_key=xkey[xorder],
        excluded_code=ap.excluded_reason[xorder].astype(np.int16),
        left_pos=left_pos,
        right_pos=right_pos,
    )


@dataclass(frozen=True, eq=False)
class CascadeResult:
    """What a cascade decided.

    ``result`` holds every pair after the cascade (accepted pairs, and pending pairs unless they
    were moved, have ``pinned=True``), the unmatched reasons of the left items left alone (those
    that lost a partner to a decline or a move and are still short), ``added`` = the new proposals,
    ``removed`` = declined and withdrawn pairs, and stats over all pairs (``n_edges`` counts the
    residual problem's edges). ``problem`` is the round's problem with the declined pairs forbidden
    (reason ``declined``) and the kept pairs pinned: give it to :func:`matching.explain` with
    ``result`` to explain the new proposals.
    """

    result: Result
    proposed: tuple[Pair, ...]  # new pairs to send out
    withdrawn: tuple[PairRef, ...]  # pending pairs the engine moved (only with move_pending)
    idle_rights: tuple[str, ...]  # right items that lost a partner and still have free capacity
    conflicts: tuple[Forbidden, ...]  # kept pairs a hard rule now forbids (kept anyway; the caller decides)
    problem: ArrayProblem
    proposed_score: float  # total score of the new proposals


def _flags(n: int, ids: Iterable[str], pos: Mapping[str, int], what: str) -> BoolArray:
    mask = np.zeros(n, bool)
    for x in ids:
        if x not in pos:
            msg = f"{what}: unknown id {x}"
            raise ValueError(msg)
        mask[pos[x]] = True
    return mask


def _check_disjoint(akey: IntArray, qkey: IntArray, dkey: IntArray) -> None:
    for what, key in (("accepted", akey), ("pending", qkey), ("declined", dkey)):
        if len(np.unique(key)) != len(key):
            msg = f"duplicate {what} pairs"
            raise ValueError(msg)
    if np.intersect1d(akey, qkey).size:
        msg = "a pair is both accepted and pending"
        raise ValueError(msg)
    if np.intersect1d(dkey, np.concatenate([akey, qkey])).size:
        msg = "a declined pair is also accepted or pending"
        raise ValueError(msg)


def _rule_of(rnd: PreparedRound, left: IntArray, right: IntArray, edge: IntArray) -> npt.NDArray[np.int16]:
    """The hard rule (not the minimum score) forbidding each pair now, -1 if none."""
    p = rnd.problem
    code = np.full(len(left), -1, np.int16)
    on_edge = edge >= 0
    code[on_edge] = rnd.removed_reason[edge[on_edge]]
    if _BELOW_MIN in p.reasons:
        code[code == p.reasons.index(_BELOW_MIN)] = -1
    pos = _lookup(rnd.excluded_key, _keys(left, right, p.n_right))
    hit = (code < 0) & (pos >= 0)
    code[hit] = rnd.excluded_code[pos[hit]]
    if p.right_block is not None:
        rb = p.right_block[right]
        code = np.where((code < 0) & (rb >= 0), rb, code)
    if p.left_block is not None:
        lb = p.left_block[left]
        code = np.where((code < 0) & (lb >= 0), lb, code)
    return code.astype(np.int16)


def cascade(  # noqa: PLR0915 - the steps read in order
    problem: PreparedRound | Problem | ArrayProblem,
    *,
    accepted: PairsInput = (),
    pending: PairsInput = (),
    declined: PairsInput = (),
    move_pending: bool = False,
    keep_bonus: float = 0.05,
    inactive_left: Iterable[str] = (),
    inactive_right: Iterable[str] = (),
    scope: Scope = "all",
    objective: Objective = "total",
) -> CascadeResult:
    """Propose the next best partners after declines, without disturbing accepted pairs.

    ``accepted`` pairs stay whatever happens; ``pending`` pairs stay too unless ``move_pending``
    (then they get ``keep_bonus`` score units, so only moves that gain more than that happen);
    ``declined`` pairs (declined or expired) are never proposed again. ``inactive_left`` /
    ``inactive_right`` get no new partner (someone who left the round); their accepted pairs stay,
    and their pending ones too unless ``move_pending``.
    ``scope="all"``: every left item with room competes for the freed capacity (someone without a
    partner in the round may gain most); ``"left_alone"``: only left items that lost a partner
    (declined, or pending when ``move_pending``) get new partners.
    The residual demand and capacity are filled optimally for ``objective`` under the round's hard
    rules, minimum score and coverage (``required``: as many new pairs as possible first).
    Deterministic. Raises ``ValueError`` for unknown ids, duplicate pairs, or a pair given twice
    (accepted and pending, or declined and kept).
    """
    rnd = problem if isinstance(problem, PreparedRound) else prepare_round(problem)
    p = rnd.problem
    n, m = p.n_left, p.n_right
    al, ar = rnd.indices(accepted, "accepted")
    ql, qr = rnd.indices(pending, "pending")
    dl, dr = rnd.indices(declined, "declined")
    akey, qkey, dkey = _keys(al, ar, m), _keys(ql, qr, m), _keys(dl, dr, m)
    _check_disjoint(akey, qkey, dkey)
    off_left = _flags(n, inactive_left, rnd.left_pos, "inactive_left")
    off_right = _flags(m, inactive_right, rnd.right_pos, "inactive_right")

    # what stays, and the room it leaves
    fl = al if move_pending else np.concatenate([al, ql])
    fr = ar if move_pending else np.concatenate([ar, qr])
    demand = np.maximum(p.demand - np.bincount(fl, minlength=n), 0)
    demand[off_left] = 0
    if scope == "left_alone":
        may_move = np.zeros(n, bool)
        may_move[dl] = True
        if move_pending:
            may_move[ql] = True
        demand[~may_move] = 0
    capacity = np.maximum(p.capacity - np.bincount(fr, minlength=m), 0)
    capacity[off_right] = 0
    min_load = np.clip(p.min_load - np.bincount(fr, minlength=m), 0, capacity)

    # the residual problem: usable edges between items with room, minus kept and declined pairs
    usable = rnd.removed_reason < 0
    usable &= demand[p.edge_left] > 0
    usable &= capacity[p.edge_right] > 0
    gone = rnd.edge_of(np.concatenate([fl, dl]), np.concatenate([fr, dr]))
    usable[gone[gone >= 0]] = False
    sub_edges = np.flatnonzero(usable).astype(np.int64)
    del usable
    sub = ArrayProblem(
        left_ids=p.left_ids,
        right_ids=p.right_ids,
        demand=demand,
        capacity=capacity,
        min_load=min_load,
        edge_left=p.edge_left[sub_edges],
        edge_right=p.edge_right[sub_edges],
        edge_score=p.edge_score[sub_edges],
        reasons=p.reasons,
        coverage=p.coverage,
        proposed_left=ql.astype(np.int32) if move_pending else np.zeros(0, np.int32),
        proposed_right=qr.astype(np.int32) if move_pending else np.zeros(0, np.int32),
        keep_bonus=keep_bonus if move_pending else 0.0,
    )
    sub_prep = prepare(sub)
    sub_chosen, status, solves, threshold = optimise(sub_prep, objective)
    chosen = sub_edges[sub_chosen]

    # every pair after the cascade, in (left, right) order
    cl = p.edge_left[chosen].astype(np.int64)
    cr = p.edge_right[chosen].astype(np.int64)
    pl = np.concatenate([fl, cl])
    pr = np.concatenate([fr, cr])
    pinned = np.concatenate([np.ones(len(fl), bool), np.zeros(len(cl), bool)])
    order = np.lexsort((pr, pl))
    pl, pr, pinned = pl[order], pr[order], pinned[order]
    pedge = rnd.edge_of(pl, pr)
    micro = np.where(pedge >= 0, np.round(p.edge_score[np.maximum(pedge, 0)] * SCALE), 0).astype(np.int64)
    pairs = tuple(
        Pair(p.left_ids[i], p.right_ids[j], s / SCALE, bool(k))
        for i, j, s, k in zip(pl.tolist(), pr.tolist(), micro.tolist(), pinned.tolist(), strict=True)
    )
    pkey = _keys(pl, pr, m)
    is_new = ~pinned & ~np.isin(pkey, qkey)
    proposed = tuple(pair for pair, new in zip(pairs, is_new.tolist(), strict=True) if new)
    withdrawn_key = np.setdiff1d(qkey, pkey) if move_pending else _EMPTY
    withdrawn = tuple(PairRef(p.left_ids[k // m], p.right_ids[k % m]) for k in withdrawn_key.tolist())

    # the round's problem as it now stands: declined pairs forbidden, people who left blocked
    code_declined = np.int16(p.reasons.index(DECLINED))
    code_withdrawn = np.int16(p.reasons.index(WITHDRAWN))
    right_block = p.right_block.copy() if p.right_block is not None else np.full(m, -1, np.int16)
    right_block[off_right & (right_block < 0)] = code_withdrawn
    left_block = p.left_block.copy() if p.left_block is not None else np.full(n, -1, np.int16)
    left_block[off_left & (left_block < 0)] = code_withdrawn
    now = replace(
        p,
        capacity=np.where(off_right, 0, p.capacity),
        excluded_left=np.concatenate([p.excluded_left, dl.astype(np.int32)]),
        excluded_right=np.concatenate([p.excluded_right, dr.astype(np.int32)]),
        excluded_reason=np.concatenate([p.excluded_reason, np.full(len(dl), code_declined, np.int16)]),
        excluded_score=np.concatenate(
            [p.excluded_score, np.where(gone[len(fl) :] >= 0, p.edge_score[np.maximum(gone[len(fl) :], 0)], np.nan)]
        ),
        left_block=left_block,
        right_block=right_block,
        pinned_left=fl.astype(np.int32),
        pinned_right=fr.astype(np.int32),
        proposed_left=np.zeros(0, np.int32),
        proposed_right=np.zeros(0, np.int32),
        keep_bonus=0.0,
    )

    # reasons for the left items left alone, idle right items
    left_load = np.bincount(pl, minlength=n)
    right_load = np.bincount(pr, minlength=m)
    lost_left = np.zeros(n, bool)
    lost_right = np.zeros(m, bool)
    lost_left[dl] = True
    lost_right[dr] = True
    lost_left[withdrawn_key // max(m, 1)] = True
    lost_right[withdrawn_key % max(m, 1)] = True
    alone = lost_left & ~off_left & (left_load < p.demand)
    unmatched: tuple[Unmatched, ...] = ()
    if alone.any():
        removed_reason = rnd.removed_reason.copy()
        declined_edges = gone[len(fl) :]
        removed_reason[declined_edges[declined_edges >= 0]] = code_declined
        removed_reason[(removed_reason < 0) & off_right[p.edge_right]] = code_withdrawn
        unmatched = unmatched_reasons(
            now,
            removed_reason,
            chosen=pedge[pedge >= 0],
            left_load=left_load,
            right_load=right_load,
            objective=objective,
            among=alone,
        )
    idle = lost_right & ~off_right & (right_load < p.capacity)
    kl, kr = pl[pinned], pr[pinned]
    conflict_code = _rule_of(rnd, kl, kr, pedge[pinned])
    conflicts = tuple(
        Forbidden(p.left_ids[i], p.right_ids[j], p.reasons[c])
        for i, j, c in zip(kl.tolist(), kr.tolist(), conflict_code.tolist(), strict=True)
        if c >= 0
    )

    total = int(micro.sum())
    stats = SolverStats(
        objective=objective,
        status=status,
        optimal=status == "OPTIMAL",
        n_left=n,
        n_right=m,
        n_edges=len(sub_edges),
        n_excluded_edges=int((rnd.removed_reason >= 0).sum()) + int((gone[len(fl) :] >= 0).sum()),
        n_pairs=len(pairs),
        total_score=total / SCALE,
        total_score_micro=total,
        min_pair_score=float(micro.min()) / SCALE if len(micro) else None,
        fair_threshold=threshold,
        flow_solves=solves,
    )
    under = tuple(
        UnderLoaded(p.right_ids[j], int(p.min_load[j]), int(right_load[j]))
        for j in np.flatnonzero(right_load < p.min_load).tolist()
    )
    result = Result(
        pairs=pairs,
        unmatched=unmatched,
        under_loaded=under,
        added=tuple(PairRef(x.left, x.right) for x in proposed),
        removed=tuple(
            PairRef(p.left_ids[k // m], p.right_ids[k % m]) for k in np.union1d(withdrawn_key, dkey).tolist()
        ),
        stats=stats,
        pair_left=pl.astype(np.int32),
        pair_right=pr.astype(np.int32),
        pair_edge=pedge,
    )
    new_micro = int(micro[is_new].sum())
    return CascadeResult(
        result=result,
        proposed=proposed,
        withdrawn=withdrawn,
        idle_rights=tuple(p.right_ids[j] for j in np.flatnonzero(idle).tolist()),
        conflicts=conflicts,
        problem=now,
        proposed_score=new_micro / SCALE,
    )
