"""Views: happy paths, refusals, data that could leak, and query counts on lists."""

import datetime as dt

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.urls import reverse
from django.utils import timezone

from oncoreach.calls.models import Application, ReferenceRequest, Review
from oncoreach.calls.selectors import reference_token
from oncoreach.programs.models import Answer
from tests.factories.calls import (
    ApplicationFactory,
    CallFactory,
    QuestionFactory,
    ReferenceRequestFactory,
    ReviewAssignmentFactory,
    RubricCriterionFactory,
    add_to_panel,
)
from tests.factories.people import AffiliationFactory, OrganizationFactory, PersonFactory

pytestmark = [pytest.mark.integration]

PDF = b"%PDF-1.4\n%%EOF\n"
SECRET_COMMENT = "Weak methods; do not fund"


def _html(response) -> str:
    return response.content.decode()


# --- public -----------------------------------------------------------------------------------


def test_call_list_shows_open_calls_only(client, call):
    closed = CallFactory(
        title="Closed call",
        closes_at=timezone.now() - dt.timedelta(days=1),
        opens_at=timezone.now() - dt.timedelta(days=9),
    )
    response = client.get(reverse("calls:call-list"))
    assert (response.status_code, call.title in _html(response), closed.title in _html(response)) == (200, True, False)
    assert response.cookies == {}


@pytest.mark.parametrize("count", [1, 3])
def test_call_list_query_count(client, db, django_assert_num_queries, count):
    CallFactory.create_batch(count)
    # one more: the calls' stages
    with django_assert_num_queries(2):
        response = client.get(reverse("calls:call-list"))
    assert response.status_code == 200


def test_call_detail_explains_eligibility_in_words(client, db):
    call = CallFactory(allowed_career_stages=["early"])
    response = client.get(call.get_absolute_url())
    assert "Career stages accepted: Early career (under 10 years after training)." in _html(response)
    assert "Sign in to apply" in _html(response)


def test_call_detail_unknown_slug_is_404(client, db):
    assert client.get(reverse("calls:call-detail", kwargs={"slug": "no-such-call"})).status_code == 404


def test_call_detail_unpublished_is_404(client, db):
    call = CallFactory(is_published=False)
    assert client.get(call.get_absolute_url()).status_code == 404


# --- applicant ----------------------------------------------------------------------------------


def test_application_start_creates_draft_and_redirects(client, applicant, call):
    client.force_login(applicant)
    response = client.post(reverse("calls:application-start", kwargs={"slug": call.slug}))
    application = Application.objects.get()
    assert (response.status_code, response.url, application.applicant.user) == (
        302,
        reverse("calls:application-edit", kwargs={"pk": application.pk}),
        applicant,
    )


def test_application_start_anonymous_goes_to_login(client, call):
    response = client.post(reverse("calls:application-start", kwargs={"slug": call.slug}))
    assert (response.status_code, "/accounts/login" in response.url, Application.objects.count()) == (302, True, 0)


def _draft(applicant, call):
    return ApplicationFactory(call=call, applicant=applicant.person)


def test_application_edit_shows_the_form(client, applicant, call):
    application = _draft(applicant, call)
    client.force_login(applicant)
    response = client.get(reverse("calls:application-edit", kwargs={"pk": application.pk}))
    question = call.form.questions.get()
    assert (response.status_code, f'name="{question.field_name}"' in _html(response)) == (200, True)


def test_application_edit_of_someone_else_is_404(client, outsider, applicant, call):
    application = _draft(applicant, call)
    client.force_login(outsider)
    assert client.get(reverse("calls:application-edit", kwargs={"pk": application.pk})).status_code == 404


def test_save_draft_keeps_text_over_the_word_limit(client, applicant, call):
    application = _draft(applicant, call)
    question = call.form.questions.get()
    long_text = "word " * 60
    client.force_login(applicant)
    response = client.post(
        reverse("calls:application-edit", kwargs={"pk": application.pk}),
        {question.field_name: long_text, "action": "save"},
    )
    assert "Please keep this to 50 words; it has 60." in _html(response)
    assert 'aria-invalid="true"' in _html(response)
    assert Answer.objects.get().value == long_text


