"""Mentoring's services: the cycle, offers, requests, rounds, consent and the cascade."""

import datetime as dt

import pytest
from django.core.exceptions import ValidationError
from django.utils import timezone

from oncoreach.calls.enums import ApplicationStatus, CallKind
from oncoreach.core.models import AuditEvent, OutboundEmail
from oncoreach.mentoring import matching_adapter
from oncoreach.mentoring.enums import AdjustmentKind, MatchStatus, MentorshipStatus, OfferStatus, RoundStatus, Side
from oncoreach.mentoring.models import Match, MatchRun, Mentorship, RunPair
from oncoreach.mentoring.services import consent, rounds
from oncoreach.mentoring.services.offers import OfferData, save_offer, withdraw_offer
from oncoreach.mentoring.services.requests import RequestData, save_request
from tests.factories.mentoring import make_cycle, make_mentee, make_mentor

pytestmark = pytest.mark.django_db


def _run(round_, actor, **kwargs):
    run = rounds.start_engine_run(round_=round_, actor=actor, **kwargs)
    matching_adapter.compute_run(MatchRun.objects.get(pk=run.pk))
    return MatchRun.objects.get(pk=run.pk)


def _published(mentoring, actor):
    round_ = rounds.open_round(mentoring=mentoring, actor=actor)
    run = _run(round_, actor)
    return rounds.publish_round(round_=round_, run=run, actor=actor), run


def test_creating_a_cycle_creates_its_mentee_call_through_calls(mentoring):
    call = mentoring.call
    assert call.kind == CallKind.MENTEE
    assert call.closes_at_local.hour == 23
    assert call.closes_at_local.minute == 59
    assert [t.name for t in mentoring.tracks.all()] == ["Practising oncologists", "Oncologists in training"]
    assert AuditEvent.objects.filter(action="calls.call.create").exists()


def test_a_term_longer_than_twelve_months_is_refused(coordinator):
    with pytest.raises(ValidationError):
        make_cycle(actor=coordinator, term_months=13)


def test_a_mentor_below_the_minimum_years_is_refused(mentoring):
    with pytest.raises(ValidationError) as exc:
        make_mentor(mentoring, years_in_oncology=5)
    assert "at least 10 years" in str(exc.value)


def test_a_mentee_applies_and_is_eligible(mentoring):
    mentor = make_mentor(mentoring)
    request = make_mentee(mentoring, preferences=[mentor.pk])
    request.application.refresh_from_db()
    assert request.application.status == ApplicationStatus.ELIGIBLE
    assert [p.offer_id for p in request.preferences.all()] == [mentor.pk]


def test_an_application_after_the_window_closes_is_refused(mentoring):
    entry = mentoring.call.entry_stage  # the call's window is its first stage's
    entry.closes_at = timezone.now() - dt.timedelta(minutes=1)
    entry.save()
    with pytest.raises(ValidationError) as exc:
        make_mentee(mentoring)
    assert exc.value.code == "closed"
    assert not mentoring.requests.exists()


def test_a_preference_for_a_mentor_who_withdrew_is_refused(mentoring, coordinator):
    mentor = make_mentor(mentoring)
    withdraw_offer(offer=mentor, actor=coordinator)
    with pytest.raises(ValidationError) as exc:
        make_mentee(mentoring, preferences=[mentor.pk])
    assert "no longer mentoring" in str(exc.value)


def test_a_round_pairs_explains_and_publishes(mentoring, coordinator, django_capture_on_commit_callbacks):
    mentor = make_mentor(mentoring)
    request = make_mentee(mentoring, preferences=[mentor.pk])
    round_ = rounds.open_round(mentoring=mentoring, actor=coordinator)
    run = _run(round_, coordinator)
    with django_capture_on_commit_callbacks(execute=True):
        rounds.publish_round(round_=round_, run=run, actor=coordinator)
    round_.refresh_from_db()
    pair = RunPair.objects.get(run=run)
    assert (pair.request_id, pair.offer_id, pair.preference_rank) == (request.pk, mentor.pk, 1)
    codes = {part["code"] for part in pair.explanation["parts"]}
    assert {"shared_languages", "weekly_overlap", "shortlist_rank"} <= codes
    assert pair.overlap_hours > 0
    match = Match.objects.get(round=round_)
    assert match.status == MatchStatus.APPROVED
    assert match.respond_by is not None
    assert round_.status == RoundStatus.PUBLISHED
    assert OutboundEmail.objects.filter(event_key__startswith=f"mentoring:match:{match.pk}:proposed").count() == 2


