"""Staff endpoints behind tokens: the same permission-scoped selectors as the staff pages."""

import datetime as dt

import pytest
import time_machine

from oncoreach.core.models import AuditEvent
from tests.api.conftest import bearer, error_code
from tests.factories.api import make_token
from tests.factories.calls import ApplicationFactory, CallFactory
from tests.factories.geo import CountryFactory
from tests.factories.people import AffiliationFactory, PersonFactory
from tests.factories.workshops import CourseFactory, RegistrationFactory, submitted_registration

pytestmark = [pytest.mark.integration, pytest.mark.django_db]


@pytest.fixture
def staff_urls():
    """One URL per staff endpoint with the scope it needs and its method."""
    course = CourseFactory(slug="kathmandu")
    call = CallFactory(slug="grant")
    registration = RegistrationFactory(course=course)
    return [
        ("get", "/api/v1/people", "people:read"),
        ("get", f"/api/v1/calls/{call.slug}/applications", "calls:read"),
        ("get", f"/api/v1/courses/{course.slug}/registrations", "courses:read"),
        ("post", f"/api/v1/registrations/{registration.pk}/attendance", "courses:write"),
    ]


def call(client, method, url, **headers):
    if method == "post":
        return client.post(url, {"attended": True}, content_type="application/json", **headers)
    return client.get(url, **headers)


def test_every_staff_endpoint_refuses_without_a_token(client, staff_urls):
    for method, url, _scope in staff_urls:
        response = call(client, method, url)
        assert (url, response.status_code, error_code(response)) == (url, 401, "not_authenticated")


def test_every_staff_endpoint_refuses_another_scope(client, coordinator, staff_urls):
    _token, secret = make_token(coordinator, "people:read")
    for method, url, scope in staff_urls[1:]:
        response = call(client, method, url, **bearer(secret))
        assert (scope, response.status_code, error_code(response)) == (scope, 403, "insufficient_scope")


@pytest.mark.parametrize(("flag", "code"), [("revoked", "token_revoked"), ("expired", "token_expired")])
def test_every_staff_endpoint_refuses_a_dead_token(client, coordinator, staff_urls, flag, code):
    for method, url, scope in staff_urls:
        _token, secret = make_token(coordinator, scope, **{flag: True})
        response = call(client, method, url, **bearer(secret))
        assert (url, response.status_code, error_code(response)) == (url, 401, code)


def test_every_staff_endpoint_refuses_a_token_of_someone_without_staff_rights(
    client, coordinator, outsider, staff_urls
):
    for method, url, scope in staff_urls:
        _token, secret = make_token(coordinator, scope)
        coordinator.groups.clear()
        coordinator._group_names = None
        response = call(client, method, url, **bearer(secret))
        assert (url, response.status_code, error_code(response)) == (url, 403, "permission_denied")
        coordinator.groups.add(
            *__import__("django.contrib.auth.models", fromlist=["Group"]).Group.objects.filter(name="Program staff")
        )


# --- People ---------------------------------------------------------------------------------------


def test_people_search_and_filters(client, coordinator):
    kenya = CountryFactory(iso3="KQQ", slug="kqq")
    wanted = PersonFactory(given_name="Wanjiru", family_name="Kamau", country_of_practice=kenya, specialty="pathology")
    AffiliationFactory(person=wanted, organization__name="Kenyatta Hospital")
    PersonFactory(given_name="Other", family_name="Person")
    _token, secret = make_token(coordinator, "people:read")
    body = client.get("/api/v1/people?search=wanj", **bearer(secret)).json()
    assert [(p["given_name"], p["primary_organization"], p["country_of_practice"]) for p in body["items"]] == [
        ("Wanjiru", "Kenyatta Hospital", "KQQ")
    ]
    assert [
        p["id"] for p in client.get("/api/v1/people?country=KQQ&specialty=pathology", **bearer(secret)).json()["items"]
    ] == [wanted.pk]


def test_people_pages_follow_the_cursor(client, coordinator):
    for name in ("Adebayo", "Banda", "Chowdhury"):
        PersonFactory(given_name="Same", family_name=name)
    _token, secret = make_token(coordinator, "people:read")
    first = client.get("/api/v1/people?limit=2", **bearer(secret)).json()
    second = client.get(first["next"], **bearer(secret)).json()
    names = [p["family_name"] for page in (first, second) for p in page["items"]]
    assert names == ["Adebayo", "Banda", "Chowdhury", "Coordinator"]


@pytest.mark.parametrize("count", [1, 3])
def test_people_list_query_count_is_constant(client, coordinator, django_assert_num_queries, count):
    for _number in range(count):
        AffiliationFactory(person=PersonFactory())
    _token, secret = make_token(coordinator, "people:read")
    with django_assert_num_queries(5):
        assert len(client.get("/api/v1/people", **bearer(secret)).json()["items"]) == count + 1


