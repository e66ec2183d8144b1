"""Reads for cohort messages: who a cohort reaches, the messages sent and their delivery."""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass

from django.conf import settings
from django.db.models import Count, Q, QuerySet
from django.shortcuts import get_object_or_404

from oncoreach.core.enums import EmailStatus
from oncoreach.messaging.cohorts import CohortCriteria, cohort_people
from oncoreach.messaging.enums import RecipientOutcome
from oncoreach.messaging.models import CohortMessage, CohortRecipient, MessageTemplate, Unsubscription
from oncoreach.people.models import Person

_LANGUAGES = frozenset(code for code, _name in settings.LANGUAGES)


def recipient_language(person: Person) -> str:
    """The language a person reads our mail in: their account's, or English."""
    user = person.user
    language = user.preferred_language if user is not None else ""
    return language if language in _LANGUAGES else settings.LANGUAGE_CODE


def recipient_address(person: Person) -> str:
    return person.email or (person.user.email if person.user is not None else "")


@dataclass(frozen=True, slots=True)
class CohortCount:
    matched: int
    unsubscribed: int
    no_address: int

    @property
    def to_send(self) -> int:
        return self.matched - self.unsubscribed - self.no_address


def count_cohort(criteria: CohortCriteria, *, today: dt.date) -> CohortCount:
    """How many people the filters choose, and how many of them are skipped (one query)."""
    people = cohort_people(criteria, today=today)
    unsubscribed = Q(pk__in=Unsubscription.objects.values("person_id"))
    no_address = Q(email="") & (Q(user__isnull=True) | Q(user__email=""))
    summary = people.aggregate(
        matched=Count("pk"),
        unsubscribed=Count("pk", filter=unsubscribed),
        no_address=Count("pk", filter=no_address & ~unsubscribed),
    )
    return CohortCount(**summary)


def cohort_for_sending(criteria: CohortCriteria, *, today: dt.date) -> QuerySet[Person]:
    return cohort_people(criteria, today=today).select_related("user", "country_of_practice").order_by("pk")


def preview_choices(criteria: CohortCriteria, *, today: dt.date, limit: int = 50) -> list[Person]:
    """The first people of the cohort by name, to pick one to preview the message for."""
    return list(cohort_people(criteria, today=today).select_related("user", "country_of_practice")[:limit])


def unsubscribed_person_ids() -> set[int]:
    return set(Unsubscription.objects.values_list("person_id", flat=True))


def is_unsubscribed(*, person: Person) -> bool:
    return Unsubscription.objects.filter(person=person).exists()


def message_templates() -> QuerySet[MessageTemplate]:
    return MessageTemplate.objects.all()


def get_template(*, pk: int) -> MessageTemplate:
    return get_object_or_404(MessageTemplate, pk=pk)


_WAITING = Q(recipients__outbox__status__in=[EmailStatus.PENDING, EmailStatus.SENDING])


def sent_messages() -> QuerySet[CohortMessage]:
    """Messages newest first, each with its counts (one query for the whole page)."""
    return (
        CohortMessage.objects.select_related("run", "sent_by", "template")
        .annotate(
            n_recipients=Count("recipients"),
            n_waiting=Count("recipients", filter=_WAITING),
            n_sent=Count("recipients", filter=Q(recipients__outbox__status=EmailStatus.SENT)),
            n_failed=Count("recipients", filter=Q(recipients__outbox__status=EmailStatus.FAILED)),
            n_skipped=Count("recipients", filter=~Q(recipients__outcome=RecipientOutcome.QUEUED)),
        )
        .order_by("-created_at", "-id")
    )


def get_message(*, pk: int) -> CohortMessage:
    return get_object_or_404(sent_messages(), pk=pk)


def recipients_of(*, message: CohortMessage) -> QuerySet[CohortRecipient]:
    return CohortRecipient.objects.filter(message=message).select_related("outbox").order_by("id")
