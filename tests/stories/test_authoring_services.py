"""Guest-author services: submit, revise, publish, request changes — each way they can end."""

from __future__ import annotations

import datetime as dt
import io

import pytest
import time_machine
from django.core import mail
from django.core.exceptions import PermissionDenied, ValidationError
from django.core.files.uploadedfile import SimpleUploadedFile
from PIL import Image
from wagtail.models import PageLogEntry, WorkflowState

from oncoreach.core.models import OutboundEmail
from oncoreach.stories.bodytext import html_to_text, text_to_html
from oncoreach.stories.models import StoryAuthor, StoryPage
from oncoreach.stories.selectors_authoring import AuthorStoryStatus, story_form_initial, story_status
from oncoreach.stories.services import (
    GuestImage,
    publish_story,
    request_changes,
    revise_guest_story,
    submit_guest_story,
)
from tests.e2e.story_helpers import GPS_IFD, ensure_story_tree, jpeg_upload, story_data
from tests.factories.geo import CountryFactory
from tests.factories.programs import ProgramFactory

pytestmark = [pytest.mark.integration]


@pytest.fixture
def story_index(db):
    return ensure_story_tree()


def _emails(event_prefix: str) -> list[tuple[str, str]]:
    return [
        (mail_.to, mail_.language)
        for mail_ in OutboundEmail.objects.filter(event_key__startswith=event_prefix).order_by("to")
    ]


def _submit(user, **overrides):
    return submit_guest_story(author_user=user, data=story_data(**overrides), images=[])


# --- submit -----------------------------------------------------------------------------------


def test_submit_guest_story_creates_a_draft_in_moderation(story_index, volunteer, editor):
    country = CountryFactory(iso3="NGA", name="Nigeria")
    program = ProgramFactory(slug="tumor-boards", name="Tumor boards")

    page = _submit(volunteer, countries=[country], programs=[program])

    page = StoryPage.objects.get(pk=page.pk)
    assert page.live is False
    assert page.owner == volunteer
    assert page.get_parent().specific == story_index
    assert [a.person for a in StoryAuthor.objects.filter(page=page)] == [volunteer.person]
    assert page.latest_revision.user == volunteer
    assert list(page.countries.all()) == [country]
    assert list(page.programs.all()) == [program]
    assert sorted(t.name for t in page.topics.all()) == ["pathology", "tumor boards"]
    assert page.no_patient_identifiers is True
    state = page.workflow_states.get()
    assert (state.status, state.requested_by, state.workflow.name) == (
        WorkflowState.STATUS_IN_PROGRESS,
        volunteer,
        "Story moderation",
    )
    assert story_status(page) == AuthorStoryStatus.SUBMITTED
    actions = list(PageLogEntry.objects.filter(page=page).order_by("pk").values_list("action", "user"))
    assert actions == [
        ("wagtail.create", volunteer.pk),
        ("wagtail.edit", volunteer.pk),
        ("wagtail.workflow.start", volunteer.pk),
    ]


def test_submit_guest_story_stores_sanitized_body(story_index, volunteer):
    body = 'Hello <b onclick="steal()">team</b><script>alert(1)</script>\n\nSee https://example.org/a and <a href="javascript:alert(2)">this</a>.'

    page = _submit(volunteer, body=body)

    [paragraph] = [b for b in page.body if b.block_type == "paragraph"]
    assert paragraph.value.source == (
        "<p>Hello <b>team</b></p>"
        '<p>See <a href="https://example.org/a" rel="noopener noreferrer nofollow">https://example.org/a</a> and '
        '<a rel="noopener noreferrer nofollow">this</a>.</p>'
    )


def test_submit_guest_story_emails_editors_in_their_language_and_the_author(story_index, volunteer, editor):
    editor.preferred_language = "es"
    editor.save()

    page = _submit(volunteer)

    revision_id = page.latest_revision_id
    assert _emails("story-submitted:") == [("editor@example.org", "es")]
    assert _emails("story-received:") == [("volunteer@example.org", "en")]
    received = OutboundEmail.objects.get(event_key=f"story-received:{revision_id}")
    assert received.subject == 'We have received your story "A tumor board in Ibadan"'
    assert "http://127.0.0.1:8000/en/stories/mine/" in received.body_text


