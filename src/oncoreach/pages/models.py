"""Wagtail pages that show several areas at once: the home page and program pages."""

from __future__ import annotations

from django.utils.translation import gettext_lazy as _
from wagtail.admin.panels import FieldPanel
from wagtail.fields import RichTextField
from wagtail.models import Page


class HomePage(Page):
    """What the program is, with live figures from the database (see ``pages.selectors``)."""

    intro = RichTextField(_("introduction"), blank=True, features=["bold", "italic", "link"])
    body = RichTextField(_("body"), blank=True, features=["h2", "h3", "bold", "italic", "link", "ul", "ol"])

    content_panels = [*Page.content_panels, FieldPanel("intro"), FieldPanel("body")]
    parent_page_types = ["wagtailcore.Page"]
    max_count = 1

    class Meta:
        verbose_name = _("home page")


class ContentPage(Page):
    """A plain page for program descriptions, 'about', and the like."""

    intro = RichTextField(_("introduction"), blank=True, features=["bold", "italic", "link"])
    body = RichTextField(_("body"), blank=True, features=["h2", "h3", "bold", "italic", "link", "ul", "ol", "blockquote"])

    content_panels = [*Page.content_panels, FieldPanel("intro"), FieldPanel("body")]

    class Meta:
        verbose_name = _("content page")
