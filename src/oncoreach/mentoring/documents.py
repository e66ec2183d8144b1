"""The certificate of mentoring (a PDF for the mentor, through programs' document renderer: the
shipped Noto fonts, nothing fetched)."""

from __future__ import annotations

from oncoreach.mentoring.models import Mentorship
from oncoreach.mentoring.services.evaluations import mentoring_hours
from oncoreach.programs.pdf import render_document_pdf


def certificate_pdf(*, mentorship: Mentorship) -> bytes:
    """The mentor's certificate: their name, the mentee's, the cycle, the term and the hours credited."""
    return render_document_pdf(
        template="mentoring/certificate.html",
        context={
            "mentorship": mentorship,
            "name": mentorship.mentor.full_name,
            "mentee": mentorship.mentee.full_name,
            "program": mentorship.cycle.cycle.program,
            "hours": mentoring_hours(mentorship),
        },
    )
