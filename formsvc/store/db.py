"""Opening the database.

Every connection gets the same pragmas:
- journal_mode=WAL: readers never block the writer and a crash mid-write leaves the
  last committed state (the WAL is replayed or discarded on open);
- synchronous=FULL: every commit is on disk (the WAL is fsynced) before the request that
  made it answers, so a power cut or OS crash loses no saved work (NORMAL could lose
  the last transactions; an order number already printed could then be issued twice);
  writes here are few, so one fsync per commit costs nothing a user notices;
- foreign_keys=ON: SQLite leaves them off by default;
- busy_timeout: writers queue for up to 5 s instead of failing with "database is locked".
Every connection records its writes in the audit log (formsvc/store/audit.py): TEMP
triggers made before its first write, and ``audit.set_actor(db, user_id)`` to say who.
Multi-row changes go through ``db.atomic()`` (one transaction, savepoints when nested),
which here begins with BEGIN IMMEDIATE (see ``Database.atomic``).
docs/durability.md says what a crash can and cannot lose, and how to back up and restore.
"""

from __future__ import annotations

import contextlib
import sqlite3
import threading
from pathlib import Path

import sqlite_utils

from formsvc.store import audit, files

BUSY_TIMEOUT_MS = 5000

_open = threading.local()  # how many write transactions this thread has open


class WorkInTransaction(RuntimeError):
    """Costly work (rendering a document, hashing its bytes, parsing a file) was started
    while this thread held the write lock."""


def writing() -> bool:
    """Whether this thread is inside a write transaction begun by ``Database.atomic``."""
    return getattr(_open, "count", 0) > 0


def refuse_in_transaction(what: str) -> None:
    """Raise WorkInTransaction when called inside a write transaction of this thread.

    Work that takes seconds must run before the transaction: SQLite has one writer, so
    every other save in the service (and every sign-in, which writes too) waits while
    the lock is held, and fails after busy_timeout. A report of 457 pages rendered
    under the lock once held it 23 s. The document engine calls this before every
    render, so a write path that renders inside its transaction fails its tests.
    """
    if writing():
        raise WorkInTransaction(f"{what} inside a write transaction: do it before db.atomic()")


class Database(sqlite_utils.Database):
    """sqlite-utils' Database whose outermost ``atomic()`` takes the write lock at BEGIN.

    sqlite-utils begins with a plain (deferred) BEGIN. A deferred transaction that reads
    first (a version check, "does the row exist") and then writes cannot wait for the
    lock: in WAL mode, if another connection committed after its read, SQLite answers
    SQLITE_BUSY at once ("database is locked"), busy_timeout or not. Two gunicorn
    workers saving a forum and a report at the same moment got a 500 that way. With
    BEGIN IMMEDIATE the transaction queues for the lock (up to busy_timeout) before its
    first read, so what it reads is still true when it writes. Nested calls keep
    sqlite-utils' savepoints.
    """

    @contextlib.contextmanager
    def atomic(self, *, outermost: bool = False):
        """The one way to write: a transaction that takes the write lock before its first
        read, or a savepoint of the caller's transaction when one is open.

        ``outermost=True`` refuses to run inside another transaction. Steps that do costly
        work first (render, hash) and then only check and write use it: nested, the work
        they did before would have run under the caller's lock. While the transaction is
        open, ``writing()`` is true in this thread and the document engine refuses to
        render (``refuse_in_transaction``).
        """
        if self.conn.in_transaction:
            if outermost:
                raise RuntimeError("this write must not run inside another transaction")
            with super().atomic():
                yield self
            return
        self.conn.execute("BEGIN IMMEDIATE")
        _open.count = getattr(_open, "count", 0) + 1
        try:
            yield self
        except BaseException:
            self.conn.rollback()  # a no-op when an error already ended the transaction
            raise
        else:
            try:
                self.conn.execute("COMMIT")
            except BaseException:
                self.conn.rollback()
                raise
        finally:
            _open.count -= 1


def connect(path: str | Path) -> Database:
    path = str(path)
    if path != ":memory:":
        # owner only, however the process's umask is set: SQLite creates the -wal and
        # -shm files with the database file's mode
        files.private_dir(Path(path).resolve().parent)
        files.create_private(path)
        for suffix in ("", "-wal", "-shm"):
            files.narrow(path + suffix)
    conn = sqlite3.connect(
        path, timeout=BUSY_TIMEOUT_MS / 1000, check_same_thread=False, factory=audit.AuditedConnection
    )
    conn.row_factory = sqlite3.Row
    db = Database(conn)
    conn.execute(f"PRAGMA busy_timeout = {BUSY_TIMEOUT_MS}")
    conn.execute("PRAGMA foreign_keys = ON")
    if path != ":memory:":
        conn.execute("PRAGMA journal_mode = WAL")
    conn.execute("PRAGMA synchronous = FULL")
    return db


def beside(db: sqlite_utils.Database, name: str) -> Path | None:
    """The folder ``name`` beside the database's file (None for a database in memory)."""
    row = db.execute("PRAGMA database_list").fetchone()
    path = row[2] if row is not None else ""
    return Path(path).resolve().parent / name if path else None


def render_cache_folder(db: sqlite_utils.Database) -> Path | None:
    """Where rendered documents are kept (formsvc/documents/render_cache.py)."""
    return beside(db, "render-cache")


def one(db: sqlite_utils.Database, sql: str, params=()) -> dict | None:
    """The first row of a query as a dict, or None."""
    for row in db.query(sql, params):
        return row
    return None


def scalar(db: sqlite_utils.Database, sql: str, params=()):
    row = db.execute(sql, params).fetchone()
    return None if row is None else row[0]


def database_path(db: sqlite_utils.Database) -> str:
    """The file behind a connection (workers open their own)."""
    for row in db.execute("PRAGMA database_list"):
        if row[1] == "main":
            return row[2]
    raise ValueError("no main database")


def set_synchronous(db: sqlite_utils.Database, full: bool) -> None:
    """synchronous=FULL (every connection's setting), or OFF for a bulk load that a crash
    makes start again, not lose work."""
    db.execute(f"PRAGMA synchronous = {'FULL' if full else 'OFF'}")


def schema_version(db: sqlite_utils.Database) -> int | None:
    """The version the schema was last migrated to."""
    return db.execute("SELECT max(version) FROM schema_version").fetchone()[0]
