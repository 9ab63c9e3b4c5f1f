"""The public queue page's board: open sites with the names a resident knows (site, street,
community, district), found by a typed text, ordered by wait or by distance from a chosen
community, and drawn as cards that read at a phone's width."""

from __future__ import annotations

import html
import re

import numpy as np
import pandas as pd

from portal.glossary import SITE_STATES
from portal.testing.sampling import EARTH_M

SEARCH_MAX = 30  # characters: a site, street or community name with room to spare
SHOWN = 40  # cards drawn at once; the search narrows the rest
_CONTROL = re.compile(r"[\x00-\x1f\x7f-\x9f\u2028\u2029\ufeff]")


class SearchRefused(ValueError):
    """A search text the page does not take; str() says why, in Chinese."""


def search_terms(text: str) -> list[str]:
    """The words of a typed search (spaces, full-width ones too, separate them), checked: at most
    SEARCH_MAX characters and no control characters. The words are matched as plain text."""
    text = (text or "").replace("\u3000", " ").strip()
    if len(text) > SEARCH_MAX:
        raise SearchRefused(f"搜索内容最多 {SEARCH_MAX} 个字，请缩短后再试。")
    if _CONTROL.search(text):
        raise SearchRefused("搜索内容含有不可见字符，请重新输入。")
    return text.split()


def named(sites: pd.DataFrame, districts: dict[str, str], streets: pd.DataFrame,
          communities: pd.DataFrame) -> pd.DataFrame:
    """Sites with the names of their district, street and community."""
    street_names = dict(zip(streets["unit_code"], streets["name"]))
    community_names = dict(zip(communities["unit_code"], communities["name"]))
    code = sites["community_code"].astype(str)
    return sites.assign(district=code.str[:6].map(districts).fillna(""),
                        street=code.str[:9].map(street_names).fillna(""),
                        community=code.map(community_names).fillna(""))


def matching(sites: pd.DataFrame, terms: list[str]) -> pd.DataFrame:
    """The sites whose name, street, community or district holds every word."""
    if not terms:
        return sites
    text = sites["site_name"] + " " + sites["street"] + " " + sites["community"] + " " + sites["district"]
    keep = np.ones(len(sites), dtype=bool)
    for term in terms:
        keep &= text.str.contains(term, regex=False).to_numpy()
    return sites[keep]


def with_distance(sites: pd.DataFrame, lon: float, lat: float) -> pd.DataFrame:
    """Sites with their great-circle distance in metres from a point (a community's centre)."""
    la1, la2 = np.radians(lat), np.radians(sites["lat"].astype(float))
    dlat, dlon = la2 - la1, np.radians(sites["lon"].astype(float) - lon)
    a = np.sin(dlat / 2) ** 2 + np.cos(la1) * np.cos(la2) * np.sin(dlon / 2) ** 2
    return sites.assign(distance_m=2 * EARTH_M * np.arcsin(np.sqrt(a)))


def ordered(sites: pd.DataFrame, by_distance: bool) -> pd.DataFrame:
    """Nearest first (then shorter wait), or shorter wait first (then nearer when known)."""
    if by_distance:
        return sites.sort_values(["distance_m", "queue_minutes", "site_code"])
    return sites.sort_values(["queue_minutes", "site_code"])


def distance_text(metres: float) -> str:
    return f"{metres:,.0f} 米" if metres < 1000 else f"{metres / 1000:,.1f} 公里"


_CSS = """
<style>
.pq-list { display: grid; grid-template-columns: repeat(auto-fill, minmax(17rem, 1fr)); gap: 0.6rem; }
.pq-card { border: 1px solid rgba(49, 51, 63, 0.2); border-radius: 0.5rem; padding: 0.6rem 0.8rem;
           line-height: 1.55; overflow-wrap: anywhere; }
.pq-name { font-weight: 600; font-size: 1.05rem; }
.pq-wait { font-weight: 600; }
.pq-clear { color: #1a9850; } .pq-busy { color: #b36b00; } .pq-congested { color: #d7191c; }
.pq-where, .pq-when { font-size: 0.9rem; color: rgba(49, 51, 63, 0.8); }
</style>
"""


def cards(sites: pd.DataFrame) -> str:
    """The sites as cards (HTML, every value escaped): name; state and wait; district, street and
    community; update time, opening hours and, when known, the distance."""
    items = []
    for s in sites.itertuples():
        state = str(s.state)
        place = " · ".join(html.escape(str(v)) for v in (s.district, s.street, s.community) if v)
        when = [f"更新时间 {html.escape(str(s.updated))}", f"开放 {int(s.open_hour)}:00–{int(s.close_hour)}:00"]
        if "distance_m" in sites.columns:
            when.append(f"距离约 {distance_text(float(s.distance_m))}")
        items.append(
            f'<div class="pq-card" data-site="{html.escape(str(s.site_code))}">'
            f'<div class="pq-name">{html.escape(str(s.site_name))}</div>'
            f'<div class="pq-wait pq-{html.escape(state)}">{SITE_STATES.get(state, "")} · 预计等候 {int(s.queue_minutes)} 分钟</div>'
            f'<div class="pq-where">{place}</div>'
            f'<div class="pq-when">{" · ".join(when)}</div></div>')
    return _CSS + '<div class="pq-list">' + "".join(items) + "</div>"
