"""The public read endpoints: stories, courses and sessions, open calls, countries."""

import datetime as dt

import pytest
from django.utils import timezone

from tests.api.conftest import error_code
from tests.factories.calls import CallFactory, CycleFactory, RubricCriterionFactory
from tests.factories.geo import CountryFactory, IncomeClassificationFactory
from tests.factories.people import PersonFactory
from tests.factories.programs import ProgramFactory
from tests.factories.stories import make_story
from tests.factories.workshops import CourseFactory, SessionFactory

pytestmark = [pytest.mark.integration, pytest.mark.django_db]


def slugs(response, key="slug"):
    assert response.status_code == 200, response.content
    return [item[key] for item in response.json()["items"]]


# --- Stories ------------------------------------------------------------------------------------


def test_stories_list_newest_first_with_authors_and_tags(client, story_index):
    kenya = CountryFactory(iso3="KQQ", slug="kqq")
    program = ProgramFactory(slug="mentoring", name="Mentoring")
    author = PersonFactory(given_name="Amina", family_name="Otieno")
    make_story(title="Older", date=dt.date(2025, 5, 1))
    make_story(
        title="Newer",
        date=dt.date(2026, 2, 1),
        countries=[kenya],
        programs=[program],
        topics=["Radiotherapy"],
        authors=[author],
    )
    make_story(title="Draft", live=False)
    response = client.get("/api/v1/stories")
    assert slugs(response) == ["newer", "older"]
    newer = response.json()["items"][0]
    assert newer["authors"] == ["Amina Otieno"]
    assert (newer["countries"], newer["programs"], newer["topics"]) == (["KQQ"], ["mentoring"], ["radiotherapy"])
    assert newer["date"] == "2026-02-01"
    assert newer["url"].endswith("/en/stories/newer/")


def test_stories_filters_narrow_the_list(client, story_index):
    kenya = CountryFactory(iso3="KQQ", slug="kqq")
    program = ProgramFactory(slug="mentoring", name="Mentoring")
    make_story(title="Kenya 2025", date=dt.date(2025, 3, 1), countries=[kenya])
    make_story(title="Kenya 2026", date=dt.date(2026, 3, 1), countries=[kenya], programs=[program], topics=["Surgery"])
    make_story(title="Elsewhere", date=dt.date(2026, 4, 1))
    assert slugs(client.get("/api/v1/stories?country=kqq")) == ["kenya-2026", "kenya-2025"]
    assert slugs(client.get("/api/v1/stories?country=KQQ&year=2025")) == ["kenya-2025"]
    assert slugs(client.get("/api/v1/stories?program=mentoring")) == ["kenya-2026"]
    assert slugs(client.get("/api/v1/stories?topic=surgery")) == ["kenya-2026"]
    assert slugs(client.get("/api/v1/stories?q=Elsewhere")) == ["elsewhere"]


def test_stories_filter_naming_nothing_known_gives_an_empty_list(client, story_index):
    make_story(title="Anything")
    assert slugs(client.get("/api/v1/stories?country=ZZZ")) == []
    assert slugs(client.get("/api/v1/stories?topic=no-such-topic")) == []


def test_stories_pages_follow_the_cursor_to_the_end(client, story_index):
    for day in range(1, 6):
        make_story(title=f"Day {day}", date=dt.date(2026, 1, day))
    first = client.get("/api/v1/stories?limit=2").json()
    second = client.get(first["next"]).json()
    third = client.get(f"/api/v1/stories?limit=2&cursor={second['next_cursor']}").json()
    seen = [item["slug"] for page in (first, second, third) for item in page["items"]]
    assert seen == ["day-5", "day-4", "day-3", "day-2", "day-1"]
    assert (third["next_cursor"], third["next"]) == (None, None)
    assert first["next"].startswith("/api/v1/stories?limit=2&cursor=")


