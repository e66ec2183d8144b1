"""Calls pages: valid HTML5, one <h1>, labelled fields, no inline script or style."""

import pytest
from django.urls import reverse

from oncoreach.calls.selectors import reference_token
from tests.factories.calls import (
    ApplicationFactory,
    CallFactory,
    QuestionFactory,
    ReferenceRequestFactory,
    ReviewAssignmentFactory,
    RubricCriterionFactory,
)
from tests.quality.test_public_pages import _check_page

pytestmark = [pytest.mark.integration]


@pytest.fixture
def rich_call(db):
    call = CallFactory(eligible_income_groups=["LM"], reference_letters_required=1, allowed_career_stages=["early"])
    for kind in (
        "short_text",
        "long_text",
        "single_choice",
        "multiple_choice",
        "number",
        "date",
        "yes_no",
        "file",
        "email",
        "url",
    ):
        QuestionFactory(form=call.form, kind=kind, choices=["a", "b"], help_text="Help")
    RubricCriterionFactory(call=call)
    return call


def test_public_calls_pages_are_valid_and_cookieless(client, rich_call):
    reference = ReferenceRequestFactory(application=ApplicationFactory(call=rich_call))
    for url in [
        reverse("calls:call-list"),
        rich_call.get_absolute_url(),
        reverse("calls:reference-upload", kwargs={"token": reference_token(reference)}),
    ]:
        response = client.get(url)
        assert response.status_code == 200, url
        _check_page(response.content.decode(), url)
        if 'method="post"' not in response.content.decode():
            assert response.cookies == {}, url


def test_signed_in_calls_pages_are_valid(client, applicant, reviewer, coordinator, rich_call):
    application = ApplicationFactory(call=rich_call, applicant=applicant.person)
    assignment = ReviewAssignmentFactory(reviewer=reviewer.person, application__call=rich_call)
    pages = [
        (applicant, reverse("calls:application-edit", kwargs={"pk": application.pk})),
        (applicant, reverse("calls:application-detail", kwargs={"pk": application.pk})),
        (applicant, reverse("calls:application-list")),
        (reviewer, reverse("calls:review-list")),
        (reviewer, reverse("calls:review-form", kwargs={"pk": assignment.pk})),
        (coordinator, reverse("calls:staff-call-list")),
        (coordinator, reverse("calls:staff-application-list", kwargs={"slug": rich_call.slug})),
        (coordinator, reverse("calls:staff-application-detail", kwargs={"pk": assignment.application.pk})),
    ]
    for user, url in pages:
        client.force_login(user)
        response = client.get(url)
        assert response.status_code == 200, url
        _check_page(response.content.decode(), url)
