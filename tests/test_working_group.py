"""Working group, orders, emblem and criterion 1: through the store, the web and the CLI."""

from __future__ import annotations

import datetime as dt
import hashlib
import io
import json
import re
import threading

import pytest
from click.testing import CliRunner
from PIL import Image

from formsvc import services
from formsvc.cli import main
from formsvc.domain import criteria
from formsvc.domain.errors import InputError
from formsvc.store import connect
from formsvc.store import working_group as wg_store
from formsvc.store.programme import get_programme
from tests.conftest import CE, TH_YEAR, YEAR, arabic, login
from tests.docs import docx_blocks, flat, pdf_images, pdf_text
from tests.test_documents import fill_group, fresh_lao


def png_bytes(size=(300, 300)) -> bytes:
    out = io.BytesIO()
    Image.new("RGB", size, (200, 30, 30)).save(out, "PNG")
    return out.getvalue()


SVG = (
    b'<svg xmlns="http://www.w3.org/2000/svg" width="100" height="100">'
    b'<circle cx="50" cy="50" r="40" fill="red"/></svg>'
)


# Criterion 1 ------------------------------------------------------------------------------


def members(*specs):
    return [criteria.Member(name, "", role, category) for name, role, category in specs]


FULL = members(
    ("ก", "chair", "lao_chief"),
    ("ข", "adviser", "kamnan"),
    ("ค", "member", "district_cdd"),
    ("ง", "member", "district_local"),
    ("จ", "member", "ctc_chair"),
    ("ฉ", "member", "coc_chair"),
    ("ช", "member", "village_head"),
    ("ซ", "member", "civil_society"),
    ("ฌ", "secretary", "lao_official"),
)
ORDER = criteria.OrderFacts("1/2569", "2026-01-15")


def test_criterion_1_met_with_every_role_an_order_and_a_plan():
    result = criteria.criterion_1(ORDER, FULL, 1, has_kamnan=True, has_coc=True, programme_year=2569)
    assert result.met and result.reasons == [] and result.warnings == []


@pytest.mark.parametrize(
    "category, words",
    [
        ("ctc_chair", "ประธาน ศอช.ต."),
        ("district_cdd", "พัฒนาการอำเภอ"),
        ("district_local", "ท้องถิ่นอำเภอ"),
        ("village_head", "ผู้ใหญ่บ้าน"),
        ("civil_society", "ผู้นำภาคประชาชน"),
        ("coc_chair", "ประธาน สอช."),
        ("kamnan", "กำนัน"),
    ],
)
def test_criterion_1_names_the_missing_role(category, words):
    result = criteria.criterion_1(
        ORDER, [m for m in FULL if m.category != category], 1, has_kamnan=True, has_coc=True, programme_year=2569
    )
    assert not result.met
    assert any(words in r for r in result.reasons)


def test_kamnan_and_coc_are_not_required_when_the_lao_has_none():
    without = [m for m in FULL if m.category not in ("kamnan", "coc_chair")]
    result = criteria.criterion_1(ORDER, without, 1, has_kamnan=False, has_coc=False, programme_year=2569)
    assert result.met


def test_a_chair_who_is_not_the_chief_is_a_warning_not_a_failure():
    chair_elsewhere = [
        criteria.Member("ก", "", "chair", "civil_society") if m.group_role == "chair" else m for m in FULL
    ]
    result = criteria.criterion_1(ORDER, chair_elsewhere, 1, has_kamnan=True, has_coc=True, programme_year=2569)
    assert result.met and result.warnings


def test_no_order_and_no_plan_are_reasons():
    result = criteria.criterion_1(None, FULL, 0, has_kamnan=True, has_coc=True, programme_year=2569)
    assert not result.met
    assert any("ยังไม่ได้ออกคำสั่ง" in r for r in result.reasons)
    assert any("แผนการดำเนินงาน" in r for r in result.reasons)


def test_demo_laos_are_in_different_states(db):
    states = {lao_id: services.criterion_1(db, lao_id) for lao_id in (1, 3, 5, 7)}
    assert states[1].met
    assert any("ศอช.ต." in r for r in states[3].reasons)
    assert any("แผนการดำเนินงาน" in r for r in states[5].reasons) and len(states[5].reasons) == 1
    assert any("ยังไม่ได้ออกคำสั่ง" in r for r in states[7].reasons)


# Orders -----------------------------------------------------------------------------------


