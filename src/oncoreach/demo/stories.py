"""Demo stories: ten years of published stories (bulk), and the demo volunteer's stories in every
moderation state (through ``stories.services``, as the guest form and the editors do).

Published history has no lifecycle left to exercise, so it is written directly: Wagtail pages
with precomputed treebeard paths, one revision and one publish log entry each, and bulk search
indexing (``add_child`` + ``save_revision`` one page at a time is far too slow for 1,500 stories).
Each story is tagged with the program, country and first topic its text is about.
"""

from __future__ import annotations

import datetime as dt
import random
import uuid
from collections.abc import Sequence
from dataclasses import dataclass
from typing import Any

from django.conf import settings
from django.contrib.contenttypes.models import ContentType
from django.utils import timezone
from django.utils.text import slugify
from taggit.models import Tag
from wagtail.models import Page, PageLogEntry, Revision
from wagtail.search.backends import get_search_backends

from oncoreach.demo.clock import replay_at
from oncoreach.demo.data import content
from oncoreach.demo.progress import Progress
from oncoreach.geo.models import Country
from oncoreach.pages.models import HomePage
from oncoreach.pages.services import sync_site_address
from oncoreach.people.models import Person
from oncoreach.programs.models import Program
from oncoreach.stories import services
from oncoreach.stories.models import StoryAuthor, StoryIndexPage, StoryPage, StoryTopic
from oncoreach.stories.services import RESERVED_SLUGS

BATCH = 2000


def ensure_page_tree() -> StoryIndexPage:
    """Home → Stories come from data migrations; create them here only if they are missing."""
    existing: StoryIndexPage | None = StoryIndexPage.objects.order_by("path").first()
    if existing is not None:
        return existing
    home = HomePage.objects.order_by("path").first()
    if home is None:
        root = Page.get_first_root_node()
        home = root.add_child(instance=HomePage(title=settings.SOCIETY["program_name"], slug="home-page"))
    sync_site_address(root_page=home)
    index = StoryIndexPage(title="Stories", slug="stories")
    home.add_child(instance=index)
    index.save_revision().publish()
    return index


# --- Published history (bulk) ------------------------------------------------------------------


