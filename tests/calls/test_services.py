"""Services: every way each one can end."""

import datetime as dt
import re
from decimal import Decimal

import pytest
import time_machine
from django.core.exceptions import ValidationError
from django.core.files.storage import default_storage
from django.core.files.uploadedfile import SimpleUploadedFile
from django.http import Http404

from oncoreach.calls import services
from oncoreach.calls.conflicts import conflicts_for_call
from oncoreach.calls.models import Application, ConflictDeclaration, ReferenceRequest
from oncoreach.calls.selectors import get_reference_by_token, reference_token
from oncoreach.core.models import AuditEvent, OutboundEmail
from oncoreach.programs.models import Answer
from tests.factories.calls import (
    ApplicationFactory,
    CallFactory,
    QuestionFactory,
    ReferenceRequestFactory,
    ReviewAssignmentFactory,
    RubricCriterionFactory,
    add_to_panel,
)
from tests.factories.geo import CountryFactory, IncomeClassificationFactory
from tests.factories.people import AffiliationFactory, OrganizationFactory, PersonFactory

pytestmark = [pytest.mark.integration]

PDF = b"%PDF-1.4\n%%EOF\n"
NOW = dt.datetime(2026, 3, 10, 12, 0, tzinfo=dt.UTC)


def _pdf(name="letter.pdf", content=PDF):
    return SimpleUploadedFile(name, content, content_type="application/pdf")


@pytest.fixture
def timed_call(db):
    """Closes at midnight, 1 April 2026, in Nairobi (21:00 UTC on 31 March)."""
    call = CallFactory(
        opens_at=dt.datetime(2026, 3, 1, tzinfo=dt.UTC),
        closes_at=dt.datetime(2026, 3, 31, 21, 0, tzinfo=dt.UTC),
        time_zone="Africa/Nairobi",
    )
    QuestionFactory(form=call.form, kind="long_text", max_words=5, required=True)
    return call


def _answer_all(application):
    question = application.call.form.questions.get()
    services.save_draft(application=application, values={question.field_name: "my good reasons"})


# --- start and drafts ---------------------------------------------------------------------------


def test_start_application_creates_one_draft(call, other_person):
    first = services.start_application(call=call, person=other_person)
    again = services.start_application(call=call, person=other_person)
    assert (first.pk, first.status, Application.objects.count()) == (again.pk, "draft", 1)


def test_start_application_refuses_closed_call(db, other_person):
    call = CallFactory(opens_at=NOW - dt.timedelta(days=30), closes_at=NOW - dt.timedelta(days=1))
    with pytest.raises(ValidationError) as excinfo:
        services.start_application(call=call, person=other_person)
    assert excinfo.value.messages == ["This call is not open for applications."]


def test_save_draft_is_idempotent_and_keeps_incomplete_text(call, other_person):
    application = services.start_application(call=call, person=other_person)
    question = call.form.questions.get()
    values = {question.field_name: "half a thought"}
    services.save_draft(application=application, values=values)
    first = Answer.objects.get()
    services.save_draft(application=application, values=values)
    answer = Answer.objects.get()
    assert (Answer.objects.count(), answer.value, answer.updated_at) == (1, "half a thought", first.updated_at)


def test_save_draft_refuses_submitted_application(call):
    application = ApplicationFactory(call=call, status="submitted")
    with pytest.raises(ValidationError):
        services.save_draft(application=application, values={})


# --- submit -------------------------------------------------------------------------------------


def test_submit_application_judges_eligible(timed_call, other_person):
    application = services.start_application(call=timed_call, person=other_person, now=NOW)
    _answer_all(application)
    with time_machine.travel(NOW, tick=False):
        services.submit_application(application=application, actor=None)
    application.refresh_from_db()
    assert (application.status, application.eligibility["eligible"], application.submitted_at) == (
        "eligible",
        True,
        NOW,
    )


