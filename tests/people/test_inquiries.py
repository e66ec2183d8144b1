"""Staff handle inquiries in our own pages: mark handled (who and when, audited), filter."""

import pytest
from django.core import mail
from django.urls import reverse

from oncoreach.core.models import AuditEvent
from oncoreach.people import services
from tests.factories.geo import CountryFactory
from tests.factories.people import InquiryFactory

pytestmark = [pytest.mark.integration]


def _mark(client, inquiry, handled, status="open"):
    return client.post(
        reverse("people:inquiry-handled", args=[inquiry.pk]), {"handled": "1" if handled else "0", "status": status}
    )


def test_marking_handled_records_who_and_when_and_audits(client, coordinator):
    inquiry = InquiryFactory()
    client.force_login(coordinator)

    response = _mark(client, inquiry, True)

    inquiry.refresh_from_db()
    audit = AuditEvent.objects.get(action="people.inquiry.handled")
    assert (response.status_code, response["Location"]) == (302, reverse("people:inquiry-list") + "?status=open")
    assert (inquiry.handled, inquiry.handled_by, inquiry.handled_at is not None) == (True, coordinator, True)
    assert (audit.actor, audit.target_id) == (coordinator, str(inquiry.pk))


def test_reopening_clears_who_and_when_and_audits(client, coordinator):
    inquiry = InquiryFactory()
    services.set_inquiry_handled(inquiry=inquiry, handled=True, actor=coordinator)
    client.force_login(coordinator)

    _mark(client, inquiry, False, status="handled")

    inquiry.refresh_from_db()
    assert (inquiry.handled, inquiry.handled_by, inquiry.handled_at) == (False, None, None)
    assert list(AuditEvent.objects.order_by("id").values_list("action", flat=True)) == [
        "people.inquiry.handled",
        "people.inquiry.reopened",
    ]


def test_marking_twice_records_once(coordinator, db):
    inquiry = InquiryFactory()
    services.set_inquiry_handled(inquiry=inquiry, handled=True, actor=coordinator)
    services.set_inquiry_handled(inquiry=inquiry, handled=True, actor=coordinator)

    assert AuditEvent.objects.filter(action="people.inquiry.handled").count() == 1


def test_mark_handled_refuses_outsiders_and_changes_nothing(client, outsider, editor):
    inquiry = InquiryFactory()

    codes = []
    for user in (outsider, editor):
        client.force_login(user)
        codes.append(_mark(client, inquiry, True).status_code)

    inquiry.refresh_from_db()
    assert (codes, inquiry.handled) == ([403, 403], False)


def test_mark_handled_refuses_get_and_bad_input(client, coordinator):
    inquiry = InquiryFactory()
    client.force_login(coordinator)

    get = client.get(reverse("people:inquiry-handled", args=[inquiry.pk]))
    bad = client.post(reverse("people:inquiry-handled", args=[inquiry.pk]), {"handled": "maybe"}, follow=True)

    inquiry.refresh_from_db()
    assert (get.status_code, inquiry.handled) == (405, False)
    assert [str(m) for m in bad.context["messages"]] == ["Say whether the inquiry is handled."]


@pytest.mark.parametrize(
    ("status", "expected"), [("", ["open"]), ("open", ["open"]), ("handled", ["done"]), ("all", ["open", "done"])]
)
def test_inquiry_list_filters_open_and_handled(client, coordinator, status, expected):
    done = InquiryFactory(name="done")
    InquiryFactory(name="open")
    services.set_inquiry_handled(inquiry=done, handled=True, actor=coordinator)
    client.force_login(coordinator)

    response = client.get(reverse("people:inquiry-list"), {"status": status} if status else {})

    assert sorted(i.name for i in response.context["page"]) == sorted(expected)


def test_inquiry_list_shows_who_handled_it_and_has_no_admin_link(client, coordinator):
    inquiry = InquiryFactory()
    services.set_inquiry_handled(inquiry=inquiry, handled=True, actor=coordinator)
    client.force_login(coordinator)

    html = client.get(reverse("people:inquiry-list"), {"status": "handled"}).content.decode()

    assert ("Handled by Carla Coordinator" in html, "django-admin" in html, "Open it again" in html) == (
        True,
        False,
        True,
    )


@pytest.mark.parametrize("count", [1, 3])
def test_inquiry_list_with_handlers_query_count(client, coordinator, django_assert_num_queries, count):
    for _ in range(count):
        services.set_inquiry_handled(inquiry=InquiryFactory(country=CountryFactory()), handled=True, actor=coordinator)
    client.force_login(coordinator)

    # session, user, groups, count, page (with country and handler)
    with django_assert_num_queries(5):
        response = client.get(reverse("people:inquiry-list"), {"status": "handled"})

    assert len(response.context["page"]) == count


def test_staff_notification_links_to_our_inquiry_page_not_the_admin(coordinator, django_capture_on_commit_callbacks):
    import uuid

    with django_capture_on_commit_callbacks(execute=True):
        inquiry = services.record_inquiry(
            name="Ines", email="ines@example.org", topic="host", message="Hello", submission_token=uuid.uuid4()
        )

    body = mail.outbox[0].body
    assert f"/staff/inquiries/#inquiry-{inquiry.pk}" in body
    assert "admin" not in body
