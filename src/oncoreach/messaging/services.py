"""Writes for cohort messages: templates, sending (the worker queues the mail), unsubscribing."""

from __future__ import annotations

import datetime as dt
import uuid
from collections.abc import Iterator, Mapping
from dataclasses import dataclass
from typing import Any

from django.conf import settings
from django.core.exceptions import ValidationError
from django.db import transaction
from django.urls import reverse
from django.utils import timezone, translation
from django.utils.translation import gettext as _

from oncoreach.core.models import BackgroundRun, OutboundEmail
from oncoreach.core.runs import report_progress, start_run
from oncoreach.core.services import RenderedEmail, insert_rows_once, queue_rendered_emails, record_audit
from oncoreach.messaging.cohorts import CohortCriteria, describe
from oncoreach.messaging.enums import MESSAGE_TRANSITIONS, SEND_RUN, MessageStatus, RecipientOutcome
from oncoreach.messaging.models import CohortMessage, CohortRecipient, MessageTemplate, Unsubscription
from oncoreach.messaging.rendering import CompiledText, compile_text
from oncoreach.messaging.selectors import (
    cohort_for_sending,
    count_cohort,
    recipient_language,
    unsubscribed_person_ids,
)
from oncoreach.messaging.tokens import BadTokenError, ExpiredTokenError, make_token, read_token
from oncoreach.people.models import Person

BATCH = 500

# --- Templates ----------------------------------------------------------------------------------


def _clean_texts(texts: Mapping[str, str]) -> dict[str, str]:
    languages = {code for code, _name in settings.LANGUAGES}
    return {code: text.strip() for code, text in texts.items() if code in languages and text.strip()}


def validate_texts(*, subjects: Mapping[str, str], bodies: Mapping[str, str]) -> None:
    """English is required; a language has a subject and a body or neither; every placeholder
    exists. Raises a ``ValidationError`` naming the first problem."""
    if not subjects.get("en") or not bodies.get("en"):
        raise ValidationError(_("Write the English subject and body: they are sent when a language has none."))
    for code in set(subjects) ^ set(bodies):
        raise ValidationError(
            _("Write both the subject and the body in %(language)s, or neither.")
            % {"language": dict(settings.LANGUAGES)[code]}
        )
    for text in [*subjects.values(), *bodies.values()]:
        compile_text(text)


@transaction.atomic
def save_template(
    *,
    actor: Any,
    name: str,
    subjects: Mapping[str, str],
    bodies: Mapping[str, str],
    template: MessageTemplate | None = None,
) -> MessageTemplate:
    """Create or edit a template; nothing is saved when a text is wrong."""
    subjects, bodies = _clean_texts(subjects), _clean_texts(bodies)
    validate_texts(subjects=subjects, bodies=bodies)
    others = MessageTemplate.objects.filter(name=name)
    if template is not None:
        others = others.exclude(pk=template.pk)
    if others.exists():
        raise ValidationError(_("Another template is already called “%(name)s”.") % {"name": name})
    created = template is None
    template = template or MessageTemplate(created_by=actor if getattr(actor, "pk", None) else None)
    template.name, template.subjects, template.bodies = name, subjects, bodies
    template.full_clean()
    template.save()
    record_audit(
        actor=actor, action="messaging.template_created" if created else "messaging.template_edited", target=template
    )
    return template


# --- Rendering ----------------------------------------------------------------------------------


@dataclass(frozen=True, slots=True)
class CompiledMessage:
    """A message's texts parsed once per language (English for any language without text)."""

    texts: dict[str, tuple[CompiledText, CompiledText]]

    @classmethod
    def of(cls, *, subjects: Mapping[str, str], bodies: Mapping[str, str]) -> CompiledMessage:
        return cls({code: (compile_text(subjects[code]), compile_text(bodies[code])) for code in subjects})

    def text_language(self, language: str) -> str:
        return language if language in self.texts else "en"

    def render(self, language: str, values: Mapping[str, str]) -> tuple[str, str]:
        subject, body = self.texts[self.text_language(language)]
        return " ".join(subject.render(values).split()), body.render(values)


def placeholder_values(person: Person, *, names: Mapping[str, str]) -> dict[str, str]:
    country = person.country_of_practice
    return {
        "first_name": person.given_name,
        "family_name": person.family_name,
        "full_name": person.full_name,
        "country": country.name if country is not None else "",
        "program": names.get("program", ""),
        "cycle": names.get("cycle", ""),
        "society": settings.SOCIETY["name"],
    }


def preview_message(
    *, template: MessageTemplate, person: Person, language: str = "", names: Mapping[str, str]
) -> dict[str, str]:
    """What ``person`` would read (in their language, or in ``language`` when given)."""
    compiled = CompiledMessage.of(subjects=template.subjects, bodies=template.bodies)
    language = language or recipient_language(person)
    subject, body = compiled.render(language, placeholder_values(person, names=names))
    return {"language": language, "text_language": compiled.text_language(language), "subject": subject, "body": body}


