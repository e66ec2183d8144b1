"""The world map as SVG, drawn on the server from Natural Earth's boundaries (data/SOURCES.md).

``world_shapes()`` turns the TopoJSON into projected, simplified SVG paths once per process:
arcs are decoded (quantized, delta-encoded), projected with the Equal Earth projection (equal
area, so a choropleth does not make northern countries look bigger), simplified with
Douglas–Peucker *per arc* (shared borders stay shared, so no gaps open between neighbours) and
written as integer-rounded relative path commands, which keeps the page small.

``render_map()`` colours the shapes and draws journeys as arcs. It uses presentation attributes
only (``fill``, ``stroke``), never ``style``, so the SVG is clean under a strict content security
policy inline in a page, and looks the same served on its own as an ``<img>``. No models here:
``reporting.selectors`` passes plain values in.
"""

from __future__ import annotations

import csv
import functools
import itertools
import json
import math
from collections.abc import Iterable, Sequence
from dataclasses import dataclass
from html import escape
from pathlib import Path

DATA = Path(__file__).resolve().parent / "data"
WIDTH = 960
MARGIN = 4
TOLERANCE_DEGREES = 0.2  # how far simplification may move a border (about half a pixel at WIDTH)
# Features with no numeric id in Natural Earth 110m, matched by name; and shapes we leave out.
BY_NAME = {"Kosovo": "XKX", "Somaliland": "SOM", "N. Cyprus": "CYP"}
LEFT_OUT = {"010"}  # Antarctica: no program there, and it would take a sixth of the picture

Point = tuple[float, float]


@dataclass(frozen=True)
class Shape:
    iso3: str  # "" when the feature is not a country we know
    name: str  # Natural Earth's name (ours is used when we have the country)
    path: str  # SVG path data
    anchor: Point  # where arcs start and end: the centroid of the largest ring


@dataclass(frozen=True)
class World:
    width: int
    height: int
    shapes: tuple[Shape, ...]

    def anchors(self) -> dict[str, Point]:
        return {shape.iso3: shape.anchor for shape in self.shapes if shape.iso3}


@dataclass(frozen=True)
class MapCountry:
    """What the map shows for one country: its fill bin, link and title."""

    name: str
    url: str
    title: str
    bin_index: int  # index into the legend's bins


@dataclass(frozen=True)
class Bin:
    label: str
    fill: str


@dataclass(frozen=True)
class Journey:
    origin: str  # ISO3
    destination: str
    count: int


# --- Projection and geometry ----------------------------------------------------------------------

_A1, _A2, _A3, _A4 = 1.340264, -0.081106, 0.000893, 0.003796
_M = math.sqrt(3) / 2


def equal_earth(longitude: float, latitude: float) -> Point:
    """Equal Earth (Šavrič, Patterson, Jenny 2018), on the unit sphere; y grows northwards."""
    lam, phi = math.radians(longitude), math.radians(latitude)
    theta = math.asin(_M * math.sin(phi))
    t2 = theta * theta
    t6 = t2 * t2 * t2
    x = lam * math.cos(theta) / (_M * (_A1 + 3 * _A2 * t2 + t6 * (7 * _A3 + 9 * _A4 * t2)))
    y = theta * (_A1 + _A2 * t2 + t6 * (_A3 + _A4 * t2))
    return x, y


def simplify(points: Sequence[Point], tolerance: float) -> list[Point]:
    """Douglas–Peucker: keep the end points and every point farther than ``tolerance`` from the
    line that would replace it."""
    if len(points) < 3:
        return list(points)
    keep = [False] * len(points)
    keep[0] = keep[-1] = True
    stack = [(0, len(points) - 1)]
    while stack:
        first, last = stack.pop()
        (x1, y1), (x2, y2) = points[first], points[last]
        dx, dy = x2 - x1, y2 - y1
        length = math.hypot(dx, dy)
        farthest, index = -1.0, -1
        for i in range(first + 1, last):
            px, py = points[i]
            if length == 0:
                distance = math.hypot(px - x1, py - y1)
            else:
                distance = abs(dy * px - dx * py + x2 * y1 - y2 * x1) / length
            if distance > farthest:
                farthest, index = distance, i
        if farthest > tolerance:
            keep[index] = True
            stack.extend(((first, index), (index, last)))
    return [point for point, kept in zip(points, keep, strict=True) if kept]


def _ring_area_centroid(ring: Sequence[Point]) -> tuple[float, Point]:
    area = cx = cy = 0.0
    for (x1, y1), (x2, y2) in zip(ring, [*ring[1:], ring[0]], strict=True):
        cross = x1 * y2 - x2 * y1
        area += cross
        cx += (x1 + x2) * cross
        cy += (y1 + y2) * cross
    if area == 0:
        xs, ys = [p[0] for p in ring], [p[1] for p in ring]
        return 0.0, (sum(xs) / len(xs), sum(ys) / len(ys))
    return abs(area) / 2, (cx / (3 * area), cy / (3 * area))