def test_order_numbers_run_per_calendar_year_and_corrections_replace(db):
    lao_id = fresh_lao(db)
    fill_group(db, lao_id)
    first = services.issue_order(db, lao_id, dt.date(CE, 3, 1), None, None)
    second = services.issue_order(db, lao_id, dt.date(CE, 3, 2), None, None)
    next_year = services.issue_order(db, lao_id, dt.date(CE + 1, 1, 5), None, None)
    assert (first["number"], first["year_be"]) == (1, YEAR)
    assert (second["number"], second["year_be"]) == (2, YEAR)
    assert (next_year["number"], next_year["year_be"]) == (1, YEAR + 1)
    assert second["replaces_order_id"] == first["id"]
    text = pdf_text(wg_store.order_document(db, lao_id, second["id"], "pdf")["content"])
    assert f"ที่ ๒/{TH_YEAR}" in text
    assert flat(
        f"ให้ยกเลิกคำสั่งองค์การบริหารส่วนตำบลนาหว้า ที่ ๑/{TH_YEAR} ลงวันที่ ๑ มีนาคม พ.ศ. {TH_YEAR} และให้ใช้คำสั่งนี้แทน"
    ) in flat(text)
    assert wg_store.current_order(db, lao_id, get_programme(db).year_be)["id"] == next_year["id"]


def test_issued_bytes_are_frozen(db):
    lao_id = fresh_lao(db)
    fill_group(db, lao_id)
    order = services.issue_order(db, lao_id, dt.date(CE, 3, 1), None, None)
    stored = wg_store.order_document(db, lao_id, order["id"], "pdf")
    assert hashlib.sha256(stored["content"]).hexdigest() == stored["sha256"]
    fill_group(db, lao_id, names={0: "นายเปลี่ยน ชื่อใหม่"})  # later edits change nothing issued
    again, _ = services.document(db, lao_id, "order", "pdf")
    assert again == stored["content"]
    assert "นายเปลี่ยน" not in pdf_text(again)


def test_order_cannot_be_issued_with_unnamed_rows(db):
    lao_id = fresh_lao(db)
    rows = fill_group(db, lao_id, names={3: ""})
    assert rows[3]["name"] == ""
    with pytest.raises(InputError) as info:
        services.issue_order(db, lao_id, dt.date(CE, 3, 1), None, None)
    assert "แถวที่ 4" in info.value.message
    assert wg_store.orders(db, lao_id) == []


def test_two_clerks_issuing_at_once_get_different_numbers(db_path):
    setup = connect(db_path)
    lao_id = fresh_lao(setup, "พร้อมกัน")
    fill_group(setup, lao_id)
    setup.close()
    results, errors = [], []
    barrier = threading.Barrier(4)

    def clerk():
        db = connect(db_path)
        try:
            barrier.wait()
            results.append(services.issue_order(db, lao_id, dt.date(CE, 6, 1), None, None)["number"])
        except Exception as exc:  # pragma: no cover - reported below
            errors.append(exc)
        finally:
            db.close()

    threads = [threading.Thread(target=clerk) for _ in range(4)]
    for t in threads:
        t.start()
    for t in threads:
        t.join()
    assert errors == []
    assert sorted(results) == [1, 2, 3, 4]


# Emblem -----------------------------------------------------------------------------------


def test_png_emblem_is_placed_3_cm_tall_in_both_formats(db):
    lao_id = fresh_lao(db)
    fill_group(db, lao_id)
    services.save_emblem(db, lao_id, png_bytes(), None)
    pdf = services.draft_order(db, lao_id, "pdf")
    images = pdf_images(pdf)
    assert len(images) == 1
    docx_content = services.draft_order(db, lao_id, "docx")
    import zipfile

    with zipfile.ZipFile(io.BytesIO(docx_content)) as zf:
        assert any(n.startswith("word/media/") for n in zf.namelist())
    import docx

    shape = docx.Document(io.BytesIO(docx_content)).inline_shapes[0]
    assert abs(shape.height.cm - 3.0) < 0.01


def test_svg_emblem_is_accepted_and_drawn_to_png(db):
    lao_id = fresh_lao(db)
    services.save_emblem(db, lao_id, SVG, None)
    row = services.emblem(db, lao_id)
    assert row["mime"] == "image/svg+xml" and row["png"].startswith(b"\x89PNG")


