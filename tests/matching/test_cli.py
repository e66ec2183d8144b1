"""The CLI on a tiny matchbench/1 instance: validity, determinism, run record."""

from __future__ import annotations

import json
import subprocess
import sys
from pathlib import Path

import pytest

SRC = Path(__file__).resolve().parents[2] / "src"


@pytest.fixture
def instance(tmp_path: Path) -> Path:
    d = tmp_path / "inst"
    d.mkdir()
    (d / "instance.json").write_text(
        json.dumps(
            {
                "format": "matchbench/1",
                "kind": "mentoring",
                "left": {"file": "mentees.csv", "id": "mentee_id", "demand": "demand"},
                "right": {"file": "mentors.csv", "id": "mentor_id", "capacity": "capacity", "min_load": "min_load"},
                "edges": "edges.csv",
                "conflicts": "conflicts.csv",
                "coverage": "optional",
            }
        )
    )
    (d / "mentees.csv").write_text("mentee_id,demand\nA,1\nB,1\nC,1\nD,1\n")
    (d / "mentors.csv").write_text("mentor_id,capacity,min_load\nX,1,0\nY,2,0\n")
    (d / "edges.csv").write_text(
        "left_id,right_id,score,s_interest\nA,X,0.9,0.9\nA,Y,0.8,0.8\nB,X,0.85,0.85\nC,Y,0.7,0.7\nD,X,0.1,0.1\n"
    )
    (d / "conflicts.csv").write_text("left_id,right_id,reason\nA,X,same_institution\n")
    return d


def _run(*args: str) -> None:
    subprocess.run(
        [sys.executable, "-m", "matching", *args],
        check=True,
        env={"PYTHONPATH": str(SRC)},
        capture_output=True,
        timeout=60,
    )


def test_cli_solves_deterministically_and_records_the_run(instance: Path, tmp_path: Path) -> None:
    _run("solve", str(instance), str(tmp_path / "o1"), "--explain", "2")
    _run("solve", str(instance), str(tmp_path / "o2"))
    first = (tmp_path / "o1" / "assignments.csv").read_bytes()
    assert first == (tmp_path / "o2" / "assignments.csv").read_bytes()
    assert first == b"left_id,right_id\nA,Y\nB,X\nC,Y\n"
    result = json.loads((tmp_path / "o1" / "result.json").read_text())
    assert [(u["left_id"], u["reason"]) for u in result["unmatched"]] == [("D", "all_candidates_at_capacity")]
    assert result["explanations"][0]["alternatives"][0]["status"] == "conflict"
    run = json.loads((tmp_path / "o1" / "run.json").read_text())
    assert run["input_hash"].startswith("sha256:")
    assert run["output_hash"] == json.loads((tmp_path / "o2" / "run.json").read_text())["output_hash"]


def test_cli_resolve_after_withdrawal(instance: Path, tmp_path: Path) -> None:
    _run("solve", str(instance), str(tmp_path / "o1"))
    (tmp_path / "gone.txt").write_text("X\n")
    _run(
        "solve",
        str(instance),
        str(tmp_path / "o2"),
        "--previous",
        str(tmp_path / "o1" / "assignments.csv"),
        "--withdrawn-right",
        str(tmp_path / "gone.txt"),
    )
    result = json.loads((tmp_path / "o2" / "result.json").read_text())
    assert result["changes"]["removed"] == [["B", "X"]]
    assert (tmp_path / "o2" / "assignments.csv").read_text() == "left_id,right_id\nA,Y\nC,Y\n"


def test_cli_needs_no_pandas(instance: Path, tmp_path: Path) -> None:
    """A production install has no pandas (a dev tool): the CLI reads the instance with numpy."""
    code = (
        "import sys; sys.modules['pandas'] = None\n"
        "from matching.cli import main\n"
        f"raise SystemExit(main(['solve', {str(instance)!r}, {str(tmp_path / 'o')!r}]))"
    )
    subprocess.run(
        [sys.executable, "-c", code], check=True, env={"PYTHONPATH": str(SRC)}, capture_output=True, timeout=60
    )
    assert (tmp_path / "o" / "assignments.csv").read_bytes() == b"left_id,right_id\nA,Y\nB,X\nC,Y\n"


def test_numpy_and_pandas_readers_give_the_same_problem(instance: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    import numpy as np

    from matching import bench_io

    with_pandas, _meta = bench_io.read_instance(instance, with_components=True)
    monkeypatch.setattr(bench_io, "USE_PANDAS", False)
    with_numpy, _meta = bench_io.read_instance(instance, with_components=True)
    for name in ("demand", "capacity", "min_load", "edge_left", "edge_right", "edge_score", "edge_components"):
        assert np.array_equal(getattr(with_pandas, name), getattr(with_numpy, name)), name
    for name in ("excluded_left", "excluded_right", "excluded_reason"):
        assert np.array_equal(getattr(with_pandas, name), getattr(with_numpy, name)), name
    assert (with_numpy.left_ids, with_numpy.reasons) == (with_pandas.left_ids, with_pandas.reasons)
