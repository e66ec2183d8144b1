"""Every table on the impact pages (staff dashboard, public impact page, map) downloads as CSV and
XLSX: each section with a table links both, and both files hold the same rows, the table's lines
among them (with the dashboard's filters carried into the links)."""

import csv
import html as html_lib
import io
import re

import pytest
from openpyxl import load_workbook

pytestmark = [pytest.mark.integration]

SECTION = re.compile(r"<section\b.*?</section>", re.DOTALL)
LINK = re.compile(r'href="([^"]+\.(csv|xlsx)(\?[^"]*)?)"')
ROW_HEADING = re.compile(r'<tr><th scope="row">(?:<a [^>]*>)?([^<]+)')


def _sections_with_tables(html):
    return [section for section in SECTION.findall(html) if "<table" in section]


def _csv_rows(response):
    return list(csv.reader(io.StringIO(response.content.decode("utf-8-sig"))))


def _xlsx_rows(response):
    sheet = load_workbook(io.BytesIO(response.content)).active
    return [["" if cell is None else str(cell) for cell in row] for row in sheet.iter_rows(values_only=True)]


def _check_downloads(client, html):
    sections = _sections_with_tables(html)
    assert sections
    links = []
    for section in sections:
        found = {fmt: url.replace("&amp;", "&") for url, fmt, _query in LINK.findall(section)}
        assert set(found) == {"csv", "xlsx"}, section[:200]
        as_csv, as_xlsx = client.get(found["csv"]), client.get(found["xlsx"])
        assert (as_csv.status_code, as_xlsx.status_code) == (200, 200), found
        assert as_csv["Content-Type"] == "text/csv; charset=utf-8"
        assert as_xlsx["Content-Type"] == "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"
        rows = _csv_rows(as_csv)
        assert [row[:2] for row in _xlsx_rows(as_xlsx)] == [row[:2] for row in rows]
        shown = {html_lib.unescape(label).strip() for label in ROW_HEADING.findall(section)} - {"Total"}
        assert shown <= {row[0] for row in rows[1:]}, (found, shown)
        links.append(found["csv"])
    return links


def test_every_dashboard_table_downloads_with_the_filters(client, coordinator, impact_records):
    client.force_login(coordinator)

    html = client.get("/en/staff/impact/", {"program": "mcmc"}).content.decode()

    links = _check_downloads(client, html)
    assert len(links) == 7  # year, program, region, income group, country, follow-up, journeys
    assert all(link.startswith("/en/staff/impact/") and link.endswith("?program=mcmc") for link in links)


def test_every_public_impact_table_downloads(client, impact_records):
    html = client.get("/en/impact/").content.decode()

    links = _check_downloads(client, html)
    assert len(links) == 5  # year, program, region, income group, follow-up (countries: on the map page)


def test_every_map_table_downloads(client, impact_records):
    html = client.get("/en/impact/map/").content.decode()

    links = _check_downloads(client, html)
    assert links == ["/en/impact/country.csv", "/en/impact/journeys.csv"]
