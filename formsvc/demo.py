"""The demo database: `formsvc init-db --demo`.

Each step runs once, marked in the meta table, so a second run adds nothing twice and
an older demo database gains the steps added since it was made. The demo LAOs end in
different states, so every page has something to show.
"""

from __future__ import annotations

import datetime as _dt

from formsvc import services
from formsvc.domain import thai
from formsvc.store import laos as lao_store
from formsvc.store import programme as programme_store
from formsvc.store import projects as project_store
from formsvc.store import setup as store_setup
from formsvc.store import working_group as wg_store
from formsvc.store.working_group import STANDARD_DUTIES

FIRST_NAMES = (
    "สมชาย",
    "สมศรี",
    "บุญมี",
    "ประยูร",
    "วิไลวรรณ",
    "สุดารัตน์",
    "ทองดี",
    "คำปั่น",
    "อำนวย",
    "จันทร์เพ็ญ",
    "สุรชัย",
    "ละมัย",
    "ประเสริฐ",
    "บัวผัน",
    "เกรียงไกร",
    "นงลักษณ์",
    "ไพโรจน์",
    "สำราญ",
    "ทองใบ",
    "พิมพ์ใจ",
)
SURNAMES = (
    "ใจดี",
    "ศรีสุข",
    "บุญมา",
    "แก้วกล้า",
    "คำแสน",
    "พรมมา",
    "ทองคำ",
    "สีดา",
    "จันทร์หอม",
    "ภูมิใจ",
    "วงศ์ใหญ่",
    "ชัยมงคล",
    "อินทร์แก้ว",
    "สายทอง",
    "นามวงศ์",
    "ดวงดี",
    "ผาสุข",
)


def init_db_with_demo(db, demo: bool = False) -> dict:
    """`formsvc init-db [--demo]`: the store's init_db (schema, geography, settings, the
    demo's LAOs and users), then, with ``demo``, the demo's records through the services."""
    result = store_setup.init_db(db, demo=demo)
    if demo:
        result["demo_working_groups"] = load_working_groups(db)
        result["demo_forums"] = load_forums(db)
        result["demo_projects"] = load_projects(db)
        result["demo_reports"] = load_reports(db)
        result["demo_report_history"] = load_report_history(db)
        result["demo_area_reports"] = load_area_reports(db)
        result["demo_meetings"] = load_meetings(db)
    return result


def _name(i: int) -> str:
    title = "นาง" if i % 3 == 1 else "นาย"
    return f"{title}{FIRST_NAMES[i % len(FIRST_NAMES)]} {SURNAMES[(i * 7) % len(SURNAMES)]}"


def load_working_groups(db) -> bool:
    """LAO 1: complete, order issued, plan made (criterion 1 met). LAO 2: no ประธาน ศอช.ต.
    LAO 3: order issued but no operation plan. LAO 4: nothing yet."""
    if store_setup.demo_step_done(db, "demo_working_groups"):
        return False
    models = lao_store.model_lao_ids(db, programme_store.get_programme(db).year_be)
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
        wg_store.save_group(
            db,
            lao_id,
            prog.year_be,
            reason=group["reason"],
            duties=list(STANDARD_DUTIES),
            signer_name=rows[0]["name"],
            signer_position=rows[0]["position"],
            members=rows,
            user_id=None,
        )
        if n != 2:
            wg_store.save_activities(
                db,
                lao_id,
                prog.year_be,
                [
                    {
                        "activity": "ประชุมคณะทำงานระดับท้องถิ่น กำหนดบทบาทและแผนการดำเนินงาน",
                        "start_month": f"{year_ce}-{prog.start_month:02d}",
                        "end_month": f"{year_ce}-{prog.start_month:02d}",
                        "responsible": "ปลัด อปท. (เลขานุการ)",
                        "status": "done",
                    },
                    {
                        "activity": "สนับสนุนเวทีประชาคมหมู่บ้าน/ชุมชน ทบทวนแผนชุมชนด้วยข้อมูล จปฐ. และ กชช. ๒ค",
                        "start_month": f"{year_ce}-{prog.start_month + 1:02d}",
                        "end_month": f"{year_ce}-{prog.start_month + 3:02d}",
                        "responsible": "คณะทำงาน วิทยากรกระบวนการ",
                        "status": "in_progress",
                    },
                    {
                        "activity": "เวทีประชาคมระดับตำบล บูรณาการแผนชุมชนและจัดลำดับโครงการ",
                        "start_month": f"{year_ce}-{prog.start_month + 4:02d}",
                        "end_month": f"{year_ce}-{prog.start_month + 4:02d}",
                        "responsible": "ศอช.ต. สอช. และแกนนำแผนชุมชน",
                        "status": "planned",
                    },
                    {
                        "activity": "นำโครงการเข้าแผนพัฒนาท้องถิ่นและร่างข้อบัญญัติงบประมาณ",
                        "start_month": f"{year_ce}-{prog.start_month + 5:02d}",
                        "end_month": f"{year_ce}-{prog.end_month:02d}",
                        "responsible": "กองวิชาการและแผนงาน",
                        "status": "planned",
                    },
                ],
                None,
            )
        if n in (0, 1, 2):
            services.issue_order(db, lao_id, order_date, order_date, None)
    with db.atomic():
        store_setup.mark_demo_step(db, "demo_working_groups")
    return True