def test_submit_from_the_form_judges_eligibility(client, applicant, call):
    application = _draft(applicant, call)
    question = call.form.questions.get()
    client.force_login(applicant)
    response = client.post(
        reverse("calls:application-edit", kwargs={"pk": application.pk}),
        {question.field_name: "Because I care.", "action": "submit"},
    )
    application.refresh_from_db()
    assert (response.status_code, application.status) == (302, "eligible")


def test_submit_incomplete_shows_the_missing_answer(client, applicant, call):
    application = _draft(applicant, call)
    client.force_login(applicant)
    response = client.post(reverse("calls:application-edit", kwargs={"pk": application.pk}), {"action": "submit"})
    application.refresh_from_db()
    assert ("Please answer this question." in _html(response), application.status) == (True, "draft")


def test_autosave_htmx_returns_saved_fragment_and_is_idempotent(client, applicant, call):
    application = _draft(applicant, call)
    question = call.form.questions.get()
    client.force_login(applicant)
    url = reverse("calls:application-autosave", kwargs={"pk": application.pk})
    for _ in range(2):
        response = client.post(url, {question.field_name: "Draft text"}, headers={"HX-Request": "true"})
    assert (
        response.status_code,
        _html(response).startswith('<p id="autosave-status"'),
        "Saved at" in _html(response),
    ) == (200, True, True)
    assert list(Answer.objects.values_list("value", flat=True)) == ["Draft text"]


def test_autosave_plain_post_redirects_back(client, applicant, call):
    application = _draft(applicant, call)
    client.force_login(applicant)
    response = client.post(reverse("calls:application-autosave", kwargs={"pk": application.pk}), {})
    assert (response.status_code, response.url) == (
        302,
        reverse("calls:application-edit", kwargs={"pk": application.pk}),
    )


def test_autosave_someone_elses_draft_is_404(client, outsider, applicant, call):
    application = _draft(applicant, call)
    question = call.form.questions.get()
    client.force_login(outsider)
    response = client.post(
        reverse("calls:application-autosave", kwargs={"pk": application.pk}), {question.field_name: "x"}
    )
    assert (response.status_code, Answer.objects.count()) == (404, 0)


def test_application_detail_never_shows_reviews(client, applicant, call):
    application = ApplicationFactory(call=call, applicant=applicant.person, status="under_review")
    assignment = ReviewAssignmentFactory(application=application, status="submitted")
    Review.objects.create(assignment=assignment, comment=SECRET_COMMENT, submitted_at=timezone.now())
    client.force_login(applicant)
    response = client.get(reverse("calls:application-detail", kwargs={"pk": application.pk}))
    assert (response.status_code, "Under review" in _html(response), SECRET_COMMENT in _html(response)) == (
        200,
        True,
        False,
    )


def test_application_detail_of_someone_else_is_404(client, outsider, applicant, call):
    application = _draft(applicant, call)
    client.force_login(outsider)
    assert client.get(reverse("calls:application-detail", kwargs={"pk": application.pk})).status_code == 404


@pytest.mark.parametrize("count", [1, 3])
def test_application_list_query_count(client, applicant, db, django_assert_num_queries, count):
    for _ in range(count):
        ApplicationFactory(applicant=applicant.person)
    ApplicationFactory()  # someone else's: must not show
    client.force_login(applicant)
    # one more: the calls' stages
    with django_assert_num_queries(4):
        response = client.get(reverse("calls:application-list"))
    assert len(response.context["applications"]) == count


def test_withdraw_view(client, applicant, call):
    application = ApplicationFactory(call=call, applicant=applicant.person, status="eligible")
    client.force_login(applicant)
    client.post(reverse("calls:application-withdraw", kwargs={"pk": application.pk}))
    application.refresh_from_db()
    assert application.status == "withdrawn"


