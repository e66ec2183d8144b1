"""Eligibility is judged from data: income group as of a date, career stage, prior awards."""

import datetime as dt

import pytest

from oncoreach.calls.eligibility import judge_eligibility, rules_in_words
from tests.factories.calls import ApplicationFactory, CallFactory, CycleFactory
from tests.factories.geo import CountryFactory, IncomeClassificationFactory
from tests.factories.people import PersonFactory
from tests.factories.programs import ProgramFactory

pytestmark = [pytest.mark.integration]


@pytest.fixture
def countries(db):
    """Kenya-like LMIC, a high-income country, and one that moved up on 1 July 2025."""
    lmic = CountryFactory(iso3="KEN", iso2="KE", name="Kenya", slug="kenya")
    high = CountryFactory(iso3="CHE", iso2="CH", name="Switzerland", slug="switzerland", income_group="H")
    mover = CountryFactory(iso3="BGR", iso2="BG", name="Bulgaria", slug="bulgaria", income_group="H")
    for year in (2025, 2026):
        IncomeClassificationFactory(country=lmic, fiscal_year=year, income_group="LM")
        IncomeClassificationFactory(country=high, fiscal_year=year, income_group="H")
    IncomeClassificationFactory(country=mover, fiscal_year=2025, income_group="UM")
    IncomeClassificationFactory(country=mover, fiscal_year=2026, income_group="H")
    return {"lmic": lmic, "high": high, "mover": mover}


def _lmic_call(**kwargs):
    return CallFactory(eligible_income_groups=["L", "LM", "UM"], **kwargs)


def test_lmic_by_practice_is_eligible(countries):
    person = PersonFactory(country_of_practice=countries["lmic"], country_of_residence=countries["high"])
    result = judge_eligibility(call=_lmic_call(), person=person, on=dt.date(2026, 3, 1))
    assert (result.eligible, result.income_group, result.fiscal_year, result.country) == (True, "LM", 2026, "Kenya")


def test_residence_counts_when_the_call_says_so(countries):
    person = PersonFactory(country_of_practice=countries["lmic"], country_of_residence=countries["high"])
    result = judge_eligibility(call=_lmic_call(country_basis="residence"), person=person, on=dt.date(2026, 3, 1))
    assert (result.eligible, result.income_group, result.country) == (False, "H", "Switzerland")
    assert result.rules[0].message == (
        "Switzerland was in the group “High income” in fiscal year 2026; this call accepts: "
        "Low income, Lower middle income, Upper middle income."
    )


def test_as_of_date_before_1_july_uses_the_old_fiscal_year(countries):
    person = PersonFactory(country_of_practice=countries["mover"])
    result = judge_eligibility(call=_lmic_call(), person=person, on=dt.date(2025, 6, 30))
    assert (result.eligible, result.fiscal_year, result.income_group) == (True, 2025, "UM")


def test_as_of_date_from_1_july_uses_the_new_fiscal_year(countries):
    person = PersonFactory(country_of_practice=countries["mover"])
    result = judge_eligibility(call=_lmic_call(), person=person, on=dt.date(2025, 7, 1))
    assert (result.eligible, result.fiscal_year, result.income_group) == (False, 2026, "H")


def test_reference_date_defaults_to_the_cycles(countries):
    person = PersonFactory(country_of_practice=countries["mover"])
    call = _lmic_call(cycle=CycleFactory(reference_date=dt.date(2025, 6, 1)))
    result = judge_eligibility(call=call, person=person)
    assert (result.reference_date, result.fiscal_year, result.eligible) == (dt.date(2025, 6, 1), 2025, True)


def test_call_reference_date_overrides_the_cycles(countries):
    person = PersonFactory(country_of_practice=countries["mover"])
    call = _lmic_call(cycle=CycleFactory(reference_date=dt.date(2025, 6, 1)), reference_date=dt.date(2025, 8, 1))
    assert judge_eligibility(call=call, person=person).fiscal_year == 2026