# what the development plan's project form (แบบ ผ.02) says of the first projects, by rank:
# strategy, plan area, objective, target, KPI, expected result, responsible unit, and the
# budget of each plan year (baht; None: not in that year)
PLAN_DETAILS = (
    (
        "ยุทธศาสตร์การพัฒนาด้านโครงสร้างพื้นฐาน",
        "แผนงานอุตสาหกรรมและการโยธา",
        "เพื่อให้ประชาชนสัญจรไปมาได้สะดวกและปลอดภัย",
        "ถนน คสล. กว้าง 4 เมตร ยาว 200 เมตร หนา 0.15 เมตร",
        "ร้อยละ 80 ของครัวเรือนที่ใช้เส้นทางพึงพอใจ",
        "ประชาชนสัญจรได้สะดวก ลดอุบัติเหตุ",
        "กองช่าง",
        (None, None, None, 150000, 1250000),
    ),
    (
        "ยุทธศาสตร์การพัฒนาด้านโครงสร้างพื้นฐาน",
        "แผนงานการเกษตร",
        "เพื่อเพิ่มแหล่งน้ำสำหรับการเกษตรในฤดูแล้ง",
        "ขุดลอกหนองน้ำสาธารณะ พื้นที่ 3 ไร่ ลึก 3 เมตร เก็บน้ำได้ 20,000 ลูกบาศก์เมตร",
        "น้ำกักเก็บเพิ่มขึ้นร้อยละ 20",
        "เกษตรกรมีน้ำใช้ทำการเกษตรตลอดปี",
        "กองช่าง",
        (None, None, None, 175000, 175000),
    ),
    (
        "ยุทธศาสตร์การพัฒนาด้านเศรษฐกิจ",
        "แผนงานสร้างความเข้มแข็งของชุมชน",
        "เพื่อส่งเสริมรายได้เสริมของกลุ่มสตรี",
        "สมาชิกกลุ่มทอผ้าไหม 30 คน",
        "สมาชิกมีรายได้เพิ่มขึ้นร้อยละ 10",
        "กลุ่มสตรีมีอาชีพและรายได้ที่มั่นคง",
        "สำนักปลัด",
        (None, None, None, 200000.50, None),
    ),
    (
        "ยุทธศาสตร์การพัฒนาด้านคุณภาพชีวิต",
        "แผนงานสาธารณสุข",
        "เพื่อป้องกันโรคเบาหวานและความดันโลหิตในผู้สูงอายุ",
        "ผู้สูงอายุ 300 คน ได้รับการตรวจคัดกรอง",
        "ผู้สูงอายุได้รับการตรวจคัดกรองร้อยละ 90",
        "ผู้ป่วยรายใหม่ได้รับการดูแลทันท่วงที",
        "กองสาธารณสุขและสิ่งแวดล้อม",
        (None, None, None, 225000, 225000),
    ),
)

