"""Staff pages: set a cycle up, run, adjust, compare and publish match rounds, follow answers."""

from __future__ import annotations

import csv
from typing import Any

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied, ValidationError
from django.http import Http404, HttpResponse
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils.translation import gettext as _
from django.views.decorators.cache import cache_control
from django.views.decorators.http import require_http_methods, require_POST

from oncoreach.accounts.http import AuthenticatedHttpRequest
from oncoreach.core.pagination import paginate, query_without_page
from oncoreach.mentoring import selectors
from oncoreach.mentoring.enums import MatchStatus
from oncoreach.mentoring.forms import AdjustForm, CycleForm, RunForm, SwapForm, add_service_errors
from oncoreach.mentoring.models import MentoringCycle
from oncoreach.mentoring.permissions import is_mentoring_staff
from oncoreach.mentoring.services import rounds
from oncoreach.mentoring.services.cycle import CycleSetup, create_cycle, update_cycle


def _require_staff(request: AuthenticatedHttpRequest) -> None:
    if not is_mentoring_staff(request.user):
        raise PermissionDenied


def _setup(cycle: Any, data: dict[str, Any]) -> CycleSetup:
    values = dict(data)
    values["tracks"] = [line for line in values.get("tracks", "").splitlines() if line.strip()]
    return CycleSetup(cycle=cycle, **values)


@login_required
def cycle_list(request: AuthenticatedHttpRequest) -> HttpResponse:
    _require_staff(request)
    context = {"nav_section": "staff", "cycles": selectors.cycles(), "unset": selectors.cycles_without_mentoring()}
    return render(request, "mentoring/staff_cycles.html", context)


def _cycle_initial(mentoring: MentoringCycle) -> dict[str, Any]:
    call = mentoring.call
    return {
        "opens_on": call.opens_at_local.date() if call.opens_at_local else None,
        "closes_on": call.closes_at_local.date() if call.closes_at_local else None,
        "time_zone": call.time_zone,
        "term_start": mentoring.term_start,
        "term_months": mentoring.term_months,
        "min_contact_hours_per_month": mentoring.min_contact_hours_per_month,
        "consent_days": mentoring.consent_days,
        "mentor_min_years": mentoring.mentor_min_years,
        "mentor_outside_region": mentoring.mentor_outside_region,
        "eligible_income_groups": call.eligible_income_groups,
        "max_years_since_training": call.max_years_since_training,
        "requires_membership": call.requires_membership,
        "tracks": "\n".join(t.name for t in mentoring.tracks.all()),
    }


@login_required
@require_http_methods(["GET", "POST"])
def cycle_new(request: AuthenticatedHttpRequest, cycle_pk: int) -> HttpResponse:
    """Set mentoring up for a program cycle; this also creates its mentee call."""
    _require_staff(request)
    cycle = selectors.get_program_cycle(cycle_pk)
    form = CycleForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        try:
            mentoring = create_cycle(setup=_setup(cycle, form.cleaned_data), actor=request.user)
        except ValidationError as exc:
            add_service_errors(form, exc)
        else:
            messages.success(request, _("Mentoring is set up for this cycle."))
            return redirect("mentoring:staff-cycle", pk=mentoring.pk)
    context = {"nav_section": "staff", "form": form, "cycle": cycle}
    return render(request, "mentoring/staff_cycle_form.html", context, status=400 if form.errors else 200)


@login_required
@require_http_methods(["GET", "POST"])
def cycle_detail(request: AuthenticatedHttpRequest, pk: int) -> HttpResponse:
    _require_staff(request)
    mentoring = selectors.get_cycle(pk)
    form = CycleForm(request.POST or None, initial=_cycle_initial(mentoring))
    if request.method == "POST" and form.is_valid():
        try:
            update_cycle(mentoring=mentoring, setup=_setup(mentoring.cycle, form.cleaned_data), actor=request.user)
        except ValidationError as exc:
            add_service_errors(form, exc)
        else:
            messages.success(request, _("Saved."))
            return redirect("mentoring:staff-cycle", pk=mentoring.pk)
    context = {
        "nav_section": "staff",
        "mentoring": mentoring,
        "form": form,
        "rounds": selectors.rounds_of(mentoring),
    }
    return render(request, "mentoring/staff_cycle.html", context, status=400 if form.errors else 200)


@login_required
@require_POST
def round_open(request: AuthenticatedHttpRequest, pk: int) -> HttpResponse:
    _require_staff(request)
    mentoring = selectors.get_cycle(pk)
    try:
        round_ = rounds.open_round(mentoring=mentoring, actor=request.user)
    except ValidationError as exc:
        messages.error(request, " ".join(exc.messages))
        return redirect("mentoring:staff-cycle", pk=mentoring.pk)
    return redirect("mentoring:staff-round", pk=round_.pk)


PER_PAGE = 50  # pairs (or answers) on one page of a round


