"""Rubric variants: one stage, the criteria for every application plus each track's own (IDEA-PC
scores palliative-care relevance). The reviewer's form, the stored scores and the PDFs follow the
application's variant; totals stay out of 100 so one ranking holds every variant; the variant and
the variant criteria lock once reviewing starts."""

import io
from decimal import Decimal

import pytest
from django.core.exceptions import ValidationError
from django.urls import reverse

from oncoreach.awards import services as awards_services
from oncoreach.awards.models import ApplicationTrack
from oncoreach.calls import services
from oncoreach.calls.models import Application, CriterionScore, RubricCriterion
from oncoreach.calls.selectors_ranking import ranking_for_call
from oncoreach.calls.services_setup import CriterionSetup, add_criterion
from oncoreach.core.models import AuditEvent
from tests.factories.awards import TrackFactory
from tests.factories.calls import ApplicationFactory, CallFactory, ReviewAssignmentFactory, RubricCriterionFactory

pytestmark = [pytest.mark.integration]

VARIANT_LOCKED = (
    "Reviewing of this application has started, so the rubric it is scored under is locked: every review must be "
    "scored against the same criteria."
)
RUBRIC_LOCKED = (
    "Reviewing has started in this stage, so its rubric is locked: every review must be scored against the same "
    "criteria."
)


@pytest.fixture
def cycle_call(db):
    """A call with IDEA and IDEA-PC tracks; merit for everyone (weight 2), palliative-care relevance
    for IDEA-PC only (weight 1)."""
    call = CallFactory()
    idea = TrackFactory(cycle=call.cycle, code="idea", name="IDEA")
    idea_pc = TrackFactory(cycle=call.cycle, code="idea-pc", name="IDEA-PC")
    merit = RubricCriterionFactory(call=call, name="Merit", weight=2, order=1)
    relevance = RubricCriterionFactory(call=call, name="Palliative-care relevance", variant="idea-pc", order=2)
    return call, idea, idea_pc, merit, relevance


def _in_track(call, track, **kwargs):
    application = ApplicationFactory(call=call, status="eligible", **kwargs)
    awards_services.set_application_track(application=application, track=track, actor=None)
    application.status = "under_review"
    application.current_stage = call.first_review_stage
    application.save()
    return application


def test_set_application_track_scores_it_under_the_track_variant_and_audits(cycle_call, coordinator):
    call, idea, idea_pc, _merit, _relevance = cycle_call
    application = ApplicationFactory(call=call, status="eligible")

    awards_services.set_application_track(application=application, track=idea_pc, actor=coordinator)
    awards_services.set_application_track(application=application, track=idea, actor=coordinator)

    application.refresh_from_db()
    assert application.rubric_variant == "idea"
    assert list(
        AuditEvent.objects.filter(action="calls.rubric_variant_set").order_by("id").values_list("data", flat=True)
    ) == [{"variant": "idea-pc", "previous": ""}, {"variant": "idea", "previous": "idea-pc"}]


def test_reviewer_form_and_stored_scores_follow_the_variant(client, reviewer, cycle_call):
    call, idea, idea_pc, merit, relevance = cycle_call
    pc = ReviewAssignmentFactory(application=_in_track(call, idea_pc), reviewer=reviewer.person, status="accepted")
    plain = ReviewAssignmentFactory(application=_in_track(call, idea), reviewer=reviewer.person, status="accepted")
    client.force_login(reviewer)

    pc_form = client.get(reverse("calls:review-form", args=[pc.pk])).context["form"]
    plain_form = client.get(reverse("calls:review-form", args=[plain.pk])).context["form"]
    client.post(
        reverse("calls:review-form", args=[pc.pk]), {f"c{merit.pk}": "5", f"c{relevance.pk}": "2", "comment": "PC"}
    )
    client.post(reverse("calls:review-form", args=[plain.pk]), {f"c{merit.pk}": "5", "comment": "Plain"})

    assert [c.name for c in pc_form.criteria] == ["Merit", "Palliative-care relevance"]
    assert [c.name for c in plain_form.criteria] == ["Merit"]
    assert sorted(CriterionScore.objects.values_list("review__assignment_id", "criterion__name", "score")) == sorted(
        [(pc.pk, "Merit", 5), (pc.pk, "Palliative-care relevance", 2), (plain.pk, "Merit", 5)]
    )
    pc.refresh_from_db()
    plain.refresh_from_db()
    # (2 × 5/5 + 1 × 2/5) / 3 = 80 %, and full marks on the plain rubric are 100 %.
    assert (pc.review.weighted_total, plain.review.weighted_total) == (Decimal("80.00"), Decimal("100.00"))


