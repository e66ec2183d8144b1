"""The assignment solver: min-cost flow on integer costs, fair mode, re-solving.

Why an item stayed unmatched is worded in :mod:`matching.unmatched`.

Everything here is pure: numpy arrays in, a :class:`~matching.model.Result` out. No I/O, no clock.
"""

from __future__ import annotations

from dataclasses import dataclass

import numpy as np
import numpy.typing as npt
from ortools.graph.python import max_flow, min_cost_flow

from matching.model import (
    SCALE,
    ArrayProblem,
    BoolArray,
    FloatArray,
    Int32Array,
    IntArray,
    Objective,
    Pair,
    PairRef,
    Problem,
    Result,
    SolverStats,
    UnderLoaded,
)
from matching.unmatched import _argsort_keys, _keys, _lookup, unmatched_reasons

_BELOW_MIN = "below_min_score"


class SolverError(RuntimeError):
    """The flow solver reported something other than an optimal solution."""


@dataclass(frozen=True, eq=False)
class Prepared:
    """The edges that survive the hard rules, with residual demands/capacities after pins."""

    problem: ArrayProblem
    keep: BoolArray  # per problem edge: usable by the solver
    removed_reason: npt.NDArray[np.int16]  # per problem edge: reason index, -1 if kept
    edges: IntArray  # indices of usable problem edges (canonical order)
    cost: IntArray  # per usable edge: -(round(score*1e6) + keep bonus)
    demand: IntArray  # residual
    capacity: IntArray  # residual
    min_load: IntArray  # residual
    pinned_left: Int32Array
    pinned_right: Int32Array
    pinned_edge: IntArray  # problem edge index of each pin, -1 if not a candidate


def rule_reasons(problem: ArrayProblem) -> tuple[npt.NDArray[np.int16], IntArray]:
    """Per edge: the index of the hard rule (or the minimum score) removing it, -1 if usable; and
    the edge keys ``left * n_right + right``. Pins and capacities play no part here."""
    n, m = problem.n_left, problem.n_right
    el, er = problem.edge_left, problem.edge_right
    n_edges = len(el)
    if n_edges and (el.min() < 0 or el.max() >= n or er.min() < 0 or er.max() >= m):
        msg = "edge indices out of range"
        raise ValueError(msg)
    reason = np.full(n_edges, -1, np.int16)
    ekey = _keys(el, er, m)
    if len(problem.excluded_left):
        xkey = _keys(problem.excluded_left, problem.excluded_right, m)
        xorder = np.argsort(xkey, kind="stable")
        pos = _lookup(xkey[xorder], ekey)
        hit = pos >= 0
        reason[hit] = problem.excluded_reason[xorder[pos[hit]]]
    if problem.right_block is not None:
        rb = problem.right_block[er]
        reason = np.where((reason < 0) & (rb >= 0), rb, reason)
    if problem.left_block is not None:
        lb = problem.left_block[el]
        reason = np.where((reason < 0) & (lb >= 0), lb, reason)
    if problem.min_score > 0:
        below = (reason < 0) & (problem.edge_score < problem.min_score - 0.5 / SCALE)
        if below.any():
            reason[below] = problem.reasons.index(_BELOW_MIN)
    return reason, ekey


