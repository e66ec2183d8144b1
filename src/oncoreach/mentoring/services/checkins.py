"""Monthly check-ins: each side of each active mentorship gets one e-mail a month (through the
outbox, in their language) with a signed link per answer. ``send_monthly_checkins`` is run by
``send_mentoring_checkins`` (settings.PERIODIC_COMMANDS).

One click answers: opening a link records its answer (``click_checkin``, state ``clicked``). Mail
scanners open every link of a message within seconds, so a second, *different* answer opened
within ``settings.MENTORING_CHECKIN_CLICK_WINDOW_SECONDS`` of the first drops the answer
(``unconfirmed``) until the person presses a button; after the window a click never changes the
answer. A button (POST, ``answer_checkin``) always records a ``confirmed`` answer, and changes
it while the link is valid. Every state change goes through ``transition_checkin``, audited."""

from __future__ import annotations

import datetime as dt
from typing import Any

from django.conf import settings
from django.core.exceptions import ValidationError
from django.db import IntegrityError, transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from oncoreach.core.links import absolute_reverse
from oncoreach.core.services import queue_email, record_audit
from oncoreach.mentoring.enums import (
    CHECKIN_TRANSITIONS,
    MAX_CHECKIN_COMMENT,
    CheckInAnswer,
    CheckInState,
    MentorshipStatus,
    Side,
)
from oncoreach.mentoring.models import CheckIn, Mentorship
from oncoreach.mentoring.services.consent import _language
from oncoreach.mentoring.tokens import make_checkin_token
from oncoreach.people.models import Person


def checkin_links(checkin: CheckIn, person: Person) -> list[tuple[str, str]]:
    """(answer, absolute URL) for each answer, in the recipient's language."""
    language = _language(person)
    return [
        (
            str(value),
            absolute_reverse(
                "mentoring:checkin-link",
                kwargs={"token": make_checkin_token(checkin_pk=checkin.pk, answer=str(value))},
                language=language,
            ),
        )
        for value in CheckInAnswer
    ]


def _send(checkin: CheckIn, person: Person, other: Person) -> None:
    if not person.email:
        return
    labels = dict(CheckInAnswer.choices)
    language = _language(person)
    links = checkin_links(checkin, person)

    queue_email(
        event_key=f"mentoring:checkin:{checkin.pk}",
        to=person.email,
        template="mentoring/email/checkin",
        context={
            "person": person,
            "other": other,
            "month": checkin.month,
            "answers": [(labels[value], url) for value, url in links],
        },
        language=language,
    )


def send_monthly_checkins(*, today: dt.date | None = None) -> int:
    """This month's check-in to each side of each active mentorship that has none yet (each
    in its own transaction, so one failure does not stop the rest). Returns how many went out."""
    today = today or timezone.localdate()
    month = today.replace(day=1)
    mentorships = Mentorship.objects.filter(status=MentorshipStatus.ACTIVE).select_related(
        "mentee__user", "mentor__user"
    )
    done = set(CheckIn.objects.filter(month=month).values_list("mentorship_id", "side"))
    sent = 0
    for mentorship in mentorships:
        pairs = (
            (Side.MENTEE, mentorship.mentee, mentorship.mentor),
            (Side.MENTOR, mentorship.mentor, mentorship.mentee),
        )
        for side, person, other in pairs:
            if (mentorship.pk, side) in done:
                continue
            try:
                with transaction.atomic():
                    checkin = CheckIn.objects.create(
                        mentorship=mentorship, side=side, month=month, sent_at=timezone.now()
                    )
                    _send(checkin, person, other)
            except IntegrityError:  # another worker sent it meanwhile
                continue
            sent += 1
    return sent