def test_no_common_hours_or_language_leaves_the_mentee_unmatched_with_a_reason(mentoring, coordinator):
    make_mentor(mentoring, windows=[(0, 0, 60)], time_zone="Pacific/Honolulu")
    make_mentee(mentoring, languages=["fr"], windows=[(3, 60, 120)])
    round_ = rounds.open_round(mentoring=mentoring, actor=coordinator)
    run = _run(round_, coordinator)
    assert not run.pairs.exists()
    unmatched = run.unmatched.get()
    assert unmatched.code in {"no_eligible_candidate", "all_in_conflict", "no_candidates"}


def test_same_country_and_region_are_refused_when_configured(mentoring, coordinator):
    mentor = make_mentor(mentoring)
    make_mentee(mentoring, person=None)
    mentee_country = mentoring.requests.get().application.applicant.country_of_practice
    mentor.person.country_of_practice = mentee_country
    mentor.person.save()
    run = _run(rounds.open_round(mentoring=mentoring, actor=coordinator), coordinator)
    assert not run.pairs.exists()


def test_pin_exclude_and_rerun(mentoring, coordinator):
    first, second = make_mentor(mentoring, capacity=1), make_mentor(mentoring, capacity=1)
    request = make_mentee(mentoring, preferences=[first.pk])
    round_ = rounds.open_round(mentoring=mentoring, actor=coordinator)
    run = _run(round_, coordinator)
    assert run.pairs.get().offer_id == first.pk
    rounds.adjust_pair(round_=round_, request=request, offer=first, kind=AdjustmentKind.EXCLUDE, actor=coordinator)
    rerun = rounds.rerun(run=run, actor=coordinator)
    matching_adapter.compute_run(MatchRun.objects.get(pk=rerun.pk))
    assert RunPair.objects.get(run=rerun).offer_id == second.pk
    rounds.adjust_pair(round_=round_, request=request, offer=first, kind=AdjustmentKind.PIN, actor=coordinator)
    third = _run(round_, coordinator)
    pair = third.pairs.get()
    assert pair.offer_id == first.pk
    assert pair.pinned


def test_both_accept_reveals_and_starts_a_mentorship(mentoring, coordinator, django_capture_on_commit_callbacks):
    mentor = make_mentor(mentoring)
    request = make_mentee(mentoring)
    round_, _ = _published(mentoring, coordinator)
    match = Match.objects.get(round=round_)
    consent.answer_proposal(match=match, side=Side.MENTEE, accept=True, actor=request.application.applicant.user)
    assert not Mentorship.objects.exists()
    with django_capture_on_commit_callbacks(execute=True):
        consent.answer_proposal(match=match, side=Side.MENTOR, accept=True, actor=mentor.person.user)
    match.refresh_from_db()
    assert match.status == MatchStatus.ACCEPTED
    mentorship = Mentorship.objects.get(match=match)
    assert mentorship.status == MentorshipStatus.PENDING
    assert mentorship.ends_on == mentoring.term_end
    body = OutboundEmail.objects.get(event_key=f"mentoring:match:{match.pk}:accepted:mentee").body_text
    assert "mentor.secret" in body
    consent.start_due_mentorships(today=mentoring.term_start)
    mentorship.refresh_from_db()
    assert mentorship.status == MentorshipStatus.ACTIVE


def test_answering_twice_is_refused_and_changes_nothing(mentoring, coordinator):
    make_mentor(mentoring)
    request = make_mentee(mentoring)
    round_, _ = _published(mentoring, coordinator)
    match = Match.objects.get(round=round_)
    consent.answer_proposal(match=match, side=Side.MENTEE, accept=True, actor=None)
    with pytest.raises(ValidationError) as exc:
        consent.answer_proposal(match=match, side=Side.MENTEE, accept=False, actor=None)
    assert exc.value.code == "answered"
    match.refresh_from_db()
    assert match.status == MatchStatus.APPROVED
    assert request.pk == match.request_id


