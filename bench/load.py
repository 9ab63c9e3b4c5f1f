"""The command room at once, without a browser: `python -m bench.load [--sessions 20 50 100]`.

N sessions speak Streamlit's own websocket protocol to the portal (bench/wsclient.py: the
`streamlit.proto` messages on `/_stcore/stream`, no browser). Each session, all at once:
opens the portal, signs in through the real sign-in form with a password (an account of its
own, `bench-load-NNN`, created in the portal's user store with a fresh password each run),
waits for the cockpit's run to finish and reads 在管人员 off the card the server sent, then
changes the as-of date to the day before and waits again. Per wave of N sessions:

- p50 / p95 / max seconds from pressing 登录 to the cockpit's run finished (first full view),
  and from the date change to its run finished (interaction); errors;
- every session's 在管人员 on both days against the cockpit's own query (cockpit.compute,
  run outside the portal, before it starts and after it stops);
- the portal process's CPU seconds per session (/proc/<pid>/stat over the wave), its peak
  resident memory (sampled every half second), and this client's own CPU seconds.

Baseline in the same run: the same waves on the code before this work — a second portal from
the tree of `--baseline-ref` (default fe06c0b, exported with `git archive` into a temporary
folder) on the same warehouse copy, one portal at a time (the embedded engine allows one
process per data folder). `--baseline-env KEY=VALUE` instead (or as well) runs the baseline
with extra settings, e.g. shared caches turned off.

Then, on this code's portal only:
- a browser wave: `--browser-sessions` (5) Chromium contexts sign in at once (bench.concurrency's
  sessions), the end-to-end time a person sees;
- dropped sessions: `--drop-waves` (5) waves of `--drop-sessions`, every `--drop-every`-th
  session's connection cut mid-run (its TCP connection aborted while the cockpit's deltas come
  in); after each wave the portal's resident memory, threads and idle CPU;
- a load during a wave: an analyst loads a `--rows`-row trajectory file on the 数据来源 page
  (in Chromium, the page's own ingestion path, in the portal's process) while a wave of
  `--fault-sessions` sessions opens the cockpit; then a file putting 25 close contacts under
  control on the last day is loaded the same way, and a further wave must read 在管人员 25
  higher, as the cockpit's query gives after the portal stops.

Against portals already running (a ClickHouse server behind several portal processes):
`--url URL` (repeatable; sessions are spread over them in turn) and `--pid PID` (repeatable,
for CPU and memory); no baseline, no faults; the figures are checked against the query when
EPI_WAREHOUSE_URL can be opened from here, else only against each other. EPI_PORTAL_DB must be
the portals' user store.

Otherwise EPI_WAREHOUSE_URL is an embedded warehouse folder (use a copy: the load fault writes
into it; it must not be open elsewhere). Results: bench/results/load-<scale>.json.
"""

from __future__ import annotations

import argparse
import asyncio
import contextlib
import datetime as dt
import json
import os
import subprocess
import sys
import tempfile
import threading
import time
from pathlib import Path

import numpy as np

from bench import browser
from bench.wsclient import Session

ROOT = Path(__file__).resolve().parent.parent
RESULTS = ROOT / "bench" / "results"
BASELINE_REF = "fe06c0b"  # the portal before the work on serving the whole command room at once
CARD = "在管人员"
DATE_LABEL = "统计日期"
NEW_CONTACTS = 25  # bench.concurrency's control file
CLOCK_TICKS = os.sysconf("SC_CLK_TCK")


# -- outside the portal: the expected figures ------------------------------------------------------

def expected_figures() -> dict:
    """The cockpit's 在管人员 for the city on the last day with data and on the day before, from
    its own query; the scale and the days."""
    from portal.command import cockpit
    from portal.settings import load_portal_settings
    from queries import registry

    span = registry.run("meta/data_range", "").iloc[0]
    last = dt.date.fromisoformat(str(span["last_day"])[:10])
    before = last - dt.timedelta(days=1)
    settings = load_portal_settings()

    def figure(day):
        figures = cockpit.compute(lambda name, **p: registry.run(name, "", **p), settings, "", day)
        return int(figures.total()["under_control"])

    return {"scale": str(span["scale"]), "day": str(last), "day_before": str(before),
            "under_control": figure(last), "under_control_day_before": figure(before)}


