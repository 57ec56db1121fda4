"""Province reports (guideline §4.2(5), §7.1, §7.2) and the whole reporting chain: the
LAO reports to the district, the district to the province, the province to the DLA,
and each level above acknowledges or returns; what each level sent stays as sent.

The demo (formsvc/demo.py): province 37 has districts 3701 (model LAO 1, whose period-3
report waits for the district's review) and 3702 (model LAO 3); district 3801 is in
province 38. Programme months January to September, 15 late days; district reports are
due 7 days after the LAOs' due day, province reports 7 days after the districts'."""

from __future__ import annotations

import datetime as dt
import io
import re

import docx

from formsvc import services
from formsvc.documents.context import date_text
from formsvc.domain import thai
from formsvc.services import area_reports, mail
from formsvc.store import area_reports as store
from formsvc.store import outbox, visits
from formsvc.store import programme as programme_store
from formsvc.store import reports as report_store
from formsvc.store.area_reports import DISTRICT, PROVINCE
from tests.conftest import CE, YEAR, arabic, login
from tests.docs import pdf_text

LAO_PROBLEM = "ขาดงบประมาณสำหรับโครงการซ่อมถนน"
DISTRICT_COMMENT = "อำเภอติดตามการดำเนินงานทุกเดือน"
PROVINCE_COMMENT = "จังหวัดเห็นควรสนับสนุนงบประมาณเพิ่มเติม"
FINDING = "เวทีประชาคมมีผู้เข้าร่วมน้อยกว่าเป้าหมาย"


def _docx_text(content: bytes) -> str:
    document = docx.Document(io.BytesIO(content))
    cells = [cell.text for table in document.tables for row in table.rows for cell in row.cells]
    return "\n".join([p.text for p in document.paragraphs] + cells)


def _version(page: str) -> str:
    return re.search(r'name="version" type="hidden" value="(\d+)"', page).group(1)


def _sends(client, base: str, comments: str) -> None:
    """Save the draft with ``comments``, go through the confirmation and send it."""
    response = client.post(
        base,
        data={"comments": comments, "recommendations": "ข้อเสนอแนะ", "version": _version(client.get(base).text)},
    )
    assert response.status_code == 302, response.text
    response = client.post(f"{base}/submit", data={"version": _version(client.get(f"{base}/submit").text)})
    assert response.status_code == 302, response.text


def _lao_report(db, problems: str = LAO_PROBLEM) -> None:
    """LAO 1's period-3 report sent again with ``problems`` (the waiting one returned)."""
    if report_store.get_report(db, 1, 3)["status"] == "submitted":
        report_store.review(db, 1, 3, "returned", "กรุณาแก้ไข", None)
    report_store.save_draft(db, 1, 3, {"progress": "ดำเนินการตามแผน", "problems": problems}, None)
    services.submit_report(db, 1, 3, None)


def _visit(db, findings: str = FINDING, day: dt.date | None = None) -> int:
    return visits.create_visit(
        db,
        1,
        "province",
        visits.VisitInput(day or dt.date(CE, 5, 20), "นายตรวจ ติดตาม, ท้องถิ่นจังหวัด", findings, "ให้จัดเวทีเพิ่ม"),
        None,
    )


