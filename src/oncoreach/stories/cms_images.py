"""The CMS's picture upload form (``WAGTAILIMAGES_IMAGE_FORM_BASE``): Wagtail's own, storing the
file under a random name. The title (by default the file's name) keeps what editors see."""

from __future__ import annotations

from typing import Any

from django.core.files.uploadedfile import UploadedFile
from wagtail.images.forms import BaseImageForm

from oncoreach.core.files import random_upload_name


class RandomNameImageForm(BaseImageForm):
    def clean_file(self) -> Any:
        upload = self.cleaned_data.get("file")
        if isinstance(upload, UploadedFile):
            # Wagtail adds its folder (original_images/); the name on disk says nothing.
            upload.name = random_upload_name("", upload.name or "").lstrip("/")
        return upload
