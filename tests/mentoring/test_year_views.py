"""The mentorship year's pages, per role: the pair (mentee, mentor), staff, and outsiders
refused; bad input gets its specific error and changes nothing; lists have query counts."""

import datetime as dt

import pytest
import time_machine
from django.urls import reverse
from django.utils import timezone

from oncoreach.mentoring import selectors_year
from oncoreach.mentoring.enums import MentorshipStatus
from oncoreach.mentoring.models import MeetingLog, MentoringPlan
from oncoreach.mentoring.services.year import log_meeting, save_plan
from tests.factories.mentoring import WEEKDAYS_9_TO_12, make_mentorship

pytestmark = [pytest.mark.integration, pytest.mark.django_db]


@pytest.fixture
def pair(mentoring):
    return make_mentorship(mentoring, starts_on=timezone.localdate() - dt.timedelta(days=90))


def _as(client, person):
    client.force_login(person.user)
    return client


def test_the_pair_and_staff_see_the_mentorship_and_outsiders_do_not(client, pair, coordinator, outsider):
    save_plan(mentorship=pair, goals="Open a clinic.", milestones=[], actor=None)
    for user in (pair.mentee.user, pair.mentor.user, coordinator):
        client.force_login(user)
        response = client.get(reverse("mentoring:mentorship", args=[pair.pk]))
        assert response.status_code == 200
        assert "Open a clinic." in response.content.decode()
    client.force_login(outsider)
    for name in ("mentorship", "planner", "plan"):
        assert client.get(reverse(f"mentoring:{name}", args=[pair.pk])).status_code == 404


def test_the_mentee_writes_the_plan_and_a_date_outside_the_term_is_refused(client, pair):
    _as(client, pair.mentee)
    url = reverse("mentoring:plan", args=[pair.pk])
    late = pair.ends_on + dt.timedelta(days=3)
    response = client.post(url, {"goals": "Goals", "milestones": f"{late:%Y-%m-%d} Present the audit"})
    assert response.status_code == 400
    assert "is outside the mentoring term" in response.content.decode()
    assert not MentoringPlan.objects.exists()
    response = client.post(url, {"goals": "Goals", "milestones": "soon Present"})
    assert "Line 1: write a date and the milestone" in response.content.decode()
    good = pair.starts_on + dt.timedelta(days=10)
    response = client.post(url, {"goals": "Goals", "milestones": f"{good:%Y-%m-%d} Present the audit"})
    assert response.status_code == 302
    assert [m.title for m in MentoringPlan.objects.get().milestones.all()] == ["Present the audit"]


def test_only_the_mentee_writes_the_plan_and_only_the_mentor_comments(client, pair, coordinator):
    save_plan(mentorship=pair, goals="Goals", milestones=[], actor=None)
    for user in (pair.mentor.user, coordinator):
        client.force_login(user)
        assert client.get(reverse("mentoring:plan", args=[pair.pk])).status_code == 403
    for user in (pair.mentee.user, coordinator):
        client.force_login(user)
        url = reverse("mentoring:plan-comment", args=[pair.pk])
        assert client.post(url, {"body": "x"}).status_code == 403
    _as(client, pair.mentor)
    response = client.post(reverse("mentoring:plan-comment", args=[pair.pk]), {"body": "Add a research goal."})
    assert response.status_code == 302
    page = client.get(reverse("mentoring:mentorship", args=[pair.pk])).content.decode()
    assert "Add a research goal." in page
    assert pair.mentor.full_name in page


def test_either_side_logs_a_meeting_and_a_future_one_is_refused(client, pair, coordinator):
    url = reverse("mentoring:meeting-add", args=[pair.pk])
    tomorrow = timezone.localdate() + dt.timedelta(days=1)
    _as(client, pair.mentor)
    response = client.post(url, {"held_on": tomorrow.isoformat(), "minutes": 45, "topic": "Audit"})
    assert response.status_code == 400
    assert "has not happened yet" in response.content.decode()
    assert not MeetingLog.objects.exists()
    for person in (pair.mentee, pair.mentor):
        _as(client, person)
        response = client.post(url, {"held_on": timezone.localdate().isoformat(), "minutes": 45, "topic": "Audit"})
        assert response.status_code == 302
    assert [m.logged_by for m in MeetingLog.objects.order_by("pk")] == [pair.mentee, pair.mentor]
    client.force_login(coordinator)
    assert (
        client.post(url, {"held_on": timezone.localdate().isoformat(), "minutes": 45, "topic": "x"}).status_code == 403
    )