def _child(*args: str, module: str = "bench.load") -> dict:
    """Run this module (or another bench module) in its own process: the embedded folder is opened
    by one process at a time."""
    out = subprocess.run([sys.executable, "-m", module, *args], cwd=ROOT, env=dict(os.environ), check=True,
                         capture_output=True, text=True)
    return json.loads(out.stdout.strip().splitlines()[-1])


def figures_from_here() -> dict | None:
    """expected_figures() in a child process, or None when the warehouse cannot be opened from
    here (an embedded folder a running portal holds)."""
    try:
        return _child("--figures")
    except subprocess.CalledProcessError:
        return None


# -- accounts ----------------------------------------------------------------------------------

def make_accounts(n: int, role: str = "leadership") -> list[tuple[str, str]]:
    """`n` city-wide accounts bench-load-001… in the portal's user store, each with a password
    just set (kept in memory for this run only)."""
    from portal.auth import users

    out = []
    for i in range(1, n + 1):
        username, password = f"bench-load-{i:03d}", users.generate_password()
        if users.get(username) is None:
            users.add(username, f"并发测试（{i:03d}）", role, "", password, scope_exists=None)
        else:
            users.set_active(username, True)
            users.set_password(username, password)
        out.append((username, password))
    return out


# -- the portal process ------------------------------------------------------------------------

class Watch:
    """A process's CPU seconds, resident memory (peak sampled every half second), threads."""

    def __init__(self, pid: int | None):
        self.pid, self.peak_mib = pid, 0.0
        self._stop = threading.Event()
        self._thread = None
        if pid:
            self._thread = threading.Thread(target=self._sample, daemon=True)
            self._thread.start()

    def _status(self) -> dict:
        with open(f"/proc/{self.pid}/status") as f:
            return {k: v.strip() for k, _, v in (line.partition(":") for line in f)}

    def _sample(self) -> None:
        while not self._stop.wait(0.5):
            try:
                self.peak_mib = max(self.peak_mib, self.rss_mib())
            except (OSError, ValueError, KeyError):
                return

    def cpu_s(self) -> float | None:
        if not self.pid:
            return None
        with open(f"/proc/{self.pid}/stat") as f:
            fields = f.read().rsplit(")", 1)[1].split()
        return (int(fields[11]) + int(fields[12])) / CLOCK_TICKS  # utime, stime

    def rss_mib(self) -> float | None:
        return int(self._status()["VmRSS"].split()[0]) / 1024 if self.pid else None

    def threads(self) -> int | None:
        return int(self._status()["Threads"]) if self.pid else None

    def reset_peak(self) -> None:
        self.peak_mib = self.rss_mib() or 0.0

    def stop(self) -> None:
        self._stop.set()
        if self._thread:
            self._thread.join()


@contextlib.contextmanager
def serve(root: Path, env: dict):
    """Yield (url, pid) of a portal run from `root` on env's warehouse (bench.browser.serve)."""
    with browser.serve(env, root) as (url, proc):
        yield url, proc.pid


@contextlib.contextmanager
def tree_of(ref: str):
    """The repository's files at `ref`, exported into a temporary folder (git archive)."""
    with tempfile.TemporaryDirectory(prefix="epi-load-baseline-") as folder:
        commit = subprocess.run(["git", "rev-parse", "--short", ref], cwd=ROOT, check=True, capture_output=True,
                                text=True).stdout.strip()
        archive = subprocess.Popen(["git", "archive", "--format=tar", commit], cwd=ROOT, stdout=subprocess.PIPE)
        subprocess.run(["tar", "-x", "-C", folder], stdin=archive.stdout, check=True)
        if archive.wait() != 0:
            raise RuntimeError(f"git archive {commit} failed")
        yield Path(folder), commit