def test_submit_application_judges_ineligible_and_tells_applicant_once(db):
    high = CountryFactory(iso3="NOR", iso2="NO", name="Norway", slug="norway", income_group="H")
    IncomeClassificationFactory(country=high, fiscal_year=2026, income_group="H")
    call = CallFactory(eligible_income_groups=["LM"])
    person = PersonFactory(country_of_practice=high, email="pia@example.org")
    application = services.start_application(call=call, person=person)
    services.submit_application(application=application, actor=None)
    application.refresh_from_db()
    assert application.status == "ineligible"
    assert application.eligibility["rules"][0]["passed"] is False
    assert sorted(OutboundEmail.objects.values_list("event_key", flat=True)) == [
        f"calls:application:{application.pk}:ineligible",
        f"calls:application:{application.pk}:submitted",
    ]


def test_submit_application_refuses_after_deadline_in_calls_time_zone(timed_call, other_person):
    application = services.start_application(call=timed_call, person=other_person, now=NOW)
    _answer_all(application)
    # 00:00 on 1 April in Nairobi is 21:00 UTC on 31 March: already too late.
    with pytest.raises(ValidationError) as excinfo:
        services.submit_application(
            application=application, actor=None, now=dt.datetime(2026, 3, 31, 21, 0, tzinfo=dt.UTC)
        )
    assert excinfo.value.messages == ["The deadline (April 1, 2026, midnight (Africa/Nairobi)) has passed."]
    application.refresh_from_db()
    assert application.status == "draft"


def test_submit_application_accepts_a_minute_before_deadline(timed_call, other_person):
    application = services.start_application(call=timed_call, person=other_person, now=NOW)
    _answer_all(application)
    services.submit_application(
        application=application, actor=None, now=dt.datetime(2026, 3, 31, 20, 59, tzinfo=dt.UTC)
    )
    application.refresh_from_db()
    assert application.status == "eligible"


def test_submit_application_refuses_incomplete(call, other_person):
    application = services.start_application(call=call, person=other_person)
    with pytest.raises(ValidationError) as excinfo:
        services.submit_application(application=application, actor=None)
    assert excinfo.value.messages == ["Please answer: Why?."]
    assert OutboundEmail.objects.count() == 0


def test_submit_application_needs_named_referees(db, other_person):
    call = CallFactory(reference_letters_required=1)
    application = services.start_application(call=call, person=other_person)
    with pytest.raises(ValidationError) as excinfo:
        services.submit_application(application=application, actor=None)
    assert excinfo.value.messages == ["Please name 1 referees (0 named so far)."]


def test_submit_application_twice_changes_nothing(call):
    """A second submit (a double click, a second tab) is harmless: nothing moves, nothing is audited."""
    application = ApplicationFactory(call=call, status="eligible")
    services.submit_application(application=application, actor=None)
    application.refresh_from_db()
    assert (application.status, AuditEvent.objects.count()) == ("eligible", 0)


# --- withdraw, decline, decide, move ------------------------------------------------------------


@pytest.mark.parametrize("status", ["draft", "submitted", "eligible", "under_review", "shortlisted"])
def test_withdraw_application_from_open_state(db, status):
    application = services.withdraw_application(application=ApplicationFactory(status=status), actor=None)
    assert Application.objects.get(pk=application.pk).status == "withdrawn"


@pytest.mark.parametrize("status", ["ineligible", "accepted", "rejected", "declined", "withdrawn"])
def test_withdraw_application_refused_when_closed(db, status):
    with pytest.raises(services.TransitionNotAllowed):
        services.withdraw_application(application=ApplicationFactory(status=status), actor=None)


def test_decline_offer_after_acceptance(db):
    application = services.decline_offer(application=ApplicationFactory(status="accepted"), actor=None)
    assert Application.objects.get(pk=application.pk).status == "declined"


def test_decline_offer_refused_before_acceptance(db):
    with pytest.raises(services.TransitionNotAllowed):
        services.decline_offer(application=ApplicationFactory(status="shortlisted"), actor=None)


@pytest.mark.parametrize("outcome", ["accepted", "rejected"])
def test_decide_application(db, outcome):
    application = services.decide_application(
        application=ApplicationFactory(status="shortlisted"), outcome=outcome, actor=None, note="Thanks"
    )
    assert (application.status, application.decision_note) == (outcome, "Thanks")
    assert OutboundEmail.objects.get().event_key == f"calls:application:{application.pk}:{outcome}"


def test_decide_application_refuses_other_outcomes(db):
    with pytest.raises(services.TransitionNotAllowed):
        services.decide_application(
            application=ApplicationFactory(status="shortlisted"), outcome="withdrawn", actor=None
        )


