"""Upload checks shared by forms: images are judged by their content, not their name.

The order matters: the byte size is checked before anything is parsed, then only the picture's
header is read (its format and dimensions), and a picture with more pixels than
``MAX_IMAGE_PIXELS`` is refused before anything decodes it. Pillow raises
``DecompressionBombError`` (and warns with ``DecompressionBombWarning``) while *opening* a
picture whose header claims too many pixels; both become the same clear refusal, never a 500.
"""

from __future__ import annotations

import warnings

from django.conf import settings
from django.core.exceptions import ValidationError
from django.core.files.uploadedfile import UploadedFile
from django.template.defaultfilters import filesizeformat
from django.utils.translation import gettext as _
from PIL import Image, UnidentifiedImageError

ALLOWED_IMAGE_FORMATS = {"JPEG": "jpg", "PNG": "png", "WEBP": "webp"}


def _too_many_pixels() -> ValidationError:
    limit = settings.MAX_IMAGE_PIXELS
    millions = f"{limit / 1_000_000:g}"
    return ValidationError(
        _("This picture has too many pixels (the limit is %(limit)s million). Please upload a smaller picture.")
        % {"limit": millions},
        code="too_many_pixels",
    )


def validate_image_size(upload: UploadedFile) -> None:
    """Refuse a file over ``MAX_IMAGE_UPLOAD_BYTES`` by its size alone (nothing is read)."""
    limit = settings.MAX_IMAGE_UPLOAD_BYTES
    if upload.size is not None and upload.size > limit:
        raise ValidationError(
            _("This image is %(size)s; the limit is %(limit)s.")
            % {"size": filesizeformat(upload.size), "limit": filesizeformat(limit)},
            code="too_large",
        )


def validate_image_upload(upload: UploadedFile) -> str:
    """Check an uploaded image by size, then content; return its real format's extension."""
    validate_image_size(upload)
    try:
        upload.seek(0)
        with warnings.catch_warnings():
            # Pillow only warns between its limit and twice it; treat that as the refusal it is.
            warnings.simplefilter("error", Image.DecompressionBombWarning)
            with Image.open(upload) as image:
                image_format = image.format or ""
                width, height = image.size
                frames = getattr(image, "n_frames", 1) or 1
                if width * height * frames > settings.MAX_IMAGE_PIXELS:
                    raise _too_many_pixels()
                image.verify()
    except (Image.DecompressionBombError, Image.DecompressionBombWarning) as exc:
        raise _too_many_pixels() from exc
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
    return ALLOWED_IMAGE_FORMATS[image_format]
