"""预警中心: alert instances in the portal's relational store (portal.auth.store, table `alert`).

A check evaluates every rule at an as-of moment (portal.alerts.rules) and brings the store in
line with it, so running it twice changes nothing:
- a subject a rule finds with no live instance → a new alert (state new);
- a subject it finds again → its last seen, value and detail are brought up to date;
- a live instance its rule no longer finds → 已解除 (cleared by itself), only when the rule ran;
- a new alert nobody acknowledged for `alert_escalate_minutes` (counted from its first seen
  moment) goes one level up — street → district → city — per period, and shows so.
People acknowledge a new alert and mark an acknowledged one handled, with a note, within their
jurisdiction (operators: area code under their scope; leadership: anywhere). Every change of
state is written to the audit log.
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass, field

import pandas as pd
from sqlalchemy import func, insert, select, update
from sqlalchemy.exc import IntegrityError

from portal.alerts.rules import RULES, SEVERITIES, Rule, When, threshold_text
from portal.auth import audit, store
from portal.auth.identity import Identity
from portal.errors import EpiError
from portal.settings import PortalSettings
from warehouse.rules.clock import now_utc, now_wall, wall_clock

table = store.alerts
checks = store.alert_checks

STATES = {"new": "待确认", "acknowledged": "已确认", "handled": "已处置", "cleared": "已解除"}
LIVE = ("new", "acknowledged", "handled")  # one live instance per rule and subject at most
OPEN = ("new", "acknowledged")  # what the cockpit counts as open
LEVELS = {0: "街道", 1: "区县", 2: "市级"}
ESCALATED = {1: "已升级至区县", 2: "已升级至市级"}
CHECKER = Identity("预警检查", "system", "")  # who the scheduled check's audit events name
ACTORS = ("leadership", "district_operator")  # roles that may acknowledge and handle


class AlertError(EpiError, ValueError):
    """An acknowledgement or handling that cannot be done; str() says why, in Chinese."""


@dataclass
class CheckReport:
    """What one check did: new and escalated alerts (as printed lines), rules that failed."""

    when: When
    new: list[str] = field(default_factory=list)
    escalated: list[str] = field(default_factory=list)
    updated: int = 0
    cleared: int = 0
    failed: dict[str, str] = field(default_factory=dict)  # rule id → error


def default_when(last_day) -> When:
    """Now (Beijing wall clock, to the minute), or 24:00 of the last day with data if earlier."""
    end = When.end_of(pd.Timestamp(last_day).date())
    now = now_wall().replace(second=0)
    return When(now) if now < end.moment else end


def base_level(area_code: str) -> int:
    """The level that handles an alert first: a street for a community or street, a district
    for a district, the city for the whole city."""
    return {0: 2, 6: 1}.get(len(area_code or ""), 0)


def level_due(area_code: str, first_seen: dt.datetime, moment: dt.datetime, escalate_minutes: int) -> int:
    """The level a still unacknowledged alert has reached at `moment`: one up per period."""
    periods = int((moment - first_seen).total_seconds() // (60 * escalate_minutes)) if escalate_minutes > 0 else 0
    return min(2, base_level(area_code) + max(0, periods))


def check(run, settings: PortalSettings, when: When, rules: dict[str, Rule] | None = None,
          scope: str = "", data_version: str = "") -> CheckReport:
    """Evaluate every rule at `when` under the runner's jurisdiction and bring the store in line
    (instances outside `scope` are left alone). A rule that fails is reported; the others run.
    A city-wide check of every rule is recorded with the data version it read (`made`)."""
    report = CheckReport(when)
    for rule, found in evaluate(run, settings, when, rules, scope).items():
        if isinstance(found, Exception):
            report.failed[rule.id] = f"{type(found).__name__}: {str(found)[:300]}"
            continue
        try:
            _sync(rule, found, when, scope, report)
        except IntegrityError:  # another check wrote the same alert first; its rows stand
            report.failed[rule.id] = "另一次检查同时写入了相同的预警，本规则本次未更新"
    _escalate(settings, when, scope, report, {**RULES, **(rules or {})})
    if not scope and rules is None:
        with store.engine().begin() as conn:
            conn.execute(insert(checks).values(moment=when.moment, data_version=data_version, finished_at=now_utc(),
                                               failed=",".join(report.failed)[:2000]))
    return report


def made(when: When, data_version: str, fresh_minutes: int) -> CheckReport | None:
    """The latest city-wide check of every rule that read this data version at `when` or up to
    `fresh_minutes` before it (e.g. the scheduled job's), as a report of what it left; None if
    there is none, and a page makes the check itself."""
    earliest = when.moment - dt.timedelta(minutes=max(0, fresh_minutes))
    with store.engine().connect() as conn:
        row = conn.execute(select(checks).where(checks.c.data_version == data_version,
                                                checks.c.moment >= earliest, checks.c.moment <= when.moment)
                           .order_by(checks.c.moment.desc(), checks.c.check_id.desc()).limit(1)).first()
    if row is None:
        return None
    failed = {rule_id: "上次检查时未能执行" for rule_id in row.failed.split(",") if rule_id}
    return CheckReport(When(row.moment), failed=failed)


def evaluate(run, settings: PortalSettings, when: When, rules: dict[str, Rule] | None = None,
             scope: str = "") -> dict[Rule, pd.DataFrame | Exception]:
    """Every rule's subjects at `when` (or the error that stopped it), each query read once:
    rules that share a page's query (the two closed-loop rules) share its one read."""
    once = shared_reads(run)
    out: dict[Rule, pd.DataFrame | Exception] = {}
    for rule in (rules or RULES).values():
        if rule.city_only and scope:
            continue
        try:
            out[rule] = rule.evaluate(once, settings, when)
        except Exception as exc:  # noqa: BLE001 — one rule's failure must not stop the others
            out[rule] = exc
    return out


def shared_reads(run):
    """A runner that reads each query with the same parameters once and hands the same frame
    to every rule that asks (rules filter it, they never change it in place)."""
    seen: dict[tuple[str, str], pd.DataFrame] = {}

    def once(name: str, **params) -> pd.DataFrame:
        key = (name, repr(sorted(params.items())))
        if key not in seen:
            seen[key] = run(name, **params)
        return seen[key]
    return once


def _sync(rule: Rule, found: pd.DataFrame, when: When, scope: str, report: CheckReport) -> None:
    with store.engine().begin() as conn:
        live = {r.subject_key: r for r in conn.execute(
            select(table).where(table.c.rule_id == rule.id, table.c.state.in_(LIVE),
                                table.c.area_code.startswith(scope, autoescape=True)))}
        now_found = set()
        events = []
        for row in found.itertuples():
            now_found.add(row.subject_key)
            value = None if pd.isna(row.value) else float(row.value)
            if row.subject_key in live:
                old = live[row.subject_key]
                if old.last_seen < when.moment or old.value != value or old.detail != row.detail[:500]:
                    conn.execute(update(table).where(table.c.alert_id == old.alert_id).values(
                        last_seen=max(old.last_seen, when.moment), value=value, detail=row.detail[:500]))
                    report.updated += 1
                continue
            alert_id = conn.execute(insert(table).values(
                rule_id=rule.id, subject_key=row.subject_key, area_code=row.area_code, severity=rule.severity,
                value=value, detail=row.detail[:500], first_seen=when.moment, last_seen=when.moment, state="new",
                level=base_level(row.area_code), escalated=False)).inserted_primary_key[0]
            report.new.append(f"新预警 #{alert_id} [{rule.severity}] {rule.name} {row.area_code or '全市'} "
                              f"{row.subject_key}：{row.detail}")
            events.append(("alert_new", alert_id, f"{rule.name} {audit.subject_label(row.subject_key)} {row.detail}"))
        for key, old in live.items():
            if key not in now_found:
                conn.execute(update(table).where(table.c.alert_id == old.alert_id).values(
                    state="cleared", cleared_at=when.moment))
                report.cleared += 1
                events.append(("alert_clear", old.alert_id, f"{rule.name} {audit.subject_label(key)} {STATES[old.state]} → 已解除"))
    audit.record_many([(kind, f"alert:{alert_id}", detail) for kind, alert_id, detail in events], CHECKER)


def _rule_name(rule_id: str, known: dict[str, Rule] = RULES) -> str:
    """A rule as the audit log names it: its name, or its id when it is not registered."""
    rule = known.get(rule_id)
    return rule.name if rule is not None else rule_id


def _escalate(settings: PortalSettings, when: When, scope: str, report: CheckReport, known: dict[str, Rule]) -> None:
    with store.engine().begin() as conn:
        waiting = list(conn.execute(select(table).where(
            table.c.state == "new", table.c.area_code.startswith(scope, autoescape=True))))
        raised = []
        for r in waiting:
            due = level_due(r.area_code, r.first_seen, when.moment, settings.alert_escalate_minutes)
            if due > r.level:
                conn.execute(update(table).where(table.c.alert_id == r.alert_id).values(level=due, escalated=True))
                raised.append((r, due))
    for r, due in raised:
        rule = known.get(r.rule_id)
        name = rule.name if rule else r.rule_id
        report.escalated.append(f"{ESCALATED[due]} #{r.alert_id} [{r.severity}] {name} {r.area_code or '全市'} "
                                f"{r.subject_key}：{settings.alert_escalate_minutes} 分钟内无人确认")
    audit.record_many([("alert_escalate", f"alert:{r.alert_id}",
                        f"{_rule_name(r.rule_id, known)} {audit.subject_label(r.subject_key)} "
                        f"{LEVELS[r.level]} → {LEVELS[due]}") for r, due in raised], CHECKER)


# -- people acting on alerts -------------------------------------------------------------------

def _may_act(identity: Identity, area_code: str) -> bool:
    return identity.role in ACTORS and (area_code or "").startswith(identity.scope)


def acknowledge(identity: Identity, alert_id: int, note: str = "") -> None:
    """new → acknowledged, by someone whose jurisdiction holds the alert."""
    _move(identity, alert_id, "new", "acknowledged", note)


def handle(identity: Identity, alert_id: int, note: str) -> None:
    """acknowledged → handled, with a note saying what was done."""
    if not note.strip():
        raise AlertError("请填写处置情况（做了什么、结果如何），再标记为已处置。")
    _move(identity, alert_id, "acknowledged", "handled", note)


def _move(identity: Identity, alert_id: int, before: str, after: str, note: str) -> None:
    note = note.strip()[:500]
    with store.engine().begin() as conn:
        row = conn.execute(select(table).where(table.c.alert_id == int(alert_id))).first()
        if row is None or not (row.area_code or "").startswith(identity.scope):
            raise AlertError(f"预警 #{alert_id} 不存在或不在您的管辖范围内。")
        if not _may_act(identity, row.area_code):
            raise AlertError("只有指挥部领导和本辖区的区县工作人员可以确认或处置预警。")
        if row.state != before:
            raise AlertError(f"预警 #{alert_id} 当前为“{STATES[row.state]}”，不能改为“{STATES[after]}”。")
        who = {"acknowledged": ("acknowledged_by", "acknowledged_at", "acknowledge_note"),
               "handled": ("handled_by", "handled_at", "handle_note")}[after]
        changed = conn.execute(update(table).where(table.c.alert_id == row.alert_id, table.c.state == before).values(
            state=after, **dict(zip(who, (identity.name, now_utc(), note))))).rowcount
        if not changed:
            raise AlertError(f"预警 #{alert_id} 刚被他人更新，请刷新后再试。")
    kind = {"acknowledged": "alert_acknowledge", "handled": "alert_handle"}[after]
    audit.record(kind, identity, f"alert:{row.alert_id}",
                 f"{_rule_name(row.rule_id)} {audit.subject_label(row.subject_key)} {STATES[before]} → {STATES[after]}" + (f"：{note}" if note else ""))


# -- reading -----------------------------------------------------------------------------------

LIST_LIMIT = 500  # most alerts the alert centre lists at once (tens of thousands are open at `full`)


def _where(query, scope: str, states=None, rules=None, severities=None):
    query = query.where(table.c.area_code.startswith(scope, autoescape=True))
    for column, values in ((table.c.state, states), (table.c.rule_id, rules), (table.c.severity, severities)):
        if values:
            query = query.where(column.in_(list(values)))
    return query


def instances(scope: str, states: tuple[str, ...] | None = None, *, rules=None, severities=None,
              limit: int | None = None, by_first_seen: bool = False) -> pd.DataFrame:
    """Alert instances under a jurisdiction (area code starting with `scope`), of the states,
    rules and severities given (all when None), newest first (by alert number, or by when first
    seen), at most `limit`: the store filters, orders and cuts them."""
    order = ((table.c.first_seen.desc(), table.c.alert_id.desc()) if by_first_seen else (table.c.alert_id.desc(),))
    query = _where(select(table), scope, states, rules, severities).order_by(*order)
    if limit is not None:
        query = query.limit(limit)
    with store.engine().connect() as conn:
        df = pd.DataFrame(conn.execute(query).mappings().all(), columns=[c.name for c in table.columns])
    for col in ("acknowledged_at", "handled_at"):
        df[col] = wall_clock(pd.to_datetime(df[col], utc=True))
    for col in ("first_seen", "last_seen", "cleared_at"):
        df[col] = pd.to_datetime(df[col])
    return df


def count(scope: str, states=None, rules=None, severities=None) -> int:
    """How many alert instances instances() would give without a limit."""
    with store.engine().connect() as conn:
        return int(conn.execute(_where(select(func.count()).select_from(table), scope, states, rules, severities))
                   .scalar_one())


def open_counts(scope: str) -> dict[str, int]:
    """Open alerts (new or acknowledged) under a jurisdiction by severity, most urgent first:
    counted by the store (tens of thousands are open at `full`; the cockpit shows only these)."""
    query = _where(select(table.c.severity, func.count()), scope, OPEN).group_by(table.c.severity)
    with store.engine().connect() as conn:
        counts = dict(conn.execute(query).all())
    return {s: int(counts.get(s, 0)) for s in SEVERITIES}


def new_on(scope: str, day: dt.date) -> pd.DataFrame:
    """Alerts first seen on a Beijing day (a check at 24:00 counts for the day it closes), by
    rule and severity (for the daily briefing): counted by the store."""
    start = dt.datetime.combine(day, dt.time(0, 0, 1))  # a second past midnight, to a second past the next
    query = (_where(select(table.c.rule_id, table.c.severity, func.count().label("alerts")), scope)
             .where(table.c.first_seen >= start, table.c.first_seen < start + dt.timedelta(days=1))
             .group_by(table.c.rule_id, table.c.severity))
    with store.engine().connect() as conn:
        out = pd.DataFrame(conn.execute(query).all(), columns=["rule_id", "severity", "alerts"])
    names = {r.id: r.name for r in RULES.values()}
    if out.empty:
        return pd.DataFrame(columns=["alert_rule", "severity", "alerts"])
    out["alert_rule"] = out["rule_id"].map(names).fillna(out["rule_id"])
    out["order"] = out["severity"].map({s: i for i, s in enumerate(SEVERITIES)})
    return out.sort_values(["order", "rule_id"])[["alert_rule", "severity", "alerts"]].reset_index(drop=True)


def history(alert_id: int) -> pd.DataFrame:
    """The audit log's events about one alert, newest first, as the audit log lists them."""
    found = audit.recent(subject=f"alert:{int(alert_id)}", limit=100)
    return audit.listing(found.assign(at=wall_clock(pd.to_datetime(found["at"], utc=True))))


def threshold_of(rule: Rule, settings: PortalSettings) -> str:
    return threshold_text(rule, settings)


def escalation_label(row) -> str:
    """'已升级至区县' / '已升级至市级' for an escalated alert, '' otherwise."""
    return ESCALATED.get(int(row["level"]), "") if bool(row["escalated"]) else ""


def listing(df: pd.DataFrame) -> pd.DataFrame:
    """Instances as the alert centre lists them (headed by the column glossary)."""
    names = {r.id: r.name for r in RULES.values()}
    order = {s: i for i, s in enumerate(SEVERITIES)}
    df = df.assign(order=df["severity"].map(order)).sort_values(["order", "first_seen", "alert_id"])
    return pd.DataFrame({
        "alert_id": df["alert_id"].astype(int),
        "severity": df["severity"],
        "alert_rule": df["rule_id"].map(names).fillna(df["rule_id"]),
        "area_code": df["area_code"].replace("", "全市"),
        "alert_detail": df["detail"],
        "alert_value": df["value"],
        "alert_state": df["state"].map(STATES),
        "alert_escalation": [escalation_label(r) for _, r in df.iterrows()],
        "first_seen": df["first_seen"].dt.strftime("%Y-%m-%d %H:%M"),
        "last_seen": df["last_seen"].dt.strftime("%Y-%m-%d %H:%M"),
        "acknowledged_by": df["acknowledged_by"].fillna(""),
        "handled_by": df["handled_by"].fillna(""),
    }).reset_index(drop=True)
