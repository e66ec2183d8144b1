"""Setting a call up in our own pages: create and edit (dates in the call's zone, rules, form,
stages), with the form and stages locked once applications need them."""

import datetime as dt
import zoneinfo

import pytest
from django.urls import reverse

from oncoreach.calls.models import Call
from oncoreach.core.models import AuditEvent
from tests.factories.calls import ApplicationFactory, CallFactory, CycleFactory, FormDefinitionFactory
from tests.factories.programs import ProgramFactory

pytestmark = [pytest.mark.integration]

LIMA = zoneinfo.ZoneInfo("America/Lima")


def _data(cycle, form, **overrides):
    data = {
        "title": "Young Investigator Award 2027",
        "kind": "award",
        "cycle": cycle.pk,
        "description": "For early-career oncologists.",
        "is_published": "on",
        "time_zone": "America/Lima",
        "opens_at": "2027-01-10T09:00",
        "closes_at": "2027-03-01T17:00",
        "form": form.pk,
        "eligible_income_groups": ["L", "LM"],
        "country_basis": "practice",
        "reference_date": "",
        "allowed_career_stages": ["early"],
        "max_years_since_training": "10",
        "prior_award_years": "3",
        "reference_letters_required": "2",
        "reviews_per_application": "3",
        "conflict_same_country": "on",
        "extra_stages": ["interview"],
    }
    data.update(overrides)
    return data


def test_create_call_reads_dates_in_the_calls_zone_and_stores_the_rules(client, coordinator):
    cycle, form, program = CycleFactory(), FormDefinitionFactory(), ProgramFactory()
    client.force_login(coordinator)

    response = client.post(reverse("calls:staff-call-create"), _data(cycle, form, prior_award_programs=[program.pk]))

    call = Call.objects.get()
    assert (response.status_code, response["Location"]) == (302, reverse("calls:staff-rubric", args=[call.slug]))
    assert (call.slug, call.kind, call.time_zone) == ("young-investigator-award-2027", "award", "America/Lima")
    assert call.window_closes_at == dt.datetime(2027, 3, 1, 17, 0, tzinfo=LIMA)
    assert call.window_opens_at == dt.datetime(2027, 1, 10, 9, 0, tzinfo=LIMA)
    assert (call.eligible_income_groups, call.allowed_career_stages) == (["L", "LM"], ["early"])
    assert [(stage.key, stage.kind, stage.form_id) for stage in call.stage_list] == [
        ("application", "submission", form.pk),
        ("review", "review", None),
        ("interview", "interview", None),
    ]
    reviews = call.first_review_stage.reviews_per_application
    assert (call.reference_letters_required, reviews, call.conflict_same_country) == (2, 3, True)
    assert list(call.prior_award_programs.all()) == [program]
    assert AuditEvent.objects.filter(action="calls.call.create", actor=coordinator).count() == 1


def test_create_call_does_not_offer_a_course_registration_call(client, coordinator):
    client.force_login(coordinator)

    page = client.get(reverse("calls:staff-call-create"))
    response = client.post(
        reverse("calls:staff-call-create"), _data(CycleFactory(), FormDefinitionFactory(), kind="participant")
    )

    assert "participant" not in dict(page.context["form"].fields["kind"].choices)
    assert list(response.context["form"].errors) == ["kind"]
    assert Call.objects.count() == 0


def test_create_call_refuses_a_deadline_before_the_opening(client, coordinator):
    client.force_login(coordinator)

    response = client.post(
        reverse("calls:staff-call-create"),
        _data(CycleFactory(), FormDefinitionFactory(), closes_at="2027-01-01T09:00"),
    )

    assert response.context["form"].errors == {"closes_at": ["The deadline must come after the opening time."]}
    assert Call.objects.count() == 0


def test_create_call_never_takes_a_reserved_address(client, coordinator):
    client.force_login(coordinator)

    client.post(reverse("calls:staff-call-create"), _data(CycleFactory(), FormDefinitionFactory(), title="Staff"))
    client.post(reverse("calls:staff-call-create"), _data(CycleFactory(), FormDefinitionFactory(), title="Staff"))

    assert sorted(Call.objects.values_list("slug", flat=True)) == ["staff-2", "staff-3"]


def test_edit_call_shows_the_deadline_in_the_calls_zone(client, coordinator):
    call = CallFactory(time_zone="America/Lima", closes_at=dt.datetime(2027, 3, 1, 22, 0, tzinfo=dt.UTC))
    client.force_login(coordinator)

    response = client.get(reverse("calls:staff-call-edit", args=[call.slug]))

    assert 'value="2027-03-01T17:00"' in response.content.decode()
    assert "kind" not in response.context["form"].fields


def test_edit_call_saves_and_audits_what_changed(client, coordinator):
    call = CallFactory()
    client.force_login(coordinator)

    response = client.post(
        reverse("calls:staff-call-edit", args=[call.slug]), _data(call.cycle, call.form, title="Renamed")
    )

    call.refresh_from_db()
    audit = AuditEvent.objects.get(action="calls.call.update")
    assert (response.status_code, call.title, call.slug, call.kind) == (302, "Renamed", call.slug, "award")
    assert "title" in audit.data["changed"]


def test_edit_call_refuses_a_new_form_once_applications_exist(client, coordinator):
    call = CallFactory()
    ApplicationFactory(call=call)
    old_form = call.form
    client.force_login(coordinator)

    response = client.post(
        reverse("calls:staff-call-edit", args=[call.slug]), _data(call.cycle, FormDefinitionFactory(), title="New")
    )

    call.refresh_from_db()
    assert (call.form, call.title) == (old_form, call.title)
    assert response.context["form"].errors["form"] == [
        "Applications were already started on this form; the form can no longer change (their answers belong to it)."
    ]


def test_edit_call_refuses_new_stages_once_review_is_reached(client, coordinator):
    call = CallFactory()
    ApplicationFactory(call=call, status="under_review")
    client.force_login(coordinator)

    response = client.post(
        reverse("calls:staff-call-edit", args=[call.slug]), _data(call.cycle, call.form, extra_stages=["interview"])
    )

    assert [stage.key for stage in Call.objects.get(pk=call.pk).stage_list] == ["application", "review"]
    assert response.context["form"].errors["extra_stages"] == [
        "Applications have already reached review; the stages after review can no longer change."
    ]


def test_call_setup_pages_refuse_outsiders(client, outsider):
    call = CallFactory()
    client.force_login(outsider)

    codes = [
        client.get(reverse("calls:staff-call-create")).status_code,
        client.post(reverse("calls:staff-call-create"), _data(call.cycle, call.form)).status_code,
        client.get(reverse("calls:staff-call-edit", args=[call.slug])).status_code,
        client.post(reverse("calls:staff-call-edit", args=[call.slug]), _data(call.cycle, call.form)).status_code,
    ]

    assert (codes, Call.objects.count()) == ([403, 403, 403, 403], 1)


def test_staff_call_list_links_set_up_pages(client, coordinator):
    call = CallFactory()
    client.force_login(coordinator)

    html = client.get(reverse("calls:staff-call-list")).content.decode()

    for name in ("staff-call-create",):
        assert reverse(f"calls:{name}") in html
    for name in ("staff-call-edit", "staff-rubric", "staff-panel"):
        assert reverse(f"calls:{name}", args=[call.slug]) in html
