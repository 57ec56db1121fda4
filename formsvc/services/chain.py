"""The reports of the district and province offices in a period, for the national summary
and the national page: how many must report, sent, sent late, and are missing, each
level with its due day (district reports ``late_days + district_due_days`` days after
the period's end, province reports ``province_due_days`` days after that; programme
settings of the year)."""

from __future__ import annotations

import datetime as _dt

from formsvc.domain import clock
from formsvc.store import chain as chain_store
from formsvc.store import programme as programme_store
from formsvc.store import reports as report_store

LEVELS = ("district", "province")


def status(db, period: int, year: int | None = None, today: _dt.date | None = None) -> list[dict]:
    """One entry per level above the LAOs (district, then province): ``level``,
    ``expected``, ``sent``, ``late`` (sent after the due day, as the first version
    recorded), ``missing`` (not sent), ``due`` (the due day) and ``overdue`` (today is
    after the due day: the missing ones are late too). Two queries."""
    today = today or clock.today()
    prog = programme_store.get_programme(db, year)
    the_period = report_store.period(db, period, prog.year_be)
    district_days = prog.late_days + prog.district_due_days
    days = {"district": district_days, "province": district_days + prog.province_due_days}
    counts = {
        "district": chain_store.district_counts(db, prog.year_be, period),
        "province": chain_store.province_counts(db, prog.year_be, period),
    }
    result = []
    for level in LEVELS:
        due = the_period.due(days[level])
        n = counts[level]
        result.append({"level": level, **n, "missing": n["expected"] - n["sent"], "due": due, "overdue": today > due})
    return result
