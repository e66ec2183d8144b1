"""``/api/v1/``: the JSON API, mounted outside ``i18n_patterns`` (its URLs carry no language).

Each domain app owns its endpoints in ``<app>/api.py`` (STYLE.md §6); this list mounts them.
Add a line when an app gets an ``api.py`` (docs/api.md says how to write one).
"""

from __future__ import annotations

from django.urls import path, re_path

from oncoreach.api import views
from oncoreach.api.builder import build_api

ROUTERS: list[tuple[str, str]] = [
    ("", "oncoreach.stories.api.router"),
    ("", "oncoreach.workshops.api.router"),
    ("", "oncoreach.calls.api.router"),
    ("", "oncoreach.geo.api.router"),
    ("", "oncoreach.people.api.router"),
    ("", "oncoreach.reporting.api.router"),
    # Next: ("", "oncoreach.awards.api.router"), ("", "oncoreach.mentoring.api.router").
]

DESCRIPTION = """
The public data of the program (stories, courses and their sessions, open calls, countries with
their World Bank income groups, the impact figures) and, with a personal access token, staff data.

* Errors always have the shape `{"error": {"code", "message", "details"}}`; `code` is stable.
* Lists are paged with an opaque `cursor`: follow `next_cursor` (or `next`) until it is null.
* An unknown query parameter is an error (400 `unknown_parameter`), never silently ignored.
* Tokens: `Authorization: Bearer <token>`; make one on the "API tokens" page (program staff).
* Rate limits: per token, and per client address without one; 429 comes with `Retry-After`.
* GET responses carry an `ETag`; send it back in `If-None-Match` to get 304 while nothing changed.
"""

api_v1 = build_api(routers=ROUTERS, version="v1", description=DESCRIPTION)

urlpatterns = [
    path("v1/", api_v1.urls),
    # Any other path under /api/ answers in the error shape too (404 not_found).
    re_path(r"^.*$", views.not_found, name="not-found"),
]
