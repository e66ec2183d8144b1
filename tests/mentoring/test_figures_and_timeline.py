"""What mentoring contributes to the impact figures and to a person's timeline."""

import datetime as dt

import pytest

from oncoreach.mentoring.figures import mentorship_figures
from oncoreach.mentoring.models import Mentorship
from oncoreach.mentoring.timeline import timeline_events
from tests.factories.accounts import UserFactory
from tests.factories.mentoring import make_cycle, make_mentorship
from tests.factories.people import PersonFactory

pytestmark = pytest.mark.django_db


def _at(day):
    return dt.datetime.combine(day, dt.time(9), tzinfo=dt.UTC)


def test_an_active_mentorship_counts_once_in_every_year_it_runs(mentoring):
    active = make_mentorship(mentoring, started_at=_at(dt.date(2024, 11, 1)))
    make_mentorship(mentoring, status="pending")

    rows = mentorship_figures(today=dt.date(2026, 2, 1))

    assert [(row.day, row.values) for row in rows] == [
        (dt.date(2024, 11, 1), {"mentorships_active": frozenset({active.pk})}),
        (dt.date(2025, 1, 1), {"mentorships_active": frozenset({active.pk})}),
        (dt.date(2026, 1, 1), {"mentorships_active": frozenset({active.pk})}),
    ]
    assert {row.program_id for row in rows} == {mentoring.cycle.program_id}
    assert {row.country_id for row in rows} == {active.mentee.country_of_practice_id}


def test_only_a_completed_mentorship_counts_as_completed_in_the_year_it_ended(mentoring):
    done = make_mentorship(
        mentoring, status="completed", started_at=_at(dt.date(2024, 3, 1)), ended_at=_at(dt.date(2025, 2, 28))
    )
    make_mentorship(
        mentoring, status="ended_early", started_at=_at(dt.date(2024, 3, 1)), ended_at=_at(dt.date(2024, 4, 1))
    )

    completed = [row for row in mentorship_figures() if "mentorships_completed" in row.values]

    assert [(row.day, row.values["mentorships_completed"]) for row in completed] == [(dt.date(2025, 2, 28), 1)]
    assert done.status == "completed"


def _history(mentoring, mentee, n):
    for i in range(n):
        day = dt.date(2025, 1, 1) + dt.timedelta(days=10 * i)
        make_mentorship(
            mentoring,
            mentee=mentee if i == 0 else None,
            status="completed",
            started_at=_at(day),
            ended_at=_at(day + dt.timedelta(days=5)),
            approved_at=_at(day - dt.timedelta(days=3)),
            mentee_answered_at=_at(day - dt.timedelta(days=2)),
            mentee_answer="accepted",
            mentor_answered_at=_at(day - dt.timedelta(days=1)),
            mentor_answer="accepted",
        )


def test_the_timeline_shows_proposals_answers_and_the_mentorship_for_each_side(mentoring):
    _history(mentoring, None, 1)
    mentorship = Mentorship.objects.get()

    for person, answer in (
        (mentorship.mentee, "mentoring.mentee_answer"),
        (mentorship.mentor, "mentoring.mentor_answer"),
    ):
        events = sorted(timeline_events(person=person, before=None, limit=10), key=lambda e: e.when)
        assert [(str(e.kind), e.key[0]) for e in events] == [
            ("Mentoring proposal", "mentoring.proposal"),
            ("Mentoring proposal answered", answer),
            ("Mentorship started", "mentoring.started"),
            ("Mentorship ended", "mentoring.ended"),
        ]
        assert str(events[1].detail) == "Accepted"
    assert timeline_events(person=mentorship.mentee, before=_at(dt.date(2024, 1, 1)), limit=10) == []


@pytest.mark.parametrize("count", [1, 4])
def test_the_timeline_source_costs_five_queries_however_long_the_history(mentoring, django_assert_num_queries, count):
    mentee = PersonFactory(user=UserFactory())
    # One mentee with one mentorship per cycle: several cycles give a long history.
    _history(mentoring, mentee, 1)
    for _ in range(count - 1):
        _history(make_cycle(), mentee, 1)

    with django_assert_num_queries(5):
        events = timeline_events(person=mentee, before=None, limit=50)

    assert len(events) == 4 * count
