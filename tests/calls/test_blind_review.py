"""Blind review everywhere a reviewer looks (list, form, file download, application PDF, packet,
e-mail), and the reviewer's PDF packet: only accepted, not-conflicted assignments, uploads appended."""

import io

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.urls import reverse

from oncoreach.calls import services
from oncoreach.calls.models import ConflictDeclaration
from oncoreach.core.models import OutboundEmail
from oncoreach.programs.forms_engine import save_answers
from tests.factories.calls import ApplicationFactory, CallFactory, QuestionFactory, ReviewAssignmentFactory
from tests.factories.people import AffiliationFactory, PersonFactory

pytestmark = [pytest.mark.integration]

IDENTITY = ("Zaneta", "Quorrel", "zaneta.quorrel@example.org", "Hospital Quorrelia")


def _pdf_bytes(pages=1):
    from pypdf import PdfWriter

    writer = PdfWriter()
    for _ in range(pages):
        writer.add_blank_page(width=200, height=200)
    out = io.BytesIO()
    writer.write(out)
    return out.getvalue()


def _pdf_text(body):
    from pypdf import PdfReader

    reader = PdfReader(io.BytesIO(body))
    return "\n".join(page.extract_text() for page in reader.pages), len(reader.pages), reader.metadata


def _leaks(text):
    return [word for word in IDENTITY if word.lower() in text.lower()]


@pytest.fixture
def blind_call(db):
    call = CallFactory()
    stage = call.first_review_stage
    stage.blind = True
    stage.save()
    QuestionFactory(form=call.form, kind="short_text", label="Project title", required=False)
    QuestionFactory(form=call.form, kind="file", label="Your CV", required=False)
    return call


def _application(call, title="Radiotherapy access"):
    person = PersonFactory(given_name="Zaneta", family_name="Quorrel", email="zaneta.quorrel@example.org")
    AffiliationFactory(person=person, organization__name="Hospital Quorrelia")
    application = ApplicationFactory(call=call, applicant=person, status="under_review")
    questions = {question.label: question for question in call.form.versions.get().questions.all()}
    save_answers(
        response_set=application.response_set,
        values={questions["Project title"].field_name: title},
        files={
            questions["Your CV"].field_name: SimpleUploadedFile(
                "CV Zaneta Quorrel.pdf", _pdf_bytes(2), "application/pdf"
            )
        },
    )
    return application


@pytest.fixture
def assigned(blind_call, reviewer):
    application = _application(blind_call)
    assignment = ReviewAssignmentFactory(
        application=application, reviewer=reviewer.person, stage=blind_call.first_review_stage, status="accepted"
    )
    return application, assignment


def test_review_list_of_a_blind_stage_hides_the_applicant(client, reviewer, assigned):
    client.force_login(reviewer)
    page = client.get(reverse("calls:review-list")).content.decode()
    assert _leaks(page) == []
    assert f"#{assigned[0].pk}" in page


def test_review_form_of_a_blind_stage_hides_the_applicant_and_file_names(client, reviewer, assigned):
    client.force_login(reviewer)
    page = client.get(reverse("calls:review-form", args=[assigned[1].pk])).content.decode()
    assert _leaks(page) == []
    assert "Radiotherapy access" in page
    assert "Uploaded file" in page


def test_file_download_in_a_blind_stage_has_a_neutral_name(client, reviewer, coordinator, assigned):
    from oncoreach.programs.models import Answer

    application = assigned[0]
    answer = Answer.objects.exclude(file="").get(response_set=application.response_set)
    url = reverse("calls:application-file", args=[application.pk, answer.pk])
    client.force_login(reviewer)
    response = client.get(url)
    b"".join(response.streaming_content)
    assert (
        response["Content-Disposition"] == f'attachment; filename="application-{application.pk}-file-{answer.pk}.pdf"'
    )
    client.force_login(coordinator)
    staff = client.get(url)
    b"".join(staff.streaming_content)
    assert "Quorrel" in staff["Content-Disposition"]  # staff still see names


