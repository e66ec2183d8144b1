"""The mentoring benchmark's instance gives its cascade real work: at a tiny size, the declines
(by mentors, whose mentees are left alone, and by mentees, whose mentor has a place again) lead to
new proposals that the bench itself checks, and no accepted or pending pair moves."""

from io import StringIO

import pytest
from django.core.management import call_command

from oncoreach.mentoring.enums import MatchStatus
from oncoreach.mentoring.models import Match, MatchRound

pytestmark = [pytest.mark.integration]


def _pairs(round_: MatchRound, status: str) -> set[tuple[int, int]]:
    return set(Match.objects.filter(round=round_, status=status).values_list("request_id", "offer_id"))


@pytest.mark.django_db
def test_bench_cascade_makes_new_proposals_and_keeps_accepted_pairs():
    size = {"mentees": 80, "mentors": 30, "through_services": 8}
    call_command("bench_mentoring", "build", **size, stdout=StringIO())
    call_command("bench_mentoring", "round", stdout=StringIO())
    round_ = MatchRound.objects.order_by("-pk").first()  # the round the bench built (as the bench finds it)
    assert round_ is not None
    published = Match.objects.filter(round=round_).count()
    out = StringIO()
    call_command("bench_mentoring", "cascade", declines=0.2, stdout=out)

    declined = Match.objects.filter(round=round_, status=MatchStatus.DECLINED)
    by_mentor = {m.request_id for m in declined if m.declined_by == "mentor"}
    assert declined.count() == round(published * 0.2)
    accepted = _pairs(round_, MatchStatus.ACCEPTED)
    assert accepted
    new = list(Match.objects.filter(round=round_, by_cascade=True))
    assert new
    assert {m.request_id for m in new} <= by_mentor
    assert all(m.status == MatchStatus.APPROVED for m in new)
    assert f"{len(new)} new proposals" in out.getvalue()
    # The bench's own checks passed (it raises otherwise); the accepted pairs are still there.
    assert _pairs(round_, MatchStatus.ACCEPTED) == accepted
