"""Signing in with the society's account, against a real OpenID Connect provider on loopback
(tests/people/oidc_provider.py): the browser's part is played by Django's test client and by
``requests`` following the provider's redirect; our site talks to the provider over HTTP."""

from urllib.parse import parse_qsl, urlencode, urlsplit, urlunsplit

import pytest
import requests
from django.urls import reverse
from django.utils import translation

from oncoreach.accounts.models import ExternalIdentity, User
from oncoreach.core.models import AuditEvent
from oncoreach.people.models import Person
from tests.factories.accounts import UserFactory
from tests.factories.people import PersonFactory
from tests.people.oidc_provider import TestProvider

pytestmark = [pytest.mark.integration]

CLIENT_ID = "oncoreach"
CLIENT_SECRET = "test-client-secret-0123456789"
CALLBACK = "http://127.0.0.1:8000/sso/callback/"  # SITE_URL in the test settings + /sso/callback/


@pytest.fixture(scope="session")
def society_provider():
    provider = TestProvider(client_id=CLIENT_ID, client_secret=CLIENT_SECRET, redirect_uri=CALLBACK).start()
    yield provider
    provider.stop()


@pytest.fixture
def provider(society_provider, settings, db):
    society_provider.reset()
    settings.OIDC_ENABLED = True
    settings.OIDC_ISSUER = society_provider.issuer
    settings.OIDC_RP_CLIENT_ID = CLIENT_ID
    settings.OIDC_RP_CLIENT_SECRET = CLIENT_SECRET
    return society_provider


def _replace_query(url, **changes):
    parts = urlsplit(url)
    query = dict(parse_qsl(parts.query))
    query.update(changes)
    return urlunsplit(parts._replace(query=urlencode(query)))


def _sign_in(client, provider, *, login="ana", authorize=None, callback=None, language="en"):
    """Start at our site, sign in at the provider as ``login``, come back to our callback."""
    provider.sign_in_as(login)
    start = client.get(reverse("sso:login"), HTTP_ACCEPT_LANGUAGE=language)
    assert start.status_code == 302, start.content
    authorize_url = authorize(start["Location"]) if authorize else start["Location"]
    answer = requests.get(authorize_url, allow_redirects=False, timeout=10)
    assert answer.status_code == 302, answer.text
    back = callback(answer.headers["Location"]) if callback else answer.headers["Location"]
    assert back.startswith(CALLBACK)
    parts = urlsplit(back)
    return client.get(f"{parts.path}?{parts.query}", HTTP_ACCEPT_LANGUAGE=language)


def _counts():
    return (
        User.objects.count(),
        Person.objects.count(),
        ExternalIdentity.objects.count(),
        AuditEvent.objects.count(),
    )


def _signed_in_as(client):
    return client.session.get("_auth_user_id")


def _problem(response):
    html = response.content.decode()
    start = html.index('data-problem="') + len('data-problem="')
    return html[start : html.index('"', start)]


# --- configuration ----------------------------------------------------------------------------------------------


def test_login_page_offers_the_society_sign_in_when_configured(client, provider):
    html = client.get(reverse("accounts:login")).content.decode()

    assert "Sign in with MSCO" in html
    assert f'href="{reverse("sso:login")}"' in html
    assert 'name="password"' in html  # the e-mail login stays for people who are not members


def test_without_configuration_there_is_no_society_sign_in(client, db):
    html = client.get(reverse("accounts:login")).content.decode()

    assert "Sign in with MSCO" not in html
    assert client.get(reverse("sso:login"), follow=True).status_code == 404
    assert client.get(reverse("sso:callback") + "?code=x&state=y", follow=True).status_code == 404


def test_sign_in_start_sends_state_nonce_and_pkce_to_the_discovered_endpoint(client, provider):
    response = client.get(reverse("sso:login"))

    parts = urlsplit(response["Location"])
    query = dict(parse_qsl(parts.query))
    assert f"{parts.scheme}://{parts.netloc}{parts.path}" == f"{provider.issuer}/authorize"
    assert (query["client_id"], query["redirect_uri"], query["response_type"]) == (CLIENT_ID, CALLBACK, "code")
    assert {"state", "nonce", "code_challenge"} <= set(query)
    assert query["code_challenge_method"] == "S256"
    assert provider.requests == ["GET /.well-known/openid-configuration"]


# --- happy paths --------------------------------------------------------------------------------------------


