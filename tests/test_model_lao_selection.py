"""The selection of a model LAO is on record (guideline §3.1, §4.2(3)): who of the district
local-administration office (ท้องถิ่นอำเภอ) and of the district community-development
office (พัฒนาการอำเภอ) agreed, when, the LAO's readiness and its consent (the date, the
consent letter's number and date). Demo: district 3701 (the district user's) chose LAO 1,
on record; district 3704's choice was made before selections were recorded."""

from __future__ import annotations

import datetime as dt
import html as html_lib

import pytest

from formsvc.domain import clock, thai
from formsvc.store import laos as lao_store
from tests.conftest import YEAR, arabic, login

DISTRICT = "3701"
PAGE = f"/districts/{DISTRICT}"
POST = f"/districts/{DISTRICT}/model-lao"


def selection_form(**changes) -> dict:
    """The selection's record as the page's form sends it (dates of today and before)."""
    today = clock.today()
    return {
        "local_officer_name": "นายท้องถิ่น เห็นชอบ",
        "local_officer_position": "ท้องถิ่นอำเภอเมืองอำนาจเจริญ",
        "community_officer_name": "นางพัฒนา เห็นด้วย",
        "community_officer_position": "พัฒนาการอำเภอเมืองอำนาจเจริญ",
        "agreed_on": thai.date_input(today - dt.timedelta(days=3)),
        "readiness_notes": "นายกพร้อมสนับสนุน\nมีสภาองค์กรชุมชนตำบล",
        "consent_on": thai.date_input(today - dt.timedelta(days=1)),
        "consent_letter_number": "อจ 71234/0456",
        "consent_letter_date": thai.date_input(today - dt.timedelta(days=2)),
        **changes,
    }


def version(db, district=DISTRICT) -> str:
    return str(lao_store.model_lao(db, district, YEAR)["version"])


def text(response) -> str:
    return arabic(html_lib.unescape(response.get_data(as_text=True)))


def changes(db, district=DISTRICT) -> list[dict]:
    return [
        dict(r)
        for r in db.execute(
            "SELECT * FROM model_lao_change WHERE district_code = ? AND programme_year = ? ORDER BY id",
            [district, YEAR],
        )
    ]


def state(db) -> list:
    """Everything a selection writes."""
    return [
        [tuple(r) for r in db.execute(f"SELECT * FROM {table} ORDER BY 1, 2")]
        for table in ("model_lao", "model_lao_change", "model_lao_term", "record_version")
    ]


def test_choosing_another_lao_records_both_offices_readiness_and_consent(client, db):
    login(client, "district")
    response = client.post(POST, data={"lao_id": "2", "version": version(db), **selection_form()})
    assert response.status_code == 302
    change = changes(db)[-1]
    today = clock.today()
    assert (change["lao_id"], change["previous_lao_id"]) == (2, 1)
    assert change["local_officer_name"] == "นายท้องถิ่น เห็นชอบ"
    assert change["local_officer_position"] == "ท้องถิ่นอำเภอเมืองอำนาจเจริญ"
    assert change["community_officer_name"] == "นางพัฒนา เห็นด้วย"
    assert change["community_officer_position"] == "พัฒนาการอำเภอเมืองอำนาจเจริญ"
    assert change["agreed_on"] == (today - dt.timedelta(days=3)).isoformat()
    assert change["readiness_notes"] == "นายกพร้อมสนับสนุน\nมีสภาองค์กรชุมชนตำบล"
    assert change["consent_on"] == (today - dt.timedelta(days=1)).isoformat()
    assert (change["consent_letter_number"], change["consent_letter_date"]) == (
        "อจ 71234/0456",
        (today - dt.timedelta(days=2)).isoformat(),
    )

    # the district page shows how the model LAO was chosen, and its history lists it
    page = text(client.get(PAGE))
    consent = thai.date_long(today - dt.timedelta(days=1), "arabic")
    current, history = page.split("ประวัติการเปลี่ยนแปลง", 1)
    for shown in (current, history):
        assert "นายท้องถิ่น เห็นชอบ (ท้องถิ่นอำเภอเมืองอำนาจเจริญ)" in shown
        assert "นางพัฒนา เห็นด้วย (พัฒนาการอำเภอเมืองอำนาจเจริญ)" in shown
        assert consent in shown and "นายกพร้อมสนับสนุน" in shown
        assert f"เลขที่ อจ 71234/0456 ลงวันที่ {thai.date_long(today - dt.timedelta(days=2), 'arabic')}" in shown
    # the demo's own selection of LAO 1 is in the history with its record too
    assert "นายสมชาย ใจดี" in history

    # the LAO's page says how it was selected
    lao_page = text(client.get("/laos/2"))
    assert "การคัดเลือกเป็น อปท.ต้นแบบ" in lao_page
    assert "นายท้องถิ่น เห็นชอบ (ท้องถิ่นอำเภอเมืองอำนาจเจริญ)" in lao_page and consent in lao_page
    # ... and the LAO it replaced no longer shows a selection
    assert "นายท้องถิ่น เห็นชอบ" not in text(client.get("/laos/1"))