# -- sessions and waves ------------------------------------------------------------------------

def _dropper():
    """A stop condition for a session to be cut off mid-run: true at the first element of the
    run that follows the sign-in (the cockpit's), once the sign-in's own run has ended."""
    seen = {"signed_in": False}

    def stop(msg) -> bool:
        kind = msg.WhichOneof("type")
        if kind == "script_finished":
            seen["signed_in"] = True
        return seen["signed_in"] and kind == "delta"
    return stop


async def session(url: str, account: tuple[str, str], day_before: dt.date, drop: bool = False) -> dict:
    """One person: sign in, the cockpit, then the day before. Times in seconds; errors as results."""
    started = time.perf_counter()
    stage = "open"
    try:
        async with Session(url) as s:
            stage = "sign-in page"
            await s.first_run()
            opened = time.perf_counter()
            stage = "sign in"
            if drop:
                await s.sign_in(*account, stop_when=_dropper())
                s.ws.transport.abort()  # the connection lost, no closing handshake
                return {"dropped": True, "after_s": round(time.perf_counter() - opened, 3)}
            run = await s.sign_in(*account)
            ready = time.perf_counter()
            if run.errors():
                raise RuntimeError("; ".join(run.errors()))
            figure = run.metric(CARD)
            stage = "date change"
            changed = time.perf_counter()
            run = await s.set_date(DATE_LABEL, day_before)
            done = time.perf_counter()
            if run.errors():
                raise RuntimeError("; ".join(run.errors()))
            return {"open_s": opened - started, "first_view_s": ready - opened, "interaction_s": done - changed,
                    "figure": figure, "figure_day_before": run.metric(CARD), "bytes": run.bytes}
    except Exception as exc:  # a session that is not served is a result, not a crash
        return {"error": f"{stage}: {type(exc).__name__}: {str(exc).splitlines()[0] if str(exc) else ''}"[:300]}


async def wave(urls: list[str], accounts: list, n: int, day_before: dt.date, drop_every: int = 0) -> tuple[list, float]:
    """`n` sessions at once, spread over the portals in turn; every `drop_every`-th cut off mid-run."""
    start = time.perf_counter()
    out = await asyncio.gather(*(
        session(urls[i % len(urls)], accounts[i % len(accounts)], day_before,
                drop=bool(drop_every) and i % drop_every == drop_every - 1) for i in range(n)))
    return list(out), time.perf_counter() - start


def _pct(values: list[float], q: float) -> float | None:
    return round(float(np.percentile(values, q)), 2) if values else None


def summary(label: str, sessions: list[dict], wall: float, expected: dict | None, cpu_s: float | None,
            peak_mib: float | None, client_cpu_s: float, started: int | None = None) -> dict:
    """One wave: times, errors, figures against the query, the portal's cost (CPU per session
    started, `started` counting those cut off too)."""
    good = [s for s in sessions if "first_view_s" in s]
    first = [s["first_view_s"] for s in good]
    inter = [s["interaction_s"] for s in good]
    shown = sorted({s["figure"] for s in good})
    shown_before = sorted({s["figure_day_before"] for s in good})
    if expected:
        want, want_before = expected["under_control"], expected["under_control_day_before"]
        right = sum(1 for s in good if s["figure"] == want and s["figure_day_before"] == want_before)
    else:  # nothing to compare with: the sessions must at least agree
        want = want_before = None
        right = len(good) if len(shown) == 1 and len(shown_before) == 1 else 0
    n = len(sessions)
    return {
        "wave": label, "sessions": n, "served": len(good), "errors": [s["error"] for s in sessions if "error" in s],
        "first_view_p50_s": _pct(first, 50), "first_view_p95_s": _pct(first, 95),
        "first_view_max_s": _pct(first, 100),
        "interaction_p50_s": _pct(inter, 50), "interaction_p95_s": _pct(inter, 95),
        "interaction_max_s": _pct(inter, 100),
        "wave_s": round(wall, 2), "expected": want, "expected_day_before": want_before, "shown": shown,
        "shown_day_before": shown_before, "figures_right": right, "correct": right == n,
        "portal_cpu_s_per_session": round(cpu_s / (started or n), 3) if cpu_s is not None and n else None,
        "portal_peak_rss_mib": round(peak_mib, 1) if peak_mib else None,
        "client_cpu_s": round(client_cpu_s, 2),
        "load_average_1min": round(os.getloadavg()[0], 1),
    }


