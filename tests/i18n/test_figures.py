"""Figures are formatted for the reader's language: 6,005 in English, 6 005 in Spanish and
French, 6.005 in Portuguese, 6,005 in Arabic (Western digits, core/formats/ar) (Django's locale
formats, grouping forced for figures only)."""

import pytest
from django.urls import reverse
from django.utils import translation

from oncoreach.people.models import Person
from tests.factories.geo import CountryFactory
from tests.factories.volunteers import ActivityLogFactory, VolunteerProfileFactory

pytestmark = [pytest.mark.integration]

SIX_THOUSAND_AND_FIVE = {"en": "6,005", "es": "6\xa0005", "fr": "6\xa0005", "pt": "6.005", "ar": "6,005"}


@pytest.fixture
def many_people(db):
    country = CountryFactory()
    Person.objects.bulk_create(
        [Person(given_name=f"P{n}", family_name="Volume", country_of_practice=country) for n in range(6005)]
    )


@pytest.mark.parametrize("language", ["en", "es", "fr", "pt", "ar"])
def test_home_page_figures_use_the_readers_grouping(client, story_index, many_people, language):
    html = client.get(f"/{language}/").content.decode()

    assert f"<strong>{SIX_THOUSAND_AND_FIVE[language]}</strong>" in html


@pytest.mark.parametrize("language", ["en", "pt"])
def test_staff_people_list_count_uses_the_readers_grouping(client, coordinator, many_people, language):
    client.force_login(coordinator)
    with translation.override(language):
        url = reverse("people:person-list")

    html = client.get(url).content.decode()

    # 6,005 people and the coordinator
    assert f"{SIX_THOUSAND_AND_FIVE[language][:-1]}6 " in html


@pytest.mark.parametrize(("language", "expected"), [("en", "1,234.5"), ("fr", "1\xa0234,5"), ("ar", "1,234.5")])
def test_volunteer_hours_use_the_readers_separators(client, volunteer, language, expected):
    VolunteerProfileFactory(person=volunteer.person)
    ActivityLogFactory(person=volunteer.person, hours="1234.5")
    client.force_login(volunteer)
    with translation.override(language):
        url = reverse("volunteers:dashboard")

    html = client.get(url).content.decode()

    assert f"<strong>{expected}</strong>" in html


@pytest.mark.parametrize(("language", "expected"), [("en", "1,234.5"), ("fr", "1\xa0234,5")])
def test_staff_hours_page_uses_the_readers_separators(client, coordinator, volunteer, language, expected):
    ActivityLogFactory(person=volunteer.person, hours="1234.5")
    client.force_login(coordinator)
    with translation.override(language):
        url = reverse("volunteers:staff-activities", args=[volunteer.person.pk])

    html = client.get(url).content.decode()

    assert f"<strong>{expected}</strong>" in html
    assert f"<td>{expected}</td>" in html


def test_identifiers_and_years_are_never_grouped(client, coordinator, many_people):
    """Grouping is applied to figures only, so ids in links and years stay plain."""
    client.force_login(coordinator)
    last = Person.objects.order_by("-pk").first()

    html = client.get(reverse("people:person-list"), {"q": last.given_name}).content.decode()

    assert last.pk > 999
    assert f"/staff/people/{last.pk}/" in html


def test_arabic_dates_have_arabic_month_names_and_western_digits():
    import datetime as dt

    from django.utils import formats

    with translation.override("ar"):
        assert formats.date_format(dt.date(2026, 12, 4)) == "4 ديسمبر 2026"
        assert formats.number_format(1234.5, 1, force_grouping=True) == "1,234.5"