PROJECTS = (
    ("ก่อสร้างถนนคอนกรีตเสริมเหล็กสายกลางหมู่บ้าน", "โครงสร้างพื้นฐาน"),
    ("ขุดลอกหนองน้ำสาธารณะเพื่อการเกษตร", "ทรัพยากรธรรมชาติและสิ่งแวดล้อม"),
    ("ส่งเสริมอาชีพทอผ้าไหมกลุ่มสตรี", "เศรษฐกิจ"),
    ("ตรวจคัดกรองเบาหวานและความดันโลหิตผู้สูงอายุ", "สุขภาพ"),
    ("ติดตั้งไฟฟ้าส่องสว่างทางสาธารณะ", "ความปลอดภัยในชีวิตและทรัพย์สิน"),
    ("สนับสนุนศูนย์พัฒนาเด็กเล็กและสื่อการเรียนรู้", "การศึกษา ศาสนาและวัฒนธรรม"),
    ("จัดตั้งกองทุนสวัสดิการชุมชน", "สังคมและคุณภาพชีวิต"),
    ("อบรมการมีส่วนร่วมในการจัดทำแผนชุมชน", "การเมือง การบริหารและการมีส่วนร่วม"),
    ("ก่อสร้างฝายชะลอน้ำลำห้วย", "ทรัพยากรธรรมชาติและสิ่งแวดล้อม"),
    ("ปรับปรุงระบบประปาหมู่บ้าน", "โครงสร้างพื้นฐาน"),
    ("ส่งเสริมการปลูกผักปลอดสารพิษ", "เศรษฐกิจ"),
    ("จัดงานประเพณีบุญบั้งไฟ", "การศึกษา ศาสนาและวัฒนธรรม"),
)


def _agenda(level: str) -> list[dict]:
    if level == "village":
        consider = (
            "ที่ประชุมร่วมกันทบทวนแผนชุมชนปีที่ผ่านมา โดยใช้ข้อมูล จปฐ. และ กชช. ๒ค ประกอบ "
            "จัดกลุ่มปัญหาตามมิติการพัฒนา และเรียงลำดับความสำคัญของโครงการ",
            "เห็นชอบแผนชุมชนฉบับทบทวน",
        )
    else:
        consider = (
            "ผู้แทนหมู่บ้าน/ชุมชนนำเสนอแผนชุมชน ที่ประชุมบูรณาการโครงการที่ซ้ำซ้อน และจัดลำดับความสำคัญของโครงการที่อยู่ในอำนาจหน้าที่ของ อปท.",
            "เห็นชอบบัญชีโครงการตามลำดับ",
        )
    return [
        {
            "title": "เรื่องที่ประธานแจ้งให้ที่ประชุมทราบ",
            "discussion": "ประธานแจ้งวัตถุประสงค์ของเวทีประชาคมตามแนวทางของกระทรวงมหาดไทย",
            "resolution": "รับทราบ",
        },
        {"title": "รับรองรายงานการประชุมครั้งที่แล้ว", "discussion": "", "resolution": "รับรองรายงานการประชุม"},
        {"title": "เรื่องสืบเนื่อง", "discussion": "ไม่มี", "resolution": "-"},
        {"title": "เรื่องเพื่อพิจารณา", "discussion": consider[0], "resolution": consider[1]},
        {"title": "เรื่องอื่น ๆ", "discussion": "ไม่มี", "resolution": "-"},
    ]


def load_forums(db) -> bool:
    """LAO 1: every village and a valid LAO forum (criteria 2 and 3 met). LAO 2: one
    community without a forum. LAO 3: its LAO forum was organised by the LAO alone."""

    if store_setup.demo_step_done(db, "demo_forums"):
        return False
    prog = programme_store.get_programme(db)
    models = lao_store.model_lao_ids(db, prog.year_be)
    if len(models) < 3:
        return False
    dimensions = programme_store.dimensions(db)
    year_ce = thai.ce_year(prog.year_be)
    with db.atomic():
        _demo_forums(db, models, dimensions, year_ce)
        store_setup.mark_demo_step(db, "demo_forums")
    return True