@pytest.mark.parametrize(
    ("field", "value", "message"),
    [
        ("local_officer_name", "", "กรุณากรอกช่องนี้"),
        ("local_officer_position", "  ", "กรุณากรอกช่องนี้"),
        ("community_officer_name", "", "กรุณากรอกช่องนี้"),
        ("community_officer_position", "", "กรุณากรอกช่องนี้"),
        ("consent_on", "", "กรุณากรอกช่องนี้"),
        ("consent_on", "31/02/2569", "ไม่มีวันที่นี้ในปฏิทิน"),
        ("consent_letter_date", "เมื่อวาน", "วัน/เดือน/ปี พ.ศ."),
        ("agreed_on", "tomorrow", "วัน/เดือน/ปี พ.ศ."),
        ("readiness_notes", "ก" * 4001, "ไม่เกิน 4000 ตัวอักษร"),
        ("readiness_notes", "\n".join(["ก"] * 51), "ความพร้อมของ อปท.มี 51 บรรทัด"),
    ],
)
def test_a_refused_selection_changes_nothing_and_keeps_what_was_typed(client, db, field, value, message):
    login(client, "district")
    before = state(db)
    typed = selection_form(**{field: value})
    response = client.post(POST, data={"lao_id": "2", "version": version(db), **typed})
    assert response.status_code == 400
    page = text(response)
    assert message in page and "ระบบยังไม่ได้บันทึกข้อมูล" in page
    assert state(db) == before
    for name, entered in typed.items():  # everything typed is on the form again
        if name == "readiness_notes":
            assert f">\n{entered}</textarea>" in page.replace("\r\n", "\n")
        elif name != field or entered.strip():
            assert f'value="{entered}"' in page, name


def test_a_date_after_today_is_refused_by_the_store_too(db):
    tomorrow = clock.today() + dt.timedelta(days=1)
    before = state(db)
    record = lao_store.SelectionRecord("ก ข", "ท้องถิ่นอำเภอ", "ค ง", "พัฒนาการอำเภอ", consent_on=tomorrow)
    with pytest.raises(lao_store.InputError, match="วันที่ อปท. ยินยอม"):
        lao_store.select_model_lao(db, DISTRICT, YEAR, 2, None, record=record)
    record.consent_on, record.local_officer_name = clock.today(), " "
    with pytest.raises(lao_store.InputError, match="ชื่อท้องถิ่นอำเภอ"):
        lao_store.select_model_lao(db, DISTRICT, YEAR, 2, None, record=record)
    assert state(db) == before