# --- Applications of a call -----------------------------------------------------------------------


def test_applications_of_a_call_never_include_drafts_or_other_calls(client, coordinator):
    call_ = CallFactory(slug="grant")
    submitted = ApplicationFactory(call=call_, status="submitted", eligibility={"eligible": True})
    ApplicationFactory(call=call_, status="draft")
    ApplicationFactory(call=CallFactory(slug="other"), status="submitted")
    _token, secret = make_token(coordinator, "calls:read")
    body = client.get("/api/v1/calls/grant/applications", **bearer(secret)).json()
    assert [(a["id"], a["eligible"], a["status"]) for a in body["items"]] == [(submitted.pk, True, "submitted")]
    assert client.get("/api/v1/calls/grant/applications?eligible=false", **bearer(secret)).json()["items"] == []


def test_applications_of_an_unknown_call_are_not_found(client, coordinator):
    _token, secret = make_token(coordinator, "calls:read")
    response = client.get("/api/v1/calls/nope/applications", **bearer(secret))
    assert (response.status_code, error_code(response)) == (404, "not_found")


@pytest.mark.parametrize("count", [1, 3])
def test_applications_query_count_is_constant(client, coordinator, django_assert_num_queries, count):
    call_ = CallFactory(slug="grant")
    ApplicationFactory.create_batch(count, call=call_, status="submitted")
    _token, secret = make_token(coordinator, "calls:read")
    # one more: the call's stages
    with django_assert_num_queries(6):
        assert len(client.get("/api/v1/calls/grant/applications", **bearer(secret)).json()["items"]) == count


# --- Registrations and attendance -----------------------------------------------------------------


def test_registrations_of_a_course_only(client, coordinator):
    course = CourseFactory(slug="kathmandu")
    mine = RegistrationFactory(course=course, status="accepted")
    RegistrationFactory(course=course, status="waitlisted")
    RegistrationFactory(course=CourseFactory(slug="lagos"))
    _token, secret = make_token(coordinator, "courses:read")
    body = client.get("/api/v1/courses/kathmandu/registrations?status=accepted", **bearer(secret)).json()
    assert [(r["id"], r["course"], r["status"]) for r in body["items"]] == [(mine.pk, "kathmandu", "accepted")]


@pytest.mark.parametrize("count", [1, 3])
def test_registrations_query_count_is_constant(client, coordinator, django_assert_num_queries, count):
    course = CourseFactory(slug="kathmandu")
    for _number in range(count):
        submitted_registration(course)
    _token, secret = make_token(coordinator, "courses:read")
    with django_assert_num_queries(6):
        assert len(client.get("/api/v1/courses/kathmandu/registrations", **bearer(secret)).json()["items"]) == count


def test_record_attendance_issues_a_certificate_code(client, coordinator):
    registration = RegistrationFactory(status="accepted")
    _token, secret = make_token(coordinator, "courses:write", days=365)
    with time_machine.travel(dt.datetime(2027, 3, 6, 9, 0, tzinfo=dt.UTC), tick=False):
        response = client.post(
            f"/api/v1/registrations/{registration.pk}/attendance",
            {"attended": True},
            content_type="application/json",
            **bearer(secret),
        )
    body = response.json()
    assert response.status_code == 200, body
    assert (body["status"], len(body["certificate_code"])) == ("attended", 16)
    assert response["Cache-Control"] == "no-store"
    # Attendance is a registration transition (REGISTRATION_TRANSITIONS), audited as one.
    (event,) = AuditEvent.objects.filter(action="workshops.registration_transition", actor=coordinator)
    assert (event.data["old"], event.data["new"]) == ("accepted", "attended")


def test_record_attendance_before_the_course_is_a_conflict(client, coordinator):
    registration = RegistrationFactory(status="accepted")
    _token, secret = make_token(coordinator, "courses:write")
    with time_machine.travel(dt.datetime(2027, 1, 1, 9, 0, tzinfo=dt.UTC), tick=False):
        response = client.post(
            f"/api/v1/registrations/{registration.pk}/attendance",
            {"attended": True},
            content_type="application/json",
            **bearer(secret),
        )
    assert (response.status_code, error_code(response)) == (409, "too_early")
    registration.refresh_from_db()
    assert registration.status == "accepted"


@pytest.mark.parametrize("body", ['{"attended": "yes"}', '{"attended": true, "extra": 1}', "{}", "not json"])
def test_record_attendance_refuses_a_bad_body(client, coordinator, body):
    registration = RegistrationFactory(status="accepted")
    _token, secret = make_token(coordinator, "courses:write")
    response = client.post(
        f"/api/v1/registrations/{registration.pk}/attendance", body, content_type="application/json", **bearer(secret)
    )
    assert response.status_code in (400, 422)
    assert error_code(response) in ("bad_request", "validation_failed")
    registration.refresh_from_db()
    assert registration.status == "accepted"
