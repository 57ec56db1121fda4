"""Bi-monthly reports: periods, drafts, submission snapshots, the district's review."""

import datetime as dt
import json
import threading

import pytest

from formsvc import services
from formsvc.domain.errors import InputError
from formsvc.domain.reports import days_late, days_late_on, periods
from formsvc.store import connect
from formsvc.store import reports as report_store
from formsvc.store import working_group as wg_store
from tests.conftest import CE, TH_YEAR, YEAR, arabic, login
from tests.docs import docx_blocks, flat, once, pdf_text, without_page_numbers

DRAFT = {
    "progress": "ประชุมคณะทำงานและจัดเวทีประชาคมครบทุกหมู่บ้าน",
    "problems": "ฝนตกหนัก",
    "suggestions": "ขอวิทยากรเพิ่ม",
    "reporter_name": "นายสมชาย ใจดี",
    "reporter_position": "ปลัด อบต.",
}


def test_periods_follow_the_programme_months():
    ps = periods(2569, 1, 9)
    assert [(p.start.isoformat(), p.end.isoformat()) for p in ps] == [
        ("2026-01-01", "2026-02-28"),
        ("2026-03-01", "2026-04-30"),
        ("2026-05-01", "2026-06-30"),
        ("2026-07-01", "2026-08-31"),
        ("2026-09-01", "2026-09-30"),
    ]
    assert ps[0].label() == "ม.ค. – ก.พ. 2569" and ps[4].label() == "กันยายน 2569"


def test_late_days_around_the_due_day():
    p = periods(2569, 1, 9)[0]
    due = p.due(15)
    assert due == dt.date(2026, 3, 15)
    # never submitted: late by today's count once the due day has passed
    assert days_late(p, None, due, 15) == 0 and days_late(p, None, due + dt.timedelta(days=1), 15) == 1
    # submitted: what the first version recorded, whatever today is
    assert days_late(p, 0, due + dt.timedelta(days=30), 15) == 0
    assert days_late(p, 4, due + dt.timedelta(days=30), 15) == 4 == days_late(p, 4, due, 15)
    assert days_late_on(p, due, 15) == 0 and days_late_on(p, due + dt.timedelta(days=4), 15) == 4
    assert days_late_on(p, p.start, 15) == 0


def test_submit_freezes_a_snapshot_that_later_edits_do_not_change(db):
    report_store.save_draft(db, 1, 4, DRAFT, None)
    version = services.submit_report(db, 1, 4, None, dt.date(CE, 9, 1))
    assert version == 1
    frozen = report_store.submission(db, 1, 4, 1)
    text = pdf_text(frozen["pdf"])
    assert "ผ่านเกณฑ์ ๕ ข้อ จาก ๕ ข้อ" in text and flat(f"คำสั่งที่ ๑/{TH_YEAR}") in flat(text) and "ฝนตกหนัก" in text
    pdf_words = once(flat(without_page_numbers(pdf_text(frozen["pdf"], "-raw"))), "เกณฑ์ข้อเกณฑ์ผลการประเมินหลักฐานและข้อมูล")
    assert flat("".join(docx_blocks(frozen["docx"]))) == pdf_words
    wg_store.save_activities(db, 1, YEAR, [], None)  # the data changes afterwards
    assert not services.criterion_1(db, 1).met
    assert report_store.submission(db, 1, 4, 1)["pdf"] == frozen["pdf"]
    content, _ = services.document(db, 1, "report", "pdf", period=4)
    assert content == frozen["pdf"]
    with pytest.raises(InputError) as info:
        report_store.save_draft(db, 1, 4, DRAFT, None)
    assert "ส่งแล้ว" in info.value.message


def test_future_periods_cannot_be_submitted(db):
    report_store.save_draft(db, 1, 5, DRAFT, None)
    with pytest.raises(InputError) as info:
        services.submit_report(db, 1, 5, None, dt.date(CE, 4, 1))
    assert "ยังไม่ถึงรอบรายงาน" in info.value.message
    assert report_store.get_report(db, 1, 5)["status"] == "draft"


def test_two_submits_at_once_make_one_version(db_path):
    setup = connect(db_path)
    report_store.save_draft(setup, 1, 4, DRAFT, None)
    setup.close()
    results, barrier = [], threading.Barrier(3)

    def clerk():
        db = connect(db_path)
        barrier.wait()
        try:
            results.append(services.submit_report(db, 1, 4, None, dt.date(CE, 9, 2)))
        except InputError as error:
            results.append(error.message)
        db.close()

    threads = [threading.Thread(target=clerk) for _ in range(3)]
    [t.start() for t in threads]
    [t.join() for t in threads]
    assert sorted(map(str, results)) == ["1", "รายงานนี้ส่งแล้ว", "รายงานนี้ส่งแล้ว"]


