"""With the site on another port (SITE_URL http://127.0.0.1:8301, as `PORT=8301 make run` sets it),
every link that leaves the site points there: every e-mail template the services render, the
PDFs' verification links, the calendar files, feeds and Open Graph tags."""

import datetime as dt
import re
import zlib
from pathlib import Path

import pytest
from django.conf import settings
from django.core.files.uploadedfile import SimpleUploadedFile
from django.test import Client
from django.urls import reverse
from django.utils import timezone
from wagtail.models import WorkflowState

from oncoreach.awards import services as awards_services
from oncoreach.awards.models import GrantReport, InterviewBooking
from oncoreach.calls import services as calls_services
from oncoreach.calls.models import Application
from oncoreach.core.models import OutboundEmail
from oncoreach.people import services as people_services
from oncoreach.people.models import Inquiry
from oncoreach.stories import services as stories_services
from oncoreach.stories.models import StoryPage
from oncoreach.workshops import services as workshops_services
from oncoreach.workshops.models import Course, FacultyInvitation, Registration
from tests.demo.conftest import DEMO_SITE_URL, client_for
from tests.factories.calls import ApplicationFactory, CallFactory

pytestmark = [pytest.mark.integration]

URL = re.compile(r"https?://[^\s\"'<>)]+")
SRC = Path(settings.BASE_DIR) / "src" / "oncoreach"


def _all_email_bodies() -> set[str]:
    """Every e-mail body template the code ships (``<app>/email/<name>_body.txt``)."""
    return {
        str(path.relative_to(path.parents[3])).removeprefix("templates/")
        for path in SRC.glob("*/templates/*/email/*_body.txt")
    } - {"core/email/test_body.txt"}


def _send_the_rest(captured: set[str]) -> None:
    """Through the services, the e-mails the demo's history does not send by itself."""
    from django.test.signals import template_rendered

    def keep(sender, template, context, **kwargs):
        captured.add(str(template.name))

    template_rendered.connect(keep)
    try:
        kwame = Application.objects.filter(applicant__email="applicant@demo.oncoreach.org")
        calls_services.decline_offer(
            application=kwame.exclude(call__slug__startswith="idea-and-idea-pc-").get(status="accepted"), actor=None
        )
        # his draft of the open call (his invited full application is a draft too, in its stage)
        draft = kwame.get(status="draft", current_stage__key="application")
        calls_services.withdraw_application(application=draft, actor=None)
        # Awards: the day-before interview reminders, an interview cancelled, a grant report reminder.
        coming = InterviewBooking.objects.filter(status="booked", slot__starts_at__gt=timezone.now())
        first = coming.order_by("slot__starts_at").first()
        awards_services.send_interview_reminders(now=first.slot.starts_at - dt.timedelta(hours=1))
        awards_services.cancel_booking(booking=coming.order_by("slot__starts_at").last(), actor=None)
        final = GrantReport.objects.filter(kind="final").order_by("due_date").first()
        awards_services.send_report_reminders(today=final.due_date - dt.timedelta(days=1))
        awards_services.submit_report(
            report=final, file=SimpleUploadedFile("final.pdf", b"%PDF-1.4\n%%EOF\n"), summary="Done", actor=None
        )
        interview = ApplicationFactory(call=CallFactory(extra_stages=["interview"]), status="under_review")
        calls_services.move_application(application=interview, to="interview", actor=None)
        # A mentee call has no wording of its own; mentoring drives it (no staff decision), so the
        # generic "accepted" mail is sent through the lifecycle's transition function itself.
        mentee = ApplicationFactory(call=CallFactory(kind="mentee"), status="shortlisted")
        calls_services.transition_application(application=mentee, to="accepted", actor=None)
        # A place frees up on a course with a wait list: the first wait-listed is promoted.
        waiting = Registration.objects.filter(status="waitlisted").select_related("course").first()
        accepted = Registration.objects.filter(course=waiting.course, status="accepted").first()
        workshops_services.withdraw_registration(registration=accepted, actor=None)
        # Staff withdraw an invitation; trip reminders go out two weeks before Bogotá.
        invited = FacultyInvitation.objects.filter(status="invited").first()
        workshops_services.transition_invitation(invitation=invited, to="withdrawn", actor=None)
        bogota = Course.objects.get(city="Bogotá")
        for days in (14, 3):
            workshops_services.send_trip_reminders(today=bogota.start_date - timezone.timedelta(days=days))
        # Staff cancel a coming course: its registered participants and invited faculty are told.
        cancelled = (
            Course.objects.filter(
                status="open",
                registrations__status__in=["pending", "waitlisted", "accepted"],
                slots__invitations__status__in=["invited", "accepted", "travel_booked"],
            )
            .exclude(city="Bogotá")
            .distinct()
            .first()
        )
        workshops_services.cancel_course(course=cancelled, actor=None, reason="The host hospital closed.")
        # The author revises a story the editors sent back.
        needs_changes = WorkflowState.objects.filter(status="needs_changes").values_list("object_id", flat=True)
        sent_back = StoryPage.objects.filter(pk__in=[int(pk) for pk in needs_changes]).first()
        author = sent_back.owner
        stories_services.revise_guest_story(
            author_user=author,
            page=sent_back,
            data={
                "title": sent_back.title,
                "teaser": sent_back.teaser,
                "body": "Revised: the local co-faculty are named now.",
                "countries": list(sent_back.countries.all()),
                "programs": list(sent_back.programs.all()),
                "topics": list(sent_back.topics.names()),
                "no_patient_identifiers": True,
                "submission_token": "8e5b7cf8-35a5-4c65-8b38-2a3b9a1f0c11",
            },
            images=[],
        )
        # Sign-up, a second sign-up with the same address, a password reset, staff told of an inquiry.
        people_services.register_person(
            email="new.member@example.org",
            given_name="Nia",
            family_name="Okafor",
            password="a-long-demo-password-42",
            country_of_practice=kwame.first().applicant.country_of_practice,
            consent=True,
            language="en",
        )
        people_services.register_person(
            email="member@demo.oncoreach.org",
            given_name="Lucía",
            family_name="Fernández",
            password="a-long-demo-password-42",
            country_of_practice=kwame.first().applicant.country_of_practice,
            consent=True,
            language="es",
        )
        Client().post(reverse("accounts:password-reset"), {"email": "volunteer@demo.oncoreach.org"})
        people_services.notify_staff_of_inquiry(inquiry_id=Inquiry.objects.order_by("pk").first().pk)
    finally:
        template_rendered.disconnect(keep)


