"""A call's rubric in our own pages: criteria with weight and scale, ordered, locked once
reviewing has started (refused with a clear message)."""

from decimal import Decimal

import pytest
from django.urls import reverse

from oncoreach.calls.models import RubricCriterion
from oncoreach.core.models import AuditEvent
from tests.factories.calls import CallFactory, ReviewAssignmentFactory, RubricCriterionFactory

pytestmark = [pytest.mark.integration]

LOCKED = (
    "Reviewing has started in this stage, so its rubric is locked: every review must be scored against the same "
    "criteria."
)


def _names(call):
    return list(RubricCriterion.objects.filter(stage__call=call).order_by("order", "id").values_list("name", flat=True))


def _add(client, call, name, weight="1", scale="5"):
    return client.post(
        reverse("calls:staff-rubric", args=[call.slug]),
        {"new-name": name, "new-description": "", "new-weight": weight, "new-scale_max": scale},
        follow=True,
    )


def test_add_criteria_in_order_with_weight_and_scale(client, coordinator, call):
    client.force_login(coordinator)

    _add(client, call, "Merit", "2", "10")
    response = _add(client, call, "Feasibility")

    criteria = list(RubricCriterion.objects.filter(stage__call=call).order_by("order"))
    assert [(c.name, c.weight, c.scale_max, c.order) for c in criteria] == [
        ("Merit", Decimal("2.00"), 10, 1),
        ("Feasibility", Decimal("1.00"), 5, 2),
    ]
    assert [str(m) for m in response.context["messages"]] == ["The criterion is added."]
    assert AuditEvent.objects.filter(action="calls.rubric.add").count() == 2


def test_add_criterion_with_bad_input_changes_nothing(client, coordinator, call):
    client.force_login(coordinator)

    response = _add(client, call, "Merit", "0", "500")

    assert _names(call) == []
    assert set(response.context["add_form"].errors) == {"weight", "scale_max"}


def test_update_move_and_remove_criteria(client, coordinator, call):
    first = RubricCriterionFactory(call=call, name="Merit", order=1)
    second = RubricCriterionFactory(call=call, name="Feasibility", order=2)
    client.force_login(coordinator)

    client.post(
        reverse("calls:staff-criterion-update", args=[first.pk]),
        {f"c{first.pk}-name": "Scientific merit", f"c{first.pk}-weight": "3", f"c{first.pk}-scale_max": "7"},
    )
    client.post(reverse("calls:staff-criterion-move", args=[second.pk]), {"direction": "up"})
    moved = _names(call)
    client.post(reverse("calls:staff-criterion-remove", args=[second.pk]))

    first.refresh_from_db()
    assert (first.name, first.weight, first.scale_max) == ("Scientific merit", Decimal("3.00"), 7)
    assert moved == ["Feasibility", "Scientific merit"]
    assert _names(call) == ["Scientific merit"]


@pytest.mark.parametrize("status", ["accepted", "submitted"])
def test_rubric_is_locked_once_reviewing_has_started(client, coordinator, call, status):
    criterion = RubricCriterionFactory(call=call, name="Merit")
    ReviewAssignmentFactory(application__call=call, status=status)
    client.force_login(coordinator)

    page = client.get(reverse("calls:staff-rubric", args=[call.slug]))
    added = _add(client, call, "Sneaky")
    updated = client.post(
        reverse("calls:staff-criterion-update", args=[criterion.pk]),
        {f"c{criterion.pk}-name": "Changed", f"c{criterion.pk}-weight": "1", f"c{criterion.pk}-scale_max": "5"},
        follow=True,
    )
    removed = client.post(reverse("calls:staff-criterion-remove", args=[criterion.pk]), follow=True)

    assert (page.context["locked"], _names(call)) == (True, ["Merit"])
    assert LOCKED in page.content.decode()
    assert added.context["add_form"].non_field_errors() == [LOCKED]
    assert [str(m) for m in updated.context["messages"]] == [LOCKED]
    assert [str(m) for m in removed.context["messages"]] == [LOCKED]


def test_rubric_stays_open_while_requests_are_only_proposed(client, coordinator, call):
    ReviewAssignmentFactory(application__call=call, status="proposed")
    client.force_login(coordinator)

    _add(client, call, "Merit")

    assert _names(call) == ["Merit"]


def test_rubric_pages_refuse_outsiders(client, outsider, call):
    criterion = RubricCriterionFactory(call=call, name="Merit")
    client.force_login(outsider)

    codes = [
        client.get(reverse("calls:staff-rubric", args=[call.slug])).status_code,
        _add(client, call, "Sneaky").status_code,
        client.post(reverse("calls:staff-criterion-remove", args=[criterion.pk])).status_code,
        client.post(reverse("calls:staff-criterion-move", args=[criterion.pk]), {"direction": "up"}).status_code,
    ]

    assert (codes, _names(call)) == ([403, 403, 403, 403], ["Merit"])


@pytest.mark.parametrize("count", [1, 3])
def test_rubric_query_count(client, coordinator, django_assert_num_queries, count):
    call = CallFactory()
    RubricCriterionFactory.create_batch(count, call=call)
    client.force_login(coordinator)

    # session, user, groups, call, its stages, its rubric variants (the cycle's tracks), criteria,
    # whether reviewing started
    with django_assert_num_queries(8):
        response = client.get(reverse("calls:staff-rubric", args=[call.slug]))

    assert len(response.context["rows"]) == count
