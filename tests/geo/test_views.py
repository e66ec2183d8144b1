"""The staff pages for income classification: who may see them, preview then import, export."""

import datetime as dt

import pytest
import time_machine
from django.core.files.uploadedfile import SimpleUploadedFile
from django.urls import reverse

from oncoreach.geo.models import ClassificationImport, IncomeClassification
from tests.factories.geo import ClassificationImportFactory, CountryFactory, IncomeClassificationFactory
from tests.geo.xlsx import class_xlsx

pytestmark = [pytest.mark.integration]

XLSX = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"
FY2026_NOTE = "Income classifications set on July 1, 2025, remain in effect until July 1, 2026."


@pytest.fixture
def nigeria(db):
    country = CountryFactory(iso3="NGA", iso2="NG", name="Nigeria", slug="nigeria", region="SSA", income_group="LM")
    IncomeClassificationFactory(country=country, fiscal_year=2025, income_group="LM")
    IncomeClassificationFactory(country=country, fiscal_year=2026, income_group="LM", lending_category="Blend")
    return country


def _upload(rows, *, notes=FY2026_NOTE, name="CLASS.xlsx"):
    return SimpleUploadedFile(name, class_xlsx(rows, notes=notes), content_type=XLSX)


@time_machine.travel(dt.datetime(2026, 3, 1, 12, tzinfo=dt.UTC))
def test_overview_shows_the_newest_year_to_program_staff(client, coordinator, nigeria):
    client.force_login(coordinator)

    response = client.get(reverse("geo:classification"))

    assert response.status_code == 200
    assert response.context["newest_fiscal_year"] == 2026
    assert response.context["is_stale"] is False
    assert b'class="banner"' not in response.content
    assert b"FY2026" in response.content


@time_machine.travel(dt.datetime(2026, 11, 26, 12, tzinfo=dt.UTC))
def test_overview_shows_the_stale_banner_to_administrators(client, administrator, nigeria):
    client.force_login(administrator)

    response = client.get(reverse("geo:classification"))

    assert response.status_code == 200
    assert response.context["is_stale"] is True
    assert b"The newest classification loaded is FY2026, which has ended." in response.content


@pytest.mark.parametrize("persona", ["outsider", "member", "editor", "volunteer"])
def test_overview_refuses_everyone_else(client, request, persona):
    client.force_login(request.getfixturevalue(persona))

    assert client.get(reverse("geo:classification")).status_code == 403


def test_overview_sends_anonymous_visitors_to_sign_in(client, db):
    url = reverse("geo:classification")

    response = client.get(url)

    assert response.status_code == 302
    assert response["Location"] == f"{reverse('accounts:login')}?next={url}"


@pytest.mark.parametrize(("count", "queries"), [(1, 7), (3, 7)])
def test_overview_lists_imports_in_constant_queries(client, coordinator, django_assert_num_queries, count, queries):
    ClassificationImportFactory.create_batch(count, imported_by=coordinator)
    client.force_login(coordinator)

    with django_assert_num_queries(queries):
        response = client.get(reverse("geo:classification"))

    assert len(response.context["imports"].object_list) == count


def test_preview_then_confirm_imports_the_file(client, coordinator, nigeria):
    client.force_login(coordinator)
    upload = _upload([("Nigeria", "NGA", "Sub-Saharan Africa", "Upper middle income", "IBRD")])

    preview = client.post(reverse("geo:import-preview"), {"file": upload, "fiscal_year": ""})

    assert preview.status_code == 200
    assert (preview.context["record"].pk, preview.context["record"].changed) == (None, 1)
    assert preview.context["changes"] == [
        {
            "country": "Nigeria",
            "iso3": "NGA",
            "fiscal_year": "FY2026",
            "old": "Lower middle income",
            "new": "Upper middle income",
            "is_added": False,
        }
    ]
    assert ClassificationImport.objects.count() == 0
    assert IncomeClassification.objects.get(country=nigeria, fiscal_year=2026).income_group == "LM"

    token = {key: "" if value is None else value for key, value in preview.context["confirm_form"].initial.items()}
    confirm = client.post(reverse("geo:import-confirm"), token)

    record = ClassificationImport.objects.get()
    assert confirm.status_code == 302
    assert confirm["Location"] == reverse("geo:import-detail", kwargs={"pk": record.pk})
    assert (record.file_name, record.changed, record.imported_by) == ("CLASS.xlsx", 1, coordinator)
    assert IncomeClassification.objects.get(country=nigeria, fiscal_year=2026).income_group == "UM"

    again = client.post(reverse("geo:import-confirm"), token)
    assert again["Location"] == reverse("geo:classification")
    assert ClassificationImport.objects.count() == 1


def test_preview_shows_why_a_file_is_refused(client, coordinator, nigeria):
    client.force_login(coordinator)
    upload = SimpleUploadedFile("CLASS.xlsx", b"Economy,Code\nNigeria,NGA\n", content_type=XLSX)

    response = client.post(reverse("geo:import-preview"), {"file": upload})

    assert response.status_code == 400
    assert response.context["form"].errors == {
        "file": ["This is not an Excel workbook (.xlsx). Upload the file as downloaded from the World Bank."]
    }
    assert b'aria-invalid="true"' in response.content
    assert ClassificationImport.objects.count() == 0


