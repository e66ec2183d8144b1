"""The question/answer engine: the dynamic form builder and answer storage."""

import datetime as dt
import io

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.http import QueryDict
from PIL import Image

from oncoreach.programs.forms_engine import (
    answer_text,
    answers_for_display,
    answers_initial,
    build_form,
    count_words,
    missing_required,
    raw_answers,
    save_answers,
)
from oncoreach.programs.models import Answer, ResponseSet
from tests.factories.calls import FormDefinitionFactory, QuestionFactory
from tests.factories.people import PersonFactory

pytestmark = [pytest.mark.integration]

PDF_BYTES = b"%PDF-1.7\n1 0 obj<<>>endobj\ntrailer<<>>\n%%EOF\n"


def _png_bytes() -> bytes:
    buffer = io.BytesIO()
    Image.new("RGB", (4, 4), "red").save(buffer, format="PNG")
    return buffer.getvalue()


def _data(**values) -> QueryDict:
    data = QueryDict(mutable=True)
    for key, value in values.items():
        if isinstance(value, list):
            data.setlist(key, value)
        else:
            data[key] = value
    return data


def test_count_words_counts_runs_of_non_space():
    assert count_words("  one two\nthree  ") == 3


def test_build_form_rejects_text_over_word_limit(db):
    question = QuestionFactory(kind="long_text", max_words=3)
    form = build_form(question.version.form, data=_data(**{question.field_name: "one two three four"}))
    assert form.is_valid() is False
    assert form.errors[question.field_name] == ["Please keep this to 3 words; it has 4."]


def test_build_form_accepts_text_at_word_limit(db):
    question = QuestionFactory(kind="long_text", max_words=3)
    form = build_form(question.version.form, data=_data(**{question.field_name: "one two three"}))
    assert form.is_valid() is True


def test_build_form_draft_allows_missing_required_answer(db):
    question = QuestionFactory(kind="short_text", required=True)
    form = build_form(question.version.form, data=_data())
    assert form.is_valid() is True


def test_build_form_complete_requires_required_answer(db):
    question = QuestionFactory(kind="short_text", required=True)
    optional = QuestionFactory(form=question.version.form, kind="short_text", required=False)
    form = build_form(question.version.form, data=_data(), complete=True)
    assert form.is_valid() is False
    assert form.errors == {question.field_name: ["Please answer this question."]}
    assert optional.field_name not in form.errors


def test_build_form_complete_accepts_already_uploaded_file(db):
    question = QuestionFactory(kind="file", required=True)
    form = build_form(
        question.version.form, data=_data(), complete=True, existing_files={question.field_name: "cv.pdf"}
    )
    assert form.is_valid() is True


def test_build_form_checks_choices_numbers_dates_email_url(db):
    form_definition = FormDefinitionFactory()
    single = QuestionFactory(form=form_definition, kind="single_choice", choices=[["a", "Apple"], ["b", "Banana"]])
    multi = QuestionFactory(form=form_definition, kind="multiple_choice", choices=["x", "y"])
    number = QuestionFactory(form=form_definition, kind="number")
    date = QuestionFactory(form=form_definition, kind="date")
    email = QuestionFactory(form=form_definition, kind="email")
    url = QuestionFactory(form=form_definition, kind="url")
    yes_no = QuestionFactory(form=form_definition, kind="yes_no")
    form = build_form(
        form_definition,
        data=_data(
            **{
                single.field_name: "c",
                multi.field_name: ["x", "z"],
                number.field_name: "many",
                date.field_name: "2026-02-30",
                email.field_name: "nope",
                url.field_name: "not a url",
                yes_no.field_name: "maybe",
            }
        ),
    )
    assert form.is_valid() is False
    assert sorted(form.errors) == sorted(
        [
            single.field_name,
            multi.field_name,
            number.field_name,
            date.field_name,
            email.field_name,
            url.field_name,
            yes_no.field_name,
        ]
    )


def test_build_form_file_accepts_pdf_by_content(db):
    question = QuestionFactory(kind="file", allowed_upload_types=["pdf"])
    upload = SimpleUploadedFile("letter.bin", PDF_BYTES, content_type="application/octet-stream")
    form = build_form(question.version.form, data=_data(), files={question.field_name: upload})
    assert form.is_valid() is True


