"""Wagtail pages that show several areas at once: the home page and program pages."""

from __future__ import annotations

from typing import Any

from django.http import HttpRequest, HttpResponse
from django.utils.translation import gettext_lazy as _
from wagtail.admin.panels import FieldPanel
from wagtail.fields import RichTextField
from wagtail.models import Page

from oncoreach.core.cache import mark_public

HOME_STORY_COUNT = 5
HOME_COURSE_COUNT = 3
HOME_CALL_COUNT = 5


class PublicPageMixin:
    """Readers' views of these pages may be kept whole by the public-page cache; previews not."""

    def serve(self, request: HttpRequest, *args: Any, **kwargs: Any) -> HttpResponse:
        response: HttpResponse = super().serve(request, *args, **kwargs)  # type: ignore[misc]
        if not getattr(request, "is_preview", False):
            mark_public(response)  # type: ignore[no-untyped-call]
        return response


class HomePage(PublicPageMixin, Page):
    """What the program is, with live figures from the database (see ``pages.selectors``)."""

    intro = RichTextField(_("introduction"), blank=True, features=["bold", "italic", "link"])
    body = RichTextField(_("body"), blank=True, features=["h2", "h3", "bold", "italic", "link", "ul", "ol"])

    content_panels = [*Page.content_panels, FieldPanel("intro"), FieldPanel("body")]
    parent_page_types = ["wagtailcore.Page"]
    max_count = 1

    class Meta:
        verbose_name = _("home page")

    def get_context(self, request: HttpRequest, *args: Any, **kwargs: Any) -> dict[str, Any]:
        """Live figures (cached a few minutes), open calls, upcoming courses, the newest stories.
        A fixed number of queries whatever the data (tests/pages/test_home.py)."""
        from django.utils import timezone

        from oncoreach.calls import selectors as call_selectors
        from oncoreach.pages import selectors
        from oncoreach.reporting import selectors as reporting_selectors
        from oncoreach.stories import selectors as story_selectors
        from oncoreach.workshops import selectors as course_selectors

        context: dict[str, Any] = super().get_context(request, *args, **kwargs)
        context.update(
            nav_section="home",
            figures=selectors.home_figures(),
            impact=reporting_selectors.headline_figures(),
            open_calls=list(call_selectors.open_calls()[:HOME_CALL_COUNT]),
            upcoming_courses=list(course_selectors.upcoming_courses(today=timezone.localdate())[:HOME_COURSE_COUNT]),
            latest_stories=list(story_selectors.stories_for_list()[:HOME_STORY_COUNT]),
        )
        return context


class ContentPage(PublicPageMixin, Page):
    """A plain page for program descriptions, 'about', and the like."""

    intro = RichTextField(_("introduction"), blank=True, features=["bold", "italic", "link"])
    body = RichTextField(
        _("body"), blank=True, features=["h2", "h3", "bold", "italic", "link", "ul", "ol", "blockquote"]
    )

    content_panels = [*Page.content_panels, FieldPanel("intro"), FieldPanel("body")]

    class Meta:
        verbose_name = _("content page")
