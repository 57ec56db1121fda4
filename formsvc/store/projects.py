"""The LAO's project list for a programme year: ranks, plan and budget tracking, and the
all-or-nothing replacement an import makes."""
from __future__ import annotations

import re
from decimal import Decimal, InvalidOperation

from formsvc.domain import criteria, thai
from formsvc.domain.model import village_label
from formsvc.store import crashpoints
from formsvc.store import programme as programme_store
from formsvc.store.clock import now_iso
from formsvc.store.db import one
from formsvc.store.errors import InputError, NotFound

NAME_MAX = 300
REFERENCE_MAX = 100
BUDGET_MAX = Decimal("1000000000000")  # a trillion baht: anything above is a typing slip
FLAGS = ("within_authority", "in_development_plan", "in_budget_draft")
_GROUPED = re.compile(r"^-?\d{1,3}(,\d{3})+(\.\d+)?$")

_SELECT = ("SELECT p.*, v.kind AS village_kind, v.number AS village_number, v.name AS village_name,"
           " f.title AS forum_title FROM project p LEFT JOIN village v ON v.id = p.village_id"
           " LEFT JOIN forum f ON f.id = p.forum_id")


def _decorate(row: dict) -> dict:
    row["village_label"] = (village_label(row["village_kind"], row["village_number"], row["village_name"])
                            if row["village_kind"] else "")
    row["budget"] = None if row["budget_satang"] is None else Decimal(row["budget_satang"]) / 100
    return row


def list_projects(db, lao_id: int, year: int) -> list[dict]:
    return [_decorate(r) for r in db.query(
        _SELECT + " WHERE p.lao_id = ? AND p.programme_year = ? ORDER BY p.rank, p.id", [lao_id, year])]


def get_project(db, lao_id: int, project_id: int) -> dict:
    row = one(db, _SELECT + " WHERE p.id = ? AND p.lao_id = ?", [project_id, lao_id])
    if row is None:
        raise NotFound(project_id)
    return _decorate(row)


def facts(rows: list[dict]) -> list[criteria.ProjectFacts]:
    return [criteria.ProjectFacts(r["id"], r["rank"], r["name"], bool(r["within_authority"]),
                                  bool(r["in_development_plan"]), bool(r["in_budget_draft"])) for r in rows]


def parse_budget(value) -> int | None:
    """Baht (text with commas or Thai digits, or a number) to satang, exactly; None if blank."""
    if value is None or (isinstance(value, str) and not value.strip()):
        return None
    if isinstance(value, bool):
        raise InputError("งบประมาณต้องเป็นตัวเลข", "budget")
    if isinstance(value, float):
        value = repr(value)
    text = thai.to_arabic_digits(str(value)).replace(" ", "").replace("บาท", "")
    if "," in text and not _GROUPED.match(text):
        raise InputError("งบประมาณใช้จุลภาคคั่นหลักพันเท่านั้น เช่น 150,000.50", "budget")
    try:
        amount = Decimal(text.replace(",", ""))
    except InvalidOperation:
        raise InputError("งบประมาณต้องเป็นตัวเลข เช่น 150000 หรือ 150,000.50", "budget") from None
    if not amount.is_finite():
        raise InputError("งบประมาณต้องเป็นตัวเลข เช่น 150000 หรือ 150,000.50", "budget")
    if amount < 0:
        raise InputError("งบประมาณต้องไม่ติดลบ", "budget")
    if amount > BUDGET_MAX:
        raise InputError("งบประมาณสูงเกินจริง", "budget")
    if amount != amount.quantize(Decimal("0.01")):
        raise InputError("งบประมาณมีทศนิยมได้ไม่เกิน 2 ตำแหน่ง", "budget")
    return int(amount * 100)


