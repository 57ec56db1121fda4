"""The one clock: every read of today's date or the time in formsvc goes through here.

Nothing else calls ``date.today()``, ``datetime.now()``, ``time.time()`` or SQLite's
``'now'``, so what "today" means (the Thai calendar date, whatever zone the server
runs in) is decided once, and a test sets it one way: the ``travel`` fixture of
``tests/conftest.py`` (time-machine, which replaces the C-level clock functions these
call). ``make test`` also runs the suite with the whole process clock moved
(libfaketime), which this module follows too.
"""

from __future__ import annotations

import datetime as _dt
import time
from zoneinfo import ZoneInfo

BANGKOK = ZoneInfo("Asia/Bangkok")


def now() -> _dt.datetime:
    """The current moment, timezone-aware, in UTC (what the database stores)."""
    return _dt.datetime.now(_dt.UTC)


def now_iso() -> str:
    """The current moment as stored in the database: '2026-11-30T01:41:10+00:00'."""
    return now().isoformat(timespec="seconds")


def local_now() -> _dt.datetime:
    """The time in Thailand."""
    return now().astimezone(BANGKOK)


def today() -> _dt.date:
    """Today in Thailand (a server may run in UTC: 01:30 in Bangkok is still yesterday there)."""
    return local_now().date()


def timestamp() -> float:
    """Seconds since the epoch, for comparing with file times."""
    return time.time()


def monotonic() -> float:
    """Seconds from a clock that never goes back, for deadlines and durations (not a
    moment: only differences between two readings mean anything)."""
    return time.monotonic()