def test_move_application_refuses_decisions(db):
    with pytest.raises(services.TransitionNotAllowed):
        services.move_application(application=ApplicationFactory(status="shortlisted"), to="accepted", actor=None)


def test_notifications_are_queued_once_per_event(db):
    application = ApplicationFactory(status="shortlisted")
    services.decide_application(application=application, outcome="accepted", actor=None)
    # The same event again (e.g. a retried task) adds no second e-mail.
    services.notify_applicant(application, "accepted")
    assert OutboundEmail.objects.count() == 1


# --- referees -----------------------------------------------------------------------------------


def test_request_reference_emails_a_private_link(call):
    application = ApplicationFactory(call=call)
    # The token carries a timestamp: freeze the clock so it is the same when recomputed below.
    with time_machine.travel(dt.datetime(2026, 3, 1, 12, tzinfo=dt.UTC), tick=False):
        reference = services.request_reference(
            application=application, referee_name="Rita", referee_email="Rita@Example.org", actor=None
        )
        token = reference_token(reference)
    mail = OutboundEmail.objects.get()
    assert (mail.to, token in mail.body_text) == ("rita@example.org", True)


def test_request_reference_refuses_same_referee_twice(call):
    application = ApplicationFactory(call=call)
    services.request_reference(
        application=application, referee_name="Rita", referee_email="rita@example.org", actor=None
    )
    with pytest.raises(ValidationError):
        services.request_reference(
            application=application, referee_name="R", referee_email="RITA@example.org", actor=None
        )


def test_request_reference_refuses_applicant_as_own_referee(call):
    application = ApplicationFactory(call=call)
    with pytest.raises(ValidationError):
        services.request_reference(
            application=application, referee_name="Me", referee_email=application.applicant.email, actor=None
        )


def test_reference_token_finds_its_request(db):
    reference = ReferenceRequestFactory()
    assert get_reference_by_token(token=reference_token(reference)) == reference


def test_reference_token_wrong_is_404(db):
    reference = ReferenceRequestFactory()
    with pytest.raises(Http404):
        get_reference_by_token(token=reference_token(reference)[:-2] + "xx")


def test_reference_token_with_stale_nonce_is_404(db):
    reference = ReferenceRequestFactory()
    token = reference_token(reference)
    ReferenceRequest.objects.filter(pk=reference.pk).update(nonce="renewed")
    with pytest.raises(Http404):
        get_reference_by_token(token=token)


def test_upload_reference_letter_stores_the_letter(db):
    reference = ReferenceRequestFactory()
    services.upload_reference_letter(reference=reference, letter=_pdf())
    reference.refresh_from_db()
    with reference.letter.open("rb") as handle:
        assert (handle.read(), reference.submitted_at is not None) == (PDF, True)


def test_upload_reference_letter_is_single_use(db):
    """A referee's link takes one letter; it can never replace it afterwards."""
    reference = ReferenceRequestFactory()
    services.upload_reference_letter(reference=reference, letter=_pdf())

    with pytest.raises(ValidationError) as excinfo:
        services.upload_reference_letter(reference=reference, letter=_pdf(content=PDF + b"v2"))

    reference.refresh_from_db()
    assert (excinfo.value.code, excinfo.value.messages) == (
        "received",
        ["We already have your letter. If it must change, please contact the program staff."],
    )
    with reference.letter.open("rb") as handle:
        assert handle.read() == PDF


@pytest.mark.parametrize("status", ["draft", "submitted", "eligible", "under_review"])
def test_upload_reference_letter_accepted_while_the_application_is_judged(db, status):
    reference = ReferenceRequestFactory(application=ApplicationFactory(status=status))
    services.upload_reference_letter(reference=reference, letter=_pdf())
    reference.refresh_from_db()
    assert bool(reference.letter) is True


@pytest.mark.parametrize(
    "status", ["letter_of_intent", "interview", "shortlisted", "accepted", "rejected", "declined", "ineligible"]
)
def test_upload_reference_letter_refused_once_the_application_moved_on(db, status):
    reference = ReferenceRequestFactory(application=ApplicationFactory(status=status))

    with pytest.raises(ValidationError) as excinfo:
        services.upload_reference_letter(reference=reference, letter=_pdf())

    reference.refresh_from_db()
    assert (excinfo.value.code, bool(reference.letter), reference.submitted_at) == ("closed", False, None)


