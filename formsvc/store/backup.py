"""Backing up and restoring the database, safely while the server runs.

Both go through SQLite's online backup API (``sqlite3.Connection.backup``), which copies
a consistent snapshot page by page under SQLite's own locks: a copy is never torn by a
request writing at the same moment, and a restore is one write transaction that the
server's connections see whole or not at all. See docs/durability.md.

Attachments (formsvc.store.attachments) live in files beside the database, named by
their SHA-256. A backup stays one self-contained file: every file a row of the snapshot
names is read, checked against its name and stored in the copy, in the table
:data:`FILES_TABLE` (made only when there are attachments). A restore writes them
back into the attachments folder (a file already there with other bytes is replaced),
reads each back to compare it byte for byte, and drops the table before the copy
becomes the database. Files the restored
database does not name stay on disk: the database kept from before the restore may
still name them.
"""

from __future__ import annotations

import hashlib
import os
import secrets
import sqlite3
from contextlib import closing
from pathlib import Path

from formsvc.domain import clock
from formsvc.domain.messages import msg
from formsvc.store import attachments, files
from formsvc.store.db import BUSY_TIMEOUT_MS, connect
from formsvc.store.errors import InputError
from formsvc.store.migrations import latest_version, migrate

MAGIC = b"SQLite format 3\x00"
FILES_TABLE = "backup_attachment_file"


def _open(path: Path) -> sqlite3.Connection:
    conn = sqlite3.connect(str(path), timeout=BUSY_TIMEOUT_MS / 1000, isolation_level=None)
    conn.execute(f"PRAGMA busy_timeout = {BUSY_TIMEOUT_MS}")
    return conn


def _temporary(directory: Path, name: str) -> Path:
    """A new empty file, owner only (0600): the copy SQLite writes into it, and the
    backup or database it becomes, keep that mode."""
    path = directory / f".{name}.{os.getpid()}-{secrets.token_hex(4)}.tmp"
    files.create_private(path)
    return path


def _remove(path: Path) -> None:
    for suffix in ("", "-journal", "-wal", "-shm"):
        Path(f"{path}{suffix}").unlink(missing_ok=True)


def _fsync(path: Path) -> None:
    fd = os.open(path, os.O_RDONLY)
    try:
        os.fsync(fd)
    finally:
        os.close(fd)


def _integrity(conn: sqlite3.Connection) -> str | None:
    """None when ``PRAGMA integrity_check`` says ok, else its first complaint."""
    try:
        rows = [r[0] for r in conn.execute("PRAGMA integrity_check").fetchall()]
    except sqlite3.DatabaseError as error:
        return str(error)
    return None if rows == ["ok"] else "; ".join(rows[:3])


def _schema_version(conn: sqlite3.Connection) -> int | None:
    if not conn.execute("SELECT 1 FROM sqlite_master WHERE type = 'table' AND name = 'schema_version'").fetchone():
        return None
    try:
        return conn.execute("SELECT max(version) FROM schema_version").fetchone()[0]
    except sqlite3.DatabaseError:
        return None


def backup(db_path: str | Path, dest: str | Path, *, check: bool = True) -> dict:
    """Copy the live database to ``dest`` (one self-contained file), checked.

    The copy is written to a temporary file beside ``dest``, passes
    ``PRAGMA integrity_check`` and is synced to disk before it takes ``dest``'s name, so
    ``dest`` is always either the previous file or a whole, checked new copy."""
    source, dest = Path(db_path), Path(dest)
    if not source.is_file():
        raise InputError(msg("There is no database at %(path)s.", path=source), "path")
    if dest.is_dir():
        raise InputError(msg("%(path)s is a folder; give the name of the backup file.", path=dest), "path")
    if not dest.parent.is_dir():
        raise InputError(msg("There is no folder %(path)s.", path=dest.parent), "path")
    if dest.exists() and dest.resolve() == source.resolve():
        raise InputError(msg("The backup file must not be the database in use."), "path")
    if not os.access(dest.parent, os.W_OK):
        raise InputError(msg("No permission to write files in the folder %(path)s.", path=dest.parent), "path")
    tmp = _temporary(dest.parent, dest.name)
    try:
        with closing(_open(source)) as live, closing(_open(tmp)) as copy:
            live.backup(copy)  # one step: a consistent snapshot; writers are not blocked (WAL)
            copy.execute("PRAGMA journal_mode = DELETE")  # a single file, no -wal beside it
            problem = _integrity(copy) if check else None
            if problem:
                raise InputError(
                    msg(
                        "The copy failed integrity_check (%(problem)s); no backup file was written.",
                        problem=problem[:200],
                    ),
                    "path",
                )
            version = _schema_version(copy)
            tables = copy.execute("SELECT count(*) FROM sqlite_master WHERE type = 'table'").fetchone()[0]
            packed, missing = _pack_attachments(copy, source)
        _fsync(tmp)
        os.replace(tmp, dest)
        _fsync(dest.parent)
    except sqlite3.DatabaseError as error:
        if not check:
            raise
        raise InputError(
            msg(
                "Cannot read the database %(path)s (%(error)s); no backup file was written.",
                path=source,
                error=str(error),
            ),
            "path",
        ) from None
    except PermissionError:
        raise InputError(
            msg("No permission to write files in the folder %(path)s.", path=dest.parent), "path"
        ) from None
    finally:
        _remove(tmp)
    return {
        "path": str(dest),
        "bytes": dest.stat().st_size,
        "schema_version": version,
        "tables": tables,
        "attachments": packed,
        "attachments_missing": missing,
    }


