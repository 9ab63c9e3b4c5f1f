"""bench.load's sessions speak Streamlit's websocket protocol to a real portal: two of them at
once sign in through the sign-in form with a password, read 在管人员 off the cockpit's card,
change the date and read it again — each figure the cockpit's own query gives."""

from __future__ import annotations

import asyncio
import datetime as dt
import os

from bench import load


def test_two_sessions_sign_in_and_read_the_cockpit_figure(server, tiny_warehouse, tmp_path):
    # the server reads a copy of the warehouse as seeded: ask a copy of it too, in its own process
    import shutil

    folder = tmp_path / "data"
    shutil.copytree(tiny_warehouse["template"], folder, symlinks=True)
    before = os.environ["EPI_WAREHOUSE_URL"]
    os.environ["EPI_WAREHOUSE_URL"] = f"chdb://{folder}"
    try:
        expected = load._child("--figures")
    finally:
        os.environ["EPI_WAREHOUSE_URL"] = before
    accounts = load.make_accounts(2)  # in the session's user store, which the server reads

    sessions, wall = asyncio.run(load.wave([server], accounts, 2, dt.date.fromisoformat(expected["day_before"])))

    row = load.summary("2_at_once", sessions, wall, expected, None, None, 0.0)
    assert row["errors"] == [], row
    assert row["served"] == 2 and row["correct"], row
    assert row["shown"] == [expected["under_control"]]
    assert row["shown_day_before"] == [expected["under_control_day_before"]]
    assert expected["under_control"] != expected["under_control_day_before"]  # the date change is seen


def test_a_wrong_password_is_refused_by_the_form(server):
    from bench.wsclient import Session

    (username, _password), = load.make_accounts(1)

    async def go():
        async with Session(server) as s:
            await s.first_run()
            return await s.sign_in(username, "not-the-password-1")

    run = asyncio.run(go())
    assert "用户名或密码不正确。" in run.errors(), run.errors()
    # no cockpit: the only card sent is the sign-in page's own off-screen warm-up (portal/ui/warm.py)
    assert {m.label for m in run.of_type("metric")} <= {"预热"}
