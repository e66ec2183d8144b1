"""Staff pages: the World Bank classification in force, its imports, and the CSV export."""

from __future__ import annotations

import csv

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import ValidationError
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.utils import timezone
from django.utils.translation import gettext as _
from django.views.decorators.cache import cache_control
from django.views.decorators.http import require_GET, require_POST

from oncoreach.core.pagination import paginate
from oncoreach.geo import selectors, services
from oncoreach.geo.enums import IncomeGroup
from oncoreach.geo.forms import ClassificationUploadForm, ConfirmImportForm
from oncoreach.geo.models import ClassificationImport
from oncoreach.geo.permissions import (
    get_classification_import_for_staff,
    get_country_for_staff,
    require_classification_staff,
)

MAX_CHANGES_SHOWN = 500  # a first OGHIST import adds ~8,000 rows; the page stays light


def _changes(record: ClassificationImport) -> dict[str, object]:
    rows = selectors.import_change_rows(record=record)
    return {
        "record": record,
        "changes": rows[:MAX_CHANGES_SHOWN],
        "changes_not_shown": max(0, len(rows) - MAX_CHANGES_SHOWN),
    }


def _overview(request: HttpRequest, form: ClassificationUploadForm, *, status: int = 200) -> HttpResponse:
    newest = selectors.newest_fiscal_year()
    context = {
        "nav_section": "staff",
        "form": form,
        "newest_fiscal_year": newest,
        "is_stale": selectors.classification_is_stale(today=timezone.localdate()),
        "imports": paginate(request, selectors.classification_imports()),
    }
    return render(request, "geo/classification_overview.html", context, status=status)


@login_required
@require_GET
def classification_overview(request: HttpRequest) -> HttpResponse:
    require_classification_staff(user=request.user)
    return _overview(request, ClassificationUploadForm())


@login_required
@require_POST
def import_preview(request: HttpRequest) -> HttpResponse:
    """Dry-run the uploaded file and show what it would change, with a button to confirm."""
    require_classification_staff(user=request.user)
    form = ClassificationUploadForm(request.POST, request.FILES)
    if not form.is_valid():
        return _overview(request, form, status=400)
    upload = form.cleaned_data["file"]
    data = upload.read()
    try:
        preview = services.import_world_bank_classification(
            file=data,
            file_name=upload.name,
            actor=request.user,
            fiscal_year=form.cleaned_data["fiscal_year"],
            dry_run=True,
        )
    except ValidationError as exc:
        form.add_error("file", exc)
        return _overview(request, form, status=400)
    token = services.stash_pending_upload(data=data)
    confirm = ConfirmImportForm(
        initial={"token": token, "file_name": upload.name, "fiscal_year": form.cleaned_data["fiscal_year"]}
    )
    context = {"nav_section": "staff", "confirm_form": confirm, "is_preview": True, **_changes(preview)}
    return render(request, "geo/import_detail.html", context)


@login_required
@require_POST
def import_confirm(request: HttpRequest) -> HttpResponse:
    require_classification_staff(user=request.user)
    form = ConfirmImportForm(request.POST)
    data = services.read_pending_upload(token=form.cleaned_data["token"]) if form.is_valid() else None
    if data is None:
        messages.error(request, _("That preview has expired or was already imported. Upload the file again."))
        return redirect("geo:classification")
    try:
        record = services.import_world_bank_classification(
            file=data,
            file_name=form.cleaned_data["file_name"],
            actor=request.user,
            fiscal_year=form.cleaned_data["fiscal_year"],
        )
    except ValidationError as exc:  # the data changed between preview and confirmation
        messages.error(request, " ".join(exc.messages))
        return redirect("geo:classification")
    services.discard_pending_upload(token=form.cleaned_data["token"])
    messages.success(
        request,
        _("Imported %(file)s: %(added)s added, %(changed)s changed, %(unchanged)s unchanged.")
        % {"file": record.file_name, "added": record.added, "changed": record.changed, "unchanged": record.unchanged},
    )
    return redirect(record)


@login_required
@require_GET
def import_detail(request: HttpRequest, pk: int) -> HttpResponse:
    record = get_classification_import_for_staff(user=request.user, pk=pk)
    context = {"nav_section": "staff", "is_preview": False, **_changes(record)}
    return render(request, "geo/import_detail.html", context)


@login_required
@require_GET
def country_list(request: HttpRequest) -> HttpResponse:
    require_classification_staff(user=request.user)
    context = {
        "nav_section": "staff",
        "countries": selectors.current_classification_rows(),
        "newest_fiscal_year": selectors.newest_fiscal_year(),
    }
    return render(request, "geo/country_list.html", context)


@login_required
@require_GET
def country_history(request: HttpRequest, iso3: str) -> HttpResponse:
    country = get_country_for_staff(user=request.user, iso3=iso3)
    context = {"nav_section": "staff", "country": country, "history": selectors.income_history(country=country)}
    return render(request, "geo/country_history.html", context)


@login_required
@require_GET
@cache_control(private=True, no_store=True)
def classification_export(request: HttpRequest) -> HttpResponse:
    """The classification staff see on the countries page, as CSV."""
    require_classification_staff(user=request.user)
    rows = selectors.current_classification_rows()
    response = HttpResponse(content_type="text/csv; charset=utf-8")
    newest = selectors.newest_fiscal_year()
    suffix = f"-fy{newest}" if newest else ""
    response["Content-Disposition"] = f'attachment; filename="income-classification{suffix}.csv"'
    writer = csv.writer(response, lineterminator="\n")
    writer.writerow(["country", "iso3", "iso2", "region", "income_group", "income_group_code", "fiscal_year"])
    for row in rows:
        writer.writerow(
            [
                _csv_safe(str(row["country"])),
                row["iso3"],
                row["iso2"],
                row["region"],
                row["income_group"] or IncomeGroup.UNCLASSIFIED.label,
                row["income_group_code"],
                row["fiscal_year"],
            ]
        )
    return response


def _csv_safe(value: str) -> str:
    """Stop spreadsheet formula injection from a country name."""
    return f"'{value}" if value[:1] in {"=", "+", "-", "@"} else value
