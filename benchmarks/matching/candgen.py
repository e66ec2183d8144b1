"""Candidate generation and scoring from the people files of an instance (timed in its own process).

Usage: python candgen.py INSTANCE_DIR  -> prints JSON (time, peak memory, agreement with the
generator's hard rules and candidate lists).
"""

from __future__ import annotations

import json
import resource
import sys
import time
from pathlib import Path

import numpy as np

from matching.bench_io import read_instance, read_people
from matching.candidates import ScoringConfig, generate_candidates
from matching.model import RULE_REASONS


def main() -> None:
    path = Path(sys.argv[1])
    t0 = time.perf_counter()
    lefts, rights, meta = read_people(path)
    t1 = time.perf_counter()
    c1 = time.process_time()
    cfg = ScoringConfig.mentoring() if meta["kind"] == "mentoring" else ScoringConfig.reviewing()
    cs = generate_candidates(lefts, rights, cfg)
    t2 = time.perf_counter()
    c2 = time.process_time()
    peak = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024
    # agreement with the generator: its edges must pass our hard rules; overlap of candidate lists
    ap, _ = read_instance(path)
    m = len(rights)
    ours = np.sort(cs.edge_left.astype(np.int64) * m + cs.edge_right)
    theirs = ap.edge_left.astype(np.int64) * m + ap.edge_right
    lang = [set(p.languages) for p in rights]
    hic = np.array([p.income_group in cfg.high_income_groups for p in rights])
    ok_lang = np.fromiter(
        (
            bool(set(lefts[i].languages) & lang[j])
            for i, j in zip(ap.edge_left.tolist(), ap.edge_right.tolist(), strict=True)
        ),
        bool,
        count=len(theirs),
    )
    admissible = ok_lang & hic[ap.edge_right] if meta["kind"] == "mentoring" else ok_lang | True
    print(
        json.dumps(
            {
                "people_s": round(t1 - t0, 3),
                "generate_s": round(t2 - t1, 3),
                "generate_cpu_s": round(c2 - c1, 3),
                "peak_mb": round(peak, 1),
                "pairs_scored": len(lefts) * len(rights),
                "candidates": len(cs.edge_left),
                "generator_edges_passing_our_rules": float(admissible.mean()),
                "generator_edges_in_our_top_n": float(np.isin(theirs, ours).mean()),
                "removed_by_rule": {RULE_REASONS[k]: int(v) for k, v in enumerate(cs.rule_counts.sum(axis=0)) if v},
            }
        )
    )


if __name__ == "__main__":
    main()
