"""The staff form builder's pages: program staff only; happy paths; errors shown, nothing saved."""

import re

import pytest
from django.urls import reverse

from oncoreach.programs.forms_engine import create_form_definition
from oncoreach.programs.models import FormDefinition, Question
from tests.factories.programs import FormDefinitionFactory

pytestmark = [pytest.mark.integration]


@pytest.fixture
def form(db):
    return create_form_definition(
        name="IDEA application",
        questions=[
            {"kind": "yes_no", "key": "cofunded", "label": "Any co-funding?"},
            {
                "kind": "group",
                "key": "budget",
                "label": "Budget",
                "currency": "USD",
                "columns": [
                    {"kind": "short_text", "key": "item", "label": "Item"},
                    {"kind": "money", "key": "amount", "label": "Amount"},
                ],
            },
        ],
    )


@pytest.fixture
def staff_client(client, coordinator):
    client.force_login(coordinator)
    return client


def _html(response) -> str:
    return response.content.decode()


def _text(response) -> str:
    return re.sub(r"\s+", " ", re.sub(r"<[^>]+>", " ", _html(response)))


def _question_data(**changes):
    data = {
        "kind": "short_text",
        "key": "",
        "label_en": "Project title",
        "label_es": "Título del proyecto",
        "required": "on",
        "max_file_mb": "5",
        "audiences": ["applicant", "reviewer"],
        "condition_op": "equals",
    }
    return data | changes


def _urls(form):
    question = form.questions.first()
    return [
        reverse("programs:form-list"),
        reverse("programs:form-create"),
        reverse("programs:form-detail", args=[form.pk]),
        reverse("programs:form-edit", args=[form.pk]),
        reverse("programs:form-preview", args=[form.pk]),
        reverse("programs:question-add", args=[form.pk]),
        reverse("programs:question-edit", args=[form.pk, question.pk]),
        reverse("programs:question-delete", args=[form.pk, question.pk]),
        reverse("programs:version-detail", args=[form.pk, 1]),
    ]


def test_every_builder_page_refuses_an_outsider(client, outsider, form):
    client.force_login(outsider)
    assert {url: client.get(url).status_code for url in _urls(form)} == dict.fromkeys(_urls(form), 403)


def test_every_builder_page_sends_the_anonymous_to_sign_in(client, form):
    assert {client.get(url).status_code for url in _urls(form)} == {302}


def test_every_builder_page_opens_for_program_staff(staff_client, form):
    assert {url: staff_client.get(url).status_code for url in _urls(form)} == dict.fromkeys(_urls(form), 200)


def test_move_refuses_an_outsider(client, outsider, form):
    client.force_login(outsider)
    question = form.questions.first()
    response = client.post(reverse("programs:question-move", args=[form.pk, question.pk]), {"direction": "down"})
    assert (response.status_code, [q.key for q in form.questions]) == (403, ["cofunded", "budget"])


def test_the_staff_dashboard_links_to_the_forms(staff_client):
    response = staff_client.get(reverse("people:dashboard"))
    assert reverse("programs:form-list") in _html(response)


@pytest.mark.parametrize("count", [1, 3])
def test_form_list_runs_a_fixed_number_of_queries(staff_client, django_assert_num_queries, count):
    for _ in range(count):
        FormDefinitionFactory()
    with django_assert_num_queries(4):
        response = staff_client.get(reverse("programs:form-list"))
    assert len(response.context["forms"]) == count


def test_create_a_form(staff_client):
    response = staff_client.post(reverse("programs:form-create"), {"name": "Mentee application", "description": ""})
    form = FormDefinition.objects.get(name="Mentee application")
    assert (response.status_code, response["Location"], form.versions.count()) == (
        302,
        reverse("programs:form-detail", args=[form.pk]),
        1,
    )


def test_a_duplicate_form_name_is_refused(staff_client, form):
    response = staff_client.post(reverse("programs:form-create"), {"name": "idea APPLICATION"})
    assert (response.status_code, "Another form is already called “idea APPLICATION”." in _text(response)) == (
        200,
        True,
    )
    assert FormDefinition.objects.count() == 1


def test_add_a_question_with_translations_choices_and_a_condition(staff_client, form):
    data = _question_data(
        kind="single_choice",
        key="track",
        label_en="Track",
        label_es="Línea",
        choices_en="md = Medical oncology\nPalliative care",
        choices_es="md = Oncología médica",
        condition_key="cofunded",
        condition_values="yes",
    )
    response = staff_client.post(reverse("programs:question-add", args=[form.pk]), data)
    question = form.questions.get(key="track")
    assert (response.status_code, question.labels, question.choices, question.condition) == (
        302,
        {"en": "Track", "es": "Línea"},
        [["md", {"en": "Medical oncology", "es": "Oncología médica"}], ["Palliative care", {"en": "Palliative care"}]],
        {"key": "cofunded", "op": "equals", "values": ["yes"]},
    )
    detail = staff_client.get(reverse("programs:form-detail", args=[form.pk]))
    assert "Only if the answer to “Any co-funding?” is “Yes”." in _text(detail)


