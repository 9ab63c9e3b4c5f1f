"""One export path for every download: glossary headers, masking unless unmasked, text a
spreadsheet would run as a formula kept as text, CSV with BOM or XLSX, an audit event; and no
page or portal module offers a download any other way."""

import io
import re
from pathlib import Path

import pandas as pd
import pytest
import streamlit as st

from portal import ui

ROOT = Path(__file__).resolve().parent.parent
FORMULAS = ["=HYPERLINK(\"http://example.invalid\",\"点我\")", "+cmd|' /C calc'!A0", "@SUM(A1:A9)", "-2+3",
            "\t=1+1", "核酸"]


class _Column:
    """Stands in for a Streamlit column: keeps what each download button would send."""

    def __init__(self, sent: dict):
        self.sent = sent

    def download_button(self, label, data, file_name, *args, **kwargs):
        self.sent[file_name] = data


@pytest.fixture
def sent(monkeypatch) -> dict:
    sent: dict = {}
    monkeypatch.setattr(st, "columns", lambda spec, **kw: [_Column(sent) for _ in range(spec if isinstance(spec, int)
                                                                                        else len(spec))])
    return sent


def _bytes(data) -> bytes:
    return data() if callable(data) else data


def test_table_downloads_keep_formulas_as_text(sent):
    frame = pd.DataFrame({"topic": FORMULAS, "worked_days": [1, -2, 3, 4, 5, 6], "person_name": ["张三丰"] * 6})
    ui.download_buttons(frame, "超期诉求", "overdue")
    csv = pd.read_csv(io.BytesIO(_bytes(sent["超期诉求.csv"])), dtype=str, encoding="utf-8-sig")
    assert csv.columns.tolist() == ["话题", "已用工作日", "姓名"]
    assert csv["话题"].tolist() == ["'" + f for f in FORMULAS[:5]] + ["核酸"]
    assert csv["已用工作日"].tolist() == ["1", "-2", "3", "4", "5", "6"]  # numbers stay numbers
    assert set(csv["姓名"]) == {"张**"}
    from openpyxl import load_workbook

    sheet = load_workbook(io.BytesIO(_bytes(sent["超期诉求.xlsx"]))).active
    cells = [(c.value, c.data_type) for c in sheet["A"][1:]]
    assert all(kind == "s" for _, kind in cells), cells  # no formula cell
    assert [c.quotePrefix for c in sheet["A"][1:6]] == [True] * 5
    assert [c.value for c in sheet["B"][1:]] == [1, -2, 3, 4, 5, 6]


def test_only_the_export_module_offers_downloads():
    offenders = []
    for folder in ("pages", "portal"):
        for path in sorted((ROOT / folder).rglob("*.py")):
            if path == ROOT / "portal" / "exports.py":
                continue
            for n, line in enumerate(path.read_text(encoding="utf-8").splitlines(), 1):
                if re.search(r"download_button\(", line):
                    offenders.append(f"{path.relative_to(ROOT)}:{n}")
    assert offenders == []