@login_required
def round_detail(request: AuthenticatedHttpRequest, pk: int) -> HttpResponse:
    """A round: its runs (progress while the worker runs), the chosen run's pairs explained and
    the unmatched with reasons, pins and exclusions, a comparison, and after publication the answers."""
    _require_staff(request)
    round_ = selectors.get_round(pk)
    run = selectors.get_run(round_, request.GET.get("run"))
    other = selectors.get_run(round_, request.GET.get("compare")) if request.GET.get("compare") else None
    # Paged: a round of a few hundred pairs, each with its reasons and forms, weighed ~100 KB.
    pairs_page = paginate(request, selectors.run_pairs(run) if run and run.finished_at else [], per_page=PER_PAGE)
    matches_page = paginate(request, selectors.round_matches(round_), per_page=PER_PAGE, param="answers_page")
    context = {
        "nav_section": "staff",
        "round": round_,
        "runs": selectors.runs_of(round_),
        "run": run,
        "pairs": selectors.pair_rows(pairs_page),
        "pairs_page": pairs_page,
        "pairs_query": query_without_page(request),
        "matches_page": matches_page,
        "matches_query": query_without_page(request, param="answers_page"),
        "unmatched": selectors.run_unmatched(run) if run and run.finished_at else [],
        "comparison": selectors.compare_runs(run, other) if run and other else None,
        "other": other,
        "adjustments": selectors.adjustments_of(round_),
        "matches": matches_page,
        "counts": [(MatchStatus(status).label, n) for status, n in selectors.status_counts(round_).items()],
        "run_form": RunForm(),
        "swap_form": SwapForm(),
    }
    return render(request, "mentoring/staff_round.html", context)


@login_required
@cache_control(private=True, no_store=True)
def round_pairs_csv(request: AuthenticatedHttpRequest, pk: int) -> HttpResponse:
    """Every pair of the run shown (the page shows them a page at a time)."""
    _require_staff(request)
    round_ = selectors.get_round(pk)
    run = selectors.get_run(round_, request.GET.get("run"))
    if run is None or not run.finished_at:
        raise Http404
    response = HttpResponse(content_type="text/csv; charset=utf-8")
    response["Content-Disposition"] = f'attachment; filename="round-{round_.number}-run-{run.number}-pairs.csv"'
    writer = csv.writer(response)
    writer.writerow(["request", "mentee", "offer", "mentor", "score", "rank", "candidates", "pinned"])
    for pair in selectors.pair_rows(selectors.run_pairs(run)):
        writer.writerow(
            [
                pair.request_id,
                _csv_safe(pair.mentee),
                pair.offer_id,
                _csv_safe(pair.mentor),
                f"{pair.score:.6f}",
                pair.rank,
                pair.candidates,
                "yes" if pair.pinned else "no",
            ]
        )
    return response


def _csv_safe(value: str) -> str:
    """Stop spreadsheet formula injection from names people typed."""
    return f"'{value}" if value[:1] in {"=", "+", "-", "@"} else value


@login_required
@require_POST
def round_run(request: AuthenticatedHttpRequest, pk: int) -> HttpResponse:
    _require_staff(request)
    round_ = selectors.get_round(pk)
    form = RunForm(request.POST)
    based_on = selectors.get_run(round_, request.POST.get("based_on")) if request.POST.get("based_on") else None
    if form.is_valid():
        try:
            if based_on is not None:
                run = rounds.rerun(run=based_on, actor=request.user, objective=form.cleaned_data["objective"])
            else:
                run = rounds.start_engine_run(
                    round_=round_, actor=request.user, objective=form.cleaned_data["objective"]
                )
        except ValidationError as exc:
            messages.error(request, " ".join(exc.messages))
        else:
            messages.success(request, _("The engine run is queued; this page shows it when it is done."))
            return redirect(f"{reverse('mentoring:staff-round', kwargs={'pk': round_.pk})}?run={run.pk}")
    return redirect("mentoring:staff-round", pk=round_.pk)


@login_required
@require_POST
def round_adjust(request: AuthenticatedHttpRequest, pk: int) -> HttpResponse:
    _require_staff(request)
    round_ = selectors.get_round(pk)
    form = AdjustForm(request.POST)
    if not form.is_valid():
        raise Http404
    try:
        rounds.adjust_pair(
            round_=round_,
            request=selectors.get_request(round_.cycle, form.cleaned_data["request_id"]),
            offer=selectors.get_offer(round_.cycle, form.cleaned_data["offer_id"]),
            kind=form.cleaned_data["kind"],
            actor=request.user,
        )
    except ValidationError as exc:
        messages.error(request, " ".join(exc.messages))
    else:
        messages.success(request, _("Noted for the next run."))
    return redirect("mentoring:staff-round", pk=round_.pk)


@login_required
@require_POST
def round_swap(request: AuthenticatedHttpRequest, pk: int) -> HttpResponse:
    _require_staff(request)
    round_ = selectors.get_round(pk)
    run = selectors.get_run(round_, request.POST.get("run"))
    form = SwapForm(request.POST)
    if run is None or not form.is_valid():
        messages.error(request, _("Give two mentees of the run to swap."))
        return redirect("mentoring:staff-round", pk=round_.pk)
    try:
        rounds.swap_pairs(
            run=run,
            first=selectors.get_request(round_.cycle, form.cleaned_data["first"]),
            second=selectors.get_request(round_.cycle, form.cleaned_data["second"]),
            actor=request.user,
        )
    except ValidationError as exc:
        messages.error(request, " ".join(exc.messages))
    else:
        messages.success(request, _("Both swapped pairs are pinned for the next run."))
    return redirect("mentoring:staff-round", pk=round_.pk)


@login_required
@require_POST
def round_publish(request: AuthenticatedHttpRequest, pk: int) -> HttpResponse:
    _require_staff(request)
    round_ = selectors.get_round(pk)
    run = selectors.get_run(round_, request.POST.get("run"))
    if run is None:
        raise Http404
    try:
        rounds.publish_round(round_=round_, run=run, actor=request.user)
    except ValidationError as exc:
        messages.error(request, " ".join(exc.messages))
    else:
        messages.success(request, _("The round is published: both sides of every pair have their proposal."))
    return redirect("mentoring:staff-round", pk=round_.pk)
