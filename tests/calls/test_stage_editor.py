"""Staff edit a call's stages in our own pages: add, change, move and remove, through set_stages;
what stages already in use hold is refused with a specific message and nothing changes."""

import datetime as dt

import pytest
from django.urls import reverse
from django.utils import timezone

from oncoreach.calls.models import CallStage
from oncoreach.core.models import AuditEvent
from tests.factories.calls import (
    ApplicationFactory,
    CallFactory,
    FormDefinitionFactory,
    ReviewAssignmentFactory,
    RubricCriterionFactory,
    StageSetup,
)

pytestmark = [pytest.mark.integration]


def _keys(call):
    return list(CallStage.objects.filter(call=call).order_by("order").values_list("key", flat=True))


def _edit_data(stage, **changes):
    data = {
        "name": stage.name,
        "kind": stage.kind,
        "form": stage.form_id or "",
        "opens_at": "",
        "closes_at": "",
        "reviews_per_application": stage.reviews_per_application,
        "caps": "",
    }
    if stage.by_invitation:
        data["by_invitation"] = "on"
    if stage.blind:
        data["blind"] = "on"
    if stage.opens_at:
        data["opens_at"] = stage.opens_at.strftime("%Y-%m-%dT%H:%M")
    if stage.closes_at:
        data["closes_at"] = stage.closes_at.strftime("%Y-%m-%dT%H:%M")
    data |= changes
    return {f"s{stage.pk}-{name}": value for name, value in data.items() if value is not None}


def _post_edit(client, stage, **changes):
    url = reverse("calls:staff-stage-update", args=[stage.call.slug, stage.key])
    return client.post(url, _edit_data(stage, **changes), follow=True)


@pytest.fixture
def call(db):
    return CallFactory(time_zone="America/Lima", extra_stages=["committee"])


def test_stage_page_lists_stages_with_rubric_and_panel_links(client, coordinator, call):
    client.force_login(coordinator)

    response = client.get(reverse("calls:staff-stages", args=[call.slug]))

    assert response.status_code == 200
    body = response.content.decode()
    assert [stage.key for stage, _form in response.context["rows"]] == ["application", "review", "committee"]
    assert f"{reverse('calls:staff-rubric', args=[call.slug])}?stage=review" in body
    assert reverse("calls:staff-panel", args=[call.slug]) in body
    setup_page = client.get(reverse("calls:staff-call-edit", args=[call.slug])).content.decode()
    assert reverse("calls:staff-stages", args=[call.slug]) in setup_page


def test_add_stage_goes_before_the_decision_in_the_call_zone(client, coordinator):
    form = FormDefinitionFactory()
    now = timezone.now()
    call = CallFactory(
        time_zone="America/Lima",
        stages=[
            StageSetup("application", "Application", "submission", form, now, now + dt.timedelta(days=9)),
            StageSetup("review", "Review", "review", reviews_per_application=2),
            StageSetup("decision", "Decision", "decision"),
        ],
    )
    client.force_login(coordinator)

    response = client.post(
        reverse("calls:staff-stages", args=[call.slug]),
        {
            "new-key": "full_application",
            "new-name": "Full application",
            "new-kind": "submission",
            "new-form": form.pk,
            "new-opens_at": "2027-01-10T09:00",
            "new-closes_at": "2027-02-01T17:00",
            "new-reviews_per_application": "0",
            "new-by_invitation": "on",
            "new-caps": "budget = 20000",
        },
        follow=True,
    )

    assert response.status_code == 200
    assert _keys(call) == ["application", "review", "full_application", "decision"]
    stage = CallStage.objects.get(call=call, key="full_application")
    assert stage.closes_at == dt.datetime(2027, 2, 1, 22, 0, tzinfo=dt.UTC)  # 17:00 in Lima
    assert stage.by_invitation
    assert stage.form == form
    assert stage.caps == {"budget": "20000"}
    assert AuditEvent.objects.filter(action="calls.stage.add", target_id=str(call.pk)).exists()


def test_add_stage_with_a_bad_shape_is_refused_and_nothing_changes(client, coordinator, call):
    client.force_login(coordinator)

    response = client.post(
        reverse("calls:staff-stages", args=[call.slug]),
        {"new-key": "second", "new-name": "Second", "new-kind": "submission", "new-reviews_per_application": "0"},
    )

    assert response.status_code == 200
    assert "A submission stage after the first must be by invitation." in response.content.decode()
    assert _keys(call) == ["application", "review", "committee"]


