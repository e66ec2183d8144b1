"""Candidate generation and scoring from people's attributes.

Vectorised and blocked: left items are processed in chunks of ``chunk_size`` rows against all
right items, each chunk keeps only the ``top_n`` best eligible candidates per left item (plus the
best few pairs removed by a hard rule, for explanations), so memory is bounded by
``chunk_size x n_right`` and a dense matrix of all pairs never exists.

Components (each in [0, 1]):

* ``interest``   -- cosine of the tag sets, blended with hashed TF-IDF cosine of free text when
  both sides have text;
* ``language``   -- 1.0 when a language other than the common one is shared, ``common_language_score``
  when only the common language is shared, 0 otherwise;
* ``timezone``   -- overlap of the 09:00-17:00 local working days on ``on_date`` (real IANA zones,
  so daylight saving counts) divided by the working day's length; or, when ``term`` is set, the
  hours a week both are available (their weekly ``availability`` windows, or Monday to Friday
  working days for someone without windows) in the worst week of the term, over
  ``overlap_target_hours`` (see :mod:`matching.availability`);
* ``preference`` -- the left item named the right item on its shortlist (rank-decayed);
* ``continuity`` -- the right item worked with the left item (site) before.

Hard rules, each with a reason code: ``self``, ``same_institution``, ``same_country``,
``same_region``, ``declared``, ``coauthor``, ``past_mentorship``, ``mentor_not_high_income``,
``no_shared_language``, ``no_common_hours`` (with ``term``: some week of the term without a
shared hour), ``below_min_score``.
"""

from __future__ import annotations

import re
import zlib
from collections.abc import Callable, Mapping, Sequence
from dataclasses import dataclass, field
from datetime import UTC, date, datetime, time, timedelta
from functools import cached_property
from zoneinfo import ZoneInfo

import numpy as np
import numpy.typing as npt
from scipy import sparse

from matching.availability import WeeklyOverlap, Window, default_windows, pair_overlap, zone_key
from matching.model import (
    COMPONENTS,
    RULE_REASONS,
    ArrayProblem,
    Coverage,
    EvidenceValue,
    FloatArray,
    Int32Array,
    IntArray,
)

_TOKEN = re.compile(r"[a-z0-9]+")
_F32 = npt.NDArray[np.float32]


@dataclass(frozen=True, slots=True)
class Person:
    """One side's item described by attributes. Ids of the other side are used in the sets."""

    id: str
    person_key: str | None = None  # the human behind the item (``self`` rule); defaults to id
    institution: str | None = None
    country: str | None = None
    income_group: str | None = None
    languages: tuple[str, ...] = ()
    timezone: str | None = None  # IANA name, e.g. "America/Bogota"
    utc_offset_hours: float | None = None  # used when timezone is None
    tags: frozenset[str] = frozenset()
    text: str = ""
    preferred: tuple[str, ...] = ()  # left only: right ids in shortlist order
    visited_by: frozenset[str] = frozenset()  # left only: right ids who worked with this site
    declared_conflicts: frozenset[str] = frozenset()  # person keys of the other side
    coauthors: frozenset[str] = frozenset()
    past_mentorships: frozenset[str] = frozenset()
    region: str | None = None  # ``same_region`` rule
    availability: tuple[Window, ...] = ()  # weekly windows in local time (used with ``term``)


DEFAULT_RULES: frozenset[str] = frozenset(
    {
        "self",
        "same_institution",
        "declared",
        "coauthor",
        "past_mentorship",
        "mentor_not_high_income",
        "no_shared_language",
    }
)


