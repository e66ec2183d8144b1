"""Oncoreach matching engine: optimal, explainable assignment under hard rules and capacities.

Pure: numpy, scipy and OR-Tools only; no Django, no I/O, no clock. See ``docs/matching.md``.
"""

from matching.cascade import CascadeResult, IndexPairs, PreparedRound, cascade, prepare_round
from matching.convert import with_history
from matching.explain import (
    Alternative,
    ComponentPart,
    PairExplanation,
    Sentence,
    describe_component,
    explain,
    explain_staffing,
    rank_volunteers,
)
from matching.model import (
    COMPONENTS,
    CONFLICT_REASONS,
    RULE_REASONS,
    SCALE,
    ArrayProblem,
    Candidate,
    Forbidden,
    LeftItem,
    Pair,
    PairRef,
    Problem,
    Result,
    RightItem,
    SolverStats,
    UnderLoaded,
    Unmatched,
)
from matching.solver import SolverError, solve

__version__ = "0.1.0"

__all__ = [
    "COMPONENTS",
    "CONFLICT_REASONS",
    "RULE_REASONS",
    "SCALE",
    "Alternative",
    "ArrayProblem",
    "Candidate",
    "CascadeResult",
    "ComponentPart",
    "Forbidden",
    "IndexPairs",
    "LeftItem",
    "Pair",
    "PairExplanation",
    "PairRef",
    "PreparedRound",
    "Problem",
    "Result",
    "RightItem",
    "Sentence",
    "SolverError",
    "SolverStats",
    "UnderLoaded",
    "Unmatched",
    "__version__",
    "cascade",
    "describe_component",
    "explain",
    "explain_staffing",
    "prepare_round",
    "rank_volunteers",
    "solve",
    "with_history",
]
