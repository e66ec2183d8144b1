"""The mentorship year's services: plan and comments, meetings log, monthly check-ins (the
one-click rules are in test_checkins.py), the at-risk list, and ending with re-pairing through the engine's cascade."""

import datetime as dt

import pytest
from django.core import mail
from django.core.exceptions import ValidationError
from django.utils import timezone

from oncoreach.core.models import AuditEvent, OutboundEmail
from oncoreach.mentoring import matching_adapter, selectors_year
from oncoreach.mentoring.enums import CheckInAnswer, MatchStatus, MentorshipStatus, RiskReason, Side
from oncoreach.mentoring.models import CheckIn, Match, MatchRun, Mentorship, PlanMilestone
from oncoreach.mentoring.services import consent, rounds
from oncoreach.mentoring.services.checkins import answer_checkin, send_monthly_checkins
from oncoreach.mentoring.services.repairing import end_mentorship
from oncoreach.mentoring.services.year import comment_on_plan, log_meeting, save_plan
from oncoreach.mentoring.tokens import make_checkin_token, read_checkin_token
from tests.factories.mentoring import make_mentee, make_mentor, make_mentorship

pytestmark = [pytest.mark.integration, pytest.mark.django_db]


@pytest.fixture
def pair(mentoring):
    return make_mentorship(mentoring, starts_on=timezone.localdate() - dt.timedelta(days=90))


def test_save_plan_keeps_goals_and_milestones_within_the_term(pair):
    day = pair.starts_on + dt.timedelta(days=30)
    plan = save_plan(mentorship=pair, goals="Run a tumour board.", milestones=[(day, "First board")], actor=None)
    assert plan.goals == "Run a tumour board."
    assert [(m.due_on, m.title) for m in plan.milestones.all()] == [(day, "First board")]
    assert AuditEvent.objects.filter(action="mentoring.plan.create").count() == 1


def test_save_plan_refuses_a_date_outside_the_term_and_writes_nothing(pair):
    with pytest.raises(ValidationError) as exc:
        save_plan(
            mentorship=pair,
            goals="Goals",
            milestones=[(pair.starts_on, "ok"), (pair.ends_on + dt.timedelta(days=1), "Too late")],
            actor=None,
        )
    assert exc.value.error_dict["milestones"][0].code == "outside_term"
    assert "Too late" in exc.value.messages[0]
    assert PlanMilestone.objects.count() == 0


def test_comment_needs_a_plan_and_keeps_author_and_time(pair):
    with pytest.raises(ValidationError) as exc:
        comment_on_plan(mentorship=pair, author=pair.mentor, body="Nice", actor=None)
    assert exc.value.code == "no_plan"
    save_plan(mentorship=pair, goals="Goals", milestones=[], actor=None)
    comment = comment_on_plan(mentorship=pair, author=pair.mentor, body="Add a research goal.", actor=None)
    assert (comment.author, comment.body) == (pair.mentor, "Add a research goal.")
    assert comment.created_at is not None


def test_log_meeting_refuses_the_future_and_an_ended_mentorship(pair):
    today = timezone.localdate()
    with pytest.raises(ValidationError) as exc:
        log_meeting(
            mentorship=pair, person=pair.mentee, held_on=today + dt.timedelta(days=1), minutes=45, topic="x", actor=None
        )
    assert exc.value.error_dict["held_on"][0].code == "future"
    meeting = log_meeting(mentorship=pair, person=pair.mentee, held_on=today, minutes=45, topic="Audit", actor=None)
    assert list(pair.meetings.all()) == [meeting]
    Mentorship.objects.filter(pk=pair.pk).update(status=MentorshipStatus.COMPLETED)
    pair.refresh_from_db()
    with pytest.raises(ValidationError) as exc:
        log_meeting(mentorship=pair, person=pair.mentee, held_on=today, minutes=45, topic="x", actor=None)
    assert exc.value.code == "ended"


def test_monthly_checkins_go_to_both_sides_once_in_their_language(pair):
    user = pair.mentee.user
    user.preferred_language = "es"
    user.save()
    assert send_monthly_checkins() == 2
    assert send_monthly_checkins() == 0
    assert sorted(CheckIn.objects.values_list("side", flat=True)) == ["mentee", "mentor"]
    spanish = OutboundEmail.objects.get(to=pair.mentee.email, event_key__startswith="mentoring:checkin")
    assert spanish.language == "es"
    assert "/es/mentoring/check-in/" in spanish.body_text
    assert spanish.body_text.count("/check-in/") == 3