def test_edit_stage_changes_name_blind_and_reviews(client, coordinator, call):
    client.force_login(coordinator)
    stage = call.stage_by_key("review")

    response = _post_edit(client, stage, name="External review", blind="on", reviews_per_application="3")

    assert "The stage “External review” is saved." in response.content.decode()
    stage.refresh_from_db()
    assert (stage.name, stage.blind, stage.reviews_per_application) == ("External review", True, 3)
    assert AuditEvent.objects.filter(action="calls.stage.update").exists()


def test_move_and_remove_unused_stages(client, coordinator, call):
    client.force_login(coordinator)

    client.post(reverse("calls:staff-stage-move", args=[call.slug, "committee"]), {"direction": "up"})
    assert _keys(call) == ["application", "committee", "review"]

    client.post(reverse("calls:staff-stage-remove", args=[call.slug, "committee"]))
    assert _keys(call) == ["application", "review"]
    assert AuditEvent.objects.filter(action="calls.stage.remove").exists()


def test_a_stage_with_answers_keeps_its_form_and_its_place(client, coordinator, call):
    ApplicationFactory(call=call, status="submitted")
    client.force_login(coordinator)
    entry = call.stage_by_key("application")

    response = _post_edit(client, entry, form=FormDefinitionFactory().pk)

    assert "its form cannot change" in response.content.decode()
    entry.refresh_from_db()
    assert entry.form_id == call.form.pk
    response = client.post(reverse("calls:staff-stage-remove", args=[call.slug, "application"]), follow=True)
    assert "cannot be removed" in response.content.decode()
    assert _keys(call) == ["application", "review", "committee"]


def test_a_stage_with_review_requests_keeps_its_blindness_and_kind(client, coordinator, call):
    ReviewAssignmentFactory(application=ApplicationFactory(call=call, status="under_review"))
    client.force_login(coordinator)
    review = call.stage_by_key("review")

    refused = _post_edit(client, review, blind="on").content.decode()
    assert "whether it is blind cannot change" in refused
    refused = _post_edit(client, review, kind="interview").content.decode()
    assert "its kind cannot change" in refused
    review.refresh_from_db()
    assert (review.blind, review.kind) == (False, "review")


def test_in_use_stages_keep_their_relative_order(client, coordinator, call):
    ReviewAssignmentFactory(application=ApplicationFactory(call=call, status="under_review"))
    ApplicationFactory(call=call, status="shortlisted")  # in the committee stage
    client.force_login(coordinator)

    response = client.post(
        reverse("calls:staff-stage-move", args=[call.slug, "committee"]), {"direction": "up"}, follow=True
    )

    assert "The stage “Review” is in use; it keeps its place among the stages in use." in response.content.decode()
    assert _keys(call) == ["application", "review", "committee"]


def test_a_stage_with_a_rubric_is_not_removed(client, coordinator, call):
    RubricCriterionFactory(stage=call.stage_by_key("committee"))
    client.force_login(coordinator)

    response = client.post(reverse("calls:staff-stage-remove", args=[call.slug, "committee"]), follow=True)

    assert "has a rubric; remove its criteria first" in response.content.decode()
    assert _keys(call) == ["application", "review", "committee"]


@pytest.mark.parametrize("name", ["staff-stages", "staff-stage-update", "staff-stage-move", "staff-stage-remove"])
def test_stage_pages_refuse_outsiders(client, outsider, call, name):
    client.force_login(outsider)
    args = [call.slug] if name == "staff-stages" else [call.slug, "review"]

    response = client.post(reverse(f"calls:{name}", args=args), {"direction": "up", "new-key": "x"})

    assert response.status_code == 403
    assert _keys(call) == ["application", "review", "committee"]


def test_stage_page_queries_do_not_grow_with_stages(client, coordinator):
    small = CallFactory(extra_stages=["committee"])
    big = CallFactory(extra_stages=["letter_of_intent", "committee", "interview"])
    client.force_login(coordinator)
    client.get(reverse("calls:staff-stages", args=[small.slug]))

    from django.db import connection
    from django.test.utils import CaptureQueriesContext

    with CaptureQueriesContext(connection) as few:
        client.get(reverse("calls:staff-stages", args=[small.slug]))
    with CaptureQueriesContext(connection) as many:
        client.get(reverse("calls:staff-stages", args=[big.slug]))
    assert len(many) == len(few)


def test_an_interview_stage_cannot_be_blind(client, coordinator):
    call = CallFactory(extra_stages=["interview"])
    client.force_login(coordinator)

    response = _post_edit(client, call.stage_by_key("interview"), blind="on")

    assert "An interview stage cannot be blind: interviewers meet the applicant." in response.content.decode()
    assert not CallStage.objects.get(call=call, key="interview").blind
