"""Weekly availability windows and how many hours two people share each week across a term.

A window is ``(weekday, start, end)`` in the person's own local time: weekday 0 = Monday, start
and end in minutes after midnight (``0 <= start < end <= 1440``), multiples of
:data:`SLOT_MINUTES`. Each person's windows are laid on a week of UTC slots for every UTC offset
their zone uses during the term (real IANA zones through ``zoneinfo``, so daylight saving
counts; a bare UTC offset has one). Two people's overlap in a given week is the dot product of
their slot vectors under the offsets in force that week; over the term it takes one value per
*combination* of offsets that actually occurs on some day of the term (US Eastern and Lagos: two
values; US Eastern and Sydney: three). The pair's guaranteed weekly overlap is the smallest of
them, which is what scoring and the ``no_common_hours`` rule use; the largest is reported too.

Vectorised: the overlaps of a block of left items against every right item are a few products of
the left's sparse slot matrix with the right's dense one (one per offset combination in use), so
20,000 x 5,000 people take seconds.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from datetime import UTC, date, datetime, time, timedelta, timezone, tzinfo
from functools import lru_cache
from zoneinfo import ZoneInfo

import numpy as np
import numpy.typing as npt
from scipy import sparse

Window = tuple[int, int, int]
SLOT_MINUTES = 15
SLOTS_PER_DAY = 24 * 60 // SLOT_MINUTES
SLOTS_PER_WEEK = 7 * SLOTS_PER_DAY
MAX_TERM_DAYS = 400

_F32 = npt.NDArray[np.float32]
_I32 = npt.NDArray[np.int32]


def check_window(window: Window) -> None:
    """Raise ``ValueError`` unless the window is a weekday, a start before its end within the
    day, both on the 15-minute grid."""
    day, start, end = window
    if not 0 <= day <= 6:
        msg = f"weekday {day} is not 0 (Monday) to 6 (Sunday)"
        raise ValueError(msg)
    if not 0 <= start < end <= 24 * 60:
        msg = f"window {start}-{end} must start before it ends, within the day"
        raise ValueError(msg)
    if start % SLOT_MINUTES or end % SLOT_MINUTES:
        msg = f"window {start}-{end} must start and end on a multiple of {SLOT_MINUTES} minutes"
        raise ValueError(msg)


def default_windows(start_hour: float, end_hour: float) -> tuple[Window, ...]:
    """Monday to Friday, ``start_hour`` to ``end_hour`` (someone who gave no windows)."""
    start = round(start_hour * 60 / SLOT_MINUTES) * SLOT_MINUTES
    end = round(end_hour * 60 / SLOT_MINUTES) * SLOT_MINUTES
    return tuple((day, start, end) for day in range(5))


def term_days(term: tuple[date, date]) -> list[date]:
    start, end = term
    if end < start:
        msg = "the term ends before it starts"
        raise ValueError(msg)
    count = min((end - start).days + 1, MAX_TERM_DAYS)
    return [start + timedelta(days=k) for k in range(count)]


def zone_key(zone: str | None, utc_offset_hours: float | None) -> str:
    """What decides a person's offsets: the IANA zone, else the fixed offset (``"+05:45"``)."""
    if zone:
        return zone
    minutes = round((utc_offset_hours or 0.0) * 60)
    sign = "-" if minutes < 0 else "+"
    return f"{sign}{abs(minutes) // 60:02d}:{abs(minutes) % 60:02d}"


def _offset_minutes(key: str, day: date) -> int:
    if key[:1] in "+-" and ":" in key:
        sign = -1 if key[0] == "-" else 1
        hours, minutes = key[1:].split(":")
        return sign * (int(hours) * 60 + int(minutes))
    local = datetime.combine(day, time(12), tzinfo=ZoneInfo(key))
    offset = local.utcoffset()
    return int(offset / timedelta(minutes=1)) if offset is not None else 0


@dataclass(frozen=True, eq=False)
class OffsetSchedule:
    """Each zone's UTC offsets during the term: ``variants[z]`` lists the distinct offsets in
    minutes (first seen first) and ``day_variant[z, d]`` which one is in force on term day d."""

    keys: tuple[str, ...]
    days: tuple[date, ...]
    variants: tuple[tuple[int, ...], ...]
    day_variant: npt.NDArray[np.int8]

    @property
    def max_variants(self) -> int:
        return max((len(v) for v in self.variants), default=1)


