"""The one text policy (formsvc.domain.text) and the bugs hostile text found.

Control characters and noncharacters are refused with a Thai message, invisible
characters removed, whitespace normalised: in every form, in imports, and so in every
document. tests/test_fuzz.py drives the same policy with Hypothesis.
"""

from __future__ import annotations

import pytest

from formsvc import imports
from formsvc.documents import engine
from formsvc.domain import text
from formsvc.store import laos as lao_store
from formsvc.store import working_group as wg_store
from formsvc.store.programme import dimensions, get_programme
from tests.conftest import CE, YEAR, login
from tests.docs import docx_blocks, flat, pdf_text
from tests.test_documents import fill_group, fresh_lao, order_context

REFUSED = "ข้อความนี้มีอักขระที่ใช้ไม่ได้ ({})"


@pytest.mark.parametrize(
    "raw, single, multi",
    [
        ("นายสมชาย ใจดี", "นายสมชาย ใจดี", "นายสมชาย ใจดี"),
        ("  ก\tข  ", "ก ข", "ก ข"),
        ("ก\r\nข\rค\u2028ง\u2029จ\nฉ", "ก ข ค ง จ ฉ", "ก\nข\nค\nง\nจ\nฉ"),
        ("\ufeffนาย\u200bสม\u200bชาย", "นายสมชาย", "นายสมชาย"),
        ("a\u202eabc\u202cz", "aabcz", "aabcz"),  # an override would show "acbaz" in the PDF
        ("\u2066ชื่อ\u2069 \u200eก\u200f\u061c", "ชื่อ ก", "ชื่อ ก"),
        ("soft\u00adhyphen\u2060joiner\u034f", "softhyphenjoiner", "softhyphenjoiner"),
        ("\u200c", "", ""),  # a joiner that joins nothing is nothing
        ("\u200dก\n \u200cข", "ก  ข", "ก\n ข"),
        (
            "ก\u200cข \U0001f468\u200d\U0001f469 \u2764\ufe0f",
            "ก\u200cข \U0001f468\u200d\U0001f469 \u2764\ufe0f",
            "ก\u200cข \U0001f468\u200d\U0001f469 \u2764\ufe0f",
        ),
        ("\u0e31\u0e34 ก\u0e48\u0e38 น้ำ", "\u0e31\u0e34 ก\u0e48\u0e38 น้ำ", "\u0e31\u0e34 ก\u0e48\u0e38 น้ำ"),
        ("<b>{{ x }}{%p if %}{_{</b>&amp;", "<b>{{ x }}{%p if %}{_{</b>&amp;", "<b>{{ x }}{%p if %}{_{</b>&amp;"),
        ("\U0001f600\ue000\u0378\ufffd", "\U0001f600\ue000\u0378\ufffd", "\U0001f600\ue000\u0378\ufffd"),
    ],
)
def test_clean(raw, single, multi):
    assert text.normalise(raw) == single
    assert text.normalise(raw, multiline=True) == multi


@pytest.mark.parametrize(
    "char",
    [
        "\x00",
        "\x01",
        "\x07",
        "\x0b",
        "\x0c",
        "\x1b",
        "\x1f",
        "\x7f",
        "\x85",
        "\x9f",
        "\ufffe",
        "\uffff",
        "\ufdd0",
        "\U0001ffff",
        "\U0010fffe",
    ],
)
def test_control_characters_and_noncharacters_are_refused(char):
    with pytest.raises(text.ForbiddenCharacter) as info:
        text.normalise(f"ก{char}ข")
    assert info.value.code == f"U+{ord(char):04X}"
    assert info.value.message_th == f"มีอักขระที่ใช้ไม่ได้ (U+{ord(char):04X}) กรุณาลบออกแล้วบันทึกอีกครั้ง"


@pytest.mark.parametrize(
    "page, field, extra, user",
    [
        ("/laos/1/villages", "name", {"number": "9"}, "clerk"),
        ("/laos/1/villages/1", "name", {"number": "1"}, "clerk"),
        ("/admin/settings", "dimensions", {"year_be": f"{YEAR}", "start_month": "1", "end_month": "9"}, "admin"),
    ],
)
def test_blank_looking_control_characters_get_the_message_too(client, db, page, field, extra, user):
    """U+001C–U+001F count as whitespace to Python, so Optional() and DataRequired()
    used to replace the message with "please fill in" (or let the text through)."""
    login(client, user)
    response = client.post(page, data={field: "\x1f", **extra})
    assert response.status_code == 400
    assert REFUSED.format("U+001F") in response.get_data(as_text=True)


