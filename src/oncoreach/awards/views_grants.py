"""Grants for staff: the list, one grant (budget, agreement, tranches, reports), overdue reports,
the ledger per organization and year, and the finance CSV. The agreement is served only to staff
and the project lead, through a permission-checked view."""

from __future__ import annotations

import csv
from typing import Any

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied, ValidationError
from django.http import FileResponse, Http404, HttpResponse, HttpResponseBase
from django.shortcuts import redirect, render
from django.utils import timezone
from django.utils.translation import gettext as _
from django.views.decorators.cache import cache_control
from django.views.decorators.http import require_http_methods, require_POST

from oncoreach.accounts.http import AuthenticatedHttpRequest
from oncoreach.awards import permissions, selectors, services
from oncoreach.awards.forms import (
    AgreementForm,
    BudgetForm,
    GrantForm,
    ReportForm,
    ReportUploadForm,
    TrancheForm,
    TrancheMoveForm,
)
from oncoreach.core.pagination import paginate, query_without_page


def _year(request: AuthenticatedHttpRequest) -> int | None:
    try:
        return int(request.GET.get("year", ""))
    except ValueError:
        return None


@login_required
@require_http_methods(["GET", "POST"])
def grant_list(request: AuthenticatedHttpRequest) -> HttpResponse:
    grants = selectors.grants_for_staff(user=request.user)
    form = GrantForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        try:
            grant = services.create_grant(actor=request.user, **form.cleaned_data)
        except ValidationError as exc:
            form.add_error(None, exc)
        else:
            return redirect("awards:grant", pk=grant.pk)
    page = paginate(request, grants)
    context = {"page_obj": page, "grants": page.object_list, "form": form, "page_query": query_without_page(request)}
    return render(request, "awards/grant_list.html", context)


def _grant_action(request: AuthenticatedHttpRequest, grant: Any) -> dict[str, Any]:
    """Bind the form the POST names and call its one service; returns the forms to show."""
    forms: dict[str, Any] = {
        "budget_form": BudgetForm(prefix="budget"),
        "agreement_form": AgreementForm(prefix="agreement"),
        "tranche_form": TrancheForm(prefix="tranche"),
        "report_form": ReportForm(prefix="report"),
    }
    action = request.POST.get("action", "")
    bindings = {
        "budget": (
            "budget_form",
            BudgetForm,
            lambda d: services.set_budget(grant=grant, lines=d["lines"], actor=request.user),
        ),
        "agreement": (
            "agreement_form",
            AgreementForm,
            lambda d: services.upload_agreement(grant=grant, file=d["agreement"], actor=request.user),
        ),
        "tranche": ("tranche_form", TrancheForm, lambda d: services.add_tranche(grant=grant, actor=request.user, **d)),
        "report": ("report_form", ReportForm, lambda d: services.add_report(grant=grant, actor=request.user, **d)),
    }
    if action in bindings:
        name, form_class, call = bindings[action]
        form = form_class(request.POST, request.FILES, prefix=action)
        forms[name] = form
        if form.is_valid():
            try:
                call(form.cleaned_data)
            except ValidationError as exc:
                form.add_error(None, exc)
            else:
                forms["done"] = True
    return forms


@login_required
@require_http_methods(["GET", "POST"])
def grant_detail(request: AuthenticatedHttpRequest, pk: int) -> HttpResponse:
    grant = selectors.get_grant(user=request.user, pk=pk)
    is_staff = permissions.can_manage_awards(request.user)
    forms: dict[str, Any] = {}
    if is_staff:
        forms = _grant_action(request, grant) if request.method == "POST" else _grant_action(request, None)
        if forms.pop("done", False):
            messages.success(request, _("Saved."))
            return redirect("awards:grant", pk=grant.pk)
    elif request.method == "POST":
        raise PermissionDenied
    context = {
        "grant": grant,
        "is_staff": is_staff,
        "lines": list(grant.budget_lines.all()),
        "budget_total": selectors.budget_total(grant=grant),
        "tranches": list(grant.tranches.all()),
        "reports": list(grant.reports.all()),
        "today": timezone.localdate(),
        "upload_form": ReportUploadForm(),
        **forms,
    }
    return render(request, "awards/grant_detail.html", context)


@login_required
def my_grants(request: AuthenticatedHttpRequest) -> HttpResponse:
    """The grants a person leads: where they send reports and follow payments."""
    return render(request, "awards/my_grants.html", {"grants": list(selectors.grants_led_by(user=request.user))})


