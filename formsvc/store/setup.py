"""Creating, migrating and filling a database (behind `formsvc init-db`)."""

from __future__ import annotations

import datetime as _dt

import geothai

from formsvc.domain import clock, passwords
from formsvc.domain.thai import be_year
from formsvc.store import geography, programme
from formsvc.store.db import one
from formsvc.store.laos import LaoInput, SelectionRecord, add_village, create_lao, select_model_lao
from formsvc.store.migrations import migrate
from formsvc.store.users import create_user

DEMO_PROVINCE = "37"  # อำนาจเจริญ
DEMO_PASSWORD = passwords.DEMO_PASSWORD  # refused as a password outside the demo database
DEMO_USERS = (
    # username, role, display name, scope
    ("admin", "admin", "ผู้ดูแลระบบ", {}),
    ("national", "national", "เจ้าหน้าที่ สถ.", {}),
    ("province", "province", "เจ้าหน้าที่ สถ.จ.อำนาจเจริญ", {"province": True}),
    ("district", "district", "ท้องถิ่นอำเภอ", {"district": 0}),
    ("facilitator", "facilitator", "วิทยากรกระบวนการ พช.อ.", {"district": 0}),
    ("clerk", "lao_clerk", "ปลัด อบต.", {"lao": 0}),
    ("clerk2", "lao_clerk", "ปลัดเทศบาล", {"lao": 1}),
)
VILLAGE_NAMES = (
    "บ้านหนองบัว",
    "บ้านโนนสูง",
    "บ้านดอนแดง",
    "บ้านนาคำ",
    "บ้านหัวนา",
    "บ้านสร้างแก้ว",
    "บ้านหนองแวง",
    "บ้านโคกกลาง",
    "บ้านทุ่งใหญ่",
    "บ้านป่าแดง",
    "บ้านใหม่พัฒนา",
    "บ้านหนองไผ่",
)
COMMUNITY_NAMES = (
    "ชุมชนตลาดเก่า",
    "ชุมชนวัดกลาง",
    "ชุมชนหลังอำเภอ",
    "ชุมชนบ้านใหม่",
    "ชุมชนริมน้ำ",
    "ชุมชนสามัคคี",
    "ชุมชนศรีสุข",
    "ชุมชนหนองน้ำใส",
    "ชุมชนโพธิ์ทอง",
    "ชุมชนเจริญสุข",
    "ชุมชนร่วมใจ",
    "ชุมชนสันติสุข",
)
# kind of model LAO and number of its villages/communities, one per demo district
DEMO_LAOS = (("tao", 8), ("tambon_municipality", 6), ("tao", 12), ("tambon_municipality", 5))


def demo_year(today: _dt.date) -> int:
    """The demo's programme year, following the clock: the latest year whose third
    reporting period has ended by ``today``. The demo's reports of periods 1 to 3 then
    lie in the past on any date, and a later period of the year is open: 2569 from
    1 July 2026 to 30 June 2027, 2570 from 1 July 2027."""
    from formsvc.domain.reports import periods

    year = be_year(today)
    third = periods(year, 1, 9)[2]  # the demo keeps the default months, January to September
    return year if today > third.end else year - 1


def init_db(db, demo: bool = False) -> dict:
    """Migrate, load geography, ensure settings; with ``demo``, load the demo once.

    Idempotent: a second run adds nothing twice.
    """
    applied = migrate(db)
    counts = geography.load(db)
    programme.ensure_defaults(db, demo_year(clock.today()) if demo else None)
    result = {"migrations_applied": applied, "geography": counts, "demo_loaded": False}
    if demo:
        result["demo_loaded"] = load_demo(db)
    return result


def _demo_selection(year_be: int, district_name: str, index: int, count: int) -> SelectionRecord | None:
    """How the demo's model LAOs were chosen, in the December before the programme year;
    the last district's choice is not recorded (as one made before selections were)."""
    if index == count - 1:
        return None
    december = year_be - 543 - 1
    return SelectionRecord(
        local_officer_name="นายสมชาย ใจดี",
        local_officer_position=f"ท้องถิ่นอำเภอ{district_name}",
        community_officer_name="นางสาวพัฒนา ร่วมใจ",
        community_officer_position=f"พัฒนาการอำเภอ{district_name}",
        agreed_on=_dt.date(december, 12, 10),
        readiness_notes="ผู้บริหารพร้อมสนับสนุน\nมีสภาองค์กรชุมชนตำบลที่เข้มแข็ง",
        consent_on=_dt.date(december, 12, 15),
        consent_letter_number=f"อจ 7{index + 1}01/{index + 101}",
        consent_letter_date=_dt.date(december, 12, 12),
    )


def load_demo(db) -> bool:
    """One real province with four model LAOs and one user per role. False if already there."""
    if one(db, "SELECT value FROM meta WHERE key = 'demo'"):
        return False
    year = programme.get_programme(db).year_be
    districts = geothai.districts(DEMO_PROVINCE)[: len(DEMO_LAOS)]
    model_ids, district_codes = [], []
    with db.atomic():
        # first: the demo's users may have the demo password in the demo database only
        db.execute("INSERT INTO meta (key, value) VALUES ('demo', ?)", [DEMO_PROVINCE])
        for d, (kind, n_villages) in zip(districts, DEMO_LAOS, strict=False):
            tambons = geothai.subdistricts(d.code)
            main, other = tambons[0], tambons[1 % len(tambons)]
            lao_id = create_lao(
                db, LaoInput(main.name_th, kind, d.code, [main.code], has_kamnan=kind == "tao", has_coc=True)
            )
            names = VILLAGE_NAMES if kind == "tao" else COMMUNITY_NAMES
            for i in range(n_villages):  # a municipality's demo rows are communities (no number)
                add_village(db, lao_id, i + 1 if kind == "tao" else None, names[i])
            if other.code != main.code:
                second = create_lao(db, LaoInput(other.name_th, "tao", d.code, [other.code]))
                for i in range(5):
                    add_village(db, second, i + 1, VILLAGE_NAMES[-1 - i])
            select_model_lao(
                db, d.code, year, lao_id, None, record=_demo_selection(year, d.name_th, len(model_ids), len(DEMO_LAOS))
            )
            model_ids.append(lao_id)
            district_codes.append(d.code)
        for username, role, display, scope in DEMO_USERS:
            create_user(
                db,
                username,
                DEMO_PASSWORD,
                role,
                display_name=display,
                lao_id=model_ids[scope["lao"]] if "lao" in scope else None,
                district_code=district_codes[scope["district"]] if "district" in scope else None,
                province_code=DEMO_PROVINCE if scope.get("province") else None,
            )
    return True


def demo_step_done(db, step: str) -> bool:
    """Whether a step of the demo (a meta key such as 'demo_forums') has run."""
    return one(db, "SELECT value FROM meta WHERE key = ?", [step]) is not None


def mark_demo_step(db, step: str) -> None:
    """Mark a step of the demo as run (in the caller's transaction when one is open)."""
    with db.atomic():
        db.execute("INSERT INTO meta (key, value) VALUES (?, 'done')", [step])


def demo_logins(db) -> list[tuple[str, str, str]]:
    """(username, password, role) of the demo users still present with the demo password."""
    if not one(db, "SELECT value FROM meta WHERE key = 'demo'"):
        return []
    from formsvc.store.users import authenticate

    return [(u, DEMO_PASSWORD, r) for u, r, _, _ in DEMO_USERS if authenticate(db, u, DEMO_PASSWORD)]
