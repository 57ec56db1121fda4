"""What was reported stays reported: every view of a period shows each model LAO's latest
submitted version of that period, today's data only in the open period, and nothing for
an LAO that did not report in a period gone by. Lateness is decided once and kept.

Demo: LAO 1 meets all five criteria; no LAO has a report in period 4 or 5. Dates come
from the programme's periods; pages and the CLI read today from the one clock, which
these tests set where the answer depends on it.
"""

from __future__ import annotations

import csv
import datetime as dt
import io
import json
import zipfile

from click.testing import CliRunner

from formsvc import cli, exports, services
from formsvc.domain import thai
from formsvc.store import programme as programme_store
from formsvc.store import projects as project_store
from formsvc.store import reports as report_store
from tests.conftest import arabic, login
from tests.docs import flat, pdf_text

DRAFT = {
    "progress": "จัดเวทีประชาคมครบทุกหมู่บ้าน",
    "problems": "งบประมาณจำกัด",
    "suggestions": "ขอคู่มือการจัดเวที",
    "reporter_name": "นายสมชาย ใจดี",
    "reporter_position": "ปลัด อบต.",
}


def _periods(db):
    return report_store.programme_periods(db)


def _row(result: dict, lao_id: int) -> dict:
    return next(lao for lao in result["laos"] if lao["lao_id"] == lao_id)


def _cli_rollup(db_path, period: int) -> dict:
    result = CliRunner().invoke(
        cli.main, ["rollup", "--province", "37", "--period", str(period), "--json"], env={"FORMSVC_DB": str(db_path)}
    )
    assert result.exit_code == 0, result.output
    return json.loads(result.output)


def _manifest(path) -> list[dict]:
    archive = zipfile.ZipFile(io.BytesIO(path.read_bytes()))
    name = next(n for n in archive.namelist() if n.endswith(exports.MANIFEST))
    return list(csv.DictReader(io.StringIO(archive.read(name).decode("utf-8-sig"))))


def _unplan_every_project(db, lao_id: int) -> None:
    year = programme_store.get_programme(db).year_be
    ids = [p["id"] for p in project_store.list_projects(db, lao_id, year)]
    project_store.mark(db, lao_id, year, ids, "in_development_plan", False)


def test_a_closed_period_keeps_what_was_reported_while_the_open_period_follows_the_data(app, db, db_path, tmp_path):
    closed, open_ = _periods(db)[3], _periods(db)[4]
    report_store.save_draft(db, 1, closed.number, DRAFT, None)
    services.submit_report(db, 1, closed.number, None, closed.end)
    today = open_.start  # period 5 is open, period 4 is gone by
    client = app.test_client()
    login(client, "province")

    def views():
        return {
            "service": services.rollup(db, province_code="37", period=closed.number, today=today),
            "cli": _cli_rollup(db_path, closed.number),
            "api": client.get(f"/api/v1/rollup?province=37&period={closed.number}").get_json(),
            "summary": pdf_text(
                services.summary_document(db, "district", "3701", closed.number, "pdf", today=today)[0]
            ),
        }

    before = views()
    lao = _row(before["service"], 1)
    assert lao["source"] == "reported" and lao["report_version"] == 1 and lao["submitted_at"]
    assert lao["criteria"] == [True] * 5 and lao["all_met"]
    assert (lao["problems"], lao["suggestions"]) == (DRAFT["problems"], DRAFT["suggestions"])
    assert _row(before["cli"], 1) == _row(before["api"], 1) == lao
    assert flat("(ฉบับที่ ๑ ส่งเมื่อ") in flat(before["summary"])
    live_before = _row(services.rollup(db, province_code="37", period=open_.number, today=today), 1)
    assert live_before["source"] == "live" and live_before["as_of"] == today.isoformat()
    assert live_before["criteria"] == [True] * 5

    _unplan_every_project(db, 1)

    after = views()
    assert after == before
    live_after = _row(services.rollup(db, province_code="37", period=open_.number, today=today), 1)
    assert live_after["criteria"][3] is False and not live_after["all_met"]
    assert services.compliance(db, 1)["all_met"] is False


