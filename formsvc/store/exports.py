"""Background export jobs: one row per request for a ZIP of a period's report forms.

The row is the job's whole state (queued → running → done, failed or cancelled; a done
job's file later expires), so any web worker can show its progress and a reload loses
nothing. A runner process claims queued jobs one at a time under BEGIN IMMEDIATE, so two
runners never take the same job, and writes a heartbeat with every document: a running
job whose heartbeat stops (its process was killed) is shown as failed, never as running
forever.
"""

from __future__ import annotations

import datetime as _dt
import sqlite3
import time

from formsvc.domain import clock
from formsvc.domain.clock import now_iso
from formsvc.domain.messages import Msg, from_stored, msg, stored
from formsvc.store.db import one
from formsvc.store.errors import InputError, NotFound

FORMATS = ("pdf", "docx", "pdf,docx")
ACTIVE = ("queued", "running")
STATUS_TH = {
    "queued": "รอคิว",
    "running": "กำลังจัดทำ",
    "done": "เสร็จแล้ว",
    "failed": "ไม่สำเร็จ",
    "cancelled": "ยกเลิกแล้ว",
    "expired": "หมดอายุ (ลบไฟล์แล้ว)",
}
MAX_RUNNING = 2  # jobs rendering at once on this server
MAX_ACTIVE_PER_USER = 3  # queued or running jobs one user may have
HEARTBEAT_SECONDS = 10  # a running job's runner writes at least this often
STALE_SECONDS = 120  # a running job without a heartbeat for this long has died
RESPAWN_SECONDS = 30  # a waiting job gets a new runner at most this often
QUEUE_LIMIT_SECONDS = 600  # a job no runner has taken in this time fails
KEEP_HOURS = 24  # how long a finished ZIP stays downloadable

STOPPED = msg("Making the file stopped part-way. Please ask for it again.")
NOT_TAKEN = msg("The file was not started within 10 minutes. Please try again, or tell the administrator.")


def _ago(seconds: float) -> str:
    return (clock.now() - _dt.timedelta(seconds=seconds)).isoformat(timespec="seconds")


def reap(db) -> list[int]:
    """Fail running jobs whose runner died (no heartbeat) and queued jobs that no
    runner took in time. Returns their ids."""
    stale = (
        "SELECT id, status FROM export_job WHERE (status = 'running' AND heartbeat_at < ?)"
        " OR (status = 'queued' AND created_at < ?)"
    )
    params = [_ago(STALE_SECONDS), _ago(QUEUE_LIMIT_SECONDS)]
    if one(db, stale, params) is None:
        return []  # the usual case, without taking the write lock
    with db.atomic(outermost=True):
        rows = list(db.query(stale, params))
        for row in rows:
            db.execute(
                "UPDATE export_job SET status = 'failed', error = ?, finished_at = ? WHERE id = ?",
                [stored(STOPPED if row["status"] == "running" else NOT_TAKEN), now_iso(), row["id"]],
            )
    return [row["id"] for row in rows]


def create(
    db, user_id: int, programme_year: int, period: int, province_code: str | None, formats: str
) -> tuple[int, bool]:
    """A queued job, or the same user's identical job that is still queued or running.
    Returns (job id, created)."""
    if formats not in FORMATS:
        raise InputError(msg("Not a valid file format."), "formats")
    reap(db)
    with db.atomic(outermost=True):
        same = one(
            db,
            "SELECT id FROM export_job WHERE user_id = ? AND programme_year = ? AND period = ?"
            " AND province_code IS ? AND formats = ? AND status IN ('queued', 'running')",
            [user_id, programme_year, period, province_code, formats],
        )
        if same:
            return same["id"], False
        active = db.execute(
            "SELECT count(*) FROM export_job WHERE user_id = ? AND status IN ('queued', 'running')", [user_id]
        ).fetchone()[0]
        if active >= MAX_ACTIVE_PER_USER:
            raise InputError(
                msg("You have %(n)s unfinished file jobs; wait for them to finish or cancel them first.", n=active),
                "formats",
            )
        cursor = db.execute(
            "INSERT INTO export_job (user_id, programme_year, period, province_code, formats, created_at)"
            " VALUES (?, ?, ?, ?, ?, ?)",
            [user_id, programme_year, period, province_code, formats, now_iso()],
        )
        return cursor.lastrowid, True


def get(db, job_id: int, user_id: int | None = None) -> dict:
    """A job (only the user's own when ``user_id`` is given). A done job past
    KEEP_HOURS reads as expired even before clean-up has run."""
    row = one(db, "SELECT * FROM export_job WHERE id = ?", [job_id])
    if row is None or (user_id is not None and row["user_id"] != user_id):
        raise NotFound(job_id)
    if row["status"] == "done" and row["finished_at"] < _ago(KEEP_HOURS * 3600):
        row["status"] = "expired"
    row["status_th"] = STATUS_TH[row["status"]]
    row["error"] = from_stored(row["error"])  # a Msg: shown in the reader's language
    row["percent"] = int(row["done"] * 100 / row["total"]) if row["total"] else (100 if row["status"] == "done" else 0)
    row["finished"] = row["status"] not in ACTIVE
    return row