def submit_through_the_pages(client, db, lao_id: int, number: int, data: dict):
    """Save and submit, then confirm on the page that shows the report; the confirm's answer."""
    response = client.post(f"/laos/{lao_id}/reports/{number}", data={**data, "action": "submit"})
    assert response.status_code == 302 and response.headers["Location"].endswith(f"/reports/{number}/submit")
    version = str(report_store.get_report(db, lao_id, number)["version"])
    return client.post(f"/laos/{lao_id}/reports/{number}/submit", data={"version": version})


def test_the_district_returns_then_acknowledges_each_version_kept(client, db):
    login(client, "clerk")
    assert submit_through_the_pages(client, db, 1, 4, DRAFT).status_code == 302
    district = client.application.test_client()
    login(district, "district")
    response = district.post("/laos/1/reports/4/review", data={"decision": "return", "comment": ""})
    assert response.status_code == 400 and "เหตุผลที่ส่งกลับ" in response.get_data(as_text=True)
    assert (
        district.post(
            "/laos/1/reports/4/review", data={"decision": "return", "comment": "กรุณาเพิ่มปัญหาอุปสรรค"}
        ).status_code
        == 302
    )
    page = client.get("/laos/1/reports/4").get_data(as_text=True)
    assert "อำเภอส่งกลับให้แก้ไข" in page and "กรุณาเพิ่มปัญหาอุปสรรค" in page
    version = str(report_store.get_report(db, 1, 4)["version"])
    assert (
        submit_through_the_pages(client, db, 1, 4, {**DRAFT, "problems": "ถนนชำรุด", "version": version}).status_code
        == 302
    )
    assert district.post("/laos/1/reports/4/review", data={"decision": "acknowledge"}).status_code == 302
    report = report_store.get_report(db, 1, 4)
    assert report["status"] == "acknowledged" and [s["number"] for s in report["submissions"]] == [2, 1]
    assert "ถนนชำรุด" in pdf_text(report_store.submission(db, 1, 4, 2)["pdf"])
    assert "ถนนชำรุด" not in pdf_text(report_store.submission(db, 1, 4, 1)["pdf"])
    again = district.post("/laos/1/reports/4/review", data={"decision": "acknowledge"})
    assert again.status_code == 400


def test_a_district_cannot_review_another_districts_report(client, db):
    report_store.save_draft(db, 3, 4, DRAFT, None)
    services.submit_report(db, 3, 4, None, dt.date(CE, 9, 1))
    login(client, "district")
    assert client.post("/laos/3/reports/4/review", data={"decision": "acknowledge"}).status_code == 404
    assert report_store.get_report(db, 3, 4)["status"] == "submitted"


def test_demo_reports_are_in_different_states(db):
    states = [report_store.get_report(db, lao_id, 1)["status"] for lao_id in (1, 3, 5, 7)]
    assert states == ["submitted", "acknowledged", "returned", None]


def test_the_reports_page_flags_late_periods(client, db, travel):
    fourth = report_store.period(db, 4)  # LAO 1 has no report for it
    travel(fourth.due(report_store.late_days(db)))
    login(client, "clerk")
    html = client.get("/laos/1/reports").get_data(as_text=True)
    assert "ยังไม่ได้จัดทำ" in html and "ส่งช้า" not in html  # due today: not late yet
    travel(fourth.due(report_store.late_days(db)) + dt.timedelta(days=1))
    login(client, "clerk")  # a day later: the session has ended (8 h unused)
    assert "ส่งช้า" in client.get("/laos/1/reports").get_data(as_text=True)