def test_date_after_newest_year_uses_newest_and_is_flagged(countries):
    person = PersonFactory(country_of_practice=countries["lmic"])
    result = judge_eligibility(call=_lmic_call(), person=person, on=dt.date(2027, 1, 15))
    snapshot = result.as_snapshot()
    assert (snapshot["fiscal_year"], snapshot["is_after_newest_year"], snapshot["eligible"]) == (2026, True, True)


def test_missing_country_is_not_eligible(countries):
    person = PersonFactory(country_of_practice=None, country_of_residence=None)
    result = judge_eligibility(call=_lmic_call(), person=person, on=dt.date(2026, 3, 1))
    assert ([r.rule for r in result.rules], result.eligible) == (["country_missing"], False)


def test_career_stage_outside_the_allowed_ones_is_not_eligible(db):
    person = PersonFactory(career_stage="senior")
    result = judge_eligibility(call=CallFactory(allowed_career_stages=["trainee", "early"]), person=person)
    assert (result.eligible, result.rules[0].message) == (
        False,
        "This call is for other career stages than yours (Senior).",
    )


def test_career_stage_allowed_is_eligible(db):
    person = PersonFactory(career_stage="early")
    assert judge_eligibility(call=CallFactory(allowed_career_stages=["early"]), person=person).eligible is True


@pytest.mark.parametrize(("finished", "eligible"), [(2016, True), (2015, False), (None, False)])
def test_years_since_training_limit(db, finished, eligible):
    person = PersonFactory(training_completed_year=finished)
    call = CallFactory(max_years_since_training=10)
    assert judge_eligibility(call=call, person=person, on=dt.date(2026, 3, 1)).eligible is eligible


def test_prior_award_in_excluded_program_within_years_is_not_eligible(db):
    program = ProgramFactory(name="Travel Award", slug="travel-award")
    person = PersonFactory()
    earlier = ApplicationFactory(
        call=CallFactory(cycle=CycleFactory(program=program, year=2024)),
        applicant=person,
        status="accepted",
        decided_at=dt.datetime(2024, 5, 1, tzinfo=dt.UTC),
    )
    call = CallFactory(prior_award_years=3)
    call.prior_award_programs.add(program)
    result = judge_eligibility(call=call, person=person, on=dt.date(2026, 3, 1))
    assert (result.eligible, result.rules[0].message) == (
        False,
        "You were accepted in Travel Award (2024), which this call excludes.",
    )
    assert earlier.pk is not None


def test_prior_award_outside_the_window_is_eligible(db):
    program = ProgramFactory()
    person = PersonFactory()
    ApplicationFactory(
        call=CallFactory(cycle=CycleFactory(program=program)),
        applicant=person,
        status="accepted",
        decided_at=dt.datetime(2020, 5, 1, tzinfo=dt.UTC),
    )
    call = CallFactory(prior_award_years=3)
    call.prior_award_programs.add(program)
    assert judge_eligibility(call=call, person=person, on=dt.date(2026, 3, 1)).eligible is True


def test_rejected_prior_application_does_not_exclude(db):
    program = ProgramFactory()
    person = PersonFactory()
    ApplicationFactory(call=CallFactory(cycle=CycleFactory(program=program)), applicant=person, status="rejected")
    call = CallFactory()
    call.prior_award_programs.add(program)
    assert judge_eligibility(call=call, person=person).eligible is True


def test_rules_in_words_for_open_call(db):
    assert rules_in_words(call=CallFactory()) == ["Anyone may apply."]


def test_rules_in_words_lists_each_rule(db):
    call = CallFactory(
        eligible_income_groups=["L", "LM"],
        allowed_career_stages=["early"],
        reference_date=dt.date(2026, 3, 1),
        reference_letters_required=2,
    )
    assert rules_in_words(call=call) == [
        "Your country of practice must be in one of these World Bank income groups on 2026-03-01: "
        "Low income, Lower middle income.",
        "Career stages accepted: Early career (under 10 years after training).",
        "You name 2 referees, who upload their letters through a private link.",
    ]
