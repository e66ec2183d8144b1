import datetime as dt
import uuid

import pytest
import time_machine
from django.conf import settings
from django.core import mail
from django.core.exceptions import ValidationError
from django.utils import timezone

from oncoreach.core.models import OutboundEmail
from oncoreach.core.services import send_due_emails
from oncoreach.messaging import services
from oncoreach.messaging.cohorts import CohortCriteria
from oncoreach.messaging.models import CohortMessage, CohortRecipient, MessageTemplate, Unsubscription
from oncoreach.messaging.selectors import count_cohort
from oncoreach.messaging.tokens import make_token
from tests.factories.accounts import UserFactory
from tests.factories.calls import ApplicationFactory, CallFactory
from tests.factories.geo import CountryFactory, IncomeClassificationFactory
from tests.factories.people import PersonFactory
from tests.messaging.conftest import TODAY

pytestmark = [pytest.mark.integration]


def _person(language="en", **kwargs):
    user = UserFactory(preferred_language=language)
    return PersonFactory(user=user, **kwargs)


# --- Templates ------------------------------------------------------------------------------------


def test_save_template_rejects_an_unknown_placeholder_naming_it(coordinator):
    with pytest.raises(ValidationError) as caught:
        services.save_template(
            actor=coordinator, name="News", subjects={"en": "Hi {nickname}"}, bodies={"en": "Hello {first_name}"}
        )
    assert "{nickname}" in caught.value.messages[0]
    assert MessageTemplate.objects.count() == 0


@pytest.mark.parametrize("text", ["{first_name.__class__}", "{first_name!r}", "{first_name:>30}", "{}", "{0}"])
def test_save_template_refuses_anything_but_a_bare_placeholder(coordinator, text):
    with pytest.raises(ValidationError):
        services.save_template(actor=coordinator, name="News", subjects={"en": "Hi"}, bodies={"en": text})
    assert MessageTemplate.objects.count() == 0


def test_save_template_refuses_an_unclosed_brace(coordinator):
    with pytest.raises(ValidationError) as caught:
        services.save_template(
            actor=coordinator, name="News", subjects={"en": "Hi"}, bodies={"en": "Hello {first_name"}
        )
    assert "{{" in caught.value.messages[0]


def test_save_template_needs_english_and_both_texts_per_language(coordinator):
    with pytest.raises(ValidationError):
        services.save_template(actor=coordinator, name="News", subjects={"es": "Hola"}, bodies={"es": "Hola"})
    with pytest.raises(ValidationError):
        services.save_template(
            actor=coordinator, name="News", subjects={"en": "Hi", "fr": "Salut"}, bodies={"en": "Hello"}
        )
    assert MessageTemplate.objects.count() == 0


def test_save_template_keeps_literal_braces_and_edits(coordinator):
    template = services.save_template(
        actor=coordinator,
        name="News",
        subjects={"en": "Hi {first_name}"},
        bodies={"en": "Use {{braces}}, {first_name}"},
    )
    services.save_template(
        actor=coordinator, name="News 2", subjects={"en": "Hi"}, bodies={"en": "Bye"}, template=template
    )
    template.refresh_from_db()
    assert (template.name, template.bodies) == ("News 2", {"en": "Bye"})


def test_preview_renders_in_the_recipients_language_with_english_fallback(template):
    spanish = _person("es", given_name="Ana", family_name="Ruiz")
    french = _person("fr", given_name="Luc", family_name="Roy")
    assert services.preview_message(template=template, person=spanish, names={})["subject"] == "Noticias para Ana"
    preview = services.preview_message(template=template, person=french, names={"program": "Awards"})
    assert (preview["language"], preview["text_language"], preview["subject"]) == ("fr", "en", "News for Luc")
    assert preview["body"].endswith("see Awards.")
    assert services.preview_message(template=template, person=spanish, language="en", names={})["subject"] == (
        "News for Ana"
    )


# --- Sending ------------------------------------------------------------------------------------


