"""District reports (guideline §4.2(5), §7.1): the district office compiles its model
LAOs' reports as they were sent, with its own comments and recommendations, and submits
the report to the province as a frozen version; the province acknowledges or returns
it; a returned report is corrected and sent as a new version, every version kept.

The demo (formsvc/demo.py): district 3701's model LAO is LAO 1, whose period-3 report
waits for the district's review; the province office is province 37's; district 3801
is in another province. Programme months January to September, 15 late days; district
reports are due 7 days after the LAOs' due day."""

from __future__ import annotations

import datetime as dt
import io
import re

import docx

from formsvc import services
from formsvc.services import area_reports, mail
from formsvc.store import area_reports as store
from formsvc.store import outbox
from formsvc.store import programme as programme_store
from formsvc.store import reports as report_store
from formsvc.store.area_reports import DISTRICT
from formsvc.store.users import create_user
from tests.conftest import CE, arabic, login
from tests.docs import pdf_text

OLD_PROBLEM = "ถนนเข้าหมู่บ้านชำรุดหนัก"
NEW_PROBLEM = "งบประมาณไม่เพียงพอต่อโครงการ"
DISTRICT_COMMENT = "อำเภอได้ติดตามการดำเนินงานอย่างใกล้ชิด"


def _lao_sends(db, number: int, problems: str) -> None:
    """LAO 1 sends (again) its report of the period with these problems: the district
    returns the version waiting first, when one waits."""
    if report_store.get_report(db, 1, number)["status"] == "submitted":
        report_store.review(db, 1, number, "returned", "กรุณาแก้ไข", None)
    report_store.save_draft(
        db, 1, number, {"progress": "ดำเนินการตามแผน", "problems": problems, "reporter_name": "นายทดสอบ"}, None
    )
    services.submit_report(db, 1, number, None)


def _district_submits(client, number: int, comments: str = DISTRICT_COMMENT) -> None:
    page = client.get(f"/districts/3701/reports/{number}").get_data(as_text=True)
    version = re.search(r'name="version" type="hidden" value="(\d+)"', page).group(1)
    response = client.post(
        f"/districts/3701/reports/{number}",
        data={"comments": comments, "recommendations": "ควรจัดอบรมเพิ่มเติม", "version": version, "action": "submit"},
    )
    assert response.status_code == 302, response.get_data(as_text=True)
    assert response.headers["Location"].endswith(f"/districts/3701/reports/{number}/submit")
    confirm = client.get(f"/districts/3701/reports/{number}/submit").get_data(as_text=True)
    version = re.search(r'name="version" type="hidden" value="(\d+)"', confirm).group(1)
    response = client.post(f"/districts/3701/reports/{number}/submit", data={"version": version})
    assert response.status_code == 302, response.get_data(as_text=True)


def _docx_text(content: bytes) -> str:
    return "\n".join(p.text for p in docx.Document(io.BytesIO(content)).paragraphs)


def test_a_submitted_version_keeps_what_the_lao_reported(client, db):
    _lao_sends(db, 3, OLD_PROBLEM)
    login(client, "district")
    _district_submits(client, 3)
    first = store.submission(db, DISTRICT, "3701", 3, 1)
    assert OLD_PROBLEM in pdf_text(first["pdf"]) and DISTRICT_COMMENT in pdf_text(first["pdf"])
    assert OLD_PROBLEM in _docx_text(first["docx"])
    # the LAO corrects its report afterwards: the district's version says what was sent
    _lao_sends(db, 3, NEW_PROBLEM)
    again = store.submission(db, DISTRICT, "3701", 3, 1)
    assert OLD_PROBLEM in pdf_text(again["pdf"]) and NEW_PROBLEM not in pdf_text(again["pdf"])
    page = client.get("/districts/3701/reports/3").get_data(as_text=True)
    assert OLD_PROBLEM in page and NEW_PROBLEM not in page
    download = client.get("/districts/3701/reports/3/report.pdf")
    assert download.status_code == 200 and OLD_PROBLEM in pdf_text(download.data)
    assert NEW_PROBLEM not in pdf_text(download.data)


