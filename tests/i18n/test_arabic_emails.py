"""E-mails in Arabic for a person whose language is Arabic: every template's subject and body has
no English left, and a real sign-up in Arabic queues and sends an Arabic mail marked as such."""

from __future__ import annotations

import datetime as dt
import re
from pathlib import Path

import pytest
from django.core import mail
from django.template.loader import render_to_string
from django.urls import reverse, translate_url
from django.utils import translation

from oncoreach.accounts.models import User
from oncoreach.core.models import OutboundEmail
from oncoreach.core.services import send_due_emails
from tests.factories.geo import CountryFactory

SRC = Path(__file__).resolve().parents[2] / "src" / "oncoreach"
ARABIC_LETTER = re.compile(r"[\u0600-\u06ff]")
# Three English words in a row: a sentence left untranslated (values in the context are "X").
ENGLISH_RUN = re.compile(r"\b[A-Za-z]{2,}[,.:;]?\s+[A-Za-z]{2,}[,.:;]?\s+[A-Za-z]{2,}\b")


class _Anything(str):
    """Any value a template asks for: prints as "X", and has every attribute and item (dates for
    ``…_date`` and deadlines for ``…_by``, such as ``respond_by``, so the date filter formats them)."""

    def __new__(cls) -> _Anything:
        return super().__new__(cls, "X")

    def __getattr__(self, name: str) -> object:
        if name.startswith("__"):
            raise AttributeError(name)
        if name.endswith("_date"):
            return dt.date(2027, 3, 15)
        if name.endswith("_by"):
            return dt.datetime(2027, 3, 15, 12, 0, tzinfo=dt.UTC)
        return _Anything()

    def __getitem__(self, key: object) -> object:  # type: ignore[override]
        return self.__getattr__(str(key))


class _AnyContext(dict):
    def __contains__(self, key: object) -> bool:
        return True

    def __getitem__(self, key: str) -> object:
        return dict.get(self, key, _Anything())


def _email_templates() -> list[str]:
    return sorted(
        str(path.relative_to(path.parents[2])).removesuffix("_subject.txt")
        for path in SRC.glob("*/templates/*/email/*_subject.txt")
    )


def test_every_email_template_has_a_subject_and_a_body():
    templates = _email_templates()
    assert len(templates) > 30
    for template in templates:
        assert (SRC / template.split("/")[0] / "templates" / f"{template}_body.txt").exists(), template


@pytest.mark.parametrize("template", _email_templates())
def test_every_email_renders_in_arabic(template):
    context = _AnyContext(
        society={"name": "X", "program_name": "X"},
        days=3,
        counter=3,
        count=3,
        n=3,
        month=dt.date(2026, 3, 1),
        answers=[("X", "X")],
    )
    with translation.override("ar"):
        subject = " ".join(render_to_string(f"{template}_subject.txt", context).split())
        body = render_to_string(f"{template}_body.txt", context)

    for part, text in (("subject", subject), ("body", body)):
        assert ARABIC_LETTER.search(text), f"{template} {part} has no Arabic: {text!r}"
        english = [match.group(0) for match in ENGLISH_RUN.finditer(text)]
        assert english == [], f"{template} {part} keeps English: {english}"
    if "2027" in body:
        assert "15 مارس 2027" in body, f"{template}: dates in Arabic, Western digits"


@pytest.mark.django_db
def test_signing_up_in_arabic_sends_the_confirmation_in_arabic(client):
    country = CountryFactory()
    url = translate_url(reverse("people:signup"), "ar")

    client.post(
        url,
        {
            "email": "layla@example.org",
            "given_name": "ليلى",
            "family_name": "حداد",
            "password": "a sturdy passphrase 42",
            "country_of_practice": str(country.pk),
            "consent": "on",
        },
    )

    assert User.objects.get().preferred_language == "ar"
    outbound = OutboundEmail.objects.get()
    assert (outbound.language, outbound.subject) == ("ar", "أكّد عنوان بريدك الإلكتروني")
    assert "مرحبًا ليلى حداد،" in outbound.body_text
    assert "/ar/" in outbound.body_text, "the link opens the site in Arabic"
    send_due_emails()
    (message,) = mail.outbox
    assert message.extra_headers["Content-Language"] == "ar"
    assert message.subject == "أكّد عنوان بريدك الإلكتروني"


def test_the_profile_offers_arabic_for_emails_and_pages():
    from oncoreach.people.forms import ProfileForm

    choices = dict(ProfileForm.base_fields["preferred_language"].choices)
    assert choices["ar"] == "العربية"