def _path(rings: Iterable[Sequence[Point]]) -> str:
    """Integer-rounded relative path commands; rings that round to fewer than 3 points go."""
    parts: list[str] = []
    cursor = (0, 0)
    for ring in rings:
        rounded: list[tuple[int, int]] = []
        for x, y in ring:
            point = (round(x), round(y))
            if not rounded or point != rounded[-1]:
                rounded.append(point)
        if len(rounded) > 1 and rounded[0] == rounded[-1]:
            rounded.pop()
        if len(set(rounded)) < 3:
            continue
        start = rounded[0]
        parts.append(f"m{start[0] - cursor[0]} {start[1] - cursor[1]}")
        steps = [f"{b[0] - a[0]} {b[1] - a[1]}" for a, b in itertools.pairwise(rounded)]
        parts.append("l" + " ".join(steps) + "z")
        cursor = start  # after z the current point is the ring's start
    return "".join(parts).replace(" -", "-")


def _unwrap(ring: Sequence[Point]) -> list[Point]:
    """Longitudes made continuous (a step across the antimeridian adds or removes 360°)."""
    out = [ring[0]]
    offset = 0.0
    for lon, lat in ring[1:]:
        shifted = lon + offset
        step = shifted - out[-1][0]
        if step > 180:
            offset -= 360
            shifted -= 360
        elif step < -180:
            offset += 360
            shifted += 360
        out.append((shifted, lat))
    return out


def _clip(ring: Sequence[Point], meridian: float, *, keep_west: bool) -> list[Point]:
    """Sutherland–Hodgman clipping of a ring by one meridian."""

    def inside(point: Point) -> bool:
        return point[0] <= meridian if keep_west else point[0] >= meridian

    def crossing(a: Point, b: Point) -> Point:
        share = (meridian - a[0]) / (b[0] - a[0])
        return meridian, a[1] + share * (b[1] - a[1])

    out: list[Point] = []
    for index, current in enumerate(ring):
        previous = ring[index - 1]
        if inside(current):
            if not inside(previous):
                out.append(crossing(previous, current))
            out.append(current)
        elif inside(previous):
            out.append(crossing(previous, current))
    return out


def cut_at_antimeridian(ring: Sequence[Point]) -> list[list[Point]]:
    """A ring in degrees that crosses ±180° (Russia's far east, Fiji) as rings on either side,
    so no edge runs across the whole picture."""
    unwrapped = _unwrap(ring)
    west, east = min(p[0] for p in unwrapped), max(p[0] for p in unwrapped)
    if west >= -180 and east <= 180:
        return [list(ring)]
    meridian, shift = (180.0, -360.0) if east > 180 else (-180.0, 360.0)
    inner = _clip(unwrapped, meridian, keep_west=meridian > 0)
    outer = [(lon + shift, lat) for lon, lat in _clip(unwrapped, meridian, keep_west=meridian < 0)]
    return [part for part in (inner, outer) if len(part) >= 3]


@functools.lru_cache(maxsize=1)
def world_shapes() -> World:
    """Every country's outline as SVG path data in a WIDTH-wide picture (computed once per process)."""
    topology = json.loads((DATA / "countries-110m.json").read_text(encoding="utf-8"))
    with (DATA / "iso_numeric.csv").open(encoding="utf-8") as file:
        numeric = {row["numeric"]: row["iso3"] for row in csv.DictReader(file)}
    (sx, sy), (tx, ty) = topology["transform"]["scale"], topology["transform"]["translate"]
    arcs: list[list[Point]] = []
    for arc in topology["arcs"]:
        x = y = 0
        points = []
        for dx, dy in arc:
            x, y = x + dx, y + dy
            points.append((x * sx + tx, y * sy + ty))
        # Simplified per arc, in degrees, so a border shared by two countries stays one line.
        arcs.append(simplify(points, TOLERANCE_DEGREES))

    features = []
    for geometry in topology["objects"]["countries"]["geometries"]:
        if geometry.get("id") in LEFT_OUT:
            continue
        name = geometry.get("properties", {}).get("name", "")
        iso3 = numeric.get(geometry.get("id") or "", "") or BY_NAME.get(name, "")
        rings = [
            [equal_earth(lon, lat) for lon, lat in part]
            for polygon in _polygons(geometry)
            for ring in polygon
            for part in cut_at_antimeridian(_ring(arcs, ring))
        ]
        features.append((iso3, name, rings))

    xs = [p[0] for _i, _n, rings in features for ring in rings for p in ring]
    ys = [p[1] for _i, _n, rings in features for ring in rings for p in ring]
    scale = (WIDTH - 2 * MARGIN) / (max(xs) - min(xs))
    height = math.ceil((max(ys) - min(ys)) * scale + 2 * MARGIN)
    left, top = min(xs), max(ys)
    shapes = []
    for iso3, name, rings in features:
        placed = [[((px - left) * scale + MARGIN, (top - py) * scale + MARGIN) for px, py in ring] for ring in rings]
        largest = max((_ring_area_centroid(ring) for ring in placed if len(ring) >= 3), default=(0.0, (0.0, 0.0)))
        shapes.append(Shape(iso3=iso3, name=name, path=_path(placed), anchor=largest[1]))
    shapes.sort(key=lambda shape: (shape.iso3 or "~", shape.name))
    return World(width=WIDTH, height=height, shapes=tuple(shape for shape in shapes if shape.path))