def test_withdraw_view_refuses_someone_else(client, outsider, applicant, call):
    application = ApplicationFactory(call=call, applicant=applicant.person, status="eligible")
    client.force_login(outsider)
    response = client.post(reverse("calls:application-withdraw", kwargs={"pk": application.pk}))
    application.refresh_from_db()
    assert (response.status_code, application.status) == (404, "eligible")


def test_decline_offer_view(client, applicant, call):
    application = ApplicationFactory(call=call, applicant=applicant.person, status="accepted")
    client.force_login(applicant)
    client.post(reverse("calls:application-decline", kwargs={"pk": application.pk}))
    application.refresh_from_db()
    assert application.status == "declined"


def test_add_referee_view(client, applicant, db):
    call = CallFactory(reference_letters_required=1)
    application = ApplicationFactory(call=call, applicant=applicant.person)
    client.force_login(applicant)
    client.post(
        reverse("calls:application-add-referee", kwargs={"pk": application.pk}),
        {"referee_name": "Rita", "referee_email": "rita@example.org"},
    )
    assert list(ReferenceRequest.objects.values_list("referee_email", flat=True)) == ["rita@example.org"]


# --- referee ------------------------------------------------------------------------------------


def _upload_url(reference):
    return reverse("calls:reference-upload", kwargs={"token": reference_token(reference)})


def test_reference_upload_page_without_account(client, db):
    reference = ReferenceRequestFactory()
    response = client.get(_upload_url(reference))
    assert (response.status_code, reference.application.applicant.full_name in _html(response)) == (200, True)


def test_reference_upload_stores_pdf(client, db):
    reference = ReferenceRequestFactory()
    response = client.post(_upload_url(reference), {"letter": SimpleUploadedFile("l.pdf", PDF, "application/pdf")})
    reference.refresh_from_db()
    assert (response.status_code, bool(reference.letter), reference.submitted_at is not None) == (200, True, True)


def test_reference_upload_page_keeps_its_token_on_this_site_without_breaking_its_form(client, db):
    # "no-referrer" made browsers post the form with "Origin: null", which the CSRF check refuses
    # (the real-browser award cycle test uploads through this page).
    response = client.get(_upload_url(ReferenceRequestFactory()))
    assert response["Referrer-Policy"] == "same-origin"


def test_reference_upload_link_works_once(client, db):
    reference = ReferenceRequestFactory()
    client.post(_upload_url(reference), {"letter": SimpleUploadedFile("l.pdf", PDF, "application/pdf")})

    again = client.post(_upload_url(reference), {"letter": SimpleUploadedFile("l.pdf", PDF + b"v2", "application/pdf")})
    page = client.get(_upload_url(reference))

    reference.refresh_from_db()
    with reference.letter.open("rb") as handle:
        assert handle.read() == PDF
    assert (again.status_code, page.status_code) == (410, 200)
    assert "We already have your letter" in _html(page)
    assert 'type="file"' not in _html(page)


def test_reference_upload_link_closed_once_the_application_moved_on(client, db):
    reference = ReferenceRequestFactory(application=ApplicationFactory(status="accepted"))

    page = client.get(_upload_url(reference))
    post = client.post(_upload_url(reference), {"letter": SimpleUploadedFile("l.pdf", PDF, "application/pdf")})

    reference.refresh_from_db()
    assert (page.status_code, post.status_code, bool(reference.letter)) == (410, 410, False)
    assert "no letter is needed any more" in _html(page)
    assert 'type="file"' not in _html(page)


def test_reference_upload_rejects_non_pdf(client, db):
    reference = ReferenceRequestFactory()
    response = client.post(
        _upload_url(reference), {"letter": SimpleUploadedFile("l.pdf", b"GIF89a....", "application/pdf")}
    )
    reference.refresh_from_db()
    assert ("This file is not a PDF document." in _html(response), bool(reference.letter)) == (True, False)


