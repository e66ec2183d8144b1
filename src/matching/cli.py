"""Command line on the neutral benchmark format; the only module doing file I/O and timing.

    python -m matching solve INSTANCE_DIR OUT_DIR [--objective total|fair]
        [--previous PAIRS.csv] [--pinned PAIRS.csv] [--withdrawn-right IDS.txt] [--keep-bonus 0.05]
        [--explain N]

Writes ``assignments.csv`` (deterministic), ``result.json`` (objective, pairs, unmatched with
reasons, timings, peak memory) and ``run.json`` (the run record: input hash, configuration,
versions, output hash, timings, peak memory).
"""

from __future__ import annotations

import argparse
import dataclasses
import hashlib
import json
import platform
import resource
import sys
import time
from concurrent.futures import ThreadPoolExecutor
from importlib import metadata
from pathlib import Path
from typing import Any

import numpy as np

from matching import __version__
from matching.bench_io import assignments_csv, read_instance, read_pairs, read_people
from matching.explain import explain
from matching.solver import solve

_INPUT_FILES = ("instance.json",)


def _hash_inputs(path: Path, meta_files: list[str]) -> str:
    digest = hashlib.sha256()
    for name in meta_files:
        file = path / name
        if not file.exists():
            continue
        digest.update(name.encode() + b"\0")
        with file.open("rb") as fh:
            while chunk := fh.read(1 << 22):
                digest.update(chunk)
    return digest.hexdigest()


def _versions() -> dict[str, str]:
    out = {"matching": __version__, "python": platform.python_version()}
    for dist in ("numpy", "scipy", "pandas", "ortools"):
        try:
            out[dist] = metadata.version(dist)
        except metadata.PackageNotFoundError:
            out[dist] = "missing"
    return out


def _peak_rss_mb() -> float:
    # Linux reports KiB
    return resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024


def _instance_files(path: Path) -> list[str]:
    meta = json.loads((path / "instance.json").read_text(encoding="utf-8"))
    files = ["instance.json", meta["left"]["file"], meta["right"]["file"], meta["edges"]]
    files.append(meta.get("conflicts", "conflicts.csv"))
    return files


