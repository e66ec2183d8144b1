"""One award cycle in a real browser, every hand-off through the pages and e-mails people use:
the applicant applies naming a referee, the referee uploads a letter through the private link in
their e-mail, two reviewers score the application, the committee chair records the panel's
decision on the committee's ranking page, the applicant books an interview, staff send the decision, and the
awardee accepts the offer from the link in the offer e-mail.

Headless Chromium from the system (/usr/bin/chromium) against pytest-django's live server. Steps
that are not a person's page (staff proposing reviewers, moving the application on to the
committee and interview stages, the interviewer's slot) go through the same services the pages
call, so that the test stays about the hand-offs.
"""

from __future__ import annotations

import datetime as dt
import os
import re

import pytest
from django.utils import timezone

from oncoreach.awards import services as award_services
from oncoreach.awards.models import Award, InterviewBooking, Offer
from oncoreach.calls import services as calls_services
from oncoreach.calls.models import Application, PanelDecision, ReferenceRequest, Review
from oncoreach.core.models import OutboundEmail
from oncoreach.programs.forms_engine import create_form_definition
from tests.factories.accounts import UserFactory
from tests.factories.calls import CallFactory, RubricCriterionFactory, add_to_panel
from tests.factories.people import PersonFactory

os.environ["DJANGO_ALLOW_ASYNC_UNSAFE"] = "true"

playwright_sync = pytest.importorskip("playwright.sync_api")

pytestmark = [pytest.mark.e2e, pytest.mark.django_db(transaction=True, serialized_rollback=True)]

PASSWORD = "correct horse battery"
LETTER_PDF = b"%PDF-1.4\n1 0 obj << /Type /Catalog >> endobj\ntrailer << /Root 1 0 R >>\n%%EOF\n"


def _context(browser, live_server):
    context = browser.new_context(base_url=live_server.url)
    context.set_default_timeout(30_000)  # a shared, loaded machine: pages can take seconds
    return context, context.new_page()


def _signed_in(browser, live_server, email, next_path):
    context, page = _context(browser, live_server)
    page.goto(f"/en/accounts/login/?next={next_path}")
    page.get_by_label("E-mail address").fill(email)
    page.get_by_label("Password").fill(PASSWORD)
    page.get_by_role("button", name="Sign in").click()
    page.wait_for_url(f"**{next_path}")
    return context, page


def _link_in_mail(person, pattern: str) -> str:
    """The path of the link matching ``pattern`` in the newest e-mail to ``person`` that has one."""
    addresses = {person.email, person.user.email} - {""}
    for mail in OutboundEmail.objects.filter(to__in=addresses).order_by("-id"):
        found = re.search(r"https?://[^/\s]+(/\S*" + pattern + r"\S*)", mail.body_text)
        if found:
            return found.group(1)
    raise AssertionError(f"No e-mail to {addresses} with a link matching {pattern}")


def _reviewer(email: str, name: str):
    given, _, family = name.partition(" ")
    return PersonFactory(user=UserFactory(email=email, display_name=name), given_name=given, family_name=family)


