"""The data-sources page in Debian's Chromium: a portal server on its own tiny warehouse, into
which two department files were loaded with the CLI; the figures on screen match the loads."""

import os
import subprocess
import sys
from pathlib import Path

import pytest
from ingestion_files import FIRST_TEST_PERSON, PERSON_HEADER_ZH, person_rows, with_defects, write_csv
from portal_server import seed_tiny, serve
from signing import browser_sign_in
from test_browser import SHOTS, browser, shoot  # noqa: F401 (browser is a fixture)

ROOT = Path(__file__).resolve().parent.parent
pytestmark = [pytest.mark.browser, pytest.mark.slow]


@pytest.fixture(scope="module")
def server(wh, tmp_path_factory):
    """A portal on a tiny warehouse of its own, after loading a GBK person file with bad rows."""
    folder = tmp_path_factory.mktemp("sources-server") / "data"
    env = {**os.environ, "EPI_WAREHOUSE_URL": f"chdb://{folder}"}
    seed_tiny(env)
    communities = [r[0] for r in wh.rows("SELECT code FROM epi.community ORDER BY code LIMIT 20")]
    rows, bad = with_defects(person_rows(300, communities, first=FIRST_TEST_PERSON + 8000), every=25)
    path = write_csv(folder.parent / "常住人口_0301.csv", PERSON_HEADER_ZH, rows, encoding="gbk", newline="\r\n")
    done = subprocess.run([sys.executable, "-m", "warehouse", "load", "--department", "PSB", "--category", "PSB-01",
                           str(path)], cwd=ROOT, env=env, capture_output=True, text=True, timeout=120)
    assert "读取 read 300 = 载入 loaded 288 + 拒收 rejected 12" in done.stdout, done.stdout + done.stderr
    with serve(env) as url:
        yield url, bad


def metric(page, label: str) -> str:
    card = page.locator('[data-testid="stMetric"]').filter(has_text=label).first
    return card.locator('[data-testid="stMetricValue"]').inner_text().strip()


@pytest.mark.parametrize("width,height,name", [(1440, 1000, "desktop"), (390, 844, "phone")])
def test_data_sources_page_in_the_browser(server, browser, width, height, name):  # noqa: F811
    url, bad = server
    SHOTS.mkdir(exist_ok=True)
    page = browser.new_page(viewport={"width": width, "height": height})
    page.goto(url)
    browser_sign_in(page)
    page.get_by_role("heading", name="指挥总览").wait_for(timeout=90_000)
    if width < 640:
        page.locator('[data-testid="stExpandSidebarButton"]').first.click()
    page.get_by_role("link", name="数据来源").click()
    page.get_by_role("heading", name="数据来源").wait_for(timeout=90_000)
    page.locator('[data-testid="stMetric"]').filter(has_text="载入行数").first.wait_for(timeout=90_000)
    if width < 640:
        page.locator('[data-testid="stSidebarCollapseButton"] button').first.click()
    assert metric(page, "报送部门（个）") == "11"
    assert metric(page, "业务类别（类）") == "96"
    assert metric(page, "数据批次（批）") == "1"
    assert metric(page, "载入行数（行）") == "288"
    assert metric(page, "拒收行数（行）") == f"{len(bad)}"
    batch = page.get_by_role("combobox", name="批次")
    batch.wait_for(timeout=30_000)
    assert batch.input_value() == "常住人口_0301.csv · 常住人口 · 拒收 12 行"
    page.locator('[data-testid="stDataFrame"]').nth(3).wait_for(timeout=30_000)
    shoot(page, SHOTS / f"sources-{name}.png")
    page.close()
