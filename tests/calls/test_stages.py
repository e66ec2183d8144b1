"""Stages as data: submitting per stage (deadlines in the call's zone, twice, frozen answers,
caps), eligibility with a way out (missing data re-checked, staff overrides), rubric locks per
stage, declarations on the right call, and the example shapes (IDEA, IIG, intake, host, mentee)."""

import datetime as dt
import zoneinfo

import pytest
from django.core.exceptions import ValidationError
from django.utils import timezone

from oncoreach.calls import services, services_setup
from oncoreach.calls.enums import StageKind
from oncoreach.calls.models import ApplicationSubmission, CriterionScore
from oncoreach.core.models import AuditEvent
from tests.factories.calls import (
    ApplicationFactory,
    CallFactory,
    QuestionFactory,
    ReviewAssignmentFactory,
    RubricCriterionFactory,
    StageSetup,
)
from tests.factories.geo import CountryFactory, IncomeClassificationFactory
from tests.factories.people import PersonFactory
from tests.factories.programs import FormDefinitionFactory

pytestmark = [pytest.mark.integration]
K = StageKind


def _start(call, person=None):
    person = person or PersonFactory()
    return services.start_application(call=call, person=person)


# --- Submitting -----------------------------------------------------------------------------


@pytest.mark.parametrize("zone", ["Asia/Kolkata", "America/Sao_Paulo", "Pacific/Auckland", "UTC"])
def test_deadline_is_the_stage_closing_time_in_the_calls_zone(db, zone):
    local_close = dt.datetime(2031, 3, 31, 23, 59, tzinfo=zoneinfo.ZoneInfo(zone))
    call = CallFactory(time_zone=zone, closes_at=local_close, opens_at=local_close - dt.timedelta(days=30))
    application = services.start_application(call=call, person=PersonFactory(), now=local_close - dt.timedelta(days=1))
    with pytest.raises(ValidationError) as late:
        services.submit_application(application=application, actor=None, now=local_close)
    assert late.value.code == "deadline"
    assert "31 March 2031" in late.value.messages[0] or "March 31, 2031" in late.value.messages[0]
    assert zone in late.value.messages[0]
    application.refresh_from_db()
    assert (application.status, application.response_set.frozen_at) == ("draft", None)
    services.submit_application(application=application, actor=None, now=local_close - dt.timedelta(microseconds=1))
    application.refresh_from_db()
    assert application.status in {"eligible", "ineligible"}


def test_submit_freezes_the_answers_and_records_the_submission(db):
    call = CallFactory()
    application = _start(call)
    services.submit_application(application=application, actor=None)
    submission = ApplicationSubmission.objects.get(application=application)
    assert submission.response_set.frozen_at is not None
    assert submission.submitted_at is not None


def test_submitting_twice_is_harmless(db):
    application = _start(CallFactory())
    first = services.submit_application(application=application, actor=None)
    events = AuditEvent.objects.filter(action="calls.application.transition").count()
    again = services.submit_application(application=application, actor=None)
    assert again.status == first.status
    assert AuditEvent.objects.filter(action="calls.application.transition").count() == events


def test_caps_are_checked_again_on_the_server(db):
    form = FormDefinitionFactory()
    QuestionFactory(form=form, kind="number", label="Budget", key="budget")
    now = timezone.now()
    call = CallFactory(
        stages=[
            StageSetup(
                "application",
                "Application",
                K.SUBMISSION,
                form,
                now - dt.timedelta(days=1),
                now + dt.timedelta(days=9),
                caps={"budget": 5000},
            )
        ]
    )
    application = _start(call)
    field = application.response_set.form.questions.get().field_name
    services.save_draft(application=application, values={field: "7000"})
    with pytest.raises(ValidationError) as caught:
        services.submit_application(application=application, actor=None)
    assert "“budget” may be at most 5000." in caught.value.messages
    application.refresh_from_db()
    assert application.status == "draft"


# --- Eligibility with a way out ---------------------------------------------------------------


@pytest.fixture
def kenya(db):
    country = CountryFactory(iso3="KEN", iso2="KE", name="Kenya", slug="kenya")
    for year in range(2024, 2032):
        IncomeClassificationFactory(country=country, fiscal_year=year, income_group="LM")
    return country


def test_missing_country_is_fixable_and_rechecked(kenya):
    call = CallFactory(eligible_income_groups=["L", "LM"])
    person = PersonFactory(country_of_practice=None, country_of_residence=None)
    application = _start(call, person)
    services.submit_application(application=application, actor=None)
    application.refresh_from_db()
    assert (application.status, application.eligibility["fixable"]) == ("ineligible", True)
    services.recheck_eligibility(application=application, actor=None)  # nothing fixed yet
    application.refresh_from_db()
    assert (application.status, application.eligibility["missing"]) == ("ineligible", ["country_missing"])
    person.country_of_practice = kenya
    person.save()
    services.recheck_eligibility(application=application, actor=None)
    application.refresh_from_db()
    assert application.status == "eligible"


