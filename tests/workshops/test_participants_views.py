import datetime as dt

import html5lib
import pytest
from django.urls import reverse

from oncoreach.workshops import services
from oncoreach.workshops.models import Registration
from tests.factories.people import PersonFactory
from tests.factories.workshops import CourseFactory, RegistrationFactory, open_intake, submitted_registration

pytestmark = [pytest.mark.integration]


def _own(course, user, status="accepted", **extra):
    return RegistrationFactory(course=course, person=user.person, status=status, **extra)


def test_course_page_links_to_registration_when_open(client, db):
    course = CourseFactory()
    open_intake(course)
    response = client.get(course.get_absolute_url())
    assert reverse("workshops:register", kwargs={"slug": course.slug}) in response.content.decode()


def test_register_get_and_post(client, member):
    course = CourseFactory()
    open_intake(course)
    client.force_login(member)
    url = reverse("workshops:register", kwargs={"slug": course.slug})
    assert client.get(url).status_code == 200
    response = client.post(url)
    registration = Registration.objects.get()
    assert response.url == reverse("workshops:registration-form", kwargs={"pk": registration.pk})
    again = client.post(url, follow=True)
    assert "already registered" in again.content.decode()
    assert Registration.objects.count() == 1


def test_register_requires_login(client, db):
    course = CourseFactory()
    response = client.post(reverse("workshops:register", kwargs={"slug": course.slug}))
    assert response.status_code == 302
    assert Registration.objects.count() == 0


def test_registration_detail_own_only(client, member, outsider):
    course = CourseFactory()
    registration = _own(course, member)
    url = registration.get_absolute_url()
    client.force_login(outsider)
    assert client.get(url).status_code == 404
    client.force_login(member)
    response = client.get(url)
    assert response.status_code == 200
    assert "visa-letter.pdf" in response.content.decode()


def test_follow_up_post(client, member):
    course = CourseFactory()
    open_intake(course)
    registration = _own(course, member)
    question = services.default_follow_up_form().questions.order_by("order").last()
    client.force_login(member)
    response = client.post(
        reverse("workshops:registration-follow-up", kwargs={"pk": registration.pk}), {question.field_name: "Halal"}
    )
    assert response.status_code == 302
    registration.refresh_from_db()
    assert registration.follow_up.answers.get(question=question).value == "Halal"


def test_follow_up_refused_for_others(client, member, outsider):
    registration = _own(CourseFactory(), member)
    client.force_login(outsider)
    response = client.post(reverse("workshops:registration-follow-up", kwargs={"pk": registration.pk}), {})
    assert response.status_code == 404


def test_evaluation_post(client, member):
    course = CourseFactory(start_date=dt.date(2026, 11, 1), end_date=dt.date(2026, 11, 3), status="held")
    open_course = CourseFactory()
    open_intake(open_course)
    course.evaluation_form = services.default_evaluation_form()
    course.save()
    registration = _own(course, member, status="attended", certificate_code="ABC")
    q = course.evaluation_form.questions.order_by("order")
    client.force_login(member)
    response = client.post(
        reverse("workshops:registration-evaluation", kwargs={"pk": registration.pk}),
        {q[0].field_name: "5", q[1].field_name: "4"},
    )
    assert response.status_code == 302
    registration.refresh_from_db()
    assert registration.evaluation.submitted_at is not None


def test_visa_letter_for_accepted_only(client, member):
    course = CourseFactory()
    accepted = _own(course, member)
    client.force_login(member)
    response = client.get(reverse("workshops:registration-visa-letter", kwargs={"pk": accepted.pk}))
    assert (response.status_code, response["Content-Type"]) == (200, "application/pdf")
    pending = _own(CourseFactory(), member, status="pending")
    assert client.get(reverse("workshops:registration-visa-letter", kwargs={"pk": pending.pk})).status_code == 404


def test_certificate_and_verification(client, member, outsider):
    course = CourseFactory(start_date=dt.date(2026, 11, 1), end_date=dt.date(2026, 11, 3), status="held")
    registration = _own(course, member, status="attended", certificate_code="CAFE1234")
    client.force_login(outsider)
    assert client.get(reverse("workshops:certificate", kwargs={"pk": registration.pk})).status_code == 404
    client.force_login(member)
    response = client.get(reverse("workshops:certificate", kwargs={"pk": registration.pk}))
    assert (response.status_code, response["Content-Type"]) == (200, "application/pdf")
    client.logout()
    page = client.get(reverse("workshops:certificate-verify", kwargs={"code": "CAFE1234"}))
    assert page.status_code == 200
    assert member.person.full_name in page.content.decode()
    assert member.email not in page.content.decode()
    assert client.get(reverse("workshops:certificate-verify", kwargs={"code": "NOPE"})).status_code == 404


