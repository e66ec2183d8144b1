"""PDF documents of workshops: visa invitation letters and certificates, rendered through the
shared machinery in ``travel.documents`` (ARCHITECTURE.md §7: WeasyPrint from an HTML template,
shipped Noto fonts, no network, the person's name exactly as in their passport)."""

from __future__ import annotations

from oncoreach.core.links import absolute_reverse, absolute_url
from oncoreach.travel.documents import PDF_FONTS, pdf_font_urls, render_pdf
from oncoreach.travel.models import Trip
from oncoreach.workshops.models import FacultyInvitation, Registration
from oncoreach.workshops.selectors import invitation_for_trip

__all__ = [
    "PDF_FONTS",
    "certificate_pdf",
    "faculty_trip_visa_letter_pdf",
    "participant_visa_letter_pdf",
    "pdf_font_urls",
    "visa_letter_pdf",
]


def faculty_trip_visa_letter_pdf(trip: Trip) -> bytes:
    """A faculty trip's visa letter in the faculty wording (role, host, course page); served by
    ``travel.views.visa_letter``, which decides who may have it (registered in ``apps.py``)."""
    return visa_letter_pdf(invitation=invitation_for_trip(trip=trip))


def visa_letter_pdf(*, invitation: FacultyInvitation) -> bytes:
    course = invitation.slot.course
    person = invitation.person
    return render_pdf(
        "workshops/visa_letter.html",
        {
            "invitation": invitation,
            "course": course,
            "person": person,
            "traveller_name": person.passport_name or person.full_name,
            "course_url": absolute_url(course.get_absolute_url()),
        },
    )


def participant_visa_letter_pdf(*, registration: Registration) -> bytes:
    """The visa invitation letter for an accepted participant (passport name if given)."""
    person = registration.person
    return render_pdf(
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
    return render_pdf(
        "workshops/certificate.html",
        {
            "registration": registration,
            "course": registration.course,
            "name": person.passport_name or person.full_name,
            "verify_url": verify_url,
        },
    )