def test_a_mentor_over_capacity_is_refused(mentoring, coordinator):
    mentor = make_mentor(mentoring, capacity=2)
    make_mentee(mentoring)
    make_mentee(mentoring)
    round_, _ = _published(mentoring, coordinator)
    first, second = Match.objects.filter(round=round_, offer=mentor)
    consent.answer_proposal(match=first, side=Side.MENTOR, accept=True, actor=None)
    data = OfferData(
        capacity=1,
        focus_areas=["breast_cancer"],
        languages=["en"],
        years_in_oncology=15,
        time_zone="America/New_York",
        windows=[(0, 540, 720)],
    )
    save_offer(mentoring=mentoring, person=mentor.person, data=data, actor=None)
    consent.answer_proposal(match=first, side=Side.MENTEE, accept=True, actor=None)
    with pytest.raises(ValidationError) as exc:
        consent.answer_proposal(match=second, side=Side.MENTOR, accept=True, actor=None)
    assert exc.value.code == "over_capacity"
    second.refresh_from_db()
    assert second.mentor_answer == "pending"


def test_an_expired_answer_is_refused(mentoring, coordinator):
    make_mentor(mentoring)
    make_mentee(mentoring)
    round_, _ = _published(mentoring, coordinator)
    match = Match.objects.get(round=round_)
    later = match.respond_by + dt.timedelta(minutes=1)
    with pytest.raises(ValidationError) as exc:
        consent.answer_proposal(match=match, side=Side.MENTEE, accept=True, actor=None, now=later)
    assert exc.value.code == "expired"


def test_a_decline_cascades_to_the_next_best_mentor_without_moving_accepted_pairs(
    mentoring, coordinator, django_capture_on_commit_callbacks
):
    first = make_mentor(mentoring, capacity=1)
    second = make_mentor(mentoring, capacity=1, focus_areas=["lung_cancer"])
    third = make_mentor(mentoring, capacity=1)
    a = make_mentee(mentoring, preferences=[first.pk])
    b = make_mentee(mentoring, preferences=[third.pk])
    round_, _ = _published(mentoring, coordinator)
    match_a = Match.objects.get(round=round_, request=a)
    match_b = Match.objects.get(round=round_, request=b)
    assert (match_a.offer_id, match_b.offer_id) == (first.pk, third.pk)
    consent.answer_proposal(match=match_b, side=Side.MENTEE, accept=True, actor=None)
    consent.answer_proposal(match=match_b, side=Side.MENTOR, accept=True, actor=None)
    with django_capture_on_commit_callbacks(execute=True):
        consent.answer_proposal(match=match_a, side=Side.MENTOR, accept=False, actor=None, reason="Too busy")
    new = Match.objects.get(request=a, status=MatchStatus.APPROVED)
    assert new.offer_id == second.pk
    assert new.by_cascade
    match_b.refresh_from_db()
    assert match_b.status == MatchStatus.ACCEPTED


def test_expiry_cascades(mentoring, coordinator, django_capture_on_commit_callbacks):
    first = make_mentor(mentoring, capacity=1)
    second = make_mentor(mentoring, capacity=1)
    a = make_mentee(mentoring, preferences=[first.pk])
    round_, _ = _published(mentoring, coordinator)
    match = Match.objects.get(round=round_)
    consent.answer_proposal(match=match, side=Side.MENTEE, accept=True, actor=None)
    with django_capture_on_commit_callbacks(execute=True):
        assert consent.expire_overdue(now=match.respond_by + dt.timedelta(seconds=1)) == 1
    match.refresh_from_db()
    assert match.status == MatchStatus.EXPIRED
    # The mentee answered; the mentor did not: the mentee gets the next mentor.
    assert Match.objects.get(request=a, status=MatchStatus.APPROVED).offer_id == second.pk


def test_a_withdrawn_offer_after_publication_is_refused(mentoring, coordinator):
    mentor = make_mentor(mentoring)
    make_mentee(mentoring)
    _published(mentoring, coordinator)
    with pytest.raises(ValidationError) as exc:
        withdraw_offer(offer=mentor, actor=coordinator)
    assert exc.value.code == "published"
    mentor.refresh_from_db()
    assert mentor.status == OfferStatus.ACTIVE


