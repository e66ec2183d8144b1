"""Read and write the neutral ``matchbench/1`` benchmark format (CLI layer only; uses pandas)."""

from __future__ import annotations

import json
from pathlib import Path
from typing import TYPE_CHECKING, Any

import numpy as np
import pandas as pd

from matching.model import COMPONENTS, RULE_REASONS, ArrayProblem, Coverage, IntArray

if TYPE_CHECKING:
    from matching.candidates import Person

_COMPONENT_COLUMNS = {f"s_{c}": c for c in COMPONENTS}


def _codes(values: pd.Series[Any], index: pd.Index[Any]) -> IntArray:
    """Map string ids to positions fast: categorical codes, then one lookup per distinct id."""
    cat = pd.Categorical(values)
    lookup = index.get_indexer(cat.categories)
    codes = np.asarray(cat.codes, np.int64)
    out = np.where(codes >= 0, lookup[np.maximum(codes, 0)], -1)
    return out.astype(np.int64)


def read_instance(
    path: Path,
    *,
    with_components: bool = False,
    withdrawn_right: frozenset[str] = frozenset(),
) -> tuple[ArrayProblem, dict[str, Any]]:
    """Load an instance folder; ``conflicts.csv`` becomes excluded pairs (authoritative)."""
    meta: dict[str, Any] = json.loads((path / "instance.json").read_text(encoding="utf-8"))
    lmeta, rmeta = meta["left"], meta["right"]
    lt = pd.read_csv(path / lmeta["file"], dtype={lmeta["id"]: str}, keep_default_na=False)
    rt = pd.read_csv(path / rmeta["file"], dtype={rmeta["id"]: str}, keep_default_na=False)
    left_ids = lt[lmeta["id"]].astype(str).tolist()
    right_ids = rt[rmeta["id"]].astype(str).tolist()
    lidx, ridx = pd.Index(left_ids), pd.Index(right_ids)
    demand = lt[lmeta.get("demand", "demand")].to_numpy(np.int64)
    capacity = rt[rmeta.get("capacity", "capacity")].to_numpy(np.int64).copy()
    mlc = rmeta.get("min_load", "min_load")
    min_load = rt[mlc].to_numpy(np.int64) if mlc in rt.columns else np.zeros(len(rt), np.int64)

    header = pd.read_csv(path / meta["edges"], nrows=0).columns.tolist()
    comp_cols = [c for c in header if c in _COMPONENT_COLUMNS] if with_components else []
    dtypes: dict[str, Any] = {"left_id": "category", "right_id": "category", "score": np.float64}
    dtypes.update(dict.fromkeys(comp_cols, np.float32))
    ed = pd.read_csv(path / meta["edges"], usecols=["left_id", "right_id", "score", *comp_cols], dtype=dtypes)
    el = _codes(ed["left_id"], lidx)
    er = _codes(ed["right_id"], ridx)
    if (el < 0).any() or (er < 0).any():
        msg = "edges.csv references unknown ids"
        raise ValueError(msg)
    score = np.round(ed["score"].to_numpy(np.float64), 6)
    comps = ed[comp_cols].to_numpy(np.float32) if comp_cols else None
    del ed

    reasons = list(RULE_REASONS)
    xl = np.zeros(0, np.int64)
    xr = np.zeros(0, np.int64)
    xc = np.zeros(0, np.int16)
    cpath = path / meta.get("conflicts", "conflicts.csv")
    if cpath.exists():
        cf = pd.read_csv(cpath, dtype=str, keep_default_na=False)
        xl = _codes(cf["left_id"], lidx)
        xr = _codes(cf["right_id"], ridx)
        reason_col = cf["reason"] if "reason" in cf.columns else pd.Series(["conflict"] * len(cf))
        cat = pd.Categorical(reason_col)
        for r in cat.categories:
            if r not in reasons:
                reasons.append(str(r))
        remap = np.array([reasons.index(str(r)) for r in cat.categories], np.int16)
        xc = remap[np.asarray(cat.codes)] if len(cat.categories) else np.zeros(len(cf), np.int16)
        ok = (xl >= 0) & (xr >= 0)
        xl, xr, xc = xl[ok], xr[ok], xc[ok]
    right_block = np.full(len(right_ids), -1, np.int16)
    if withdrawn_right:
        wd = ridx.get_indexer(sorted(withdrawn_right))
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
    df = pd.read_csv(path, dtype=str, keep_default_na=False)
    al = pd.Index(problem.left_ids).get_indexer(df["left_id"])
    ar = pd.Index(problem.right_ids).get_indexer(df["right_id"])
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
        df = pd.read_csv(path / spec["file"], dtype=str, keep_default_na=False)
        cols = set(df.columns)

        def col(name: str, frame: pd.DataFrame = df, present: set[str] = cols) -> list[str]:
            return frame[name].tolist() if name in present else [""] * len(frame)

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
                df[spec["id"]].tolist(),
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
