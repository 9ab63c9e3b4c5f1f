"""The server's CPU per view of every page and role, with the shared view caches on and off.

`python -m bench.views [--repeat 3] [--pages cockpit,zones] [--roles leadership,analyst] [--out FILE.json]`

Each page runs in this process under Streamlit's own script runner (streamlit.testing.v1.AppTest),
signed in with a real session of a benchmark account (bench/accounts.py), so the figures are
the server's cost of a view, free of any browser. For every page and role, in new sessions:

- **first view**: the session's first run, the caches already filled by an earlier session;
- **warm rerun**: the same session running the page again (what every click costs);
- **interaction**: the page's commonest change (date, hour, map indicator, tier, …) and its run;
  where the page confines it to a fragment, only the fragment is rerun, as in the browser.

Each figure is the median over `--repeat` sessions of the process CPU time (time.process_time:
every thread, the embedded engine's included); a first, untimed session fills the caches and
its first view and interaction are kept as the cold figures. The same sessions run with the
shared view caches on (EPI_VIEW_CACHE=1) and off (0, every session builds its figures, maps and
tables itself; the query results stay cached), side by side with their ratio, and the targets
(cockpit and 指挥大屏 warm ≤ 100 ms — for the screen also the refresh that reads its figures again —, other pages ≤ 250 ms, an interaction confined to a fragment ≤ 100 ms,
the cockpit's first view after sign-in with warm caches ≤ 300 ms) marked met or missed. Writes
bench/results/views-<scale>.json (`python -m bench.report` puts it in bench/README.md).
"""

from __future__ import annotations

import argparse
import datetime as dt
import json
import os
import statistics
import sys
import time
from dataclasses import dataclass, replace
from pathlib import Path
from typing import Callable

from streamlit.testing.v1 import AppTest
from streamlit.testing.v1 import app_test as _app_test
from streamlit.testing.v1.local_script_runner import LocalScriptRunner

HERE = Path(__file__).resolve().parent
ROOT = HERE.parent
ROLES = {"leadership": "", "analyst": "", "district_operator": "510104", "admin": "", "display": ""}
TARGET_WARM_COCKPIT, TARGET_WARM, TARGET_FRAGMENT, TARGET_FIRST_COCKPIT = 100, 250, 100, 300


class _Runner(LocalScriptRunner):
    """AppTest's script runner, able to rerun one fragment as the browser asks after a change
    inside it; it keeps the messages of its run so a widget's fragment can be found."""

    fragment: str | None = None
    last_messages: list = []

    def request_rerun(self, rerun_data):
        accepted = super().request_rerun(rerun_data)
        if _Runner.fragment:
            # the runner already holds a full run requested when it was made, which would swallow a
            # fragment's request: the pending run becomes the fragment's
            with self._requests._lock:
                self._requests._rerun_data = replace(self._requests._rerun_data, fragment_id_queue=[_Runner.fragment])
        return accepted

    def run(self, *args, **kwargs):
        try:
            return super().run(*args, **kwargs)
        finally:
            _Runner.last_messages = list(self.forward_msgs())


_app_test.LocalScriptRunner = _Runner


def _fragment_of(widget_id: str) -> str | None:
    """The fragment a widget was drawn in during the last run (None: outside any fragment)."""
    for msg in _Runner.last_messages:
        if msg.WhichOneof("type") != "delta" or msg.delta.WhichOneof("type") != "new_element":
            continue
        element = msg.delta.new_element
        proto = getattr(element, element.WhichOneof("type"))
        if getattr(proto, "id", None) == widget_id:
            return msg.delta.fragment_id or None
    return None


# -- the interactions ------------------------------------------------------------------------------
# Each changes one widget of a page that has run; the run that follows is measured.

def day_before(key: str) -> Callable:
    def change(at):
        widget = at.date_input(key=key)
        # an empty date (the audit log's "from") becomes yesterday
        widget.set_value((widget.value or dt.date.today()) - dt.timedelta(days=1))
        return widget
    return change


