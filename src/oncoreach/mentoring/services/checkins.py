"""Monthly check-ins: each side of each active mentorship gets one e-mail a month (through the
outbox, in their language) with a one-use signed link per answer; an answer is taken once.
``send_monthly_checkins`` is run by ``send_mentoring_checkins`` (settings.PERIODIC_COMMANDS)."""

from __future__ import annotations

import datetime as dt
from typing import Any

from django.core.exceptions import ValidationError
from django.db import IntegrityError, transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from oncoreach.core.links import absolute_reverse
from oncoreach.core.services import queue_email, record_audit
from oncoreach.mentoring.enums import CheckInAnswer, MentorshipStatus, Side
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


@transaction.atomic
def answer_checkin(*, checkin: CheckIn, answer: str, actor: Any = None, now: dt.datetime | None = None) -> CheckIn:
    """Take one side's answer, once."""
    if answer not in CheckInAnswer.values:
        raise ValidationError(_("Choose one of the answers in the e-mail."), code="bad_answer")
    checkin = CheckIn.objects.select_for_update().get(pk=checkin.pk)
    if checkin.answer:
        raise ValidationError(
            _("This check-in was already answered (“%(answer)s”); the link works once.")
            % {"answer": checkin.get_answer_display()},
            code="used",
        )
    checkin.answer, checkin.answered_at = answer, now or timezone.now()
    checkin.save(update_fields=["answer", "answered_at"])
    record_audit(
        actor=actor, action="mentoring.checkin.answer", target=checkin.mentorship, side=checkin.side, answer=answer
    )
    return checkin