def test_first_sign_in_creates_a_login_and_a_person(client, provider):
    subject = provider.add_user(
        "ana", email="Ana@Example.org", email_verified=True, given_name="Ana", family_name="Silva", locale="pt-BR"
    )

    response = _sign_in(client, provider)

    user = User.objects.get(email="ana@example.org")
    person = Person.objects.get(user=user)
    identity = ExternalIdentity.objects.get(user=user)
    assert (response.status_code, response["Location"]) == (302, reverse("people:profile-edit"))
    assert _signed_in_as(client) == str(user.pk)
    assert (user.email_confirmed, user.has_usable_password(), user.preferred_language) == (True, False, "pt")
    assert (person.given_name, person.family_name, person.email) == ("Ana", "Silva", "ana@example.org")
    assert (identity.issuer, identity.subject, identity.email_verified) == (provider.issuer, subject, True)
    assert list(AuditEvent.objects.filter(action="people.society_account_linked").values_list("data", flat=True)) == [
        {"issuer": provider.issuer, "email": "ana@example.org", "linked_to": "new"}
    ]


def test_first_sign_in_links_an_existing_login_by_verified_email(client, provider, member):
    provider.add_user("ana", email="member@example.org", email_verified=True, given_name="Someone", family_name="Else")
    users, people = User.objects.count(), Person.objects.count()

    response = _sign_in(client, provider)

    member.refresh_from_db()
    assert (response.status_code, response["Location"]) == (302, reverse("people:dashboard"))
    assert _signed_in_as(client) == str(member.pk)
    assert (User.objects.count(), Person.objects.count()) == (users, people)
    assert ExternalIdentity.objects.get().user == member
    assert member.check_password("correct horse battery")  # a confirmed account keeps its password
    assert member.person.given_name == "Mina"  # names at the society change nothing here


def test_first_sign_in_links_a_known_person_without_a_login_by_verified_email(client, provider):
    referee = PersonFactory(email="referee@example.org", given_name="Rita", user=None)
    provider.add_user("rita", email="referee@example.org", email_verified=True, given_name="R.")

    _sign_in(client, provider, login="rita")

    referee.refresh_from_db()
    assert referee.user is not None
    assert _signed_in_as(client) == str(referee.user.pk)
    assert (referee.user.email, referee.given_name) == ("referee@example.org", "Rita")


def test_a_first_sign_in_never_links_by_name(client, provider, member):
    provider.add_user(
        "mina", email="mina.elsewhere@example.org", email_verified=True, given_name="Mina", family_name="Member"
    )

    _sign_in(client, provider, login="mina")

    new_user = User.objects.get(email="mina.elsewhere@example.org")
    assert new_user != member
    assert _signed_in_as(client) == str(new_user.pk)
    assert ExternalIdentity.objects.filter(user=member).exists() is False


def test_an_unconfirmed_account_with_that_address_is_linked_and_its_password_stops_working(client, provider):
    squatter = UserFactory(email="ana@example.org", email_confirmed=False)
    provider.add_user("ana", email="ana@example.org", email_verified=True)

    _sign_in(client, provider)

    squatter.refresh_from_db()
    assert _signed_in_as(client) == str(squatter.pk)
    assert (squatter.email_confirmed, squatter.has_usable_password()) == (True, False)


def test_a_returning_member_is_found_by_subject(client, provider):
    provider.add_user("ana", email="ana@example.org", email_verified=True, given_name="Ana")
    _sign_in(client, provider)
    client.logout()
    users = User.objects.count()

    response = _sign_in(client, provider)

    assert (response.status_code, response["Location"]) == (302, reverse("people:dashboard"))
    assert User.objects.count() == users
    assert _signed_in_as(client) == str(User.objects.get(email="ana@example.org").pk)


def test_sign_in_returns_to_the_page_asked_for(client, provider):
    provider.add_user("ana", email="ana@example.org", email_verified=True)
    _sign_in(client, provider)
    client.logout()
    target = reverse("people:affiliations")
    provider.sign_in_as("ana")
    start = client.get(reverse("sso:login") + f"?next={target}")
    answer = requests.get(start["Location"], allow_redirects=False, timeout=10)
    parts = urlsplit(answer.headers["Location"])

    response = client.get(f"{parts.path}?{parts.query}")

    assert response["Location"] == target


# --- a changed e-mail address at the society -------------------------------------------------------------------


