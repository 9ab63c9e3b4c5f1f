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
has its ID numbers (15 or 18 characters) and phones (mobiles with or without +86 / 0086 / 86,
landlines with their area code) masked where they appear, however spelled; a rejected file
line also loses the names its category's layout places in it (`mask_raw`).
"""

from __future__ import annotations

import csv
import io
import re
import unicodedata
from collections.abc import Callable

import pandas as pd

from portal import glossary
from portal.people.matching import normalise_id, normalise_phone

TOGGLE_LABEL = "显示完整信息"
TOGGLE_HELP = "显示完整的姓名、身份证号码、手机号码与住址。仅限有权限的用户，每次显示都记入审计日志。"
EMPTY = "（空）"  # a placeholder for a value the source left empty; never masked
_AUDITED = "unmask-audited"  # session key: the disclosures already written to the audit log

# One rule for personal numbers written into text, in any spelling: ASCII or full-width digits,
# a space or dash anywhere between them, a lower-case x; a digit right next to a match means it
# is part of a longer number and is left alone.
_D = "[0-9\uff10-\uff19]"
_SEP = "[ \u3000\\-\uff0d\u2014]?"
_EDGE_BEFORE, _EDGE_AFTER = "(?<![0-9\uff10-\uff19])", "(?![0-9\uff10-\uff19])"
_ID_IN_TEXT = re.compile(  # 18 characters (the last may be X) or 15 digits (1st generation)
    _EDGE_BEFORE + "[1-9\uff11-\uff19]"
    + f"(?:(?:{_SEP}{_D}){{16}}{_SEP}[0-9\uff10-\uff19Xx\uff38\uff58](?![0-9\uff10-\uff19Xx])"
    + f"|(?:{_SEP}{_D}){{14}}{_EDGE_AFTER})")
_MOBILE_IN_TEXT = re.compile(  # a mobile, with or without +86 / 0086 / 86 before it
    _EDGE_BEFORE + f"(?:(?:[+\uff0b]|00|\uff10\uff10)?{_SEP}(?:86|\uff18\uff16){_SEP})?"
    + f"[1\uff11][3-9\uff13-\uff19]{_D}(?:{_SEP}{_D}){{8}}{_EDGE_AFTER}")
# a landline: its area code (010, 02x, or 0 and three digits), in brackets or not, then 7-8 digits
_AREA = "[0\uff10](?:[1\uff11][0\uff10]|[2\uff12][0-9\uff10-\uff19]|[3-9\uff13-\uff19][0-9\uff10-\uff19]{2})"
_LANDLINE_IN_TEXT = re.compile(
    _EDGE_BEFORE + f"[(\uff08]?(?P<area>{_AREA})[)\uff09]?{_SEP}"
    + f"(?P<number>[2-9\uff12-\uff19](?:{_SEP}{_D}){{6,7}}){_EDGE_AFTER}")
_LANDLINE = re.compile(f"[(\uff08]?(?P<area>{_AREA})[)\uff09]?{_SEP}(?P<number>[2-9\uff12-\uff19](?:{_SEP}{_D}){{6,7}})")
_NOT_DIGIT = re.compile(r"\D")


def _digits(text: str) -> str:
    return _NOT_DIGIT.sub("", unicodedata.normalize("NFKC", text))


def _mask_landline(match: re.Match) -> str:
    """028-****3456: the area code, then the last 4 digits of the number."""
    number = _digits(match.group("number"))
    return _digits(match.group("area")) + "-" + "*" * (len(number) - 4) + number[-4:]


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
    """138****5678: the first 3 and the last 4 digits of a mobile number (a +86 / 0086 / 86
    prefix, spaces and dashes dropped); 028-****3456: a landline's area code and last 4 digits."""
    raw = "" if phone is None or (isinstance(phone, float) and pd.isna(phone)) else str(phone)
    if raw == EMPTY:
        return raw
    p = normalise_phone(raw)
    if not p:
        landline = _LANDLINE.fullmatch(raw.strip())
        if landline:
            return _mask_landline(landline)
        p = raw.strip()
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
    """Free text with every ID number (15 or 18 characters), mobile and landline in it masked,
    however it is spelled (full-width digits, spaces, dashes, lower-case x, +86 / 0086 / 86)."""
    if text is None or (isinstance(text, float) and pd.isna(text)):
        return ""
    out = _ID_IN_TEXT.sub(lambda m: mask_id(m.group(0)), str(text))
    out = _MOBILE_IN_TEXT.sub(lambda m: mask_phone(m.group(0)), out)
    return _LANDLINE_IN_TEXT.sub(_mask_landline, out)


