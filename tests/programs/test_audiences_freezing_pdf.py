"""Who sees which answers, answers frozen at submission, and the response as one PDF."""

import io

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.utils import translation
from PIL import Image

from oncoreach.programs.forms_engine import (
    ResponseSetFrozen,
    answer_by_key,
    answers_for_audience,
    build_form,
    create_form_definition,
    files_for_audience,
    freeze_response_set,
    render_response_pdf,
    save_answers,
)
from oncoreach.programs.models import Question, ResponseSet
from oncoreach.programs.selectors import questions_for
from oncoreach.programs.services import delete_question
from tests.factories.people import PersonFactory

pytestmark = [pytest.mark.integration]

PDF_BYTES = b"%PDF-1.7\n1 0 obj<<>>endobj\ntrailer<<>>\n%%EOF\n"
ARABIC = "عنوان المشروع"


def _png() -> bytes:
    buffer = io.BytesIO()
    Image.new("RGB", (40, 20), "teal").save(buffer, format="PNG")
    return buffer.getvalue()


@pytest.fixture
def form(db):
    return create_form_definition(
        name="Award application",
        questions=[
            {"kind": "section", "key": "about", "label": "About the project", "help_text": "Tell us the plan."},
            {"kind": "short_text", "key": "project_title", "labels": {"en": "Project title", "ar": ARABIC}},
            {
                "kind": "long_text",
                "key": "health",
                "label": "Any health needs for travel?",
                "audiences": ["applicant", "staff"],
                "required": False,
            },
            {
                "kind": "long_text",
                "key": "referee_view",
                "label": "How well do you know the applicant?",
                "audiences": ["referee"],
                "required": False,
            },
            {"kind": "section", "key": "files", "label": "Documents", "audiences": ["applicant", "committee"]},
            {"kind": "file", "key": "cv", "label": "CV", "allowed_upload_types": ["pdf"]},
            {"kind": "file", "key": "photo", "label": "Photo of the unit", "allowed_upload_types": ["image"]},
        ],
    )


def _fields(form):
    return {question.key: question.field_name for question in questions_for(form)}


@pytest.fixture
def response_set(form):
    fields = _fields(form)
    response_set = ResponseSet.objects.create(form=form, respondent=PersonFactory())
    save_answers(
        response_set=response_set,
        values={fields["project_title"]: "Tumor boards in Kano", fields["health"]: "Wheelchair at the airport"},
        files={
            fields["cv"]: SimpleUploadedFile("cv.pdf", PDF_BYTES, content_type="application/pdf"),
            fields["photo"]: SimpleUploadedFile("unit.png", _png(), content_type="image/png"),
        },
    )
    return response_set


def _keys(items):
    return [item.key for item in items]


def test_each_audience_sees_only_its_questions(response_set):
    assert {
        audience: _keys(answers_for_audience(response_set=response_set, audience=audience))
        for audience in ("applicant", "reviewer", "committee", "referee", "staff")
    } == {
        "applicant": ["about", "project_title", "health", "files", "cv", "photo"],
        "reviewer": ["about", "project_title"],
        "committee": ["about", "project_title", "files", "cv", "photo"],
        "referee": ["about", "referee_view"],
        "staff": ["about", "project_title", "health", "referee_view", "files", "cv", "photo"],
    }


def test_an_unknown_audience_is_a_programming_error(response_set):
    with pytest.raises(ValueError, match="judge"):
        answers_for_audience(response_set=response_set, audience="judge")


def test_the_form_for_a_referee_shows_only_referee_questions(form):
    assert [field.question.key for field in build_form(form, audience="referee").fields.values()] == [
        "about",
        "referee_view",
    ]


def test_files_for_audience_lists_only_files_that_audience_may_open(response_set):
    assert [answer.question_key for answer in files_for_audience(response_set=response_set, audience="committee")] == [
        "cv",
        "photo",
    ]
    assert files_for_audience(response_set=response_set, audience="reviewer") == []


def test_frozen_answers_cannot_change(response_set, form):
    freeze_response_set(response_set=response_set)
    with pytest.raises(ResponseSetFrozen) as refused:
        save_answers(response_set=response_set, values={_fields(form)["project_title"]: "Changed"})
    assert refused.value.code == "frozen"
    assert refused.value.messages[0].startswith("These answers were submitted on ")
    assert answer_by_key(ResponseSet.objects.get(pk=response_set.pk), "project_title") == "Tumor boards in Kano"


def test_freezing_twice_is_refused(response_set):
    freeze_response_set(response_set=response_set)
    with pytest.raises(ResponseSetFrozen):
        freeze_response_set(response_set=response_set)


def test_a_frozen_response_renders_the_same_after_the_form_changes(response_set, form, coordinator):
    freeze_response_set(response_set=response_set)
    before = answers_for_audience(response_set=response_set, audience="staff")

    delete_question(question=form.questions.get(key="health"), actor=coordinator)
    Question.objects.filter(key="project_title").update(labels={"en": "Something else"})

    frozen = ResponseSet.objects.get(pk=response_set.pk)
    assert answers_for_audience(response_set=frozen, audience="staff") == before
    assert [item.label for item in before][:3] == ["About the project", "Project title", "Any health needs for travel?"]


def test_freezing_sets_submitted_at_version_and_snapshot(response_set):
    freeze_response_set(response_set=response_set)
    stored = ResponseSet.objects.get(pk=response_set.pk)
    assert (stored.submitted_at == stored.frozen_at, stored.version.number, len(stored.snapshot)) == (True, 1, 7)
    assert [entry["file_kind"] for entry in stored.snapshot if entry["file_name"]] == ["pdf", "image"]


def _pdf_text(pdf: bytes) -> str:
    from pypdf import PdfReader

    return "\n".join(page.extract_text() for page in PdfReader(io.BytesIO(pdf)).pages)


def _fonts(pdf: bytes) -> set[str]:
    from pypdf import PdfReader

    names = set()
    for page in PdfReader(io.BytesIO(pdf)).pages:
        for font in (page["/Resources"].get("/Font") or {}).values():
            names.add(str(font.get_object()["/BaseFont"]))
    return names


def test_the_response_renders_as_one_pdf_with_its_answers(response_set):
    pytest.importorskip("weasyprint")
    freeze_response_set(response_set=response_set)
    pdf = render_response_pdf(
        response_set=response_set,
        audience="committee",
        heading_context={"title": "IDEA 2027: application", "details": [("Applicant", "Amina Yusuf")]},
    )
    text = _pdf_text(pdf)
    assert pdf.startswith(b"%PDF")
    assert "IDEA 2027: application" in text
    assert "Tumor boards in Kano" in text
    assert "cv.pdf" in text
    assert "Wheelchair" not in text  # confidential to staff
    assert b"/Subtype /Image" in pdf or b"/Subtype/Image" in pdf  # the photo, inline


def test_an_arabic_label_renders_in_the_pdf(form):
    pytest.importorskip("weasyprint")
    response_set = ResponseSet.objects.create(form=form, respondent=PersonFactory())
    with translation.override("ar"):
        save_answers(response_set=response_set, values={_fields(form)["project_title"]: "لجان الأورام"})
        freeze_response_set(response_set=response_set)
    pdf = render_response_pdf(response_set=response_set, audience="reviewer", heading_context={"title": "IDEA"})
    assert (
        response_set.language,
        [item.label for item in answers_for_audience(response_set=response_set, audience="reviewer")],
    ) == (
        "ar",
        ["About the project", ARABIC],
    )
    assert any("Naskh-Arabic" in name for name in _fonts(pdf)), _fonts(pdf)
    assert "المشروع" in _pdf_text(pdf)
