"""Reviewers' PDFs: one assigned application, and the packet of all their applications in a stage.

Each view: fetch-or-deny (selectors) → build the PDF (``calls.packets``) → send it, under a name
that never carries the applicant's.
"""

from __future__ import annotations

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import ValidationError
from django.http import HttpResponse
from django.shortcuts import redirect
from django.views.decorators.cache import cache_control

from oncoreach.accounts.http import AuthenticatedHttpRequest
from oncoreach.calls import packets, selectors


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
@cache_control(private=True, no_store=True)
def packet(request: AuthenticatedHttpRequest, slug: str, stage: str) -> HttpResponse:
    """All the reviewer's accepted, not-conflicted applications in one stage, as one PDF."""
    call_stage, assignments = selectors.assignments_for_packet(user=request.user, slug=slug, stage_key=stage)
    try:
        body = packets.reviewer_packet(assignments=assignments)
    except ValidationError as exc:
        messages.error(request, " ".join(exc.messages))
        return redirect("calls:review-list")
    return _pdf(body, f"review-packet-{call_stage.call.slug}-{call_stage.key}.pdf")
