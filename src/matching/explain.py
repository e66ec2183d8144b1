"""Explanations: each pair's score by component in words, its rank, and why better-scored
alternatives were not chosen. Every sentence comes with a machine-readable code and params so the
Django side can translate it.
"""

from __future__ import annotations

from collections.abc import Callable, Iterable, Mapping
from dataclasses import dataclass

import numpy as np

from matching.model import CONFLICT_REASONS, SCALE, ArrayProblem, EvidenceValue, Problem, Result
from matching.staffing import (
    StaffingProblem,
    StaffingResult,
    fit_components,
    fit_evidence,
    fit_score,
    is_eligible,
)

EvidenceLookup = Callable[[str, str], Mapping[str, EvidenceValue]]

LANGUAGE_NAMES: Mapping[str, str] = {
    "en": "English",
    "fr": "French",
    "es": "Spanish",
    "pt": "Portuguese",
    "ar": "Arabic",
    "ru": "Russian",
    "zh": "Chinese",
}


@dataclass(frozen=True, slots=True)
class Sentence:
    code: str
    params: Mapping[str, object]
    text: str


@dataclass(frozen=True, slots=True)
class ComponentPart:
    component: str
    value: float
    weight: float | None
    sentence: Sentence


@dataclass(frozen=True, slots=True)
class Alternative:
    right: str
    score: float
    status: str  # conflict | ineligible | at_capacity | not_chosen
    sentence: Sentence


@dataclass(frozen=True, slots=True)
class PairExplanation:
    left: str
    right: str
    score: float
    rank: int  # 1 = the left item's best eligible candidate
    n_candidates: int  # eligible candidates of the left item
    components: tuple[ComponentPart, ...]
    alternatives: tuple[Alternative, ...]
    summary: str


def _join(words: Iterable[str]) -> str:
    items = list(words)
    if len(items) <= 1:
        return "".join(items)
    return ", ".join(items[:-1]) + " and " + items[-1]


def describe_component(name: str, value: float, evidence: EvidenceValue | None) -> Sentence:  # noqa: PLR0911, PLR0912 - one return per wording
    """Put one score component into words, using the evidence when there is some."""
    if name == "interest":
        if isinstance(evidence, tuple) and evidence:
            tags = [str(tag) for tag in evidence]
            return Sentence("shared_interests", {"tags": tags}, "shared interests: " + ", ".join(tags))
        return Sentence("interest_similarity", {"value": round(value, 2)}, f"interest similarity {value:.2f}")
    if name == "language":
        if isinstance(evidence, tuple) and evidence:
            codes = [str(code) for code in evidence]
            names = [LANGUAGE_NAMES.get(code, code) for code in codes]
            return Sentence("shared_languages", {"languages": codes}, "both speak " + _join(names))
        return Sentence("language_match", {"value": round(value, 2)}, f"language match {value:.2f}")
    if name == "timezone":
        if isinstance(evidence, tuple) and len(evidence) == 2 and all(isinstance(x, int | float) for x in evidence):
            low, high = float(evidence[0]), float(evidence[1])
            text = f"{low:g} hours a week in common" + (f" (up to {high:g} as clocks change)" if high > low else "")
            return Sentence("weekly_overlap", {"hours": low, "max_hours": high}, text)
        if isinstance(evidence, int | float) and not isinstance(evidence, bool):
            hours = float(evidence)
            unit = "hour" if hours == 1 else "hours"
            return Sentence("working_hours_overlap", {"hours": hours}, f"{hours:g} working {unit} overlap")
        return Sentence("timezone_match", {"value": round(value, 2)}, f"working-hours overlap score {value:.2f}")
    if name == "preference":
        if isinstance(evidence, int) and not isinstance(evidence, bool) and evidence > 0:
            return Sentence("shortlist_rank", {"rank": evidence}, f"named as choice #{evidence} on the shortlist")
        if value > 0:
            return Sentence("on_shortlist", {}, "named on the shortlist")
        return Sentence("not_on_shortlist", {}, "not on the shortlist")
    if name == "continuity":
        if value > 0:
            return Sentence("visited_before", {}, "has worked with this site before")
        return Sentence("no_previous_visit", {}, "no previous visit")
    if name == "specialty":
        if isinstance(evidence, str) and evidence:
            if value >= 1:
                return Sentence("same_specialty", {"specialty": evidence}, f"same specialty ({evidence})")
            return Sentence("other_specialty", {"specialty": evidence}, f"another specialty ({evidence})")
        return Sentence("specialty_match", {"value": round(value, 2)}, f"specialty match {value:.2f}")
    return Sentence("component", {"name": name, "value": round(value, 2)}, f"{name.replace('_', ' ')}: {value:.2f}")


