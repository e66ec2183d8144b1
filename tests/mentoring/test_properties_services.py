"""Property tests through the real services and the database (test_properties.py checks the
engine alone): whatever people apply and however both sides answer (accept, decline, say nothing
until the window passes), over several cascades,

- no proposal ever pairs people without a common language or with zero weekly overlap;
- no mentor ever holds more accepted mentees than their capacity;
- a pair both accepted never changes again (no cascade touches it).
"""

import contextlib
import datetime as dt

import pytest
from django.core.exceptions import ValidationError
from django.db import transaction
from django.utils import timezone
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from oncoreach.mentoring import matching_adapter
from oncoreach.mentoring.enums import MatchStatus, Side
from oncoreach.mentoring.models import Match, MatchRun
from oncoreach.mentoring.services import consent, rounds
from tests.factories.mentoring import make_cycle, make_mentee, make_mentor

pytestmark = pytest.mark.django_db

LANGUAGE_SETS = [["en"], ["es"], ["en", "es"], ["fr"]]
#: Mentor windows (New York) and mentee windows (Lagos): some meet, the night ones never do.
MENTOR_WINDOWS = {"day": [(d, 9 * 60, 12 * 60) for d in range(5)], "night": [(d, 0, 60) for d in range(5)]}
MENTEE_WINDOWS = {"day": [(d, 14 * 60, 18 * 60) for d in range(5)], "night": [(d, 2 * 60, 3 * 60) for d in range(5)]}
ANSWERS = st.sampled_from(["accept", "decline", "silent"])

mentors_st = st.lists(
    st.tuples(st.integers(1, 2), st.sampled_from(LANGUAGE_SETS), st.sampled_from(["day", "day", "night"])),
    min_size=1,
    max_size=3,
)
mentees_st = st.lists(
    st.tuples(st.sampled_from(LANGUAGE_SETS), st.sampled_from(["day", "day", "night"])), min_size=1, max_size=4
)


def _answer(match, side, what):
    if what == "silent":
        return
    # A refusal (over capacity, already answered) changes nothing: the invariants below check it.
    with contextlib.suppress(ValidationError):
        consent.answer_proposal(match=Match.objects.get(pk=match.pk), side=side, accept=what == "accept", actor=None)


@settings(
    max_examples=8,
    deadline=None,
    suppress_health_check=[HealthCheck.too_slow, HealthCheck.function_scoped_fixture],
)
@given(mentors=mentors_st, mentees=mentees_st, answers=st.lists(st.tuples(ANSWERS, ANSWERS), min_size=12, max_size=12))
def test_consent_and_cascades_keep_languages_hours_capacity_and_accepted_pairs(
    coordinator, django_capture_on_commit_callbacks, mentors, mentees, answers
):
    with transaction.atomic():
        mentoring = make_cycle(actor=coordinator)
        offers = [
            make_mentor(mentoring, capacity=capacity, languages=languages, windows=MENTOR_WINDOWS[hours])
            for capacity, languages, hours in mentors
        ]
        for languages, hours in mentees:
            make_mentee(mentoring, languages=languages, windows=MENTEE_WINDOWS[hours])
        round_ = rounds.open_round(mentoring=mentoring, actor=coordinator)
        run = rounds.start_engine_run(round_=round_, actor=coordinator)
        matching_adapter.compute_run(MatchRun.objects.get(pk=run.pk))
        rounds.publish_round(round_=round_, run=MatchRun.objects.get(pk=run.pk), actor=coordinator)

        draws = iter(answers)
        accepted_before: dict[int, tuple] = {}
        for wave in range(3):
            with django_capture_on_commit_callbacks(execute=True):
                for match in Match.objects.filter(round=round_, status=MatchStatus.APPROVED).order_by("pk"):
                    mentee_says, mentor_says = next(draws, ("silent", "silent"))
                    _answer(match, Side.MENTEE, mentee_says)
                    _answer(match, Side.MENTOR, mentor_says)
                consent.expire_overdue(now=timezone.now() + dt.timedelta(days=30 * (wave + 1)))
            accepted_now = {
                m.pk: (m.request_id, m.offer_id, m.status)
                for m in Match.objects.filter(round=round_, status=MatchStatus.ACCEPTED)
            }
            assert accepted_before.items() <= accepted_now.items()  # accepted pairs never move
            accepted_before = accepted_now

        matches = list(Match.objects.filter(round=round_).select_related("request", "offer"))
        for match in matches:
            assert set(match.request.languages) & set(match.offer.languages)
            assert match.overlap_hours > 0
        for offer in offers:
            taken = sum(1 for m in matches if m.offer_id == offer.pk and m.status == MatchStatus.ACCEPTED)
            assert taken <= offer.capacity
        transaction.set_rollback(True)
