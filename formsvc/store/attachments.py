"""Attachments: rows in SQLite, bytes in files named by their SHA-256 beside the database.

The folder is ``<database name>.attachments`` next to the database file (for
``instance/formsvc.db``: ``instance/formsvc.attachments``), 0700, each file
``<sha[:2]>/<sha>``, 0600. The same bytes attached twice (to two records, or by two
LAOs) are one file. A file is written before the transaction that adds its row (the
bytes were cleaned and hashed before, never under the write lock); the transaction
checks the file is there and writes it again if a purge took it in between. A file is
removed only inside a write transaction that has found no row naming it, so a file
named by a row is never missing.

A row names its record by ``owner_kind`` and ``owner_id`` (:data:`OWNER_KINDS`); the
web layer checks the record exists and who may see it. Deleting marks the row
(``deleted_at``): it can be restored for :data:`KEEP_DAYS` days, then ``purge`` drops it
and the files no other row names.
"""

from __future__ import annotations

import datetime as _dt
import hashlib
import os
import secrets
from pathlib import Path

from formsvc.domain import clock
from formsvc.domain.clock import now_iso
from formsvc.domain.messages import msg
from formsvc.store import files
from formsvc.store.db import database_path, one, scalar
from formsvc.store.errors import InputError, NotFound

OWNER_KINDS = ("forum", "meeting", "visit", "report", "consent")  # consent: owner_id is the programme year
KEEP_DAYS = 30
MAX_PER_RECORD = 20
DEFAULT_QUOTA_MB = 200
SHA256_LENGTH = 64


def folder_for(db_file: str | Path) -> Path:
    """The attachments folder of the database file ``db_file`` (not created)."""
    db_file = Path(db_file).resolve()
    return db_file.with_name(db_file.stem + ".attachments")


def folder(db) -> Path:
    return folder_for(database_path(db))


def _valid_sha(sha: str) -> bool:
    return len(sha) == SHA256_LENGTH and all(c in "0123456789abcdef" for c in sha)


def file_path(base: Path, sha: str) -> Path:
    if not _valid_sha(sha):
        raise ValueError("not a SHA-256")
    return base / sha[:2] / sha


def has_file(base: Path, sha: str) -> bool:
    return file_path(base, sha).is_file()


def write_file(base: Path, sha: str, content: bytes) -> Path:
    """Store ``content`` under its SHA-256 ``sha`` (already computed by the caller), whole
    or not at all: written to a private temporary file, synced, then renamed. A file of
    that name already there is the same bytes and is left as it is."""
    path = file_path(base, sha)
    if path.is_file():
        return path
    files.private_dir(path.parent)
    tmp = path.with_name(f".{sha}.{os.getpid()}-{secrets.token_hex(4)}.tmp")
    try:
        with files.open_private(tmp) as fh:
            fh.write(content)
            fh.flush()
            os.fsync(fh.fileno())
        os.replace(tmp, path)
    finally:
        tmp.unlink(missing_ok=True)
    return path


def read_file(base: Path, sha: str) -> bytes:
    try:
        return file_path(base, sha).read_bytes()
    except FileNotFoundError:
        raise NotFound(sha) from None


def file_matches(base: Path, sha: str) -> bool:
    """Whether the file named ``sha`` is there and its bytes hash to its name."""
    try:
        return hashlib.sha256(file_path(base, sha).read_bytes()).hexdigest() == sha
    except (FileNotFoundError, ValueError):
        return False


def referenced(db) -> set[str]:
    """Every SHA-256 a row names (files and thumbnails, deleted rows too)."""
    found = set()
    for row in db.query("SELECT sha256, thumb_sha256 FROM attachment"):
        found.add(row["sha256"])
        if row["thumb_sha256"]:
            found.add(row["thumb_sha256"])
    return found


def _remove_unreferenced(db, base: Path, shas) -> int:
    """Remove the files of ``shas`` that no row names (call inside a write transaction)."""
    removed = 0
    for sha in set(shas):
        if not sha:
            continue
        if scalar(db, "SELECT 1 FROM attachment WHERE sha256 = ? OR thumb_sha256 = ? LIMIT 1", [sha, sha]):
            continue
        path = file_path(base, sha)
        if path.is_file():
            path.unlink()
            removed += 1
    return removed


