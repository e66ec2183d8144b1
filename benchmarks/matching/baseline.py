"""Bare baseline: read the CSVs with pandas and call OR-Tools' SimpleMinCostFlow once.

This is the yardstick for the engine's own overhead (the issue's "1.5x of a bare script").
Usage: python baseline.py INSTANCE_DIR OUT_DIR
"""

from __future__ import annotations

import json
import resource
import sys
import time
from pathlib import Path

import numpy as np
import pandas as pd
from ortools.graph.python import min_cost_flow


def main() -> None:
    t0 = time.perf_counter()
    inst_dir, out_dir = Path(sys.argv[1]), Path(sys.argv[2])
    meta = json.loads((inst_dir / "instance.json").read_text())
    lt = pd.read_csv(inst_dir / meta["left"]["file"], dtype={meta["left"]["id"]: str})
    rt = pd.read_csv(inst_dir / meta["right"]["file"], dtype={meta["right"]["id"]: str})
    left_ids = lt[meta["left"]["id"]].to_numpy()
    right_ids = rt[meta["right"]["id"]].to_numpy()
    demand = lt["demand"].to_numpy(np.int64)
    capacity = rt["capacity"].to_numpy(np.int64)
    ed = pd.read_csv(
        inst_dir / meta["edges"],
        usecols=["left_id", "right_id", "score"],
        dtype={"left_id": str, "right_id": str, "score": np.float64},
    )
    lidx, ridx = pd.Index(left_ids), pd.Index(right_ids)
    el = lidx.get_indexer(ed["left_id"]).astype(np.int64)
    er = ridx.get_indexer(ed["right_id"]).astype(np.int64)
    w = ed["score"].to_numpy()
    cf = pd.read_csv(inst_dir / meta["conflicts"], dtype=str)
    ck = lidx.get_indexer(cf["left_id"]).astype(np.int64) * len(right_ids) + ridx.get_indexer(cf["right_id"])
    keep = ~np.isin(el * len(right_ids) + er, ck)
    el, er, w = el[keep], er[keep], w[keep]
    n, m = len(left_ids), len(right_ids)
    s, t = n + m, n + m + 1
    mcf = min_cost_flow.SimpleMinCostFlow()
    tails = np.concatenate([el, np.full(n, s), n + np.arange(m), [s]])
    heads = np.concatenate([n + er, np.arange(n), np.full(m, t), [t]])
    caps = np.concatenate([np.ones(len(el), np.int64), demand, capacity, [demand.sum()]])
    costs = np.concatenate([-np.round(w * 1e6).astype(np.int64), np.zeros(n + m + 1, np.int64)])
    mcf.add_arcs_with_capacity_and_unit_cost(tails, heads, caps, costs)
    mcf.set_nodes_supplies(np.array([s, t]), np.array([demand.sum(), -demand.sum()]))
    status = mcf.solve()
    flows = mcf.flows(np.arange(len(el)))
    sel = flows > 0
    out_dir.mkdir(parents=True, exist_ok=True)
    pd.DataFrame({"left_id": left_ids[el[sel]], "right_id": right_ids[er[sel]]}).to_csv(
        out_dir / "assignments.csv", index=False
    )
    elapsed = time.perf_counter() - t0
    rss = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024
    print(json.dumps({"status": int(status), "seconds": elapsed, "peak_mb": rss, "total": float(w[sel].sum())}))


if __name__ == "__main__":
    main()
