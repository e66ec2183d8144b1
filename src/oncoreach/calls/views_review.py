"""Reviewers' PDFs: one assigned application, and the packet of all their applications in a stage.

Each view: fetch-or-deny (selectors) → build the PDF (``calls.packets``) → send it, under a name
that never carries the applicant's.
"""

from __future__ import annotations

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import ValidationError
from django.core.files.storage import default_storage
from django.http import FileResponse, Http404, HttpResponse, HttpResponseBase
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils.translation import gettext as _
from django.views.decorators.cache import cache_control
from django.views.decorators.http import require_POST

from oncoreach.accounts.http import AuthenticatedHttpRequest
from oncoreach.calls import packets, selectors, services_review
from oncoreach.core.enums import RunStatus
from oncoreach.core.htmx import is_htmx


def _pdf(body: bytes, name: str) -> HttpResponse:
    response = HttpResponse(body, content_type="application/pdf")
    response["Content-Disposition"] = f'attachment; filename="{name}"'
    return response


@login_required
@cache_control(private=True, no_store=True)
def application_pdf(request: AuthenticatedHttpRequest, pk: int) -> HttpResponse:
    """The application of one of the reviewer's assignments, as one PDF (blind-aware)."""
    assignment = selectors.get_assignment_for_review(user=request.user, pk=pk)
    try:
        body = packets.application_pdf(assignment=assignment)
    except ValidationError as exc:
        messages.error(request, " ".join(exc.messages))
        return redirect("calls:review-form", pk=assignment.pk)
    return _pdf(body, f"application-{assignment.application_id}.pdf")


@login_required
@require_POST
def packet(request: AuthenticatedHttpRequest, slug: str, stage: str) -> HttpResponseBase:
    """All the reviewer's accepted, not-conflicted applications in one stage, as one PDF: sent at
    once when small, else built in the worker (the run's page shows progress, then the link)."""
    call_stage, assignments = selectors.assignments_for_packet(user=request.user, slug=slug, stage_key=stage)
    try:
        if len(assignments) > packets.PACKET_IN_REQUEST:
            run = services_review.start_packet_run(stage=call_stage, assignments=assignments, actor=request.user)
            return redirect("calls:review-packet-run", pk=run.pk)
        body = packets.reviewer_packet(assignments=assignments)
    except ValidationError as exc:
        messages.error(request, " ".join(exc.messages))
        return redirect("calls:review-list")
    return _pdf(body, f"review-packet-{call_stage.call.slug}-{call_stage.key}.pdf")


@login_required
def packet_run(request: AuthenticatedHttpRequest, pk: int) -> HttpResponse:
    """The packet being built: progress, then the download link (its reviewer only)."""
    run = selectors.get_packet_run(user=request.user, pk=pk)
    context = {
        "nav_section": "dashboard",
        "run": run,
        "title": _("Your PDF packet"),
        "back_url": reverse("calls:review-list"),
        "back_label": _("Back to the applications to review"),
        "download_url": reverse("calls:review-packet-file", args=[run.pk]) if run.status == RunStatus.SUCCEEDED else "",
    }
    template = "core/run_detail.html#status" if is_htmx(request) else "core/run_detail.html"
    return render(request, template, context)


@login_required
@cache_control(private=True, no_store=True)
def packet_file(request: AuthenticatedHttpRequest, pk: int) -> HttpResponseBase:
    """The finished packet, to the reviewer who asked for it, while it is not stale."""
    run = selectors.get_packet_run(user=request.user, pk=pk)
    if run.status != RunStatus.SUCCEEDED or not run.result.get("file"):
        raise Http404
    name = packets.stored_packet(run=run)
    if name is None:
        messages.error(
            request,
            _(
                "Your applications to review in this stage have changed since this packet was made, "
                "or it is no longer kept: download a new packet."
            ),
        )
        return redirect("calls:review-list")
    handle = default_storage.open(name, "rb")
    name = run.result.get("download_name") or "review-packet.pdf"
    return FileResponse(handle, as_attachment=True, filename=name, content_type="application/pdf")
