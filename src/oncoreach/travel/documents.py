"""PDF documents for every program: the shared WeasyPrint machinery (shipped Noto fonts, no
network) and the trip's visa invitation letter (ARCHITECTURE.md §7: WeasyPrint from an HTML
template, the person's name exactly as in their passport, society details from settings).

Workshops render their letters and certificates through :func:`render_pdf`. Every trip's visa
letter is served by ``travel.views.visa_letter`` (one download rule: the traveller and staff, a
trip still ahead that needs one); a program whose letter says more than the trip does (workshops'
faculty letter names the role, host and course page) registers its own wording for its purpose
with :func:`register_visa_letter`, the rest get the generic trip letter. WeasyPrint is imported lazily so the rest of the project runs where
it is not installed; it needs Pango (Debian: libpango-1.0-0 libpangoft2-1.0-0
libharfbuzz-subset0) on the machine.
"""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

from django.conf import settings
from django.template.loader import render_to_string
from django.utils import timezone

from oncoreach.programs.pdf import FONTS_DIR, PDF_FONTS
from oncoreach.travel.models import Trip

__all__ = [
    "FONTS_DIR",
    "PDF_FONTS",
    "no_network",
    "pdf_font_urls",
    "register_visa_letter",
    "render_pdf",
    "trip_visa_letter_pdf",
]

# The Noto fonts shipped in the project (static/fonts, named once in programs.pdf).
_FONT_URLS = {path.as_uri(): path for path in PDF_FONTS.values()}


def pdf_font_urls() -> dict[str, str]:
    """Absolute file:// URLs of the shipped fonts, for the @font-face rules of the PDF templates."""
    return {name: path.as_uri() for name, path in PDF_FONTS.items()}


def no_network(url: str, *args: Any, **kwargs: Any) -> Any:
    """Refuse every fetch but our own font files: a letter must never make the server call out
    (or read any other local file)."""
    path = _FONT_URLS.get(url)
    if path is None:
        raise ValueError(f"External resource refused: {url}")
    from weasyprint.urls import URLFetcherResponse

    return URLFetcherResponse(url, body=path.read_bytes(), headers={"Content-Type": "font/ttf"})


def render_pdf(template: str, context: dict[str, Any]) -> bytes:
    """Render an HTML template to PDF with the society's details, today's date and the fonts."""
    from weasyprint import HTML

    html = render_to_string(
        template,
        {"society": settings.SOCIETY, "issued_on": timezone.localdate(), "pdf_fonts": pdf_font_urls(), **context},
    )
    pdf: bytes = HTML(string=html, url_fetcher=no_network, base_url=FONTS_DIR.as_uri() + "/").write_pdf()
    return pdf


def traveller_name(trip: Trip) -> str:
    person = trip.traveller
    return person.passport_name or person.full_name


VisaLetter = Callable[[Trip], bytes]
_letters: dict[str, VisaLetter] = {}


def register_visa_letter(purpose: str, letter: VisaLetter) -> None:
    """Trips of ``purpose`` get ``letter(trip)`` (a PDF) instead of the generic trip letter."""
    _letters[purpose] = letter


def trip_visa_letter_pdf(*, trip: Trip) -> bytes:
    """The visa invitation letter for one trip (passport name if given; reference TR-<pk>), in the
    wording its program registered, or the generic one."""
    letter = _letters.get(trip.purpose)
    if letter is not None:
        return letter(trip)
    return render_pdf("travel/visa_letter.html", {"trip": trip, "traveller_name": traveller_name(trip)})