def test_a_selection_made_before_it_was_recorded_stays_and_can_be_recorded(client, db):
    district, lao_id = "3704", lao_store.model_lao(db, "3704", YEAR)["lao_id"]
    assert changes(db, district)[-1]["consent_on"] is None
    login(client, "admin")  # may choose for any district
    not_recorded = "การคัดเลือก (ความเห็นชอบของท้องถิ่นอำเภอและพัฒนาการอำเภอ ความพร้อม และความยินยอมของ อปท.): ไม่ได้บันทึกไว้"
    page = text(client.get(f"/districts/{district}"))
    current, history = page.split("ประวัติการเปลี่ยนแปลง")
    assert not_recorded in current and not_recorded in history
    assert "ท้องถิ่นอำเภอที่เห็นชอบ</dt>" not in page  # no empty record
    lao_page = text(client.get(f"/laos/{lao_id}"))
    assert not_recorded in lao_page and "ท้องถิ่นอำเภอที่เห็นชอบ</dt>" not in lao_page
    terms = [tuple(r) for r in db.execute("SELECT * FROM model_lao_term WHERE district_code = ?", [district])]

    # the same LAO again with its record: recorded, the LAO still serves the same term
    data = {"lao_id": str(lao_id), "version": version(db, district), **selection_form()}
    response = client.post(f"/districts/{district}/model-lao", data=data)
    assert response.status_code == 302
    assert "บันทึกการคัดเลือก อปท.ต้นแบบ แล้ว" in text(client.get(response.location))
    assert [tuple(r) for r in db.execute("SELECT * FROM model_lao_term WHERE district_code = ?", [district])] == terms
    recorded = changes(db, district)[-1]
    assert (recorded["lao_id"], recorded["previous_lao_id"], recorded["from_period"]) == (lao_id, lao_id, None)
    page = text(client.get(f"/districts/{district}"))
    assert "ไม่ได้บันทึกไว้" not in page.split("ประวัติการเปลี่ยนแปลง")[0]
    assert "นายท้องถิ่น เห็นชอบ" in page.split("ประวัติการเปลี่ยนแปลง")[1]
    assert "บันทึกการคัดเลือก" in page.split("ประวัติการเปลี่ยนแปลง")[1]
    assert "แทน " not in page.split("ประวัติการเปลี่ยนแปลง")[1]  # it replaced nothing
    assert "นายท้องถิ่น เห็นชอบ" in text(client.get(f"/laos/{lao_id}"))

    # the same record once more writes nothing
    before = state(db)
    data["version"] = version(db, district)
    assert client.post(f"/districts/{district}/model-lao", data=data).status_code == 302
    assert state(db) == before


def test_the_page_shows_the_record_it_was_saved_with_in_the_form(client, db):
    login(client, "district")
    page = text(client.get(PAGE))
    # the demo's record fills the form, so that a correction is a matter of one field
    assert 'value="นายสมชาย ใจดี"' in page and 'value="พัฒนาการอำเภอเมืองอำนาจเจริญ"' in page
    assert f'value="15/12/{YEAR - 1}"' in page


def test_the_public_page_names_no_officer(client, db):
    for path in ("/public", "/public/rollup.json"):
        body = client.get(path).get_data(as_text=True)
        assert "นายสมชาย" not in body and "ร่วมใจ" not in body and "ยินยอม" not in body


def test_the_record_and_its_form_are_english_in_the_english_ui(make_app, db):
    from tests.test_english_ui import thai_outside_user_data, user_data

    client = make_app(WTF_CSRF_ENABLED=False, EXPORT_RUNNER=False).test_client()
    login(client, "admin")
    client.post("/language", data={"locale": "en"})
    not_recorded = lao_store.model_lao(db, "3704", YEAR)["lao_id"]
    pages = {url: client.get(url).get_data(as_text=True) for url in (PAGE, "/districts/3704", "/laos/1")}
    pages[f"/laos/{not_recorded}"] = client.get(f"/laos/{not_recorded}").get_data(as_text=True)
    stored = user_data(db)
    assert {url: thai_outside_user_data(html, stored) for url, html in pages.items()} == dict.fromkeys(pages, [])
    assert "Agreed by the district local-administration office" in pages[PAGE]
    assert "consent (day/month/BE year)" in html_lib.unescape(pages[PAGE])
    assert "How this LAO was selected as the model LAO" in pages["/laos/1"]
    assert "not recorded." in pages["/districts/3704"] and "not recorded." in pages[f"/laos/{not_recorded}"]
