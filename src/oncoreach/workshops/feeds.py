"""Atom feed of upcoming courses, linked from the catalogue with <link rel="alternate">."""

from __future__ import annotations

import datetime as dt
from typing import Any

from django.conf import settings
from django.contrib.syndication.views import Feed
from django.http import HttpRequest, HttpResponse
from django.utils import timezone
from django.utils.feedgenerator import Atom1Feed
from django.utils.translation import gettext as _

from oncoreach.core.cache import mark_public
from oncoreach.core.links import absolute_reverse, absolute_url, site_host
from oncoreach.workshops import selectors
from oncoreach.workshops.models import Course

FEED_LENGTH = 50


class UpcomingCourseFeed(Feed):
    feed_type = Atom1Feed

    def __call__(self, request: HttpRequest, *args: Any, **kwargs: Any) -> HttpResponse:
        self.request = request
        return mark_public(super().__call__(request, *args, **kwargs))

    def title(self, obj: Any = None) -> str:
        return _("%(program)s: upcoming courses and workshops") % {"program": settings.SOCIETY["program_name"]}

    def subtitle(self, obj: Any = None) -> str:
        return _("Courses and workshops taught by volunteer faculty around the world.")

    def link(self, obj: Any = None) -> str:
        return absolute_reverse("workshops:catalogue")

    def feed_url(self, obj: Any = None) -> str:
        return absolute_reverse("workshops:feed")

    def items(self, obj: Any = None) -> list[Course]:
        return list(selectors.upcoming_courses(today=timezone.localdate())[:FEED_LENGTH])

    def item_title(self, item: Course) -> str:
        return item.title

    def item_description(self, item: Course) -> str:
        return _("%(type)s in %(city)s, %(country)s, %(start)s to %(end)s (%(zone)s, UTC%(offset)s).") % {
            "type": item.template.get_course_type_display(),
            "city": item.city,
            "country": item.country.name,
            "start": item.start_date.isoformat(),
            "end": item.end_date.isoformat(),
            "zone": item.time_zone,
            "offset": item.utc_offset(),
        }

    def item_link(self, item: Course) -> str:
        return absolute_url(item.get_absolute_url())

    def item_guid(self, item: Course) -> str:
        return f"tag:{site_host()},{item.created_at:%Y-%m-%d}:course-{item.pk}"

    item_guid_is_permalink = False

    def item_pubdate(self, item: Course) -> dt.datetime:
        return item.created_at

    def item_updateddate(self, item: Course) -> dt.datetime:
        return item.updated_at

    def item_categories(self, item: Course) -> list[str]:
        return [str(item.template.get_course_type_display()), item.country.name]


def course_feed(request: HttpRequest) -> HttpResponse:
    """A fresh feed object per request: the feed keeps the request."""
    return UpcomingCourseFeed()(request)
