"""Versions of editable records: each save keeps the values it replaces, and every save
based on an old version is checked against them under the write lock.

A record (a project, an LAO, the programme settings ...) has a ``version`` column that
each save raises by one. Before a save replaces version *n*, ``remember`` keeps version
*n*'s values in ``record_version``; so when a form based on version *n* comes back after
others saved *n+1* and *n+2*, ``lost`` knows what the form showed, what is stored now and
who changed which field, and ``formsvc.domain.versions`` words the refusal.

Call both inside the write transaction (``db.atomic()``), after reading the stored row.
"""

from __future__ import annotations

import json

from formsvc.domain.errors import ConflictError
from formsvc.domain.versions import Change, Fields, Saved, Text, conflict_msg, flatten, lost_changes
from formsvc.store.db import one
from formsvc.store.people import person_name


def remember(db, kind: str, key, version: int, values: dict, saved_by: int | None, saved_at: str | None) -> None:
    """Keep the values of ``version`` before a save replaces it (replacing what a deleted
    record whose id SQLite gave again left under the same key)."""
    db.execute(
        "INSERT OR REPLACE INTO record_version (kind, record_key, version, snapshot, saved_by, saved_at)"
        " VALUES (?, ?, ?, ?, ?, ?)",
        [kind, str(key), version, json.dumps(values, ensure_ascii=False, default=str), saved_by, saved_at],
    )


def base(db, kind: str, key, version: int) -> dict | None:
    """The values (flattened) a record had at ``version``, when they were kept."""
    row = one(
        db,
        "SELECT snapshot FROM record_version WHERE kind = ? AND record_key = ? AND version = ?",
        [kind, str(key), version],
    )
    return flatten(json.loads(row["snapshot"])) if row else None


def _person(db, user_id: int | None) -> str | None:
    """Who saved a version, as people know them: name (position), the username only when
    the account records no name (``people.person_name``)."""
    if user_id is None:
        return None
    return person_name(one(db, "SELECT username, display_name, position FROM user WHERE id = ?", [user_id]))


def lost(
    db,
    kind: str,
    key,
    *,
    expected: int | None,
    version: int,
    current: dict,
    saved_by: int | None,
    saved_at: str | None,
    yours: dict | None,
    fields: Fields,
    only: set[str] | None = None,
    prefix: Text = "",
) -> list[Change]:
    """The fields a save of ``yours`` based on ``expected`` would overwrite; [] when
    ``expected`` is the stored ``version`` (or None: a caller that does not check)."""
    if expected is None or expected == version:
        return []
    history = []
    if 0 <= expected < version:
        for row in db.query(
            "SELECT version, snapshot, saved_by, saved_at FROM record_version"
            " WHERE kind = ? AND record_key = ? AND version >= ? AND version < ? ORDER BY version",
            [kind, str(key), expected, version],
        ):
            history.append(
                Saved(
                    row["version"],
                    flatten(json.loads(row["snapshot"])),
                    _person(db, row["saved_by"]),
                    row["saved_at"],
                )
            )
    base_known = bool(history) and history[0].version == expected
    history.append(Saved(version, flatten(current), _person(db, saved_by), saved_at))
    return lost_changes(history, base_known, yours, fields, only, prefix)


def refuse(what: Text, changes: list[Change], current, **wording: Text) -> ConflictError:
    """The error a refused save raises, its message shown in the page's language (Thai
    in ``.message``); ``current`` is the version (or {row id: version}) a knowing second
    save is based on."""
    return ConflictError(conflict_msg(what, changes, **wording), "version", current)


def check(db, kind: str, key, *, what: Text, **kwargs) -> None:
    """Raise a ConflictError naming the lost fields, if the save would lose any."""
    changes = lost(db, kind, key, **kwargs)
    if changes:
        raise refuse(what, changes, kwargs["version"])


def parse_version(text) -> int:
    """The version a form sent: missing means 0 (loaded before anything was saved);
    anything that is not a version this service sent counts as unknown (-1)."""
    text = str(text or "").strip()
    if not text:
        return 0
    if text.isdecimal() and text.isascii() and len(text) < 10:
        return int(text)
    return -1
