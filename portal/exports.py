"""Every download the portal offers, one way: the only module that calls st.download_button.

A table is exported as it is shown: glossary headers, personal columns masked unless the user
may and did unmask (`masking.reveal()` → `clear`), then every text cell that a spreadsheet
would run as a formula (starting with = + - @, a tab or a carriage return) kept as text — in a
CSV with a leading `'` (OWASP's CSV-injection advice), in an XLSX as a text cell with Excel's
quote prefix; numbers (a negative one included) stay numbers. CSV is UTF-8 with a BOM (Excel
reads it as UTF-8). A document (the briefing, a GeoJSON plan) comes from its own builder.

Each download writes its audit event when the file is built — when the user downloads it, not
when the page merely shows the button.
"""

from __future__ import annotations

import io
from collections.abc import Callable

import pandas as pd

from portal import glossary
from portal.people import masking

FORMULA_START = ("=", "+", "-", "@", "\t", "\r")
MIME = {
    "csv": "text/csv",
    "xlsx": "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet",
    "docx": "application/vnd.openxmlformats-officedocument.wordprocessingml.document",
    "geojson": "application/geo+json",
}
FORMAT_NAMES = {"csv": "CSV", "xlsx": "XLSX", "docx": "Word", "geojson": "GeoJSON"}
SELF_AUDITED = "self-audited"  # `record=` for a builder that writes its own audit event (ad-hoc export)


def is_formula(value) -> bool:
    return isinstance(value, str) and value.startswith(FORMULA_START)


def neutralise(frame: pd.DataFrame) -> pd.DataFrame:
    """Text cells a spreadsheet would run as a formula get a leading ' (numeric columns untouched)."""
    out = frame
    for col in frame.columns:
        values = frame[col]
        if pd.api.types.is_numeric_dtype(values) or not values.map(is_formula).any():
            continue
        if out is frame:
            out = frame.copy()
        out[col] = values.map(lambda v: "'" + v if is_formula(v) else v)
    return out


def text_cells(sheet) -> None:
    """An openpyxl sheet's cells that read as formulas become text cells with the quote prefix."""
    for row in sheet.iter_rows():
        for cell in row:
            if cell.data_type == "f" or is_formula(cell.value):
                cell.data_type = "s"
                cell.quotePrefix = True


def csv_bytes(frame: pd.DataFrame) -> bytes:
    return neutralise(frame).to_csv(index=False).encode("utf-8-sig")


def xlsx_bytes(frame: pd.DataFrame, sheet: str = "Sheet1") -> bytes:
    buf = io.BytesIO()
    with pd.ExcelWriter(buf, engine="openpyxl") as writer:
        frame.to_excel(writer, index=False, sheet_name=sheet)
        text_cells(writer.sheets[sheet])
    return buf.getvalue()


def file_bytes(frame: pd.DataFrame, fmt: str, sheet: str = "Sheet1") -> bytes:
    """A table, already as it may be shown, as CSV or XLSX bytes."""
    if fmt == "csv":
        return csv_bytes(frame)
    if fmt == "xlsx":
        return xlsx_bytes(frame, sheet)
    raise ValueError(f"no table format {fmt!r}")


def shown(df: pd.DataFrame, clear: bool = False) -> tuple[pd.DataFrame, list[str]]:
    """The table as exported (glossary headers, masked unless `clear`) and its personal columns."""
    headed = glossary.headed(df)
    return masking.shown(headed, clear), masking.personal_columns(headed)


def download(container, label: str, build: Callable[[], bytes], file_name: str, fmt: str, key: str, *,
             what: str | None = None, rows: int = 0, personal: list[str] | None = None, clear: bool = False,
             record: Callable[[], None] | str | None = None, identity=None, **kwargs) -> None:
    """One download button (in `container`, a column or st). The file is built on download and
    the audit event written then: an `export` event naming `what`, or `record()` for a download
    with an event of its own kind; `record=SELF_AUDITED` when `build` writes its own."""
    import streamlit as st

    from portal.auth import session

    if record is None:
        if what is None:
            raise ValueError("a download needs `what` (or its own `record`) for the audit log")
        who = identity if identity is not None else session.current()
        data = masking.audited_export(who, what, FORMAT_NAMES.get(fmt, fmt), build, rows, personal, clear)
    elif record == SELF_AUDITED:
        data = build
    else:
        def data() -> bytes:
            made = build()
            record()
            return made
    (container or st).download_button(label, data, file_name, MIME.get(fmt, "application/octet-stream"),
                                      key=key, **kwargs)


def table_downloads(df: pd.DataFrame, stem: str, key: str, clear: bool = False,
                    formats: tuple[str, ...] = ("csv", "xlsx")) -> None:
    """CSV and XLSX downloads of a table side by side, each built (masked) and audited on download."""
    import streamlit as st

    personal = masking.personal_columns(glossary.headed(df))
    for col, fmt in zip(st.columns(len(formats)), formats):
        # masked when the file is asked for, not on every run of the page
        download(col, f"下载 {FORMAT_NAMES[fmt]}", lambda fmt=fmt: file_bytes(shown(df, clear)[0], fmt),
                 f"{stem}.{fmt}", fmt, f"{key}-{fmt}", what=stem, rows=len(df), personal=personal, clear=clear)
