"""The committee's own pages: chair and members by their role on the call, not a staff group.

Every committee URL × role (anonymous, applicant, reviewer, member, chair, chair of another call,
staff); blind labels in the page and the CSV; conflicts of interest; the seat's stage; queries.
"""

import datetime as dt
import itertools
from decimal import Decimal

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse
from django.utils import timezone

from oncoreach.calls.models import CallRole, CallStage, ConflictDeclaration, PanelDecision, Review
from tests.factories.accounts import UserFactory
from tests.factories.calls import ApplicationFactory, CallFactory, ReviewAssignmentFactory
from tests.factories.people import PersonFactory

pytestmark = [pytest.mark.integration]

PAGE, CSV, DECIDE = "calls:committee-ranking", "calls:committee-ranking-export", "calls:committee-decide"


_serial = itertools.count()


def _person(name):
    email = f"{name}.{next(_serial)}@example.org"
    return PersonFactory(user=UserFactory(email=email), email=email)


def _committee(count=2, *, blind=False):
    """A call (application → review → committee) with ``count`` reviewed applications, a chair
    and a member on its committee stage, and the reviewer who scored them."""
    call = CallFactory(reference_date=dt.date(2025, 1, 1), extra_stages=["committee"])
    review, committee = call.stage_by_key("review"), call.stage_by_key("committee")
    if blind:
        CallStage.objects.filter(pk=review.pk).update(blind=True)
    reviewer = _person("rita")
    CallRole.objects.create(call=call, person=reviewer, role="external_reviewer")  # on the panel, not the committee
    applications = []
    for k in range(count):
        application = ApplicationFactory(
            call=call,
            status="under_review",
            applicant__given_name="Zanele",
            applicant__family_name=f"Dlamini{k}",
            applicant__email=f"zanele.{next(_serial)}@applicants.example.org",
        )
        assignment = ReviewAssignmentFactory(
            application=application, reviewer=reviewer, stage=review, status="submitted"
        )
        Review.objects.create(assignment=assignment, weighted_total=Decimal(50 + k), submitted_at=timezone.now())
        applications.append(application)
    chair, member = _person("carla"), _person("mo")
    CallRole.objects.create(call=call, stage=committee, person=chair, role="chair")
    CallRole.objects.create(call=call, stage=committee, person=member, role="member")
    return call, applications, chair, member, reviewer


def _chair_elsewhere():
    other = CallFactory(extra_stages=["committee"])
    person = _person("olga")
    CallRole.objects.create(call=other, stage=other.stage_by_key("committee"), person=person, role="chair")
    return person.user


EXPECTED = {  # role: (page, csv, decide)
    "anonymous": (302, 302, 302),
    "applicant": (404, 404, 404),
    "reviewer": (404, 404, 404),
    "chair_of_another_call": (404, 404, 404),
    "member": (200, 200, 404),
    "chair": (200, 200, 302),
    "staff": (200, 200, 302),
}


@pytest.mark.parametrize("role", list(EXPECTED))
def test_every_committee_url_for_every_role(client, coordinator, reference_data, role):
    call, applications, chair, member, reviewer = _committee()
    applicant = applications[0].applicant
    applicant.user = UserFactory(email=applicant.email)
    applicant.save()
    users = {
        "anonymous": None,
        "applicant": applicant.user,
        "reviewer": reviewer.user,
        "member": member.user,
        "chair": chair.user,
        "chair_of_another_call": _chair_elsewhere() if role == "chair_of_another_call" else None,
        "staff": coordinator,
    }
    if users[role] is not None:
        client.force_login(users[role])
    kwargs = {"slug": call.slug}
    page = client.get(reverse(PAGE, kwargs=kwargs))
    export = client.get(reverse(CSV, kwargs=kwargs))
    decide = client.post(reverse(DECIDE, kwargs=kwargs), {"application": applications[0].pk, "outcome": "fund"})
    assert (page.status_code, export.status_code, decide.status_code) == EXPECTED[role]
    if role == "anonymous":
        assert "/login/" in page["Location"]
    decided = role in {"chair", "staff"}
    assert PanelDecision.objects.filter(application=applications[0]).exists() == decided
    if decided:  # on the committee stage, without naming it in the URL
        assert PanelDecision.objects.get().stage.key == "committee"


