"""Every impact figure against the hand-counted records of ``conftest.impact_records``."""

import datetime as dt
from decimal import Decimal

import pytest
from django.core.exceptions import ImproperlyConfigured

from oncoreach.programs import impact
from oncoreach.programs.impact import Figure, FigureFamily, FigureRow
from oncoreach.reporting.selectors import ImpactFilters, impact_report
from tests.factories.workshops import CourseFactory, RegistrationFactory

pytestmark = [pytest.mark.integration]

REACH = (
    "people_trained",
    "courses_held",
    "faculty_trips",
    "volunteer_hours",
    "stories_published",
    "awards_made",
    "grant_money",
    "mentorships_active",
    "mentorships_completed",
)


def _row(values, keys=REACH):
    return tuple(values[key] for key in keys)


def _table(report, dimension, keys=REACH):
    return [(line.key, _row(line.values, keys)) for line in report.table(dimension)]


def test_totals_count_what_each_figure_says(impact_records):
    report = impact_report()

    assert _row(report.totals) == (5, 2, 2, Decimal("53.0"), 3, 2, Decimal(5000), 2, 1)


def test_follow_up_roll_up_counts_only_submitted_surveys(impact_records):
    report = impact_report()

    one_year = {line.key: line.values for line in report.follow_up}["1y"]
    assert one_year == {"answers": 2, "practice_changed": 1, "colleagues_trained": 40, "multiplier": Decimal("20.0")}
    assert [line.values["answers"] for line in report.follow_up] == [0, 2, 0]
    assert [line.values["multiplier"] for line in report.follow_up] == [None, Decimal("20.0"), None]


def test_by_country_people_count_where_they_practise(impact_records):
    report = impact_report()

    assert _table(report, "country") == [
        ("KEN", (4, 2, 2, Decimal("8.0"), 2, 1, Decimal(5000), 1, 1)),
        ("PER", (1, 0, 0, 0, 1, 1, 0, 1, 0)),
        ("USA", (0, 0, 0, Decimal("40.0"), 0, 0, 0, 0, 0)),
        ("", (0, 0, 0, Decimal("5.0"), 1, 0, 0, 0, 0)),
    ]
    kenya = report.table("country")[0]
    assert (kenya.label, kenya.url, kenya.pk) == ("Kenya", "/en/countries/kenya/", impact_records.kenya.pk)


def test_by_income_group_uses_the_classification_of_each_rows_fiscal_year(impact_records):
    report = impact_report()

    # Kenya was low income in FY2024 (the March course) and lower middle from FY2025 (September).
    assert _table(report, "income_group", keys=("people_trained", "courses_held", "stories_published")) == [
        ("L", (2, 1, 2)),
        ("LM", (2, 1, 0)),
        ("UM", (1, 0, 1)),
        ("H", (0, 0, 0)),  # the US volunteer's hours
        ("", (0, 0, 1)),
    ]
    assert [line.label for line in report.table("income_group")][:2] == ["Low income", "Lower middle income"]


def test_by_region_counts_a_story_about_two_countries_once_in_each(impact_records):
    report = impact_report()

    assert _table(report, "region", keys=("people_trained", "stories_published", "volunteer_hours")) == [
        ("LAC", (1, 1, 0)),
        ("NA", (0, 0, Decimal("40.0"))),
        ("SSA", (4, 2, Decimal("8.0"))),
        ("", (0, 1, Decimal("5.0"))),
    ]


def test_by_program_and_by_year(impact_records):
    report = impact_report()

    assert _table(report, "program", keys=("people_trained", "courses_held", "faculty_trips", "stories_published")) == [
        ("mcmc", (3, 1, 1, 1)),
        ("palliative", (2, 1, 1, 0)),
        ("", (0, 0, 0, 2)),
    ]
    assert _table(report, "year", keys=("people_trained", "stories_published", "volunteer_hours")) == [
        ("2023", (0, 1, Decimal("5.0"))),
        ("2024", (5, 2, Decimal("48.0"))),
    ]
    assert report.years == [2023, 2024]


def test_journeys_go_from_home_to_host(impact_records):
    report = impact_report()

    assert [(j.origin.iso3, j.destination.iso3, j.count) for j in report.journeys] == [("USA", "KEN", 2)]


@pytest.mark.parametrize(
    ("filters", "expected"),
    [
        ({"year_from": 2024, "year_to": 2024}, (5, 2, 2, Decimal("48.0"), 2)),
        ({"year_to": 2023}, (0, 0, 0, Decimal("5.0"), 1)),
        ({"regions": {"SSA"}}, (4, 2, 2, Decimal("8.0"), 2)),
        ({"income_groups": {"L"}}, (2, 1, 1, Decimal("8.0"), 2)),
        ({"income_groups": {"UM", "H"}}, (1, 0, 0, Decimal("40.0"), 1)),
        ({"programs": "mcmc"}, (3, 1, 1, 0, 1)),
    ],
)
def test_filters_narrow_every_figure(impact_records, filters, expected):
    if filters.get("programs"):
        filters = {"programs": {impact_records.mcmc.pk}}
    report = impact_report(
        filters=ImpactFilters(**{k: frozenset(v) if isinstance(v, set) else v for k, v in filters.items()})
    )

    keys = ("people_trained", "courses_held", "faculty_trips", "volunteer_hours", "stories_published")
    assert _row(report.totals, keys) == expected