def test_pages_show_the_reported_version_and_the_kpi_it_gives(client, db, travel):
    closed, open_ = _periods(db)[3], _periods(db)[4]
    report_store.save_draft(db, 1, closed.number, DRAFT, None)
    services.submit_report(db, 1, closed.number, None, closed.end)
    travel(open_.start)
    _unplan_every_project(db, 1)
    login(client, "district")
    html = client.get(f"/districts/3701?period={closed.number}").get_data(as_text=True)
    assert "ตามรายงานฉบับที่ 1 ส่งเมื่อ" in html and html.count('class="c ok"') == 5
    assert DRAFT["problems"] in html and DRAFT["suggestions"] in html
    html = client.get(f"/districts/3701?period={open_.number}").get_data(as_text=True)
    assert f"ข้อมูล ณ วันที่ {thai.date_long(open_.start, 'arabic')}" in html
    assert html.count('class="c ok"') == 3  # criteria 4 and 5 fail on today's data
    login(client, "province")
    html = client.get(f"/provinces/37?period={closed.number}").get_data(as_text=True)
    assert "ร้อยละ 25.00" in html  # LAO 1 passes as reported; the others did not report
    assert html.count("ไม่ได้รายงาน") >= 3
    login(client, "national")
    assert "ร้อยละ 25.00" in client.get(f"/national?period={closed.number}").get_data(as_text=True)


def test_a_closed_period_without_a_report_shows_no_figures(client, db, db_path, travel, tmp_path):
    first = _periods(db)[0]
    today = _periods(db)[3].start  # period 1 is gone by; LAO 7 never reported in it
    result = services.rollup(db, province_code="37", period=first.number, today=today)
    lao = _row(result, 7)
    assert lao["report_status"] == "missing" and lao["source"] is None
    assert lao["criteria"] is None and lao["all_met"] is False
    assert lao["report_version"] is None and lao["problems"] is None
    assert lao["report_status_th"] == "ไม่ได้รายงาน"
    assert result["sources"]["missing"] == 1
    # it counts as not passing and as meeting nothing
    assert result["passing"] == 1 and result["selected"] == 4
    assert result["criteria_met"] == [sum((r["criteria"] or [False] * 5)[i] for r in result["laos"]) for i in range(5)]
    travel(today)
    assert _row(_cli_rollup(db_path, first.number), 7)["criteria"] is None
    login(client, "province")
    html = client.get(f"/provinces/37?period={first.number}").get_data(as_text=True)
    assert '<td colspan="5" class="c muted">ไม่ได้รายงาน</td>' in html
    exports.write_zip(db, first.number, "37", ("pdf",), tmp_path / "z.zip", today=today)
    names = zipfile.ZipFile(tmp_path / "z.zip").namelist()
    assert not any("พนา" in n for n in names if n.endswith(".pdf"))  # LAO 7 (เทศบาลตำบลพนา): no file
    row = next(r for r in _manifest(tmp_path / "z.zip") if r["รหัส อปท."] == "7")
    assert row["สถานะรายงาน"] == "ไม่ได้รายงาน" and row["ผ่านเกณฑ์ (ข้อ)"] == "" and row["ไฟล์"] == ""
    # in the open period the same LAO shows today's figures
    live = _row(services.rollup(db, province_code="37", period=first.number, today=first.start), 7)
    assert live["source"] == "live" and live["criteria"] is not None


def test_a_late_report_stays_late_and_every_view_counts_the_same(client, db, db_path, travel, tmp_path):
    period = _periods(db)[3]
    due = period.due(report_store.late_days(db))
    report_store.save_draft(db, 1, period.number, DRAFT, None)
    services.submit_report(db, 1, period.number, None, due + dt.timedelta(days=3))
    recorded = db.execute(
        "SELECT s.days_late FROM report_submission s JOIN report r ON r.id = s.report_id"
        " WHERE r.lao_id = 1 AND r.period = ?",
        [period.number],
    ).fetchone()[0]
    assert recorded == 3
    today = due + dt.timedelta(days=10)
    travel(today)

    result = services.rollup(db, province_code="37", period=period.number)
    assert _row(result, 1)["days_late"] == 3 and _row(result, 3)["days_late"] == 10
    assert result["late"] == 4  # LAO 1 sent 3 days late; LAOs 3, 5 and 7 never sent
    assert _cli_rollup(db_path, period.number)["late"] == 4
    exports.write_zip(db, period.number, "37", ("pdf",), tmp_path / "z.zip")
    late = {r["รหัส อปท."]: r["ส่งล่าช้า"] for r in _manifest(tmp_path / "z.zip")}
    assert late == {"1": "ส่งช้า 3 วัน", "3": "ส่งช้า 10 วัน", "5": "ส่งช้า 10 วัน", "7": "ส่งช้า 10 วัน"}
    login(client, "province")
    html = arabic(client.get(f"/provinces/37?period={period.number}").get_data(as_text=True))
    assert "รายงานส่งช้า 4 แห่ง" in html and "ส่งช้า 3 วัน" in html
    summary = pdf_text(services.summary_document(db, "province", "37", period.number, "pdf")[0])
    assert flat("รายงานส่งช้าหรือเลยกำหนดส่ง จำนวน ๔ แห่ง") in flat(summary)

    # acknowledged by the district, it is still the report that came 3 days late
    report_store.review(db, 1, period.number, "acknowledged", "", None)
    login(client, "clerk")
    html = arabic(client.get("/laos/1/reports").get_data(as_text=True))
    assert "ส่งช้า 3 วัน" in html
    html = arabic(client.get(f"/laos/1/reports/{period.number}").get_data(as_text=True))
    assert "อำเภอรับทราบแล้ว" in html and "ส่งช้า 3 วัน" in html
    assert services.rollup(db, province_code="37", period=period.number)["late"] == 4


