"""Thai dates, fiscal years, digits and baht text, on pythainlp.util.

Dates in code are ``datetime.date``; Buddhist Era years and Thai digits appear only at
the edge (templates, forms, documents). Babel's Thai locale prints the Gregorian year,
so document and page dates come from here, never from Babel.
"""

from __future__ import annotations

import datetime as _dt
import re
from decimal import Decimal

from pythainlp.util import (
    arabic_digit_to_thai_digit,
    bahttext,
    thai_digit_to_arabic_digit,
    thai_strftime,
)
from pythainlp.util.date import thai_abbr_months, thai_full_months

from formsvc.domain.clock import BANGKOK
from formsvc.domain.errors import InputError
from formsvc.domain.messages import msg

BE_OFFSET = 543
DIGIT_STYLES = ("thai", "arabic")


def local_moment(moment_iso: str) -> _dt.datetime:
    """A stored UTC timestamp in Thai time."""
    moment = _dt.datetime.fromisoformat(moment_iso)
    if moment.tzinfo is None:
        moment = moment.replace(tzinfo=_dt.UTC)
    return moment.astimezone(BANGKOK)


def local_date(moment_iso: str) -> _dt.date:
    """The Thai calendar date of a stored UTC timestamp."""
    return local_moment(moment_iso).date()


def datetime_text(moment: _dt.datetime, style: str = "arabic") -> str:
    """'25 พฤศจิกายน 2569 14:05 น.' (the moment as given: convert to Thai time first)."""
    return digits(f"{date_long(moment.date(), 'arabic')} {moment:%H:%M} น.", style)


def moment_text(moment_iso: str, style: str = "arabic") -> str:
    """A stored UTC timestamp in Thai time, as datetime_text writes it."""
    return datetime_text(local_moment(moment_iso), style)


def be_year(d: _dt.date) -> int:
    """The Buddhist Era year of a date: CE + 543."""
    return d.year + BE_OFFSET


def ce_year(year_be: int) -> int:
    return year_be - BE_OFFSET


def fiscal_year(d: _dt.date) -> int:
    """The Thai fiscal year (ปีงบประมาณ) of a date, in BE.

    It runs 1 October – 30 September and is named by the BE year in which it ends:
    fiscal_year(2024-10-01) = 2568, fiscal_year(2025-09-30) = 2568.
    """
    return be_year(d) + (1 if d.month >= 10 else 0)


def digits(text: str, style: str = "thai") -> str:
    """Write the digits of ``text`` in the given style ('thai' or 'arabic')."""
    if style == "thai":
        return arabic_digit_to_thai_digit(text)
    if style == "arabic":
        return thai_digit_to_arabic_digit(text)
    raise ValueError(f"unknown digit style {style!r}")


def to_thai_digits(text) -> str:
    return arabic_digit_to_thai_digit(str(text))


def to_arabic_digits(text) -> str:
    return thai_digit_to_arabic_digit(str(text))


def _as_datetime(d: _dt.date) -> _dt.datetime:
    if isinstance(d, _dt.datetime):
        return d
    return _dt.datetime(d.year, d.month, d.day)


def date_long(d: _dt.date, style: str = "thai", with_be: bool = False) -> str:
    """'25 พฤศจิกายน 2569' (or with Thai digits, or 'พ.ศ.' before the year)."""
    fmt = "%-d %B พ.ศ. %Y" if with_be else "%-d %B %Y"
    return digits(thai_strftime(_as_datetime(d), fmt), style)


def date_short(d: _dt.date, style: str = "thai") -> str:
    """'25 พ.ย. 69' in the style of Thai official short dates."""
    return digits(thai_strftime(_as_datetime(d), "%-d %b %y"), style)


def month_name(month: int, short: bool = False) -> str:
    return (thai_abbr_months if short else thai_full_months)[month - 1]


def month_year(month: int, year_be: int, style: str = "thai", short: bool = False) -> str:
    """'มกราคม 2569' for a month of a BE year."""
    return digits(f"{month_name(month, short)} {year_be}", style)


def date_input(d: _dt.date | None) -> str:
    """How a date is typed in a form: '25/11/2569' (day/month/BE year)."""
    if d is None:
        return ""
    return f"{d.day:02d}/{d.month:02d}/{be_year(d)}"


_DATE_INPUT = re.compile(r"^\s*(\d{1,2})\s*[/.-]\s*(\d{1,2})\s*[/.-]\s*(\d{4})\s*$")


def parse_date_input(text: str) -> _dt.date:
    """Parse '25/11/2569' (Thai or Arabic digits; a BE year, or a CE year before 2400).

    Raises :class:`~formsvc.domain.errors.InputError` (a ValueError) on anything else.
    """
    match = _DATE_INPUT.match(to_arabic_digits(text or ""))
    if not match:
        raise InputError(msg("Write the date as day/month/Buddhist year, e.g. 25/11/2569."))
    day, month, year = (int(g) for g in match.groups())
    if year > 2400:
        year -= BE_OFFSET
    try:
        return _dt.date(year, month, day)
    except ValueError:
        raise InputError(msg("There is no such date in the calendar.")) from None


def baht_text(amount: Decimal | int | str) -> str:
    """Amount in words: 'หนึ่งพันสองร้อยบาทถ้วน'."""
    value = Decimal(str(amount)).quantize(Decimal("0.01"))
    return bahttext(float(value))


def money(amount: Decimal | int | str, style: str = "arabic") -> str:
    """'1,234.50' with thousands separators and two decimals."""
    value = Decimal(str(amount)).quantize(Decimal("0.01"))
    return digits(f"{value:,.2f}", style)
