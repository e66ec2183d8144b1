"""Monthly check-ins answered in one click without signing in, safe from mail scanners:
opening a link records its answer; HEAD, prefetches and link previewers never do; two different
answers opened within the click window are unconfirmed (and count for nothing at risk) until a
button (POST) confirms; after the window a link never changes the answer; buttons change it while
the link is valid; expired, broken and ended links keep their pages; a link touches its own
check-in only."""

import datetime as dt

import pytest
import time_machine
from django.db import connection
from django.test import Client
from django.test.utils import CaptureQueriesContext
from django.utils import timezone

from oncoreach.core.models import AuditEvent, OutboundEmail
from oncoreach.mentoring import selectors_year
from oncoreach.mentoring.enums import CheckInAnswer, CheckInState, MentorshipStatus, RiskReason, Side
from oncoreach.mentoring.models import CheckIn, Mentorship
from oncoreach.mentoring.services.checkins import answer_checkin, checkin_links, send_monthly_checkins
from oncoreach.mentoring.services.year import log_meeting
from tests.factories.mentoring import make_mentorship

pytestmark = [pytest.mark.integration, pytest.mark.django_db]

BROWSER = {"HTTP_ACCEPT": "text/html,application/xhtml+xml,*/*;q=0.8", "HTTP_USER_AGENT": "Mozilla/5.0 Firefox/140.0"}
GOING_WELL, SOME, NOT_WELL = CheckInAnswer.GOING_WELL, CheckInAnswer.SOME_DIFFICULTY, CheckInAnswer.NOT_GOING_WELL


@pytest.fixture
def pair(mentoring):
    pair = make_mentorship(mentoring, starts_on=timezone.localdate() - dt.timedelta(days=90))
    # a meeting this week: only the check-in can put the pair on the at-risk list
    log_meeting(mentorship=pair, person=pair.mentee, held_on=timezone.localdate(), minutes=30, topic="t", actor=None)
    send_monthly_checkins()
    return pair


def _checkin(pair, side=Side.MENTOR):
    return CheckIn.objects.filter(mentorship=pair, side=side).order_by("-month").first()


def _paths(checkin, person):
    return {answer: url[url.index("/", url.index("://") + 3) :] for answer, url in checkin_links(checkin, person)}


def _at_risk(pair, now=None):
    rows = selectors_year.at_risk(today=timezone.localdate(), now=now)
    return [row.reasons for row in rows if row.mentorship == pair]


def test_opening_an_answer_link_records_it_at_once(client, pair):
    checkin = _checkin(pair)
    response = client.get(_paths(checkin, pair.mentor)[NOT_WELL], **BROWSER)
    assert response.status_code == 200
    page = response.content.decode()
    assert "we recorded your answer" in page
    assert "<strong>Not going well</strong>" in page
    assert "Change my answer" in page
    assert 'name="csrfmiddlewaretoken"' in page
    assert response["Referrer-Policy"] == "same-origin"
    assert "no-store" in response["Cache-Control"]
    checkin.refresh_from_db()
    assert (checkin.answer, checkin.state) == (NOT_WELL, CheckInState.CLICKED)
    assert AuditEvent.objects.filter(action="mentoring.checkin.transition", data__how="link").count() == 1
    # the same link again (a second click, or a scanner opening it once more) changes nothing
    assert (
        "<strong>Not going well</strong>"
        in client.get(_paths(checkin, pair.mentor)[NOT_WELL], **BROWSER).content.decode()
    )
    assert AuditEvent.objects.filter(action="mentoring.checkin.transition").count() == 1


@pytest.mark.parametrize(
    "headers",
    [
        {"HTTP_PURPOSE": "prefetch"},
        {"HTTP_SEC_PURPOSE": "prefetch;prerender"},
        {"HTTP_X_PURPOSE": "preview"},
        {"HTTP_X_MOZ": "prefetch"},
        {"HTTP_USER_AGENT": "Slackbot-LinkExpanding 1.0 (+https://api.slack.com/robots)"},
        {"HTTP_USER_AGENT": "WhatsApp/2.23.20.0"},
        {"HTTP_ACCEPT": "*/*"},  # not a page navigation
    ],
)
def test_prefetches_and_link_previewers_never_record(client, pair, headers):
    checkin = _checkin(pair)
    path = _paths(checkin, pair.mentor)[NOT_WELL]
    response = client.get(path, **{**BROWSER, **headers})
    assert response.status_code == 200
    assert "Press its button to send it" in response.content.decode()
    checkin.refresh_from_db()
    assert (checkin.answer, checkin.state) == ("", CheckInState.UNANSWERED)


