"""The public page's own records: whether each programme year's page is shown, the
honours list (certificates issued, without who issued them), and the change stamp its
cached figures are kept under."""

from __future__ import annotations

from formsvc.domain.clock import now_iso
from formsvc.store.db import one, scalar


def is_shown(db, year: int) -> bool:
    """Whether programme year ``year``'s public page is shown (it is unless an admin hid it)."""
    return bool(scalar(db, "SELECT coalesce((SELECT shown FROM public_page WHERE programme_year = ?), 1)", [year]))


def hidden_years(db) -> set[int]:
    return {row[0] for row in db.execute("SELECT programme_year FROM public_page WHERE shown = 0").fetchall()}


def set_shown(db, year: int, shown: bool, user_id: int | None) -> bool:
    """Show or hide programme year ``year``'s public page (any year opened, closed ones
    included: the page changes no record). Returns whether anything changed."""
    with db.atomic():
        if is_shown(db, year) == shown:
            return False
        db.execute(
            "INSERT INTO public_page (programme_year, shown, updated_by, updated_at) VALUES (?, ?, ?, ?)"
            " ON CONFLICT (programme_year) DO UPDATE SET shown = excluded.shown,"
            " updated_by = excluded.updated_by, updated_at = excluded.updated_at",
            [year, int(shown), user_id, now_iso()],
        )
    return True


def honours(db, year: int) -> list[dict]:
    """The certificates of programme year ``year`` in force (not replaced), oldest first:
    the LAO, where it is and when it was issued; never who issued it."""
    return list(
        db.query(
            "SELECT c.lao_id, c.issued_at, l.kind, l.name, l.district_code, d.kind AS district_kind,"
            " d.name_th AS district_name, d.province_code, p.name_th AS province_name"
            " FROM certificate c JOIN lao l ON l.id = c.lao_id JOIN district d ON d.code = l.district_code"
            " JOIN province p ON p.code = d.province_code"
            " WHERE c.programme_year = ? AND c.replaced_at IS NULL ORDER BY c.issued_at, c.id",
            [year],
        )
    )


def change_stamp(db) -> tuple:
    """What the public figures rest on, as one value that changes whenever any of it does:
    the audit log's last entry (every insert, update and delete of a record writes one,
    chained by hash, so a restored or other database never looks the same) and the
    compliance cache's global stamp (programme settings). Two indexed reads."""
    last = one(db, "SELECT id, hash FROM audit_log ORDER BY id DESC LIMIT 1") or {}
    global_stamp = scalar(db, "SELECT coalesce(max(stamp), 0) FROM lao_stamp WHERE lao_id = 0")
    return (last.get("id"), last.get("hash"), global_stamp)
