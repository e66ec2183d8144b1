"""Cascade after declines, timed in its own process.

Usage: python cascade.py INSTANCE_DIR ASSIGNMENTS.csv OUT_DIR [DECLINE_RATE]

Reads the instance and a published round (the total mode's assignments), then, with a fixed seed,
marks DECLINE_RATE (default 0.05) of the pairs declined, 60% of the others accepted and the rest
pending; times ``prepare_round`` (what a caller may keep between cascades) and ``cascade`` (pending
kept, then pending allowed to move), checks the guarantees, writes the pairs after the first
cascade to OUT_DIR/assignments.csv (for evaluate.py) and prints JSON.
"""

from __future__ import annotations

import json
import resource
import sys
import time
from pathlib import Path

import numpy as np

from matching import IndexPairs, cascade, prepare_round
from matching.bench_io import assignments_csv, read_instance, read_pairs


def main() -> None:
    inst, published, out = Path(sys.argv[1]), Path(sys.argv[2]), Path(sys.argv[3])
    rate = float(sys.argv[4]) if len(sys.argv) > 4 else 0.05
    t0 = time.perf_counter()
    problem, _ = read_instance(inst)
    pl, pr = read_pairs(published, problem)
    t_read = time.perf_counter() - t0
    rng = np.random.default_rng(11)
    u = rng.random(len(pl))
    declined = u < rate
    accepted = ~declined & (rng.random(len(pl)) < 0.6)
    pending = ~declined & ~accepted
    timings: dict[str, float] = {}
    results = {}
    for move in (False, True):
        w0, c0 = time.perf_counter(), time.process_time()
        rnd = prepare_round(problem)
        w1 = time.perf_counter()
        res = cascade(
            rnd,
            accepted=IndexPairs(pl[accepted], pr[accepted]),
            pending=IndexPairs(pl[pending], pr[pending]),
            declined=IndexPairs(pl[declined], pr[declined]),
            move_pending=move,
        )
        w2, c2 = time.perf_counter(), time.process_time()
        key = "move" if move else "keep"
        timings[f"{key}_prepare_s"] = round(w1 - w0, 4)
        timings[f"{key}_cascade_s"] = round(w2 - w1, 4)
        timings[f"{key}_cpu_s"] = round(c2 - c0, 4)
        results[key] = res
    keep = results["keep"]
    m = problem.n_right
    after = set((keep.result.pair_left.astype(np.int64) * m + keep.result.pair_right).tolist())
    kept_keys = pl[accepted | pending] * m + pr[accepted | pending]
    declined_keys = set((pl[declined] * m + pr[declined]).tolist())
    out.mkdir(parents=True, exist_ok=True)
    (out / "assignments.csv").write_bytes(
        assignments_csv(problem, keep.result.pair_left.astype(np.int64), keep.result.pair_right.astype(np.int64))
    )
    move = results["move"]
    print(
        json.dumps(
            {
                "read_s": round(t_read, 3),
                **timings,
                "pairs_published": len(pl),
                "declined": int(declined.sum()),
                "accepted": int(accepted.sum()),
                "pending": int(pending.sum()),
                "proposed": len(keep.proposed),
                "left_alone_unmatched": len(keep.result.unmatched),
                "unmatched_reasons": {
                    r: sum(1 for x in keep.result.unmatched if x.reason == r)
                    for r in sorted({x.reason for x in keep.result.unmatched})
                },
                "idle_rights": len(keep.idle_rights),
                "residual_edges": keep.result.stats.n_edges,
                "optimal": keep.result.stats.optimal,
                "total_score": keep.result.stats.total_score,
                "proposed_score": keep.proposed_score,
                "kept_all_accepted_and_pending": bool(set(kept_keys.tolist()) <= after),
                "declined_reproposed": len(after & declined_keys),
                "move_proposed": len(move.proposed),
                "move_withdrawn": len(move.withdrawn),
                "move_residual_edges": move.result.stats.n_edges,
                "move_total_score": move.result.stats.total_score,
                "peak_mb": round(resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024, 1),
            }
        )
    )


if __name__ == "__main__":
    main()
