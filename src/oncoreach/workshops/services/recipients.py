"""Who gets a workshop e-mail and in which language (every e-mail is written in the recipient's
language, not the language of the request that caused it)."""

from __future__ import annotations

from oncoreach.people.models import Person


def recipient_language(person: Person) -> str:
    user = person.user
    return (user.preferred_language if user is not None else "") or "en"


def recipient_address(person: Person) -> str:
    return person.email or (person.user.email if person.user is not None else "")
