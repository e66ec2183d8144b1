"""The three workshop flows in a real browser: a host applies and is approved (the course is
created), staff staff a course with the engine, a participant registers, is accepted, attends
and downloads a certificate that the public verification page confirms.

Headless Chromium from the system (/usr/bin/chromium: the shared ``browser`` fixture in
tests/browser.py) against pytest-django's live server.
"""

from __future__ import annotations

import datetime as dt
import os

import pytest

from oncoreach.people.models import Organization
from oncoreach.workshops.models import Course, FacultyInvitation, Registration
from tests.factories.calls import CallFactory, QuestionFactory
from tests.factories.people import AffiliationFactory, PersonFactory
from tests.factories.volunteers import VolunteerProfileFactory
from tests.factories.workshops import CourseFactory, CourseTemplateFactory, FacultySlotFactory, open_intake

# Playwright's sync API runs an event loop in this thread; the ORM calls in the test body are
# still synchronous and safe here.
os.environ["DJANGO_ALLOW_ASYNC_UNSAFE"] = "true"

playwright_sync = pytest.importorskip("playwright.sync_api")

pytestmark = [pytest.mark.e2e, pytest.mark.django_db(transaction=True, serialized_rollback=True)]

PASSWORD = "correct horse battery"


def _signed_in(browser, live_server, email, next_path):
    context = browser.new_context(base_url=live_server.url, accept_downloads=True)
    context.set_default_timeout(10_000)
    page = context.new_page()
    page.goto(f"/en/accounts/login/?next={next_path}")
    page.get_by_label("E-mail address").fill(email)
    page.get_by_label("Password").fill(PASSWORD)
    page.get_by_role("button", name="Sign in").click()
    page.wait_for_url(f"**{next_path}")
    return context, page


def test_host_applies_and_is_approved(initial_data, live_server, browser, member, coordinator):
    call = CallFactory(kind="host", slug="host-2027", title="Host a course in 2027")
    QuestionFactory(form=call.form, kind="long_text", label="Why should we come?", required=True)
    affiliation = AffiliationFactory(person=member.person)
    CourseTemplateFactory(name="Multidisciplinary Cancer Management Course")

    context, page = _signed_in(browser, live_server, "member@example.org", "/en/calls/host-2027/")
    try:
        page.get_by_role("button", name="Start an application").click()
        page.get_by_label("Why should we come?").fill("We treat 3,000 new patients a year and have no tumor board.")
        page.get_by_role("button", name="Submit").click()
        page.wait_for_url("**/en/calls/applications/*/")
    finally:
        context.close()

    context, page = _signed_in(
        browser, live_server, "coordinator@example.org", "/en/workshops/staff/host-applications/"
    )
    try:
        page.get_by_role("link", name="Approve").click()
        page.get_by_label("Course template").select_option(label="Multidisciplinary Cancer Management Course")
        page.get_by_label("Course title").fill("MCMC Lusaka")
        page.get_by_label("City").fill("Lusaka")
        page.get_by_label("First day").fill("2027-06-01")
        page.get_by_label("Last day").fill("2027-06-03")
        page.get_by_label("Time zone").fill("Africa/Lusaka")
        page.get_by_label("Participant places").fill("30")
        page.get_by_role("button", name="Approve and create the course").click()
        page.wait_for_url("**/en/workshops/staff/mcmc-lusaka-2027/")
    finally:
        context.close()
    course = Course.objects.get()
    assert (course.title, course.status, course.host_organization_id) == (
        "MCMC Lusaka",
        "planning",
        affiliation.organization_id,
    )
    assert Organization.objects.get(pk=affiliation.organization_id).is_partner is True
    assert list(course.host_contacts.all()) == [member.person]


def test_staff_staffs_a_course_with_the_engine(initial_data, live_server, browser, coordinator):
    slot = FacultySlotFactory(course__slug="mcmc-kathmandu")
    profile = VolunteerProfileFactory(person=PersonFactory(family_name="Faculty"))

    context, page = _signed_in(browser, live_server, "coordinator@example.org", "/en/workshops/staff/mcmc-kathmandu/")
    try:
        page.get_by_role("button", name="Propose a team for the open slots").click()
        # The engine runs in the worker (inline in tests); the run page shows its proposals.
        page.wait_for_url("**/en/workshops/staff/runs/*/")
        assert page.get_by_text("1 proposal made.").is_visible()
        assert page.get_by_text("Did not volunteer for this slot.").is_visible()
        page.get_by_role("link", name="Back to the staffing").click()
        page.wait_for_url("**/en/workshops/staff/mcmc-kathmandu/")
        page.get_by_role("button", name="Send the proposed invitations").click()
        page.wait_for_url("**/en/workshops/staff/mcmc-kathmandu/")
        assert page.get_by_text("1 invitations sent.").is_visible()
    finally:
        context.close()
    invitation = FacultyInvitation.objects.get()
    assert (invitation.slot_id, invitation.person_id, invitation.status) == (slot.pk, profile.person_id, "invited")


def test_participant_registers_is_accepted_and_gets_a_certificate(
    initial_data, live_server, browser, member, coordinator
):
    course = CourseFactory(slug="palliative-accra", title="Palliative Care Workshop, Accra")
    open_intake(course)

    context, page = _signed_in(browser, live_server, "member@example.org", "/en/workshops/palliative-accra/")
    try:
        page.get_by_role("link", name="Register for this course").click()
        page.get_by_role("button", name="Start my registration").click()
        page.get_by_label("Why do you want to attend this course?").fill("To start a palliative care clinic.")
        page.get_by_role("button", name="Submit").click()
        page.wait_for_url("**/en/workshops/registrations/*/")
        assert page.get_by_text("Your registration is sent. We will tell you by e-mail.").is_visible()
    finally:
        context.close()

    context, page = _signed_in(
        browser, live_server, "coordinator@example.org", "/en/workshops/staff/palliative-accra/intake/"
    )
    try:
        page.get_by_role("button", name="Accept — Mina Member").click()
        page.wait_for_url("**/intake/")
        assert page.get_by_text("1 of 40 places taken").is_visible()
        # The course runs; staff mark attendance afterwards.
        Course.objects.filter(pk=course.pk).update(start_date=dt.date(2026, 11, 1), end_date=dt.date(2026, 11, 3))
        page.reload()
        page.get_by_label("Attended").check()
        page.get_by_label("Pre-test (0–100)").fill("45")
        page.get_by_label("Post-test (0–100)").fill("80")
        page.get_by_role("button", name="Save").click()
        page.wait_for_url("**/intake/")
    finally:
        context.close()
    registration = Registration.objects.get()
    assert registration.status == "attended"

    context, page = _signed_in(browser, live_server, "member@example.org", registration.get_absolute_url())
    try:
        with page.expect_download() as download:
            page.get_by_role("link", name="Download your certificate of attendance (PDF)").click()
        assert download.value.suggested_filename == f"certificate-{registration.certificate_code}.pdf"
        page.goto(f"/en/workshops/certificates/{registration.certificate_code}/")
        assert page.get_by_text(f"Certificate {registration.certificate_code} is valid.").is_visible()
        assert page.get_by_text("Mina Member").is_visible()
    finally:
        context.close()