def test_every_field_of_a_plan_row_shows_its_error(client, db):
    login(client, "clerk")
    response = client.post(
        "/laos/1/operation-plan",
        data={
            "activities-0-activity": "ประชุม",
            "activities-0-responsible": "ปลัด\x00",
            "activities-0-start_month": f"{CE}-01",
            "activities-0-end_month": f"{CE}-13",
            "activities-0-status": "planned",
        },
    )
    html = response.get_data(as_text=True)
    assert response.status_code == 400 and REFUSED.format("U+0000") in html
    assert "ตัวเลือกไม่ถูกต้อง" in html  # the month's own error, shown under it too


def test_a_report_review_shows_all_its_errors_at_once(client, db):
    login(client, "district")
    response = client.post("/laos/1/reports/1/review", data={"comment": "ส่งกลับ\x00"})
    html = response.get_data(as_text=True)
    assert response.status_code == 400 and REFUSED.format("U+0000") in html
    assert "กรุณาเลือกรับทราบรายงานหรือส่งกลับให้แก้ไข" in html


def test_a_refused_certificate_signer_is_named_after_the_redirect(client, db):
    login(client, "national")
    before = db["issued_document"].count
    response = client.post("/laos/1/certificate", data={"signer_name": "นาย\x08ก", "signer_position": "ผู้ว่า"})
    assert response.status_code == 302 and db["issued_document"].count == before
    assert REFUSED.format("U+0008") in client.get(response.location).get_data(as_text=True)


def test_invisible_characters_are_gone_before_anything_is_stored(client, db):
    login(client, "clerk")
    response = client.post("/laos/1/villages/1", data={"number": "1", "name": "\u2067บ้าน\u200bหนอง\ufeffบัว\u2069 "})
    assert response.status_code == 302
    assert lao_store.get_village(db, 1, 1)["name"] == "บ้านหนองบัว"


def test_imports_follow_the_same_policy(db):
    header = "ลำดับความสำคัญ,ชื่อโครงการ,มิติการพัฒนา,หมู่ที่,อยู่ในอำนาจหน้าที่,บรรจุในแผนพัฒนาท้องถิ่น,บรรจุในร่างข้อบัญญัติ\n"
    dim = dimensions(db)[0]
    bad = imports.parse(db, 1, (header + f"1,ถนน\x01สาย,{dim},1,ใช่,ใช่,ไม่ใช่\n").encode(), "p.csv")
    assert bad.errors == ["p.csv แถวที่ 2 คอลัมน์ ชื่อโครงการ: มีอักขระที่ใช้ไม่ได้ (U+0001) กรุณาลบออกแล้วบันทึกอีกครั้ง"]
    good = imports.parse(db, 1, (header + f"1,\u200bถนน\u202eสาย\t ใหม่,{dim},1,ใช่,ใช่,ไม่ใช่\n").encode(), "p.csv")
    assert good.ok and good.rows[0]["name"] == "ถนนสาย  ใหม่"


def test_docxtpl_markers_in_data_come_out_literally(db):
    """docxtpl turns {_{ }_} {_% %_} anywhere in the rendered XML into {{ }} {% %}; a
    clerk's text holding them must come out as typed."""
    lao_id = fresh_lao(db)
    name = "นาย{_{ ก }_} {_% ข %_} _}{_ {__}"
    fill_group(db, lao_id, names={0: name})
    ctx = order_context(db, lao_id)
    assert any(name in b for b in docx_blocks(engine.render_docx("order", ctx)))
    assert flat(name) in flat(pdf_text(engine.render_pdf("order", ctx), "-raw"))


@pytest.mark.parametrize("target", ["/\r\nX-Injected: 1", "/\n", "/a\x00b", "/\\evil.example", "/\x7f"])
def test_a_line_break_in_next_is_not_a_500(client, target):
    response = client.post("/language", data={"locale": "th", "next": target})
    assert response.status_code == 302 and response.location == "/"
    response = client.post("/login", data={"username": "clerk", "password": "formsvc-demo", "next": target})
    assert response.status_code == 302 and response.location == "/"
    assert "X-Injected" not in response.headers


def test_the_group_form_stores_what_the_policy_gives(client, db):
    login(client, "clerk")
    year = get_programme(db).year_be
    group = wg_store.get_group(db, 1, year)
    data = {
        "version": str(group["version"]),
        "reason": group["reason"] + "\r\n\u200b",
        "duties": "\r\n".join(group["duties"]),
        "signer_name": "\u202eนาย ก\t",
        "signer_position": "นายก",
    }
    for i, m in enumerate(group["members"]):
        data.update({f"members-{i}-{k}": m[k] for k in ("name", "position", "group_role", "category")})
    assert client.post("/laos/1/working-group", data=data).status_code == 302
    saved = wg_store.get_group(db, 1, year)
    assert saved["signer_name"] == "นาย ก" and saved["reason"] == group["reason"].strip()
    assert saved["duties"] == group["duties"]
