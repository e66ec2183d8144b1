"""Independent optimality check: the instance's LP relaxation solved by HiGHS, against an assignment.

Reviewer assignment is a bipartite b-matching, whose constraint matrix is totally unimodular: the LP
optimum is the integer optimum. This reads the instance with the shared loader (not the engine's),
solves the LP with scipy's HiGHS (a simplex/interior-point code, independent of OR-Tools' cost
scaling), and compares its optimum with the total score of ASSIGNMENTS.csv (scored by evaluate.py).

Usage: python verify_lp.py INSTANCE_DIR ASSIGNMENTS.csv  -> prints JSON
"""

from __future__ import annotations

import json
import resource
import sys
import time

import numpy as np
from evaluate import evaluate_pairs, read_assignments
from instance_io import load_instance
from scipy import sparse
from scipy.optimize import linprog

SCALE = 1_000_000


def main() -> None:
    t0 = time.perf_counter()
    inst = load_instance(sys.argv[1])
    al, ar = read_assignments(inst, sys.argv[2])
    engine = evaluate_pairs(inst, al, ar)
    n, m, e = inst.n, inst.m, len(inst.el)
    cols = np.arange(e)
    a_left = sparse.csr_matrix((np.ones(e), (inst.el, cols)), shape=(n, e))
    a_right = sparse.csr_matrix((np.ones(e), (inst.er, cols)), shape=(m, e))
    # integer micro-units, as the format's 6 decimals: the LP optimum is then an integer too
    cost = -np.round(inst.w * SCALE)
    required = inst.coverage == "required"
    t1 = time.perf_counter()
    res = linprog(
        cost,
        A_ub=sparse.vstack([a_right, -a_right] + ([] if required else [a_left])).tocsr(),
        b_ub=np.concatenate([inst.capacity, -inst.min_load] + ([] if required else [inst.demand])).astype(float),
        A_eq=a_left if required else None,
        b_eq=inst.demand.astype(float) if required else None,
        bounds=(0, 1),
        method="highs",
    )
    t2 = time.perf_counter()
    lp_micro = round(-res.fun) if res.status == 0 else None
    engine_micro = round(engine["total_score"] * SCALE)
    fractional = int(((res.x > 1e-6) & (res.x < 1 - 1e-6)).sum()) if res.status == 0 else None
    print(
        json.dumps(
            {
                "lp_status": res.message,
                "lp_total": None if lp_micro is None else lp_micro / SCALE,
                "engine_total": engine_micro / SCALE,
                "engine_valid": engine["valid"],
                "equal": lp_micro == engine_micro,
                "lp_fractional_vars": fractional,
                "n_vars": e,
                "build_s": round(t1 - t0, 2),
                "lp_s": round(t2 - t1, 2),
                "peak_mb": round(resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024, 1),
            }
        )
    )


if __name__ == "__main__":
    main()
