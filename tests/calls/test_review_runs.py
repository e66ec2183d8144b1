"""Engine runs on the database: staff options, re-runs with what changed, and the decline cascade."""

import pytest
from django.core.exceptions import ValidationError
from django.urls import reverse

from oncoreach.calls.matching_adapter import (
    RunOptions,
    assign_reviewers,
    build_problem,
    propose_after_decline,
    read_round,
)
from oncoreach.calls.models import ReviewAssignment
from oncoreach.calls.services_review import respond_to_request, start_assignment_run
from oncoreach.core.models import BackgroundRun
from oncoreach.programs.models import Answer
from tests.factories.calls import ApplicationFactory, CallFactory, ReviewAssignmentFactory, add_to_panel
from tests.factories.people import PersonFactory

pytestmark = [pytest.mark.integration]


def _pairs(call):
    return set(ReviewAssignment.objects.filter(application__call=call).values_list("application_id", "reviewer_id"))


@pytest.fixture
def topical_call(db):
    """Three applications with topics in their answers; four reviewers with keywords."""
    call = CallFactory(reviews_per_application=1)
    topics = ["palliative care", "lung cancer", "breast cancer"]
    applications = []
    for topic in topics:
        application = ApplicationFactory(call=call, status="eligible", applicant__specialty="")
        Answer.objects.create(response_set=application.response_set, question_key="topic", value=topic)
        Answer.objects.create(
            response_set=application.response_set, question_key="project_title", value=f"Improving {topic} in Ghana"
        )
        applications.append(application)
    reviewers = [PersonFactory(specialty="", bio=f"I work in {topic}.") for topic in [*topics, "radiotherapy"]]
    from oncoreach.volunteers.models import VolunteerProfile

    for person, topic in zip(reviewers, [*topics, "radiotherapy"], strict=True):
        VolunteerProfile.objects.create(person=person, expertise=[topic])
    add_to_panel(call, *reviewers)
    return call, applications, reviewers


def test_expertise_from_answers_and_profiles_decides_the_pairs(topical_call):
    call, applications, reviewers = topical_call
    summary = assign_reviewers(call=call, actor=None, options=RunOptions(fair=False))
    assert _pairs(call) == {(a.pk, r.pk) for a, r in zip(applications, reviewers, strict=False)}
    assert summary.outcome["pairs"][0]["parts"][0]["code"] == "shared_interests"


def test_pins_and_exclusions_are_honoured(topical_call):
    call, applications, reviewers = topical_call
    options = RunOptions(
        pins=((applications[0].pk, reviewers[3].pk),), exclusions=((applications[1].pk, reviewers[1].pk),)
    )
    assign_reviewers(call=call, actor=None, options=options)
    pairs = _pairs(call)
    assert (applications[0].pk, reviewers[3].pk) in pairs
    assert (applications[1].pk, reviewers[1].pk) not in pairs


def test_a_rerun_moves_unanswered_proposals_and_says_what_changed(topical_call):
    call, applications, reviewers = topical_call
    # a poor earlier proposal, not answered yet, and an accepted one that must stay
    ReviewAssignmentFactory(application=applications[0], reviewer=reviewers[3], status="proposed", by_engine=True)
    ReviewAssignmentFactory(application=applications[1], reviewer=reviewers[2], status="accepted")
    summary = assign_reviewers(call=call, actor=None, options=RunOptions(rerun=True, keep_bonus=0.01, fair=False))
    pairs = _pairs(call)
    assert (applications[0].pk, reviewers[0].pk) in pairs
    assert (applications[0].pk, reviewers[3].pk) not in pairs
    assert (applications[1].pk, reviewers[2].pk) in pairs
    changes = summary.outcome["changes"]
    assert (len(changes["removed"]), changes["kept"]) == (1, 0)
    assert reviewers[3].full_name == changes["removed"][0][1]


def test_the_decline_cascade_proposes_the_next_best_without_moving_anyone(topical_call, reviewer):
    call, applications, reviewers = topical_call
    person = reviewer.person
    add_to_panel(call, person)
    accepted = ReviewAssignmentFactory(application=applications[1], reviewer=reviewers[1], status="accepted")
    pending = ReviewAssignmentFactory(application=applications[2], reviewer=reviewers[2], status="proposed")
    mine = ReviewAssignmentFactory(application=applications[0], reviewer=person, status="proposed")
    respond_to_request(assignment=mine, accept=False, actor=reviewer, conflict_reason="My former student")
    run = BackgroundRun.objects.get(kind="calls.decline_cascade")
    assert run.params["declined"] == [[applications[0].pk, person.pk]]
    outcome = propose_after_decline(call=call, declined=[(applications[0].pk, person.pk)], actor=None)
    pairs = _pairs(call)
    assert (applications[0].pk, reviewers[0].pk) in pairs  # the palliative-care reviewer, next best
    assert {(accepted.application_id, accepted.reviewer_id), (pending.application_id, pending.reviewer_id)} <= pairs
    assert ReviewAssignment.objects.filter(application=applications[1]).count() == 1
    assert [pair["right"] for pair in outcome["pairs"]] == [reviewers[0].full_name]


