"""The reports of the levels above the LAOs in a period (guideline §4.2(5), §7.1): which
district offices and province offices must send one, how many sent it and how many of
those sent it late. A district must report when at least one model LAO served it in the
period (``model_lao_term``, as the roll-up reads it); a province when at least one of
its districts must. A report is sent when a submitted version exists, late when its
first version recorded days late (what was recorded when it was sent stays, whatever
happened to the report afterwards)."""

from __future__ import annotations

_SERVED = (
    "SELECT DISTINCT m.district_code FROM model_lao_term m"
    " WHERE m.programme_year = ? AND m.from_period <= ? AND (m.to_period IS NULL OR m.to_period >= ?)"
)


def _counts(db, sql: str, params: list) -> dict:
    row = db.execute(sql, params).fetchone()
    expected, sent, late = (n or 0 for n in row)
    return {"expected": expected, "sent": sent, "late": late}


def district_counts(db, year: int, period: int) -> dict:
    """{expected, sent, late}: the districts that must send their report of the period of
    programme year ``year``, how many sent it, how many of those late. One query."""
    return _counts(
        db,
        "SELECT count(*), count(first.id), sum(first.days_late > 0)"
        f" FROM ({_SERVED}) e"
        " LEFT JOIN district_report r ON r.district_code = e.district_code"
        "  AND r.programme_year = ? AND r.period = ?"
        " LEFT JOIN district_report_submission first ON first.district_report_id = r.id AND first.number = 1",
        [year, period, period, year, period],
    )


def province_counts(db, year: int, period: int) -> dict:
    """{expected, sent, late}: the provinces that must send their report of the period
    (those with a district that must), how many sent it, how many of those late. One query."""
    return _counts(
        db,
        "SELECT count(*), count(first.id), sum(first.days_late > 0)"
        f" FROM (SELECT DISTINCT d.province_code FROM ({_SERVED}) e JOIN district d ON d.code = e.district_code) p"
        " LEFT JOIN province_report r ON r.province_code = p.province_code"
        "  AND r.programme_year = ? AND r.period = ?"
        " LEFT JOIN province_report_submission first ON first.province_report_id = r.id AND first.number = 1",
        [year, period, period, year, period],
    )
