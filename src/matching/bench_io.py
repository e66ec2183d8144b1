"""Read and write the neutral ``matchbench/1`` benchmark format (CLI layer only).

Needs numpy only, so ``python -m matching solve`` runs on a production install. The edges file
(millions of rows) is read with numpy's C parser; when pandas is installed (the dev tools), its
CSV reader is used instead, about three times faster on the largest instances. Both give the same
arrays (tests/matching/test_cli.py checks it).
"""

from __future__ import annotations

import csv
import json
from collections.abc import Sequence
from pathlib import Path
from typing import TYPE_CHECKING, Any

import numpy as np
import numpy.typing as npt

from matching.model import COMPONENTS, RULE_REASONS, ArrayProblem, Coverage, IntArray

if TYPE_CHECKING:
    from matching.candidates import Person

_COMPONENT_COLUMNS = {f"s_{c}": c for c in COMPONENTS}

#: Set to False to read with numpy even when pandas is installed (tests compare both readers).
USE_PANDAS = True


def _pandas() -> Any:
    if not USE_PANDAS:
        return None
    try:
        import pandas as pd  # an optional accelerator, never required
    except ImportError:
        return None
    return pd


def _read_rows(path: Path) -> tuple[list[str], list[list[str]]]:
    """A small CSV file as its header and rows of strings (empty cells stay empty strings)."""
    with path.open(newline="", encoding="utf-8") as fh:
        reader = csv.reader(fh)
        header = next(reader, [])
        return header, [row for row in reader if row]


def _column(header: list[str], rows: list[list[str]], name: str) -> list[str]:
    at = header.index(name)
    return [row[at] for row in rows]


def _positions(values: npt.NDArray[Any] | Sequence[str], ids: Sequence[str]) -> IntArray:
    """Each value's position in ``ids`` (-1 when unknown), vectorised: sort the known ids once,
    then one binary search per value."""
    known = np.asarray(ids, dtype=str)
    wanted = values if isinstance(values, np.ndarray) and values.dtype.kind == "U" else np.asarray(values, dtype=str)
    if not len(known):
        return np.full(len(wanted), -1, np.int64)
    order = np.argsort(known, kind="stable")
    where = np.searchsorted(known, wanted, sorter=order)
    where = np.minimum(where, len(known) - 1)
    found = order[where]
    return np.where(known[found] == wanted, found, -1).astype(np.int64)


def _read_edges(
    path: Path, comp_cols: list[str], left_ids: Sequence[str], right_ids: Sequence[str]
) -> tuple[IntArray, IntArray, npt.NDArray[np.float64], npt.NDArray[np.float32] | None]:
    pd = _pandas()
    if pd is not None:
        dtypes: dict[str, Any] = {"left_id": "category", "right_id": "category", "score": np.float64}
        dtypes.update(dict.fromkeys(comp_cols, np.float32))
        ed = pd.read_csv(path, usecols=["left_id", "right_id", "score", *comp_cols], dtype=dtypes)
        el = _category_positions(pd, ed["left_id"], left_ids)
        er = _category_positions(pd, ed["right_id"], right_ids)
        comps = ed[comp_cols].to_numpy(np.float32) if comp_cols else None
        return el, er, ed["score"].to_numpy(np.float64), comps
    with path.open(encoding="utf-8") as fh:
        header = fh.readline().strip().split(",")
        empty = not fh.readline().strip()
    if empty:
        nothing = np.zeros(0, np.int64)
        return nothing, nothing, np.zeros(0), np.zeros((0, len(comp_cols)), np.float32) if comp_cols else None
    wanted = [header.index(name) for name in ("left_id", "right_id")]
    ids = np.loadtxt(path, delimiter=",", skiprows=1, usecols=wanted, dtype=str, ndmin=2, encoding="utf-8")
    numbers = np.loadtxt(
        path,
        delimiter=",",
        skiprows=1,
        usecols=[header.index(name) for name in ("score", *comp_cols)],
        dtype=np.float64,
        ndmin=2,
        encoding="utf-8",
    )
    comps = numbers[:, 1:].astype(np.float32) if comp_cols else None
    return _positions(ids[:, 0], left_ids), _positions(ids[:, 1], right_ids), numbers[:, 0], comps


def _category_positions(pd: Any, values: Any, ids: Sequence[str]) -> IntArray:
    """pandas path: categorical codes, then one lookup per distinct id."""
    cat = pd.Categorical(values)
    lookup = _positions(np.asarray(cat.categories, dtype=object), ids)
    codes = np.asarray(cat.codes, np.int64)
    return np.where(codes >= 0, lookup[np.maximum(codes, 0)], -1).astype(np.int64)