def test_a_button_answer_is_confirmed_and_replaces_the_earlier_one(pair):
    send_monthly_checkins()
    checkin = CheckIn.objects.get(side=Side.MENTEE)
    answer_checkin(checkin=checkin, answer=CheckInAnswer.NOT_GOING_WELL)
    checkin = answer_checkin(checkin=checkin, answer=CheckInAnswer.GOING_WELL, comment="  Better now.  ")
    assert (checkin.answer, checkin.state, checkin.comment) == (CheckInAnswer.GOING_WELL, "confirmed", "Better now.")
    with pytest.raises(ValidationError) as exc:
        answer_checkin(checkin=checkin, answer="maybe")
    assert exc.value.code == "bad_answer"
    with pytest.raises(ValidationError) as exc:
        answer_checkin(checkin=checkin, answer=CheckInAnswer.SOME_DIFFICULTY, comment="x" * 2001)
    assert exc.value.error_dict["comment"][0].code == "long_comment"
    checkin.refresh_from_db()
    assert (checkin.answer, checkin.comment) == (CheckInAnswer.GOING_WELL, "Better now.")
    moves = AuditEvent.objects.filter(action="mentoring.checkin.transition").values_list("data", flat=True)
    assert [(d["from_state"], d["to_state"], d["how"]) for d in moves.order_by("pk")] == [
        ("unanswered", "confirmed", "button"),
        ("confirmed", "confirmed", "button"),
    ]


def test_checkin_tokens_expire_and_refuse_tampering():
    token = make_checkin_token(checkin_pk=3, answer="going_well")
    assert read_checkin_token(token).checkin_pk == 3
    assert read_checkin_token(token, max_age=-1) == "expired"
    assert read_checkin_token(token[:-2] + "xx") == "invalid"


def test_at_risk_lists_silent_and_unhappy_pairs_only(mentoring):
    today = timezone.localdate()
    long_ago = today - dt.timedelta(days=120)
    silent = make_mentorship(mentoring, starts_on=long_ago)
    fine = make_mentorship(mentoring, starts_on=long_ago)
    unhappy = make_mentorship(mentoring, starts_on=long_ago)
    for mentorship in (fine, unhappy):
        log_meeting(mentorship=mentorship, person=mentorship.mentee, held_on=today, minutes=30, topic="t", actor=None)
    send_monthly_checkins()
    answer_checkin(checkin=unhappy.checkins.get(side=Side.MENTOR), answer=CheckInAnswer.NOT_GOING_WELL)
    rows = selectors_year.at_risk(today=today)
    assert [(r.mentorship, r.reasons) for r in rows] == [
        (silent, [RiskReason.NO_MEETING]),
        (unhappy, [RiskReason.NOT_GOING_WELL]),
    ]
    assert [r.mentorship for r in selectors_year.at_risk(today=today, reason=RiskReason.NO_MEETING)] == [silent]


def _published(mentoring, actor):
    round_ = rounds.open_round(mentoring=mentoring, actor=actor)
    run = rounds.start_engine_run(round_=round_, actor=actor)
    matching_adapter.compute_run(MatchRun.objects.get(pk=run.pk))
    rounds.publish_round(round_=round_, run=MatchRun.objects.get(pk=run.pk), actor=actor)
    return round_


def test_end_and_repair_proposes_the_next_best_mentor_and_tells_both(
    mentoring, coordinator, django_capture_on_commit_callbacks
):
    first = make_mentor(mentoring, capacity=1)
    second = make_mentor(mentoring, capacity=1)
    request = make_mentee(mentoring, preferences=[first.pk])
    round_ = _published(mentoring, coordinator)
    match = Match.objects.get(round=round_)
    assert match.offer_id == first.pk
    consent.answer_proposal(match=match, side=Side.MENTEE, accept=True, actor=None)
    consent.answer_proposal(match=match, side=Side.MENTOR, accept=True, actor=None)
    mentorship = Mentorship.objects.get(match=match)
    mail.outbox.clear()
    before = OutboundEmail.objects.count()
    with django_capture_on_commit_callbacks(execute=True):
        end_mentorship(mentorship=mentorship, reason="Mentor moved abroad", repair=True, actor=coordinator)
    mentorship.refresh_from_db()
    match.refresh_from_db()
    assert (mentorship.status, mentorship.end_reason) == (MentorshipStatus.ENDED_EARLY, "Mentor moved abroad")
    assert match.status == MatchStatus.ENDED
    new = Match.objects.get(request=request, status=MatchStatus.APPROVED)
    assert (new.offer_id, new.by_cascade) == (second.pk, True)
    subjects = set(OutboundEmail.objects.order_by("pk")[before:].values_list("subject", flat=True))
    assert "Your mentorship has ended" in subjects
    assert AuditEvent.objects.filter(action="mentoring.mentorship.end").count() == 1
    # The mentee may accept the new mentor: the ended mentorship does not count.
    consent.answer_proposal(match=new, side=Side.MENTEE, accept=True, actor=None)
    consent.answer_proposal(match=new, side=Side.MENTOR, accept=True, actor=None)
    assert Mentorship.objects.filter(mentee=mentorship.mentee, status__in=["pending", "active"]).count() == 1


def test_end_needs_a_reason_and_a_live_mentorship(pair, coordinator):
    with pytest.raises(ValidationError) as exc:
        end_mentorship(mentorship=pair, reason="  ", repair=False, actor=coordinator)
    assert exc.value.error_dict["reason"][0].code == "no_reason"
    end_mentorship(mentorship=pair, reason="Mentee left medicine", repair=False, actor=coordinator)
    pair.refresh_from_db()
    with pytest.raises(ValidationError) as exc:
        end_mentorship(mentorship=pair, reason="again", repair=False, actor=coordinator)
    assert exc.value.code == "ended"
