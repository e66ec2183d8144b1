"""Season staffing: volunteer faculty to course role slots, with side constraints a flow cannot
express, solved exactly as an integer program (``scipy.optimize.milp``, i.e. HiGHS).

Constraints:

* a slot gets at most one volunteer, who has the slot's role, speaks its language (if any) and is
  available for the whole course;
* a volunteer is never on two courses whose dates overlap (one clique constraint per volunteer and
  start date, which also means at most one slot per course) and takes at most ``max_trips``;
* each course team covers the course's required languages (soft, with a large penalty, so a
  season that cannot cover them still gets the best staffing and a list of what is missing); a
  language the team already speaks (``Course.covered_languages``, e.g. faculty who accepted
  earlier) needs no one new. The check is for the team, never for each person.

Objective: maximise ``sum(fill_bonus + fit)`` over filled slots, minus ``language_penalty`` per
uncovered (course, language). Candidates are pruned to the best ``top_n`` per slot by fit.

A pair's fit is the weighted sum of :func:`fit_components` (expertise, language, continuity, and
whether the volunteer raised a hand for the slot); :func:`fit_evidence` gives the facts that
``matching.explain.explain_staffing`` words them from.
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass, field
from datetime import date

import numpy as np
from scipy import sparse
from scipy.optimize import Bounds, LinearConstraint, milp

from matching.model import SCALE, EvidenceValue

#: The staffing score's components and their weights (they sum to 1, so a fit is in [0, 1]).
#: Adapters use these; they never keep a copy.
DEFAULT_WEIGHTS: Mapping[str, float] = {"expertise": 0.48, "language": 0.2, "continuity": 0.12, "volunteered": 0.2}


@dataclass(frozen=True, slots=True)
class Course:
    id: str
    start: date
    end: date  # inclusive
    site: str = ""
    languages: frozenset[str] = frozenset()  # the team must cover each
    covered_languages: frozenset[str] = frozenset()  # already spoken by the team's pinned members


@dataclass(frozen=True, slots=True)
class Slot:
    id: str
    course: str
    role: str
    language: str | None = None  # the slot holder must speak it
    expertise: frozenset[str] = frozenset()


@dataclass(frozen=True, slots=True)
class Volunteer:
    id: str
    roles: frozenset[str]
    languages: frozenset[str] = frozenset()
    expertise: frozenset[str] = frozenset()
    max_trips: int = 1
    available: tuple[tuple[date, date], ...] = ()  # inclusive windows; empty = always
    visited_sites: frozenset[str] = frozenset()
    interested_slots: frozenset[str] = frozenset()  # slots they raised a hand for


@dataclass(frozen=True, slots=True)
class StaffingProblem:
    courses: tuple[Course, ...]
    slots: tuple[Slot, ...]
    volunteers: tuple[Volunteer, ...]
    weights: Mapping[str, float] = field(default_factory=lambda: dict(DEFAULT_WEIGHTS))
    top_n: int = 40
    time_limit_s: float = 60.0
    fill_bonus: float = 1.0
    language_penalty: float = 2.0
    min_fit: float = 0.0


@dataclass(frozen=True, slots=True)
class StaffAssignment:
    slot: str
    course: str
    volunteer: str
    fit: float


@dataclass(frozen=True, slots=True)
class UnfilledSlot:
    """``reason``: ``no_eligible_volunteer`` or ``candidates_committed_elsewhere``."""

    slot: str
    course: str
    reason: str
    params: Mapping[str, object]
    message: str


@dataclass(frozen=True, slots=True)
class StaffingStats:
    status: str
    optimal: bool
    objective: float
    mip_gap: float | None
    n_variables: int
    n_constraints: int
    n_slots: int
    n_filled: int
    mean_fit: float | None
    min_fit: float | None


@dataclass(frozen=True, slots=True)
class StaffingResult:
    assignments: tuple[StaffAssignment, ...]
    unfilled: tuple[UnfilledSlot, ...]
    uncovered_languages: tuple[tuple[str, str], ...]  # (course, language)
    stats: StaffingStats


def _available(v: Volunteer, c: Course) -> bool:
    if not v.available:
        return True
    return any(a <= c.start and c.end <= b for a, b in v.available)


def fit_components(v: Volunteer, s: Slot, c: Course) -> dict[str, float]:
    """Each component of a volunteer's fit for a slot, in [0, 1]."""
    return {
        "expertise": len(v.expertise & s.expertise) / len(s.expertise) if s.expertise else 1.0,
        "language": len(v.languages & c.languages) / len(c.languages) if c.languages else 1.0,
        "continuity": 1.0 if c.site and c.site in v.visited_sites else 0.0,
        "volunteered": 1.0 if s.id in v.interested_slots else 0.0,
    }


