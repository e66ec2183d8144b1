"""Upload checks shared by forms: images are judged by their content, not their name."""

from __future__ import annotations

from django.conf import settings
from django.core.exceptions import ValidationError
from django.core.files.uploadedfile import UploadedFile
from django.template.defaultfilters import filesizeformat
from django.utils.translation import gettext as _
from PIL import Image, UnidentifiedImageError

ALLOWED_IMAGE_FORMATS = {"JPEG": "jpg", "PNG": "png", "WEBP": "webp"}
MAX_IMAGE_PIXELS = 40_000_000


def validate_image_upload(upload: UploadedFile) -> str:
    """Check an uploaded image by content and size; return its real format's extension."""
    limit = settings.MAX_IMAGE_UPLOAD_BYTES
    if upload.size is not None and upload.size > limit:
        raise ValidationError(
            _("This image is %(size)s; the limit is %(limit)s.")
            % {"size": filesizeformat(upload.size), "limit": filesizeformat(limit)},
            code="too_large",
        )
    try:
        upload.seek(0)
        with Image.open(upload) as image:
            image_format = image.format or ""
            width, height = image.size
            image.verify()
    except (UnidentifiedImageError, OSError, SyntaxError, ValueError) as exc:
        raise ValidationError(
            _("This file is not a picture we can read. Upload a JPEG, PNG or WebP image."), code="not_image"
        ) from exc
    finally:
        upload.seek(0)
    if image_format not in ALLOWED_IMAGE_FORMATS:
        raise ValidationError(
            _("Pictures must be JPEG, PNG or WebP; this one is %(format)s.") % {"format": image_format or "?"},
            code="bad_format",
        )
    if width * height > MAX_IMAGE_PIXELS:
        raise ValidationError(_("This picture has too many pixels."), code="too_many_pixels")
    return ALLOWED_IMAGE_FORMATS[image_format]