# --- Sending ------------------------------------------------------------------------------------


def transition_message(*, message: CohortMessage, to: str, actor: Any = None, **data: Any) -> bool:
    """The one way a message's status changes (MESSAGE_TRANSITIONS), conditional on the status
    read so two workers never both finish it; audited."""
    if to not in MESSAGE_TRANSITIONS.get(message.status, frozenset()):
        return False
    changed = CohortMessage.objects.filter(pk=message.pk, status=message.status).update(status=to)
    if changed:
        record_audit(actor=actor, action=f"messaging.message_{to}", target=message, previous=message.status, **data)
        message.status = to
    return bool(changed)


@transaction.atomic
def send_cohort_message(
    *,
    actor: Any,
    template: MessageTemplate,
    criteria: CohortCriteria,
    names: Mapping[str, str],
    submission_token: uuid.UUID,
    today: dt.date,
) -> tuple[CohortMessage, bool]:
    """Check the cohort, store the message and start the worker's run that queues its mail.
    Returns ``(message, created)``: a second submit of the same form returns the first message
    and queues nothing. Raises a ``ValidationError`` when nobody would get it."""
    existing = CohortMessage.objects.filter(submission_token=submission_token).first()
    if existing is not None:
        return existing, False
    validate_texts(subjects=template.subjects, bodies=template.bodies)
    count = count_cohort(criteria, today=today)
    if count.matched == 0:
        raise ValidationError(_("No one matches this cohort: change the filters. Nothing was sent."), code="empty")
    if count.to_send == 0:
        raise ValidationError(
            _("Everyone in this cohort has unsubscribed or has no e-mail address. Nothing was sent."), code="none_left"
        )
    message = CohortMessage.objects.create(
        template=template,
        subjects=dict(template.subjects),
        bodies=dict(template.bodies),
        criteria={**criteria.as_json(), "names": dict(names), "today": today.isoformat()},
        criteria_text=describe(criteria, names=names)[:500],
        submission_token=submission_token,
        sent_by=actor if getattr(actor, "pk", None) else None,
    )
    run = start_run(
        kind=SEND_RUN,
        actor=actor,
        params={"message_id": message.pk},
        return_url=reverse("messaging:message-detail", args=[message.pk]),
        language=getattr(actor, "preferred_language", "") or "",
    )
    CohortMessage.objects.filter(pk=message.pk).update(run=run)
    message.run = run
    record_audit(actor=actor, action="messaging.message_sent", target=message, expected=count.to_send)
    return message, True


#: What the worker reads of each recipient (plain values: no model instances at 10,000 rows).
_RECIPIENT_FIELDS = (
    "pk",
    "given_name",
    "family_name",
    "email",
    "user__email",
    "user__preferred_language",
    "country_of_practice__name",
)
_LANGUAGES = frozenset(code for code, _name in settings.LANGUAGES)


def _chunks(people: Any, size: int) -> Iterator[list[tuple[Any, ...]]]:
    """People in primary-key order, ``size`` at a time (keyset pages: no OFFSET scans)."""
    last = 0
    while True:
        chunk = list(people.filter(pk__gt=last).values_list(*_RECIPIENT_FIELDS)[:size])
        if not chunk:
            return
        yield chunk
        last = chunk[-1][0]


class _Unsubscribe:
    """Builds the one-click link per recipient: reverse() once per language, sign per person."""

    def __init__(self, message_id: int) -> None:
        self.message_id = message_id
        self.prefixes: dict[str, str] = {}

    def url(self, *, person_id: int, language: str) -> str:
        if language not in self.prefixes:
            with translation.override(language):
                self.prefixes[language] = settings.SITE_URL + reverse("mail:unsubscribe", args=["TOKEN"])
        token = make_token(person_id=person_id, message_id=self.message_id)
        return self.prefixes[language].replace("TOKEN", token)


def _footers() -> dict[str, str]:
    footers = {}
    for code, _name in settings.LANGUAGES:
        with translation.override(code):
            footers[code] = "\n\n-- \n" + _(
                "You receive this message from %(society)s. To stop receiving such messages: %(url)s"
            ) % {"society": settings.SOCIETY["short_name"], "url": "{url}"}
    return footers


