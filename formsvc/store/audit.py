"""The audit log: every insert, update and delete of the application's records.

How (docs/audit.md has the whole story):
- Connections are ``AuditedConnection``s (``connect()`` passes it as the factory). Before
  a connection's first write (or BEGIN) it creates TEMP triggers, AFTER INSERT/UPDATE/
  DELETE on every audited table; a connection that only reads never pays for them. The
  trigger SQL is generated from ``PRAGMA table_info`` and cached per schema (the text of
  ``sqlite_master``), so a new column or table is audited without touching any store
  function.
- Each trigger appends one row to ``audit_log``: who (``audit_user()``: the user the web
  layer set with ``set_actor()``, NULL for the CLI and the system), when (UTC ISO), table,
  row id, action, the LAO the row belongs to, and the row before/after as JSON. BLOB
  values are recorded as their SHA-256 and length; password/secret/token columns only as
  a marker saying whether they changed; ``user.session_version`` (bumped at every
  sign-out) not at all.
- Entries form a hash chain: ``hash = SHA-256(canonical(prev_hash, id, at, user_id,
  table, row_id, action, lao_id, before, after))``. The trigger reads the last entry
  inside the write statement, which holds SQLite's single write lock, so the chain stays
  linear across threads and processes. ``verify()`` walks it.

The acting user lives on the Python connection object rather than in a temp table:
writing a temp table would open an implicit transaction in Python's sqlite3 and turn
the next ``db.atomic()`` into a savepoint of a transaction nobody commits.
"""

from __future__ import annotations

import contextlib
import functools
import hashlib
import json
import re
import sqlite3
from dataclasses import dataclass

from formsvc.domain import clock

GENESIS = "0" * 64
CHAIN_FORMAT = "formsvc-audit-1"
TRIGGER_PREFIX = "audit__"

# Not audited: schema bookkeeping, reference data reloaded from the geothai package on
# every init-db, previews and background jobs that change no record, caches derived
# from audited rows (compliance, change stamps, what the background pre-render did), sign-in counters, the values a save
# replaced and the copies of deleted records kept for restoring (logs of their own: the
# deletes and restores show here as the records' own deletes and inserts), typing kept
# across a language switch or an expired session (never a record), and the log itself.
NOT_AUDITED = frozenset(
    {
        "audit_log",
        "schema_version",
        "meta",
        "export_job",
        "mail_outbox",
        "project_import",
        "province",
        "district",
        "subdistrict",
        "lao_stamp",
        "compliance_cache",
        "prerender_lao",
        "login_throttle",
        "record_version",
        "deleted_record",
        "kept_form",
    }
)
# Columns whose values never enter the log (the entry says only whether they changed).
REDACTED = re.compile(r"password|secret|token", re.IGNORECASE)
# Columns left out altogether: a change to them alone writes no entry.
IGNORED = frozenset({("user", "session_version")})
REDACTED_MARK = "[redacted]"
REDACTED_CHANGED_MARK = "[redacted, changed]"

_scripts: dict[str, tuple[str, dict[str, tuple[str, ...]]]] = {}
# The first keyword of a statement that may write (BEGIN: a write transaction is coming,
# and triggers made inside it would vanish with a rollback).
_MAY_WRITE = re.compile(
    r"(?:\s|;|\ufeff|--[^\n]*(?:\n|$)|/\*.*?\*/)*(INSERT|UPDATE|DELETE|REPLACE|WITH|BEGIN)\b", re.IGNORECASE | re.DOTALL
)


