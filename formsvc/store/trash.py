"""Recently deleted records: a forum, a village/community or a project, kept 30 days.

Deleting still deletes the rows (so every query, count, export, document, criterion and
change stamp sees them gone as before); ``keep`` stores a copy of them, taken inside
the same transaction, as JSON in ``deleted_record`` (migration 22). Restoring puts the
rows back with their own ids when those are free (the audit log then shows the same
record deleted and inserted again); the triggers of migration 12 bump the LAO's stamp
on both. The record modules say what a kind's rows are and when putting them back would
break a rule; this module only keeps, lists, takes and purges the copies."""

from __future__ import annotations

import datetime as _dt
import json

from formsvc.domain import clock
from formsvc.domain.clock import now_iso
from formsvc.store import attachments
from formsvc.store.db import one
from formsvc.store.errors import NotFound
from formsvc.store.people import person_sql

KEEP_DAYS = 30


def _cutoff() -> str:
    return (clock.now() - _dt.timedelta(days=KEEP_DAYS)).isoformat(timespec="seconds")


def rows(db, table: str, where: str, params) -> list[dict]:
    """The rows of ``table`` as dicts (every column), to keep."""
    return list(db.query(f"SELECT * FROM {table} WHERE {where} ORDER BY id", params))


def keep(db, lao_id: int, kind: str, record_id: int, label: str, data: dict, user_id: int | None) -> int:
    """Keep a copy of a record being deleted (call inside the deleting transaction)."""
    cursor = db.execute(
        "INSERT INTO deleted_record (lao_id, kind, record_id, label, data, deleted_by, deleted_at)"
        " VALUES (?, ?, ?, ?, ?, ?, ?)",
        [lao_id, kind, record_id, label, json.dumps(data, ensure_ascii=False), user_id, now_iso()],
    )
    return cursor.lastrowid


def recent(db, lao_id: int) -> list[dict]:
    """What was deleted in the LAO in the last 30 days, newest first, with who deleted it."""
    return list(
        db.query(
            "SELECT d.id, d.kind, d.record_id, d.label, d.deleted_by, d.deleted_at,"
            f" {person_sql('u')} AS deleted_by_name FROM deleted_record d"
            " LEFT JOIN user u ON u.id = d.deleted_by WHERE d.lao_id = ? AND d.deleted_at >= ?"
            " ORDER BY d.deleted_at DESC, d.id DESC",
            [lao_id, _cutoff()],
        )
    )


def get(db, lao_id: int, entry_id: int) -> dict:
    """A kept record of the LAO still within its 30 days, with its rows (``data``)."""
    row = one(
        db,
        "SELECT * FROM deleted_record WHERE id = ? AND lao_id = ? AND deleted_at >= ?",
        [entry_id, lao_id, _cutoff()],
    )
    if row is None:
        raise NotFound(entry_id)
    row["data"] = json.loads(row["data"])
    return row


def forget(db, entry_id: int) -> None:
    """Drop a kept copy (once its record is back)."""
    db.execute("DELETE FROM deleted_record WHERE id = ?", [entry_id])


def insert(db, table: str, row: dict) -> int:
    """Put a kept row back: with its own id when that is free, a new one otherwise."""
    row = dict(row)
    if one(db, f"SELECT id FROM {table} WHERE id = ?", [row["id"]]):
        del row["id"]
    columns = list(row)
    cursor = db.execute(
        f"INSERT INTO {table} ({', '.join(columns)}) VALUES ({', '.join('?' for _ in columns)})",
        [row[c] for c in columns],
    )
    return cursor.lastrowid


def purge(db) -> int:
    """Drop the copies older than 30 days, for good, and the attachments deleted that
    long ago (with the files no other attachment names). Returns how many."""
    with db.atomic():
        count = db.execute("DELETE FROM deleted_record WHERE deleted_at < ?", [_cutoff()]).rowcount
    return count + attachments.purge(db)
