"""Personal access tokens: hashed at rest, scoped, expiring, revocable, last use recorded sparingly;
and every refusal has its own code."""

import datetime as dt

import pytest
import time_machine
from django.core.exceptions import PermissionDenied, ValidationError

from oncoreach.api.models import AccessToken
from oncoreach.api.services import create_token, record_token_use, revoke_token
from oncoreach.api.tokens import hash_secret, parse_token
from oncoreach.core.models import AuditEvent
from tests.api.conftest import bearer, error_code
from tests.factories.api import make_token

pytestmark = [pytest.mark.integration, pytest.mark.django_db]


def test_create_token_stores_only_a_hash_and_shows_the_secret_once(coordinator):
    issued = create_token(user=coordinator, name=" Report ", scopes=["people:read"], lifetime_days=30)
    parts = parse_token(issued.secret)
    row = AccessToken.objects.get()
    assert issued.secret.startswith("oncr_")
    assert (row.name, row.key_id, row.secret_hash) == ("Report", parts.key_id, hash_secret(parts.secret))
    assert parts.secret not in str(AccessToken.objects.values().get())
    assert AuditEvent.objects.filter(action="api.token_created").count() == 1


@pytest.mark.parametrize(
    ("name", "scopes", "days", "field"),
    [
        ("", ["people:read"], 30, "name"),
        ("x", [], 30, "scopes"),
        ("x", ["people:fly"], 30, "scopes"),
        ("x", ["people:read"], 3650, "lifetime_days"),
    ],
)
def test_create_token_refuses_bad_input(coordinator, name, scopes, days, field):
    with pytest.raises(ValidationError) as raised:
        create_token(user=coordinator, name=name, scopes=scopes, lifetime_days=days)
    assert list(raised.value.message_dict) == [field]
    assert not AccessToken.objects.exists()


def test_create_token_refuses_someone_without_staff_rights(member):
    with pytest.raises(PermissionDenied):
        create_token(user=member, name="x", scopes=["people:read"], lifetime_days=30)


def test_revoke_is_idempotent(coordinator):
    token, _secret = make_token(coordinator, "people:read")
    revoke_token(token=token, actor=coordinator)
    first = token.revoked_at
    revoke_token(token=token, actor=coordinator)
    assert (token.revoked_at, AuditEvent.objects.filter(action="api.token_revoked").count()) == (first, 1)


def test_last_use_is_written_at_most_once_a_minute(coordinator):
    token, _secret = make_token(coordinator, "people:read")
    start = dt.datetime(2026, 5, 1, 9, 0, tzinfo=dt.UTC)
    written = [
        record_token_use(token=token, ip="192.0.2.1", now=start),
        record_token_use(token=token, ip="192.0.2.2", now=start + dt.timedelta(seconds=30)),
        record_token_use(token=token, ip="192.0.2.3", now=start + dt.timedelta(seconds=61)),
    ]
    token.refresh_from_db()
    assert written == [True, False, True]
    assert (token.last_used_at, token.last_used_ip) == (start + dt.timedelta(seconds=61), "192.0.2.3")


def test_a_stale_copy_does_not_write_twice_in_a_minute(coordinator):
    token, _secret = make_token(coordinator, "people:read")
    other_process_copy = AccessToken.objects.get(pk=token.pk)
    now = dt.datetime(2026, 5, 1, 9, 0, tzinfo=dt.UTC)
    assert record_token_use(token=token, ip=None, now=now) is True
    assert record_token_use(token=other_process_copy, ip=None, now=now + dt.timedelta(seconds=5)) is False


def test_a_request_records_use_and_address(client, coordinator):
    token, secret = make_token(coordinator, "people:read")
    with time_machine.travel(dt.datetime(2026, 5, 1, 9, 0, tzinfo=dt.UTC), tick=False):
        assert client.get("/api/v1/people", REMOTE_ADDR="198.51.100.7", **bearer(secret)).status_code == 200
    token.refresh_from_db()
    assert (token.last_used_at, token.last_used_ip) == (dt.datetime(2026, 5, 1, 9, 0, tzinfo=dt.UTC), "198.51.100.7")


# --- Refusals -------------------------------------------------------------------------------------


def refusal(response):
    return response.status_code, error_code(response)


def test_no_token_is_not_authenticated(client):
    response = client.get("/api/v1/people")
    assert refusal(response) == (401, "not_authenticated")
    assert response["WWW-Authenticate"].startswith("Bearer")


@pytest.mark.parametrize("header", ["Basic dXNlcjpwYXNz", "Bearer", "Bearer oncr_short", "Bearer not-ours-at-all"])
def test_a_malformed_or_unknown_token_is_invalid(client, header):
    assert refusal(client.get("/api/v1/people", HTTP_AUTHORIZATION=header)) == (401, "invalid_token")


def test_a_token_with_a_wrong_secret_is_invalid(client, coordinator):
    _token, secret = make_token(coordinator, "people:read")
    assert refusal(client.get("/api/v1/people", **bearer(secret[:-2] + "xx"))) == (401, "invalid_token")


def test_a_revoked_token_says_so(client, coordinator):
    _token, secret = make_token(coordinator, "people:read", revoked=True)
    assert refusal(client.get("/api/v1/people", **bearer(secret))) == (401, "token_revoked")


def test_an_expired_token_says_so(client, coordinator):
    _token, secret = make_token(coordinator, "people:read", expired=True)
    assert refusal(client.get("/api/v1/people", **bearer(secret))) == (401, "token_expired")


def test_a_disabled_account_token_says_so(client, coordinator):
    _token, secret = make_token(coordinator, "people:read")
    coordinator.is_active = False
    coordinator.save()
    assert refusal(client.get("/api/v1/people", **bearer(secret))) == (401, "account_inactive")


def test_a_token_without_the_scope_is_forbidden(client, coordinator):
    _token, secret = make_token(coordinator, "calls:read")
    response = client.get("/api/v1/people", **bearer(secret))
    assert refusal(response) == (403, "insufficient_scope")
    assert 'scope="people:read"' in response["WWW-Authenticate"]


def test_a_write_scope_includes_the_areas_read_scope(client, coordinator):
    from tests.factories.workshops import CourseFactory

    course = CourseFactory()
    _token, secret = make_token(coordinator, "courses:write")
    assert client.get(f"/api/v1/courses/{course.slug}/registrations", **bearer(secret)).status_code == 200


def test_a_token_whose_owner_lost_staff_rights_sees_nothing(client, coordinator):
    _token, secret = make_token(coordinator, "people:read")
    coordinator.groups.clear()
    assert refusal(client.get("/api/v1/people", **bearer(secret))) == (403, "permission_denied")
