"""The committee's ranking of a call: a page and its CSV (staff now; committee roles later).

Fetch-or-deny (``selectors.get_call_for_staff``), one selector (``ranking_for_call``), render.
"""

from __future__ import annotations

import csv

from django.contrib.auth.decorators import login_required
from django.http import HttpResponse
from django.shortcuts import render

from oncoreach.accounts.http import AuthenticatedHttpRequest
from oncoreach.calls import selectors
from oncoreach.calls.selectors_ranking import ranking_for_call


def _csv_safe(value: str) -> str:
    """Neutralise spreadsheet formulas in free text (CSV injection)."""
    return "'" + value if value[:1] in ("=", "+", "-", "@", "\t", "\r") else value


def _number(value: float | None, digits: int = 3) -> str:
    return "" if value is None else f"{value:.{digits}f}"


@login_required
def ranking(request: AuthenticatedHttpRequest, slug: str) -> HttpResponse:
    """Raw and calibrated ranks side by side, disagreement flags, and the shortlist's balance."""
    call = selectors.get_call_for_staff(user=request.user, slug=slug)
    result = ranking_for_call(call=call)
    context = {"call": call, "ranking": result, "nav_section": "dashboard"}
    return render(request, "calls/staff_ranking.html", context)


@login_required
def ranking_export(request: AuthenticatedHttpRequest, slug: str) -> HttpResponse:
    call = selectors.get_call_for_staff(user=request.user, slug=slug)
    result = ranking_for_call(call=call)
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
            ]
        )
    return response
