"""What the demo logins are promised about awards and grants (logins.py, README) is there."""

from collections import Counter

import pytest
from django.urls import reverse

from oncoreach.awards.models import ApplicationTrack, Award, Grant, InterviewBooking, Offer
from oncoreach.calls.models import (
    Application,
    ApplicationSubmission,
    CallRole,
    CriterionScore,
    PanelDecision,
    Review,
    ReviewAssignment,
)
from oncoreach.calls.selectors_ranking import ranking_for_call
from oncoreach.core.models import AuditEvent
from oncoreach.people.models import Person
from tests.demo.conftest import client_for

pytestmark = [pytest.mark.integration]

APPLICANT = "applicant@demo.oncoreach.org"
VOLUNTEER = "volunteer@demo.oncoreach.org"
STAFF = "staff@demo.oncoreach.org"
CHAIR = "chair@demo.oncoreach.org"
COMMITTEE_MEMBER = "committee@demo.oncoreach.org"
REVIEWER = "reviewer@demo.oncoreach.org"


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
    statuses = Counter(Offer.objects.values_list("status", flat=True))
    # The demo applicant's offer is open (the promoted awardee accepts it); one awardee declined.
    assert (statuses["offered"], statuses["declined"], statuses["accepted"] >= 2) == (1, 1, True)
    assert AuditEvent.objects.filter(action="awards.wait_list_promoted").count() == 1
    award = Award.objects.filter(application__isnull=False).order_by("id").first()
    assert sorted(award.benefits.values_list("kind", "status")) == [
        ("meeting_travel", "granted"),
        ("membership", "granted"),
        ("mentor", "granted"),
    ]


def test_awardees_have_meeting_trips_with_visa_letters_and_engine_mentors(demo):
    awards = list(Award.objects.filter(application__isnull=False).order_by("pk"))
    assert len(awards) >= 2
    trips = [award.benefits.get(kind="meeting_travel").trip for award in awards]
    assert all(trip is not None and trip.visa_letter_needed for trip in trips)
    assert AuditEvent.objects.filter(action="awards.mentor_paired").exists()
    client = client_for(STAFF)
    trips_page = client.get(reverse("travel:staff-trips")).content.decode()
    assert all(trip.title in trips_page for trip in trips)
    assert "Workshop faculty" in trips_page


def test_the_idea_cycle_runs_through_review_committee_and_interviews(demo):
    call = Offer.objects.get(application__applicant__email=APPLICANT).application.call
    stages = Counter(Application.objects.filter(call=call).values_list("current_stage__key", flat=True))
    assert set(stages) >= {"review", "committee", "interview"}
    assert sum(stages.values()) >= 24
    assert set(ApplicationTrack.objects.filter(application__call=call).values_list("track__code", flat=True)) == {
        "idea",
        "idea-pc",
    }
    # Every criterion scored through the review service; reviewers' habits make calibration move ranks.
    reviews = Review.objects.filter(assignment__application__call=call)
    assert reviews.count() >= 40
    # IDEA-PC's rubric variant adds palliative-care relevance to the three criteria for everyone.
    pc_reviews = reviews.filter(assignment__application__rubric_variant="idea-pc")
    assert 0 < pc_reviews.count() < reviews.count()
    assert CriterionScore.objects.filter(review__in=reviews).count() == 3 * reviews.count() + pc_reviews.count()
    assert set(
        CriterionScore.objects.filter(criterion__variant="idea-pc").values_list(
            "review__assignment__application__rubric_variant", flat=True
        )
    ) == {"idea-pc"}
    ranking = ranking_for_call(call=call)
    assert any(row.rank_change for row in ranking.rows)
    chair = Person.objects.get(user__email=CHAIR)
    decisions = PanelDecision.objects.filter(application__call=call)
    assert decisions.exists()
    assert {d.recorded_by.email for d in decisions} == {CHAIR}
    assert CallRole.objects.filter(call=call, person=chair, role="chair").exists()
    assert InterviewBooking.objects.filter(application__call=call).count() == stages["interview"]


def test_the_chair_and_the_reviewer_see_what_their_login_promises(demo):
    call = Offer.objects.get(application__applicant__email=APPLICANT).application.call
    chair = client_for(CHAIR)
    assert chair.get(reverse("calls:staff-ranking", kwargs={"slug": call.slug})).status_code == 403  # not staff
    committee_url = reverse("calls:committee-ranking", kwargs={"slug": call.slug})
    assert committee_url in chair.get(reverse("calls:review-list")).content.decode()
    ranking = chair.get(committee_url)
    assert ranking.status_code == 200
    assert "Strong on every criterion" in ranking.content.decode()
    assert ranking.context["decision_form"] is not None
    member = client_for(COMMITTEE_MEMBER)
    assert committee_url in member.get(reverse("calls:review-list")).content.decode()
    read = member.get(committee_url)
    assert "Strong on every criterion" in read.content.decode()
    assert read.context["decision_form"] is None
    assert member.get(reverse("calls:committee-ranking-export", kwargs={"slug": call.slug})).status_code == 200
    reviewer = Person.objects.get(user__email=REVIEWER)
    mine = Counter(ReviewAssignment.objects.filter(reviewer=reviewer).values_list("status", flat=True))
    assert (mine["proposed"], mine["accepted"], mine["submitted"] >= 2) == (1, 1, True)
    assert client_for(REVIEWER).get(reverse("calls:review-list")).status_code == 200


def test_the_grant_cycle_has_a_letter_of_intent_stage_and_grants_with_tranches(demo):
    grant = Grant.objects.filter(application__isnull=False).order_by("id").first()
    call = grant.application.call
    assert [stage.key for stage in call.stage_list][:3] == ["letter_of_intent", "loi_review", "full_application"]
    assert call.stage_by_key("full_application").by_invitation
    assert ApplicationSubmission.objects.filter(application=grant.application).count() == 2
    assert Application.objects.filter(call=call, current_stage__key="loi_review", status="rejected").exists()
    assert sorted(grant.tranches.values_list("status", flat=True)) == ["approved", "paid", "scheduled"]


def test_the_directory_holds_past_awardees_with_pathways(demo):
    assert Award.objects.filter(listed=True).count() > 300
    page = client_for(STAFF).get(reverse("awards:directory")).content.decode()
    assert "→" in page


def test_the_grantee_leads_an_iig_grant_with_a_report_to_send(demo):
    grantee = "grantee@demo.oncoreach.org"
    grant = Grant.objects.get(lead__email=grantee)
    assert grant.program.slug == "international-innovation-grant"
    report = grant.reports.filter(received_at__isnull=True).order_by("due_date").first()
    assert report is not None
    client = client_for(grantee)
    page = client.get(reverse("awards:my-grants")).content.decode()
    assert grant.project_title in page
    detail = reverse("awards:grant", kwargs={"pk": grant.pk})
    assert detail in page
    send = reverse("awards:report-submit", kwargs={"pk": report.pk})
    assert send in client.get(detail).content.decode()
    assert client.get(send).status_code == 200
