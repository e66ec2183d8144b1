"""A response as one PDF (WeasyPrint, with the Noto fonts shipped in static/fonts), for reviewers
and the record: the heading the caller gives, then each section and answer the audience may see,
uploaded pictures inline and uploaded PDFs listed by name (packets append them).

The server never fetches anything while rendering: only the shipped fonts and the response's own
pictures are handed to WeasyPrint. Like the visa letters (travel/documents.py), WeasyPrint is
imported lazily and needs Pango on the machine.
"""

from __future__ import annotations

from collections.abc import Mapping
from pathlib import Path
from typing import Any

from django.conf import settings
from django.template.loader import render_to_string
from django.utils import timezone

from oncoreach.programs.enums import RTL_LANGUAGES
from oncoreach.programs.models import Answer, ResponseSet
from oncoreach.programs.selectors import answers_for_audience, file_kind, version_for

FONTS_DIR = Path(__file__).resolve().parent.parent / "static" / "fonts"
PDF_FONTS = {
    "sans_regular": FONTS_DIR / "NotoSans-Regular.ttf",
    "sans_bold": FONTS_DIR / "NotoSans-Bold.ttf",
    "naskh_arabic": FONTS_DIR / "NotoNaskhArabic-Regular.ttf",
    "naskh_arabic_bold": FONTS_DIR / "NotoNaskhArabic-Bold.ttf",
}
#: Pictures larger than this are listed, not drawn (a reviewer packet must stay small).
MAX_INLINE_IMAGE_BYTES = 8 * 1024 * 1024
_IMAGE_TYPES = {b"\x89PNG": "image/png", b"\xff\xd8\xff": "image/jpeg", b"RIFF": "image/webp"}


def _image_type(head: bytes) -> str:
    return next((mime for magic, mime in _IMAGE_TYPES.items() if head.startswith(magic)), "")


def _pictures(items: list[Any]) -> dict[str, tuple[bytes, str]]:
    """``answer-file:<id>`` → (bytes, type) for each picture shown inline."""
    ids = [item.answer_id for item in items if item.is_file and item.file_kind == "image" and item.answer_id]
    pictures: dict[str, tuple[bytes, str]] = {}
    for answer in Answer.objects.filter(pk__in=ids):
        if answer.file.size > MAX_INLINE_IMAGE_BYTES or file_kind(answer) != "image":
            continue
        with answer.file.open("rb") as handle:
            body = handle.read()
        mime = _image_type(body[:16])
        if mime:
            pictures[f"answer-file:{answer.pk}"] = (body, mime)
    return pictures


def _fetcher(pictures: Mapping[str, tuple[bytes, str]]) -> Any:
    fonts = {path.as_uri(): path for path in PDF_FONTS.values()}

    def fetch(url: str, *args: Any, **kwargs: Any) -> Any:
        from weasyprint.urls import URLFetcherResponse

        if url in fonts:
            return URLFetcherResponse(url, body=fonts[url].read_bytes(), headers={"Content-Type": "font/ttf"})
        if url in pictures:
            body, mime = pictures[url]
            return URLFetcherResponse(url, body=body, headers={"Content-Type": mime})
        raise ValueError(f"External resource refused: {url}")

    return fetch


def render_response_pdf(
    *, response_set: ResponseSet, audience: str, heading_context: Mapping[str, Any], hide_file_names: bool = False
) -> bytes:
    """The response as ``audience`` may see it, as PDF bytes.

    ``hide_file_names``: uploaded files are listed as "Uploaded file" (a blind review: a file's
    name often carries the applicant's).

    ``heading_context``: ``title`` (required), and optionally ``subtitle`` and ``details`` (a list
    of (label, value) pairs such as the call, the applicant and the stage). Frozen responses render
    from their snapshot, so the PDF is the same whenever it is made.
    """
    from weasyprint import HTML

    items = answers_for_audience(response_set=response_set, audience=audience, sniff_files=True)
    pictures = _pictures(items)
    version = version_for(response_set)
    language = response_set.language or "en"
    html = render_to_string(
        "programs/response_pdf.html",
        {
            "society": settings.SOCIETY,
            "heading": heading_context,
            "hide_file_names": hide_file_names,
            "items": items,
            "pictures": {int(url.split(":", 1)[1]) for url in pictures},
            "response_set": response_set,
            "form_name": response_set.form.name,
            "version_number": version.number if version else None,
            "answers_language": language,
            "answers_dir": "rtl" if language in RTL_LANGUAGES else "ltr",
            "issued_on": timezone.localdate(),
            "pdf_fonts": {name: path.as_uri() for name, path in PDF_FONTS.items()},
        },
    )
    pdf: bytes = HTML(string=html, url_fetcher=_fetcher(pictures), base_url=FONTS_DIR.as_uri() + "/").write_pdf()
    return pdf


def render_document_pdf(*, template: str, context: Mapping[str, Any]) -> bytes:
    """Any app's PDF document (a certificate, a letter) from its HTML template, with the same
    fonts and the same refusal to fetch anything else. The template gets ``society``,
    ``issued_on`` and ``pdf_fonts`` besides ``context``."""
    from weasyprint import HTML

    html = render_to_string(
        template,
        {
            "society": settings.SOCIETY,
            "issued_on": timezone.localdate(),
            "pdf_fonts": {name: path.as_uri() for name, path in PDF_FONTS.items()},
            **context,
        },
    )
    pdf: bytes = HTML(string=html, url_fetcher=_fetcher({}), base_url=FONTS_DIR.as_uri() + "/").write_pdf()
    return pdf