def _named_files(conn: sqlite3.Connection) -> list[str]:
    """Every SHA-256 the attachment rows of ``conn`` name (none before migration 32)."""
    if not conn.execute("SELECT 1 FROM sqlite_master WHERE type = 'table' AND name = 'attachment'").fetchone():
        return []
    names = set()
    for sha, thumb in conn.execute("SELECT sha256, thumb_sha256 FROM attachment"):
        names.update(n for n in (sha, thumb) if n)
    return sorted(names)


def _pack_attachments(copy: sqlite3.Connection, source: Path) -> tuple[int, list[str]]:
    """Store in the copy every attachment file its rows name, each checked against its
    SHA-256. Returns (files stored, names missing or damaged on disk)."""
    base = attachments.folder_for(source)
    named = _named_files(copy)
    if not named:  # no attachments: the copy is the database's tables alone
        return 0, []
    copy.execute(f"CREATE TABLE {FILES_TABLE} (sha256 TEXT PRIMARY KEY, content BLOB NOT NULL)")
    missing, packed = [], 0
    copy.execute("BEGIN")
    for sha in named:
        try:
            content = attachments.read_file(base, sha)
        except (LookupError, ValueError):
            missing.append(sha)
            continue
        if hashlib.sha256(content).hexdigest() != sha:
            missing.append(sha)
            continue
        copy.execute(f"INSERT INTO {FILES_TABLE} (sha256, content) VALUES (?, ?)", [sha, content])
        packed += 1
    copy.execute("COMMIT")
    return packed, missing


def _unpack_attachments(copy: sqlite3.Connection, live: Path, name: str) -> int:
    """Write the backup's attachment files into the live database's folder, each read
    back and compared byte for byte, then drop them from the copy. Returns how many."""
    if not copy.execute("SELECT 1 FROM sqlite_master WHERE type = 'table' AND name = ?", [FILES_TABLE]).fetchone():
        return 0
    base = attachments.folder_for(live)
    count = 0
    for sha, content in copy.execute(f"SELECT sha256, content FROM {FILES_TABLE} ORDER BY sha256"):
        if not isinstance(sha, str) or hashlib.sha256(content).hexdigest() != sha:
            raise InputError(msg("%(name)s holds a damaged attachment file. Nothing was restored.", name=name), "path")
        if not attachments.file_matches(base, sha):
            attachments.file_path(base, sha).unlink(missing_ok=True)  # other bytes under its name
            attachments.write_file(base, sha, content)
        if attachments.file_path(base, sha).read_bytes() != content:
            raise InputError(msg("An attachment file could not be written back in full. Nothing was restored."), "path")
        count += 1
    copy.execute(f"DROP TABLE {FILES_TABLE}")
    copy.execute("VACUUM")  # the files' pages are not carried into the database
    return count


def _missing_files(db_conn, live: Path) -> list[str]:
    """The files the restored database names that are not on disk as named."""
    base = attachments.folder_for(live)
    return [sha for sha in _named_files(db_conn) if not attachments.file_matches(base, sha)]


def _check(conn: sqlite3.Connection, name: str) -> int:
    problem = _integrity(conn)
    if problem:
        raise InputError(
            msg(
                "%(name)s is damaged: it failed integrity_check (%(problem)s). Nothing was restored.",
                name=name,
                problem=problem[:200],
            ),
            "path",
        )
    version = _schema_version(conn)
    if not version:
        raise InputError(
            msg(
                "%(name)s is not a formsvc database (it has no schema_version table). Nothing was restored.", name=name
            ),
            "path",
        )
    if version > latest_version():
        raise InputError(
            msg(
                "%(name)s comes from a newer formsvc (schema version %(version)s; "
                "this program knows up to version %(latest)s). Upgrade the "
                "program before restoring. Nothing was restored.",
                name=name,
                version=version,
                latest=latest_version(),
            ),
            "path",
        )
    return version


