"""The form builder's services: every refusal is specific and changes nothing."""

import pytest
from django.core.exceptions import ValidationError

from oncoreach.core.models import AuditEvent
from oncoreach.programs.forms_engine import create_form_definition, freeze_response_set, save_answers
from oncoreach.programs.models import FormVersion, Question, ResponseSet
from oncoreach.programs.services import create_form, delete_question, move_question, save_question
from tests.factories.people import PersonFactory

pytestmark = [pytest.mark.integration]


@pytest.fixture
def form(db):
    return create_form_definition(
        name="Grant",
        questions=[
            {"kind": "yes_no", "key": "cofunded", "label": "Any co-funding?"},
            {
                "kind": "short_text",
                "key": "cofunder",
                "label": "Who?",
                "condition": {"key": "cofunded", "op": "equals", "values": ["yes"]},
            },
            {"kind": "short_text", "key": "title", "label": "Title"},
        ],
    )


def _spec(**changes):
    return {
        "kind": "short_text",
        "key": "",
        "labels": {"en": "A question"},
        "help_texts": {},
        "required": True,
        "choices": [],
        "audiences": ["applicant", "reviewer"],
        "condition": {},
    } | changes


def _errors(call):
    with pytest.raises(ValidationError) as refused:
        call()
    return refused.value.message_dict if hasattr(refused.value, "error_dict") else refused.value.messages


def _question(form, key):
    return form.questions.get(key=key)


def test_add_a_question_makes_its_key_from_the_english_text(form, coordinator):
    question = save_question(form=form, spec=_spec(labels={"en": "Project budget (total)"}), actor=coordinator)
    assert (question.key, question.order, [q.key for q in form.questions]) == (
        "project_budget_total",
        3,
        ["cofunded", "cofunder", "title", "project_budget_total"],
    )
    assert AuditEvent.objects.filter(action="programs.question.add").count() == 1


def test_a_duplicate_key_is_refused(form, coordinator):
    assert _errors(lambda: save_question(form=form, spec=_spec(key="title"), actor=coordinator)) == {
        "key": ["Another question in this form already uses the key “title”."]
    }


def test_a_bad_key_is_refused(form, coordinator):
    assert list(_errors(lambda: save_question(form=form, spec=_spec(key="Project Title"), actor=coordinator))) == [
        "key"
    ]


def test_a_choice_question_without_choices_is_refused(form, coordinator):
    assert _errors(lambda: save_question(form=form, spec=_spec(kind="single_choice"), actor=coordinator)) == {
        "choices_en": ["A choice question needs at least one choice."]
    }


def test_english_text_is_required(form, coordinator):
    assert _errors(lambda: save_question(form=form, spec=_spec(labels={"es": "Título"}), actor=coordinator)) == {
        "label_en": ["Write the question in English (the other languages fall back to it)."]
    }


def test_a_condition_on_a_missing_question_is_refused(form, coordinator):
    spec = _spec(condition={"key": "nowhere", "op": "answered"})
    assert _errors(lambda: save_question(form=form, spec=spec, actor=coordinator)) == {
        "condition_key": ["There is no question with the key “nowhere” in this form."]
    }


def test_a_condition_on_a_later_question_is_refused(form, coordinator):
    cofunded = _question(form, "cofunded")
    spec = _spec(
        kind="yes_no", key="cofunded", labels={"en": "Any co-funding?"}, condition={"key": "title", "op": "answered"}
    )
    assert _errors(lambda: save_question(form=form, spec=spec, actor=coordinator, question=cofunded)) == {
        "condition_key": ["“Title” comes after this question; a condition can only look at an earlier question."]
    }


def test_a_cycle_of_conditions_is_refused(form, coordinator):
    cofunded = _question(form, "cofunded")
    spec = _spec(
        kind="yes_no", key="cofunded", labels={"en": "Any co-funding?"}, condition={"key": "cofunder", "op": "answered"}
    )
    assert _errors(lambda: save_question(form=form, spec=spec, actor=coordinator, question=cofunded)) == {
        "condition_key": ["This would make a loop: “Who?” already depends on this question."]
    }
    assert _question(form, "cofunded").condition == {}


def test_a_condition_value_must_be_an_answer_of_the_other_question(form, coordinator):
    spec = _spec(condition={"key": "cofunded", "op": "equals", "values": ["maybe"]})
    assert _errors(lambda: save_question(form=form, spec=spec, actor=coordinator)) == {
        "condition_values": ["“maybe” is not one of the answers of “Any co-funding?” (yes, no)."]
    }