def test_a_verified_new_address_at_the_society_updates_the_login(client, provider):
    provider.add_user("ana", email="ana@example.org", email_verified=True, given_name="Ana")
    _sign_in(client, provider)
    client.logout()
    provider.update_user("ana", email="ana.silva@example.org", email_verified=True)

    response = _sign_in(client, provider)

    user = User.objects.get(email="ana.silva@example.org")
    assert _signed_in_as(client) == str(user.pk)
    assert user.person.email == "ana.silva@example.org"
    assert ExternalIdentity.objects.get().email == "ana.silva@example.org"
    assert [str(m) for m in response.wsgi_request._messages] == [
        "Your e-mail address here is now ana.silva@example.org, as in your MSCO account."
    ]
    [data] = AuditEvent.objects.filter(action="people.society_email_changed").values_list("data", flat=True)
    assert (data["old"], data["new"]) == ("ana@example.org", "ana.silva@example.org")


def test_an_unverified_new_address_at_the_society_is_not_used(client, provider):
    provider.add_user("ana", email="ana@example.org", email_verified=True)
    _sign_in(client, provider)
    client.logout()
    provider.update_user("ana", email="ana.new@example.org", email_verified=False)

    _sign_in(client, provider)

    user = User.objects.get(email="ana@example.org")
    assert _signed_in_as(client) == str(user.pk)
    assert User.objects.filter(email="ana.new@example.org").exists() is False
    assert (ExternalIdentity.objects.get().email, ExternalIdentity.objects.get().email_verified) == (
        "ana.new@example.org",
        False,
    )


def test_a_new_address_that_belongs_to_another_account_never_takes_it_over(client, provider, member):
    provider.add_user("ana", email="ana@example.org", email_verified=True)
    _sign_in(client, provider)
    client.logout()
    provider.update_user("ana", email="member@example.org", email_verified=True)

    _sign_in(client, provider)

    ana = User.objects.get(email="ana@example.org")
    member.refresh_from_db()
    assert _signed_in_as(client) == str(ana.pk)
    assert member.email == "member@example.org"
    assert ExternalIdentity.objects.filter(user=member).exists() is False


# --- refusals: each has its own page and changes nothing ----------------------------------------------------


def test_an_unverified_address_is_never_linked_to_an_existing_account(client, provider, member):
    provider.add_user("intruder", email="member@example.org", email_verified=False)
    before = _counts()

    response = _sign_in(client, provider, login="intruder")

    assert (response.status_code, _problem(response)) == (403, "email_unverified")
    assert "Your e-mail address is not verified" in response.content.decode()
    assert _counts() == before
    assert _signed_in_as(client) is None


def test_an_unverified_address_opens_no_new_account_either(client, provider):
    provider.add_user("ana", email="ana@example.org", email_verified=False)
    before = _counts()

    response = _sign_in(client, provider)

    assert (response.status_code, _problem(response)) == (403, "email_unverified")
    assert _counts() == before


def test_an_id_token_for_another_audience_is_refused(client, provider):
    provider.add_user("ana", email="ana@example.org", email_verified=True)
    provider.tamper(aud=["another-site"])
    before = _counts()

    response = _sign_in(client, provider)

    assert (response.status_code, _problem(response)) == (400, "wrong_audience")
    assert "This sign-in was meant for another site" in response.content.decode()
    assert _counts() == before
    assert _signed_in_as(client) is None


def test_an_expired_id_token_is_refused(client, provider):
    provider.add_user("ana", email="ana@example.org", email_verified=True)
    provider.tamper(expires_in=-3600)
    before = _counts()

    response = _sign_in(client, provider)

    assert (response.status_code, _problem(response)) == (400, "expired")
    assert "This sign-in has expired" in response.content.decode()
    assert _counts() == before
    assert _signed_in_as(client) is None


def test_an_id_token_from_another_issuer_is_refused(client, provider):
    provider.add_user("ana", email="ana@example.org", email_verified=True)
    provider.tamper(iss="http://127.0.0.1:1/not-the-society")
    before = _counts()

    response = _sign_in(client, provider)

    assert (response.status_code, _problem(response)) == (400, "wrong_issuer")
    assert _counts() == before


def test_a_wrong_state_is_refused_before_the_provider_is_asked_for_tokens(client, provider):
    provider.add_user("ana", email="ana@example.org", email_verified=True)
    before = _counts()

    response = _sign_in(client, provider, callback=lambda url: _replace_query(url, state="forged-state"))

    assert (response.status_code, _problem(response)) == (400, "wrong_state")
    assert "This sign-in link is not valid" in response.content.decode()
    assert "POST /token" not in provider.requests
    assert _counts() == before
    assert _signed_in_as(client) is None