@pytest.mark.parametrize("n", [1, 3])
def test_the_mentorship_page_query_count(client, pair, n, django_assert_max_num_queries):
    for i in range(n):
        log_meeting(
            mentorship=pair, person=pair.mentee, held_on=timezone.localdate(), minutes=30, topic=f"t{i}", actor=None
        )
    _as(client, pair.mentee)
    with django_assert_max_num_queries(14):
        assert client.get(reverse("mentoring:mentorship", args=[pair.pk])).status_code == 200


def test_the_planner_shows_shared_hours_in_both_zones_and_offers_an_ics(client, mentoring):
    # Mentor New York 9-12, mentee Lagos 14-18 (weekdays): shared 9-12 New York = 14/15-17/18 Lagos.
    pair = make_mentorship(mentoring, starts_on=timezone.localdate() - dt.timedelta(days=10))
    assert pair.match.offer.windows.values_list("weekday", "start_minute", "end_minute").first() == WEEKDAYS_9_TO_12[0]
    _as(client, pair.mentee)
    response = client.get(reverse("mentoring:planner", args=[pair.pk]))
    page = response.content.decode()
    assert "Africa/Lagos" in page
    assert "America/New_York" in page
    weeks = response.context["weeks"]
    slot = next(s for _monday, slots in weeks for s in slots)
    assert slot.mentor_start.hour in (9, 10)  # 09:00 New York, or the mentee's 14:00 start in winter
    assert slot.mentee_start.utcoffset() == dt.timedelta(hours=1)
    ics = client.get(reverse("mentoring:invite", args=[pair.pk]), {"at": slot.key})
    assert ics["Content-Type"] == "text/calendar; charset=utf-8"
    body = ics.content.decode()
    assert f"DTSTART:{slot.start:%Y%m%dT%H%M%S}Z" in body
    assert "BEGIN:VEVENT" in body
    assert "UID:mentoring-" in body
    assert "DTSTAMP:" in body


def test_the_planner_and_its_ics_follow_a_clock_change_on_a_friday(client, mentoring):
    # Mentee in Cairo 14-18, mentor in New York 9-12 (weekdays). Cairo moves from UTC+2 to UTC+3
    # at the start of Friday 24 April 2026: shared 13-16 UTC Monday to Thursday, 13-15 UTC on
    # Friday (16:00-18:00 in Cairo, 09:00-11:00 in New York), not 13-16 as on the Monday.
    pair = make_mentorship(mentoring, starts_on=dt.date(2026, 3, 1))
    pair.match.request.time_zone = "Africa/Cairo"
    pair.match.request.save(update_fields=["time_zone"])
    _as(client, pair.mentee)
    with time_machine.travel(dt.datetime(2026, 4, 20, 6, tzinfo=dt.UTC), tick=False):
        weeks = client.get(reverse("mentoring:planner", args=[pair.pk])).context["weeks"]
        monday, slots = weeks[0]
        assert monday == dt.date(2026, 4, 20)
        friday = slots[-1]
        assert (friday.start, friday.end) == (
            dt.datetime(2026, 4, 24, 13, tzinfo=dt.UTC),
            dt.datetime(2026, 4, 24, 15, tzinfo=dt.UTC),
        )
        assert (friday.mentee_start.hour, friday.mentee_start.utcoffset()) == (16, dt.timedelta(hours=3))
        assert (friday.mentor_start.hour, friday.mentor_end.hour) == (9, 11)
        assert [(s.start.hour, s.end.hour) for s in slots[:4]] == [(13, 16)] * 4
        url = reverse("mentoring:invite", args=[pair.pk])
        body = client.get(url, {"at": "20260424T1430Z"}).content.decode()
        assert "DTSTART:20260424T143000Z" in body
        assert "DTEND:20260424T150000Z" in body  # the shared stretch ends at 15:00 UTC that day
        refused = client.get(url, {"at": "20260424T1500Z"}, follow=True)
        assert "not in your shared hours" in refused.content.decode()