def test_money_needs_a_real_currency(form, coordinator):
    assert _errors(lambda: save_question(form=form, spec=_spec(kind="money"), actor=coordinator)) == {
        "currency": ["Amounts of money need a currency (an ISO 4217 code such as USD)."]
    }
    assert _errors(lambda: save_question(form=form, spec=_spec(kind="money", currency="usd$"), actor=coordinator)) == {
        "currency": ["“USD$” is not an ISO 4217 currency code (for example USD, EUR, NGN)."]
    }


def test_a_group_gets_columns_and_at_most_one_amount_column(form, coordinator):
    group = save_question(form=form, spec=_spec(kind="group", key="budget", labels={"en": "Budget"}), actor=coordinator)
    assert _errors(
        lambda: save_question(form=form, spec=_spec(kind="money", key="amount"), actor=coordinator, parent=group)
    ) == {"kind": ["Give the group a currency before adding an amount column."]}
    group = save_question(
        form=form,
        spec=_spec(kind="group", key="budget", labels={"en": "Budget"}, currency="USD"),
        actor=coordinator,
        question=group,
    )
    save_question(form=form, spec=_spec(kind="money", key="amount"), actor=coordinator, parent=group)
    assert _errors(
        lambda: save_question(form=form, spec=_spec(kind="money", key="other"), actor=coordinator, parent=group)
    ) == {"kind": ["A group has at most one amount column (its total)."]}
    assert _errors(
        lambda: save_question(form=form, spec=_spec(kind="file", key="doc"), actor=coordinator, parent=group)
    ) == {"kind": ["A column of a repeating group cannot be of the kind “File upload”."]}
    assert [column.key for column in group.columns.all()] == ["amount"]


def test_moving_a_question_above_the_one_it_depends_on_is_refused(form, coordinator):
    assert _errors(lambda: move_question(question=_question(form, "cofunder"), direction="up", actor=coordinator)) == [
        "“Who?” shows depending on “Any co-funding?”, so it must stay below it."
    ]
    move_question(question=_question(form, "title"), direction="up", actor=coordinator)
    assert [q.key for q in form.questions] == ["cofunded", "title", "cofunder"]


def test_a_question_others_depend_on_cannot_be_deleted(form, coordinator):
    assert _errors(lambda: delete_question(question=_question(form, "cofunded"), actor=coordinator)) == [
        "“Who?” shows depending on this question; change or remove that condition first."
    ]
    delete_question(question=_question(form, "cofunder"), actor=coordinator)
    delete_question(question=_question(form, "cofunded"), actor=coordinator)
    assert [q.key for q in form.questions] == ["title"]


def test_renaming_a_key_updates_the_conditions_that_use_it(form, coordinator):
    cofunded = _question(form, "cofunded")
    save_question(
        form=form,
        spec=_spec(kind="yes_no", key="has_cofunding", labels={"en": "Any co-funding?"}),
        actor=coordinator,
        question=cofunded,
    )
    assert _question(form, "cofunder").condition["key"] == "has_cofunding"


def test_a_key_with_submitted_answers_cannot_change(form, coordinator):
    response_set = ResponseSet.objects.create(form=form, respondent=PersonFactory())
    save_answers(response_set=response_set, values={_question(form, "title").field_name: "Kano"})
    freeze_response_set(response_set=response_set)
    title = _question(form, "title")
    assert _errors(
        lambda: save_question(
            form=form, spec=_spec(key="project_title", labels={"en": "Title"}), actor=coordinator, question=title
        )
    ) == {"key": ["Submitted answers are stored under “title”, so this key can no longer change."]}
    assert FormVersion.objects.filter(form=form).count() == 1  # the refused edit made no version


def test_an_edit_from_a_page_opened_before_a_new_version_is_refused(form, coordinator):
    response_set = ResponseSet.objects.create(form=form, respondent=PersonFactory())
    freeze_response_set(response_set=response_set)
    stale = _question(form, "title")
    save_question(form=form, spec=_spec(key="title", labels={"en": "Title!"}), actor=coordinator, question=stale)
    assert _errors(
        lambda: save_question(
            form=form, spec=_spec(key="title", labels={"en": "Again"}), actor=coordinator, question=stale
        )
    ) == ["The form has changed since you opened this page (a new version was made). Please open it again."]


def test_create_form_makes_version_one(db, coordinator):
    form = create_form(name="  Mentee application ", description="", actor=coordinator)
    assert (form.name, list(form.versions.values_list("number", flat=True))) == ("Mentee application", [1])


def test_create_form_definition_checks_the_whole_form(db):
    with pytest.raises(ValidationError) as refused:
        create_form_definition(
            name="Broken",
            questions=[
                {"kind": "short_text", "label": "A", "condition": {"key": "b", "op": "answered"}},
                {"kind": "short_text", "key": "b", "label": "B"},
            ],
        )
    assert refused.value.messages == [
        "A: “B” comes after this question; a condition can only look at an earlier question."
    ]
    assert Question.objects.count() == 0
