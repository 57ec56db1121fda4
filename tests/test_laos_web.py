"""LAOs, villages, model-LAO selection, users and settings through the web forms."""

import pytest

from tests.conftest import YEAR, arabic, ids, login
from tests.test_model_lao_selection import selection_form

LONG = "ก" * 121


def lao_form(**overrides):
    data = {
        "name": "นาหว้า",
        "kind": "tao",
        "district_code": "3701",
        "subdistrict_codes": [],
        "chief_title": "",
        "has_kamnan": "y",
        "has_coc": "y",
        "digit_style": "thai",
    }
    data.update(overrides)
    return data


def test_district_user_creates_an_lao_with_derived_names(client, db):
    login(client, "district")
    response = client.post("/laos/new", data=lao_form(subdistrict_codes=["370101"]))
    assert response.status_code == 302
    row = db.execute("SELECT * FROM lao WHERE name = 'นาหว้า'").fetchone()
    assert row["chief_title"] == "นายกองค์การบริหารส่วนตำบลนาหว้า"
    page = client.get(response.location).get_data(as_text=True)
    assert "องค์การบริหารส่วนตำบลนาหว้า" in page


@pytest.mark.parametrize(
    "overrides, message",
    [
        ({"name": ""}, "กรุณากรอก"),
        ({"name": LONG}, "ตัวอักษร"),
        ({"name": "บุ่ง"}, "มี อปท. ชื่อนี้ในอำเภอนี้แล้ว"),
        ({"subdistrict_codes": ["370201"]}, "ตำบล"),
    ],
)
def test_bad_lao_input_gets_thai_message_keeps_input_changes_nothing(client, db, overrides, message):
    login(client, "district")
    before = ids(db, "SELECT id FROM lao")
    response = client.post("/laos/new", data=lao_form(chief_title="นายก ทดสอบ", **overrides))
    html = response.get_data(as_text=True)
    assert response.status_code == 400
    assert message in html
    assert "นายก ทดสอบ" in html  # what was typed is still there
    assert ids(db, "SELECT id FROM lao") == before


def test_unknown_district_code_is_refused_without_a_500(client, db):
    login(client, "admin")
    before = db["lao"].count
    response = client.post("/laos/new", data=lao_form(district_code="9999"))
    assert response.status_code == 400
    assert db["lao"].count == before


def test_district_user_cannot_create_in_another_district(client, db):
    login(client, "district")
    before = db["lao"].count
    response = client.post("/laos/new", data=lao_form(district_code="3702"))
    assert response.status_code in (400, 403)
    assert db["lao"].count == before


def version_of(db, table: str, where: str = "id = 1", params=()) -> str:
    """The version a form of this row would carry."""
    return str(db.execute(f"SELECT version FROM {table} WHERE {where}", params).fetchone()[0])


def test_clerk_edits_own_lao_but_cannot_move_it(client, db):
    login(client, "clerk")
    response = client.post(
        "/laos/1/edit", data=lao_form(name="บุ่ง", district_code="3701", has_kamnan="", version=version_of(db, "lao"))
    )
    assert response.status_code == 302
    assert db.execute("SELECT has_kamnan FROM lao WHERE id = 1").fetchone()[0] == 0
    response = client.post(
        "/laos/1/edit", data=lao_form(name="บุ่ง", district_code="3702", version=version_of(db, "lao"))
    )
    assert response.status_code == 400
    assert db.execute("SELECT district_code FROM lao WHERE id = 1").fetchone()[0] == "3701"


def test_villages_add_edit_remove(client, db):
    login(client, "clerk")
    assert client.post("/laos/1/villages", data={"number": "9", "name": "บ้านโนนงาม"}).status_code == 302
    vid = db.execute("SELECT id FROM village WHERE lao_id = 1 AND number = 9").fetchone()[0]
    page = arabic(client.get("/laos/1/villages").get_data(as_text=True))
    assert "หมู่ที่ 9 บ้านโนนงาม" in page
    response = client.post("/laos/1/villages", data={"number": "9", "name": "บ้านซ้ำ"})
    assert response.status_code == 400 and "มีหมู่ที่หรือชื่อนี้" in arabic(response.get_data(as_text=True))
    response = client.post("/laos/1/villages", data={"number": "", "name": "บ้านไม่มีเลข"})
    assert response.status_code == 400 and "หมู่ที่" in arabic(response.get_data(as_text=True))
    assert (
        client.post(
            f"/laos/1/villages/{vid}",
            data={"number": "10", "name": "บ้านโนนงาม", "version": version_of(db, "village", "id = ?", [vid])},
        ).status_code
        == 302
    )
    assert db.execute("SELECT number FROM village WHERE id = ?", [vid]).fetchone()[0] == 10
    assert client.post(f"/laos/1/villages/{vid}/delete").status_code == 302
    assert db.execute("SELECT count(*) FROM village WHERE id = ?", [vid]).fetchone()[0] == 0


def test_communities_of_a_municipality_have_no_number(client, db):
    login(client, "clerk2")  # เทศบาลตำบล (LAO 3)
    assert client.post("/laos/3/villages", data={"name": "ชุมชนหนองหิน"}).status_code == 302
    row = db.execute("SELECT kind, number FROM village WHERE name = 'ชุมชนหนองหิน'").fetchone()
    assert tuple(row) == ("community", None)


