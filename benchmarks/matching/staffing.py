"""Season staffing benchmark: 40 courses x 6 role slots x 3,000 volunteers (synthetic, seeded).

Run from the repository root:  PYTHONPATH=src .venv/bin/python benchmarks/matching/staffing.py

Builds the season in this script, solves it with matching.staffing (scipy.optimize.milp / HiGHS),
checks the constraints independently, prints time, peak memory, slots filled, average and minimum
fit, and appends them to benchmarks/RESULTS.md. SEED and N_VOLUNTEERS can be set in the environment.
"""

from __future__ import annotations

import os
import platform
import resource
import sys
import time
from datetime import UTC, date, datetime, timedelta
from pathlib import Path

import numpy as np

from matching.staffing import Course, Slot, StaffingProblem, Volunteer, solve_staffing

ROOT = Path(__file__).resolve().parents[2]
RESULTS = ROOT / "benchmarks" / "RESULTS.md"
ROLES = ("lead", "lecturer", "lecturer", "nurse", "physicist", "pathologist")
LOCAL = ("fr", "es", "pt", "ar", "en", "en")
SITES = [f"site{k:02d}" for k in range(25)]
TAGS = [f"x{k:02d}" for k in range(30)]


def build(seed: int, n_courses: int = 40, n_volunteers: int = 3000) -> StaffingProblem:
    rng = np.random.default_rng(seed)
    season = date(2027, 1, 4)
    courses: list[Course] = []
    slots: list[Slot] = []
    for c in range(n_courses):
        start = season + timedelta(days=int(rng.integers(0, 330)))
        end = start + timedelta(days=int(rng.integers(2, 8)))
        local = str(rng.choice(LOCAL))
        langs = frozenset({"en", local})
        cid = f"C{c:02d}"
        courses.append(Course(cid, start, end, site=str(rng.choice(SITES)), languages=langs))
        focus = rng.choice(TAGS, size=4, replace=False).tolist()
        for k, role in enumerate(ROLES):
            lang = local if (k == 0 and local != "en") else None
            exp = frozenset(rng.choice(focus, size=2, replace=False).tolist())
            slots.append(Slot(f"{cid}-{k}-{role}", cid, role, language=lang, expertise=exp))
    vols: list[Volunteer] = []
    role_p = np.array([0.15, 0.4, 0.2, 0.12, 0.13])
    role_names = ("lead", "lecturer", "nurse", "physicist", "pathologist")
    for v in range(n_volunteers):
        n_roles = int(rng.integers(1, 3))
        roles = frozenset(rng.choice(role_names, size=n_roles, replace=False, p=role_p).tolist())
        langs = {"en"} | ({str(rng.choice(LOCAL[:4]))} if rng.random() < 0.35 else set())
        windows = []
        for _ in range(int(rng.integers(1, 4))):
            a = season + timedelta(days=int(rng.integers(0, 330)))
            windows.append((a, a + timedelta(days=int(rng.integers(20, 90)))))
        visited = frozenset(rng.choice(SITES, size=int(rng.integers(0, 3)), replace=False).tolist())
        vols.append(
            Volunteer(
                f"V{v:04d}",
                roles,
                frozenset(langs),
                frozenset(rng.choice(TAGS, size=int(rng.integers(2, 7)), replace=False).tolist()),
                max_trips=int(rng.integers(1, 4)),
                available=tuple(sorted(windows)),
                visited_sites=visited,
            )
        )
    return StaffingProblem(tuple(courses), tuple(slots), tuple(vols), top_n=40, time_limit_s=60.0)


def check(problem: StaffingProblem, assignments: list[tuple[str, str, str]]) -> list[str]:
    """Independent constraint check: (slot, course, volunteer) triples."""
    errors: list[str] = []
    courses = {c.id: c for c in problem.courses}
    vols = {v.id: v for v in problem.volunteers}
    slots = {s.id: s for s in problem.slots}
    seen_slots: set[str] = set()
    per_vol: dict[str, list[str]] = {}
    for slot_id, course_id, vol_id in assignments:
        s, v, c = slots[slot_id], vols[vol_id], courses[course_id]
        if slot_id in seen_slots:
            errors.append(f"slot {slot_id} filled twice")
        seen_slots.add(slot_id)
        if s.role not in v.roles:
            errors.append(f"{vol_id} lacks role {s.role}")
        if s.language and s.language not in v.languages:
            errors.append(f"{vol_id} lacks language {s.language}")
        if v.available and not any(a <= c.start and c.end <= b for a, b in v.available):
            errors.append(f"{vol_id} unavailable for {course_id}")
        per_vol.setdefault(vol_id, []).append(course_id)
    for vol_id, cs in per_vol.items():
        if len(cs) > vols[vol_id].max_trips:
            errors.append(f"{vol_id} over max trips")
        for i, a in enumerate(cs):
            for b in cs[i + 1 :]:
                ca, cb = courses[a], courses[b]
                if ca.start <= cb.end and cb.start <= ca.end:
                    errors.append(f"{vol_id} on overlapping {a} and {b}")
    return errors


def main() -> int:
    seed = int(os.environ.get("SEED", "11"))
    n_vol = int(os.environ.get("N_VOLUNTEERS", "3000"))
    t0 = time.perf_counter()
    problem = build(seed, n_volunteers=n_vol)
    t1 = time.perf_counter()
    c1 = time.process_time()
    result = solve_staffing(problem)
    t2 = time.perf_counter()
    cpu = time.process_time() - c1
    peak = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024
    errors = check(problem, [(a.slot, a.course, a.volunteer) for a in result.assignments])
    st = result.stats
    reasons: dict[str, int] = {}
    for u in result.unfilled:
        reasons[u.reason] = reasons.get(u.reason, 0) + 1
    row = (
        f"| {len(problem.courses)}x{len(problem.slots) // len(problem.courses)}x{len(problem.volunteers)} | "
        f"{t2 - t1:.2f} | {cpu:.2f} | {t1 - t0:.2f} | {peak:.0f} | {st.n_filled}/{st.n_slots} | "
        f"{(st.mean_fit or 0):.4f} | {(st.min_fit or 0):.4f} | {st.status} | {st.n_variables} | "
        f"{len(result.uncovered_languages)} | {'yes' if not errors else 'NO: ' + errors[0]} | "
        f"{', '.join(f'{k}: {v}' for k, v in sorted(reasons.items())) or '-'} |"
    )
    head = (
        "| season | solve wall s | solve cpu s | build s | peak MB | slots filled | mean fit | min fit | status | variables | "
        "uncovered course languages | constraints hold | unfilled reasons |\n"
        "|---|---|---|---|---|---|---|---|---|---|---|---|---|\n"
    )
    text = head + row + "\n"
    print(text)
    stamp = datetime.now(UTC).strftime("%Y-%m-%d %H:%M UTC")
    with RESULTS.open("a", encoding="utf-8") as fh:
        if fh.tell() == 0:
            fh.write("# Benchmark results\n")
        fh.write(
            f"\n## Season staffing (matching.staffing) — {stamp}\n\n"
            f"Host: {platform.node()}, {os.cpu_count()} CPUs, Python {platform.python_version()}; seed {seed}; "
            f"load average {os.getloadavg()[0]:.1f} (other processes shared the CPUs); "
            "scipy.optimize.milp (HiGHS), best 40 candidates per slot, 60 s limit. Peak MB = this process's max RSS.\n\n"
            + text
        )
    print(f"appended to {RESULTS}")
    return 0 if not errors else 1


if __name__ == "__main__":
    sys.exit(main())
