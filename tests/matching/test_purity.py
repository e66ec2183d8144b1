"""The engine is pure: importing it never loads Django."""

from __future__ import annotations

import subprocess
import sys
from pathlib import Path

import pytest

SRC = Path(__file__).resolve().parents[2] / "src"


@pytest.mark.parametrize("module", ["matching", "matching.candidates", "matching.staffing", "matching.cli"])
def test_import_does_not_load_django(module: str) -> None:
    code = f"import sys; import {module}; assert 'django' not in sys.modules; assert 'oncoreach' not in sys.modules"
    subprocess.run([sys.executable, "-c", code], check=True, env={"PYTHONPATH": str(SRC)}, timeout=60)
