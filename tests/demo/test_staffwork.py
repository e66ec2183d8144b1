"""The demo's staff work: a long timeline with edited notes, and a duplicate pair to merge."""

import pytest
from django.urls import reverse

from oncoreach.people.models import Person, StaffNote
from tests.demo.conftest import client_for

pytestmark = [pytest.mark.integration]

STAFF = "staff@demo.oncoreach.org"
VOLUNTEER = "volunteer@demo.oncoreach.org"


def test_the_volunteer_has_a_long_timeline_with_edited_notes(demo):
    grace = Person.objects.get(email=VOLUNTEER)
    client = client_for(STAFF)

    first = client.get(reverse("people:person-timeline", args=[grace.pk]))

    assert first.status_code == 200
    assert len(first.context["page"].events) == 50
    assert first.context["page"].next_cursor
    assert StaffNote.objects.filter(person=grace, revisions__isnull=False).distinct().count() == 3
    assert "edited once" in first.content.decode()


def test_staff_find_the_duplicate_pair_and_can_merge_it(demo):
    client = client_for(STAFF)

    pairs = client.get(reverse("people:duplicate-list")).context["pairs"]

    pair = next(pair for pair in pairs if pair.second.staff_notes.exists())
    # another address and no ORCID iD: found by the name, country and year of birth alone
    assert [str(reason) for reason in pair.reasons] == ["same name, country and year of birth"]
    assert (pair.first.birth_year, pair.first.email_key == pair.second.email_key) == (pair.second.birth_year, False)
    merge = client.get(reverse("people:person-merge", args=[pair.first.pk, pair.second.pk]))
    assert merge.status_code == 200


def test_the_staff_login_promises_the_mentoring_rounds_and_at_risk_list_it_has(demo):
    from oncoreach.demo.logins import DEMO_LOGINS
    from oncoreach.mentoring.models import MatchRound

    staff_line = next(login.what for login in DEMO_LOGINS if login.email == "staff@demo.oncoreach.org")
    assert "/en/mentoring/staff/" in staff_line
    assert "/en/mentoring/staff/at-risk/" in staff_line
    client = client_for("staff@demo.oncoreach.org")
    rounds = client.get(reverse("mentoring:staff-cycles"))
    assert rounds.status_code == 200
    published = MatchRound.objects.filter(status="published").order_by("pk").first()
    assert published is not None
    assert client.get(reverse("mentoring:staff-round", kwargs={"pk": published.pk})).status_code == 200
    at_risk = client.get(reverse("mentoring:staff-at-risk"))
    assert at_risk.status_code == 200
    assert "/mentoring/mentorships/" in at_risk.content.decode()  # at least one pairing at risk
