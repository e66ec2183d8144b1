"""The committee ranking: calibrated against raw, disagreement, shortlist balance, CSV, queries."""

import datetime as dt
from decimal import Decimal

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse
from django.utils import timezone

from oncoreach.calls.models import Review
from oncoreach.calls.selectors_ranking import ranking_for_call
from oncoreach.geo.models import Country
from tests.factories.calls import ApplicationFactory, CallFactory, ReviewAssignmentFactory
from tests.factories.people import PersonFactory

pytestmark = [pytest.mark.integration]


def _review(application, reviewer, total):
    assignment = ReviewAssignmentFactory(application=application, reviewer=reviewer, status="submitted")
    Review.objects.create(assignment=assignment, weighted_total=Decimal(total), submitted_at=timezone.now())


def _stage(count: int):
    """A harsh and a lenient reviewer; the last application is shortlisted."""
    call = CallFactory(reference_date=dt.date(2025, 1, 1))
    harsh, lenient = PersonFactory(), PersonFactory()
    country = Country.objects.get(iso3="GHA")
    applications = [
        ApplicationFactory(
            call=call,
            status="under_review",
            applicant__country_of_practice=country,
            applicant__career_stage="early",
        )
        for _ in range(count)
    ]
    for k, application in enumerate(applications):
        _review(application, harsh, 10 + k)
        _review(application, lenient, 80 + k)
    applications[-1].status = "shortlisted"
    applications[-1].save()
    return call, applications, harsh, lenient


def test_the_ranking_puts_raw_and_calibrated_side_by_side(reference_data):
    call, _applications, harsh, _lenient = _stage(3)
    # a fourth application, reviewed only by the harsh reviewer, with their best score
    extra = ApplicationFactory(call=call, status="under_review")
    _review(extra, harsh, 40)
    ranking = ranking_for_call(call=call)
    rows = {row.application_id: row for row in ranking.rows}
    assert rows[extra.pk].rank_raw == 4  # 40 is below every mean of (10+k, 80+k) / 2
    assert rows[extra.pk].rank_calibrated == 1  # but it is the harsh reviewer's best
    assert rows[extra.pk].rank_change == 3
    assert ranking.rows[0].application_id == extra.pk
    assert ranking.shortlist_size == 1
    assert ranking.balance["country"] == [("Ghana", 1)]
    assert ranking.balance["career_stage"][0][1] == 1
    assert ranking.balance["income_group"][0][1] == 1


def test_the_ranking_page_and_csv_for_staff(client, coordinator, reference_data):
    call, applications, _h, _l = _stage(2)
    client.force_login(coordinator)
    page = client.get(reverse("calls:staff-ranking", kwargs={"slug": call.slug}))
    assert page.status_code == 200
    assert applications[0].applicant.full_name in page.content.decode()
    csv_response = client.get(reverse("calls:staff-ranking-export", kwargs={"slug": call.slug}))
    lines = csv_response.content.decode().splitlines()
    assert lines[0].startswith("id,applicant,status,country,region,income_group")
    assert len(lines) == 3


def test_the_ranking_refuses_outsiders(client, outsider, reference_data):
    call, _apps, _h, _l = _stage(1)
    client.force_login(outsider)
    for name in ("calls:staff-ranking", "calls:staff-ranking-export"):
        assert client.get(reverse(name, kwargs={"slug": call.slug})).status_code == 403


@pytest.mark.parametrize("role", ["chair", "member", "external_reviewer"])
def test_the_staff_ranking_stays_a_staff_page_for_panel_roles(client, role, reference_data):
    """Panel roles on the call (a chair too) do not open the staff ranking: their pages are the
    committee's own (tests/calls/test_committee.py)."""
    from oncoreach.calls.models import CallRole, PanelDecision
    from tests.factories.accounts import UserFactory

    call, applications, _h, _l = _stage(1)
    person = PersonFactory(user=UserFactory())
    CallRole.objects.create(call=call, person=person, role=role)
    client.force_login(person.user)
    for name in ("calls:staff-ranking", "calls:staff-ranking-export"):
        assert client.get(reverse(name, kwargs={"slug": call.slug})).status_code == 403
    url = reverse("calls:staff-panel-decide", kwargs={"slug": call.slug})
    assert client.post(url, {"application": applications[0].pk, "outcome": "fund"}).status_code == 403
    assert PanelDecision.objects.count() == 0


def test_the_ranking_costs_the_same_queries_however_many_applications(client, coordinator, reference_data):
    counts = []
    for size in (2, 8):
        call, _apps, _h, _l = _stage(size)
        client.force_login(coordinator)
        url = reverse("calls:staff-ranking", kwargs={"slug": call.slug})
        client.get(url)  # warm the session and content-type caches
        with CaptureQueriesContext(connection) as queries:
            response = client.get(url)
        assert len(response.context["ranking"].rows) == size
        counts.append(len(queries))
    assert counts[0] == counts[1]


