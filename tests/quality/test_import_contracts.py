"""The import-linter contracts check every module: a new app or module that is not named in the
in-app layers contract fails here (and in ``make imports``, where the contract is exhaustive)."""

from __future__ import annotations

import re
import tomllib
from pathlib import Path

import pytest

pytestmark = [pytest.mark.unit]

ROOT = Path(__file__).resolve().parents[2]
PACKAGE = ROOT / "src" / "oncoreach"
NOT_MODULES = {"migrations", "templates", "static", "locale", "__pycache__", "data", "fonts"}


def _contracts() -> list[dict]:
    config = tomllib.loads((ROOT / "pyproject.toml").read_text(encoding="utf-8"))
    return config["tool"]["importlinter"]["contracts"]


def _in_app_contract() -> dict:
    (contract,) = [c for c in _contracts() if c["type"] == "layers" and c.get("containers")]
    return contract


def _apps() -> set[str]:
    return {path.parent.name for path in PACKAGE.glob("*/apps.py")}


def _modules(app: str) -> set[str]:
    names = set()
    for path in (PACKAGE / app).iterdir():
        if path.name in NOT_MODULES or path.name.startswith((".", "__")):
            continue
        if path.suffix == ".py":
            names.add(path.stem)
        elif path.is_dir() and (path / "__init__.py").exists():
            names.add(path.name)
    return names


def _layer_names(contract: dict) -> set[str]:
    return {name for layer in contract["layers"] for name in re.findall(r"\(?([a-z_]+)\)?", layer)}


def test_every_app_is_a_container_of_the_in_app_layers_contract():
    contract = _in_app_contract()
    assert sorted(name.removeprefix("oncoreach.") for name in contract["containers"]) == sorted(_apps())
    assert (contract.get("exhaustive"), contract.get("exhaustive_ignores")) == (True, ["migrations"])


@pytest.mark.parametrize("app", sorted(_apps()))
def test_every_module_of_the_app_is_named_by_a_layer(app):
    assert sorted(_modules(app) - _layer_names(_in_app_contract())) == []


def test_every_app_is_kept_from_importing_the_engine():
    (contract,) = [c for c in _contracts() if c["type"] == "forbidden" and c["forbidden_modules"] == ["matching"]]
    assert sorted(name.removeprefix("oncoreach.") for name in contract["source_modules"]) == sorted(_apps())


def test_no_module_in_src_is_over_about_600_lines():
    too_long = {
        str(path.relative_to(ROOT)): length
        for path in (ROOT / "src").rglob("*.py")
        if "migrations" not in path.parts and (length := len(path.read_text(encoding="utf-8").splitlines())) > 650
    }
    assert too_long == {}