def test_build_form_file_rejects_renamed_non_pdf(db):
    question = QuestionFactory(kind="file", allowed_upload_types=["pdf"])
    upload = SimpleUploadedFile("letter.pdf", b"MZ\x90\x00 not a pdf", content_type="application/pdf")
    form = build_form(question.version.form, data=_data(), files={question.field_name: upload})
    assert form.is_valid() is False
    assert form.errors[question.field_name] == ["This file's content is not an accepted type. Accepted: PDF document."]


def test_build_form_file_accepts_image_when_allowed(db):
    question = QuestionFactory(kind="file", allowed_upload_types=["pdf", "image"])
    upload = SimpleUploadedFile("photo.pdf", _png_bytes(), content_type="application/pdf")
    form = build_form(question.version.form, data=_data(), files={question.field_name: upload})
    assert form.is_valid() is True


def test_build_form_file_rejects_too_large(db):
    question = QuestionFactory(kind="file", max_file_mb=1)
    upload = SimpleUploadedFile("big.pdf", PDF_BYTES + b"0" * (1024 * 1024), content_type="application/pdf")
    form = build_form(question.version.form, data=_data(), files={question.field_name: upload})
    assert form.is_valid() is False
    assert form.errors[question.field_name][0].startswith("This file is 1.0")


def test_raw_answers_keep_text_over_word_limit(db):
    question = QuestionFactory(kind="long_text", max_words=1)
    form = build_form(question.version.form, data=_data(**{question.field_name: "too many words"}))
    form.is_valid()
    assert raw_answers(form=form) == {question.field_name: "too many words"}


def test_save_answers_is_idempotent(db):
    question = QuestionFactory(kind="short_text")
    response_set = ResponseSet.objects.create(form=question.version.form, respondent=PersonFactory())
    save_answers(response_set=response_set, values={question.field_name: "hello"})
    first = Answer.objects.get()
    save_answers(response_set=response_set, values={question.field_name: "hello"})
    again = Answer.objects.get()
    assert (Answer.objects.count(), again.value, again.updated_at) == (1, "hello", first.updated_at)


def test_answers_round_trip_through_initial_and_display(db):
    form_definition = FormDefinitionFactory()
    date = QuestionFactory(form=form_definition, kind="date")
    choice = QuestionFactory(form=form_definition, kind="multiple_choice", choices=[["x", "Ex"], ["y", "Why"]])
    response_set = ResponseSet.objects.create(form=form_definition, respondent=PersonFactory())
    form = build_form(form_definition, data=_data(**{date.field_name: "2026-05-01", choice.field_name: ["x", "y"]}))
    assert form.is_valid() is True
    save_answers(response_set=response_set, values=raw_answers(form=form))
    initial, files = answers_initial(response_set=response_set)
    assert initial == {date.field_name: dt.date(2026, 5, 1), choice.field_name: ["x", "y"]}
    assert files == {}
    assert [text for _q, _a, text in answers_for_display(response_set=response_set)] == ["2026-05-01", "Ex, Why"]


def test_missing_required_lists_unanswered_required_questions(db):
    form_definition = FormDefinitionFactory()
    answered = QuestionFactory(form=form_definition, required=True)
    unanswered = QuestionFactory(form=form_definition, required=True)
    QuestionFactory(form=form_definition, required=False)
    response_set = ResponseSet.objects.create(form=form_definition, respondent=PersonFactory())
    save_answers(response_set=response_set, values={answered.field_name: "yes", unanswered.field_name: ""})
    assert missing_required(response_set=response_set) == [unanswered]


def test_answer_text_words_yes_no(db):
    question = QuestionFactory(kind="yes_no")
    assert answer_text(question, Answer(question=question, value="yes")) == "Yes"


def test_create_form_definition_in_code(db):
    from oncoreach.programs.forms_engine import create_form_definition

    form_definition = create_form_definition(
        name="Travel award 2026",
        questions=[
            {"kind": "long_text", "label": "Why?", "max_words": 300},
            {"kind": "single_choice", "label": "Role", "choices": [["md", "Physician"], ["rn", "Nurse"]]},
        ],
    )
    assert [(q.order, q.kind, q.label) for q in form_definition.questions.all()] == [
        (0, "long_text", "Why?"),
        (1, "single_choice", "Role"),
    ]


def test_create_form_definition_refuses_unknown_kind(db):
    from django.core.exceptions import ValidationError

    from oncoreach.programs.forms_engine import create_form_definition
    from oncoreach.programs.models import FormDefinition

    with pytest.raises(ValidationError):
        create_form_definition(name="Bad", questions=[{"kind": "essay", "label": "?"}])
    assert FormDefinition.objects.count() == 0
