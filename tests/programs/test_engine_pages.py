"""The engine's forms on a real page (a call's application form): sections, conditions and
repeating groups render and work without JavaScript."""

import pytest
from django.urls import reverse

from oncoreach.programs.forms_engine import answer_by_key, create_form_definition
from tests.conftest import _persona
from tests.factories.calls import ApplicationFactory, CallFactory

pytestmark = [pytest.mark.integration]


@pytest.fixture
def application(db):
    form = create_form_definition(
        name="Grant application",
        questions=[
            {"kind": "section", "key": "plan", "label": "The plan", "help_text": "What you will do."},
            {"kind": "yes_no", "key": "cofunded", "label": "Any co-funding?"},
            {
                "kind": "short_text",
                "key": "cofunder",
                "label": "Who co-funds it?",
                "condition": {"key": "cofunded", "op": "equals", "values": ["yes"]},
            },
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
    applicant = _persona("applicant@example.org", "Ana Applicant", member=False)
    return ApplicationFactory(call=CallFactory(form=form), applicant=applicant.person)


def _fields(application):
    return {question.key: question.field_name for question in application.call.form.questions}


def test_the_application_form_shows_sections_conditions_and_a_group(client, application):
    client.force_login(application.applicant.user)
    html = client.get(reverse("calls:application-edit", args=[application.pk])).content.decode()
    assert "<h2>The plan</h2>" in html
    assert "Only if the answer to “Any co-funding?” is “Yes”." in html
    assert 'name="add_row"' in html
    assert html.count('src="/static/js/forms_engine.js"') == 1


def test_add_a_row_without_javascript_keeps_the_draft_and_shows_a_new_row(client, application):
    client.force_login(application.applicant.user)
    fields = _fields(application)
    budget = fields["budget"]
    url = reverse("calls:application-edit", args=[application.pk])
    response = client.post(url, {f"{budget}-0-item": "Flights", f"{budget}-0-amount": "900", "add_row": budget})
    html = response.content.decode()
    assert (response.status_code, f'name="{budget}-1-item"' in html, "USD 900.00" in html) == (200, True, True)
    application.response_set.refresh_from_db()
    assert [row["item"] for row in answer_by_key(application.response_set, "budget")] == ["Flights"]