def test_a_member_reads_the_ranking_but_has_no_decision_form(client, reference_data):
    call, applications, _chair, member, _reviewer = _committee()
    client.force_login(member.user)
    response = client.get(reverse(PAGE, kwargs={"slug": call.slug}))
    body = response.content.decode()
    assert response.context["decision_form"] is None
    assert "Record the decision" not in body
    assert applications[1].applicant.full_name in body  # not blind: names shown
    assert [row.application_id for row in response.context["ranking"].rows] == [applications[1].pk, applications[0].pk]


def test_the_committee_ranks_the_review_stage_that_feeds_it(client, reference_data):
    call, applications, chair, _member, _reviewer = _committee()
    client.force_login(chair.user)
    response = client.get(reverse(PAGE, kwargs={"slug": call.slug}))
    seat = response.context["seat"]
    assert (seat.stage.key, seat.scores_stage.key, seat.chairs) == ("committee", "review", True)
    assert all(row.n_reviews == 1 for row in response.context["ranking"].rows)
    client.post(reverse(DECIDE, kwargs={"slug": call.slug}), {"application": applications[1].pk, "outcome": "fund"})
    rows = {
        row.application_id: row for row in client.get(reverse(PAGE, kwargs={"slug": call.slug})).context["ranking"].rows
    }
    assert rows[applications[1].pk].panel_decision == "Fund"


def test_the_committee_page_is_linked_from_my_reviews(client, reference_data):
    call, _applications, chair, member, _reviewer = _committee()
    url = reverse(PAGE, kwargs={"slug": call.slug})
    for person, words in ((chair, "chair"), (member, "member")):
        client.force_login(person.user)
        body = client.get(reverse("calls:review-list")).content.decode()
        assert url in body
        assert words in body
        assert "Nothing to review at the moment." not in body


def test_a_cycle_wide_member_sits_on_every_call_of_the_cycle(client, reference_data):
    call, _applications, _chair, _member, _reviewer = _committee()
    person = _person("cy")
    CallRole.objects.create(cycle=call.cycle, person=person, role="member")
    client.force_login(person.user)
    response = client.get(reverse(PAGE, kwargs={"slug": call.slug}))
    assert response.status_code == 200
    assert response.context["seat"].stage.key == "committee"


def test_a_blind_stage_shows_no_name_or_email_to_the_committee(client, coordinator, reference_data):
    call, applications, chair, member, _reviewer = _committee(blind=True)
    for person in (member, chair):
        client.force_login(person.user)
        body = client.get(reverse(PAGE, kwargs={"slug": call.slug})).content.decode()
        export = client.get(reverse(CSV, kwargs={"slug": call.slug})).content.decode()
        for text in (body, export):
            assert "Zanele" not in text
            assert "Dlamini" not in text
            assert "applicants.example.org" not in text
        assert f"Application #{applications[0].pk}" in body
        assert f"Application #{applications[0].pk}" in export
        assert all(line.split(",")[3:7] == ["", "", "", ""] for line in export.splitlines()[1:])  # no demographics
    # the chair's decision messages name no one either
    client.force_login(chair.user)
    response = client.post(
        reverse(DECIDE, kwargs={"slug": call.slug}), {"application": applications[0].pk, "outcome": "fund"}, follow=True
    )
    assert "The panel decision is recorded." in response.content.decode()
    assert "Zanele" not in response.content.decode()
    # staff still see names
    client.force_login(coordinator)
    assert "Zanele Dlamini0" in client.get(reverse(PAGE, kwargs={"slug": call.slug})).content.decode()


def test_the_blind_balance_stays_but_cannot_be_joined_to_a_row(client, reference_data):
    call, applications, _chair, member, _reviewer = _committee(2, blind=True)
    applications[0].status = "shortlisted"
    applications[0].save()
    client.force_login(member.user)
    ranking = client.get(reverse(PAGE, kwargs={"slug": call.slug})).context["ranking"]
    assert ranking.shortlist_size == 1
    assert ranking.balance["country"][0][1] == 1
    assert {(row.country, row.region, row.income_group, row.career_stage) for row in ranking.rows} == {("", "", "", "")}


