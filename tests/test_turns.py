"""Page runs take turns (portal/turns.py): at most `page_turns` runs do Python work at once, a run
waiting for the warehouse gives its turn to the next, and the identity is read once per run."""

import threading
import time

from portal import turns
from portal.settings import load_portal_settings


def _runs(n: int, body) -> list:
    """n threads each running `body(i)` inside a page turn; their results in order."""
    out = [None] * n

    def work(i):
        with turns.page_turn():
            out[i] = body(i)

    threads = [threading.Thread(target=work, args=(i,)) for i in range(n)]
    for t in threads:
        t.start()
    for t in threads:
        t.join(timeout=60)
    assert not any(t.is_alive() for t in threads)
    return out


def test_no_more_runs_at_once_than_there_are_turns():
    assert load_portal_settings().page_turns == 2
    lock, now, most = threading.Lock(), [0], [0]

    def body(i):
        with lock:
            now[0] += 1
            most[0] = max(most[0], now[0])
        time.sleep(0.05)
        with lock:
            now[0] -= 1
        return i

    assert _runs(8, body) == list(range(8))
    assert most[0] == 2


def test_a_run_waiting_for_the_warehouse_lets_the_others_run(wh):
    """Two runs hold the turns and wait on the engine, which a third holds: the runs behind them
    start anyway, because a call to the warehouse gives the turn up."""
    started = []
    engine_busy = threading.Event()

    def body(i):
        started.append(i)
        if i < 2:
            engine_busy.wait(timeout=30)  # stand-in for a long query: hold the turn, then ask the engine
            return wh.scalar("SELECT 1")
        return i

    with wh._lock:  # the engine busy with someone else's query
        threads = [threading.Thread(target=lambda i=i: _runs_one(i, body)) for i in range(4)]
        for t in threads[:2]:
            t.start()
        time.sleep(0.2)
        for t in threads[2:]:
            t.start()
        engine_busy.set()
        deadline = time.time() + 10
        while len(started) < 4 and time.time() < deadline:
            time.sleep(0.02)
        assert sorted(started) == [0, 1, 2, 3]  # 2 and 3 ran while 0 and 1 waited for the engine
    for t in threads:
        t.join(timeout=60)
    assert not any(t.is_alive() for t in threads)


def _runs_one(i, body):
    with turns.page_turn():
        body(i)


def test_a_turn_given_up_is_not_given_back_twice():
    with turns.page_turn():
        turns.give_up()
        turns.give_up()  # nothing held: nothing released
    # both turns free again, and no third one was made
    assert turns._turns.acquire(timeout=1) and turns._turns.acquire(timeout=1)
    assert not turns._turns.acquire(timeout=0.1)
    turns._turns.release()
    turns._turns.release()


def test_the_identity_is_read_once_per_run_and_again_on_the_next(wh, monkeypatch):
    """The app, the page and the page's download buttons all ask who is signed in: one read of
    the user store per run; a user disabled between two runs is signed out on the second."""
    from pathlib import Path

    from signing import put_identity, user_for
    from streamlit.testing.v1 import AppTest

    from portal.auth import users
    from portal.auth.identity import Identity

    reads = []
    real = users.session_user
    monkeypatch.setattr(users, "session_user", lambda token, now=None: reads.append(token) or real(token, now))
    at = AppTest.from_file(str(Path(__file__).resolve().parent.parent / "portal" / "app.py"), default_timeout=180)
    identity = Identity("轮次测试", "leadership", "")
    put_identity(at, identity)
    at.run()
    assert not at.exception and at.title[0].value == "指挥总览"
    assert len([b for b in at.get("download_button")]) >= 2 and len(reads) == 1
    at.run()
    assert len(reads) == 2
    users.set_active(user_for(identity).username, False)
    at.run()
    assert len(reads) == 3 and [t.value for t in at.title] == ["成都市疫情防控指挥平台"]  # the sign-in page
    assert "停用" in at.info[0].value


def test_the_warm_up_leaves_the_first_cockpit_nothing_to_ask_the_warehouse(wh):
    """After the background warm-up (portal/command/warm.py), the first view of the city's
    cockpit on the last day reaches the engine not once; without it, it does."""
    from pathlib import Path

    import streamlit as st
    from signing import put_identity
    from streamlit.testing.v1 import AppTest

    from portal import data
    from portal.auth.identity import Identity
    from portal.command import warm

    def first_view() -> int:
        at = AppTest.from_file(str(Path(__file__).resolve().parent.parent / "portal" / "app.py"), default_timeout=180)
        put_identity(at, Identity("预热测试", "leadership", ""))
        before = wh.calls
        at.run()
        assert not at.exception and at.title[0].value == "指挥总览"
        return wh.calls - before

    st.cache_data.clear()
    st.cache_resource.clear()
    assert first_view() > 10  # nothing computed: every query of the page
    st.cache_data.clear()
    st.cache_resource.clear()
    data.warehouse_ready()  # the schema check of the process's first run, which starts the warm-up
    warm.warm("")
    assert first_view() == 0
