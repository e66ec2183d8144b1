"""Input and output types of the matching engine.

Two input forms describe the same problem:

* :class:`Problem` -- frozen dataclasses in the problem's own terms (what the Django adapters build);
* :class:`ArrayProblem` -- the same data as numpy arrays (what the CLI, the candidate generator and
  the solver use; millions of candidate pairs never become Python objects).

``Problem.to_arrays()`` converts the first into the second. Ids are opaque strings.
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass, field
from typing import Literal

import numpy as np
import numpy.typing as npt

Coverage = Literal["optional", "required"]
Objective = Literal["total", "fair"]
EvidenceValue = str | int | float | tuple[str, ...] | tuple[float, ...]

#: Score components the engine knows how to put into words (others are shown by name).
COMPONENTS: tuple[str, ...] = ("interest", "language", "timezone", "preference", "continuity")

#: Reason codes of hard rules that are conflicts of interest (used to say "all in conflict").
CONFLICT_REASONS: frozenset[str] = frozenset(
    {
        "self",
        "same_institution",
        "same_country",
        "declared",
        "declared_coi",
        "coauthor",
        "past_mentorship",
        "prior_relationship",
        "conflict",
    }
)

#: Every reason code a pair can be removed with, in a fixed order (index = code number).
RULE_REASONS: tuple[str, ...] = (
    "self",
    "same_institution",
    "same_country",
    "declared",
    "coauthor",
    "past_mentorship",
    "mentor_not_high_income",
    "no_shared_language",
    "below_min_score",
    "withdrawn",
    "same_region",
    "no_common_hours",
)

SCALE = 1_000_000
"""Scores have 6 decimals; integer costs are ``round(score * SCALE)``."""

IntArray = npt.NDArray[np.int64]
Int32Array = npt.NDArray[np.int32]
FloatArray = npt.NDArray[np.float64]
BoolArray = npt.NDArray[np.bool_]


@dataclass(frozen=True, slots=True)
class LeftItem:
    """Something that wants partners: a mentee (demand 1), an application (k reviewers), a slot."""

    id: str
    demand: int = 1


@dataclass(frozen=True, slots=True)
class RightItem:
    """Something that offers capacity: a mentor, a reviewer, a volunteer."""

    id: str
    capacity: int = 1
    min_load: int = 0


@dataclass(frozen=True, slots=True)
class Candidate:
    """A possible pair with its score components (each in [0, 1]).

    The pair's score is the weighted sum of ``components`` with :attr:`Problem.weights`, unless
    ``score`` is given. ``evidence`` carries the facts explanations are worded from, keyed by
    component: e.g. ``{"interest": ("breast cancer",), "language": ("Spanish",), "timezone": 3}``.
    """

    left: str
    right: str
    components: Mapping[str, float] = field(default_factory=dict)
    score: float | None = None
    evidence: Mapping[str, EvidenceValue] = field(default_factory=dict)


@dataclass(frozen=True, slots=True)
class Forbidden:
    """A hard rule removing pairs, with a reason code.

    ``left=None`` forbids the right item for every left item (e.g. ``mentor_not_high_income``);
    ``right=None`` likewise for a left item.
    """

    left: str | None
    right: str | None
    reason: str


@dataclass(frozen=True, slots=True)
class PairRef:
    left: str
    right: str


@dataclass(frozen=True, slots=True)
class Problem:
    """The adapter-facing problem description."""

    lefts: tuple[LeftItem, ...]
    rights: tuple[RightItem, ...]
    candidates: tuple[Candidate, ...]
    forbidden: tuple[Forbidden, ...] = ()
    weights: Mapping[str, float] = field(default_factory=dict)
    coverage: Coverage = "optional"
    min_score: float = 0.0
    pinned: tuple[PairRef, ...] = ()
    proposed: tuple[PairRef, ...] = ()
    keep_bonus: float = 0.0
    seed: int = 0

    def to_arrays(self) -> ArrayProblem:
        from matching.convert import problem_to_arrays

        return problem_to_arrays(self)


@dataclass(frozen=True, eq=False)
class ArrayProblem:
    """The problem as arrays. Edge ``e`` is the pair ``(edge_left[e], edge_right[e])`` (indices).

    ``excluded_*`` lists pairs removed by hard rules (with an index into ``reasons``); they are
    dropped from the edges before solving and kept for explanations. ``left_block``/``right_block``
    hold a reason index removing every pair of that item, or -1.
    """

    left_ids: tuple[str, ...]
    right_ids: tuple[str, ...]
    demand: IntArray
    capacity: IntArray
    min_load: IntArray
    edge_left: Int32Array
    edge_right: Int32Array
    edge_score: FloatArray
    component_names: tuple[str, ...] = ()
    edge_components: npt.NDArray[np.float32] | None = None
    excluded_left: Int32Array = field(default_factory=lambda: np.zeros(0, np.int32))
    excluded_right: Int32Array = field(default_factory=lambda: np.zeros(0, np.int32))
    excluded_reason: npt.NDArray[np.int16] = field(default_factory=lambda: np.zeros(0, np.int16))
    excluded_score: FloatArray = field(default_factory=lambda: np.zeros(0, np.float64))
    left_block: npt.NDArray[np.int16] | None = None
    right_block: npt.NDArray[np.int16] | None = None
    reasons: tuple[str, ...] = RULE_REASONS
    coverage: Coverage = "optional"
    min_score: float = 0.0
    pinned_left: Int32Array = field(default_factory=lambda: np.zeros(0, np.int32))
    pinned_right: Int32Array = field(default_factory=lambda: np.zeros(0, np.int32))
    proposed_left: Int32Array = field(default_factory=lambda: np.zeros(0, np.int32))
    proposed_right: Int32Array = field(default_factory=lambda: np.zeros(0, np.int32))
    keep_bonus: float = 0.0
    seed: int = 0
    rule_counts: IntArray | None = None
    """Optional (n_left x len(reasons)) counts of all pairs each rule removed, when the pairs
    themselves were not kept (candidate generation keeps only the best few)."""

    @property
    def n_left(self) -> int:
        return len(self.left_ids)

    @property
    def n_right(self) -> int:
        return len(self.right_ids)


# ----------------------------------------------------------------------------------------------
# Output


@dataclass(frozen=True, slots=True)
class Pair:
    left: str
    right: str
    score: float
    pinned: bool = False


@dataclass(frozen=True, slots=True)
class Unmatched:
    """A left item that got fewer partners than it asked for, and why.

    ``reason`` is one of ``no_candidates``, ``no_other_candidate`` (every candidate is already
    paired with it), ``no_eligible_candidate``, ``all_in_conflict``,
    ``all_candidates_at_capacity``, ``not_selected``; ``params`` are machine-readable details and
    ``message`` the same in plain English.
    """

    left: str
    demand: int
    assigned: int
    reason: str
    params: Mapping[str, object]
    message: str


@dataclass(frozen=True, slots=True)
class UnderLoaded:
    """A right item whose minimum load could not be met."""

    right: str
    min_load: int
    load: int


@dataclass(frozen=True, slots=True)
class SolverStats:
    objective: Objective
    status: str
    optimal: bool
    n_left: int
    n_right: int
    n_edges: int
    n_excluded_edges: int
    n_pairs: int
    total_score: float
    total_score_micro: int
    min_pair_score: float | None
    fair_threshold: float | None
    flow_solves: int


@dataclass(frozen=True, eq=False)
class Result:
    """The assignment, the unmatched with reasons, what changed (re-solves) and solver stats.

    ``pair_left``/``pair_right`` are the same pairs as indices into the problem's ids, sorted.
    """

    pairs: tuple[Pair, ...]
    unmatched: tuple[Unmatched, ...]
    under_loaded: tuple[UnderLoaded, ...]
    added: tuple[PairRef, ...]
    removed: tuple[PairRef, ...]
    stats: SolverStats
    pair_left: Int32Array
    pair_right: Int32Array
    pair_edge: IntArray