def test_a_head_request_never_records(client, pair):
    checkin = _checkin(pair)
    assert client.head(_paths(checkin, pair.mentor)[NOT_WELL], **BROWSER).status_code == 200
    checkin.refresh_from_db()
    assert checkin.state == CheckInState.UNANSWERED


def test_a_scanner_opening_every_link_leaves_the_checkin_unconfirmed_and_nobody_at_risk(client, pair, settings):
    settings.MENTORING_CHECKIN_CLICK_WINDOW_SECONDS = 120
    checkin = _checkin(pair)
    paths = _paths(checkin, pair.mentor)
    start = timezone.now()
    with time_machine.travel(start, tick=False):
        client.get(paths[NOT_WELL], **BROWSER)
        # a click still inside its window counts for nothing yet: no flag for a moment either
        assert _at_risk(pair) == []
    with time_machine.travel(start + dt.timedelta(seconds=2), tick=False):
        response = client.get(paths[GOING_WELL], **BROWSER)
    assert "Several answer links of this e-mail were opened" in response.content.decode()
    checkin.refresh_from_db()
    assert (checkin.answer, checkin.state) == ("", CheckInState.UNCONFIRMED)
    with time_machine.travel(start + dt.timedelta(hours=3), tick=False):
        # the person's own click later: still nothing recorded, the page asks for a button
        page = client.get(paths[NOT_WELL], **BROWSER).content.decode()
        assert "nothing is recorded yet" in page
        assert page.index('value="not_going_well"') < page.index('value="going_well"')  # theirs first
        assert _at_risk(pair) == []
        checkin.refresh_from_db()
        assert checkin.state == CheckInState.UNCONFIRMED
        response = client.post(paths[NOT_WELL], {"answer": NOT_WELL, "comment": ""})
        assert response.status_code == 200
        assert "we recorded your answer" in response.content.decode()
        checkin.refresh_from_db()
        assert (checkin.answer, checkin.state) == (NOT_WELL, CheckInState.CONFIRMED)
        # a confirmed answer counts at once
        assert _at_risk(pair) == [[RiskReason.NOT_GOING_WELL]]


def test_a_scanner_never_clears_an_earlier_not_going_well(client, pair):
    earlier = CheckIn.objects.create(
        mentorship=pair, side=Side.MENTEE, month=_checkin(pair).month - dt.timedelta(days=31), sent_at=timezone.now()
    )
    answer_checkin(checkin=earlier, answer=NOT_WELL)
    checkin = _checkin(pair, Side.MENTEE)
    paths = _paths(checkin, pair.mentee)
    client.get(paths[GOING_WELL], **BROWSER)
    client.get(paths[SOME], **BROWSER)
    checkin.refresh_from_db()
    assert checkin.state == CheckInState.UNCONFIRMED
    assert _at_risk(pair, now=timezone.now() + dt.timedelta(days=1)) == [[RiskReason.NOT_GOING_WELL]]


def test_one_click_counts_for_at_risk_once_its_window_has_passed(client, pair, settings):
    settings.MENTORING_CHECKIN_CLICK_WINDOW_SECONDS = 120
    checkin = _checkin(pair)
    client.get(_paths(checkin, pair.mentor)[NOT_WELL], **BROWSER)
    assert _at_risk(pair) == []
    assert _at_risk(pair, now=timezone.now() + dt.timedelta(seconds=121)) == [[RiskReason.NOT_GOING_WELL]]


def test_after_the_window_another_link_does_not_change_the_answer_but_a_button_does(client, pair):
    checkin = _checkin(pair)
    paths = _paths(checkin, pair.mentor)
    client.get(paths[GOING_WELL], **BROWSER)
    with time_machine.travel(timezone.now() + dt.timedelta(minutes=5)):
        page = client.get(paths[NOT_WELL], **BROWSER).content.decode()
        assert "already has your answer" in page
        assert "<strong>Going well</strong>" in page
        assert 'value="going_well"' not in page.split("Add a comment")[0]  # the other answers only
        checkin.refresh_from_db()
        assert (checkin.answer, checkin.state) == (GOING_WELL, CheckInState.CLICKED)
        # "change my answer" (a button) works, and a comment with it
        client.post(paths[NOT_WELL], {"answer": SOME})
        response = client.post(paths[NOT_WELL], {"answer": SOME, "comment": "We could not find a time."})
    assert response.status_code == 200
    checkin.refresh_from_db()
    assert (checkin.answer, checkin.state, checkin.comment) == (
        SOME,
        CheckInState.CONFIRMED,
        "We could not find a time.",
    )


