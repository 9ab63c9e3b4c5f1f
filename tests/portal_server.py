"""A portal server for the browser tests: its own warehouse folder seeded like the session's,
`streamlit run` on a free port, ready when its health check answers."""

from __future__ import annotations

import contextlib
import socket
import subprocess
import sys
import time
import urllib.request
from pathlib import Path

import pytest
from conftest import TEST_SEED
from signing import SERVER_STORES

ROOT = Path(__file__).resolve().parent.parent


def free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


def seed_tiny(env: dict) -> None:
    subprocess.run([sys.executable, "-m", "seed", "--scale", "tiny", "--seed", str(TEST_SEED)],
                   cwd=ROOT, env=env, check=True, capture_output=True, timeout=300)


@contextlib.contextmanager
def serve(env: dict):
    """Yield the URL of a running portal on the environment's warehouse; stop it afterwards."""
    port = free_port()
    proc = subprocess.Popen(
        [sys.executable, "-m", "streamlit", "run", "portal/app.py", "--server.port", str(port),
         "--server.headless", "true", "--browser.gatherUsageStats", "false"],
        cwd=ROOT, env=env, stdout=subprocess.DEVNULL, stderr=subprocess.PIPE)
    url = f"http://127.0.0.1:{port}"
    SERVER_STORES[url] = env.get("EPI_PORTAL_DB", "")  # where browser_sign_in creates its users
    deadline = time.time() + 60
    while time.time() < deadline:
        try:
            urllib.request.urlopen(url + "/_stcore/health", timeout=2)
            break
        except OSError:
            time.sleep(0.5)
    else:
        proc.kill()
        pytest.fail("streamlit did not start: " + proc.stderr.read().decode()[-2000:])
    try:
        yield url
    finally:
        proc.terminate()
        try:
            proc.wait(timeout=20)
        except subprocess.TimeoutExpired:  # a loaded machine can be slow to stop it
            proc.kill()
            proc.wait(timeout=20)
