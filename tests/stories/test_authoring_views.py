"""Guest-author pages: write, my stories, revise — who may use them and what they show."""

from __future__ import annotations

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.urls import reverse
from pytest_django.asserts import assertContains, assertNotContains, assertRedirects

from oncoreach.core.models import OutboundEmail
from oncoreach.stories.models import StoryPage
from oncoreach.stories.services import publish_story, request_changes, submit_guest_story
from tests.conftest import _persona
from tests.e2e.story_helpers import ensure_story_tree, jpeg_upload, post_data, story_data

pytestmark = [pytest.mark.integration]

WRITE = "/en/stories/write/"
MINE = "/en/stories/mine/"


@pytest.fixture
def story_index(db):
    return ensure_story_tree()


@pytest.fixture
def other_volunteer(db):
    return _persona("olga@example.org", "Olga Other", volunteer=True)


def _revise_url(page):
    return reverse("stories:revise", args=[page.pk])


# --- URLs ----------------------------------------------------------------------------------------


def test_authoring_urls_sit_under_the_language_prefix():
    assert (reverse("stories:write"), reverse("stories:mine"), reverse("stories:revise", args=[7])) == (
        WRITE,
        MINE,
        "/en/stories/mine/7/revise/",
    )


# --- who may write ---------------------------------------------------------------------------


@pytest.mark.parametrize("url", [WRITE, MINE, "/en/stories/mine/1/revise/"])
def test_authoring_pages_send_anonymous_readers_to_sign_in(client, db, url):
    response = client.get(url)
    assertRedirects(response, f"{reverse('accounts:login')}?next={url}", fetch_redirect_response=False)


@pytest.mark.parametrize("persona", ["member", "outsider"])
def test_story_write_refuses_non_volunteers_with_a_way_in(client, story_index, persona, request):
    client.force_login(request.getfixturevalue(persona))

    response = client.get(WRITE)

    assert response.status_code == 403
    assertContains(response, "Stories are written by volunteers", status_code=403)
    assertContains(response, f'href="{reverse("people:get-involved")}"', status_code=403)


def test_story_write_refuses_a_non_volunteer_post(client, story_index, member):
    client.force_login(member)
    response = client.post(WRITE, post_data())
    assert response.status_code == 403
    assert StoryPage.objects.count() == 0


@pytest.mark.parametrize("persona", ["volunteer", "editor"])
def test_story_write_shows_the_form(client, story_index, persona, request):
    client.force_login(request.getfixturevalue(persona))

    response = client.get(WRITE)

    assertContains(response, 'enctype="multipart/form-data"')
    assertContains(response, 'name="csrfmiddlewaretoken"')
    assertContains(response, '<label for="id_title">Title')
    assertContains(response, 'aria-describedby="id_teaser_helptext"')
    assertContains(response, 'name="submission_token"')
    assertContains(response, 'name="image_3_alt"')


# --- submitting ------------------------------------------------------------------------------


def test_story_write_submits_and_redirects_to_my_stories(client, story_index, volunteer, editor):
    client.force_login(volunteer)

    response = client.post(WRITE, post_data(image_1=jpeg_upload(), image_1_alt="Twelve doctors around a table"))

    assertRedirects(response, MINE, fetch_redirect_response=False)
    [page] = StoryPage.objects.all()
    assert (page.title, page.owner, page.live) == ("A tumor board in Ibadan", volunteer, False)
    assert [b.value["alt_text"] for b in page.body if b.block_type == "image"] == ["Twelve doctors around a table"]
    assert sorted(OutboundEmail.objects.values_list("to", flat=True)) == ["editor@example.org", "volunteer@example.org"]
    followed = client.get(MINE)
    assertContains(followed, "is with the editors now")


def test_story_write_double_submit_makes_one_story(client, story_index, volunteer, editor):
    client.force_login(volunteer)
    data = post_data()

    first = client.post(WRITE, data)
    second = client.post(WRITE, data)

    assert (first.status_code, second.status_code) == (302, 302)
    assert StoryPage.objects.count() == 1
    assert OutboundEmail.objects.filter(to="editor@example.org").count() == 1


