"""Personal data as shown: masked by default in every table, text and export, shown in full
only to users who may unmask (`Identity.can_unmask`) and only after they ask, each time audited.

The one place that knows what is personal and how it is masked:

- ID numbers keep the first 6 and the last 4 characters (`510104********1234`): the address
  code and the check group; masking only the birth date would be reversible by the check digit;
- mobile numbers keep the first 3 and the last 4 digits (`138****5678`);
- names keep their first character (`张**`);
- an address below the community (compound, building, household) keeps its first character.

Tables are masked by their Chinese column headers (`姓名`, `身份证号码`, `手机号码`, `户号`,
`住址`, …) — an English column name is read through the column glossary (`person_name` is
`姓名`) — so a page that shows a frame through `portal.ui` cannot forget a column; free text
(a rejected file line) has its ID numbers and mobile numbers masked where they appear.
"""

from __future__ import annotations

import re
from collections.abc import Callable

import pandas as pd

from portal import glossary
from portal.people.matching import normalise_id, normalise_phone

TOGGLE_LABEL = "显示完整信息"
TOGGLE_HELP = "显示完整的姓名、身份证号码、手机号码与住址。仅限有权限的用户，每次显示都记入审计日志。"
EMPTY = "（空）"  # a placeholder for a value the source left empty; never masked
_AUDITED = "unmask-audited"  # session key: the disclosures already written to the audit log

_ID_IN_TEXT = re.compile(r"(?<![0-9A-Za-z])(\d{6})(\d{8})(\d{3}[\dXx])(?![0-9A-Za-z])")
_MOBILE_IN_TEXT = re.compile(r"(?<!\d)(1[3-9]\d)(\d{4})(\d{4})(?!\d)")


def mask_id(number: str) -> str:
    """510104********1234: the first 6 and the last 4 characters of an ID number."""
    raw = "" if number is None or (isinstance(number, float) and pd.isna(number)) else str(number)
    if raw == EMPTY:
        return raw
    n = normalise_id(raw) or raw.strip()
    if len(n) <= 10:
        return "*" * len(n)
    return n[:6] + "*" * (len(n) - 10) + n[-4:]


def mask_phone(phone: str) -> str:
    """138****5678: the first 3 and the last 4 digits of a phone number."""
    raw = "" if phone is None or (isinstance(phone, float) and pd.isna(phone)) else str(phone)
    if raw == EMPTY:
        return raw
    p = normalise_phone(raw) or raw.strip()
    if len(p) <= 7:
        return "*" * len(p)
    return p[:3] + "*" * (len(p) - 7) + p[-4:]


def mask_name(name: str) -> str:
    """张三丰 → 张**: the first character, then one star per character."""
    if name is None or (isinstance(name, float) and pd.isna(name)):
        return ""
    text = str(name)
    if text == EMPTY:
        return text
    return text[:1] + "*" * (len(text) - 1) if text else ""


def mask_address(text: str) -> str:
    """An address below the community (a compound, a household number): its first character."""
    return mask_name(text)


def mask_text(text: str) -> str:
    """Free text with every 18-character ID number and 11-digit mobile number in it masked."""
    if text is None or (isinstance(text, float) and pd.isna(text)):
        return ""
    out = _ID_IN_TEXT.sub(lambda m: m.group(1) + "*" * 8 + m.group(3), str(text))
    return _MOBILE_IN_TEXT.sub(lambda m: m.group(1) + "****" + m.group(3), out)


# header word → how the column is masked; the first word found in a header wins
HEADER_RULES: tuple[tuple[str, Callable[[str], str]], ...] = (
    ("身份证", mask_id),
    ("手机", mask_phone),
    ("电话", mask_phone),
    ("姓名", mask_name),
    ("户号", mask_address),
    ("住址", mask_address),
    ("原始内容", mask_text),
)


def rule_for(header) -> Callable[[str], str] | None:
    """How a column is masked, by its Chinese header (an English name is read through the glossary)."""
    text = glossary.label(header) if isinstance(header, str) else str(header)
    return next((rule for word, rule in HEADER_RULES if word in text), None)


def personal_columns(df: pd.DataFrame) -> list[str]:
    """The columns of a table that hold personal data, by their headers."""
    return [str(c) for c in df.columns if rule_for(c) is not None]


def mask_frame(df: pd.DataFrame) -> pd.DataFrame:
    """A copy of the table with every personal column masked (other columns untouched)."""
    cols = personal_columns(df)
    if not cols:
        return df
    out = df.copy()
    for col in out.columns:
        rule = rule_for(col)
        if rule is not None:
            out[col] = out[col].map(rule)
    return out


def shown(df: pd.DataFrame, clear: bool = False) -> pd.DataFrame:
    """The table as a user sees it: masked unless `clear` (from reveal()) says otherwise."""
    return df if clear else mask_frame(df)


def value(text, rule: Callable[[str], str], clear: bool = False) -> str:
    """One value as shown: as it is when clear, else masked by `rule`."""
    return "" if text is None else (str(text) if clear else rule(text))


def may_unmask(identity) -> bool:
    return bool(identity is not None and getattr(identity, "can_unmask", False) is True)


def reveal(identity, key: str, subject: str, what: str) -> bool:
    """The 显示完整信息 toggle for one table or file; True when it is on.

    Only a user whose identity may unmask gets the toggle; for anyone else a toggle state in
    the session (forged or left over) is dropped and the answer is False. Turning it on writes
    one `unmask` audit event saying what is shown (subject and `what`); the same disclosure
    on later reruns writes nothing more, a different one (another person, another list) does,
    and turning the toggle off and on again is a new disclosure."""
    import streamlit as st

    from portal.auth import audit

    state = f"unmask-{key}"
    audited: set = st.session_state.setdefault(_AUDITED, set())
    if not may_unmask(identity):
        st.session_state.pop(state, None)
        return False
    on = st.toggle(TOGGLE_LABEL, key=state, help=TOGGLE_HELP)
    if not on:
        audited.difference_update({m for m in audited if m[0] == key})
        return False
    mark = (key, subject, what)
    if mark not in audited:
        audit.record("unmask", identity, subject=subject[:80], detail=what)
        audited.add(mark)
    return True


def export_detail(fmt: str, rows: int, personal: list[str], clear: bool) -> str:
    """What an export held, for its audit event."""
    if not personal:
        return f"{fmt}，{rows:,} 行，不含个人信息"
    return f"{fmt}，{rows:,} 行，含个人信息（{'、'.join(personal)}），{'未脱敏' if clear else '已脱敏'}"


def record_export(identity, what: str, fmt: str, rows: int, personal: list[str], clear: bool) -> None:
    """Write one `export` audit event: what was exported, how many rows, masked or not."""
    from portal.auth import audit

    if identity is None:
        return
    audit.record("export", identity, subject=f"export:{what}"[:80],
                 detail=export_detail(fmt, rows, personal, clear))


def audited_export(identity, what: str, fmt: str, make: Callable[[], bytes], rows: int,
                   personal: list[str] | None = None, clear: bool = False) -> Callable[[], bytes]:
    """A download's data as a callable: the file is built when the user downloads it, and the
    export is audited at that moment (not when the page merely shows the button)."""

    def build() -> bytes:
        data = make()
        record_export(identity, what, fmt, rows, personal or [], clear)
        return data

    return build