def test_submit_guest_story_twice_with_one_token_makes_one_story(story_index, volunteer, editor):
    data = story_data()

    first = submit_guest_story(author_user=volunteer, data=data, images=[])
    second = submit_guest_story(author_user=volunteer, data=dict(data), images=[])

    assert first.pk == second.pk
    assert StoryPage.objects.count() == 1
    assert OutboundEmail.objects.filter(event_key__startswith="story-submitted:").count() == 1


def test_submit_guest_story_invalid_creates_nothing(story_index, volunteer, editor):
    with pytest.raises(ValidationError) as error:
        _submit(volunteer, title=" ", teaser="x" * 601, no_patient_identifiers=False)

    assert sorted(error.value.message_dict) == ["no_patient_identifiers", "teaser", "title"]
    assert StoryPage.objects.count() == 0
    assert OutboundEmail.objects.count() == 0


def test_submit_guest_story_refuses_a_member_who_is_not_a_volunteer(story_index, member):
    with pytest.raises(PermissionDenied):
        _submit(member)
    assert StoryPage.objects.count() == 0


def test_submit_guest_story_strips_gps_from_photos(story_index, volunteer):
    upload = jpeg_upload()
    with Image.open(io.BytesIO(upload.read())) as original:
        assert original.getexif().get_ifd(GPS_IFD) != {}
    upload.seek(0)

    page = submit_guest_story(
        author_user=volunteer, data=story_data(), images=[GuestImage(file=upload, alt_text="Doctors at the board")]
    )

    [block] = [b for b in page.body if b.block_type == "image"]
    image = block.value["image"]
    assert (block.value["alt_text"], image.collection.name, image.uploaded_by_user) == (
        "Doctors at the board",
        "Guest uploads",
        volunteer,
    )
    assert "ward-photo" not in image.file.name
    with image.open_file() as stored, Image.open(stored) as saved:
        assert (saved.format, saved.size) == ("JPEG", (64, 48))
        assert dict(saved.getexif()) == {}
        assert "exif" not in saved.info


def test_submit_guest_story_refuses_a_text_file_named_jpg(story_index, volunteer):
    fake = SimpleUploadedFile("photo.jpg", b"this is not a picture", content_type="image/jpeg")

    with pytest.raises(ValidationError) as error:
        submit_guest_story(author_user=volunteer, data=story_data(), images=[GuestImage(file=fake, alt_text="x")])

    assert error.value.messages == ["This file is not a picture we can read. Upload a JPEG, PNG or WebP image."]
    assert StoryPage.objects.count() == 0


def test_submit_guest_story_needs_alt_text_for_every_picture(story_index, volunteer):
    with pytest.raises(ValidationError) as error:
        submit_guest_story(
            author_user=volunteer, data=story_data(), images=[GuestImage(file=jpeg_upload(), alt_text="  ")]
        )
    assert error.value.messages == ["Every picture needs a description (alternative text)."]


def test_submit_guest_story_avoids_reserved_and_taken_slugs(story_index, volunteer):
    first = _submit(volunteer, title="Write")
    second = _submit(volunteer, title="Write")
    assert (first.slug, second.slug) == ("write-story", "write-story-2")


# --- editors: publish and request changes ------------------------------------------------------


def test_publish_story_publishes_and_emails_the_author_once(story_index, volunteer, editor):
    page = _submit(volunteer)
    mail.outbox.clear()

    page = publish_story(page=page, editor=editor)

    assert page.live is True
    assert story_status(StoryPage.objects.get(pk=page.pk)) == AuthorStoryStatus.PUBLISHED
    assert page.workflow_states.get().status == WorkflowState.STATUS_APPROVED
    assert _emails("story-published:") == [("volunteer@example.org", "en")]
    # Wagtail's own "approved" e-mail must not reach the guest.
    assert mail.outbox == []


