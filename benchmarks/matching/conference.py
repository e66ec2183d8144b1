"""Reviewer assignment at the largest conference scale, through the engine CLI (`make bench-conference`).

Run from the repository root:  PYTHONPATH=src .venv/bin/python benchmarks/matching/conference.py [--verify-lp]

Instance R3 (generated once with the shared generator into benchmarks/matching/instances/, git-ignored):
20,000 submissions x 15,000 reviewers, 3 reviews each, reviewer load <= 6, the 300 best-scored reviewers
per submission as candidates, conflicts on 1% of all pairs (so on about 1% of the candidates). Runs
`python -m matching solve` in a fresh process (wall clock, CPU time and peak RSS from wait4), checks the
result with the shared evaluate.py and the flow solver's status, runs the bare baseline (pandas + one
SimpleMinCostFlow) for comparison, and appends a section to benchmarks/RESULTS.md.

--verify-lp also solves the LP relaxation with HiGHS (verify_lp.py: independent of OR-Tools; the LP is
totally unimodular, so its optimum is the integer optimum) on R3s, the same generator settings at
4,000 x 3,000, and compares totals; --verify-lp=full does it on R3 itself (about 20 minutes, 6 GB).
Goals (issue 8): <= 60 s wall and <= 4 GB peak RSS for the CLI process, from CSV read to written result.
"""

from __future__ import annotations

import json
import os
import platform
import subprocess
import sys
from datetime import UTC, datetime
from pathlib import Path

from run import BENCH, HERE, INSTANCES, PY, RESULTS, Row, best_of, engine, run_child, table

CONFERENCE = {
    "R3": ["--n-left", "20000", "--n-right", "15000"],
    "R3s": ["--n-left", "4000", "--n-right", "3000"],
}
SETTINGS = ["--seed", "8", "--candidates", "300", "--demand", "3", "--max-load", "6", "--conflict-rate", "0.01"]
GOAL_S, GOAL_MB = 60.0, 4096.0


def ensure(name: str) -> Path:
    path = INSTANCES / name
    if not (path / "instance.json").exists():
        INSTANCES.mkdir(parents=True, exist_ok=True)
        print(f"generating {name} with the shared generator ...", flush=True)
        cmd = [PY, str(BENCH / "gen_instances.py"), "reviewing", *CONFERENCE[name], *SETTINGS, "--out", str(path)]
        subprocess.run(cmd, check=True)
    return path


def verify(name: str, work: Path) -> str:
    inst = ensure(name)
    out = work / f"{name}-total"
    if name != "R3":
        run_child([PY, "-m", "matching", "solve", str(inst), str(out)])
    v = json.loads(run_child([PY, str(HERE / "verify_lp.py"), str(inst), str(out / "assignments.csv")]).out)
    verdict = "equal" if v["equal"] else f"DIFFERENT (LP {v['lp_total']})"
    return (
        f"HiGHS LP on {name} ({v['n_vars']:,} variables, {v['lp_s']:.0f} s, {v['lp_fractional_vars']} fractional): "
        f"optimum {v['lp_total']:.6f}, engine {v['engine_total']:.6f}: {verdict}"
    )


def main() -> int:
    lp = next((a.split("=", 1)[1] if "=" in a else "small" for a in sys.argv[1:] if a.startswith("--verify-lp")), None)
    load_at_start = os.getloadavg()
    repeat = max(1, int(os.environ.get("MATCHBENCH_REPEAT", "1")))
    work = INSTANCES / "_out"
    work.mkdir(parents=True, exist_ok=True)
    inst = ensure("R3")
    meta = json.loads((inst / "instance.json").read_text())
    row, res = engine("R3", "total", inst, work / "R3-total", repeat=repeat)
    base = best_of(1, [PY, str(HERE / "baseline.py"), str(inst), str(work / "R3-baseline")])
    row.baseline = base
    b_total = json.loads(base.out)["total"]
    stats = res["stats"]
    t = res["timings"]
    row.note = (
        f"flow status {stats['status']} (solve_max_flow_with_min_cost: every submission gets its 3 reviews, "
        f"then the best total); read {t['read_s']:.1f} s, solve {t['solve_s']:.1f} s wall in the process; "
        f"baseline total {'equal' if abs(b_total - (row.total or 0)) < 1e-6 else f'{b_total:.6f}'}"
    )
    if not stats["optimal"]:
        row.flags.append("not optimal")
    if row.valid is False:
        row.flags.append("INVALID")
    if row.wall > GOAL_S:
        row.flags.append(f"over {GOAL_S:g}s goal")
    if row.peak_mb > GOAL_MB:
        row.flags.append(f"over {GOAL_MB:g}MB goal")
    if lp:
        row.note += "; " + verify("R3" if lp == "full" else "R3s", work)
        if "DIFFERENT" in row.note:
            row.flags.append("NOT OPTIMAL (LP)")
    rows: list[Row] = [row]
    text = table(rows)
    print(text)
    s = meta["stats"]
    stamp = datetime.now(UTC).strftime("%Y-%m-%d %H:%M UTC")
    header = (
        f"\n## Matching engine, conference scale — {stamp}\n\n"
        f"Host: {platform.node()}, {os.cpu_count()} CPUs, Python {platform.python_version()}; load average "
        f"{load_at_start[0]:.1f} at start, {os.getloadavg()[0]:.1f} at end. Instance R3 from the shared generator: "
        f"`reviewing --n-left 20000 --n-right 15000 {' '.join(SETTINGS)}`: {s['n_left']:,} submissions x "
        f"{s['n_right']:,} reviewers, 3 reviews each (coverage required), load <= 6 (capacity {s['total_capacity']:,} "
        f"for {s['total_demand']:,} reviews), {s['n_edges']:,} candidate pairs (best 300 per submission), "
        f"{s['n_conflicts']:,} conflicts over all pairs (1%). `python -m matching solve` in a fresh process, CSV to "
        f"written assignments: `wall s`, `cpu s` (user + system), `peak MB` (max RSS), best of {repeat}; `solve s` = "
        f"CPU time of the solve step; baseline = pandas + one SimpleMinCostFlow. Goal: <= {GOAL_S:g} s wall, "
        f"<= {GOAL_MB / 1024:g} GB.\n\n"
    )
    with RESULTS.open("a", encoding="utf-8") as fh:
        fh.write(header + text)
    print(f"appended to {RESULTS}")
    return 1 if any(f.startswith(("INVALID", "NOT OPT", "not optimal")) for r in rows for f in r.flags) else 0


if __name__ == "__main__":
    sys.exit(main())