@pytest.mark.parametrize(
    "data, message",
    [
        (b"GIF89a not an emblem", "PNG หรือ SVG"),
        (b"\x89PNG\r\n\x1a\nbroken", "ไม่ใช่ภาพ PNG"),
        (b"<svg xmlns='http://www.w3.org/2000/svg'><script>alert(1)</script></svg>", "<script>"),
        (
            b"<svg xmlns='http://www.w3.org/2000/svg' xmlns:x='http://www.w3.org/1999/xlink'>"
            b"<image x:href='file:///etc/passwd'/></svg>",
            "<image>",
        ),
        (b"<?xml version='1.0'?><!DOCTYPE svg [<!ENTITY x SYSTEM 'file:///etc/passwd'>]><svg>&x;</svg>", "DOCTYPE"),
        (b"<svg xmlns='http://www.w3.org/2000/svg' onload='alert(1)'/>", "on..."),
        (b"<svg xmlns='http://www.w3.org/2000/svg'><rect style='fill:url(http://x/y)'/></svg>", "ภายนอก"),
        (b"\x89PNG\r\n\x1a\n" + b"0" * (1024 * 1024), "1 MB"),
        (b'<svg xmlns="http://www.w3.org/2000/svg"><rect fill="URL(http://x/y)"/></svg>', "ภายนอก"),
        (
            b'<svg xmlns="http://www.w3.org/2000/svg"><rect style="fill:url(#a);stroke:url(file:///etc/passwd)"/></svg>',
            "ภายนอก",
        ),
        (b'<svg xmlns="http://www.w3.org/2000/svg"><rect style="fill:\\75rl(file:///etc/passwd)"/></svg>', "ภายนอก"),
        (b'<svg xmlns="http://www.w3.org/2000/svg"><!--' + b"x" * 5000 + b"--><!DOCTYPE x></svg>", "DOCTYPE"),
        (
            b'<?xml version="1.0"?><?xml-stylesheet href="file:///etc/passwd"?><svg xmlns="http://www.w3.org/2000/svg"/>',
            "<?",
        ),
        (b'<svg xmlns="http://www.w3.org/2000/svg"><style>@IMPORT "file:///etc/passwd";</style></svg>', "ภายนอก"),
    ],
)
def test_bad_emblems_are_refused_in_thai_and_change_nothing(db, data, message):
    lao_id = fresh_lao(db)
    with pytest.raises(InputError) as info:
        services.save_emblem(db, lao_id, data, None)
    assert message in info.value.message
    assert services.emblem(db, lao_id) is None


def test_emblem_upload_through_the_page(client, db):
    login(client, "clerk")
    response = client.post(
        "/laos/1/emblem", data={"emblem": (io.BytesIO(b"hello"), "garuda.png")}, content_type="multipart/form-data"
    )
    assert response.status_code == 400 and "PNG หรือ SVG" in response.get_data(as_text=True)
    assert services.emblem(db, 1) is None
    response = client.post(
        "/laos/1/emblem", data={"emblem": (io.BytesIO(png_bytes()), "garuda.png")}, content_type="multipart/form-data"
    )
    assert response.status_code == 302
    image = client.get("/laos/1/emblem")
    assert image.status_code == 200 and image.mimetype == "image/png"
    assert "ยังไม่ได้อัปโหลดตราครุฑ" not in client.get("/laos/1").get_data(as_text=True)


# Pages ------------------------------------------------------------------------------------


def group_form_data(db, lao_id, **changes):
    group = wg_store.get_group(db, lao_id, get_programme(db).year_be)
    data = {
        "version": str(group["version"]),
        "reason": group["reason"],
        "duties": "\n".join(group["duties"]),
        "signer_name": group["signer_name"],
        "signer_position": group["signer_position"],
        "action": "save",
    }
    for i, m in enumerate(group["members"]):
        for key in ("name", "position", "group_role", "category"):
            data[f"members-{i}-{key}"] = m[key]
    data.update(changes)
    return data


def confirm_data(db, lao_id: int, **fields) -> dict:
    """What the order's confirmation page posts: the group's version and the order in
    force that it showed, with the order's fields."""
    year = get_programme(db).year_be
    current = wg_store.current_order(db, lao_id, year)
    version = str(wg_store.get_group(db, lao_id, year)["version"])
    return {"version": version, "current": str(current["id"]) if current else "", **fields}


