"""Download names say what the document is, in Thai (RFC 6266 ``filename*=UTF-8''…``),
with an ASCII ``filename=`` for clients that read only that one."""

from __future__ import annotations

import re
from urllib.parse import unquote

import pytest

from formsvc import services
from formsvc.documents.kinds import KINDS
from tests.conftest import YEAR, ids, login

# what the name of each registered kind starts with (LAO 1, its village forum of หมู่ที่ 1,
# period 1); a kind registered later must say here what its downloads are called
EXPECTED = {
    "order": "คำสั่งแต่งตั้งคณะทำงาน-ที่",
    "operation-plan": f"แผนการดำเนินงานร่วมกัน-{YEAR}",
    "minutes": f"รายงานการประชุม-เวทีหมู่ที่1-{YEAR}",
    "sign-in-sheet": f"ใบลงชื่อผู้เข้าร่วมประชุม-เวทีหมู่ที่1-{YEAR}",
    "meeting-minutes": f"รายงานการประชุมคณะทำงาน-ครั้งที่1-{YEAR}",
    "project-list": f"บัญชีโครงการจากแผนชุมชน-{YEAR}",
    "plan-projects": f"รายละเอียดโครงการพัฒนา-ผ02-{YEAR}",
    "report": f"รายงานผลการดำเนินงาน-ครั้งที่1-{YEAR}-",
    "cover-memo": f"บันทึกข้อความนำส่งรายงาน-ครั้งที่1-{YEAR}",
    "district-summary": "แบบสรุปผลระดับอำเภอ-อำเภอ",
    "province-summary": "แบบสรุปผลระดับจังหวัด-จังหวัดอำนาจเจริญ-ครั้งที่1",
    "national-summary": f"แบบสรุปผลระดับประเทศ-ครั้งที่1-{YEAR}",
    "district-report": f"รายงานผลการดำเนินงานระดับอำเภอ-อำเภอเมืองอำนาจเจริญ-ครั้งที่1-{YEAR}-ร่าง",
    "district-cover-memo": f"บันทึกข้อความนำส่งรายงานระดับอำเภอ-อำเภอเมืองอำนาจเจริญ-ครั้งที่1-{YEAR}",
    "province-report": f"รายงานผลการดำเนินงานระดับจังหวัด-อำนาจเจริญ-ครั้งที่1-{YEAR}-ฉบับที่2",  # the demo's
    "province-cover-memo": f"บันทึกข้อความนำส่งรายงานระดับจังหวัด-อำนาจเจริญ-ครั้งที่1-{YEAR}",
    "certificate": "เกียรติบัตร-",
}


def names(response) -> tuple[str, str, str]:
    """(disposition, ASCII filename, decoded filename*) of a download."""
    header = response.headers["Content-Disposition"]
    disposition = header.split(";")[0]
    plain = re.search(r'filename="([^"]*)"', header)
    star = re.search(r"filename\*=UTF-8''(\S+)", header)
    assert plain and star, header
    return disposition, plain.group(1), unquote(star.group(1))


@pytest.fixture
def admin(client, db):
    services.issue_certificate(db, 1, "national", None, "นายผู้ว่า ราชการ", "ปลัดกระทรวงมหาดไทย")
    login(client, "admin")
    return client


def url(db, kind: str, fmt: str) -> str:
    of = KINDS[kind].of
    if of == "district":
        code = db.execute("SELECT district_code FROM lao WHERE id = 1").fetchone()[0]
        if kind == "district-report":
            return f"/districts/{code}/reports/1/report.{fmt}"
        if kind == "district-cover-memo":
            return f"/districts/{code}/reports/1/memo.{fmt}"
        return f"/districts/{code}/summary.{fmt}?period=1"
    if of == "province":
        code = db.execute("SELECT d.province_code FROM lao l JOIN district d ON d.code = l.district_code").fetchone()[0]
        if kind == "province-report":
            return f"/provinces/{code}/reports/1/report.{fmt}"
        if kind == "province-cover-memo":
            return f"/provinces/{code}/reports/1/memo.{fmt}"
        return f"/provinces/{code}/summary.{fmt}?period=1"
    if of == "country":
        return f"/national/summary.{fmt}?period=1"
    query = {"forum": f"?forum={_village_1_forum(db)}", "period": "?period=1", "meeting": "?meeting=1"}.get(of, "")
    return f"/laos/1/documents/{kind}.{fmt}{query}"


def _village_1_forum(db) -> int:
    return ids(
        db, "SELECT f.id FROM forum f JOIN village v ON v.id = f.village_id WHERE f.lao_id = 1 AND v.number = 1"
    )[0]


def test_every_kind_says_what_it_is():
    assert sorted(EXPECTED) == sorted(KINDS)


@pytest.mark.parametrize("kind", sorted(EXPECTED))
def test_a_pdf_opens_with_a_thai_name_and_an_ascii_fallback(admin, db, kind):
    response = admin.get(url(db, kind, "pdf"))
    assert response.status_code == 200
    disposition, plain, thai = names(response)
    assert disposition == "inline"
    assert plain.isascii() and plain.endswith(".pdf") and " " not in plain
    assert thai.startswith(EXPECTED[kind]) and thai.endswith(".pdf"), thai
    assert re.search("[\u0e01-\u0e5b]", thai) and not re.search(r'[\s/\\:*?"<>|]', thai)


def test_a_docx_downloads_with_both_names(admin, db):
    response = admin.get(url(db, "minutes", "docx"))
    disposition, plain, thai = names(response)
    assert disposition == "attachment"
    assert plain.startswith("minutes-") and plain.endswith(".docx")
    assert thai == f"รายงานการประชุม-เวทีหมู่ที่1-{YEAR}.docx"


def test_an_lao_forum_is_named_as_one(admin, db):
    forum = ids(db, "SELECT id FROM forum WHERE lao_id = 1 AND level = 'lao'")[0]
    _, _, thai = names(admin.get(f"/laos/1/documents/minutes.pdf?forum={forum}"))
    assert thai == f"รายงานการประชุม-เวทีระดับท้องถิ่น-{YEAR}.pdf"


def test_a_draft_order_is_named_a_draft(admin):
    _, plain, thai = names(admin.get("/laos/1/documents/order.pdf?draft=1"))
    assert plain == f"order-draft-{YEAR}.pdf"
    assert thai == f"ร่างคำสั่งแต่งตั้งคณะทำงาน-{YEAR}.pdf"
