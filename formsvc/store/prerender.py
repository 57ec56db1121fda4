"""What the background pre-render (formsvc/prerender.py) needs from the database: when
each LAO's data last changed, and what was last pre-rendered for it.

A change is an entry of the audit log (formsvc/store/audit.py), which every insert,
update and delete of an application record writes whatever code path makes it, naming
the record's LAO; entries of the programme-wide tables that documents read
(``GLOBAL_TABLES``, with no LAO) count for every LAO."""

from __future__ import annotations

from formsvc.domain import clock
from formsvc.store.db import one

# audited tables without an LAO whose rows the LAOs' documents read
GLOBAL_TABLES = ("programme", "dimension")


def last_changes(db, lao_ids: list[int], since: int = 0) -> dict[int, tuple[int, str]]:
    """{lao_id: (id, at)} of the last audit entry after ``since`` that counts for each of
    ``lao_ids`` (its own or a programme-wide one); an LAO with none is left out."""
    marks = ",".join("?" * len(GLOBAL_TABLES))
    last_global = one(
        db,
        f"SELECT id, at FROM audit_log WHERE id > ? AND lao_id IS NULL AND table_name IN ({marks})"
        " ORDER BY id DESC LIMIT 1",
        [since, *GLOBAL_TABLES],
    )
    wanted = set(lao_ids)
    found: dict[int, tuple[int, str]] = {}
    if last_global:
        found = {lao_id: (last_global["id"], last_global["at"]) for lao_id in wanted}
    # SQLite takes the bare column (at) from the row of max(id)
    for row in db.query(
        "SELECT lao_id, max(id) AS id, at FROM audit_log WHERE id > ? AND lao_id IS NOT NULL GROUP BY lao_id",
        [since],
    ):
        if row["lao_id"] in wanted and row["id"] > found.get(row["lao_id"], (0, ""))[0]:
            found[row["lao_id"]] = (row["id"], row["at"])
    return found


# a forum's own tables: an entry of one of them names the forum whose minutes it changes
FORUM_TABLES = ("forum", "forum_agenda", "forum_attendee")


def changed_forums(db, lao_id: int, since: int) -> list[int]:
    """The ids of the LAO's forums with an audit entry after ``since``: the forum's row,
    or one of its agenda items or attendees (a deleted forum too; its minutes are not
    rendered)."""
    marks = ",".join("?" * len(FORUM_TABLES))
    rows = db.query(
        "SELECT DISTINCT CASE table_name WHEN 'forum' THEN CAST(row_id AS INTEGER)"
        " ELSE CAST(json_extract(coalesce(after, before), '$.forum_id') AS INTEGER) END AS forum_id"
        f" FROM audit_log WHERE lao_id = ? AND id > ? AND table_name IN ({marks})",
        [lao_id, since, *FORUM_TABLES],
    )
    return sorted({row["forum_id"] for row in rows if row["forum_id"] is not None})


def last_entry(db) -> int:
    """The id of the newest audit entry (0 when there is none)."""
    row = one(db, "SELECT coalesce(max(id), 0) AS id FROM audit_log")
    return row["id"]


def done(db) -> dict[int, dict]:
    """{lao_id: {"audit_id", "day", "period"}} of what was last pre-rendered."""
    return {row["lao_id"]: row for row in db.query("SELECT lao_id, audit_id, day, period FROM prerender_lao")}


def mark(db, lao_id: int, audit_id: int, day: str, period: int) -> None:
    """Record that the LAO's documents were rendered as of audit entry ``audit_id``."""
    with db.atomic():
        db.execute(
            "INSERT INTO prerender_lao (lao_id, audit_id, day, period, rendered_at) VALUES (?, ?, ?, ?, ?)"
            " ON CONFLICT (lao_id) DO UPDATE SET audit_id = excluded.audit_id, day = excluded.day,"
            " period = excluded.period, rendered_at = excluded.rendered_at",
            [lao_id, audit_id, day, period, clock.now_iso()],
        )