def clean(db, lao_id: int, row: dict, where: str = "") -> dict:
    """One project's values checked; ``where`` prefixes messages (e.g. 'แถวที่ 5: ')."""
    name = (row.get("name") or "").strip()
    if not name:
        raise InputError(f"{where}กรุณากรอกชื่อโครงการ", "name")
    if len(name) > NAME_MAX:
        raise InputError(f"{where}ชื่อโครงการยาวเกิน {NAME_MAX} ตัวอักษร", "name")
    dimension = (row.get("dimension") or "").strip()
    if dimension and dimension not in programme_store.dimensions(db):
        raise InputError(f"{where}มิติการพัฒนา '{dimension[:60]}' ไม่อยู่ในรายการที่ใช้", "dimension")
    village_id = row.get("village_id")
    if village_id not in (None, ""):
        if not one(db, "SELECT id FROM village WHERE id = ? AND lao_id = ?", [village_id, lao_id]):
            raise InputError(f"{where}หมู่บ้าน/ชุมชนไม่ใช่ของ อปท. นี้", "village_id")
    else:
        village_id = None
    reference = (row.get("plan_reference") or "").strip()
    if len(reference) > REFERENCE_MAX:
        raise InputError(f"{where}เลขอ้างอิงในแผนยาวเกิน {REFERENCE_MAX} ตัวอักษร", "plan_reference")
    try:
        budget = parse_budget(row.get("budget"))
    except InputError as error:
        raise InputError(where + error.message, "budget") from None
    try:
        rank = int(thai.to_arabic_digits(str(row.get("rank", "")).strip()))
    except ValueError:
        raise InputError(f"{where}ลำดับความสำคัญต้องเป็นตัวเลข", "rank") from None
    if not 1 <= rank <= 100000:
        raise InputError(f"{where}ลำดับความสำคัญต้องเป็นเลข 1 ขึ้นไป", "rank")
    return {"rank": rank, "name": name, "dimension": dimension, "village_id": village_id,
            "within_authority": int(bool(row.get("within_authority"))),
            "in_development_plan": int(bool(row.get("in_development_plan"))), "plan_reference": reference,
            "in_budget_draft": int(bool(row.get("in_budget_draft"))), "budget_satang": budget}


def _rank_free(db, lao_id: int, year: int, rank: int, project_id: int | None = None) -> None:
    other = one(db, "SELECT name FROM project WHERE lao_id = ? AND programme_year = ? AND rank = ? AND id IS NOT ?",
                [lao_id, year, rank, project_id])
    if other:
        raise InputError(f"ลำดับ {rank} ซ้ำกับโครงการ '{other['name'][:60]}' กรุณาใช้ลำดับอื่น", "rank")


def update_project(db, lao_id: int, project_id: int, row: dict) -> None:
    current = get_project(db, lao_id, project_id)
    values = clean(db, lao_id, row)
    _rank_free(db, lao_id, current["programme_year"], values["rank"], project_id)
    with db.atomic():
        db.execute(
            "UPDATE project SET rank = ?, name = ?, dimension = ?, village_id = ?, within_authority = ?,"
            " in_development_plan = ?, plan_reference = ?, in_budget_draft = ?, budget_satang = ?, updated_at = ?"
            " WHERE id = ? AND lao_id = ?",
            [values["rank"], values["name"], values["dimension"], values["village_id"], values["within_authority"],
             values["in_development_plan"], values["plan_reference"], values["in_budget_draft"],
             values["budget_satang"], now_iso(), project_id, lao_id])


def add_project(db, lao_id: int, year: int, row: dict) -> int:
    if not row.get("rank"):
        row = {**row, "rank": (db.execute("SELECT coalesce(max(rank), 0) + 1 FROM project WHERE lao_id = ?"
                                          " AND programme_year = ?", [lao_id, year]).fetchone()[0])}
    values = clean(db, lao_id, row)
    _rank_free(db, lao_id, year, values["rank"])
    with db.atomic():
        return db.execute(
            "INSERT INTO project (lao_id, programme_year, rank, name, dimension, village_id, within_authority,"
            " in_development_plan, plan_reference, in_budget_draft, budget_satang, updated_at)"
            " VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)",
            [lao_id, year, values["rank"], values["name"], values["dimension"], values["village_id"],
             values["within_authority"], values["in_development_plan"], values["plan_reference"],
             values["in_budget_draft"], values["budget_satang"], now_iso()]).lastrowid


