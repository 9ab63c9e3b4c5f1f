"""Trajectories, companions, the contact chain and the closed loop: hand-made pings with
known answers, and page figures against the raw facts."""

import datetime as dt

import pandas as pd
import pytest

from portal.people import masking
from portal.settings import PortalSettings
from portal.tracing import loop, tracing
from queries import registry

SETTINGS = PortalSettings()
BASE = 9_000_000_000
CASE = "CD-9001"
# a quiet corner outside the synthetic city, so no generated resident can stray in
SPOT = (31.500, 105.500)  # (lat, lon)
NEAR = (31.500, 105.512)  # the next H3 resolution-8 cell east
FAR = (31.800, 105.900)  # the case's home


def away(i: int) -> tuple[float, float]:
    """Somewhere of resident i's own, far from the case and from each other."""
    return (32.0 + 0.1 * i, 106.5)


def T(text: str) -> pd.Timestamp:
    return pd.Timestamp(f"2023-06-{text}")


def ping(person, when, where, place=0):
    return {"person_id": person, "ts": when, "lat": where[0], "lon": where[1], "place_id": place}


PINGS = [
    # the case: at SPOT 10:00-10:30 on 06-09, then far away; its household at home (FAR) at night
    ping(BASE + 1, T("09 10:00"), SPOT), ping(BASE + 1, T("09 10:30"), FAR), ping(BASE + 1, T("09 22:00"), FAR),
    # before the window (window opens 06-04 00:00): the case at SPOT on 06-03 23:40
    ping(BASE + 1, T("03 23:40"), SPOT), ping(BASE + 1, T("04 00:00"), FAR),
    # exactly 10 minutes together: not more than 10, so not a companion
    ping(BASE + 2, T("09 10:20"), SPOT), ping(BASE + 2, T("09 10:30"), away(2)),
    # 11 minutes together: a companion
    ping(BASE + 3, T("09 10:19"), SPOT), ping(BASE + 3, T("09 10:30"), away(3)),
    # the next cell over, the whole time: not a companion
    ping(BASE + 4, T("09 10:00"), NEAR), ping(BASE + 4, T("09 10:40"), away(4)),
    # same cell, just before the window opens: not a companion
    ping(BASE + 5, T("03 23:41"), SPOT), ping(BASE + 5, T("04 00:00"), away(5)),
    # same cell at another time: not a companion
    ping(BASE + 6, T("09 15:00"), SPOT), ping(BASE + 6, T("09 15:30"), away(6)),
    # the case's own household at home with the case at night: a companion, flagged as household
    ping(BASE + 7, T("09 22:00"), FAR), ping(BASE + 7, T("09 23:00"), away(7)),
]