def queue_message_mail(*, message: CohortMessage, run: BackgroundRun | None = None) -> dict[str, int]:
    """The worker's part: one outbox mail per recipient, in their language, with the one-click
    unsubscribe headers; unsubscribed people and people with no address are recorded as skipped.
    Batches commit one by one (the page shows progress); a retry skips what is already written
    (one recipient row per message and person, one outbox mail per event and address)."""
    criteria = CohortCriteria.from_json(message.criteria)
    names = message.criteria.get("names", {})
    today = dt.date.fromisoformat(message.criteria.get("today") or timezone.localdate().isoformat())
    people = cohort_for_sending(criteria, today=today)
    total = people.count()
    compiled = CompiledMessage.of(subjects=message.subjects, bodies=message.bodies)
    unsubscribed = unsubscribed_person_ids()
    links = _Unsubscribe(message.pk)
    footers = _footers()
    society = settings.SOCIETY["name"]
    program, cycle = names.get("program", ""), names.get("cycle", "")
    one_click = "List-Unsubscribe=One-Click"
    counts = {outcome.value: 0 for outcome in RecipientOutcome}
    done = 0
    for chunk in _chunks(people, BATCH):
        recipients: list[tuple[int, str, str, str, str]] = []
        mails: list[RenderedEmail] = []
        for pk, given, family, own_email, login_email, login_language, country in chunk:
            language = login_language if login_language in _LANGUAGES else settings.LANGUAGE_CODE
            address = own_email or login_email or ""
            full_name = f"{given} {family}".strip()
            outcome = (
                RecipientOutcome.UNSUBSCRIBED
                if pk in unsubscribed
                else RecipientOutcome.QUEUED
                if address
                else RecipientOutcome.NO_ADDRESS
            )
            counts[outcome] += 1
            recipients.append((pk, full_name[:201], address, language, outcome.value))
            if outcome != RecipientOutcome.QUEUED:
                continue
            url = links.url(person_id=pk, language=language)
            values = {
                "first_name": given,
                "family_name": family,
                "full_name": full_name,
                "country": country or "",
                "program": program,
                "cycle": cycle,
                "society": society,
            }
            subject, body = compiled.render(language, values)
            mails.append(
                RenderedEmail(
                    event_key=f"cohort:{message.pk}:{pk}",
                    to=address,
                    language=language,
                    subject=subject,
                    body_text=body + footers.get(language, footers["en"]).replace("{url}", url),
                    headers={"List-Unsubscribe": f"<{url}>", "List-Unsubscribe-Post": one_click},
                )
            )
        with transaction.atomic():
            queue_rendered_emails(mails)
            outbox_ids = dict(
                OutboundEmail.objects.filter(event_key__in=[mail.event_key for mail in mails]).values_list(
                    "event_key", "pk"
                )
            )
            insert_rows_once(
                model=CohortRecipient,
                fields=["message", "person", "name", "email", "language", "outcome", "outbox"],
                rows=[
                    (message.pk, pk, name, email, language, outcome, outbox_ids.get(f"cohort:{message.pk}:{pk}"))
                    for pk, name, email, language, outcome in recipients
                ],
            )
        done += len(chunk)
        if run is not None:
            report_progress(
                run=run,
                progress=int(100 * done / max(total, 1)),
                message=_("%(done)s of %(total)s recipients") % {"done": done, "total": total},
            )
    transition_message(message=message, to=MessageStatus.QUEUED, actor=message.sent_by, **counts)
    return counts


def fail_message(*, message: CohortMessage, reason: str) -> None:
    transition_message(message=message, to=MessageStatus.FAILED, actor=message.sent_by, reason=reason[:300])


# --- Unsubscribing ------------------------------------------------------------------------------


def person_for_token(*, token: str) -> tuple[Person, int | None]:
    """The person an unsubscribe link is for, or a ``ValidationError`` saying what is wrong."""
    try:
        claim = read_token(token)
    except ExpiredTokenError as exc:
        raise ValidationError(
            _("This unsubscribe link has expired. Sign in and change your e-mail preferences on your account page."),
            code="expired",
        ) from exc
    except BadTokenError as exc:
        raise ValidationError(
            _("This unsubscribe link is not valid. Copy the whole link from the e-mail."), code="bad"
        ) from exc
    person = Person.objects.filter(pk=claim.person_id).first()
    if person is None:
        raise ValidationError(_("This unsubscribe link is not valid. Copy the whole link from the e-mail."), code="bad")
    return person, claim.message_id


def unsubscribe(*, person: Person, message_id: int | None = None, actor: Any = None) -> bool:
    """No more cohort messages for ``person``; returns False when they had already unsubscribed
    (a link used twice is fine)."""
    with transaction.atomic():
        message = CohortMessage.objects.filter(pk=message_id).first() if message_id else None
        _row, created = Unsubscription.objects.get_or_create(person=person, defaults={"via_message": message})
        if created:
            record_audit(actor=actor, action="messaging.unsubscribed", target=person, message_id=message_id)
    return created


def resubscribe(*, person: Person, actor: Any) -> bool:
    """Cohort messages again for ``person``; False when they were not unsubscribed."""
    with transaction.atomic():
        deleted, _rows = Unsubscription.objects.filter(person=person).delete()
        if deleted:
            record_audit(actor=actor, action="messaging.resubscribed", target=person)
    return bool(deleted)