def test_an_invitation_outside_the_shared_hours_is_refused(client, pair, outsider):
    _as(client, pair.mentee)
    url = reverse("mentoring:invite", args=[pair.pk])
    sunday_night = timezone.localdate() + dt.timedelta(days=14 - timezone.localdate().weekday() - 1)
    response = client.get(url, {"at": f"{sunday_night:%Y%m%d}T0300Z"}, follow=True)
    assert "not in your shared hours" in response.content.decode()
    client.force_login(outsider)
    assert client.get(url, {"at": "20300101T1000Z"}).status_code == 404


def test_a_broken_checkin_link_gets_a_clear_page(client):
    response = client.get(reverse("mentoring:checkin-link", args=["nonsense"]))
    assert response.status_code == 404
    assert "This link does not work" in response.content.decode()


def test_at_risk_is_staff_only_with_filters_and_csv(client, mentoring, coordinator, outsider, volunteer):
    silent = make_mentorship(mentoring, starts_on=timezone.localdate() - dt.timedelta(days=100))
    for user in (outsider, volunteer, silent.mentee.user):
        client.force_login(user)
        assert client.get(reverse("mentoring:staff-at-risk")).status_code == 403
        assert client.get(reverse("mentoring:staff-at-risk-export")).status_code == 403
    client.force_login(coordinator)
    page = client.get(reverse("mentoring:staff-at-risk"), {"reason": "not_going_well"}).content.decode()
    assert silent.mentee.full_name not in page
    page = client.get(reverse("mentoring:staff-at-risk"), {"reason": "no_meeting"}).content.decode()
    assert silent.mentee.full_name in page
    csv_text = client.get(reverse("mentoring:staff-at-risk-export")).content.decode()
    lines = csv_text.strip().splitlines()
    assert lines[0].startswith("mentorship,cycle,mentee")
    assert lines[1].startswith(f"{silent.pk},")
    assert lines[1].endswith("no_meeting")


@pytest.mark.parametrize("n", [1, 3])
def test_at_risk_query_count(client, mentoring, coordinator, n, django_assert_num_queries):
    for _ in range(n):
        make_mentorship(mentoring, starts_on=timezone.localdate() - dt.timedelta(days=100))
    client.force_login(coordinator)
    with django_assert_num_queries(5):
        client.get(reverse("mentoring:staff-at-risk"))


def test_staff_end_a_mentorship_with_a_reason(client, pair, coordinator):
    url = reverse("mentoring:staff-mentorship-end", args=[pair.pk])
    client.force_login(pair.mentor.user)
    assert client.post(url, {"reason": "x"}).status_code == 403
    client.force_login(coordinator)
    response = client.post(url, {"reason": ""})
    assert response.status_code == 400
    pair.refresh_from_db()
    assert pair.status == MentorshipStatus.ACTIVE
    assert client.post(url, {"reason": "Mentee changed specialty"}).status_code == 302
    pair.refresh_from_db()
    assert (pair.status, pair.end_reason) == (MentorshipStatus.ENDED_EARLY, "Mentee changed specialty")
    assert selectors_year.at_risk(today=timezone.localdate()) == []


def test_the_planner_prints_each_side_on_its_own_clock(client, mentoring):
    """Templates print aware datetimes in the reader's zone, so both columns showed the reader's
    clock (Lima and Chicago both "09:00" in the demo): each column keeps its own zone."""
    pair = make_mentorship(mentoring, starts_on=timezone.localdate() - dt.timedelta(days=10))
    _as(client, pair.mentee)

    response = client.get(reverse("mentoring:planner", args=[pair.pk]))

    slot = next(s for _monday, slots in response.context["weeks"] for s in slots)
    row = f"{slot.mentee_start:%H:%M}–{slot.mentee_end:%H:%M}</td><td>{slot.mentor_start:%a} {slot.mentor_start.day} "
    assert slot.mentee_start.hour != slot.mentor_start.hour
    assert row in response.content.decode()
    assert f"{slot.mentor_start:%H:%M}–{slot.mentor_end:%H:%M}</td>" in response.content.decode()