def test_start_from_the_guideline_fills_the_rows_to_be_filled(client, db):
    login(client, "clerk2")  # LAO 3 already has named members
    typed = group_form_data(db, 3, action="prefill", reason="เหตุผลที่พิมพ์ไว้")
    response = client.post("/laos/3/working-group", data=typed)
    html = response.get_data(as_text=True)
    assert response.status_code == 400 and "แทนที่ด้วยแถวตามแนวทาง" in html
    assert "เหตุผลที่พิมพ์ไว้" in html  # refused, and what was typed is still there
    login(client, "admin")
    html = client.post("/laos/7/working-group", data=group_form_data(db, 7, action="prefill")).get_data(as_text=True)
    for position in (
        "พัฒนาการอำเภอพนา",
        "ท้องถิ่นอำเภอพนา",
        "ประธานศูนย์ประสานงานองค์กรชุมชน",
        "ผู้นำภาคประชาชน",
        "ปลัดเทศบาลตำบลพนา",
        "ประธานชุมชน",
    ):
        assert position in html, position
    assert "ยังไม่ได้บันทึก" in html


def test_rows_from_the_guideline_keep_what_else_was_typed(client, db):
    """Starting from the guideline acts on what is on screen: the rows are replaced,
    the reason and signer typed but not saved stay, and nothing is saved yet."""
    login(client, "clerk")
    before = wg_store.get_group(db, 1, get_programme(db).year_be)
    data = group_form_data(db, 1, action="prefill", replace="y", reason="เหตุผลใหม่ยังไม่บันทึก", signer_name="นายลงนาม ใหม่")
    html = client.post("/laos/1/working-group", data=data).get_data(as_text=True)
    assert "ยังไม่ได้บันทึก" in html
    assert "เหตุผลใหม่ยังไม่บันทึก" in html and "นายลงนาม ใหม่" in html
    assert before["members"][0]["name"] not in html  # the guideline's rows, names to fill in
    assert 'id="working-group-form" enctype="multipart/form-data" novalidate data-unsaved>' in html
    assert wg_store.get_group(db, 1, get_programme(db).year_be) == before


def test_saving_members_and_a_bad_submit_keeps_what_was_typed(client, db):
    login(client, "clerk")
    data = group_form_data(db, 1, **{"members-0-name": "นายใหม่ ทดลอง"})
    assert client.post("/laos/1/working-group", data=data).status_code == 302
    assert wg_store.get_group(db, 1, get_programme(db).year_be)["members"][0]["name"] == "นายใหม่ ทดลอง"
    before = wg_store.get_group(db, 1, get_programme(db).year_be)
    bad = group_form_data(db, 1, **{"members-1-name": "ก" * 121, "members-0-name": "นายพิมพ์ ค้างไว้"})
    response = client.post("/laos/1/working-group", data=bad)
    html = arabic(response.get_data(as_text=True))
    assert response.status_code == 400
    assert "ยาวได้ไม่เกิน 120 ตัวอักษร" in html and "นายพิมพ์ ค้างไว้" in html
    assert wg_store.get_group(db, 1, get_programme(db).year_be)["members"] == before["members"]


def test_a_save_based_on_an_old_version_is_refused(client, db):
    login(client, "clerk")
    stale = group_form_data(db, 1)
    assert (
        client.post("/laos/1/working-group", data=group_form_data(db, 1, **{"members-0-name": "คนแรก"})).status_code
        == 302
    )
    response = client.post("/laos/1/working-group", data={**stale, "members-0-name": "คนที่สอง"})
    assert response.status_code == 400 and "มีผู้อื่นบันทึก" in response.get_data(as_text=True)
    assert wg_store.get_group(db, 1, get_programme(db).year_be)["members"][0]["name"] == "คนแรก"


def test_rows_are_added_moved_and_removed_without_javascript(client, db):
    login(client, "clerk")
    html = client.post("/laos/1/working-group", data=group_form_data(db, 1, action="add")).get_data(as_text=True)
    count = len(wg_store.get_group(db, 1, get_programme(db).year_be)["members"])
    assert f'name="members-{count}-name"' in html
    moved = client.post("/laos/1/working-group", data=group_form_data(db, 1, action="up-1")).get_data(as_text=True)
    first, second = (wg_store.get_group(db, 1, get_programme(db).year_be)["members"][i]["name"] for i in (0, 1))
    assert moved.index(second) < moved.index(first)
    data = group_form_data(db, 1, **{"members-1-remove": "y"})
    assert client.post("/laos/1/working-group", data=data).status_code == 302
    assert len(wg_store.get_group(db, 1, get_programme(db).year_be)["members"]) == count - 1


