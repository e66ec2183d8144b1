"""Pictures uploaded in the CMS are stored under random names; their title keeps the name."""

import re

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.urls import reverse
from wagtail.images import get_image_model

from tests.factories.images import png_bytes

pytestmark = [pytest.mark.integration, pytest.mark.filterwarnings("ignore::ResourceWarning")]

RANDOM_ORIGINAL = re.compile(r"original_images/[0-9a-f]{32}\.png")


def _upload(name="Patient Jane Doe, ward 3.png"):
    return SimpleUploadedFile(name, png_bytes((30, 20)), content_type="image/png")


def test_cms_image_upload_stores_a_random_file_name(client, editor):
    client.force_login(editor)

    response = client.post(reverse("wagtailimages:add"), {"title": "Ward round", "file": _upload()})

    image = get_image_model().objects.get()
    assert response.status_code == 302
    assert (RANDOM_ORIGINAL.fullmatch(image.file.name) is not None, image.title) == (True, "Ward round")


def test_cms_multiple_upload_stores_a_random_file_name(client, editor):
    client.force_login(editor)

    response = client.post(reverse("wagtailimages:add_multiple"), {"files[]": _upload()})

    image = get_image_model().objects.get()
    assert response.json()["success"] is True
    assert RANDOM_ORIGINAL.fullmatch(image.file.name), image.file.name