def _demo_forums(db, models, dimensions, year_ce) -> None:
    from formsvc.store import forums as forum_store

    for n, lao_id in enumerate(models[:3]):
        lao = lao_store.get_lao(db, lao_id)
        villages = lao_store.villages(db, lao_id)
        covered = villages[:-1] if n == 1 else villages
        for i, village in enumerate(covered):
            committee = "community_committee" if village["kind"] == "community" else "village_committee"
            forum_store.create_forum(
                db,
                lao_id,
                forum_store.ForumInput(
                    level="village",
                    village_id=village["id"],
                    held_on=_dt.date(year_ce, 2 + i % 3, 5 + i),
                    start_time="09:00",
                    end_time="12:00",
                    place=f"ศาลาประชาคม{village['label']}",
                    title=f"เวทีประชาคม{village['label']} ทบทวนแผนชุมชน",
                    organisers=[committee],
                    used_bmn=True,
                    used_village_data=village["kind"] == "village",
                    bmn_year=year_ce + 543 - 1,
                    village_data_year=year_ce + 543 - 1 if village["kind"] == "village" else None,
                    dimensions=dimensions,
                    head_count=35 + i,
                    head_count_male=17,
                    head_count_female=18 + i,
                    meeting_no=1,
                    recorder_name=_name(i + 3),
                    recorder_position="เลขานุการคณะกรรมการ",
                    attendees=[
                        {"kind": "present", "name": _name(i + k), "position": role}
                        for k, role in enumerate(("ประธานคณะกรรมการ", "รองประธาน", "กรรมการ", "กรรมการ"))
                    ]
                    + [{"kind": "absent", "name": _name(i + 9), "position": "กรรมการ", "absence_reason": "ติดราชการ"}],
                    agenda=_agenda("village"),
                ),
                None,
            )
        organisers = ["lao"] if n == 2 else ["ctc", "coc", "plan_leaders"]
        forum_store.create_forum(
            db,
            lao_id,
            forum_store.ForumInput(
                level="lao",
                held_on=_dt.date(year_ce, 5, 20),
                start_time="09:00",
                end_time="15:30",
                place=f"หอประชุม{lao['full_name']}",
                title=f"เวทีประชาคมระดับ{lao['full_name']} บูรณาการแผนชุมชน",
                organisers=organisers,
                used_bmn=True,
                used_village_data=True,
                bmn_year=year_ce + 543 - 1,
                village_data_year=year_ce + 543 - 1,
                dimensions=dimensions,
                head_count=80 + 5 * n,
                head_count_male=38,
                head_count_female=42 + 5 * n,
                meeting_no=1,
                recorder_name=_name(12),
                recorder_position="นักวิเคราะห์นโยบายและแผน",
                checker_name=_name(13),
                checker_position="ปลัด อปท.",
                attendees=[
                    {"kind": "present", "name": _name(k), "position": f"ผู้แทน{v['label']}"}
                    for k, v in enumerate(villages)
                ]
                + [{"kind": "participant", "name": _name(15), "position": "พัฒนากรผู้รับผิดชอบตำบล"}],
                agenda=_agenda("lao"),
                projects=[
                    {"rank": k + 1, "name": name, "dimension": dim, "village_id": villages[k % len(villages)]["id"]}
                    for k, (name, dim) in enumerate(PROJECTS)
                ],
            ),
            None,
        )


def load_projects(db) -> bool:
    """Plan and budget marks on the projects the LAO forums adopted. LAO 1 passes both
    criteria 4 and 5; LAO 2 is at 1 of 8 for criterion 4; LAO 3 passes 4 with nothing
    in the draft budget."""
    if store_setup.demo_step_done(db, "demo_projects"):
        return False
    prog = programme_store.get_programme(db)
    models = lao_store.model_lao_ids(db, prog.year_be)
    plans = {0: (10, 4, 1), 1: (8, 1, 1), 2: (10, 3, 0)}  # within powers, in plan, in budget (by rank)
    with db.atomic():
        for n, (within, in_plan, in_budget) in plans.items():
            if n >= len(models):
                break
            for i, row in enumerate(project_store.ranked_ids(db, models[n], prog.year_be)):
                planned = i < in_plan
                budgeted = i < in_budget
                project_store.set_plan_marks(
                    db,
                    row["id"],
                    within_authority=i < within,
                    in_development_plan=planned,
                    plan_reference=f"ผ.02 หน้า {12 + i} ลำดับ {i + 1}" if planned else "",
                    in_budget_draft=budgeted,
                    budget_satang=(150000 + 25000 * i) * 100 if budgeted else None,
                )
                if planned and i < len(PLAN_DETAILS):
                    *texts, amounts = PLAN_DETAILS[i]
                    project_store.set_plan_details(db, row["id"], texts, amounts)
        store_setup.mark_demo_step(db, "demo_projects")
    return True


def _sent_at(day: _dt.date) -> str:
    """When a demo report was sent: 16:00 in Bangkok that day (the demo loads a year's
    history at once; its dates are the ones the story tells)."""
    return f"{day.isoformat()}T09:00:00+00:00"


