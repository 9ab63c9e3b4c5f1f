"""No English word on any page a leader sees, in Debian's Chromium on the session's portal server
(conftest.py): every page of the leader's menu and each of its tabs, opened from the sidebar; the
visible text, the tooltips and labels of visible buttons, and the text plotly draws in its charts
(axes, legends, a hover label). Data tables, maps and canvases hold data and are left out."""

import re

import pytest
from portal_server import SHOTS, failures, idle, shoot
from signing import browser_sign_in

from portal.auth import access
from portal.auth.identity import Identity

pytestmark = [pytest.mark.browser, pytest.mark.slow]
ENGLISH = re.compile(r"[A-Za-z]{3,}")
# words a leader may read in Latin letters: names of file formats, as every office program shows
# them (the download buttons, the briefing as a Word file, the zone editor's file to paste)
ALLOWED_WORDS = {"XLSX", "CSV", "Word", "GeoJSON"}
# Streamlit's own labels for assistive technology and keyboard users, which no API sets (Streamlit
# 1.x): they are not drawn on the page (aria-label), or only on keyboard focus (the skip link)
STREAMLIT_LABELS = re.compile("|".join([
    r"Skip to main content",  # the skip link, shown when the page is reached with the Tab key
    r"Collapse sidebar",  # the sidebar's collapse button
    r"Link to heading",  # the anchor beside each heading
    r"Help( for .+)?",  # the (?) of a metric's or widget's help text; the text itself is ours
    r"Choose date",  # the calendar button of st.date_input
    r"Open",  # the arrow button of st.selectbox / st.multiselect
    r"Increment|Decrement",  # the +/- buttons of st.number_input
    r"Remove .+|Clear all",  # the x of a chosen option in st.multiselect, and of all of them
    r"Fullscreen(: .+)?",  # the full-screen button of an image or chart, shown on hover as an icon
]))

# The visible text of the page outside data: text nodes whose element is displayed, not inside a
# data table, map, canvas, code or icon (material icons are glyphs drawn from their English
# names); the title, aria-label and shown placeholder of visible controls; the document's title.
# Plotly's SVG text (axes, legends, titles, hover) is among the text nodes. Each text comes with
# the HTML it was found in, for the failure message.
COLLECT = """() => {
  const skip = '[data-testid="stDataFrame"], [data-testid="stDeckGlJsonChart"], canvas, '
             + '[data-testid="stCode"], [data-testid="stGraphVizChart"], [data-testid="stTable"], '
             + '[data-testid="stIconMaterial"], script, style';
  const shown = el => el && el.checkVisibility({visibilityProperty: true}) && !el.closest(skip);
  const found = [[document.title, 'title']];
  const walker = document.createTreeWalker(document.body, NodeFilter.SHOW_TEXT);
  for (let n = walker.nextNode(); n; n = walker.nextNode()) {
    const text = n.textContent.trim();
    if (text && shown(n.parentElement)) found.push([text, n.parentElement.outerHTML.slice(0, 200)]);
  }
  for (const el of document.querySelectorAll('button, a, [role="button"], input, textarea, [title]')) {
    if (!shown(el)) continue;
    for (const attr of ['title', 'aria-label', 'placeholder']) {
      const value = el.getAttribute(attr);
      // a placeholder shows only while its box is empty
      if (value && !(attr === 'placeholder' && el.value)) found.push([value, el.outerHTML.slice(0, 200)]);
    }
  }
  return found;
}"""


def english(texts: list[str]) -> set[str]:
    """The English words in the texts, but for the allowed words and Streamlit's own labels."""
    return {word for text in texts if not STREAMLIT_LABELS.fullmatch(text)
            for word in ENGLISH.findall(text) if word not in ALLOWED_WORDS}


def test_english_finder_finds_english():
    """The check itself: a word of three letters or more is found, the allowed ones are not."""
    assert english(["2月20日 Feb 20", "导出 CSV", "Rt 1.2", "sum of samples", "Help for 在管人员（人）",
                    "Open", "Open file"]) == {"Feb", "sum", "samples", "Open", "file"}