def test_apply_review_rank_interview_decide_and_accept(initial_data, live_server, browser, member, coordinator):
    form = create_form_definition(
        name="IDEA application", questions=[{"kind": "short_text", "key": "project_title", "label": "Project title"}]
    )
    call = CallFactory(
        slug="idea-2027",
        title="IDEA 2027",
        form=form,
        reference_letters_required=1,
        extra_stages=("committee", "interview"),
    )
    criterion = RubricCriterionFactory(stage=call.first_review_stage, name="Potential impact at home")
    reviewers = [_reviewer("rev.one@example.org", "Ruth Reviewer"), _reviewer("rev.two@example.org", "Raj Reviewer")]
    add_to_panel(call, *reviewers)

    # The applicant starts, names a referee and submits.
    context, page = _signed_in(browser, live_server, "member@example.org", "/en/calls/idea-2027/")
    try:
        page.get_by_role("button", name="Start an application").click()
        page.get_by_label("Project title").fill("A hospital-based cancer registry")
        page.get_by_role("button", name="Save draft").click()
        page.get_by_label("Referee's name").fill("Rita Referee")
        page.get_by_label("Referee's e-mail address").fill("rita@example.org")
        page.get_by_role("button", name="Ask this referee").click()
        page.get_by_text("letter not yet received").wait_for()
        page.get_by_role("button", name="Submit").click()
        page.wait_for_url("**/en/calls/applications/*/")
    finally:
        context.close()
    application = Application.objects.get(call=call)
    assert application.status == "eligible"

    # The referee uploads a letter through the link in their e-mail (no account).
    context, page = _context(browser, live_server)
    try:
        mail = OutboundEmail.objects.filter(to="rita@example.org").latest("id")
        page.goto(re.search(r"https?://[^/\s]+(/\S*/calls/references/\S*)", mail.body_text).group(1))
        page.get_by_label("Your letter (PDF)").set_input_files(
            {"name": "letter.pdf", "mimeType": "application/pdf", "buffer": LETTER_PDF}
        )
        page.get_by_role("button", name="Upload the letter").click()
        page.wait_for_load_state()
    finally:
        context.close()
    assert ReferenceRequest.objects.get(application=application).submitted_at is not None

    # Staff propose two reviewers; each accepts and scores from the link in their e-mail.
    for reviewer in reviewers:
        calls_services.assign_reviewer(application=application, reviewer=reviewer, actor=coordinator)
    for reviewer, score in zip(reviewers, ("4", "2"), strict=True):
        path = _link_in_mail(reviewer, "/calls/review")
        context, page = _signed_in(browser, live_server, reviewer.user.email, path)
        try:
            if page.get_by_label("Yes, I will review it").count():
                page.get_by_label("Yes, I will review it").check()
                page.get_by_role("button", name="Send my answer").click()
                page.wait_for_load_state()
            if not page.get_by_label("Potential impact at home").count():
                page.goto("/en/calls/reviews/")
                page.get_by_role("link", name=str(application.applicant)).click()
            page.get_by_label("Potential impact at home").fill(score)
            page.get_by_label("Comment for the committee").fill("A clear plan with a named local mentor.")
            page.get_by_role("button", name="Submit my review").click()
            page.wait_for_load_state()
        finally:
            context.close()
    assert sorted(Review.objects.filter(assignment__application=application).values_list("weighted_total", flat=True))
    assert Review.objects.filter(assignment__application=application, submitted_at__isnull=False).count() == 2
    assert criterion.scores.count() == 2

    # The committee: the chair (a role on the call, not staff) opens the committee's ranking from
    # her reviews page and records the panel's decision in the committee stage.
    calls_services.advance_application(application=application, actor=coordinator)
    chair = _reviewer("chair@example.org", "Carmen Chair")
    add_to_panel(call, chair, role="chair")
    context, page = _signed_in(browser, live_server, "chair@example.org", "/en/calls/reviews/")
    try:
        page.get_by_role("link", name=re.compile("IDEA 2027")).click()
        page.wait_for_url("**/en/calls/committees/idea-2027/ranking/")
        assert page.get_by_text("Mina Member").first.is_visible()
        page.get_by_label("Application number").fill(str(application.pk))
        page.get_by_label("Panel decision").select_option("fund")
        page.get_by_label("Notes").fill("Strong on every criterion.")
        page.get_by_role("button", name="Record the decision").click()
        page.get_by_text("The panel decision is recorded.").wait_for()
    finally:
        context.close()
    decision = PanelDecision.objects.get(application=application)
    assert (decision.outcome, decision.stage.key, decision.recorded_by.email) == (
        "fund",
        "committee",
        "chair@example.org",
    )

    # Interviews: the interviewer offers a slot; the applicant books it.
    calls_services.advance_application(application=application, actor=coordinator)
    interviewer = reviewers[0]
    award_services.add_interviewer(call=call, person=interviewer, actor=coordinator)
    slot = award_services.offer_slot(
        call=call,
        interviewer=interviewer,
        starts_at=timezone.now() + dt.timedelta(days=3),
        duration_minutes=30,
        video_link="https://video.example.org/idea-1",
        actor=coordinator,
    )
    interview_path = f"/en/awards/applications/{application.pk}/interview/"
    context, page = _signed_in(browser, live_server, "member@example.org", interview_path)
    try:
        page.locator(f"input[name=slot][value='{slot.pk}']").check()
        page.get_by_role("button", name="Book this time").click()
        page.get_by_role("heading", name="Booked").wait_for()
    finally:
        context.close()
    assert InterviewBooking.objects.get(application=application).slot == slot

    # Staff send the decision, previewing the e-mail first.
    context, page = _signed_in(browser, live_server, "coordinator@example.org", "/en/awards/calls/idea-2027/decisions/")
    try:
        page.locator(f"select[name=outcome-{application.pk}]").select_option("accept")
        respond_by = (timezone.now() + dt.timedelta(days=14)).strftime("%Y-%m-%dT%H:%M")
        page.get_by_label("Answer by (your time zone)").fill(respond_by)
        page.get_by_label("Amount").fill("5000")
        page.get_by_label("Conditions of the offer").fill("Attend the Annual Meeting in June.")
        page.get_by_role("button", name="Preview the e-mails").click()
        page.locator(f"select[name=outcome-{application.pk}]").select_option("accept")
        page.get_by_role("button", name="Record the decisions and send").click()
        page.wait_for_load_state()
    finally:
        context.close()
    offer = Offer.objects.get(application=application)
    assert offer.status == "offered"

    # The awardee accepts from the link in the offer e-mail (the link needs no sign-in).
    context, page = _context(browser, live_server)
    try:
        page.goto(_link_in_mail(member.person, "/awards/offers/answer/"))
        page.get_by_label("I accept").check()
        page.get_by_label("List me in the public awardee directory").check()
        page.get_by_role("button", name="Send my answer").click()
        page.wait_for_load_state()
    finally:
        context.close()
    offer.refresh_from_db()
    assert offer.status == "accepted"
    award = Award.objects.get(application=application)
    assert (award.person_id, award.listed, str(award.amount)) == (member.person.pk, True, "5000.00")