def update_many(db, lao_id: int, year: int, rows: list[dict]) -> int:
    """Save the whole list as edited in the table: every row checked (errors name the
    row shown), ranks unique, all in one transaction."""
    existing = {r["id"] for r in list_projects(db, lao_id, year)}
    cleaned = []
    for n, row in enumerate(rows, 1):
        if row.get("id") not in existing:
            raise InputError(f"แถวที่ {n}: ไม่พบโครงการนี้ในบัญชี (อาจถูกลบไปแล้ว) กรุณาโหลดหน้าใหม่", "rows")
        cleaned.append((row["id"], clean(db, lao_id, row, f"แถวที่ {n}: ")))
    ranks = [values["rank"] for _, values in cleaned]
    duplicates = sorted({r for r in ranks if ranks.count(r) > 1})
    if duplicates:
        raise InputError("ลำดับความสำคัญซ้ำกัน: " + ", ".join(map(str, duplicates[:10])), "rank")
    with db.atomic():
        now = now_iso()
        db.conn.executemany(
            "UPDATE project SET rank = ?, name = ?, dimension = ?, village_id = ?, within_authority = ?,"
            " in_development_plan = ?, plan_reference = ?, in_budget_draft = ?, budget_satang = ?, updated_at = ?"
            " WHERE id = ? AND lao_id = ?",
            [(v["rank"], v["name"], v["dimension"], v["village_id"], v["within_authority"], v["in_development_plan"],
              v["plan_reference"], v["in_budget_draft"], v["budget_satang"], now, project_id, lao_id)
             for project_id, v in cleaned])
    return len(cleaned)


def delete_project(db, lao_id: int, project_id: int) -> None:
    get_project(db, lao_id, project_id)
    with db.atomic():
        db.execute("DELETE FROM project WHERE id = ? AND lao_id = ?", [project_id, lao_id])


def mark(db, lao_id: int, year: int, project_ids: list[int], flag: str, value: bool) -> int:
    """Set one flag on several projects at once. Returns how many changed."""
    if flag not in FLAGS:
        raise InputError("รายการที่จะทำเครื่องหมายไม่ถูกต้อง", "flag")
    ids = [int(i) for i in project_ids]
    if not ids:
        raise InputError("กรุณาเลือกโครงการอย่างน้อยหนึ่งโครงการ", "ids")
    with db.atomic():
        cur = db.execute(
            f"UPDATE project SET {flag} = ?, updated_at = ? WHERE lao_id = ? AND programme_year = ?"
            f" AND id IN ({','.join('?' * len(ids))})", [int(value), now_iso(), lao_id, year, *ids])
    return cur.rowcount


def move(db, lao_id: int, year: int, project_id: int, direction: int) -> None:
    """Swap a project's place with its neighbour, then number the list 1, 2, 3…"""
    rows = list_projects(db, lao_id, year)
    index = next((i for i, r in enumerate(rows) if r["id"] == project_id), None)
    if index is None:
        raise NotFound(project_id)
    other = index + direction
    if 0 <= other < len(rows):
        rows[index], rows[other] = rows[other], rows[index]
    with db.atomic():
        db.conn.executemany("UPDATE project SET rank = ? WHERE id = ?",
                            [(i, r["id"]) for i, r in enumerate(rows, 1)])


