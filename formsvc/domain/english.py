"""Dates and months as an English reader expects them (the Gregorian year), for the
English UI and English e-mail; the Thai forms are in :mod:`formsvc.domain.thai`."""

from __future__ import annotations

import datetime as _dt

MONTHS = (
    "January",
    "February",
    "March",
    "April",
    "May",
    "June",
    "July",
    "August",
    "September",
    "October",
    "November",
    "December",
)


def month_name(month: int, short: bool = False) -> str:
    """'November', or 'Nov' when ``short``."""
    name = MONTHS[month - 1]
    return name[:3] if short else name


def date_long(d: _dt.date) -> str:
    """'25 November 2026'."""
    return f"{d.day} {month_name(d.month)} {d.year}"


def months_label(start: _dt.date, end: _dt.date) -> str:
    """A span of months: 'Jan–Feb 2026', or 'November 2026' for one month."""
    if start.month == end.month and start.year == end.year:
        return f"{month_name(start.month)} {start.year}"
    return f"{month_name(start.month, True)}–{month_name(end.month, True)} {end.year}"