def test_reference_upload_wrong_token_is_404(client, db):
    ReferenceRequestFactory()
    assert client.get(reverse("calls:reference-upload", kwargs={"token": "not-a-token"})).status_code == 404


def test_reference_upload_expired_link(client, db):
    reference = ReferenceRequestFactory(expires_at=timezone.now() - dt.timedelta(minutes=1))
    response = client.post(_upload_url(reference), {"letter": SimpleUploadedFile("l.pdf", PDF, "application/pdf")})
    reference.refresh_from_db()
    assert (
        response.status_code,
        "This link has expired; please contact the program staff." in _html(response),
        bool(reference.letter),
    ) == (
        410,
        True,
        False,
    )


# --- uploaded application files ---------------------------------------------------------------


def _application_with_file(call, applicant_person, name="CV – Ana Pérez.pdf"):
    from oncoreach.programs.forms_engine import save_answers

    question = QuestionFactory(form=call.form, kind="file", label="Your CV")
    application = ApplicationFactory(call=call, applicant=applicant_person, status="eligible")
    save_answers(
        response_set=application.response_set,
        values={},
        files={question.field_name: SimpleUploadedFile(name, PDF, "application/pdf")},
    )
    return application, question


def _file_url(application, question):
    """The file's address names its answer (as the display's ``answer_id`` gives it)."""
    from oncoreach.programs.models import Answer

    answer = Answer.objects.filter(response_set=application.response_set, question=question).first()
    return reverse("calls:application-file", kwargs={"pk": application.pk, "answer_pk": answer.pk if answer else 0})


def _download(response):
    # Reading to the end closes the response (the test client calls close() then, as a server
    # would); closing it again would close the database connection on PostgreSQL.
    return b"".join(response.streaming_content)


def test_application_file_downloads_under_its_own_name_for_the_applicant(client, applicant, call):
    application, question = _application_with_file(call, applicant.person)
    client.force_login(applicant)

    response = client.get(_file_url(application, question))

    assert (response.status_code, _download(response)) == (200, PDF)
    assert response["Content-Disposition"] == "attachment; filename*=utf-8''CV%20%E2%80%93%20Ana%20P%C3%A9rez.pdf"
    assert response["Cache-Control"] == "private, no-store"


def test_application_file_is_linked_where_the_answers_are_shown(client, applicant, coordinator, call):
    application, question = _application_with_file(call, applicant.person, name="cv.pdf")
    link = f'<a href="{_file_url(application, question)}">cv.pdf</a>'

    client.force_login(applicant)
    own = client.get(reverse("calls:application-detail", kwargs={"pk": application.pk}))
    client.force_login(coordinator)
    staff = client.get(reverse("calls:staff-application-detail", kwargs={"pk": application.pk}))

    assert (link in _html(own), link in _html(staff)) == (True, True)


def test_application_file_reaches_staff_and_the_assigned_reviewer(client, coordinator, reviewer, call):
    application, question = _application_with_file(call, PersonFactory())
    ReviewAssignmentFactory(application=application, reviewer=reviewer.person)

    statuses = []
    for user in (coordinator, reviewer):
        client.force_login(user)
        response = client.get(_file_url(application, question))
        statuses.append((response.status_code, _download(response)))

    assert statuses == [(200, PDF), (200, PDF)]


def test_application_file_is_refused_to_everyone_else(client, outsider, reviewer, call):
    application, question = _application_with_file(call, PersonFactory())
    ReviewAssignmentFactory(reviewer=reviewer.person)  # a reviewer, of another application
    url = _file_url(application, question)

    client.force_login(outsider)
    outsider_status = client.get(url).status_code
    client.force_login(reviewer)
    reviewer_status = client.get(url).status_code
    client.logout()
    anonymous_status = client.get(url).status_code

    assert (outsider_status, reviewer_status, anonymous_status) == (404, 404, 302)


