"""A small reader and writer for the gettext catalogues `makemessages` writes (no locations, no
obsolete entries), for the `translation_todo` command. Comments and flags are kept as they are."""

from __future__ import annotations

import re
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

_PLACEHOLDER = re.compile(r"%\(\w+\)[sdif]|%[sdif]|\{\w*\}")
_ESCAPES = {"n": "\n", "t": "\t", '"': '"', "\\": "\\", "r": "\r"}


def placeholders(text: str) -> set[str]:
    """The Python format placeholders of a message (``%(name)s``, ``%s``, ``{name}``)."""
    return set(_PLACEHOLDER.findall(text.replace("%%", "")))


def _unquote(line: str) -> str:
    body = line[line.index('"') + 1 : line.rindex('"')]
    return re.sub(r"\\(.)", lambda match: _ESCAPES.get(match.group(1), match.group(0)), body)


def _quote(keyword: str, text: str) -> list[str]:
    escaped = text.replace("\\", "\\\\").replace('"', '\\"').replace("\t", "\\t").replace("\r", "\\r")
    parts = re.split(r"(?<=\n)", escaped.replace("\n", "\\n\n"))
    parts = [part.replace("\n", "") for part in parts if part]
    if len(parts) <= 1 and len(keyword) + len(escaped) < 76:
        return [f'{keyword} "{parts[0] if parts else ""}"']
    return [f'{keyword} ""', *(f'"{part}"' for part in parts)]


@dataclass
class Entry:
    comments: list[str] = field(default_factory=list)
    msgctxt: str | None = None
    msgid: str = ""
    msgid_plural: str | None = None
    msgstr: dict[int, str] = field(default_factory=dict)

    @property
    def fuzzy(self) -> bool:
        return any(line.startswith("#,") and "fuzzy" in line for line in self.comments)

    @property
    def flags(self) -> list[str]:
        return [flag.strip() for line in self.comments if line.startswith("#,") for flag in line[2:].split(",")]

    def as_json(self) -> dict[str, Any]:
        return {
            "msgctxt": self.msgctxt,
            "msgid": self.msgid,
            "msgid_plural": self.msgid_plural,
            "flags": [flag for flag in self.flags if flag != "fuzzy"],
            "msgstr": [self.msgstr[n] for n in sorted(self.msgstr)] if self.msgid_plural else self.msgstr.get(0, ""),
        }

    def lines(self) -> list[str]:
        out = list(self.comments)
        if self.msgctxt is not None:
            out += _quote("msgctxt", self.msgctxt)
        out += _quote("msgid", self.msgid)
        if self.msgid_plural is not None:
            out += _quote("msgid_plural", self.msgid_plural)
            for n in sorted(self.msgstr):
                out += _quote(f"msgstr[{n}]", self.msgstr[n])
        else:
            out += _quote("msgstr", self.msgstr.get(0, ""))
        return out


@dataclass
class Catalogue:
    entries: list[Entry]

    @classmethod
    def read(cls, path: Path) -> Catalogue:
        entries: list[Entry] = []
        for block in re.split(r"\n\s*\n", path.read_text(encoding="utf-8")):
            if not block.strip():
                continue
            entry, target = Entry(), None
            for line in block.splitlines():
                if line.startswith("#"):
                    entry.comments.append(line)
                    continue
                keyword = line.split(" ", 1)[0]
                if line.startswith('"'):
                    value = _unquote(line)
                elif keyword.startswith("msgstr["):
                    target = ("msgstr", int(keyword[7:-1]))
                    value = _unquote(line)
                    entry.msgstr[target[1]] = ""
                else:
                    target = (keyword, 0)
                    value = _unquote(line)
                    if keyword == "msgstr":
                        entry.msgstr[0] = ""
                    else:
                        setattr(entry, keyword, "")
                if target is None:
                    raise ValueError(f"{path}: cannot read {line!r}")
                if target[0] == "msgstr":
                    entry.msgstr[target[1]] += value
                else:
                    setattr(entry, target[0], (getattr(entry, target[0]) or "") + value)
            entries.append(entry)
        return cls(entries)

    @property
    def nplurals(self) -> int:
        header = self.entries[0].msgstr.get(0, "")
        match = re.search(r"nplurals=(\d+)", header)
        return int(match.group(1)) if match else 2

    def todo(self) -> list[Entry]:
        return [
            entry for entry in self.entries[1:] if entry.fuzzy or not all(entry.msgstr.values()) or not entry.msgstr
        ]

    def apply(self, done: list[dict[str, Any]]) -> int:
        index = {(entry.msgctxt, entry.msgid): entry for entry in self.entries[1:]}
        written = 0
        for item in done:
            entry = index.get((item.get("msgctxt"), item["msgid"]))
            if entry is None:
                continue
            forms = item["msgstr"] if isinstance(item["msgstr"], list) else [item["msgstr"]]
            entry.msgstr = dict(enumerate(forms))
            entry.comments = [line for line in entry.comments if not line.startswith("#|")]
            entry.comments = [_without_fuzzy(line) for line in entry.comments]
            entry.comments = [line for line in entry.comments if line != "#,"]
            written += 1
        return written

    def write(self, path: Path) -> None:
        path.write_text("\n\n".join("\n".join(entry.lines()) for entry in self.entries) + "\n", encoding="utf-8")


def _without_fuzzy(line: str) -> str:
    if not line.startswith("#,"):
        return line
    flags = [flag.strip() for flag in line[2:].split(",") if flag.strip() != "fuzzy"]
    return "#, " + ", ".join(flags) if flags else "#,"
