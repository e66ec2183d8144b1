"""Staff pages to find duplicate people, merge two records, and undo a merge."""

from __future__ import annotations

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import ValidationError
from django.http import HttpResponse
from django.shortcuts import redirect, render
from django.utils.translation import gettext as _
from django.views.decorators.http import require_GET, require_http_methods, require_POST

from oncoreach.accounts.http import AuthenticatedHttpRequest
from oncoreach.people import selectors, selectors_duplicates, services_merge
from oncoreach.people.forms import MergeForm


@login_required
@require_GET
def duplicate_list(request: AuthenticatedHttpRequest) -> HttpResponse:
    pairs = selectors_duplicates.duplicate_pairs(user=request.user)
    context = {"pairs": pairs, "max_pairs": selectors_duplicates.MAX_PAIRS, "nav_section": "dashboard"}
    return render(request, "people/duplicate_list.html", context)


@login_required
@require_POST
def duplicate_dismiss(request: AuthenticatedHttpRequest, first: int, second: int) -> HttpResponse:
    one, two = selectors_duplicates.get_merge_pair(user=request.user, first_pk=first, second_pk=second)
    try:
        services_merge.dismiss_duplicate(actor=request.user, first=one, second=two)
    except ValidationError as exc:
        messages.error(request, " ".join(exc.messages))
    else:
        messages.success(request, _("Noted: these two are different people; they will not be proposed again."))
    return redirect("people:duplicate-list")


@login_required
@require_http_methods(["GET", "POST"])
def person_merge(request: AuthenticatedHttpRequest, survivor: int, other: int) -> HttpResponse:
    """Both records side by side; staff choose each field; the first record survives."""
    kept, merged = selectors_duplicates.get_merge_pair(user=request.user, first_pk=survivor, second_pk=other)
    form = MergeForm(request.POST or None, survivor=kept, other=merged)
    problem = ""
    try:
        services_merge.validate_merge_pair(survivor=kept, other=merged)
    except ValidationError as exc:
        problem = " ".join(exc.messages)
    if request.method == "POST" and not problem and form.is_valid():
        try:
            result = services_merge.merge_people(
                actor=request.user, survivor=kept, other=merged, take_from_other=form.take_from_other()
            )
        except ValidationError as exc:
            problem = " ".join(exc.messages)
        else:
            messages.success(
                request,
                _(
                    "Merged: %(moved)d records moved, %(left)d kept on the merged-away record. You can undo this for %(days)d days from the timeline."
                )
                % {"moved": result.moved, "left": result.left_behind, "days": services_merge.UNDO_WINDOW.days},
            )
            return redirect("people:person-timeline", pk=result.survivor.pk)
    context = {
        "survivor": kept,
        "other": merged,
        "form": form,
        "problem": problem,
        "survivor_counts": selectors_duplicates.related_counts(person=kept),
        "other_counts": selectors_duplicates.related_counts(person=merged),
        "nav_section": "dashboard",
    }
    status = 400 if request.method == "POST" or problem else 200
    return render(request, "people/person_merge.html", context, status=status)


@login_required
@require_POST
def merge_undo(request: AuthenticatedHttpRequest, pk: int) -> HttpResponse:
    event = selectors.get_merge_event(user=request.user, pk=pk)
    try:
        restored = services_merge.undo_merge(actor=request.user, event=event)
    except ValidationError as exc:
        messages.error(request, " ".join(exc.messages))
        return redirect("people:person-timeline", pk=int(event.target_id))
    messages.success(request, _("Merge undone: %(name)s is a separate record again.") % {"name": restored.full_name})
    return redirect("people:person-timeline", pk=int(event.target_id))
