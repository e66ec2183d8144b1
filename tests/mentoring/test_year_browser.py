"""The mentoring cycle in a real browser: a mentee applies with a ranked preference, staff run
and publish the round, both sides accept, contact details appear, and a meeting is logged; a
monthly check-in is answered in one click from its e-mail link and changed with a button.

Headless Chromium from the system (/usr/bin/chromium) against pytest-django's live server.
"""

from __future__ import annotations

import datetime as dt
import os

import pytest
from django.utils import timezone

from oncoreach.mentoring.enums import CheckInAnswer, CheckInState, Side
from oncoreach.mentoring.models import CheckIn, MeetingLog, Mentorship
from oncoreach.mentoring.services.checkins import checkin_links, send_monthly_checkins
from tests.factories.accounts import UserFactory
from tests.factories.geo import CountryFactory
from tests.factories.mentoring import make_cycle, make_mentor, make_mentorship
from tests.factories.people import PersonFactory

# Playwright's sync API runs an event loop in this thread; the ORM calls in the test body are
# still synchronous and safe here.
os.environ["DJANGO_ALLOW_ASYNC_UNSAFE"] = "true"

playwright_sync = pytest.importorskip("playwright.sync_api")

pytestmark = [pytest.mark.e2e, pytest.mark.django_db(transaction=True, serialized_rollback=True)]

PASSWORD = "correct horse battery"


def _signed_in(browser, live_server, email, next_path):
    context = browser.new_context(base_url=live_server.url)
    context.set_default_timeout(15_000)
    page = context.new_page()
    page.goto(f"/en/accounts/login/?next={next_path}")
    page.get_by_label("E-mail address").fill(email)
    page.get_by_label("Password").fill(PASSWORD)
    page.get_by_role("button", name="Sign in").click()
    page.wait_for_url(f"**{next_path}")
    return context, page


def test_apply_match_accept_reveal_and_log_a_meeting(initial_data, live_server, browser, coordinator):
    mentoring = make_cycle(actor=coordinator)
    mentor_user = UserFactory(email="mentor@example.org", display_name="Maria Mentor")
    mentor = PersonFactory(
        user=mentor_user,
        given_name="Maria",
        family_name="Mentor",
        is_volunteer=True,
        country_of_practice=CountryFactory(region="NAC", income_group="H"),
    )
    make_mentor(mentoring, person=mentor, contact_note="Zoom: maria.mentor.room")
    mentee_user = UserFactory(email="mentee@example.org", display_name="Amara Mentee")
    PersonFactory(
        user=mentee_user,
        given_name="Amara",
        family_name="Mentee",
        email="mentee@example.org",
        membership_status="active",
    )

    apply_path = f"/en/mentoring/cycles/{mentoring.pk}/apply/"
    context, page = _signed_in(browser, live_server, "mentee@example.org", apply_path)
    try:
        page.get_by_role("button", name="Start my application").click()
        page.get_by_label("Clinical", exact=True).check()
        page.get_by_label("Your goals for the year").fill("Run a breast cancer clinic with a tumour board.")
        page.get_by_label("Breast cancer", exact=True).check()
        page.get_by_label("English", exact=True).check()
        page.get_by_label("Your time zone").fill("Africa/Lagos")
        page.get_by_label("Weekly time windows").fill("Mon 14:00-18:00\nTue 14:00-18:00\nWed 14:00-18:00")
        page.get_by_label("Other ways to reach you").fill("WhatsApp: amara.secret")
        page.get_by_label("Mentor choice 1").select_option(index=1)
        page.get_by_role("button", name="Save and submit").click()
        page.wait_for_url("**/en/mentoring/")
    finally:
        context.close()

    context, page = _signed_in(
        browser, live_server, "coordinator@example.org", f"/en/mentoring/staff/cycles/{mentoring.pk}/"
    )
    try:
        page.get_by_role("button", name="Open a new round").click()
        page.wait_for_url("**/en/mentoring/staff/rounds/*/")
        page.get_by_role("button", name="Run the engine").click()
        page.wait_for_url("**/staff/rounds/*/?run=*")
        page.get_by_role("button", name="Publish this run: send the proposals").click()
        page.wait_for_url("**/en/mentoring/staff/rounds/*/")
    finally:
        context.close()

    for email, name in (("mentee@example.org", "Mentor: Maria Mentor"), ("mentor@example.org", "Mentee: Amara Mentee")):
        context, page = _signed_in(browser, live_server, email, "/en/mentoring/")
        try:
            page.get_by_role("link", name=name).click()
            assert page.get_by_text("maria.mentor.room").count() == 0
            page.get_by_role("button", name="Accept").click()
            page.get_by_text(
                "Thank you: you"
            ).first.wait_for()  # "you accepted" or, the second, "you have both accepted"
        finally:
            if email == "mentee@example.org":
                context.close()

    # The mentor accepted last: both did, so the contact details appear on the mentor's page.
    try:
        contact = page.get_by_role("region", name="Contact details")
        assert "mentee@example.org" in contact.inner_text()
        assert "amara.secret" in contact.inner_text()
        page.get_by_role("link", name="Your mentorship: plan and meetings").click()
        page.wait_for_url("**/en/mentoring/mentorships/*/")
        page.get_by_label("Date (required)").fill(timezone.localdate().isoformat())
        page.get_by_label("Duration (minutes)").fill("45")
        page.get_by_label("Topic (required)").fill("Getting to know each other")
        page.get_by_role("button", name="Log the meeting").click()
        page.get_by_text("The meeting is in your log.").wait_for()
        assert page.get_by_role("cell", name="Getting to know each other").count() == 1
    finally:
        context.close()
    mentorship = Mentorship.objects.get()
    assert list(MeetingLog.objects.values_list("mentorship", "topic")) == [
        (mentorship.pk, "Getting to know each other")
    ]


def test_a_checkin_is_answered_in_one_click_and_changed_with_a_button(initial_data, live_server, browser, coordinator):
    pair = make_mentorship(make_cycle(actor=coordinator), starts_on=timezone.localdate() - dt.timedelta(days=60))
    send_monthly_checkins()
    checkin = CheckIn.objects.get(mentorship=pair, side=Side.MENTEE)
    url = dict(checkin_links(checkin, pair.mentee))[CheckInAnswer.NOT_GOING_WELL]
    path = url[url.index("/", url.index("://") + 3) :]
    context = browser.new_context(base_url=live_server.url)  # not signed in: the link is enough
    context.set_default_timeout(15_000)
    page = context.new_page()
    try:
        page.goto(path)  # the one click, from the e-mail
        page.get_by_text("we recorded your answer").wait_for()
        checkin.refresh_from_db()
        assert (checkin.answer, checkin.state) == (CheckInAnswer.NOT_GOING_WELL, CheckInState.CLICKED)
        page.get_by_role("button", name="Some difficulty").click()
        page.get_by_text("Some difficulty", exact=True).wait_for()
        page.get_by_label("Anything the program team should know? (optional)").fill("Our hospital changed rota.")
        page.get_by_role("button", name="Send my comment").click()
        page.get_by_text("Our hospital changed rota.").wait_for()
    finally:
        context.close()
    checkin.refresh_from_db()
    assert (checkin.answer, checkin.state, checkin.comment) == (
        CheckInAnswer.SOME_DIFFICULTY,
        CheckInState.CONFIRMED,
        "Our hospital changed rota.",
    )