def test_story_write_invalid_keeps_what_was_typed_and_asks_for_pictures_again(client, story_index, volunteer):
    client.force_login(volunteer)

    response = client.post(
        WRITE,
        post_data(
            teaser="", body="My long story, kept.", image_1=jpeg_upload(), image_1_alt="", no_patient_identifiers=""
        ),
    )

    assert response.status_code == 200
    assert StoryPage.objects.count() == 0
    assertContains(response, "My long story, kept.")
    assertContains(response, 'value="A tumor board in Ibadan"')
    assertContains(response, 'aria-invalid="true"', count=3)
    assertContains(response, 'id="id_teaser_error"')
    assertContains(response, 'aria-describedby="id_teaser_helptext id_teaser_error"')
    assertContains(response, "Describe this picture for people who cannot see it (alternative text).")
    assertContains(response, "please choose them again")


def test_story_write_refuses_a_text_file_named_jpg(client, story_index, volunteer):
    client.force_login(volunteer)
    fake = SimpleUploadedFile("photo.jpg", b"<html>not a picture</html>", content_type="image/jpeg")

    response = client.post(WRITE, post_data(image_1=fake, image_1_alt="A photo"))

    assertContains(response, "This file is not a picture we can read.")
    assert StoryPage.objects.count() == 0


# --- my stories ------------------------------------------------------------------------------


def test_story_mine_lists_only_the_authors_stories_with_their_state(
    client, story_index, volunteer, other_volunteer, editor
):
    submitted = submit_guest_story(author_user=volunteer, data=story_data(title="Waiting story"), images=[])
    returned = submit_guest_story(author_user=volunteer, data=story_data(title="Returned story"), images=[])
    request_changes(page=returned, editor=editor, comment="Please remove the patient's initials.")
    published = publish_story(
        page=submit_guest_story(author_user=volunteer, data=story_data(title="Live story"), images=[]), editor=editor
    )
    secret = submit_guest_story(author_user=other_volunteer, data=story_data(title="Olga's secret draft"), images=[])
    request_changes(page=secret, editor=editor, comment="Olga: confidential note.")
    client.force_login(volunteer)

    response = client.get(MINE)

    titles = [row.page.draft_title for row in response.context["rows"]]
    assert sorted(titles) == ["Live story", "Returned story", "Waiting story"]
    states = {row.page.draft_title: row.status for row in response.context["rows"]}
    assert states == {"Live story": "published", "Returned story": "needs_changes", "Waiting story": "submitted"}
    assertContains(response, "Please remove the patient&#x27;s initials.")
    assertContains(response, f'href="{published.url}"')
    assertContains(response, f'href="{_revise_url(returned)}"')
    assertNotContains(response, _revise_url(submitted))
    assertNotContains(response, "Olga")
    assertNotContains(response, "confidential note")


def test_story_mine_editor_comment_is_not_shown_to_another_volunteer(
    client, story_index, volunteer, other_volunteer, editor
):
    page = submit_guest_story(author_user=volunteer, data=story_data(), images=[])
    request_changes(page=page, editor=editor, comment="Remove the ward number.")
    client.force_login(other_volunteer)

    response = client.get(MINE)

    assert response.context["rows"] == []
    assertNotContains(response, "Remove the ward number.")
    assert client.get(_revise_url(page)).status_code == 404


@pytest.mark.usefixtures("story_index")
@pytest.mark.parametrize("count", [1, 3])
def test_story_mine_query_count(client, volunteer, editor, django_assert_num_queries, count):
    for number in range(count):
        page = submit_guest_story(author_user=volunteer, data=story_data(title=f"Story {number}"), images=[])
        request_changes(page=page, editor=editor, comment=f"Change {number}")
    client.force_login(volunteer)

    # session, user, groups, volunteer check, stories, their workflow states, their open comments
    with django_assert_num_queries(7):
        response = client.get(MINE)

    assert len(response.context["rows"]) == count


# --- revise ----------------------------------------------------------------------------------


