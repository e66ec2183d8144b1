"""The committee's ranking of a call: a page, its CSV and the chair's panel decision, twice.

Staff (``/calls/staff/<call>/ranking/``): fetch-or-deny ``selectors.get_call_for_staff``, any
assessment stage by ``?stage=`` (the panel stage by default), names shown.
Committee people (``/calls/committees/<call>/ranking/``): fetch-or-deny
``selectors_committee.get_committee_seat`` (404 without a seat), the seat's own stage, no stage
in the URL; blind labels and conflicts as ``selectors_committee.committee_ranking`` reads them.
"""

from __future__ import annotations

import csv

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import ValidationError
from django.http import Http404, HttpResponse
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from oncoreach.accounts.http import AuthenticatedHttpRequest
from oncoreach.calls import selectors, services_review
from oncoreach.calls.forms import PanelDecisionForm
from oncoreach.calls.models import Call, CallStage
from oncoreach.calls.selectors_committee import committee_ranking, get_committee_seat
from oncoreach.calls.selectors_ranking import Ranking, ranking_for_call


def _csv_safe(value: str) -> str:
    """Neutralise spreadsheet formulas in free text (CSV injection)."""
    return "'" + value if value[:1] in ("=", "+", "-", "@", "\t", "\r") else value


def _number(value: float | None, digits: int = 3) -> str:
    return "" if value is None else f"{value:.{digits}f}"


@login_required
def ranking(request: AuthenticatedHttpRequest, slug: str) -> HttpResponse:
    """Raw and calibrated ranks side by side, disagreement flags, and the shortlist's balance."""
    call = selectors.get_call_for_staff(user=request.user, slug=slug)
    stage = call.stage_by_key(request.GET.get("stage", "")) or call.panel_stage
    result = ranking_for_call(call=call, stage=stage)
    context = {
        "call": call,
        "ranking": result,
        "stage": stage,
        "review_stages": [item for item in call.stage_list if item.takes_reviews],
        "nav_section": "dashboard",
        "decision_form": PanelDecisionForm(initial={"stage": stage.key if stage else ""}),
    }
    return render(request, "calls/staff_ranking.html", context)


@login_required
@require_POST
def panel_decide(request: AuthenticatedHttpRequest, slug: str) -> HttpResponse:
    """Staff record the panel's decision on one application, in the stage the page shows."""
    call = selectors.get_call_for_staff(user=request.user, slug=slug)
    stage = call.stage_by_key(request.POST.get("stage", "")) or call.panel_stage
    _record(request, call=call, stage=stage)
    url = reverse("calls:staff-ranking", kwargs={"slug": call.slug})
    return redirect(f"{url}?stage={stage.key}" if stage is not None else url)


def _record(request: AuthenticatedHttpRequest, *, call: Call, stage: CallStage | None) -> None:
    """Bind the decision form, call the service, and say what happened in a message."""
    form = PanelDecisionForm(request.POST)
    if form.is_valid():
        try:
            services_review.record_panel_decision(
                call=call,
                stage=stage,
                application_id=form.cleaned_data["application"],
                outcome=form.cleaned_data["outcome"],
                notes=form.cleaned_data["notes"],
                actor=request.user,
            )
        except ValidationError as exc:
            messages.error(request, " ".join(exc.messages))
        else:
            messages.success(request, _("The panel decision is recorded."))
    else:
        for errors in form.errors.as_data().values():
            for error in errors:
                messages.error(request, " ".join(error.messages))


@login_required
def ranking_export(request: AuthenticatedHttpRequest, slug: str) -> HttpResponse:
    call = selectors.get_call_for_staff(user=request.user, slug=slug)
    stage = call.stage_by_key(request.GET.get("stage", "")) or call.panel_stage
    return _csv(call=call, result=ranking_for_call(call=call, stage=stage))


# --- Committee people, by their role on the call ---------------------------------------------------


@login_required
def committee_ranking_page(request: AuthenticatedHttpRequest, slug: str) -> HttpResponse:
    """The committee's ranking on the seat's stage; the chair (and staff) record decisions here."""
    seat = get_committee_seat(user=request.user, slug=slug)
    context = {
        "call": seat.call,
        "seat": seat,
        "stage": seat.stage,
        "ranking": committee_ranking(seat=seat, user=request.user),
        "nav_section": "dashboard",
        "decision_form": PanelDecisionForm() if seat.chairs else None,
    }
    return render(request, "calls/committee_ranking.html", context)


@login_required
@require_POST
def committee_decide(request: AuthenticatedHttpRequest, slug: str) -> HttpResponse:
    """The chair records the panel's decision in the seat's stage; members get 404 like outsiders.
    A chair's conflict of interest is refused by the service, with a message, nothing written."""
    seat = get_committee_seat(user=request.user, slug=slug)
    if not seat.chairs:
        raise Http404
    _record(request, call=seat.call, stage=seat.stage)
    return redirect("calls:committee-ranking", slug=seat.call.slug)


@login_required
def committee_ranking_export(request: AuthenticatedHttpRequest, slug: str) -> HttpResponse:
    seat = get_committee_seat(user=request.user, slug=slug)
    return _csv(call=seat.call, result=committee_ranking(seat=seat, user=request.user))


def _csv(*, call: Call, result: Ranking) -> HttpResponse:
    response = HttpResponse(content_type="text/csv; charset=utf-8")
    response["Content-Disposition"] = f'attachment; filename="{call.slug}-ranking.csv"'
    writer = csv.writer(response)
    writer.writerow(
        [
            "id",
            "applicant",
            "status",
            "country",
            "region",
            "income_group",
            "career_stage",
            "reviews",
            "mean_raw",
            "mean_calibrated",
            "mean_robust",
            "rank_raw",
            "rank_calibrated",
            "rank_change",
            "spread",
            "high_spread",
            "shortlisted",
            "panel_decision",
            "panel_notes",
            "conflict_of_interest",
        ]
    )
    for row in result.rows:
        writer.writerow(
            [
                row.application_id,
                _csv_safe(row.applicant),
                row.status,
                _csv_safe(row.country),
                row.region,
                row.income_group,
                row.career_stage,
                row.n_reviews,
                _number(row.mean_raw, 2),
                _number(row.mean_calibrated),
                _number(row.mean_robust),
                row.rank_raw or "",
                row.rank_calibrated or "",
                "" if row.rank_change is None else row.rank_change,
                _number(row.spread),
                "yes" if row.high_spread else "",
                "yes" if row.shortlisted else "",
                row.panel_decision,
                _csv_safe(row.panel_notes),
                "yes" if row.conflict else "",
            ]
        )
    return response
