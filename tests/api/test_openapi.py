"""The OpenAPI schema documents every status an endpoint can return; the docs page is local."""

import pytest

pytestmark = [pytest.mark.integration, pytest.mark.django_db]


@pytest.fixture
def schema(client):
    response = client.get("/api/v1/openapi.json")
    assert response.status_code == 200
    return response.json()


def operations(schema):
    for path, methods in schema["paths"].items():
        for method, operation in methods.items():
            yield path, method, operation


def test_every_operation_documents_its_error_statuses(schema):
    for path, method, operation in operations(schema):
        codes = set(operation["responses"])
        expected = {"200", "400", "422", "429", "500"}
        if "security" in operation:
            expected |= {"401", "403"}
        if "{" in path:
            expected.add("404")
        if method == "get":
            expected.add("304")
        else:
            expected.add("409")
        assert codes == expected, (path, method)
        assert operation["responses"]["422"]["content"]["application/json"]["schema"] == {
            "$ref": "#/components/schemas/ErrorResponse"
        }


def test_staff_operations_name_their_scope(schema):
    scopes = {
        (path, method): operation.get("x-required-scope")
        for path, method, operation in operations(schema)
        if "security" in operation
    }
    assert scopes == {
        ("/api/v1/people", "get"): "people:read",
        ("/api/v1/calls/{slug}/applications", "get"): "calls:read",
        ("/api/v1/courses/{slug}/registrations", "get"): "courses:read",
        ("/api/v1/registrations/{registration_id}/attendance", "post"): "courses:write",
    }


def test_docs_page_loads_nothing_from_elsewhere(client):
    response = client.get("/api/v1/docs")
    page = response.content.decode()
    assert response.status_code == 200
    assert "/static/ninja/swagger-ui-bundle.js" in page
    assert "http://" not in page
    assert "https://" not in page
    assert "'unsafe-inline'" not in response["Content-Security-Policy"]


def test_the_api_refuses_to_start_with_an_unlisted_scope():
    from ninja import Router

    from oncoreach.api.builder import build_api
    from oncoreach.core.apikit import TokenAuth

    router = Router()

    @router.get("/secret", auth=TokenAuth("secrets:read"))
    def read_secret(request):
        return {}

    import sys

    sys.modules[__name__].unlisted_router = router
    with pytest.raises(ValueError, match="secrets:read"):
        build_api(routers=[("", f"{__name__}.unlisted_router")], version="test", description="")