@dataclass(frozen=True, slots=True)
class ScoringConfig:
    """Weights and rules. ``mentoring()`` and ``reviewing()`` give the program's defaults."""

    weights: Mapping[str, float] = field(
        default_factory=lambda: {
            "interest": 0.5,
            "language": 0.15,
            "timezone": 0.15,
            "preference": 0.2,
            "continuity": 0.0,
        }
    )
    rules: frozenset[str] = DEFAULT_RULES
    text_share: float = 0.5
    on_date: date = date(2026, 3, 2)
    workday_start_hour: float = 9.0
    workday_end_hour: float = 17.0
    common_language: str | None = "en"
    common_language_score: float = 0.6
    preference_decay: float = 0.0
    high_income_groups: frozenset[str] = frozenset({"HIC"})
    min_score: float = 0.0
    top_n: int = 200
    keep_excluded: int = 5
    chunk_size: int = 500
    text_features: int = 1 << 18
    term: tuple[date, date] | None = None  # weekly overlap of availability windows across these dates
    overlap_target_hours: float = 4.0  # weekly hours in common that score the full timezone component
    topics_target: int = 2  # expertise topics found in common that score the full interest (mentor pairing)

    @classmethod
    def mentoring(cls, **overrides: object) -> ScoringConfig:
        return cls(**overrides)  # type: ignore[arg-type]

    @classmethod
    def reviewing(cls, **overrides: object) -> ScoringConfig:
        base: dict[str, object] = {
            "weights": {"interest": 1.0},
            "rules": frozenset({"self", "same_institution", "same_country", "declared", "coauthor"}),
        }
        base.update(overrides)
        return cls(**base)  # type: ignore[arg-type]

    @classmethod
    def mentor_pairing(cls, **overrides: object) -> ScoringConfig:
        """Pairing a mentor with an awardee (awards): a shared language, the same specialty, and
        the mentor's expertise topics found in the awardee's project (``topic_interest``)."""
        base: dict[str, object] = {"weights": {"language": 0.2, "specialty": 0.4, "interest": 0.4}}
        base.update(overrides)
        return cls(**base)  # type: ignore[arg-type]


def topic_interest(found: int, config: ScoringConfig) -> float:
    """The interest component from a count of topics found in common: full at ``topics_target``."""
    return min(1.0, found / max(1, config.topics_target))


@dataclass(frozen=True, eq=False)
class CandidateSet:
    """Scored candidate pairs (best ``top_n`` per left item) and what the hard rules removed."""

    lefts: tuple[Person, ...]
    rights: tuple[Person, ...]
    config: ScoringConfig
    edge_left: Int32Array
    edge_right: Int32Array
    edge_score: FloatArray
    edge_components: _F32
    excluded_left: Int32Array
    excluded_right: Int32Array
    excluded_reason: npt.NDArray[np.int16]
    excluded_score: FloatArray
    rule_counts: IntArray  # n_left x len(RULE_REASONS): all pairs removed, per rule
    work_start_utc: FloatArray  # per left then right: start of the working day in UTC hours

    def to_problem(
        self,
        *,
        demand: Sequence[int] | None = None,
        capacity: Sequence[int] | None = None,
        min_load: Sequence[int] | None = None,
        coverage: Coverage = "optional",
    ) -> ArrayProblem:
        n, m = len(self.lefts), len(self.rights)
        return ArrayProblem(
            left_ids=tuple(p.id for p in self.lefts),
            right_ids=tuple(p.id for p in self.rights),
            demand=np.asarray(demand if demand is not None else [1] * n, np.int64),
            capacity=np.asarray(capacity if capacity is not None else [1] * m, np.int64),
            min_load=np.asarray(min_load if min_load is not None else [0] * m, np.int64),
            edge_left=self.edge_left,
            edge_right=self.edge_right,
            edge_score=self.edge_score,
            component_names=COMPONENTS,
            edge_components=self.edge_components,
            excluded_left=self.excluded_left,
            excluded_right=self.excluded_right,
            excluded_reason=self.excluded_reason,
            excluded_score=self.excluded_score,
            reasons=RULE_REASONS,
            coverage=coverage,
            min_score=self.config.min_score,
            rule_counts=self.rule_counts,
        )

    @cached_property
    def _evidence(self) -> Callable[[str, str], Mapping[str, EvidenceValue]]:
        return evidence_lookup(self.lefts, self.rights, self.config)

    def evidence(self, left_id: str, right_id: str) -> Mapping[str, EvidenceValue]:
        """The facts behind a pair's components, for explanations."""
        return self._evidence(left_id, right_id)


