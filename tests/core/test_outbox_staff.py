"""The staff outbox page: failed mail with a requeue action, the late-mail alert, the monitor command."""

import datetime as dt

import pytest
from django.core.management import call_command
from django.urls import reverse
from django.utils import timezone

from oncoreach.core.enums import EmailStatus
from oncoreach.core.models import AuditEvent, OutboundEmail

pytestmark = [pytest.mark.integration]


def _mail(number: int, *, status=EmailStatus.FAILED, age=dt.timedelta(0)) -> OutboundEmail:
    mail = OutboundEmail.objects.create(
        event_key=f"staff:{number}",
        to=f"person{number}@example.org",
        subject=f"Subject {number}",
        body_text="Body",
        status=status,
        attempts=6 if status == EmailStatus.FAILED else 0,
        last_error="SMTPRecipientsRefused: mailbox unavailable" if status == EmailStatus.FAILED else "",
        next_attempt_at=timezone.now(),
    )
    OutboundEmail.objects.filter(pk=mail.pk).update(created_at=timezone.now() - age)
    return mail


def test_staff_see_failed_mail_with_its_error(client, coordinator):
    _mail(1)
    _mail(2, status=EmailStatus.SENT)
    client.force_login(coordinator)
    response = client.get(reverse("core:outbox"))
    assert [m.to for m in response.context["page"]] == ["person1@example.org"]
    assert "mailbox unavailable" in response.text
    assert response.context["health"].failed == 1


@pytest.mark.parametrize("person", ["outsider", "volunteer", "editor"])
def test_outbox_page_refuses_everyone_but_program_staff(client, db, request, person):
    _mail(1)
    client.force_login(request.getfixturevalue(person))
    assert client.get(reverse("core:outbox")).status_code == 403
    assert client.post(reverse("core:outbox-requeue", args=[OutboundEmail.objects.get().pk])).status_code == 403
    assert OutboundEmail.objects.get().status == EmailStatus.FAILED


def test_outbox_page_refuses_anonymous_visitors(client, db):
    response = client.get(reverse("core:outbox"))
    assert (response.status_code, response["Location"].startswith("/en/accounts/login/")) == (302, True)


@pytest.mark.parametrize("count", [1, 3])
def test_outbox_page_query_count(client, coordinator, django_assert_num_queries, count):
    for number in range(count):
        _mail(number)
    client.force_login(coordinator)
    with django_assert_num_queries(6):
        client.get(reverse("core:outbox"))


def test_requeue_gives_a_failed_mail_fresh_attempts_and_is_audited(
    client, coordinator, settings, django_capture_on_commit_callbacks
):
    settings.EMAIL_BACKEND = "tests.core.failing_backend.FailingBackend"  # the drain after commit fails again
    mail = _mail(1)
    client.force_login(coordinator)
    with django_capture_on_commit_callbacks(execute=True):
        response = client.post(reverse("core:outbox-requeue", args=[mail.pk]))
    assert response.status_code == 302
    mail.refresh_from_db()
    assert (mail.status, mail.attempts) == (EmailStatus.PENDING, 1)
    event = AuditEvent.objects.get()
    assert (event.actor, event.action, event.target_id) == (coordinator, "outbox.requeued", str(mail.pk))


def test_requeue_of_a_mail_that_is_not_failed_is_not_found(client, coordinator):
    mail = _mail(1, status=EmailStatus.SENT)
    client.force_login(coordinator)
    assert client.post(reverse("core:outbox-requeue", args=[mail.pk])).status_code == 404
    assert AuditEvent.objects.count() == 0


def test_late_mail_raises_an_alert_on_the_outbox_page_and_the_dashboard(client, coordinator, settings):
    settings.OUTBOX_ALERT_MINUTES = 30
    _mail(1, status=EmailStatus.PENDING, age=dt.timedelta(minutes=45))
    client.force_login(coordinator)
    for url in (reverse("core:outbox"), reverse("people:dashboard")):
        assert "E-mail is not going out: 1 waiting, the oldest for 45 minutes." in client.get(url).text


def test_no_alert_while_mail_goes_out_in_time(client, coordinator, settings):
    settings.OUTBOX_ALERT_MINUTES = 30
    _mail(1, status=EmailStatus.PENDING, age=dt.timedelta(minutes=5))
    client.force_login(coordinator)
    assert "is not going out" not in client.get(reverse("people:dashboard")).text


def test_dashboard_shows_no_outbox_to_members(client, member):
    _mail(1, status=EmailStatus.PENDING, age=dt.timedelta(hours=5))
    client.force_login(member)
    response = client.get(reverse("people:dashboard"))
    assert (response.context["outbox_health"], "is not going out" in response.text) == (None, False)


def test_check_outbox_exits_1_when_mail_is_late(db, settings, capsys):
    settings.OUTBOX_ALERT_MINUTES = 30
    _mail(1, status=EmailStatus.PENDING, age=dt.timedelta(minutes=31))
    with pytest.raises(SystemExit) as exit_info:
        call_command("check_outbox")
    assert exit_info.value.code == 1
    assert "waiting=1 failed=0 oldest_waiting_minutes=31" in capsys.readouterr().out


def test_check_outbox_passes_when_nothing_waits(db, capsys):
    call_command("check_outbox")
    assert "waiting=0 failed=0" in capsys.readouterr().out


def test_hold_outbox_after_a_restore_fails_waiting_mail_for_review(db, capsys):
    _mail(1, status=EmailStatus.PENDING)
    _mail(2, status=EmailStatus.SENDING)
    _mail(3, status=EmailStatus.SENT)
    call_command("hold_outbox")
    assert sorted(OutboundEmail.objects.values_list("status", flat=True)) == ["failed", "failed", "sent"]
    assert "held 2 e-mail(s)" in capsys.readouterr().out
    assert AuditEvent.objects.get().action == "outbox.held"