class AuditedConnection(sqlite3.Connection):
    """A connection that records its writes in ``audit_log``.

    Every way to run SQL on it (execute, executemany, executescript, its cursors) first
    makes sure the audit triggers exist when the statement may write.
    """

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.audit_user_id: int | None = None  # None: the CLI or the system
        self.audit_columns: dict[str, tuple[str, ...]] = {}
        self.audit_paused = False
        self.create_function("audit_row", -1, self._row)
        self.create_function("audit_hash", 10, entry_hash, deterministic=True)
        self.create_function("audit_user", 0, lambda: self.audit_user_id)
        self.create_function("audit_now", 0, _now_text)

    def _row(self, table, *values):
        return row_json(self.audit_columns[table], values)

    def audit_ready(self, sql: str | None = None) -> None:
        """Make the triggers if ``sql`` may write (None: always) and they are missing."""
        if self.audit_paused or (sql is not None and not _MAY_WRITE.match(sql)):
            return
        self.audit_paused = True  # the check below runs SQL too
        try:
            # asked each time rather than remembered: a rollback takes TEMP triggers away
            if (
                not super()
                .execute("SELECT 1 FROM temp.sqlite_master WHERE name = ?", [f"{TRIGGER_PREFIX}chain"])
                .fetchone()
            ):
                install(self)
        finally:
            self.audit_paused = False

    def execute(self, sql, *args):
        self.audit_ready(sql)
        return super().execute(sql, *args)

    def executemany(self, sql, *args):
        self.audit_ready(sql)
        return super().executemany(sql, *args)

    def executescript(self, script):
        self.audit_ready()
        return super().executescript(script)

    def cursor(self, factory=None):
        return super().cursor(factory or AuditedCursor)


class AuditedCursor(sqlite3.Cursor):
    def execute(self, sql, *args):
        self.connection.audit_ready(sql)
        return super().execute(sql, *args)

    def executemany(self, sql, *args):
        self.connection.audit_ready(sql)
        return super().executemany(sql, *args)

    def executescript(self, script):
        self.connection.audit_ready()
        return super().executescript(script)


def set_actor(db, user_id: int | None) -> None:
    """Record the following writes of this connection as ``user_id``'s."""
    db.conn.audit_user_id = user_id


# Functions the triggers call ----------------------------------------------------------


@functools.lru_cache(maxsize=256)
def _redacted(columns: tuple[str, ...]) -> frozenset[str]:
    return frozenset(n for n in columns if REDACTED.search(n))


def row_json(columns: tuple[str, ...], values) -> str:
    """The row as compact JSON, columns in table order.

    A BLOB (bytes) becomes {"sha256": ..., "bytes": n}: the log never holds file
    contents. A redacted column arrives as a flag (did it change?) and becomes a marker.
    """
    row, redacted = {}, _redacted(columns)
    for name, value in zip(columns, values, strict=False):
        if name in redacted:
            value = REDACTED_CHANGED_MARK if value else REDACTED_MARK
        elif isinstance(value, bytes):
            value = {"sha256": hashlib.sha256(value).hexdigest(), "bytes": len(value)}
        row[name] = value
    return json.dumps(row, ensure_ascii=False, separators=(",", ":"))


def entry_hash(prev_hash, entry_id, at, user_id, table, row_id, action, lao_id, before, after) -> str:
    """SHA-256 over the canonical serialisation of an entry and the hash before it."""

    def integer(value):
        return None if value is None else int(value)

    canonical = json.dumps(
        [
            CHAIN_FORMAT,
            prev_hash,
            integer(entry_id),
            at,
            integer(user_id),
            table,
            None if row_id is None else str(row_id),
            action,
            integer(lao_id),
            before,
            after,
        ],
        ensure_ascii=False,
        separators=(",", ":"),
    )
    return hashlib.sha256(canonical.encode("utf-8")).hexdigest()


def _now_text() -> str:
    """When an entry is written, from the one clock (not SQLite's own), to the millisecond:
    '2026-11-30T01:41:10.123+00:00'."""
    moment = clock.now()
    return f"{moment:%Y-%m-%dT%H:%M:%S}.{moment.microsecond // 1000:03d}+00:00"


# Triggers -----------------------------------------------------------------------------


def _ident(name: str) -> str:
    return '"' + name.replace('"', '""') + '"'


def _text(value: str) -> str:
    return "'" + value.replace("'", "''") + "'"


