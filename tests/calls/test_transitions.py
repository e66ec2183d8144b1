"""The application lifecycle: the table derived from a call's stages, and its one choke point
(ARCHITECTURE.md §3)."""

import itertools

import pytest

from oncoreach.calls.enums import (
    ApplicationStatus,
    InvalidStageConfiguration,
    StageKind,
    StageShape,
    transitions_for,
    validate_stages,
)
from oncoreach.calls.services import TransitionNotAllowed, advance_application, transition_application
from oncoreach.core.models import AuditEvent, OutboundEmail
from tests.factories.calls import ApplicationFactory, CallFactory, StageSetup

pytestmark = [pytest.mark.integration]

S = ApplicationStatus
K = StageKind
ALL = list(S.values)
#: The simple call every factory makes: one submission stage, one review stage.
SIMPLE = [StageShape("application", K.SUBMISSION), StageShape("review", K.REVIEW)]
SIMPLE_TABLE = transitions_for(SIMPLE)
ALLOWED = [(a, b) for a, targets in SIMPLE_TABLE.items() for b in sorted(targets)]
STATES = [(key, status) for key in ("application", "review") for status in ALL]
REJECTED = [
    (a, b)
    for a, b in itertools.product(STATES, STATES)
    if b not in SIMPLE_TABLE.get(a, frozenset()) and a[1] not in {"letter_of_intent", "interview"}
]
IDEA = [
    StageShape("application", K.SUBMISSION),
    StageShape("external_review", K.REVIEW),
    StageShape("committee", K.COMMITTEE),
    StageShape("interview", K.INTERVIEW),
    StageShape("decision", K.DECISION),
]
IIG = [
    StageShape("letter_of_intent", K.SUBMISSION),
    StageShape("loi_review", K.REVIEW),
    StageShape("full_application", K.SUBMISSION, by_invitation=True),
    StageShape("external_review", K.REVIEW),
    StageShape("committee", K.COMMITTEE),
    StageShape("decision", K.DECISION),
]


def _plain(table):
    return {state: set(targets) for state, targets in table.items()}


def test_simple_call_table_is_the_documented_lifecycle():
    """draft → submitted → eligible | ineligible → under review → shortlisted → accepted |
    rejected | wait-listed; declined; withdrawn; staff overrides and re-checks of eligibility."""
    a, r = "application", "review"
    assert _plain(SIMPLE_TABLE) == {
        (a, "draft"): {(a, "submitted"), (a, "withdrawn")},
        (a, "submitted"): {(a, "eligible"), (a, "ineligible"), (a, "withdrawn")},
        (a, "eligible"): {(r, "under_review"), (a, "ineligible"), (a, "withdrawn")},
        (a, "ineligible"): {(a, "eligible"), (a, "submitted")},
        (r, "under_review"): {(r, "shortlisted"), (r, "rejected"), (r, "withdrawn")},
        (r, "shortlisted"): {(r, "accepted"), (r, "rejected"), (r, "waitlisted"), (r, "withdrawn")},
        (r, "waitlisted"): {(r, "accepted"), (r, "rejected"), (r, "withdrawn")},
        (r, "accepted"): {(r, "declined")},
    }


def test_idea_table_chains_review_committee_interview_and_decision():
    table = _plain(transitions_for(IDEA))
    assert table[("application", "eligible")] >= {("external_review", "under_review")}
    assert table[("external_review", "under_review")] == {
        ("committee", "under_review"),
        ("external_review", "rejected"),
        ("external_review", "withdrawn"),
    }
    assert table[("committee", "under_review")] == {
        ("interview", "under_review"),
        ("committee", "rejected"),
        ("committee", "withdrawn"),
    }
    assert table[("interview", "under_review")] == {
        ("decision", "shortlisted"),
        ("interview", "rejected"),
        ("interview", "withdrawn"),
    }
    assert table[("decision", "shortlisted")] == {
        ("decision", "accepted"),
        ("decision", "rejected"),
        ("decision", "waitlisted"),
        ("decision", "withdrawn"),
    }


def test_iig_table_invites_to_the_full_application_after_the_loi_review():
    table = _plain(transitions_for(IIG))
    assert table[("loi_review", "under_review")] == {
        ("full_application", "draft"),
        ("loi_review", "rejected"),
        ("loi_review", "withdrawn"),
    }
    # An invitation not taken up can be closed; eligibility is not judged twice.
    assert table[("full_application", "draft")] == {
        ("full_application", "submitted"),
        ("full_application", "rejected"),
        ("full_application", "withdrawn"),
    }
    assert table[("full_application", "submitted")] == {
        ("full_application", "eligible"),
        ("full_application", "withdrawn"),
    }
    assert table[("full_application", "eligible")] == {
        ("external_review", "under_review"),
        ("full_application", "withdrawn"),
    }
    assert table[("committee", "under_review")] >= {("decision", "shortlisted")}


