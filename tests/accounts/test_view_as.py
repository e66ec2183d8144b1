"""Administrators "view as" a person (django-hijack behind our rules): read-only, audited."""

import re

import pytest
from django.urls import NoReverseMatch, reverse

from oncoreach.accounts.enums import VIEW_AS_SESSION_KEY, StaffGroup
from oncoreach.core.models import AuditEvent
from oncoreach.people.models import Person
from tests.factories.accounts import UserFactory
from tests.factories.people import PersonFactory

pytestmark = [pytest.mark.integration]

REASON = "She cannot find her certificate (support request 1234)"


def _start(client, target, reason=REASON):
    return client.post(reverse("accounts:view-as-start", args=[target.pk]), {"reason": reason})


def _audit(action):
    return list(AuditEvent.objects.filter(action=action).values_list("actor_id", "target_id", "data"))


@pytest.fixture
def viewing_as_member(client, administrator, member):
    client.force_login(administrator)
    _start(client, member)
    return client


# --- starting ---------------------------------------------------------------------------------------------------


def test_view_as_form_asks_an_administrator_for_a_reason(client, administrator, member):
    client.force_login(administrator)

    response = client.get(reverse("accounts:view-as-start", args=[member.pk]))

    html = response.content.decode()
    assert response.status_code == 200
    assert "View the site as Mina Member" in html
    assert 'name="reason"' in html


def test_view_as_starts_with_a_reason_and_writes_the_audit_log(client, administrator, member):
    client.force_login(administrator)

    response = _start(client, member)

    assert (response.status_code, response["Location"]) == (302, reverse("people:dashboard"))
    assert client.session["_auth_user_id"] == str(member.pk)
    assert client.session[VIEW_AS_SESSION_KEY]["reason"] == REASON
    [(actor_id, target_id, data)] = _audit("accounts.view_as_started")
    assert (actor_id, target_id, data["reason"]) == (administrator.pk, str(member.pk), REASON)


def test_view_as_without_a_reason_is_refused_and_changes_nothing(client, administrator, member):
    client.force_login(administrator)

    response = _start(client, member, reason="  help  ")

    assert response.status_code == 400
    assert "at least 10 characters" in response.content.decode()
    assert client.session["_auth_user_id"] == str(administrator.pk)
    assert _audit("accounts.view_as_started") == []


@pytest.mark.parametrize("persona", ["coordinator", "editor", "member", "outsider"])
def test_only_administrators_may_view_as_someone(client, request, persona, volunteer):
    client.force_login(request.getfixturevalue(persona))

    form = client.get(reverse("accounts:view-as-start", args=[volunteer.pk]))
    start = _start(client, volunteer)

    assert (form.status_code, start.status_code) == (403, 403)
    assert client.session["_auth_user_id"] != str(volunteer.pk)
    assert _audit("accounts.view_as_started") == []


def test_view_as_refuses_anonymous_visitors(client, member):
    response = _start(client, member)

    assert response.status_code == 302
    assert response["Location"].startswith(reverse("accounts:login"))


def test_nobody_views_as_an_administrator_a_superuser_or_themselves(client, administrator):
    other_admin = UserFactory(email="other-admin@example.org", groups=[StaffGroup.ADMINISTRATOR.value])
    superuser = UserFactory(email="root@example.org", is_superuser=True, is_staff=True)
    client.force_login(administrator)

    statuses = [_start(client, target).status_code for target in (other_admin, superuser, administrator)]

    assert statuses == [403, 403, 403]
    assert client.session["_auth_user_id"] == str(administrator.pk)
    assert _audit("accounts.view_as_started") == []


def test_staff_cannot_view_as_an_administrator(client, coordinator):
    admin = UserFactory(email="other-admin@example.org", groups=[StaffGroup.ADMINISTRATOR.value])
    client.force_login(coordinator)

    response = _start(client, admin)

    assert response.status_code == 403
    assert client.session["_auth_user_id"] == str(coordinator.pk)


def test_an_administrator_who_is_not_a_superuser_may_view_as_staff(client, coordinator):
    admin = UserFactory(email="plain-admin@example.org", groups=[StaffGroup.ADMINISTRATOR.value])
    client.force_login(admin)

    response = _start(client, coordinator)

    assert response.status_code == 302
    assert client.session["_auth_user_id"] == str(coordinator.pk)


def test_view_as_an_inactive_account_is_refused(client, administrator):
    closed = UserFactory(email="closed@example.org", is_active=False)
    client.force_login(administrator)

    assert _start(client, closed).status_code == 403


def test_view_as_an_unknown_account_is_not_found(client, administrator):
    client.force_login(administrator)

    assert client.get(reverse("accounts:view-as-start", args=[987654])).status_code == 404


