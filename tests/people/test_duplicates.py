"""The duplicate finder: candidate pairs grouped in the database, dismissals remembered."""

import pytest
from django.urls import reverse

from oncoreach.people.models import DuplicateDismissal
from oncoreach.people.selectors_duplicates import duplicate_pairs
from tests.factories.geo import CountryFactory
from tests.factories.people import PersonFactory

pytestmark = [pytest.mark.integration]


def _pairs(user):
    return [(pair.first, pair.second, [str(reason) for reason in pair.reasons]) for pair in duplicate_pairs(user=user)]


def test_duplicates_by_email_case_and_accents_folded(coordinator):
    first = PersonFactory(email="José.Pérez@Example.org")
    second = PersonFactory(email="jose.perez@example.org")
    PersonFactory(email="someone.else@example.org")

    assert _pairs(coordinator) == [(first, second, ["same e-mail address"])]


def test_duplicates_by_name_country_and_birth_year_or_orcid(coordinator):
    country = CountryFactory()
    first = PersonFactory(
        given_name="Lucía",
        family_name="Fernández",
        country_of_practice=country,
        birth_year=1980,
        training_completed_year=2010,
        email="p1@example.org",
    )
    second = PersonFactory(
        given_name="lucia",
        family_name="FERNANDEZ",
        country_of_practice=country,
        birth_year=1980,
        training_completed_year=2012,
        email="p2@example.org",
    )
    PersonFactory(
        given_name="Lucía",
        family_name="Fernández",
        country_of_practice=country,
        birth_year=1985,
        training_completed_year=2010,
        email="p3@example.org",
    )  # another year of birth, the same year training ended: a namesake, not proposed
    PersonFactory(
        given_name="Lucía", family_name="Fernández", birth_year=1980, email="p4@example.org"
    )  # another country
    PersonFactory(
        given_name="Lucía", family_name="Fernández", country_of_practice=country, email="p5@example.org"
    )  # no year of birth: never matched on the name alone
    third = PersonFactory(given_name="Kwame", family_name="Mensah", orcid="0000-0002-1825-0097", email="p6@example.org")
    fourth = PersonFactory(
        given_name="Kwame", family_name="Mensah", orcid="0000-0002-1825-0097", email="p7@example.org"
    )

    assert _pairs(coordinator) == [
        (first, second, ["same name, country and year of birth"]),
        (third, fourth, ["same ORCID iD"]),
    ]


def test_duplicates_ignore_the_year_training_ended(coordinator):
    country = CountryFactory()
    PersonFactory(
        given_name="Ana", country_of_practice=country, training_completed_year=2010, birth_year=1975, email="a@x.org"
    )
    PersonFactory(
        given_name="Ana", country_of_practice=country, training_completed_year=2010, birth_year=1982, email="b@x.org"
    )

    assert _pairs(coordinator) == []


def test_duplicates_leave_out_dismissed_and_merged(coordinator):
    first = PersonFactory(email="a@example.org")
    second = PersonFactory(email="A@example.org")
    third = PersonFactory(email="b@example.org")
    PersonFactory(email="B@example.org", merged_into=third)
    DuplicateDismissal.objects.create(first=first, second=second)

    assert _pairs(coordinator) == []


@pytest.mark.parametrize("pairs", [1, 3])
def test_duplicate_list_in_constant_queries(client, coordinator, django_assert_num_queries, pairs):
    for n in range(pairs):
        PersonFactory(email=f"dup{n}@example.org")
        PersonFactory(email=f"DUP{n}@example.org")
    client.force_login(coordinator)

    # session, user, groups; one query per rule; dismissals
    with django_assert_num_queries(7):
        response = client.get(reverse("people:duplicate-list"))

    assert len(response.context["pairs"]) == pairs


def test_duplicate_dismiss_view_is_remembered(client, coordinator):
    first = PersonFactory(email="a@example.org")
    second = PersonFactory(email="A@example.org")
    client.force_login(coordinator)

    response = client.post(reverse("people:duplicate-dismiss", args=[second.pk, first.pk]))

    assert response.status_code == 302
    assert list(DuplicateDismissal.objects.values_list("first", "second")) == [(first.pk, second.pk)]
    assert client.get(reverse("people:duplicate-list")).context["pairs"] == []


def test_duplicate_views_refuse_non_staff(client, volunteer):
    first = PersonFactory(email="a@example.org")
    second = PersonFactory(email="A@example.org")
    client.force_login(volunteer)

    assert client.get(reverse("people:duplicate-list")).status_code == 403
    assert client.post(reverse("people:duplicate-dismiss", args=[first.pk, second.pk])).status_code == 403
    assert not DuplicateDismissal.objects.exists()
