"""What waits for each role: the district's reports to review (every period, the longest
waiting first), the clerk's returned reports and next report due, the districts and
provinces with late or missing reports, and the count in the navigation."""

from __future__ import annotations

import datetime as dt
import re

import pytest

import formsvc.web.context as web_context
from formsvc import services
from formsvc.domain import thai
from formsvc.store import reports as report_store
from formsvc.store.laos import LaoInput, create_lao, select_model_lao
from tests.conftest import CE, OTHER_PROVINCE_DISTRICT, YEAR, arabic, login

# The demo (formsvc/demo.py): programme months January to September, 15 late days.
# District 3701's model LAO 1 (clerk) sent periods 1 and 3 (waiting), period 2 was
# acknowledged; LAO 3 (clerk2, district 3702) had period 3 returned; LAO 5 (district
# 3703) waits with period 2 and has period 3 as a draft; LAO 7 (district 3704) sent nothing.
RETURN_COMMENT = "กรุณาแนบรายชื่อผู้เข้าร่วมเวทีให้ครบทุกหมู่บ้าน"


def _text(html: str) -> str:
    return re.sub(r"\s+", " ", re.sub(r"<[^>]+>", " ", html)).strip()


def inbox(client, url: str) -> str:
    html = arabic(client.get(url).get_data(as_text=True))
    match = re.search(r'<section class="card inbox" id="inbox".*?</section>', html, re.S)
    assert match, f"no inbox on {url}"
    return _text(match.group(0))


def nav(client, url: str = "/laos") -> str:
    html = arabic(client.get(url).get_data(as_text=True))
    return _text(re.search(r"<nav aria-label.*?</nav>", html, re.S).group(0))


def _send(db, lao_id: int, number: int, day: dt.date) -> None:
    """The LAO writes and sends its report of the period on ``day``."""
    report_store.save_draft(
        db, lao_id, number, {"progress": f"ผลการดำเนินงานรอบที่ {number}", "reporter_name": "นายทดสอบ"}, None
    )
    services.submit_report(db, lao_id, number, None, day, f"{day.isoformat()}T03:00:00+00:00")


def _review(client, lao_id: int, number: int, decision: str, comment: str = ""):
    response = client.post(f"/laos/{lao_id}/reports/{number}/review", data={"decision": decision, "comment": comment})
    assert response.status_code == 302, response.get_data(as_text=True)


def test_district_sees_every_waiting_report_oldest_first_and_the_count_drops(client, db, travel):
    travel(dt.date(CE, 10, 10))
    _send(db, 1, 4, dt.date(CE, 9, 20))  # due 15 September: five days late
    login(client, "district")
    text = inbox(client, "/districts/3701")
    rows = re.findall(r"รอบที่ (\d):", text)
    assert rows == ["1", "3", "4"], text  # every period, the longest waiting first
    assert "องค์การบริหารส่วนตำบลบุ่ง" in text
    assert "ส่งช้า 5 วัน" in text  # as sent, not today's 25
    assert text.count("ตรงตามกำหนด") == 2
    assert "รอตรวจ 3" in nav(client)
    # another district's waiting report (LAO 5, district 3703, period 2) never appears
    assert "หนองข่า" not in text

    _review(client, 1, 1, "acknowledge")
    text = inbox(client, "/districts/3701")
    assert re.findall(r"รอบที่ (\d):", text) == ["3", "4"]
    assert "รอตรวจ 2" in nav(client)

    _review(client, 1, 3, "return", "ขอแก้ไขผลการดำเนินงาน")
    assert re.findall(r"รอบที่ (\d):", inbox(client, "/districts/3701")) == ["4"]
    assert "รอตรวจ 1" in nav(client)


def test_the_district_page_of_a_past_year_still_shows_what_waits_in_the_open_year(client, db):
    login(client, "district")
    text = inbox(client, "/districts/3701?period=2")
    assert re.findall(r"รอบที่ (\d):", text) == ["1", "3"]
    assert f"ปีดำเนินการ {YEAR}" in text


