import datetime as dt
import re

import pytest
import time_machine
from django.contrib.auth.models import Group
from django.core import mail
from django.urls import reverse
from django.utils import translation

from oncoreach.accounts.enums import StaffGroup
from oncoreach.core.models import AuditEvent
from tests.factories.accounts import UserFactory

pytestmark = [pytest.mark.integration]

PASSWORD = "correct horse battery"  # the UserFactory password


def _login(client, email, password=PASSWORD):
    return client.post(reverse("accounts:login"), {"username": email, "password": password})


# --- sign in and out ---------------------------------------------------------------------------------------


def test_login_page_shows_an_accessible_form(client, db):
    response = client.get(reverse("accounts:login"))

    html = response.content.decode()
    assert response.status_code == 200
    assert '<label for="id_username">E-mail address' in html
    assert 'type="email"' in html
    assert 'name="csrfmiddlewaretoken"' in html


def test_login_with_email_and_password_signs_in_and_goes_to_the_dashboard(client, member):
    response = _login(client, "MEMBER@example.org")

    assert (response.status_code, response["Location"]) == (302, reverse("people:dashboard"))
    assert client.session["_auth_user_id"] == str(member.pk)


def test_login_with_a_wrong_password_is_refused(client, member):
    response = _login(client, "member@example.org", "wrong password")

    assert response.status_code == 200
    with translation.override("en"):  # the message is lazy; read it in English
        assert response.context["form"].non_field_errors() == [
            "That e-mail address and password do not match an account. Passwords are case-sensitive."
        ]
    assert "_auth_user_id" not in client.session


def test_login_of_an_unconfirmed_account_is_refused_with_a_resend_link(client, db):
    UserFactory(email="new@example.org", email_confirmed=False)

    response = _login(client, "new@example.org")

    html = response.content.decode()
    assert response.status_code == 200
    assert "Please confirm your e-mail address first" in html
    assert f'<a href="{reverse("people:resend-confirmation")}">' in html
    assert "_auth_user_id" not in client.session


def test_login_redirects_a_signed_in_user(client, member):
    client.force_login(member)

    response = client.get(reverse("accounts:login"))

    assert (response.status_code, response["Location"]) == (302, reverse("people:dashboard"))


def test_logout_accepts_post_only(client, member):
    client.force_login(member)

    refused = client.get(reverse("accounts:logout"))
    accepted = client.post(reverse("accounts:logout"))

    assert (refused.status_code, accepted.status_code) == (405, 302)
    assert "_auth_user_id" not in client.session


def test_login_is_throttled_after_five_failures_even_with_the_right_password(client, member, settings):
    settings.AXES_ENABLED = True

    failures = [_login(client, "member@example.org", f"wrong {n}").status_code for n in range(5)]
    sixth = _login(client, "member@example.org")

    html = sixth.content.decode()
    # The fifth failure reaches the limit and already answers with the lockout page.
    assert failures == [200, 200, 200, 200, 429]
    assert sixth.status_code == 429
    assert "Too many sign-in attempts" in html
    assert "Please try again in 15 minutes." in html
    assert "_auth_user_id" not in client.session


def test_throttling_is_per_account(client, member, volunteer, settings):
    settings.AXES_ENABLED = True
    for n in range(5):
        _login(client, "member@example.org", f"wrong {n}")

    response = _login(client, "volunteer@example.org")

    assert response.status_code == 302


# --- password reset ---------------------------------------------------------------------------------------------


def test_password_reset_flow_sets_a_new_password(client, member, django_capture_on_commit_callbacks):
    with django_capture_on_commit_callbacks(execute=True):
        response = client.post(reverse("accounts:password-reset"), {"email": "member@example.org"})

    assert (response.status_code, response["Location"]) == (302, reverse("accounts:password-reset-done"))
    assert [message.to for message in mail.outbox] == [["member@example.org"]]
    link = re.search(r"http://\S+/en/accounts/password/reset/\S+/\S+/", mail.outbox[0].body).group(0)
    path = link.split("127.0.0.1:8000", 1)[1]

    form_page = client.get(path, follow=True)
    assert form_page.context["validlink"] is True
    done = client.post(
        form_page.redirect_chain[-1][0],
        {"new_password1": "a brand new passphrase", "new_password2": "a brand new passphrase"},
    )

    member.refresh_from_db()
    assert (done.status_code, done["Location"]) == (302, reverse("accounts:password-reset-complete"))
    assert member.check_password("a brand new passphrase") is True


