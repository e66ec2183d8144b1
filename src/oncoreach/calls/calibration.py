"""Calibration of review scores: each reviewer's scores on a common scale, and the ranks it moves.

Pure Python (no Django, no database): the input is one ``(reviewer id, application id, overall
score)`` per review in a stage; the output puts raw and calibrated figures side by side.

Per review:

* ``z`` -- the z-score over that reviewer's whole set in the stage, ``(x - mean_r) / sd_r``
  (population standard deviation). A harsh reviewer and a lenient one who order their applications
  the same way get the same z-scores: z is unchanged when a reviewer's scores are all shifted or
  stretched (``a * x + b`` with ``a > 0``). A reviewer with one review, or who gave every
  application the same score (``sd_r = 0``), says nothing about spread: their z is 0.
* ``robust`` -- for reviewers with few reviews. Their own mean and spread are poor estimates
  (with two reviews every z is exactly +1 or -1), so the robust score blends their own z with the
  score standardised against *every* review in the stage (the global mean and sd), with the
  empirical-Bayes weight ``w = (n - 1) / (n - 1 + k)`` on their own: ``n - 1`` is how much the
  reviewer's spread is backed by (a single review: none, so ``w = 0`` and the global
  standardisation alone counts), and ``k`` (default 2, :data:`SHRINK_K`) is the number of reviews'
  worth of trust the global scale gets. With ten reviews ``w = 0.82``; with many, robust tends to z.
  We chose this over median/MAD because median/MAD breaks down exactly where it is needed: with
  two or three reviews the MAD is often 0. The robust score is not shift-invariant for small
  ``n``, on purpose: with one review nobody can tell a harsh reviewer from a weak application.

Per application: the mean raw score, the mean z and mean robust score, their ranks (competition
ranking, "1224": equal means share a rank, compared at 6 decimals so float noise never splits a
tie), the rank change calibration causes (``rank_raw - rank_calibrated``: positive = moved up),
and the spread: the range of the application's z-scores. Reviewers disagree when the range is at
least :data:`HIGH_SPREAD_Z` (1.5 of their own standard deviations: one reviewer put it about a
standard deviation above their average, another half a deviation below theirs, or worse).
"""

from __future__ import annotations

import math
from collections import defaultdict
from collections.abc import Hashable, Iterable, Sequence
from dataclasses import dataclass

#: Reviews' worth of trust given to the stage's global scale in the robust variant.
SHRINK_K = 2.0
#: Range of an application's z-scores from which its reviewers are said to disagree.
HIGH_SPREAD_Z = 1.5
#: Means are compared for ranking at this many decimals.
RANK_DECIMALS = 6


@dataclass(frozen=True, slots=True)
class ReviewScore:
    reviewer_id: Hashable
    application_id: Hashable
    raw: float
    z: float
    robust: float


@dataclass(frozen=True, slots=True)
class ApplicationScore:
    application_id: Hashable
    n_reviews: int
    mean_raw: float
    mean_calibrated: float  # mean z
    mean_robust: float
    rank_raw: int
    rank_calibrated: int
    rank_robust: int
    rank_change: int  # rank_raw - rank_calibrated: positive when calibration moves it up
    spread_raw: float  # max - min raw score
    spread: float  # max - min z-score
    high_spread: bool


@dataclass(frozen=True, slots=True)
class Calibration:
    reviews: tuple[ReviewScore, ...]
    applications: tuple[ApplicationScore, ...]  # best calibrated first


def _mean_sd(values: Sequence[float]) -> tuple[float, float]:
    mean = math.fsum(values) / len(values)
    var = math.fsum((v - mean) ** 2 for v in values) / len(values)
    sd = math.sqrt(var)
    # scores differing only by float noise have no spread
    return mean, (sd if sd > 1e-12 * max(1.0, abs(mean)) else 0.0)