def test_a_district_with_nothing_waiting_says_so(client, db):
    db.execute("UPDATE report SET status = 'acknowledged' WHERE lao_id = 1")
    login(client, "district")
    assert "ไม่มีรายงานที่รอตรวจรับ" in inbox(client, "/districts/3701")
    assert "รอตรวจ 0" in nav(client)


def test_clerk_sees_the_returned_report_with_the_comment_and_the_next_report_due(client, db, travel):
    travel(dt.date(CE, 9, 24))  # period 4 (July–August) is due on 15 September
    login(client, "clerk2")
    text = inbox(client, "/laos/3")
    assert "รายงานรอบที่ 3" in text and RETURN_COMMENT in text
    assert "ส่งกลับแก้ไข 1" in nav(client)
    due = text.split("รายงานที่ต้องส่งรอบถัดไป", 1)[1]
    assert "รายงานรอบที่ 4" in due
    assert f"กำหนดส่งภายในวันที่ {thai.date_long(dt.date(CE, 9, 15), 'arabic')}" in due
    assert "เลยกำหนดส่ง 9 วัน" in due
    assert "ยังไม่ได้จัดทำรายงาน" in due
    # what its criteria lack, with the reasons (clerk2's order has no chair of ศอช.ต.)
    assert "เกณฑ์ข้อ 1 ยังไม่ผ่าน" in due and "ประธาน ศอช.ต." in due
    assert "เกณฑ์ข้อ 3 ยังไม่ผ่าน" not in due  # a criterion met is not listed

    # sent again: no longer returned, and the count drops
    _send(db, 3, 3, dt.date(CE, 9, 24))
    text = inbox(client, "/laos/3")
    assert RETURN_COMMENT not in text and "ไม่มีรายงานที่อำเภอส่งกลับให้แก้ไข" in text
    assert "ส่งกลับแก้ไข 0" in nav(client)


def test_clerk_next_due_is_the_earliest_unsent_period_and_a_draft_says_it_is_not_sent(client, db, travel):
    travel(dt.date(CE, 7, 5))  # period 4 has begun, not yet due
    login(client, "clerk")
    due = inbox(client, "/laos/1").split("รายงานที่ต้องส่งรอบถัดไป", 1)[1]
    assert "รายงานรอบที่ 4" in due and "เลยกำหนด" not in due
    assert "เกณฑ์ข้อ" not in due  # LAO 1 meets every criterion
    report_store.save_draft(db, 1, 4, {"progress": "ร่าง"}, None)
    due = inbox(client, "/laos/1").split("รายงานที่ต้องส่งรอบถัดไป", 1)[1]
    assert "บันทึกร่างรายงานไว้แล้ว แต่ยังไม่ได้ส่งอำเภอ" in due
    # a missing earlier period comes first: LAO 7 sent nothing
    db.execute("UPDATE user SET lao_id = 7 WHERE username = 'clerk2'")
    client2 = client.application.test_client()
    login(client2, "clerk2")
    due = inbox(client2, "/laos/7").split("รายงานที่ต้องส่งรอบถัดไป", 1)[1]
    assert "รายงานรอบที่ 1" in due and "ยังไม่ได้จัดทำรายงาน" in due


def test_the_inbox_is_the_clerks_own_others_see_the_lao_without_it(client, db):
    login(client, "district")
    html = client.get("/laos/1").get_data(as_text=True)
    assert 'id="inbox"' not in html