def test_preview_refuses_a_bad_fiscal_year(client, coordinator, nigeria):
    client.force_login(coordinator)

    response = client.post(reverse("geo:import-preview"), {"file": _upload([]), "fiscal_year": "soon"})

    assert response.status_code == 400
    assert response.context["form"].errors == {"fiscal_year": ["“soon” is not a fiscal year; write it like FY2027."]}


def test_preview_and_confirm_refuse_outsiders(client, outsider, nigeria):
    client.force_login(outsider)
    upload = _upload([("Nigeria", "NGA", "Sub-Saharan Africa", "Upper middle income", "IBRD")])

    assert client.post(reverse("geo:import-preview"), {"file": upload}).status_code == 403
    assert client.post(reverse("geo:import-confirm"), {"token": "0" * 64, "file_name": "x"}).status_code == 403
    assert IncomeClassification.objects.get(country=nigeria, fiscal_year=2026).income_group == "LM"


def test_confirm_with_an_unknown_token_changes_nothing(client, coordinator, nigeria):
    client.force_login(coordinator)

    response = client.post(reverse("geo:import-confirm"), {"token": "a" * 64, "file_name": "CLASS.xlsx"})

    assert response.status_code == 302
    assert response["Location"] == reverse("geo:classification")
    assert ClassificationImport.objects.count() == 0


def test_import_detail_lists_the_changes(client, coordinator):
    record = ClassificationImportFactory(file_name="CLASS_2026_07_01.xlsx")
    client.force_login(coordinator)

    response = client.get(reverse("geo:import-detail", kwargs={"pk": record.pk}))

    assert response.status_code == 200
    assert response.context["changes"] == [
        {
            "country": "Costa Rica",
            "iso3": "CRI",
            "fiscal_year": "FY2027",
            "old": "Upper middle income",
            "new": "High income",
            "is_added": False,
        }
    ]
    assert b"Import of CLASS_2026_07_01.xlsx" in response.content


def test_import_detail_refuses_outsiders_and_unknown_ids(client, outsider, coordinator):
    record = ClassificationImportFactory()
    client.force_login(outsider)
    assert client.get(reverse("geo:import-detail", kwargs={"pk": record.pk})).status_code == 403
    client.force_login(coordinator)
    assert client.get(reverse("geo:import-detail", kwargs={"pk": record.pk + 1})).status_code == 404


def test_export_csv_lists_the_current_classification(client, coordinator, nigeria):
    CountryFactory(iso3="REU", iso2="RE", name="Réunion", slug="reunion", region="", income_group="")
    home = coordinator.person.country_of_practice  # the persona's own factory country ("Country X..")
    client.force_login(coordinator)

    response = client.get(reverse("geo:export-csv"))

    assert response.status_code == 200
    assert response["Content-Type"] == "text/csv; charset=utf-8"
    assert response["Content-Disposition"] == 'attachment; filename="income-classification-fy2026.csv"'
    assert response.content.decode().splitlines() == [
        "country,iso3,iso2,region,income_group,income_group_code,fiscal_year",
        f"{home.name},{home.iso3},{home.iso2},Sub-Saharan Africa,Lower middle income,LM,FY2026",
        "Nigeria,NGA,NG,Sub-Saharan Africa,Lower middle income,LM,FY2026",
        "Réunion,REU,RE,,Not classified,,FY2026",
    ]


def test_export_csv_refuses_outsiders(client, outsider, nigeria):
    client.force_login(outsider)

    assert client.get(reverse("geo:export-csv")).status_code == 403


def test_country_list_and_history(client, coordinator, nigeria):
    client.force_login(coordinator)

    listing = client.get(reverse("geo:country-list"))
    history = client.get(reverse("geo:country-history", kwargs={"iso3": "nga"}))

    assert listing.status_code == 200
    home = coordinator.person.country_of_practice
    assert [row["iso3"] for row in listing.context["countries"]] == [home.iso3, "NGA"]
    assert history.status_code == 200
    assert [row.fiscal_year for row in history.context["history"]] == [2026, 2025]
    assert client.get(reverse("geo:country-history", kwargs={"iso3": "XYZ"})).status_code == 404


@pytest.mark.parametrize(("count", "queries"), [(1, 7), (3, 7)])
def test_country_list_in_constant_queries(client, coordinator, django_assert_num_queries, count, queries):
    for _ in range(count):
        IncomeClassificationFactory()
    client.force_login(coordinator)

    with django_assert_num_queries(queries):
        response = client.get(reverse("geo:country-list"))

    assert len(response.context["countries"]) == count + 1  # and the persona's own country


def test_country_pages_refuse_outsiders(client, outsider, nigeria):
    client.force_login(outsider)

    assert client.get(reverse("geo:country-list")).status_code == 403
    assert client.get(reverse("geo:country-history", kwargs={"iso3": "NGA"})).status_code == 403


def test_staff_pages_are_valid_html(client, coordinator, nigeria):
    import html5lib

    record = ClassificationImportFactory(imported_by=coordinator)
    client.force_login(coordinator)
    urls = [
        reverse("geo:classification"),
        reverse("geo:import-detail", kwargs={"pk": record.pk}),
        reverse("geo:country-list"),
        reverse("geo:country-history", kwargs={"iso3": "NGA"}),
    ]
    for url in urls:
        response = client.get(url)
        html5lib.HTMLParser(strict=True).parse(response.content)
        assert b"<script" not in response.content
        assert b"style=" not in response.content