def cmd_solve(args: argparse.Namespace) -> int:
    t0 = time.perf_counter()
    inst = Path(args.instance)
    out = Path(args.out)
    withdrawn: frozenset[str] = frozenset()
    if args.withdrawn_right:
        withdrawn = frozenset(
            line.strip() for line in Path(args.withdrawn_right).read_text(encoding="utf-8").splitlines() if line.strip()
        )
    with ThreadPoolExecutor(max_workers=1) as pool:
        hash_future = pool.submit(_hash_inputs, inst, _instance_files(inst))
        problem, meta = read_instance(inst, with_components=args.explain > 0, withdrawn_right=withdrawn)
        if args.pinned:
            pl, pr = read_pairs(Path(args.pinned), problem)
            problem = dataclasses.replace(problem, pinned_left=pl.astype(np.int32), pinned_right=pr.astype(np.int32))
        if args.previous:
            ql, qr = read_pairs(Path(args.previous), problem)
            problem = dataclasses.replace(
                problem,
                proposed_left=ql.astype(np.int32),
                proposed_right=qr.astype(np.int32),
                keep_bonus=args.keep_bonus,
            )
        t_read = time.perf_counter()
        c_read = time.process_time()
        result = solve(problem, objective=args.objective)
        t_solve = time.perf_counter()
        c_solve = time.process_time()
        input_hash = hash_future.result()
    out.mkdir(parents=True, exist_ok=True)
    payload = assignments_csv(problem, result.pair_left.astype(np.int64), result.pair_right.astype(np.int64))
    (out / "assignments.csv").write_bytes(payload)
    output_hash = hashlib.sha256(payload).hexdigest()
    explanations: list[dict[str, Any]] = []
    if args.explain > 0:
        lefts = sorted({p.left for p in result.pairs})[: args.explain]
        from matching.candidates import evidence_lookup

        people_l, people_r, _ = read_people(inst)
        lookup = evidence_lookup(people_l, people_r)
        explanations = [dataclasses.asdict(x) for x in explain(problem, result, lefts, evidence=lookup)]
    t_write = time.perf_counter()
    timings = {
        "read_s": round(t_read - t0, 4),
        "solve_s": round(t_solve - t_read, 4),
        "write_s": round(t_write - t_solve, 4),
        "total_s": round(t_write - t0, 4),
        "solve_cpu_s": round(c_solve - c_read, 4),
        "process_cpu_s": round(time.process_time(), 4),
    }
    peak = round(_peak_rss_mb(), 1)
    stats = dataclasses.asdict(result.stats)
    config = {
        "objective": args.objective,
        "keep_bonus": args.keep_bonus if args.previous else 0.0,
        "pinned": args.pinned,
        "previous": args.previous,
        "withdrawn_right": sorted(withdrawn),
        "coverage": problem.coverage,
    }
    result_doc: dict[str, Any] = {
        "format": "matchbench/1-result",
        "instance": str(inst),
        "kind": meta.get("kind"),
        "objective": args.objective,
        "stats": stats,
        "pairs": len(result.pairs),
        "unmatched": [
            {
                "left_id": u.left,
                "demand": u.demand,
                "assigned": u.assigned,
                "reason": u.reason,
                "params": u.params,
                "message": u.message,
            }
            for u in result.unmatched
        ],
        "unmatched_by_reason": _count(u.reason for u in result.unmatched),
        "under_min_load": [dataclasses.asdict(u) for u in result.under_loaded],
        "changes": {
            "added": [[c.left, c.right] for c in result.added],
            "removed": [[c.left, c.right] for c in result.removed],
        },
        "timings": timings,
        "peak_memory_mb": peak,
    }
    if explanations:
        result_doc["explanations"] = explanations
    (out / "result.json").write_text(json.dumps(result_doc, indent=1, default=str), encoding="utf-8")
    run_doc = {
        "input_hash": "sha256:" + input_hash,
        "output_hash": "sha256:" + output_hash,
        "config": config,
        "versions": _versions(),
        "timings": timings,
        "peak_memory_mb": peak,
        "stats": stats,
    }
    (out / "run.json").write_text(json.dumps(run_doc, indent=1, default=str), encoding="utf-8")
    sys.stdout.write(
        json.dumps(
            {
                "total_score": stats["total_score"],
                "pairs": stats["n_pairs"],
                "unmatched": len(result.unmatched),
                **timings,
                "peak_memory_mb": peak,
            }
        )
        + "\n"
    )
    return 0


def _count(items: Any) -> dict[str, int]:
    counts: dict[str, int] = {}
    for item in items:
        counts[item] = counts.get(item, 0) + 1
    return dict(sorted(counts.items()))


def build_parser() -> argparse.ArgumentParser:
    parser = argparse.ArgumentParser(
        prog="python -m matching", description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter
    )
    sub = parser.add_subparsers(dest="command", required=True)
    p = sub.add_parser("solve", help="solve a matchbench/1 instance")
    p.add_argument("instance", help="instance folder (instance.json, people, edges.csv, conflicts.csv)")
    p.add_argument("out", help="output folder")
    p.add_argument("--objective", choices=["total", "fair"], default="total")
    p.add_argument("--pinned", help="CSV left_id,right_id of accepted pairs to keep")
    p.add_argument("--previous", help="CSV left_id,right_id of proposed pairs (get the keep bonus)")
    p.add_argument("--keep-bonus", type=float, default=0.05, help="score bonus for keeping a proposed pair")
    p.add_argument("--withdrawn-right", help="file with one right id per line to remove")
    p.add_argument("--explain", type=int, default=0, help="explain the pairs of the first N left items")
    p.set_defaults(func=cmd_solve)
    return parser


def main(argv: list[str] | None = None) -> int:
    args = build_parser().parse_args(argv)
    code: int = args.func(args)
    return code