def test_issue_through_the_page_and_download_the_same_bytes(client, db):
    login(client, "clerk")
    response = client.post(
        "/laos/1/working-group/issue", data=confirm_data(db, 1, order_date=f"20/02/{YEAR}", effective_date="")
    )
    assert response.status_code == 302
    order = wg_store.current_order(db, 1, get_programme(db).year_be)
    assert order["number"] == 2 and order["order_date"] == f"{CE}-02-20"
    pdf = client.get(f"/laos/1/orders/{order['id']}.pdf")
    assert pdf.status_code == 200 and pdf.mimetype == "application/pdf"
    assert pdf.data == wg_store.order_document(db, 1, order["id"], "pdf")["content"]
    assert client.get("/laos/1/documents/order.pdf").data == pdf.data
    docx_response = client.get(f"/laos/1/orders/{order['id']}.docx")
    assert "attachment" in docx_response.headers["Content-Disposition"]
    assert any(f"ที่ ๒/{TH_YEAR}" == b for b in docx_blocks(docx_response.data))


def test_bad_order_date_gets_a_thai_message(client, db):
    login(client, "clerk")
    before = len(wg_store.orders(db, 1))
    response = client.post("/laos/1/working-group/issue", data=confirm_data(db, 1, order_date=f"31/02/{YEAR}"))
    assert response.status_code == 400 and "ไม่มีวันที่นี้ในปฏิทิน" in response.get_data(as_text=True)
    assert len(wg_store.orders(db, 1)) == before


def plan_version(db, lao_id) -> str:
    """The version the operation plan form carries."""
    return str(wg_store.get_group(db, lao_id, get_programme(db).year_be)["plan_version"])


def test_operation_plan_page_saves_rows_and_refuses_bad_months(client, db):
    login(client, "clerk2")
    data = {
        "action": "save",
        "version": plan_version(db, 3),
        "activities-0-activity": "ประชุมคณะทำงาน",
        "activities-0-start_month": f"{CE}-02",
        "activities-0-end_month": f"{CE}-03",
        "activities-0-responsible": "ปลัด",
        "activities-0-status": "planned",
        "activities-1-activity": "",
        "activities-1-start_month": f"{CE}-01",
        "activities-1-end_month": f"{CE}-09",
        "activities-1-responsible": "",
        "activities-1-status": "planned",
    }
    assert client.post("/laos/3/operation-plan", data=data).status_code == 302
    activities = wg_store.get_group(db, 3, get_programme(db).year_be)["activities"]
    assert [a["activity"] for a in activities] == ["ประชุมคณะทำงาน"]
    bad = {**data, "activities-0-start_month": f"{CE}-05", "activities-0-end_month": f"{CE}-02"}
    response = client.post("/laos/3/operation-plan", data=bad)
    assert response.status_code == 400 and "เดือนสิ้นสุดอยู่ก่อนเดือนเริ่มต้น" in response.get_data(as_text=True)
    assert [a["start_month"] for a in wg_store.get_group(db, 3, get_programme(db).year_be)["activities"]] == [
        f"{CE}-02"
    ]


def test_checklist_shows_criterion_1_with_reasons(client):
    login(client, "clerk2")
    html = client.get("/laos/3").get_data(as_text=True)
    assert "ยังไม่ผ่าน" in html and "ประธาน ศอช.ต." in html


# CLI --------------------------------------------------------------------------------------


def test_cli_render_and_compliance(db_path, tmp_path):
    env = {"FORMSVC_DB": str(db_path)}
    out = tmp_path / "order.pdf"
    result = CliRunner().invoke(main, ["render", "order", "--lao", "1", "--format", "pdf", "--out", str(out)], env=env)
    assert result.exit_code == 0, result.output
    assert "คำสั่งองค์การบริหารส่วนตำบลบุ่ง" in pdf_text(out.read_bytes())
    result = CliRunner().invoke(
        main,
        ["render", "operation-plan", "--lao", "1", "--format", "docx", "--out", str(tmp_path / "plan.docx")],
        env=env,
    )
    assert result.exit_code == 0
    assert "แผนการดำเนินงานร่วมกันของคณะทำงานระดับท้องถิ่น" in docx_blocks((tmp_path / "plan.docx").read_bytes())
    result = CliRunner().invoke(main, ["compliance", "--lao", "3", "--json"], env=env)
    data = json.loads(result.output)
    assert data["lao_id"] == 3 and data["all_met"] is False
    assert data["criteria"][0]["number"] == 1 and data["criteria"][0]["met"] is False
    assert any("ศอช.ต." in r for r in data["criteria"][0]["reasons"])
    missing = CliRunner().invoke(main, ["compliance", "--lao", "999"], env=env)
    assert missing.exit_code == 1


