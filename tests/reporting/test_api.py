"""The impact figures in the JSON API: catalogue, totals, tables, filters and bad input."""

import pytest

from tests.api.conftest import error_code

pytestmark = [pytest.mark.integration]

API = "/api/v1/impact"


def test_catalogue_lists_every_figure_with_its_definition(client, impact_records):
    response = client.get(f"{API}/figures")

    items = {item["key"]: item for item in response.json()["items"]}
    assert items["people_trained"]["definition"].startswith("Course places attended")
    assert items["followup_1y_multiplier"]["unit"] == "ratio"


def test_totals_and_follow_up(client, impact_records):
    body = client.get(API).json()

    assert body["totals"]["people_trained"] == 5
    assert body["totals"]["volunteer_hours"] == 53.0
    assert (body["totals"]["awards_made"], body["totals"]["grant_money"]) == (2, 5000.0)
    assert body["follow_up"][1] == {
        "period": "1y",
        "answers": 2,
        "practice_changed": 1,
        "colleagues_trained": 40,
        "multiplier": 20.0,
    }
    assert body["years"] == [2023, 2024]


def test_tables_by_dimension_under_filters(client, impact_records):
    body = client.get(f"{API}/by/country", {"program": "mcmc", "year_from": 2024}).json()

    assert [(line["key"], line["values"]["people_trained"]) for line in body["items"]] == [("KEN", 2), ("PER", 1)]
    assert body["items"][0]["url"].endswith("/en/countries/kenya/")
    assert body["totals"]["people_trained"] == 3
    by_income = client.get(f"{API}/by/income_group", {"country": "KEN"}).json()
    assert [(line["key"], line["values"]["people_trained"]) for line in by_income["items"]] == [("L", 2), ("LM", 2)]


def test_a_filter_naming_nothing_we_know_gives_zeros(client, impact_records):
    assert client.get(API, {"program": "astrology"}).json()["totals"]["people_trained"] == 0
    assert client.get(API, {"country": "ZZZ"}).json()["totals"]["courses_held"] == 0


@pytest.mark.parametrize(
    ("url", "query", "status", "code"),
    [
        (API, {"colour": "red"}, 400, "unknown_parameter"),
        (API, {"year_from": 1200}, 422, "validation_failed"),
        (API, {"year_to": "soon"}, 422, "validation_failed"),
        (API, {"year_from": 2025, "year_to": 2024}, 400, "invalid_year_range"),
        (API, {"region": "MARS"}, 422, "validation_failed"),
        (API, {"country": "KENYA"}, 422, "validation_failed"),
        (f"{API}/by/planet", {}, 422, "validation_failed"),
    ],
)
@pytest.mark.usefixtures("impact_records")
def test_bad_input_gets_a_specific_error(client, url, query, status, code):
    response = client.get(url, query)

    assert response.status_code == status
    assert error_code(response) == code


def test_etag_and_304(client, impact_records):
    first = client.get(API)
    again = client.get(API, HTTP_IF_NONE_MATCH=first["ETag"])

    assert first["Cache-Control"] == "public, max-age=0, must-revalidate"
    assert again.status_code == 304


@pytest.mark.parametrize("courses", [0, 2])
def test_a_filtered_table_costs_a_constant_number_of_queries(
    client, impact_records, django_assert_num_queries, courses
):
    import datetime as dt

    from tests.factories.workshops import CourseFactory, RegistrationFactory

    for _ in range(courses):
        course = CourseFactory(
            country=impact_records.kenya, status="held", end_date=dt.date(2024, 4, 1), start_date=dt.date(2024, 3, 30)
        )
        RegistrationFactory(course=course, status="attended")

    with django_assert_num_queries(16):  # the report's 15 and the program look-up
        assert client.get(f"{API}/by/year", {"program": "mcmc"}).status_code == 200