def test_upload_reference_letter_refuses_non_pdf(db):
    reference = ReferenceRequestFactory()
    with pytest.raises(ValidationError) as excinfo:
        services.upload_reference_letter(reference=reference, letter=_pdf(content=b"<html>hi</html>"))
    assert excinfo.value.messages == ["This file is not a PDF document. Please upload a PDF."]
    reference.refresh_from_db()
    assert (bool(reference.letter), reference.submitted_at) == (False, None)


def test_upload_reference_letter_refuses_after_expiry(db):
    reference = ReferenceRequestFactory()
    with pytest.raises(ValidationError) as excinfo:
        services.upload_reference_letter(
            reference=reference, letter=_pdf(), now=reference.expires_at + dt.timedelta(seconds=1)
        )
    assert excinfo.value.messages == ["This link has expired; please contact the program staff."]


def test_upload_reference_letter_refuses_withdrawn_application(db):
    reference = ReferenceRequestFactory(application=ApplicationFactory(status="withdrawn"))
    with pytest.raises(ValidationError):
        services.upload_reference_letter(reference=reference, letter=_pdf())


# --- conflicts ----------------------------------------------------------------------------------


def test_conflicts_for_call_finds_every_reason(db):
    country = CountryFactory()
    call = CallFactory(conflict_same_country=True)
    hospital = OrganizationFactory()
    applicant = PersonFactory(country_of_practice=country)
    AffiliationFactory(person=applicant, organization=hospital)
    colleague = PersonFactory()
    AffiliationFactory(person=colleague, organization=hospital)
    compatriot = PersonFactory(country_of_practice=country)
    declarer = PersonFactory()
    clean = PersonFactory()
    application = ApplicationFactory(call=call, applicant=applicant, status="eligible")
    ApplicationFactory(call=call, status="draft")  # drafts are never reviewed
    ConflictDeclaration.objects.create(reviewer=declarer, application=application, reason="friend")
    add_to_panel(call, applicant, colleague, compatriot, declarer, clean)
    assert conflicts_for_call(call=call) == {
        (application.pk, applicant.pk, "self"),
        (application.pk, colleague.pk, "same_institution"),
        (application.pk, compatriot.pk, "same_country"),
        (application.pk, declarer.pk, "declared"),
    }


def test_conflicts_for_call_ignores_country_unless_the_call_says_so(db):
    country = CountryFactory()
    call = CallFactory(conflict_same_country=False)
    application = ApplicationFactory(call=call, applicant=PersonFactory(country_of_practice=country), status="eligible")
    add_to_panel(call, PersonFactory(country_of_practice=country))
    assert (conflicts_for_call(call=call), application.status) == (set(), "eligible")


def test_conflicts_for_call_query_count_does_not_grow(db, django_assert_num_queries):
    call = CallFactory(conflict_same_country=True)
    for _ in range(5):
        ApplicationFactory(call=call, status="eligible")
        add_to_panel(call, PersonFactory())
    # the panel (roles, assignments), the applications, then one or two per registered rule
    # (affiliations and their organisations, country, publications, referees, declarations)
    with django_assert_num_queries(11):  # one query per registered rule (mentoring adds one)
        conflicts_for_call(call=call)


# --- assignments and reviews --------------------------------------------------------------------


def test_assign_reviewer_moves_eligible_application_under_review(db):
    application = ApplicationFactory(status="eligible")
    reviewer = PersonFactory()
    assignment = services.assign_reviewer(application=application, reviewer=reviewer, actor=None)
    application.refresh_from_db()
    assert (assignment.status, application.status) == ("proposed", "under_review")


def test_assign_reviewer_refuses_conflict(db):
    hospital = OrganizationFactory()
    application = ApplicationFactory(status="eligible")
    AffiliationFactory(person=application.applicant, organization=hospital)
    colleague = PersonFactory()
    AffiliationFactory(person=colleague, organization=hospital)
    with pytest.raises(ValidationError) as excinfo:
        services.assign_reviewer(application=application, reviewer=colleague, actor=None)
    assert excinfo.value.messages == [f"{colleague} has a conflict of interest with this application."]


