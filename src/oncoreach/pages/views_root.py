"""Language-neutral URLs: the sitemap, robots.txt and the bare-root redirect to a language."""

from __future__ import annotations

from django.conf import settings
from django.contrib.sitemaps.views import sitemap as django_sitemap
from django.http import HttpRequest, HttpResponse, HttpResponseRedirect
from django.utils import translation
from django.utils.cache import patch_vary_headers
from django.views.decorators.http import require_safe

from oncoreach.core.cache import mark_public
from oncoreach.core.links import absolute_reverse
from oncoreach.pages.sitemaps import sitemaps_for


@require_safe
def sitemap(request: HttpRequest) -> HttpResponse:
    """All public URLs, in the default language whatever the crawler's Accept-Language."""
    with translation.override(settings.LANGUAGE_CODE):
        response = django_sitemap(request, sitemaps=sitemaps_for(request))
        response.render()
    mark_public(response)  # type: ignore[no-untyped-call]
    return response


@require_safe
def robots_txt(request: HttpRequest) -> HttpResponse:
    lines = [
        "User-agent: *",
        "Disallow: /cms/",
        "Disallow: /django-admin/",
        "",
        f"Sitemap: {absolute_reverse('sitemap')}",
        "",
    ]
    response = HttpResponse("\n".join(lines), content_type="text/plain; charset=utf-8")
    mark_public(response)  # type: ignore[no-untyped-call]
    return response


@require_safe
def root_redirect(request: HttpRequest) -> HttpResponse:
    """Send ``/`` to the reader's best language from Accept-Language (English by default).

    No cookie is read into a redirect that sets one: the language lives in the URL.
    """
    language = translation.get_language_from_request(request)
    supported = {code for code, _name in settings.LANGUAGES}
    if language not in supported:
        language = settings.LANGUAGE_CODE
    response = HttpResponseRedirect(f"/{language}/")
    patch_vary_headers(response, ["Accept-Language"])
    return response
