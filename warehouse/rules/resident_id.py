"""Resident ID numbers (GB 11643-1999), checked with python-stdnum's `stdnum.cn.ric`: the check
character (ISO 7064 MOD 11-2), the birth date (a real calendar day) and the address code (a
GB/T 2260 county code stdnum knows). Department files (warehouse/ingest) and the portal's
person search (portal/people/matching.py) both judge a number here.

stdnum's own `validate()` also requires the address code to have existed in the birth year.
That is not a rule of the standard: the code is that of the residence where the number was
issued, and when 15-digit numbers became 18-digit ones (1999–2004) residents got the code of
where they lived then, so a Chengdu resident born in 1949 holds 锦江区's 510104 although the
district dates from 1990. That check would refuse 14,314 of the 20,937 IDs of the tiny seed and
the standard's own example 440524188001010014, so the address code is checked as known, at any
time, instead.
"""

from __future__ import annotations

from functools import lru_cache

from stdnum import numdb
from stdnum.cn import ric
from stdnum.exceptions import ValidationError

CHECK = "check"
BIRTH_DATE = "birth_date"
REGION = "region"


def check_character(first17: str) -> str:
    """The check character of the first 17 digits."""
    return ric.calc_check_digit(first17 + "0")  # stdnum reads the digits before the last one


def birth_date_valid(number: str) -> bool:
    """Whether digits 7–14 are a real calendar day (YYYYMMDD)."""
    return birth_digits_valid(number[6:14])


@lru_cache(maxsize=65536)
def birth_digits_valid(yyyymmdd: str) -> bool:
    """Whether 8 digits are a real calendar day, as stdnum reads a number's birth date."""
    try:
        ric.get_birth_date("0" * 6 + yyyymmdd + "0" * 4)
    except ValidationError:
        return False
    return True


@lru_cache(maxsize=8192)
def region_known(code: str) -> bool:
    """Whether a 6-digit address code is a county-level code in stdnum's GB/T 2260 list."""
    return any("county" in props for _part, props in numdb.get("cn/loc").info(code))


def problem(number: str) -> str | None:
    """What is wrong with an 18-character number of 17 digits and a digit or X (CHECK,
    BIRTH_DATE or REGION, in that order), or None when it is valid."""
    if number[17] != check_character(number[:17]):
        return CHECK
    if not birth_date_valid(number):
        return BIRTH_DATE
    if not region_known(number[:6]):
        return REGION
    return None