def measured_wave(label: str, urls: list[str], watches: list[Watch], accounts: list, n: int,
                  expected: dict | None, drop_every: int = 0) -> tuple[dict, list]:
    """A wave with the portals' CPU and peak memory around it."""
    for w in watches:
        w.reset_peak()
    cpu0 = [w.cpu_s() for w in watches]
    client0 = time.process_time()
    day_before = dt.date.fromisoformat(expected["day_before"]) if expected else None
    sessions, wall = asyncio.run(wave(urls, accounts, n, day_before, drop_every))
    client = time.process_time() - client0
    cpu = sum(w.cpu_s() - c for w, c in zip(watches, cpu0)) if watches and all(w.pid for w in watches) else None
    peak = sum(w.peak_mib for w in watches) if watches and all(w.pid for w in watches) else None
    kept = [s for s in sessions if not s.get("dropped")]
    row = summary(label, kept, wall, expected, cpu, peak, client, started=len(sessions))
    if len(watches) > 1 and cpu is not None:  # several portals: how the work was spread over them
        row["portal_cpu_s_each"] = [round(w.cpu_s() - c, 2) for w, c in zip(watches, cpu0)]
    return row, sessions


def _print_wave(portal: str, r: dict) -> None:
    print(f"{portal:<10}{r['wave']:<14}{r['sessions']:>5}{r['served']:>7}{len(r['errors']):>7}"
          f"{r['first_view_p50_s'] or '—':>8}{r['first_view_p95_s'] or '—':>8}{r['first_view_max_s'] or '—':>8}"
          f"{r['interaction_p50_s'] or '—':>8}{r['interaction_p95_s'] or '—':>8}{r['interaction_max_s'] or '—':>8}"
          f"{r['portal_cpu_s_per_session'] if r['portal_cpu_s_per_session'] is not None else '—':>9}"
          f"{r['portal_peak_rss_mib'] or '—':>9}  {r['figures_right']}/{r['sessions']} right"
          + (f"  e.g. {r['errors'][0]}" if r["errors"] else ""), flush=True)


HEADER = (f"{'portal':<10}{'wave':<14}{'n':>5}{'served':>7}{'errors':>7}{'view50':>8}{'view95':>8}{'viewmax':>8}"
          f"{'int50':>8}{'int95':>8}{'intmax':>8}{'cpu s/s':>9}{'rss MiB':>9}")


def _print_browser(b: dict) -> None:
    print(f"browser   {b['sessions']} Chromium contexts: p50 {b['p50_s']} s, p95 {b['p95_s']} s, max {b['max_s']} s "
          f"from 登录 to cards and map; {b['figures_shown']} / {b['expected']} {'ok' if b['correct'] else 'WRONG'}",
          flush=True)


def portal_waves(portal: str, url: str, pid: int, sizes: list[int], accounts: list, expected: dict) -> dict:
    """One session alone on a fresh portal (empty caches), one more alone, then the waves."""
    watch = Watch(pid)
    try:
        rows = []
        for label in ("first_after_start", "alone_warm"):
            row, _ = measured_wave(label, [url], [watch], accounts, 1, expected)
            rows.append(row)
            _print_wave(portal, row)
        for n in sizes:
            row, _ = measured_wave(f"{n}_at_once", [url], [watch], accounts, n, expected)
            rows.append(row)
            _print_wave(portal, row)
        return {"portal": portal, "waves": rows, "rss_mib_after": round(watch.rss_mib(), 1)}
    finally:
        watch.stop()