def test_application_file_refused_to_a_reviewer_in_conflict(client, reviewer, db):
    assignment = _conflicted_assignment(reviewer)
    application, question = _application_with_file(assignment.application.call, PersonFactory())
    assignment.application = application
    assignment.save()
    hospital = reviewer.person.affiliations.get().organization
    AffiliationFactory(person=application.applicant, organization=hospital)
    client.force_login(reviewer)

    assert client.get(_file_url(application, question)).status_code == 404


def test_application_file_for_a_question_without_a_file_is_404(client, applicant, call):
    application, question = _application_with_file(call, applicant.person)
    text_question = call.form.questions.exclude(pk=question.pk).get()
    client.force_login(applicant)

    assert client.get(_file_url(application, text_question)).status_code == 404


# --- reviewer -----------------------------------------------------------------------------------


def _conflicted_assignment(reviewer_user):
    """An assignment that exists but must never show: the applicant works where the reviewer does."""
    hospital = OrganizationFactory()
    AffiliationFactory(person=reviewer_user.person, organization=hospital)
    assignment = ReviewAssignmentFactory(reviewer=reviewer_user.person)
    AffiliationFactory(person=assignment.application.applicant, organization=hospital)
    return assignment


def test_review_list_hides_conflicted_applications(client, reviewer, db):
    visible = ReviewAssignmentFactory(reviewer=reviewer.person)
    hidden = _conflicted_assignment(reviewer)
    client.force_login(reviewer)
    response = client.get(reverse("calls:review-list"))
    assert response.context["assignments"] == [visible]
    assert hidden.application.applicant.full_name not in _html(response)


@pytest.mark.parametrize("count", [1, 3])
def test_review_list_query_count(client, reviewer, db, django_assert_num_queries, count):
    call = CallFactory()
    for _ in range(count):
        ReviewAssignmentFactory(reviewer=reviewer.person, application__call=call)
    client.force_login(reviewer)
    # the conflict index of the call: the panel, the applications, one or two per rule (once per call)
    with django_assert_num_queries(14):  # + mentoring's past-mentorship rule, + the committees they sit on
        response = client.get(reverse("calls:review-list"))
    assert len(response.context["assignments"]) == count


@pytest.mark.parametrize("committee", [0, 3])
def test_review_list_costs_the_same_with_assignments_in_later_stages(
    client, reviewer, db, django_assert_num_queries, committee
):
    """Stages as data: assignments in the call's committee stage as well as its review stage cost no
    more queries than assignments in one stage."""
    call = CallFactory(extra_stages=("committee",))
    ReviewAssignmentFactory(reviewer=reviewer.person, application__call=call)
    for _ in range(committee):
        ReviewAssignmentFactory(reviewer=reviewer.person, application__call=call, stage=call.stage_by_key("committee"))
    client.force_login(reviewer)
    with django_assert_num_queries(14):  # as test_review_list_query_count
        response = client.get(reverse("calls:review-list"))
    assert len(response.context["assignments"]) == 1 + committee


def test_review_form_conflicted_is_404(client, reviewer, db):
    assignment = _conflicted_assignment(reviewer)
    client.force_login(reviewer)
    assert client.get(reverse("calls:review-form", kwargs={"pk": assignment.pk})).status_code == 404


def test_review_form_of_someone_elses_assignment_is_404(client, outsider, db):
    assignment = ReviewAssignmentFactory()
    client.force_login(outsider)
    assert client.get(reverse("calls:review-form", kwargs={"pk": assignment.pk})).status_code == 404


def test_review_form_submits_scores(client, reviewer, db):
    assignment = ReviewAssignmentFactory(reviewer=reviewer.person, status="accepted")
    criterion = RubricCriterionFactory(call=assignment.application.call, scale_max=5)
    client.force_login(reviewer)
    url = reverse("calls:review-form", kwargs={"pk": assignment.pk})
    assert client.get(url).status_code == 200
    response = client.post(url, {f"c{criterion.pk}": "4", "comment": "Solid"})
    assignment.refresh_from_db()
    assert (response.status_code, assignment.status, str(assignment.review.weighted_total)) == (
        302,
        "submitted",
        "80.00",
    )