def test_publish_story_refuses_a_volunteer(story_index, volunteer):
    page = _submit(volunteer)
    with pytest.raises(PermissionDenied):
        publish_story(page=page, editor=volunteer)
    assert StoryPage.objects.get(pk=page.pk).live is False


def test_publish_story_refuses_a_story_not_in_moderation(story_index, volunteer, editor):
    page = publish_story(page=_submit(volunteer), editor=editor)
    with pytest.raises(ValidationError) as error:
        publish_story(page=page, editor=editor)
    assert error.value.messages == ["This story is not waiting for an editor's decision."]


def test_request_changes_sends_the_comment_to_the_author(story_index, volunteer, editor):
    volunteer.preferred_language = "fr"
    volunteer.save()
    page = _submit(volunteer)

    request_changes(page=page, editor=editor, comment="Please remove the patient's first name.")

    page = StoryPage.objects.get(pk=page.pk)
    assert page.live is False
    assert story_status(page) == AuthorStoryStatus.CHANGES_REQUESTED
    [mail_] = OutboundEmail.objects.filter(event_key__startswith="story-changes-requested:")
    assert (mail_.to, mail_.language) == ("volunteer@example.org", "fr")
    assert "Please remove the patient's first name." in mail_.body_text


def test_request_changes_needs_a_comment(story_index, volunteer, editor):
    page = _submit(volunteer)
    with pytest.raises(ValidationError):
        request_changes(page=page, editor=editor, comment="  ")
    assert story_status(StoryPage.objects.get(pk=page.pk)) == AuthorStoryStatus.SUBMITTED


# --- revise ------------------------------------------------------------------------------------


def test_revise_guest_story_after_changes_requested_resumes_the_workflow(story_index, volunteer, editor):
    page = _submit(volunteer, body="First <b>draft</b>.\n\nSecond paragraph.")
    request_changes(page=page, editor=editor, comment="Shorter title, please.")
    initial, images = story_form_initial(page=StoryPage.objects.get(pk=page.pk))
    assert (initial["title"], initial["body"], images) == (
        "A tumor board in Ibadan",
        "First <b>draft</b>.\n\nSecond paragraph.",
        [],
    )

    revised = revise_guest_story(
        author_user=volunteer, page=page, data=story_data(title="Tumor board", body="Better."), images=[]
    )

    assert revised.draft_title == "Tumor board"
    assert revised.latest_revision.user == volunteer
    state = page.workflow_states.get()
    assert (state.status, state.current_task_state.status) == (WorkflowState.STATUS_IN_PROGRESS, "in_progress")
    assert story_status(revised) == AuthorStoryStatus.SUBMITTED
    assert _emails("story-resubmitted:") == [("editor@example.org", "en")]
    published = publish_story(page=revised, editor=editor)
    assert (published.title, [b.value.source for b in published.body]) == ("Tumor board", ["<p>Better.</p>"])


def test_revise_guest_story_refused_while_in_moderation(story_index, volunteer):
    page = _submit(volunteer)
    with pytest.raises(ValidationError) as error:
        revise_guest_story(author_user=volunteer, page=page, data=story_data(title="Changed"), images=[])
    assert error.value.messages == ["This story is with the editors now. You can revise it if they ask for changes."]
    assert StoryPage.objects.get(pk=page.pk).draft_title == "A tumor board in Ibadan"


def test_revise_guest_story_refused_when_published(story_index, volunteer, editor):
    page = publish_story(page=_submit(volunteer), editor=editor)
    with pytest.raises(ValidationError) as error:
        revise_guest_story(author_user=volunteer, page=page, data=story_data(), images=[])
    assert error.value.code == "not_revisable"


def test_revise_guest_story_refuses_another_volunteer(story_index, volunteer, editor):
    from tests.conftest import _persona

    other = _persona("other@example.org", "Olga Other", volunteer=True)
    page = _submit(volunteer)
    request_changes(page=page, editor=editor, comment="More detail.")
    with pytest.raises(PermissionDenied):
        revise_guest_story(author_user=other, page=page, data=story_data(), images=[])


