"""Grants paid to institutions: the budget against the program's cap, the signed agreement,
payment tranches (``transition_tranche``, TRANCHE_TRANSITIONS), reports due and their reminders.
Money is Decimal with its ISO 4217 currency code; a grant is paid to an organization only."""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterable
from decimal import Decimal, InvalidOperation
from typing import Any

from django.core.exceptions import ValidationError
from django.core.files.uploadedfile import UploadedFile
from django.db import transaction
from django.db.models import Sum
from django.utils import timezone
from django.utils.translation import gettext as _

from oncoreach.awards import selectors
from oncoreach.awards.enums import TRANCHE_TRANSITIONS, ReportKind, TrancheStatus
from oncoreach.awards.models import BudgetLine, Grant, GrantCap, GrantReport, Tranche
from oncoreach.awards.services.common import notify
from oncoreach.calls.models import Application
from oncoreach.core.files import delete_file_on_commit, original_file_name
from oncoreach.core.links import absolute_reverse
from oncoreach.core.services import record_audit
from oncoreach.people.models import Organization, Person
from oncoreach.programs.fields import validate_pdf_upload
from oncoreach.programs.models import Cycle, Program
from oncoreach.programs.selectors import answer_by_key

AGREEMENT_MAX_BYTES = 10 * 1024 * 1024
REPORT_MAX_BYTES = 10 * 1024 * 1024
#: Days before a report is due when its reminder goes out.
REPORT_REMINDER_DAYS = 14
CENTS = Decimal("0.01")


def _money(value: Any) -> Decimal:
    try:
        amount = Decimal(str(value)).quantize(CENTS)
    except (InvalidOperation, ValueError) as exc:
        raise ValidationError(
            _("“%(value)s” is not an amount of money.") % {"value": value}, code="bad_amount"
        ) from exc
    if amount < 0:
        raise ValidationError(_("An amount cannot be negative."), code="negative")
    return amount


@transaction.atomic
def set_grant_cap(*, program: Program, amount: Decimal, currency: str, actor: Any) -> GrantCap:
    cap, _created = GrantCap.objects.update_or_create(
        program=program, defaults={"amount": _money(amount), "currency": currency.upper()}
    )
    cap.full_clean()
    record_audit(actor=actor, action="awards.grant_cap_set", target=cap, amount=str(cap.amount))
    return cap


@transaction.atomic
def create_grant(
    *,
    organization: Organization,
    program: Program,
    project_title: str,
    year: int,
    actor: Any,
    lead: Person | None = None,
    cycle: Cycle | None = None,
    application: Application | None = None,
) -> Grant:
    """A grant to ``organization`` (never a person: a Person here is refused)."""
    if not isinstance(organization, Organization):
        raise ValidationError(
            _("A grant is paid to an organization, never to a person. Choose the grantee organization."),
            code="not_organization",
        )
    cap = GrantCap.objects.filter(program=program).first()
    grant = Grant(
        organization=organization,
        program=program,
        cycle=cycle,
        application=application,
        lead=lead,
        project_title=project_title.strip(),
        year=year,
        currency=cap.currency if cap else "USD",
    )
    grant.full_clean(exclude=["agreement"])
    grant.save()
    record_audit(actor=actor, action="awards.grant_created", target=grant, organization=organization.pk)
    return grant


def _check_cap(grant: Grant, total: Decimal) -> None:
    cap = GrantCap.objects.filter(program_id=grant.program_id).first()
    if cap is None:
        return
    if cap.currency != grant.currency:
        raise ValidationError(
            _("This grant is in %(grant)s but the program's cap is in %(cap)s.")
            % {"grant": grant.currency, "cap": cap.currency},
            code="currency_mismatch",
        )
    if total > cap.amount:
        raise ValidationError(
            _("The budget totals %(total)s %(currency)s, over the program's cap of %(cap)s %(currency)s.")
            % {"total": total, "cap": cap.amount, "currency": cap.currency},
            code="over_cap",
        )