def test_review_form_missing_score_shows_error(client, reviewer, db):
    assignment = ReviewAssignmentFactory(reviewer=reviewer.person, status="accepted")
    RubricCriterionFactory(call=assignment.application.call)
    client.force_login(reviewer)
    response = client.post(reverse("calls:review-form", kwargs={"pk": assignment.pk}), {"comment": "?"})
    assignment.refresh_from_db()
    assert ("Please give a score." in _html(response), assignment.status) == (True, "accepted")


def test_review_respond_decline_with_conflict(client, reviewer, db):
    assignment = ReviewAssignmentFactory(reviewer=reviewer.person)
    client.force_login(reviewer)
    client.post(
        reverse("calls:review-respond", kwargs={"pk": assignment.pk}),
        {"decision": "decline", "conflict_reason": "Former student"},
    )
    assignment.refresh_from_db()
    assert (assignment.status, assignment.application.conflict_declarations.get().reason) == (
        "declined",
        "Former student",
    )


# --- staff --------------------------------------------------------------------------------------


def test_staff_call_list(client, coordinator, call):
    client.force_login(coordinator)
    response = client.get(reverse("calls:staff-call-list"))
    assert (response.status_code, call.title in _html(response)) == (200, True)


def test_staff_pages_refuse_outsider(client, outsider, call):
    application = ApplicationFactory(call=call, status="eligible")
    client.force_login(outsider)
    urls = [
        reverse("calls:staff-call-list"),
        reverse("calls:staff-application-list", kwargs={"slug": call.slug}),
        reverse("calls:staff-application-export", kwargs={"slug": call.slug}),
        reverse("calls:staff-application-detail", kwargs={"pk": application.pk}),
    ]
    assert [client.get(url).status_code for url in urls] == [403, 403, 403, 403]


def test_staff_application_list_filters_by_status(client, coordinator, call):
    eligible = ApplicationFactory(call=call, status="eligible")
    ApplicationFactory(call=call, status="ineligible")
    ApplicationFactory(call=call, status="draft")
    client.force_login(coordinator)
    response = client.get(reverse("calls:staff-application-list", kwargs={"slug": call.slug}), {"status": "eligible"})
    assert list(response.context["page"].object_list) == [eligible]


@pytest.mark.parametrize("count", [1, 3])
def test_staff_application_list_query_count(client, coordinator, call, django_assert_num_queries, count):
    for _ in range(count):
        ApplicationFactory(call=call, status="eligible", submitted_at=timezone.now())
    client.force_login(coordinator)
    # one more: the call's stages
    with django_assert_num_queries(7):
        response = client.get(reverse("calls:staff-application-list", kwargs={"slug": call.slug}))
    assert len(response.context["page"].object_list) == count


def test_staff_reference_letter_is_private_and_never_stored(client, coordinator, db):
    reference = ReferenceRequestFactory()
    from oncoreach.calls import services

    services.upload_reference_letter(reference=reference, letter=SimpleUploadedFile("l.pdf", PDF, "application/pdf"))
    client.force_login(coordinator)

    response = client.get(reverse("calls:staff-reference-letter", kwargs={"pk": reference.pk}))

    assert (response.status_code, _download(response), response["Cache-Control"]) == (200, PDF, "private, no-store")


def test_staff_export_csv(client, coordinator, call):
    application = ApplicationFactory(
        call=call,
        status="eligible",
        applicant=PersonFactory(given_name="=HYPERLINK", family_name="x"),
        eligibility={"eligible": True, "fiscal_year": 2026},
    )
    client.force_login(coordinator)
    response = client.get(reverse("calls:staff-application-export", kwargs={"slug": call.slug}))
    lines = response.content.decode().splitlines()
    assert lines[0] == "id,name,email,country,status,eligible,fiscal_year,submitted_at,reviews,mean_score"
    assert lines[1].startswith(f"{application.pk},'=HYPERLINK x,")


