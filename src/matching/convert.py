"""Convert the dataclass :class:`~matching.model.Problem` into an :class:`ArrayProblem`."""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import replace

import numpy as np
import numpy.typing as npt

from matching.model import COMPONENTS, RULE_REASONS, ArrayProblem, PairRef, Problem


def _score_of(components: dict[str, float], weights: dict[str, float]) -> float:
    return sum(weights.get(k, 0.0) * v for k, v in components.items())


def problem_to_arrays(problem: Problem) -> ArrayProblem:  # noqa: PLR0915 - a flat conversion
    """Build the array form; candidate scores are rounded to 6 decimals."""
    left_ids = tuple(item.id for item in problem.lefts)
    right_ids = tuple(item.id for item in problem.rights)
    lpos = {lid: i for i, lid in enumerate(left_ids)}
    rpos = {rid: j for j, rid in enumerate(right_ids)}
    if len(lpos) != len(left_ids) or len(rpos) != len(right_ids):
        msg = "duplicate left or right ids"
        raise ValueError(msg)
    weights = dict(problem.weights)
    names: list[str] = [c for c in COMPONENTS if any(c in cand.components for cand in problem.candidates)]
    extra = sorted({k for cand in problem.candidates for k in cand.components} - set(names))
    names.extend(extra)
    col = {k: i for i, k in enumerate(names)}
    n_edges = len(problem.candidates)
    el = np.empty(n_edges, np.int32)
    er = np.empty(n_edges, np.int32)
    sc = np.empty(n_edges, np.float64)
    comp = np.zeros((n_edges, len(names)), np.float32)
    seen: set[tuple[int, int]] = set()
    for e, cand in enumerate(problem.candidates):
        try:
            li, rj = lpos[cand.left], rpos[cand.right]
        except KeyError as exc:
            msg = f"candidate ({cand.left}, {cand.right}) refers to an unknown id"
            raise ValueError(msg) from exc
        if (li, rj) in seen:
            msg = f"duplicate candidate ({cand.left}, {cand.right})"
            raise ValueError(msg)
        seen.add((li, rj))
        el[e], er[e] = li, rj
        comps = dict(cand.components)
        for k, v in comps.items():
            comp[e, col[k]] = v
        score = cand.score if cand.score is not None else _score_of(comps, weights)
        sc[e] = min(max(score, 0.0), 1.0)
    sc = np.round(sc, 6)

    reasons = list(RULE_REASONS)
    ridx = {r: i for i, r in enumerate(reasons)}

    def reason_index(code: str) -> int:
        if code not in ridx:
            ridx[code] = len(reasons)
            reasons.append(code)
        return ridx[code]

    xl: list[int] = []
    xr: list[int] = []
    xc: list[int] = []
    left_block = np.full(len(left_ids), -1, np.int16)
    right_block = np.full(len(right_ids), -1, np.int16)
    for rule in problem.forbidden:
        code = reason_index(rule.reason)
        if rule.left is None and rule.right is None:
            msg = "a Forbidden rule needs a left or a right id"
            raise ValueError(msg)
        if rule.left is None:
            if rule.right in rpos and right_block[rpos[rule.right]] < 0:
                right_block[rpos[rule.right]] = code
        elif rule.right is None:
            if rule.left in lpos and left_block[lpos[rule.left]] < 0:
                left_block[lpos[rule.left]] = code
        elif rule.left in lpos and rule.right in rpos:
            xl.append(lpos[rule.left])
            xr.append(rpos[rule.right])
            xc.append(code)
    # score of excluded pairs, when they were candidates (for "why not" explanations)
    edge_key = el.astype(np.int64) * max(len(right_ids), 1) + er
    order = np.argsort(edge_key, kind="stable")
    x_key = np.asarray(xl, np.int64) * max(len(right_ids), 1) + np.asarray(xr, np.int64)
    pos = np.searchsorted(edge_key[order], x_key)
    pos_c = np.minimum(pos, max(len(order) - 1, 0))
    found = (len(order) > 0) & (edge_key[order][pos_c] == x_key) if len(order) else np.zeros(len(x_key), bool)
    x_score = np.where(found, sc[order][pos_c] if len(order) else 0.0, np.nan)

    def pairs(refs: tuple[object, ...]) -> tuple[np.ndarray, np.ndarray]:
        ls: list[int] = []
        rs: list[int] = []
        for ref in refs:
            left, right = ref.left, ref.right  # type: ignore[attr-defined]
            if left not in lpos or right not in rpos:
                msg = f"pair ({left}, {right}) refers to an unknown id"
                raise ValueError(msg)
            ls.append(lpos[left])
            rs.append(rpos[right])
        return np.asarray(ls, np.int32), np.asarray(rs, np.int32)

    pl, pr = pairs(tuple(problem.pinned))
    ql, qr = pairs(tuple(problem.proposed))
    return ArrayProblem(
        left_ids=left_ids,
        right_ids=right_ids,
        demand=np.asarray([it.demand for it in problem.lefts], np.int64),
        capacity=np.asarray([it.capacity for it in problem.rights], np.int64),
        min_load=np.asarray([it.min_load for it in problem.rights], np.int64),
        edge_left=el,
        edge_right=er,
        edge_score=sc,
        component_names=tuple(names),
        edge_components=comp,
        excluded_left=np.asarray(xl, np.int32),
        excluded_right=np.asarray(xr, np.int32),
        excluded_reason=np.asarray(xc, np.int16),
        excluded_score=x_score.astype(np.float64),
        left_block=left_block,
        right_block=right_block,
        reasons=tuple(reasons),
        coverage=problem.coverage,
        min_score=problem.min_score,
        pinned_left=pl,
        pinned_right=pr,
        proposed_left=ql,
        proposed_right=qr,
        keep_bonus=problem.keep_bonus,
        seed=problem.seed,
    )


def with_history(
    problem: ArrayProblem,
    *,
    pinned: Iterable[PairRef] = (),
    proposed: Iterable[PairRef] = (),
    keep_bonus: float = 0.0,
    withdrawn_right: Iterable[str] = (),
) -> ArrayProblem:
    """The same array problem for a re-solve: pinned (accepted) pairs, proposed pairs with a keep
    bonus, and right items that withdrew (capacity 0, every pair blocked as ``withdrawn``)."""
    lpos = {x: i for i, x in enumerate(problem.left_ids)}
    rpos = {x: j for j, x in enumerate(problem.right_ids)}

    def arrays(refs: Iterable[PairRef]) -> tuple[npt.NDArray[np.int32], npt.NDArray[np.int32]]:
        pairs = [(lpos[r.left], rpos[r.right]) for r in refs]
        arr = np.asarray(pairs, np.int32).reshape(-1, 2)
        return arr[:, 0].copy(), arr[:, 1].copy()

    pl, pr = arrays(pinned)
    ql, qr = arrays(proposed)
    capacity = problem.capacity.copy()
    right_block = (
        problem.right_block.copy() if problem.right_block is not None else np.full(problem.n_right, -1, np.int16)
    )
    reasons = problem.reasons if "withdrawn" in problem.reasons else (*problem.reasons, "withdrawn")
    code = reasons.index("withdrawn")
    for rid in withdrawn_right:
        j = rpos[rid]
        capacity[j] = 0
        right_block[j] = code
    return replace(
        problem,
        capacity=capacity,
        right_block=right_block,
        reasons=reasons,
        pinned_left=pl,
        pinned_right=pr,
        proposed_left=ql,
        proposed_right=qr,
        keep_bonus=keep_bonus,
    )
