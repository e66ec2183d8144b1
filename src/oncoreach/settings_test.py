"""Test settings: the real settings, only made faster and isolated (STYLE.md §8)."""

import os
import tempfile
from pathlib import Path

os.environ.setdefault("ONCOREACH_TESTING", "1")

from oncoreach.settings import *
from oncoreach.settings import DATABASES

PASSWORD_HASHERS = ["django.contrib.auth.hashers.MD5PasswordHasher"]
EMAIL_BACKEND = "django.core.mail.backends.locmem.EmailBackend"
TASKS = {"default": {"BACKEND": "django_tasks.backends.immediate.ImmediateBackend"}}
MEDIA_ROOT = Path(tempfile.mkdtemp(prefix="oncoreach-test-media-"))
CACHES = {"default": {"BACKEND": "django.core.cache.backends.locmem.LocMemCache"}}
PUBLIC_PAGE_CACHE_SECONDS = 0
AXES_ENABLED = False
if DATABASES["default"]["ENGINE"] == "django.db.backends.sqlite3" and "DATABASE_URL" not in os.environ:
    DATABASES["default"]["NAME"] = ":memory:"
    DATABASES["default"]["TEST"] = {"NAME": None}
PUBLIC_PAGE_GENERATION_TTL = 0.0
STATIC_ROOT = Path(tempfile.mkdtemp(prefix="oncoreach-test-static-"))  # whitenoise warns about a missing one