def test_a_callback_replayed_after_use_is_refused(client, provider):
    provider.add_user("ana", email="ana@example.org", email_verified=True)
    answers = []
    _sign_in(client, provider, callback=lambda url: answers.append(url) or url)
    client.logout()
    parts = urlsplit(answers[0])

    response = client.get(f"{parts.path}?{parts.query}")

    assert (response.status_code, _problem(response)) == (400, "wrong_state")
    assert _signed_in_as(client) is None


def test_a_wrong_nonce_is_refused(client, provider):
    """The authorization request is altered on its way (another nonce): the ID token the provider
    then issues does not belong to the sign-in this browser started."""
    provider.add_user("ana", email="ana@example.org", email_verified=True)
    before = _counts()

    response = _sign_in(client, provider, authorize=lambda url: _replace_query(url, nonce="attacker-nonce"))

    assert (response.status_code, _problem(response)) == (400, "wrong_nonce")
    assert "This sign-in could not be verified" in response.content.decode()
    assert _counts() == before
    assert _signed_in_as(client) is None


@pytest.mark.parametrize(
    ("change", "problem", "spanish"),
    [
        ({"callback": lambda url: _replace_query(url, state="forged-state")}, "wrong_state", "no es válido"),
        ({"authorize": lambda url: _replace_query(url, nonce="attacker-nonce")}, "wrong_nonce", "No se pudo verificar"),
    ],
    ids=["state", "nonce"],
)
def test_a_wrong_state_or_nonce_is_refused_in_the_readers_language(client, provider, change, problem, spanish):
    provider.add_user("ana", email="ana@example.org", email_verified=True)
    before = _counts()

    response = _sign_in(client, provider, language="es", **change)

    assert (response.status_code, _problem(response)) == (400, problem)
    assert spanish in response.content.decode()
    assert _counts() == before
    assert _signed_in_as(client) is None


def test_a_cancelled_sign_in_says_so(client, provider):
    provider.sign_in_as(None)
    start = client.get(reverse("sso:login"))
    answer = requests.get(start["Location"], allow_redirects=False, timeout=10)
    parts = urlsplit(answer.headers["Location"])
    before = _counts()

    response = client.get(f"{parts.path}?{parts.query}")

    assert (response.status_code, _problem(response)) == (200, "cancelled")
    assert _counts() == before


def test_an_account_linked_to_another_society_account_is_not_taken_over(client, provider, member):
    ExternalIdentity.objects.create(user=member, issuer=provider.issuer, subject="someone-else", email_verified=True)
    provider.add_user("ana", email="member@example.org", email_verified=True)
    before = _counts()

    response = _sign_in(client, provider)

    assert (response.status_code, _problem(response)) == (403, "already_linked")
    assert _counts() == before
    assert _signed_in_as(client) is None


def test_a_closed_account_cannot_sign_in_through_the_society(client, provider):
    provider.add_user("ana", email="ana@example.org", email_verified=True)
    _sign_in(client, provider)
    client.logout()
    User.objects.filter(email="ana@example.org").update(is_active=False)

    response = _sign_in(client, provider)

    assert (response.status_code, _problem(response)) == (403, "inactive")
    assert _signed_in_as(client) is None


def test_an_unreachable_provider_gets_its_own_page(client, provider, settings):
    settings.OIDC_ISSUER = "http://127.0.0.1:9"  # the discard port: nothing listens

    response = client.get(reverse("sso:login"))

    assert (response.status_code, _problem(response)) == (503, "unavailable")


def test_refusals_are_translated(client, provider):
    provider.add_user("ana", email="ana@example.org", email_verified=True)
    provider.tamper(expires_in=-3600)

    response = _sign_in(client, provider, language="es")

    with translation.override("es"):
        assert "Este inicio de sesión ha caducado" in response.content.decode()


def test_society_sign_in_is_refused_while_viewing_as_someone(client, provider, administrator, member):
    client.force_login(administrator)
    client.post(reverse("accounts:view-as-start", args=[member.pk]), {"reason": "Helping with a sign-in problem"})

    response = client.get(reverse("sso:login"))

    assert response.status_code == 403
    assert _signed_in_as(client) == str(member.pk)
