"""PDF documents: visa invitation letters and certificates (ARCHITECTURE.md §7: WeasyPrint from an HTML template,
the person's name exactly as in their passport).

WeasyPrint is imported lazily so the rest of the app runs where it is not installed; it needs
Pango (Debian: libpango-1.0-0 libpangoft2-1.0-0 libharfbuzz-subset0) on the machine.
"""

from __future__ import annotations

from pathlib import Path
from typing import Any

from django.conf import settings
from django.template.loader import render_to_string
from django.utils import timezone

from oncoreach.core.links import absolute_reverse, absolute_url
from oncoreach.workshops.models import FacultyInvitation, Registration

# The Noto fonts shipped in the project (static/fonts), so names in Latin or Arabic script render
# the same on every server, whatever fonts the machine has.
FONTS_DIR = Path(__file__).resolve().parent.parent / "static" / "fonts"
PDF_FONTS = {
    "sans_regular": FONTS_DIR / "NotoSans-Regular.ttf",
    "sans_bold": FONTS_DIR / "NotoSans-Bold.ttf",
    "naskh_arabic": FONTS_DIR / "NotoNaskhArabic-Regular.ttf",
    "naskh_arabic_bold": FONTS_DIR / "NotoNaskhArabic-Bold.ttf",
}
_FONT_URLS = {path.as_uri(): path for path in PDF_FONTS.values()}


def pdf_font_urls() -> dict[str, str]:
    """Absolute file:// URLs of the shipped fonts, for the @font-face rules of the PDF templates."""
    return {name: path.as_uri() for name, path in PDF_FONTS.items()}


def _no_network(url: str, *args: Any, **kwargs: Any) -> Any:
    """Refuse every fetch but our own font files: a letter must never make the server call out
    (or read any other local file)."""
    path = _FONT_URLS.get(url)
    if path is None:
        raise ValueError(f"External resource refused: {url}")
    from weasyprint.urls import URLFetcherResponse

    return URLFetcherResponse(url, body=path.read_bytes(), headers={"Content-Type": "font/ttf"})


def visa_letter_pdf(*, invitation: FacultyInvitation) -> bytes:
    from weasyprint import HTML

    course = invitation.slot.course
    person = invitation.person
    html = render_to_string(
        "workshops/visa_letter.html",
        {
            "society": settings.SOCIETY,
            "invitation": invitation,
            "course": course,
            "person": person,
            "traveller_name": person.passport_name or person.full_name,
            "issued_on": timezone.localdate(),
            "pdf_fonts": pdf_font_urls(),
            "course_url": absolute_url(course.get_absolute_url()),
        },
    )
    pdf: bytes = HTML(string=html, url_fetcher=_no_network, base_url=FONTS_DIR.as_uri() + "/").write_pdf()
    return pdf


def _pdf(template: str, context: dict[str, Any]) -> bytes:
    from weasyprint import HTML

    html = render_to_string(
        template,
        {"society": settings.SOCIETY, "issued_on": timezone.localdate(), "pdf_fonts": pdf_font_urls(), **context},
    )
    pdf: bytes = HTML(string=html, url_fetcher=_no_network, base_url=FONTS_DIR.as_uri() + "/").write_pdf()
    return pdf


def participant_visa_letter_pdf(*, registration: Registration) -> bytes:
    """The visa invitation letter for an accepted participant (passport name if given)."""
    person = registration.person
    return _pdf(
        "workshops/participant_visa_letter.html",
        {
            "registration": registration,
            "course": registration.course,
            "traveller_name": person.passport_name or person.full_name,
            "course_url": absolute_url(registration.course.get_absolute_url()),
        },
    )


def certificate_pdf(*, registration: Registration) -> bytes:
    """The certificate of attendance, with the public URL that confirms it."""
    person = registration.person
    verify_url = absolute_reverse("workshops:certificate-verify", kwargs={"code": registration.certificate_code})
    return _pdf(
        "workshops/certificate.html",
        {
            "registration": registration,
            "course": registration.course,
            "name": person.passport_name or person.full_name,
            "verify_url": verify_url,
        },
    )
