"""Programme settings (year, months) and the list of development dimensions."""
from __future__ import annotations

from formsvc.domain.model import DEFAULT_DIMENSIONS, Programme
from formsvc.domain.thai import be_year, month_name
from formsvc.domain.versions import Field, Fields
from formsvc.store import versions
from formsvc.domain import clock
from formsvc.domain.clock import now_iso
from formsvc.store.db import locked, one
from formsvc.store.errors import ConflictError, InputError  # noqa: F401 (callers catch it from here)

DIMENSION_MAX = 100


def ensure_defaults(db, year_be: int | None = None) -> None:
    """A programme row and the default dimensions, on a database that has none. The
    programme year is ``year_be`` or else the one today falls in."""
    with db.atomic():
        if not one(db, "SELECT id FROM programme WHERE id = 1"):
            db.execute("INSERT INTO programme (id, year_be, start_month, end_month) VALUES (1, ?, 1, 9)",
                       [year_be or be_year(clock.today())])
        if not one(db, "SELECT id FROM dimension LIMIT 1"):
            db.conn.executemany("INSERT INTO dimension (position, name) VALUES (?, ?)",
                                list(enumerate(DEFAULT_DIMENSIONS, 1)))


def get_programme(db) -> Programme:
    row = one(db, "SELECT * FROM programme WHERE id = 1")
    if row is None:
        return Programme(be_year(clock.today()), 1, 9)
    return Programme(row["year_be"], row["start_month"], row["end_month"])


def dimensions(db) -> list[str]:
    return [r["name"] for r in db.query("SELECT name FROM dimension ORDER BY position, id")]


FIELDS = Fields({"year_be": "ปีดำเนินการ", "start_month": Field("เดือนเริ่มต้น", month_name),
                 "end_month": Field("เดือนสิ้นสุด", month_name), "dimensions": "มิติการพัฒนา"})


def settings(db) -> dict:
    """The settings form's values with the version they were saved as (0: defaults)."""
    row = one(db, "SELECT * FROM programme WHERE id = 1")
    prog = get_programme(db)
    return {"year_be": prog.year_be, "start_month": prog.start_month, "end_month": prog.end_month,
            "dimensions": dimensions(db), "version": row["version"] if row else 0,
            "updated_by": row["updated_by"] if row else None, "updated_at": row["updated_at"] if row else None}


def update_programme(db, year_be, start_month, end_month, dimension_names: list[str], user_id: int | None,
                     expected_version: int | None = None) -> int:
    """Save the programme settings. Returns the new version; settings based on an old
    version that would overwrite another's change are refused (ConflictError)."""
    try:
        year_be, start_month, end_month = int(year_be), int(start_month), int(end_month)
    except (TypeError, ValueError):
        raise InputError("ปีและเดือนต้องเป็นตัวเลข", "year_be") from None
    if not 2550 <= year_be <= 2700:
        raise InputError("ปีดำเนินการต้องเป็นปี พ.ศ. เช่น 2569", "year_be")
    if not (1 <= start_month <= 12 and 1 <= end_month <= 12):
        raise InputError("เดือนต้องอยู่ระหว่าง 1 ถึง 12", "start_month")
    if end_month < start_month:
        raise InputError("เดือนสิ้นสุดต้องไม่อยู่ก่อนเดือนเริ่มต้น", "end_month")
    names = [n.strip() for n in dimension_names if n and n.strip()]
    if not names:
        raise InputError("ต้องมีมิติการพัฒนาอย่างน้อยหนึ่งมิติ", "dimensions")
    if len(set(names)) != len(names):
        raise InputError("ชื่อมิติการพัฒนาซ้ำกัน", "dimensions")
    if any(len(n) > DIMENSION_MAX for n in names):
        raise InputError(f"ชื่อมิติการพัฒนายาวเกิน {DIMENSION_MAX} ตัวอักษร", "dimensions")
    yours = {"year_be": year_be, "start_month": start_month, "end_month": end_month, "dimensions": names}
    with locked(db):
        current = settings(db)
        stored = {k: current[k] for k in yours}
        versions.check(db, "programme", 1, what="การตั้งค่าโครงการ", expected=expected_version,
                       version=current["version"], current=stored, saved_by=current["updated_by"],
                       saved_at=current["updated_at"], yours=yours, fields=FIELDS)
        if yours == stored:
            return current["version"]
        versions.remember(db, "programme", 1, current["version"], stored, current["updated_by"],
                          current["updated_at"])
        db.execute(
            "INSERT INTO programme (id, year_be, start_month, end_month, updated_by, updated_at, version)"
            " VALUES (1, ?, ?, ?, ?, ?, 1) ON CONFLICT(id) DO UPDATE SET year_be = excluded.year_be,"
            " start_month = excluded.start_month, end_month = excluded.end_month,"
            " updated_by = excluded.updated_by, updated_at = excluded.updated_at, version = programme.version + 1",
            (year_be, start_month, end_month, user_id, now_iso()))
        db.execute("DELETE FROM dimension")
        db.conn.executemany("INSERT INTO dimension (position, name) VALUES (?, ?)",
                            list(enumerate(names, 1)))
        return current["version"] + 1