# Settings and limits -------------------------------------------------------------------


def quota_bytes(db) -> int:
    """The open programme year's quota per LAO, in bytes."""
    mb = scalar(db, "SELECT attachment_quota_mb FROM programme ORDER BY year_be DESC LIMIT 1")  # the open year
    return (DEFAULT_QUOTA_MB if mb is None else mb) * 1024 * 1024


def used_bytes(db, lao_id: int) -> int:
    """What the LAO's attachments take (those deleted and still restorable too)."""
    return scalar(db, "SELECT coalesce(sum(size), 0) FROM attachment WHERE lao_id = ?", [lao_id])


def _mb(size: int) -> str:
    return f"{size / (1024 * 1024):.1f}"


def report_of(db, lao_id: int, report_id: int) -> dict:
    """The report an attachment belongs to: its period and status (NotFound if none)."""
    row = one(db, "SELECT id, period, status FROM report WHERE id = ? AND lao_id = ?", [report_id, lao_id])
    if row is None:
        raise NotFound(report_id)
    return row


def report_id(db, lao_id: int, number: int) -> int:
    """The id of the LAO's report of period ``number`` of the open year (NotFound when
    it was never saved)."""
    found = scalar(
        db,
        "SELECT id FROM report WHERE lao_id = ? AND period = ?"
        " AND programme_year = (SELECT max(year_be) FROM programme)",
        [lao_id, number],
    )
    if found is None:
        raise NotFound(number)
    return found


# Rows ----------------------------------------------------------------------------------


def add(
    db,
    lao_id: int,
    owner_kind: str,
    owner_id: int,
    prepared,
    user_id: int | None,
    *,
    max_per_record: int | None = None,
) -> int:
    """Add an attachment whose bytes (``prepared``: documents.attachments.Prepared) were
    written with ``write_file`` before. Refused (InputError) when the record has
    ``max_per_record`` attachments already or the LAO's quota would be passed."""
    if owner_kind not in OWNER_KINDS:
        raise ValueError(owner_kind)
    max_per_record = max_per_record or MAX_PER_RECORD
    base = folder(db)
    with db.atomic(outermost=True):
        count = scalar(
            db,
            "SELECT count(*) FROM attachment WHERE lao_id = ? AND owner_kind = ? AND owner_id = ?"
            " AND deleted_at IS NULL",
            [lao_id, owner_kind, owner_id],
        )
        if count >= max_per_record:
            raise InputError(
                msg("This record has %(max)s attachments already, the most it may have.", max=max_per_record), "file"
            )
        quota, used = quota_bytes(db), used_bytes(db, lao_id)
        if used + len(prepared.content) > quota:
            raise InputError(
                msg(
                    "The LAO's attachments would pass its quota of %(quota)s MB (%(used)s MB used); "
                    "delete attachments it no longer needs or ask the administrator.",
                    quota=_mb(quota),
                    used=_mb(used),
                ),
                "file",
            )
        # a purge may have taken a file of the same bytes after it was written: put it back
        write_file(base, prepared.sha256, prepared.content)
        if prepared.thumb is not None:
            write_file(base, prepared.thumb_sha256, prepared.thumb)
        cursor = db.execute(
            "INSERT INTO attachment (lao_id, owner_kind, owner_id, kind, file_name, mime, sha256, size,"
            " thumb_sha256, width, height, pages, uploaded_by, uploaded_at)"
            " VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)",
            [
                lao_id,
                owner_kind,
                owner_id,
                prepared.kind,
                prepared.file_name,
                prepared.mime,
                prepared.sha256,
                len(prepared.content),
                prepared.thumb_sha256,
                prepared.width,
                prepared.height,
                prepared.pages,
                user_id,
                now_iso(),
            ],
        )
        return cursor.lastrowid


