"""Chart geometry: bars to scale, a round scale top, corridor arcs between real country outlines."""

from __future__ import annotations

import pytest
import shapely

from visa.impact.charts import anchor_points, bar_chart, corridor_lines, nice_top, outline_paths, project


@pytest.mark.parametrize(("largest", "top"), [(0, 1), (1, 1), (3, 5), (7, 10), (10, 10), (11, 20), (420, 500),
                                              (1000, 1000), (1001, 2000)])
def test_scale_top_is_round_and_covers_the_largest_value(largest, top):
    assert nice_top(largest) == top


def test_bars_are_drawn_to_scale_and_a_suppressed_bar_is_flat():
    chart = bar_chart([("Jan", 10), ("Feb", 5), ("Mar", None)], width=340, height=134, axis=40, label_band=24,
                      headroom=10, axis_labels=["J", "F", "M"])
    jan, feb, mar = chart.bars
    assert chart.top == 10 and [b.axis_label for b in chart.bars] == ["J", "F", "M"]
    assert jan.height == pytest.approx(100) and feb.height == pytest.approx(50) and mar.height == 0
    assert chart.ticks == ((110, 0), (60, 5), (10, 10))
    assert jan.y + jan.height == pytest.approx(110) and jan.y == pytest.approx(10)  # on the base line, below the room
    assert [value for _y, value in bar_chart([("Jan", 5)]).ticks] == [0, 5]  # no half of 5 to write
    assert jan.x < feb.x < mar.x
    assert not chart.is_empty
    assert bar_chart([("Jan", 0)]).is_empty


@pytest.fixture(scope="module")
def shapes():
    from geodata import CLAIMS_GEOJSON, COUNTRIES_GEOJSON
    from visa.geo.boundaries import CountryBoundaries

    return CountryBoundaries(COUNTRIES_GEOJSON, CLAIMS_GEOJSON).shapes


def test_world_outline_and_anchors_from_the_country_data(shapes):
    paths = outline_paths(shapes)
    assert len(paths) > 150 and all(p.startswith("M") and p.endswith("Z") for p in paths)
    anchors = anchor_points(shapes)
    lon, lat = anchors["PT"]
    assert -10 < lon < -6 and 37 < lat < 42  # inside mainland Portugal, not out in the Azores
    assert shapes["FR"].contains(shapely.Point(*anchors["FR"]))


def test_corridors_join_the_two_countries_and_scale_their_stroke(shapes):
    anchors = anchor_points(shapes)
    lines = corridor_lines([("PT", "DE", 100), ("DE", "PT", 25), ("PT", "PT", 50), ("PT", "ZZ", 9)], anchors)
    assert [(c.home_country, c.host_country) for c in lines] == [("PT", "DE"), ("DE", "PT")]
    start = project(*anchors["PT"])
    assert lines[0].path.startswith(f"M{start[0]:.1f},{start[1]:.1f}")
    assert lines[0].stroke > lines[1].stroke
