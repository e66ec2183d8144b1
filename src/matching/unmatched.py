"""Why an item stayed unmatched, in words, and the sorted-key helpers the solver shares.

Pure like the solver: numpy arrays in, :class:`~matching.model.Unmatched` records out.
"""

from __future__ import annotations

import numpy as np
import numpy.typing as npt

from matching.model import (
    CONFLICT_REASONS,
    ArrayProblem,
    BoolArray,
    Int32Array,
    IntArray,
    Objective,
    Unmatched,
)


def _keys(left: npt.NDArray[np.integer], right: npt.NDArray[np.integer], m: int) -> IntArray:
    return left.astype(np.int64) * max(m, 1) + right.astype(np.int64)


def _lookup(sorted_keys: IntArray, keys: IntArray) -> IntArray:
    """Position of each key in ``sorted_keys`` or -1."""
    if len(sorted_keys) == 0:
        return np.full(len(keys), -1, np.int64)
    pos = np.searchsorted(sorted_keys, keys)
    pos_c = np.minimum(pos, len(sorted_keys) - 1)
    return np.where(sorted_keys[pos_c] == keys, pos_c, -1).astype(np.int64)


def _argsort_keys(keys: IntArray) -> IntArray:
    """Stable argsort, skipped when the keys are already sorted (the canonical edge order)."""
    if len(keys) < 2 or bool((keys[1:] >= keys[:-1]).all()):
        return np.arange(len(keys), dtype=np.int64)
    return np.argsort(keys, kind="stable").astype(np.int64)


def _is_sorted_pairs(left: Int32Array, right: Int32Array) -> bool:
    if len(left) < 2:
        return True
    dl = left[1:].astype(np.int64) - left[:-1]
    return bool(((dl > 0) | ((dl == 0) & (right[1:] >= right[:-1]))).all())


_MESSAGES = {
    "no_candidates": "No candidate was proposed for {left}.",
    "no_other_candidate": "Every candidate for {left} is already assigned to it; nobody else was proposed.",
    "no_eligible_candidate": "None of the {n_candidates} candidates for {left} is eligible ({rules_text}).",
    "all_in_conflict": "All {n_candidates} candidates for {left} have a conflict of interest ({rules_text}).",
    "all_candidates_at_capacity": (
        "All {n_eligible} eligible candidates for {left} are at capacity with people who gained more "
        "(best: {best_right}, score {best_score:.3f}, taken by {taken_by_text})."
    ),
    "not_selected": (
        "{left} has {n_free} eligible candidates with free capacity, but the {objective} objective "
        "did not select them (best: {best_right}, score {best_score:.3f})."
    ),
}


def _rules_text(rules: dict[str, int]) -> str:
    return ", ".join(f"{code.replace('_', ' ')}: {cnt}" for code, cnt in rules.items())