def test_province_sees_districts_with_late_or_missing_reports(client, db, travel):
    travel(dt.date(CE, 7, 20))  # period 3 was due on 15 July; period 4 is not due yet
    other = create_lao(db, LaoInput("นอกจังหวัด", "tao", OTHER_PROVINCE_DISTRICT))
    select_model_lao(db, OTHER_PROVINCE_DISTRICT, YEAR, other, None)
    login(client, "province")
    text = inbox(client, "/provinces/37")
    assert "อำเภอส่งช้า/ค้างส่ง 2" in nav(client)
    assert "ปทุมราชวงศา" in text and "พนา" in text  # 3703: period 3 a draft; 3704: nothing sent
    assert "เมืองอำนาจเจริญ" not in text and "ชานุมาน" not in text  # sent on time
    assert "รอบที่ 3: ยังไม่ส่ง เลยกำหนด 5 วัน" in text
    assert text.count("ยังไม่ส่ง เลยกำหนด") == 4
    assert "นอกจังหวัด" not in text  # another province's district never appears

    # a report sent late stays late for good, by the days it was sent late
    _send(db, 1, 4, dt.date(CE, 9, 20))
    travel(dt.date(CE, 10, 10))
    login(client, "province")  # a session ends after 30 days
    text = inbox(client, "/provinces/37")
    assert "เมืองอำนาจเจริญ" in text and "รอบที่ 4: ส่งช้า 5 วัน" in text


def test_national_sees_provinces_with_late_or_missing_reports(client, db, travel):
    travel(dt.date(CE, 7, 20))
    login(client, "national")
    assert "จังหวัดส่งช้า/ค้างส่ง 1" in nav(client)
    text = inbox(client, "/national")
    assert "อำนาจเจริญ" in text
    other = create_lao(db, LaoInput("นอกจังหวัด", "tao", OTHER_PROVINCE_DISTRICT))
    select_model_lao(db, OTHER_PROVINCE_DISTRICT, YEAR, other, None)
    assert "จังหวัดส่งช้า/ค้างส่ง 2" in nav(client)
    assert "บึงกาฬ" in inbox(client, "/national")


def test_roles_without_an_inbox_have_no_count(client):
    login(client, "facilitator")
    assert "รอตรวจ" not in nav(client) and "ส่งกลับแก้ไข" not in nav(client)


@pytest.fixture
def counted(monkeypatch):
    counts = []
    real = web_context.connect

    def connect(path):
        db = real(path)
        db.conn.set_trace_callback(lambda statement: counts.append(statement))
        return db

    monkeypatch.setattr(web_context, "connect", connect)
    return counts


def _more_waiting(db):
    """More reports waiting, returned and missing, in every scope (stored as sent)."""
    for lao_id, status in ((2, "submitted"), (4, "returned"), (1, "returned")):
        for number in range(5, 0, -1):
            exists = db.execute(
                "SELECT 1 FROM report WHERE lao_id = ? AND programme_year = ? AND period = ?", [lao_id, YEAR, number]
            ).fetchone()
            if exists:
                continue
            report_id = db.execute(
                "INSERT INTO report (lao_id, programme_year, period, status, progress, submitted_count,"
                " review_comment, updated_at) VALUES (?, ?, ?, ?, 'x', 1, 'แก้ไข', '2000-01-01T00:00:00+00:00')",
                [lao_id, YEAR, number, status],
            ).lastrowid
            db.execute(
                "INSERT INTO report_submission (report_id, number, submitted_at, snapshot, pdf, docx, pdf_sha256,"
                " docx_sha256, days_late) VALUES (?, 1, ?, '{}', x'00', x'00', '', '', 3)",
                [report_id, f"{CE}-0{number}-02T03:00:00+00:00"],
            )
    for district in ("3705", "3706", "3707"):
        lao_id = create_lao(db, LaoInput(f"เพิ่ม{district}", "tao", district))
        select_model_lao(db, district, YEAR, lao_id, None)


HOMES = [
    ("district", "/districts/3701"),
    ("clerk", "/laos/1"),
    ("province", "/provinces/37"),
    ("national", "/national"),
]


@pytest.mark.parametrize("user,url", HOMES, ids=[h[0] for h in HOMES])
def test_inbox_and_count_queries_do_not_grow_with_the_rows(app, db, counted, user, url):
    client = app.test_client()
    login(client, user)

    def queries():
        client.get(url)
        counted.clear()
        assert client.get(url).status_code == 200
        return len(counted)

    before = queries()
    _more_waiting(db)
    after = queries()
    assert after == before, f"{url}: {before} queries, then {after} with more rows"