def _polygons(geometry: dict) -> list[list[list[int]]]:  # type: ignore[type-arg]
    if geometry["type"] == "Polygon":
        return [geometry["arcs"]]
    if geometry["type"] == "MultiPolygon":
        return list(geometry["arcs"])
    return []


def _ring(arcs: Sequence[Sequence[Point]], indexes: Sequence[int]) -> list[Point]:
    points: list[Point] = []
    for index in indexes:
        arc = arcs[index] if index >= 0 else list(reversed(arcs[~index]))
        points.extend(arc if not points else arc[1:])
    return points


# --- Drawing --------------------------------------------------------------------------------------

NO_DATA_FILL = "#e5e7eb"
BORDER = "#6b7280"
JOURNEY = "#b45309"


def _arc(start: Point, end: Point) -> str:
    """A quadratic curve bowing to the left of the direction of travel."""
    (x1, y1), (x2, y2) = start, end
    mx, my = (x1 + x2) / 2, (y1 + y2) / 2
    dx, dy = x2 - x1, y2 - y1
    bow = 0.25
    cx, cy = mx + dy * bow, my - dx * bow
    return f"M{x1:.0f} {y1:.0f}Q{cx:.0f} {cy:.0f} {x2:.0f} {y2:.0f}"


def render_map(
    *,
    countries: dict[str, MapCountry],
    bins: Sequence[Bin],
    journeys: Sequence[Journey] = (),
    title: str,
    description: str,
    links: bool = True,
    standalone: bool = False,
    element_id: str = "world-map",
) -> str:
    """The map as an ``<svg>`` element (``standalone`` adds the XML namespace for a file of its
    own). Countries in ``countries`` are filled by bin, titled, and linked when ``links``; the
    rest are grey and untitled. ``title`` and ``description`` name the picture for screen readers
    (the data table beside it carries the numbers)."""
    world = world_shapes()
    anchors = world.anchors()
    namespace = ' xmlns="http://www.w3.org/2000/svg"' if standalone else ""
    out = [
        f'<svg{namespace} viewBox="0 0 {world.width} {world.height}" role="img" class="world-map" '
        f'aria-labelledby="{element_id}-title {element_id}-desc">'
        f'<title id="{element_id}-title">{escape(title)}</title><desc id="{element_id}-desc">{escape(description)}</desc>'
        f'<g fill="{NO_DATA_FILL}" stroke="{BORDER}" stroke-width=".5" stroke-linejoin="round" fill-rule="evenodd">'
    ]
    for shape in world.shapes:
        country = countries.get(shape.iso3)
        if country is None:
            out.append(f'<path d="{shape.path}"/>')
            continue
        fill = bins[country.bin_index].fill
        path = f'<path d="{shape.path}" fill="{fill}"/>'
        if links and country.url:
            out.append(f'<a href="{escape(country.url)}"><title>{escape(country.title)}</title>{path}</a>')
        else:
            out.append(f'<path d="{shape.path}" fill="{fill}"><title>{escape(country.title)}</title></path>')
    out.append("</g>")
    drawn = [j for j in journeys if j.origin in anchors and j.destination in anchors and j.origin != j.destination]
    if drawn:
        most = max(journey.count for journey in drawn)
        out.append(
            f'<g fill="none" stroke="{JOURNEY}" stroke-linecap="round" aria-hidden="true" pointer-events="none">'
        )
        for journey in sorted(drawn, key=lambda j: (j.count, j.origin, j.destination)):
            width = 0.8 + 2.2 * math.sqrt(journey.count / most)
            out.append(
                f'<path d="{_arc(anchors[journey.origin], anchors[journey.destination])}" stroke-width="{width:.1f}"/>'
            )
        out.append(f'</g><g fill="{JOURNEY}" aria-hidden="true" pointer-events="none">')
        for host in sorted({journey.destination for journey in drawn}):
            x, y = anchors[host]
            out.append(f'<circle cx="{x:.0f}" cy="{y:.0f}" r="2.5"/>')
        out.append("</g>")
    out.append("</svg>")
    return "".join(out)