def evidence_lookup(
    lefts: Sequence[Person], rights: Sequence[Person], config: ScoringConfig | None = None
) -> Callable[[str, str], Mapping[str, EvidenceValue]]:
    """A function giving the facts behind a pair's components: shared tags, shared languages,
    working hours of overlap, shortlist rank, previous visit."""
    cfg = config or ScoringConfig()
    lpos = {p.id: p for p in lefts}
    rpos = {p.id: p for p in rights}
    cache: dict[str, float] = {}
    length = cfg.workday_end_hour - cfg.workday_start_hour

    def lookup(left_id: str, right_id: str) -> Mapping[str, EvidenceValue]:
        a, b = lpos[left_id], rpos[right_id]
        out: dict[str, EvidenceValue] = {
            "interest": tuple(sorted(a.tags & b.tags)),
            "language": tuple(lang for lang in a.languages if lang in b.languages),
        }
        if cfg.term is not None:
            summary = pair_overlap(
                windows_of(a, cfg),
                zone_key(a.timezone, a.utc_offset_hours),
                windows_of(b, cfg),
                zone_key(b.timezone, b.utc_offset_hours),
                cfg.term,
            )
            out["timezone"] = (round(summary.min_hours, 2), round(summary.max_hours, 2))
        else:
            d = abs(work_start_utc(a, cfg, cache) - work_start_utc(b, cfg, cache)) % 24.0
            out["timezone"] = round(max(0.0, length - min(d, 24.0 - d)), 2)
        if right_id in a.preferred:
            out["preference"] = a.preferred.index(right_id) + 1
        if right_id in a.visited_by:
            out["continuity"] = "visited"
        return out

    return lookup


# ---------------------------------------------------------------------------------------------


def windows_of(person: Person, cfg: ScoringConfig) -> tuple[Window, ...]:
    """The person's weekly windows, or Monday to Friday working days when they gave none."""
    return person.availability or default_windows(cfg.workday_start_hour, cfg.workday_end_hour)


def work_start_utc(person: Person, cfg: ScoringConfig, cache: dict[str, float]) -> float:
    """Start of the person's local working day on ``cfg.on_date``, in UTC hours (DST-aware)."""
    if person.timezone:
        if person.timezone not in cache:
            zone = ZoneInfo(person.timezone)
            hour = int(cfg.workday_start_hour)
            minute = round((cfg.workday_start_hour - hour) * 60)
            local = datetime.combine(cfg.on_date, time(hour, minute), tzinfo=zone)
            utc = local.astimezone(UTC)
            start = datetime.combine(cfg.on_date, time(0), tzinfo=UTC)
            cache[person.timezone] = (utc - start) / timedelta(hours=1)
        return cache[person.timezone]
    offset = person.utc_offset_hours or 0.0
    return cfg.workday_start_hour - offset


def _vocab(items: Sequence[frozenset[str] | tuple[str, ...]]) -> dict[str, int]:
    return {v: k for k, v in enumerate(sorted({x for it in items for x in it}))}


def _binary_matrix(items: Sequence[frozenset[str] | tuple[str, ...]], vocab: dict[str, int]) -> sparse.csr_matrix:
    rows = np.repeat(np.arange(len(items)), [len(it) for it in items])
    cols = np.fromiter((vocab[x] for it in items for x in it), np.int64, count=len(rows))
    data = np.ones(len(rows), np.float32)
    return sparse.csr_matrix((data, (rows, cols)), shape=(len(items), max(len(vocab), 1)))


def _tfidf(texts: Sequence[str], n_features: int) -> sparse.csr_matrix:
    """Hashed TF-IDF (crc32, so stable across processes), rows L2-normalised."""
    rows: list[int] = []
    cols: list[int] = []
    for r, text in enumerate(texts):
        for tok in _TOKEN.findall(text.lower()):
            rows.append(r)
            cols.append(zlib.crc32(tok.encode()) % n_features)
    mat = sparse.csr_matrix(
        (np.ones(len(rows), np.float32), (np.asarray(rows, np.int64), np.asarray(cols, np.int64))),
        shape=(len(texts), n_features),
    )
    mat.sum_duplicates()
    df = np.bincount(mat.indices, minlength=n_features)
    idf = (np.log((1 + len(texts)) / (1 + df)) + 1).astype(np.float32)
    mat = sparse.csr_matrix(mat.multiply(idf[None, :]))
    norms = np.sqrt(np.asarray(mat.multiply(mat).sum(axis=1)).ravel())
    norms[norms == 0] = 1
    return sparse.csr_matrix(sparse.diags(1 / norms) @ mat)