def write_published_stories(
    *,
    rng: random.Random,
    index: StoryIndexPage,
    stories: Sequence[dict[str, Any]],
    person_pks: Sequence[int],
    user_pks: Sequence[int | None],
    programs: dict[str, Program],
    volunteer: Person | None,
    progress: Progress,
) -> list[int]:
    """Live story pages with one revision each, built in bulk under the stories index.

    The demo volunteer becomes the author of every fourth story or so, so her profile shows some.
    """
    if not stories:
        return []
    story_type = ContentType.objects.get_for_model(StoryPage)
    page_type = ContentType.objects.get_for_model(Page)
    index = StoryIndexPage.objects.select_for_update(of=("self",)).get(pk=index.pk)
    # Query the children directly: treebeard's helpers trust numchild, which bulk writes bypass.
    children_qs = Page.objects.filter(path__startswith=index.path, depth=index.depth + 1)
    last_path = children_qs.order_by("-path").values_list("path", flat=True).first()
    next_step = Page._str2int(last_path[-Page.steplen :]) + 1 if last_path else 1
    taken = set(children_qs.values_list("slug", flat=True)) | RESERVED_SLUGS

    pages: list[Page] = []
    story_rows: list[dict[str, Any]] = []
    for number, story in enumerate(stories):
        slug = base = slugify(story["title"])[:70].strip("-") or "story"
        suffix = 2
        while slug in taken:
            slug = f"{base}-{suffix}"
            suffix += 1
        taken.add(slug)
        published = timezone.make_aware(dt.datetime.combine(story["date"], dt.time(story["hour"], 0)), dt.UTC)
        authors = [person_pks[i] for i in story["authors"]]
        owner_pk = next((user_pks[i] for i in story["authors"] if user_pks[i]), None)
        if volunteer is not None and number % max(1, len(stories) // 4) == 0:
            authors, owner_pk = [volunteer.pk], volunteer.user_id
        pages.append(
            Page(
                title=story["title"],
                draft_title=story["title"],
                slug=slug,
                content_type=story_type,
                path=Page._get_path(index.path, index.depth + 1, next_step + number),
                depth=index.depth + 1,
                numchild=0,
                url_path=f"{index.url_path}{slug}/",
                live=True,
                has_unpublished_changes=False,
                first_published_at=published,
                last_published_at=published,
                latest_revision_created_at=published,
                owner_id=owner_pk,
                locale_id=index.locale_id,
                translation_key=story["translation_key"],
                seo_title="",
                search_description="",
                show_in_menus=False,
            )
        )
        story_rows.append({"story": story, "authors": authors})

    with progress:
        for start in range(0, len(pages), BATCH):
            Page.objects.bulk_create(pages[start : start + BATCH])
        page_ids = [p.pk for p in pages]
        children = [
            StoryPage(
                page_ptr_id=pk,
                teaser=row["story"]["teaser"],
                date=row["story"]["date"],
                body=row["story"]["body"],
                no_patient_identifiers=True,
            )
            for pk, row in zip(page_ids, story_rows, strict=True)
        ]
        for child in children:
            child.pk = child.page_ptr_id
        local_fields = StoryPage._meta.local_concrete_fields
        for start in range(0, len(children), 500):
            StoryPage.objects._insert(children[start : start + 500], fields=local_fields)
        _write_story_tags(page_ids, story_rows, programs)
        Page.objects.filter(pk=index.pk).update(numchild=children_qs.count())
        progress.advance(len(page_ids))
        _write_revisions(
            rng, page_ids=page_ids, pages=pages, story_type=story_type, page_type=page_type, progress=progress
        )
        _index_stories(page_ids, progress)
    return page_ids


def _write_story_tags(
    page_ids: Sequence[int], story_rows: Sequence[dict[str, Any]], programs: dict[str, Program]
) -> None:
    country_through = StoryPage.countries.through
    program_through = StoryPage.programs.through
    tags = _topic_tags()
    country_rows, program_rows, topic_rows, author_rows = [], [], [], []
    for pk, row in zip(page_ids, story_rows, strict=True):
        story = row["story"]
        country_rows += [country_through(storypage_id=pk, country_id=c) for c in story["country_pks"]]
        program_rows += [program_through(storypage_id=pk, program_id=programs[s].pk) for s in story["program_slugs"]]
        topic_rows += [StoryTopic(content_object_id=pk, tag_id=tags[t]) for t in story["topics"]]
        author_rows += [
            StoryAuthor(page_id=pk, person_id=person_pk, sort_order=order)
            for order, person_pk in enumerate(row["authors"])
        ]
    for model, rows in (
        (country_through, country_rows),
        (program_through, program_rows),
        (StoryTopic, topic_rows),
        (StoryAuthor, author_rows),
    ):
        model.objects.bulk_create(rows, batch_size=BATCH)


def _topic_tags() -> dict[str, int]:
    tags: dict[str, int] = {}
    for name in content.TOPICS:
        tag = Tag.objects.filter(name__iexact=name).first() or Tag.objects.create(name=name, slug=slugify(name))
        tags[name] = tag.pk
    return tags


def _write_revisions(
    rng: random.Random,
    *,
    page_ids: Sequence[int],
    pages: Sequence[Page],
    story_type: ContentType,
    page_type: ContentType,
    progress: Progress,
) -> None:
    by_pk = {p.pk: p for p in pages}
    for start in range(0, len(page_ids), 500):
        chunk = list(
            StoryPage.objects.filter(pk__in=page_ids[start : start + 500])
            .prefetch_related("countries", "programs", "story_authors", "topic_items", "wagtail_admin_comments")
            .order_by("pk")
        )
        revisions = [
            Revision(
                content_type=story_type,
                base_content_type=page_type,
                object_id=str(page.pk),
                created_at=by_pk[page.pk].first_published_at,
                user_id=page.owner_id,
                object_str=page.title,
                content=page.serializable_data(),
            )
            for page in chunk
        ]
        Revision.objects.bulk_create(revisions)
        updates = []
        logs = []
        for revision in revisions:
            page = by_pk[int(revision.object_id)]
            page.latest_revision_id = revision.pk
            page.live_revision_id = revision.pk
            updates.append(page)
            logs.append(
                PageLogEntry(
                    content_type=story_type,
                    page_id=page.pk,
                    revision_id=revision.pk,
                    action="wagtail.publish",
                    label=page.title,
                    user_id=page.owner_id,
                    timestamp=revision.created_at,
                    uuid=uuid.UUID(int=rng.getrandbits(128), version=4),
                    data={},
                )
            )
        Page.objects.bulk_update(updates, ["latest_revision", "live_revision"], batch_size=500)
        PageLogEntry.objects.bulk_create(logs)
        progress.advance(len(chunk))


def _index_stories(page_ids: Sequence[int], progress: Progress) -> None:
    """What ``update_index`` does, for the new stories only, in bulk."""
    for backend in get_search_backends(with_auto_update=True):
        for start in range(0, len(page_ids), 500):
            chunk = list(StoryPage.objects.filter(pk__in=page_ids[start : start + 500]))
            backend.add_bulk(StoryPage, chunk)
            progress.advance(len(chunk))


# --- The demo volunteer's stories, through the moderation services ------------------------------


@dataclass(frozen=True)
class ModerationStory:
    state: str  # draft | submitted | changes_requested | published
    program: str
    topics: tuple[str, ...]
    title: str
    teaser: str
    body: str


MODERATION_STORIES = (
    ModerationStory(
        "published",
        "palliative-care-workshop",
        ("palliative care", "pain management"),
        "Teaching pain control in {city}",
        "Three days on pain and symptom control with nurses and doctors from across {country}.",
        "We arrived in {city} with slides; we left with a list of what our colleagues actually need.\n\n"
        "The most useful session was a bedside round where nurses led the discussion.",
    ),
    ModerationStory(
        "submitted",
        "multidisciplinary-cancer-management-course",
        ("tumor boards",),
        "What a week in {city} taught me about tumor boards",
        "A volunteer's notes from a multidisciplinary course in {country}.",
        "Every afternoon we discussed real, anonymised cases.\n\nBy Friday the surgeons were presenting.",
    ),
    ModerationStory(
        "submitted",
        "international-innovation-grant",
        ("cancer registries",),
        "Building a cancer registry from one form",
        "How a hospital in {city} started recording every new cancer case the same way.",
        "It started with a single paper form.\n\nTwo years later the registry covers the whole province.",
    ),
    ModerationStory(
        "changes_requested",
        "virtual-mentors",
        ("mentoring",),
        "Mentoring across eight time zones",
        "A year of monthly calls between a mentor and a young oncologist in {city}.",
        "We met at six in the morning my time and two in the afternoon hers.\n\nShe now leads the unit's trials.",
    ),
    ModerationStory(
        "changes_requested",
        "palliative-care-development-award",
        ("palliative care",),
        "Palliative care at home in {country}",
        "Community nurses in {city} are bringing palliative care to patients' homes.",
        "The team visits twenty patients a week on motorbikes.\n\nMorphine supply remains the hardest problem.",
    ),
    ModerationStory(
        "draft",
        "multidisciplinary-cancer-management-course",
        ("radiation therapy",),
        "Notes from the radiotherapy unit in {city}",
        "Draft: what we saw and what we plan to teach next time.",
        "One machine, two shifts a day, and a waiting list of six weeks.",
    ),
)

CHANGES_COMMENT = (
    "Thank you! Could you add a sentence on who the local co-faculty were, and remove the hospital ward name?"
)


def seed_moderation_stories(
    *,
    rng: random.Random,
    author: Any,
    editor: Any,
    places: Sequence[tuple[str, Country]],
    programs: dict[str, Program],
    today: dt.date,
) -> int:
    """The demo volunteer's stories: one published, two waiting for the editors, two sent back,
    one draft. ``places`` gives (city, country) for each story in turn (the first is where she
    taught). Each story is written, sent back or published a few days apart, as it happened."""
    tags = _topic_tags()
    made = 0
    for number, story in enumerate(MODERATION_STORIES):
        city, country = places[number % len(places)]
        words = {"city": city, "country": country.name}
        payload = {
            "title": story.title.format(**words),
            "teaser": story.teaser.format(**words),
            "body": story.body.format(**words),
            "countries": [country],
            "programs": [programs[story.program]],
            "topics": [topic for topic in story.topics if topic in tags],
            "no_patient_identifiers": True,
            "submission_token": str(uuid.UUID(int=rng.getrandbits(128), version=4)),
        }
        written = today - dt.timedelta(days=21 - 3 * number)
        if story.state == "draft":
            with replay_at(written):
                _draft_story(author, payload, today=written)
            made += 1
            continue
        with replay_at(written):
            page = services.submit_guest_story(author_user=author, data=payload, images=[])
        with replay_at(written + dt.timedelta(days=2)):
            if story.state == "changes_requested":
                services.request_changes(page=page, editor=editor, comment=CHANGES_COMMENT)
            elif story.state == "published":
                services.publish_story(page=page, editor=editor)
        made += 1
    return made


def _draft_story(author: Any, payload: dict[str, Any], *, today: dt.date) -> StoryPage:
    """A story the author saved but has not sent to the editors yet (no workflow).

    The guest form has no "save draft" yet, so this is what an editor's draft in the CMS is: a
    non-live page with one revision by its owner.
    """
    from wagtail.rich_text import RichText

    index = StoryIndexPage.objects.order_by("path").first()
    assert index is not None
    person = Person.objects.get(user=author)
    taken = set(Page.objects.filter(path__startswith=index.path, depth=index.depth + 1).values_list("slug", flat=True))
    slug = base = slugify(payload["title"])[:70] or "draft"
    suffix = 2
    while slug in taken:
        slug = f"{base}-{suffix}"
        suffix += 1
    page = StoryPage(
        title=payload["title"],
        slug=slug,
        teaser=payload["teaser"],
        date=today,
        owner=author,
        live=False,
        body=[("paragraph", RichText(f"<p>{payload['body']}</p>"))],
        no_patient_identifiers=True,
    )
    page.countries.set(payload["countries"])
    page.programs.set(payload["programs"])
    page.topics.set(payload["topics"])
    page.story_authors.add(StoryAuthor(person=person))
    index.add_child(instance=page)
    page.save_revision(user=author)
    return page
