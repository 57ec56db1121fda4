"""One clock: today's date and the time are read in formsvc.domain.clock only, and the
demo's programme year follows it."""

from __future__ import annotations

import datetime as dt
import re
from pathlib import Path

import formsvc
from formsvc.domain import clock, thai
from formsvc.store import programme as programme_store
from formsvc.store import reports as report_store
from formsvc.store.setup import demo_year

# every way Python or SQLite can read the time of day
READS = re.compile(
    r"date\.today\(|datetime\.now\(|datetime\.utcnow\(|\btime\.time\(|\btime\.localtime\("
    r"|\btime\.gmtime\(|'now'|\"now\"|CURRENT_(TIMESTAMP|DATE|TIME)\b",
    re.I,
)


def test_nothing_reads_the_time_but_the_clock():
    package = Path(formsvc.__file__).parent
    found = []
    for path in package.rglob("*.py"):
        if path.name == "clock.py" and path.parent.name == "domain":
            continue
        for number, line in enumerate(path.read_text(encoding="utf-8").splitlines(), 1):
            if READS.search(line.split("#", 1)[0]):
                found.append(f"{path.relative_to(package)}:{number}: {line.strip()}")
    assert found == []


def test_the_scan_finds_a_read_of_the_time(tmp_path):
    # the pattern above must catch what it is for, or the test before it proves nothing
    for line in (
        "x = date.today()",
        "datetime.now(timezone.utc)",
        "time.time() - 5",
        "SELECT datetime('now')",
        "DEFAULT CURRENT_TIMESTAMP",
    ):
        assert READS.search(line), line
    assert not READS.search("clock.now_iso()") and not READS.search("known = 1")


def test_today_is_the_thai_calendar_date(travel):
    travel(dt.datetime(2031, 3, 9, 16, 59, tzinfo=dt.UTC))
    assert clock.today() == dt.date(2031, 3, 9)
    travel(dt.datetime(2031, 3, 9, 17, 0, tzinfo=dt.UTC))  # midnight in Bangkok
    assert clock.today() == dt.date(2031, 3, 10) and thai.be_year(clock.today()) == 2574
    assert clock.now_iso().startswith("2031-03-09T17:00")


def test_the_demo_year_follows_the_clock():
    # the latest year whose third period (May–June) has ended: its reports of periods
    # 1 to 3 lie in the past, and a later period of that year is open
    assert demo_year(dt.date(2031, 6, 30)) == 2573
    assert demo_year(dt.date(2031, 7, 1)) == 2574
    assert demo_year(dt.date(2031, 1, 1)) == 2573
    assert demo_year(dt.date(2031, 10, 1)) == 2574


def test_the_demo_database_is_of_the_demo_year(db):
    year = programme_store.get_programme(db).year_be
    assert year == demo_year(clock.today())
    third = report_store.period(db, 3)
    assert third.end < clock.today()
    submitted = [r[0] for r in db.execute("SELECT submitted_at FROM report_submission")]
    assert submitted and all(thai.local_date(at) <= clock.today() for at in submitted)


def test_a_new_database_starts_in_the_year_of_today(tmp_path, travel):
    from formsvc.store import connect
    from formsvc.store.setup import init_db

    travel(dt.date(2031, 2, 1))
    db = connect(tmp_path / "new.db")
    try:
        init_db(db)
        assert programme_store.get_programme(db).year_be == 2574
    finally:
        db.close()