def test_an_intake_alone_decides_in_its_one_stage():
    table = _plain(transitions_for([StageShape("application", K.SUBMISSION)]))
    assert table[("application", "eligible")] == {
        ("application", "shortlisted"),
        ("application", "ineligible"),
        ("application", "withdrawn"),
    }
    assert ("application", "waitlisted") in table[("application", "shortlisted")]


@pytest.mark.parametrize(
    ("stages", "code"),
    [
        ([], "no_stages"),
        ([StageShape("a", K.REVIEW)], "first_not_open"),
        ([StageShape("a", K.SUBMISSION, by_invitation=True)], "first_not_open"),
        ([StageShape("a", K.SUBMISSION), StageShape("a", K.REVIEW)], "duplicate_key"),
        ([StageShape("a", K.SUBMISSION), StageShape("b", "oral_exam")], "unknown_kind"),
        ([StageShape("a", K.SUBMISSION), StageShape("d", K.DECISION), StageShape("r", K.REVIEW)], "decision_not_last"),
        ([StageShape("a", K.SUBMISSION), StageShape("b", K.SUBMISSION)], "later_not_invited"),
        ([StageShape("a", K.SUBMISSION), StageShape("r", K.REVIEW, by_invitation=True)], "invitation_not_submission"),
    ],
)
def test_validate_stages_rejects_bad_configuration(stages, code):
    with pytest.raises(InvalidStageConfiguration) as caught:
        validate_stages(stages)
    assert caught.value.code == code


@pytest.mark.parametrize(("current", "to"), ALLOWED)
def test_transition_application_allows(db, current, to):
    call = CallFactory()
    stage = call.stage_by_key(current[0])
    application = ApplicationFactory(call=call, status=current[1], current_stage=stage)
    transition_application(application=application, to=to[1], actor=None, note="why", stage=call.stage_by_key(to[0]))
    application.refresh_from_db()
    event = AuditEvent.objects.get(action="calls.application.transition")
    assert (application.current_stage.key, application.status) == to
    assert (event.data["from_stage"], event.data["from_status"], event.data["to_stage"], event.data["to_status"]) == (
        *current,
        *to,
    )


@pytest.mark.parametrize(("current", "to"), REJECTED[::7])
def test_transition_application_rejects(db, current, to):
    call = CallFactory()
    application = ApplicationFactory(call=call, status=current[1], current_stage=call.stage_by_key(current[0]))
    with pytest.raises(TransitionNotAllowed):
        transition_application(application=application, to=to[1], actor=None, stage=call.stage_by_key(to[0]))
    application.refresh_from_db()
    assert ((application.current_stage.key, application.status), AuditEvent.objects.count()) == (current, 0)
    assert OutboundEmail.objects.count() == 0


def test_transition_follows_the_calls_stages(db):
    application = ApplicationFactory(call=CallFactory(extra_stages=["interview"]), status="under_review")
    with pytest.raises(TransitionNotAllowed):
        transition_application(application=application, to="shortlisted", actor=None)
    transition_application(application=application, to="under_review", actor=None)
    assert application.current_stage.key == "interview"
    transition_application(application=application, to="shortlisted", actor=None)
    application.refresh_from_db()
    assert (application.current_stage.key, application.status) == ("interview", "shortlisted")


def test_a_former_stage_status_still_names_its_stage(db):
    """Callers written before stages were data (``to="interview"``) reach the interview stage."""
    application = ApplicationFactory(call=CallFactory(extra_stages=["interview"]), status="under_review")
    transition_application(application=application, to="interview", actor=None)
    application.refresh_from_db()
    assert (application.current_stage.key, application.status) == ("interview", "under_review")


def test_advance_invites_to_the_full_application_with_an_empty_draft(db):
    call = CallFactory(stages=iig_stages())
    application = ApplicationFactory(call=call, status="under_review", current_stage=call.stage_by_key("loi_review"))
    advance_application(application=application, actor=None)
    application.refresh_from_db()
    assert (application.current_stage.key, application.status) == ("full_application", "draft")
    assert application.response_set.form == call.stage_by_key("full_application").form
    assert application.submissions.count() == 2


def iig_stages():
    import datetime as dt

    from django.utils import timezone

    from tests.factories.programs import FormDefinitionFactory

    now = timezone.now()
    return [
        StageSetup(
            "letter_of_intent",
            "LOI",
            K.SUBMISSION,
            FormDefinitionFactory(),
            now - dt.timedelta(days=7),
            now + dt.timedelta(days=7),
        ),
        StageSetup("loi_review", "LOI review", K.REVIEW, reviews_per_application=2),
        StageSetup(
            "full_application",
            "Full application",
            K.SUBMISSION,
            FormDefinitionFactory(),
            now,
            now + dt.timedelta(days=60),
            by_invitation=True,
        ),
        StageSetup("external_review", "External review", K.REVIEW, reviews_per_application=3),
        StageSetup("committee", "Committee", K.COMMITTEE),
        StageSetup("decision", "Decision", K.DECISION),
    ]


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
