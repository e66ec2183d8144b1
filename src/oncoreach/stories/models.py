"""Stories are Wagtail pages: editors get revisions, previews, scheduling and moderation.

A story's state is Wagtail's own (revisions, ``live``, workflow task states); there is no status
column (ARCHITECTURE.md §3). Guest authors reach these pages only through ``stories.services``.
"""

from __future__ import annotations

from typing import Any

from django.db import models
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect
from django.utils.translation import gettext_lazy as _
from modelcluster.contrib.taggit import ClusterTaggableManager
from modelcluster.fields import ParentalKey, ParentalManyToManyField
from taggit.models import TaggedItemBase
from wagtail import blocks
from wagtail.admin.panels import FieldPanel, InlinePanel, MultiFieldPanel
from wagtail.fields import RichTextField, StreamField
from wagtail.images.blocks import ImageChooserBlock
from wagtail.models import Orderable, Page
from wagtail.search import index

from oncoreach.core.cache import mark_public
from oncoreach.core.links import absolute_url

RICH_TEXT_FEATURES = ["h2", "h3", "bold", "italic", "ol", "ul", "link", "blockquote"]


class ImageBlock(blocks.StructBlock):
    image = ImageChooserBlock(label=_("image"))
    alt_text = blocks.CharBlock(
        label=_("alternative text"),
        max_length=250,
        help_text=_("Describe the picture for people who cannot see it. Required."),
    )
    caption = blocks.CharBlock(label=_("caption"), required=False, max_length=300)

    class Meta:
        icon = "image"
        template = "stories/blocks/image.html"


class QuoteBlock(blocks.StructBlock):
    text = blocks.TextBlock(label=_("quote"))
    attribution = blocks.CharBlock(label=_("who said it"), required=False, max_length=200)

    class Meta:
        icon = "openquote"
        template = "stories/blocks/quote.html"


class VideoLinkBlock(blocks.StructBlock):
    """A plain link with a title: no oEmbed, so no request leaves the server for a reader."""

    url = blocks.URLBlock(label=_("video address"))
    title = blocks.CharBlock(label=_("video title"), max_length=200)

    class Meta:
        icon = "media"
        template = "stories/blocks/video_link.html"


class StoryBodyBlock(blocks.StreamBlock):
    paragraph = blocks.RichTextBlock(label=_("text"), features=RICH_TEXT_FEATURES)
    image = ImageBlock(label=_("image"))
    quote = QuoteBlock(label=_("quote"))
    video = VideoLinkBlock(label=_("video link"))


class StoryIndexPage(Page):
    """The parent of every story; its public list is served by ``stories.views.story_index``."""

    intro = RichTextField(_("introduction"), blank=True, features=["bold", "italic", "link"])

    content_panels = [*Page.content_panels, FieldPanel("intro")]
    subpage_types = ["stories.StoryPage"]
    parent_page_types = ["pages.HomePage"]
    max_count = 1

    class Meta:
        verbose_name = _("stories section")

    def serve(self, request: HttpRequest, *args: Any, **kwargs: Any) -> HttpResponse:
        """The list lives in a Django view (filters, search); Wagtail's URL for it just points there."""
        return redirect("stories:index")


class StoryTopic(TaggedItemBase):
    content_object = ParentalKey("stories.StoryPage", on_delete=models.CASCADE, related_name="topic_items")


class StoryPage(Page):
    teaser = models.TextField(
        _("teaser"), max_length=600, help_text=_("The one-paragraph summary shown in lists and feeds.")
    )
    date = models.DateField(_("publication date"), db_index=True)
    body = StreamField(StoryBodyBlock(), verbose_name=_("body"), blank=True)
    countries = ParentalManyToManyField("geo.Country", verbose_name=_("countries"), blank=True, related_name="stories")
    programs = ParentalManyToManyField(
        "programs.Program", verbose_name=_("programs"), blank=True, related_name="stories"
    )
    topics = ClusterTaggableManager(verbose_name=_("topics"), through=StoryTopic, blank=True)
    # The patient-privacy checklist editors confirm before publishing (ARCHITECTURE.md §7).
    no_patient_identifiers = models.BooleanField(
        _("checked: no patient-identifiable details"),
        default=False,
        help_text=_("Names, photos, dates or places that could identify a patient must be removed."),
    )

    content_panels = [
        *Page.content_panels,
        FieldPanel("date"),
        FieldPanel("teaser"),
        FieldPanel("body"),
        InlinePanel("story_authors", label=_("authors")),
        MultiFieldPanel([FieldPanel("countries"), FieldPanel("programs"), FieldPanel("topics")], heading=_("tags")),
        FieldPanel("no_patient_identifiers"),
    ]
    search_fields = [
        *Page.search_fields,
        index.SearchField("teaser"),
        index.SearchField("body"),
        index.FilterField("date"),
    ]
    parent_page_types = ["stories.StoryIndexPage"]
    subpage_types: list[str] = []

    class Meta:
        verbose_name = _("story")
        verbose_name_plural = _("stories")
        indexes = [models.Index(fields=["-date"], name="story_date_desc")]

    def lead_image(self) -> Any:
        """The first image block's value (image, alt text, caption), for previews and og:image."""
        for block in self.body:
            if block.block_type == "image" and block.value["image"] is not None:
                return block.value
        return None

    def og_image_url(self) -> str:
        """Absolute address of a width-limited copy of the lead image, or "" (missing file too)."""
        from wagtail.images.models import SourceImageIOError

        lead = self.lead_image()
        if lead is None:
            return ""
        try:
            return absolute_url(lead["image"].get_rendition("width-1200").url)
        except SourceImageIOError:
            return ""

    def get_context(self, request: HttpRequest, *args: Any, **kwargs: Any) -> dict[str, Any]:
        """Authors, tags and related stories in a fixed number of queries (stories.selectors)."""
        from oncoreach.stories import selectors

        context: dict[str, Any] = super().get_context(request, *args, **kwargs)
        tags = selectors.story_tags(story=self)
        page_url = absolute_url(self.get_url(request=request) or request.path)
        context.update(
            nav_section="stories",
            authors=[author.person for author in self.story_authors.select_related("person")],
            tags=tags,
            related_stories=selectors.related_stories(story=self, tags=tags),
            page_absolute_url=page_url,
            og_image_url=self.og_image_url(),
        )
        return context

    def serve(self, request: HttpRequest, *args: Any, **kwargs: Any) -> HttpResponse:
        """Readers get a page the public-page cache may keep; previews are never cached."""
        response: HttpResponse = super().serve(request, *args, **kwargs)
        if not getattr(request, "is_preview", False):
            mark_public(response)  # type: ignore[no-untyped-call]
        return response


class StoryAuthor(Orderable):
    page = ParentalKey(StoryPage, on_delete=models.CASCADE, related_name="story_authors")
    person = models.ForeignKey("people.Person", verbose_name=_("author"), on_delete=models.PROTECT, related_name="+")

    # The widget is stories.author_chooser's (authors only, by name only), registered for
    # every foreign key to Person in the CMS.
    panels = [FieldPanel("person")]

    class Meta(Orderable.Meta):
        verbose_name = _("author")
        constraints = [models.UniqueConstraint(fields=["page", "person"], name="story_author_once")]

    def __str__(self) -> str:
        return str(self.person)