def prepare(problem: ArrayProblem) -> Prepared:
    """Apply hard rules, min score and pins; compute integer costs. Vectorised."""
    n, m = problem.n_left, problem.n_right
    el, er = problem.edge_left, problem.edge_right
    n_edges = len(el)
    reason, ekey = rule_reasons(problem)

    # pins (accepted pairs) are kept unless a hard rule now forbids the pair itself (a conflict
    # declared later, a withdrawal); the minimum score does not undo them. They use demand and capacity.
    demand = problem.demand.astype(np.int64).copy()
    capacity = problem.capacity.astype(np.int64).copy()
    min_load = problem.min_load.astype(np.int64).copy()
    pl, pr = problem.pinned_left, problem.pinned_right
    if len(pl):
        bad = np.zeros(len(pl), bool)
        if len(problem.excluded_left):
            xkey_sorted = np.sort(_keys(problem.excluded_left, problem.excluded_right, m))
            bad |= _lookup(xkey_sorted, _keys(pl, pr, m)) >= 0
        if problem.right_block is not None:
            bad |= problem.right_block[pr] >= 0
        if problem.left_block is not None:
            bad |= problem.left_block[pl] >= 0
        pl, pr = pl[~bad], pr[~bad]
    eorder = _argsort_keys(ekey)
    sorted_ekey = ekey[eorder]
    pinned_edge = np.full(len(pl), -1, np.int64)
    if len(pl):
        pkey = _keys(pl, pr, m)
        if len(np.unique(pkey)) != len(pkey):
            msg = "duplicate pinned pairs"
            raise ValueError(msg)
        pos = _lookup(sorted_ekey, pkey)
        pinned_edge = np.where(pos >= 0, eorder[np.maximum(pos, 0)], -1)
        demand -= np.bincount(pl, minlength=n)
        capacity -= np.bincount(pr, minlength=m)
        min_load -= np.bincount(pr, minlength=m)
    demand = np.maximum(demand, 0)
    capacity = np.maximum(capacity, 0)
    min_load = np.clip(min_load, 0, capacity)

    keep = reason < 0
    if len(pl):
        keep[pinned_edge[pinned_edge >= 0]] = False
    keep &= (demand[el] > 0) & (capacity[er] > 0)
    edges = np.flatnonzero(keep).astype(np.int64)
    cost = -np.round(problem.edge_score[edges] * SCALE).astype(np.int64)
    if problem.keep_bonus and len(problem.proposed_left):
        qpos = _lookup(sorted_ekey, _keys(problem.proposed_left, problem.proposed_right, m))
        qedge = eorder[qpos[qpos >= 0]]
        bonus_mask = np.zeros(n_edges, bool)
        bonus_mask[qedge] = True
        cost -= np.where(bonus_mask[edges], round(problem.keep_bonus * SCALE), 0)
    return Prepared(
        problem=problem,
        keep=keep,
        removed_reason=reason,
        edges=edges,
        cost=cost,
        demand=demand,
        capacity=capacity,
        min_load=min_load,
        pinned_left=pl.astype(np.int32),
        pinned_right=pr.astype(np.int32),
        pinned_edge=pinned_edge,
    )


@dataclass(frozen=True, eq=False)
class _FlowOutcome:
    chosen: IntArray  # problem edge indices with flow
    status: str
    solves: int