def test_the_confirmation_names_the_version_and_an_lao_without_a_report_is_not_reported(client, db):
    login(client, "district")
    client.post("/districts/3701/reports/3", data={"comments": DISTRICT_COMMENT, "version": "0"})
    report_store.review(db, 1, 3, "returned", "กรุณาแก้ไข", None)  # the LAO's version no longer stands
    confirm = client.get("/districts/3701/reports/3/submit").get_data(as_text=True)
    assert "ฉบับที่ 1" in arabic(confirm) or "version 1" in confirm
    preview = pdf_text(client.get("/districts/3701/reports/3/report.pdf").data)
    assert "ร่าง" in preview  # a preview is marked as a draft
    # an LAO with no version of the period is "ไม่ได้รายงาน", even in the open period (the
    # last, September, on 1 October), where the roll-up shows today's figures
    snapshot = area_reports.compile_snapshot(
        db, DISTRICT, "3701", store.get(db, DISTRICT, "3701", 5), dt.date(CE, 10, 1), None
    )
    assert [lao["report_status_th"] for lao in snapshot["laos"]] == ["ไม่ได้รายงาน"]
    assert snapshot["laos"][0]["criteria"] is None


def test_return_then_resubmit_keeps_both_versions_and_queues_notices(client, app, db):
    db.execute("UPDATE user SET email = username || '@example.org' WHERE username IN ('district', 'province')")
    login(client, "district")
    _district_submits(client, 3)
    province = app.test_client()
    login(province, "province")
    assert "3701/reports/3" in province.get("/provinces/37").get_data(as_text=True)  # waiting for review
    response = province.post(
        "/districts/3701/reports/3/review", data={"decision": "return", "comment": "กรุณาเพิ่มข้อเสนอแนะ"}
    )
    assert response.status_code == 302
    assert store.get(db, DISTRICT, "3701", 3)["status"] == "returned"
    district_page = client.get("/districts/3701").get_data(as_text=True)
    assert "กรุณาเพิ่มข้อเสนอแนะ" in district_page  # in the district's inbox
    _district_submits(client, 3, comments="ฉบับแก้ไขตามที่จังหวัดแจ้ง")
    report = store.get(db, DISTRICT, "3701", 3)
    assert report["status"] == "submitted" and [s["number"] for s in report["submissions"]] == [2, 1]
    assert report["submissions"][1]["review_comment"] == "กรุณาเพิ่มข้อเสนอแนะ"
    assert "ฉบับแก้ไขตามที่จังหวัดแจ้ง" in pdf_text(store.submission(db, DISTRICT, "3701", 3, 2)["pdf"])
    assert "ฉบับแก้ไขตามที่จังหวัดแจ้ง" not in pdf_text(store.submission(db, DISTRICT, "3701", 3, 1)["pdf"])
    for version in (1, 2):
        assert client.get(f"/districts/3701/reports/3/v{version}.pdf").status_code == 200
    assert province.post("/districts/3701/reports/3/review", data={"decision": "acknowledge"}).status_code == 302
    assert store.get(db, DISTRICT, "3701", 3)["status"] == "acknowledged"
    rows = db.execute(
        "SELECT m.kind, u.username FROM mail_outbox m JOIN user u ON u.id = m.user_id"
        " WHERE m.district_code = '3701' ORDER BY m.id"
    ).fetchall()
    assert [tuple(r) for r in rows] == [
        ("district_submitted", "province"),
        ("district_returned", "district"),
        ("district_submitted", "province"),
        ("district_acknowledged", "district"),
    ]
    message = next(m for m in outbox.due(db) if m["kind"] == "district_returned")
    email = mail.compose(db, message, "formsvc@example.org", "https://formsvc.example")
    assert "อำเภอเมืองอำนาจเจริญ" in email.get_content()
    assert "https://formsvc.example/districts/3701/reports/3" in email.get_content()


