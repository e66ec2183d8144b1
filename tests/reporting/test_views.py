"""The impact pages: staff dashboard (filters, bad input, downloads), public page, map, charts."""

import csv
import datetime as dt
import io

import pytest
from django.urls import reverse
from openpyxl import load_workbook

from tests.factories.workshops import CourseFactory, FacultyInvitationFactory, RegistrationFactory

pytestmark = [pytest.mark.integration]

DASHBOARD = "/en/staff/impact/"


def test_dashboard_shows_every_table_for_staff(client, coordinator, impact_records):
    client.force_login(coordinator)

    response = client.get(DASHBOARD)

    assert response.status_code == 200
    html = response.content.decode()
    for heading in (
        "By year",
        "By program",
        "By World Bank region",
        "By income group",
        "By country",
        "Follow-up surveys",
    ):
        assert heading in html
    assert '<a href="/en/countries/kenya/">Kenya</a>' in html
    assert response["Cache-Control"].startswith("private") or "private" in response["Cache-Control"]


def test_dashboard_filters_narrow_the_figures(client, coordinator, impact_records):
    client.force_login(coordinator)

    response = client.get(DASHBOARD, {"region": "SSA", "year_from": 2024, "year_to": 2024, "program": "mcmc"})

    assert response.status_code == 200
    report = response.context["report"]
    assert (report.totals["people_trained"], report.totals["courses_held"]) == (2, 1)


@pytest.mark.parametrize(
    ("query", "message"),
    [
        ({"colour": "red"}, "Unknown filter: colour."),
        ({"year_from": "1200"}, "greater than or equal to 1950"),
        ({"year_to": "soon"}, "Enter a whole number."),
        ({"year_from": "2025", "year_to": "2024"}, "The last year must not be before the first."),
        ({"region": "MARS"}, "Select a valid choice. MARS is not one of the available choices."),
        ({"program": "astrology"}, "Select a valid choice."),
        ({"income_group": "X"}, "Select a valid choice."),
    ],
)
def test_bad_filters_get_a_specific_error_not_a_500(client, coordinator, impact_records, query, message):
    client.force_login(coordinator)

    response = client.get(DASHBOARD, query)

    assert response.status_code == 400
    assert message in response.content.decode()


def test_dashboard_refuses_outsiders_and_sends_anonymous_readers_to_sign_in(client, outsider, impact_records):
    assert client.get(DASHBOARD).status_code == 302
    client.force_login(outsider)
    assert client.get(DASHBOARD).status_code == 403
    assert client.get(f"{DASHBOARD}country.csv").status_code == 403


@pytest.mark.parametrize("courses", [0, 3])
def test_dashboard_costs_a_constant_number_of_queries(
    client, coordinator, impact_records, django_assert_num_queries, courses
):
    for _ in range(courses):
        course = CourseFactory(
            country=impact_records.peru, status="held", end_date=dt.date(2024, 4, 1), start_date=dt.date(2024, 3, 30)
        )
        RegistrationFactory(course=course, status="attended")
        FacultyInvitationFactory(
            slot__course=course, person__country_of_practice=impact_records.usa, status="completed"
        )
    client.force_login(coordinator)

    # session, user, person (staff check), programs (the filter form), then the report's 15.
    with django_assert_num_queries(19):
        assert client.get(DASHBOARD).status_code == 200


def test_dashboard_tables_download_as_csv_with_the_filters(client, coordinator, impact_records):
    client.force_login(coordinator)

    response = client.get(f"{DASHBOARD}country.csv", {"program": "mcmc"})

    assert response["Content-Type"] == "text/csv; charset=utf-8"
    rows = list(csv.reader(io.StringIO(response.content.decode("utf-8-sig"))))
    assert rows[0][:4] == ["Country", "Code", "People trained", "Courses held"]
    assert rows[1][:4] == ["Kenya", "KEN", "2", "1"]
    assert rows[-1][:3] == ["Total", "", "3"]


def test_every_table_downloads_as_xlsx(client, impact_records):
    for table in ("year", "program", "region", "income_group", "country", "follow_up", "journeys"):
        response = client.get(reverse("reporting:download", kwargs={"table": table, "fmt": "xlsx"}))
        assert response.status_code == 200, table
        sheet = load_workbook(io.BytesIO(response.content)).active
        assert sheet.max_row >= 2, table
    journeys = load_workbook(io.BytesIO(client.get("/en/impact/journeys.xlsx").content)).active
    assert [cell.value for cell in journeys[2]] == ["United States", "USA", "Kenya", "KEN", 2]


def test_unknown_table_or_format_is_not_found(client, impact_records):
    assert client.get("/en/impact/secrets.csv").status_code == 404
    assert client.get("/en/impact/country.pdf").status_code == 404