def test_no_certificate_for_no_show(client, member):
    registration = _own(CourseFactory(), member, status="no_show")
    client.force_login(member)
    assert client.get(reverse("workshops:certificate", kwargs={"pk": registration.pk})).status_code == 404


def test_staff_intake_page_and_refusal(client, coordinator, outsider):
    course = CourseFactory()
    submitted_registration(course)
    url = reverse("workshops:staff-intake", kwargs={"slug": course.slug})
    client.force_login(outsider)
    assert client.get(url).status_code == 403
    client.force_login(coordinator)
    assert client.get(url).status_code == 200
    assert client.get(reverse("workshops:staff-intake", kwargs={"slug": "nope"})).status_code == 404


@pytest.mark.parametrize("count", [1, 3])
def test_staff_intake_query_count(client, coordinator, django_assert_num_queries, count):
    course = CourseFactory()
    for _ in range(count):
        submitted_registration(course)
    client.force_login(coordinator)
    with django_assert_num_queries(QUERIES_INTAKE):
        client.get(reverse("workshops:staff-intake", kwargs={"slug": course.slug}))


def test_staff_decide_and_refusal(client, coordinator, outsider):
    course = CourseFactory()
    registration = submitted_registration(course)
    url = reverse("workshops:staff-registration-decide", kwargs={"pk": registration.pk})
    client.force_login(outsider)
    assert client.post(url, {"outcome": "accepted"}).status_code == 403
    client.force_login(coordinator)
    assert client.post(url, {"outcome": "accepted"}).status_code == 302
    registration.refresh_from_db()
    assert registration.status == "accepted"


def test_staff_decide_full_shows_error(client, coordinator):
    course = CourseFactory(capacity=1)
    services.decide_registration(registration=submitted_registration(course), outcome="accepted", actor=None)
    registration = submitted_registration(course)
    client.force_login(coordinator)
    response = client.post(
        reverse("workshops:staff-registration-decide", kwargs={"pk": registration.pk}),
        {"outcome": "accepted"},
        follow=True,
    )
    assert "The course is full" in response.content.decode()
    registration.refresh_from_db()
    assert registration.status == "pending"


def test_staff_attendance_and_promote_and_withdraw(client, coordinator):
    course = CourseFactory(capacity=1)
    accepted = services.decide_registration(registration=submitted_registration(course), outcome="accepted", actor=None)
    waiting = services.decide_registration(
        registration=submitted_registration(course), outcome="waitlisted", actor=None
    )
    client.force_login(coordinator)
    response = client.post(reverse("workshops:staff-intake-promote", kwargs={"slug": course.slug}), follow=True)
    assert "The course is full" in response.content.decode()
    client.post(reverse("workshops:staff-registration-withdraw", kwargs={"pk": accepted.pk}))
    waiting.refresh_from_db()
    assert waiting.status == "accepted"
    type(course).objects.filter(pk=course.pk).update(start_date=dt.date(2026, 11, 20), end_date=dt.date(2026, 11, 22))
    client.post(
        reverse("workshops:staff-registration-attendance", kwargs={"pk": waiting.pk}),
        {"attendance": "attended", "pre_test_score": "30", "post_test_score": "70"},
    )
    waiting.refresh_from_db()
    assert (waiting.status, waiting.post_test_score) == ("attended", 70)


def test_staff_open_registration(client, coordinator, outsider):
    course = CourseFactory(status="planning")
    url = reverse("workshops:staff-intake-open", kwargs={"slug": course.slug})
    client.force_login(outsider)
    assert client.post(url).status_code == 403
    client.force_login(coordinator)
    client.post(url)
    course.refresh_from_db()
    assert course.intake_call is not None


def test_impact_survey_by_token(client, db):
    course = CourseFactory(start_date=dt.date(2025, 9, 1), end_date=dt.date(2025, 9, 3), status="closed")
    registration = RegistrationFactory(course=course, status="attended")
    services.send_followup_surveys()
    from oncoreach.workshops.tokens import make_survey_token

    url = reverse("workshops:impact-survey", kwargs={"token": make_survey_token(registration_pk=registration.pk)})
    assert client.get(url).status_code == 200
    q = services.impact_survey_form().questions.order_by("order")
    response = client.post(url, {q[0].field_name: "yes", q[1].field_name: "1", q[2].field_name: "3"})
    assert response.status_code == 200
    registration.refresh_from_db()
    assert registration.colleagues_trained == 3
    assert client.get(reverse("workshops:impact-survey", kwargs={"token": "forged"})).status_code == 404
    public = client.get(course.get_absolute_url()).content.decode()
    assert "Colleagues trained" in public