def test_only_the_district_and_its_province_see_and_act(make_app, db):
    create_user(db, "district2", "pass-word-2", "district", district_code="3702")
    create_user(db, "province38", "pass-word-3", "province", province_code="38")
    store.save_draft(db, DISTRICT, "3701", 3, {"comments": DISTRICT_COMMENT}, None)
    app = make_app(WTF_CSRF_ENABLED=False)
    other = app.test_client()
    login(other, "district2", "pass-word-2")
    assert other.get("/districts/3701/reports/3").status_code == 404
    assert other.post("/districts/3701/reports/3", data={"comments": "x", "version": "1"}).status_code == 404
    assert other.post("/districts/3701/reports/3/submit", data={"version": "1"}).status_code == 404
    far = app.test_client()
    login(far, "province38", "pass-word-3")
    assert far.get("/districts/3701/reports/3").status_code == 404
    assert far.post("/districts/3701/reports/3/review", data={"decision": "acknowledge"}).status_code == 404
    assert store.get(db, DISTRICT, "3701", 3)["comments"] == DISTRICT_COMMENT
    # a district does not review its own report, and a province does not write it
    own = app.test_client()
    login(own, "district")
    assert own.post("/districts/3701/reports/3/review", data={"decision": "acknowledge"}).status_code == 403
    province = app.test_client()
    login(province, "province")
    assert province.post("/districts/3701/reports/3", data={"comments": "x", "version": "1"}).status_code == 403
    assert store.get(db, DISTRICT, "3701", 3)["comments"] == DISTRICT_COMMENT


def test_the_form_needs_its_csrf_token(make_app, db):
    client = make_app().test_client()
    login(client, "district")
    response = client.post("/districts/3701/reports/3", data={"comments": "x", "version": "0"})
    assert response.status_code == 400
    assert store.get(db, DISTRICT, "3701", 3)["id"] is None


def test_an_overlong_comment_is_refused_in_thai_and_saves_nothing(client, db):
    login(client, "district")
    response = client.post("/districts/3701/reports/3", data={"comments": "ก" * (store.TEXT.chars + 1), "version": "0"})
    assert response.status_code == 400
    page = response.get_data(as_text=True)
    assert "ความเห็นของอำเภอ" in page or "ความเห็น" in page
    assert re.search(r"ไม่เกิน|ยาวเกิน|เกิน", page)
    assert store.get(db, DISTRICT, "3701", 3)["id"] is None
    # the store refuses it too, whatever calls it
    try:
        store.save_draft(db, DISTRICT, "3701", 3, {"recommendations": "ข" * (store.TEXT.chars + 1)}, None)
    except store.InputError as error:
        assert error.field == "recommendations"
    else:
        raise AssertionError("an overlong text was saved")
    assert store.get(db, DISTRICT, "3701", 3)["id"] is None


def test_due_day_and_late_flag_follow_the_clock_and_the_setting(client, db, travel):
    # period 3 (May–June): LAOs due 15 July, districts 7 days later, 22 July
    travel(dt.date(CE, 7, 22))
    statuses = services.inbox.district_report_statuses(db, "37", 3)
    assert statuses["3701"]["status"] == "missing" and statuses["3701"]["days_late"] == 0
    travel(dt.date(CE, 7, 25))
    statuses = services.inbox.district_report_statuses(db, "37", 3)
    assert statuses["3701"]["days_late"] == 3
    login(client, "province")
    page = arabic(client.get("/provinces/37?period=3").get_data(as_text=True))
    cell = re.search(r'<td class="district-report-status">(.*?)</td>', page, re.S).group(1)
    assert "3" in cell and "warn" in cell
    # sent on that day: it stays 3 days late for good
    store.save_draft(db, DISTRICT, "3701", 3, {"comments": DISTRICT_COMMENT}, None)
    area_reports.submit(db, DISTRICT, "3701", 3, {"id": None, "display_name": "ท้องถิ่นอำเภอ"})
    travel(dt.date(CE, 8, 30))
    login(client, "district")
    own = arabic(client.get("/districts/3701?period=3").get_data(as_text=True))
    assert re.search(r'id="district-report".*?ส่งช้า 3 วัน', own, re.S)
    assert services.inbox.district_report_statuses(db, "37", 3)["3701"] == {
        "status": "submitted",
        "days_late": 3,
        "due": dt.date(CE, 7, 22),
    }
    # the days are a programme setting of the year
    db.execute("UPDATE programme SET district_due_days = 20")
    assert services.inbox.district_report_statuses(db, "37", 3)["3702"]["due"] == dt.date(CE, 8, 4)