def choose(kind: str, key: str | None = None, label: str | None = None, value=None, index: int = 1) -> Callable:
    """Set a selectbox or radio (by key, by label, else the page's first) to `value`, or a
    selectbox to its option at `index`."""
    def change(at):
        widgets = getattr(at, kind)
        widget = (widgets(key=key) if key else next(w for w in widgets if w.label == label) if label
                  else widgets[0])
        if value is None and index >= len(widget.options):
            widget.set_value(widget.value)  # a list of one (an operator's own district) can only be chosen again
        elif value is None:
            widget.select_index(index)
        else:
            widget.set_value(value)
        return widget
    return change


def hour(key: str, to: int) -> Callable:
    def change(at):
        widget = at.selectbox(key=key)
        widget.set_value(to)
        return widget
    return change


def screen_reread(at):
    """指挥大屏's refresh that reads the figures again (its frame is older than the refresh interval):
    the screen's other refreshes only turn the panel and draw the frame it holds (the warm rerun)."""
    for key in {f"big-screen-frame:{scope}" for scope in ROLES.values()}:
        if key in at.session_state:
            del at.session_state[key]

    class _NoWidget:
        id = ""
    return _NoWidget()


@dataclass(frozen=True)
class Page:
    name: str  # the bench's name for it (--pages)
    file: str  # under pages/, or "app" for the portal's entry (the cockpit is its first page)
    title: str
    interaction: str | None = None
    change: Callable | None = None
    roles: tuple[str, ...] = ("leadership", "analyst", "district_operator")


PAGES = [
    Page("cockpit", "app", "指挥总览", "date", day_before("as_of")),
    Page("cockpit-map", "app", "指挥总览", "map indicator", choose("selectbox", label="地图着色指标", index=1)),
    Page("briefing", "briefing.py", "每日简报", "date", day_before("briefing-day")),
    Page("outlook", "outlook.py", "疫情研判", "date", day_before("outlook-day")),
    Page("alerts", "alerts.py", "预警中心", "district", choose("selectbox", key="alert-district")),
    Page("big_screen", "big_screen.py", "指挥大屏", "re-read", screen_reread, roles=("leadership", "display")),
    Page("trajectories", "trajectories.py", "轨迹与伴随", "case selection", choose("radio", value="cluster")),
    Page("contacts", "contacts.py", "密接追踪", "date", day_before("loop-as-of")),
    Page("screening", "screening.py", "排查专题", "topic", choose("selectbox", key="sc-topic")),
    Page("person_file", "person_file.py", "一人一档", None),
    Page("zones", "zones.py", "风险区划定", "tier", choose("radio", key="zone-tier", value="medium")),
    Page("quarantine", "quarantine.py", "集中隔离点", "date", day_before("quarantine_as_of")),
    Page("appeals", "appeals.py", "涉疫诉求", "date", day_before("appeals_as_of")),
    Page("mass_testing", "mass_testing.py", "核酸采样调度", "hour", hour("mt-hour", 11)),
    Page("testing_progress", "testing_progress.py", "采样进度与检测", "hour", hour("tp-hour", 13)),
    Page("public_queue", "public_queue.py", "采样点排队查询", "district", choose("selectbox", key="pq-district"),
         roles=("leadership",)),
    Page("sources", "sources.py", "数据来源", None),
    Page("adhoc", "adhoc.py", "自助分析", "table", choose("selectbox", key="ah-table")),
    Page("users_admin", "users_admin.py", "用户管理", "user", choose("selectbox", key="users-pick"), roles=("admin",)),
    Page("audit_log", "audit_log.py", "审计日志", "date", day_before("audit-from"), roles=("admin",)),
]


def _token(role: str, scope: str) -> str:
    from bench.accounts import account
    from portal.auth import users

    username, _password = account(role, scope)
    return users.open_session(users.get(username), "password")


def _session(page: Page, role: str) -> AppTest:
    from portal.auth.session import TOKEN_KEY

    path = ROOT / "portal" / "app.py" if page.file == "app" else ROOT / "pages" / page.file
    at = AppTest.from_file(str(path), default_timeout=600)
    at.session_state[TOKEN_KEY] = _token(role, ROLES[role])
    return at


def _cpu_ms(fn: Callable) -> float:
    start = time.process_time()
    fn()
    return (time.process_time() - start) * 1000