def test_the_chain_end_to_end_with_a_return_at_each_level(app, db):
    db.execute("UPDATE user SET email = username || '@example.org' WHERE username IN ('province', 'national')")
    district, province, national = app.test_client(), app.test_client(), app.test_client()
    login(district, "district")
    login(province, "province")
    login(national, "national")
    # LAO → district: the district returns the LAO's report, the LAO sends it again
    response = district.post("/laos/1/reports/3/review", data={"decision": "return", "comment": "เพิ่มปัญหา"})
    assert response.status_code == 302
    _lao_report(db)
    assert district.post("/laos/1/reports/3/review", data={"decision": "acknowledge"}).status_code == 302
    # district → province: returned once, then acknowledged
    _sends(district, "/districts/3701/reports/3", "ความเห็นฉบับแรก")
    response = province.post("/districts/3701/reports/3/review", data={"decision": "return", "comment": "แก้ไข"})
    assert response.status_code == 302
    _sends(district, "/districts/3701/reports/3", DISTRICT_COMMENT)
    assert province.post("/districts/3701/reports/3/review", data={"decision": "acknowledge"}).status_code == 302
    # province → national: the draft shows the acknowledged district report and the visit
    _visit(db)
    page = province.get("/provinces/37/reports/3").text
    assert DISTRICT_COMMENT in page and "ความเห็นฉบับแรก" not in page and FINDING in page
    _sends(province, "/provinces/37/reports/3", "ความเห็นจังหวัดฉบับแรก")
    assert "/provinces/37/reports/3" in national.get("/national").text  # waiting for review
    response = national.post("/provinces/37/reports/3/review", data={"decision": "return", "comment": "เพิ่มเติม"})
    assert response.status_code == 302
    assert "เพิ่มเติม" in province.get("/provinces/37").text  # the returned report, with the comment
    _sends(province, "/provinces/37/reports/3", PROVINCE_COMMENT)
    assert national.post("/provinces/37/reports/3/review", data={"decision": "acknowledge"}).status_code == 302

    report = store.get(db, PROVINCE, "37", 3)
    assert report["status"] == "acknowledged" and [s["number"] for s in report["submissions"]] == [2, 1]
    assert report["submissions"][1]["review_comment"] == "เพิ่มเติม"
    sent = store.submission(db, PROVINCE, "37", 3, 2)
    for text in (pdf_text(sent["pdf"]), _docx_text(sent["docx"])):
        flat = " ".join(text.split())
        assert "ระดับจังหวัด" in flat and "จังหวัด" in flat
        assert LAO_PROBLEM in flat  # the LAO's words, through the district report
        assert DISTRICT_COMMENT in flat and "ความเห็นฉบับแรก" not in flat
        assert PROVINCE_COMMENT in flat
        assert FINDING in flat  # the monitoring visit of the period
        assert "นายตรวจ" not in flat  # who went is on the visit, not in the report
    assert "ความเห็นจังหวัดฉบับแรก" in pdf_text(store.submission(db, PROVINCE, "37", 3, 1)["pdf"])
    rows = db.execute(
        "SELECT m.kind, u.username FROM mail_outbox m JOIN user u ON u.id = m.user_id"
        " WHERE m.province_code = '37' ORDER BY m.id"
    ).fetchall()
    assert [tuple(r) for r in rows] == [
        ("province_submitted", "national"),
        ("province_returned", "province"),
        ("province_submitted", "national"),
        ("province_acknowledged", "province"),
    ]
    message = next(m for m in outbox.due(db) if m["kind"] == "province_returned")
    email = mail.compose(db, message, "formsvc@example.org", "https://formsvc.example")
    assert "จังหวัด" in email["Subject"] and "/provinces/37/reports/3" in email.get_content()


def test_a_sent_province_report_stays_as_sent(client, db):
    login(client, "province")
    _sends(client, "/provinces/37/reports/3", PROVINCE_COMMENT)
    first = store.submission(db, PROVINCE, "37", 3, 1)
    # a visit recorded afterwards and a district report acknowledged afterwards change
    # neither the version sent nor what its page and download show
    _visit(db, "ข้อค้นพบที่บันทึกภายหลัง")
    store.save_draft(db, DISTRICT, "3701", 3, {"comments": "ความเห็นที่ส่งภายหลัง"}, None)
    area_reports.submit(db, DISTRICT, "3701", 3, {"id": None, "display_name": "ท้องถิ่นอำเภอ"})
    store.review(db, DISTRICT, "3701", 3, "acknowledged", "", None)
    assert store.submission(db, PROVINCE, "37", 3, 1)["pdf"] == first["pdf"]
    page = client.get("/provinces/37/reports/3").text
    assert PROVINCE_COMMENT in page and "ข้อค้นพบที่บันทึกภายหลัง" not in page and "ความเห็นที่ส่งภายหลัง" not in page
    download = client.get("/provinces/37/reports/3/report.pdf")
    assert download.status_code == 200 and download.data == first["pdf"]
    assert "ข้อค้นพบที่บันทึกภายหลัง" not in pdf_text(download.data)
    # a version sent cannot be edited
    response = client.post("/provinces/37/reports/3", data={"comments": "แก้ไขภายหลัง", "version": "1"})
    assert response.status_code == 400 and store.get(db, PROVINCE, "37", 3)["comments"] == PROVINCE_COMMENT