# One INSTEAD OF trigger on a temp view holds the chain logic, so that each table's
# triggers stay short: what costs time per connection is parsing trigger SQL.
# ``e`` is one row (an aggregate, so that SQLite computes it once: ``at`` and the hash
# read the same ``audit_now()``) over the last entry only. Its ``max(id)`` must not read
# the whole log: written as ``FROM main.audit_log``, the aggregate in a subquery scanned
# every entry, so each write cost time in proportion to the log's length (3 ms per row
# at 100,000 entries); the last entry is found by the rowid, at once.
_ENTRY = (
    "CREATE TEMP VIEW audit__entry (t, r, a, l, b, f) AS SELECT NULL, NULL, NULL, NULL, NULL, NULL;\n"
    "CREATE TEMP TRIGGER audit__chain INSTEAD OF INSERT ON audit__entry BEGIN "
    "INSERT INTO audit_log (id, at, user_id, table_name, row_id, action, lao_id, before, after, prev_hash, hash) "
    "SELECT e.id, e.at, e.u, NEW.t, NEW.r, NEW.a, NEW.l, NEW.b, NEW.f, e.p,"
    " audit_hash(e.p, e.id, e.at, e.u, NEW.t, NEW.r, NEW.a, NEW.l, NEW.b, NEW.f) "
    "FROM (SELECT coalesce(max(last.id), 0) + 1 AS id, audit_now() AS at,"
    " audit_user() AS u,"
    f" coalesce(max(last.hash), '{GENESIS}') AS p"
    " FROM (SELECT id, hash FROM main.audit_log ORDER BY id DESC LIMIT 1) AS last) AS e "
    "WHERE NEW.b IS NOT NEW.f; END"  # an update that changed nothing recorded writes no entry
)


def _table_triggers(conn: sqlite3.Connection, table: str) -> tuple[list[str], tuple[str, ...]]:
    columns = conn.execute(f"PRAGMA main.table_info({_ident(table)})").fetchall()
    names = [c[1] for c in columns]
    recorded = tuple(n for n in names if (table, n) not in IGNORED)
    pk = [c[1] for c in sorted((c for c in columns if c[5]), key=lambda c: c[5])]

    def row(ref: str, old: str | None = None) -> str:
        values = []
        for n in recorded:
            if REDACTED.search(n):  # only whether it changed
                values.append(f"OLD.{_ident(n)} IS NOT NEW.{_ident(n)}" if old else "0")
            else:
                values.append(f"{ref}.{_ident(n)}")
        return f"audit_row({_text(table)}, {', '.join(values)})"

    def row_id(ref: str) -> str:
        keys = pk or ["rowid"]
        return " || '/' || ".join(f"{ref}.{_ident(k)}" for k in keys)

    def lao(ref: str) -> str:
        if table == "lao":
            return f"{ref}.id"
        if "lao_id" in names:
            return f"{ref}.lao_id"
        # a row owned by a parent (ON DELETE CASCADE): the parent's LAO; when the parent
        # is gone (the cascade itself), the LAO the parent's last entry recorded
        for fk in conn.execute(f"PRAGMA main.foreign_key_list({_ident(table)})").fetchall():
            parent, column, target, on_delete = fk[2], fk[3], fk[4] or "id", fk[6]
            parent_columns = {c[1] for c in conn.execute(f"PRAGMA main.table_info({_ident(parent)})")}
            if on_delete == "CASCADE" and "lao_id" in parent_columns and parent not in NOT_AUDITED:
                return (
                    f"coalesce((SELECT lao_id FROM main.{_ident(parent)} WHERE {_ident(target)} = "
                    f"{ref}.{_ident(column)}), (SELECT lao_id FROM main.audit_log WHERE table_name = "
                    f"{_text(parent)} AND row_id = CAST({ref}.{_ident(column)} AS TEXT) "
                    f"ORDER BY id DESC LIMIT 1))"
                )
        return "NULL"

    def trigger(event: str, ref: str, before: str, after: str) -> str:
        action = event.lower()
        return (
            f"CREATE TEMP TRIGGER {TRIGGER_PREFIX}{table}__{action} AFTER {event} ON main.{_ident(table)}"
            f" BEGIN INSERT INTO audit__entry VALUES ({_text(table)}, {row_id(ref)}, {_text(action)},"
            f" {lao(ref)}, {before}, {after}); END"
        )

    return [
        trigger("INSERT", "NEW", "NULL", row("NEW")),
        trigger("UPDATE", "NEW", row("OLD"), row("NEW", old="OLD")),
        trigger("DELETE", "OLD", row("OLD"), "NULL"),
    ], recorded


def audited_tables(conn: sqlite3.Connection) -> list[str]:
    return [
        r[0]
        for r in conn.execute(
            "SELECT name FROM main.sqlite_master WHERE type = 'table' AND name NOT LIKE 'sqlite\\_%' ESCAPE '\\'"
            " ORDER BY name"
        )
        if r[0] not in NOT_AUDITED
    ]


