"""Guest authors write a story body as plain text; editors see Wagtail rich text.

The plain form takes paragraphs separated by blank lines, bare web addresses (turned into links)
and a few simple inline tags (``<a href>``, ``<b>``, ``<i>``…). ``text_to_html`` turns that into
the HTML of a RichText paragraph block, always through ``core.sanitize`` so scripts, styles and
event handlers never reach the page. ``html_to_text`` goes back the other way, so a revision form
shows the author what they wrote.
"""

from __future__ import annotations

import html
import re
from html.parser import HTMLParser

from oncoreach.core.sanitize import sanitize_html

BLOCK_TAGS = ("p", "ul", "ol", "blockquote", "h2", "h3")
# A web address not already inside a tag's attribute or a link's text.
_BARE_URL = re.compile(r"(?<![\"'=>/\w])(https?://[^\s<>\"']+[^\s<>\"'.,;:!?)])")
_BLOCK_START = re.compile(r"^<(?:" + "|".join(BLOCK_TAGS) + r")[\s>]", re.IGNORECASE)


def text_to_html(text: str) -> str:
    """Plain text with blank-line paragraphs (and simple links) → sanitized paragraph HTML."""
    normalized = text.replace("\r\n", "\n").replace("\r", "\n")
    parts = []
    for block in re.split(r"\n\s*\n", normalized):
        stripped = block.strip()
        if not stripped:
            continue
        linked = _BARE_URL.sub(r'<a href="\1">\1</a>', stripped)
        if _BLOCK_START.match(linked):
            parts.append(linked)
        else:
            parts.append("<p>" + linked.replace("\n", "<br>") + "</p>")
    cleaned = sanitize_html("".join(parts))
    # Paragraphs that were only a script (or other removed markup) leave nothing worth keeping.
    return re.sub(r"<p>(?:\s|<br>)*</p>", "", cleaned)


class _TextWriter(HTMLParser):
    """Rebuild the plain-text form of stored paragraph HTML."""

    def __init__(self) -> None:
        super().__init__(convert_charrefs=True)
        self.blocks: list[str] = []
        self.current: list[str] = []
        self.depth = 0  # nesting inside a non-paragraph block kept as HTML
        self.link_href: str | None = None
        self.link_text: list[str] = []

    def _flush(self) -> None:
        text = "".join(self.current).strip()
        if text:
            self.blocks.append(text)
        self.current = []

    def handle_starttag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        if tag == "p" and not self.depth:
            self._flush()
        elif tag == "br":
            self.current.append("\n")
        elif tag == "a":
            self.link_href = dict(attrs).get("href") or ""
            self.link_text = []
        elif tag in BLOCK_TAGS:
            if not self.depth:
                self._flush()
            self.depth += 1
            self.current.append(f"<{tag}>")
        else:
            self.current.append(f"<{tag}>")

    def handle_endtag(self, tag: str) -> None:
        if tag == "p" and not self.depth:
            self._flush()
        elif tag == "a" and self.link_href is not None:
            label = "".join(self.link_text)
            if label == self.link_href:
                self.current.append(label)
            else:
                self.current.append(f'<a href="{html.escape(self.link_href)}">{label}</a>')
            self.link_href = None
        elif tag in BLOCK_TAGS:
            self.current.append(f"</{tag}>")
            self.depth = max(self.depth - 1, 0)
            if not self.depth:
                self._flush()
        elif tag != "br":
            self.current.append(f"</{tag}>")

    def handle_data(self, data: str) -> None:
        if self.link_href is not None:
            self.link_text.append(data)
        else:
            self.current.append(data)


def html_to_text(stored_html: str) -> str:
    """Stored paragraph HTML → the plain text an author edits (blank lines between paragraphs)."""
    writer = _TextWriter()
    writer.feed(stored_html)
    writer.close()
    writer._flush()
    return "\n\n".join(writer.blocks)
