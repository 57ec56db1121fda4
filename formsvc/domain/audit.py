"""Reading audit-log entries: which fields an entry changed, and their values as text."""

from __future__ import annotations

import json
from dataclasses import dataclass


@dataclass(frozen=True)
class Change:
    field: str
    before: object
    after: object


def changes(action: str, before: dict | None, after: dict | None) -> list[Change]:
    """The fields an entry changed, in the table's column order.

    An update lists the fields whose value differs; an insert the fields it filled in
    (not the empty ones); a delete the fields the row had.
    """
    before, after = before or {}, after or {}
    if action == "update":
        return [Change(k, before.get(k), v) for k, v in after.items() if before.get(k) != v]
    if action == "insert":
        return [Change(k, None, v) for k, v in after.items() if v not in (None, "", "[]")]
    return [Change(k, v, None) for k, v in before.items() if v not in (None, "", "[]")]


def is_digest(value) -> bool:
    """A file recorded as its SHA-256 and length (the log never holds the bytes)."""
    return isinstance(value, dict) and set(value) == {"sha256", "bytes"}


def as_text(value, limit: int = 300) -> str:
    """A value as one line of text, cut at ``limit`` characters."""
    if value is None:
        return ""
    text = value if isinstance(value, str) else json.dumps(value, ensure_ascii=False)
    return text if len(text) <= limit else text[: limit - 1] + "…"
