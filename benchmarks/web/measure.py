"""Query count and HTML size per benchmarked page, through Django's test client (run by run.py).

Runs in its own process against the benchmark database with the page cache off, so every
request renders in full. Prints one JSON object: the story URL chosen and, per page, the status,
bytes and number of SQL queries; and the staff impact dashboard for all years, uncached (the
shared cache is cleared before each of its runs): its queries and median time over 5 runs.
"""

from __future__ import annotations

import json
import os
import statistics
import sys
import time

os.environ.setdefault("DJANGO_SETTINGS_MODULE", "oncoreach.settings")

import django

django.setup()

from django.contrib.auth.models import Group  # noqa: E402 (after django.setup())
from django.core.cache import cache  # noqa: E402 (after django.setup())
from django.db import connection  # noqa: E402 (after django.setup())
from django.test import Client  # noqa: E402 (after django.setup())
from django.test.utils import CaptureQueriesContext  # noqa: E402 (after django.setup())

from oncoreach.accounts.enums import StaffGroup  # noqa: E402 (after django.setup())
from oncoreach.accounts.models import User  # noqa: E402 (after django.setup())
from oncoreach.stories.models import StoryPage  # noqa: E402 (after django.setup())

DASHBOARD_RUNS = 5


def dashboard() -> dict[str, object]:
    """The impact dashboard for all years as program staff, with nothing cached."""
    user = User.objects.create_user("bench-impact@example.invalid", "unused-password-0123", email_confirmed=True)
    user.groups.add(Group.objects.get(name=StaffGroup.PROGRAM_STAFF.value))
    client = Client()
    client.force_login(user)
    client.get("/en/staff/impact/")  # warm the process (templates, the map's shapes are not used here)
    timings = []
    for _ in range(DASHBOARD_RUNS):
        cache.clear()
        with CaptureQueriesContext(connection) as queries:
            started = time.perf_counter()
            response = client.get("/en/staff/impact/")
            timings.append((time.perf_counter() - started) * 1000)
    return {
        "url": "/en/staff/impact/",
        "status": response.status_code,
        "bytes": len(response.content),
        "queries": len(queries),
        "median_ms": round(statistics.median(timings), 1),
        "max_ms": round(max(timings), 1),
    }


def main() -> None:
    story = StoryPage.objects.live().order_by("-date", "-pk")[10:11].first()
    if story is None:
        print(json.dumps({"error": "no live stories"}))
        sys.exit(1)
    pages = {
        "index": "/en/stories/",
        "story": story.url,
        "feed": "/en/stories/feed/",
        "home": "/en/",
        "impact": "/en/impact/",
        "map": "/en/impact/map/",
        "api_stories": "/api/v1/stories",
    }
    client = Client()
    result: dict[str, object] = {"story_url": story.url, "pages": {}}
    for name, url in pages.items():
        client.get(url)  # warm the process (template loading, first connection)
        with CaptureQueriesContext(connection) as queries:
            response = client.get(url)
        result["pages"][name] = {  # type: ignore[index]
            "url": url,
            "status": response.status_code,
            "bytes": len(response.content),
            "queries": len(queries),
        }
    result["dashboard"] = dashboard()
    print(json.dumps(result))


if __name__ == "__main__":
    main()