# the file fields that hold a person's name, in a layout that describes people (one with an ID
# number; a compound's or a place's `name` is not personal)
NAME_FIELDS = ("name", "raw_name")
ID_FIELDS = ("id_number", "raw_id_number")
NAME_KEYS = ("姓名",)  # the Chinese header departments use for either


def name_fields(fields) -> set[str]:
    """The fields of a file layout that hold people's names."""
    fields = tuple(fields or ())
    return {f for f in fields if f in NAME_FIELDS} if any(f in ID_FIELDS for f in fields) else set()


def mask_raw(text: str, fields=()) -> str:
    """A rejected row's raw text as it may be shown: the fields its category's layout (`fields`,
    in file order) says are names keep their first character, and every ID number and phone
    anywhere in it is masked. A JSON record is read by its keys, a line by its positions."""
    if text is None or (isinstance(text, float) and pd.isna(text)):
        return ""
    out = str(text)
    names = name_fields(fields)
    if names and out.lstrip().startswith("{"):
        keys = "|".join(re.escape(k) for k in (*sorted(names), *NAME_KEYS))
        out = re.sub(rf'("(?:{keys})"\s*:\s*")((?:[^"\\]|\\.)*)(")',
                     lambda m: m.group(1) + mask_name(m.group(2)) + m.group(3), out)
    elif names:
        delimiter = "\t" if "\t" in out and "," not in out else ","
        cells = next(csv.reader([out], delimiter=delimiter), [])
        spots = [i for i, f in enumerate(fields) if f in names and i < len(cells)]
        if any(cells[i] for i in spots):
            for i in spots:
                cells[i] = mask_name(cells[i])
            buf = io.StringIO()
            csv.writer(buf, delimiter=delimiter, lineterminator="").writerow(cells)
            out = buf.getvalue()
    return mask_text(out)


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


# The common spellings of ID numbers and mobiles masked a whole column at once, with the same
# result as the rule value by value (a plain 18-character ID number and an 11-digit mobile are
# their own normal form); every other value goes through the rule itself.
_PLAIN_ID = r"[0-9]{17}[0-9X]"
_PLAIN_MOBILE = r"1[3-9][0-9]{9}"


def _mask_plain(values: pd.Series, rule: Callable[[str], str]) -> tuple[pd.Series, pd.Series] | None:
    """The masked plain values of a column, and which rows they are (None: no fast form)."""
    if rule is mask_id:
        plain = values.str.fullmatch(_PLAIN_ID).fillna(False).astype(bool)
        kept = values[plain]
        return kept.str[:6] + "********" + kept.str[-4:], plain
    if rule is mask_phone:
        plain = values.str.fullmatch(_PLAIN_MOBILE).fillna(False).astype(bool)
        kept = values[plain]
        return kept.str[:3] + "****" + kept.str[-4:], plain
    return None  # a name keeps its first character: value by value is as fast


def mask_column(values: pd.Series, rule: Callable[[str], str]) -> pd.Series:
    """A column masked by its rule: the plain spellings at once, the rest value by value."""
    try:
        fast = _mask_plain(values, rule)
    except AttributeError:  # a column with no text in it (numbers only): no plain spelling to find
        fast = None
    if fast is None:
        return values.map(rule)
    masked, plain = fast
    at = plain.to_numpy()  # by position: a table's index may repeat a label
    out = pd.Series(pd.NA, index=values.index, dtype=object)
    out[at] = masked.to_numpy(dtype=object)
    out[~at] = values[~at].map(rule).to_numpy(dtype=object)
    return out.astype(values.dtype) if isinstance(values.dtype, pd.StringDtype) else out


def mask_frame(df: pd.DataFrame) -> pd.DataFrame:
    """A copy of the table with every personal column masked (other columns untouched)."""
    cols = personal_columns(df)
    if not cols:
        return df
    out = df.copy()
    for col in out.columns:
        rule = rule_for(col)
        if rule is not None:
            out[col] = mask_column(out[col], rule)
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
