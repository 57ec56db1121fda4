"""The year (BE) of the จปฐ. and กชช. ๒ค data a forum used: recorded, checked, shown on
the forum's page and in its minutes (PDF and DOCX); forums saved before keep their yes."""

from __future__ import annotations

import pytest

from formsvc.documents import engine
from formsvc.domain import thai
from formsvc.store import forums as forum_store
from tests.conftest import YEAR, login
from tests.docs import docx_blocks, flat, pdf_text, without_page_numbers
from tests.test_forums import form_data, minutes

TH = thai.to_thai_digits


def test_a_forum_records_the_years_of_its_data(client, db):
    login(client, "clerk")
    response = client.post("/laos/1/forums/new?level=village", data=form_data(db, bmn_year=TH(str(YEAR - 1))))
    assert response.status_code == 302, response.get_data(as_text=True)[:2000]
    forum_id = int(response.location.rsplit("/", 1)[1])
    row = db.execute("SELECT bmn_year, village_data_year FROM forum WHERE id = ?", [forum_id]).fetchone()
    assert tuple(row) == (YEAR - 1, YEAR - 2)
    page = client.get(response.location).get_data(as_text=True)
    assert f'name="bmn_year" type="text" value="{YEAR - 1}"' in page
    assert f'name="village_data_year" type="text" value="{YEAR - 2}"' in page
    assert "ปีข้อมูล จปฐ. (พ.ศ.)" in page


@pytest.mark.parametrize(
    "changes, message",
    [
        ({"bmn_year": ""}, "กรุณากรอกปี พ.ศ. ของข้อมูล จปฐ. ที่เวทีใช้"),
        ({"village_data_year": ""}, "กรุณากรอกปี พ.ศ. ของข้อมูล กชช. ๒ค ที่เวทีใช้"),
        ({"used_bmn": ""}, "กรอกปีของข้อมูล จปฐ. ไว้ แต่ไม่ได้ทำเครื่องหมายว่าใช้ข้อมูลนี้"),
        ({"bmn_year": str(YEAR - 543 - 1)}, f"{YEAR - 543 - 1} เป็นปีคริสต์ศักราช"),
        ({"bmn_year": str(YEAR - 6)}, f"ต้องอยู่ระหว่าง พ.ศ. {YEAR - 5} ถึง {YEAR}"),
        ({"village_data_year": str(YEAR + 1)}, f"ต้องอยู่ระหว่าง พ.ศ. {YEAR - 5} ถึง {YEAR}"),
        ({"bmn_year": "ปีที่แล้ว"}, "เป็นตัวเลขปีพุทธศักราช"),
    ],
)
def test_a_bad_data_year_gets_a_thai_refusal_keeps_typing_and_saves_nothing(client, db, changes, message):
    login(client, "clerk")
    before = db["forum"].count
    data = form_data(db, **changes)
    if data.get("used_bmn") == "":
        del data["used_bmn"]
    response = client.post("/laos/1/forums/new?level=village", data=data)
    assert response.status_code == 400
    html = thai.to_arabic_digits(response.get_data(as_text=True))
    assert thai.to_arabic_digits(message) in html, html[html.find('class="errors"') :][:1500]
    assert db["forum"].count == before
    for key in ("bmn_year", "village_data_year"):
        if data.get(key):
            assert f'value="{thai.to_arabic_digits(data[key])}"' in html  # what was typed stays


def test_the_minutes_name_the_years_in_the_pdf_and_the_docx(client, db):
    login(client, "clerk")
    response = client.post("/laos/1/forums/new?level=village", data=form_data(db))
    forum_id = int(response.location.rsplit("/", 1)[1])
    ctx = minutes(db, forum_id)
    pdf = flat(pdf_text(engine.render_pdf("minutes", ctx), "-raw"))
    expected = f"ข้อมูลที่ใช้ประกอบการประชุม ข้อมูล จปฐ. ปี {TH(str(YEAR - 1))} และ ข้อมูล กชช. ๒ค ปี {TH(str(YEAR - 2))}"
    assert flat(expected) in pdf
    docx = flat("".join(docx_blocks(engine.render_docx("minutes", ctx))))
    assert flat(expected) in docx
    assert docx == flat(without_page_numbers(pdf_text(engine.render_pdf("minutes", ctx), "-raw")))
    # through the download too
    download = client.get(f"/laos/1/documents/minutes.pdf?forum={forum_id}")
    assert download.status_code == 200 and flat(expected) in flat(pdf_text(download.data, "-raw"))


def test_a_forum_saved_before_years_keeps_its_yes_and_can_be_saved_again(client, db):
    db.execute("UPDATE forum SET bmn_year = NULL, village_data_year = NULL WHERE id = 1")
    db.conn.commit()
    forum = forum_store.get_forum(db, 1, 1)
    assert forum["used_bmn"] and forum["used_village_data"]
    text = flat(pdf_text(engine.render_pdf("minutes", minutes(db, 1)), "-raw"))
    assert flat("ข้อมูลที่ใช้ประกอบการประชุม ข้อมูล จปฐ. และ ข้อมูล กชช. ๒ค") in text
    assert flat("ข้อมูล จปฐ. ปี") not in text
    login(client, "clerk")
    page = client.get("/laos/1/forums/1").get_data(as_text=True)
    assert "บันทึกไว้ก่อนที่ระบบจะเก็บปีของข้อมูล" in page
    data = form_data(db, bmn_year="", village_data_year="", version=str(forum["version"]), place="ศาลาใหม่")
    data["village_id"] = str(forum["village_id"])
    response = client.post("/laos/1/forums/1", data=data)
    assert response.status_code == 302, thai.to_arabic_digits(response.get_data(as_text=True))[:3000]
    saved = forum_store.get_forum(db, 1, 1)
    assert saved["place"] == "ศาลาใหม่" and saved["used_bmn"] and saved["bmn_year"] is None
    # once a year is entered, it is asked for again like any forum's
    data = form_data(db, version=str(saved["version"]), village_data_year="")
    data["village_id"] = str(forum["village_id"])
    assert client.post("/laos/1/forums/1", data=data).status_code == 302
    data = form_data(db, version=str(saved["version"] + 1), bmn_year="", village_data_year="")
    data["village_id"] = str(forum["village_id"])
    response = client.post("/laos/1/forums/1", data=data)
    assert response.status_code == 400 and "กรุณากรอกปี พ.ศ. ของข้อมูล จปฐ." in response.get_data(as_text=True)
