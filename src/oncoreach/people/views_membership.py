"""Staff pages for the society's membership export: upload, preview, confirm, past imports
(the same preview-then-confirm steps as the World Bank import in ``geo``)."""

from __future__ import annotations

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import ValidationError
from django.http import HttpResponse
from django.shortcuts import redirect, render
from django.utils.translation import gettext as _
from django.views.decorators.http import require_GET, require_POST

from oncoreach.accounts.http import AuthenticatedHttpRequest
from oncoreach.core.pagination import paginate
from oncoreach.people import selectors, services_membership
from oncoreach.people.forms import ConfirmMembershipImportForm, MembershipUploadForm
from oncoreach.people.models import MembershipImport

MAX_ROWS_SHOWN = 500


def _report(record: MembershipImport) -> dict[str, object]:
    return {
        "record": record,
        "changes": record.changes[:MAX_ROWS_SHOWN],
        "changes_not_shown": max(0, len(record.changes) - MAX_ROWS_SHOWN),
        "unknown_rows": record.unknown_rows[:MAX_ROWS_SHOWN],
        "unknown_not_shown": max(0, record.unknown - min(len(record.unknown_rows), MAX_ROWS_SHOWN)),
    }


def _overview(request: AuthenticatedHttpRequest, form: MembershipUploadForm, *, status: int = 200) -> HttpResponse:
    context = {
        "nav_section": "dashboard",
        "form": form,
        "imports": paginate(request, selectors.membership_imports(user=request.user)),
    }
    return render(request, "people/membership_overview.html", context, status=status)


@login_required
@require_GET
def membership_overview(request: AuthenticatedHttpRequest) -> HttpResponse:
    selectors.require_membership_staff(user=request.user)
    return _overview(request, MembershipUploadForm())


@login_required
@require_POST
def membership_import_preview(request: AuthenticatedHttpRequest) -> HttpResponse:
    """Read the uploaded file, show what it would change, and offer to confirm; nothing is saved."""
    selectors.require_membership_staff(user=request.user)
    form = MembershipUploadForm(request.POST, request.FILES)
    if not form.is_valid():
        return _overview(request, form, status=400)
    upload = form.cleaned_data["file"]
    data = upload.read()
    try:
        preview = services_membership.import_memberships(
            file=data, file_name=upload.name, actor=request.user, dry_run=True
        )
    except ValidationError as exc:
        form.add_error("file", exc)
        return _overview(request, form, status=400)
    token = services_membership.stash_pending_upload(data=data)
    confirm = ConfirmMembershipImportForm(initial={"token": token, "file_name": upload.name})
    context = {"nav_section": "dashboard", "confirm_form": confirm, "is_preview": True, **_report(preview)}
    return render(request, "people/membership_import.html", context)


@login_required
@require_POST
def membership_import_confirm(request: AuthenticatedHttpRequest) -> HttpResponse:
    selectors.require_membership_staff(user=request.user)
    form = ConfirmMembershipImportForm(request.POST)
    data = services_membership.read_pending_upload(token=form.cleaned_data["token"]) if form.is_valid() else None
    if data is None:
        messages.error(request, _("That preview has expired or was already imported. Upload the file again."))
        return redirect("people:membership-overview")
    try:
        record = services_membership.import_memberships(
            file=data, file_name=form.cleaned_data["file_name"], actor=request.user
        )
    except ValidationError as exc:
        messages.error(request, " ".join(exc.messages))
        return redirect("people:membership-overview")
    services_membership.discard_pending_upload(token=form.cleaned_data["token"])
    messages.success(
        request,
        _("Imported %(file)s: %(added)s new, %(updated)s updated, %(unchanged)s unchanged, %(unknown)s unknown people.")
        % {
            "file": record.file_name,
            "added": record.added,
            "updated": record.updated,
            "unchanged": record.unchanged,
            "unknown": record.unknown,
        },
    )
    return redirect(record)


@login_required
@require_GET
def membership_import_detail(request: AuthenticatedHttpRequest, pk: int) -> HttpResponse:
    record = selectors.get_membership_import_for_staff(user=request.user, pk=pk)
    context = {"nav_section": "dashboard", "is_preview": False, **_report(record)}
    return render(request, "people/membership_import.html", context)
