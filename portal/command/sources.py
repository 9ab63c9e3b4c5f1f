"""Where the figures come from: department file batches, each category's freshness, and the
one-line stale-feed warning the cockpit shows."""

from __future__ import annotations

import tempfile
from pathlib import Path

import pandas as pd

from portal.data import QueryRunner, data_range, shared
from portal.glossary import BATCH_STATUS, FEED_STATES, THEME_TABLES
from portal.people import masking
from portal.settings import PortalSettings
from queries.feeds import CATEGORIES, DEPARTMENT_NAMES, LABELS, LoadReport, load_file
from warehouse.rules.clock import now_beijing


def _now() -> pd.Timestamp:
    return pd.Timestamp(now_beijing().replace(tzinfo=None))


def data_clock(df: pd.DataFrame, wall: pd.Timestamp) -> pd.Timestamp:
    """The moment feeds are judged at: now, or for a generated dataset (whose story stops at its
    last day) 24:00 of that day when that is earlier, so its daily files read as current."""
    end = df["data_end"].dropna() if "data_end" in df else pd.Series(dtype=object)
    if end.empty:
        return wall
    return min(wall, pd.Timestamp(end.iloc[0]) + pd.Timedelta(days=1))


def freshness(run: QueryRunner, settings: PortalSettings, now: pd.Timestamp | None = None) -> pd.DataFrame:
    """Every category with its state: fresh, stale (no complete batch for the set hours) or never fed."""
    df = run("sources/freshness_by_category")
    now = now or data_clock(df, _now())
    last = pd.to_datetime(df["last_loaded_at"])
    age_h = ((now - last).dt.total_seconds() / 3600).clip(lower=0)  # a file loaded after a generated story ends
    df["age_hours"] = age_h
    df["state"] = "never"
    df.loc[last.notna(), "state"] = "fresh"
    df.loc[last.notna() & (age_h > settings.feed_stale_hours), "state"] = "stale"
    return df


def by_department(fresh: pd.DataFrame) -> pd.DataFrame:
    """Per department: categories, those fed by files, batches, rows loaded and rejected, last load."""
    return (fresh.assign(fed=fresh["state"] != "never", stale=fresh["state"] == "stale")
            .groupby(["department_code", "department"], as_index=False)
            .agg(categories=("category_code", "size"), fed=("fed", "sum"), stale=("stale", "sum"),
                 batches=("batches", "sum"), rows_loaded=("rows_loaded", "sum"),
                 rows_rejected=("rows_rejected", "sum"), last_loaded_at=("last_loaded_at", "max")))


def stale_line(run: QueryRunner, settings: PortalSettings) -> str | None:
    """One sentence naming the stale feeds, or None when every fed category is fresh: written
    once a minute for every session (a feed goes stale after hours, not seconds)."""
    return _stale_line(run, settings, _now().floor("min"))


@shared
def _stale_line(run: QueryRunner, settings: PortalSettings, minute: pd.Timestamp) -> str | None:
    fresh = freshness(run, settings, data_clock(run("sources/freshness_by_category"), minute))
    stale = fresh[fresh["state"] == "stale"]
    if stale.empty:
        return None
    names = "、".join(f"{r.department}·{r.category}" for r in stale.head(3).itertuples())
    more = f"等 {len(stale)} 类" if len(stale) > 3 else ""
    return (f"数据源提醒：{names}{more}已超过 {settings.feed_stale_hours} 小时没有新批次，"
            f"相关指标可能滞后（详见“数据来源”）。")


def state_label(state: str) -> str:
    return FEED_STATES[state]


def state_order(values: pd.Series) -> pd.Series:
    """Sort key: stale feeds first, then fresh ones, then categories never fed."""
    return values.map({"stale": 0, "fresh": 1, "never": 2}) if values.name == "state" else values


def department_table(depts: pd.DataFrame) -> pd.DataFrame:
    """The departments as listed: by code, last load in Beijing minutes."""
    return depts.sort_values("department_code").assign(last_loaded_at=when(depts["last_loaded_at"]))


