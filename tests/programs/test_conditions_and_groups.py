"""Sections, "show if" conditions (checked on the server) and repeating groups (rows, totals,
caps, empty rows, add/remove without JavaScript)."""

from decimal import Decimal

import pytest
from django.http import QueryDict

from oncoreach.programs.forms_engine import (
    Money,
    answer_by_key,
    build_form,
    create_form_definition,
    missing_required,
    raw_answers,
    save_answers,
)
from oncoreach.programs.logic import condition_holds, visible_keys
from oncoreach.programs.models import ResponseSet
from oncoreach.programs.selectors import questions_for
from tests.factories.people import PersonFactory

pytestmark = [pytest.mark.integration]


def _data(**values) -> QueryDict:
    data = QueryDict(mutable=True)
    for key, value in values.items():
        if isinstance(value, list):
            data.setlist(key, value)
        else:
            data[key] = value
    return data


@pytest.fixture
def conditional_form(db):
    return create_form_definition(
        name="Grant",
        questions=[
            {"kind": "yes_no", "key": "cofunded", "label": "Any co-funding?"},
            {
                "kind": "long_text",
                "key": "cofunders",
                "label": "Who co-funds the project?",
                "condition": {"key": "cofunded", "op": "equals", "values": ["yes"]},
            },
            {
                "kind": "section",
                "key": "clinical",
                "label": "Clinical work",
                "help_text": "Only for clinical projects.",
                "condition": {"key": "cofunded", "op": "answered"},
            },
            {"kind": "short_text", "key": "site", "label": "Where?"},
        ],
    )


def _fields(form):
    return {question.key: question.field_name for question in questions_for(form)}


def test_a_hidden_required_question_does_not_block(conditional_form):
    fields = _fields(conditional_form)
    form = build_form(conditional_form, data=_data(**{fields["cofunded"]: "no", fields["site"]: "Kano"}), complete=True)
    assert (form.is_valid(), form.errors) == (True, {})


def test_a_shown_required_question_blocks(conditional_form):
    fields = _fields(conditional_form)
    form = build_form(
        conditional_form, data=_data(**{fields["cofunded"]: "yes", fields["site"]: "Kano"}), complete=True
    )
    assert form.errors == {fields["cofunders"]: ["Please answer this question."]}


def test_a_hidden_section_hides_its_questions(conditional_form):
    form = build_form(conditional_form, data=_data(), complete=True)
    assert sorted(form.errors) == [_fields(conditional_form)["cofunded"]]


def test_a_hidden_questions_bad_answer_does_not_block(conditional_form):
    question = create_form_definition(
        name="Limits",
        questions=[
            {"kind": "yes_no", "key": "has_site", "label": "Site?"},
            {
                "kind": "long_text",
                "key": "about",
                "label": "About",
                "max_words": 1,
                "condition": {"key": "has_site", "op": "equals", "values": ["yes"]},
            },
        ],
    )
    fields = _fields(question)
    form = build_form(question, data=_data(**{fields["has_site"]: "no", fields["about"]: "far too many words"}))
    assert form.is_valid() is True


def test_missing_required_skips_hidden_questions(conditional_form):
    fields = _fields(conditional_form)
    response_set = ResponseSet.objects.create(form=conditional_form, respondent=PersonFactory())
    save_answers(response_set=response_set, values={fields["cofunded"]: "no"})
    assert [question.key for question in missing_required(response_set=response_set)] == ["site"]


def test_without_javascript_every_question_shows_with_its_condition_in_words(conditional_form):
    form = build_form(conditional_form)
    html = str(form)
    fields = _fields(conditional_form)
    assert list(form.fields) == list(fields.values())
    assert "Only if the answer to “Any co-funding?” is “Yes”." in html
    assert 'data-show-if="{&quot;key&quot;: &quot;cofunded&quot;' in html
    assert "js/forms_engine.js" in html


def test_condition_rules():
    assert [
        condition_holds({"key": "a", "op": "equals", "values": ["x"]}, "x"),
        condition_holds({"key": "a", "op": "equals", "values": ["x"]}, ["y", "x"]),
        condition_holds({"key": "a", "op": "one_of", "values": ["x", "z"]}, "z"),
        condition_holds({"key": "a", "op": "one_of", "values": ["x"]}, ""),
        condition_holds({"key": "a", "op": "answered"}, [{"title": ""}]),
        condition_holds({"key": "a", "op": "answered"}, [{"title": "A paper"}]),
        condition_holds({}, None),
    ] == [True, True, True, False, False, True, True]


def test_a_condition_on_a_hidden_question_sees_no_answer(conditional_form):
    items = questions_for(conditional_form)
    chained = [*items]
    chained[3].condition = {"key": "cofunders", "op": "answered"}
    assert "site" not in visible_keys(chained, {"cofunded": "no", "cofunders": "stale text"})


# --- Repeating groups ---------------------------------------------------------------------------


@pytest.fixture
def budget_form(db):
    return create_form_definition(
        name="IIG budget",
        questions=[
            {"kind": "short_text", "key": "project_title", "label": "Project title"},
            {
                "kind": "group",
                "key": "budget",
                "label": "Budget",
                "currency": "USD",
                "max_rows": 3,
                "columns": [
                    {"kind": "short_text", "key": "item", "label": "Item"},
                    {
                        "kind": "single_choice",
                        "key": "category",
                        "label": "Category",
                        "choices": [["travel", "Travel"], ["equipment", "Equipment"]],
                        "required": False,
                    },
                    {"kind": "money", "key": "amount", "label": "Amount"},
                ],
            },
        ],
    )


def _rows(form, rows, extra=None):
    name = _fields(form)["budget"]
    data = QueryDict(mutable=True)
    for index, row in enumerate(rows):
        for key, value in row.items():
            data[f"{name}-{index}-{key}"] = value
    for key, value in (extra or {}).items():
        data[key] = value
    return data