def restore(db_path: str | Path, source: str | Path) -> dict:
    """Replace the live database with a backup, then migrate it to this code's schema.

    Refused (InputError, nothing changed) when ``source`` is not a SQLite database, fails
    ``PRAGMA integrity_check``, has no ``schema_version`` or one newer than this code.
    The checks run on a private copy (the backup file is only read). The copy is then
    written into the live database through the backup API: one write transaction that
    waits for the server's writers and that its readers see whole; SQLite keeps the WAL
    and its index consistent. The database as it was is first kept beside it
    (``<db>.before-restore-<time>``), whose name is returned."""
    live, source = Path(db_path), Path(source)
    if not source.is_file():
        raise InputError(msg("There is no file %(path)s.", path=source), "path")
    if live.exists() and source.resolve() == live.resolve():
        raise InputError(msg("The file to restore is the database in use itself."), "path")
    with source.open("rb") as fh:
        if fh.read(len(MAGIC)) != MAGIC:
            raise InputError(
                msg("%(name)s is not an SQLite database file. Nothing was restored.", name=source.name), "path"
            )
    directory = live.resolve().parent
    files.private_dir(directory)
    if not os.access(directory, os.W_OK):
        raise InputError(msg("No permission to write files in the folder %(path)s.", path=directory), "path")
    tmp = _temporary(directory, "restore")
    try:
        with closing(_open(tmp)) as copy:
            version = _checked_copy(source, copy)
            restored_files = _unpack_attachments(copy, live, source.name)
            kept = _keep_previous(live)
            try:
                db = connect(live)
            except sqlite3.DatabaseError as error:  # the live file is not a database at all
                raise _cannot_write(live, error) from None
            try:
                page_size = db.execute("PRAGMA page_size").fetchone()[0]
                if copy.execute("PRAGMA page_size").fetchone()[0] != page_size:
                    # a WAL database cannot change its page size: the copy takes the live one's
                    copy.execute(f"PRAGMA page_size = {int(page_size)}")
                    copy.execute("VACUUM")
                copy.backup(db.conn)
                applied = migrate(db)
                problem = _integrity(db.conn)
                missing = _missing_files(db.conn, live)
            except sqlite3.DatabaseError as error:
                raise _cannot_write(live, error) from None
            finally:
                db.close()
    finally:
        _remove(tmp)
    if problem:  # not expected: the copy was checked; say so rather than carry on silently
        raise InputError(
            msg(
                "The restored database failed integrity_check (%(problem)s). The "
                "previous database is kept at %(kept)s.",
                problem=problem[:200],
                kept=kept,
            ),
            "path",
        )
    return {
        "schema_version": version,
        "migrations_applied": applied,
        "previous": kept,
        "attachments": restored_files,
        "attachments_missing": missing,
    }


def _cannot_write(live: Path, error: sqlite3.DatabaseError) -> InputError:
    return InputError(
        msg(
            "Cannot write the database %(path)s (%(error)s). Stop the server, "
            "move the old database file elsewhere, then restore again.",
            path=live,
            error=str(error),
        ),
        "path",
    )


def _checked_copy(source: Path, copy: sqlite3.Connection) -> int:
    """Copy ``source`` (opened read-only) into ``copy`` and check it; its schema version."""
    try:
        with closing(sqlite3.connect(f"{source.resolve().as_uri()}?mode=ro", uri=True)) as original:
            original.backup(copy)
        copy.execute("PRAGMA journal_mode = DELETE")
        return _check(copy, source.name)
    except sqlite3.DatabaseError as error:
        raise InputError(
            msg(
                "%(name)s is damaged and cannot be read (%(error)s). Nothing was restored.",
                name=source.name,
                error=str(error),
            ),
            "path",
        ) from None


def _keep_previous(live: Path) -> str | None:
    """The live database as it is now, beside it, before a restore overwrites it. Not
    checked: a damaged database is a reason to restore, not a reason to refuse."""
    if not live.exists():
        return None
    stamp = f"{clock.now():%Y%m%dT%H%M%SZ}"
    kept = live.with_name(f"{live.name}.before-restore-{stamp}")
    n = 1
    while kept.exists():
        n += 1
        kept = live.with_name(f"{live.name}.before-restore-{stamp}-{n}")
    try:
        backup(live, kept, check=False)
    except sqlite3.DatabaseError:
        import shutil

        for suffix in ("", "-wal"):
            if Path(f"{live}{suffix}").exists():
                with open(f"{live}{suffix}", "rb") as src, files.open_private(f"{kept}{suffix}") as dst:
                    shutil.copyfileobj(src, dst)
    return str(kept)
