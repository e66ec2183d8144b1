"""Query count and HTML size per benchmarked page, through Django's test client (run by run.py).

Runs in its own process against the benchmark database with the page cache off, so every
request renders in full. Prints one JSON object: the story URL chosen and, per page, the status,
bytes and number of SQL queries.
"""

from __future__ import annotations

import json
import os
import sys

os.environ.setdefault("DJANGO_SETTINGS_MODULE", "oncoreach.settings")

import django

django.setup()

from django.db import connection  # noqa: E402 (after django.setup())
from django.test import Client  # noqa: E402 (after django.setup())
from django.test.utils import CaptureQueriesContext  # noqa: E402 (after django.setup())

from oncoreach.stories.models import StoryPage  # noqa: E402 (after django.setup())


def main() -> None:
    story = StoryPage.objects.live().order_by("-date", "-pk")[10:11].first()
    if story is None:
        print(json.dumps({"error": "no live stories"}))
        sys.exit(1)
    pages = {"index": "/en/stories/", "story": story.url, "feed": "/en/stories/feed/"}
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
    print(json.dumps(result))


if __name__ == "__main__":
    main()