@pytest.fixture(scope="module")
def handmade(wh):
    """Persons, a case and pings in June 2023, outside the story; removed afterwards."""
    people = pd.DataFrame({
        "person_id": [BASE + i for i in range(1, 8)],
        "id_number": [f"51010419900101{i:03d}X" for i in range(1, 8)],
        "name": ["测试甲", "测试乙", "测试丙", "测试丁", "测试戊", "测试己", "测试庚"],
        "sex": ["male"] * 7, "birth_date": [dt.date(1990, 1, 1)] * 7,
        "phone": [f"1990000000{i}" for i in range(1, 8)],
        "community_code": ["510104001001"] * 7, "compound_id": [1] * 7,
        "household_id": [77, 1, 2, 3, 4, 5, 77],
        "is_owner": [0] * 7, "aged_80_plus": [0] * 7, "pregnant": [0] * 7, "dialysis": [0] * 7,
        "disabled": [0] * 7, "infant": [0] * 7,
        "src_department": ["CDC"] * 7, "src_category": ["CDC-01"] * 7, "batch_id": ["test"] * 7,
        "source_row": list(range(7)),
    })
    wh.insert_df("person", people)
    wh.insert_df("case_record", pd.DataFrame([{
        "case_id": CASE, "person_id": BASE + 1, "kind": "confirmed", "generation": 0, "cluster": "测试",
        "found_by": "index", "infector_case": "", "onset_date": dt.date(2023, 6, 8),
        "sampled_at": T("09 12:00").tz_localize("Asia/Shanghai"), "confirmed_at": T("10 08:00").tz_localize("Asia/Shanghai"),
        "isolated_at": T("10 09:00").tz_localize("Asia/Shanghai"), "community_code": "510104001001",
        "src_department": "CDC", "src_category": "CDC-01", "batch_id": "test", "source_row": 0}]))
    points = pd.DataFrame(PINGS).sort_values(["person_id", "ts"])
    # each point lasts until the person's next one (the day's last stays open: 1440)
    following = points.groupby("person_id")["ts"].shift(-1)
    same_day = following.dt.date == points["ts"].dt.date
    points["dwell_minutes"] = ((following - points["ts"]).dt.total_seconds() // 60).where(same_day, 1440).astype(int)
    points = points.assign(
        ts=lambda d: d["ts"].dt.tz_localize("Asia/Shanghai"), source="place_scan", community_code="510104001001",
        src_department="CDC", src_category="CDC-04", batch_id="test", source_row=range(len(PINGS)))
    wh.insert_df("trajectory_point", points[["person_id", "ts", "lon", "lat", "source", "place_id", "dwell_minutes",
                                             "community_code", "src_department", "src_category", "batch_id",
                                             "source_row"]])
    yield
    for table, key in (("trajectory_point", "person_id"), ("trajectory_by_cell", "person_id"),
                       ("person", "person_id"), ("case_record", "person_id")):
        wh.command(f"DELETE FROM epi.{table} WHERE {key} >= {{base:UInt64}}", {"base": BASE})


def companions(**overrides):
    params = dict(window_days=4, resolution=8, min_overlap_minutes=10, max_dwell_minutes=120)
    params.update(overrides)
    return tracing.find_companions(lambda name, **p: registry.run(name, "", **p), [CASE], **params)


def test_the_two_cells_really_are_neighbours(wh):
    assert wh.scalar("SELECT h3Distance(geoToH3(31.5, 105.5, 8), geoToH3(31.5, 105.512, 8))") == 1


def test_companions_follow_the_rule_exactly(handmade):
    found = companions().set_index("person_id")
    assert sorted(found.index) == [BASE + 3, BASE + 7]
    assert found.loc[BASE + 3, "overlap_minutes"] == 11.0
    assert found.loc[BASE + 7, "overlap_minutes"] == 60.0
    assert bool(found.loc[BASE + 7, "same_household"]) and not bool(found.loc[BASE + 3, "same_household"])


def test_companion_settings_change_the_answer(handmade):
    assert sorted(companions(min_overlap_minutes=9)["person_id"]) == [BASE + 2, BASE + 3, BASE + 7]
    # a coarser grid puts the neighbouring cell inside the case's cell
    assert BASE + 4 in set(companions(resolution=6)["person_id"])
    # a wider window reaches back to 06-03 23:41
    assert BASE + 5 in set(companions(window_days=5)["person_id"])


def test_case_points_stay_inside_the_window(handmade):
    points = registry.run("trajectories/case_points", "", case_ids=[CASE], window_days=4)
    assert points["ts"].min() == T("04 00:00")
    assert points["ts"].max() == T("09 22:00")
    assert points["next_ts"].iloc[-2] == T("09 22:00")  # 10:30 far away until 22:00 at home
    assert pd.isna(points["next_ts"].iloc[-1])  # the day's last point stays open


def test_stops_and_shared_places():
    points = pd.DataFrame({
        "case_id": ["A", "A", "B", "B"], "ts": [T("01 09:00"), T("01 09:20"), T("01 12:00"), T("01 18:00")],
        "next_ts": [T("01 09:20"), pd.NaT, T("01 18:00"), pd.NaT], "place_id": [5, 6, 5, 0],
        "place_name": ["火锅店", "超市", "火锅店", ""], "cell": ["x", "y", "x", "z"],
        "lon": [104.0, 104.1, 104.0, 104.2], "lat": [30.6, 30.7, 30.6, 30.8]})
    stays = tracing.stops(points, min_minutes=30, max_dwell_minutes=120)
    assert stays["dwell_minutes"].tolist() == [120.0, 120.0, 120.0]  # 20 min at 09:00 is not a stop
    places = tracing.shared(points, "place_id")
    assert places["place_id"].tolist() == [5] and places["cases"].iloc[0] == ["A", "B"]


def test_case_numbers_typed_by_hand():
    found, unknown = tracing.parse_case_numbers("cd-0001，CD-0002 CD-0002; CD-9999 abc", {"CD-0001", "CD-0002"})
    assert found == ["CD-0001", "CD-0002"] and unknown == ["CD-9999", "abc"]
    with pytest.raises(tracing.SelectionError, match="网格分辨率应在 5–8 之间"):
        tracing.check_range("网格分辨率", 9, 5, 8)
    assert tracing.cap(list("abc"), 2) == (["a", "b"], "共选择 3 例，地图一次最多显示 2 例，已显示确诊最早的 2 例。")
    assert masking.mask_name("欧阳娜娜") == "欧***"


def test_funnel_adds_up_and_matches_raw(wh):
    day = dt.date(2022, 3, 1)
    funnel = registry.run("contacts/funnel_by_unit", "", unit="", grain=6, as_of=day)
    now = [k for k, _ in loop.NOW]
    assert (funnel[now].sum(axis=1) == funnel["identified"]).all()
    raw = wh.query_df("SELECT kind, identified_at, transferred_at, released_at FROM epi.control_episode")
    cut = pd.Timestamp(day + dt.timedelta(days=1))
    close = raw[(raw["kind"] == "close_contact") & (raw["identified_at"] < cut)]
    total = funnel[funnel["kind"] == "close_contact"].sum(numeric_only=True)
    assert int(total["identified"]) == len(close)
    assert int(total["transferred"]) == int((close["transferred_at"] < cut).sum())
    assert int(total["released"]) == int((close["released_at"] < cut).sum())


def test_alerts_match_raw(wh):
    day = dt.date(2022, 2, 27)
    alerts = registry.run("contacts/alerts", "", unit="", as_of=day, with_names=1, transfer_limit_hours=12,
                          close_test_days=[1, 2, 3, 5, 7], secondary_test_days=[1, 4, 7])
    raw = wh.query_df("SELECT kind, identified_at, transferred_at FROM epi.control_episode")
    cut = pd.Timestamp(day + dt.timedelta(days=1))
    stuck = raw[(raw["kind"] == "close_contact") & (raw["identified_at"] < cut - pd.Timedelta(hours=12))
                & (raw["transferred_at"].isna() | (raw["transferred_at"] >= cut))]
    assert (alerts["alert"] == "not_transferred").sum() == len(stuck)
    assert (alerts["alert"] == "missing_test").sum() > 0


def test_transfer_minutes_match_raw(wh):
    moves = registry.run("transfers/case_transfers", "", date_from=dt.date(2022, 2, 10), as_of=dt.date(2022, 3, 20))
    raw = wh.query_df("SELECT c.case_id, t.arrived_at - c.confirmed_at AS total FROM epi.case_record c "
                      "JOIN epi.transfer t ON t.person_id = c.person_id AND t.subject = 'case' "
                      "WHERE c.confirmed_at < '2022-03-21'")
    assert len(moves) == len(raw)
    merged = moves.merge(raw, on="case_id")
    assert (merged["min_total"] * 60 - merged["total"]).abs().max() < 60


def test_chain_counts_by_hop(wh):
    first = registry.run("trajectories/case_list", "")["case_id"].head(3).tolist()
    chain = registry.run("contacts/chain", "", case_ids=first, as_of=dt.date(2022, 3, 20))
    counts = loop.hop_counts(chain).set_index("层级")
    raw = wh.query_df("SELECT hop, uniqExact(to_person_id) AS n FROM epi.contact_edge "
                      "WHERE case_id IN {ids:Array(String)} GROUP BY hop", {"ids": first})
    assert counts.loc["密切接触者", "合计"] == int(raw.loc[raw["hop"] == 1, "n"].iloc[0])
    assert counts.loc["次密切接触者", "合计"] == int(raw.loc[raw["hop"] == 2, "n"].iloc[0])



def test_companions_become_a_screening_topic(wh, tmp_path, monkeypatch):
    from portal.tracing.topics import TopicError, create_topic

    # a store of its own: numbers other tests took from the shared one would leave a gap
    monkeypatch.setenv("EPI_PORTAL_DB", f"sqlite:///{tmp_path / 'portal.sqlite'}")

    window = (dt.datetime(2022, 2, 13), dt.datetime(2022, 2, 20))
    with pytest.raises(TopicError, match="请填写专题名称"):
        create_topic("", "  ", [1, 2], window)
    with pytest.raises(TopicError, match="名单为空"):
        create_topic("", "测试专题", [], window)
    before = wh.scalar("SELECT max(topic_id) FROM epi.screening_topic")
    topic = create_topic("", "CD-0001等时空伴随者", [3, 1, 2, 2], window)
    assert topic == before + 1
    rows = wh.query_df("SELECT person_id, is_primary, src_department, src_category, source_row "
                       "FROM epi.screening_record WHERE topic_id = {t:UInt16} ORDER BY person_id", {"t": topic})
    assert rows["person_id"].tolist() == [1, 2, 3]
    assert set(rows["src_category"]) == {"CDC-07"} and rows["is_primary"].tolist() == [1, 1, 1]
    saved = wh.query_df("SELECT name, window_start FROM epi.screening_topic WHERE topic_id = {t:UInt16}", {"t": topic})
    assert saved["name"].iloc[0] == "CD-0001等时空伴随者"
    assert saved["window_start"].iloc[0] == pd.Timestamp("2022-02-13 00:00:00")  # Beijing time, not shifted


DOT_STRING = r'"((?:[^"\\]|\\.)*)"'


def dot_statements(dot: str) -> list[tuple[str, list[str]]]:
    """Each line of a DOT text as its skeleton (every quoted string emptied) and the strings it
    holds, unescaped as Graphviz reads them."""
    import re

    return [(re.sub(DOT_STRING, '""', line), [re.sub(r'\\(["\\])', r"\1", s) for s in re.findall(DOT_STRING, line)])
            for line in dot.splitlines()]


def test_the_chain_graph_shows_quotes_and_backslashes_as_written():
    """A case number and a name holding a quote and a backslash stay inside their labels: they
    add no attribute and end no string."""
    case = 'CD-"9\\'
    name = '张"三", color="red", URL="http://example.invalid\\'
    chain = pd.DataFrame({"case_id": [case], "hop": [1], "from_person_id": [1], "to_person_id": [2],
                          "found_by": ["household"]})
    statements = dot_statements(loop.chain_dot(chain, {2: name}, {case: 1}, detail_limit=40))
    assert ('"" [label="", shape=doubleoctagon, fillcolor=""];', ["p1", case, "#f4b6b6"]) in statements
    assert ('"" [label="", fillcolor=""];', ["p2", name, "#fde2c6"]) in statements
    # grouped (more edges than the detail limit): the case number is part of the node names
    grouped = dot_statements(loop.chain_dot(pd.concat([chain] * 3), {2: name}, {case: 1}, detail_limit=1))
    assert ('"" -> "";', ["p1", "c" + case]) in grouped
    assert ('"" [label="", fillcolor=""];', ["c" + case, "密接 1 人\\n同住家庭 1", "#fde2c6"]) in grouped


def test_companions_equal_the_naive_self_join(wh):
    """The page's companion search ((cell, hour) slices of the cell copy, intervals in arrays, the
    longest pairs looked up) finds the pairs, and their minutes, of the self-join of every point."""
    from bench.tracing import PARAMS, companions, naive_companions

    cases = registry.run("trajectories/case_list", "")["case_id"].tolist()[:10]
    fast = companions(cases)
    naive = naive_companions(wh, cases)
    assert len(fast) == len(naive) == 320
    got = sorted(zip(fast["case_id"], fast["person_id"].astype(int), fast["overlap_minutes"]))
    want = sorted(zip(naive["case_id"], naive["person_id"].astype(int), (naive["overlap_s"] / 60).round(1)))
    assert got == want
    assert PARAMS["resolution"] == 8
