"""Ad-hoc previews timed at the scale in EPI_WAREHOUSE_URL, each beside a naive baseline.

`python -m bench.adhoc [--runs 5]`: each preview as the page computes it (the definition read
against the catalogue, the capped rows and the total count in the warehouse, Chinese headers and
masking), beside fetching the whole table into pandas and filtering, grouping and counting
there; both must give the same figures. Target at demo: 1 s per preview. Writes
bench/results/adhoc-<scale>.json.
"""

from __future__ import annotations

import argparse
import json
import sys
from pathlib import Path

import pandas as pd

from bench.timing import timed
from portal.adhoc import adhoc
from portal.auth.session import Identity
from portal.settings import load_portal_settings
from warehouse import get_warehouse

HERE = Path(__file__).parent
TARGET_MS = 1000
ANALYST = Identity("bench", "analyst", "")
OPERATOR = Identity("bench", "district_operator", "510104")


def _day(col: pd.Series) -> pd.Series:
    return pd.to_datetime(col).dt.strftime("%Y-%m-%d")


def previews():
    """(label, identity, definition, naive over the whole table, the figure to compare)."""
    wh = get_warehouse()

    def samples_week():
        df = wh.query_df("SELECT * FROM epi.sample")
        df = df[_day(df["sampled_at"]).between("2022-03-01", "2022-03-07") & (df["result"] != "pending")]
        df = df.assign(district=df["community_code"].str[:6], purpose=df["purpose"].astype(str))
        out = df.groupby(["district", "purpose"]).agg(m0=("sample_id", "size"), m1=("person_id", "nunique"))
        return out.reset_index()

    def congested_reports():
        df = wh.query_df("SELECT * FROM epi.site_status_report")
        df = df[(df["state"] == "congested") & (df["queue_minutes"] >= 60)]
        out = df.assign(report_day=_day(df["ts"])).groupby("report_day").agg(
            m0=("site_id", "size"), m1=("queue_minutes", "max"))
        return out.reset_index()

    def operator_contacts():
        df = wh.query_df("SELECT * FROM epi.control_episode")
        df = df[df["community_code"].str.startswith("510104") & (_day(df["identified_at"]) == "2022-03-01")]
        return df.groupby(df["kind"].astype(str)).size().rename("m0").reset_index()

    def hourly_positives():
        df = wh.query_df("SELECT * FROM epi.agg_samples_hourly")
        df = df.groupby(["result_day", "sampled_hour", "community_code", "purpose"], as_index=False)[["samples", "positives"]].sum()
        df = df[_day(df["sampled_hour"]).between("2022-03-01", "2022-03-10")]
        return df.groupby("purpose")[["samples", "positives"]].sum().rename(
            columns={"samples": "m0", "positives": "m1"}).reset_index()

    def appeal_rows():
        df = wh.query_df("SELECT * FROM epi.appeal")
        df = df[df["topic"].str.contains("核酸", regex=False)]
        return df.sort_values(["received_at", "appeal_id"], ascending=[False, True]).head(500), len(df)

    return [
        ("samples with a result, one week, by district × purpose (547k rows at demo)", ANALYST,
         {"table": "sample", "group_by": ["district", "purpose"],
          "measures": [{"fn": "count", "field": None}, {"fn": "count_distinct", "field": "person_id"}],
          "filters": [{"field": "sampled_day", "op": "between", "value": ["2022-03-01", "2022-03-07"]},
                      {"field": "result", "op": "ne", "value": "pending"}]},
         samples_week, lambda r: int(r["m0"].sum())),
        ("congested site reports ≥ 60 min by day (848k rows)", ANALYST,
         {"table": "site_status_report", "group_by": ["report_day"],
          "measures": [{"fn": "count", "field": None}, {"fn": "max", "field": "queue_minutes"}],
          "filters": [{"field": "state", "op": "eq", "value": "congested"},
                      {"field": "queue_minutes", "op": "ge", "value": "60"}]},
         congested_reports, lambda r: int(r["m0"].sum())),
        ("an operator's contacts identified on a day, by kind", OPERATOR,
         {"table": "control_episode", "group_by": ["kind"],
          "filters": [{"field": "identified_at", "op": "eq", "value": "2022-03-01"}]},
         operator_contacts, lambda r: int(r["m0"].sum())),
        ("samples and positives by purpose, 10 days (hourly view)", ANALYST,
         {"table": "agg_samples_hourly", "group_by": ["purpose"],
          "measures": [{"fn": "sum", "field": "samples"}, {"fn": "sum", "field": "positives"}],
          "filters": [{"field": "sampled_day", "op": "between", "value": ["2022-03-01", "2022-03-10"]}]},
         hourly_positives, lambda r: int(r["m0"].sum())),
        ("appeals about testing, newest 500 rows", ANALYST,
         {"table": "appeal", "filters": [{"field": "topic", "op": "contains", "value": "核酸"}],
          "order": [{"by": "received_at", "desc": True}]},
         appeal_rows, None),
    ]


def main(argv=None) -> int:
    ap = argparse.ArgumentParser(prog="python -m bench.adhoc")
    ap.add_argument("--runs", type=int, default=5)
    args = ap.parse_args(argv)
    wh = get_warehouse()
    info = dict(wh.rows("SELECT key, argMax(value, updated_at) FROM epi.dataset_info GROUP BY key"))
    cap = load_portal_settings().adhoc_preview_rows
    names = adhoc.unit_names("")  # cached once per data version on the page
    rows = []
    print(f"scale={info.get('scale', '?')}  preview cap={cap}  runs={args.runs}")
    for label, identity, definition, naive, figure in previews():
        def page():
            query = adhoc.parse(definition, identity)
            result = adhoc.fetch(query, identity.scope, cap)
            return result, adhoc.shown(query, result.rows, False, names)

        page_ms, (result, _) = timed(page, args.runs)
        naive_ms, naive_out = timed(naive, max(1, args.runs // 2))
        if figure:
            same = figure(result.rows) == figure(naive_out) and result.total == len(naive_out)
            shown_figure = f"{figure(result.rows):,}"
        else:
            top, total = naive_out
            same = result.rows["appeal_id"].tolist() == top["appeal_id"].tolist() and result.total == total
            shown_figure = f"{result.total:,} rows"
        ratio = round(naive_ms / page_ms, 1)
        rows.append({"preview": label, "ms": round(page_ms, 1), "naive_ms": round(naive_ms, 1), "ratio": ratio,
                     "figure": shown_figure, "same": same, "within_target": page_ms <= TARGET_MS})
        print(f"{label:74s} {page_ms:8.1f} ms  naive {naive_ms:8.1f} ms  {ratio:5.1f}x  {shown_figure:>12s}"
              f"  {'same' if same else 'DIFFERENT'}")
    result = {"scale": info.get("scale", "?"), "cap": cap, "runs": args.runs, "previews": rows}
    out = HERE / "results" / f"adhoc-{result['scale']}.json"
    out.parent.mkdir(exist_ok=True)
    out.write_text(json.dumps(result, indent=2, ensure_ascii=False), encoding="utf-8")
    return 0 if all(r["within_target"] and r["same"] for r in rows) else 1


if __name__ == "__main__":
    sys.exit(main())
