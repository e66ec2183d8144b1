"""Bad input on every endpoint the schema lists, not only the ones with a hand-written test: an
unknown filter, a malformed cursor and a year out of range each get their specific error in the
error shape (never a 500), and a token used outside its scope changes nothing."""

import pytest

from oncoreach.workshops.models import Registration
from tests.api.conftest import bearer, error_code
from tests.factories.api import make_token
from tests.factories.workshops import RegistrationFactory

pytestmark = [pytest.mark.integration, pytest.mark.django_db]

#: A token for every staff scope, so the sweep reaches past authentication.
ALL_READ = ("people:read", "calls:read", "courses:read")


@pytest.fixture
def list_operations(client):
    """(path, query parameters, scope or None) of every GET without a path parameter."""
    schema = client.get("/api/v1/openapi.json").json()
    found = []
    for path, methods in schema["paths"].items():
        operation = methods.get("get")
        if operation is None or "{" in path or path.endswith("openapi.json"):
            continue
        parameters = {p["name"]: p.get("schema", {}) for p in operation.get("parameters", []) if p["in"] == "query"}
        found.append((path.removesuffix("/"), parameters, "security" in operation))
    assert len(found) >= 5, found  # the sweep really covers the API
    return found


@pytest.fixture
def staff_headers(coordinator):
    _token, secret = make_token(coordinator, *ALL_READ)
    return bearer(secret)


def _bounds(schema):
    """The minimum and maximum of an integer parameter (directly or inside anyOf)."""
    for part in [schema, *schema.get("anyOf", [])]:
        if part.get("type") == "integer" and "minimum" in part and "maximum" in part:
            return part["minimum"], part["maximum"]
    return None


def test_every_list_refuses_an_unknown_filter_naming_it(client, list_operations, staff_headers):
    for path, _parameters, staff in list_operations:
        response = client.get(path, {"colour": "red"}, **(staff_headers if staff else {}))
        assert (path, response.status_code, error_code(response)) == (path, 400, "unknown_parameter")
        assert response.json()["error"]["details"][0]["field"] == "colour"


def test_every_paged_list_refuses_a_malformed_cursor(client, list_operations, staff_headers):
    paged = [(path, staff) for path, parameters, staff in list_operations if "cursor" in parameters]
    assert paged
    for path, staff in paged:
        for cursor in ("garbage", "eyJzIjoiIn0:forged:signature"):
            response = client.get(path, {"cursor": cursor}, **(staff_headers if staff else {}))
            assert (path, response.status_code, error_code(response)) == (path, 400, "invalid_cursor")


def test_every_year_filter_refuses_a_year_out_of_range(client, list_operations, staff_headers):
    checked = []
    for path, parameters, staff in list_operations:
        for name, schema in parameters.items():
            bounds = _bounds(schema)
            if "year" not in name or bounds is None:
                continue
            for year in (bounds[0] - 1, bounds[1] + 1):
                response = client.get(path, {name: year}, **(staff_headers if staff else {}))
                assert (path, name, response.status_code, error_code(response)) == (
                    path,
                    name,
                    422,
                    "validation_failed",
                )
                assert response.json()["error"]["details"][0]["field"] == name
            checked.append((path, name))
    assert checked  # stories and impact at least


def test_a_read_token_cannot_write_and_nothing_changes(client, coordinator):
    registration = RegistrationFactory(status="accepted")
    _token, secret = make_token(coordinator, "courses:read")

    response = client.post(
        f"/api/v1/registrations/{registration.pk}/attendance",
        {"attended": True},
        content_type="application/json",
        **bearer(secret),
    )

    assert (response.status_code, error_code(response)) == (403, "insufficient_scope")
    assert 'scope="courses:write"' in response["WWW-Authenticate"]
    assert Registration.objects.values_list("status", "certificate_code").get(pk=registration.pk) == ("accepted", None)