def describe_staffing_component(name: str, value: float, evidence: Mapping[str, EvidenceValue]) -> Sentence:  # noqa: PLR0911 - one return per wording
    """Put one component of a volunteer's fit for a faculty slot into words (see
    ``matching.staffing.fit_evidence`` for the evidence)."""
    if name == "expertise":
        shared = evidence.get("expertise", ())
        wanted = evidence.get("expertise_wanted", 0)
        if not wanted:
            return Sentence("no_expertise_wanted", {}, "the slot asks for no particular topic")
        if isinstance(shared, tuple) and shared:
            topics = [str(topic) for topic in shared]
            params = {"topics": topics, "n": len(topics), "wanted": wanted}
            return Sentence("shared_expertise", params, f"knows {', '.join(topics)} ({len(topics)} of {wanted} topics)")
        return Sentence("no_shared_expertise", {"wanted": wanted}, "no topic in common with the slot")
    if name == "language":
        spoken = evidence.get("language", ())
        if isinstance(spoken, tuple) and spoken:
            codes = [str(code) for code in spoken]
            names = [LANGUAGE_NAMES.get(code, code) for code in codes]
            return Sentence("speaks_course_languages", {"languages": codes}, "teaches in " + _join(names))
        return Sentence("no_course_language", {}, "speaks none of the course languages")
    if name == "volunteered":
        if value > 0:
            return Sentence("volunteered", {}, "volunteered for this slot")
        return Sentence("did_not_volunteer", {}, "did not volunteer for this slot")
    return describe_component(name, value, None)


def explain_staffing_pair(problem: StaffingProblem, slot_id: str, volunteer_id: str) -> PairExplanation:
    """One volunteer's fit for one slot, by component, with its rank among the slot's eligible
    volunteers (role, the slot's language, free on the dates)."""
    courses = {c.id: c for c in problem.courses}
    slot = next(s for s in problem.slots if s.id == slot_id)
    course = courses[slot.course]
    volunteer = next(v for v in problem.volunteers if v.id == volunteer_id)
    components = fit_components(volunteer, slot, course)
    evidence = fit_evidence(volunteer, slot, course)
    score = fit_score(components, problem.weights)
    scores = sorted(
        (
            (-fit_score(fit_components(v, slot, course), problem.weights), v.id)
            for v in problem.volunteers
            if is_eligible(v, slot, course)
        ),
    )
    position = [vid for _neg, vid in scores].index(volunteer_id) + 1 if (-score, volunteer_id) in scores else 0
    parts = tuple(
        ComponentPart(
            name, round(value, 4), problem.weights.get(name), describe_staffing_component(name, value, evidence)
        )
        for name, value in components.items()
    )
    words = "; ".join(part.sentence.text for part in parts)
    summary = f"{slot_id} – {volunteer_id}: fit {score:.3f} ({words})"
    if position:
        summary += f"; candidate #{position} of {len(scores)}"
    return PairExplanation(slot_id, volunteer_id, score, position, len(scores), parts, (), summary)


def explain_staffing(problem: StaffingProblem, result: StaffingResult) -> tuple[PairExplanation, ...]:
    """Explain every assignment of a staffing result (in the result's order)."""
    return tuple(explain_staffing_pair(problem, a.slot, a.volunteer) for a in result.assignments)


def rank_volunteers(
    problem: StaffingProblem, slot_id: str, *, exclude: Iterable[str] = (), limit: int = 3
) -> tuple[PairExplanation, ...]:
    """The best free volunteers for one slot, explained: eligible, with a trip left, not in
    ``exclude`` (e.g. already asked); best fit first, ties by id."""
    skip = set(exclude)
    slot = next(s for s in problem.slots if s.id == slot_id)
    course = next(c for c in problem.courses if c.id == slot.course)
    ranked = sorted(
        (-fit_score(fit_components(v, slot, course), problem.weights), v.id)
        for v in problem.volunteers
        if v.id not in skip and v.max_trips >= 1 and is_eligible(v, slot, course)
    )
    return tuple(explain_staffing_pair(problem, slot_id, vid) for _neg, vid in ranked[:limit])


def _evidence_from_problem(problem: Problem) -> EvidenceLookup:
    table = {(c.left, c.right): c.evidence for c in problem.candidates}

    def lookup(left: str, right: str) -> Mapping[str, EvidenceValue]:
        return table.get((left, right), {})

    return lookup