def _flow(
    prep: Prepared,
    edges: IntArray,
    cost: IntArray,
    *,
    exact_pairs: int | None,
    maximise_pairs: bool,
) -> tuple[IntArray, str]:
    """One min-cost flow. Returns the problem edges carrying flow and the status name.

    ``exact_pairs``: route exactly that many pairs (fair mode's last step); otherwise, with
    ``maximise_pairs`` the solver maximises the number of pairs first (required coverage), else
    a zero-cost bypass arc lets it leave demand unserved whenever that scores more.
    """
    p = prep.problem
    n, m = p.n_left, p.n_right
    src, snk = n + m, n + m + 1
    el = p.edge_left[edges].astype(np.int64)
    er = p.edge_right[edges].astype(np.int64)
    total_demand = int(prep.demand.sum())
    has_min = bool(prep.min_load.any())
    tails = [el, np.full(n, src, np.int64)]
    heads = [n + er, np.arange(n, dtype=np.int64)]
    caps = [np.ones(len(edges), np.int64), prep.demand]
    costs = [cost, np.zeros(n, np.int64)]
    right_nodes = n + np.arange(m, dtype=np.int64)
    if has_min:
        # lower bounds as a bonus larger than any total score: min loads first, then score
        bonus = (total_demand + 1) * (SCALE + round(p.keep_bonus * SCALE)) + 1
        tails += [right_nodes, right_nodes]
        heads += [np.full(m, snk, np.int64), np.full(m, snk, np.int64)]
        caps += [prep.min_load, prep.capacity - prep.min_load]
        costs += [np.full(m, -bonus, np.int64), np.zeros(m, np.int64)]
    else:
        tails.append(right_nodes)
        heads.append(np.full(m, snk, np.int64))
        caps.append(prep.capacity)
        costs.append(np.zeros(m, np.int64))
    supply = total_demand if exact_pairs is None else exact_pairs
    if exact_pairs is None and not maximise_pairs:
        tails.append(np.array([src], np.int64))
        heads.append(np.array([snk], np.int64))
        caps.append(np.array([total_demand], np.int64))
        costs.append(np.zeros(1, np.int64))
    mcf = min_cost_flow.SimpleMinCostFlow()
    if len(edges) == 0 and not has_min and supply == 0:
        return np.zeros(0, np.int64), "OPTIMAL"
    mcf.add_arcs_with_capacity_and_unit_cost(
        np.concatenate(tails), np.concatenate(heads), np.concatenate(caps), np.concatenate(costs)
    )
    mcf.set_nodes_supplies(np.array([src, snk], np.int64), np.array([supply, -supply], np.int64))
    status = mcf.solve_max_flow_with_min_cost() if maximise_pairs and exact_pairs is None else mcf.solve()
    if status != mcf.OPTIMAL:
        msg = f"min-cost flow failed with status {status}"
        raise SolverError(msg)
    if len(edges) == 0:
        return np.zeros(0, np.int64), "OPTIMAL"
    flows = mcf.flows(np.arange(len(edges), dtype=np.int32))
    return edges[flows > 0], "OPTIMAL"


def _max_pairs_at(
    prep: Prepared,
    flow: max_flow.SimpleMaxFlow,
    scores: FloatArray,
    threshold: float,
) -> int:
    arcs = np.arange(len(scores), dtype=np.int32)
    flow.set_arcs_capacity(arcs, (scores >= threshold).astype(np.int64))
    n, m = prep.problem.n_left, prep.problem.n_right
    status = flow.solve(n + m, n + m + 1)
    if status != flow.OPTIMAL:
        msg = f"max flow failed with status {status}"
        raise SolverError(msg)
    return int(flow.optimal_flow())


def _upper_bound(prep: Prepared, edges: IntArray, emicro: IntArray, values: IntArray, k: int) -> int:
    """Index into ``values`` of a threshold no fair solution with ``k`` pairs can beat."""
    p = prep.problem
    n, m = p.n_left, p.n_right

    def necessary(t: int) -> bool:
        # enough edges >= t, within demands and capacities
        sel = emicro >= t
        lc = np.minimum(np.bincount(p.edge_left[edges[sel]], minlength=n), prep.demand).sum()
        rc = np.minimum(np.bincount(p.edge_right[edges[sel]], minlength=m), prep.capacity).sum()
        return bool(lc >= k and rc >= k)

    a, b = 0, len(values) - 1  # values[0] is feasible (the total solution's minimum)
    while a < b:
        mid = (a + b + 1) // 2
        if necessary(int(values[mid])):
            a = mid
        else:
            b = mid - 1
    hi = a
    # when every left item (or every right item) must be full, none can do better than its
    # demand-th (capacity-th) best edge: a much tighter bound for full-coverage reviewing
    for side, need in ((p.edge_left, prep.demand), (p.edge_right, prep.capacity)):
        if k == int(need.sum()):
            owner = side[edges]
            order = np.argsort(owner.astype(np.int64) * (SCALE + 1) + (SCALE - emicro), kind="stable")
            first = np.searchsorted(owner[order], np.arange(len(need)))
            needy = np.flatnonzero(need > 0)
            kth = emicro[order[first[needy] + need[needy] - 1]]
            hi = min(hi, int(np.searchsorted(values, kth.min(), side="right")) - 1)
    return hi


