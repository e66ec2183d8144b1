"""The admin refuses to publish a story until the patient-privacy box is ticked."""

import pytest
from django.contrib.messages.storage.fallback import FallbackStorage
from wagtail import hooks

from oncoreach.stories.wagtail_hooks import require_patient_privacy_check
from tests.factories.stories import make_story

pytestmark = [pytest.mark.integration]


def _request(rf, user):
    request = rf.post("/cms/pages/1/edit/")
    request.user = user
    request.session = {}
    request._messages = FallbackStorage(request)
    return request


def test_hook_is_registered_for_publishing():
    assert require_patient_privacy_check in hooks.get_hooks("before_publish_page")


def test_publishing_an_unchecked_story_is_refused_with_a_message(rf, editor, story_index):
    story = make_story(title="Unchecked", live=False)
    story.no_patient_identifiers = False
    request = _request(rf, editor)

    response = require_patient_privacy_check(request, story)

    assert (response.status_code, response["Location"]) == (302, f"/cms/pages/{story.pk}/edit/")
    assert [str(message) for message in request._messages] == [
        "Not published: confirm that the story contains no patient-identifiable details "
        "(the checkbox at the end of the form), then publish again."
    ]


def test_publishing_a_checked_story_or_another_page_goes_ahead(rf, editor, story_index):
    story = make_story(title="Checked", live=False)
    request = _request(rf, editor)

    assert require_patient_privacy_check(request, story) is None
    assert require_patient_privacy_check(request, story_index) is None