def test_compliance_api_matches_the_cli_contract(client):
    assert client.get("/api/v1/laos/1/compliance").status_code == 401
    login(client, "clerk")
    data = client.get("/api/v1/laos/1/compliance").get_json()
    assert data["lao_id"] == 1 and data["criteria"][0] == {"number": 1, "met": True, "reasons": []}
    missing = client.get("/api/v1/laos/3/compliance")
    assert missing.status_code == 404 and missing.is_json


def test_extreme_emblem_shapes_are_refused(db):
    lao_id = fresh_lao(db)
    with pytest.raises(InputError) as info:
        services.save_emblem(db, lao_id, png_bytes((4000, 10)), None)
    assert "4 เท่า" in info.value.message


def test_district_office_sees_but_does_not_issue_the_laos_order(client, db):
    login(client, "district")
    assert client.get("/laos/1/working-group").status_code == 200
    before = len(wg_store.orders(db, 1))
    assert client.post("/laos/1/working-group/issue", data={"order_date": f"01/03/{YEAR}"}).status_code == 403
    assert len(wg_store.orders(db, 1)) == before
    assert 'value="issue"' not in client.get("/laos/1/working-group").get_data(as_text=True)


def test_saving_the_plan_does_not_make_the_group_form_stale(client, db):
    login(client, "clerk")
    form = group_form_data(db, 1, **{"members-0-name": "นายหลัง แผน"})
    plan = {
        "action": "save",
        "activities-0-activity": "ประชุม",
        "activities-0-start_month": f"{CE}-01",
        "activities-0-end_month": f"{CE}-01",
        "activities-0-responsible": "",
        "activities-0-status": "done",
        "version": plan_version(db, 1),
    }
    assert client.post("/laos/1/operation-plan", data=plan).status_code == 302
    assert client.post("/laos/1/working-group", data=form).status_code == 302


def test_a_conflict_keeps_the_input_and_a_second_save_overwrites(client, db):
    login(client, "clerk")
    stale = group_form_data(db, 1)
    client.post("/laos/1/working-group", data=group_form_data(db, 1, **{"members-0-name": "คนแรก"}))
    response = client.post("/laos/1/working-group", data={**stale, "members-0-name": "คนที่สอง"})
    html = response.get_data(as_text=True)
    assert response.status_code == 400 and "คนที่สอง" in html
    version = re.search(r'name="version" type="hidden" value="(\d+)"', html).group(1)
    again = client.post("/laos/1/working-group", data={**stale, "version": version, "members-0-name": "คนที่สอง"})
    assert again.status_code == 302
    assert wg_store.get_group(db, 1, get_programme(db).year_be)["members"][0]["name"] == "คนที่สอง"


@pytest.mark.parametrize("changes", [{"version": "abc"}, {"action": "up-\u00b2"}, {"action": "up-999"}])
def test_odd_posts_never_give_a_500(client, db, changes):
    login(client, "clerk")
    response = client.post("/laos/1/working-group", data=group_form_data(db, 1, **changes))
    assert response.status_code in (200, 302, 400)


def test_row_limits_are_told_not_silently_applied(client, db):
    login(client, "clerk")
    data = group_form_data(db, 1)
    for i in range(16, 205):
        data.update(
            {
                f"members-{i}-name": f"คน{i}",
                f"members-{i}-position": "",
                f"members-{i}-group_role": "member",
                f"members-{i}-category": "other",
            }
        )
    response = client.post("/laos/1/working-group", data=data)
    assert response.status_code == 400 and "ไม่เกิน 200 คน" in arabic(response.get_data(as_text=True))
    assert len(wg_store.get_group(db, 1, get_programme(db).year_be)["members"]) == 16
    plan = {"action": "save"}
    for i in range(101):
        plan.update(
            {
                f"activities-{i}-activity": f"กิจกรรม{i}",
                f"activities-{i}-start_month": f"{CE}-01",
                f"activities-{i}-end_month": f"{CE}-01",
                f"activities-{i}-status": "planned",
            }
        )
    response = client.post("/laos/1/operation-plan", data=plan)
    assert response.status_code == 400 and "ไม่เกิน 100 รายการ" in arabic(response.get_data(as_text=True))