def of_record(db, lao_id: int, owner_kind: str, owner_id: int, *, deleted: bool = False) -> list[dict]:
    """A record's attachments, oldest first; ``deleted``: those deleted and still restorable."""
    if deleted:
        condition, params = "deleted_at IS NOT NULL AND deleted_at >= ?", [_cutoff()]
    else:
        condition, params = "deleted_at IS NULL", []
    return list(
        db.query(
            f"SELECT * FROM attachment WHERE lao_id = ? AND owner_kind = ? AND owner_id = ? AND {condition}"
            " ORDER BY uploaded_at, id",
            [lao_id, owner_kind, owner_id, *params],
        )
    )


def of_records(db, lao_id: int, owners: list[tuple[str, int]]) -> list[dict]:
    """The attachments (not deleted) of several records of an LAO, in the order of
    ``owners``, each record's oldest first."""
    order = {owner: i for i, owner in enumerate(owners)}
    rows = [
        row
        for row in db.query(
            "SELECT * FROM attachment WHERE lao_id = ? AND deleted_at IS NULL ORDER BY uploaded_at, id", [lao_id]
        )
        if (row["owner_kind"], row["owner_id"]) in order
    ]
    return sorted(rows, key=lambda row: order[(row["owner_kind"], row["owner_id"])])


def get(db, lao_id: int, attachment_id: int, *, deleted: bool = False) -> dict:
    """An attachment of the LAO (NotFound otherwise); ``deleted``: one deleted and still
    restorable, instead of a live one."""
    row = one(db, "SELECT * FROM attachment WHERE id = ? AND lao_id = ?", [attachment_id, lao_id])
    if row is None:
        raise NotFound(attachment_id)
    if deleted != (row["deleted_at"] is not None) or (deleted and row["deleted_at"] < _cutoff()):
        raise NotFound(attachment_id)
    return row


def delete(db, lao_id: int, attachment_id: int, user_id: int | None) -> dict:
    """Mark an attachment deleted (restorable for KEEP_DAYS days). Returns its row."""
    with db.atomic():
        row = get(db, lao_id, attachment_id)
        db.execute(
            "UPDATE attachment SET deleted_at = ?, deleted_by = ? WHERE id = ?", [now_iso(), user_id, attachment_id]
        )
    return row


def restore(db, lao_id: int, attachment_id: int, *, max_per_record: int | None = None) -> dict:
    """Put a deleted attachment back on its record. Refused when the record has its
    most attachments meanwhile."""
    max_per_record = max_per_record or MAX_PER_RECORD
    base = folder(db)
    with db.atomic():
        row = get(db, lao_id, attachment_id, deleted=True)
        count = scalar(
            db,
            "SELECT count(*) FROM attachment WHERE lao_id = ? AND owner_kind = ? AND owner_id = ?"
            " AND deleted_at IS NULL",
            [lao_id, row["owner_kind"], row["owner_id"]],
        )
        if count >= max_per_record:
            raise InputError(
                msg("This record has %(max)s attachments already, the most it may have.", max=max_per_record), "file"
            )
        if not has_file(base, row["sha256"]):
            raise NotFound(attachment_id)
        db.execute("UPDATE attachment SET deleted_at = NULL, deleted_by = NULL WHERE id = ?", [attachment_id])
    return row


def _cutoff() -> str:
    return (clock.now() - _dt.timedelta(days=KEEP_DAYS)).isoformat(timespec="seconds")


def purge(db) -> int:
    """Drop the attachments deleted more than KEEP_DAYS days ago, and the files no row
    names any more. Returns how many rows."""
    base = folder(db)
    with db.atomic():
        gone = list(db.query("SELECT id, sha256, thumb_sha256 FROM attachment WHERE deleted_at < ?", [_cutoff()]))
        for row in gone:
            db.execute("DELETE FROM attachment WHERE id = ?", [row["id"]])
        _remove_unreferenced(db, base, [r["sha256"] for r in gone] + [r["thumb_sha256"] for r in gone])
    return len(gone)


def remove_unreferenced(db, shas) -> int:
    """Remove the files of ``shas`` that no row names (after an upload failed its checks)."""
    with db.atomic():
        return _remove_unreferenced(db, folder(db), shas)