def read_instance(
    path: Path,
    *,
    with_components: bool = False,
    withdrawn_right: frozenset[str] = frozenset(),
) -> tuple[ArrayProblem, dict[str, Any]]:
    """Load an instance folder; ``conflicts.csv`` becomes excluded pairs (authoritative)."""
    meta: dict[str, Any] = json.loads((path / "instance.json").read_text(encoding="utf-8"))
    lmeta, rmeta = meta["left"], meta["right"]
    lheader, lrows = _read_rows(path / lmeta["file"])
    rheader, rrows = _read_rows(path / rmeta["file"])
    left_ids = _column(lheader, lrows, lmeta["id"])
    right_ids = _column(rheader, rrows, rmeta["id"])
    demand = np.asarray(_column(lheader, lrows, lmeta.get("demand", "demand")), np.int64)
    capacity = np.asarray(_column(rheader, rrows, rmeta.get("capacity", "capacity")), np.int64)
    mlc = rmeta.get("min_load", "min_load")
    min_load = np.asarray(_column(rheader, rrows, mlc), np.int64) if mlc in rheader else np.zeros(len(rrows), np.int64)

    with (path / meta["edges"]).open(encoding="utf-8") as fh:
        header = fh.readline().strip().split(",")
    comp_cols = [c for c in header if c in _COMPONENT_COLUMNS] if with_components else []
    el, er, raw_score, comps = _read_edges(path / meta["edges"], comp_cols, left_ids, right_ids)
    if (el < 0).any() or (er < 0).any():
        msg = "edges.csv references unknown ids"
        raise ValueError(msg)
    score = np.round(raw_score, 6)

    reasons = list(RULE_REASONS)
    xl = np.zeros(0, np.int64)
    xr = np.zeros(0, np.int64)
    xc = np.zeros(0, np.int16)
    cpath = path / meta.get("conflicts", "conflicts.csv")
    if cpath.exists():
        cheader, crows = _read_rows(cpath)
        xl = _positions(_column(cheader, crows, "left_id"), left_ids)
        xr = _positions(_column(cheader, crows, "right_id"), right_ids)
        reason_col = _column(cheader, crows, "reason") if "reason" in cheader else ["conflict"] * len(crows)
        for r in sorted(set(reason_col)):
            if r not in reasons:
                reasons.append(r)
        xc = np.asarray([reasons.index(r) for r in reason_col], np.int16)
        ok = (xl >= 0) & (xr >= 0)
        xl, xr, xc = xl[ok], xr[ok], xc[ok]
    right_block = np.full(len(right_ids), -1, np.int16)
    if withdrawn_right:
        wd = _positions(sorted(withdrawn_right), right_ids)
        right_block[wd[wd >= 0]] = reasons.index("withdrawn")
        capacity[wd[wd >= 0]] = 0
    # deterministic canonical order by (left, right)
    order = np.argsort(el * max(len(right_ids), 1) + er, kind="stable")  # one int64 key: ~4x faster than lexsort
    coverage: Coverage = "required" if meta.get("coverage") == "required" else "optional"
    problem = ArrayProblem(
        left_ids=tuple(left_ids),
        right_ids=tuple(right_ids),
        demand=demand,
        capacity=capacity,
        min_load=min_load,
        edge_left=el[order].astype(np.int32),
        edge_right=er[order].astype(np.int32),
        edge_score=score[order],
        component_names=tuple(_COMPONENT_COLUMNS[c] for c in comp_cols),
        edge_components=comps[order] if comps is not None else None,
        excluded_left=xl.astype(np.int32),
        excluded_right=xr.astype(np.int32),
        excluded_reason=xc.astype(np.int16),
        excluded_score=np.full(len(xl), np.nan),
        right_block=right_block if withdrawn_right else None,
        reasons=tuple(reasons),
        coverage=coverage,
    )
    return problem, meta


def read_pairs(path: Path, problem: ArrayProblem) -> tuple[IntArray, IntArray]:
    """Read a ``left_id,right_id`` CSV into index arrays (unknown ids are an error)."""
    header, rows = _read_rows(path)
    al = _positions(_column(header, rows, "left_id"), problem.left_ids)
    ar = _positions(_column(header, rows, "right_id"), problem.right_ids)
    if (al < 0).any() or (ar < 0).any():
        msg = f"{path} references unknown ids"
        raise ValueError(msg)
    return al.astype(np.int64), ar.astype(np.int64)


def assignments_csv(problem: ArrayProblem, left: IntArray, right: IntArray) -> bytes:
    """``left_id,right_id`` rows sorted by (left, right) index: byte-identical for the same input."""
    lids = np.asarray(problem.left_ids, dtype=object)[left]
    rids = np.asarray(problem.right_ids, dtype=object)[right]
    body = "\n".join(f"{a},{b}" for a, b in zip(lids.tolist(), rids.tolist(), strict=True))
    return ("left_id,right_id\n" + body + ("\n" if body else "")).encode("utf-8")


def _split(value: str) -> tuple[str, ...]:
    return tuple(x for x in value.split(";") if x) if value else ()


def read_people(path: Path) -> tuple[list[Person], list[Person], dict[str, Any]]:
    """People files of an instance as :class:`~matching.candidates.Person` (raw attributes)."""
    from matching.candidates import Person

    meta: dict[str, Any] = json.loads((path / "instance.json").read_text(encoding="utf-8"))
    sides: list[list[Person]] = []
    for side in ("left", "right"):
        spec = meta[side]
        header, rows = _read_rows(path / spec["file"])

        def col(name: str, header: list[str] = header, rows: list[list[str]] = rows) -> list[str]:
            return _column(header, rows, name) if name in header else [""] * len(rows)

        people = [
            Person(
                id=pid,
                institution=inst or None,
                country=country or None,
                income_group=income or None,
                languages=_split(langs),
                utc_offset_hours=float(off) if off else None,
                tags=frozenset(_split(tags)),
                preferred=_split(pref),
            )
            for pid, inst, country, income, langs, off, tags, pref in zip(
                _column(header, rows, spec["id"]),
                col("institution_id"),
                col("country"),
                col("income_group"),
                col("languages"),
                col("utc_offset"),
                col("tags"),
                col("preferred_mentors"),
                strict=True,
            )
        ]
        sides.append(people)
    return sides[0], sides[1], meta