def _check(at, what: str) -> None:
    if at.exception:
        raise RuntimeError(f"{what}: {at.exception[0].message}")


def one_session(page: Page, role: str) -> dict:
    """First view, warm rerun and interaction of one new session, in CPU ms."""
    at = _session(page, role)
    out = {"first_ms": _cpu_ms(at.run)}
    _check(at, "first view")
    out["warm_ms"] = _cpu_ms(at.run)
    _check(at, "warm rerun")
    out["fragment"] = False
    if page.change is not None:
        widget = page.change(at)
        _Runner.fragment = _fragment_of(widget.id)
        out["fragment"] = _Runner.fragment is not None
        try:
            out["interaction_ms"] = _cpu_ms(at.run)
        finally:
            _Runner.fragment = None
        _check(at, "interaction")
    return out


def measure(page: Page, role: str, repeat: int, view_cache: bool) -> dict:
    """Medians over `repeat` sessions after an untimed one that fills the caches (its figures are the cold ones)."""
    os.environ["EPI_VIEW_CACHE"] = "1" if view_cache else "0"
    cold = one_session(page, role)
    runs = [one_session(page, role) for _ in range(repeat)]
    out = {k: round(statistics.median(r[k] for r in runs), 1) for k in ("first_ms", "warm_ms", "interaction_ms")
           if k in runs[0]}
    out["cold_first_ms"] = round(cold["first_ms"], 1)
    if "interaction_ms" in cold:
        out["cold_interaction_ms"] = round(cold["interaction_ms"], 1)
    out["fragment"] = runs[0]["fragment"]
    return out


def targets(page: Page, on: dict) -> dict:
    """Each target that applies to the page, with whether the cached side meets it."""
    cockpit = page.file == "app"
    out = {"warm": (TARGET_WARM_COCKPIT if cockpit or page.name == "big_screen" else TARGET_WARM, on["warm_ms"])}
    if page.name == "big_screen":  # every refresh of the wall display, the one that reads again included
        out["re-read"] = (TARGET_WARM_COCKPIT, on["interaction_ms"])
    if on.get("fragment"):
        out["fragment"] = (TARGET_FRAGMENT, on["interaction_ms"])
    if cockpit:
        out["first"] = (TARGET_FIRST_COCKPIT, on["first_ms"])
    return {k: {"target_ms": t, "met": v <= t} for k, (t, v) in out.items()}


def _ratio(off: float | None, on: float | None) -> float | None:
    return round(off / on, 1) if off and on else None


def table(rows: list[dict]) -> str:
    """The printed table: CPU ms with the view caches on, off, and the ratio, per page and role."""
    head = (f"{'page':<18}{'role':<19}{'interaction':<16}{'first on':>9}{'off':>8}{'warm on':>9}{'off':>8}"
            f"{'ratio':>7}{'act on':>8}{'off':>8}  targets")
    lines = [head, "-" * len(head)]
    for r in rows:
        if "error" in r:
            lines.append(f"{r['page']:<18}{r['role']:<19}failed: {r['error']}")
            continue
        on, off = r["on"], r["off"]
        act = "—" if r["interaction"] is None else r["interaction"] + (" (frag.)" if on["fragment"] else "")
        marks = " ".join(f"{k}≤{v['target_ms']}:{'yes' if v['met'] else 'NO'}" for k, v in r["targets"].items())
        lines.append(f"{r['page']:<18}{r['role']:<19}{act:<16}{on['first_ms']:>9,.0f}{off['first_ms']:>8,.0f}"
                     f"{on['warm_ms']:>9,.0f}{off['warm_ms']:>8,.0f}{_ratio(off['warm_ms'], on['warm_ms']) or '—':>7}"
                     f"{on.get('interaction_ms', 0):>8,.0f}{off.get('interaction_ms', 0):>8,.0f}  {marks}")
    return "\n".join(lines)


def _choose(text: str | None, known: list[str], what: str) -> list[str]:
    if not text:
        return known
    wanted = [t.strip() for t in text.split(",") if t.strip()]
    if unknown := [t for t in wanted if t not in known]:
        raise SystemExit(f"unknown {what} {', '.join(unknown)}: choose from {', '.join(known)}")
    return wanted