def test_a_failed_rule_is_not_fixable_by_the_applicant(db):
    call = CallFactory(allowed_career_stages=["trainee"])
    application = _start(call, PersonFactory(career_stage="senior"))
    services.submit_application(application=application, actor=None)
    application.refresh_from_db()
    assert (application.status, application.eligibility["fixable"]) == ("ineligible", False)
    with pytest.raises(ValidationError) as caught:
        services.recheck_eligibility(application=application, actor=None)
    assert caught.value.code == "not_fixable"


def test_staff_override_needs_a_reason_and_is_recorded(db, coordinator):
    application = ApplicationFactory(status="ineligible", eligibility={"eligible": False, "rules": []})
    with pytest.raises(ValidationError) as caught:
        services.override_eligibility(application=application, eligible=True, reason="  ", actor=coordinator)
    assert caught.value.message_dict == {"reason": ["Please give the reason for the override."]}
    services.override_eligibility(
        application=application, eligible=True, reason="Moved to Kenya in January", actor=coordinator
    )
    application.refresh_from_db()
    assert application.status == "eligible"
    assert application.eligibility["override"]["reason"] == "Moved to Kenya in January"
    assert AuditEvent.objects.filter(action="calls.eligibility.override", data__eligible=True).exists()


# --- Review stages ------------------------------------------------------------------------------


def test_rubric_locks_per_stage_once_reviewing_started(db):
    call = CallFactory(extra_stages=["committee"])
    review, committee = call.stage_by_key("review"), call.stage_by_key("committee")
    criterion = RubricCriterionFactory(stage=review)
    ReviewAssignmentFactory(
        application=ApplicationFactory(call=call, status="under_review"), stage=review, status="accepted"
    )
    setup = services_setup.CriterionSetup(name="Feasibility")
    with pytest.raises(ValidationError) as caught:
        services_setup.update_criterion(criterion=criterion, setup=setup, actor=None)
    assert caught.value.code == "rubric_locked"
    assert "Reviewing has started in this stage" in caught.value.messages[0]
    services_setup.add_criterion(call=call, setup=setup, actor=None, stage=committee)
    assert list(committee.criteria.values_list("name", flat=True)) == ["Feasibility"]


def test_review_scores_are_one_row_per_criterion(db, reviewer):
    call = CallFactory()
    first, second = RubricCriterionFactory(call=call), RubricCriterionFactory(call=call, scale_max=10)
    assignment = ReviewAssignmentFactory(
        application=ApplicationFactory(call=call, status="under_review"), reviewer=reviewer.person
    )
    review = services.record_review(
        assignment=assignment, scores={str(first.pk): 4, str(second.pk): 5}, comment="", actor=reviewer
    )
    assert sorted(CriterionScore.objects.filter(review=review).values_list("criterion_id", "score")) == [
        (first.pk, 4),
        (second.pk, 5),
    ]
    assert review.weighted_total == pytest.approx(65)


def test_a_declaration_for_the_wrong_call_is_refused(db):
    application = ApplicationFactory(status="eligible")
    with pytest.raises(ValidationError) as caught:
        services.declare_conflict(
            application=application, reviewer=PersonFactory(), reason="colleague", actor=None, call=CallFactory()
        )
    assert caught.value.code == "wrong_call"
    assert not application.conflict_declarations.exists()


def test_assigning_enters_the_review_stage_and_ties_the_assignment_to_it(db):
    call = CallFactory(extra_stages=["committee"])
    application = ApplicationFactory(call=call, status="eligible")
    assignment = services.assign_reviewer(application=application, reviewer=PersonFactory(), actor=None)
    application.refresh_from_db()
    assert (assignment.stage.key, application.current_stage.key, application.status) == (
        "review",
        "review",
        "under_review",
    )
    services.advance_application(application=application, actor=None)
    committee_assignment = services.assign_reviewer(application=application, reviewer=PersonFactory(), actor=None)
    assert committee_assignment.stage.key == "committee"


# --- The example shapes -------------------------------------------------------------------------


def _window():
    now = timezone.now()
    return now - dt.timedelta(days=3), now + dt.timedelta(days=30)


