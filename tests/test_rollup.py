"""Roll-ups: the totals are the sums of their parts, the KPI exact, scopes kept."""

import json
import re

from click.testing import CliRunner

from formsvc import services
from formsvc.cli import main
from formsvc.store import reports as report_store
from tests.conftest import TH_YEAR, arabic, login


def _start(db, number: int):
    """The first day of reporting period ``number`` (a `today` that makes it the open one)."""
    return report_store.programme_periods(db)[number - 1].start


def test_rollup_equals_the_sum_of_its_rows(db):
    result = services.rollup(db, province_code="37", period=1, today=_start(db, 4))
    assert result["selected"] == 4
    for lao in result["laos"]:
        if lao["source"] == "reported":  # nothing changed since: the snapshot is today's result too
            assert lao["criteria"] == [c["met"] for c in services.compliance(db, lao["lao_id"])["criteria"]]
        else:
            assert lao["criteria"] is None and lao["report_status"] == "missing"
    assert result["passing"] == sum(lao["all_met"] for lao in result["laos"]) == 1
    assert result["kpi_percent"] == "25.00"
    assert result["criteria_met"] == [
        sum((lao["criteria"] or [False] * 5)[i] for lao in result["laos"]) for i in range(5)
    ]
    assert result["funnel"][-1] == result["passing"] and result["funnel"] == sorted(result["funnel"], reverse=True)
    assert result["reports"]["acknowledged"] == 1 and result["reports"]["returned"] == 1
    assert result["sources"] == {"reported": 3, "live": 0, "missing": 1}
    assert result["late"] == sum(lao["late"] for lao in result["laos"])
    groups = services.group_rollup(result, "district")
    for key in ("selected", "passing", "late"):
        assert sum(g[key] for g in groups) == result[key], key
    assert [sum(g["criteria_met"][i] for g in groups) for i in range(5)] == result["criteria_met"]


def test_kpi_is_exact_with_two_decimals():
    assert services.kpi_text(1, 3) == "33.33" and services.kpi_text(2, 3) == "66.67"
    assert services.kpi_text(1, 8) == "12.50" and services.kpi_text(0, 0) == "0.00"


def test_pages_show_kpi_funnel_and_report_status(client):
    login(client, "province")
    html = client.get("/provinces/37?period=1").get_data(as_text=True)
    assert "ร้อยละ 25.00" in html and '<svg class="funnel"' in html and "อำเภอรับทราบแล้ว" in html
    login(client, "national")
    html = client.get("/national?period=1").get_data(as_text=True)
    assert "ร้อยละ 25.00" in html
    login(client, "district")
    html = client.get("/districts/3701?period=1").get_data(as_text=True)
    assert "ส่งแล้ว รอตรวจรับ" in html


def test_api_and_cli_keep_their_scope(client, db_path):
    login(client, "province")
    data = client.get("/api/v1/rollup?province=37&period=1").get_json()
    assert data["selected"] == 4 and {lao["province_code"] for lao in data["laos"]} == {"37"}
    assert client.get("/api/v1/rollup?province=38").status_code == 404
    assert client.get("/api/v1/rollup").status_code == 404
    env = {"FORMSVC_DB": str(db_path)}
    result = CliRunner().invoke(main, ["rollup", "--province", "37", "--period", "1", "--json"], env=env)
    assert json.loads(result.output)["kpi_percent"] == "25.00"
    assert CliRunner().invoke(main, ["rollup", "--province", "99"], env=env).exit_code == 1
    assert CliRunner().invoke(main, ["rollup", "--period", "9"], env=env).exit_code == 1


def test_district_and_province_summaries_in_both_formats(db):
    from tests.docs import docx_blocks, flat, once, pdf_text, without_page_numbers

    content, _ = services.summary_document(db, "province", "37", 1, "pdf")
    text = pdf_text(content, "-raw")
    assert flat("แบบสรุปผลการดำเนินงานการนำแผนชุมชนสู่การพัฒนาท้องถิ่น จังหวัดอำนาจเจริญ") in flat(text)
    assert flat("ผ่านเกณฑ์ครบ ๕ ข้อ จำนวน ๑ แห่ง จาก ๔ แห่ง คิดเป็นร้อยละ ๒๕.๐๐") in flat(text)
    assert flat("รวม ๔ แห่ง ๑ ๒ ๒ ๒ ๒") in flat(text)
    docx, _ = services.summary_document(db, "province", "37", 1, "docx")
    header = "องค์กรปกครองส่วนท้องถิ่นต้นแบบอำเภอเกณฑ์ข้อ ๑เกณฑ์ข้อ ๒เกณฑ์ข้อ ๓เกณฑ์ข้อ ๔เกณฑ์ข้อ ๕การรายงาน"
    assert flat("".join(docx_blocks(docx))) == once(flat(without_page_numbers(text)), header)
    district, _ = services.summary_document(db, "district", "3701", 1, "pdf")
    assert flat("องค์การบริหารส่วนตำบลบุ่ง") in flat(pdf_text(district)) and "ส่งแล้ว รอตรวจรับ" in pdf_text(district)


def test_certificates_only_for_laos_meeting_all_five(client, db):
    from tests.docs import docx_blocks, flat, pdf_text

    login(client, "national")
    refused = client.post(
        "/laos/3/certificate",
        data={"signer_name": "นายผู้ว่า ราชการ", "signer_position": "ผู้ว่าราชการจังหวัดอำนาจเจริญ"},
        follow_redirects=True,
    )
    assert "ครบ 5 ข้อ" in arabic(refused.get_data(as_text=True))
    assert client.get("/laos/3/certificate.pdf").status_code == 404
    assert (
        client.post(
            "/laos/1/certificate", data={"signer_name": "นายผู้ว่า ราชการ", "signer_position": "ผู้ว่าราชการจังหวัดอำนาจเจริญ"}
        ).status_code
        == 302
    )
    pdf = client.get("/laos/1/certificate.pdf").data
    text = pdf_text(pdf)
    assert "เกียรติบัตร" in text and "กระทรวงมหาดไทย" in text and flat("องค์การบริหารส่วนตำบลบุ่ง") in flat(text)
    assert flat(f"ผ่านเกณฑ์ครบทั้ง ๕ ข้อ ประจำปี พ.ศ. {TH_YEAR}") in flat(text)
    docx = client.get("/laos/1/certificate.docx").data
    assert flat("".join(docx_blocks(docx))) == flat(pdf_text(pdf, "-raw"))
    clerk = client.application.test_client()
    login(clerk, "clerk")
    assert clerk.get("/laos/1/certificate.pdf").status_code == 200
    assert clerk.post("/laos/1/certificate", data={"signer_name": "x", "signer_position": "y"}).status_code == 403


def test_period_choice_and_zip_form_have_their_own_ids(client):
    """The province page holds the period chooser and the ZIP form: each label must
    name its own select."""
    login(client, "province")
    html = client.get("/provinces/37").get_data(as_text=True)
    ids = re.findall(r' id="([^"]+)"', html)
    assert len(ids) == len(set(ids)), sorted(i for i in ids if ids.count(i) > 1)