def test_revise_guest_story_keeps_and_removes_pictures(story_index, volunteer, editor):
    page = submit_guest_story(
        author_user=volunteer,
        data=story_data(),
        images=[GuestImage(file=jpeg_upload(), alt_text="First"), GuestImage(file=jpeg_upload(), alt_text="Second")],
    )
    request_changes(page=page, editor=editor, comment="Drop the first picture.")
    _initial, images = story_form_initial(page=StoryPage.objects.get(pk=page.pk))

    revised = revise_guest_story(
        author_user=volunteer,
        page=page,
        data=story_data(),
        images=[GuestImage(file=jpeg_upload(), alt_text="Third", caption="New")],
        remove_image_block_ids=[images[0].block_id],
    )

    _initial, after = story_form_initial(page=revised)
    assert [(i.alt_text, i.caption) for i in after] == [("Second", ""), ("Third", "New")]


# --- body text round trip ----------------------------------------------------------------------


def test_body_text_round_trips_paragraphs_and_links():
    text = 'One line\nnext line.\n\nA link: https://example.org/x and <a href="https://example.org/y">why</a>.'
    assert html_to_text(text_to_html(text)) == text


# --- actions taken in the Wagtail admin (signals) and Wagtail's own e-mails --------------------


def _current_task_state(page):
    return StoryPage.objects.get(pk=page.pk).current_workflow_state.current_task_state.specific


def test_approving_in_the_admin_emails_the_author_once(story_index, volunteer, editor):
    page = _submit(volunteer)
    task_state = _current_task_state(page)

    # What the admin's "Approve" button does; then an editor republishes after a small fix.
    task_state.task.specific.on_action(task_state, editor, "approve")
    page = StoryPage.objects.get(pk=page.pk)
    page.save_revision(user=editor).publish(user=editor)

    assert page.live is True
    assert _emails("story-published:") == [("volunteer@example.org", "en")]


def test_requesting_changes_in_the_admin_emails_the_comment_to_the_author(story_index, volunteer, editor):
    page = _submit(volunteer)
    task_state = _current_task_state(page)

    # What the admin's "Request changes" button does.
    task_state.task.specific.on_action(task_state, editor, "reject", comment="Blur the face in picture 2.")

    [mail_] = OutboundEmail.objects.filter(event_key__startswith="story-changes-requested:")
    assert mail_.to == "volunteer@example.org"
    assert "Blur the face in picture 2." in mail_.body_text


def test_wagtail_admin_emails_never_reach_a_guest(story_index, volunteer, editor, administrator):
    page = _submit(volunteer)
    request_changes(page=page, editor=editor, comment="Shorter.")
    revise_guest_story(author_user=volunteer, page=page, data=story_data(), images=[])
    publish_story(page=page, editor=editor)

    # Our outbox mails went out on commit in production; here only direct (Wagtail) sends would show.
    assert mail.outbox == []


def test_wagtail_admin_emails_still_go_for_an_editors_own_story(story_index, editor, administrator):
    submit_guest_story(author_user=editor, data=story_data(), images=[])

    assert sorted(to for message in mail.outbox for to in message.to) == ["admin@example.org", "admin@example.org"]


def test_guests_cannot_open_the_wagtail_admin(client, story_index, volunteer):
    page = _submit(volunteer)
    client.force_login(volunteer)

    assert client.get("/cms/").status_code == 302
    assert client.get(f"/cms/pages/{page.pk}/edit/").status_code == 302


def test_publish_story_dates_a_first_publication_on_the_day_it_goes_live(story_index, volunteer, editor):
    with time_machine.travel(dt.datetime(2026, 3, 2, 9, 0, tzinfo=dt.UTC), tick=False):
        page = _submit(volunteer)
    with time_machine.travel(dt.datetime(2026, 3, 20, 9, 0, tzinfo=dt.UTC), tick=False):
        page = publish_story(page=page, editor=editor)

    assert (page.live, page.date) == (True, dt.date(2026, 3, 20))