def test_cover_memo_is_regulation_form_2_dated_by_the_submission(db):
    import io
    import re as _re

    import docx as _docx

    from tests.test_working_group import png_bytes

    services.save_emblem(db, 1, png_bytes((300, 360)), None)
    content, _ = services.document(db, 1, "cover-memo", "pdf", period=1)
    text = pdf_text(content)  # reading order (the heading is drawn after the body in the content stream)
    starts = [line.split()[0] for line in text.splitlines() if line.strip()]
    labels = ["บันทึกข้อความ", "ส่วนราชการ", "ที่", "วันที่", "เรื่อง", "เรียน"]
    assert [w for w in starts if w in labels] == labels
    assert "เรียน ท้องถิ่นอำเภอเมืองอำนาจเจริญ" in text
    assert "ขอแสดงความนับถือ" not in text and flat("ผ่านเกณฑ์ ๕ ข้อ จาก ๕ ข้อ") in flat(text)
    submitted = report_store.get_report(db, 1, 1)["submissions"][0]["submitted_at"]
    from formsvc.domain import thai

    day = thai.local_date(submitted)  # the Thai calendar date, not UTC's
    assert f"วันที่ {day.day}".translate(str.maketrans("0123456789", "๐๑๒๓๔๕๖๗๘๙")) in text
    memo_docx, _ = services.document(db, 1, "cover-memo", "docx", period=1)
    shape = _docx.Document(io.BytesIO(memo_docx)).inline_shapes[0]
    assert abs(shape.height.cm - 1.5) < 0.01
    words = flat("".join(docx_blocks(memo_docx)))
    assert words == flat(text)
    assert _re.search(r'w:leader="dot"', __import__("tests.docs", fromlist=["docx_xml"]).docx_xml(memo_docx))


def test_readers_see_the_forms_read_only(client):
    login(client, "district")
    for path in (
        "/laos/1/reports/1",
        "/laos/1/forums/1",
        "/laos/1/working-group",
        "/laos/1/operation-plan",
        "/laos/1/projects/1",
    ):
        html = client.get(path).get_data(as_text=True)
        assert '<fieldset class="plain" disabled>' in html, path
    login(client, "clerk")
    assert '<fieldset class="plain">' in client.get("/laos/1/forums/1").get_data(as_text=True)


def test_a_review_needs_a_decision(client, db):
    login(client, "district")
    response = client.post("/laos/1/reports/1/review", data={"comment": "x"})
    assert response.status_code == 400 and "กรุณาเลือกรับทราบรายงานหรือส่งกลับ" in response.get_data(as_text=True)
    assert report_store.get_report(db, 1, 1)["status"] == "submitted"


def test_a_refused_submit_saves_nothing(client, db, travel):
    travel(report_store.period(db, 5).start - dt.timedelta(days=1))
    login(client, "clerk")
    response = client.post("/laos/1/reports/5", data={"progress": "", "action": "submit"})
    assert "ยังไม่ถึงรอบรายงาน" in response.get_data(as_text=True)
    assert response.status_code == 400
    assert report_store.get_report(db, 1, 5)["status"] is None


def test_the_memo_of_a_submitted_report_does_not_follow_later_edits(db):
    before, _ = services.document(db, 1, "cover-memo", "pdf", period=1)
    group = wg_store.get_group(db, 1, YEAR)
    wg_store.save_group(
        db,
        1,
        YEAR,
        reason=group["reason"],
        duties=group["duties"],
        signer_name="นายคนใหม่ ลงนาม",
        signer_position="นายก",
        members=group["members"],
        user_id=None,
    )
    after, _ = services.document(db, 1, "cover-memo", "pdf", period=1)
    assert "นายคนใหม่" not in pdf_text(after) and pdf_text(after) == pdf_text(before)


def test_dates_in_documents_are_thai_calendar_dates():
    from formsvc.domain import thai

    assert thai.local_date("2026-03-09T18:30:00+00:00") == dt.date(2026, 3, 10)
    assert thai.local_date("2026-03-09T16:59:59+00:00") == dt.date(2026, 3, 9)


def test_api_period_zero_or_odd_is_404(client):
    login(client, "national")
    for value in ("0", "+1", "1_0", "٣", "abc"):
        assert client.get(f"/api/v1/rollup?period={value}").status_code == 404, value
    assert client.get("/api/v1/rollup?period=1").status_code == 200


def test_demo_has_reports_across_periods_in_every_state(db):
    rows = db.execute("SELECT period, lao_id, status, submitted_count FROM report ORDER BY period, lao_id").fetchall()
    assert [tuple(r) for r in rows] == [
        (1, 1, "submitted", 1),
        (1, 3, "acknowledged", 1),
        (1, 5, "returned", 1),
        (2, 1, "acknowledged", 1),
        (2, 3, "acknowledged", 1),
        (2, 5, "submitted", 2),
        (2, 7, "draft", 0),
        (3, 1, "submitted", 1),
        (3, 3, "returned", 1),
        (3, 5, "draft", 0),
    ]
    after_the_programme = report_store.programme_periods(db)[-1].end + dt.timedelta(days=56)
    result = services.rollup(db, province_code="37", period=2, today=after_the_programme)
    # period 2 is gone by: LAO 7's draft was never sent, so it did not report
    assert result["reports"] == {"missing": 1, "draft": 0, "submitted": 1, "acknowledged": 2, "returned": 0}
    assert result["late"] == 1  # LAO 7's draft, never sent