def test_public_impact_page_shows_figures_in_the_readers_language(client, impact_records):
    from oncoreach.volunteers.models import ActivityLog

    ActivityLog.objects.filter(hours=24).update(hours=6000)

    english = client.get("/en/impact/").content.decode()
    portuguese = client.get("/pt/impact/").content.decode()
    french = client.get("/fr/impact/").content.decode()

    assert "<strong>6,029</strong> Volunteer hours" in english
    assert "<strong>6.029</strong>" in portuguese
    assert "<strong>6\xa0029</strong>" in french


def test_map_page_draws_reached_countries_linked_titled_and_tabled(client, impact_records):
    response = client.get(reverse("reporting:map"))

    html = response.content.decode()
    assert response.status_code == 200
    assert len(response.content) < 100 * 1024
    # People trained, awards made and mentorships active: Kenya 4 + 1 + 1, Peru 1 + 1 + 1.
    assert '<a href="/en/countries/kenya/"><title>Kenya: 6 people reached</title>' in html
    assert "<title>Peru: 3 people reached</title>" in html
    assert "United States</td><td>Kenya</td>" in html  # the journey, in the table
    assert 'stroke="#b45309"' in html  # and as an arc
    assert "1 to 9" in html  # the legend names its ranges
    assert "<script" not in html.split("</header>")[1].split("<footer")[0]


def test_map_and_charts_are_standalone_svg_images(client, impact_records):
    for url in (
        "/en/impact/map.svg",
        "/en/impact/charts/year/people_trained.svg",
        "/en/impact/charts/program/courses_held.svg",
    ):
        response = client.get(url)
        assert response.status_code == 200, url
        assert response["Content-Type"].startswith("image/svg+xml")
        assert response.content.startswith(b'<svg xmlns="http://www.w3.org/2000/svg"')
        assert b"<script" not in response.content
        assert b"style=" not in response.content
    assert client.get("/en/impact/charts/year/nonsense.svg").status_code == 404
    assert client.get("/en/impact/charts/country/people_trained.svg").status_code == 404


def test_country_page_shows_its_figures_beside_its_stories(client, impact_records):
    html = client.get("/en/countries/kenya/").content.decode()

    assert "The program in Kenya" in html
    assert "<strong>4</strong> <abbr" in html


@pytest.mark.parametrize("upcoming", [1, 3])
def test_home_page_shows_calls_courses_figures_and_the_map_at_a_constant_query_count(
    client, impact_records, django_assert_num_queries, upcoming
):
    from oncoreach.pages.models import HomePage

    for day in range(upcoming):
        CourseFactory(status="open", start_date=dt.date(2027, 1, 1 + day), end_date=dt.date(2027, 1, 3 + day))

    client.get("/en/")  # the figures are kept a few minutes in the shared cache
    with django_assert_num_queries(HOME_QUERIES):
        response = client.get("/en/?fresh=1")  # a query string the page cache does not keep

    html = response.content.decode()
    assert "<strong>5</strong> people trained" in html
    assert "<strong>20</strong> colleagues trained in turn by each alumnus" in html
    assert '<img src="/en/impact/map.svg"' in html
    assert "Open calls" in html
    assert "Upcoming courses" in html
    assert len(response.content) < 50 * 1024
    assert HomePage.objects.count() == 1


HOME_QUERIES = 10  # site, page, home figures, calls, courses (+ co-hosts), stories (+ tags) ...


def test_dashboard_pages_the_countries_table_and_keeps_filters_and_downloads_whole(client, coordinator, story_index):
    from tests.factories.geo import CountryFactory
    from tests.factories.stories import make_story

    countries = [CountryFactory(name=f"Country {n:02d}", region="SSA") for n in range(35)]
    make_story(title="Everywhere", date=dt.date(2024, 5, 1), countries=countries)
    client.force_login(coordinator)

    first = client.get(DASHBOARD, {"region": "SSA"})
    second = client.get(DASHBOARD, {"region": "SSA", "countries_page": 2})

    first_html, second_html = first.content.decode(), second.content.decode()
    assert (first.status_code, second.status_code) == (200, 200)
    assert ["Country 29" in first_html, "Country 30" in first_html] == [True, False]
    assert "Country 34" in second_html
    assert 'href="?region=SSA&amp;countries_page=2" rel="next"' in first_html
    assert 'href="/en/staff/impact/country.csv?region=SSA"' in second_html  # the download has every country
    download = client.get(f"{DASHBOARD}country.csv", {"region": "SSA"}).content.decode()
    assert ["Country 00" in download, "Country 34" in download] == [True, True]


def test_dashboard_defines_each_figure_once_not_in_every_table(client, coordinator, impact_records):
    client.force_login(coordinator)

    response = client.get(DASHBOARD)

    html = response.content.decode()
    first = response.context["report"].figures[0]
    assert "<abbr title=" not in html
    assert html.count(f"<dt>{first.label}</dt><dd>{first.definition}</dd>") == 1
