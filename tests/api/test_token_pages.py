"""The API tokens page: program staff make, list and revoke their own tokens (not the admin)."""

import pytest
from django.urls import reverse

from oncoreach.api.models import AccessToken
from tests.factories.api import make_token

pytestmark = [pytest.mark.integration, pytest.mark.django_db]

URL = "/en/staff/api-tokens/"


def test_token_page_lists_only_my_tokens(client, coordinator, administrator):
    make_token(coordinator, "people:read", name="Mine")
    make_token(administrator, "people:read", name="The administrator's")
    client.force_login(coordinator)
    response = client.get(URL)
    assert response.status_code == 200
    assert [token.name for token in response.context["tokens"]] == ["Mine"]
    assert response["Cache-Control"] == "private, no-store"


def test_making_a_token_shows_the_secret_once(client, coordinator):
    client.force_login(coordinator)
    response = client.post(
        URL, {"name": "Board report", "scopes": ["people:read", "calls:read"], "lifetime_days": "30"}
    )
    token = AccessToken.objects.get()
    secret = response.context["secret"]
    assert (response.status_code, token.name, token.scopes) == (201, "Board report", ["calls:read", "people:read"])
    assert secret.startswith(f"oncr_{token.key_id}_")
    assert secret in response.content.decode()
    assert secret not in client.get(URL).content.decode()


def test_making_a_token_without_a_scope_changes_nothing(client, coordinator):
    client.force_login(coordinator)
    response = client.post(URL, {"name": "Nothing", "lifetime_days": "30"})
    assert (response.status_code, AccessToken.objects.count()) == (400, 0)
    assert response.context["form"].errors["scopes"]


def test_revoking_my_token(client, coordinator):
    token, _secret = make_token(coordinator, "people:read")
    client.force_login(coordinator)
    response = client.post(reverse("api:token-revoke", args=[token.pk]))
    token.refresh_from_db()
    assert (response.status_code, token.is_revoked) == (302, True)


def test_revoking_someone_elses_token_is_not_found(client, coordinator, administrator):
    token, _secret = make_token(administrator, "people:read")
    client.force_login(coordinator)
    assert client.post(reverse("api:token-revoke", args=[token.pk])).status_code == 404
    token.refresh_from_db()
    assert token.is_revoked is False


@pytest.mark.parametrize("persona", ["member", "editor", "outsider"])
def test_token_page_refuses_people_without_staff_rights(client, request, persona):
    client.force_login(request.getfixturevalue(persona))
    assert client.get(URL).status_code == 403
    assert client.post(URL, {"name": "x", "scopes": ["people:read"], "lifetime_days": "30"}).status_code == 403
    assert not AccessToken.objects.exists()


def test_token_page_asks_anonymous_readers_to_sign_in(client):
    assert client.get(URL).status_code == 302


@pytest.mark.parametrize("count", [1, 3])
def test_token_page_query_count_is_constant(client, coordinator, django_assert_num_queries, count):
    for number in range(count):
        make_token(coordinator, "people:read", name=f"Token {number}")
    client.force_login(coordinator)
    with django_assert_num_queries(4):
        assert client.get(URL).status_code == 200