def category_table(fresh: pd.DataFrame, department: str = "") -> pd.DataFrame:
    """The categories (of one department, or all) as listed: stale first, states and tables in words."""
    cats = fresh if not department else fresh[fresh["department_code"] == department]
    cats = cats.sort_values(["state", "category_code"], key=state_order)
    cats = cats.assign(feed_state=cats["state"].map(state_label),
                       target_table=cats["target_table"].map(lambda t: THEME_TABLES.get(t, t)),
                       last_loaded_at=when(cats["last_loaded_at"]),
                       age_hours=cats["age_hours"].map(lambda h: "—" if pd.isna(h) else f"{h:,.1f}"))
    return cats[["category_code", "category", "department", "target_table", "feed_state", "batches", "rows_loaded",
                 "rows_rejected", "last_loaded_at", "age_hours"]]


def batch_table(batches: pd.DataFrame) -> pd.DataFrame:
    """The batches as listed: status in words (a generated dataset's files too), finish time in
    Beijing minutes."""
    listed = batches.assign(status=batches["status"].map(lambda s: BATCH_STATUS.get(s, s)),
                            file_format=batches["file_format"].replace({"seed": "种子生成"}),
                            finished_at=when(batches["finished_at"]))
    return listed[["file_name", "category", "status", "rows_read", "rows_loaded", "rows_rejected", "finished_at",
                   "department", "category_code", "file_format", "encoding", "message", "batch_id"]]


def reject_table(rejects: pd.DataFrame, category_code: str, clear: bool = False) -> pd.DataFrame:
    """Rejected rows as listed: the column named as departments know it, the raw text masked
    (names where the category's layout puts them, ID numbers and phones anywhere) unless
    `clear` (from masking.reveal())."""
    fields = raw_fields(category_code)
    raw = rejects["raw"] if clear else rejects["raw"].map(lambda text: masking.mask_raw(text, fields))
    return rejects.assign(column_name=rejects["column_name"].map(column_label), raw=raw)[
        ["row_number", "column_name", "reason", "raw"]]


def raw_fields(category_code: str) -> tuple[str, ...]:
    """The fields of a category's files in layout order (how a rejected line is read)."""
    category = CATEGORIES.get(category_code)
    layout = category.layout if category is not None else None
    return layout.columns if layout is not None else ()


def when(times: pd.Series) -> pd.Series:
    """Times as minutes in Beijing time, a dash where there is none."""
    return pd.to_datetime(times).dt.strftime("%Y-%m-%d %H:%M").fillna("—")


def column_label(column: str) -> str:
    """A file column as the Chinese header departments use, with the column name."""
    return f"{LABELS[column]}（{column}）" if column in LABELS else ("整行" if column == "(整行)" else column)


LOADING_ROLES = ("analyst", "admin")  # who may load a department's file through the portal
LOADABLE = {code: c for code, c in CATEGORIES.items() if c.layout is not None}


def category_label(code: str) -> str:
    c = LOADABLE[code]
    return f"{c.code} {c.name}（{DEPARTMENT_NAMES[c.department]} → {THEME_TABLES.get(c.table, c.table)}）"


def load_upload(category_code: str, file_name: str, data: bytes, on_chunk=None) -> LoadReport:
    """Load an uploaded file into its category's theme table, in this process (the embedded
    engine lets only the portal's process open the folder, so this is how a file loads while the
    portal runs). The file keeps its own name, whose extension says its format."""
    category = LOADABLE[category_code]
    with tempfile.TemporaryDirectory(prefix="epi-upload-") as folder:
        path = Path(folder) / Path(file_name).name
        path.write_bytes(data)
        report = load_file(category, path, on_chunk=on_chunk)
    if report.status == "complete":
        data_range.clear()  # the load bumped the data version: every session reads fresh figures
    return report


def load_summary(report: LoadReport) -> tuple[bool, str]:
    """(succeeded, one line in Chinese) for a load's report."""
    name = report.file.name
    if report.status == "refused":
        return False, f"{name} 未载入：{'；'.join(report.notes)}。请按提示修改文件后重新载入。"
    if report.status == "already_loaded":
        return True, f"{name} 此前已载入（批次 {report.batch_id}），未重复写入。"
    return True, (f"{name} 已载入批次 {report.batch_id}：读取 {report.read:,} 行 = 载入 {report.loaded:,} 行 + "
                  f"拒收 {report.rejected:,} 行。")
