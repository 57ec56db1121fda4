"""How the system names a person: their display name and position, as on a document
(the username only when no name is recorded)."""

from __future__ import annotations


def person_sql(alias: str) -> str:
    """SQL for the name of the user joined as ``alias``: "name (position)"; NULL when no
    user is joined."""
    return (
        f"(coalesce(nullif({alias}.display_name, ''), {alias}.username)"
        f" || CASE WHEN {alias}.position != '' THEN ' (' || {alias}.position || ')' ELSE '' END)"
    )


def person_name(row: dict | None) -> str | None:
    """The same for a user row."""
    if row is None:
        return None
    name = row.get("display_name") or row["username"]
    return f"{name} ({row['position']})" if row.get("position") else name