def test_idea_application_goes_through_review_committee_interview_and_decision(db):
    opens, closes = _window()
    call = CallFactory(
        stages=[
            StageSetup("application", "Application", K.SUBMISSION, FormDefinitionFactory(), opens, closes),
            StageSetup("external_review", "External review", K.REVIEW, reviews_per_application=2, blind=True),
            StageSetup("committee", "Committee", K.COMMITTEE),
            StageSetup("interview", "Interview", K.INTERVIEW),
            StageSetup("decision", "Decision", K.DECISION),
        ]
    )
    application = _start(call)
    services.submit_application(application=application, actor=None)
    application.refresh_from_db()
    assert application.status == "eligible"
    path = []
    for _stage in range(4):
        services.advance_application(application=application, actor=None)
        path.append((application.current_stage.key, application.status))
    services.decide_application(application=application, outcome="accepted", actor=None)
    assert path == [
        ("external_review", "under_review"),
        ("committee", "under_review"),
        ("interview", "under_review"),
        ("decision", "shortlisted"),
    ]
    assert (application.current_stage.key, application.status) == ("decision", "accepted")


def test_iig_full_application_is_by_invitation_and_keeps_both_answers(db):
    opens, closes = _window()
    loi_form, full_form = FormDefinitionFactory(), FormDefinitionFactory()
    call = CallFactory(
        stages=[
            StageSetup("letter_of_intent", "Letter of intent", K.SUBMISSION, loi_form, opens, closes),
            StageSetup("loi_review", "LOI review", K.REVIEW, reviews_per_application=1),
            StageSetup(
                "full_application", "Full application", K.SUBMISSION, full_form, opens, closes, by_invitation=True
            ),
            StageSetup("external_review", "External review", K.REVIEW, reviews_per_application=3),
            StageSetup("committee", "Committee", K.COMMITTEE),
            StageSetup("decision", "Decision", K.DECISION),
        ]
    )
    application = _start(call)
    services.submit_application(application=application, actor=None)
    services.assign_reviewer(application=application, reviewer=PersonFactory(), actor=None)
    services.advance_application(application=application, actor=None)
    assert (application.current_stage.key, application.status) == ("full_application", "draft")
    services.submit_application(application=application, actor=None)
    application.refresh_from_db()
    assert (application.current_stage.key, application.status) == ("full_application", "eligible")
    forms = [item.response_set.form_id for item in application.submission_list]
    assert forms == [loi_form.pk, full_form.pk]
    assert all(item.submitted_at for item in application.submission_list)


@pytest.mark.parametrize("kind", ["participant", "host", "mentee"])
def test_an_intake_is_one_submission_stage(db, kind):
    opens, closes = _window()
    call = CallFactory(
        kind=kind,
        stages=[StageSetup("application", "Application", K.SUBMISSION, FormDefinitionFactory(), opens, closes)],
    )
    application = _start(call)
    services.submit_application(application=application, actor=None)
    services.transition_application(application=application, to="shortlisted", actor=None)
    services.transition_application(application=application, to="waitlisted", actor=None)
    services.transition_application(application=application, to="accepted", actor=None)
    application.refresh_from_db()
    assert (call.first_review_stage, application.current_stage.key, application.status) == (
        None,
        "application",
        "accepted",
    )


def test_a_shape_that_makes_no_lifecycle_is_refused_in_words(db):
    call = CallFactory()
    with pytest.raises(ValidationError) as caught:
        services_setup.set_stages(call=call, stages=[StageSetup("review", "Review", K.REVIEW)])
    assert caught.value.message_dict["stages"] == ["The first stage must be a submission stage open to everyone."]
    assert [stage.key for stage in call.stage_list] == ["application", "review"]


def test_a_blind_stage_hides_the_applicants_name_from_the_reviewer(client, reviewer):
    from django.urls import reverse

    call = CallFactory()
    review_stage = call.first_review_stage
    review_stage.blind = True
    review_stage.save()
    application = ApplicationFactory(call=call, status="under_review", applicant__given_name="Zaneta")
    assignment = ReviewAssignmentFactory(application=application, reviewer=reviewer.person)
    client.force_login(reviewer)
    pages = [
        client.get(reverse("calls:review-list")).content.decode(),
        client.get(reverse("calls:review-form", kwargs={"pk": assignment.pk})).content.decode(),
    ]
    assert [("Zaneta" in page, f"#{application.pk}" in page) for page in pages] == [(False, True), (False, True)]


def test_a_reviewer_cannot_open_an_unassigned_applications_file(client, reviewer):
    from django.urls import reverse

    application = ApplicationFactory(status="under_review")
    client.force_login(reviewer)
    response = client.get(reverse("calls:application-file", kwargs={"pk": application.pk, "answer_pk": 1}))
    assert response.status_code == 404