@login_required
@require_http_methods(["GET", "POST"])
def report_submit(request: AuthenticatedHttpRequest, pk: int) -> HttpResponse:
    """The project lead sends one report (a PDF and a summary)."""
    report = selectors.get_report(user=request.user, pk=pk)
    if not permissions.can_submit_report(request.user, report):
        raise PermissionDenied
    form = ReportUploadForm(request.POST or None, request.FILES or None)
    if request.method == "POST" and form.is_valid():
        try:
            services.submit_report(
                report=report, file=form.cleaned_data["file"], summary=form.cleaned_data["summary"], actor=request.user
            )
        except ValidationError as exc:
            form.add_error("file" if exc.code in {"not_pdf", "too_large"} else None, exc)
        else:
            messages.success(request, _("Thank you: your report is received."))
            return redirect("awards:grant", pk=report.grant_id)
    return render(request, "awards/report_submit.html", {"report": report, "grant": report.grant, "form": form})


@login_required
@cache_control(private=True, no_store=True)
def report_file(request: AuthenticatedHttpRequest, pk: int) -> HttpResponseBase:
    """A sent report, to staff and the project lead only."""
    report = selectors.get_report(user=request.user, pk=pk)
    if not report.file:
        raise Http404
    return FileResponse(
        report.file.open("rb"),
        as_attachment=True,
        filename=report.file_name or "report.pdf",
        content_type="application/pdf",
    )


@login_required
@require_POST
def tranche_move(request: AuthenticatedHttpRequest, pk: int) -> HttpResponse:
    tranche = selectors.get_tranche_for_staff(user=request.user, pk=pk)
    form = TrancheMoveForm(request.POST)
    if form.is_valid():
        try:
            services.transition_tranche(tranche=tranche, to=form.cleaned_data["to"], actor=request.user)
            messages.success(request, _("The payment is now “%(status)s”.") % {"status": tranche.get_status_display()})
        except ValidationError as exc:
            messages.error(request, " ".join(exc.messages))
    return redirect("awards:grant", pk=tranche.grant_id)


@login_required
@require_POST
def report_received(request: AuthenticatedHttpRequest, pk: int) -> HttpResponse:
    report = selectors.get_report_for_staff(user=request.user, pk=pk)
    try:
        services.receive_report(report=report, actor=request.user)
    except ValidationError as exc:
        messages.error(request, " ".join(exc.messages))
    return redirect("awards:grant", pk=report.grant_id)


@login_required
@cache_control(private=True, no_store=True)
def agreement_file(request: AuthenticatedHttpRequest, pk: int) -> HttpResponseBase:
    grant = selectors.get_grant(user=request.user, pk=pk)
    if not grant.agreement:
        raise Http404
    return FileResponse(
        grant.agreement.open("rb"),
        as_attachment=True,
        filename=grant.agreement_name or "agreement.pdf",
        content_type="application/pdf",
    )


@login_required
def overdue_reports(request: AuthenticatedHttpRequest) -> HttpResponse:
    if not permissions.can_manage_awards(request.user):
        raise PermissionDenied
    today = timezone.localdate()
    return render(
        request,
        "awards/overdue_reports.html",
        {"reports": list(selectors.overdue_reports(today=today)), "today": today},
    )


@login_required
def ledger(request: AuthenticatedHttpRequest) -> HttpResponse:
    if not permissions.can_manage_awards(request.user):
        raise PermissionDenied
    year = _year(request) or timezone.localdate().year
    tranches = list(selectors.ledger(year=year))
    return render(
        request, "awards/ledger.html", {"year": year, "years": [year - 1, year, year + 1], "tranches": tranches}
    )


@login_required
@cache_control(private=True, no_store=True)
def finance_csv(request: AuthenticatedHttpRequest) -> HttpResponse:
    if not permissions.can_manage_awards(request.user):
        raise PermissionDenied
    year = _year(request)
    response = HttpResponse(content_type="text/csv; charset=utf-8")
    response["Content-Disposition"] = f'attachment; filename="grant-payments-{year or "all"}.csv"'
    writer = csv.writer(response)
    writer.writerow(
        [
            "organization",
            "country",
            "program",
            "grant",
            "project",
            "due_date",
            "amount",
            "currency",
            "status",
            "approved_at",
            "paid_at",
        ]
    )
    for tranche in selectors.ledger(year=year):
        grant = tranche.grant
        writer.writerow(
            [
                grant.organization.name,
                grant.organization.country.iso2,
                grant.program.name,
                grant.pk,
                grant.project_title,
                tranche.due_date.isoformat(),
                f"{tranche.amount:.2f}",
                grant.currency,
                tranche.status,
                tranche.approved_at.isoformat() if tranche.approved_at else "",
                tranche.paid_at.isoformat() if tranche.paid_at else "",
            ]
        )
    return response
