"""What awards contribute to the impact figures and to a person's timeline."""

import datetime as dt
from decimal import Decimal

import pytest

from oncoreach.awards.figures import award_figures, grant_money_figures
from oncoreach.awards.timeline import timeline_events
from oncoreach.people.timeline import timeline_for_staff
from tests.factories.awards import (
    AwardFactory,
    GrantFactory,
    GrantReportFactory,
    InterviewBookingFactory,
    OfferFactory,
    TrancheFactory,
)
from tests.factories.calls import ApplicationFactory
from tests.factories.people import PersonFactory

pytestmark = pytest.mark.django_db

PAID = dt.datetime(2025, 5, 2, 10, tzinfo=dt.UTC)


def _paid(grant, amount):
    return TrancheFactory(grant=grant, amount=amount, status="paid", approved_at=PAID, paid_at=PAID)


def test_awards_count_under_their_country_or_the_awardees(db):
    award = AwardFactory(year=2024)
    AwardFactory(year=2024, program=award.program, person__country_of_practice=award.country, country=None)

    [row] = award_figures()

    assert (row.country_id, row.program_id, row.day, row.values) == (
        award.country_id,
        award.program_id,
        dt.date(2024, 1, 1),
        {"awards_made": 2},
    )


def test_grant_money_sums_paid_tranches_in_us_dollars_only(db):
    grant = GrantFactory(currency="USD")
    _paid(grant, Decimal("1500.50"))
    _paid(grant, Decimal("500"))
    TrancheFactory(grant=grant, amount=Decimal("9000"), status="approved", approved_at=PAID)
    TrancheFactory(grant=grant, amount=Decimal("9000"))
    _paid(GrantFactory(currency="EUR", program=grant.program), Decimal("7000"))

    [row] = grant_money_figures()

    assert (row.country_id, row.program_id, row.day) == (grant.organization.country_id, grant.program_id, PAID.date())
    assert row.values == {"grant_money": Decimal("2000.50")}


def _history(person, n):
    for _ in range(n):
        InterviewBookingFactory(application__applicant=person)
        offer = OfferFactory(application__applicant=person, status="accepted", responded_at=PAID)
        AwardFactory(person=person, application=offer.application)
        grant = GrantFactory(lead=person)
        _paid(grant, Decimal("100"))
        GrantReportFactory(grant=grant, due_date=dt.date(2025, 11, 1))


def test_the_timeline_shows_every_kind_of_award_event(coordinator):
    person = PersonFactory()
    _history(person, 1)
    ApplicationFactory(applicant=person)  # an application alone is the calls source's

    kinds = {str(event.kind) for event in timeline_for_staff(user=coordinator, person=person).events}

    assert {
        "Interview booked",
        "Award offered",
        "Award offer answered",
        "Award granted",
        "Grant payment made",
        "Grant report due",
    } <= kinds


def test_the_timeline_source_leaves_out_other_people_and_respects_the_cursor(db):
    person = PersonFactory()
    _history(PersonFactory(), 1)
    _paid(GrantFactory(lead=person), Decimal("1"))

    assert [str(e.kind) for e in timeline_events(person=person, before=None, limit=10)] == ["Grant payment made"]
    assert timeline_events(person=person, before=PAID - dt.timedelta(seconds=1), limit=10) == []


@pytest.mark.parametrize("count", [1, 4])
def test_the_timeline_source_costs_six_queries_however_long_the_history(db, django_assert_num_queries, count):
    person = PersonFactory()
    _history(person, count)

    with django_assert_num_queries(6):
        events = timeline_events(person=person, before=None, limit=50)

    assert len(events) == 6 * count
