"""Helpers every awards service uses: who gets an e-mail, in which language, and times in zones."""

from __future__ import annotations

import datetime as dt
from typing import Any

from django.utils import formats, translation

from oncoreach.awards.models import zone_or_utc
from oncoreach.core.services import queue_email
from oncoreach.people.models import Person


def recipient_language(person: Person) -> str:
    user = person.user
    return (user.preferred_language if user is not None else "") or "en"


def recipient_address(person: Person) -> str:
    return person.email or (person.user.email if person.user is not None else "")


def zone_name(person: Person) -> str:
    return person.time_zone or "UTC"


def local_time_text(moment: dt.datetime, *, person: Person, language: str | None = None) -> str:
    """``moment`` in the person's own zone, formatted in their language, with the zone named
    (daylight saving comes from zoneinfo for that very date)."""
    local = moment.astimezone(zone_or_utc(person.time_zone))
    with translation.override(language or recipient_language(person)):
        text = formats.date_format(local, "DATETIME_FORMAT")
    return f"{text} ({zone_name(person)}, UTC{local:%z})"


def notify(*, person: Person, event_key: str, template: str, context: dict[str, Any]) -> None:
    """Queue one e-mail to a person in their language (nothing when they have no address)."""
    address = recipient_address(person)
    if not address:
        return
    queue_email(
        event_key=event_key,
        to=address,
        template=template,
        context={"person": person, **context},
        language=recipient_language(person),
    )