def test_region_filter_applies_to_journeys_by_destination(impact_records):
    assert impact_report(filters=ImpactFilters(regions=frozenset({"LAC"}))).journeys == []


def test_a_day_after_the_newest_fiscal_year_takes_the_newest_income_group(impact_records):
    later = CourseFactory(
        country=impact_records.kenya,
        program=impact_records.mcmc,
        end_date=dt.date(2026, 9, 1),
        start_date=dt.date(2026, 8, 30),
        status="held",
    )
    RegistrationFactory(course=later, person__country_of_practice=impact_records.kenya, status="attended")

    report = impact_report(filters=ImpactFilters(year_from=2026))

    assert _table(report, "income_group", keys=("people_trained",)) == [("LM", (1,))]


def test_awards_and_mentoring_register_their_families():
    assert {"awards_made", "grant_money", "mentorships_active", "mentorships_completed"} <= impact.provided_keys()


def test_apps_not_installed_contribute_zero_not_an_error(impact_records):
    from oncoreach.awards import figures

    impact.unregister_family(figures.AWARDS.name)
    try:
        assert "awards_made" not in impact.provided_keys()
        report = impact_report()
    finally:
        impact.register_family(figures.AWARDS)
    assert (report.totals["awards_made"], report.totals["grant_money"]) == (0, Decimal(5000))


def test_awards_and_mentorships_by_program_year_and_income_group(impact_records):
    report = impact_report()
    keys = ("awards_made", "grant_money", "mentorships_active", "mentorships_completed")

    assert _table(report, "program", keys=keys) == [
        ("mcmc", (1, Decimal(5000), 0, 0)),
        ("palliative", (1, 0, 2, 1)),
        ("", (0, 0, 0, 0)),
    ]
    # The payment of 2024-09-20 falls in FY2025, when Kenya was lower middle income; the
    # mentorships started in FY2024, when it was low income.
    assert _table(report, "income_group", keys=keys)[:3] == [
        ("L", (1, 0, 1, 0)),
        ("LM", (0, Decimal(5000), 0, 1)),
        ("UM", (1, 0, 1, 0)),
    ]
    narrowed = impact_report(filters=ImpactFilters(programs=frozenset({impact_records.palliative.pk})))
    assert _row(narrowed.totals, keys) == (1, 0, 2, 1)


def test_a_family_an_app_registers_is_counted_and_filtered(impact_records):
    family = FigureFamily(
        name="tests.awards",
        provides=("awards_made", "grant_money", "awardee_visits"),
        figures=(Figure("awardee_visits", "Awardee visits", "Visits."),),
        rows=lambda: [
            FigureRow(
                impact_records.peru.pk,
                impact_records.mcmc.pk,
                dt.date(2024, 6, 1),
                {"awards_made": 2, "grant_money": Decimal(20000), "awardee_visits": 1},
            ),
            FigureRow(
                impact_records.kenya.pk, None, dt.date(2025, 6, 1), {"awards_made": 1, "grant_money": Decimal(5000)}
            ),
        ],
    )
    impact.register_family(family)
    try:
        report = impact_report()
        narrowed = impact_report(filters=ImpactFilters(programs=frozenset({impact_records.mcmc.pk})))
    finally:
        impact.unregister_family("tests.awards")

    # Added to the real awards of the records (2 awards, 5,000 paid, of which MCMC 1 and 5,000).
    assert (report.totals["awards_made"], report.totals["grant_money"], report.totals["awardee_visits"]) == (
        5,
        Decimal(30000),
        1,
    )
    assert (narrowed.totals["awards_made"], narrowed.totals["grant_money"]) == (3, Decimal(25000))
    assert [line.key for line in report.table("year")] == ["2023", "2024", "2025"]


def test_a_family_with_an_undeclared_key_is_refused_at_start_up():
    family = FigureFamily(name="tests.bad", provides=("nonsense",), rows=list)

    with pytest.raises(ImproperlyConfigured, match="undeclared keys"):
        impact.register_family(family)


def test_a_family_may_not_redeclare_a_catalogue_figure():
    family = FigureFamily(name="tests.bad", provides=(), rows=list, figures=(Figure("people_trained", "x", "y"),))

    with pytest.raises(ImproperlyConfigured, match="already declared"):
        impact.register_family(family)


@pytest.mark.parametrize("courses", [1, 3])
def test_a_report_costs_a_constant_number_of_queries(impact_records, django_assert_num_queries, courses):
    for _ in range(courses):
        course = CourseFactory(
            country=impact_records.peru, status="held", end_date=dt.date(2024, 4, 1), start_date=dt.date(2024, 3, 30)
        )
        RegistrationFactory(course=course, status="attended")

    # 9 families (stories: 2), 1 journey source, countries, programs, and income groups for each.
    with django_assert_num_queries(15):
        impact_report()
