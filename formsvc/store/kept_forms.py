"""Typing kept for one user and one page (migration 25): what was posted from a page's
form when it could not be saved there and then (the interface language was switched,
or the session had expired), given back once, to the same user, on the same page.

Only the posted text fields are kept (never files, never the CSRF token), at most
``MAX_BYTES`` of them, for ``KEEP_DAYS`` days; nothing kept is ever saved by itself:
the page fills its form with it and the user saves as usual (with a fresh CSRF token)."""

from __future__ import annotations

import datetime as _dt
import json

from formsvc.domain import clock
from formsvc.domain.clock import now_iso
from formsvc.store.db import one

KEEP_DAYS = 3
MAX_BYTES = 1_000_000  # more than the longest form (200 members, long wording); a larger post is not kept
REASONS = ("language", "expired")


def _cutoff() -> str:
    return (clock.now() - _dt.timedelta(days=KEEP_DAYS)).isoformat(timespec="seconds")


def keep(db, user_id: int, path: str, pairs: list[tuple[str, str]], reason: str) -> bool:
    """Keep ``pairs`` (field name, value) for the user on ``path``, replacing what was kept
    there before. Returns False (keeping nothing) when they are too large."""
    assert reason in REASONS
    data = json.dumps([[str(k), str(v)] for k, v in pairs], ensure_ascii=False)
    if len(data.encode("utf-8")) > MAX_BYTES:
        return False
    with db.atomic():
        db.execute("DELETE FROM kept_form WHERE kept_at < ?", [_cutoff()])
        db.execute(
            "INSERT INTO kept_form (user_id, path, reason, data, kept_at) VALUES (?, ?, ?, ?, ?)"
            " ON CONFLICT (user_id, path) DO UPDATE SET reason = excluded.reason, data = excluded.data,"
            " kept_at = excluded.kept_at",
            [user_id, path, reason, data, now_iso()],
        )
    return True


def take(db, user_id: int, path: str) -> tuple[str, list[tuple[str, str]]] | None:
    """What the user's typing on ``path`` was kept for, and the fields, once: taken, it
    is forgotten. None when nothing (recent) is kept there for this user."""
    row = one(
        db,
        "SELECT id, reason, data FROM kept_form WHERE user_id = ? AND path = ? AND kept_at >= ?",
        [user_id, path, _cutoff()],
    )
    if row is None:
        return None
    with db.atomic():
        db.execute("DELETE FROM kept_form WHERE id = ?", [row["id"]])
    return row["reason"], [(k, v) for k, v in json.loads(row["data"])]
