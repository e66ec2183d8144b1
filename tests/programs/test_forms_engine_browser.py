"""forms_engine.js in a real browser (the builder's preview page): a condition hides and shows
its question as the answer changes, a section's condition hides its questions, "Add a row" adds
a row without a round trip and the group's total follows the amounts typed.

Headless Chromium from the system (/usr/bin/chromium: the shared ``browser`` fixture in
tests/browser.py) against pytest-django's live server.
"""

from __future__ import annotations

import os

import pytest

from oncoreach.programs.forms_engine import create_form_definition

os.environ["DJANGO_ALLOW_ASYNC_UNSAFE"] = "true"

playwright_sync = pytest.importorskip("playwright.sync_api")

pytestmark = [pytest.mark.e2e, pytest.mark.django_db(transaction=True, serialized_rollback=True)]

PASSWORD = "correct horse battery"


def test_conditions_and_rows_work_in_the_browser(initial_data, live_server, browser, coordinator):
    form = create_form_definition(
        name="Grant",
        questions=[
            {"kind": "yes_no", "key": "cofunded", "label": "Any co-funding?"},
            {
                "kind": "short_text",
                "key": "cofunder",
                "label": "Who co-funds it?",
                "condition": {"key": "cofunded", "op": "equals", "values": ["yes"]},
            },
            {
                "kind": "section",
                "key": "clinical",
                "label": "Clinical work",
                "condition": {"key": "cofunded", "op": "equals", "values": ["no"]},
            },
            {"kind": "short_text", "key": "site", "label": "Which hospital?"},
            {
                "kind": "group",
                "key": "budget",
                "label": "Budget",
                "currency": "USD",
                "columns": [
                    {"kind": "short_text", "key": "item", "label": "Item"},
                    {"kind": "money", "key": "amount", "label": "Amount"},
                ],
            },
        ],
    )
    context = browser.new_context(base_url=live_server.url)
    context.set_default_timeout(10_000)
    page = context.new_page()
    path = f"/en/staff/forms/{form.pk}/preview/"
    try:
        page.goto(f"/en/accounts/login/?next={path}")
        page.get_by_label("E-mail address").fill("coordinator@example.org")
        page.get_by_label("Password").fill(PASSWORD)
        page.get_by_role("button", name="Sign in").click()
        page.wait_for_url(f"**{path}")

        cofunder, site = page.get_by_label("Who co-funds it?"), page.get_by_label("Which hospital?")
        assert (cofunder.is_visible(), site.is_visible()) == (False, False)
        page.get_by_label("Any co-funding?").select_option("yes")
        assert (cofunder.is_visible(), site.is_visible()) == (True, False)
        page.get_by_label("Any co-funding?").select_option("no")
        assert (
            cofunder.is_visible(),
            site.is_visible(),
            page.get_by_role("heading", name="Clinical work").is_visible(),
        ) == (
            False,
            True,
            True,
        )

        page.get_by_role("textbox", name="Item 1", exact=True).fill("Flights")
        page.get_by_role("spinbutton", name="Amount (USD) 1", exact=True).fill("1200.50")
        page.get_by_role("button", name="Add a row").click()
        page.get_by_role("textbox", name="Item 2", exact=True).fill("Hotel")
        page.get_by_role("spinbutton", name="Amount (USD) 2", exact=True).fill("99.50")
        assert page.locator("[data-total]").inner_text() == "USD 1,300.00"
        page.get_by_role("button", name="Remove row 1").click()
        assert (
            page.locator(".repeating-group tbody tr").count(),
            page.get_by_role("textbox", name="Item 1", exact=True).input_value(),
        ) == (
            1,
            "Hotel",
        )
        assert page.locator("[data-total]").inner_text() == "USD 99.50"
    finally:
        context.close()