def drop_waves(url: str, pid: int, accounts: list, expected: dict, waves: int, n: int, every: int,
               settle_s: float = 5.0) -> list[dict]:
    """Waves in which every `every`-th session's connection is cut mid-run; after each, once the
    portal has settled: its resident memory, threads and CPU seconds over two idle seconds."""
    watch = Watch(pid)
    out = []
    try:
        for i in range(waves):
            row, sessions = measured_wave(f"drops_{i + 1}", [url], [watch], accounts, n, expected, drop_every=every)
            time.sleep(settle_s)
            idle0 = watch.cpu_s()
            time.sleep(2)
            row.update({"dropped": sum(1 for s in sessions if s.get("dropped")),
                        "rss_mib_after": round(watch.rss_mib(), 1), "threads_after": watch.threads(),
                        "idle_cpu_s_over_2s": round(watch.cpu_s() - idle0, 2)})
            out.append(row)
            _print_wave("drops", row)
            print(f"          after wave {i + 1}: {row['dropped']} cut off mid-run; RSS {row['rss_mib_after']} MiB, "
                  f"{row['threads_after']} threads, {row['idle_cpu_s_over_2s']} CPU s in 2 idle s", flush=True)
    finally:
        watch.stop()
    return out


def browser_wave(url: str, n: int, expected: dict) -> dict:
    """`n` Chromium contexts sign in at once and wait for the cockpit's cards and map."""
    from playwright.async_api import async_playwright

    from bench import concurrency

    async def go():
        async with async_playwright() as p:
            chromium = await browser.launch(p)
            sessions, wall = await concurrency._wave(chromium, url, n)
            await chromium.close()
        return sessions, wall

    sessions, wall = asyncio.run(go())
    return concurrency._summary("browser", sessions, wall, expected["under_control"],
                                f"{n} Chromium contexts at once, seconds from 登录 to the cards and the map")


def load_fault(url: str, pid: int, accounts: list, expected: dict, n: int, files: dict) -> dict:
    """A trajectory file loads on the 数据来源 page while `n` sessions open the cockpit; then 25
    close contacts are loaded the same way and `n` more sessions must see them."""
    from playwright.async_api import async_playwright

    from bench import concurrency

    watch = Watch(pid)
    day_before = dt.date.fromisoformat(expected["day_before"])

    async def go():
        async with async_playwright() as p:
            chromium = await browser.launch(p)
            clicked = asyncio.Event()
            upload = asyncio.create_task(concurrency._upload(chromium, url, Path(files["trajectory"]), "PSB-04",
                                                             clicked))
            # the file is on the portal and 载入 pressed: the load is running (or the upload failed)
            await asyncio.wait([asyncio.create_task(clicked.wait()), upload], return_when=asyncio.FIRST_COMPLETED)
            cpu0, client0 = watch.cpu_s(), time.process_time()
            during, wall = await wave([url], accounts, n, day_before)
            overlapped = not upload.done()
            cost = (watch.cpu_s() - cpu0, time.process_time() - client0, wall)
            loaded = await upload
            control = await concurrency._upload(chromium, url, Path(files["control"]), "HEALTH-08")
            await chromium.close()
        return during, cost, overlapped, loaded, control

    try:
        watch.reset_peak()
        during, (cpu, client, wall), overlapped, loaded, control = asyncio.run(go())
        during_row = summary("during_load", during, wall, expected, cpu, watch.peak_mib, client)
        _print_wave("fault", during_row)
        # after the control file, the last day's figure must have risen by exactly its contacts
        after_expected = {**expected, "under_control": expected["under_control"] + NEW_CONTACTS}
        after_row, _ = measured_wave("after_load", [url], [watch], accounts, n, after_expected)
        _print_wave("fault", after_row)
    finally:
        watch.stop()
    print(f"          trajectory file ({files['trajectory_rows']:,} rows) {loaded[0]:.1f} s"
          f"{'' if overlapped else ' (done before the wave was)'}: {loaded[1][:120]}", flush=True)
    print(f"          control file ({NEW_CONTACTS} contacts) {control[0]:.1f} s: {control[1][:120]}", flush=True)
    return {"during": during_row, "after": after_row, "overlapped": overlapped,
            "trajectory": {"rows": files["trajectory_rows"], "seconds": round(loaded[0], 1), "result": loaded[1]},
            "control": {"contacts": NEW_CONTACTS, "seconds": round(control[0], 1), "result": control[1]}}


