"""Every file made for one person or for staff (CSV exports, letters, certificates, uploaded
application files) says ``Cache-Control: private, no-store``: no proxy, CDN or shared browser
cache may keep a copy."""

import datetime as dt

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.urls import reverse

from oncoreach.calls import services as calls_services
from oncoreach.programs.forms_engine import save_answers
from oncoreach.programs.models import Answer
from tests.factories.calls import ApplicationFactory, CallFactory, QuestionFactory, ReferenceRequestFactory
from tests.factories.travel import TripFactory
from tests.factories.workshops import CourseFactory, RegistrationFactory, TravelFactory

pytestmark = [pytest.mark.integration]

PDF = b"%PDF-1.4\n%%EOF\n"


def _cache_control(response):
    if response.streaming:
        # Reading to the end closes the response once, as a server would (the test client does it
        # then); a second close() would fire request_finished again, which closes the database
        # connection inside the test's transaction on PostgreSQL.
        b"".join(response.streaming_content)
    return response.status_code, {part.strip() for part in response.get("Cache-Control", "").split(",")}


def _call_with_files():
    call = CallFactory()
    question = QuestionFactory(form=call.form, kind="file", label="CV")
    application = ApplicationFactory(call=call, status="eligible")
    save_answers(
        response_set=application.response_set,
        values={},
        files={question.field_name: SimpleUploadedFile("cv.pdf", PDF, "application/pdf")},
    )
    reference = ReferenceRequestFactory(application=application)
    calls_services.upload_reference_letter(reference=reference, letter=SimpleUploadedFile("l.pdf", PDF))
    return call, application, question, reference


def _answer(application, question):
    """The file answer's key: files are served by answer (an application answers several stages)."""
    return Answer.objects.get(response_set=application.response_set, question=question).pk


@pytest.fixture
def staff_downloads(coordinator):
    call, application, question, reference = _call_with_files()
    return [
        reverse("calls:staff-application-export", kwargs={"slug": call.slug}),
        reverse("calls:staff-reference-letter", kwargs={"pk": reference.pk}),
        reverse("calls:application-file", kwargs={"pk": application.pk, "answer_pk": _answer(application, question)}),
        reverse("people:person-export"),
        reverse("people:organization-export"),
        reverse("geo:export-csv"),
    ]


def test_staff_downloads_are_private_and_never_stored(client, coordinator, staff_downloads):
    client.force_login(coordinator)

    answers = [_cache_control(client.get(url)) for url in staff_downloads]

    assert answers == [(200, {"private", "no-store"})] * len(staff_downloads)


def test_a_persons_own_documents_are_private_and_never_stored(client, member):
    pytest.importorskip("weasyprint")
    held = CourseFactory(start_date=dt.date(2026, 11, 1), end_date=dt.date(2026, 11, 3), status="held")
    attended = RegistrationFactory(course=held, person=member.person, status="attended", certificate_code="CAFE1")
    accepted = RegistrationFactory(course=CourseFactory(), person=member.person, status="accepted")
    travel = TravelFactory(invitation__person=member.person, visa_letter_needed=True)
    trip = TripFactory(traveller=member.person, visa_letter_needed=True)
    member.person.is_volunteer = True
    member.person.save()
    urls = [
        reverse("workshops:certificate", kwargs={"pk": attended.pk}),
        reverse("workshops:registration-visa-letter", kwargs={"pk": accepted.pk}),
        reverse("travel:visa-letter", kwargs={"pk": travel.trip.pk}),
        reverse("travel:visa-letter", kwargs={"pk": trip.pk}),
        reverse("people:my-data"),
    ]
    client.force_login(member)

    answers = [_cache_control(client.get(url)) for url in urls]

    assert answers == [(200, {"private", "no-store"})] * len(urls)
