"""User-written HTML is cleaned to a small safe subset before it is stored or shown."""

from __future__ import annotations

import nh3

# Paragraphs, emphasis, lists, quotes and links: what a guest author's story body needs.
ALLOWED_TAGS = {"p", "br", "strong", "b", "em", "i", "ul", "ol", "li", "blockquote", "a", "h2", "h3"}
ALLOWED_ATTRIBUTES = {"a": {"href", "title"}}


def sanitize_html(html: str) -> str:
    """Strip scripts, styles, event handlers and unknown tags; links get rel=noopener."""
    return nh3.clean(
        html,
        tags=ALLOWED_TAGS,
        attributes=ALLOWED_ATTRIBUTES,
        url_schemes={"http", "https", "mailto"},
        link_rel="noopener noreferrer nofollow",
    )


def text_to_paragraphs(text: str) -> str:
    """Turn plain text with blank-line paragraphs into safe <p> HTML."""
    from django.utils.html import escape

    blocks = [block.strip() for block in text.replace("\r\n", "\n").split("\n\n") if block.strip()]
    return "".join("<p>" + escape(block).replace("\n", "<br>") + "</p>" for block in blocks)
