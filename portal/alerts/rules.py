"""The alert rules: one registry of what the alert centre watches, each rule with its Chinese
name, what it watches, the setting that is its threshold, its severity, the role that owns it
and how its subjects are found at an as-of moment.

Every rule yields one row per alert subject: `subject_key` (e.g. person:123, site:HS-510104-0001),
`area_code` (the community, street or district it belongs to; '' for the whole city), `value`
(the current figure against the threshold) and `detail` (one Chinese sentence).

A rule is one entry in RULES and, by default, one query `queries/alerts/<rule id>.sql` returning
those four columns, with {scope:String} and whatever `params` gives. Where a page already
defines the condition (contacts, hotels, sites, appeals, feeds), the rule calls that page's
query or portal function through `collect` instead of restating it, so the alert and the page
cannot disagree.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Callable
from dataclasses import dataclass
from typing import Any

import numpy as np
import pandas as pd

from portal.analysis import outlook
from portal.command import appeals, sources
from portal.settings import PortalSettings
from portal.testing import sampling
from portal.tracing import quarantine

SEVERITIES = ("严重", "警告", "提示")  # most urgent first
SUBJECT_COLUMNS = ["subject_key", "area_code", "value", "detail"]


@dataclass(frozen=True)
class When:
    """An as-of moment (Beijing wall clock). Rules on day figures read the state at 24:00 of
    `day`, the last whole day up to the moment (the queries they share with the pages count at
    24:00); rules on hours read up to the end of `hour`, the last hour begun before the moment;
    rules on moments (emergency appeals, marks, feeds) read at the moment itself."""

    moment: dt.datetime

    @classmethod
    def parse(cls, text: str) -> When:
        """'YYYY-MM-DD' (24:00 of that day) or 'YYYY-MM-DDTHH:MM'; ValueError otherwise."""
        text = text.strip()
        if len(text) == 10:
            return cls.end_of(dt.date.fromisoformat(text))
        moment = dt.datetime.strptime(text, "%Y-%m-%dT%H:%M")
        return cls(moment)

    @classmethod
    def end_of(cls, day: dt.date) -> When:
        return cls(dt.datetime.combine(day + dt.timedelta(days=1), dt.time()))

    @property
    def _last_second(self) -> dt.datetime:
        return self.moment - dt.timedelta(seconds=1)

    @property
    def day(self) -> dt.date:
        return (self.moment - dt.timedelta(days=1)).date()

    @property
    def hour_day(self) -> dt.date:
        """The day of `hour` (the moment's own day; the day before at midnight)."""
        return self._last_second.date()

    @property
    def hour(self) -> int:
        return self._last_second.hour

    @property
    def at(self) -> str:
        return self.moment.strftime("%Y-%m-%d %H:%M:%S")

    @property
    def label(self) -> str:
        if self.moment.time() == dt.time():
            return f"{self.day:%Y-%m-%d} 24:00"
        return self.moment.strftime("%Y-%m-%d %H:%M")


Run = Callable[..., pd.DataFrame]


@dataclass(frozen=True)
class Rule:
    id: str
    name: str  # Chinese
    watches: str  # Chinese: what it watches
    threshold: str  # the PortalSettings field that is its threshold
    severity: str  # 提示, 警告 or 严重
    owner: str  # the role that owns it (portal.glossary.ROLES)
    params: Callable[[PortalSettings, When], dict[str, Any]] = lambda s, w: {}
    collect: Callable[[Run, PortalSettings, When], pd.DataFrame] | None = None
    city_only: bool = False  # reads city-level data only (feeds): evaluated for the whole city

    @property
    def query(self) -> str:
        return f"alerts/{self.id}"

    def evaluate(self, run: Run, settings: PortalSettings, when: When) -> pd.DataFrame:
        """The rule's subjects at the moment: subject_key, area_code, value, detail."""
        if self.collect is not None:
            found = self.collect(run, settings, when)
        else:
            found = run(self.query, **self.params(settings, when))
        found = found.reindex(columns=SUBJECT_COLUMNS)
        return found.assign(subject_key=found["subject_key"].astype(str), area_code=found["area_code"].fillna("").astype(str),
                            value=pd.to_numeric(found["value"], errors="coerce").astype(float),
                            detail=found["detail"].fillna("").astype(str)).drop_duplicates("subject_key").reset_index(drop=True)


def _empty() -> pd.DataFrame:
    return pd.DataFrame(columns=SUBJECT_COLUMNS)


# -- rules that call a page's own query or function ---------------------------------------------

def _contact_alerts(run: Run, settings: PortalSettings, when: When) -> pd.DataFrame:
    """queries/contacts/alerts.sql, as the contacts page reads it (pages/contacts.py)."""
    return run("contacts/alerts", unit="", as_of=when.day, with_names=0, transfer_limit_hours=settings.transfer_limit_hours,
               close_test_days=list(settings.close_test_days), secondary_test_days=list(settings.secondary_test_days))


def _not_transferred(run: Run, settings: PortalSettings, when: When) -> pd.DataFrame:
    df = _contact_alerts(run, settings, when)
    df = df[df["alert"] == "not_transferred"]
    if df.empty:
        return _empty()
    # whole hours since identification (the query's detail counts hour boundaries crossed)
    end = pd.Timestamp(when.day + dt.timedelta(days=1))
    hours = ((end - pd.to_datetime(df["identified_at"])).dt.total_seconds() // 3600).astype(float)
    return pd.DataFrame({
        "subject_key": "person:" + df["person_id"].astype(str),
        "area_code": df["home_community_code"].astype(str),
        "value": hours,
        "detail": [f"病例 {c} 的密接（人员编号 {p}）于 {pd.Timestamp(t):%m-%d %H:%M} 判定，{int(h)} 小时未转运"
                   for c, p, t, h in zip(df["case_id"], df["person_id"], df["identified_at"], hours)],
    })


def _test_missed(run: Run, settings: PortalSettings, when: When) -> pd.DataFrame:
    df = _contact_alerts(run, settings, when)
    df = df[df["alert"] == "missing_test"]
    if df.empty:
        return _empty()
    # the protocol days each person missed, in order: each day counted in its own 4 bits of one
    # integer (a day missed in two episodes counts twice), summed by person with no Python per
    # row; the few distinct sums are worded once each
    days = pd.to_numeric(df["detail"]).astype("int64").to_numpy()
    if days.max() >= 16:
        raise ValueError(f"protocol day {days.max()} does not fit the day counts (days 0-15)")
    by_person = (pd.DataFrame({"person_id": df["person_id"].to_numpy(), "area": df["home_community_code"].astype(str),
                               "counts": np.left_shift(np.int64(1), 4 * days)})
                 .groupby(["person_id", "area"], sort=True)["counts"].agg(["sum", "size"]).reset_index())
    words = {c: "、".join(str(d) for d in range(16) for _ in range((c >> (4 * d)) & 15))
             for c in by_person["sum"].unique().tolist()}
    return pd.DataFrame({
        "subject_key": "person:" + by_person["person_id"].astype(str),
        "area_code": by_person["area"],
        "value": by_person["size"].astype(float),
        "detail": [f"管控人员（人员编号 {p}）缺第 {words[c]} 天核酸检测"
                   for p, c in zip(by_person["person_id"].tolist(), by_person["sum"].tolist())],
    })


def _hotel_full(run: Run, settings: PortalSettings, when: When) -> pd.DataFrame:
    """The quarantine page's hotels over the occupancy warning line (portal.tracing.quarantine)."""
    df = quarantine.hotels(run, settings, "", when.day)
    df = df[df["over_threshold"]]
    return pd.DataFrame({
        "subject_key": "hotel:" + df["hotel_id"].astype(str),
        "area_code": df["community_code"].astype(str),
        "value": df["occupancy_pct"],
        "detail": [f"{n}：入住 {s}/{r} 间（{p}%）" for n, s, r, p in
                   zip(df["hotel_name"], df["staying"], df["rooms"], df["occupancy_pct"])],
    })


def _site_congested(run: Run, settings: PortalSettings, when: When) -> pd.DataFrame:
    """Sites the mass-testing command view shows as congested at the hour: the last report of
    the day up to the hour (mass/site_states.sql) re-read against the wait thresholds, replaced
    by a site lead's mark within its fresh window before the moment (mass/live_marks.sql) —
    portal.testing.sampling.current_states, as pages/mass_testing.py calls it."""
    sites = run("mass/site_states", unit="", day=when.hour_day, hour=when.hour)
    since = (when.moment - dt.timedelta(minutes=settings.mark_fresh_minutes)).strftime("%Y-%m-%d %H:%M:%S")
    fresh = run("mass/live_marks", since=since)
    fresh = fresh[pd.to_datetime(fresh["marked_at"]) <= pd.Timestamp(when.moment)]
    states = sampling.current_states(sites, fresh, settings)
    df = states[states["state"] == "congested"]
    how = {"report": "上报", "mark": "负责人标记"}
    return pd.DataFrame({
        "subject_key": "site:" + df["site_code"].astype(str),
        "area_code": df["community_code"].astype(str),
        "value": df["queue_minutes"].astype(float),
        "detail": [f"{n}：{pd.Timestamp(t):%H:%M} {how.get(s, s)}排队 {int(q)} 分钟" for n, t, s, q in
                   zip(df["site_name"], df["reported_at"], df["source"], df["queue_minutes"])],
    })


def _results_pending(run: Run, settings: PortalSettings, when: When) -> pd.DataFrame:
    """The cockpit's 'results pending past pending_hours_b' (cockpit/samples_by_unit.sql) by district."""
    df = run("cockpit/samples_by_unit", unit="", grain=6, as_of=when.day,
             pending_a=settings.pending_hours_a, pending_b=settings.pending_hours_b)
    df = df[df["pending_b"] > 0]
    return pd.DataFrame({
        "subject_key": "district:" + df["unit_code"].astype(str),
        "area_code": df["unit_code"].astype(str),
        "value": df["pending_b"].astype(float),
        "detail": [f"{int(n):,} 管样本采样超过 {settings.pending_hours_b} 小时仍未出结果" for n in df["pending_b"]],
    })


def _appeal_overdue(run: Run, settings: PortalSettings, when: When) -> pd.DataFrame:
    """The appeals page's overdue list (appeals/overdue_list.sql, working-day limits)."""
    df = run("appeals/overdue_list", unit="", as_of=when.day, **appeals.limit_params(settings, when.day))
    return pd.DataFrame({
        "subject_key": "appeal:" + df["appeal_id"].astype(str),
        "area_code": df["community_code"].astype(str),
        "value": df["worked_days"].astype(float),
        "detail": [f"诉求 {a}（{t}）已办理 {w} 个工作日，时限 {limit} 个工作日" for a, t, w, limit in
                   zip(df["appeal_id"], df["topic"], df["worked_days"], df["limit_days"])],
    })


def _feed_stale(run: Run, settings: PortalSettings, when: When) -> pd.DataFrame:
    """The sources page's stale categories (portal.command.sources.freshness) at the moment."""
    df = sources.freshness(run, settings, now=pd.Timestamp(when.moment))
    df = df[df["state"] == "stale"]
    return pd.DataFrame({
        "subject_key": "category:" + df["category_code"].astype(str),
        "area_code": "",
        "value": df["age_hours"].round(1),
        "detail": [f"{d}·{c}：{h:,.1f} 小时没有新批次" for d, c, h in zip(df["department"], df["category"], df["age_hours"])],
    })


def _topic_rising(run: Run, settings: PortalSettings, when: When) -> pd.DataFrame:
    """The appeals page's rising topics (portal.command.appeals.rising_topics) across the city."""
    volume = run("appeals/volume_by_day", unit="", date_from=when.day - dt.timedelta(days=settings.appeal_rising_days),
                 as_of=when.day)
    rising = appeals.rising_topics(volume, when.day, settings)
    topic, today, mean, ratio = rising.columns
    return pd.DataFrame({
        "subject_key": "topic:" + rising[topic].astype(str),
        "area_code": "",
        "value": rising[today].astype(float),
        "detail": [f"话题“{t}”当日 {n} 件，前{settings.appeal_rising_days}日日均 {m} 件" + (f"（{r} 倍）" if r else "")
                   for t, n, m, r in zip(rising[topic], rising[today], rising[mean], rising[ratio])],
    })


def _community_case(run: Run, settings: PortalSettings, when: When) -> pd.DataFrame:
    """Communities with a case found in the community (社会面) on the day: the cockpit's split
    (queries/analysis/case_origin_by_unit.sql) at community grain."""
    df = run("analysis/case_origin_by_unit", unit="", grain=12, date_from=when.day, as_of=when.day)
    df = df[df["community"] > 0]
    return pd.DataFrame({
        "subject_key": "community_case:" + df["unit_code"].astype(str) + f":{when.day:%Y-%m-%d}",
        "area_code": df["unit_code"].astype(str),
        "value": df["community"].astype(float),
        "detail": [f"{when.day:%m月%d日}新增社会面病例 {int(n)} 例，所在区（市）县的社会面清零重新计算"
                   for n in df["community"]],
    })


def _rt_above(run: Run, settings: PortalSettings, when: When) -> pd.DataFrame:
    """Districts whose Rt on the day (the 疫情研判 page's estimate, portal.analysis.outlook) has the
    lower bound of its 95% credible interval above the line."""
    first = when.day - dt.timedelta(days=settings.rt_alert_history_days)
    rows = []
    for s in outlook.areas(run, settings, "", {}, first, when.day)[1:]:
        today = s.rt.iloc[-1]
        if bool(today["reported"]) and today["rt_lo"] > settings.rt_alert_lower_bound:
            rows.append({"subject_key": f"rt:{s.code}", "area_code": s.code, "value": round(float(today["rt_lo"]), 2),
                         "detail": f"Rt {today['rt_mean']:.2f}（95%可信区间 {today['rt_lo']:.2f}–{today['rt_hi']:.2f}），"
                                   f"窗口内 {int(today['window_cases'])} 例"})
    return pd.DataFrame(rows, columns=SUBJECT_COLUMNS)


RULES: dict[str, Rule] = {r.id: r for r in [
    Rule("contact_not_transferred", "密接超时未转运", "判定后超过时限仍未转运的密切接触者",
         "transfer_limit_hours", "严重", "district_operator", collect=_not_transferred),
    Rule("quarantine_test_missed", "管控人员漏检", "集中隔离、居家隔离人员在规定检测日缺核酸检测",
         "close_test_days", "警告", "district_operator", collect=_test_missed),
    Rule("hotel_full", "隔离酒店将满", "入住率超过预警线的集中隔离酒店",
         "hotel_occupancy_warn_pct", "警告", "district_operator", collect=_hotel_full),
    Rule("site_congested", "采样点拥堵", "上报排队达到拥堵线或负责人标记拥堵的采样点",
         "congested_minutes", "警告", "district_operator", collect=_site_congested),
    Rule("results_pending", "检测结果超时未出", "采样超过时限仍未出结果的样本管（按区县）",
         "pending_hours_b", "警告", "analyst", collect=_results_pending),
    Rule("appeal_emergency_late", "紧急诉求超时未办", "受理后超过时限仍未处置的紧急诉求",
         "appeal_emergency_hours", "严重", "district_operator",
         params=lambda s, w: {"at": w.at, "emergency_hours": s.appeal_emergency_hours}),
    Rule("appeal_overdue", "诉求超期未办结", "超过办理时限（工作日）仍未办结的诉求",
         "appeal_limit_days", "提示", "district_operator", collect=_appeal_overdue),
    Rule("feed_stale", "数据源停更", "超过时限没有新批次的数据源类别",
         "feed_stale_hours", "提示", "analyst", collect=_feed_stale, city_only=True),
    Rule("appeal_topic_rising", "诉求话题上升", "当日件数明显高于此前日均的诉求话题（全市）",
         "appeal_rising_ratio", "提示", "leadership", collect=_topic_rising),
    Rule("community_case", "新增社会面病例", "当日确诊时不在管控中的病例（按社区）",
         "community_zero_days", "严重", "district_operator", collect=_community_case),
    Rule("rt_above_one", "区县 Rt 超过 1", "有效再生数 95% 可信区间下限超过预警线的区（市）县",
         "rt_alert_lower_bound", "警告", "leadership", collect=_rt_above),
]}


def threshold_text(rule: Rule, settings: PortalSettings) -> str:
    """The rule's threshold as shown: the setting's label and its value."""
    import dataclasses

    field = {f.name: f for f in dataclasses.fields(PortalSettings)}[rule.threshold]
    value = getattr(settings, rule.threshold)
    if isinstance(value, dict):
        value = "，".join(f"{k} {v}" for k, v in value.items())
    elif isinstance(value, tuple):
        value = "、".join(map(str, value))
    return f"{field.metadata.get('label', rule.threshold)}：{value}"


def rules_table() -> str:
    """The registry as the Markdown table of the operations guide's alert section."""
    import dataclasses

    from portal.glossary import ROLES

    fields = {f.name: f for f in dataclasses.fields(PortalSettings)}
    rows = ["| rule | 名称 | 级别 | 负责角色 | threshold setting | variable |", "|---|---|---|---|---|---|"]
    for r in RULES.values():
        env = fields[r.threshold].metadata.get("env") or "—"
        env = env if env == "—" else f"`{env}`"
        rows.append(f"| `{r.id}` | {r.name} | {r.severity} | {ROLES[r.owner]} | `{r.threshold}` "
                    f"({fields[r.threshold].metadata['label']}) | {env} |")
    return "\n".join(rows) + "\n"
