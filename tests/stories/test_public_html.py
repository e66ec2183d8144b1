"""The stories and country pages are valid HTML5 with one <h1>, labelled fields, no inline
script or style, and stay under the 50 KB page budget."""

import re

import html5lib
import pytest
from django.urls import reverse
from wagtail.images.models import Image
from wagtail.images.tests.utils import get_test_image_file
from wagtail.rich_text import RichText

from tests.factories.geo import CountryFactory
from tests.factories.people import PersonFactory
from tests.factories.programs import ProgramFactory
from tests.factories.stories import make_story

pytestmark = [pytest.mark.integration, pytest.mark.filterwarnings("ignore::ResourceWarning")]

MAX_PAGE_BYTES = 50 * 1024


def _assert_clean_html(html: str) -> None:
    document = html5lib.HTMLParser(strict=True, namespaceHTMLElements=False).parse(html)
    assert len(document.findall(".//h1")) == 1
    assert document.find(".//style") is None
    assert [s for s in document.iter("script") if not s.get("src")] == []
    assert re.findall(r'\s(?:style|on[a-z]+)="', html) == []
    labelled = {label.get("for") for label in document.iter("label")}
    unlabelled = [
        field.get("name")
        for field in [*document.iter("input"), *document.iter("select")]
        if field.get("type") not in ("hidden", "submit") and field.get("id") not in labelled
    ]
    assert unlabelled == []


def test_public_pages_are_valid_light_html(client, story_index):
    kenya = CountryFactory(slug="kenya", name="Kenya")
    for _number in range(60):
        CountryFactory()
    photo = Image.objects.create(title="Ward", file=get_test_image_file())
    story = make_story(
        title="Kumasi",
        countries=[kenya],
        programs=[ProgramFactory()],
        topics=["nursing"],
        authors=[PersonFactory()],
        body=[
            ("paragraph", RichText("<p>Text.</p>")),
            ("image", {"image": photo, "alt_text": "Ward", "caption": ""}),
            ("quote", {"text": "Quote", "attribution": ""}),
            ("video", {"url": "https://example.org/v", "title": "Talk"}),
        ],
    )
    for number in range(25):
        make_story(title=f"Story {number}", countries=[kenya], topics=["nursing"])
    urls = [
        "/en/",
        story.url,
        reverse("stories:index"),
        reverse("stories:index") + "?q=kumasi&country=kenya&year=nope",
        reverse("pages:country-list"),
        reverse("pages:country-detail", kwargs={"slug": "kenya"}),
    ]

    for url in urls:
        response = client.get(url)
        assert response.status_code == 200, url
        _assert_clean_html(response.content.decode())
        assert len(response.content) < MAX_PAGE_BYTES, url