def test_bad_button_input_gets_a_clear_error_and_changes_nothing(client, pair):
    checkin = _checkin(pair)
    path = _paths(checkin, pair.mentor)[GOING_WELL]
    client.get(path, **BROWSER)
    for data, message in (
        ({"answer": "maybe"}, "Choose one of the answers."),
        ({}, "Choose one of the answers."),
        ({"answer": SOME, "comment": "x" * 2001}, "at most 2000 characters"),
    ):
        response = client.post(path, data)
        assert response.status_code == 400
        assert message in response.content.decode()
    checkin.refresh_from_db()
    assert (checkin.answer, checkin.state, checkin.comment) == (GOING_WELL, CheckInState.CLICKED, "")


def test_a_button_needs_the_csrf_token(pair):
    checkin = _checkin(pair)
    client = Client(enforce_csrf_checks=True)
    assert client.post(_paths(checkin, pair.mentor)[NOT_WELL], {"answer": NOT_WELL}).status_code == 403
    checkin.refresh_from_db()
    assert checkin.state == CheckInState.UNANSWERED


def test_expired_and_ended_links_keep_their_pages_and_change_nothing(client, pair):
    checkin = _checkin(pair)
    path = _paths(checkin, pair.mentor)[GOING_WELL]
    with time_machine.travel(timezone.now() + dt.timedelta(days=31)):
        for response in (client.get(path, **BROWSER), client.post(path, {"answer": GOING_WELL})):
            assert response.status_code == 410
            assert "This check-in link has expired" in response.content.decode()
    Mentorship.objects.filter(pk=pair.pk).update(status=MentorshipStatus.ENDED_EARLY)
    response = client.get(path, **BROWSER)
    assert response.status_code == 410
    assert "This mentorship has ended" in response.content.decode()
    checkin.refresh_from_db()
    assert checkin.state == CheckInState.UNANSWERED


def test_a_link_touches_its_own_checkin_only(client, pair, mentoring, outsider):
    other = make_mentorship(mentoring, starts_on=pair.starts_on)
    send_monthly_checkins()
    theirs = _checkin(other)
    mine = _checkin(pair)
    client.force_login(outsider)  # being signed in as someone else gives no access either
    path = _paths(mine, pair.mentor)[NOT_WELL]
    client.get(path, **BROWSER)
    client.post(path, {"answer": SOME, "comment": "hello", "checkin": theirs.pk})
    theirs.refresh_from_db()
    assert (theirs.answer, theirs.state, theirs.comment) == ("", CheckInState.UNANSWERED, "")
    tampered = path.replace(path.split("/")[-2], path.split("/")[-2][:-3] + "abc")
    assert client.post(tampered, {"answer": SOME}).status_code == 404
    assert client.get(tampered, **BROWSER).status_code == 404


def test_staff_read_the_checkins_and_comments_and_the_pair_does_not(client, pair, coordinator):
    checkin = _checkin(pair, Side.MENTEE)
    answer_checkin(checkin=checkin, answer=SOME, comment="My mentor cancelled twice.")
    url = f"/en/mentoring/mentorships/{pair.pk}/"
    client.force_login(coordinator)
    page = client.get(url).content.decode()
    assert "My mentor cancelled twice." in page
    assert "Some difficulty" in page
    for person in (pair.mentee, pair.mentor):
        client.force_login(person.user)
        assert "My mentor cancelled twice." not in client.get(url).content.decode()


def test_the_staff_mentorship_page_query_count_does_not_grow_with_checkins(client, pair, coordinator):
    client.force_login(coordinator)
    counts = []
    for k in range(1, 5):
        CheckIn.objects.create(mentorship=pair, side=Side.MENTEE, month=dt.date(2020, k, 1), sent_at=timezone.now())
        with CaptureQueriesContext(connection) as queries:
            assert client.get(f"/en/mentoring/mentorships/{pair.pk}/").status_code == 200
        counts.append(len(queries))
    assert len(set(counts[1:])) == 1, counts  # the first request also loads the session and site
    assert counts[-1] <= 14


def test_the_email_says_opening_a_link_answers(pair):
    body = OutboundEmail.objects.get(to=pair.mentor.email, event_key__startswith="mentoring:checkin").body_text
    assert "Opening a link records its answer." in body
    assert "works once" not in body