def test_adding_a_duplicate_key_shows_the_error_and_saves_nothing(staff_client, form):
    response = staff_client.post(reverse("programs:question-add", args=[form.pk]), _question_data(key="budget"))
    assert (
        response.status_code,
        "Another question in this form already uses the key “budget”." in _text(response),
    ) == (
        200,
        True,
    )
    assert Question.objects.filter(version__form=form, parent__isnull=True).count() == 2


def test_a_translated_choice_for_an_unknown_value_is_refused(staff_client, form):
    data = _question_data(kind="single_choice", choices_en="md = Medical", choices_fr="xx = Inconnu")
    response = staff_client.post(reverse("programs:question-add", args=[form.pk]), data)
    assert "Line 1: “xx” is not one of the English choices." in _text(response)


def test_add_a_column_to_a_group(staff_client, form):
    group = form.questions.get(key="budget")
    data = _question_data(kind="date", key="due", label_en="Due", group=str(group.pk))
    response = staff_client.post(reverse("programs:question-add", args=[form.pk]) + f"?group={group.pk}", data)
    assert (response.status_code, [c.key for c in group.columns.order_by("order")]) == (302, ["item", "amount", "due"])


def test_edit_a_question(staff_client, form):
    question = form.questions.get(key="cofunded")
    data = _question_data(kind="yes_no", key="cofunded", label_en="Co-funded?", label_fr="Cofinancé ?")
    response = staff_client.post(reverse("programs:question-edit", args=[form.pk, question.pk]), data)
    question.refresh_from_db()
    assert (response.status_code, question.labels) == (
        302,
        {"en": "Co-funded?", "es": "Título del proyecto", "fr": "Cofinancé ?"},
    )


def test_move_and_delete_a_question(staff_client, form):
    budget = form.questions.get(key="budget")
    staff_client.post(reverse("programs:question-move", args=[form.pk, budget.pk]), {"direction": "up"})
    assert [q.key for q in form.questions] == ["budget", "cofunded"]
    response = staff_client.post(reverse("programs:question-delete", args=[form.pk, budget.pk]))
    assert (response.status_code, [q.key for q in form.questions]) == (302, ["cofunded"])


def test_preview_checks_answers_and_saves_nothing(staff_client, form):
    url = reverse("programs:form-preview", args=[form.pk])
    fields = {question.key: question.field_name for question in form.questions}
    blank = staff_client.post(url, {})
    filled = staff_client.post(
        url, {fields["cofunded"]: "no", f"{fields['budget']}-0-item": "Flights", f"{fields['budget']}-0-amount": "12"}
    )
    assert ("Please answer this question." in _text(blank), "Everything is in order" in _text(filled)) == (True, True)
    assert "USD 12.00" in _text(filled)


def test_the_form_page_shows_versions_and_which_is_current(staff_client, form, coordinator):
    from oncoreach.programs.models import ResponseSet
    from oncoreach.programs.services import freeze_response_set, save_question

    freeze_response_set(response_set=ResponseSet.objects.create(form=form))
    question = form.questions.get(key="cofunded")
    save_question(form=form, spec=_question_spec(question), actor=coordinator, question=question)
    text = _text(staff_client.get(reverse("programs:form-detail", args=[form.pk])))
    assert "Version 2 is current." in text
    assert "2 (current)" in text
    old = staff_client.get(reverse("programs:version-detail", args=[form.pk, 1]))
    assert "An earlier version" in _text(old)


def _question_spec(question):
    return {
        "kind": question.kind,
        "key": question.key,
        "labels": {"en": "Changed"},
        "audiences": question.audiences,
        "condition": {},
    }


@pytest.mark.parametrize("group", ["abc", "999999"])
def test_adding_a_column_to_no_group_is_not_found(staff_client, form, group):
    response = staff_client.get(reverse("programs:question-add", args=[form.pk]) + f"?group={group}")
    assert response.status_code == 404


def test_adding_a_column_to_a_question_that_is_not_a_group_is_not_found(staff_client, form):
    question = form.questions.get(key="cofunded")
    response = staff_client.get(reverse("programs:question-add", args=[form.pk]) + f"?group={question.pk}")
    assert response.status_code == 404


def test_a_question_of_another_form_is_not_found(staff_client, form):
    other = create_form_definition(name="Other", questions=[{"kind": "short_text", "label": "X"}])
    question = other.questions.get()
    response = staff_client.get(reverse("programs:question-edit", args=[form.pk, question.pk]))
    assert response.status_code == 404