def test_story_revise_shows_the_latest_revision(client, story_index, volunteer, editor):
    page = submit_guest_story(author_user=volunteer, data=story_data(body="First.\n\nSecond."), images=[])
    request_changes(page=page, editor=editor, comment="Shorter, please.")
    client.force_login(volunteer)

    response = client.get(_revise_url(page))

    assertContains(response, 'value="A tumor board in Ibadan"')
    assertContains(response, "First.\n\nSecond.</textarea>")
    assertContains(response, 'value="tumor boards, pathology"')


def test_story_revise_resubmits(client, story_index, volunteer, editor):
    page = submit_guest_story(author_user=volunteer, data=story_data(), images=[])
    request_changes(page=page, editor=editor, comment="Shorter title, please.")
    client.force_login(volunteer)

    response = client.post(_revise_url(page), post_data(title="Tumor board"))

    assertRedirects(response, MINE)
    page = StoryPage.objects.get(pk=page.pk)
    assert (page.draft_title, page.current_workflow_state.status) == ("Tumor board", "in_progress")


def test_story_revise_refused_while_in_moderation(client, story_index, volunteer):
    page = submit_guest_story(author_user=volunteer, data=story_data(), images=[])
    client.force_login(volunteer)

    response = client.post(_revise_url(page), post_data(title="Changed"), follow=True)

    assertContains(response, "This story is with the editors now.")
    assert StoryPage.objects.get(pk=page.pk).draft_title == "A tumor board in Ibadan"


def test_story_revise_refused_when_published(client, story_index, volunteer, editor):
    page = publish_story(page=submit_guest_story(author_user=volunteer, data=story_data(), images=[]), editor=editor)
    client.force_login(volunteer)

    response = client.get(_revise_url(page), follow=True)

    assertContains(response, "This story is published.")


def test_story_revise_of_someone_elses_story_is_404(client, story_index, volunteer, other_volunteer, editor):
    page = submit_guest_story(author_user=other_volunteer, data=story_data(), images=[])
    request_changes(page=page, editor=editor, comment="More detail.")
    client.force_login(volunteer)

    assert client.post(_revise_url(page), post_data(title="Hijacked")).status_code == 404
    assert StoryPage.objects.get(pk=page.pk).draft_title == "A tumor board in Ibadan"


def test_story_mine_for_a_member_is_empty_and_offers_no_form(client, story_index, member, volunteer):
    submit_guest_story(author_user=volunteer, data=story_data(title="Victor's story"), images=[])
    client.force_login(member)

    response = client.get(MINE)

    assert response.context["rows"] == []
    assertContains(response, "You have not written a story yet.")
    assertNotContains(response, f'href="{WRITE}"')
    assertNotContains(response, "Victor")


def test_story_mine_shows_open_page_comments_to_the_author_only(
    client, story_index, volunteer, other_volunteer, editor
):
    from wagtail.models import Comment

    page = submit_guest_story(author_user=volunteer, data=story_data(), images=[])
    Comment.objects.create(page=page, user=editor, text="Is the date in the title right?", contentpath="title")
    Comment.objects.create(
        page=page,
        user=editor,
        text="Resolved already.",
        contentpath="teaser",
        resolved_at=page.latest_revision_created_at,
    )

    client.force_login(volunteer)
    mine = client.get(MINE)
    client.force_login(other_volunteer)
    theirs = client.get(MINE)

    assert [note.text for note in mine.context["rows"][0].feedback] == ["Is the date in the title right?"]
    assertContains(mine, "Is the date in the title right?")
    assertNotContains(mine, "Resolved already.")
    assertNotContains(theirs, "Is the date in the title right?")


def test_story_revise_double_submit_resubmits_once(client, story_index, volunteer, editor):
    page = submit_guest_story(author_user=volunteer, data=story_data(), images=[])
    request_changes(page=page, editor=editor, comment="Shorter title, please.")
    client.force_login(volunteer)
    data = post_data(title="Tumor board")

    first = client.post(_revise_url(page), data)
    second = client.post(_revise_url(page), data, follow=True)

    assert first.status_code == 302
    assertContains(second, "Your revised story is with the editors again.")
    assert OutboundEmail.objects.filter(event_key__startswith="story-resubmitted:").count() == 1