def test_story_detail_has_the_text(client, story_index):
    make_story(title="With text", body=[("paragraph", "<p>Tumour boards in Kisumu.</p>")])
    body = client.get("/api/v1/stories/with-text").json()
    assert (body["title"], "Tumour boards in Kisumu." in body["body_html"]) == ("With text", True)


def test_story_detail_of_a_draft_is_not_found(client, story_index):
    make_story(title="Secret draft", live=False)
    response = client.get("/api/v1/stories/secret-draft")
    assert (response.status_code, error_code(response)) == (404, "not_found")


@pytest.mark.parametrize("count", [1, 3])
def test_stories_list_query_count_is_constant(client, story_index, django_assert_num_queries, count):
    author = PersonFactory()
    for number in range(count):
        make_story(title=f"Story {number}", countries=[CountryFactory()], topics=["Topic"], authors=[author])
    with django_assert_num_queries(8):
        assert len(slugs(client.get("/api/v1/stories"))) == count


# --- Courses --------------------------------------------------------------------------------------


def test_courses_list_public_courses_only(client):
    shown = CourseFactory(slug="kathmandu-2027", status="open")
    CourseFactory(slug="planned", status="planning")
    CourseFactory(slug="cancelled", status="cancelled")
    body = client.get("/api/v1/courses").json()
    assert [item["slug"] for item in body["items"]] == [shown.slug]
    item = body["items"][0]
    assert (item["time_zone"], item["utc_offset"], item["start_date"]) == ("Asia/Kathmandu", "+05:45", "2027-03-05")


def test_courses_filters_and_when(client):
    nepal = CountryFactory(iso3="NQQ", slug="nqq", region="SA")
    past = CourseFactory(slug="past", start_date=dt.date(2024, 5, 1), end_date=dt.date(2024, 5, 3), status="closed")
    coming = CourseFactory(slug="coming", host_organization__country=nepal, languages=["fr"])
    assert slugs(client.get("/api/v1/courses?when=past")) == [past.slug]
    assert slugs(client.get("/api/v1/courses?when=upcoming")) == [coming.slug]
    assert slugs(client.get("/api/v1/courses?country=NQQ")) == [coming.slug]
    assert slugs(client.get("/api/v1/courses?region=SA&language=fr")) == [coming.slug]
    assert slugs(client.get("/api/v1/courses?year=2024")) == [past.slug]
    assert slugs(client.get("/api/v1/courses?course_type=ictw")) == []


def test_course_detail_has_sessions_in_the_course_time_zone(client):
    course = CourseFactory(slug="kathmandu-2027")
    teacher = PersonFactory(given_name="Rita", family_name="Shrestha")
    session = SessionFactory(course=course, title="Staging", start_time=dt.time(9), end_time=dt.time(10, 30))
    session.faculty.add(teacher)
    body = client.get("/api/v1/courses/kathmandu-2027").json()
    assert body["sessions"] == [
        {
            "title": "Staging",
            "day": "2027-03-05",
            "starts_at": "2027-03-05T09:00:00+05:45",
            "ends_at": "2027-03-05T10:30:00+05:45",
            "module": None,
            "faculty": ["Rita Shrestha"],
        }
    ]
    assert body["faculty"] == [{"name": "Rita Shrestha", "role": ""}]


def test_course_detail_of_a_course_in_planning_is_not_found(client):
    CourseFactory(slug="planned", status="planning")
    assert client.get("/api/v1/courses/planned").status_code == 404


@pytest.mark.parametrize("count", [1, 3])
def test_courses_list_query_count_is_constant(client, django_assert_num_queries, count):
    CourseFactory.create_batch(count)
    with django_assert_num_queries(2):
        assert len(slugs(client.get("/api/v1/courses"))) == count


# --- Calls ----------------------------------------------------------------------------------------