def test_only_acknowledged_district_reports_count(db):
    """A district report sent but not acknowledged gives its LAOs no figures in the
    province report; the district's state says why."""
    _lao_report(db)
    store.save_draft(db, DISTRICT, "3701", 3, {"comments": DISTRICT_COMMENT}, None)
    area_reports.submit(db, DISTRICT, "3701", 3, {"id": None, "display_name": "ท้องถิ่นอำเภอ"})
    today = dt.date(CE, 7, 20)
    draft = {**store.get(db, PROVINCE, "37", 3), "comments": "", "recommendations": ""}
    snapshot = area_reports.compile_snapshot(db, PROVINCE, "37", draft, today, None)
    lao1 = next(lao for lao in snapshot["laos"] if lao["lao_id"] == 1)
    assert lao1["criteria"] is None and lao1["report_status_th"] == area_reports.NOT_ACKNOWLEDGED_TH
    assert {d["code"]: d["status"] for d in snapshot["districts"]}["3701"] == "submitted"
    store.review(db, DISTRICT, "3701", 3, "acknowledged", "", None)
    snapshot = area_reports.compile_snapshot(db, PROVINCE, "37", draft, today, None)
    lao1 = next(lao for lao in snapshot["laos"] if lao["lao_id"] == 1)
    assert lao1["source"] == "reported" and lao1["problems"] == LAO_PROBLEM
    assert {d["code"]: d["comments"] for d in snapshot["districts"]}["3701"] == DISTRICT_COMMENT
    text = pdf_text(area_reports.report_files(db, PROVINCE, "37", draft, today, None, ("pdf",))[1]["pdf"])
    assert LAO_PROBLEM in " ".join(text.split())


def test_visits_outside_the_period_are_not_in_its_report(db):
    _visit(db, "ตรวจเยี่ยมในรอบที่สาม", dt.date(CE, 6, 30))
    _visit(db, "ตรวจเยี่ยมในรอบที่สี่", dt.date(CE, 7, 1))
    draft = store.get(db, PROVINCE, "37", 3)
    snapshot = area_reports.compile_snapshot(db, PROVINCE, "37", draft, dt.date(CE, 7, 20), None)
    assert [v["findings"] for v in snapshot["visits"]] == ["ตรวจเยี่ยมในรอบที่สาม"]


def test_the_navigation_counts_province_reports(app, db):
    province, national = app.test_client(), app.test_client()
    login(province, "province")
    login(national, "national")

    def nav(client, url):
        html = client.get(url).text
        return arabic(
            re.sub(r"\s+", " ", re.sub(r"<[^>]+>", " ", re.search(r"<nav aria-label.*?</nav>", html, re.S)[0]))
        )

    assert "รอตรวจ 1" in nav(national, "/national")  # the demo's: province 37, period 2
    _sends(province, "/provinces/37/reports/3", PROVINCE_COMMENT)
    assert "รอตรวจ 2" in nav(national, "/national")
    assert "ส่งกลับแก้ไข" not in nav(province, "/provinces/37")
    national.post("/provinces/37/reports/3/review", data={"decision": "return", "comment": "แก้ไข"})
    assert "รอตรวจ 1" in nav(national, "/national")
    assert "ส่งกลับแก้ไข 1" in nav(province, "/provinces/37")