def main(argv=None) -> int:
    ap = argparse.ArgumentParser(prog="python -m bench.views", description=__doc__.splitlines()[0])
    ap.add_argument("--repeat", type=int, default=3, help="timed sessions per page, role and cache setting")
    ap.add_argument("--pages", help=f"comma-separated: {', '.join(p.name for p in PAGES)}")
    ap.add_argument("--roles", help=f"comma-separated: {', '.join(ROLES)}")
    ap.add_argument("--scale-label", help="the scale written in the results (default: the warehouse's own)")
    ap.add_argument("--out", type=Path, help="JSON file to write (default bench/results/views-<scale>.json)")
    args = ap.parse_args(argv)
    pages = [p for p in PAGES if p.name in _choose(args.pages, [p.name for p in PAGES], "page")]
    roles = _choose(args.roles, list(ROLES), "role")
    # the process's own CPU is the measure: no background warm-up of the cockpit beside it (its
    # first, untimed session fills the caches instead)
    os.environ["EPI_WARM_UP"] = "0"

    from warehouse import WarehouseError, get_warehouse

    try:
        wh = get_warehouse()
        info = dict(wh.rows("SELECT key, argMax(value, updated_at) FROM epi.dataset_info GROUP BY key"))
    except WarehouseError as exc:
        print(f"error: {exc}", file=sys.stderr)
        return 2
    scale = info.get("scale", "?")
    label = args.scale_label or scale
    before_setting = os.environ.get("EPI_VIEW_CACHE")
    load_before = [round(x, 1) for x in os.getloadavg()]
    print(f"scale={label}  repeat={args.repeat}  load average {load_before} on {os.cpu_count()} cores", flush=True)
    rows, started = [], time.perf_counter()
    try:
        for page in pages:
            for role in (r for r in roles if r in page.roles):
                row = {"page": page.name, "title": page.title, "role": role, "scope": ROLES[role],
                       "interaction": page.interaction}
                try:
                    row["on"] = measure(page, role, args.repeat, view_cache=True)
                    row["off"] = measure(page, role, args.repeat, view_cache=False)
                except Exception as exc:  # a page that fails is reported, and the others still run
                    row["error"] = f"{type(exc).__name__}: {str(exc)[:200]}"
                    print(f"  {page.name:<18}{role:<19}failed: {row['error']}", flush=True)
                    rows.append(row)
                    continue
                row["warm_ratio"] = _ratio(row["off"]["warm_ms"], row["on"]["warm_ms"])
                row["targets"] = targets(page, row["on"])
                rows.append(row)
                print(f"  {page.name:<18}{role:<19}warm {row['on']['warm_ms']:,.0f} ms (off {row['off']['warm_ms']:,.0f})",
                      flush=True)
    finally:
        if before_setting is None:
            os.environ.pop("EPI_VIEW_CACHE", None)
        else:
            os.environ["EPI_VIEW_CACHE"] = before_setting
    seconds = time.perf_counter() - started
    load_after = [round(x, 1) for x in os.getloadavg()]
    print()
    print(table(rows))
    missed = [f"{r['page']}/{r['role']}/{k}" for r in rows for k, t in r.get("targets", {}).items() if not t["met"]]
    failed = [r for r in rows if "error" in r]
    print(f"\n{len(rows)} page views in {seconds:.0f} s; targets missed: {len(missed)} {missed if missed else ''}; "
          f"failed: {len(failed)}; load average {load_before} before, {load_after} after, on {os.cpu_count()} cores")
    out = args.out or HERE / "results" / f"views-{label}.json"
    out.parent.mkdir(parents=True, exist_ok=True)
    result = {"scale": label, "warehouse_scale": scale, "repeat": args.repeat, "seconds": round(seconds, 1),
              "cores": os.cpu_count(), "load_average_before": load_before, "load_average_after": load_after,
              "rows": rows}
    out.write_text(json.dumps(result, indent=2, ensure_ascii=False, default=str), encoding="utf-8")
    print(f"written {out}")
    return 1 if failed else 0


if __name__ == "__main__":
    sys.exit(main())