def test_the_chair_records_a_panel_decision_with_notes(client, coordinator, reference_data):
    from oncoreach.calls.models import PanelDecision
    from oncoreach.core.models import AuditEvent

    call, applications, _h, _l = _stage(2)
    client.force_login(coordinator)
    url = reverse("calls:staff-panel-decide", kwargs={"slug": call.slug})
    client.post(url, {"application": applications[1].pk, "outcome": "wait_list", "notes": "Strong but late."})
    response = client.post(url, {"application": applications[1].pk, "outcome": "fund", "notes": "Funded after all."})
    assert response.status_code == 302
    assert list(PanelDecision.objects.values_list("outcome", flat=True)) == ["fund", "wait_list"]
    assert AuditEvent.objects.filter(action="calls.panel.decide").count() == 2
    rows = {row.application_id: row for row in ranking_for_call(call=call).rows}
    assert (rows[applications[1].pk].panel_decision, rows[applications[1].pk].panel_notes) == (
        "Fund",
        "Funded after all.",
    )


def test_a_panel_decision_for_another_calls_application_is_refused(client, coordinator, outsider, reference_data):
    from oncoreach.calls.models import PanelDecision

    call, _apps, _h, _l = _stage(1)
    elsewhere = ApplicationFactory(status="under_review")
    client.force_login(coordinator)
    url = reverse("calls:staff-panel-decide", kwargs={"slug": call.slug})
    response = client.post(url, {"application": elsewhere.pk, "outcome": "fund"}, follow=True)
    assert f"Application #{elsewhere.pk} is not an application of this call." in response.content.decode()
    client.force_login(outsider)
    assert client.post(url, {"application": elsewhere.pk, "outcome": "fund"}).status_code == 403
    assert PanelDecision.objects.count() == 0


def test_the_ranking_reads_one_stage_at_a_time(reference_data):
    """Calibration is per stage: the interview's scores do not mix with the external review's."""
    call = CallFactory(reference_date=dt.date(2025, 1, 1), extra_stages=["interview"])
    review, interview = call.stage_by_key("review"), call.stage_by_key("interview")
    first, second = (ApplicationFactory(call=call, status="under_review") for _ in range(2))
    reviewers = [PersonFactory() for _ in range(3)]
    for application, total in ((first, 90), (second, 10)):
        for reviewer in reviewers[:2]:
            assignment = ReviewAssignmentFactory(
                application=application, reviewer=reviewer, status="submitted", stage=review
            )
            Review.objects.create(assignment=assignment, weighted_total=Decimal(total), submitted_at=timezone.now())
    assignment = ReviewAssignmentFactory(application=second, reviewer=reviewers[2], status="submitted", stage=interview)
    Review.objects.create(assignment=assignment, weighted_total=Decimal(70), submitted_at=timezone.now())

    by_review = {row.application_id: row for row in ranking_for_call(call=call).rows}  # the first review stage
    by_interview = {row.application_id: row for row in ranking_for_call(call=call, stage=interview).rows}
    assert (by_review[first.pk].n_reviews, by_review[second.pk].n_reviews) == (2, 2)
    assert by_review[first.pk].rank_raw == 1
    assert (by_interview[first.pk].n_reviews, by_interview[second.pk].n_reviews) == (0, 1)
    assert by_interview[second.pk].rank_raw == 1


def test_a_panel_decision_belongs_to_the_stage_it_was_recorded_in(client, coordinator, reference_data):
    from oncoreach.calls.models import PanelDecision

    call = CallFactory(reference_date=dt.date(2025, 1, 1), extra_stages=["interview"])
    review, interview = call.stage_by_key("review"), call.stage_by_key("interview")
    application = ApplicationFactory(call=call, status="under_review")
    for stage in (review, interview):
        assignment = ReviewAssignmentFactory(application=application, stage=stage, status="submitted")
        Review.objects.create(assignment=assignment, weighted_total=Decimal(70), submitted_at=timezone.now())
    client.force_login(coordinator)
    url = reverse("calls:staff-panel-decide", kwargs={"slug": call.slug})

    response = client.post(url, {"application": application.pk, "outcome": "fund", "stage": "interview"})

    assert response["Location"].endswith("?stage=interview")
    assert PanelDecision.objects.get().stage == interview
    by_stage = {
        stage.key: ranking_for_call(call=call, stage=stage).rows[0].panel_decision for stage in (review, interview)
    }
    assert by_stage == {"review": "", "interview": "Fund"}
    export = reverse("calls:staff-ranking-export", kwargs={"slug": call.slug})
    assert "Fund" in client.get(f"{export}?stage=interview").content.decode()
    assert "Fund" not in client.get(f"{export}?stage=review").content.decode()