def test_a_leader_sees_no_english_word(tiny_warehouse, server, browser):
    SHOTS.mkdir(exist_ok=True)
    context = browser.new_context(viewport={"width": 1440, "height": 1000})
    page = context.new_page()
    page.goto(server)
    browser_sign_in(page)
    page.get_by_role("heading", name="指挥总览").wait_for(timeout=90_000)
    idle(page)
    # the tab's icon is the portal's own (portal/favicon.png, served by Streamlit as a media file),
    # not Streamlit's crown (./favicon.png) nor a material icon fetched from Google
    icon = page.locator('link[rel="shortcut icon"]').get_attribute("href")
    assert re.search(r"/media/[0-9a-f]+\.png$", icon), icon

    menu = access.menu_for(Identity("测试指挥部领导", "leadership", ""))
    found: dict[str, tuple[str, str]] = {}  # an English text → the page and the HTML it is on
    titles: dict[str, str] = {}
    # 指挥大屏 hides the sidebar (a wall display): it is opened last
    visits = sorted(((file, title) for pages in menu.values() for file, title, _ in pages),
                    key=lambda visit: visit[0] == "big_screen.py")
    assert visits[-1][0] == "big_screen.py"
    for file, title in visits:
        page.locator('[data-testid="stSidebarNav"] a').filter(has_text=title).first.click()
        page.wait_for_function(f"() => document.title.startsWith({title!r})", timeout=60_000)
        idle(page)
        titles[title] = page.title()
        seen = dict(page.evaluate(COLLECT))
        tabs = page.locator('[data-testid="stTabs"] [role="tab"]')
        for i in range(tabs.count()):
            tabs.nth(i).click()
            idle(page)
            seen.update(page.evaluate(COLLECT))
        assert failures(page) == [], file
        for text, html in seen.items():
            if english([text]):
                found.setdefault(text, (title, html))
    assert found == {}, "\n".join(f"{text!r} on {title}: {html}" for text, (title, html) in found.items())
    assert titles == {title: f"{title} · 成都市疫情防控指挥平台" for pages in menu.values() for _, title, _ in pages}
    context.close()


@pytest.mark.parametrize("width,height,name", [(1440, 1000, "desktop"), (390, 844, "phone")])
def test_chart_axes_and_hover_read_chinese_dates(tiny_warehouse, server, browser, width, height, name):
    """The cockpit's trend charts: dates on the axis as 3月14日, the hover label too; screenshots of
    the cockpit and of 采样进度与检测 (hours of the day as 14时)."""
    context = browser.new_context(viewport={"width": width, "height": height})
    page = context.new_page()
    page.goto(server)
    browser_sign_in(page)
    page.get_by_role("heading", name="指挥总览").wait_for(timeout=90_000)
    # the trend charts stand in the page's columns (the sign-in page's off-screen warm-up chart
    # may not yet be replaced when the heading shows)
    chart = page.locator('[data-testid="stColumn"] [data-testid="stPlotlyChart"]').first
    chart.scroll_into_view_if_needed()
    chart.locator(".main-svg").first.wait_for(timeout=90_000)
    idle(page)
    ticks = chart.locator(".xaxislayer-above .xtick text").all_text_contents()
    assert ticks and all(re.fullmatch(r"\d{1,2}月\d{1,2}日", t) for t in ticks), ticks
    assert chart.locator(".modebar").count() == 0  # no plotly toolbar
    # along the foot of the plot, where every day's bar stands, until a hover label with text
    # shows (up to three sweeps: on a busy machine the chart may still be settling)
    hover = chart.locator(".hoverlayer text")
    shown = ""
    for _sweep in range(3):
        chart.scroll_into_view_if_needed()
        box = chart.locator(".nsewdrag").first.bounding_box()
        for step in range(19, 0, -1):
            page.mouse.move(box["x"] + box["width"] * step / 20, box["y"] + box["height"] - 2, steps=4)
            page.wait_for_timeout(400)
            shown = " ".join(hover.all_text_contents()).strip()
            if shown:
                break
        if shown:
            break
        page.mouse.move(0, 0)
        idle(page)
    assert re.search(r"\d{1,2}月\d{1,2}日", shown) and not english([shown]), shown
    shoot(page, SHOTS / f"charts-cockpit-{name}.png")

    if name == "phone":
        page.locator('[data-testid="stExpandSidebarButton"], [data-testid="stSidebarCollapsedControl"] button').first.click()
    page.locator('[data-testid="stSidebarNav"] a').filter(has_text="采样进度与检测").first.click()
    page.get_by_role("heading", name="采样进度与检测").wait_for(timeout=90_000)
    if name == "phone" and page.locator('[data-testid="stSidebar"][data-collapsed="false"]').count():
        page.locator('[data-testid="stSidebarCollapseButton"] button, [data-testid="stSidebarCollapseButton"]').first.click()
    chart = page.locator('[data-testid="stPlotlyChart"]').first
    chart.locator(".main-svg").first.wait_for(timeout=90_000)
    idle(page)
    ticks = chart.locator(".xaxislayer-above .xtick text").all_text_contents()
    assert ticks and all(re.fullmatch(r"\d{1,2}时", t) for t in ticks), ticks
    shoot(page, SHOTS / f"charts-testing-progress-{name}.png")
    context.close()