def test_staff_application_detail_shows_snapshot_and_reviews(client, coordinator, call):
    application = ApplicationFactory(
        call=call,
        status="under_review",
        eligibility={
            "eligible": True,
            "fiscal_year": 2026,
            "is_after_newest_year": True,
            "reference_date": "2026-09-01",
            "rules": [],
        },
    )
    assignment = ReviewAssignmentFactory(application=application, status="submitted")
    Review.objects.create(assignment=assignment, comment=SECRET_COMMENT, submitted_at=timezone.now())
    client.force_login(coordinator)
    response = client.get(reverse("calls:staff-application-detail", kwargs={"pk": application.pk}))
    html = _html(response)
    assert (SECRET_COMMENT in html, "newest World Bank fiscal year" in html) == (True, True)


def test_staff_application_detail_lists_conflicted_reviewers(client, coordinator, call):
    hospital = OrganizationFactory()
    application = ApplicationFactory(call=call, status="eligible")
    AffiliationFactory(person=application.applicant, organization=hospital)
    colleague = PersonFactory(given_name="Cora", family_name="Colleague")
    AffiliationFactory(person=colleague, organization=hospital)
    add_to_panel(call, colleague)
    client.force_login(coordinator)
    response = client.get(reverse("calls:staff-application-detail", kwargs={"pk": application.pk}))
    # staff read the rule's sentence with its facts (the registry's staff_text), not a bare label
    assert response.context["conflicts"] == [(colleague, [f"Both are at {hospital.name} now."])]
    assert list(response.context["assign_form"].fields["reviewer"].queryset) == []


def test_staff_assign_reviewer_and_decide(client, coordinator, call):
    application = ApplicationFactory(call=call, status="eligible")
    reviewer = PersonFactory()
    add_to_panel(call, reviewer)
    client.force_login(coordinator)
    client.post(reverse("calls:staff-assign-reviewer", kwargs={"pk": application.pk}), {"reviewer": reviewer.pk})
    client.post(reverse("calls:staff-move-application", kwargs={"pk": application.pk}), {"to": "shortlisted"})
    client.post(
        reverse("calls:staff-decide-application", kwargs={"pk": application.pk}), {"outcome": "accepted", "note": "Yes"}
    )
    application.refresh_from_db()
    assert (list(application.assignments.values_list("reviewer_id", flat=True)), application.status) == (
        [reviewer.pk],
        "accepted",
    )


def test_staff_decide_refuses_outsider(client, outsider, call):
    application = ApplicationFactory(call=call, status="shortlisted")
    client.force_login(outsider)
    response = client.post(
        reverse("calls:staff-decide-application", kwargs={"pk": application.pk}), {"outcome": "accepted"}
    )
    application.refresh_from_db()
    assert (response.status_code, application.status) == (403, "shortlisted")


def test_staff_reference_letter_is_staff_only(client, coordinator, outsider, db):
    reference = ReferenceRequestFactory()
    reference.letter.save("l.pdf", SimpleUploadedFile("l.pdf", PDF), save=True)
    url = reverse("calls:staff-reference-letter", kwargs={"pk": reference.pk})
    client.force_login(outsider)
    refused = client.get(url).status_code
    client.force_login(coordinator)
    response = client.get(url)
    assert (refused, response.status_code, b"".join(response.streaming_content)) == (403, 200, PDF)


@pytest.mark.parametrize("count", [1, 3])
def test_staff_call_list_query_count(client, coordinator, db, django_assert_num_queries, count):
    CallFactory.create_batch(count)
    client.force_login(coordinator)
    # one more: the calls' stages (the deadline is the first stage's)
    with django_assert_num_queries(5):
        response = client.get(reverse("calls:staff-call-list"))
    assert len(response.context["calls"]) == count


def test_call_list_in_spanish(client, call):
    response = client.get("/es/calls/")
    assert (response.status_code, "<h1>Convocatorias</h1>" in _html(response)) == (200, True)
