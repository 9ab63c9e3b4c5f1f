"""The portal's shared caches: many sessions missing the same query at once reach the engine once,
and a page part (figure, map, table) is built once per jurisdiction, data version and parameters
for every session — unless EPI_VIEW_CACHE=0."""

import datetime as dt
import threading
import uuid

from portal import data

DAY = dt.date(2022, 3, 1)


def _at_once(n: int, fn) -> list:
    """Run fn in n threads released together; their results in thread order."""
    gate, out = threading.Barrier(n), [None] * n

    def work(i):
        gate.wait()
        out[i] = fn()

    threads = [threading.Thread(target=work, args=(i,)) for i in range(n)]
    for t in threads:
        t.start()
    for t in threads:
        t.join(timeout=120)
    return out


def test_sessions_missing_the_same_query_at_once_run_it_once(wh):
    params = {"unit": "", "grain": 6, "as_of": DAY}
    data.QueryRunner("", "warm-" + uuid.uuid4().hex)("cockpit/control_now_by_unit", **params)  # column types read
    version = "fresh-" + uuid.uuid4().hex  # a data version no cache has seen: every session misses
    before = wh.calls
    frames = _at_once(12, lambda: data.QueryRunner("", version)("cockpit/control_now_by_unit", **params))
    assert wh.calls - before == 1
    assert all(f.equals(frames[0]) for f in frames) and len(frames[0]) > 0


def _counting_part():
    built = []

    def part(run, unit, day):
        built.append((run.data_version, unit, day))
        return run("cockpit/daily_trend", unit=unit, date_from=day - dt.timedelta(days=7), as_of=day)

    return built, data.shared(part)


def test_a_part_is_built_once_for_every_session_and_again_for_new_data(wh):
    built, part = _counting_part()
    version = "v-" + uuid.uuid4().hex
    sessions = [data.QueryRunner("", version) for _ in range(3)]
    values = [part(run, "510104", DAY) for run in sessions]
    assert len(built) == 1 and values[0] is values[1] is values[2]
    # each session's "computed at" note names the query the part read, as if it had run it
    stamps = {run.computed("cockpit/daily_trend") for run in sessions}
    assert len(stamps) == 1 and None not in stamps
    part(sessions[0], "510107", DAY)
    part(data.QueryRunner("", version + "-next"), "510104", DAY)
    part(data.QueryRunner("510104", version), "510104", DAY)  # another jurisdiction
    assert len(built) == 4


def test_with_the_view_cache_off_every_call_builds(wh, monkeypatch):
    monkeypatch.setenv("EPI_VIEW_CACHE", "0")
    built, part = _counting_part()
    run = data.QueryRunner("", "off-" + uuid.uuid4().hex)
    first, second = part(run, "510104", DAY), part(run, "510104", DAY)
    assert len(built) == 2 and first is not second and first.equals(second)