def test_password_reset_link_confirms_an_unconfirmed_address(client, db, django_capture_on_commit_callbacks):
    user = UserFactory(email="new@example.org", email_confirmed=False)
    with django_capture_on_commit_callbacks(execute=True):
        client.post(reverse("accounts:password-reset"), {"email": "new@example.org"})
    path = re.search(r"/en/accounts/password/reset/\S+/\S+/", mail.outbox[0].body).group(0)
    form_page = client.get(path, follow=True)

    client.post(
        form_page.redirect_chain[-1][0],
        {"new_password1": "a brand new passphrase", "new_password2": "a brand new passphrase"},
    )

    user.refresh_from_db()
    assert user.email_confirmed is True
    assert list(AuditEvent.objects.values_list("action", "data")) == [
        ("accounts.email_confirmed", {"via": "password-reset"})
    ]


def test_password_reset_for_an_unknown_address_looks_the_same_and_sends_nothing(
    client, db, django_capture_on_commit_callbacks
):
    with django_capture_on_commit_callbacks(execute=True):
        response = client.post(reverse("accounts:password-reset"), {"email": "nobody@example.org"})

    assert (response.status_code, response["Location"]) == (302, reverse("accounts:password-reset-done"))
    assert mail.outbox == []


def test_password_reset_with_a_bad_link_offers_a_new_one(client, member):
    response = client.get(
        reverse("accounts:password-reset-confirm", kwargs={"uidb64": "MQ", "token": "bad-token"}), follow=True
    )

    assert response.context["validlink"] is False
    assert reverse("accounts:password-reset") in response.content.decode()


def test_password_reset_pages_render(client, db):
    pages = [
        reverse("accounts:password-reset"),
        reverse("accounts:password-reset-done"),
        reverse("accounts:password-reset-complete"),
    ]

    assert [client.get(page).status_code for page in pages] == [200, 200, 200]


def _reset(client, email, ip="203.0.113.10"):
    return client.post(reverse("accounts:password-reset"), {"email": email}, REMOTE_ADDR=ip)


def _refusal(response):
    with translation.override("en"):
        return (response.status_code, response.context["form"].non_field_errors())


TOO_MANY = [
    "We have sent several e-mails for this address or from your connection recently. "
    "Please wait up to an hour, then try again."
]


def test_password_reset_is_limited_per_address_whatever_the_client(client, member, settings):
    settings.EMAIL_LINK_LIMIT_PER_ADDRESS = 3
    spellings = ["member@example.org", "MEMBER@example.org", " Member@Example.org", "member@example.org"]

    statuses = [_reset(client, email, ip=f"203.0.113.{n}").status_code for n, email in enumerate(spellings)]

    assert statuses == [302, 302, 302, 429]
    assert _refusal(_reset(client, "member@example.org", ip="198.51.100.1")) == (429, TOO_MANY)


def test_password_reset_limit_reveals_no_account(client, member, settings):
    """An unknown address is counted and refused exactly like a registered one."""
    settings.EMAIL_LINK_LIMIT_PER_ADDRESS = 2
    known = [_reset(client, "member@example.org").status_code for _ in range(2)]
    unknown = [_reset(client, "nobody@example.org").status_code for _ in range(2)]

    assert known == unknown == [302, 302]
    assert _refusal(_reset(client, "member@example.org")) == _refusal(_reset(client, "nobody@example.org"))
    assert _refusal(_reset(client, "nobody@example.org")) == (429, TOO_MANY)


def test_password_reset_is_limited_per_client(client, db, settings):
    settings.EMAIL_LINK_LIMIT_PER_CLIENT = 3

    statuses = [_reset(client, f"person{n}@example.org").status_code for n in range(4)]
    elsewhere = _reset(client, "person9@example.org", ip="198.51.100.7")

    assert (statuses, elsewhere.status_code) == ([302, 302, 302, 429], 302)