def _pairs_from_sets(lefts: Sequence[Person], rights: Sequence[Person], attr: str) -> tuple[IntArray, IntArray]:
    """Pairs (i, j) where either side lists the other's person key (or id) in ``attr``."""
    rkey: dict[str, list[int]] = {}
    for j, p in enumerate(rights):
        for k in {p.person_key or p.id, p.id}:
            rkey.setdefault(k, []).append(j)
    lkey: dict[str, list[int]] = {}
    for i, p in enumerate(lefts):
        for k in {p.person_key or p.id, p.id}:
            lkey.setdefault(k, []).append(i)
    out: set[tuple[int, int]] = set()
    for i, p in enumerate(lefts):
        for k in getattr(p, attr):
            out.update((i, j) for j in rkey.get(k, ()))
    for j, p in enumerate(rights):
        for k in getattr(p, attr):
            out.update((i, j) for i in lkey.get(k, ()))
    arr = np.array(sorted(out), np.int64).reshape(-1, 2)
    return arr[:, 0], arr[:, 1]


def _codes(values: Sequence[str | None]) -> IntArray:
    """Integer codes; None gets a unique negative code so it never equals anything."""
    table: dict[str, int] = {}
    out = np.empty(len(values), np.int64)
    for k, v in enumerate(values):
        out[k] = -1 - k if v is None else table.setdefault(v, len(table))
    return out


