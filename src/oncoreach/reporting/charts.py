"""Pictures of the impact report, as SVG drawn on the server: the world map and trend charts.

Both take an ``ImpactReport`` (no queries here). They use presentation attributes only, never
``style`` or script, so they are clean under the strict content security policy, inline in a page
or served on their own for an ``<img>``. Every picture has a table beside it with the same
numbers (the templates), and its legend names each colour's range in words. docs/decisions.md
says why the charts are drawn here rather than with a plotting library.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from decimal import Decimal
from html import escape

from django.utils.formats import number_format
from django.utils.translation import gettext as _
from django.utils.translation import ngettext

from oncoreach.reporting import worldmap
from oncoreach.reporting.selectors import ImpactReport, Line, people_reached
from oncoreach.reporting.worldmap import Bin, Journey, MapCountry

# People reached per country, in five steps (sequential blues; each darker than the last and the
# lightest still distinct from the grey of "no one reached yet").
THRESHOLDS = (1, 10, 100, 1000, 10000)
FILLS = ("#c6dbef", "#9ecae1", "#6baed6", "#3182bd", "#08519c")
INK = "#1f2937"
BAR = "#1d4ed8"


def _number(value: int | Decimal | None) -> str:
    return number_format(value or 0, force_grouping=True)


def map_bins() -> list[Bin]:
    bins = []
    for index, low in enumerate(THRESHOLDS):
        if index + 1 < len(THRESHOLDS):
            label = _("%(low)s to %(high)s") % {"low": _number(low), "high": _number(THRESHOLDS[index + 1] - 1)}
        else:
            label = _("%(low)s or more") % {"low": _number(low)}
        bins.append(Bin(label=label, fill=FILLS[index]))
    return bins


def _bin_index(count: int) -> int:
    return max(index for index, low in enumerate(THRESHOLDS) if count >= low)


@dataclass(frozen=True)
class WorldMap:
    svg: str
    bins: list[Bin]
    countries: list[Line]  # the table beside the map: countries with anyone reached, by name


def world_map(report: ImpactReport, *, standalone: bool = False) -> WorldMap:
    """People reached per country (trained, awarded or mentored) and faculty journeys as arcs."""
    bins = map_bins()
    shown: dict[str, MapCountry] = {}
    countries = []
    for line in report.table("country"):
        reached = people_reached(line.values)
        if line.pk is None or reached < 1:
            continue
        countries.append(line)
        title = ngettext("%(country)s: %(count)s person reached", "%(country)s: %(count)s people reached", reached) % {
            "country": line.label,
            "count": _number(reached),
        }
        shown[line.key] = MapCountry(name=line.label, url=line.url, title=title, bin_index=_bin_index(reached))
    journeys = [Journey(origin=j.origin.iso3, destination=j.destination.iso3, count=j.count) for j in report.journeys]
    svg = worldmap.render_map(
        countries=shown,
        bins=bins,
        journeys=journeys,
        title=_("People reached per country"),
        description=_(
            "A world map: the darker a country, the more people the program reached there; lines show "
            "volunteer faculty travelling from their home country to teach. The table beside the map "
            "gives every number."
        ),
        standalone=standalone,
    )
    return WorldMap(svg=svg, bins=bins, countries=sorted(countries, key=lambda line: line.label.casefold()))


# --- Trend charts ---------------------------------------------------------------------------------

WIDTH, HEIGHT = 640, 280
LEFT, RIGHT, TOP, BOTTOM = 56, 12, 28, 40


def _nice_top(value: float) -> float:
    if value <= 0:
        return 1
    magnitude = 10 ** (len(str(int(value))) - 1)
    for step in (1, 2, 2.5, 5, 10):
        if value <= step * magnitude:
            return step * magnitude
    return 10 * magnitude


def bar_chart(*, title: str, labels: Sequence[str], values: Sequence[int | Decimal | None]) -> str:
    """A standalone SVG bar chart (one bar per label, each titled with its value), axis and
    gridlines in dark grey on white: the numbers are also in the table beside it."""
    numbers = [float(value or 0) for value in values]
    top = _nice_top(max(numbers, default=0))
    plot_w, plot_h = WIDTH - LEFT - RIGHT, HEIGHT - TOP - BOTTOM
    slot = plot_w / max(len(labels), 1)
    out = [
        f'<svg xmlns="http://www.w3.org/2000/svg" viewBox="0 0 {WIDTH} {HEIGHT}" role="img" aria-labelledby="t">'
        f'<title id="t">{escape(title)}</title><rect width="{WIDTH}" height="{HEIGHT}" fill="#fff"/>'
        f'<text x="{LEFT}" y="18" font-family="sans-serif" font-size="14" font-weight="bold" fill="{INK}">'
        f"{escape(title)}</text>"
        f'<g font-family="sans-serif" font-size="11" fill="{INK}">'
    ]
    for tick in range(5):
        value = top * tick / 4
        y = TOP + plot_h - plot_h * tick / 4
        out.append(f'<line x1="{LEFT}" x2="{WIDTH - RIGHT}" y1="{y:.0f}" y2="{y:.0f}" stroke="#d1d5db"/>')
        shown = _number(int(value)) if value == int(value) else _number(Decimal(str(value)))
        out.append(f'<text x="{LEFT - 6}" y="{y + 4:.0f}" text-anchor="end">{escape(shown)}</text>')
    step = max(1, len(labels) // 12)
    for index, (label, value) in enumerate(zip(labels, numbers, strict=True)):
        height = plot_h * value / top
        x = LEFT + index * slot + slot * 0.15
        y = TOP + plot_h - height
        out.append(
            f'<rect x="{x:.1f}" y="{y:.1f}" width="{slot * 0.7:.1f}" height="{height:.1f}" fill="{BAR}">'
            f"<title>{escape(label)}: {escape(_number(values[index]))}</title></rect>"
        )
        if index % step == 0:
            out.append(
                f'<text x="{x + slot * 0.35:.1f}" y="{HEIGHT - BOTTOM + 16}" text-anchor="middle">{escape(label[:14])}</text>'
            )
    out.append(f'<line x1="{LEFT}" x2="{WIDTH - RIGHT}" y1="{TOP + plot_h}" y2="{TOP + plot_h}" stroke="{INK}"/>')
    out.append("</g></svg>")
    return "".join(out)


def trend_chart(report: ImpactReport, *, dimension: str, figure_key: str) -> str:
    """One figure per year or per program, as bars."""
    figure = next(figure for figure in report.figures if figure.key == figure_key)
    lines = report.table(dimension)
    if dimension == "year":
        title = _("%(figure)s per year") % {"figure": figure.label}
    else:
        title = _("%(figure)s per program") % {"figure": figure.label}
    return bar_chart(
        title=title, labels=[line.label for line in lines], values=[line.values.get(figure_key) for line in lines]
    )
