"""The demo's mentorship year: active pairs with plans and meetings, some at risk, one re-paired."""

import pytest
from django.urls import reverse
from django.utils import timezone

from oncoreach.mentoring import selectors_year
from oncoreach.mentoring.enums import MatchStatus, MentorshipStatus
from oncoreach.mentoring.models import Match, MeetingLog, MentoringPlan, Mentorship
from tests.demo.conftest import client_for

pytestmark = [pytest.mark.integration, pytest.mark.django_db]


def test_the_demo_has_a_year_in_progress_some_at_risk_and_a_re_pairing(demo):
    active = Mentorship.objects.filter(status=MentorshipStatus.ACTIVE, cycle__cycle__name__contains="cohort")
    assert active.count() >= 4
    assert MentoringPlan.objects.filter(mentorship__in=active).count() == active.count()
    assert MeetingLog.objects.filter(mentorship__in=active).exists()
    rows = selectors_year.at_risk(today=timezone.localdate())
    assert {r for row in rows for r in row.reasons} == {"no_meeting", "not_going_well"}
    ended = Mentorship.objects.get(status=MentorshipStatus.ENDED_EARLY, cycle__cycle__name__contains="cohort")
    assert ended.match.status == MatchStatus.ENDED
    assert Match.objects.filter(request=ended.match.request, by_cascade=True).exists()
    staff = client_for("staff@demo.oncoreach.org")
    page = staff.get(reverse("mentoring:staff-at-risk"))
    assert page.status_code == 200
    assert rows[0].mentorship.mentee.full_name in page.content.decode()
