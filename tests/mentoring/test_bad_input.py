"""Issue 9 §4, the cases the other files do not cover: windows that never overlap, a mentee who
already has a mentor, an expired answer link, refusals in the reader's language, contact details
absent from the proposal e-mails, and the past-mentorship conflict on any call."""

import datetime as dt

import pytest
from django.core.exceptions import ValidationError
from django.utils import timezone, translation

from oncoreach.calls.conflicts import conflict_index, conflict_rule
from oncoreach.calls.selectors import reviewer_may_see
from oncoreach.core.models import OutboundEmail
from oncoreach.mentoring import matching_adapter, selectors
from oncoreach.mentoring.conflicts import RULE
from oncoreach.mentoring.enums import Answer, MatchStatus, Side
from oncoreach.mentoring.models import Match, MatchRun, Mentorship
from oncoreach.mentoring.services import consent, rounds
from oncoreach.mentoring.services.consent import answer_url
from tests.factories.calls import ApplicationFactory, CallFactory, add_to_panel
from tests.factories.mentoring import make_mentee, make_mentor, make_mentorship

pytestmark = pytest.mark.django_db

MENTOR_SECRET, MENTEE_SECRET = "mentor.secret", "mentee.secret"


def _run(round_, actor):
    run = rounds.start_engine_run(round_=round_, actor=actor)
    matching_adapter.compute_run(MatchRun.objects.get(pk=run.pk))
    return MatchRun.objects.get(pk=run.pk)


def _proposal(mentoring, actor):
    make_mentor(mentoring)
    make_mentee(mentoring)
    round_ = rounds.open_round(mentoring=mentoring, actor=actor)
    rounds.publish_round(round_=round_, run=_run(round_, actor), actor=actor)
    return Match.objects.get(round=round_)


def test_windows_that_never_overlap_leave_the_mentee_unmatched_saying_so(mentoring, coordinator):
    # Same language, but the mentor's mornings in Honolulu are the mentee's small hours in Lagos.
    make_mentor(mentoring, time_zone="Pacific/Honolulu", windows=[(d, 8 * 60, 10 * 60) for d in range(5)])
    make_mentee(mentoring, time_zone="Africa/Lagos", windows=[(d, 8 * 60, 10 * 60) for d in range(5)])
    run = _run(rounds.open_round(mentoring=mentoring, actor=coordinator), coordinator)
    assert not run.pairs.exists()
    unmatched = run.unmatched.get()
    words = selectors.unmatched_words(unmatched.code, unmatched.params)
    assert words == "No mentor may be proposed: no hour in common in some week of the term (1)."
    with translation.override("es"):
        spanish = selectors.unmatched_words(unmatched.code, unmatched.params)
    assert spanish != words
    assert "(1)" in spanish


def test_a_mentee_with_a_mentor_in_the_cycle_cannot_accept_another(mentoring, coordinator):
    match = _proposal(mentoring, coordinator)
    mentee = match.request.application.applicant
    # However it came about (staff, a re-pairing), the mentee already has a mentorship this cycle.
    earlier = make_mentorship(mentoring)
    Mentorship.objects.filter(pk=earlier.pk).update(mentee=mentee)
    with pytest.raises(ValidationError) as exc:
        consent.answer_proposal(match=match, side=Side.MENTEE, accept=True, actor=mentee.user)
    assert exc.value.code == "already_matched"
    assert exc.value.messages == ["You have already accepted a mentor in this cycle."]
    match.refresh_from_db()
    assert (match.status, match.mentee_answer) == (MatchStatus.APPROVED, Answer.PENDING)


def test_a_mentee_never_holds_two_live_proposals(mentoring, coordinator):
    from django.db import IntegrityError, transaction

    match = _proposal(mentoring, coordinator)
    other = make_mentor(mentoring)
    with pytest.raises(IntegrityError), transaction.atomic():
        Match.objects.create(round=match.round, request=match.request, offer=other, status=MatchStatus.APPROVED)
    assert list(Match.objects.filter(request=match.request)) == [match]


def test_an_expired_link_says_so_and_changes_nothing(client, mentoring, coordinator):
    match = _proposal(mentoring, coordinator)
    url = answer_url(match, Side.MENTEE, match.request.application.applicant)
    path = url[url.index("/", url.index("//") + 2) :]
    Match.objects.filter(pk=match.pk).update(respond_by=timezone.now() - dt.timedelta(minutes=1))
    page = client.get(path)
    assert "The time to answer has passed" in page.content.decode()
    response = client.post(path, {"action": "accept"})
    assert response.status_code == 410
    assert "The time to answer has passed" in response.content.decode()
    match.refresh_from_db()
    assert (match.status, match.mentee_answer) == (MatchStatus.APPROVED, Answer.PENDING)


def test_refusals_come_in_the_readers_language(mentoring, coordinator):
    match = _proposal(mentoring, coordinator)
    consent.answer_proposal(match=match, side=Side.MENTEE, accept=True, actor=None)
    later = match.respond_by + dt.timedelta(minutes=1)
    cases = [
        ({"side": Side.MENTEE, "accept": False}, "You have already answered this proposal."),
        ({"side": Side.MENTOR, "accept": True, "now": later}, "The time to answer this proposal has passed."),
    ]
    for kwargs, english in cases:
        with translation.override("es"), pytest.raises(ValidationError) as exc:
            consent.answer_proposal(match=match, actor=None, **kwargs)
        assert exc.value.messages[0] not in ("", english)
    match.refresh_from_db()
    assert (match.status, match.mentor_answer) == (MatchStatus.APPROVED, Answer.PENDING)


def test_proposal_emails_never_carry_contact_details(mentoring, coordinator, django_capture_on_commit_callbacks):
    with django_capture_on_commit_callbacks(execute=True):
        match = _proposal(mentoring, coordinator)
    mails = OutboundEmail.objects.filter(event_key__startswith=f"mentoring:match:{match.pk}:proposed:")
    assert mails.count() == 2
    for mail in mails:
        assert MENTOR_SECRET not in mail.body_text
        assert MENTEE_SECRET not in mail.body_text
        assert match.offer.person.email not in mail.body_text
        assert match.request.application.applicant.email not in mail.body_text


def test_past_mentorship_is_registered_and_applies_to_any_call(mentoring):
    assert conflict_rule("past_mentorship") is RULE
    mentorship = make_mentorship(mentoring, status="completed")
    award_call = CallFactory()
    application = ApplicationFactory(call=award_call, applicant=mentorship.mentee, status="eligible")
    add_to_panel(award_call, mentorship.mentor)
    [conflict] = conflict_index(call=award_call).reasons(application.pk, mentorship.mentor_id)
    assert conflict.code == "past_mentorship"
    assert reviewer_may_see(reviewer_id=mentorship.mentor_id, application=application) is False
    # and the other way round: the former mentee reviewing the former mentor
    second = ApplicationFactory(call=award_call, applicant=mentorship.mentor, status="eligible")
    add_to_panel(award_call, mentorship.mentee)
    assert [c.code for c in conflict_index(call=award_call).reasons(second.pk, mentorship.mentee_id)] == [
        "past_mentorship"
    ]