def test_order_dates_numbers_and_their_errors(client, db):
    login(client, "clerk")
    count = len(wg_store.orders(db, 1))
    for data, field_error in (
        ({"order_date": "01/01/2500"}, "วันที่สั่งต้องอยู่ในปี"),
        ({"order_date": f"01/01/{YEAR}"}, "ไม่ก่อนคำสั่งฉบับล่าสุด"),
        ({"order_date": f"01/03/{YEAR}", "effective_date": "xx"}, "วัน/เดือน/ปี"),
        ({"order_date": f"01/03/{YEAR}", "number": "สิบ"}, "ต้องเป็นตัวเลข"),
        ({"order_date": f"01/03/{YEAR}", "number": "1"}, "ใช้ไปแล้ว"),
    ):
        response = client.post("/laos/1/working-group/issue", data=confirm_data(db, 1, **data))
        assert response.status_code == 400 and field_error in response.get_data(as_text=True), data
    assert len(wg_store.orders(db, 1)) == count
    assert (
        client.post(
            "/laos/1/working-group/issue", data=confirm_data(db, 1, order_date=f"01/03/{YEAR}", number="๔๕")
        ).status_code
        == 302
    )
    assert wg_store.current_order(db, 1, get_programme(db).year_be)["number"] == 45


def test_plan_months_must_lie_in_the_programme(client, db):
    login(client, "clerk")
    plan = {
        "action": "save",
        "activities-0-activity": "ทดสอบ",
        "activities-0-start_month": "1999-01",
        "activities-0-end_month": "2030-12",
        "activities-0-status": "planned",
    }
    assert client.post("/laos/1/operation-plan", data=plan).status_code == 400
    assert all(
        a["start_month"] >= f"{CE}-01" for a in wg_store.get_group(db, 1, get_programme(db).year_be)["activities"]
    )


def test_lao_kind_and_district_changes_that_would_break_data_are_refused(db):
    from formsvc.store import laos as lao_store

    lao = lao_store.get_lao(db, 1)
    base = dict(
        name=lao["name"],
        kind=lao["kind"],
        district_code=lao["district_code"],
        subdistrict_codes=[s["code"] for s in lao["subdistricts"]],
    )
    # a municipality with communities cannot become an อบต. (which has villages only)
    town = lao_store.get_lao(db, 3)
    town_input = dict(
        name=town["name"],
        kind="tao",
        district_code=town["district_code"],
        subdistrict_codes=[s["code"] for s in town["subdistricts"]],
    )
    with pytest.raises(InputError) as info:
        lao_store.update_lao(db, 3, lao_store.LaoInput(**town_input))
    assert "ชุมชน" in info.value.message and lao_store.get_lao(db, 3)["kind"] == "tambon_municipality"
    with pytest.raises(InputError) as info:
        lao_store.update_lao(db, 1, lao_store.LaoInput(**{**base, "district_code": "3702", "subdistrict_codes": []}))
    assert "อปท.ต้นแบบ" in info.value.message
    assert lao_store.get_lao(db, 1)["district_code"] == "3701"


def test_the_order_lists_members_by_role(db):
    from tests.test_documents import order_context

    lao_id = fresh_lao(db)
    rows = fill_group(db, lao_id)
    year = get_programme(db).year_be
    group = wg_store.get_group(db, lao_id, year)
    members = [dict(m) for m in group["members"]]
    members.append({"name": "นายเพิ่ม ท้ายสุด", "position": "ผู้แทน", "group_role": "member", "category": "partner"})
    wg_store.save_group(
        db,
        lao_id,
        year,
        reason=group["reason"],
        duties=group["duties"],
        signer_name="นายก",
        signer_position="นายก",
        members=members,
        user_id=None,
    )
    roles = [m["role_label"] for m in order_context(db, lao_id)["members"]]
    assert roles[0] == "ประธานคณะทำงาน" and roles[-1] == "คณะทำงานและเลขานุการ"
    assert len(rows) + 1 == len(roles)


def test_processes_issuing_at_once_get_numbers_without_gaps_or_duplicates(db_path):
    """Clerks behind different server workers: each process has its own connection."""
    import multiprocessing

    from tests import workers

    setup = connect(db_path)
    lao_id = fresh_lao(setup, "หลายกระบวนการ")
    fill_group(setup, lao_id)
    setup.close()
    n = 5
    context = multiprocessing.get_context("spawn")
    barrier, results = context.Barrier(n), context.Queue()
    processes = [
        context.Process(target=workers.issue_order, args=(str(db_path), lao_id, barrier, results)) for _ in range(n)
    ]
    for p in processes:
        p.start()
    numbers = [results.get(timeout=180) for _ in processes]
    for p in processes:
        p.join(timeout=60)
    assert sorted(numbers, key=str) == list(range(1, n + 1)), numbers
    db = connect(db_path)
    assert sorted(o["number"] for o in wg_store.orders(db, lao_id)) == list(range(1, n + 1))
    db.close()