def test_a_variant_criterion_left_unscored_is_refused_and_nothing_is_written(reviewer, cycle_call):
    call, _idea, idea_pc, merit, relevance = cycle_call
    assignment = ReviewAssignmentFactory(
        application=_in_track(call, idea_pc), reviewer=reviewer.person, status="accepted"
    )

    with pytest.raises(ValidationError) as caught:
        services.record_review(assignment=assignment, scores={str(merit.pk): 4}, comment="", actor=reviewer)

    assignment.refresh_from_db()
    assert (caught.value.message_dict, assignment.status) == (
        {f"c{relevance.pk}": ["Please give a score."]},
        "accepted",
    )
    assert CriterionScore.objects.count() == 0


def test_weighted_totals_of_different_variants_rank_together(cycle_call):
    """Each variant's total is out of 100: the IDEA-PC application with full marks on its four
    points outranks the IDEA one with 4 of 5 on merit, though it has one criterion more."""
    call, idea, idea_pc, merit, relevance = cycle_call
    pc = ReviewAssignmentFactory(application=_in_track(call, idea_pc), status="accepted")
    plain = ReviewAssignmentFactory(application=_in_track(call, idea), reviewer=pc.reviewer, status="accepted")
    services.record_review(assignment=pc, scores={str(merit.pk): 5, str(relevance.pk): 5}, comment="", actor=None)
    services.record_review(assignment=plain, scores={str(merit.pk): 4}, comment="", actor=None)

    rows = ranking_for_call(call=call).rows

    assert [(row.application_id, row.mean_raw) for row in rows] == [
        (pc.application_id, pytest.approx(100.0)),
        (plain.application_id, pytest.approx(80.0)),
    ]


def test_changing_the_track_is_refused_once_reviewing_started_where_the_variant_matters(cycle_call, coordinator):
    call, idea, idea_pc, _merit, _relevance = cycle_call
    application = _in_track(call, idea_pc)
    ReviewAssignmentFactory(application=application, status="accepted")

    with pytest.raises(ValidationError) as caught:
        awards_services.set_application_track(application=application, track=idea, actor=coordinator)

    application = Application.objects.get(pk=application.pk)
    assert caught.value.messages == [VARIANT_LOCKED]
    assert (application.rubric_variant, ApplicationTrack.objects.get(application=application).track) == (
        "idea-pc",
        idea_pc,
    )


def test_changing_the_track_stays_open_where_no_criterion_depends_on_it(coordinator):
    call = CallFactory()
    first, second = TrackFactory(cycle=call.cycle), TrackFactory(cycle=call.cycle)
    RubricCriterionFactory(call=call, name="Merit")
    application = _in_track(call, first)
    ReviewAssignmentFactory(application=application, status="submitted")

    awards_services.set_application_track(application=application, track=second, actor=coordinator)

    application.refresh_from_db()
    assert application.rubric_variant == second.code


def test_staff_add_a_variant_criterion_on_the_rubric_page(client, coordinator, cycle_call):
    call, *_rest = cycle_call
    client.force_login(coordinator)
    url = reverse("calls:staff-rubric", args=[call.slug])

    page = client.get(url)
    response = client.post(
        url,
        {"new-name": "Family support", "new-weight": "1", "new-scale_max": "5", "new-variant": "idea-pc"},
        follow=True,
    )
    bad = client.post(
        url, {"new-name": "Typo", "new-weight": "1", "new-scale_max": "5", "new-variant": "idea-pcc"}, follow=True
    )

    assert page.context["add_form"].fields["variant"].choices == [
        ("", "Every application"),
        ("idea", "IDEA"),
        ("idea-pc", "IDEA-PC"),
    ]
    assert RubricCriterion.objects.get(name="Family support").variant == "idea-pc"
    assert AuditEvent.objects.get(action="calls.rubric.add").data == {
        "criterion": "Family support",
        "variant": "idea-pc",
    }
    assert [(row.label, row.count, row.total_weight) for row in response.context["variant_rubrics"]] == [
        ("", 1, Decimal(2)),
        ("IDEA-PC", 3, Decimal(4)),
    ]
    assert "only for IDEA-PC" in response.content.decode()
    assert list(bad.context["add_form"].errors) == ["variant"]
    assert not RubricCriterion.objects.filter(name="Typo").exists()