def test_password_reset_sends_one_mail_per_window_even_without_the_limit(
    client, member, settings, django_capture_on_commit_callbacks
):
    settings.EMAIL_LINK_LIMIT_PER_ADDRESS = 100
    start = dt.datetime(2026, 5, 4, 12, 0, tzinfo=dt.UTC)
    with django_capture_on_commit_callbacks(execute=True):
        for minutes in (0, 3, 9):  # a new reset token each time, one ten-minute window
            with time_machine.travel(start + dt.timedelta(minutes=minutes), tick=False):
                _reset(client, "member@example.org")

    assert [message.to for message in mail.outbox] == [["member@example.org"]]


def test_password_reset_still_works_when_the_cache_is_down(
    client, member, settings, django_capture_on_commit_callbacks
):
    """Fail open: a cache outage must not lock people out of their accounts."""
    settings.EMAIL_LINK_LIMIT_PER_ADDRESS = 1
    settings.CACHES = {"default": {"BACKEND": "tests.down_cache.DownCache"}}

    with django_capture_on_commit_callbacks(execute=True):
        statuses = [_reset(client, "member@example.org").status_code for _ in range(3)]

    assert statuses == [302, 302, 302]
    assert [message.to for message in mail.outbox] == [["member@example.org"]]


# --- password change ---------------------------------------------------------------------------------------------


def test_password_change_changes_the_password(client, member):
    client.force_login(member)

    response = client.post(
        reverse("accounts:password-change"),
        {
            "old_password": PASSWORD,
            "new_password1": "another good passphrase",
            "new_password2": "another good passphrase",
        },
    )

    member.refresh_from_db()
    assert (response.status_code, response["Location"]) == (302, reverse("accounts:password-change-done"))
    assert member.check_password("another good passphrase") is True


def test_password_change_refuses_a_wrong_old_password(client, member):
    client.force_login(member)

    response = client.post(
        reverse("accounts:password-change"),
        {
            "old_password": "wrong",
            "new_password1": "another good passphrase",
            "new_password2": "another good passphrase",
        },
    )

    member.refresh_from_db()
    assert (response.status_code, list(response.context["form"].errors)) == (200, ["old_password"])
    assert member.check_password(PASSWORD) is True


def test_password_change_refuses_anonymous_visitors(client, db):
    response = client.get(reverse("accounts:password-change"))

    assert response.status_code == 302
    assert response["Location"].startswith(reverse("accounts:login"))


# --- staff groups (data migration) -----------------------------------------------------------------------------


def _codenames(group):
    return set(Group.objects.get(name=group.value).permissions.values_list("content_type__app_label", "codename"))


def test_staff_groups_exist_with_their_permissions(db):
    editors = _codenames(StaffGroup.EDITOR)
    staff = _codenames(StaffGroup.PROGRAM_STAFF)
    administrators = _codenames(StaffGroup.ADMINISTRATOR)

    # Wagtail's own migrations also give Editors image and document permissions.
    assert ("wagtailadmin", "access_admin") in editors
    assert not any(app == "people" for app, _codename in editors)
    assert ("wagtailadmin", "access_admin") in staff
    assert {perm for perm in staff if perm[0] == "people"} == {
        ("people", f"{action}_{model}")
        for action in ("view", "change")
        for model in ("person", "organization", "affiliation", "inquiry")
    }
    assert staff < administrators
    assert ("accounts", "delete_user") in administrators


def test_password_change_page_renders_for_a_signed_in_user(client, member):
    client.force_login(member)

    response = client.get(reverse("accounts:password-change"))

    assert (response.status_code, list(response.context["form"].fields)) == (
        200,
        ["old_password", "new_password1", "new_password2"],
    )


def test_login_lockout_counts_failures_whatever_the_case_of_the_address(client, member, settings):
    """Changing the case (or adding spaces) of the address must not start a fresh count."""
    settings.AXES_ENABLED = True
    spellings = [
        "member@example.org",
        "MEMBER@example.org",
        "Member@Example.org",
        " member@EXAMPLE.ORG ",
        "mEmBeR@example.ORG",
    ]

    failures = [_login(client, spelling, "wrong").status_code for spelling in spellings]
    right_password = _login(client, "MeMbEr@ExAmPlE.oRg")

    assert failures == [200, 200, 200, 200, 429]
    assert right_password.status_code == 429
    assert "_auth_user_id" not in client.session
