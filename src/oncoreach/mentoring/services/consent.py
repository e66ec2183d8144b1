"""Two-sided consent: proposals go out, each side accepts or declines (or lets the window pass),
a decline or expiry queues the engine's cascade, and a pair both accepted becomes a Mentorship.

``transition_matches`` is the one way a match's status changes and ``transition_mentorship`` the
one way a mentorship's does (tables in enums.py), each with an audit row per change.
"""

from __future__ import annotations

import datetime as dt
from collections import defaultdict
from collections.abc import Iterable
from typing import Any

from django.contrib.contenttypes.models import ContentType
from django.core.exceptions import ValidationError
from django.db import transaction
from django.db.models import prefetch_related_objects
from django.utils import timezone
from django.utils.translation import gettext as _

from oncoreach.core.links import absolute_reverse
from oncoreach.core.models import AuditEvent
from oncoreach.core.runs import start_run
from oncoreach.core.services import RenderedEmail, queue_email, queue_rendered_emails, record_audit, render_email
from oncoreach.mentoring.enums import (
    CASCADE_RUN,
    MATCH_TRANSITIONS,
    MENTORSHIP_TRANSITIONS,
    Answer,
    MatchStatus,
    MentorshipStatus,
    RoundStatus,
    Side,
)
from oncoreach.mentoring.models import Match, MatchRound, Mentorship
from oncoreach.mentoring.tokens import make_answer_token
from oncoreach.people.models import Person


def _language(person: Person) -> str:
    user = person.user
    return (getattr(user, "preferred_language", "") if user is not None else "") or "en"


def _sent(match: Match) -> int:
    return int(match.approved_at.timestamp()) if match.approved_at else 0


def answer_url(match: Match, side: str, person: Person) -> str:
    token = make_answer_token(match_pk=match.pk, side=side, sent=_sent(match))
    return absolute_reverse("mentoring:answer-link", kwargs={"token": token}, language=_language(person))


def _proposal_emails(match: Match) -> list[RenderedEmail]:
    mentee, mentor = match.request.application.applicant, match.offer.person
    mails = []
    for side, person, other in ((Side.MENTEE, mentee, mentor), (Side.MENTOR, mentor, mentee)):
        if not person.email:
            continue
        language = _language(person)
        subject, body = render_email(
            template="mentoring/email/proposal",
            context={
                "match": match,
                "side": side,
                "person": person,
                "other": other,
                "url": answer_url(match, side, person),
            },
            language=language,
        )
        mails.append(
            RenderedEmail(f"mentoring:match:{match.pk}:proposed:{side}", person.email, language, subject, body, {})
        )
    return mails


def _notify_accepted(match: Match) -> None:
    mentee, mentor = match.request.application.applicant, match.offer.person
    pairs = (
        (Side.MENTEE, mentee, mentor, match.offer.contact_note),
        (Side.MENTOR, mentor, mentee, match.request.contact_note),
    )
    for side, person, other, note in pairs:
        if person.email:
            queue_email(
                event_key=f"mentoring:match:{match.pk}:accepted:{side}",
                to=person.email,
                template="mentoring/email/accepted",
                context={
                    "match": match,
                    "person": person,
                    "other": other,
                    "contact_note": note,
                    "url": absolute_reverse("mentoring:match", kwargs={"pk": match.pk}, language=_language(person)),
                },
                language=_language(person),
            )