def test_the_decline_cascade_runs_in_the_worker_from_the_reviewers_page(
    client, topical_call, reviewer, django_capture_on_commit_callbacks
):
    call, applications, _reviewers = topical_call
    add_to_panel(call, reviewer.person)
    mine = ReviewAssignmentFactory(application=applications[0], reviewer=reviewer.person, status="proposed")
    client.force_login(reviewer)
    with django_capture_on_commit_callbacks(execute=True):
        client.post(reverse("calls:review-respond", kwargs={"pk": mine.pk}), {"decision": "decline"})
    run = BackgroundRun.objects.get(kind="calls.decline_cascade")
    assert run.status == "succeeded"
    assert ReviewAssignment.objects.filter(application=applications[0], status="proposed").count() == 1


def test_nobody_can_decline_someone_elses_request(client, topical_call, reviewer, outsider):
    _call, applications, reviewers = topical_call
    theirs = ReviewAssignmentFactory(application=applications[0], reviewer=reviewers[0], status="proposed")
    with pytest.raises(ValidationError, match="only your own review requests"):
        respond_to_request(assignment=theirs, accept=False, actor=outsider)
    client.force_login(outsider)
    response = client.post(reverse("calls:review-respond", kwargs={"pk": theirs.pk}), {"decision": "decline"})
    theirs.refresh_from_db()
    assert (response.status_code, theirs.status, BackgroundRun.objects.count()) == (404, "proposed", 0)


def test_a_run_with_no_reviewers_is_refused_with_a_clear_message(client, coordinator, db):
    call = CallFactory()
    ApplicationFactory(call=call, status="eligible")
    with pytest.raises(ValidationError, match="no reviewer panel yet"):
        start_assignment_run(call=call, actor=coordinator, params={})
    client.force_login(coordinator)
    response = client.post(reverse("calls:staff-assign-engine", kwargs={"slug": call.slug}), follow=True)
    assert "no reviewer panel yet" in response.content.decode()
    assert BackgroundRun.objects.count() == 0


def test_a_pin_in_conflict_or_a_bad_line_is_refused(client, coordinator, topical_call):
    call, applications, reviewers = topical_call
    from oncoreach.calls.services import declare_conflict

    declare_conflict(application=applications[0], reviewer=reviewers[0], reason="Co-author", actor=coordinator)
    client.force_login(coordinator)
    url = reverse("calls:staff-assign-engine", kwargs={"slug": call.slug})
    response = client.post(url, {"pins": f"{applications[0].pk} {reviewers[0].pk}"}, follow=True)
    assert "has a conflict of interest with application" in response.content.decode()
    response = client.post(url, {"exclusions": "twelve"}, follow=True)
    assert "Line 1: write an application number and a reviewer number" in response.content.decode()
    response = client.post(url, {"pins": f"{applications[0].pk} {PersonFactory().pk}"}, follow=True)
    assert "are not an application and a reviewer of this call" in response.content.decode()
    assert BackgroundRun.objects.count() == 0


def test_a_staff_run_with_options_goes_to_the_worker(
    client, coordinator, topical_call, django_capture_on_commit_callbacks
):
    call, applications, reviewers = topical_call
    client.force_login(coordinator)
    with django_capture_on_commit_callbacks(execute=True):
        response = client.post(
            reverse("calls:staff-assign-engine", kwargs={"slug": call.slug}),
            {
                "objective": "total",
                "require_shared_language": "on",
                "pins": f"#{applications[2].pk}, #{reviewers[3].pk}",
            },
        )
    run = BackgroundRun.objects.get()
    assert (run.status, run.params["fair"], run.params["pins"]) == (
        "succeeded",
        False,
        [[applications[2].pk, reviewers[3].pk]],
    )
    assert (applications[2].pk, reviewers[3].pk) in _pairs(call)
    assert response.status_code == 302


def test_build_problem_reads_topics_and_text(topical_call):
    call, applications, _reviewers = topical_call
    problem = build_problem(call=call)
    assert problem.problem.n_left == 3
    assert problem.evidence(f"a{applications[0].pk}", f"r{_reviewers[0].pk}")["interest"] == ("palliative care",)


def test_a_run_on_a_later_stage_reads_that_stages_panel_and_moves_the_application_in(db):
    """The engine on the interview stage: only that stage's assessors, its own count, its rows."""
    from oncoreach.calls.models import CallRole

    call = CallFactory(reviews_per_application=1, extra_stages=["interview"])
    interview = call.stage_by_key("interview")
    interview.reviews_per_application = 1
    interview.save()
    reviewed = ApplicationFactory(call=call, status="under_review")  # through the review stage
    external, interviewer = PersonFactory(), PersonFactory()
    add_to_panel(call, external)  # external reviewers assess review stages, not interviews
    CallRole.objects.create(call=call, stage=interview, person=interviewer, role="interviewer")

    assert [r.id for r in read_round(call=call, stage=interview).reviewers] == [interviewer.pk]
    assign_reviewers(call=call, actor=None, options=RunOptions(fair=False), stage=interview)

    row = ReviewAssignment.objects.get(application=reviewed)
    assert (row.reviewer_id, row.stage_id) == (interviewer.pk, interview.pk)
    reviewed.refresh_from_db()
    assert (reviewed.current_stage_id, reviewed.status) == (interview.pk, "under_review")