def test_application_pdf_of_a_blind_stage_hides_the_applicant(client, reviewer, assigned):
    client.force_login(reviewer)
    response = client.get(reverse("calls:review-application-pdf", args=[assigned[1].pk]))
    assert response.status_code == 200
    text, _pages, metadata = _pdf_text(response.content)
    assert _leaks(text + str(metadata) + response["Content-Disposition"]) == []
    assert "Radiotherapy access" in text
    assert f"Application #{assigned[0].pk}" in text


def test_review_request_email_of_a_blind_stage_hides_the_applicant(
    blind_call, coordinator, django_capture_on_commit_callbacks
):
    application = _application(blind_call)
    reviewer = PersonFactory(email="rev@example.org")
    application.status = "eligible"
    application.current_stage = blind_call.entry_stage
    application.save()
    with django_capture_on_commit_callbacks(execute=True):
        services.assign_reviewer(application=application, reviewer=reviewer, actor=coordinator)
    mail = OutboundEmail.objects.get(to="rev@example.org")
    assert _leaks(mail.subject + mail.body_text) == []


def test_packet_holds_accepted_unconflicted_applications_with_their_uploads(client, reviewer, blind_call, assigned):
    stage = blind_call.first_review_stage
    second = _application(blind_call, title="Palliative care network")
    ReviewAssignmentFactory(application=second, reviewer=reviewer.person, stage=stage, status="submitted")
    proposed = _application(blind_call, title="Only proposed")
    ReviewAssignmentFactory(application=proposed, reviewer=reviewer.person, stage=stage, status="proposed")
    conflicted = _application(blind_call, title="In conflict")
    ReviewAssignmentFactory(application=conflicted, reviewer=reviewer.person, stage=stage, status="accepted")
    ConflictDeclaration.objects.create(reviewer=reviewer.person, application=conflicted, reason="Colleague")
    unassigned = _application(blind_call, title="Not mine")
    client.force_login(reviewer)

    list_page = client.get(reverse("calls:review-list")).content.decode()
    url = reverse("calls:review-packet", args=[blind_call.slug, stage.key])
    assert url in list_page
    response = client.post(url)

    assert response.status_code == 200
    text, pages, metadata = _pdf_text(response.content)
    assert "Radiotherapy access" in text
    assert "Palliative care network" in text
    assert "Only proposed" not in text
    assert "In conflict" not in text
    assert "Not mine" not in text
    assert _leaks(text + str(metadata) + response["Content-Disposition"]) == []
    single = _pdf_text(client.get(reverse("calls:review-application-pdf", args=[assigned[1].pk])).content)[1]
    assert pages >= 2 * (single + 2)  # each application, then its two-page CV
    assert unassigned.pk


def test_packet_is_refused_to_an_outsider(client, outsider, blind_call, assigned):
    client.force_login(outsider)
    response = client.post(reverse("calls:review-packet", args=[blind_call.slug, blind_call.first_review_stage.key]))
    assert response.status_code == 404
    response = client.get(reverse("calls:review-application-pdf", args=[assigned[1].pk]))
    assert response.status_code == 404


def test_staff_still_see_names_on_a_blind_application(client, coordinator, assigned):
    client.force_login(coordinator)
    page = client.get(reverse("calls:staff-application-detail", args=[assigned[0].pk])).content.decode()
    assert "Quorrel" in page


def test_a_larger_packet_is_built_in_the_worker_for_its_reviewer_only(
    client, reviewer, outsider, assigned, django_capture_on_commit_callbacks
):
    from oncoreach.calls import packets

    stage = assigned[1].stage
    client.force_login(reviewer)
    with pytest.MonkeyPatch.context() as patch, django_capture_on_commit_callbacks(execute=True):
        patch.setattr(packets, "PACKET_IN_REQUEST", 0)  # one application is enough to go to the worker
        response = client.post(reverse("calls:review-packet", args=[stage.call.slug, stage.key]))

    run_url = response["Location"]
    page = client.get(run_url).content.decode()
    assert "Download the PDF" in page
    file_url = run_url + "packet.pdf"
    download = client.get(file_url)
    text, _pages, _meta = _pdf_text(b"".join(download.streaming_content))
    assert "Radiotherapy access" in text
    assert _leaks(text + download["Content-Disposition"]) == []
    client.force_login(outsider)
    assert (client.get(run_url).status_code, client.get(file_url).status_code) == (404, 404)
