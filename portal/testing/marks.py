"""A site lead's mark (busy / clear / closed with a queue wait): checked, then stored once.

A mark is refused with one sentence saying what to fix when the site is unknown, the wait is
negative or absurd or does not fit the chosen state, or the site lies outside the operator's
jurisdiction. A mark sent twice (the same key) is stored once; the second send is told so.
"""

from __future__ import annotations

import datetime as dt
import numbers
import uuid
from dataclasses import dataclass

import pandas as pd

from portal.auth import audit
from portal.auth.session import Identity
from portal.errors import EpiError
from portal.glossary import MARK_STATES, SITE_STATES
from portal.settings import PortalSettings
from queries import registry
from warehouse.rules.clock import now_beijing, stamp


class MarkRefused(EpiError, ValueError):
    """Why a mark was not stored, in words for the site lead."""


@dataclass(frozen=True)
class MarkResult:
    stored: bool  # False when the same mark had already been stored
    site_code: str
    state: str  # the state stored: clear / busy / congested / closed
    queue_minutes: int
    message: str


def new_key() -> str:
    """A fresh idempotency key for one mark form."""
    return uuid.uuid4().hex


def state_for_wait(queue_minutes: float, settings: PortalSettings) -> str:
    """Queue state from the wait (Shenzhen practice): clear < 25 min ≤ busy < 50 min ≤ congested."""
    if queue_minutes >= settings.congested_minutes:
        return "congested"
    if queue_minutes >= settings.busy_minutes:
        return "busy"
    return "clear"


def _check_wait(state: str, queue_minutes, settings: PortalSettings) -> int:
    if isinstance(queue_minutes, bool) or not isinstance(queue_minutes, numbers.Real) or pd.isna(queue_minutes):
        raise MarkRefused("请填写排队时长（分钟，整数）。")
    if queue_minutes != int(queue_minutes):
        raise MarkRefused(f"排队时长请填整数分钟（收到 {queue_minutes}）。")
    wait = int(queue_minutes)
    if wait < 0:
        raise MarkRefused(f"排队时长不能为负数（收到 {wait} 分钟）。")
    if wait > settings.max_wait_minutes:
        raise MarkRefused(f"排队时长 {wait:,} 分钟不合理：应在 0–{settings.max_wait_minutes} 分钟之间，请核对后重新提交。")
    if state == "clear" and wait >= settings.busy_minutes:
        raise MarkRefused(f"标记为畅通，但排队 {wait} 分钟（达到 {settings.busy_minutes} 分钟即为繁忙）：请改选繁忙，或核对排队时长。")
    if state == "busy" and wait < settings.busy_minutes:
        raise MarkRefused(f"标记为繁忙，但排队只有 {wait} 分钟（不足 {settings.busy_minutes} 分钟为畅通）：请改选畅通，或核对排队时长。")
    return 0 if state == "closed" else wait


def submit(identity: Identity, site_code: str, state: str, queue_minutes, mark_key: str,
           settings: PortalSettings) -> MarkResult:
    """Check a mark and store it once; raise MarkRefused (nothing written) when it is wrong."""
    if identity.role != "district_operator" or not identity.scope:
        raise MarkRefused("只有区县工作人员可以标记本辖区采样点的状态。")
    if state not in MARK_STATES:
        raise MarkRefused(f"状态“{state}”无法识别：请选择畅通、繁忙或关闭。")
    wait = _check_wait(state, queue_minutes, settings)
    code = (site_code or "").strip().upper()
    if not code:
        raise MarkRefused("请选择或填写采样点编码。")
    site = registry.run("mass/site_by_code", identity.scope, site_code=code)
    if site.empty:
        # only whether the code exists is read outside the jurisdiction: the refusal names no
        # other district's street or site
        if registry.run("mass/site_by_code", "", site_code=code).empty:
            raise MarkRefused(f"采样点编码“{code}”不存在：请从列表中选择，或核对编码（形如 HS-510104-0001）。")
        raise MarkRefused(f"采样点 {code} 不在您的管辖范围（{identity.scope}）内，不能标记；请联系该采样点所在区县。")
    row = site.iloc[0]
    if not mark_key:
        raise MarkRefused("标记缺少提交编号，请刷新页面后重新提交。")
    stored = state_for_wait(wait, settings) if state == "busy" else state
    earlier = registry.run("mass/mark_by_key", identity.scope, mark_key=mark_key)
    if earlier.empty:
        # the same mark sent again under a new key (a second click while the first was saving)
        recent = registry.run("mass/live_marks", identity.scope, since=_since(settings.duplicate_window_s))
        earlier = recent[(recent["site_id"] == int(row["site_id"])) & (recent["operator"] == identity.name)
                         & (recent["state"] == stored) & (recent["queue_minutes"] == wait)]
    if not earlier.empty:
        first = earlier.iloc[0]
        return MarkResult(False, code, str(first["state"]), int(first["queue_minutes"]),
                          f"这条标记已于 {pd.Timestamp(first['marked_at']):%H:%M:%S} 收到，重复提交不会重复记录。")
    registry.execute("mass/add_mark", identity.scope, mark_key=mark_key, site_id=int(row["site_id"]), state=stored,
                     queue_minutes=wait, operator=identity.name, operator_scope=identity.scope)
    if registry.run("mass/mark_by_key", identity.scope, mark_key=mark_key).empty:
        raise MarkRefused("标记未能保存，请稍后重试。")
    audit.record("site_mark", identity, subject=f"site:{code}", detail=f"{SITE_STATES.get(stored, stored)} {wait} 分钟")
    note = "（排队已达拥堵线，已按拥堵记录）" if stored == "congested" else ""
    return MarkResult(True, code, stored, wait,
                      f"已标记 {code} {row['site_name']}：{SITE_STATES[stored]}，排队 {wait} 分钟{note}。指挥中心下次刷新即可看到。")


def since(settings: PortalSettings) -> str:
    """The start of the live window (Beijing wall clock, whole minute) for the marks query."""
    start = now_beijing() - dt.timedelta(minutes=settings.mark_fresh_minutes)
    return start.strftime("%Y-%m-%d %H:%M:00")


def _since(seconds: int) -> str:
    return stamp(now_beijing() - dt.timedelta(seconds=seconds))


def congested_now(fresh: pd.DataFrame) -> pd.DataFrame:
    """The sites whose latest live mark says congested, newest first."""
    latest = fresh.sort_values("marked_at").groupby("site_id").tail(1).sort_values("marked_at", ascending=False)
    return latest[latest["state"] == "congested"]