def test_send_queues_one_mail_per_recipient_in_their_language_with_unsubscribe_headers(coordinator, template, send):
    spanish = _person("es", given_name="Ana")
    message, created = send(actor=coordinator, template=template)
    assert created
    assert message.status == "queued"
    assert message.run.status == "succeeded"
    ana = OutboundEmail.objects.get(event_key=f"cohort:{message.pk}:{spanish.pk}")
    assert (ana.language, ana.subject) == ("es", "Noticias para Ana")
    assert ana.headers["List-Unsubscribe-Post"] == "List-Unsubscribe=One-Click"
    assert ana.headers["List-Unsubscribe"].startswith(f"<{settings.SITE_URL}/es/mail/unsubscribe/")
    assert ana.headers["List-Unsubscribe"][1:-1] in ana.body_text
    sent = [m for m in mail.outbox if m.to == [spanish.email]]
    assert len(sent) == 1
    assert sent[0].extra_headers["List-Unsubscribe-Post"] == "List-Unsubscribe=One-Click"
    assert "Message-ID" in sent[0].extra_headers
    everyone = CohortRecipient.objects.filter(message=message).count()
    assert everyone == OutboundEmail.objects.filter(event_key__startswith=f"cohort:{message.pk}:").count()


def test_transactional_mail_carries_no_unsubscribe_header_and_reaches_the_unsubscribed(db):
    person = _person()
    services.unsubscribe(person=person)
    queued = OutboundEmail.objects.create(
        event_key="decision:1",
        to=person.email,
        subject="Decision",
        body_text="Accepted",
        next_attempt_at=timezone.now(),
    )
    assert send_due_emails() == 1
    assert queued.headers == {}
    assert [m.to for m in mail.outbox] == [[person.email]]
    assert "List-Unsubscribe" not in mail.outbox[0].extra_headers


def test_a_double_submit_queues_once(coordinator, template, send):
    _person()
    token = uuid.uuid4()
    first, created = send(actor=coordinator, template=template, token=token)
    again, created_again = send(actor=coordinator, template=template, token=token)
    assert (created, created_again, again.pk) == (True, False, first.pk)
    assert CohortMessage.objects.count() == 1
    assert OutboundEmail.objects.filter(event_key__startswith="cohort:").count() == first.recipients.count()


def test_a_retried_run_queues_nothing_twice(coordinator, template, send):
    _person()
    message, _created = send(actor=coordinator, template=template)
    before = OutboundEmail.objects.count(), CohortRecipient.objects.count()
    message.status = "queuing"  # as if the worker died before it recorded the end
    services.queue_message_mail(message=message)
    assert (OutboundEmail.objects.count(), CohortRecipient.objects.count()) == before


def test_a_cohort_that_matches_nobody_is_refused_and_nothing_is_queued(coordinator, template, send):
    empty = CohortCriteria(country_id=CountryFactory().pk)
    with pytest.raises(ValidationError) as caught:
        send(actor=coordinator, template=template, criteria=empty)
    assert caught.value.code == "empty"
    assert (CohortMessage.objects.count(), OutboundEmail.objects.count()) == (0, 0)


def test_a_cohort_everyone_left_is_refused(coordinator, template, send):
    country = CountryFactory()
    services.unsubscribe(person=_person(country_of_practice=country))
    with pytest.raises(ValidationError) as caught:
        send(actor=coordinator, template=template, criteria=CohortCriteria(country_id=country.pk))
    assert caught.value.code == "none_left"
    assert CohortMessage.objects.count() == 0


def test_unsubscribed_people_are_skipped_and_counted(coordinator, template, send):
    country = CountryFactory()
    stays, leaves = _person(country_of_practice=country), _person(country_of_practice=country)
    PersonFactory(country_of_practice=country, email="")
    services.unsubscribe(person=leaves)
    criteria = CohortCriteria(country_id=country.pk)
    count = count_cohort(criteria, today=TODAY)
    assert (count.matched, count.unsubscribed, count.no_address, count.to_send) == (3, 1, 1, 1)
    message, _created = send(actor=coordinator, template=template, criteria=criteria)
    outcomes = dict(message.recipients.values_list("person_id", "outcome"))
    assert outcomes[stays.pk] == "queued"
    assert outcomes[leaves.pk] == "unsubscribed"
    assert sorted(outcomes.values()) == ["no_address", "queued", "unsubscribed"]
    assert [m.to for m in mail.outbox] == [[stays.email]]


