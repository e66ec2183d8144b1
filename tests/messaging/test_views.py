import uuid

import pytest
from django.test import Client
from django.urls import reverse
from django.utils import translation

from oncoreach.core.models import OutboundEmail
from oncoreach.messaging import services
from oncoreach.messaging.models import CohortMessage, MessageTemplate, Unsubscription
from oncoreach.messaging.tokens import make_token
from tests.factories.accounts import UserFactory
from tests.factories.geo import CountryFactory
from tests.factories.people import PersonFactory

pytestmark = [pytest.mark.integration]


def _compose(client, template, action, **extra):
    data = {"template": template.pk, "submission_token": str(uuid.uuid4()), "action": action, **extra}
    return client.post(reverse("messaging:compose"), data)


@pytest.mark.parametrize(
    "name", ["messaging:message-list", "messaging:compose", "messaging:template-list", "messaging:template-create"]
)
def test_staff_pages_refuse_an_outsider(client, outsider, name):
    client.force_login(outsider)
    assert client.get(reverse(name)).status_code == 403


def test_message_pages_refuse_an_outsider(client, outsider, coordinator, template, send):
    PersonFactory()
    message, _created = send(actor=coordinator, template=template)
    client.force_login(outsider)
    assert client.get(reverse("messaging:message-detail", args=[message.pk])).status_code == 403
    assert client.get(reverse("messaging:message-export", args=[message.pk])).status_code == 403
    assert client.get(reverse("messaging:template-edit", args=[template.pk])).status_code == 403


def test_template_form_saves_and_names_an_unknown_placeholder(client, coordinator):
    client.force_login(coordinator)
    url = reverse("messaging:template-create")
    bad = client.post(url, {"name": "News", "subject_en": "Hi {nickname}", "body_en": "Hello"})
    assert bad.status_code == 200
    assert "{nickname}" in bad.content.decode()
    assert MessageTemplate.objects.count() == 0
    good = client.post(
        url,
        {"name": "News", "subject_en": "Hi {first_name}", "body_en": "Hello", "subject_es": "Hola", "body_es": "Hola"},
    )
    assert good.status_code == 302
    assert MessageTemplate.objects.get().subjects == {"en": "Hi {first_name}", "es": "Hola"}


def test_compose_counts_previews_and_sends(client, coordinator, template, django_capture_on_commit_callbacks):
    country = CountryFactory()
    ana = PersonFactory(country_of_practice=country, given_name="Ana", user=UserFactory(preferred_language="es"))
    services.unsubscribe(person=PersonFactory(country_of_practice=country))
    client.force_login(coordinator)
    counted = _compose(client, template, "count", country=country.pk)
    assert "1 recipient</strong>, 1 unsubscribed skipped" in counted.content.decode()
    preview = _compose(client, template, "preview", country=country.pk, preview_person=ana.pk)
    assert "Noticias para Ana" in preview.content.decode()
    in_english = _compose(client, template, "preview", country=country.pk, preview_person=ana.pk, preview_language="en")
    assert "News for Ana" in in_english.content.decode()
    token = str(uuid.uuid4())
    with django_capture_on_commit_callbacks(execute=True):
        sent = _compose(client, template, "send", country=country.pk, submission_token=token)
        again = _compose(client, template, "send", country=country.pk, submission_token=token)
    message = CohortMessage.objects.get()
    assert sent["Location"] == again["Location"] == reverse("messaging:message-detail", args=[message.pk])
    assert OutboundEmail.objects.filter(event_key__startswith="cohort:").count() == 1
    detail = client.get(sent["Location"])
    assert "Ana" in detail.content.decode()
    export = client.get(reverse("messaging:message-export", args=[message.pk]))
    lines = export.content.decode().splitlines()
    assert lines[0].startswith("person_id,name,email")
    assert len(lines) == 3


def test_compose_empty_cohort_gets_a_specific_error_and_sends_nothing(client, coordinator, template):
    client.force_login(coordinator)
    response = _compose(client, template, "send", country=CountryFactory().pk)
    assert "No one matches this cohort" in response.content.decode()
    assert CohortMessage.objects.count() == 0


def test_an_empty_cohort_and_an_unknown_placeholder_are_refused_in_the_readers_language(client, coordinator, template):
    client.force_login(coordinator)
    with translation.override("es"):
        compose, create = reverse("messaging:compose"), reverse("messaging:template-create")
    data = {"template": template.pk, "submission_token": str(uuid.uuid4()), "action": "send"}

    empty = client.post(compose, data | {"country": CountryFactory().pk})
    unknown = client.post(create, {"name": "News", "subject_en": "Hola {apodo}", "body_en": "Hola"})

    assert "Nadie corresponde a este grupo: cambie los filtros. No se envió nada." in empty.content.decode()
    assert "El marcador {apodo} no existe." in unknown.content.decode()
    assert (CohortMessage.objects.count(), MessageTemplate.objects.count(), OutboundEmail.objects.count()) == (0, 1, 0)


@pytest.mark.parametrize("messages", [1, 3])
def test_message_list_queries_do_not_grow(client, coordinator, template, send, django_assert_num_queries, *, messages):
    PersonFactory()
    for _ in range(messages):
        send(actor=coordinator, template=template)
    client.force_login(coordinator)
    with django_assert_num_queries(5):
        response = client.get(reverse("messaging:message-list"))
    assert response.status_code == 200
    assert len(response.context["page"]) == messages


def test_unsubscribe_get_asks_and_a_one_click_post_unsubscribes_without_signing_in(db):
    person = PersonFactory()
    url = reverse("mail:unsubscribe", args=[make_token(person_id=person.pk, message_id=None)])
    strict = Client(enforce_csrf_checks=True)
    page = strict.get(url)
    assert page.status_code == 200
    assert Unsubscription.objects.count() == 0  # a link scanner's GET changes nothing
    done = strict.post(url, {"List-Unsubscribe": "One-Click"})
    assert done.status_code == 200
    again = strict.post(url, {"List-Unsubscribe": "One-Click"})
    assert again.status_code == 200
    assert list(Unsubscription.objects.values_list("person_id", flat=True)) == [person.pk]


def test_a_forged_unsubscribe_link_is_refused(client, db):
    person = PersonFactory()
    url = reverse("mail:unsubscribe", args=[f"{person.pk}.0:forged:signature"])
    response = client.post(url)
    assert response.status_code == 400
    assert Unsubscription.objects.count() == 0


def test_preferences_resubscribe_from_the_account_page(client, member):
    person = member.person
    services.unsubscribe(person=person)
    client.force_login(member)
    page = client.get(reverse("mail:preferences"))
    assert "Receive program messages again" in page.content.decode()
    client.post(reverse("mail:preferences"), {"subscribe": "1"})
    assert Unsubscription.objects.count() == 0
    client.post(reverse("mail:preferences"), {"subscribe": "0"})
    assert list(Unsubscription.objects.values_list("person_id", flat=True)) == [person.pk]


def test_preferences_need_a_sign_in(client, db):
    response = client.get(reverse("mail:preferences"))
    assert response.status_code == 302