def load_reports(db) -> bool:
    """Period 1 reports: LAO 1 submitted and waiting for its district (the demo district
    user can acknowledge it), LAO 2 acknowledged, LAO 3 returned for correction; LAO 4
    has none (late once the due day has passed)."""
    from formsvc import services
    from formsvc.store import reports as report_store

    if store_setup.demo_step_done(db, "demo_reports"):
        return False
    prog = programme_store.get_programme(db)
    models = lao_store.model_lao_ids(db, prog.year_be)
    first = report_store.programme_periods(db)[0]
    outcomes = ("submitted", "acknowledged", "returned")
    for n, lao_id in enumerate(models[:3]):
        if report_store.get_report(db, lao_id, first.number)["status"] is not None:
            continue  # a run that stopped half-way: what it did stays
        report_store.save_draft(
            db,
            lao_id,
            first.number,
            {
                "progress": "แต่งตั้งคณะทำงานระดับท้องถิ่น ประชุมกำหนดแผนการดำเนินงาน และเริ่มเวทีประชาคมหมู่บ้าน",
                "problems": "ช่วงเก็บเกี่ยว ประชาชนมาร่วมเวทีได้น้อย" if n else "",
                "suggestions": "ขอให้อำเภอจัดวิทยากรกระบวนการเพิ่ม" if n == 2 else "",
                "reporter_name": _name(12),
                "reporter_position": "ปลัด อปท.",
            },
            None,
        )
        services.submit_report(db, lao_id, first.number, None, first.end, _sent_at(first.end))
        if outcomes[n] != "submitted":
            report_store.review(
                db,
                lao_id,
                first.number,
                outcomes[n],
                "กรุณาเพิ่มจำนวนผู้เข้าร่วมเวทีแต่ละหมู่บ้าน" if outcomes[n] == "returned" else "",
                None,
            )
    with db.atomic():
        store_setup.mark_demo_step(db, "demo_reports")
    return True


# What each model LAO (in district order) did in periods 2 and 3: a list of steps, each
# "draft", "submit", "acknowledge" or "return". Period 4 and later have no reports, so
# they show as late once their due day has passed.
HISTORY = {
    2: (
        ("draft", "submit", "acknowledge"),
        ("draft", "submit", "acknowledge"),
        ("draft", "submit", "return", "submit"),  # corrected and sent again: version 2 waits
        ("draft",),
    ),  # written but never sent: late
    3: (("draft", "submit"), ("draft", "submit", "return"), ("draft",), ()),
}


def load_report_history(db) -> bool:
    """Reports in periods 2 and 3, in every state: submitted, acknowledged, returned,
    resubmitted (two versions), draft and missing (late)."""
    from formsvc.store import reports as report_store

    if store_setup.demo_step_done(db, "demo_report_history"):
        return False
    prog = programme_store.get_programme(db)
    models = lao_store.model_lao_ids(db, prog.year_be)
    numbers = {p.number: p for p in report_store.programme_periods(db)}
    for number, plans in HISTORY.items():
        if number not in numbers:
            continue
        period = numbers[number]
        for n, (lao_id, steps) in enumerate(zip(models, plans, strict=False)):
            if report_store.get_report(db, lao_id, number)["status"] is not None:
                continue
            day = period.end
            for step in steps:
                if step == "draft":
                    report_store.save_draft(
                        db,
                        lao_id,
                        number,
                        {
                            "progress": f"รอบที่ {number}: จัดเวทีประชาคมหมู่บ้านต่อเนื่อง ทบทวนแผนชุมชน "
                            "และรวบรวมโครงการเสนอเข้าแผนพัฒนาท้องถิ่น",
                            "problems": "งบประมาณสำหรับจัดเวทีมีจำกัด" if n % 2 else "",
                            "suggestions": "",
                            "reporter_name": _name(12 + n),
                            "reporter_position": "ปลัด อปท.",
                        },
                        None,
                    )
                elif step == "submit":  # a version sent after a return goes ten days later
                    services.submit_report(db, lao_id, number, None, day, _sent_at(day))
                    day += _dt.timedelta(days=10)
                elif step == "acknowledge":
                    report_store.review(db, lao_id, number, "acknowledged", "", None)
                else:
                    report_store.review(db, lao_id, number, "returned", "กรุณาแนบรายชื่อผู้เข้าร่วมเวทีให้ครบทุกหมู่บ้าน", None)
    with db.atomic():
        store_setup.mark_demo_step(db, "demo_report_history")
    return True