def test_host_sees_only_their_course(client, member, outsider):
    course = CourseFactory()
    other = CourseFactory()
    course.host_contacts.add(member.person)
    mine = RegistrationFactory(course=course, person=PersonFactory(given_name="Mine"))
    theirs = RegistrationFactory(course=other, person=PersonFactory(given_name="Secret"))
    client.force_login(member)
    page = client.get(reverse("workshops:host-registrations", kwargs={"slug": course.slug})).content.decode()
    assert mine.person.full_name in page
    assert theirs.person.full_name not in page
    assert mine.person.email not in page
    assert client.get(reverse("workshops:host-registrations", kwargs={"slug": other.slug})).status_code == 404
    client.force_login(outsider)
    assert client.get(reverse("workshops:host-registrations", kwargs={"slug": course.slug})).status_code == 404


@pytest.mark.parametrize("count", [1, 3])
def test_host_page_query_count(client, member, django_assert_num_queries, count):
    course = CourseFactory()
    course.host_contacts.add(member.person)
    RegistrationFactory.create_batch(count, course=course)
    client.force_login(member)
    with django_assert_num_queries(QUERIES_HOST):
        client.get(reverse("workshops:host-registrations", kwargs={"slug": course.slug}))


QUERIES_INTAKE = 9
QUERIES_HOST = 7


def _host_application(status="eligible"):
    from tests.factories.calls import ApplicationFactory, CallFactory
    from tests.factories.people import AffiliationFactory

    applicant = PersonFactory()
    AffiliationFactory(person=applicant)
    return ApplicationFactory(call=CallFactory(kind="host"), applicant=applicant, status=status)


def test_staff_host_applications_list_and_refusal(client, coordinator, outsider):
    application = _host_application()
    _host_application(status="draft")
    url = reverse("workshops:staff-host-applications")
    client.force_login(outsider)
    assert client.get(url).status_code == 403
    client.force_login(coordinator)
    page = client.get(url).content.decode()
    assert page.count("/approve/") == 1
    assert reverse("workshops:staff-host-approve", kwargs={"pk": application.pk}) in page


@pytest.mark.parametrize("count", [1, 3])
def test_staff_host_applications_query_count(client, coordinator, django_assert_num_queries, count):
    for _ in range(count):
        _host_application()
    client.force_login(coordinator)
    with django_assert_num_queries(QUERIES_HOST_APPLICATIONS):
        client.get(reverse("workshops:staff-host-applications"))


def test_staff_host_approve(client, coordinator, outsider):
    from tests.factories.workshops import CourseTemplateFactory

    application = _host_application()
    template = CourseTemplateFactory()
    url = reverse("workshops:staff-host-approve", kwargs={"pk": application.pk})
    data = {
        "template": template.pk,
        "title": "MCMC Lusaka",
        "city": "Lusaka",
        "start_date": "2027-06-01",
        "end_date": "2027-06-03",
        "time_zone": "Africa/Lusaka",
        "capacity": "30",
    }
    client.force_login(outsider)
    assert client.post(url, data).status_code == 403
    client.force_login(coordinator)
    assert client.get(url).status_code == 200
    bad = client.post(url, {**data, "time_zone": "Mars/Base"})
    assert bad.status_code == 400
    response = client.post(url, data)
    course = application.hosted_course
    assert response.url == reverse("workshops:staff-course", kwargs={"slug": course.slug})
    assert course.status == "planning"
    assert client.get(url).status_code == 200
    assert client.post(url, data).status_code == 400


def test_staff_host_approve_unknown_or_not_host(client, coordinator):
    from tests.factories.calls import ApplicationFactory

    client.force_login(coordinator)
    assert client.get(reverse("workshops:staff-host-approve", kwargs={"pk": 999})).status_code == 404
    award = ApplicationFactory(status="eligible")
    assert client.get(reverse("workshops:staff-host-approve", kwargs={"pk": award.pk})).status_code == 404


QUERIES_HOST_APPLICATIONS = 4


