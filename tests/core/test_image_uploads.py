"""Every picture upload refuses decompression bombs and oversized files with a clear error.

A 20000 × 20000 PNG weighs about 48 KB but takes hundreds of MB to decode; Pillow raises
``DecompressionBombError`` when opening it, which used to escape as a 500.
"""

from __future__ import annotations

import pytest
from django.core.exceptions import ValidationError
from django.core.files.uploadedfile import SimpleUploadedFile
from django.urls import reverse
from wagtail.images import get_image_model

from oncoreach.calls.models import Application
from oncoreach.core.validators import validate_image_upload
from oncoreach.programs.models import Answer
from oncoreach.stories.models import StoryPage
from tests.e2e.story_helpers import ensure_story_tree, post_data
from tests.factories.calls import ApplicationFactory, CallFactory, QuestionFactory
from tests.factories.images import decompression_bomb_png, png_bytes

pytestmark = [pytest.mark.integration]

TOO_MANY_PIXELS = "This picture has too many pixels (the limit is 40 million). Please upload a smaller picture."


def _upload(content: bytes, name: str = "photo.png") -> SimpleUploadedFile:
    return SimpleUploadedFile(name, content, content_type="image/png")


def _refusal(upload: SimpleUploadedFile) -> tuple[str, list[str]]:
    with pytest.raises(ValidationError) as caught:
        validate_image_upload(upload)
    return caught.value.code or "", caught.value.messages


def test_a_decompression_bomb_is_refused_as_too_many_pixels():
    bomb = decompression_bomb_png()
    assert len(bomb) < 60_000

    assert _refusal(_upload(bomb)) == ("too_many_pixels", [TOO_MANY_PIXELS])


def test_a_picture_between_pillows_warning_and_error_limits_is_refused():
    # 10000 × 10000 = 100 million pixels: Pillow only warns by default (no error).
    assert _refusal(_upload(decompression_bomb_png(10_000, 10_000)))[0] == "too_many_pixels"


def test_the_pixel_cap_is_a_setting(settings):
    settings.MAX_IMAGE_PIXELS = 1_000_000

    code, messages = _refusal(_upload(png_bytes((1001, 1000))))

    assert (code, messages) == (
        "too_many_pixels",
        ["This picture has too many pixels (the limit is 1 million). Please upload a smaller picture."],
    )
    assert validate_image_upload(_upload(png_bytes((1000, 1000)))) == "png"


def test_an_oversized_upload_is_refused_by_its_size_before_it_is_parsed():
    """30 MB that start like a bomb: the size is checked first, so nothing is decoded."""
    padded = decompression_bomb_png() + b"\x00" * (30 * 1024 * 1024)

    code, messages = _refusal(_upload(padded))

    assert (code, messages) == ("too_large", ["This image is 30.0\xa0MB; the limit is 5.0\xa0MB."])


# --- the forms that take pictures ------------------------------------------------------------


def test_story_form_refuses_a_bomb_with_a_message(client, volunteer):
    ensure_story_tree()
    client.force_login(volunteer)

    response = client.post(
        reverse("stories:write"),
        {**post_data(image_1_alt="A ward"), "image_1": _upload(decompression_bomb_png())},
    )

    assert response.status_code == 200
    assert response.context["form"].errors["image_1"] == [TOO_MANY_PIXELS]
    assert StoryPage.objects.count() == 0


def test_application_file_question_refuses_a_bomb_with_a_message(client, member):
    call = CallFactory()
    question = QuestionFactory(form=call.form, kind="file", allowed_upload_types=["pdf", "image"], label="Photo")
    application = ApplicationFactory(call=call, applicant=member.person)
    client.force_login(member)

    response = client.post(
        reverse("calls:application-edit", kwargs={"pk": application.pk}),
        {question.field_name: _upload(decompression_bomb_png()), "action": "save"},
    )

    assert response.status_code == 200
    assert response.context["form"].errors[question.field_name] == [TOO_MANY_PIXELS]
    assert (Answer.objects.count(), Application.objects.get().status) == (0, "draft")


def test_wagtail_image_upload_refuses_a_bomb_with_a_message(client, editor):
    client.force_login(editor)

    response = client.post(reverse("wagtailimages:add"), {"title": "Bomb", "file": _upload(decompression_bomb_png())})

    assert response.status_code == 200
    assert "too many pixels" in " ".join(response.context["form"].errors["file"])
    assert get_image_model().objects.count() == 0