def _fair(prep: Prepared, total_chosen: IntArray) -> tuple[IntArray, float | None, int]:
    """Maximise the minimum pair score among solutions with as many pairs, then the total."""
    p = prep.problem
    n, m = p.n_left, p.n_right
    k = len(total_chosen)
    if k == 0:
        return total_chosen, None, 0
    micro = np.round(p.edge_score * SCALE).astype(np.int64)
    lo = int(micro[total_chosen].min())
    edges = prep.edges[micro[prep.edges] >= lo]
    emicro = micro[edges]
    values = np.unique(emicro)
    hi = _upper_bound(prep, edges, emicro, values, k)
    solves = 0
    has_min = bool(prep.min_load.any())
    if has_min:
        # min loads are hard: test feasibility with the same flow as the total mode
        base_under = _under_load(prep, total_chosen)

        def feasible(t: int) -> bool:
            sub = edges[emicro >= t]
            chosen, _ = _flow(prep, sub, np.full(len(sub), -1, np.int64), exact_pairs=None, maximise_pairs=True)
            return len(chosen) >= k and _under_load(prep, chosen) <= base_under

    else:
        mf = max_flow.SimpleMaxFlow()
        src, snk = n + m, n + m + 1
        mf.add_arcs_with_capacity(
            np.concatenate([p.edge_left[edges], np.full(n, src), n + np.arange(m)]).astype(np.int32),
            np.concatenate([n + p.edge_right[edges], np.arange(n), np.full(m, snk)]).astype(np.int32),
            np.concatenate([np.ones(len(edges), np.int64), prep.demand, prep.capacity]),
        )
        escore = emicro.astype(np.float64)

        def feasible(t: int) -> bool:
            return _max_pairs_at(prep, mf, escore, float(t)) >= k

    a, b = 0, hi
    # gallop down from the upper bound (the optimum is usually close to it), then bisect
    step = 1
    while a < b:
        probe = max(a + 1, b - step + 1)
        solves += 1
        if feasible(int(values[probe])):
            a = probe
            break
        b = probe - 1
        step *= 2
    while a < b:
        mid = (a + b + 1) // 2
        solves += 1
        if feasible(int(values[mid])):
            a = mid
        else:
            b = mid - 1
    theta = int(values[a])
    sel = emicro >= theta
    sub = edges[sel]
    chosen, _ = _flow(prep, sub, prep.cost[np.searchsorted(prep.edges, sub)], exact_pairs=k, maximise_pairs=False)
    return chosen, theta / SCALE, solves + 1


def _under_load(prep: Prepared, chosen: IntArray) -> int:
    load = np.bincount(prep.problem.edge_right[chosen], minlength=prep.problem.n_right)
    return int(np.maximum(prep.min_load - load, 0).sum())


def solve(problem: Problem | ArrayProblem, *, objective: Objective = "total") -> Result:
    """Solve the assignment problem.

    ``objective="total"`` maximises the total score (provably optimal: min-cost flow on integer
    costs ``round(score * 10**6)``). ``"fair"`` keeps as many pairs as the total mode, maximises
    the minimum pair score, then the total. Pinned pairs are always kept; proposed pairs get
    ``keep_bonus``; the result lists pairs added and removed relative to pinned + proposed.
    """
    ap = problem.to_arrays() if isinstance(problem, Problem) else problem
    prep = prepare(ap)
    chosen, status, solves, threshold = optimise(prep, objective)
    return build_result(prep, chosen, objective=objective, status=status, solves=solves, threshold=threshold)


