"""The demo database: `formsvc init-db --demo`.

Each step runs once, marked in the meta table, so a second run adds nothing twice and
an older demo database gains the steps added since it was made. The demo LAOs end in
different states, so every page has something to show.
"""
from __future__ import annotations

import datetime as _dt

from formsvc import services
from formsvc.domain import thai
from formsvc.store import programme as programme_store
from formsvc.store import setup as store_setup
from formsvc.store import working_group as wg_store
from formsvc.store.db import one
from formsvc.store.working_group import STANDARD_DUTIES

FIRST_NAMES = ("สมชาย", "สมศรี", "บุญมี", "ประยูร", "วิไลวรรณ", "สุดารัตน์", "ทองดี", "คำปั่น", "อำนวย",
               "จันทร์เพ็ญ", "สุรชัย", "ละมัย", "ประเสริฐ", "บัวผัน", "เกรียงไกร", "นงลักษณ์", "ไพโรจน์",
               "สำราญ", "ทองใบ", "พิมพ์ใจ")
SURNAMES = ("ใจดี", "ศรีสุข", "บุญมา", "แก้วกล้า", "คำแสน", "พรมมา", "ทองคำ", "สีดา", "จันทร์หอม",
            "ภูมิใจ", "วงศ์ใหญ่", "ชัยมงคล", "อินทร์แก้ว", "สายทอง", "นามวงศ์", "ดวงดี", "ผาสุข")


def init_db(db, demo: bool = False) -> dict:
    result = store_setup.init_db(db, demo=demo)
    if demo:
        result["demo_working_groups"] = load_working_groups(db)
    return result


def _name(i: int) -> str:
    title = "นาง" if i % 3 == 1 else "นาย"
    return f"{title}{FIRST_NAMES[i % len(FIRST_NAMES)]} {SURNAMES[(i * 7) % len(SURNAMES)]}"


def load_working_groups(db) -> bool:
    """LAO 1: complete, order issued, plan made (criterion 1 met). LAO 2: no ประธาน ศอช.ต.
    LAO 3: order issued but no operation plan. LAO 4: nothing yet."""
    if one(db, "SELECT value FROM meta WHERE key = 'demo_working_groups'"):
        return False
    models = [r["lao_id"] for r in db.query(
        "SELECT lao_id FROM model_lao WHERE programme_year = ? ORDER BY district_code",
        [programme_store.get_programme(db).year_be])]
    if len(models) < 4:
        return False
    prog = programme_store.get_programme(db)
    year_ce = thai.ce_year(prog.year_be)
    order_date = _dt.date(year_ce, prog.start_month, 15)
    for n, lao_id in enumerate(models[:3]):
        rows = wg_store.guideline_members(db, lao_id)
        for i, row in enumerate(rows):
            row["name"] = _name(i + 5 * n)
        if n == 1:
            rows = [r for r in rows if r["category"] != "ctc_chair"]
        group = wg_store.get_group(db, lao_id, prog.year_be)
        wg_store.save_group(db, lao_id, prog.year_be, reason=group["reason"], duties=list(STANDARD_DUTIES),
                            signer_name=rows[0]["name"], signer_position=rows[0]["position"], members=rows,
                            user_id=None)
        if n != 2:
            wg_store.save_activities(db, lao_id, prog.year_be, [
                {"activity": "ประชุมคณะทำงานระดับท้องถิ่น กำหนดบทบาทและแผนการดำเนินงาน",
                 "start_month": f"{year_ce}-{prog.start_month:02d}", "end_month": f"{year_ce}-{prog.start_month:02d}",
                 "responsible": "ปลัด อปท. (เลขานุการ)", "status": "done"},
                {"activity": "สนับสนุนเวทีประชาคมหมู่บ้าน/ชุมชน ทบทวนแผนชุมชนด้วยข้อมูล จปฐ. และ กชช. ๒ค",
                 "start_month": f"{year_ce}-{prog.start_month + 1:02d}",
                 "end_month": f"{year_ce}-{prog.start_month + 3:02d}",
                 "responsible": "คณะทำงาน วิทยากรกระบวนการ", "status": "in_progress"},
                {"activity": "เวทีประชาคมระดับตำบล บูรณาการแผนชุมชนและจัดลำดับโครงการ",
                 "start_month": f"{year_ce}-{prog.start_month + 4:02d}",
                 "end_month": f"{year_ce}-{prog.start_month + 4:02d}",
                 "responsible": "ศอช.ต. สอช. และแกนนำแผนชุมชน", "status": "planned"},
                {"activity": "นำโครงการเข้าแผนพัฒนาท้องถิ่นและร่างข้อบัญญัติงบประมาณ",
                 "start_month": f"{year_ce}-{prog.start_month + 5:02d}",
                 "end_month": f"{year_ce}-{prog.end_month:02d}",
                 "responsible": "กองวิชาการและแผนงาน", "status": "planned"},
            ], None)
        if n in (0, 1, 2):
            services.issue_order(db, lao_id, order_date, order_date, None)
    with db.atomic():
        db.execute("INSERT INTO meta (key, value) VALUES ('demo_working_groups', 'done')")
    return True
