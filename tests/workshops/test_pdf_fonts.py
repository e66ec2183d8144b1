import re
import zlib

import pytest

from oncoreach.workshops.documents import PDF_FONTS, certificate_pdf, visa_letter_pdf
from tests.factories.people import PersonFactory
from tests.factories.workshops import RegistrationFactory, TravelFactory

pytestmark = [pytest.mark.integration]

ARABIC_NAME = "محمد عبد الله"


def _pdf_text(pdf: bytes) -> bytes:
    """The PDF with its compressed object streams inflated, where font names live."""
    parts = [pdf]
    for match in re.finditer(rb"stream\r?\n(.*?)\r?\nendstream", pdf, re.S):
        try:
            parts.append(zlib.decompress(match.group(1)))
        except zlib.error:
            continue
    return b"".join(parts)


def test_fonts_are_shipped_and_small():
    assert all(path.is_file() for path in PDF_FONTS.values())
    assert sum(path.stat().st_size for path in PDF_FONTS.values()) < 2_000_000


def test_certificate_embeds_noto_for_an_arabic_name(db):
    pytest.importorskip("weasyprint")
    person = PersonFactory(passport_name=ARABIC_NAME)
    registration = RegistrationFactory(person=person, status="attended", certificate_code="ABC123")
    pdf = certificate_pdf(registration=registration)
    assert pdf.startswith(b"%PDF")
    assert b"Noto-Naskh-Arabic" in _pdf_text(pdf)
    assert b"Noto-Sans" in _pdf_text(pdf)


def test_visa_letter_embeds_noto_for_an_arabic_name(db):
    pytest.importorskip("weasyprint")
    travel = TravelFactory(invitation__person=PersonFactory(passport_name=ARABIC_NAME), visa_letter_needed=True)
    pdf = visa_letter_pdf(invitation=travel.invitation)
    assert b"Noto-Naskh-Arabic" in _pdf_text(pdf)
    assert b"Noto-Sans" in _pdf_text(pdf)