def test_a_group_keeps_rows_drops_empty_ones_and_totals_them(budget_form):
    rows = [
        {"item": "Flights", "category": "travel", "amount": "1200.50"},
        {"item": "", "category": "", "amount": ""},
        {"item": "Laptop", "category": "equipment", "amount": "800"},
    ]
    form = build_form(budget_form, data=_rows(budget_form, rows), caps={"budget": Money(Decimal(20000), "USD")})
    assert form.is_valid() is True
    name = _fields(budget_form)["budget"]
    assert form.cleaned_data[name] == [
        {"item": "Flights", "category": "travel", "amount": "1200.50"},
        {"item": "Laptop", "category": "equipment", "amount": "800.00"},
    ]
    assert "USD 2,000.50" in str(form)


def test_a_group_total_over_the_cap_is_refused(budget_form):
    rows = [{"item": "Scanner", "category": "equipment", "amount": "19000"}, {"item": "Travel", "amount": "1500"}]
    form = build_form(budget_form, data=_rows(budget_form, rows), caps={"budget": Money(Decimal(20000), "USD")})
    assert form.errors == {
        _fields(budget_form)["budget"]: ["The total, USD 20,500.00, is over the limit of USD 20,000.00."]
    }


def test_a_cap_in_another_currency_is_a_programming_error(budget_form):
    form = build_form(
        budget_form, data=_rows(budget_form, [{"item": "x", "amount": "1"}]), caps={"budget": Money(Decimal(1), "EUR")}
    )
    with pytest.raises(ValueError, match="EUR"):
        form.is_valid()


def test_a_group_checks_each_cell_and_required_columns_and_row_count(budget_form):
    rows = [{"item": "", "amount": "12"}, {"item": "A", "amount": "lots"}, {"item": "B"}, {"item": "C"}]
    form = build_form(budget_form, data=_rows(budget_form, rows))
    assert form.errors[_fields(budget_form)["budget"]] == [
        "Row 1: please fill in “Item”.",
        "Row 2, Amount (USD): Enter a number.",
        "Row 3: please fill in “Amount (USD)”.",
        "Row 4: please fill in “Amount (USD)”.",
        "At most 3 rows, please.",
    ]


def test_remove_row_without_javascript_drops_that_row_and_never_submits(budget_form):
    name = _fields(budget_form)["budget"]
    rows = [{"item": "Flights", "amount": "10"}, {"item": "Hotel", "amount": "20"}]
    form = build_form(budget_form, data=_rows(budget_form, rows, {"remove_row": f"{name}-0"}), complete=True)
    assert form.is_valid() is False
    assert form.non_field_errors() == ["The rows are updated. Nothing is sent until you save or submit."]
    assert raw_answers(form=form)[name] == [{"item": "Hotel", "category": "", "amount": "20.00"}]


def test_add_row_without_javascript_shows_a_blank_row_after_the_typed_ones(budget_form):
    name = _fields(budget_form)["budget"]
    form = build_form(budget_form, data=_rows(budget_form, [{"item": "Flights", "amount": "10"}], {"add_row": name}))
    form.is_valid()
    html = str(form)
    assert (f'name="{name}-0-item"' in html, f'name="{name}-1-item"' in html, f'name="{name}-2-item"' in html) == (
        True,
        True,
        False,
    )


def test_a_saved_group_answers_by_key_with_decimal_money(budget_form):
    name = _fields(budget_form)["budget"]
    response_set = ResponseSet.objects.create(form=budget_form, respondent=PersonFactory())
    form = build_form(
        budget_form, data=_rows(budget_form, [{"item": "Flights", "category": "travel", "amount": "10.5"}])
    )
    assert form.is_valid() is True
    save_answers(response_set=response_set, values=raw_answers(form=form))
    assert answer_by_key(response_set, "budget") == [
        {"item": "Flights", "category": "travel", "amount": Money(Decimal("10.50"), "USD")}
    ]
    assert raw_answers(form=form)[name][0]["amount"] == "10.50"


def test_a_required_group_without_rows_is_missing(budget_form):
    response_set = ResponseSet.objects.create(form=budget_form, respondent=PersonFactory())
    name = _fields(budget_form)["budget"]
    save_answers(response_set=response_set, values={name: [{"item": "", "category": "", "amount": ""}]})
    assert [question.key for question in missing_required(response_set=response_set)] == ["project_title", "budget"]


def test_availability_windows_are_a_group_of_weekdays_and_times(db):
    """Mentoring's weekly availability: one row per window, times typed as HH:MM."""
    import datetime as dt

    form = create_form_definition(
        name="Mentee availability",
        questions=[
            {
                "kind": "group",
                "key": "availability",
                "label": "When can you meet (your time zone)?",
                "columns": [
                    {
                        "kind": "single_choice",
                        "key": "day",
                        "label": "Day",
                        "choices": [["mon", "Monday"], ["tue", "Tuesday"]],
                    },
                    {"kind": "time", "key": "start", "label": "From"},
                    {"kind": "time", "key": "end", "label": "To"},
                ],
            }
        ],
    )
    name = _fields(form)["availability"]
    data = _data(**{f"{name}-0-day": "mon", f"{name}-0-start": "18:00", f"{name}-0-end": "19:30"})
    built = build_form(form, data=data, complete=True)
    assert built.is_valid() is True
    response_set = ResponseSet.objects.create(form=form, respondent=PersonFactory())
    save_answers(response_set=response_set, values=raw_answers(form=built))
    assert answer_by_key(response_set, "availability") == [{"day": "mon", "start": dt.time(18), "end": dt.time(19, 30)}]