def transition_matches(*, matches: Iterable[Match], to: str, actor: Any, note: str = "") -> list[Match]:
    """Move matches along MATCH_TRANSITIONS (callers hold their row locks), with an audit row each.
    Approving stamps the answer deadline and queues both sides' proposal e-mails.

    All of them or none: every transition is checked before anything is written, then the rows,
    their audit rows and the e-mails are written in bulk (a round's publication or a cascade
    approves hundreds at once)."""
    now = timezone.now()
    matches = list(matches)
    for match in matches:
        if to not in MATCH_TRANSITIONS.get(match.status, frozenset()):
            raise ValidationError(
                _("This proposal is %(status)s; it cannot change now.") % {"status": match.get_status_display()},
                code="match_transition",
            )
    previous = [match.status for match in matches]
    # One UPDATE per group of equal new values (per consent window when approving), in chunks.
    groups: dict[tuple[tuple[str, Any], ...], list[int]] = defaultdict(list)
    for match in matches:
        match.status = to
        if to == MatchStatus.APPROVED:
            match.approved_at = now
            match.respond_by = now + dt.timedelta(days=match.round.cycle.consent_days)
            values: dict[str, Any] = {"approved_at": now, "respond_by": match.respond_by}
        else:
            match.closed_at = now
            values = {"closed_at": now}
        groups[tuple(values.items())].append(match.pk)
    for values_key, pks in groups.items():
        for start in range(0, len(pks), 500):
            Match.objects.filter(pk__in=pks[start : start + 500]).update(status=to, **dict(values_key))
    match_type = ContentType.objects.get_for_model(Match)
    actor_id = actor.pk if getattr(actor, "pk", None) else None
    AuditEvent.objects.bulk_create(
        (
            AuditEvent(
                actor_id=actor_id,
                action="mentoring.match.transition",
                target_type=match_type,
                target_id=str(match.pk),
                target_repr=str(match)[:255],
                data={"from_status": before, "to_status": to, "note": note},
            )
            for match, before in zip(matches, previous, strict=True)
        ),
        batch_size=1000,
    )
    if to == MatchStatus.APPROVED and matches:
        # Both sides' e-mails read the people and their users: load them in a few queries, not
        # five per match (in chunks: SQLite refuses a query with thousands of ids). The outbox
        # sends after commit.
        unloaded = [m for m in matches if not _people_loaded(m)]
        for start in range(0, len(unloaded), 500):
            prefetch_related_objects(
                unloaded[start : start + 500], "request__application__applicant__user", "offer__person__user"
            )
        queue_rendered_emails(mail for match in matches for mail in _proposal_emails(match))
    return matches


def _people_loaded(match: Match) -> bool:
    state = match._state.fields_cache
    return "request" in state and "offer" in state


def _locked(match: Match) -> Match:
    return (
        Match.objects.select_for_update(of=("self",))
        .select_related("round__cycle", "request__application__applicant__user", "offer__person__user")
        .get(pk=match.pk)
    )


def _refusal(match: Match, side: str) -> ValidationError | None:
    if match.status == MatchStatus.EXPIRED:
        return ValidationError(_("The time to answer this proposal has passed."), code="expired")
    if match.status == MatchStatus.APPROVED and match.answer_of(side) != Answer.PENDING:
        return ValidationError(_("You have already answered this proposal."), code="answered")
    if match.status in (MatchStatus.ACCEPTED, MatchStatus.DECLINED):
        return ValidationError(_("You have already answered this proposal."), code="answered")
    if match.status != MatchStatus.APPROVED:
        return ValidationError(_("This proposal is no longer open."), code="not_open")
    return None


def _check_accept(match: Match, side: str) -> None:
    if side == Side.MENTOR:
        # The offer's row lock serialises two acceptances of the same mentor.
        offer = type(match.offer).objects.select_for_update().get(pk=match.offer_id)
        accepted = Match.objects.filter(
            offer=offer, mentor_answer=Answer.ACCEPTED, status__in=(MatchStatus.APPROVED, MatchStatus.ACCEPTED)
        ).count()
        if accepted >= offer.capacity:
            raise ValidationError(
                _("You have already accepted %(n)s mentees, as many as you offered to mentor.") % {"n": accepted},
                code="over_capacity",
            )
    elif (
        Mentorship.objects.filter(cycle=match.round.cycle, mentee=match.request.application.applicant)
        .exclude(status=MentorshipStatus.ENDED_EARLY)  # staff ended it and re-paired the mentee
        .exists()
    ):
        raise ValidationError(_("You have already accepted a mentor in this cycle."), code="already_matched")