def test_the_texts_sent_do_not_change_when_the_template_is_edited(coordinator, template, send):
    _person()
    message, _created = send(actor=coordinator, template=template)
    services.save_template(
        actor=coordinator, name="Other", subjects={"en": "New"}, bodies={"en": "New"}, template=template
    )
    message.refresh_from_db()
    assert message.subjects["en"] == "News for {first_name}"


# --- Cohort filters -----------------------------------------------------------------------------


def test_cohort_by_role_status_program_and_cycle(db):
    call = CallFactory()
    accepted = ApplicationFactory(call=call, status="accepted").applicant
    ApplicationFactory(call=call, status="rejected")
    ApplicationFactory(status="accepted")  # another program
    by_program = CohortCriteria(program_id=call.cycle.program_id, status="applicant:accepted")
    by_cycle = CohortCriteria(cycle_id=call.cycle_id, role="applicant", status="applicant:accepted")
    anyone_in_program = CohortCriteria(program_id=call.cycle.program_id)
    assert count_cohort(by_program, today=TODAY).matched == 1
    assert count_cohort(by_cycle, today=TODAY).matched == 1
    assert count_cohort(anyone_in_program, today=TODAY).matched == 2
    from oncoreach.messaging.cohorts import cohort_people

    assert list(cohort_people(by_program, today=TODAY)) == [accepted]


def test_cohort_by_income_group_as_of_a_date_and_language(db):
    country = CountryFactory()
    IncomeClassificationFactory(country=country, fiscal_year=2025, income_group="L")
    IncomeClassificationFactory(country=country, fiscal_year=2026, income_group="LM")
    spanish = _person("es", country_of_practice=country)
    english = PersonFactory(country_of_practice=country)  # no login: English
    low_in_2025 = CohortCriteria(income_group="L", income_on="2025-01-15")
    assert count_cohort(low_in_2025, today=TODAY).matched == 2
    assert count_cohort(CohortCriteria(income_group="L"), today=TODAY).matched == 0
    from oncoreach.messaging.cohorts import cohort_people

    assert list(cohort_people(CohortCriteria(language="es", country_id=country.pk), today=TODAY)) == [spanish]
    assert list(cohort_people(CohortCriteria(language="en", country_id=country.pk), today=TODAY)) == [english]


@pytest.mark.parametrize(
    ("criteria", "code"),
    [
        (CohortCriteria(role="reviewer", status="applicant:accepted"), "status_role"),
        (CohortCriteria(status="applicant:nonsense"), "status"),
        (CohortCriteria(role="member", program_id=1), "role_program"),
    ],
)
def test_filters_that_cannot_go_together_get_a_specific_error(db, criteria, code):
    with pytest.raises(ValidationError) as caught:
        count_cohort(criteria, today=TODAY)
    assert caught.value.code == code


# --- Unsubscribing ------------------------------------------------------------------------------


def test_unsubscribe_link_forged_expired_and_reused(db):
    person = _person()
    token = make_token(person_id=person.pk, message_id=None)
    with pytest.raises(ValidationError) as forged:
        services.person_for_token(token=token[:-2] + ("AA" if not token.endswith("AA") else "BB"))
    assert forged.value.code == "bad"
    with pytest.raises(ValidationError) as other:
        services.person_for_token(
            token=make_token(person_id=person.pk, message_id=None).replace(f"{person.pk}.", "999999.", 1)
        )
    assert other.value.code == "bad"
    with (
        time_machine.travel(dt.datetime.now(dt.UTC) + dt.timedelta(days=366)),
        pytest.raises(ValidationError) as expired,
    ):
        services.person_for_token(token=token)
    assert expired.value.code == "expired"
    found, _message = services.person_for_token(token=token)
    assert services.unsubscribe(person=found) is True
    assert services.unsubscribe(person=found) is False  # reused: fine, nothing changes
    assert Unsubscription.objects.filter(person=person).count() == 1


def test_resubscribe_brings_cohort_messages_back(coordinator, template, send):
    person = _person()
    services.unsubscribe(person=person)
    assert services.resubscribe(person=person, actor=person.user) is True
    assert services.resubscribe(person=person, actor=person.user) is False
    message, _created = send(actor=coordinator, template=template)
    assert message.recipients.get(person=person).outcome == "queued"