def transition_checkin(*, checkin: CheckIn, to: str, answer: str, how: str, actor: Any, now: dt.datetime) -> CheckIn:
    """The one way a check-in's state changes (CHECKIN_TRANSITIONS), audited. The caller holds
    the row lock. ``answer`` is the answer to keep ("" when unconfirmed); ``how`` is "link" or
    "button"."""
    if to not in CHECKIN_TRANSITIONS.get(checkin.state, frozenset()):
        raise ValidationError(
            _("This check-in is %(state)s; it cannot change now.") % {"state": checkin.get_state_display()},
            code="checkin_transition",
        )
    previous = checkin.state
    checkin.state, checkin.answer = to, answer
    fields = ["state", "answer"]
    if to != CheckInState.UNCONFIRMED:  # the first click's time stays: the window counts from it
        checkin.answered_at = now
        fields.append("answered_at")
    checkin.save(update_fields=fields)
    record_audit(
        actor=actor,
        action="mentoring.checkin.transition",
        target=checkin.mentorship,
        side=checkin.side,
        month=checkin.month.isoformat(),
        from_state=previous,
        to_state=to,
        answer=answer,
        how=how,
    )
    return checkin


def _click_window() -> dt.timedelta:
    return dt.timedelta(seconds=settings.MENTORING_CHECKIN_CLICK_WINDOW_SECONDS)


def _check_live(checkin: CheckIn) -> None:
    if checkin.mentorship.status not in (MentorshipStatus.PENDING, MentorshipStatus.ACTIVE):
        raise ValidationError(_("This mentorship has ended; its check-ins no longer change."), code="ended")


def _check_answer(answer: str) -> None:
    if answer not in CheckInAnswer.values:
        raise ValidationError(_("Choose one of the answers in the e-mail."), code="bad_answer")


#: What opening an answer link did (``click_checkin``).
RECORDED = "recorded"  # the answer is recorded now
SAME = "same"  # that answer was already recorded
UNCONFIRMED = "unconfirmed"  # several answers opened at once: the person must press a button
KEPT = "kept"  # another answer is recorded and settled: the link does not change it


@transaction.atomic
def click_checkin(*, checkin: CheckIn, answer: str, now: dt.datetime | None = None) -> tuple[CheckIn, str]:
    """Someone opened one answer's link (a GET that is not a preview): record it unless the
    check-in already has an answer, or this is a second, different answer within the click
    window (then nothing counts until a button is pressed). Returns the check-in and what
    happened (RECORDED, SAME, UNCONFIRMED or KEPT)."""
    _check_answer(answer)
    now = now or timezone.now()
    checkin = CheckIn.objects.select_for_update().select_related("mentorship").get(pk=checkin.pk)
    _check_live(checkin)
    state = checkin.state
    if state == CheckInState.UNANSWERED:
        return transition_checkin(
            checkin=checkin, to=CheckInState.CLICKED, answer=answer, how="link", actor=None, now=now
        ), RECORDED
    if state == CheckInState.UNCONFIRMED:
        return checkin, UNCONFIRMED
    if checkin.answer == answer:
        return checkin, SAME
    if state == CheckInState.CLICKED and checkin.answered_at and now - checkin.answered_at <= _click_window():
        transition_checkin(checkin=checkin, to=CheckInState.UNCONFIRMED, answer="", how="link", actor=None, now=now)
        return checkin, UNCONFIRMED
    return checkin, KEPT


@transaction.atomic
def answer_checkin(
    *, checkin: CheckIn, answer: str, comment: str = "", actor: Any = None, now: dt.datetime | None = None
) -> CheckIn:
    """An answer sent with a button (POST) or by staff tools: confirmed, and final for the at-risk
    list; it replaces any earlier answer of this check-in. A non-empty ``comment`` replaces the
    earlier comment."""
    _check_answer(answer)
    comment = comment.strip()
    if len(comment) > MAX_CHECKIN_COMMENT:
        message = _("Keep the comment under %(limit)s characters.") % {"limit": MAX_CHECKIN_COMMENT}
        raise ValidationError({"comment": ValidationError(message, code="long_comment")})
    checkin = CheckIn.objects.select_for_update().select_related("mentorship").get(pk=checkin.pk)
    _check_live(checkin)
    if checkin.state != CheckInState.CONFIRMED or checkin.answer != answer:
        transition_checkin(
            checkin=checkin,
            to=CheckInState.CONFIRMED,
            answer=answer,
            how="button",
            actor=actor,
            now=now or timezone.now(),
        )
    if comment and comment != checkin.comment:
        checkin.comment = comment
        checkin.save(update_fields=["comment"])
        record_audit(actor=actor, action="mentoring.checkin.comment", target=checkin.mentorship, side=checkin.side)
    return checkin
