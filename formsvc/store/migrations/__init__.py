"""Versioned schema migrations.

Each migration is one file in this folder, numbered: ``NNNN_name.sql``, run whole, or
``NNNN_name.py`` with a ``migrate(db)`` function, for a step that computes data in
Python. A .sql file's first line is ``-- name: …``, a .py file's ``NAME``: what
``schema_version`` records. Every table, index and trigger a migration makes is written
out in its own file, so a migration never changes when other code does.

The ``schema_version`` table records which steps a database has. ``migrate()`` applies
the missing ones in number order, each in its own transaction, so an old database
upgrades and a failed step leaves the database at the previous version. Never edit a
released migration: add a new file.
"""

from __future__ import annotations

import importlib
import re
import sqlite3
from collections.abc import Callable
from functools import partial
from importlib import resources

import sqlite_utils

from formsvc.domain.clock import now_iso
from formsvc.store import audit

Migration = Callable[[sqlite_utils.Database], None]
FILE_NAME = re.compile(r"(\d{4})_\w+\.(sql|py)")
SQL_NAME = re.compile(r"-- name: (.+)")


def statements(script: str) -> list[str]:
    """The statements of an SQL script, each whole: split at the semicolons where SQLite
    itself sees a statement end (sqlite3.complete_statement), so a trigger's body, a
    string or a comment holding ';' stays in its statement."""
    found, pending = [], ""
    pieces = script.split(";")
    for piece in pieces[:-1]:
        pending += piece + ";"
        if sqlite3.complete_statement(pending):
            found.append(pending)
            pending = ""
    found.append(pending + pieces[-1])  # a last statement without its ';' (an error if incomplete)
    return [s for s in found if _code(s)]


def _code(text: str) -> bool:
    """Whether text holds anything but whitespace and comments."""
    without = re.sub(r"--[^\n]*", "", re.sub(r"/\*.*?\*/", "", text, flags=re.S))
    return bool(without.replace(";", "").strip())


def run_script(db: sqlite_utils.Database, script: str) -> None:
    # executescript() would commit the surrounding transaction: run statement by
    # statement inside the migration's own
    for statement in statements(script):
        db.execute(statement)


def _load() -> list[tuple[int, str, Migration]]:
    found = []
    for entry in resources.files(__name__).iterdir():
        match = FILE_NAME.fullmatch(entry.name)
        if match is None:
            continue
        version = int(match[1])
        if match[2] == "sql":
            script = entry.read_text(encoding="utf-8")
            name = SQL_NAME.match(script)
            assert name, f"{entry.name}: the first line is '-- name: …'"
            found.append((version, name[1].strip(), partial(run_script, script=script)))
        else:
            module = importlib.import_module(f"{__name__}.{entry.name.removesuffix('.py')}")
            found.append((version, module.NAME, module.migrate))
    found.sort(key=lambda m: m[0])
    numbers = [m[0] for m in found]
    assert len(set(numbers)) == len(numbers), f"two migration files share a number: {numbers}"
    return found


# increasing, not necessarily consecutive: a branch may take a later number while another
# branch holds the one before it; migrate() applies whatever is missing
MIGRATIONS: list[tuple[int, str, Migration]] = _load()


def latest_version() -> int:
    return MIGRATIONS[-1][0]


def current_version(db: sqlite_utils.Database) -> int:
    if not db["schema_version"].exists():
        return 0
    row = db.execute("SELECT max(version) FROM schema_version").fetchone()
    return row[0] or 0


def migrate(db: sqlite_utils.Database, target: int | None = None) -> list[int]:
    """Apply the missing migrations up to ``target`` (default: all). Returns those applied."""
    target = latest_version() if target is None else target
    with db.atomic():
        db.execute(
            "CREATE TABLE IF NOT EXISTS schema_version ("
            " version INTEGER PRIMARY KEY, name TEXT NOT NULL, applied_at TEXT NOT NULL)"
        )
    done = {row[0] for row in db.execute("SELECT version FROM schema_version")}
    pending = [m for m in MIGRATIONS if m[0] not in done and m[0] <= target]
    if not pending:
        return []
    applied = []
    with audit.paused(db.conn):
        for version, name, fn in pending:
            with db.atomic():
                fn(db)
                db.execute(
                    "INSERT INTO schema_version (version, name, applied_at) VALUES (?, ?, ?)",
                    (version, name, now_iso()),
                )
            applied.append(version)
    return applied