@transaction.atomic
def set_budget(*, grant: Grant, lines: Iterable[tuple[str, Any]], actor: Any) -> list[BudgetLine]:
    """Replace the budget with ``lines`` (item, amount), if their total is within the cap."""
    parsed = [(str(item).strip()[:200], _money(amount)) for item, amount in lines if str(item).strip()]
    if not parsed:
        raise ValidationError(_("Give at least one budget line."), code="empty_budget")
    total = sum((amount for _item, amount in parsed), Decimal("0"))
    _check_cap(grant, total)
    BudgetLine.objects.filter(grant=grant).delete()
    created = BudgetLine.objects.bulk_create([BudgetLine(grant=grant, description=d, amount=a) for d, a in parsed])
    record_audit(actor=actor, action="awards.budget_set", target=grant, total=str(total), lines=len(parsed))
    return created


def budget_from_application(*, grant: Grant, actor: Any, key: str = "budget") -> list[BudgetLine]:
    """The budget from the application's repeating group ``key`` (columns ``item`` and
    ``amount``), checked against the cap like a budget staff enter."""
    response_set = grant.application.response_set if grant.application is not None else None
    if response_set is None:
        raise ValidationError(_("This grant has no application to read a budget from."), code="no_application")
    rows = answer_by_key(response_set, key) or []
    lines = []
    for row in rows:
        amount = row.get("amount")
        amount = getattr(amount, "amount", amount)
        if amount is not None:
            lines.append((str(row.get("item") or ""), amount))
    return set_budget(grant=grant, lines=lines, actor=actor)


@transaction.atomic
def upload_agreement(*, grant: Grant, file: UploadedFile, actor: Any) -> Grant:
    """Keep the signed agreement: a PDF by its content (not its name or claimed type), within size."""
    validate_pdf_upload(file, max_bytes=AGREEMENT_MAX_BYTES)
    grant = Grant.objects.select_for_update().get(pk=grant.pk)
    old = grant.agreement.name if grant.agreement else ""
    grant.agreement_name = original_file_name(file.name)
    grant.agreement.save(file.name or "agreement.pdf", file, save=False)
    grant.agreement_uploaded_at = timezone.now()
    grant.save(update_fields=["agreement", "agreement_name", "agreement_uploaded_at"])
    if old:
        delete_file_on_commit(grant.agreement.storage, old)
    record_audit(actor=actor, action="awards.agreement_uploaded", target=grant, name=grant.agreement_name)
    return grant


@transaction.atomic
def add_tranche(*, grant: Grant, amount: Any, due_date: dt.date, actor: Any) -> Tranche:
    """A scheduled payment; all live tranches together stay within the budget (or the cap)."""
    amount = _money(amount)
    if amount <= 0:
        raise ValidationError(_("A payment must be more than zero."), code="zero")
    Grant.objects.select_for_update().filter(pk=grant.pk).first()
    scheduled = Tranche.objects.filter(grant=grant).exclude(status=TrancheStatus.CANCELLED).aggregate(
        total=Sum("amount")
    )["total"] or Decimal("0")
    budget = selectors.budget_total(grant=grant)
    if scheduled + amount > budget:
        raise ValidationError(
            _("Payments would total %(total)s %(currency)s, more than the budget of %(budget)s %(currency)s.")
            % {"total": scheduled + amount, "budget": budget, "currency": grant.currency},
            code="over_budget",
        )
    tranche = Tranche.objects.create(grant=grant, amount=amount, due_date=due_date)
    record_audit(actor=actor, action="awards.tranche_added", target=tranche, amount=str(amount))
    return tranche


