"""The reviewer-assignment adapter: conflicts become forbidden pairs; results go through services."""

import pytest
from django.urls import reverse

from oncoreach.calls.matching_adapter import assign_reviewers_with_engine, build_problem
from oncoreach.calls.models import ReviewAssignment
from tests.factories.calls import ApplicationFactory, CallFactory, ReviewAssignmentFactory
from tests.factories.people import AffiliationFactory, OrganizationFactory, PersonFactory

pytestmark = [pytest.mark.integration]


@pytest.fixture
def panel_call(db):
    call = CallFactory(reviews_per_application=2)
    reviewers = [PersonFactory(specialty="medical_oncology") for _ in range(3)]
    call.reviewers.add(*reviewers)
    return call, reviewers


def test_build_problem_forbids_conflicts(panel_call):
    call, reviewers = panel_call
    hospital = OrganizationFactory()
    application = ApplicationFactory(call=call, status="eligible")
    AffiliationFactory(person=application.applicant, organization=hospital)
    AffiliationFactory(person=reviewers[0], organization=hospital)
    problem = build_problem(call=call)
    assert [(f.left, f.right, f.reason) for f in problem.forbidden] == [
        (f"a{application.pk}", f"r{reviewers[0].pk}", "same_institution")
    ]
    assert [(item.id, item.demand) for item in problem.lefts] == [(f"a{application.pk}", 2)]


def test_build_problem_counts_existing_reviews(panel_call):
    call, reviewers = panel_call
    application = ApplicationFactory(call=call, status="under_review")
    ReviewAssignmentFactory(application=application, reviewer=reviewers[0], status="accepted")
    problem = build_problem(call=call)
    assert ([(i.id, i.demand) for i in problem.lefts], sorted(c.right for c in problem.candidates)) == (
        [(f"a{application.pk}", 1)],
        sorted([f"r{reviewers[1].pk}", f"r{reviewers[2].pk}"]),
    )


def test_assign_reviewers_with_engine_never_assigns_a_conflict(panel_call):
    call, reviewers = panel_call
    hospital = OrganizationFactory()
    applications = [ApplicationFactory(call=call, status="eligible") for _ in range(3)]
    AffiliationFactory(person=applications[0].applicant, organization=hospital)
    AffiliationFactory(person=reviewers[0], organization=hospital)
    summary = assign_reviewers_with_engine(call=call, actor=None)
    pairs = set(ReviewAssignment.objects.values_list("application_id", "reviewer_id"))
    assert (summary.created, summary.unmatched, (applications[0].pk, reviewers[0].pk) in pairs) == (6, 0, False)
    assert set(ReviewAssignment.objects.values_list("by_engine", flat=True)) == {True}
    for application in applications:
        application.refresh_from_db()
        assert application.status == "under_review"


def test_assign_reviewers_with_engine_view(client, coordinator, panel_call):
    call, _reviewers = panel_call
    ApplicationFactory(call=call, status="eligible")
    client.force_login(coordinator)
    response = client.post(reverse("calls:staff-assign-engine", kwargs={"slug": call.slug}))
    assert (response.status_code, ReviewAssignment.objects.count()) == (302, 2)


def test_assign_reviewers_with_engine_view_refuses_outsider(client, outsider, panel_call):
    call, _reviewers = panel_call
    ApplicationFactory(call=call, status="eligible")
    client.force_login(outsider)
    response = client.post(reverse("calls:staff-assign-engine", kwargs={"slug": call.slug}))
    assert (response.status_code, ReviewAssignment.objects.count()) == (403, 0)