# The chain above the LAOs in periods 1 and 2 (province 37 and its districts, in district
# order): what each district office and the province office did, each step "draft",
# "submit", "acknowledge" or "return". The demo district user's own report of period 1
# is a draft it can send; the demo province user has a district report to review
# (period 2) and its own report of period 1 returned once, then acknowledged; its report
# of period 2 waits for the national office.
AREA_HISTORY = {
    1: {
        "districts": (("draft",), ("draft", "submit", "acknowledge"), ("draft", "submit", "return"), ()),
        "province": ("draft", "submit", "return", "draft", "submit", "acknowledge"),
    },
    2: {
        "districts": (("draft", "submit", "acknowledge"), ("draft", "submit"), (), ()),
        "province": ("draft", "submit"),
    },
}
AREA_WORDS = {
    "district": (
        "อำเภอติดตามการจัดเวทีประชาคมหมู่บ้านของ อปท.ต้นแบบ ประชาชนให้ความร่วมมือดี",
        "ควรจัดอบรมวิทยากรกระบวนการให้ผู้นำชุมชนเพิ่มเติม",
        "กรุณาสรุปปัญหาอุปสรรคของ อปท.ต้นแบบ ให้ชัดเจน",
    ),
    "province": (
        "จังหวัดติดตามผลการดำเนินงานร่วมกับอำเภอ อปท.ต้นแบบ ส่วนใหญ่ดำเนินการตามแผน",
        "ควรสนับสนุนงบประมาณจัดเวทีประชาคมให้ อปท.ต้นแบบ ที่มีหมู่บ้านจำนวนมาก",
        "กรุณาเพิ่มผลการติดตามและตรวจเยี่ยม อปท.ต้นแบบ ในรอบนี้",
    ),
}


def load_area_reports(db) -> bool:
    """District and province reports of periods 1 and 2 in every state (draft, sent,
    acknowledged, returned, sent again), and two monitoring visits of the province
    office, one followed up and one whose follow-up is overdue."""
    from formsvc.services import area_reports
    from formsvc.store import area_reports as area_store
    from formsvc.store import reports as report_store
    from formsvc.store import visits

    if store_setup.demo_step_done(db, "demo_area_reports"):
        return False
    prog = programme_store.get_programme(db)
    models = lao_store.model_lao_ids(db, prog.year_be)
    laos = [lao_store.get_lao(db, lao_id) for lao_id in models]
    numbers = {p.number: p for p in report_store.programme_periods(db)}
    province = "37"
    districts = [lao["district_code"] for lao in laos if lao["province_code"] == province]
    visit_laos = [lao["id"] for lao in laos if lao["province_code"] == province]
    if len(visit_laos) >= 3 and 2 in numbers:
        first, second = numbers[1], numbers[2]
        visits.create_visit(
            db,
            visit_laos[1],
            "province",
            visits.VisitInput(
                first.end - _dt.timedelta(days=10),
                f"{_name(30)}, ท้องถิ่นจังหวัด\n{_name(31)}, พัฒนาการจังหวัด",
                "คณะทำงานระดับท้องถิ่นประชุมสม่ำเสมอ แต่เวทีประชาคมบางหมู่บ้านมีผู้เข้าร่วมน้อย",
                "ให้ประสานผู้ใหญ่บ้านนัดหมายเวทีนอกฤดูเก็บเกี่ยว",
                first.end + _dt.timedelta(days=20),
                first.end + _dt.timedelta(days=15),
                "จัดเวทีเพิ่มครบทุกหมู่บ้านแล้ว",
            ),
            None,
        )
        visits.create_visit(
            db,
            visit_laos[2],
            "province",
            visits.VisitInput(
                second.end - _dt.timedelta(days=12),
                f"{_name(30)}, ท้องถิ่นจังหวัด",
                "ยังไม่ได้รวบรวมโครงการจากแผนชุมชนเข้าสู่ร่างแผนพัฒนาท้องถิ่น",
                "ให้จัดเวทีประชาคมระดับตำบลเพื่อบูรณาการแผนชุมชน",
                second.end + _dt.timedelta(days=30),
            ),
            None,
        )
    for number, plan in AREA_HISTORY.items():
        if number not in numbers:
            continue
        period = numbers[number]
        steps = [(area_store.DISTRICT, code, plan["districts"][n]) for n, code in enumerate(districts[:4])]
        steps.append((area_store.PROVINCE, province, plan["province"]))
        for level, code, actions in steps:
            if area_store.get(db, level, code, number)["id"] is not None:
                continue  # a run that stopped half-way: what it did stays
            words = AREA_WORDS[level.name]
            due = period.due(level.due_days(db))
            day = due - _dt.timedelta(days=2)
            office = "อำเภอ" if level is area_store.DISTRICT else "จังหวัด"
            compiler = {"id": None, "display_name": _name(20 + int(code)), "position": f"ท้องถิ่น{office}"}
            for step in actions:
                if step == "draft":
                    comments = words[0] if day < due else f"{words[0]} (ฉบับแก้ไข)"
                    version = area_store.get(db, level, code, number)["version"]
                    area_store.save_draft(
                        db, level, code, number, {"comments": comments, "recommendations": words[1]}, None, version
                    )
                elif step == "submit":
                    area_reports.submit(db, level, code, number, compiler, day, _sent_at(day))
                    day += _dt.timedelta(days=5)
                elif step == "acknowledge":
                    area_store.review(db, level, code, number, "acknowledged", "", None)
                else:
                    area_store.review(db, level, code, number, "returned", words[2], None)
    with db.atomic():
        store_setup.mark_demo_step(db, "demo_area_reports")
    return True