def of_user(db, user_id: int, limit: int = 20) -> list[dict]:
    rows = list(
        db.query(
            "SELECT j.*, p.name_th AS province_name FROM export_job j"
            " LEFT JOIN province p ON p.code = j.province_code"
            " WHERE j.user_id = ? ORDER BY j.id DESC LIMIT ?",
            [user_id, limit],
        )
    )
    for row in rows:
        row["status_th"] = STATUS_TH[row["status"]]
        row["error"] = from_stored(row["error"])
    return rows


def statuses(db) -> dict[int, str]:
    """Every job's status by id."""
    return {r["id"]: r["status"] for r in db.query("SELECT id, status FROM export_job")}


def oldest_queued_at(db) -> str | None:
    """When the job waiting longest was queued (ISO), or None when none waits."""
    return one(db, "SELECT min(created_at) AS at FROM export_job WHERE status = 'queued'")["at"]


def running_count(db) -> int:
    return db.execute(
        "SELECT count(*) FROM export_job WHERE status = 'running' AND heartbeat_at >= ?", [_ago(STALE_SECONDS)]
    ).fetchone()[0]


def claim(db, pid: int) -> dict | None:
    """Take the oldest queued job for this runner, unless MAX_RUNNING are already running."""
    with db.atomic(outermost=True):
        if running_count(db) >= MAX_RUNNING:
            return None
        row = one(db, "SELECT id FROM export_job WHERE status = 'queued' ORDER BY id LIMIT 1")
        if row is None:
            return None
        now = now_iso()
        db.execute(
            "UPDATE export_job SET status = 'running', pid = ?, started_at = ?, heartbeat_at = ? WHERE id = ?",
            [pid, now, now, row["id"]],
        )
    return get(db, row["id"])


def progress(db, job_id: int, done: int, total: int) -> bool:
    """Record progress and the heartbeat; False when the user asked to cancel (or the
    job was failed meanwhile). A busy database skips one update rather than the job."""
    try:
        with db.atomic(outermost=True):
            db.execute(
                "UPDATE export_job SET done = ?, total = ?, heartbeat_at = ? WHERE id = ? AND status = 'running'",
                [done, total, now_iso(), job_id],
            )
    except sqlite3.OperationalError:
        pass
    row = one(db, "SELECT cancel_requested, status FROM export_job WHERE id = ?", [job_id])
    return bool(row) and row["status"] == "running" and not row["cancel_requested"]


def beat(db, job_id: int) -> None:
    try:
        with db.atomic(outermost=True):
            db.execute(
                "UPDATE export_job SET heartbeat_at = ? WHERE id = ? AND status = 'running'", [now_iso(), job_id]
            )
    except sqlite3.OperationalError:
        pass  # the next beat will do


def finish(
    db,
    job_id: int,
    status: str,
    *,
    file_name: str = "",
    size: int | None = None,
    sha256: str | None = None,
    error: str | Msg = "",
) -> None:
    """The job's end. Retried while the database is busy: a finished ZIP must not be
    left looking unfinished. ``error`` is kept so that it shows in the reader's language
    (``messages.stored``)."""
    error = stored(error)
    assert status in ("done", "failed", "cancelled")
    for attempt in range(5):
        try:
            with db.atomic(outermost=True):
                db.execute(
                    "UPDATE export_job SET status = ?, file_name = ?, size = ?, sha256 = ?, error = ?,"
                    " finished_at = ? WHERE id = ? AND status = 'running'",
                    [status, file_name, size, sha256, error, now_iso(), job_id],
                )
            return
        except sqlite3.OperationalError:
            if attempt == 4:
                raise
            time.sleep(1 + attempt)


def cancel(db, job_id: int, user_id: int) -> dict:
    """A queued job is cancelled at once; a running one stops before its next document."""
    get(db, job_id, user_id)
    with db.atomic(outermost=True):
        db.execute(
            "UPDATE export_job SET status = 'cancelled', finished_at = ? WHERE id = ? AND status = 'queued'",
            [now_iso(), job_id],
        )
        db.execute("UPDATE export_job SET cancel_requested = 1 WHERE id = ? AND status = 'running'", [job_id])
    return get(db, job_id, user_id)


def expire(db) -> list[int]:
    """Done jobs older than KEEP_HOURS: marked expired (the caller deletes their files)."""
    cutoff = _ago(KEEP_HOURS * 3600)
    if one(db, "SELECT id FROM export_job WHERE status = 'done' AND finished_at < ?", [cutoff]) is None:
        return []
    with db.atomic(outermost=True):
        ids = [
            r["id"] for r in db.query("SELECT id FROM export_job WHERE status = 'done' AND finished_at < ?", [cutoff])
        ]
        for job_id in ids:
            db.execute("UPDATE export_job SET status = 'expired' WHERE id = ?", [job_id])
    return ids
