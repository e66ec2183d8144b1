"""Reviewers' PDF packets built in the worker: never served once the reviewer's applications in the
stage changed, and deleted (file and run) after REVIEW_PACKET_KEEP_DAYS by the periodic job."""

import datetime as dt
import io

import pytest
from django.conf import settings
from django.core.files.storage import default_storage
from django.core.management import call_command
from django.urls import reverse
from django.utils import timezone

from oncoreach.calls import packets
from oncoreach.calls.enums import REVIEW_PACKET_RUN
from oncoreach.calls.models import ConflictDeclaration
from oncoreach.core.models import BackgroundRun
from tests.factories.calls import ApplicationFactory, CallFactory, ReviewAssignmentFactory

pytestmark = [pytest.mark.integration]

CHANGED = (
    "Your applications to review in this stage have changed since this packet was made, or it is no longer kept: "
    "download a new packet."
)


@pytest.fixture
def assignments(db, reviewer):
    call = CallFactory()
    stage = call.first_review_stage
    return [
        ReviewAssignmentFactory(
            application=ApplicationFactory(call=call, status="under_review"),
            reviewer=reviewer.person,
            stage=stage,
            status="accepted",
        )
        for _ in range(2)
    ]


def _build_in_worker(client, stage, capture):
    """The reviewer asks for the packet; the worker builds it (the in-request limit set to 0)."""
    with pytest.MonkeyPatch.context() as patch, capture(execute=True):
        patch.setattr(packets, "PACKET_IN_REQUEST", 0)
        response = client.post(reverse("calls:review-packet", args=[stage.call.slug, stage.key]))
    run = BackgroundRun.objects.filter(kind=REVIEW_PACKET_RUN).order_by("-pk").first()
    assert response["Location"] == reverse("calls:review-packet-run", args=[run.pk])
    return run


def test_packet_is_served_while_the_assignments_are_unchanged_and_refused_once_they_change(
    client, reviewer, assignments, django_capture_on_commit_callbacks
):
    stage = assignments[0].stage
    client.force_login(reviewer)
    run = _build_in_worker(client, stage, django_capture_on_commit_callbacks)
    file_url = reverse("calls:review-packet-file", args=[run.pk])

    fresh = client.get(file_url)
    body = b"".join(fresh.streaming_content)
    ConflictDeclaration.objects.create(reviewer=reviewer.person, application=assignments[1].application, reason="Co")
    stale = client.get(file_url, follow=True)

    assert (fresh.status_code, body[:5]) == (200, b"%PDF-")
    assert run.result["assignments"] == sorted(a.pk for a in assignments)
    assert stale.redirect_chain == [(reverse("calls:review-list"), 302)]
    assert [str(m) for m in stale.context["messages"]] == [CHANGED]


def test_packet_is_stale_once_a_new_application_is_assigned(
    client, reviewer, assignments, django_capture_on_commit_callbacks
):
    stage = assignments[0].stage
    client.force_login(reviewer)
    run = _build_in_worker(client, stage, django_capture_on_commit_callbacks)
    ReviewAssignmentFactory(
        application=ApplicationFactory(call=stage.call, status="under_review"),
        reviewer=reviewer.person,
        stage=stage,
        status="accepted",
    )

    response = client.get(reverse("calls:review-packet-file", args=[run.pk]))

    assert (response.status_code, response["Location"]) == (302, reverse("calls:review-list"))


def test_stale_packet_is_refused_to_an_outsider_as_before(
    client, reviewer, outsider, assignments, django_capture_on_commit_callbacks
):
    client.force_login(reviewer)
    run = _build_in_worker(client, assignments[0].stage, django_capture_on_commit_callbacks)
    client.force_login(outsider)
    assert client.get(reverse("calls:review-packet-file", args=[run.pk])).status_code == 404


def test_periodic_job_deletes_packets_past_the_retention_with_their_files(
    client, reviewer, assignments, django_capture_on_commit_callbacks
):
    client.force_login(reviewer)
    old = _build_in_worker(client, assignments[0].stage, django_capture_on_commit_callbacks)
    BackgroundRun.objects.filter(pk=old.pk).update(
        created_at=timezone.now() - dt.timedelta(days=settings.REVIEW_PACKET_KEEP_DAYS, hours=1)
    )
    recent = _build_in_worker(client, assignments[0].stage, django_capture_on_commit_callbacks)

    call_command("run_periodic", verbosity=0)

    assert list(BackgroundRun.objects.filter(kind=REVIEW_PACKET_RUN)) == [recent]
    assert (default_storage.exists(old.result["file"]), default_storage.exists(recent.result["file"])) == (False, True)
    assert client.get(reverse("calls:review-packet-file", args=[old.pk])).status_code == 404


def test_prune_review_packets_is_listed_in_the_periodic_job_and_safe_to_run_again(db):
    out = io.StringIO()
    call_command("prune_review_packets", stdout=out)
    assert ("prune_review_packets" in settings.PERIODIC_COMMANDS, out.getvalue()) == (
        True,
        "0 review packets deleted\n",
    )
