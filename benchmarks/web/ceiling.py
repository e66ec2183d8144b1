"""The benchmark's ceiling: the smallest Django app that returns a page as big as the stories index.

Served by the same gunicorn configuration as the product, it shows how fast this machine can
answer with Django at all, so the product's pages are judged as a share of that. Not part of the
product's URLs. ``CEILING_BYTES`` sets the response size.
"""

from __future__ import annotations

import os

import django
from django.conf import settings
from django.core.wsgi import get_wsgi_application
from django.http import HttpRequest, HttpResponse
from django.urls import path

BODY = b"<!DOCTYPE html>" + b"x" * max(0, int(os.environ.get("CEILING_BYTES", "20000")) - 15)


def page(request: HttpRequest) -> HttpResponse:
    response = HttpResponse(BODY, content_type="text/html; charset=utf-8")
    response["Content-Length"] = str(len(BODY))  # as the product's CommonMiddleware does
    return response


urlpatterns = [path("", page), path("<path:anything>", page)]

# configure() wins over the DJANGO_SETTINGS_MODULE that deploy/gunicorn.conf.py puts in raw_env.
if not settings.configured:
    settings.configure(
        DEBUG=False,
        SECRET_KEY=os.environ.get("SECRET_KEY", "ceiling-benchmark-only"),
        ALLOWED_HOSTS=["127.0.0.1", "localhost"],
        ROOT_URLCONF=__name__,
        MIDDLEWARE=[],
        INSTALLED_APPS=[],
        USE_I18N=False,
        DATABASES={},
    )
    django.setup()

application = get_wsgi_application()
