"""Versions: an edit after the first submitted response makes a new version; submitted answers
keep the question text (and choice labels) they answered, in the language shown; drafts move to
the new version."""

import pytest
from django.utils import translation

from oncoreach.programs.forms_engine import (
    answer_by_key,
    answers_for_audience,
    answers_for_display,
    answers_initial,
    build_form,
    create_form_definition,
    freeze_response_set,
    save_answers,
)
from oncoreach.programs.models import Answer, FormVersion, Question, ResponseSet
from oncoreach.programs.selectors import current_version, questions_for
from oncoreach.programs.services import delete_question, save_question
from oncoreach.programs.services.builder import version_is_locked
from tests.factories.people import PersonFactory

pytestmark = [pytest.mark.integration]


@pytest.fixture
def form(db):
    return create_form_definition(
        name="IDEA application",
        questions=[
            {
                "kind": "short_text",
                "key": "project_title",
                "labels": {"en": "Project title", "es": "Título del proyecto"},
            },
            {
                "kind": "single_choice",
                "key": "track",
                "label": "Track",
                "choices": [["md", {"en": "Oncology", "es": "Oncología"}], ["pc", {"en": "Palliative care"}]],
            },
        ],
    )


def _response(form, **values):
    response_set = ResponseSet.objects.create(form=form, respondent=PersonFactory())
    by_key = {question.key: question.field_name for question in questions_for(form)}
    save_answers(response_set=response_set, values={by_key[key]: value for key, value in values.items()})
    return response_set


def _spec(question, **changes):
    spec = {
        "kind": question.kind,
        "key": question.key,
        "labels": dict(question.labels),
        "help_texts": dict(question.help_texts),
        "required": question.required,
        "choices": question.choices,
        "audiences": question.audiences,
        "condition": question.condition,
    }
    return spec | changes


def test_a_new_form_is_version_1_and_a_response_records_it(form):
    response_set = _response(form, project_title="Tumor boards in Kano")
    assert (form.versions.get().number, response_set.version.number) == (1, 1)


def test_editing_before_any_submission_changes_the_current_version(form, coordinator):
    question = form.questions.get(key="project_title")
    save_question(form=form, spec=_spec(question, labels={"en": "Title"}), actor=coordinator, question=question)
    assert (FormVersion.objects.filter(form=form).count(), form.questions.get(key="project_title").label) == (
        1,
        "Title",
    )


def test_editing_after_a_submission_makes_a_new_version_and_old_answers_keep_their_text(form, coordinator):
    submitted = _response(form, project_title="Tumor boards in Kano", track="md")
    freeze_response_set(response_set=submitted)
    question = form.questions.get(key="project_title")

    saved = save_question(
        form=form, spec=_spec(question, labels={"en": "Name of the project"}), actor=coordinator, question=question
    )

    submitted.refresh_from_db()
    assert (saved.version.number, current_version(form).number, submitted.version.number) == (2, 2, 1)
    assert [
        (item.key, item.label, item.text) for item in answers_for_audience(response_set=submitted, audience="staff")
    ] == [
        ("project_title", "Project title", "Tumor boards in Kano"),
        ("track", "Track", "Oncology"),
    ]
    assert Question.objects.get(pk=question.pk).label == "Project title"  # version 1 is untouched


def test_a_submitted_response_not_frozen_also_locks_the_version(form, coordinator):
    """Calls and surveys mark responses submitted by setting submitted_at: that counts too."""
    submitted = _response(form, project_title="x")
    ResponseSet.objects.filter(pk=submitted.pk).update(submitted_at="2026-01-01T00:00:00Z")
    assert version_is_locked(current_version(form)) is True


def test_a_draft_moves_to_the_new_version_with_its_answers(form, coordinator):
    freeze_response_set(response_set=_response(form, project_title="first"))
    draft = _response(form, project_title="my draft title")
    question = form.questions.get(key="project_title")

    save_question(
        form=form, spec=_spec(question, labels={"en": "Name of the project"}), actor=coordinator, question=question
    )

    draft.refresh_from_db()
    new_question = form.questions.get(key="project_title")
    initial, _files = answers_initial(response_set=draft)
    assert (draft.version.number, initial) == (2, {new_question.field_name: "my draft title"})
    assert build_form(form).fields[new_question.field_name].label == "Name of the project"


def test_deleting_a_question_never_deletes_its_answers(form):
    submitted = _response(form, project_title="Tumor boards in Kano", track="pc")
    ResponseSet.objects.filter(pk=submitted.pk).update(submitted_at="2026-01-01T00:00:00Z")
    submitted.refresh_from_db()

    Question.objects.filter(key="track").delete()  # as the admin or a cascade could

    answer = Answer.objects.get(question_key="track")
    assert (answer.question, answer.question_label, answer.value) == (None, "Track", "pc")
    assert [text for _q, _a, text in answers_for_display(response_set=submitted)] == [
        "Tumor boards in Kano",
        "Palliative care",
    ]
    assert answer_by_key(submitted, "track") == "pc"


def test_the_builder_deletes_a_question_of_a_new_version_and_the_frozen_response_still_shows_it(form, coordinator):
    submitted = _response(form, project_title="Kano", track="pc")
    freeze_response_set(response_set=submitted)

    delete_question(question=form.questions.get(key="track"), actor=coordinator)

    assert [question.key for question in form.questions] == ["project_title"]
    assert [item.text for item in answers_for_audience(response_set=submitted, audience="reviewer")] == [
        "Kano",
        "Palliative care",
    ]


def test_an_answer_keeps_the_text_in_the_language_it_was_shown(form):
    response_set = ResponseSet.objects.create(form=form, respondent=PersonFactory())
    fields = {question.key: question.field_name for question in questions_for(form)}
    with translation.override("es"):
        save_answers(response_set=response_set, values={fields["project_title"]: "Comités", fields["track"]: "md"})
        freeze_response_set(response_set=response_set)

    shown = answers_for_audience(response_set=response_set, audience="reviewer")
    assert [(item.label, item.text) for item in shown] == [
        ("Título del proyecto", "Comités"),
        ("Track", "Oncología"),  # no Spanish label for the question: English, as shown
    ]
    assert response_set.language == "es"


def test_labels_show_in_the_readers_language_with_english_fallback(form):
    question = form.questions.get(key="project_title")
    with translation.override("es"):
        spanish = question.label
    with translation.override("fr"):
        french = question.label
    assert (spanish, french) == ("Título del proyecto", "Project title")
