"""Our pages parse as strict HTML5, have one <h1>, and label every field (ARCHITECTURE.md §6)."""

import html5lib
import pytest
from django.urls import reverse

pytestmark = [pytest.mark.integration]

ANONYMOUS_PAGES = [
    "accounts:login",
    "accounts:password-reset",
    "accounts:password-reset-done",
    "people:signup",
    "people:signup-done",
    "people:resend-confirmation",
    "people:get-involved",
    "people:get-involved-thanks",
]
STAFF_PAGES = [
    "people:dashboard",
    "people:profile-edit",
    "people:affiliations",
    "people:person-list",
    "people:organization-list",
    "people:inquiry-list",
    "accounts:password-change",
]


def _problems(html):
    document = html5lib.HTMLParser(strict=True, namespaceHTMLElements=False).parse(html)
    problems = []
    if len(document.findall(".//h1")) != 1:
        problems.append("not exactly one h1")
    labelled = {label.get("for") for label in document.iter("label")}
    for field in [*document.iter("input"), *document.iter("select"), *document.iter("textarea")]:
        if field.get("type") not in ("hidden", "submit") and field.get("id") not in labelled:
            problems.append(f"unlabelled {field.get('name')}")
    return problems


def test_anonymous_pages_are_valid_and_labelled(client, db):
    problems = {name: _problems(client.get(reverse(name)).content.decode()) for name in ANONYMOUS_PAGES}

    assert problems == {name: [] for name in ANONYMOUS_PAGES}


def test_pages_with_errors_are_valid_and_labelled(client, db):
    response = client.post(reverse("people:signup"), {"email": "not an address"})

    assert _problems(response.content.decode()) == []


def test_signed_in_pages_are_valid_and_labelled(client, coordinator):
    client.force_login(coordinator)

    problems = {name: _problems(client.get(reverse(name)).content.decode()) for name in STAFF_PAGES}

    assert problems == {name: [] for name in STAFF_PAGES}