def test_a_report_sent_on_time_is_never_late(db):
    period = _periods(db)[3]
    due = period.due(report_store.late_days(db))
    report_store.save_draft(db, 1, period.number, DRAFT, None)
    services.submit_report(db, 1, period.number, None, due)
    later = due + dt.timedelta(days=40)
    assert _row(services.rollup(db, province_code="37", period=period.number, today=later), 1)["late"] is False
    assert report_store.get_report(db, 1, period.number)["submissions"][0]["days_late"] == 0


def test_submissions_made_before_the_column_get_their_days_late(tmp_path):
    from formsvc.store import connect
    from formsvc.store.migrations import migrate

    db = connect(tmp_path / "old.db")
    migrate(db, target=16)
    year = 2500 + 69  # any year: the test reads nothing from the calendar
    db.execute("INSERT INTO programme (id, year_be, start_month, end_month, late_days) VALUES (1, ?, 1, 9, 15)", [year])
    db.execute("PRAGMA foreign_keys = OFF")
    [first] = report_store.programme_periods(db)[:1]
    due = first.due(15)
    for report_id, sent in ((1, due), (2, due + dt.timedelta(days=5))):
        db.execute(
            "INSERT INTO report (id, lao_id, programme_year, period, status, updated_at)"
            " VALUES (?, ?, ?, 1, 'submitted', '')",
            [report_id, report_id, year],
        )
        # 20:00 in Bangkok is 13:00 UTC: the Thai calendar date counts
        moment = dt.datetime.combine(sent, dt.time(13, 0), dt.UTC).isoformat()
        db.execute(
            "INSERT INTO report_submission (report_id, number, submitted_at, snapshot, pdf, docx,"
            " pdf_sha256, docx_sha256) VALUES (?, 1, ?, '{}', x'', x'', '', '')",
            [report_id, moment],
        )
    migrate(db)
    days = [r[0] for r in db.execute("SELECT days_late FROM report_submission ORDER BY report_id")]
    assert days == [0, 5]
    db.close()


def test_a_returned_report_still_shows_what_was_sent(db):
    # demo period 1: LAO 5's report was returned; its version 1 is what the district has
    today = _periods(db)[3].start
    lao = _row(services.rollup(db, province_code="37", period=1, today=today), 5)
    assert lao["report_status"] == "returned" and lao["source"] == "reported" and lao["report_version"] == 1
    assert lao["criteria"] is not None


def test_summaries_carry_each_laos_problems_and_suggestions_as_sent(db):
    import io

    import docx as _docx

    # demo period 1: LAO 5 (หนองข่า) sent problems and suggestions, then its report was
    # returned; what it types into the draft now is not what the district received
    heading = "ปัญหาอุปสรรคและข้อเสนอแนะตามรายงานของ อปท.ต้นแบบ"
    sent = "ขอให้อำเภอจัดวิทยากรกระบวนการเพิ่ม"
    draft = report_store.get_report(db, 5, 1)
    report_store.save_draft(
        db, 5, 1, {**{k: draft[k] for k in report_store.LABELS}, "suggestions": "ข้อความใหม่ในร่าง"}, None
    )
    pdf, _ = services.summary_document(db, "province", "37", 1, "pdf")
    text = flat(pdf_text(pdf))
    assert flat(heading) in text and flat(sent) in text and flat("ข้อความใหม่ในร่าง") not in text
    assert flat("องค์การบริหารส่วนตำบลหนองข่า (รายงานฉบับที่ ๑) ปัญหาอุปสรรค") in text
    content, _ = services.summary_document(db, "province", "37", 1, "docx")
    paragraphs = [p.text for p in _docx.Document(io.BytesIO(content)).paragraphs]
    assert heading in paragraphs and any(sent in p and "หนองข่า" in p for p in paragraphs)
    assert not any("{%" in p or "{{" in p for p in paragraphs)