def replace_all(db, lao_id: int, year: int, rows: list[dict]) -> int:
    """The import: the year's list becomes ``rows`` (already cleaned), all or nothing.

    A row whose name matches a project a forum adopted keeps that link, so the forum
    still shows what it produced (criterion 3)."""
    ranks = [r["rank"] for r in rows]
    if len(set(ranks)) != len(ranks):
        raise InputError("ลำดับความสำคัญซ้ำกัน", "rank")
    with db.atomic():
        links = forum_links(db, lao_id, year, rows)
        db.execute("DELETE FROM project WHERE lao_id = ? AND programme_year = ?", [lao_id, year])
        now = now_iso()
        values = [(lao_id, year, link, r["rank"], r["name"], r["dimension"], r["village_id"],
                   r["within_authority"], r["in_development_plan"], r["plan_reference"], r["in_budget_draft"],
                   r["budget_satang"], now) for r, link in zip(rows, links)]
        insert = ("INSERT INTO project (lao_id, programme_year, forum_id, rank, name, dimension, village_id,"
                  " within_authority, in_development_plan, plan_reference, in_budget_draft, budget_satang,"
                  " updated_at) VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)")
        half = len(values) // 2
        db.conn.executemany(insert, values[:half])
        crashpoints.reached("project-import")  # a crash test kills the process here
        db.conn.executemany(insert, values[half:])
    return len(rows)


def forum_links(db, lao_id: int, year: int, rows: list[dict]) -> list[int | None]:
    """For each incoming row, the forum that adopted the project it replaces: the project
    of the same name, else the one at the same rank (a clerk may retype a name)."""
    adopted = list(db.query("SELECT name, rank, forum_id FROM project WHERE lao_id = ? AND programme_year = ?"
                            " AND forum_id IS NOT NULL", [lao_id, year]))
    by_name = {a["name"]: a for a in adopted}
    by_rank = {a["rank"]: a for a in adopted}
    used, links = set(), []
    for r in rows:
        match = by_name.get(r["name"])
        if match is None or id(match) in used:
            match = by_rank.get(r["rank"])
        if match is not None and id(match) not in used:
            used.add(id(match))
            links.append(match["forum_id"])
        else:
            links.append(None)
    return links


def links_lost(db, lao_id: int, year: int, rows: list[dict]) -> int:
    """How many projects a forum adopted would no longer be linked to it after an import."""
    adopted = db.execute("SELECT count(*) FROM project WHERE lao_id = ? AND programme_year = ?"
                         " AND forum_id IS NOT NULL", [lao_id, year]).fetchone()[0]
    return adopted - sum(1 for link in forum_links(db, lao_id, year, rows) if link is not None)


# Pending imports: checked rows wait here between the preview and the confirmation ------

def save_pending(db, lao_id: int, year: int, user_id: int, filename: str, rows: list[dict]) -> int:
    import json
    with db.atomic():
        db.execute("DELETE FROM project_import WHERE user_id = ? OR created_at < datetime('now', '-1 day')",
                   [user_id])
        return db.execute(
            "INSERT INTO project_import (lao_id, programme_year, user_id, filename, rows, created_at)"
            " VALUES (?, ?, ?, ?, ?, datetime('now'))",
            [lao_id, year, user_id, filename, json.dumps(rows, ensure_ascii=False)]).lastrowid


def confirm_pending(db, lao_id: int, import_id: int, user_id: int) -> tuple[str, int]:
    """Replace the list with the previewed rows; the pending import is used up."""
    import json
    row = one(db, "SELECT * FROM project_import WHERE id = ? AND lao_id = ? AND user_id = ?"
                  " AND created_at >= datetime('now', '-1 day')", [import_id, lao_id, user_id])
    if row is None:
        raise InputError("ไม่พบรายการนำเข้าที่รอยืนยัน (อาจยืนยันไปแล้วหรือหมดอายุ) กรุณาอัปโหลดไฟล์อีกครั้ง", "import")
    # checked again: villages or dimensions may have changed since the preview
    rows = [clean(db, lao_id, {**r, "budget": None if r["budget_satang"] is None else Decimal(r["budget_satang"]) / 100},
                  f"แถวที่ {i}: ") for i, r in enumerate(json.loads(row["rows"]), 1)]
    with db.atomic():
        count = replace_all(db, lao_id, row["programme_year"], rows)
        db.execute("DELETE FROM project_import WHERE id = ?", [import_id])
    return row["filename"], count
