"""Bi-monthly reporting (guideline §4.2(5)): periods, due dates, and the states a
report goes through."""

from __future__ import annotations

import datetime as _dt
from dataclasses import dataclass

from formsvc.domain import thai
from formsvc.domain.messages import msg

STATUSES = ("draft", "submitted", "acknowledged", "returned")
STATUS_TH = {
    "draft": "ร่าง",
    "submitted": "ส่งแล้ว รอตรวจรับ",
    "acknowledged": "อำเภอรับทราบแล้ว",
    "returned": "อำเภอส่งกลับให้แก้ไข",
    "missing": "ยังไม่ได้จัดทำ",
}
# the UI's names (English ids; Thai from the catalog)
STATUS_LABELS = {
    "draft": msg("Draft"),
    "submitted": msg("Submitted, waiting for the district"),
    "acknowledged": msg("Acknowledged by the district"),
    "returned": msg("Returned by the district for correction"),
    "missing": msg("Not yet written"),
}
# a district report's states (the province reviews it), as the UI names them
DISTRICT_STATUS_LABELS = {
    "draft": msg("Draft"),
    "submitted": msg("Submitted, waiting for the province"),
    "acknowledged": msg("Acknowledged by the province"),
    "returned": msg("Returned by the province for correction"),
    "missing": msg("Not yet sent"),
}
PROVINCE_STATUS_LABELS = {
    "draft": msg("Draft"),
    "submitted": msg("Submitted, waiting for the national office"),
    "acknowledged": msg("Acknowledged by the national office"),
    "returned": msg("Returned by the national office for correction"),
    "missing": msg("Not yet sent"),
}
REVIEW_DECISIONS = {"acknowledge": msg("Acknowledge"), "return": msg("Return for correction")}
DEFAULT_LATE_DAYS = 15


@dataclass(frozen=True)
class Period:
    number: int
    start: _dt.date
    end: _dt.date

    def label(self, style: str = "arabic") -> str:
        """'ม.ค. – ก.พ. 2569' (or one month for a last, single-month period)."""
        year = thai.be_year(self.start)
        if self.start.month == self.end.month:
            return thai.digits(f"{thai.month_name(self.start.month)} {year}", style)
        return thai.digits(
            f"{thai.month_name(self.start.month, True)} – {thai.month_name(self.end.month, True)} {year}", style
        )

    def due(self, late_days: int) -> _dt.date:
        return self.end + _dt.timedelta(days=late_days)


def _month_end(year: int, month: int) -> _dt.date:
    first_next = _dt.date(year + (month == 12), month % 12 + 1, 1)
    return first_next - _dt.timedelta(days=1)


def periods(year_be: int, start_month: int, end_month: int) -> list[Period]:
    """Consecutive two-month windows from the start month to the end month
    (docs/domain.md, "Reporting periods and lateness")."""
    year = thai.ce_year(year_be)
    result, month, number = [], start_month, 1
    while month <= end_month:
        last = min(month + 1, end_month)
        result.append(Period(number, _dt.date(year, month, 1), _month_end(year, last)))
        month, number = last + 1, number + 1
    return result


def days_late_on(period: Period, day: _dt.date, late_days: int) -> int:
    """How many days after the period's due day ``day`` is (0 on or before it)."""
    return max(0, (day - period.due(late_days)).days)


def days_late(period: Period, submitted_days_late: int | None, today: _dt.date, late_days: int) -> int:
    """The one rule for "late, and by how many days" (0: not late), used by every view.

    ``submitted_days_late`` is what the report's first submitted version recorded when
    it was sent (None: never submitted). A report sent late stays late by that count for
    good, whatever happens to it afterwards (acknowledged, returned, sent again); a
    correction sent after the district returned an on-time report does not make it
    late. A report never submitted (none, or a draft) is late by today's count once the
    due day has passed."""
    if submitted_days_late is not None:
        return submitted_days_late
    return days_late_on(period, today, late_days)