def test_admin_settings_edit_the_chain_days(client, db):
    login(client, "admin")
    page = client.get("/admin/settings").get_data(as_text=True)
    version = re.search(r'name="version" type="hidden" value="(\d+)"', page).group(1)
    settings = programme_store.settings(db)
    response = client.post(
        "/admin/settings",
        data={
            "version": version,
            "year_be": str(settings["year_be"]),
            "start_month": str(settings["start_month"]),
            "end_month": str(settings["end_month"]),
            "late_days": str(settings["late_days"]),
            "district_due_days": "10",
            "province_due_days": "12",
            "dimensions": "\n".join(settings["dimensions"]),
        },
    )
    assert response.status_code == 302, response.get_data(as_text=True)
    saved = programme_store.settings(db)
    assert (saved["district_due_days"], saved["province_due_days"]) == (10, 12)


def test_an_lao_report_sent_while_the_district_report_renders_is_in_the_version(db):
    _lao_sends(db, 3, OLD_PROBLEM)
    store.save_draft(db, DISTRICT, "3701", 3, {"comments": DISTRICT_COMMENT}, None)
    today = dt.date(CE, 10, 1)
    renders = []

    def render(report):
        renders.append(report["version"])
        if len(renders) == 1:  # the LAO sends a corrected version meanwhile
            _lao_sends(db, 3, NEW_PROBLEM)
        snapshot = area_reports.compile_snapshot(db, DISTRICT, "3701", report, today, None)
        return snapshot, {"pdf": b"%PDF", "docx": b"PK"}

    assert store.submit(db, DISTRICT, "3701", 3, None, today, render) == 1
    assert len(renders) == 2
    snapshot = store.submission(db, DISTRICT, "3701", 3, 1)["snapshot"]
    assert NEW_PROBLEM in snapshot and OLD_PROBLEM not in snapshot


def _nav(client, url: str) -> str:
    html = client.get(url).get_data(as_text=True)
    return re.sub(r"\s+", " ", re.sub(r"<[^>]+>", " ", re.search(r"<nav aria-label.*?</nav>", html, re.S).group(0)))


def test_the_navigation_counts_district_reports_waiting_and_returned(client, app, db):
    login(client, "district")
    assert "ส่งกลับแก้ไข" not in _nav(client, "/districts/3701")  # nothing returned: no count
    province = app.test_client()
    login(province, "province")
    assert "รอตรวจ 1" in arabic(_nav(province, "/provinces/37"))  # the demo's: district 3702, period 2
    _district_submits(client, 3)
    assert "รอตรวจ 2" in arabic(_nav(province, "/provinces/37"))
    assert "อำเภอส่งช้า/ค้างส่ง" in _nav(province, "/provinces/37")  # the other count stays beside it
    response = province.post("/districts/3701/reports/3/review", data={"decision": "return", "comment": "แก้ไข"})
    assert response.status_code == 302
    assert "รอตรวจ 1" in arabic(_nav(province, "/provinces/37"))
    assert "ส่งกลับแก้ไข 1" in arabic(_nav(client, "/districts/3701"))
