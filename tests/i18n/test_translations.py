"""Every UI string must have its Spanish, French and Portuguese translation, and every string a
reader meets on a public page or in an e-mail its Arabic one (ARCHITECTURE.md §6–7).

The test extracts the strings from the current code into a copy of the Spanish catalogue, the way
`makemessages` would, so a string added without a translation fails here, not in front of a reader.

There is one catalogue per language, `src/oncoreach/locale/<lang>/LC_MESSAGES/django.po`
(settings.LOCALE_PATHS). `makemessages` sends an app's strings to the app's own `locale/` folder when
one exists, so a stray per-app catalogue would hide untranslated strings from the project catalogue:
every `django.po` the extraction writes is checked, and per-app catalogues are refused outright.
"""

import fnmatch
import shutil
import subprocess
from pathlib import Path

import pytest

pytestmark = [pytest.mark.unit]

SRC = Path(__file__).resolve().parents[2] / "src" / "oncoreach"
PROJECT_LOCALE = SRC / "locale"


def _untranslated(language: str, tmp_path: Path, *, locations: bool = False) -> list[str]:
    """The msgids `makemessages` finds untranslated or fuzzy; with ``locations``, each followed by
    `` @ `` and the files it comes from (``people/forms.py calls/templates/calls/call_list.html``)."""
    copy = tmp_path / "oncoreach"
    shutil.copytree(SRC, copy, ignore=shutil.ignore_patterns("__pycache__", "static", "*.mo", "data"))
    where = ["--add-location=file"] if locations else ["--no-location"]
    subprocess.run(
        ["django-admin", "makemessages", "-l", language, "--no-obsolete", *where, "-i", "migrations/*"],
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
            missing += _msgids(entries, with_locations=locations)
    return missing


def _msgids(entries: str, *, with_locations: bool) -> list[str]:
    found, files = [], []
    for line in entries.splitlines():
        if line.startswith("#: "):
            files += line[3:].split()
        elif line.startswith('msgid "'):
            if line != 'msgid ""':
                found.append(f"{line[7:-1]} @ {' '.join(sorted(set(files)))}" if with_locations else line[7:-1])
            files = []
    return found


def _path() -> str:
    import os
    import sys

    return f"{Path(sys.executable).parent}:{os.environ.get('PATH', '')}"


@pytest.mark.parametrize(("language", "name"), [("es", "Spanish"), ("fr", "French"), ("pt", "Portuguese")])
def test_every_ui_string_has_its_translation(tmp_path, language, name):
    assert shutil.which("msgattrib"), "gettext is needed: `make test` installs it (Debian package gettext)"
    missing = _untranslated(language, tmp_path)
    assert missing == [], f"{len(missing)} strings lack a {name} translation, e.g. {missing[:10]}"


# Pages only program staff see: their strings may wait for an Arabic translation (the public pages
# and every e-mail may not). Paths are relative to src/oncoreach; fnmatch patterns.
STAFF_ONLY = (
    "*/admin.py",
    "*/views_staff.py",
    "*/templates/*/staff_*",
    "api/*",
    "core/views_outbox.py",
    "core/templates/core/outbox.html",
    "core/templates/core/run_detail.html",
    "core/templates/core/includes/outbox_alert.html",
    "geo/views.py",
    "geo/forms.py",
    "geo/worldbank.py",
    "geo/templates/*",
    "people/views_membership.py",
    "people/membership_csv.py",
    "people/templates/people/inquiry_list.html",
    "people/templates/people/membership_*.html",
    "people/templates/people/organization_list.html",
    "people/templates/people/person_*.html",
    "programs/templates/programs/form_*.html",
    "programs/templates/programs/question_*.html",
    "programs/templates/programs/version_detail.html",
)


def _is_staff_only(path: str) -> bool:
    return any(fnmatch.fnmatch(path, pattern) for pattern in STAFF_ONLY)


def test_public_pages_and_emails_have_their_arabic_translation(tmp_path):
    """Arabic readers meet no English on a public page or in an e-mail. A string used only on staff
    pages may wait; `make translations` counts every missing Arabic entry, and
    `manage.py translation_todo ar export todo.json` hands them to a translator."""
    assert shutil.which("msgattrib"), "gettext is needed: `make test` installs it (Debian package gettext)"
    missing = []
    for entry in _untranslated("ar", tmp_path, locations=True):
        msgid, _at, files = entry.rpartition(" @ ")
        if not files or not all(_is_staff_only(path) for path in files.split()):
            missing.append(f"  {msgid}   ({files})")
    assert missing == [], (
        f"{len(missing)} strings of public pages or e-mails lack an Arabic translation "
        "(translate them in src/oncoreach/locale/ar/LC_MESSAGES/django.po, or with "
        "`manage.py translation_todo ar export todo.json` and `... import`):\n" + "\n".join(missing)
    )


def test_translations_live_in_the_one_project_catalogue():
    strays = sorted(
        str(path.relative_to(SRC))
        for pattern in ("**/locale", "**/*.po")
        for path in SRC.glob(pattern)
        if not path.is_relative_to(PROJECT_LOCALE)
    )
    assert strays == [], f"merge these into src/oncoreach/locale/<lang>/LC_MESSAGES/django.po: {strays}"