def test_open_calls_give_deadlines_with_offset_and_time_zone(client):
    closes = dt.datetime(2030, 6, 30, 20, 59, tzinfo=dt.UTC)
    CallFactory(slug="nairobi", time_zone="Africa/Nairobi", closes_at=closes, eligible_income_groups=["L", "LM"])
    CallFactory(
        slug="closed", closes_at=timezone.now() - dt.timedelta(days=1), opens_at=timezone.now() - dt.timedelta(days=9)
    )
    CallFactory(slug="unpublished", is_published=False)
    body = client.get("/api/v1/calls").json()
    assert [item["slug"] for item in body["items"]] == ["nairobi"]
    call = body["items"][0]
    assert call["closes_at"] == "2030-06-30T23:59:00+03:00"
    assert call["closes_at_utc"] == "2030-06-30T20:59:00Z"
    assert (call["time_zone"], call["is_open"], call["eligible_income_groups"]) == ("Africa/Nairobi", True, ["L", "LM"])


def test_open_calls_filter_by_kind_and_program(client):
    program = ProgramFactory(slug="fellowships", name="Fellowships")
    CallFactory(slug="award", kind="award", cycle=CycleFactory(program=program))
    CallFactory(slug="host", kind="host")
    assert slugs(client.get("/api/v1/calls?kind=host")) == ["host"]
    assert slugs(client.get("/api/v1/calls?program=fellowships")) == ["award"]


def test_call_detail_has_rules_and_rubric(client):
    call = CallFactory(slug="grant", reference_letters_required=2)
    RubricCriterionFactory(call=call, name="Impact", weight=2)
    body = client.get("/api/v1/calls/grant").json()
    assert (body["reference_letters_required"], body["criteria"][0]["name"], body["criteria"][0]["weight"]) == (
        2,
        "Impact",
        2.0,
    )


@pytest.mark.parametrize("count", [1, 3])
def test_calls_list_query_count_is_constant(client, django_assert_num_queries, count):
    CallFactory.create_batch(count)
    # one more: the calls' stages
    with django_assert_num_queries(2):
        assert len(slugs(client.get("/api/v1/calls"))) == count


# --- Countries ------------------------------------------------------------------------------------


@pytest.fixture
def classified():
    """Two made-up countries with two fiscal years of income groups."""
    first = CountryFactory(iso3="QAA", name="Aqualand", slug="qaa", region="SSA")
    second = CountryFactory(iso3="QAB", name="Aqubia", slug="qab", region="EAP")
    for country, groups in ((first, ("L", "LM")), (second, ("UM", "UM"))):
        for year, group in zip((2025, 2026), groups, strict=True):
            IncomeClassificationFactory(country=country, fiscal_year=year, income_group=group)
    return first, second


def test_countries_carry_the_income_group_of_the_fiscal_year(client, classified):
    newest = {item["iso3"]: item for item in client.get("/api/v1/countries?region=SSA&limit=100").json()["items"]}
    assert (newest["QAA"]["income_group"], newest["QAA"]["fiscal_year"]) == ("LM", 2026)
    older = client.get("/api/v1/countries?fiscal_year=2025&income_group=L").json()["items"]
    assert [(item["iso3"], item["income_group"], item["fiscal_year"]) for item in older] == [("QAA", "L", 2025)]


def test_country_detail_lists_every_fiscal_year(client, classified):
    body = client.get("/api/v1/countries/qaa").json()
    assert [(row["fiscal_year"], row["income_group"]) for row in body["income_groups"]] == [(2026, "LM"), (2025, "L")]
    assert (body["name"], body["income_group_name"]) == ("Aqualand", "Lower middle income")


@pytest.mark.parametrize("count", [1, 3])
def test_countries_list_query_count_is_constant(client, django_assert_num_queries, count):
    for number in range(count):
        CountryFactory(iso3=f"Q{number}Z", name=f"Qountry {number}", slug=f"q{number}z", region="LAC")
    with django_assert_num_queries(2):
        assert len(slugs(client.get("/api/v1/countries?region=LAC"), "iso3")) == count