def install(conn: AuditedConnection) -> int:
    """(Re)create the connection's audit triggers for the current schema.

    Returns the number of audited tables; none while the database has no audit_log
    (before migration 12)."""
    paused_before, conn.audit_paused = conn.audit_paused, True
    try:
        uninstall(conn)
        schema = "\n".join(
            r[0] or "" for r in conn.execute("SELECT sql FROM main.sqlite_master WHERE type = 'table' ORDER BY name")
        )
        if "CREATE TABLE audit_log" not in schema:
            return 0
        cached = _scripts.get(schema)
        if cached is None:
            statements, columns = [_ENTRY], {}
            for table in audited_tables(conn):
                triggers, columns[table] = _table_triggers(conn, table)
                statements += triggers
            cached = _scripts[schema] = (";\n".join(statements) + ";", columns)
        script, conn.audit_columns = cached
        if conn.in_transaction:  # executescript() would commit it
            for statement in script.split(";\n"):
                conn.execute(statement.rstrip(";"))
        else:
            conn.executescript(f"BEGIN;\n{script}\nCOMMIT;")
        return len(conn.audit_columns)
    finally:
        conn.audit_paused = paused_before


def uninstall(conn: sqlite3.Connection) -> None:
    """Drop the connection's audit triggers."""
    for kind, name in conn.execute(
        "SELECT type, name FROM temp.sqlite_master WHERE type IN ('trigger', 'view') AND name LIKE ? ESCAPE '\\'",
        [TRIGGER_PREFIX.replace("_", "\\_") + "%"],
    ).fetchall():
        if kind == "trigger" and name != f"{TRIGGER_PREFIX}chain":
            conn.execute(f"DROP TRIGGER temp.{_ident(name)}")
    conn.execute(f"DROP VIEW IF EXISTS temp.{TRIGGER_PREFIX}entry")  # and its trigger


@contextlib.contextmanager
def paused(conn: AuditedConnection):
    """For schema migrations: no triggers while they run (a trigger naming a column would
    stop a DROP COLUMN), then made again for the new schema."""
    uninstall(conn)
    conn.audit_paused = True
    try:
        yield
    finally:
        conn.audit_paused = False
        install(conn)


# Verifying the chain ------------------------------------------------------------------


@dataclass(frozen=True)
class Verification:
    """What ``verify()`` found: ``ok``, how many entries, the last entry's id and hash
    (to keep outside the database), or the first broken entry and why (Thai)."""

    ok: bool
    count: int
    last_id: int | None = None
    last_hash: str = GENESIS
    broken_id: int | None = None
    reason: str = ""


def verify(db, anchor: str | None = None) -> Verification:
    """Walk the chain from the first entry: ids without gaps, each ``prev_hash`` the hash
    before it, each ``hash`` recomputed from the entry. With ``anchor`` (a hash recorded
    outside the database earlier), that hash must also be in the chain."""
    prev_id, prev_hash, count, anchored = 0, GENESIS, 0, anchor is None
    for row in db.conn.execute(
        "SELECT id, at, user_id, table_name, row_id, action, lao_id, before, after, prev_hash, hash"
        " FROM audit_log ORDER BY id"
    ):
        entry_id, stored_prev, stored_hash = row[0], row[9], row[10]
        reason = None
        if entry_id != prev_id + 1:
            missing = f"รายการที่ {prev_id + 1}" if entry_id == prev_id + 2 else f"รายการที่ {prev_id + 1}–{entry_id - 1}"
            reason = f"{missing} หายไปจากบันทึก (ถูกลบ)"
        elif stored_prev != prev_hash:
            reason = "แฮชของรายการก่อนหน้าไม่ตรงกับที่รายการนี้อ้างถึง (มีรายการถูกลบ แทรก สลับลำดับ หรือแก้ไขแฮช)"
        elif entry_hash(stored_prev, *row[:9]) != stored_hash:
            reason = "เนื้อหาของรายการไม่ตรงกับแฮชที่บันทึกไว้ (รายการถูกแก้ไขหรือย้ายตำแหน่ง)"
        if reason:
            return Verification(False, count, prev_id or None, prev_hash, entry_id, reason)
        anchored = anchored or stored_hash == anchor
        prev_id, prev_hash, count = entry_id, stored_hash, count + 1
    if not anchored:
        return Verification(
            False, count, prev_id or None, prev_hash, None, "ไม่พบแฮชที่บันทึกไว้ภายนอกในสายบันทึก (บันทึกถูกตัดท้ายหรือเขียนใหม่ทั้งสาย)"
        )
    return Verification(True, count, prev_id or None, prev_hash)