def test_django_hijack_urls_are_not_mounted(client, administrator, member):
    """Every start goes through our form and audit row: hijack's own views are not reachable."""
    client.force_login(administrator)

    with pytest.raises(NoReverseMatch):
        reverse("hijack:acquire")
    response = client.post("/en/hijack/acquire/", {"user_pk": member.pk})

    assert response.status_code == 404
    assert client.session["_auth_user_id"] == str(administrator.pk)


# --- while viewing as someone -----------------------------------------------------------------------------


def test_every_page_shows_the_banner_with_the_reason_and_the_stop_button(viewing_as_member):
    response = viewing_as_member.get(reverse("people:dashboard"))

    html = response.content.decode()
    assert "You are viewing the site as Mina Member (member@example.org), read-only." in html
    assert f"Reason: {REASON}" in html
    assert f'action="{reverse("accounts:view-as-stop")}"' in html
    assert "Sign out" not in html


def test_the_banner_is_csp_clean(viewing_as_member):
    response = viewing_as_member.get(reverse("workshops:catalogue"))

    html = response.content.decode()
    assert "Content-Security-Policy" in response.headers
    assert re.findall(r"<script(?![^>]*\bsrc=)[^>]*>", html) == []
    assert re.findall(r"\s(?:style|on[a-z]+)=", html) == []


def test_no_form_can_be_sent_while_viewing_as_someone(viewing_as_member, member):
    person = Person.objects.get(user=member)

    profile = viewing_as_member.post(reverse("people:profile-edit"), {"given_name": "Changed", "family_name": "X"})
    sign_out = viewing_as_member.post(reverse("accounts:logout"))

    person.refresh_from_db()
    assert (profile.status_code, sign_out.status_code) == (403, 403)
    assert "Nothing can be changed while viewing as someone" in profile.content.decode()
    assert person.given_name == "Mina"
    assert viewing_as_member.session["_auth_user_id"] == str(member.pk)


def test_nested_view_as_is_refused(viewing_as_member, volunteer, member):
    response = _start(viewing_as_member, volunteer)

    assert response.status_code == 403
    assert viewing_as_member.session["_auth_user_id"] == str(member.pk)


def test_the_password_change_form_cannot_be_sent_either(viewing_as_member, member):
    response = viewing_as_member.post(
        reverse("accounts:password-change"),
        {"old_password": "correct horse battery", "new_password1": "x" * 12, "new_password2": "x" * 12},
    )

    member.refresh_from_db()
    assert response.status_code == 403
    assert member.check_password("correct horse battery")


# --- stopping ---------------------------------------------------------------------------------------------------


def test_stop_returns_to_the_administrator_and_writes_the_end_to_the_audit_log(
    viewing_as_member, administrator, member
):
    response = viewing_as_member.post(reverse("accounts:view-as-stop"))

    assert (response.status_code, response["Location"]) == (302, reverse("people:person-list"))
    assert viewing_as_member.session["_auth_user_id"] == str(administrator.pk)
    [(started_id, *_)] = AuditEvent.objects.filter(action="accounts.view_as_started").values_list("id")
    [(actor_id, target_id, data)] = _audit("accounts.view_as_ended")
    assert (actor_id, target_id) == (administrator.pk, str(member.pk))
    assert (data["reason"], data["started_event_id"]) == (REASON, started_id)
    page = viewing_as_member.get(reverse("people:dashboard")).content.decode()
    assert "You are viewing the site as" not in page


def test_stop_when_not_viewing_as_anyone_changes_nothing(client, member):
    client.force_login(member)

    response = client.post(reverse("accounts:view-as-stop"))

    assert (response.status_code, response["Location"]) == (302, reverse("people:dashboard"))
    assert client.session["_auth_user_id"] == str(member.pk)
    assert _audit("accounts.view_as_ended") == []


def test_stop_refuses_get(viewing_as_member, member):
    response = viewing_as_member.get(reverse("accounts:view-as-stop"))

    assert response.status_code == 405
    assert viewing_as_member.session["_auth_user_id"] == str(member.pk)


# --- where administrators start it ---------------------------------------------------------------------------


def test_people_list_offers_view_as_to_administrators_only(client, administrator, coordinator, db):
    target = PersonFactory(user=UserFactory(email="asha@example.org"), given_name="Asha")
    link = reverse("accounts:view-as-start", args=[target.user.pk])

    client.force_login(coordinator)
    staff_page = client.get(reverse("people:person-list")).content.decode()
    client.force_login(administrator)
    admin_page = client.get(reverse("people:person-list")).content.decode()

    assert (link in staff_page, link in admin_page) == (False, True)