def test_my_courses_shows_only_own(client, member, outsider):
    course = CourseFactory(title="Mine course")
    hosted = CourseFactory(title="Hosted course")
    hosted.host_contacts.add(member.person)
    _own(course, member)
    RegistrationFactory(course=CourseFactory(title="Other course"))
    url = reverse("workshops:my-courses")
    assert client.get(url).status_code == 302
    client.force_login(member)
    page = client.get(url).content.decode()
    assert "Mine course" in page
    assert reverse("workshops:host-registrations", kwargs={"slug": hosted.slug}) in page
    assert "Other course" not in page
    client.force_login(outsider)
    page = client.get(url).content.decode()
    assert "Mine course" not in page


@pytest.mark.parametrize("count", [1, 3])
def test_my_courses_query_count(client, member, django_assert_num_queries, count):
    from tests.factories.workshops import TravelFactory

    for _ in range(count):
        _own(CourseFactory(), member)
        CourseFactory().host_contacts.add(member.person)
        TravelFactory(invitation__person=member.person)
    client.force_login(member)
    with django_assert_num_queries(QUERIES_MINE):
        response = client.get(reverse("workshops:my-courses"))
    assert len(response.context["teaching"]) == count


QUERIES_MINE = 6


def _draft(course, member):
    open_intake(course)
    return services.register(course=course, person=member.person, actor=member)


def test_registration_form_saves_a_draft_then_submits(client, member):
    course = CourseFactory()
    registration = _draft(course, member)
    question = registration.application.call.form.questions.order_by("order").first()
    url = reverse("workshops:registration-form", kwargs={"pk": registration.pk})
    client.force_login(member)
    page = client.get(url)
    assert (page.status_code, page.context["registration"]) == (200, registration)
    parser = html5lib.HTMLParser(strict=True)
    parser.parse(page.content)
    assert parser.errors == []
    client.post(url, {question.field_name: "To learn.", "action": "save"})
    registration.application.refresh_from_db()
    assert (registration.application.status, registration.application.draft_saved_at is not None) == ("draft", True)
    incomplete = client.post(url, {question.field_name: "", "action": "submit"})
    assert incomplete.status_code == 200
    registration.application.refresh_from_db()
    assert registration.application.status == "draft"
    sent = client.post(url, {question.field_name: "To learn.", "action": "submit"})
    assert sent["Location"] == registration.get_absolute_url()
    registration.refresh_from_db()
    registration.application.refresh_from_db()
    assert (registration.status, registration.application.status) == ("pending", "eligible")
    # Sent: the form is closed, the page goes back to the registration.
    assert client.get(url)["Location"] == registration.get_absolute_url()


def test_registration_form_is_the_participants_only(client, member, outsider, coordinator):
    registration = _draft(CourseFactory(), member)
    url = reverse("workshops:registration-form", kwargs={"pk": registration.pk})
    for user in (outsider, coordinator):
        client.force_login(user)
        assert client.get(url).status_code == 404
        assert client.post(url, {"action": "submit"}).status_code == 404
    registration.application.refresh_from_db()
    assert registration.application.status == "draft"


def test_the_participant_cancels_and_the_place_goes_to_the_wait_list(client, member, coordinator):
    course = CourseFactory(capacity=1)
    open_intake(course)
    mine = services.decide_registration(
        registration=submitted_registration(course, member.person), outcome="accepted", actor=coordinator
    )
    waiting = services.decide_registration(
        registration=submitted_registration(course), outcome="waitlisted", actor=coordinator
    )
    client.force_login(member)
    detail = client.get(mine.get_absolute_url())
    assert 'class="button-danger"' in detail.content.decode()
    url = reverse("workshops:registration-cancel", kwargs={"pk": mine.pk})
    client.post(url, {"reason": "No visa"})  # not confirmed: nothing happens
    mine.refresh_from_db()
    assert mine.status == "accepted"
    client.post(url, {"reason": "No visa", "confirm": "on"})
    mine.refresh_from_db()
    waiting.refresh_from_db()
    assert (mine.status, waiting.status) == ("cancelled", "accepted")


def test_only_the_participant_may_cancel(client, member, outsider, coordinator):
    course = CourseFactory()
    mine = submitted_registration(course, member.person)
    for user in (outsider, coordinator):
        client.force_login(user)
        assert (
            client.post(reverse("workshops:registration-cancel", kwargs={"pk": mine.pk}), {"confirm": "on"}).status_code
            == 404
        )
    mine.refresh_from_db()
    assert mine.status == "pending"
