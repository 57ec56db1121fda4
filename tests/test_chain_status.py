"""Late and missing reports above the LAOs: the national summary (PDF and DOCX) and the
national page say, for a period, how many district offices and province offices must
send their report, how many sent it, how many of those late, and how many have not,
past their due day or not yet.

The demo: four districts of province 37 (3701 to 3704) each have a model LAO from
period 1; district 3801 (province 38) has an LAO but no model LAO, so neither it nor its
province must report. Programme settings: 15 late days, district reports due 7 days
after the LAOs, province reports 7 days after the districts."""

from __future__ import annotations

import datetime as dt
import io
import re

import docx
from click.testing import CliRunner

from formsvc import cli
from formsvc.domain import thai
from formsvc.services import area_reports
from formsvc.store import area_reports as area_store
from formsvc.store import programme as programme_store
from formsvc.store import reports as report_store
from tests.conftest import OTHER_PROVINCE_DISTRICT, login
from tests.docs import flat, pdf_text


def _due_days(db) -> tuple[dt.date, dt.date]:
    """Period 3's due days (the demo's chain reports are of periods 1 and 2): district
    reports, province reports."""
    prog = programme_store.get_programme(db)
    period = report_store.period(db, 3)
    district = period.due(prog.late_days + prog.district_due_days)
    return district, district + dt.timedelta(days=prog.province_due_days)


def _sends(db, level, code: str, day: dt.date) -> None:
    area_store.save_draft(db, level, code, 3, {"comments": "ติดตามการดำเนินงานแล้ว"}, None)
    area_reports.submit(db, level, code, 3, {"id": None, "username": level.name}, today=day)


def _district_sends(db, code: str, day: dt.date) -> None:
    _sends(db, area_store.DISTRICT, code, day)


def _render(db_path, tmp_path, fmt: str) -> bytes:
    out = tmp_path / f"national.{fmt}"
    result = CliRunner().invoke(
        cli.main,
        ["render", "national-summary", "--period", "3", "--format", fmt, "--out", str(out)],
        env={"FORMSVC_DB": str(db_path)},
    )
    assert result.exit_code == 0, result.output
    return out.read_bytes()


def _docx_text(content: bytes) -> str:
    return "\n".join(p.text for p in docx.Document(io.BytesIO(content)).paragraphs)


def _date(day: dt.date) -> str:
    return thai.date_long(day, "thai")


def _th(text: str) -> str:
    return thai.digits(text, "thai")


def test_the_summary_counts_district_and_province_reports_sent_late_and_missing(db, db_path, tmp_path, travel):
    district_due, province_due = _due_days(db)
    _district_sends(db, "3701", district_due)  # on its due day: on time
    _district_sends(db, "3702", district_due + dt.timedelta(days=3))  # 3 days late
    # a district without a model LAO that sends anyway is not one that must report
    _district_sends(db, OTHER_PROVINCE_DISTRICT, district_due)
    travel(district_due + dt.timedelta(days=3))  # the districts' due day is past, the provinces' is not
    districts = _th(
        "ระดับอำเภอ ต้องส่งรายงาน 4 อำเภอ ส่งรายงานแล้ว 2 อำเภอ ในจำนวนนี้ส่งช้ากว่ากำหนด 1 อำเภอ"
        f" ยังไม่ส่ง 2 อำเภอ ซึ่งเลยกำหนดส่งวันที่ {_date(district_due)} แล้ว"
    )
    provinces = _th(
        f"ระดับจังหวัด ต้องส่งรายงาน 1 จังหวัด ส่งรายงานแล้ว 0 จังหวัด ยังไม่ส่ง 1 จังหวัด ยังไม่ถึงกำหนดส่งวันที่ {_date(province_due)}"
    )
    text = flat(pdf_text(_render(db_path, tmp_path, "pdf")))
    assert flat(districts) in text and flat(provinces) in text
    paragraphs = _docx_text(_render(db_path, tmp_path, "docx")).splitlines()
    assert districts in paragraphs and provinces in paragraphs
    assert "ยังไม่มีข้อมูลการส่งรายงาน" not in text

    # the province sends, two days late (it stays late once corrected: what the first version recorded)
    _sends(db, area_store.PROVINCE, "37", province_due + dt.timedelta(days=2))
    provinces = _th(
        "ระดับจังหวัด ต้องส่งรายงาน 1 จังหวัด ส่งรายงานแล้ว 1 จังหวัด ครบทุกจังหวัด"
        f" ในจำนวนนี้ส่งช้ากว่ากำหนด 1 จังหวัด (กำหนดส่งวันที่ {_date(province_due)})"
    )
    assert provinces in _docx_text(_render(db_path, tmp_path, "docx")).splitlines()


def _row(html: str, label: str) -> list[str]:
    """The cells of the office-reports row headed ``label``, as text."""
    section = html.split('id="office-reports"', 1)[1].split("</section>", 1)[0]
    row = re.search(rf"<tr><th scope=\"row\">{re.escape(label)}</th>(.*?)</tr>", re.sub(r"\s+", " ", section))
    assert row, section
    return [re.sub(r"<[^>]+>", "", cell).strip() for cell in re.findall(r"<td[^>]*>(.*?)</td>", row.group(1))]


def test_the_national_page_shows_the_same_counts_in_both_languages(client, db, travel):
    district_due, province_due = _due_days(db)
    _district_sends(db, "3701", district_due + dt.timedelta(days=1))  # a day late
    travel(province_due + dt.timedelta(days=1))  # both due days are past
    login(client, "national")
    response = client.get("/national?period=3")
    assert response.status_code == 200
    html = response.get_data(as_text=True)
    assert _row(html, "ระดับอำเภอ") == [
        "4",
        "1",
        "1",
        "3 เลยกำหนดส่งแล้ว",
        thai.date_long(district_due, "arabic"),
    ]
    assert _row(html, "ระดับจังหวัด")[:4] == ["1", "0", "0", "1 เลยกำหนดส่งแล้ว"]
    client.post("/language", data={"locale": "en"})
    html = client.get("/national?period=3").get_data(as_text=True)
    assert _row(html, "District offices")[:4] == ["4", "1", "1", "3 past the due day"]
    assert _row(html, "Province offices")[:4] == ["1", "0", "0", "1 past the due day"]