def test_a_member_with_a_conflict_sees_no_scores_of_that_application(client, reference_data):
    call, applications, _chair, member, _reviewer = _committee(3)
    ConflictDeclaration.objects.create(reviewer=member, application=applications[2], reason="My former trainee.")
    client.force_login(member.user)
    response = client.get(reverse(PAGE, kwargs={"slug": call.slug}))
    rows = response.context["ranking"].rows
    assert rows[-1].application_id == applications[2].pk
    assert rows[-1].conflict
    assert (rows[-1].mean_raw, rows[-1].rank_calibrated, rows[-1].panel_notes) == (None, None, "")
    assert not any(row.conflict for row in rows[:-1])
    assert "You have a conflict of interest with this application" in response.content.decode()
    export = client.get(reverse(CSV, kwargs={"slug": call.slug})).content.decode().splitlines()
    conflicted = next(line for line in export if line.startswith(f"{applications[2].pk},"))
    assert conflicted.endswith(",yes")
    assert ",52.00," not in conflicted


def test_a_chair_with_a_conflict_cannot_decide_on_that_application(client, reference_data):
    call, applications, chair, _member, _reviewer = _committee(2)
    ConflictDeclaration.objects.create(reviewer=chair, application=applications[0], reason="A co-author.")
    client.force_login(chair.user)
    response = client.post(
        reverse(DECIDE, kwargs={"slug": call.slug}),
        {"application": applications[0].pk, "outcome": "fund", "notes": "Fund it."},
        follow=True,
    )
    assert (
        f"You have a conflict of interest with application #{applications[0].pk}, so you cannot record the panel"
        in response.content.decode()
    )
    assert not PanelDecision.objects.exists()
    client.post(reverse(DECIDE, kwargs={"slug": call.slug}), {"application": applications[1].pk, "outcome": "fund"})
    assert PanelDecision.objects.get().application == applications[1]


def test_the_committee_page_costs_the_same_queries_for_5_and_50_applications(client, reference_data):
    counts = []
    for size in (5, 50):
        call, applications, _chair, member, _reviewer = _committee(size)
        ConflictDeclaration.objects.create(reviewer=member, application=applications[0])
        client.force_login(member.user)
        url = reverse(PAGE, kwargs={"slug": call.slug})
        client.get(url)  # warm the session and content-type caches
        with CaptureQueriesContext(connection) as queries:
            response = client.get(url)
        assert len(response.context["ranking"].rows) == size
        counts.append(len(queries))
    assert counts[0] == counts[1]


def test_staff_ranking_opens_on_the_panel_stage_and_keeps_its_switcher(client, coordinator, reference_data):
    call, applications, _chair, _member, _reviewer = _committee()
    client.force_login(coordinator)
    response = client.get(reverse("calls:staff-ranking", kwargs={"slug": call.slug}))
    assert response.context["stage"].key == "committee"
    assert all(row.n_reviews == 1 for row in response.context["ranking"].rows)  # the review stage's scores
    assert [stage.key for stage in response.context["review_stages"]] == ["review", "committee"]
    client.post(
        reverse("calls:staff-panel-decide", kwargs={"slug": call.slug}),
        {"application": applications[0].pk, "outcome": "fund", "stage": "committee"},
    )
    assert PanelDecision.objects.get().stage.key == "committee"


@pytest.mark.parametrize(("keys", "expected"), [(["review", "committee"], "review"), (["committee"], "committee")])
def test_a_committee_ranks_the_nearest_review_stage_before_it(db, keys, expected):
    from oncoreach.calls.selectors_ranking import scores_stage_for
    from tests.factories.calls import StageSetup
    from tests.factories.programs import FormDefinitionFactory

    stages = [StageSetup(key="application", name="Application", kind="submission", form=FormDefinitionFactory())]
    stages += [StageSetup(key=key, name=key.title(), kind=key) for key in keys]
    call = CallFactory(stages=stages)
    assert scores_stage_for(call.stage_by_key("committee")).key == expected
