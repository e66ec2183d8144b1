"""The public awardee directory: listed awardees (they accepted and agreed to be listed),
filterable and paginated, with CSV and JSON downloads and each person's alumni pathway. Cached
whole for anonymous readers (``mark_public``)."""

from __future__ import annotations

import csv
from typing import Any

from django.core.paginator import Paginator
from django.http import HttpRequest, HttpResponse, JsonResponse
from django.shortcuts import render
from django.views.decorators.http import require_GET

from oncoreach.awards import selectors
from oncoreach.awards.models import Award
from oncoreach.core.cache import mark_public
from oncoreach.core.pagination import query_without_page

QUERY = ("year", "program", "country", "q", "page")
DOWNLOAD_LIMIT = 20_000


def _filters(request: HttpRequest) -> dict[str, Any]:
    try:
        year = int(request.GET.get("year", "")) or None
    except ValueError:
        year = None
    return {
        "year": year,
        "program": request.GET.get("program", "")[:100],
        "country": request.GET.get("country", "")[:2],
        "q": request.GET.get("q", "").strip()[:100],
    }


def _row(award: Award, pathway: list[str]) -> dict[str, Any]:
    return {
        "year": award.year,
        "name": f"{award.person.given_name} {award.person.family_name}".strip(),
        "institution": award.institution.name if award.institution else "",
        "country": award.country.name if award.country else "",
        "program": award.program.name,
        "track": award.track.name if award.track else "",
        "project_title": award.project_title,
        "amount": f"{award.amount:.2f}",
        "currency": award.currency,
        "pathway": pathway,
    }


@require_GET
def directory(request: HttpRequest) -> HttpResponse:
    filters = _filters(request)
    page = Paginator(selectors.directory_entries(**filters), 50).get_page(request.GET.get("page"))
    awards = list(page.object_list)
    paths = selectors.pathways(person_ids=[a.person_id for a in awards])
    context = {
        "page_obj": page,
        "rows": [_row(a, paths.get(a.person_id, [])) for a in awards],
        "filters": filters,
        "programs": selectors.directory_programs(),
        "page_query": query_without_page(request),
    }
    return mark_public(render(request, "awards/directory.html", context), query=QUERY)


def _download_rows(request: HttpRequest) -> list[dict[str, Any]]:
    awards = list(selectors.directory_entries(**_filters(request))[:DOWNLOAD_LIMIT])
    paths = selectors.pathways(person_ids=list({a.person_id for a in awards}))
    return [_row(a, paths.get(a.person_id, [])) for a in awards]


@require_GET
def directory_csv(request: HttpRequest) -> HttpResponse:
    response = HttpResponse(content_type="text/csv; charset=utf-8")
    response["Content-Disposition"] = 'attachment; filename="awardees.csv"'
    writer = csv.writer(response)
    columns = [
        "year",
        "name",
        "institution",
        "country",
        "program",
        "track",
        "project_title",
        "amount",
        "currency",
        "pathway",
    ]
    writer.writerow(columns)
    for row in _download_rows(request):
        writer.writerow([" → ".join(row[c]) if c == "pathway" else row[c] for c in columns])
    return mark_public(response, query=QUERY)


@require_GET
def directory_json(request: HttpRequest) -> HttpResponse:
    response = JsonResponse({"awardees": _download_rows(request)}, json_dumps_params={"ensure_ascii": False})
    return mark_public(response, query=QUERY)
