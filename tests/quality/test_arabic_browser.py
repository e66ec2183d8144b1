"""The Arabic site in a real browser: it reads right to left, and axe finds nothing serious.

Headless Chromium from the system (/usr/bin/chromium, never downloaded) against pytest-django's
live server. Right to left is measured, not assumed: the computed ``direction``, and the boxes the
browser lays out (the first navigation item on the right, labels above their fields and aligned
on the right). axe-core (shipped inside axe-playwright-python) checks every public page in Arabic
and in English; a finding of impact "serious" or "critical" fails.
"""

from __future__ import annotations

import os

import pytest
from django.urls import reverse, translate_url

from tests.e2e.story_helpers import ensure_story_tree
from tests.factories.stories import make_story

os.environ["DJANGO_ALLOW_ASYNC_UNSAFE"] = "true"

playwright_sync = pytest.importorskip("playwright.sync_api")
axe_playwright = pytest.importorskip("axe_playwright_python.sync_playwright")

pytestmark = [pytest.mark.e2e, pytest.mark.django_db(transaction=True, serialized_rollback=True)]

PIXEL = 2  # rounding of the layout


@pytest.fixture
def page(browser, live_server):
    context = browser.new_context(base_url=live_server.url, viewport={"width": 1200, "height": 900})
    context.set_default_timeout(10_000)
    page = context.new_page()
    yield page
    context.close()


@pytest.fixture
def public_paths(initial_data):
    ensure_story_tree()
    story = make_story(title="Tumor boards in Nairobi", topics=["tumor boards"])
    return [
        "/en/",
        reverse("stories:index"),
        story.url,
        reverse("pages:country-list"),
        reverse("workshops:catalogue"),
        reverse("calls:call-list"),
        reverse("people:get-involved"),
        reverse("accounts:login"),
        reverse("people:signup"),
    ]


def _box(locator) -> dict[str, float]:
    box = locator.bounding_box()
    assert box is not None, f"{locator} is not laid out"
    return {**box, "right": box["x"] + box["width"], "bottom": box["y"] + box["height"]}


def _text_box(locator) -> dict[str, float]:
    """Where the element's words are (a block label is as wide as the form; its text is not)."""
    return locator.evaluate(
        """element => {
            const range = document.createRange();
            range.selectNodeContents(element);
            const box = range.getBoundingClientRect();
            return {x: box.left, y: box.top, right: box.right, bottom: box.bottom};
        }"""
    )


def test_the_navigation_reads_right_to_left(page):
    page.goto("/ar/")

    assert page.locator("html").get_attribute("dir") == "rtl"
    assert page.evaluate("getComputedStyle(document.body).direction") == "rtl"
    items = page.locator(".main-nav li")
    first, second, row = _box(items.nth(0)), _box(items.nth(1)), _box(page.locator(".main-nav ul"))
    # The first item ("Home") is the rightmost, and the next one is to its left.
    assert first["x"] > second["x"]
    assert row["right"] - first["right"] < 40, "the first item starts at the right edge"
    assert page.locator(".main-nav li").nth(0).inner_text() == "الصفحة الرئيسية"
    # The brand is on the right of the header, the language switcher on the left.
    assert _box(page.locator(".brand"))["x"] > _box(page.locator(".lang-switch"))["x"]
    # The language switcher names Arabic in Arabic and marks it current.
    assert page.locator('.lang-switch a[aria-current="true"]').inner_text() == "العربية"


def test_the_same_navigation_reads_left_to_right_in_english(page):
    page.goto("/en/")

    assert page.evaluate("getComputedStyle(document.body).direction") == "ltr"
    items = page.locator(".main-nav li")
    assert _box(items.nth(0))["x"] < _box(items.nth(1))["x"]


def test_forms_read_right_to_left(page, initial_data):
    page.goto(translate_url(reverse("people:signup"), "ar"))

    label = page.locator('label[for="id_email"]')
    field = page.locator("#id_email")
    assert field.evaluate("element => getComputedStyle(element).direction") == "rtl"
    words, field_box = _text_box(label), _box(field)
    # As designed: the label's words sit above the field, starting at its right edge.
    assert words["bottom"] <= field_box["y"] + PIXEL
    assert abs(words["right"] - field_box["right"]) <= PIXEL
    assert words["x"] > field_box["x"] + 100, "the short label ends far from the field's left edge"
    # A checkbox sits at the right, before its label.
    checkbox = _box(page.locator('input[type="checkbox"]').first)
    content = _box(page.locator("main form").first)
    assert content["right"] - checkbox["right"] < 20
    # The submit button starts at the right too.
    button = _box(page.locator('main form button[type="submit"]').first)
    assert content["right"] - button["right"] < 20


def test_error_messages_keep_their_bar_on_the_start_side(page, initial_data):
    page.goto(translate_url(reverse("accounts:login"), "ar"))
    page.locator("#id_username, #id_email").first.fill("nobody@example.org")
    page.locator('input[type="password"]').fill("wrong password")
    page.locator('main form button[type="submit"]').last.click()

    error = page.locator(".errorlist.nonfield").first
    style = error.evaluate(
        "element => [getComputedStyle(element).borderRightWidth, getComputedStyle(element).borderLeftWidth]"
    )
    assert style == ["4px", "0px"]


@pytest.mark.parametrize("language", ["ar", "en"])
def test_axe_finds_nothing_serious_on_the_public_pages(page, public_paths, language):
    axe = axe_playwright.Axe()
    findings = []
    for path in public_paths:
        url = translate_url(path, language)
        assert url.startswith(f"/{language}/"), url
        page.goto(url)
        assert page.locator("html").get_attribute("lang") == language
        results = axe.run(page)
        assert results.response["passes"], f"{url}: axe checked nothing"
        findings += [
            f"{url}: {violation['id']} ({violation['impact']}): {violation['help']} "
            f"at {[node['target'] for node in violation['nodes']][:3]}"
            for violation in results.response["violations"]
            if violation["impact"] in ("serious", "critical")
        ]
    assert findings == [], "\n".join(findings)