def generate_candidates(  # noqa: PLR0912, PLR0915 - one vectorised pass, kept together for memory reuse
    lefts: Sequence[Person], rights: Sequence[Person], config: ScoringConfig | None = None
) -> CandidateSet:
    """Score every (left, right) pair block by block, apply hard rules, keep the best per left."""
    cfg = config or ScoringConfig()
    lefts, rights = tuple(lefts), tuple(rights)
    n, m = len(lefts), len(rights)
    rules = cfg.rules
    reason_idx = {r: k for k, r in enumerate(RULE_REASONS)}
    w = np.array([cfg.weights.get(c, 0.0) for c in COMPONENTS], np.float32)

    # --- per-person vectors (right side is shared by every chunk)
    tag_vocab = _vocab([p.tags for p in (*lefts, *rights)])
    lt = _binary_matrix([p.tags for p in lefts], tag_vocab)
    rt = _binary_matrix([p.tags for p in rights], tag_vocab)
    l_tn = np.sqrt(np.asarray(lt.sum(axis=1)).ravel()).astype(np.float32)
    r_tn = np.sqrt(np.asarray(rt.sum(axis=1)).ravel()).astype(np.float32)
    dense_tags = len(tag_vocab) <= 4096
    rt_dense_t = rt.toarray().T if dense_tags else None
    rt_t = sparse.csc_matrix(rt.T)

    has_text = any(p.text for p in lefts) and any(p.text for p in rights)
    if has_text:
        tf = _tfidf([p.text for p in (*lefts, *rights)], cfg.text_features)
        l_tf, r_tf_t = tf[:n], sparse.csc_matrix(tf[n:].T)
        l_has_text = np.array([bool(p.text) for p in lefts])
        r_has_text = np.array([bool(p.text) for p in rights])

    lang_vocab = _vocab([p.languages for p in (*lefts, *rights)])
    ll = _binary_matrix([p.languages for p in lefts], lang_vocab).toarray()
    rl = _binary_matrix([p.languages for p in rights], lang_vocab).toarray()
    nc = np.ones(max(len(lang_vocab), 1), np.float32)
    if cfg.common_language in lang_vocab:
        nc[lang_vocab[cfg.common_language]] = 0
    rl_t = rl.T.copy()
    rl_nc_t = (rl * nc[None, :]).T.copy()

    cache: dict[str, float] = {}
    starts = np.array([work_start_utc(p, cfg, cache) for p in (*lefts, *rights)], np.float64)
    l_start, r_start = starts[:n].astype(np.float32), starts[n:].astype(np.float32)
    day = np.float32(cfg.workday_end_hour - cfg.workday_start_hour)
    weekly = (
        WeeklyOverlap(
            [windows_of(p, cfg) for p in lefts],
            [zone_key(p.timezone, p.utc_offset_hours) for p in lefts],
            [windows_of(p, cfg) for p in rights],
            [zone_key(p.timezone, p.utc_offset_hours) for p in rights],
            cfg.term,
        )
        if cfg.term is not None
        else None
    )

    # sparse pair attributes: preferences, continuity, declared / coauthor / past mentorship
    rpos = {p.id: j for j, p in enumerate(rights)}
    pref_l: list[int] = []
    pref_r: list[int] = []
    pref_v: list[float] = []
    cont_l: list[int] = []
    cont_r: list[int] = []
    for i, p in enumerate(lefts):
        for rank, rid in enumerate(p.preferred):
            if rid in rpos:
                pref_l.append(i)
                pref_r.append(rpos[rid])
                pref_v.append(max(0.0, 1.0 - cfg.preference_decay * rank))
        for rid in p.visited_by:
            if rid in rpos:
                cont_l.append(i)
                cont_r.append(rpos[rid])
    pref = (np.asarray(pref_l, np.int64), np.asarray(pref_r, np.int64), np.asarray(pref_v, np.float32))
    cont = (np.asarray(cont_l, np.int64), np.asarray(cont_r, np.int64))
    pair_rules = {
        code: _pairs_from_sets(lefts, rights, attr)
        for code, attr in (
            ("declared", "declared_conflicts"),
            ("coauthor", "coauthors"),
            ("past_mentorship", "past_mentorships"),
        )
        if code in rules
    }
    l_self = _codes([p.person_key or p.id for p in (*lefts, *rights)])
    l_inst = _codes([p.institution for p in (*lefts, *rights)])
    l_ctry = _codes([p.country for p in (*lefts, *rights)])
    l_region = _codes([p.region for p in (*lefts, *rights)])
    r_not_hic = np.array([p.income_group not in cfg.high_income_groups for p in rights])

    out_l: list[IntArray] = []
    out_r: list[IntArray] = []
    out_s: list[FloatArray] = []
    out_c: list[_F32] = []
    x_l: list[IntArray] = []
    x_r: list[IntArray] = []
    x_c: list[IntArray] = []
    x_s: list[FloatArray] = []
    rule_counts = np.zeros((n, len(RULE_REASONS)), np.int64)
    top_n = min(cfg.top_n, m)
    keep_x = min(cfg.keep_excluded, m)
    cols = np.arange(m)

    for s in range(0, n, cfg.chunk_size):
        e = min(n, s + cfg.chunk_size)
        c = e - s
        # interest
        inter = lt[s:e].toarray() @ rt_dense_t if dense_tags and rt_dense_t is not None else (lt[s:e] @ rt_t).toarray()
        denom = np.outer(l_tn[s:e], r_tn)
        tag_sim = np.divide(inter, denom, out=np.zeros_like(inter), where=denom > 0).astype(np.float32)
        if has_text:
            txt = (l_tf[s:e] @ r_tf_t).toarray().astype(np.float32)
            both = l_has_text[s:e, None] & r_has_text[None, :]
            interest = np.where(both, (1 - cfg.text_share) * tag_sim + cfg.text_share * txt, tag_sim)
        else:
            interest = tag_sim
        # language
        shared = ll[s:e] @ rl_t
        shared_nc = ll[s:e] @ rl_nc_t
        s_lang = np.where(shared_nc > 0, 1.0, np.where(shared > 0, cfg.common_language_score, 0.0)).astype(np.float32)
        # timezone: weekly hours in common across the term, or the working days' overlap on one date
        no_hours: npt.NDArray[np.bool_] | None = None
        if weekly is not None:
            hours = weekly.block(s, e).min_hours
            s_tz = np.minimum(hours / np.float32(cfg.overlap_target_hours), 1.0).astype(np.float32)
            no_hours = hours <= 0
        else:
            d = np.abs(l_start[s:e, None] - r_start[None, :]) % 24
            d = np.minimum(d, 24 - d)
            s_tz = np.maximum(day - d, 0) / day
        # preference / continuity
        s_pref = np.zeros((c, m), np.float32)
        sel = (pref[0] >= s) & (pref[0] < e)
        s_pref[pref[0][sel] - s, pref[1][sel]] = pref[2][sel]
        s_cont = np.zeros((c, m), np.float32)
        sel = (cont[0] >= s) & (cont[0] < e)
        s_cont[cont[0][sel] - s, cont[1][sel]] = 1
        score = (w[0] * interest + w[1] * s_lang + w[2] * s_tz + w[3] * s_pref + w[4] * s_cont).astype(np.float64)
        score = np.round(np.clip(score, 0.0, 1.0), 6)

        # hard rules (first matching rule in RULE_REASONS order wins)
        reason = np.full((c, m), -1, np.int16)

        def mark(code: str, mask: npt.NDArray[np.bool_], reason: npt.NDArray[np.int16] = reason) -> None:
            reason[(reason < 0) & mask] = reason_idx[code]

        if "self" in rules:
            mark("self", l_self[s:e, None] == l_self[None, n:])
        if "same_institution" in rules:
            mark("same_institution", l_inst[s:e, None] == l_inst[None, n:])
        if "same_country" in rules:
            mark("same_country", l_ctry[s:e, None] == l_ctry[None, n:])
        if "same_region" in rules:
            mark("same_region", l_region[s:e, None] == l_region[None, n:])
        for code, (pl, pr) in pair_rules.items():
            sel = (pl >= s) & (pl < e)
            mask = np.zeros((c, m), bool)
            mask[pl[sel] - s, pr[sel]] = True
            mark(code, mask)
        if "mentor_not_high_income" in rules:
            mark("mentor_not_high_income", np.broadcast_to(r_not_hic[None, :], (c, m)))
        if "no_shared_language" in rules:
            mark("no_shared_language", shared == 0)
        if "no_common_hours" in rules and no_hours is not None:
            mark("no_common_hours", no_hours)
        if cfg.min_score > 0:
            mark("below_min_score", score < cfg.min_score)
        for code, k in reason_idx.items():
            if code in rules or code == "below_min_score":
                rule_counts[s:e, k] = (reason == k).sum(axis=1)

        allowed = reason < 0
        masked = np.where(allowed, score, -1.0)
        top = np.argpartition(-masked, top_n - 1, axis=1)[:, :top_n] if top_n < m else np.broadcast_to(cols, (c, m))
        rows = np.repeat(np.arange(c), top.shape[1])
        tc = top.ravel()
        keep = masked[rows, tc] >= 0
        rows, tc = rows[keep], tc[keep]
        order = np.lexsort((tc, rows))
        rows, tc = rows[order], tc[order]
        out_l.append(rows + s)
        out_r.append(tc)
        out_s.append(score[rows, tc])
        out_c.append(
            np.stack(
                [interest[rows, tc], s_lang[rows, tc], s_tz[rows, tc], s_pref[rows, tc], s_cont[rows, tc]], axis=1
            ).astype(np.float32)
        )
        # the best pairs removed by a rule, when they would have made the cut
        if keep_x > 0 and not allowed.all():
            # the top_n-th best allowed score of each row: the smallest among the kept top_n
            nth = np.where(
                allowed.sum(axis=1) >= top_n,
                np.take_along_axis(masked, top, axis=1).min(axis=1) if top_n < m else masked.min(axis=1),
                0.0,
            )
            xmask = np.where(allowed, -1.0, score)
            xtop = (
                np.argpartition(-xmask, keep_x - 1, axis=1)[:, :keep_x] if keep_x < m else np.broadcast_to(cols, (c, m))
            )
            xrows = np.repeat(np.arange(c), xtop.shape[1])
            xc = xtop.ravel()
            ok = (xmask[xrows, xc] >= 0) & (xmask[xrows, xc] >= nth[xrows])
            xrows, xc = xrows[ok], xc[ok]
            x_l.append(xrows + s)
            x_r.append(xc)
            x_c.append(reason[xrows, xc].astype(np.int64))
            x_s.append(score[xrows, xc])

    def cat(parts: list[IntArray], dtype: type[np.generic]) -> npt.NDArray[np.generic]:
        return np.concatenate(parts).astype(dtype) if parts else np.zeros(0, dtype)

    comps = np.concatenate(out_c) if out_c else np.zeros((0, len(COMPONENTS)), np.float32)
    return CandidateSet(
        lefts=lefts,
        rights=rights,
        config=cfg,
        edge_left=cat(out_l, np.int32).astype(np.int32),
        edge_right=cat(out_r, np.int32).astype(np.int32),
        edge_score=np.concatenate(out_s) if out_s else np.zeros(0, np.float64),
        edge_components=comps,
        excluded_left=cat(x_l, np.int32).astype(np.int32),
        excluded_right=cat(x_r, np.int32).astype(np.int32),
        excluded_reason=cat(x_c, np.int16).astype(np.int16),
        excluded_score=np.concatenate(x_s) if x_s else np.zeros(0, np.float64),
        rule_counts=rule_counts,
        work_start_utc=starts,
    )
