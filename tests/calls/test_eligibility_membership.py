"""A call can require membership of the society on its reference date (people.is_member_on)."""

import datetime as dt

import pytest

from oncoreach.calls.eligibility import judge_eligibility, rules_in_words, snapshot_in_words
from tests.factories.calls import CallFactory
from tests.factories.people import MembershipFactory, PersonFactory

pytestmark = [pytest.mark.unit]


@pytest.mark.parametrize(
    ("on", "eligible"),
    [
        (dt.date(2025, 12, 31), False),
        (dt.date(2026, 1, 1), True),
        (dt.date(2026, 12, 31), True),
        (dt.date(2027, 1, 1), False),
    ],
)
def test_membership_on_the_reference_date_is_required(db, on, eligible):
    person = PersonFactory()
    MembershipFactory(person=person, valid_from=dt.date(2026, 1, 1), valid_until=dt.date(2026, 12, 31))

    result = judge_eligibility(call=CallFactory(requires_membership=True), person=person, on=on)

    assert (result.eligible, [rule.rule for rule in result.rules]) == (eligible, ["membership"])


def test_a_person_without_membership_records_is_not_eligible_whatever_the_status_field_says(db):
    person = PersonFactory(membership_status="active")

    result = judge_eligibility(call=CallFactory(requires_membership=True), person=person, on=dt.date(2026, 3, 1))

    assert result.eligible is False
    assert result.rules[0].message == (
        "This call is for members of the society on 2026-03-01; our records show no membership of yours then."
    )


def test_an_open_ended_membership_counts(db):
    person = PersonFactory()
    MembershipFactory(person=person, valid_from=dt.date(2001, 5, 1), valid_until=None, category="Life")

    result = judge_eligibility(call=CallFactory(requires_membership=True), person=person, on=dt.date(2030, 1, 1))

    assert result.eligible is True
    assert [tuple(line) for line in snapshot_in_words(result.as_snapshot())] == [
        (True, "You were a member of the society on 2030-01-01.")
    ]


def test_calls_without_the_rule_ignore_membership(db):
    result = judge_eligibility(call=CallFactory(), person=PersonFactory(), on=dt.date(2026, 3, 1))

    assert (result.eligible, result.rules) == (True, ())


def test_the_rule_is_stated_on_the_call_page(db):
    call = CallFactory(requires_membership=True, reference_date=dt.date(2026, 6, 1))

    assert rules_in_words(call=call) == ["You are a member of the society on 2026-06-01."]
