"""Decisions: the staff page offers only what the transitions table allows; comment-only
reviews never show "None / 100"."""

from decimal import Decimal

import pytest
from django.urls import reverse
from django.utils import timezone

from oncoreach.calls.models import Review
from oncoreach.calls.permissions import staff_decisions_for, staff_moves_for
from tests.factories.calls import ApplicationFactory, CallFactory, ReviewAssignmentFactory

pytestmark = [pytest.mark.integration]


def _detail(client, application):
    return client.get(reverse("calls:staff-application-detail", kwargs={"pk": application.pk}))


def _choices(form):
    return [value for value, _label in form.fields[next(iter(form.fields))].choices] if form else []


@pytest.mark.parametrize(
    ("status", "stages", "offered"),
    [
        ("eligible", [], (["stage:review"], [])),
        ("under_review", [], (["shortlisted"], ["rejected"])),
        ("under_review", ["interview"], (["stage:interview"], ["rejected"])),
        ("interview", ["interview"], (["shortlisted"], ["rejected"])),
        ("shortlisted", [], ([], ["waitlisted", "accepted", "rejected"])),
        ("accepted", [], ([], [])),
        ("withdrawn", [], ([], [])),
    ],
)
def test_staff_page_offers_only_the_allowed_transitions(client, coordinator, status, stages, offered):
    call = CallFactory(extra_stages=stages)
    if status == "interview":  # the former status: under review in the interview stage
        application = ApplicationFactory(call=call, status="under_review", current_stage=call.stage_by_key("interview"))
    else:
        application = ApplicationFactory(call=call, status=status)
    client.force_login(coordinator)

    response = _detail(client, application)

    assert (_choices(response.context["move_form"]), _choices(response.context["decision_form"])) == offered


def test_under_review_page_does_not_offer_accept(client, coordinator):
    application = ApplicationFactory(status="under_review")
    client.force_login(coordinator)

    html = _detail(client, application).content.decode()

    assert ('value="accepted"' in html, 'value="rejected"' in html) == (False, True)


def test_actions_are_empty_for_someone_not_staff(outsider):
    application = ApplicationFactory(status="shortlisted")

    assert (staff_moves_for(outsider, application), staff_decisions_for(outsider, application)) == ([], [])


def test_posting_a_decision_the_table_refuses_changes_nothing_and_says_why(client, coordinator):
    application = ApplicationFactory(status="under_review")
    client.force_login(coordinator)

    response = client.post(
        reverse("calls:staff-decide-application", kwargs={"pk": application.pk}), {"outcome": "accepted"}, follow=True
    )

    application.refresh_from_db()
    assert application.status == "under_review"
    assert [str(m) for m in response.context["messages"]] == [
        "A decision is not possible from the application's current status."
    ]


def test_posting_a_move_the_table_refuses_changes_nothing_and_says_why(client, coordinator):
    application = ApplicationFactory(status="shortlisted")
    client.force_login(coordinator)

    response = client.post(
        reverse("calls:staff-move-application", kwargs={"pk": application.pk}), {"to": "stage:review"}, follow=True
    )

    application.refresh_from_db()
    assert application.status == "shortlisted"
    assert [str(m) for m in response.context["messages"]] == [
        "That step is not possible from the application's current status."
    ]


def test_rejecting_under_review_works(client, coordinator):
    application = ApplicationFactory(status="under_review")
    client.force_login(coordinator)

    client.post(reverse("calls:staff-decide-application", kwargs={"pk": application.pk}), {"outcome": "rejected"})

    application.refresh_from_db()
    assert application.status == "rejected"


def _comment_only_review(application):
    assignment = ReviewAssignmentFactory(application=application, status="submitted")
    return Review.objects.create(assignment=assignment, comment="Promising", submitted_at=timezone.now())


def test_comment_only_review_shows_no_none_on_the_staff_page(client, coordinator):
    application = ApplicationFactory(status="under_review")
    _comment_only_review(application)
    client.force_login(coordinator)

    html = _detail(client, application).content.decode()

    assert ("None" in html, "comment only (no rubric scores)" in html) == (False, True)


def test_comment_only_review_shows_no_none_in_the_list_and_export(client, coordinator):
    application = ApplicationFactory(status="under_review")
    _comment_only_review(application)
    client.force_login(coordinator)

    listed = client.get(reverse("calls:staff-application-list", kwargs={"slug": application.call.slug}))
    exported = client.get(reverse("calls:staff-application-export", kwargs={"slug": application.call.slug}))

    assert "None" not in listed.content.decode()
    assert exported.content.decode().splitlines()[1].endswith(",1,")


def test_scored_reviews_show_their_mean_in_the_list_and_export(client, coordinator):
    application = ApplicationFactory(status="under_review")
    for total in (Decimal("80.00"), Decimal("91.00")):
        assignment = ReviewAssignmentFactory(application=application, status="submitted")
        Review.objects.create(assignment=assignment, weighted_total=total, submitted_at=timezone.now())
    client.force_login(coordinator)

    listed = client.get(reverse("calls:staff-application-list", kwargs={"slug": application.call.slug}))
    exported = client.get(reverse("calls:staff-application-export", kwargs={"slug": application.call.slug}))
    detail = _detail(client, application).content.decode()

    assert "<td>85.5</td>" in listed.content.decode()
    assert exported.content.decode().splitlines()[1].endswith(",2,85.50")
    assert "80 / 100" in detail
