"""Person search, the person file and the screening views timed at the scale in EPI_WAREHOUSE_URL.

`python -m bench.person_file [--runs 5]`: each view as its page computes it (queries + the
portal's Python), beside a naive equivalent in the same run, with the ratio; targets at demo
are 100 ms for a search by ID and 500 ms for a view. Writes bench/results/person_file-<scale>.json.
"""

from __future__ import annotations

import argparse
import hashlib
import json
import sys
from pathlib import Path

from bench.suite import naive_sql, unshortcut
from bench.timing import timed
from portal.people import person_file
from portal.tracing import screening
from queries import registry
from warehouse import get_warehouse

HERE = Path(__file__).parent


def run(name, **p):
    return registry.run(name, "", **p)


def subject(wh) -> tuple[int, object]:
    """The busiest person of the first topic (a close contact with screening records and transfers)."""
    pid = int(wh.scalar("SELECT to_person_id FROM epi.contact_edge WHERE to_person_id IN "
                        "(SELECT person_id FROM epi.screening_record WHERE topic_id = 1) "
                        "GROUP BY to_person_id ORDER BY count() DESC, to_person_id LIMIT 1"))
    who = wh.query_df("SELECT id_number, phone, name FROM epi.person WHERE person_id = {p:UInt64}", {"p": pid}).iloc[0]
    return pid, who


def views(wh, pid: int, who) -> list[tuple]:
    """(label, page's way, naive way or None, target ms) for the person-file and screening pages."""
    naive_scan = naive_sql("person_search_normalised_scan")

    # the search by name's naive side is the same query with the name-ordered projection switched
    # off: every name in the registry is read

    def no_index(name: str, **params):
        # the page's own search with the skip indexes switched off: every granule of epi.person is read
        return registry.run(name, "", settings={"use_skip_indexes": 0}, **params)

    def naive_file():
        # the page's statements with no key, index, projection or cache: every granule of every
        # fact table is read (1.33 billion trajectory points at full)
        return (unshortcut("person/basics", person_id=pid),
                person_file.timeline(unshortcut("person/timeline", person_id=pid)))

    def naive_records():
        records = wh.query_df("SELECT * FROM epi.screening_record", {})
        people = wh.query_df("SELECT person_id, id_number, name, phone FROM epi.person", {})
        mine = records[records["topic_id"] == 1].merge(people, on="person_id", how="left")
        return mine

    def naive_topics():
        records = wh.query_df("SELECT topic_id, src_department, person_id, dispatched_at FROM epi.screening_record", {})
        topics = wh.query_df("SELECT topic_id, name, departments FROM epi.screening_topic", {})
        counts = records.groupby(["topic_id", "src_department"]).size().unstack(fill_value=0)
        return topics.merge(counts, left_on="topic_id", right_index=True, how="left")

    def naive_progress():
        records = wh.query_df("SELECT topic_id, district_code, is_primary, dispatched_at, toString(outcome) AS outcome, "
                              "escalated FROM epi.screening_record", {})
        primary = records[records["is_primary"] == 1]
        return primary.groupby(["topic_id", "district_code", "outcome"]).size().unstack(fill_value=0)

    return [
        ("search by ID number", lambda: person_file.search(run, who.id_number.lower()),
         lambda: no_index("person/search_by_id_number", id_number=who.id_number), 100),
        ("search by ID (normalised scan)", lambda: person_file.search(run, who.id_number.lower()),
         lambda: wh.query_df(naive_scan, {"scope": "", "id_number": who.id_number}), 100),
        ("search by phone", lambda: person_file.search(run, f"+86 {who.phone}"),
         lambda: no_index("person/search_by_phone", phone=who.phone), 500),
        ("search by name", lambda: person_file.search(run, who["name"]),
         lambda: registry.run("person/search_by_name", "", settings={"optimize_use_projections": 0},
                              row_cap=person_file.SEARCH_CAP, person_name=who["name"]), 100),
        ("person file (basics + timeline)",
         lambda: (run("person/basics", person_id=pid), person_file.timeline(run("person/timeline", person_id=pid))),
         naive_file, 500),
        ("screening topics", lambda: run("screening/topics"), naive_topics, 500),
        ("screening records of topic 1",
         lambda: screening.records_view(screening.group_records(run("screening/topic_records", topic_id=1))),
         naive_records, 500),
        ("screening progress", lambda: run("screening/progress_by_topic_district"), naive_progress, 500),
    ]


def found(result) -> int:
    """People a search found (the page's search returns what it understood and the rows)."""
    return len(result[1])


def file_figure(result) -> tuple[int, str]:
    """(timeline events, a digest of them in a fixed order): equal on both sides or not."""
    events = sorted(map(tuple, result[1].astype(str).itertuples(index=False)))
    return len(events), hashlib.sha1(repr(events).encode()).hexdigest()[:12]


def suite(wh) -> list:
    """Person search and file, and the screening views, for `python -m bench`."""
    from bench.suite import Case

    pid, who = subject(wh)
    cases = []
    for label, fast, naive, target in views(wh, pid, who):
        area = "screening" if label.startswith("screening") else "person"
        if label.startswith("search"):
            figure, naive_figure, target = found, len, 100
        elif label.startswith("person file"):
            figure, naive_figure = file_figure, None
        else:
            figure, naive_figure = None, None
        case = Case(area, label, fast=fast, naive=naive, target_ms=target,
                    figure=figure or (lambda r: None), naive_figure=naive_figure)
        if label.startswith("person file"):
            case.naive_note = ("the naive side is the page's statements with no key, index, projection or cache: "
                               "every fact table read whole")
        cases.append(case)
    return cases


def main(argv=None) -> int:
    ap = argparse.ArgumentParser(prog="python -m bench.person_file")
    ap.add_argument("--runs", type=int, default=5)
    args = ap.parse_args(argv)
    wh = get_warehouse()
    info = dict(wh.rows("SELECT key, argMax(value, updated_at) FROM epi.dataset_info GROUP BY key"))
    persons = wh.scalar("SELECT count() FROM epi.person")
    pid, who = subject(wh)
    timed(lambda: run("screening/topics"), 1)  # open the tables once so the first view is not a cold start
    views_ = views(wh, pid, who)
    rows = []
    print(f"scale={info.get('scale', '?')}  persons={persons:,}  person_id={pid}")
    for label, fast, naive, target in views_:
        fast_ms, _ = timed(fast, args.runs)
        naive_ms = timed(naive, max(1, args.runs // 2))[0] if naive else None
        ratio = round(naive_ms / fast_ms, 1) if naive_ms else None
        rows.append({"view": label, "ms": round(fast_ms, 1), "target_ms": target, "within_target": fast_ms <= target,
                     "naive_ms": round(naive_ms, 1) if naive_ms else None, "ratio": ratio})
        tail = f"naive {naive_ms:8.1f} ms  ratio {ratio:5.1f}x" if naive_ms else "(no naive baseline)"
        print(f"{label:34s} {fast_ms:8.1f} ms  target {target:4d}  {tail}")
    result = {"scale": info.get("scale", "?"), "persons": persons, "runs": args.runs, "views": rows}
    out = HERE / "results" / f"person_file-{result['scale']}.json"
    out.parent.mkdir(exist_ok=True)
    out.write_text(json.dumps(result, indent=2, ensure_ascii=False), encoding="utf-8")
    return 0 if all(r["within_target"] for r in rows) else 1


if __name__ == "__main__":
    sys.exit(main())
