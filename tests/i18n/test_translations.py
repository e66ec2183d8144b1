"""Every UI string must have its Spanish translation (ARCHITECTURE.md §6–7).

The test extracts the strings from the current code into a copy of the Spanish catalogue, the way
`makemessages` would, so a string added without a translation fails here, not in front of a reader.

There is one catalogue per language, `src/oncoreach/locale/<lang>/LC_MESSAGES/django.po`
(settings.LOCALE_PATHS). `makemessages` sends an app's strings to the app's own `locale/` folder when
one exists, so a stray per-app catalogue would hide untranslated strings from the project catalogue:
every `django.po` the extraction writes is checked, and per-app catalogues are refused outright.
"""

import shutil
import subprocess
from pathlib import Path

import pytest

pytestmark = [pytest.mark.unit]

SRC = Path(__file__).resolve().parents[2] / "src" / "oncoreach"
PROJECT_LOCALE = SRC / "locale"


def _untranslated(language: str, tmp_path: Path) -> list[str]:
    copy = tmp_path / "oncoreach"
    shutil.copytree(SRC, copy, ignore=shutil.ignore_patterns("__pycache__", "static", "*.mo", "data"))
    subprocess.run(
        ["django-admin", "makemessages", "-l", language, "--no-obsolete", "--no-location", "-i", "migrations/*"],
        cwd=copy,
        check=True,
        capture_output=True,
        env={"PATH": _path(), "DJANGO_SETTINGS_MODULE": ""},
    )
    catalogues = sorted(copy.glob(f"**/locale/{language}/LC_MESSAGES/django.po"))
    assert copy / "locale" / language / "LC_MESSAGES" / "django.po" in catalogues
    missing = []
    for catalogue in catalogues:
        for option in ("--untranslated", "--only-fuzzy"):
            entries = subprocess.run(
                ["msgattrib", option, str(catalogue)], check=True, capture_output=True, text=True
            ).stdout
            missing += [
                line[7:-1] for line in entries.splitlines() if line.startswith('msgid "') and line != 'msgid ""'
            ]
    return missing


def _path() -> str:
    import os
    import sys

    return f"{Path(sys.executable).parent}:{os.environ.get('PATH', '')}"


def test_every_ui_string_has_a_spanish_translation(tmp_path):
    assert shutil.which("msgattrib"), "gettext is needed: `make test` installs it (Debian package gettext)"
    missing = _untranslated("es", tmp_path)
    assert missing == [], f"{len(missing)} strings lack a Spanish translation, e.g. {missing[:10]}"


def test_translations_live_in_the_one_project_catalogue():
    strays = sorted(
        str(path.relative_to(SRC))
        for pattern in ("**/locale", "**/*.po")
        for path in SRC.glob(pattern)
        if not path.is_relative_to(PROJECT_LOCALE)
    )
    assert strays == [], f"merge these into src/oncoreach/locale/<lang>/LC_MESSAGES/django.po: {strays}"