def test_every_email_template_links_to_the_site_address(demo):
    rendered = set(demo["templates"])
    _send_the_rest(rendered)
    assert _all_email_bodies() - rendered == set()
    bodies = list(OutboundEmail.objects.values_list("subject", "body_text"))
    assert len(bodies) > 100
    without_link = [subject for subject, body in bodies if f"{DEMO_SITE_URL}/" not in body]
    assert without_link == []
    elsewhere = sorted(
        {url for _subject, body in bodies for url in URL.findall(body) if not url.startswith(DEMO_SITE_URL)}
    )
    assert elsewhere == []


def _pdf_links(pdf: bytes) -> str:
    """The PDF's text with its compressed streams inflated (link annotations carry the URL)."""
    parts = [pdf]
    for match in re.finditer(rb"stream\r?\n(.*?)\r?\nendstream", pdf, re.S):
        try:
            parts.append(zlib.decompress(match.group(1)))
        except zlib.error:
            continue
    return b"".join(parts).decode("latin-1")


def test_certificate_and_visa_letters_link_to_the_site_address(demo):
    pytest.importorskip("weasyprint")
    lucia = Registration.objects.filter(person__email="member@demo.oncoreach.org")
    attended, coming = lucia.get(status="attended"), lucia.get(status="accepted")
    member = client_for("member@demo.oncoreach.org")
    certificate = _pdf_links(member.get(reverse("workshops:certificate", kwargs={"pk": attended.pk})).content)
    verify = reverse("workshops:certificate-verify", kwargs={"code": attended.certificate_code})
    assert f"{DEMO_SITE_URL}{verify}" in certificate
    letter = _pdf_links(member.get(reverse("workshops:registration-visa-letter", kwargs={"pk": coming.pk})).content)
    assert f"{DEMO_SITE_URL}{coming.course.get_absolute_url()}" in letter
    trip = FacultyInvitation.objects.get(person__email="volunteer@demo.oncoreach.org", status="travel_booked")
    volunteer = client_for("volunteer@demo.oncoreach.org")
    letter = _pdf_links(volunteer.get(reverse("travel:visa-letter", kwargs={"pk": trip.travel.trip_id})).content)
    assert f"{DEMO_SITE_URL}{trip.slot.course.get_absolute_url()}" in letter
    assert "127.0.0.1:8000" not in certificate + letter


def test_calendar_feeds_and_open_graph_use_the_site_address(demo):
    client = Client()
    bogota = Course.objects.get(city="Bogotá")
    calendar = client.get(reverse("workshops:course-ics", kwargs={"slug": bogota.slug})).content.decode()
    assert f"URL:{DEMO_SITE_URL}{bogota.get_absolute_url()}" in calendar.replace("\r\n ", "")
    assert "@127.0.0.1" in calendar  # event UIDs name the site's host
    for feed in (reverse("stories:feed"), reverse("workshops:feed")):
        links = URL.findall(client.get(feed, HTTP_HOST="localhost").content.decode())
        assert [link for link in links if "w3.org" not in link and not link.startswith(DEMO_SITE_URL)] == [], feed
    story = StoryPage.objects.live().order_by("pk").first()
    page = client.get(story.url, HTTP_HOST="localhost").content.decode()
    assert f'<meta property="og:url" content="{DEMO_SITE_URL}{story.url}">' in page
    assert f"Sitemap: {DEMO_SITE_URL}/sitemap.xml" in client.get("/robots.txt", HTTP_HOST="localhost").content.decode()
    sitemap = client.get("/sitemap.xml", HTTP_HOST="localhost").content.decode()
    assert f"<loc>{DEMO_SITE_URL}/en/</loc>" in sitemap
