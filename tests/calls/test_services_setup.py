"""Call set-up services: each way they can end, including every refusal (nothing changes)."""

import datetime as dt
from decimal import Decimal

import pytest
from django.core.exceptions import ValidationError

from oncoreach.calls import services_setup
from oncoreach.calls.models import Call, RubricCriterion
from oncoreach.calls.services_setup import CallSetup, CriterionSetup
from oncoreach.core.models import AuditEvent
from tests.factories.calls import (
    ApplicationFactory,
    CallFactory,
    CycleFactory,
    FormDefinitionFactory,
    ReviewAssignmentFactory,
    RubricCriterionFactory,
    add_to_panel,
    panel_of,
)
from tests.factories.people import PersonFactory

pytestmark = [pytest.mark.unit]

OPENS = dt.datetime(2027, 1, 1, 9, tzinfo=dt.UTC)
CLOSES = dt.datetime(2027, 3, 1, 17, tzinfo=dt.UTC)


def _setup(**overrides):
    values = {
        "title": "Travel grant",
        "cycle": CycleFactory(),
        "opens_at": OPENS,
        "closes_at": CLOSES,
        "time_zone": "UTC",
        "form": FormDefinitionFactory(),
    }
    values.update(overrides)
    return CallSetup(**values)


def test_create_call_validates_the_model_and_creates_nothing_on_bad_rules(coordinator):
    with pytest.raises(ValidationError) as excinfo:
        services_setup.create_call(setup=_setup(eligible_income_groups=["XX"]), kind="award", actor=coordinator)

    assert "eligible_income_groups" in excinfo.value.message_dict
    assert Call.objects.count() == 0


def test_create_call_refuses_dates_in_the_wrong_order(coordinator):
    with pytest.raises(ValidationError):
        services_setup.create_call(setup=_setup(opens_at=CLOSES, closes_at=OPENS), kind="award", actor=coordinator)

    assert Call.objects.count() == 0


def test_create_call_refuses_a_kind_another_app_drives(coordinator):
    """A course's registration call (participant intake) is opened by its course, never here."""
    with pytest.raises(ValidationError) as excinfo:
        services_setup.create_call(setup=_setup(), kind="participant", actor=coordinator)

    assert excinfo.value.error_dict["kind"][0].code == "driven_elsewhere"
    assert Call.objects.count() == 0


def test_update_call_with_nothing_changed_records_an_empty_change(coordinator):
    call = CallFactory()
    setup = CallSetup(**services_setup.setup_for(call))

    services_setup.update_call(call=call, setup=setup, actor=coordinator)

    assert AuditEvent.objects.get(action="calls.call.update").data["changed"] == []


def test_update_call_keeps_the_form_while_only_drafts_exist_but_refuses_after(coordinator):
    call = CallFactory()
    new_form = FormDefinitionFactory()
    changed = services_setup.update_call(
        call=call, setup=CallSetup(**{**services_setup.setup_for(call), "form": new_form}), actor=coordinator
    )
    ApplicationFactory(call=changed)

    with pytest.raises(ValidationError) as excinfo:
        services_setup.update_call(
            call=changed,
            setup=CallSetup(**{**services_setup.setup_for(changed), "form": FormDefinitionFactory()}),
            actor=coordinator,
        )

    changed.refresh_from_db()
    assert (changed.form, list(excinfo.value.message_dict)) == (new_form, ["form"])


def test_criteria_are_numbered_in_order_and_moving_the_first_up_changes_nothing(coordinator, call):
    first = services_setup.add_criterion(call=call, setup=CriterionSetup(name="Merit"), actor=coordinator)
    second = services_setup.add_criterion(
        call=call, setup=CriterionSetup(name="Fit", weight=Decimal("0.5"), scale_max=10), actor=coordinator
    )

    services_setup.move_criterion(criterion=first, up=True, actor=coordinator)

    assert list(RubricCriterion.objects.filter(stage__call=call).order_by("order").values_list("pk", "order")) == [
        (first.pk, 1),
        (second.pk, 2),
    ]


def test_update_criterion_refuses_an_invalid_scale(coordinator, call):
    criterion = RubricCriterionFactory(call=call, scale_max=5)

    with pytest.raises(ValidationError):
        services_setup.update_criterion(
            criterion=criterion, setup=CriterionSetup(name="X", scale_max=0), actor=coordinator
        )

    criterion.refresh_from_db()
    assert criterion.scale_max == 5


@pytest.mark.parametrize(
    "change",
    [
        lambda c, a: services_setup.add_criterion(call=c.stage.call, setup=CriterionSetup(name="New"), actor=a),
        lambda c, a: services_setup.update_criterion(criterion=c, setup=CriterionSetup(name="Changed"), actor=a),
        lambda c, a: services_setup.remove_criterion(criterion=c, actor=a),
        lambda c, a: services_setup.move_criterion(criterion=c, up=False, actor=a),
    ],
)
def test_every_rubric_change_is_refused_once_reviewing_started(coordinator, call, change):
    criterion = RubricCriterionFactory(call=call, name="Merit")
    ReviewAssignmentFactory(application__call=call, status="accepted")

    with pytest.raises(ValidationError) as excinfo:
        change(criterion, coordinator)

    assert excinfo.value.code == "rubric_locked"
    assert list(RubricCriterion.objects.filter(stage__call=call).values_list("name", flat=True)) == ["Merit"]


def test_remove_panel_reviewer_skips_a_request_answered_meanwhile(coordinator, call):
    reviewer = PersonFactory()
    add_to_panel(call, reviewer)
    declined = ReviewAssignmentFactory(application__call=call, reviewer=reviewer, status="declined")

    withdrawn = services_setup.remove_panel_reviewer(call=call, person=reviewer, actor=coordinator)

    declined.refresh_from_db()
    assert (withdrawn, declined.status, panel_of(call)) == (0, "declined", [])
