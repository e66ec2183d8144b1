"""The reviewer-assignment adapter: conflicts become forbidden pairs; results go through services."""

import pytest
from django.urls import reverse

from oncoreach.calls.matching_adapter import assign_reviewers, build_problem
from oncoreach.calls.models import ReviewAssignment
from oncoreach.calls.review_matching import ReviewProblem
from oncoreach.core.models import BackgroundRun
from tests.factories.calls import ApplicationFactory, CallFactory, ReviewAssignmentFactory, add_to_panel, set_panel
from tests.factories.people import AffiliationFactory, OrganizationFactory, PersonFactory

pytestmark = [pytest.mark.integration]


def removed_pairs(problem: ReviewProblem) -> list[tuple[str, str, str]]:
    ap = problem.problem
    return sorted(
        (ap.left_ids[i], ap.right_ids[j], ap.reasons[c])
        for i, j, c in zip(ap.excluded_left, ap.excluded_right, ap.excluded_reason, strict=True)
    )


def candidate_rights(problem: ReviewProblem) -> list[str]:
    return sorted(problem.problem.right_ids[j] for j in problem.problem.edge_right)


@pytest.fixture
def panel_call(db):
    call = CallFactory(reviews_per_application=2)
    reviewers = [PersonFactory(specialty="medical_oncology") for _ in range(3)]
    add_to_panel(call, *reviewers)
    return call, reviewers


def test_build_problem_forbids_conflicts(panel_call):
    call, reviewers = panel_call
    hospital = OrganizationFactory()
    application = ApplicationFactory(call=call, status="eligible")
    AffiliationFactory(person=application.applicant, organization=hospital)
    AffiliationFactory(person=reviewers[0], organization=hospital)
    problem = build_problem(call=call)
    assert removed_pairs(problem) == [(f"a{application.pk}", f"r{reviewers[0].pk}", "same_institution")]
    assert (problem.problem.left_ids, list(problem.problem.demand)) == ((f"a{application.pk}",), [2])


def test_build_problem_counts_existing_reviews(panel_call):
    call, reviewers = panel_call
    application = ApplicationFactory(call=call, status="under_review")
    ReviewAssignmentFactory(application=application, reviewer=reviewers[0], status="accepted")
    problem = build_problem(call=call)
    assert (problem.problem.left_ids, list(problem.problem.demand), candidate_rights(problem)) == (
        (f"a{application.pk}",),
        [1],
        sorted([f"r{reviewers[1].pk}", f"r{reviewers[2].pk}"]),
    )


def test_assign_reviewers_with_engine_never_assigns_a_conflict(panel_call):
    call, reviewers = panel_call
    hospital = OrganizationFactory()
    applications = [ApplicationFactory(call=call, status="eligible") for _ in range(3)]
    AffiliationFactory(person=applications[0].applicant, organization=hospital)
    AffiliationFactory(person=reviewers[0], organization=hospital)
    summary = assign_reviewers(call=call, actor=None)
    pairs = set(ReviewAssignment.objects.values_list("application_id", "reviewer_id"))
    assert (summary.created, summary.unmatched, (applications[0].pk, reviewers[0].pk) in pairs) == (6, 0, False)
    assert set(ReviewAssignment.objects.values_list("by_engine", flat=True)) == {True}
    for application in applications:
        application.refresh_from_db()
        assert application.status == "under_review"


def test_explanations_come_from_the_engine_and_name_the_specialty(panel_call):
    call, _reviewers = panel_call
    application = ApplicationFactory(call=call, status="eligible", applicant__specialty="medical_oncology")
    summary = assign_reviewers(call=call, actor=None)
    first, _second = summary.outcome["pairs"]
    # the engine's own expertise fit: the reviewer's specialty matches the applicant's
    assert [part["code"] for part in first["parts"]] == ["shared_interests"]
    assert first["parts"][0]["params"] == {"tags": ["medical oncology"]}
    assert (first["left"], first["score"]) == (f"{application.applicant.full_name} (#{application.pk})", 1.0)
    assert summary.outcome["unmatched"] == []


def test_the_engine_runs_in_the_worker_and_staff_see_the_outcome(
    client, coordinator, panel_call, django_capture_on_commit_callbacks
):
    call, reviewers = panel_call
    set_panel(call, reviewers[:1])  # two reviews wanted each, one reviewer on the panel
    applications = [ApplicationFactory(call=call, status="eligible") for _ in range(2)]
    labels = [f"{a.applicant.full_name} (#{a.pk})" for a in applications]
    client.force_login(coordinator)
    with django_capture_on_commit_callbacks(execute=True):
        response = client.post(reverse("calls:staff-assign-engine", kwargs={"slug": call.slug}))
    run = BackgroundRun.objects.get()
    assert response["Location"] == reverse("calls:staff-run", kwargs={"pk": run.pk})
    assert (run.kind, run.status, run.progress, run.started_by) == (
        "calls.reviewer_assignment",
        "succeeded",
        100,
        coordinator,
    )
    assert ReviewAssignment.objects.count() == 2
    page = client.get(response["Location"])
    outcome = page.context["outcome"]
    assert sorted((pair["left"], pair["right"]) for pair in outcome["pairs"]) == [
        (label, reviewers[0].full_name) for label in sorted(labels)
    ]
    assert outcome["pairs"][0]["parts"][0]["text"] == "Shared interests: medical oncology."
    assert sorted(item["item"] for item in outcome["unmatched"]) == sorted(labels)
    assert outcome["unmatched"][0]["text"] == "Everyone who could be proposed already is; nobody else is left."


def test_the_run_page_refuses_outsiders_and_other_kinds(client, outsider, coordinator, panel_call):
    from oncoreach.core.runs import start_run

    run = start_run(kind="workshops.team_proposal", actor=coordinator, params={"course_ids": []})
    client.force_login(coordinator)
    assert client.get(reverse("calls:staff-run", kwargs={"pk": run.pk})).status_code == 404
    client.force_login(outsider)
    assert client.get(reverse("calls:staff-run", kwargs={"pk": run.pk})).status_code == 403


def test_assign_reviewers_with_engine_view_refuses_outsider(client, outsider, panel_call):
    call, _reviewers = panel_call
    ApplicationFactory(call=call, status="eligible")
    client.force_login(outsider)
    response = client.post(reverse("calls:staff-assign-engine", kwargs={"slug": call.slug}))
    assert (response.status_code, ReviewAssignment.objects.count()) == (403, 0)
