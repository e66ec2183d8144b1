"""The application lifecycle table and its one choke point (ARCHITECTURE.md §3)."""

import itertools

import pytest

from oncoreach.calls.enums import (
    ALLOWED_TRANSITIONS,
    ApplicationStatus,
    InvalidStageConfiguration,
    transitions_for,
    validate_extra_stages,
)
from oncoreach.calls.services import TransitionNotAllowed, transition_application
from oncoreach.core.models import AuditEvent, OutboundEmail
from tests.factories.calls import ApplicationFactory, CallFactory

pytestmark = [pytest.mark.integration]

S = ApplicationStatus
ALL = list(S.values)
ALLOWED = [(a, b) for a, targets in ALLOWED_TRANSITIONS.items() for b in sorted(targets)]
REJECTED = [(a, b) for a, b in itertools.product(ALL, ALL) if b not in ALLOWED_TRANSITIONS[a]]


def test_table_is_exactly_the_documented_lifecycle():
    assert {state: set(targets) for state, targets in ALLOWED_TRANSITIONS.items()} == {
        "draft": {"submitted", "withdrawn"},
        "submitted": {"eligible", "ineligible", "withdrawn"},
        "eligible": {"under_review", "withdrawn"},
        "ineligible": set(),
        "under_review": {"shortlisted", "rejected", "withdrawn"},
        "letter_of_intent": set(),
        "interview": set(),
        "shortlisted": {"accepted", "rejected", "withdrawn"},
        "accepted": {"declined"},
        "rejected": set(),
        "declined": set(),
        "withdrawn": set(),
    }


@pytest.mark.parametrize(("current", "to"), ALLOWED)
def test_transition_application_allows(db, current, to):
    application = ApplicationFactory(status=current)
    transition_application(application=application, to=to, actor=None, note="why")
    application.refresh_from_db()
    event = AuditEvent.objects.get(action="calls.application.transition")
    assert (application.status, event.data["from_status"], event.data["to_status"]) == (to, current, to)


@pytest.mark.parametrize(("current", "to"), REJECTED)
def test_transition_application_rejects(db, current, to):
    application = ApplicationFactory(status=current)
    with pytest.raises(TransitionNotAllowed):
        transition_application(application=application, to=to, actor=None)
    application.refresh_from_db()
    assert (application.status, AuditEvent.objects.count(), OutboundEmail.objects.count()) == (current, 0, 0)


def test_extra_stages_chain_between_review_and_shortlist():
    table = transitions_for(["letter_of_intent", "interview"])
    assert table["under_review"] == {"letter_of_intent", "rejected", "withdrawn"}
    assert table["letter_of_intent"] == {"interview", "rejected", "withdrawn"}
    assert table["interview"] == {"shortlisted", "rejected", "withdrawn"}


def test_extra_stage_alone_is_chained():
    table = transitions_for(["interview"])
    assert (table["under_review"], table["interview"]) == (
        {"interview", "rejected", "withdrawn"},
        {"shortlisted", "rejected", "withdrawn"},
    )


@pytest.mark.parametrize("stages", [["oral_exam"], ["interview", "interview"], ["interview", "letter_of_intent"]])
def test_validate_extra_stages_rejects_bad_configuration(stages):
    with pytest.raises(InvalidStageConfiguration):
        validate_extra_stages(stages)


def test_transition_follows_the_calls_extra_stages(db):
    application = ApplicationFactory(call=CallFactory(extra_stages=["interview"]), status="under_review")
    with pytest.raises(TransitionNotAllowed):
        transition_application(application=application, to="shortlisted", actor=None)
    transition_application(application=application, to="interview", actor=None)
    transition_application(application=application, to="shortlisted", actor=None)
    application.refresh_from_db()
    assert application.status == "shortlisted"


def test_transition_sets_timestamps_and_note(db):
    application = ApplicationFactory(status="shortlisted")
    transition_application(application=application, to="accepted", actor=None, note="Strong project")
    application.refresh_from_db()
    assert (application.decided_at is not None, application.decision_note) == (True, "Strong project")


def test_transition_queues_one_mail_per_event_in_applicants_language(db, applicant):
    applicant.preferred_language = "es"
    applicant.save()
    application = ApplicationFactory(status="shortlisted", applicant=applicant.person)
    transition_application(application=application, to="accepted", actor=None)
    mails = list(OutboundEmail.objects.all())
    assert [(m.to, m.language, m.event_key) for m in mails] == [
        ("applicant@example.org", "es", f"calls:application:{application.pk}:accepted")
    ]


def test_award_acceptance_uses_the_award_wording(db):
    application = ApplicationFactory(status="shortlisted", call=CallFactory(kind="award", title="Young Investigator"))
    transition_application(application=application, to="accepted", actor=None)
    assert OutboundEmail.objects.get().subject == "Young Investigator: you have won the award"


def test_participant_acceptance_uses_the_general_wording(db):
    application = ApplicationFactory(status="shortlisted", call=CallFactory(kind="participant", title="Course"))
    transition_application(application=application, to="accepted", actor=None)
    assert OutboundEmail.objects.get().subject == "Course: your application is accepted"
