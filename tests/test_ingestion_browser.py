"""The data-sources page in Debian's Chromium: a portal server on its own copy of the tiny
warehouse, into which a department file was loaded with the CLI (conftest.py's sources_server);
the figures on screen match the load."""

import pytest
from portal_server import SHOTS, shoot
from signing import browser_sign_in

pytestmark = [pytest.mark.browser, pytest.mark.slow]


def metric(page, label: str) -> str:
    card = page.locator('[data-testid="stMetric"]').filter(has_text=label).first
    return card.locator('[data-testid="stMetricValue"]').inner_text().strip()


@pytest.mark.parametrize("width,height,name", [(1440, 1000, "desktop"), (390, 844, "phone")])
def test_data_sources_page_in_the_browser(wh, sources_server, browser, width, height, name):
    url, bad = sources_server
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
    # the seed's daily files (tests/test_seed_provenance.py) and the file loaded with the CLI
    seeded, seeded_rows = wh.rows("SELECT count(), sum(rows_loaded) FROM epi.ingest_batch FINAL "
                                  "WHERE file_format = 'seed'")[0]
    assert metric(page, "数据批次（批）") == f"{seeded + 1:,}"
    assert metric(page, "载入行数（行）") == f"{seeded_rows + 288:,}"
    assert metric(page, "拒收行数（行）") == f"{len(bad)}"
    batch = page.get_by_role("combobox", name="批次")
    batch.wait_for(timeout=30_000)
    assert batch.input_value() == "常住人口_0301.csv · 常住人口 · 拒收 12 行"
    page.locator('[data-testid="stDataFrame"]').nth(3).wait_for(timeout=30_000)
    shoot(page, SHOTS / f"sources-{name}.png")
    page.close()


def test_the_upload_box_speaks_chinese(sources_server, browser, tmp_path):
    """Streamlit writes the uploader's button and size line in English and has no option for
    them: the portal's style sheet writes them over in Chinese."""
    url, _bad = sources_server
    page = browser.new_page(viewport={"width": 1440, "height": 1000})
    page.goto(url)
    browser_sign_in(page, "analyst")
    page.get_by_role("heading", name="指挥总览").wait_for(timeout=90_000)
    page.get_by_role("link", name="数据来源").click()
    page.get_by_role("heading", name="载入部门文件").wait_for(timeout=90_000)
    zone = page.locator('[data-testid="stFileUploaderDropzone"]')
    zone.scroll_into_view_if_needed()
    button = zone.locator("button").first
    assert button.evaluate("b => getComputedStyle(b, '::after').content") == '"选择文件"'
    assert button.evaluate("b => getComputedStyle(b).fontSize") == "0px"
    line = page.locator('[data-testid="stFileUploaderDropzoneInstructions"] span').last
    assert "单个文件不超过 200MB" in line.evaluate("s => getComputedStyle(s, '::after').content")
    assert line.evaluate("s => getComputedStyle(s).fontSize") == "0px"
    page.wait_for_timeout(500)
    zone.screenshot(path=str(SHOTS / "sources-upload-box.png"))
    # a chosen file keeps its remove cross (the Chinese text is on the other buttons only), and
    # the cross takes it away again; nothing is loaded without 载入
    chosen = tmp_path / "未载入.csv"
    chosen.write_text("person_id\n1\n", encoding="utf-8")
    page.locator('[data-testid="stFileUploaderDropzoneInput"]').set_input_files(str(chosen))
    cross = page.locator('[data-testid="stFileChip"]').filter(has_text=chosen.name).locator(
        '[data-testid="stFileChipDeleteBtn"] button')
    cross.wait_for(timeout=30_000)  # visible: its icon is not hidden
    assert cross.locator("svg").evaluate("i => getComputedStyle(i).display") != "none"
    cross.click()
    page.locator('[data-testid="stFileChip"]').wait_for(state="detached", timeout=30_000)
    page.close()
