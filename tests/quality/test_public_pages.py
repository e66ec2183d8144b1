"""Every public page: valid HTML5, accessible basics, no inline script or style, no third-party
request, light, and no cookie for anonymous readers (ARCHITECTURE.md §6–7)."""

import re

import html5lib
import pytest
from django.urls import reverse

from tests.factories.stories import make_story

pytestmark = [pytest.mark.integration]

MAX_PAGE_BYTES = 50 * 1024


@pytest.fixture
def public_urls(db, story_index, reference_data):
    from oncoreach.geo.models import Country

    country = Country.objects.get(iso3="KEN")
    story = make_story(title="Tumor boards in Nairobi", countries=[country], topics=["tumor boards"])
    return [
        "/en/",
        "/es/",
        reverse("stories:index"),
        reverse("stories:index") + "?q=tumor",
        story.url,
        reverse("pages:country-list"),
        reverse("pages:country-detail", kwargs={"slug": country.slug}),
        reverse("people:get-involved"),
        reverse("accounts:login"),
        reverse("people:signup"),
    ]


def _check_page(html: str, url: str) -> None:
    parser = html5lib.HTMLParser(strict=True, namespaceHTMLElements=False)
    document = parser.parse(html)  # raises on any HTML5 parse error
    assert document.get("lang"), f"{url}: <html> has no lang"
    assert len(document.findall(".//h1")) == 1, f"{url}: exactly one <h1>"
    assert document.find(".//main") is not None, f"{url}: no <main>"
    for script in document.iter("script"):
        assert script.get("src"), f"{url}: inline <script>"
        assert script.get("src").startswith("/"), f"{url}: third-party script"
    assert document.find(".//style") is None, f"{url}: inline <style>"
    assert not re.search(r'\sstyle="', html), f"{url}: inline style attribute"
    assert not re.search(r'\son[a-z]+="', html), f"{url}: inline event handler"
    for element in document.iter():
        for attribute in ("src", "href"):
            value = element.get(attribute) or ""
            if element.tag in ("img", "script", "link") and value.startswith(("http:", "https:", "//")):
                assert element.tag == "link", f"{url}: third-party asset {value}"
                assert element.get("rel") in ("canonical", "alternate"), f"{url}: third-party asset {value}"
    for image in document.iter("img"):
        assert image.get("alt") is not None, f"{url}: <img> without alt"
    labelled = {label.get("for") for label in document.iter("label")}
    for field in [*document.iter("input"), *document.iter("select"), *document.iter("textarea")]:
        if field.get("type") in ("hidden", "submit", "button"):
            continue
        assert field.get("id") in labelled or field.get("aria-label") or field.get("aria-labelledby"), (
            f"{url}: field {field.get('name')} has no label"
        )


def test_public_pages_are_valid_accessible_light_and_cookieless(client, public_urls):
    for url in public_urls:
        response = client.get(url)
        assert response.status_code == 200, url
        html = response.content.decode()
        _check_page(html, url)
        assert len(response.content) < MAX_PAGE_BYTES, f"{url}: {len(response.content)} bytes"
        if '<form method="post"' not in html.lower():
            assert not response.cookies, f"{url}: sets a cookie {list(response.cookies)}"


@pytest.fixture
def arabic_urls(public_urls):
    from django.urls import translate_url

    return [translate_url(url, "ar") for url in public_urls if url != "/es/"]


def test_arabic_public_pages_are_valid_accessible_light_and_right_to_left(client, arabic_urls):
    for url in arabic_urls:
        assert url.startswith("/ar/"), url
        response = client.get(url)
        assert response.status_code == 200, url
        html = response.content.decode()
        _check_page(html, url)
        assert '<html lang="ar" dir="rtl">' in html, url
        assert len(response.content) < MAX_PAGE_BYTES, f"{url}: {len(response.content)} bytes"
        if '<form method="post"' not in html.lower():
            assert not response.cookies, f"{url}: sets a cookie {list(response.cookies)}"


def test_strict_content_security_policy_on_public_pages(client, public_urls):
    response = client.get(public_urls[2])
    policy = response["Content-Security-Policy"]
    assert "script-src 'self'" in policy
    assert "unsafe-inline" not in policy


def test_stylesheet_and_page_stay_under_the_weight_budget(client, public_urls):
    from pathlib import Path

    from django.contrib.staticfiles import finders

    css = Path(finders.find("css/site.css")).read_bytes()
    index = client.get(public_urls[2]).content
    assert len(css) + len(index) < MAX_PAGE_BYTES