def test_province_report_refusals(app, db):
    province, other = app.test_client(), app.test_client()
    login(province, "province")
    # sending without a saved draft, and a return without a reason, are refused in Thai
    response = province.post("/provinces/37/reports/3/submit", data={"version": "0"})
    assert response.status_code == 400 and "บันทึก" in response.text
    assert store.get(db, PROVINCE, "37", 3)["id"] is None
    response = province.post("/provinces/37/reports/3", data={"comments": "ก" * (store.TEXT.chars + 1), "version": "0"})
    assert response.status_code == 400 and store.get(db, PROVINCE, "37", 3)["id"] is None
    _sends(province, "/provinces/37/reports/3", PROVINCE_COMMENT)
    login(other, "national")
    response = other.post("/provinces/37/reports/3/review", data={"decision": "return", "comment": ""})
    assert response.status_code == 400 and store.get(db, PROVINCE, "37", 3)["status"] == "submitted"
    # the province cannot review its own report
    response = province.post("/provinces/37/reports/3/review", data={"decision": "acknowledge"})
    assert response.status_code == 403 and store.get(db, PROVINCE, "37", 3)["status"] == "submitted"


def test_the_cover_memo_is_of_the_version_sent(client, db):
    """The memo sending the report up is dated and signed as the version sent, from its
    snapshot; before sending it is the draft's, as of today."""
    db.execute(
        "UPDATE user SET display_name = 'นางสาวจังหวัด ทดสอบ', position = 'ท้องถิ่นจังหวัด' WHERE username = 'province'"
    )
    login(client, "province")
    _sends(client, "/provinces/37/reports/3", PROVINCE_COMMENT)
    sent = store.submission(db, PROVINCE, "37", 3, 1)
    memo = client.get("/provinces/37/reports/3/memo.pdf")
    assert memo.status_code == 200
    text = " ".join(pdf_text(memo.data).split())
    assert "บันทึกข้อความ" in text and "เรียน อธิบดีกรมส่งเสริมการปกครองท้องถิ่น" in text
    assert "นางสาวจังหวัด ทดสอบ" in text and "ระดับจังหวัด รอบที่ ๓" in text
    assert thai.digits(date_text(area_reports.submitted_on(sent)), "thai") in text
    # the signer changes the profile afterwards: the memo of the version sent does not
    db.execute("UPDATE user SET display_name = 'ชื่อใหม่' WHERE username = 'province'")
    again = " ".join(pdf_text(client.get("/provinces/37/reports/3/memo.pdf").data).split())
    assert "นางสาวจังหวัด ทดสอบ" in again and "ชื่อใหม่" not in again
    docx_text = _docx_text(client.get("/provinces/37/reports/3/memo.docx").data)
    assert "อธิบดีกรมส่งเสริมการปกครองท้องถิ่น" in docx_text
    district = client.get("/districts/3701/reports/3/memo.pdf")
    assert district.status_code == 200
    assert "เรียน ท้องถิ่นจังหวัด" in " ".join(pdf_text(district.data).split())


def test_a_closed_years_reports_are_read_as_sent(client, db):
    """Once the next programme year is opened, the reports of the year before are still
    there (``?year=``), as sent, and read only; the open year's page is another report."""
    sent = store.submission(db, PROVINCE, "37", 1, 2)  # the demo's, acknowledged
    programme_store.open_new_year(db, YEAR + 1, None)
    login(client, "province")
    old = client.get(f"/provinces/37/reports/1?year={YEAR}")
    assert old.status_code == 200
    assert "area-report-form" not in old.text and "review-form" not in old.text  # read only
    assert f"v2.pdf?year={YEAR}" in old.text and f"report.pdf?year={YEAR}" in old.text
    download = client.get(f"/provinces/37/reports/1/report.pdf?year={YEAR}")
    assert download.status_code == 200 and download.data == sent["pdf"]
    assert client.get(f"/provinces/37/reports/1/v2.pdf?year={YEAR}").data == sent["pdf"]
    district = client.get(f"/districts/3702/reports/1?year={YEAR}")
    assert district.status_code == 200 and "อำเภอติดตามการจัดเวทีประชาคมหมู่บ้าน" in district.text
    # the open year's period 1 has no report yet; an unknown year is not found
    assert "area-report-form" in client.get("/provinces/37/reports/1").text
    assert client.get("/provinces/37/reports/1/v2.pdf").status_code == 404
    assert client.get("/provinces/37/reports/1?year=2400").status_code == 404
