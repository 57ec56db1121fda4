"""How many days after the period's due day a report version was sent, fixed when it
is sent (store/reports.py). Versions sent before this column existed get it from their
submitted_at (its Thai calendar date) and the late-days setting now: computed in
Python, so this migration is a Python file."""

from __future__ import annotations

NAME = "days late recorded on each submitted report version"


def migrate(db):
    from formsvc.domain import thai
    from formsvc.domain.reports import DEFAULT_LATE_DAYS, days_late_on, periods

    db.execute("ALTER TABLE report_submission ADD COLUMN days_late INTEGER NOT NULL DEFAULT 0 CHECK (days_late >= 0)")
    programme = db.execute("SELECT start_month, end_month, late_days FROM programme WHERE id = 1").fetchone()
    if programme is None:
        return
    start_month, end_month, late_days = programme
    late_days = DEFAULT_LATE_DAYS if late_days is None else late_days
    rows = db.execute(
        "SELECT s.id, s.submitted_at, r.programme_year, r.period FROM report_submission s"
        " JOIN report r ON r.id = s.report_id"
    ).fetchall()
    updates = []
    for submission_id, submitted_at, year, number in rows:
        period = next((p for p in periods(year, start_month, end_month) if p.number == number), None)
        if period is not None:
            days = days_late_on(period, thai.local_date(submitted_at), late_days)
            if days:
                updates.append((days, submission_id))
    db.conn.executemany("UPDATE report_submission SET days_late = ? WHERE id = ?", updates)
