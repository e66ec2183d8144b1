import pytest
from django.conf import settings
from django.urls import Resolver404, resolve

from oncoreach.core.views import public_image

pytestmark = [pytest.mark.integration]


def test_renditions_are_served_publicly(client, db):
    (settings.MEDIA_ROOT / "images").mkdir(parents=True, exist_ok=True)
    (settings.MEDIA_ROOT / "images" / "story.max-800x800.jpg").write_bytes(b"jpeg")
    response = client.get("/media/images/story.max-800x800.jpg")
    assert (response.status_code, b"".join(response.streaming_content)) == (200, b"jpeg")
    response.close()


def test_no_other_upload_is_reachable_by_its_path():
    for path in ("/media/calls/references/1-abc.pdf", "/media/original_images/x.jpg", "/media/forms/1/2/cv.pdf"):
        try:
            match = resolve(path)
        except Resolver404:
            continue
        assert match.func is not public_image, path


def test_public_image_refuses_to_leave_the_images_folder(client, db):
    assert client.get("/media/images/../calls/references/1-abc.pdf").status_code in (400, 404)
