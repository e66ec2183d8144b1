"""URL map. Public pages sit under a language prefix (/es/…) so they set no cookie and can be
cached whole; the admin, feeds' static parts, media and health checks do not need one."""

from django.conf.urls.i18n import i18n_patterns
from django.contrib import admin
from django.urls import include, path
from wagtail import urls as wagtail_urls
from wagtail.admin import urls as wagtailadmin_urls
from wagtail.documents import urls as wagtaildocs_urls

from oncoreach.core import views as core_views
from oncoreach.stories import views as stories_views

urlpatterns = [
    path("cms/", include(wagtailadmin_urls)),
    path("django-admin/", admin.site.urls),
    path("documents/", include(wagtaildocs_urls)),
    path("healthz", core_views.healthz, name="healthz"),
    # The JSON API: no language prefix, no cookies; one error shape for every path below it.
    path("api/", include("oncoreach.api.urls")),
    # Single sign-on with the society's account (OpenID Connect): one fixed redirect URI.
    path("sso/", include("oncoreach.people.urls_sso")),
    # Pictures: public once a live page shows them, otherwise only to those allowed (stories).
    path("media/images/<path:path>", stories_views.story_image, name="public-image"),
    path("", include("oncoreach.pages.urls_root")),
]

urlpatterns += i18n_patterns(
    path("accounts/", include("oncoreach.accounts.urls")),
    path("people/", include("oncoreach.people.urls")),
    path("staff/geo/", include("oncoreach.geo.urls")),
    path("", include("oncoreach.reporting.urls")),
    path("staff/api-tokens/", include("oncoreach.api.urls_tokens")),
    path("staff/outbox/", include("oncoreach.core.urls")),
    path("staff/forms/", include("oncoreach.programs.urls")),
    path("staff/messages/", include("oncoreach.messaging.urls")),
    path("mail/", include("oncoreach.messaging.urls_public")),
    path("travel/", include("oncoreach.travel.urls")),
    path("workshops/", include("oncoreach.workshops.urls")),
    path("volunteer/", include("oncoreach.volunteers.urls")),
    path("calls/", include("oncoreach.calls.urls")),
    path("awards/", include("oncoreach.awards.urls")),
    path("mentoring/", include("oncoreach.mentoring.urls")),
    path("", include("oncoreach.stories.urls")),
    path("", include("oncoreach.pages.urls")),
    # Wagtail serves the page tree (home, stories, program pages); it must come last.
    path("", include(wagtail_urls)),
    prefix_default_language=True,
)

handler404 = "oncoreach.core.views.page_not_found"
handler500 = "oncoreach.core.views.server_error"
