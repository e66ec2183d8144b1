"""The world map's shapes from Natural Earth (world-atlas), and how they are drawn."""

import pytest

from oncoreach.reporting import worldmap
from oncoreach.reporting.worldmap import Bin, Journey, MapCountry

pytestmark = [pytest.mark.unit]


def test_shapes_are_projected_simplified_and_keyed_by_iso3():
    world = worldmap.world_shapes()
    codes = {shape.iso3 for shape in world.shapes}

    assert {"KEN", "PER", "USA", "BRA", "IND", "FJI", "RUS"} <= codes
    assert "ATA" not in codes  # Antarctica is left out
    assert world.width == 960
    assert 400 < world.height < 500
    assert sum(len(shape.path) for shape in world.shapes) < 40_000  # the page stays light
    x, y = world.anchors()["KEN"]
    assert 0 < x < world.width
    assert 0 < y < world.height


def test_simplify_keeps_the_ends_and_drops_points_on_a_line():
    points = [(0.0, 0.0), (1.0, 0.01), (2.0, 0.0), (2.0, 5.0)]

    assert worldmap.simplify(points, 0.1) == [(0.0, 0.0), (2.0, 0.0), (2.0, 5.0)]


def test_render_fills_titles_and_links_countries_and_draws_arcs_without_style():
    svg = worldmap.render_map(
        countries={
            "KEN": MapCountry(name="Kenya", url="/en/countries/kenya/", title="Kenya: 4 people <reached>", bin_index=1)
        },
        bins=[Bin("1", "#111111"), Bin("2", "#222222")],
        journeys=[Journey("USA", "KEN", 2), Journey("KEN", "KEN", 1)],
        title="Map",
        description="A map",
    )

    assert '<a href="/en/countries/kenya/"><title>Kenya: 4 people &lt;reached&gt;</title><path d="' in svg
    assert 'fill="#222222"' in svg
    assert svg.count("<circle") == 1  # one host; a journey within a country is not drawn
    assert "style" not in svg
    assert "<script" not in svg
