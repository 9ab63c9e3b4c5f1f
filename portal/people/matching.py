"""Identity keys as departments send them: resident ID numbers (GB 11643, judged by
warehouse/rules/resident_id.py with python-stdnum: check character, birth date, address code),
mobile numbers and names, normalised so that one person's records meet, and a search text
read as an ID number, a phone or a name.

Normalising never guesses: full-width digits become ASCII, spaces and dashes go, a lower-case
x becomes X, a 15-digit (1st generation) number gains its century and check character; a
number whose check character is wrong stays unmatched and the message names the expected one.
Names are kept exactly as written (rare characters such as 𠈌 or 䶮 included), only trimmed.
"""

from __future__ import annotations

import functools
import re
import unicodedata
from dataclasses import dataclass

from portal.errors import EpiError
from warehouse.rules import resident_id
from warehouse.rules.resident_id import check_character

__all__ = ["Search", "SearchRefused", "check_character", "id_problem", "normalise_id", "normalise_name",
           "normalise_phone", "parse_search", "valid_id"]
_SEPARATORS = re.compile(r"[\s\-－—_·.]+")
_MOBILE = re.compile(r"1[3-9]\d{9}")


class SearchRefused(EpiError, ValueError):
    """Why a search text cannot be used, in words for the user."""


def _ascii(text: str) -> str:
    """Full-width digits, letters and spaces → ASCII (NFKC), separators removed."""
    return _SEPARATORS.sub("", unicodedata.normalize("NFKC", text or "")).strip()


def normalise_id(raw: str) -> str:
    """An ID number as sent → its 18-character form with upper-case X; '' if it is not one.

    The check character is not verified here (see id_problem); a 15-digit number is widened
    with '19' and its computed check character."""
    text = _ascii(raw).upper()
    if re.fullmatch(r"\d{15}", text):
        body = text[:6] + "19" + text[6:]
        return body + check_character(body)
    if re.fullmatch(r"\d{17}[\dX]", text):
        return text
    return ""


def id_problem(raw: str) -> str | None:
    """None when `raw` is a valid ID number, else one sentence saying what is wrong."""
    text = _ascii(raw).upper()
    if not text:
        return "请输入身份证号码。"
    if not re.fullmatch(r"\d{15}|\d{17}[\dX]", text):
        return f"“{raw.strip()}”不是有效的身份证号码：应为 18 位（末位可为 X）或 15 位数字。"
    number = normalise_id(text)
    wrong = resident_id.problem(number)
    if wrong == resident_id.CHECK:
        return (f"身份证号码校验位错误：按 GB 11643 校验，前 17 位对应的校验位应为“{check_character(number[:17])}”，"
                f"而不是“{number[17]}”，请核对号码。")
    if wrong == resident_id.BIRTH_DATE:
        return f"身份证号码第 7–14 位“{number[6:14]}”不是有效的出生日期，请核对号码。"
    if wrong == resident_id.REGION:
        return f"身份证号码前 6 位“{number[:6]}”不是已知的行政区划代码（GB/T 2260），请核对号码。"
    return None


@functools.lru_cache(maxsize=1 << 16)
def valid_id(raw: str) -> str:
    """The normalised ID number when it is valid (check character included), else ''
    (what id_problem accepts, normalised once; a topic's records name the same people often)."""
    number = normalise_id(raw)
    return number if number and resident_id.problem(number) is None else ""


def normalise_phone(raw: str) -> str:
    """A mobile number as sent (spaces, dashes, +86 / 0086 / 86 prefix) → its 11 digits, else ''."""
    text = _ascii(raw)
    for prefix in ("+86", "0086", "86"):
        if text.startswith(prefix) and len(text) - len(prefix) == 11:
            text = text[len(prefix):]
            break
    return text if _MOBILE.fullmatch(text) else ""


def normalise_name(raw: str) -> str:
    """A name kept exactly as written (no folding of rare or variant characters), trimmed."""
    return (raw or "").strip()


@dataclass(frozen=True)
class Search:
    """A search text read as one kind of key: 'id_number', 'phone' or 'name'."""

    kind: str
    value: str


def parse_search(text: str) -> Search:
    """Read a search text; raise SearchRefused with a clear message when it cannot be used."""
    raw = (text or "").strip()
    if not raw:
        raise SearchRefused("请输入身份证号码、手机号码或姓名后再查询。")
    compact = _ascii(raw)
    if re.fullmatch(r"[\dXx]{15,18}", compact) and not normalise_phone(raw):
        problem = id_problem(raw)
        if problem:
            raise SearchRefused(problem)
        return Search("id_number", normalise_id(raw))
    if re.fullmatch(r"\+?\d{8,16}", compact):
        phone = normalise_phone(raw)
        if not phone:
            raise SearchRefused(f"“{raw}”不是有效的手机号码：应为 11 位，以 1 开头（可带 +86）。")
        return Search("phone", phone)
    name = normalise_name(raw)
    if any(ch.isdigit() for ch in name):
        raise SearchRefused(f"“{raw}”既不是身份证号码、手机号码，也不是姓名，请核对。")
    if len(name) > 20:
        raise SearchRefused("姓名不超过 20 个字。")
    return Search("name", name)