# Issuing: what is on screen, saved, then confirmed once ------------------------------------


def chair_row(db, lao_id: int) -> int:
    members = wg_store.get_group(db, lao_id, get_programme(db).year_be)["members"]
    return next(i for i, m in enumerate(members) if m["group_role"] == "chair")


def test_issue_saves_the_edited_chair_then_issues_once_on_confirm(client, db):
    login(client, "clerk")
    before = len(wg_store.orders(db, 1))
    i = chair_row(db, 1)
    edited = group_form_data(db, 1, action="issue", **{f"members-{i}-name": "นายประธาน ชื่อแก้ใหม่"})
    response = client.post("/laos/1/working-group", data=edited)
    assert response.status_code == 302 and response.headers["Location"].endswith("/laos/1/working-group/issue")
    assert len(wg_store.orders(db, 1)) == before  # nothing issued before the confirmation
    page = arabic(client.get("/laos/1/working-group/issue").get_data(as_text=True))
    # the number the order would take today (1/2569 was issued in the demo's year; a later
    # calendar year starts again at 1)
    assert "นายประธาน ชื่อแก้ใหม่" in page and re.search(r"จะออกเป็นคำสั่งที่ \d+/\d{4}", page)
    assert "/laos/1/documents/order.pdf?draft=1" in page
    assert "คำสั่งจะออกโดยไม่มีตราครุฑ" in page and "/laos/1/working-group#emblem-section" in page  # LAO 1 has none
    confirm = confirm_data(db, 1, order_date=f"20/02/{YEAR}")
    assert client.post("/laos/1/working-group/issue", data=confirm).status_code == 302
    order = wg_store.current_order(db, 1, get_programme(db).year_be)
    assert len(wg_store.orders(db, 1)) == before + 1
    words = flat(pdf_text(client.get(f"/laos/1/orders/{order['id']}.pdf").data))
    assert flat("นายประธาน ชื่อแก้ใหม่") in words
    # the same confirmation sent again (a double click): nothing more is issued
    again = client.post("/laos/1/working-group/issue", data=confirm, follow_redirects=True)
    assert again.status_code == 200
    assert f"คำสั่งที่ {order['number']}/{order['year_be']} ได้ออกไปแล้ว" in arabic(again.get_data(as_text=True))
    assert len(wg_store.orders(db, 1)) == before + 1


def test_an_invalid_edit_issues_nothing_and_keeps_the_typing(client, db):
    login(client, "clerk")
    before = wg_store.get_group(db, 1, get_programme(db).year_be)
    orders = len(wg_store.orders(db, 1))
    i = chair_row(db, 1)
    data = group_form_data(
        db, 1, action="issue", **{f"members-{i}-name": "นายประธาน พิมพ์ค้าง", f"members-{i + 1}-name": "ก" * 121}
    )
    response = client.post("/laos/1/working-group", data=data)
    html = arabic(response.get_data(as_text=True))
    assert response.status_code == 400
    assert "นายประธาน พิมพ์ค้าง" in html and "ยาวได้ไม่เกิน 120 ตัวอักษร" in html
    assert wg_store.get_group(db, 1, get_programme(db).year_be)["members"] == before["members"]
    assert len(wg_store.orders(db, 1)) == orders


def test_a_confirmation_overtaken_by_an_edit_issues_nothing(client, db):
    login(client, "clerk")
    orders = len(wg_store.orders(db, 1))
    confirm = confirm_data(db, 1, order_date=f"20/02/{YEAR}")
    i = chair_row(db, 1)
    saved = group_form_data(db, 1, **{f"members-{i}-name": "นายแก้ ภายหลัง"})
    assert client.post("/laos/1/working-group", data=saved).status_code == 302
    response = client.post("/laos/1/working-group/issue", data=confirm)
    html = response.get_data(as_text=True)
    assert response.status_code == 400 and "มีการแก้ไขรายชื่อคณะทำงานหลังจากเปิดหน้านี้" in html
    assert "นายแก้ ภายหลัง" in html  # the draft as it is now
    assert len(wg_store.orders(db, 1)) == orders


def test_the_emblem_comes_before_the_issue_step(client):
    login(client, "clerk")
    html = client.get("/laos/1/working-group").get_data(as_text=True)
    assert html.index('id="emblem-section"') < html.index('value="issue"')
    assert 'action="/laos/1/working-group/issue"' not in html  # no second form that would drop the edits