def offset_schedule(keys: Sequence[str], term: tuple[date, date]) -> OffsetSchedule:
    """The zones' offsets day by day (cached: a round asks for the same zones again and again)."""
    return _offset_schedule(tuple(keys), (term[0], term[1]))


@lru_cache(maxsize=4096)
def _offset_schedule(keys: tuple[str, ...], term: tuple[date, date]) -> OffsetSchedule:
    days = term_days(term)
    variants: list[tuple[int, ...]] = []
    day_variant = np.zeros((len(keys), len(days)), np.int8)
    for z, key in enumerate(keys):
        seen: list[int] = []
        for d, day in enumerate(days):
            off = _offset_minutes(key, day)
            if off not in seen:
                seen.append(off)
            day_variant[z, d] = seen.index(off)
        variants.append(tuple(seen))
    day_variant.setflags(write=False)  # shared through the cache
    return OffsetSchedule(tuple(keys), tuple(days), tuple(variants), day_variant)


def slot_vector(windows: Sequence[Window], offset_minutes: int) -> npt.NDArray[np.float32]:
    """The windows as a week of 15-minute UTC slots (1 = available), the week wrapping around."""
    vec = np.zeros(SLOTS_PER_WEEK, np.float32)
    shift = -offset_minutes // SLOT_MINUTES if offset_minutes % SLOT_MINUTES == 0 else None
    if shift is None:
        msg = f"UTC offset {offset_minutes} min is not on the {SLOT_MINUTES}-minute grid"
        raise ValueError(msg)
    for day, start, end in windows:
        first = day * SLOTS_PER_DAY + start // SLOT_MINUTES + shift
        last = day * SLOTS_PER_DAY + end // SLOT_MINUTES + shift
        idx = np.arange(first, last) % SLOTS_PER_WEEK
        vec[idx] = 1.0
    return vec


@dataclass(frozen=True, eq=False)
class AvailabilitySide:
    """One side's people as slot matrices: ``vectors[k]`` (n x 672) under their zone's k-th offset
    (a zone with fewer offsets repeats its first), ``zone[i]`` an index into the schedule."""

    vectors: tuple[_F32, ...]
    zone: _I32
    n_variants: npt.NDArray[np.int8]


def side_vectors(
    windows: Sequence[Sequence[Window]], zones: Sequence[str], schedule: OffsetSchedule
) -> AvailabilitySide:
    zpos = {key: z for z, key in enumerate(schedule.keys)}
    zone = np.asarray([zpos[key] for key in zones], np.int32)
    n_var = np.asarray([len(schedule.variants[z]) for z in zone.tolist()], np.int8)
    k_max = schedule.max_variants
    mats = [np.zeros((len(windows), SLOTS_PER_WEEK), np.float32) for _ in range(k_max)]
    cache: dict[tuple[tuple[Window, ...], int], _F32] = {}
    for i, (wins, z) in enumerate(zip(windows, zone.tolist(), strict=True)):
        offsets = schedule.variants[z]
        key_w = tuple(wins)
        for k in range(k_max):
            off = offsets[k] if k < len(offsets) else offsets[0]
            if (key_w, off) not in cache:
                cache[(key_w, off)] = slot_vector(key_w, off)
            mats[k][i] = cache[(key_w, off)]
    return AvailabilitySide(tuple(mats), zone, n_var)


def combinations_in_use(
    schedule: OffsetSchedule, left_zones: Sequence[int], right_zones: Sequence[int]
) -> npt.NDArray[np.bool_]:
    """``occurs[a, b, ka, kb]``: on some day of the term, zone ``a`` uses its offset ``ka`` while
    zone ``b`` uses ``kb`` (a, b index the given zone lists)."""
    k = schedule.max_variants
    dv = schedule.day_variant.astype(np.int64)
    la = dv[np.asarray(left_zones, np.int64)]  # (A, days)
    rb = dv[np.asarray(right_zones, np.int64)]  # (B, days)
    occurs = np.zeros((len(left_zones), len(right_zones), k, k), bool)
    for ka in range(k):
        for kb in range(k):
            occurs[:, :, ka, kb] = ((la == ka).astype(np.float32) @ (rb == kb).T.astype(np.float32)) > 0
    return occurs


@dataclass(frozen=True, eq=False)
class OverlapBlock:
    """Weekly overlap in hours of a block of left items (rows) with every right item."""

    min_hours: _F32
    max_hours: _F32


