"""Uploaded files are stored under random names (the person's file name may carry a patient's
or hospital's name) and a replaced file is deleted once the new one is committed."""

import re

import pytest
from django.core.files.storage import default_storage
from django.core.files.uploadedfile import SimpleUploadedFile
from django.db import transaction

from oncoreach.programs.forms_engine import answer_text, answers_for_display, answers_initial, save_answers
from oncoreach.programs.models import Answer, ResponseSet
from tests.factories.calls import QuestionFactory
from tests.factories.people import PersonFactory

pytestmark = [pytest.mark.integration]

PDF = b"%PDF-1.7\n%%EOF\n"
RANDOM_NAME = re.compile(r"forms/\d+/\d+/[0-9a-f]{32}\.pdf")


def _upload(name="CV Jane Doe - St Mary's Hospital.pdf", content=PDF):
    return SimpleUploadedFile(name, content, content_type="application/pdf")


@pytest.fixture
def question(db):
    return QuestionFactory(kind="file")


@pytest.fixture
def response_set(question):
    return ResponseSet.objects.create(form=question.version.form, respondent=PersonFactory())


def test_an_answer_file_is_stored_under_a_random_name_and_keeps_its_name_as_data(question, response_set):
    save_answers(response_set=response_set, values={}, files={question.field_name: _upload()})

    answer = Answer.objects.get()
    assert RANDOM_NAME.fullmatch(answer.file.name), answer.file.name
    assert answer.file_name == "CV Jane Doe - St Mary's Hospital.pdf"
    assert answer_text(question, answer) == "CV Jane Doe - St Mary's Hospital.pdf"
    assert answers_initial(response_set=response_set)[1] == {question.field_name: answer.file_name}
    assert [text for _q, _a, text in answers_for_display(response_set=response_set)] == [answer.file_name]


def test_two_uploads_of_one_name_never_share_a_file(question, db):
    first = ResponseSet.objects.create(form=question.version.form, respondent=PersonFactory())
    second = ResponseSet.objects.create(form=question.version.form, respondent=PersonFactory())
    for response_set in (first, second):
        save_answers(response_set=response_set, values={}, files={question.field_name: _upload("cv.pdf")})

    names = [answer.file.name.rsplit("/", 1)[1] for answer in Answer.objects.order_by("id")]
    assert len(set(names)) == 2


def test_a_replaced_answer_file_is_deleted_after_the_commit(question, response_set, django_capture_on_commit_callbacks):
    save_answers(response_set=response_set, values={}, files={question.field_name: _upload("old.pdf")})
    old_name = Answer.objects.get().file.name

    with django_capture_on_commit_callbacks(execute=True):
        save_answers(response_set=response_set, values={}, files={question.field_name: _upload("new.pdf", PDF + b"2")})

    answer = Answer.objects.get()
    assert (answer.file_name, default_storage.exists(old_name), default_storage.exists(answer.file.name)) == (
        "new.pdf",
        False,
        True,
    )


def test_a_replacement_that_rolls_back_keeps_the_old_file(question, response_set):
    save_answers(response_set=response_set, values={}, files={question.field_name: _upload("old.pdf")})
    old_name = Answer.objects.get().file.name

    def replace_then_fail():
        with transaction.atomic():
            save_answers(response_set=response_set, values={}, files={question.field_name: _upload("new.pdf")})
            raise RuntimeError

    with pytest.raises(RuntimeError):
        replace_then_fail()

    assert (Answer.objects.get().file.name, default_storage.exists(old_name)) == (old_name, True)


def test_deleting_an_answer_deletes_its_file(question, response_set, django_capture_on_commit_callbacks):
    save_answers(response_set=response_set, values={}, files={question.field_name: _upload()})
    name = Answer.objects.get().file.name

    with django_capture_on_commit_callbacks(execute=True):
        response_set.delete()

    assert default_storage.exists(name) is False