def test_a_draft_saved_while_the_submit_renders_is_the_one_sent(db):
    """The submit renders outside its write transaction; a save meanwhile makes it render
    again, so the version sent is the draft as last saved."""
    import json

    period = report_store.programme_periods(db)[3]
    report_store.save_draft(db, 1, period.number, DRAFT, None)
    seen = []

    def render(report):
        seen.append(report["problems"])
        if len(seen) == 1:  # another tab saves while the first render runs
            report_store.save_draft(db, 1, period.number, {**DRAFT, "problems": "แก้ระหว่างส่ง"}, None)
        return {"problems": report["problems"]}, {"pdf": b"%PDF", "docx": b"PK"}

    assert report_store.submit(db, 1, period.number, None, period.end, render) == 1
    assert seen == [DRAFT["problems"], "แก้ระหว่างส่ง"]
    sent = report_store.submission(db, 1, period.number, 1)
    assert json.loads(sent["snapshot"])["problems"] == "แก้ระหว่างส่ง"


def test_a_project_saved_while_the_submit_renders_is_in_the_version_sent(db):
    """What the criteria rest on, changed by another clerk while the report renders
    outside the lock, makes the submit render again: the frozen snapshot is the data as
    it was when the version was written."""
    from formsvc.store import programme as programme_store
    from formsvc.store import projects as project_store

    period = report_store.programme_periods(db)[3]
    report_store.save_draft(db, 1, period.number, DRAFT, None)
    seen = []

    def render(report):
        projects = [p["name"] for p in project_store.list_projects(db, 1, YEAR)]
        seen.append(projects)
        if len(seen) == 1:  # another clerk adds a project while the first render runs
            new = {"rank": 900, "name": "ถนนสายใหม่", "dimension": programme_store.dimensions(db)[0]}
            project_store.add_project(db, 1, YEAR, new, None)
        return {"projects": projects}, {"pdf": b"%PDF", "docx": b"PK"}

    assert report_store.submit(db, 1, period.number, None, period.end, render) == 1
    assert len(seen) == 2 and "ถนนสายใหม่" not in seen[0] and "ถนนสายใหม่" in seen[1]
    sent = report_store.submission(db, 1, period.number, 1)
    assert "ถนนสายใหม่" in json.loads(sent["snapshot"])["projects"]


def test_submit_saves_what_is_on_screen_then_sends_once_on_confirm(client, db):
    login(client, "clerk")
    response = client.post("/laos/1/reports/4", data={**DRAFT, "problems": "สะพานขาด", "action": "submit"})
    assert response.status_code == 302 and response.headers["Location"].endswith("/laos/1/reports/4/submit")
    report = report_store.get_report(db, 1, 4)
    assert report["problems"] == "สะพานขาด" and report["status"] not in ("submitted", "acknowledged")
    page = arabic(client.get("/laos/1/reports/4/submit").get_data(as_text=True))
    assert "จะส่งถึงอำเภอเป็นฉบับที่ 1" in page and "สะพานขาด" in page
    assert "/laos/1/documents/report.pdf?period=4" in page
    confirm = {"version": str(report["version"])}
    assert client.post("/laos/1/reports/4/submit", data=confirm).status_code == 302
    report = report_store.get_report(db, 1, 4)
    assert report["status"] == "submitted" and len(report["submissions"]) == 1
    assert "สะพานขาด" in pdf_text(report_store.submission(db, 1, 4, 1)["pdf"])
    again = client.post("/laos/1/reports/4/submit", data=confirm, follow_redirects=True)  # a double click
    assert again.status_code == 200 and "รายงานนี้ส่งแล้ว" in arabic(again.get_data(as_text=True))
    assert len(report_store.get_report(db, 1, 4)["submissions"]) == 1


def test_a_submit_confirmation_overtaken_by_an_edit_sends_nothing(client, db):
    login(client, "clerk")
    assert client.post("/laos/1/reports/4", data={**DRAFT, "action": "submit"}).status_code == 302
    old = {"version": str(report_store.get_report(db, 1, 4)["version"])}
    version = old["version"]
    assert (
        client.post("/laos/1/reports/4", data={**DRAFT, "problems": "แก้ภายหลัง", "version": version}).status_code == 302
    )
    response = client.post("/laos/1/reports/4/submit", data=old)
    html = response.get_data(as_text=True)
    assert response.status_code == 400 and "มีการแก้ไขรายงานหลังจากเปิดหน้านี้" in html and "แก้ภายหลัง" in html
    assert report_store.get_report(db, 1, 4)["status"] not in ("submitted", "acknowledged")