class WeeklyOverlap:
    """Overlap of every left with every right item across a term, computed block by block."""

    def __init__(
        self,
        left_windows: Sequence[Sequence[Window]],
        left_zones: Sequence[str],
        right_windows: Sequence[Sequence[Window]],
        right_zones: Sequence[str],
        term: tuple[date, date],
    ) -> None:
        keys = sorted(set(left_zones) | set(right_zones))
        self.schedule = offset_schedule(keys, term)
        self.left = side_vectors(left_windows, left_zones, self.schedule)
        self.right = side_vectors(right_windows, right_zones, self.schedule)
        lz = sorted(set(self.left.zone.tolist()))
        rz = sorted(set(self.right.zone.tolist()))
        lz_pos = np.full(len(keys), -1, np.int64)
        lz_pos[lz] = np.arange(len(lz))
        rz_pos = np.full(len(keys), -1, np.int64)
        rz_pos[rz] = np.arange(len(rz))
        self._left_zone = lz_pos[self.left.zone]
        occurs = combinations_in_use(self.schedule, lz, rz)
        right_zone = rz_pos[self.right.zone]
        k = self.schedule.max_variants
        # per offset combination: which (left zone, right item) pairs see it on some day of the term
        self._used = {(ka, kb): occurs[:, right_zone, ka, kb] for ka in range(k) for kb in range(k)}
        self._right_t = tuple(np.ascontiguousarray(v.T) for v in self.right.vectors)
        # a person's week is a few windows: about 4% of its slots, so the left side is sparse and
        # a block's overlaps are nnz x m multiply-adds instead of rows x 672 x m
        self._left_sparse = tuple(sparse.csr_matrix(v) for v in self.left.vectors)

    def block(self, start: int, end: int) -> OverlapBlock:
        """Rows ``start:end`` of the left side against all right items."""
        k_max = self.schedule.max_variants
        n_rows, m = end - start, len(self.right.zone)
        zl = self._left_zone[start:end]
        lo = np.full((n_rows, m), np.inf, np.float32)
        hi = np.zeros((n_rows, m), np.float32)
        multi = np.flatnonzero(self.left.n_variants[start:end] > 1)
        for ka in range(k_max):
            rows = None if ka == 0 else multi
            if rows is not None and not len(rows):
                continue
            left_k = self._left_sparse[ka][start:end] if rows is None else self._left_sparse[ka][start:end][rows]
            zone_rows = zl if rows is None else zl[rows]
            for kb in range(k_max):
                used = self._used[(ka, kb)][zone_rows]
                if not used.any():
                    continue
                slots = np.asarray(left_k @ self._right_t[kb])
                if rows is None:
                    np.minimum(lo, np.where(used, slots, np.inf), out=lo)
                    np.maximum(hi, np.where(used, slots, 0.0), out=hi)
                else:
                    lo[rows] = np.minimum(lo[rows], np.where(used, slots, np.inf))
                    hi[rows] = np.maximum(hi[rows], np.where(used, slots, 0.0))
        lo[np.isinf(lo)] = 0.0
        scale = np.float32(SLOT_MINUTES / 60)
        return OverlapBlock(min_hours=lo * scale, max_hours=hi * scale)


@dataclass(frozen=True, slots=True)
class OverlapPeriod:
    """A stretch of the term with the same clocks on both sides, and the hours shared each week."""

    start: date
    end: date
    hours: float


@dataclass(frozen=True, slots=True)
class OverlapSummary:
    min_hours: float
    max_hours: float
    periods: tuple[OverlapPeriod, ...]


def pair_overlap(
    left_windows: Sequence[Window],
    left_zone: str,
    right_windows: Sequence[Window],
    right_zone: str,
    term: tuple[date, date],
) -> OverlapSummary:
    """One pair's weekly overlap through the term, period by period (for explanations and pages).
    Cached by pattern: many pairs share both zones and windows."""
    return _pair_overlap(tuple(left_windows), left_zone, tuple(right_windows), right_zone, (term[0], term[1]))


