"""Hand a catalogue's untranslated and fuzzy entries to a translator as JSON, and write them back.

    manage.py translation_todo ar export todo.json   # what is missing, 200 entries or fewer per file
    manage.py translation_todo ar import done.json   # write the translations, drop the fuzzy flags

The JSON is a list of ``{"msgid", "msgid_plural", "msgctxt", "flags", "msgstr"}``; ``msgstr`` is a
string, or a list with one form per plural of the language (Arabic has six). Import checks that
every ``%(name)s``, ``%s`` and ``{name}`` placeholder of the English is kept, and refuses the whole
file otherwise; ``msgfmt --check`` (run by ``make messages``) checks the rest.
"""

from __future__ import annotations

import json
import re
from pathlib import Path
from typing import Any

from django.conf import settings
from django.core.management.base import BaseCommand, CommandError

from oncoreach.core.po import Catalogue, placeholders


class Command(BaseCommand):
    help = "Export a catalogue's untranslated and fuzzy entries to JSON, or import their translations."

    def add_arguments(self, parser: Any) -> None:
        parser.add_argument("language")
        parser.add_argument("action", choices=["export", "import"])
        parser.add_argument("path")
        parser.add_argument("--limit", type=int, default=0, help="export at most this many entries")

    def handle(self, *args: Any, language: str, action: str, path: str, limit: int, **options: Any) -> None:
        catalogue_path = Path(settings.LOCALE_PATHS[0]) / language / "LC_MESSAGES" / "django.po"
        if not catalogue_path.exists():
            raise CommandError(f"No catalogue at {catalogue_path}: run `make translations` first.")
        catalogue = Catalogue.read(catalogue_path)
        if action == "export":
            todo = [entry.as_json() for entry in catalogue.todo()]
            if limit:
                todo = todo[:limit]
            Path(path).write_text(json.dumps(todo, ensure_ascii=False, indent=1) + "\n", encoding="utf-8")
            self.stdout.write(f"{len(todo)} entries to translate written to {path}")
            return
        done = json.loads(Path(path).read_text(encoding="utf-8"))
        problems = [problem for item in done for problem in _problems(item, catalogue.nplurals)]
        if problems:
            raise CommandError("Nothing written:\n" + "\n".join(problems))
        written = catalogue.apply(done)
        catalogue.write(catalogue_path)
        self.stdout.write(f"{written} entries written to {catalogue_path}")


def _problems(item: dict[str, Any], nplurals: int) -> list[str]:
    msgid = item["msgid"]
    forms = item["msgstr"] if isinstance(item["msgstr"], list) else [item["msgstr"]]
    if item.get("msgid_plural") and len(forms) != nplurals:
        return [f"{msgid!r}: {len(forms)} plural forms, the language has {nplurals}"]
    problems = []
    expected = placeholders(msgid) | placeholders(item.get("msgid_plural") or "")
    for form in forms:
        if not form.strip():
            problems.append(f"{msgid!r}: empty translation")
        # A plural form may leave out the count (Arabic says "one" and "two" in words).
        missing = {name for name in expected - placeholders(form) if not re.fullmatch(r"%(\(\w+\))?[sd]", name)}
        extra = placeholders(form) - expected
        if (item.get("msgid_plural") is None and expected != placeholders(form)) or missing or extra:
            problems.append(f"{msgid!r}: placeholders {sorted(expected)} became {sorted(placeholders(form))}")
    return problems