def test_add_criterion_refuses_a_variant_the_call_does_not_offer(cycle_call, coordinator):
    call, *_rest = cycle_call
    with pytest.raises(ValidationError) as caught:
        add_criterion(call=call, setup=CriterionSetup(name="Other", variant="lfe"), actor=coordinator)
    assert caught.value.message_dict == {"variant": ["This call has no rubric variant “lfe”."]}


def test_the_rubric_lock_covers_variant_criteria(client, coordinator, cycle_call):
    call, idea, _idea_pc, _merit, relevance = cycle_call
    ReviewAssignmentFactory(application=_in_track(call, idea), status="accepted")
    client.force_login(coordinator)

    with pytest.raises(ValidationError) as caught:
        add_criterion(call=call, setup=CriterionSetup(name="Late", variant="idea-pc"), actor=coordinator)
    removed = client.post(reverse("calls:staff-criterion-remove", args=[relevance.pk]), follow=True)

    assert caught.value.messages == [RUBRIC_LOCKED]
    assert [str(m) for m in removed.context["messages"]] == [RUBRIC_LOCKED]
    assert RubricCriterion.objects.filter(pk=relevance.pk).exists()


def _pdf_text(body):
    from pypdf import PdfReader

    return "\n".join(page.extract_text() for page in PdfReader(io.BytesIO(body)).pages)


def test_application_pdf_lists_the_criteria_of_its_variant(client, reviewer, cycle_call):
    call, idea, idea_pc, _merit, _relevance = cycle_call
    pc = ReviewAssignmentFactory(application=_in_track(call, idea_pc), reviewer=reviewer.person, status="accepted")
    plain = ReviewAssignmentFactory(application=_in_track(call, idea), reviewer=reviewer.person, status="accepted")
    client.force_login(reviewer)

    pc_text = _pdf_text(client.get(reverse("calls:review-application-pdf", args=[pc.pk])).content)
    plain_text = _pdf_text(client.get(reverse("calls:review-application-pdf", args=[plain.pk])).content)

    assert ("Merit (0 to 5, weight 2)" in pc_text, "Palliative-care relevance" in pc_text) == (True, True)
    assert ("Merit (0 to 5, weight 2)" in plain_text, "Palliative-care relevance" in plain_text) == (True, False)


def test_public_call_page_and_api_say_which_criteria_are_one_variant_s(client, cycle_call):
    call, *_rest = cycle_call

    page = client.get(reverse("calls:call-detail", args=[call.slug])).content.decode()
    body = client.get(f"/api/v1/calls/{call.slug}").json()

    assert "Palliative-care relevance (only for idea-pc)" in page
    assert [(c["name"], c["variant"]) for c in body["criteria"]] == [
        ("Merit", ""),
        ("Palliative-care relevance", "idea-pc"),
    ]


def test_staff_move_a_criterion_to_a_variant_and_back(client, coordinator, cycle_call):
    _call, _idea, _idea_pc, merit, _relevance = cycle_call
    client.force_login(coordinator)
    url = reverse("calls:staff-criterion-update", args=[merit.pk])
    values = {f"c{merit.pk}-name": "Merit", f"c{merit.pk}-weight": "2", f"c{merit.pk}-scale_max": "5"}

    client.post(url, {**values, f"c{merit.pk}-variant": "idea"})
    merit.refresh_from_db()
    moved = merit.variant
    client.post(url, {**values, f"c{merit.pk}-variant": ""})
    merit.refresh_from_db()

    assert (moved, merit.variant) == ("idea", "")
    assert list(
        AuditEvent.objects.filter(action="calls.rubric.update").order_by("id").values_list("data__variant", flat=True)
    ) == ["idea", ""]
