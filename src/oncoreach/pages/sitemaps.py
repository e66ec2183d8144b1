"""The sitemap: Wagtail's live public pages, plus the Django-served country and impact pages.

URLs start with SITE_URL (``core.links``), never the request's Host header, so the cached sitemap
is the same whoever asked; and they are in the default language, so ``/sitemap.xml`` is the same
whatever language a crawler asks for.
"""

from __future__ import annotations

import datetime as dt
from typing import Any
from urllib.parse import urlsplit

from django.contrib.sitemaps import Sitemap
from django.db.models import QuerySet
from django.http import HttpRequest
from django.urls import reverse
from wagtail.models import Page, Site

from oncoreach.core.links import site_url
from oncoreach.geo.models import Country


class SiteAddressSitemap(Sitemap):  # type: ignore[type-arg]
    """Scheme and host from SITE_URL, like every other absolute link we publish."""

    def get_protocol(self, protocol: str | None = None) -> str:
        return urlsplit(site_url()).scheme or "https"

    def get_domain(self, site: Any = None) -> str:
        return urlsplit(site_url()).netloc


class WagtailPageSitemap(SiteAddressSitemap):
    """Live, public pages of the site the request is for (home, stories index, stories, ...)."""

    def __init__(self, request: HttpRequest) -> None:
        self.request = request

    def items(self) -> Any:
        site = Site.find_for_request(self.request) or Site.objects.get(is_default_site=True)
        return site.root_page.get_descendants(inclusive=True).live().public().order_by("path").defer_streamfields()

    def location(self, item: Page) -> str:
        return item.get_url(request=self.request) or "/"

    def lastmod(self, item: Page) -> dt.datetime | None:
        value: dt.datetime | None = item.last_published_at or item.latest_revision_created_at
        return value


class CountrySitemap(SiteAddressSitemap):
    changefreq = "weekly"

    def items(self) -> QuerySet[Country]:
        return Country.objects.order_by("name")

    def location(self, item: Country) -> str:
        return reverse("pages:country-detail", kwargs={"slug": item.slug})


class StaticViewSitemap(SiteAddressSitemap):
    """Django-served public pages that have no Wagtail page of their own: the country list and
    the impact pages (figures and the world map; named by URL, so pages never imports reporting)."""

    def items(self) -> list[str]:
        return ["pages:country-list", "reporting:impact", "reporting:map"]

    def location(self, item: Any) -> str:
        return reverse(item)


def sitemaps_for(request: HttpRequest) -> dict[str, Any]:
    return {"pages": WagtailPageSitemap(request), "lists": StaticViewSitemap(), "countries": CountrySitemap()}
