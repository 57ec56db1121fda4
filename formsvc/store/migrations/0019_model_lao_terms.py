"""model_lao keeps a district's current model LAO; model_lao_term keeps who served
which periods (from_period to to_period, NULL while serving), so a replaced LAO keeps
its reports in the periods it served and every view of a period shows the LAO of that
period. Built from the change log: a district's first selection serves from period 1,
each later change from the period its date fell in (the months in force now); a
term left with no period is dropped. Written out here, not imported, so the
migration stays as it was when later code changes.

The terms are computed in Python, so this migration is a Python file."""

from __future__ import annotations

from formsvc.store.migrations import run_script

NAME = "model LAO terms: which LAO served each district in which periods"


def migrate(db):
    import datetime as _dt
    from zoneinfo import ZoneInfo

    run_script(
        db,
        """
    CREATE TABLE model_lao_term (
        id INTEGER PRIMARY KEY,
        programme_year INTEGER NOT NULL,
        district_code TEXT NOT NULL REFERENCES district(code),
        lao_id INTEGER NOT NULL REFERENCES lao(id),
        from_period INTEGER NOT NULL CHECK (from_period >= 1),
        to_period INTEGER CHECK (to_period IS NULL OR to_period >= from_period),
        change_id INTEGER REFERENCES model_lao_change(id)
    );
    CREATE INDEX model_lao_term_district ON model_lao_term(programme_year, district_code, from_period);
    CREATE INDEX model_lao_term_lao ON model_lao_term(lao_id, programme_year);
    ALTER TABLE model_lao_change ADD COLUMN from_period INTEGER;
    """,
    )
    months = db.execute("SELECT start_month, end_month FROM programme WHERE id = 1").fetchone() or (1, 9)

    def period_of(changed_at: str, year_be: int) -> int:
        moment = _dt.datetime.fromisoformat(changed_at)
        if moment.tzinfo is None:
            moment = moment.replace(tzinfo=_dt.UTC)
        day = moment.astimezone(ZoneInfo("Asia/Bangkok")).date()
        year, (start, end) = year_be - 543, months
        if day.year < year or (day.year == year and day.month < start):
            return 1
        last = (end - start) // 2 + 1
        if day.year > year or day.month > end:
            return last
        return (day.month - start) // 2 + 1

    terms: dict[tuple, list] = {}
    for change_id, year, district, lao_id, changed_at in db.execute(
        "SELECT id, programme_year, district_code, lao_id, changed_at FROM model_lao_change ORDER BY id"
    ):
        chain = terms.setdefault((year, district), [])
        start = 1 if not chain else period_of(changed_at, year)
        if chain:
            chain[-1][3] = start - 1
            if chain[-1][3] < chain[-1][2]:
                chain.pop()  # replaced in the period it began: it served none
        start = max(start, chain[-1][3] + 1) if chain else start
        chain.append([lao_id, change_id, start, None])
        db.execute("UPDATE model_lao_change SET from_period = ? WHERE id = ?", [start, change_id])
    # a selection the change log does not hold serves the whole year
    for year, district, lao_id in db.execute("SELECT programme_year, district_code, lao_id FROM model_lao"):
        terms.setdefault((year, district), []) or terms[(year, district)].append([lao_id, None, 1, None])
    db.conn.executemany(
        "INSERT INTO model_lao_term (programme_year, district_code, lao_id, from_period, to_period, change_id)"
        " VALUES (?, ?, ?, ?, ?, ?)",
        [
            (year, district, lao_id, start, end, change_id)
            for (year, district), chain in terms.items()
            for lao_id, change_id, start, end in chain
        ],
    )
