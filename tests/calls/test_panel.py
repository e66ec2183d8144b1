"""The reviewer panel of a call: a searchable list to add people, load and conflicts, removal."""

import pytest
from django.core.exceptions import ValidationError
from django.urls import reverse

from oncoreach.calls import services_setup
from oncoreach.core.models import AuditEvent
from tests.factories.calls import ApplicationFactory, CallFactory, ReviewAssignmentFactory, add_to_panel, panel_of
from tests.factories.people import AffiliationFactory, OrganizationFactory, PersonFactory
from tests.factories.volunteers import VolunteerProfileFactory

pytestmark = [pytest.mark.integration]


def _panel(call):
    return reverse("calls:staff-panel", kwargs={"slug": call.slug})


def test_panel_shows_load_and_conflicts(client, coordinator, call):
    hospital = OrganizationFactory()
    reviewer = PersonFactory(given_name="Rosa", family_name="Reviewer")
    AffiliationFactory(person=reviewer, organization=hospital)
    add_to_panel(call, reviewer)
    conflicted = ApplicationFactory(call=call, status="eligible")
    AffiliationFactory(person=conflicted.applicant, organization=hospital)
    ReviewAssignmentFactory(application__call=call, reviewer=reviewer, status="proposed")
    ReviewAssignmentFactory(application__call=call, reviewer=reviewer, status="submitted")
    ReviewAssignmentFactory(reviewer=reviewer, status="accepted")  # another call
    client.force_login(coordinator)

    response = client.get(_panel(call))

    [member] = response.context["members"]
    assert (member.person, member.open_here, member.submitted_here, member.open_elsewhere) == (reviewer, 1, 1, 1)
    assert member.conflicts == [("Same organization as the applicant", 1)]
    html = response.content.decode()
    assert "Same organization as the applicant: 1 application" in html
    # Removing someone withdraws their open requests: a destructive action, styled as one.
    assert '<button type="submit" class="button-danger">Remove from the panel' in html


def test_panel_search_ignores_accents_and_leaves_out_members(client, coordinator, call):
    match = PersonFactory(given_name="José", family_name="Fernández")
    member = PersonFactory(given_name="Josefa", family_name="Fernández")
    PersonFactory(given_name="Ana", family_name="Silva")
    add_to_panel(call, member)
    client.force_login(coordinator)

    response = client.get(_panel(call), {"q": "fernandez"})

    assert response.context["candidates"] == [match]


def test_panel_without_words_suggests_volunteer_reviewers(client, coordinator, call):
    offers = VolunteerProfileFactory(roles=["reviewer"]).person
    VolunteerProfileFactory(roles=["faculty"])
    VolunteerProfileFactory(roles=["reviewer"], is_active=False)
    client.force_login(coordinator)

    response = client.get(_panel(call))

    assert response.context["candidates"] == [offers]


def test_panel_add_puts_the_person_on_the_panel_and_audits(client, coordinator, call):
    person = PersonFactory()
    client.force_login(coordinator)

    response = client.post(reverse("calls:staff-panel-add", kwargs={"slug": call.slug}), {"person": person.pk})

    assert (response.status_code, panel_of(call)) == (302, [person])
    assert AuditEvent.objects.filter(action="calls.panel.add", actor=coordinator).count() == 1


def test_panel_add_twice_says_so(client, coordinator, call):
    person = PersonFactory(given_name="Rosa", family_name="Reviewer")
    add_to_panel(call, person)
    client.force_login(coordinator)

    response = client.post(
        reverse("calls:staff-panel-add", kwargs={"slug": call.slug}), {"person": person.pk}, follow=True
    )

    assert [str(m) for m in response.context["messages"]] == ["Rosa Reviewer is already on this panel."]


def test_panel_add_of_nobody_is_refused_clearly(client, coordinator, call):
    client.force_login(coordinator)

    response = client.post(reverse("calls:staff-panel-add", kwargs={"slug": call.slug}), {"person": "x"}, follow=True)

    assert [str(m) for m in response.context["messages"]] == ["Choose a person to add."]
    assert panel_of(call) == []


def test_panel_remove_withdraws_open_requests_and_keeps_reviews(client, coordinator, call):
    reviewer = PersonFactory(given_name="Rosa", family_name="Reviewer")
    add_to_panel(call, reviewer)
    proposed = ReviewAssignmentFactory(application__call=call, reviewer=reviewer, status="proposed")
    submitted = ReviewAssignmentFactory(application__call=call, reviewer=reviewer, status="submitted")
    elsewhere = ReviewAssignmentFactory(reviewer=reviewer, status="accepted")
    client.force_login(coordinator)

    response = client.post(
        reverse("calls:staff-panel-remove", kwargs={"slug": call.slug}), {"person": reviewer.pk}, follow=True
    )

    for assignment in (proposed, submitted, elsewhere):
        assignment.refresh_from_db()
    assert panel_of(call) == []
    assert (proposed.status, submitted.status, elsewhere.status) == ("declined", "submitted", "accepted")
    assert [str(m) for m in response.context["messages"]] == [
        "Rosa Reviewer is off the panel; 1 open review request was withdrawn."
    ]


def test_panel_remove_of_a_non_member_changes_nothing(coordinator, call):
    with pytest.raises(ValidationError):
        services_setup.remove_panel_reviewer(call=call, person=PersonFactory(), actor=coordinator)


def test_panel_pages_refuse_outsiders(client, outsider, call):
    person = PersonFactory()
    client.force_login(outsider)

    codes = [
        client.get(_panel(call)).status_code,
        client.post(reverse("calls:staff-panel-add", kwargs={"slug": call.slug}), {"person": person.pk}).status_code,
        client.post(reverse("calls:staff-panel-remove", kwargs={"slug": call.slug}), {"person": person.pk}).status_code,
    ]

    assert (codes, panel_of(call)) == ([403, 403, 403], [])


@pytest.mark.parametrize("count", [1, 3])
def test_panel_query_count(client, coordinator, django_assert_num_queries, count):
    call = CallFactory()
    for _ in range(count):
        reviewer = PersonFactory()
        AffiliationFactory(person=reviewer)
        add_to_panel(call, reviewer)
        ReviewAssignmentFactory(application__call=call, reviewer=reviewer)
        VolunteerProfileFactory(roles=["reviewer"])
    client.force_login(coordinator)

    # session, user, groups, call with its stages; panel with loads; conflicts (applications, then
    # one or two per registered rule: affiliations, publications, referees, declarations); candidates
    with django_assert_num_queries(15):  # + mentoring's past-mentorship rule
        response = client.get(_panel(call))

    assert (len(response.context["members"]), len(response.context["candidates"])) == (count, count)