def explain(  # noqa: PLR0912, PLR0915 - per-pair assembly reads best in one place
    problem: Problem | ArrayProblem,
    result: Result,
    lefts: Iterable[str],
    *,
    evidence: EvidenceLookup | None = None,
    weights: Mapping[str, float] | None = None,
    max_alternatives: int = 5,
) -> tuple[PairExplanation, ...]:
    """Explain the pairs of the given left items (in the order given)."""
    if isinstance(problem, Problem):
        if evidence is None:
            evidence = _evidence_from_problem(problem)
        if weights is None:
            weights = dict(problem.weights)
        ap = problem.to_arrays()
    else:
        ap = problem
    from matching.solver import prepare

    prep = prepare(ap)
    n, m = ap.n_left, ap.n_right
    lpos = {lid: i for i, lid in enumerate(ap.left_ids)}
    el, er, sc = ap.edge_left, ap.edge_right, ap.edge_score
    starts = np.searchsorted(el, np.arange(n + 1)) if _is_sorted(el) else None
    load = np.bincount(result.pair_right, minlength=m)
    chosen_key = set((result.pair_left.astype(np.int64) * max(m, 1) + result.pair_right).tolist())
    occupants: dict[int, list[tuple[str, float]]] = {}
    for p, j in zip(result.pairs, result.pair_right.tolist(), strict=True):
        occupants.setdefault(j, []).append((p.left, p.score))
    removed_reason = prep.removed_reason
    out: list[PairExplanation] = []
    for left in lefts:
        i = lpos[left]
        idx = np.arange(starts[i], starts[i + 1]) if starts is not None else np.flatnonzero(el == i)
        order = idx[np.lexsort((er[idx], -sc[idx]))]
        eligible = order[removed_reason[order] < 0]
        for pair_i in np.flatnonzero(result.pair_left == i).tolist():
            j = int(result.pair_right[pair_i])
            e = int(result.pair_edge[pair_i])
            pair = result.pairs[pair_i]
            right = ap.right_ids[j]
            ev = evidence(left, right) if evidence else {}
            parts: list[ComponentPart] = []
            if e >= 0 and ap.edge_components is not None:
                for c, name in enumerate(ap.component_names):
                    value = round(float(ap.edge_components[e, c]), 4)
                    w = None if weights is None else weights.get(name)
                    parts.append(ComponentPart(name, value, w, describe_component(name, value, ev.get(name))))
            else:
                for name, val in ev.items():
                    value = 1.0 if not isinstance(val, int | float) else float(val)
                    parts.append(ComponentPart(name, value, None, describe_component(name, value, val)))
            rank = int(np.flatnonzero(eligible == e)[0]) + 1 if e >= 0 and (eligible == e).any() else 0
            alts: list[Alternative] = []
            for x in order.tolist():
                if sc[x] <= pair.score or len(alts) >= max_alternatives:
                    break
                xr = int(er[x])
                if i * max(m, 1) + xr in chosen_key:
                    continue
                alts.append(_why_not(ap, x, int(removed_reason[x]), load[xr], occupants.get(xr, [])))
            words = "; ".join(p.sentence.text for p in parts)
            summary = f"{left} – {right}: score {pair.score:.3f}" + (f" ({words})" if words else "")
            if rank:
                summary += f"; candidate #{rank} of {len(eligible)}"
            out.append(
                PairExplanation(left, right, pair.score, rank, len(eligible), tuple(parts), tuple(alts), summary)
            )
    return tuple(out)


def _is_sorted(a: np.ndarray) -> bool:
    return bool(len(a) < 2 or (a[1:] >= a[:-1]).all())


def _why_not(ap: ArrayProblem, e: int, reason: int, load: int, occupants: list[tuple[str, float]]) -> Alternative:
    j = int(ap.edge_right[e])
    right = ap.right_ids[j]
    score = round(float(ap.edge_score[e]) * SCALE) / SCALE
    if reason >= 0:
        code = ap.reasons[reason]
        words = code.replace("_", " ")
        if code in CONFLICT_REASONS:
            return Alternative(
                right, score, "conflict", Sentence("conflict", {"rule": code}, f"conflict of interest: {words}")
            )
        return Alternative(right, score, "ineligible", Sentence("ineligible", {"rule": code}, f"not eligible: {words}"))
    cap = int(ap.capacity[j])
    if load >= cap:
        top = sorted(occupants, key=lambda t: (-t[1], t[0]))[:3]
        text = f"at capacity ({cap}) with " + (", ".join(f"{a} ({s:.3f})" for a, s in top) or "pinned pairs")
        text += ", who gained more"
        return Alternative(
            right, score, "at_capacity", Sentence("at_capacity", {"capacity": cap, "taken_by": top}, text)
        )
    return Alternative(
        right,
        score,
        "not_chosen",
        Sentence("not_chosen", {}, "not chosen: other pairs together scored more under the objective"),
    )