def unmatched_reasons(  # noqa: PLR0915 - vectorised counts, then one loop over short items
    p: ArrayProblem,
    removed_reason: npt.NDArray[np.int16],
    *,
    chosen: IntArray,
    left_load: IntArray,
    right_load: IntArray,
    objective: Objective,
    among: BoolArray | None = None,
) -> tuple[Unmatched, ...]:
    """Why each left item short of its demand is short (only those in ``among`` when given).

    ``removed_reason`` is per problem edge (-1 = usable); ``chosen`` are the problem edges in the
    assignment (they name who holds a full right item)."""
    n, m = p.n_left, p.n_right
    is_short_left = left_load < p.demand
    if among is not None:
        is_short_left &= among
    short = np.flatnonzero(is_short_left)
    if not len(short):
        return ()
    el, er = p.edge_left, p.edge_right
    n_reasons = len(p.reasons)
    removed = removed_reason >= 0
    # per-left counts of removed candidates by rule (pairs excluded that were not candidates count too)
    rl = np.concatenate([el[removed].astype(np.int64), p.excluded_left.astype(np.int64)])
    rr = np.concatenate([removed_reason[removed].astype(np.int64), p.excluded_reason.astype(np.int64)])
    # excluded pairs that were also candidates are counted once (from the candidate side)
    if len(p.excluded_left) and len(el):
        ekey_all = _keys(el, er, m)
        ekey_sorted = ekey_all[_argsort_keys(ekey_all)]
        is_cand = _lookup(ekey_sorted, _keys(p.excluded_left, p.excluded_right, m)) >= 0
        mask = np.concatenate([np.ones(int(removed.sum()), bool), ~is_cand])
        rl, rr = rl[mask], rr[mask]
    rule_counts = np.bincount(rl * n_reasons + rr, minlength=n * n_reasons).reshape(n, n_reasons)
    if p.rule_counts is not None:
        # counts from candidate generation cover the reasons known then (a cascade appends "declined")
        k = min(p.rule_counts.shape[1], n_reasons)
        rule_counts[:, :k] = np.maximum(rule_counts[:, :k], p.rule_counts[:, :k].astype(np.int64))
    n_removed = rule_counts.sum(axis=1)
    # A candidate already paired with this left cannot be its next partner: count the others.
    eligible = ~removed
    eligible[chosen] = False
    n_eligible = np.bincount(el[eligible], minlength=n)
    full = right_load >= p.capacity
    free_elig = eligible & ~full[er]
    n_free = np.bincount(el[free_elig], minlength=n)
    conflict_cols = np.array([r in CONFLICT_REASONS for r in p.reasons], bool)
    all_conflict = rule_counts[:, ~conflict_cols].sum(axis=1) == 0

    # best eligible candidate per short left (for the messages): highest score, then lowest right index
    is_short = np.zeros(n, bool)
    is_short[short] = True
    sel_idx = np.flatnonzero(eligible & is_short[el])
    # best eligible candidate per short left: highest score, then the lowest right index
    sel_idx = sel_idx[np.lexsort((er[sel_idx], el[sel_idx]))] if not _is_sorted_pairs(el, er) else sel_idx
    best = np.full(n, -1.0)
    np.maximum.at(best, el[sel_idx], p.edge_score[sel_idx])
    sel_idx = sel_idx[p.edge_score[sel_idx] == best[el[sel_idx]]]
    first = np.unique(el[sel_idx], return_index=True)
    best_of = dict(zip(first[0].tolist(), sel_idx[first[1]].tolist(), strict=True))
    # occupants of each right, by score (for "taken by")
    occ_order = np.lexsort((-p.edge_score[chosen], er[chosen]))
    occ = chosen[occ_order]
    occ_right = er[occ]
    starts = np.searchsorted(occ_right, np.arange(m))
    ends = np.searchsorted(occ_right, np.arange(m), side="right")

    out: list[Unmatched] = []
    reasons = p.reasons
    for i in short.tolist():
        params: dict[str, object] = {"left": p.left_ids[i]}
        rules = {reasons[c]: int(rule_counts[i, c]) for c in np.flatnonzero(rule_counts[i]).tolist()}
        if n_eligible[i] == 0:
            if n_removed[i] == 0:
                reason = "no_other_candidate" if left_load[i] else "no_candidates"
            else:
                reason = "all_in_conflict" if all_conflict[i] else "no_eligible_candidate"
                params.update(n_candidates=int(n_removed[i]), rules=rules, rules_text=_rules_text(rules))
        else:
            e = best_of[i]
            j = int(er[e])
            params.update(
                n_eligible=int(n_eligible[i]),
                n_free=int(n_free[i]),
                best_right=p.right_ids[j],
                best_score=float(p.edge_score[e]),
                rules=rules,
            )
            if n_free[i] == 0:
                reason = "all_candidates_at_capacity"
                taken = [
                    (p.left_ids[int(el[x])], float(p.edge_score[x])) for x in occ[starts[j] : ends[j]][:3].tolist()
                ]
                params["taken_by"] = taken
                params["taken_by_text"] = ", ".join(f"{a} ({s:.3f})" for a, s in taken) or "pinned pairs"
            else:
                reason = "not_selected"
                params["objective"] = objective
        message = _MESSAGES[reason].format(**params)
        out.append(
            Unmatched(
                left=p.left_ids[i],
                demand=int(p.demand[i]),
                assigned=int(left_load[i]),
                reason=reason,
                params=params,
                message=message,
            )
        )
    return tuple(out)