@transaction.atomic
def answer_proposal(
    *, match: Match, side: str, accept: bool, actor: Any, reason: str = "", now: dt.datetime | None = None
) -> Match:
    """One side's answer. Both yes → accepted and a Mentorship; a no → declined and a cascade."""
    now = now or timezone.now()
    match = _locked(match)
    if match.status == MatchStatus.APPROVED and match.respond_by and now > match.respond_by:
        raise ValidationError(_("The time to answer this proposal has passed."), code="expired")
    refusal = _refusal(match, side)
    if refusal is not None:
        raise refusal
    if accept:
        _check_accept(match, side)
    answer = Answer.ACCEPTED if accept else Answer.DECLINED
    if side == Side.MENTEE:
        match.mentee_answer, match.mentee_answered_at = answer, now
    else:
        match.mentor_answer, match.mentor_answered_at = answer, now
    match.save(update_fields=["mentee_answer", "mentee_answered_at", "mentor_answer", "mentor_answered_at"])
    record_audit(actor=actor, action="mentoring.match.answer", target=match, side=side, answer=answer)
    if not accept:
        match.declined_by, match.decline_reason, match.leaves_round = side, reason[:500], True
        match.save(update_fields=["declined_by", "decline_reason", "leaves_round"])
        transition_matches(matches=[match], to=MatchStatus.DECLINED, actor=actor, note=reason)
        queue_cascade(round_=match.round, actor=actor)
    elif match.mentee_answer == Answer.ACCEPTED and match.mentor_answer == Answer.ACCEPTED:
        transition_matches(matches=[match], to=MatchStatus.ACCEPTED, actor=actor)
        _start_mentorship(match, actor=actor, today=timezone.localdate(now))
        _notify_accepted(match)  # the outbox sends after commit
    return match


def _start_mentorship(match: Match, *, actor: Any, today: dt.date) -> Mentorship:
    cycle = match.round.cycle
    mentorship = Mentorship.objects.create(
        match=match,
        cycle=cycle,
        mentee=match.request.application.applicant,
        mentor=match.offer.person,
        starts_on=cycle.term_start,
        ends_on=cycle.term_end,
    )
    record_audit(actor=actor, action="mentoring.mentorship.create", target=mentorship)
    if today >= cycle.term_start:
        transition_mentorship(mentorship=mentorship, to=MentorshipStatus.ACTIVE, actor=actor)
    return mentorship


def queue_cascade(*, round_: MatchRound, actor: Any) -> None:
    """The engine proposes new partners for those left alone (in the worker, after commit)."""
    if round_.status == RoundStatus.PUBLISHED:
        start_run(kind=CASCADE_RUN, actor=actor, params={"round_id": round_.pk})


@transaction.atomic
def expire_overdue(*, now: dt.datetime | None = None) -> int:
    """Proposals past their answer deadline expire; whoever did not answer leaves the round, and
    each round touched gets a cascade. Returns how many expired."""
    now = now or timezone.now()
    overdue = list(
        Match.objects.select_for_update(of=("self",), skip_locked=True)
        .select_related("round__cycle")
        .filter(status=MatchStatus.APPROVED, respond_by__lt=now)
    )
    rounds: dict[int, MatchRound] = {}
    for match in overdue:
        # Whoever did not answer leaves the round ("" when neither did: both leave).
        silent = [side for side in (Side.MENTEE, Side.MENTOR) if match.answer_of(side) == Answer.PENDING]
        match.leaves_round, match.declined_by = True, silent[0] if len(silent) == 1 else ""
        match.save(update_fields=["leaves_round", "declined_by"])
        rounds[match.round_id] = match.round
    transition_matches(matches=overdue, to=MatchStatus.EXPIRED, actor=None, note="consent window passed")
    for round_ in rounds.values():
        queue_cascade(round_=round_, actor=None)
    return len(overdue)


@transaction.atomic
def transition_mentorship(*, mentorship: Mentorship, to: str, actor: Any, reason: str = "") -> Mentorship:
    """The one way a mentorship's status changes (MENTORSHIP_TRANSITIONS), audited."""
    mentorship = Mentorship.objects.select_for_update().get(pk=mentorship.pk)
    if to not in MENTORSHIP_TRANSITIONS.get(mentorship.status, frozenset()):
        raise ValidationError(
            _("This mentorship is %(status)s; it cannot change now.") % {"status": mentorship.get_status_display()},
            code="mentorship_transition",
        )
    previous, mentorship.status = mentorship.status, to
    now = timezone.now()
    if to == MentorshipStatus.ACTIVE:
        mentorship.started_at = now
    else:
        mentorship.ended_at = now
        mentorship.end_reason = reason[:500]
    mentorship.save()
    record_audit(
        actor=actor, action="mentoring.mentorship.transition", target=mentorship, from_status=previous, to_status=to
    )
    return mentorship


def start_due_mentorships(*, today: dt.date | None = None) -> int:
    """Pending mentorships whose term has started become active (the periodic command)."""
    today = today or timezone.localdate()
    due = list(Mentorship.objects.filter(status=MentorshipStatus.PENDING, starts_on__lte=today))
    for mentorship in due:
        transition_mentorship(mentorship=mentorship, to=MentorshipStatus.ACTIVE, actor=None)
    return len(due)