@transaction.atomic
def transition_tranche(*, tranche: Tranche, to: str, actor: Any, now: dt.datetime | None = None) -> Tranche:
    """The one way a payment changes status: scheduled → approved → paid (TRANCHE_TRANSITIONS)."""
    tranche = Tranche.objects.select_for_update().select_related("grant").get(pk=tranche.pk)
    old = tranche.status
    if to not in TRANCHE_TRANSITIONS.get(old, frozenset()):
        if to == TrancheStatus.PAID and old == TrancheStatus.SCHEDULED:
            raise ValidationError(_("This payment must be approved before it is paid."), code="not_approved")
        raise ValidationError(
            _("A payment cannot go from “%(old)s” to “%(new)s”.")
            % {
                "old": TrancheStatus(old).label,
                "new": TrancheStatus(to).label if to in TrancheStatus.values else to,
            },
            code="tranche_transition",
        )
    if to == TrancheStatus.APPROVED and not tranche.grant.agreement:
        raise ValidationError(_("Upload the signed agreement before approving a payment."), code="no_agreement")
    now = now or timezone.now()
    tranche.status = to
    if to == TrancheStatus.APPROVED:
        tranche.approved_at = now
    if to == TrancheStatus.PAID:
        tranche.paid_at = now
    tranche.save(update_fields=["status", "approved_at", "paid_at"])
    record_audit(actor=actor, action="awards.tranche_transition", target=tranche, old=old, new=to)
    return tranche


@transaction.atomic
def add_report(*, grant: Grant, kind: str, due_date: dt.date, actor: Any) -> GrantReport:
    if kind not in ReportKind.values:
        raise ValidationError(_("Unknown kind of report."), code="bad_kind")
    if GrantReport.objects.filter(grant=grant, kind=kind).exists():
        raise ValidationError(_("This grant already has that report."), code="duplicate_report")
    report = GrantReport.objects.create(grant=grant, kind=kind, due_date=due_date)
    record_audit(actor=actor, action="awards.report_due", target=report)
    return report


@transaction.atomic
def receive_report(*, report: GrantReport, actor: Any, now: dt.datetime | None = None) -> GrantReport:
    report = GrantReport.objects.select_for_update().get(pk=report.pk)
    if report.received_at is not None:
        raise ValidationError(_("This report was already received."), code="already_received")
    report.received_at = now or timezone.now()
    report.save(update_fields=["received_at"])
    record_audit(actor=actor, action="awards.report_received", target=report)
    return report


@transaction.atomic
def submit_report(
    *, report: GrantReport, file: UploadedFile, summary: str, actor: Any, now: dt.datetime | None = None
) -> GrantReport:
    """The project lead sends a report: a PDF by its content, within size, and a short summary.
    Sending it marks the report received; a report already received cannot be replaced here
    (staff can see what was sent and ask for more)."""
    validate_pdf_upload(file, max_bytes=REPORT_MAX_BYTES)
    report = GrantReport.objects.select_for_update(of=("self",)).select_related("grant__lead").get(pk=report.pk)
    if report.received_at is not None:
        raise ValidationError(_("This report was already received."), code="already_received")
    lead = report.grant.lead
    report.file_name = original_file_name(file.name)
    report.file.save(file.name or "report.pdf", file, save=False)
    report.summary = summary.strip()
    report.submitted_by = lead
    report.received_at = now or timezone.now()
    report.save(update_fields=["file", "file_name", "summary", "submitted_by", "received_at"])
    record_audit(actor=actor, action="awards.report_submitted", target=report, name=report.file_name)
    if lead is not None:
        notify(
            person=lead,
            event_key=f"awards.report.{report.pk}.received",
            template="awards/email/report_received",
            context={
                "report": report,
                "grant": report.grant,
                "url": absolute_reverse("awards:grant", kwargs={"pk": report.grant_id}),
            },
        )
    return report


def send_report_reminders(*, today: dt.date | None = None) -> int:
    """Remind each project lead once, two weeks before a report is due."""
    today = today or timezone.localdate()
    sent = 0
    for report in selectors.reports_due_reminder(today=today, days=REPORT_REMINDER_DAYS):
        with transaction.atomic():
            claimed = GrantReport.objects.filter(pk=report.pk, reminder_sent_at__isnull=True).update(
                reminder_sent_at=timezone.now()
            )
            lead = report.grant.lead
            if not claimed or lead is None:
                continue
            notify(
                person=lead,
                event_key=f"awards.report.{report.pk}.reminder",
                template="awards/email/report_reminder",
                context={
                    "report": report,
                    "grant": report.grant,
                    "url": absolute_reverse("awards:grant", kwargs={"pk": report.grant_id}),
                },
            )
            sent += 1
    return sent