def test_saving_a_request_after_submission_is_refused(mentoring):
    request = make_mentee(mentoring)
    data = RequestData(
        goal_type="research", goals="", focus_areas=[], languages=["en"], time_zone="UTC", windows=[], preferences=[]
    )
    with pytest.raises(ValidationError):
        save_request(request=request, data=data)


def test_past_mentorship_is_a_conflict_for_calls(mentoring, coordinator):
    from oncoreach.mentoring.conflicts import past_mentorship_conflicts

    mentor = make_mentor(mentoring)
    request = make_mentee(mentoring)
    round_, _ = _published(mentoring, coordinator)
    match = Match.objects.get(round=round_)
    consent.answer_proposal(match=match, side=Side.MENTEE, accept=True, actor=None)
    consent.answer_proposal(match=match, side=Side.MENTOR, accept=True, actor=None)
    conflicts = past_mentorship_conflicts(call=mentoring.call, reviewer_ids={mentor.person_id})
    assert conflicts == {(request.application_id, mentor.person_id, "past_mentorship")}
    # registered in calls' registry: the index every calls page and the engine read has it
    from oncoreach.calls.conflicts import conflict_index

    index = conflict_index(call=mentoring.call, reviewer_ids={mentor.person_id})
    assert [c.code for c in index.reasons(request.application_id, mentor.person_id)] == ["past_mentorship"]


def test_membership_set_by_mentoring_survives_an_edit_from_the_calls_form(coordinator):
    from oncoreach.calls.services_setup import CallSetup, setup_for, update_call

    mentoring = make_cycle(actor=coordinator, requires_membership=True)
    values = setup_for(mentoring.call)
    values.pop("requires_membership")  # the calls set-up form does not show it
    update_call(call=mentoring.call, setup=CallSetup(**values), actor=coordinator)
    mentoring.call.refresh_from_db()
    assert mentoring.call.requires_membership


def test_transition_matches_changes_all_or_none(mentoring, coordinator):
    """The matches are checked before anything is written: one that may not move stops them all."""
    make_mentor(mentoring, capacity=2)
    make_mentee(mentoring)
    make_mentee(mentoring)
    round_, _ = _published(mentoring, coordinator)
    accepted, approved = Match.objects.filter(round=round_).order_by("pk")
    consent.answer_proposal(match=accepted, side=Side.MENTEE, accept=True, actor=None)
    consent.answer_proposal(match=accepted, side=Side.MENTOR, accept=True, actor=None)
    accepted.refresh_from_db()
    audits = AuditEvent.objects.filter(action="mentoring.match.transition").count()
    with pytest.raises(ValidationError) as exc:
        consent.transition_matches(matches=[approved, accepted], to=MatchStatus.EXPIRED, actor=coordinator)
    assert exc.value.code == "match_transition"
    assert list(Match.objects.filter(round=round_).order_by("pk").values_list("status", flat=True)) == [
        MatchStatus.ACCEPTED,
        MatchStatus.APPROVED,
    ]
    assert AuditEvent.objects.filter(action="mentoring.match.transition").count() == audits


def test_publication_writes_an_audit_row_and_two_proposal_emails_per_match(mentoring, coordinator):
    make_mentor(mentoring, capacity=3)
    make_mentee(mentoring)
    make_mentee(mentoring)
    round_, _ = _published(mentoring, coordinator)
    matches = list(Match.objects.filter(round=round_).order_by("pk"))
    assert [m.status for m in matches] == [MatchStatus.APPROVED, MatchStatus.APPROVED]
    assert all(m.respond_by == m.approved_at + dt.timedelta(days=mentoring.consent_days) for m in matches)
    for match in matches:
        audit = AuditEvent.objects.get(action="mentoring.match.transition", target_id=str(match.pk))
        assert (audit.actor, audit.data) == (
            coordinator,
            {"from_status": MatchStatus.PROPOSED, "to_status": MatchStatus.APPROVED, "note": ""},
        )
        keys = OutboundEmail.objects.filter(event_key__startswith=f"mentoring:match:{match.pk}:proposed")
        assert sorted(keys.values_list("event_key", flat=True)) == [
            f"mentoring:match:{match.pk}:proposed:mentee",
            f"mentoring:match:{match.pk}:proposed:mentor",
        ]
