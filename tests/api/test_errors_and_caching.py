"""Bad input gets a specific error in the one error shape; GETs carry ETag and Cache-Control."""

import datetime as dt

import pytest
from django.core import signing
from django.utils import timezone

from oncoreach.core.apikit.pagination import CURSOR_SALT
from tests.api.conftest import bearer, error_code
from tests.factories.api import make_token
from tests.factories.stories import make_story
from tests.factories.workshops import CourseFactory

pytestmark = [pytest.mark.integration, pytest.mark.django_db]


def test_unknown_filter_is_refused_naming_it(client):
    response = client.get("/api/v1/courses?colour=red&when=all")
    assert (response.status_code, error_code(response)) == (400, "unknown_parameter")
    assert response.json()["error"]["details"][0]["field"] == "colour"
    assert "colour" in response.json()["error"]["message"]


def test_year_out_of_range_is_refused_with_the_field(client):
    response = client.get("/api/v1/stories?year=1800")
    assert (response.status_code, error_code(response)) == (422, "validation_failed")
    detail = response.json()["error"]["details"][0]
    assert (detail["field"], detail["location"], detail["code"]) == ("year", "query", "greater_than_equal")
    assert detail["message"] == "Enter a value of at least 1950."


def test_a_filter_value_of_the_wrong_kind_is_refused(client):
    response = client.get("/api/v1/courses?when=tomorrow")
    assert (response.status_code, error_code(response)) == (422, "validation_failed")
    assert response.json()["error"]["details"][0]["field"] == "when"


@pytest.mark.parametrize(
    "cursor",
    [
        "garbage",
        signing.Signer(salt=CURSOR_SALT).sign_object({"s": "stories.storypage:-date,-pk", "k": ["2026-01-01"]}),
        signing.Signer(salt=CURSOR_SALT).sign_object({"s": "workshops.course:start_date,pk", "k": ["2026-01-01", 1]}),
        signing.Signer(salt=CURSOR_SALT).sign_object({"s": "stories.storypage:-date,-pk", "k": ["not a date", 1]}),
        signing.Signer(salt="another-salt").sign_object({"s": "stories.storypage:-date,-pk", "k": ["2026-01-01", 1]}),
    ],
    ids=["malformed", "short-key", "other-list", "bad-value", "forged"],
)
def test_a_bad_cursor_is_refused(client, cursor):
    response = client.get("/api/v1/stories", {"cursor": cursor})
    assert (response.status_code, error_code(response)) == (400, "invalid_cursor")


def test_unknown_api_path_answers_in_the_error_shape(client):
    response = client.get("/api/v1/no-such-thing")
    assert (response.status_code, error_code(response), response["Content-Type"]) == (
        404,
        "not_found",
        "application/json",
    )


def test_method_not_allowed_keeps_allow(client):
    response = client.delete("/api/v1/stories")
    assert (response.status_code, error_code(response), response["Allow"]) == (405, "method_not_allowed", "GET")


def test_error_messages_follow_accept_language(client):
    response = client.get("/api/v1/stories?year=1800", HTTP_ACCEPT_LANGUAGE="es")
    assert response.json()["error"]["details"][0]["message"] == "Introduzca un valor de al menos 1950."


def test_a_crash_is_a_500_in_the_error_shape(client, monkeypatch):
    from oncoreach.stories import selectors

    def broken(**_kwargs):
        raise RuntimeError("boom")

    monkeypatch.setattr(selectors, "stories_for_api", broken)
    response = client.get("/api/v1/stories")
    assert (response.status_code, error_code(response)) == (500, "server_error")
    assert "boom" not in response.content.decode()


def test_get_has_etag_and_if_none_match_gives_304(client, story_index):
    make_story(title="Cached")
    first = client.get("/api/v1/stories")
    assert first["Cache-Control"] == "public, max-age=0, must-revalidate"
    again = client.get("/api/v1/stories", HTTP_IF_NONE_MATCH=first["ETag"])
    assert (again.status_code, again.content, again["ETag"]) == (304, b"", first["ETag"])
    make_story(title="Something new")
    changed = client.get("/api/v1/stories", HTTP_IF_NONE_MATCH=first["ETag"])
    assert changed.status_code == 200
    assert changed["ETag"] != first["ETag"]


def test_public_bodies_do_not_vary_by_language_or_cookie(client):
    CourseFactory()
    english = client.get("/api/v1/courses", HTTP_ACCEPT_LANGUAGE="en")
    spanish = client.get("/api/v1/courses", HTTP_ACCEPT_LANGUAGE="es")
    assert english.content == spanish.content
    assert "Accept-Language" not in english.get("Vary", "")
    assert "Cookie" not in english.get("Vary", "")
    assert spanish["Content-Language"] == "en"


def test_public_responses_are_kept_by_the_page_cache_until_the_next_publish(client, settings, story_index):
    from oncoreach.core.cache import bump_public_generation

    settings.PUBLIC_PAGE_CACHE_SECONDS = 60
    make_story(title="First")
    before = client.get("/api/v1/stories").json()
    make_story(title="Second", live=False).save_revision().publish()  # publishing bumps the generation
    after = client.get("/api/v1/stories").json()
    assert [len(before["items"]), len(after["items"])] == [1, 2]
    assert client.get("/api/v1/courses").json()["items"] == []
    CourseFactory(slug="quiet")  # no publish: the cached list stays until the generation moves
    assert client.get("/api/v1/courses").json()["items"] == []
    bump_public_generation()
    assert [item["slug"] for item in client.get("/api/v1/courses").json()["items"]] == ["quiet"]


def test_public_responses_with_their_filters_are_kept_by_the_page_cache(client, settings):
    """Each endpoint declares its query parameters (mark_public(query=...)), so a filtered or
    paged public list is cached like the plain one."""
    from oncoreach.core.cache import bump_public_generation

    settings.PUBLIC_PAGE_CACHE_SECONDS = 60
    url = "/api/v1/courses?when=upcoming&limit=5"
    assert client.get(url).json()["items"] == []
    CourseFactory(slug="quiet", start_date=timezone.localdate() + dt.timedelta(days=60))
    assert client.get("/api/v1/courses?limit=5&when=upcoming").json()["items"] == []  # same entry, any order
    bump_public_generation()
    assert [item["slug"] for item in client.get(url).json()["items"]] == ["quiet"]


def test_token_responses_are_private(client, coordinator):
    _token, secret = make_token(coordinator, "people:read")
    response = client.get("/api/v1/people", **bearer(secret))
    assert response["Cache-Control"] == "private, no-cache"
    assert "Authorization" in response["Vary"]
    again = client.get("/api/v1/people", HTTP_IF_NONE_MATCH=response["ETag"], **bearer(secret))
    assert again.status_code == 304


def test_errors_are_never_stored(client):
    assert client.get("/api/v1/stories?year=1").headers["Cache-Control"] == "no-store"
