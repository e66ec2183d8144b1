"""Builders and a brute-force reference optimum for small instances."""

from __future__ import annotations

import numpy as np
from scipy.optimize import Bounds, LinearConstraint, milp

from matching import ArrayProblem, Candidate, Forbidden, LeftItem, Problem, RightItem


def small_problem(
    rng: np.random.Generator,
    *,
    n: int,
    m: int,
    density: float = 0.6,
    max_demand: int = 2,
    max_cap: int = 3,
    with_min_load: bool = False,
    conflict_rate: float = 0.1,
) -> Problem:
    lefts = tuple(LeftItem(f"L{i}", int(rng.integers(1, max_demand + 1))) for i in range(n))
    rights = tuple(
        RightItem(f"R{j}", int(c), int(rng.integers(0, min(c, 1) + 1)) if with_min_load else 0)
        for j, c in enumerate(rng.integers(0, max_cap + 1, size=m))
    )
    cands: list[Candidate] = []
    forb: list[Forbidden] = []
    for i in range(n):
        for j in range(m):
            if rng.random() < density:
                cands.append(Candidate(f"L{i}", f"R{j}", score=round(float(rng.random()), 6)))
            if rng.random() < conflict_rate:
                forb.append(Forbidden(f"L{i}", f"R{j}", "same_institution"))
    return Problem(lefts=lefts, rights=rights, candidates=tuple(cands), forbidden=tuple(forb))


def reference_optimum(ap: ArrayProblem, forbidden_mask: np.ndarray) -> int | None:
    """Max total score (micro units) by an integer program; None if min loads are infeasible."""
    keep = ~forbidden_mask
    el, er = ap.edge_left[keep], ap.edge_right[keep]
    w = np.round(ap.edge_score[keep] * 1_000_000)
    e = len(el)
    if e == 0:
        infeasible = ap.min_load.any() or (ap.coverage == "required" and ap.demand.any())
        return None if infeasible else 0
    a_left = np.zeros((ap.n_left, e))
    a_left[el, np.arange(e)] = 1
    a_right = np.zeros((ap.n_right, e))
    a_right[er, np.arange(e)] = 1
    lo_left = ap.demand if ap.coverage == "required" else np.zeros(ap.n_left)
    cons = [
        LinearConstraint(a_left, lo_left, ap.demand),
        LinearConstraint(a_right, ap.min_load, ap.capacity),
    ]
    res = milp(-w, constraints=cons, integrality=np.ones(e), bounds=Bounds(0, 1))
    if res.status != 0:
        return None
    return round(-res.fun)