def fit_evidence(v: Volunteer, s: Slot, c: Course) -> dict[str, EvidenceValue]:
    """The facts behind :func:`fit_components`, for explanations: the topics in common (and how
    many the slot wants), the course languages the volunteer speaks, and the two yes/no facts."""
    return {
        "expertise": tuple(sorted(v.expertise & s.expertise)),
        "expertise_wanted": len(s.expertise),
        "language": tuple(sorted(v.languages & c.languages)),
        "continuity": int(bool(c.site and c.site in v.visited_sites)),
        "volunteered": int(s.id in v.interested_slots),
    }


def fit_score(components: Mapping[str, float], weights: Mapping[str, float]) -> float:
    """The weighted sum of the components, with the engine's 6 decimals."""
    total = sum(weights.get(name, 0.0) * value for name, value in components.items())
    return round(total * SCALE) / SCALE


def _fit(v: Volunteer, s: Slot, c: Course, weights: Mapping[str, float]) -> float:
    return fit_score(fit_components(v, s, c), weights)


def is_eligible(v: Volunteer, s: Slot, c: Course) -> bool:
    """The hard rules for one pair: the role, the slot's language, free for the whole course."""
    return s.role in v.roles and (s.language is None or s.language in v.languages) and _available(v, c)


def solve_staffing(problem: StaffingProblem) -> StaffingResult:  # noqa: PLR0912, PLR0915 - one model, built in order
    """Build and solve the integer program; always returns the best staffing found."""
    courses = {c.id: c for c in problem.courses}
    vols = problem.volunteers
    n_v = len(vols)
    # --- eligibility and fit, pruned to the best top_n per slot
    var_slot: list[int] = []
    var_vol: list[int] = []
    var_fit: list[float] = []
    eligible_counts: list[dict[str, int]] = []
    by_role: dict[str, list[int]] = {}
    for k, v in enumerate(vols):
        for r in v.roles:
            by_role.setdefault(r, []).append(k)
    for si, s in enumerate(problem.slots):
        c = courses[s.course]
        with_role = by_role.get(s.role, [])
        with_lang = [k for k in with_role if s.language is None or s.language in vols[k].languages]
        avail = [k for k in with_lang if _available(vols[k], c)]
        fits = [(_fit(vols[k], s, c, problem.weights), k) for k in avail]
        fits = [f for f in fits if f[0] >= problem.min_fit]
        eligible_counts.append(
            {"with_role": len(with_role), "with_language": len(with_lang), "available": len(avail), "fit_ok": len(fits)}
        )
        fits.sort(key=lambda t: (-t[0], t[1]))
        for f, k in fits[: problem.top_n]:
            var_slot.append(si)
            var_vol.append(k)
            var_fit.append(f)
    slot_of = np.asarray(var_slot, np.int64)
    vol_of = np.asarray(var_vol, np.int64)
    fit = np.asarray(var_fit, np.float64)
    n_x = len(fit)
    course_index = {c.id: i for i, c in enumerate(problem.courses)}
    course_of_slot = np.asarray([course_index[s.course] for s in problem.slots], np.int64)
    course_of = course_of_slot[slot_of] if n_x else np.zeros(0, np.int64)

    # slack variables for uncovered (course, language)
    lang_pairs = [
        (ci, lang) for ci, c in enumerate(problem.courses) for lang in sorted(c.languages - c.covered_languages)
    ]
    n_u = len(lang_pairs)
    n_var = n_x + n_u
    obj = np.concatenate([-(problem.fill_bonus + fit), np.full(n_u, problem.language_penalty)])

    rows: list[np.ndarray] = []
    cols: list[np.ndarray] = []
    lo: list[float] = []
    hi: list[float] = []
    n_rows = 0

    def add_rows(row_ids: np.ndarray, col_ids: np.ndarray, n_new: int, lower: float, upper: float) -> None:
        nonlocal n_rows
        rows.append(row_ids + n_rows)
        cols.append(col_ids)
        lo.extend([lower] * n_new)
        hi.extend([upper] * n_new)
        n_rows += n_new

    # one volunteer per slot
    slots_used, slot_row = np.unique(slot_of, return_inverse=True)
    add_rows(slot_row, np.arange(n_x), len(slots_used), 0, 1)
    # max trips
    vols_used, vol_row = np.unique(vol_of, return_inverse=True)
    trips = np.array([vols[k].max_trips for k in vols_used.tolist()], np.float64)
    if len(vols_used):
        rows.append(vol_row + n_rows)
        cols.append(np.arange(n_x))
        lo.extend([0.0] * len(vols_used))
        hi.extend(trips.tolist())
        n_rows += len(vols_used)
    # no two overlapping courses: cliques of the interval graph sit at course start dates
    starts = sorted({c.start for c in problem.courses})
    cstart = np.array([c.start.toordinal() for c in problem.courses])
    cend = np.array([c.end.toordinal() for c in problem.courses])
    for t in starts:
        active = (cstart <= t.toordinal()) & (cend >= t.toordinal())
        sel = np.flatnonzero(active[course_of]) if n_x else np.zeros(0, np.int64)
        if not len(sel):
            continue
        v_ids, v_row = np.unique(vol_of[sel], return_inverse=True)
        add_rows(v_row, sel, len(v_ids), 0, 1)
    # language coverage: sum of x over course slots held by a speaker + u >= 1
    for ui, (ci, lang) in enumerate(lang_pairs):
        speak = np.array([lang in vols[k].languages for k in vol_of.tolist()], bool) if n_x else np.zeros(0, bool)
        sel = np.flatnonzero((course_of == ci) & speak)
        add_rows(np.zeros(len(sel) + 1, np.int64), np.concatenate([sel, [n_x + ui]]), 1, 1, np.inf)

    all_rows = np.concatenate(rows) if rows else np.zeros(0, np.int64)
    all_cols = np.concatenate(cols) if cols else np.zeros(0, np.int64)
    a = sparse.csr_matrix((np.ones(len(all_rows)), (all_rows, all_cols)), shape=(n_rows, n_var))
    status_name = "OPTIMAL"
    chosen = np.zeros(n_x, bool)
    objective = 0.0
    gap: float | None = 0.0
    if n_var:
        res = milp(
            obj,
            constraints=[LinearConstraint(a, np.asarray(lo), np.asarray(hi))] if n_rows else [],
            integrality=np.ones(n_var),
            bounds=Bounds(0, 1),
            options={"time_limit": problem.time_limit_s, "mip_rel_gap": 1e-6, "presolve": True},
        )
        status_name = {0: "OPTIMAL", 1: "TIME_LIMIT", 2: "INFEASIBLE", 3: "UNBOUNDED"}.get(res.status, "OTHER")
        if res.x is not None:
            chosen = res.x[:n_x] > 0.5
            objective = float(-res.fun)
        gap = float(res.mip_gap) if getattr(res, "mip_gap", None) is not None else None

    assignments = tuple(
        sorted(
            (
                StaffAssignment(problem.slots[s].id, problem.slots[s].course, vols[v].id, float(f))
                for s, v, f in zip(slot_of[chosen].tolist(), vol_of[chosen].tolist(), fit[chosen].tolist(), strict=True)
            ),
            key=lambda x: (x.course, x.slot),
        )
    )
    filled = set(slot_of[chosen].tolist())
    load = np.bincount(vol_of[chosen], minlength=n_v)
    busy_courses: dict[int, set[int]] = {}
    for v, ci in zip(vol_of[chosen].tolist(), course_of[chosen].tolist(), strict=True):
        busy_courses.setdefault(v, set()).add(ci)
    unfilled: list[UnfilledSlot] = []
    for si, s in enumerate(problem.slots):
        if si in filled:
            continue
        counts = eligible_counts[si]
        if counts["fit_ok"] == 0:
            params: dict[str, object] = dict(counts)
            params["role"] = s.role
            params["language"] = s.language
            msg = (
                f"No eligible volunteer for {s.id} ({s.role}): {counts['with_role']} have the role, "
                f"{counts['with_language']} of them speak the language, {counts['available']} are available."
            )
            unfilled.append(UnfilledSlot(s.id, s.course, "no_eligible_volunteer", params, msg))
            continue
        cand = vol_of[slot_of == si]
        ci = course_index[s.course]
        at_max = sum(1 for v in cand.tolist() if load[v] >= vols[v].max_trips)
        same_course = sum(1 for v in cand.tolist() if ci in busy_courses.get(v, set()))
        overlap = sum(
            1
            for v in cand.tolist()
            if ci not in busy_courses.get(v, set())
            and any(cstart[o] <= cend[ci] and cstart[ci] <= cend[o] for o in busy_courses.get(v, set()))
        )
        params = {
            "n_candidates": len(cand),
            "at_max_trips": at_max,
            "on_overlapping_course": overlap,
            "on_this_course": same_course,
        }
        msg = (
            f"All {len(cand)} candidates for {s.id} ({s.role}) are committed elsewhere: {at_max} at their maximum "
            f"trips, {overlap} on an overlapping course, {same_course} in another slot of this course."
        )
        unfilled.append(UnfilledSlot(s.id, s.course, "candidates_committed_elsewhere", params, msg))
    uncovered: list[tuple[str, str]] = []
    for ci, lang in lang_pairs:
        team = [vols[v] for v, c in zip(vol_of[chosen].tolist(), course_of[chosen].tolist(), strict=True) if c == ci]
        if not any(lang in v.languages for v in team):
            uncovered.append((problem.courses[ci].id, lang))
    chosen_fits = [x.fit for x in assignments]
    stats = StaffingStats(
        status=status_name,
        optimal=status_name == "OPTIMAL",
        objective=objective,
        mip_gap=gap,
        n_variables=n_var,
        n_constraints=n_rows,
        n_slots=len(problem.slots),
        n_filled=len(assignments),
        mean_fit=sum(chosen_fits) / len(chosen_fits) if chosen_fits else None,
        min_fit=min(chosen_fits) if chosen_fits else None,
    )
    return StaffingResult(assignments, tuple(unfilled), tuple(uncovered), stats)
