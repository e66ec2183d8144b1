"""A story page as readers see it: body blocks, meta tags, tags, related stories, 404s."""

import datetime as dt
import gc
import warnings

import pytest
from wagtail.images.models import Image
from wagtail.images.tests.utils import get_test_image_file
from wagtail.rich_text import RichText

from tests.factories.geo import CountryFactory
from tests.factories.people import PersonFactory
from tests.factories.programs import ProgramFactory
from tests.factories.stories import make_story

pytestmark = [
    pytest.mark.integration,
    # Wagtail's rendition code leaves a spooled temporary file for the garbage collector.
    pytest.mark.filterwarnings("ignore::ResourceWarning"),
]


@pytest.fixture
def photo(db):
    image = Image.objects.create(title="Ward round", file=get_test_image_file(size=(1600, 1200)))
    yield image
    with warnings.catch_warnings():
        warnings.simplefilter("ignore", ResourceWarning)
        gc.collect()


def _body(photo):
    return [
        ("paragraph", RichText("<p>We met the <b>tumour board</b> on Monday.</p>")),
        ("image", {"image": photo, "alt_text": "Nurses at the ward round", "caption": "The oncology ward"}),
        ("quote", {"text": "Nothing about us without us.", "attribution": "A patient advocate"}),
        ("video", {"url": "https://video.example.org/talk", "title": "The closing lecture"}),
    ]


def test_story_page_renders_every_body_block(client, story_index, photo):
    story = make_story(title="A week in Kumasi", date=dt.date(2026, 3, 4), body=_body(photo))

    response = client.get(story.url)

    assert response.status_code == 200
    html = response.content.decode()
    assert "<p>We met the <b>tumour board</b> on Monday.</p>" in html
    rendition = photo.get_rendition("max-800x800")
    assert f'<img src="{rendition.url}" width="800" height="600" alt="Nurses at the ward round" loading="lazy"' in html
    assert "<figcaption>The oncology ward</figcaption>" in html
    assert "<blockquote><p>Nothing about us without us.</p></blockquote>" in html
    assert "<figcaption>A patient advocate</figcaption>" in html
    assert (
        '<a href="https://video.example.org/talk" rel="noopener external">Watch the video: The closing lecture</a>'
        in html
    )
    assert "<iframe" not in html


def test_story_page_shows_date_authors_and_tags_linking_to_filtered_index(client, story_index):
    kenya = CountryFactory(slug="kenya", iso3="KEN", iso2="KE", name="Kenya")
    course = ProgramFactory(slug="course", name="Cancer course")
    author = PersonFactory(given_name="Amina", family_name="Odhiambo")
    story = make_story(
        title="Nairobi",
        date=dt.date(2026, 3, 4),
        countries=[kenya],
        programs=[course],
        topics=["tumor boards"],
        authors=[author],
    )

    html = client.get(story.url).content.decode()

    assert '<time datetime="2026-03-04">March 4, 2026</time> · by Amina Odhiambo' in html
    assert '<li><a href="/en/stories/?country=kenya">Kenya</a></li>' in html
    assert '<li><a href="/en/stories/?program=course">Cancer course</a></li>' in html
    assert '<li><a href="/en/stories/?topic=tumor-boards">tumor boards</a></li>' in html


def test_story_page_has_open_graph_canonical_and_feed_links(client, story_index, photo, settings):
    settings.SITE_URL = "https://oncoreach.example.org"  # absolute links come from SITE_URL, not the Host header
    story = make_story(
        title="Kumasi", teaser="Nurses learned safe handling.", date=dt.date(2026, 3, 4), body=_body(photo)
    )

    html = client.get(story.url).content.decode()

    url = f"https://oncoreach.example.org{story.url}"
    og_image = "https://oncoreach.example.org" + photo.get_rendition("width-1200").url
    assert f'<link rel="canonical" href="{url}">' in html
    assert '<link rel="alternate" type="application/atom+xml" href="/en/stories/feed/"' in html
    assert '<meta property="og:type" content="article">' in html
    assert '<meta property="og:title" content="Kumasi">' in html
    assert '<meta property="og:description" content="Nurses learned safe handling.">' in html
    assert f'<meta property="og:url" content="{url}">' in html
    assert '<meta property="article:published_time" content="2026-03-04">' in html
    assert f'<meta property="og:image" content="{og_image}">' in html
    assert '<meta name="twitter:card" content="summary_large_image">' in html


def test_story_page_without_image_has_no_og_image(client, story_index):
    story = make_story(title="Words only")

    html = client.get(story.url).content.decode()

    assert "og:image" not in html
    assert '<meta name="twitter:card" content="summary">' in html


def test_related_stories_share_a_tag_newest_first_at_most_four(client, story_index):
    kenya = CountryFactory(slug="kenya", iso3="KEN", iso2="KE", name="Kenya")
    course = ProgramFactory(slug="course")
    story = make_story(title="Main", countries=[kenya], programs=[course], topics=["nursing"])
    for day in range(1, 5):
        make_story(title=f"Kenya {day}", date=dt.date(2025, 1, day), countries=[kenya])
    make_story(title="Course", date=dt.date(2025, 2, 1), programs=[course])
    make_story(title="Nursing", date=dt.date(2025, 3, 1), topics=["nursing"])
    make_story(title="Unrelated", date=dt.date(2026, 1, 1), topics=["radiology"])
    make_story(title="Draft Kenya", date=dt.date(2026, 1, 1), countries=[kenya], live=False)

    response = client.get(story.url)

    assert [s.title for s in response.context["related_stories"]] == ["Nursing", "Course", "Kenya 4", "Kenya 3"]


@pytest.mark.parametrize("count", [1, 3])
def test_story_page_query_count_is_constant(client, story_index, django_assert_num_queries, count):
    kenya = CountryFactory(slug="kenya", iso3="KEN", iso2="KE", name="Kenya")
    story = make_story(title="Main", countries=[kenya], topics=["nursing"], authors=[PersonFactory(), PersonFactory()])
    for number in range(count):
        make_story(title=f"Related {number}", countries=[kenya], topics=["nursing"], authors=[PersonFactory()])
    client.get(story.url)

    with django_assert_num_queries(14):
        response = client.get(story.url)

    assert len(response.context["related_stories"]) == count


def test_unknown_story_slug_is_404(client, story_index):
    make_story(title="Exists")

    response = client.get("/en/stories/does-not-exist/")

    assert response.status_code == 404


def test_draft_story_is_404_for_readers(client, outsider, story_index):
    draft = make_story(title="Not yet", live=False)
    client.force_login(outsider)

    response = client.get(f"/en/stories/{draft.slug}/")

    assert response.status_code == 404


def test_anonymous_story_page_is_public_and_sets_no_cookie(client, story_index):
    story = make_story(title="Cacheable")

    response = client.get(story.url)

    assert response.oncoreach_public is True
    assert dict(response.cookies) == {}


def test_wagtail_url_of_the_index_redirects_to_the_django_list(rf, story_index):
    request = rf.get("/en/stories/")

    response = story_index.serve(request)

    assert (response.status_code, response["Location"]) == (302, "/en/stories/")


def test_story_page_survives_a_missing_image_file(client, story_index, photo):
    story = make_story(title="Lost file", body=_body(photo))
    photo.file.storage.delete(photo.file.name)

    response = client.get(story.url)

    assert response.status_code == 200
    assert "og:image" not in response.content.decode()
