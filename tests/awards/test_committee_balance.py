"""The shortlist's balance on the committee ranking counts the awards tracks (calls.balance)."""

import pytest
from django.urls import reverse

from oncoreach.awards.services import set_application_track
from oncoreach.calls.models import CallRole
from oncoreach.calls.selectors_ranking import ranking_for_call
from tests.factories.accounts import UserFactory
from tests.factories.awards import TrackFactory
from tests.factories.calls import ApplicationFactory, CallFactory
from tests.factories.people import PersonFactory

pytestmark = [pytest.mark.integration]


def test_the_balance_counts_the_shortlist_by_track(client, coordinator, reference_data):
    call = CallFactory(extra_stages=["committee"])
    idea = TrackFactory(cycle=call.cycle, code="idea", name="IDEA")
    palliative = TrackFactory(cycle=call.cycle, code="idea-pc", name="IDEA-PC")
    shortlisted = [ApplicationFactory(call=call, status="shortlisted") for _ in range(3)]
    unlisted = ApplicationFactory(call=call, status="under_review")
    for application, track in zip([*shortlisted, unlisted], [idea, idea, palliative, palliative], strict=True):
        set_application_track(application=application, track=track, actor=coordinator)

    assert ranking_for_call(call=call).more_balance == [("Track", [("IDEA", 2), ("IDEA-PC", 1)])]

    member = PersonFactory(user=UserFactory())
    CallRole.objects.create(call=call, stage=call.stage_by_key("committee"), person=member, role="member")
    client.force_login(member.user)
    body = client.get(reverse("calls:committee-ranking", kwargs={"slug": call.slug})).content.decode()
    assert "<h3>Track</h3>" in body
    assert "IDEA-PC: 1" in body


def test_no_track_dimension_for_a_call_without_tracks(reference_data):
    call = CallFactory()
    ApplicationFactory(call=call, status="shortlisted")
    assert ranking_for_call(call=call).more_balance == []