def run(args) -> dict:
    sizes = args.sessions
    need = max([*sizes, args.fault_sessions if args.rows else 0, args.drop_sessions if args.drop_waves else 0, 1])
    started = time.time()
    result = {"sessions": sizes, "cores": os.cpu_count(), "load_average_before": [round(x, 2) for x in os.getloadavg()],
              "uptime_before": subprocess.run(["uptime"], capture_output=True, text=True).stdout.strip()}
    if args.url:
        expected = (json.loads(Path(args.expected_from).read_text())["expected"] if args.expected_from
                    else figures_from_here())
        if expected:
            result.update({k: expected[k] for k in ("scale", "day", "day_before")})
        accounts = make_accounts(need)
        watches = [Watch(pid) for pid in args.pid] or [Watch(None)]
        rows = []
        print(HEADER)
        for label, n in [("alone", 1), *((f"{n}_at_once", n) for n in sizes)]:
            row, _ = measured_wave(label, args.url, watches, accounts, n, expected)
            rows.append(row)
            _print_wave("given", row)
            if row.get("portal_cpu_s_each"):
                print(f"          CPU s of each portal: {row['portal_cpu_s_each']}", flush=True)
        for w in watches:
            w.stop()
        result["portals"] = [{"portal": "given", "urls": args.url, "waves": rows}]
        if args.browser_sessions and expected:
            result["browser"] = browser_wave(args.url[0], args.browser_sessions, expected)
            _print_browser(result["browser"])
        result["expected"] = expected
        result["scale"] = result.get("scale") or args.scale_label or "given"
    else:
        store = tempfile.TemporaryDirectory(prefix="epi-load-store-")
        os.environ["EPI_PORTAL_DB"] = f"sqlite:///{Path(store.name) / 'portal.sqlite'}"  # both portals' users
        files = None
        if args.rows:
            files = _child("--prepare", store.name, "--rows", str(args.rows), module="bench.concurrency")
        expected = _child("--figures")
        result.update({k: expected[k] for k in ("scale", "day", "day_before")})
        result["expected"] = expected
        accounts = make_accounts(need)
        env = dict(os.environ)
        print(f"scale={expected['scale']}  day={expected['day']} (在管人员 {expected['under_control']:,}), "
              f"day before {expected['day_before']} ({expected['under_control_day_before']:,})")
        print(HEADER, flush=True)
        result["portals"] = []
        if args.baseline_ref != "none" or args.baseline_env:
            extra = dict(kv.split("=", 1) for kv in args.baseline_env)
            with contextlib.ExitStack() as stack:
                if args.baseline_ref != "none":
                    root, commit = stack.enter_context(tree_of(args.baseline_ref))
                else:
                    root, commit = ROOT, "this code"
                url, pid = stack.enter_context(serve(root, {**env, **extra}))
                base = portal_waves("baseline", url, pid, sizes, accounts, expected)
                base.update({"ref": commit, "env": extra})
                result["portals"].append(base)
        # passwords set afresh, hashed as this code hashes them: the baseline's sign-ins re-made
        # them with its own (dearer) argon2 costs, which this portal would otherwise verify once
        accounts = make_accounts(need)
        with serve(ROOT, env) as (url, pid):
            mine = portal_waves("this", url, pid, sizes, accounts, expected)
            mine["ref"] = subprocess.run(["git", "rev-parse", "--short", "HEAD"], cwd=ROOT, capture_output=True,
                                         text=True).stdout.strip()
            result["portals"].append(mine)
            if args.browser_sessions:
                result["browser"] = browser_wave(url, args.browser_sessions, expected)
                _print_browser(result["browser"])
            if args.drop_waves:
                result["drops"] = drop_waves(url, pid, accounts, expected, args.drop_waves, args.drop_sessions,
                                             args.drop_every)
            if args.rows:
                result["load_fault"] = load_fault(url, pid, accounts, expected, args.fault_sessions, files)
        if args.rows:  # the figures the cockpit's query gives now, outside the portal
            after = _child("--figures")
            fault = result["load_fault"]
            fault["expected_after"] = after
            fault["correct"] = (after["under_control"] == expected["under_control"] + NEW_CONTACTS
                                and fault["after"]["correct"] and not fault["during"]["errors"])
        store.cleanup()
    result["seconds"] = round(time.time() - started, 1)
    result["load_average_after"] = [round(x, 2) for x in os.getloadavg()]
    result["uptime_after"] = subprocess.run(["uptime"], capture_output=True, text=True).stdout.strip()
    return result