def test_assign_reviewer_refuses_draft(db):
    with pytest.raises(ValidationError):
        services.assign_reviewer(application=ApplicationFactory(status="draft"), reviewer=PersonFactory(), actor=None)


def test_assign_reviewer_refuses_duplicate(db):
    assignment = ReviewAssignmentFactory()
    with pytest.raises(ValidationError):
        services.assign_reviewer(application=assignment.application, reviewer=assignment.reviewer, actor=None)


def test_respond_accept(db):
    assignment = services.respond_to_assignment(assignment=ReviewAssignmentFactory(), accept=True, actor=None)
    assert assignment.status == "accepted"


def test_respond_decline_with_conflict_declares_it(db):
    assignment = ReviewAssignmentFactory()
    services.respond_to_assignment(assignment=assignment, accept=False, conflict_reason="My student", actor=None)
    declaration = ConflictDeclaration.objects.get()
    assert (assignment.status, declaration.reviewer, declaration.reason) == (
        "declined",
        assignment.reviewer,
        "My student",
    )


def test_respond_twice_is_refused(db):
    assignment = ReviewAssignmentFactory(status="declined")
    with pytest.raises(services.TransitionNotAllowed):
        services.respond_to_assignment(assignment=assignment, accept=True, actor=None)


@pytest.mark.parametrize(
    ("current", "to"),
    [("proposed", "submitted"), ("declined", "accepted"), ("submitted", "accepted"), ("submitted", "declined")],
)
def test_transition_assignment_rejects(db, current, to):
    with pytest.raises(services.TransitionNotAllowed):
        services.transition_assignment(assignment=ReviewAssignmentFactory(status=current), to=to, actor=None)


def test_record_review_weights_the_rubric(db):
    assignment = ReviewAssignmentFactory(status="accepted")
    call = assignment.application.call
    science = RubricCriterionFactory(call=call, weight=3, scale_max=5)
    feasibility = RubricCriterionFactory(call=call, weight=1, scale_max=10)
    review = services.record_review(
        assignment=assignment, scores={str(science.pk): 5, str(feasibility.pk): 5}, comment="Good", actor=None
    )
    # (3 × 5/5 + 1 × 5/10) / 4 × 100 = 87.5
    assert (review.weighted_total, assignment.status) == (Decimal("87.50"), "submitted")


def test_record_review_refuses_out_of_scale_score(db):
    assignment = ReviewAssignmentFactory(status="accepted")
    criterion = RubricCriterionFactory(call=assignment.application.call, scale_max=5)
    with pytest.raises(ValidationError):
        services.record_review(assignment=assignment, scores={str(criterion.pk): 6}, comment="", actor=None)
    assignment.refresh_from_db()
    assert assignment.status == "accepted"


def test_record_review_with_conflict_withdraws_reviewer(db):
    assignment = ReviewAssignmentFactory(status="accepted")
    result = services.record_review(
        assignment=assignment, scores={}, comment="", actor=None, conflict_declared=True, conflict_reason="Co-author"
    )
    assert (result, assignment.status, ConflictDeclaration.objects.get().reason) == (None, "declined", "Co-author")


def test_record_review_refuses_second_submission(db):
    assignment = ReviewAssignmentFactory(status="submitted")
    with pytest.raises(services.TransitionNotAllowed):
        services.record_review(assignment=assignment, scores={}, comment="", actor=None)


def test_reference_letters_are_stored_under_random_names(db):
    first, second = ReferenceRequestFactory(), ReferenceRequestFactory()
    for reference in (first, second):
        services.upload_reference_letter(reference=reference, letter=_pdf("My letter for Ana.pdf"))
        reference.refresh_from_db()

    names = [reference.letter.name for reference in (first, second)]
    assert all(re.fullmatch(r"calls/references/\d+/[0-9a-f]{32}\.pdf", name) for name in names), names
    assert first.nonce[:8] not in names[0]


def test_deleting_a_reference_request_deletes_its_letter(db, django_capture_on_commit_callbacks):
    reference = ReferenceRequestFactory()
    services.upload_reference_letter(reference=reference, letter=_pdf())
    reference.refresh_from_db()
    name = reference.letter.name

    with django_capture_on_commit_callbacks(execute=True):
        reference.application.delete()

    assert default_storage.exists(name) is False