def load_meetings(db) -> bool:
    """LAO 1: the working group's first meeting, which chose its chair (the member the
    guideline's rows make chair, so the issued order stays current)."""
    from formsvc.store import meetings as meeting_store

    if store_setup.demo_step_done(db, "demo_meetings"):
        return False
    prog = programme_store.get_programme(db)
    models = lao_store.model_lao_ids(db, prog.year_be)
    if not models:
        return False
    lao_id = models[0]
    lao = lao_store.get_lao(db, lao_id)
    members = [m for m in wg_store.get_group(db, lao_id, prog.year_be)["members"] if m["name"]]
    chair = wg_store.chair(db, lao_id, prog.year_be)
    if len(members) >= 3 and chair is not None:
        year_ce = thai.ce_year(prog.year_be)
        meeting_store.create_meeting(
            db,
            lao_id,
            meeting_store.MeetingInput(
                held_on=_dt.date(year_ce, prog.start_month, 20),
                start_time="09:30",
                end_time="12:00",
                place=f"ห้องประชุม{lao['full_name']}",
                meeting_no=1,
                chair_name=chair["name"],
                chair_position=chair["position"],
                recorder_name=members[-1]["name"],
                recorder_position=members[-1]["position"],
                checker_name=members[0]["name"],
                checker_position=members[0]["position"],
                attendees=[{"kind": "present", "name": m["name"], "position": m["position"]} for m in members[:-1]]
                + [
                    {
                        "kind": "absent",
                        "name": members[-1]["name"],
                        "position": members[-1]["position"],
                        "absence_reason": "ติดราชการ",
                    },
                    {"kind": "participant", "name": _name(16), "position": "พัฒนากรผู้รับผิดชอบตำบล"},
                ],
                agenda=[
                    {
                        "title": "เรื่องที่ประธานแจ้งให้ที่ประชุมทราบ",
                        "discussion": "คำสั่งแต่งตั้งคณะทำงานระดับท้องถิ่นและบทบาทหน้าที่ของคณะทำงาน",
                        "resolution": "รับทราบ",
                    },
                    {
                        "title": "เลือกประธานคณะทำงาน",
                        "discussion": f"ที่ประชุมเสนอชื่อ{chair['name']} เป็นประธานคณะทำงาน",
                        "resolution": f"เห็นชอบให้{chair['name']} เป็นประธานคณะทำงาน",
                    },
                    {
                        "title": "แผนการดำเนินงานร่วมกัน",
                        "discussion": "เลขานุการนำเสนอร่างแผนการดำเนินงาน กำหนดเวทีประชาคมหมู่บ้านและเวทีระดับตำบล",
                        "resolution": "เห็นชอบแผนการดำเนินงานตามที่เสนอ",
                    },
                ],
            ),
            None,
        )
    with db.atomic():
        store_setup.mark_demo_step(db, "demo_meetings")
    return True