def test_model_lao_change_is_recorded_with_who_and_when(client, db):
    login(client, "district")
    response = client.post(
        "/districts/3701/model-lao",
        data={"lao_id": "2", "version": version_of(db, "model_lao", "district_code = '3701'"), **selection_form()},
    )
    assert response.status_code == 302
    year = db.execute("SELECT year_be FROM programme").fetchone()[0]
    current = db.execute(
        "SELECT lao_id FROM model_lao WHERE district_code = '3701' AND programme_year = ?", [year]
    ).fetchone()[0]
    assert current == 2
    change = db.execute("SELECT * FROM model_lao_change WHERE district_code = '3701' ORDER BY id DESC").fetchone()
    assert change["previous_lao_id"] == 1 and change["lao_id"] == 2
    district_user = db.execute("SELECT id FROM user WHERE username = 'district'").fetchone()[0]
    assert change["changed_by"] == district_user and change["changed_at"]
    # one per district: still one row
    assert db.execute("SELECT count(*) FROM model_lao WHERE district_code = '3701'").fetchone()[0] == 1
    page = client.get("/districts/3701").get_data(as_text=True)
    assert "ประวัติการเปลี่ยนแปลง" in page


def test_model_lao_must_be_in_the_district(client, db):
    login(client, "district")
    response = client.post("/districts/3701/model-lao", data={"lao_id": "3", **selection_form()})
    assert response.status_code == 400
    assert db.execute("SELECT lao_id FROM model_lao WHERE district_code = '3701'").fetchone()[0] == 1


def test_admin_creates_users_and_duplicates_are_refused(client, db):
    login(client, "admin")
    data = {
        "username": "somsri",
        "display_name": "สมศรี",
        "role": "district",
        "district_code": "3702",
        "lao_id": "0",
        "province_code": "",
        "password": "long-enough-1",
    }
    assert client.post("/admin/users", data=data).status_code == 302
    before = db["user"].count
    response = client.post("/admin/users", data={**data, "username": "SomSri"})
    html = response.get_data(as_text=True)
    assert response.status_code == 400 and "ชื่อผู้ใช้นี้มีอยู่แล้ว" in html and "สมศรี" in html
    response = client.post("/admin/users", data={**data, "username": "newone", "district_code": ""})
    assert response.status_code == 400 and "ไม่พบรหัสอำเภอ" in response.get_data(as_text=True)
    assert db["user"].count == before
    other = client.__class__(client.application)
    assert login(other, "somsri", "long-enough-1").location == "/"
    assert other.get("/districts/3702").status_code == 200
    assert other.get("/districts/3701").status_code == 404


def test_admin_edits_programme_settings(client, db):
    login(client, "admin")
    version = version_of(db, "programme", "year_be = ?", [YEAR])
    response = client.post(
        "/admin/settings",
        data={
            "year_be": f"{YEAR}",
            "start_month": "1",
            "end_month": "9",
            "late_days": "20",
            "dimensions": "เศรษฐกิจ\nสังคม\n\nสุขภาพ\n",
            "version": version,
        },
    )
    assert response.status_code == 302
    assert [tuple(r) for r in db.execute("SELECT year_be, late_days FROM programme")] == [(YEAR, 20)]
    assert [
        r[0] for r in db.execute("SELECT name FROM dimension WHERE programme_year = ? ORDER BY position", [YEAR])
    ] == ["เศรษฐกิจ", "สังคม", "สุขภาพ"]
    response = client.post(
        "/admin/settings",
        data={
            "year_be": f"{YEAR}",
            "start_month": "9",
            "end_month": "1",
            "late_days": "20",
            "dimensions": "เศรษฐกิจ\nเศรษฐกิจ",
        },
    )
    assert response.status_code == 400
    assert db.execute("SELECT start_month FROM programme").fetchone()[0] == 1


def test_home_pages_by_role(client):
    expected = {
        "clerk": "/laos/1",
        "district": "/districts/3701",
        "facilitator": "/laos",
        "province": "/provinces/37",
        "national": "/national",
        "admin": "/admin",
    }
    for username, path in expected.items():
        other = client.__class__(client.application)
        login(other, username)
        response = other.get("/")
        assert response.location == path, username
        assert other.get(path).status_code == 200


def test_pages_show_be_dates_and_real_thai_data(client):
    login(client, "district")
    client.post("/districts/3701/model-lao", data={"lao_id": "2", "version": "1", **selection_form()})
    page = client.get("/districts/3701").get_data(as_text=True)
    assert "อำเภอเมืองอำนาจเจริญ" in page
    assert str(YEAR) in page


def test_the_checklist_points_to_the_next_step(client, db):
    login(client, "clerk2")  # LAO 3: criterion 1 not met (no ประธาน ศอช.ต.)
    html = arabic(client.get("/laos/3").get_data(as_text=True))
    assert "ขั้นต่อไป" in html and "เกณฑ์ข้อ 1 ยังไม่ผ่าน" in html
    assert 'class="button primary" href="/laos/3/working-group"' in html
    client.post("/logout")
    login(client, "clerk")  # LAO 1 meets all five
    html = arabic(client.get("/laos/1").get_data(as_text=True))
    assert "ผ่านเกณฑ์ครบทั้ง 5 ข้อแล้ว" in html and 'class="button primary" href="/laos/1/reports"' in html