def ok(result: dict) -> bool:
    waves = [w for p in result["portals"] if p["portal"] != "baseline" for w in p["waves"]]
    fine = all(w["correct"] and not w["errors"] for w in waves)
    fine &= all(w["correct"] for w in result.get("drops", []))
    fine &= result.get("load_fault", {}).get("correct", True)
    fine &= result.get("browser", {}).get("correct", True)
    return fine


def main(argv=None) -> int:
    ap = argparse.ArgumentParser(prog="python -m bench.load", description=__doc__.splitlines()[0])
    ap.add_argument("--sessions", type=int, nargs="+", default=[20, 50, 100], help="wave sizes, in turn")
    ap.add_argument("--url", action="append", default=[], help="a running portal (repeatable); no portal started")
    ap.add_argument("--pid", type=int, action="append", default=[], help="a given portal's process id (repeatable)")
    ap.add_argument("--baseline-ref", default=BASELINE_REF, help="the code the baseline portal runs ('none': this)")
    ap.add_argument("--baseline-env", action="append", default=[], metavar="KEY=VALUE",
                    help="a setting for the baseline portal only (repeatable)")
    ap.add_argument("--browser-sessions", type=int, default=5, help="Chromium contexts at once (0: none)")
    ap.add_argument("--drop-waves", type=int, default=5)
    ap.add_argument("--drop-sessions", type=int, default=20)
    ap.add_argument("--drop-every", type=int, default=3, help="every n-th session of a drop wave is cut off")
    ap.add_argument("--rows", type=int, default=1_000_000, help="trajectory rows loaded during a wave (0: no load)")
    ap.add_argument("--fault-sessions", type=int, default=20, help="sessions of the waves during and after the load")
    ap.add_argument("--expected-from", metavar="JSON",
                    help="with --url: the figures of an earlier run's result file, for a warehouse a running portal holds")
    ap.add_argument("--scale-label", help="names the result file when the warehouse cannot be read from here")
    ap.add_argument("--out", help="the result file (default bench/results/load-<scale>.json)")
    ap.add_argument("--note", default="", help="how the portals were set up, kept with the result")
    ap.add_argument("--figures", action="store_true", help=argparse.SUPPRESS)
    args = ap.parse_args(argv)
    if args.figures:
        print(json.dumps(expected_figures()))
        return 0
    result = run(args)
    result["note"] = args.note
    good = ok(result)
    result["ok"] = good
    RESULTS.mkdir(exist_ok=True)
    out = Path(args.out) if args.out else RESULTS / f"load-{result['scale']}.json"
    out.write_text(json.dumps(result, indent=2, ensure_ascii=False) + "\n", encoding="utf-8")
    print(f"{'all sessions served and right' if good else 'FAILED: see the waves above'}; "
          f"{result['seconds']:.0f} s; load average {result['load_average_before'][0]} before, "
          f"{result['load_average_after'][0]} after; written {out}")
    return 0 if good else 1


if __name__ == "__main__":
    sys.exit(main())