def optimise(prep: Prepared, objective: Objective) -> tuple[IntArray, str, int, float | None]:
    """The flow step(s) on prepared edges: chosen problem edges, status, flow solves, fair threshold."""
    maximise_pairs = prep.problem.coverage == "required"
    chosen, status = _flow(prep, prep.edges, prep.cost, exact_pairs=None, maximise_pairs=maximise_pairs)
    solves = 1
    threshold: float | None = None
    if objective == "fair":
        chosen, threshold, extra = _fair(prep, chosen)
        solves += extra
    return chosen, status, solves, threshold


def build_result(
    prep: Prepared,
    chosen: IntArray,
    *,
    objective: Objective,
    status: str,
    solves: int,
    threshold: float | None,
) -> Result:
    """Assemble pairs (pins first merged in), unmatched reasons, changes and stats."""
    p = prep.problem
    n, m = p.n_left, p.n_right
    micro = np.round(p.edge_score * SCALE).astype(np.int64)
    # pins that are not candidates score 0
    al = np.concatenate([p.edge_left[chosen].astype(np.int32), prep.pinned_left])
    ar = np.concatenate([p.edge_right[chosen].astype(np.int32), prep.pinned_right])
    ae = np.concatenate([chosen, prep.pinned_edge])
    pinned = np.concatenate([np.zeros(len(chosen), bool), np.ones(len(prep.pinned_left), bool)])
    order = np.lexsort((ar, al))
    al, ar, ae, pinned = al[order], ar[order], ae[order], pinned[order]
    amicro = np.where(ae >= 0, micro[np.maximum(ae, 0)], 0)
    pairs = tuple(
        Pair(p.left_ids[i], p.right_ids[j], s / SCALE, bool(pn))
        for i, j, s, pn in zip(al.tolist(), ar.tolist(), amicro.tolist(), pinned.tolist(), strict=True)
    )
    left_load = np.bincount(al, minlength=n)
    right_load = np.bincount(ar, minlength=m)
    unmatched = unmatched_reasons(
        p, prep.removed_reason, chosen=chosen, left_load=left_load, right_load=right_load, objective=objective
    )
    under = tuple(
        UnderLoaded(p.right_ids[j], int(p.min_load[j]), int(right_load[j]))
        for j in np.flatnonzero(right_load < p.min_load).tolist()
    )
    added, removed = _changes(p, al, ar)
    total = int(amicro.sum())
    stats = SolverStats(
        objective=objective,
        status=status,
        optimal=status == "OPTIMAL",
        n_left=n,
        n_right=m,
        n_edges=len(p.edge_left),
        n_excluded_edges=int((prep.removed_reason >= 0).sum()),
        n_pairs=len(pairs),
        total_score=total / SCALE,
        total_score_micro=total,
        min_pair_score=float(amicro.min()) / SCALE if len(amicro) else None,
        fair_threshold=threshold,
        flow_solves=solves,
    )
    return Result(
        pairs=pairs,
        unmatched=unmatched,
        under_loaded=under,
        added=added,
        removed=removed,
        stats=stats,
        pair_left=al,
        pair_right=ar,
        pair_edge=ae.astype(np.int64),
    )


def _changes(p: ArrayProblem, al: Int32Array, ar: Int32Array) -> tuple[tuple[PairRef, ...], tuple[PairRef, ...]]:
    if not len(p.pinned_left) and not len(p.proposed_left):
        return (), ()
    m = p.n_right
    prev = np.unique(
        np.concatenate([_keys(p.pinned_left, p.pinned_right, m), _keys(p.proposed_left, p.proposed_right, m)])
    )
    now = _keys(al, ar, m)
    add = np.setdiff1d(now, prev)
    rem = np.setdiff1d(prev, now)

    def refs(keys: IntArray) -> tuple[PairRef, ...]:
        return tuple(PairRef(p.left_ids[k // max(m, 1)], p.right_ids[k % max(m, 1)]) for k in keys.tolist())

    return refs(add), refs(rem)
