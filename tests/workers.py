"""Functions run in other processes by the concurrency tests (a spawned process imports
them by name, so they live in a module of their own, not inside a test)."""

from __future__ import annotations

import datetime as dt


def issue_order(db_path: str, lao_id: int, barrier, results) -> None:
    """Issue one order for the LAO, from a process with its own connection; report the
    number (or the error) on ``results``."""
    from formsvc import services
    from formsvc.store import connect
    from tests.conftest import CE

    db = connect(db_path)
    try:
        barrier.wait(timeout=60)
        results.put(services.issue_order(db, lao_id, dt.date(CE, 6, 1), None, None)["number"])
    except Exception as error:  # reported to the test, which fails on it
        results.put(f"{type(error).__name__}: {error}")
    finally:
        db.close()
