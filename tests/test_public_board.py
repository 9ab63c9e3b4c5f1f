"""The residents' queue cards are HTML: every value from the warehouse reaches it escaped."""

import pandas as pd

from portal.testing import public_board


def test_site_values_are_escaped_in_the_cards():
    sites = pd.DataFrame([{
        "site_code": 'HS-"x"', "site_name": "<script>alert(1)</script>春熙核酸采样点",
        "state": "busy", "queue_minutes": 31, "district": "锦江区", "street": "<b>春熙路街道</b>",
        "community": "A&B社区", "updated": "03-01 10:12", "open_hour": 8, "close_hour": 22,
    }])
    html = public_board.cards(sites)
    assert "<script>" not in html and "<b>" not in html
    assert "&lt;script&gt;alert(1)&lt;/script&gt;春熙核酸采样点" in html
    assert 'data-site="HS-&quot;x&quot;"' in html
    assert "锦江区 · &lt;b&gt;春熙路街道&lt;/b&gt; · A&amp;B社区" in html
    assert "繁忙 · 预计等候 31 分钟" in html
