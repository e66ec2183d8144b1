"""The impact pages: the staff dashboard (filters, every table, downloads), the public impact page,
the world map, trend charts and every table as CSV or XLSX.

Thin views: parse the filters (forms), deny or allow (permissions), one report (selectors), draw
(charts) or export (exports). A report costs a fixed number of queries whatever the data.
"""

from __future__ import annotations

from django.contrib.auth.decorators import login_required
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import render
from django.utils.translation import gettext as _
from django.views.decorators.cache import cache_control
from django.views.decorators.http import require_GET

from oncoreach.core.cache import mark_public
from oncoreach.core.pagination import paginate, query_without_page
from oncoreach.reporting import charts, exports, selectors
from oncoreach.reporting.forms import ImpactFilterForm
from oncoreach.reporting.permissions import require_impact_staff

CHART_DIMENSIONS = ("year", "program")
COUNTRIES_PAGE = "countries_page"  # the query parameter of the dashboard's countries' table
COUNTRIES_PER_PAGE = 30


def _check_download(table: str, fmt: str) -> None:
    if table not in exports.TABLES or fmt not in exports.FORMATS:
        raise Http404("No such table or format")


# --- Staff ----------------------------------------------------------------------------------------


@login_required
@require_GET
@cache_control(private=True, no_cache=True)
def dashboard(request: HttpRequest) -> HttpResponse:
    require_impact_staff(user=request.user)
    form = ImpactFilterForm(
        request.GET, programs=selectors.program_catalogue().values(), also_allowed=(COUNTRIES_PAGE,)
    )
    if not form.is_valid():
        context = {"nav_section": "staff", "form": form, "report": None}
        return render(request, "reporting/dashboard.html", context, status=400)
    report = selectors.impact_report(filters=form.filters())
    # The countries' table is paged (~150 rows weighed 49 KB of the 50 KB budget); its download
    # and the totals keep every country.
    countries = paginate(request, report.table("country"), per_page=COUNTRIES_PER_PAGE, param=COUNTRIES_PAGE)
    tables = [(name, heading, countries if name == "country" else lines) for name, heading, lines in _tables(report)]
    context = {
        "nav_section": "staff",
        "form": form,
        "report": report,
        "query": query_without_page(request, param=COUNTRIES_PAGE),
        "tables": tables,
        "countries_page": countries,
        "countries_page_param": COUNTRIES_PAGE,
    }
    return render(request, "reporting/dashboard.html", context)


@login_required
@require_GET
@cache_control(private=True, no_cache=True)
def dashboard_download(request: HttpRequest, table: str, fmt: str) -> HttpResponse:
    require_impact_staff(user=request.user)
    _check_download(table, fmt)
    form = ImpactFilterForm(request.GET, programs=selectors.program_catalogue().values())
    if not form.is_valid():
        context = {"nav_section": "staff", "form": form, "report": None}
        return render(request, "reporting/dashboard.html", context, status=400)
    report = selectors.impact_report(filters=form.filters())
    return exports.download(report, table=table, fmt=fmt, filename=f"impact-{table.replace('_', '-')}")


# --- Public ---------------------------------------------------------------------------------------


def _tables(report: selectors.ImpactReport) -> list[tuple[str, str, list[selectors.Line]]]:
    return [
        ("year", _("By year"), report.table("year")),
        ("program", _("By program"), report.table("program")),
        ("region", _("By World Bank region"), report.table("region")),
        ("income_group", _("By income group (as of each year)"), report.table("income_group")),
        ("country", _("By country"), report.table("country")),
    ]


@require_GET
def impact_page(request: HttpRequest) -> HttpResponse:
    report = selectors.public_report()
    # The countries' table is on the map page (beside the map); here it would double the page.
    tables = [table for table in _tables(report) if table[0] != "country"]
    context = {"nav_section": "impact", "report": report, "tables": tables}
    return mark_public(render(request, "reporting/impact.html", context))


@require_GET
def map_page(request: HttpRequest) -> HttpResponse:
    report = selectors.public_report()
    context = {"nav_section": "impact", "report": report, "map": charts.world_map(report)}
    return mark_public(render(request, "reporting/map.html", context))


@require_GET
def map_svg(request: HttpRequest) -> HttpResponse:
    """The map on its own (for an ``<img>``: the home page), without links (an image has none)."""
    report = selectors.public_report()
    svg = charts.world_map(report, standalone=True).svg
    return mark_public(HttpResponse(svg, content_type="image/svg+xml; charset=utf-8"))


@require_GET
def chart_svg(request: HttpRequest, dimension: str, figure: str) -> HttpResponse:
    report = selectors.public_report()
    if dimension not in CHART_DIMENSIONS or figure not in {f.key for f in report.figures}:
        raise Http404("No such chart")
    svg = charts.trend_chart(report, dimension=dimension, figure_key=figure)
    return mark_public(HttpResponse(svg, content_type="image/svg+xml; charset=utf-8"))


@require_GET
def public_download(request: HttpRequest, table: str, fmt: str) -> HttpResponse:
    _check_download(table, fmt)
    report = selectors.public_report()
    return mark_public(exports.download(report, table=table, fmt=fmt, filename=f"impact-{table.replace('_', '-')}"))