def competition_ranks(values: Sequence[float], *, decimals: int = RANK_DECIMALS) -> list[int]:
    """Rank of each value, highest first; equal values (at ``decimals``) share the best rank and
    the next rank skips ("1224")."""
    keys = [round(v, decimals) for v in values]
    order = sorted(range(len(keys)), key=lambda i: -keys[i])
    ranks = [0] * len(keys)
    for position, i in enumerate(order):
        if position and keys[i] == keys[order[position - 1]]:
            ranks[i] = ranks[order[position - 1]]
        else:
            ranks[i] = position + 1
    return ranks


def calibrate(
    reviews: Iterable[tuple[Hashable, Hashable, float]],
    *,
    shrink_k: float = SHRINK_K,
    high_spread: float = HIGH_SPREAD_Z,
) -> Calibration:
    """Calibrate one stage's overall review scores (see the module docstring).

    Raises ``ValueError`` for a score that is not a finite number, a reviewer scoring the same
    application twice, or a negative ``shrink_k``.
    """
    if shrink_k < 0:
        msg = "shrink_k must be zero or more"
        raise ValueError(msg)
    rows: list[tuple[Hashable, Hashable, float]] = []
    seen: set[tuple[Hashable, Hashable]] = set()
    for reviewer_id, application_id, score in reviews:
        value = float(score)
        if not math.isfinite(value):
            msg = f"the score of reviewer {reviewer_id} for application {application_id} is not a number"
            raise ValueError(msg)
        if (reviewer_id, application_id) in seen:
            msg = f"reviewer {reviewer_id} scored application {application_id} twice"
            raise ValueError(msg)
        seen.add((reviewer_id, application_id))
        rows.append((reviewer_id, application_id, value))
    if not rows:
        return Calibration(reviews=(), applications=())

    g_mean, g_sd = _mean_sd([v for _r, _a, v in rows])
    by_reviewer: dict[Hashable, list[float]] = defaultdict(list)
    for reviewer_id, _a, value in rows:
        by_reviewer[reviewer_id].append(value)
    stats = {r: (len(values), *_mean_sd(values)) for r, values in by_reviewer.items()}

    scored: list[ReviewScore] = []
    for reviewer_id, application_id, value in rows:
        n, mean, sd = stats[reviewer_id]
        z = (value - mean) / sd if sd > 0 else 0.0
        z_global = (value - g_mean) / g_sd if g_sd > 0 else 0.0
        weight = (n - 1) / (n - 1 + shrink_k) if n > 1 else 0.0
        robust = weight * z + (1 - weight) * z_global
        scored.append(ReviewScore(reviewer_id, application_id, value, z, robust))

    by_application: dict[Hashable, list[ReviewScore]] = defaultdict(list)
    for review in scored:
        by_application[review.application_id].append(review)
    ids = list(by_application)
    raw = [math.fsum(r.raw for r in by_application[a]) / len(by_application[a]) for a in ids]
    cal = [math.fsum(r.z for r in by_application[a]) / len(by_application[a]) for a in ids]
    rob = [math.fsum(r.robust for r in by_application[a]) / len(by_application[a]) for a in ids]
    rank_raw, rank_cal, rank_rob = competition_ranks(raw), competition_ranks(cal), competition_ranks(rob)
    out: list[ApplicationScore] = []
    for k, application_id in enumerate(ids):
        mine = by_application[application_id]
        spread = max(r.z for r in mine) - min(r.z for r in mine)
        out.append(
            ApplicationScore(
                application_id=application_id,
                n_reviews=len(mine),
                mean_raw=raw[k],
                mean_calibrated=cal[k],
                mean_robust=rob[k],
                rank_raw=rank_raw[k],
                rank_calibrated=rank_cal[k],
                rank_robust=rank_rob[k],
                rank_change=rank_raw[k] - rank_cal[k],
                spread_raw=max(r.raw for r in mine) - min(r.raw for r in mine),
                spread=spread,
                high_spread=round(spread, RANK_DECIMALS) >= high_spread,
            )
        )
    out.sort(key=lambda a: (a.rank_calibrated, a.rank_raw, str(a.application_id)))
    return Calibration(reviews=tuple(scored), applications=tuple(out))