@lru_cache(maxsize=65536)
def _pair_overlap(
    left_windows: tuple[Window, ...],
    left_zone: str,
    right_windows: tuple[Window, ...],
    right_zone: str,
    term: tuple[date, date],
) -> OverlapSummary:
    schedule = offset_schedule(sorted({left_zone, right_zone}), term)
    zl, zr = schedule.keys.index(left_zone), schedule.keys.index(right_zone)
    if not schedule.days:
        return OverlapSummary(0.0, 0.0, ())
    k = schedule.max_variants
    combo = schedule.day_variant[zl].astype(np.int64) * k + schedule.day_variant[zr]  # per term day
    table = np.zeros(k * k, np.float64)
    for c in np.unique(combo).tolist():
        a = slot_vector(left_windows, schedule.variants[zl][c // k])
        b = slot_vector(right_windows, schedule.variants[zr][c % k])
        table[c] = float(a @ b) * SLOT_MINUTES / 60
    hours = table[combo]
    # the term's days are consecutive: a period ends where the weekly hours change
    starts = np.concatenate(([0], np.flatnonzero(hours[1:] != hours[:-1]) + 1)).tolist()
    ends = [*(x - 1 for x in starts[1:]), len(hours) - 1]
    periods = tuple(
        OverlapPeriod(schedule.days[a], schedule.days[b], float(hours[a])) for a, b in zip(starts, ends, strict=True)
    )
    return OverlapSummary(float(hours.min()), float(hours.max()), periods)


def _tzinfo(key: str) -> tzinfo:
    if key[:1] in "+-" and ":" in key:
        return timezone(timedelta(minutes=_offset_minutes(key, date(2000, 1, 1))))
    return ZoneInfo(key)


def _wall_slots_utc(windows: Sequence[Window], key: str, days: Sequence[date], origin: datetime) -> set[int]:
    """Minutes after ``origin`` (aware UTC) at which a 15-minute slot starts while the person's
    wall clock shows a time inside one of their windows, for the windows of the given local days.

    Each day is converted with that day's own offsets (``zoneinfo``): on a day the clocks change,
    a window's slots before the change use the old offset and those after it the new one. A slot
    the clock skips (spring forward) does not exist, so a window loses it; a slot the clock shows
    twice (fall back) is available both times. Days without a change take a shortcut."""
    zone = _tzinfo(key)
    step = timedelta(minutes=SLOT_MINUTES)
    out: set[int] = set()
    for day in days:
        midnight = datetime.combine(day, time(0))
        mine = [(s, e) for d, s, e in windows if d == day.weekday()]
        if not mine:
            continue
        before = midnight.replace(tzinfo=zone).utcoffset()
        after = (midnight + timedelta(days=1)).replace(tzinfo=zone).utcoffset()
        for start, end in mine:
            for minute in range(start, end, SLOT_MINUTES):
                wall = midnight + timedelta(minutes=minute)
                if before is not None and before == after:  # no change that day
                    moments = {wall - before}
                else:
                    moments = set()
                    for fold in (0, 1):
                        moment = wall.replace(tzinfo=zone, fold=fold).astimezone(UTC)
                        if moment.astimezone(zone).replace(tzinfo=None) == wall:  # the clock shows it
                            moments.add(moment.replace(tzinfo=None))
                for moment in moments:
                    out.add((moment.replace(tzinfo=UTC) - origin) // step * SLOT_MINUTES)
    return out


def shared_slots_utc(
    left_windows: Sequence[Window], left_zone: str, right_windows: Sequence[Window], right_zone: str, on: date
) -> tuple[tuple[datetime, datetime], ...]:
    """The shared stretches of the UTC week that contains ``on`` (Monday 00:00 to Monday 00:00
    UTC), as aware UTC datetimes: what a meeting planner shows in both zones.

    Exact on the calendar: each window is placed on its actual local day with that day's UTC
    offset (see :func:`_wall_slots_utc` for the skipped and the repeated hour), so in a week
    the clocks change, on whatever weekday, the stretches after the change move and those before
    it do not. A stretch running past the week's end is cut there (the next week shows the
    rest). The term-wide weekly figures (:func:`pair_overlap`) are the steady weeks' rates; a
    steady week's stretches here add up to its period's hours."""
    monday = on - timedelta(days=on.weekday())
    origin = datetime.combine(monday, time(0), tzinfo=UTC)
    # every real zone is within a day of UTC, so the local days from Sunday to next Monday cover the week
    days = [monday + timedelta(days=k) for k in range(-1, 8)]
    week = 7 * 24 * 60
    both = sorted(
        m
        for m in _wall_slots_utc(left_windows, left_zone, days, origin)
        & _wall_slots_utc(right_windows, right_zone, days, origin)
        if 0 <= m < week
    )
    out: list[tuple[datetime, datetime]] = []
    for minute in both:
        start = origin + timedelta(minutes=minute)
        if out and out[-1][1] == start:
            out[-1] = (out[-1][0], start + timedelta(minutes=SLOT_MINUTES))
        else:
            out.append((start, start + timedelta(minutes=SLOT_MINUTES)))
    return tuple(out)
