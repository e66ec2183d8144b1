"""What the demo logins are promised about awards and grants (logins.py, README) is there."""

import pytest
from django.urls import reverse

from oncoreach.awards.models import Award, Grant, InterviewBooking, Offer
from oncoreach.core.models import AuditEvent
from tests.demo.conftest import client_for

pytestmark = [pytest.mark.integration]

APPLICANT = "applicant@demo.oncoreach.org"
VOLUNTEER = "volunteer@demo.oncoreach.org"
STAFF = "staff@demo.oncoreach.org"


def test_the_applicant_has_an_offer_to_answer_after_his_interview(demo):
    offer = Offer.objects.get(application__applicant__email=APPLICANT)
    assert (offer.status, bool(offer.conditions)) == ("offered", True)
    booking = InterviewBooking.objects.get(application=offer.application)
    client = client_for(APPLICANT)
    assert client.get(reverse("awards:my-offers")).status_code == 200
    assert "accept" in client.get(reverse("awards:offer", kwargs={"pk": offer.pk})).content.decode()
    interview = client.get(reverse("awards:interview", kwargs={"pk": offer.application_id})).content.decode()
    assert "Africa/Accra" in interview
    assert client.get(reverse("awards:interview-ics", kwargs={"pk": booking.pk})).status_code == 200


def test_the_volunteer_interviews_with_two_coming(demo):
    client = client_for(VOLUNTEER)
    dashboard = client.get(reverse("volunteers:dashboard")).content.decode()
    assert "2 coming interviews" in dashboard
    call = Offer.objects.get(application__applicant__email=APPLICANT).application.call
    assert client.get(reverse("awards:call-interviews", kwargs={"slug": call.slug})).status_code == 200


def test_decisions_accepted_declined_and_the_wait_list_promoted(demo):
    statuses = sorted(Offer.objects.values_list("status", flat=True))
    assert statuses == ["accepted", "accepted", "declined", "offered", "waitlisted"]
    assert AuditEvent.objects.filter(action="awards.wait_list_promoted").count() == 1
    award = Award.objects.filter(application__isnull=False).order_by("pk").first()
    assert sorted(award.benefits.values_list("kind", "status")) == [
        ("meeting_travel", "granted"),
        ("membership", "granted"),
        ("mentor", "granted"),
    ]


def test_awardees_have_meeting_trips_with_visa_letters_and_engine_mentors(demo):
    awards = list(Award.objects.filter(application__isnull=False).order_by("pk"))
    assert len(awards) == 2
    trips = [award.benefits.get(kind="meeting_travel").trip for award in awards]
    assert all(trip is not None and trip.visa_letter_needed for trip in trips)
    assert AuditEvent.objects.filter(action="awards.mentor_paired").count() == 1
    assert all(award.benefits.get(kind="mentor").mentor is not None for award in awards)
    client = client_for(STAFF)
    trips_page = client.get(reverse("travel:staff-trips")).content.decode()
    assert all(trip.title in trips_page for trip in trips)
    assert "Workshop faculty" in trips_page


def test_staff_see_the_grant_overdue_report_and_ledger(demo):
    grant = Grant.objects.get()
    assert sorted(grant.tranches.values_list("status", flat=True)) == ["approved", "paid", "scheduled"]
    client = client_for(STAFF)
    overdue = client.get(reverse("awards:overdue-reports")).content.decode()
    assert grant.project_title in overdue
    assert client.get(reverse("awards:grant", kwargs={"pk": grant.pk})).status_code == 200
    call = Offer.objects.get(application__applicant__email=APPLICANT).application.call
    assert client.get(reverse("awards:decisions", kwargs={"slug": call.slug})).status_code == 200


def test_the_directory_holds_past_awardees_with_pathways(demo):
    assert Award.objects.filter(listed=True).count() > 300
    page = client_for(STAFF).get(reverse("awards:directory")).content.decode()
    assert "→" in page
