"""Pictures of stories under /media/images/: public and cached for a year once the story is
live; until then only its authors, editors and program staff see them, never cached."""

from __future__ import annotations

import pytest
from django.urls import Resolver404, resolve
from wagtail.images import get_image_model
from wagtail.images.tests.utils import get_test_image_file
from wagtail.signal_handlers import disable_reference_index_auto_update

from oncoreach.stories.views import story_image
from tests.conftest import _persona
from tests.factories.people import PersonFactory
from tests.factories.stories import make_story

pytestmark = [
    pytest.mark.integration,
    # Wagtail's rendition code leaves a spooled temporary file for the garbage collector.
    pytest.mark.filterwarnings("ignore::ResourceWarning"),
]

PUBLIC = "public, max-age=31536000, immutable"
PRIVATE = "private, no-store"


def _image(uploader=None, title="Ward round"):
    return get_image_model().objects.create(
        title=title, file=get_test_image_file(size=(40, 30)), uploaded_by_user=uploader
    )


def _story(image, *, live, authors=()):
    block = ("image", {"image": image, "alt_text": "A ward", "caption": ""})
    return make_story(title="Pictures", body=[block], live=live, authors=authors)


def _url(image):
    return "/media/" + image.get_rendition("max-800x800").file.name


def _fetch(client, url, user=None):
    if user is not None:
        client.force_login(user)
    response = client.get(url)
    # Reading a streamed body to the end closes it once, as a server would (the test client does
    # it then); a second close() would fire request_finished again, which closes the database
    # connection inside the test's transaction on PostgreSQL.
    body = b"".join(response.streaming_content) if response.streaming else b""
    return response.status_code, response.get("Cache-Control", ""), response.status_code == 200 and len(body) > 0


def test_a_live_storys_pictures_are_public_and_cached_for_a_year(client, story_index):
    image = _image()
    _story(image, live=True)

    assert _fetch(client, _url(image)) == (200, PUBLIC, True)


def test_a_draft_storys_pictures_are_not_public(client, story_index, outsider, member):
    image = _image()
    _story(image, live=False)
    url = _url(image)

    assert _fetch(client, url)[:2] == (404, PRIVATE)
    assert _fetch(client, url, outsider)[:2] == (404, PRIVATE)
    assert _fetch(client, url, member)[:2] == (404, PRIVATE)


@pytest.mark.parametrize("persona", ["editor", "coordinator", "administrator"])
def test_editors_and_staff_see_a_draft_storys_pictures_privately(client, story_index, persona, request):
    image = _image()
    _story(image, live=False)

    assert _fetch(client, _url(image), request.getfixturevalue(persona)) == (200, PRIVATE, True)


def test_the_uploader_and_the_credited_authors_see_their_draft_pictures(client, story_index, volunteer):
    co_author = _persona("co@example.org", "Cora Author", volunteer=True)
    image = _image(uploader=volunteer)
    _story(image, live=False, authors=[co_author.person])
    url = _url(image)

    assert _fetch(client, url, volunteer) == (200, PRIVATE, True)
    assert _fetch(client, url, co_author) == (200, PRIVATE, True)


def test_publishing_makes_the_pictures_public_without_waiting_for_the_worker(client, story_index):
    """Wagtail refreshes its reference index in a background task; publishing must not wait."""
    image = _image()
    with disable_reference_index_auto_update():
        story = _story(image, live=False)
        url = _url(image)
        assert _fetch(client, url)[0] == 404
        story.save_revision().publish()

    assert _fetch(client, url) == (200, PUBLIC, True)


def test_unpublishing_makes_the_pictures_private_again(client, story_index):
    image = _image()
    story = _story(image, live=True)
    story.unpublish()

    assert _fetch(client, _url(image))[:2] == (404, PRIVATE)


def test_a_new_picture_in_a_live_storys_draft_stays_private_until_published(client, story_index):
    published, added = _image(title="old"), _image(title="new")
    story = _story(published, live=True)
    draft = story.get_latest_revision_as_object()
    draft.body = [*[(b.block_type, b.value) for b in draft.body], ("image", {"image": added, "alt_text": "New"})]
    revision = draft.save_revision()

    assert (_fetch(client, _url(published))[0], _fetch(client, _url(added))[0]) == (200, 404)
    revision.publish()
    assert _fetch(client, _url(added))[:2] == (200, PUBLIC)


def test_a_picture_no_live_page_uses_is_for_editors_only(client, story_index, editor):
    image = _image()
    PersonFactory()

    assert _fetch(client, _url(image))[:2] == (404, PRIVATE)
    assert _fetch(client, _url(image), editor)[:2] == (200, PRIVATE)


def test_a_file_that_is_not_a_rendition_is_not_served(client, story_index, settings):
    (settings.MEDIA_ROOT / "images").mkdir(parents=True, exist_ok=True)
    (settings.MEDIA_ROOT / "images" / "stray.max-800x800.jpg").write_bytes(b"jpeg")

    assert _fetch(client, "/media/images/stray.max-800x800.jpg")[0] == 404


def test_no_other_upload_is_reachable_by_its_path():
    for path in ("/media/calls/references/1-abc.pdf", "/media/original_images/x.jpg", "/media/forms/1/2/cv.pdf"):
        try:
            match = resolve(path)
        except Resolver404:
            continue
        assert match.func is not story_image, path


def test_story_images_refuse_to_leave_the_images_folder(client, db):
    assert client.get("/media/images/../calls/references/1-abc.pdf").status_code in (400, 404)