# Reading the log ----------------------------------------------------------------------

PAGE_SIZE = 50


@dataclass(frozen=True)
class Filters:
    """Which entries: ``district_code`` is the reader's scope (entries of that district's
    LAOs); the rest are the page's filters. Times are UTC ISO, ``at_to`` exclusive."""

    district_code: str | None = None
    table: str | None = None
    user_id: int | None = None
    system: bool = False  # entries written by the CLI or the system (no user)
    lao_id: int | None = None
    at_from: str | None = None
    at_to: str | None = None


def _where(filters: Filters) -> tuple[list[str], list]:
    where, params = ["1"], []
    if filters.district_code is not None:
        where.append("a.lao_id IN (SELECT id FROM lao WHERE district_code = ?)")
        params.append(filters.district_code)
    if filters.table:
        where.append("a.table_name = ?")
        params.append(filters.table)
    if filters.system:
        where.append("a.user_id IS NULL")
    elif filters.user_id is not None:
        where.append("a.user_id = ?")
        params.append(filters.user_id)
    if filters.lao_id is not None:
        where.append("a.lao_id = ?")
        params.append(filters.lao_id)
    if filters.at_from:
        where.append("a.at >= ?")
        params.append(filters.at_from)
    if filters.at_to:
        where.append("a.at < ?")
        params.append(filters.at_to)
    return where, params


def _exists(db, where: list[str], params: list, extra: str, value: int) -> bool:
    sql = f"SELECT 1 FROM audit_log a WHERE {' AND '.join(where + [extra])} LIMIT 1"
    return db.execute(sql, params + [value]).fetchone() is not None


def page(db, filters: Filters, *, before: int | None = None, after: int | None = None, size: int = PAGE_SIZE) -> dict:
    """One page of entries, newest first (keyset: ids below ``before`` or above ``after``),
    with ``older``/``newer``: whether there are more on either side."""
    where, params = _where(filters)
    keyset, keys, order = [], [], "DESC"
    if before is not None:
        keyset, keys = ["a.id < ?"], [before]
    elif after is not None:
        keyset, keys, order = ["a.id > ?"], [after], "ASC"
    rows = list(
        db.query(
            "SELECT a.id, a.at, a.user_id, a.table_name, a.row_id, a.action, a.lao_id, a.before, a.after,"
            " u.username, u.display_name, u.position, l.kind AS lao_kind, l.name AS lao_name"
            " FROM audit_log a LEFT JOIN user u ON u.id = a.user_id LEFT JOIN lao l ON l.id = a.lao_id"
            f" WHERE {' AND '.join(where + keyset)} ORDER BY a.id {order} LIMIT ?",
            params + keys + [size],
        )
    )
    if order == "ASC":
        rows.reverse()
    for row in rows:
        row["before"] = json.loads(row["before"]) if row["before"] else None
        row["after"] = json.loads(row["after"]) if row["after"] else None
    return {
        "entries": rows,
        "newer": bool(rows) and _exists(db, where, params, "a.id > ?", rows[0]["id"]),
        "older": bool(rows) and _exists(db, where, params, "a.id < ?", rows[-1]["id"]),
    }


def tables(db) -> list[str]:
    """The tables the log has entries for."""
    return [r[0] for r in db.execute("SELECT DISTINCT table_name FROM audit_log ORDER BY table_name")]


def users(db, district_code: str | None = None) -> list[dict]:
    """The users with entries in the reader's scope."""
    scope, params = "", []
    if district_code is not None:
        scope, params = " AND a.lao_id IN (SELECT id FROM lao WHERE district_code = ?)", [district_code]
    return list(
        db.query(
            "SELECT u.id, u.username, u.display_name, u.position FROM user u WHERE EXISTS"
            f" (SELECT 1 FROM audit_log a WHERE a.user_id = u.id{scope}) ORDER BY u.username",
            params,
        )
    )
