"""A tambon municipality's villages (หมู่ที่ n) and communities (ชุมชน), each row with its
kind: recorded on the page, named in documents, read by criterion 2, migrated."""

from __future__ import annotations

import datetime as _dt

from formsvc import services
from formsvc.documents import context as doc_context
from formsvc.documents import engine
from formsvc.domain.forums import ORGANISERS
from formsvc.store import forums as forum_store
from formsvc.store import laos as lao_store
from formsvc.store import projects as project_store
from formsvc.store.programme import dimensions
from tests.conftest import CE, YEAR, arabic, login
from tests.docs import docx_blocks, flat, pdf_text

MUNICIPALITY = 3  # the demo's เทศบาลตำบล, kept by clerk2; LAO 1 is an อบต. (clerk)


def rows(db, lao_id: int) -> dict:
    return {
        name: (kind, number)
        for kind, number, name in db.execute("SELECT kind, number, name FROM village WHERE lao_id = ?", [lao_id])
    }


def test_a_municipality_records_a_village_with_its_number_beside_its_communities(client, db):
    login(client, "clerk2")
    page = client.get(f"/laos/{MUNICIPALITY}/villages").get_data(as_text=True)
    assert 'name="kind"' in page and 'name="number"' in page  # the choice and the number are offered
    response = client.post(
        f"/laos/{MUNICIPALITY}/villages", data={"kind": "village", "number": "7", "name": "บ้านหนองหิน"}
    )
    assert response.status_code == 302, response.get_data(as_text=True)[:2000]
    assert (
        client.post(f"/laos/{MUNICIPALITY}/villages", data={"kind": "community", "name": "ชุมชนใหม่"}).status_code == 302
    )
    # a form (or a client) that sends no kind: a number makes it a village, never dropped
    assert client.post(f"/laos/{MUNICIPALITY}/villages", data={"number": "8", "name": "บ้านนาดี"}).status_code == 302
    found = rows(db, MUNICIPALITY)
    assert found["บ้านหนองหิน"] == ("village", 7)
    assert found["ชุมชนใหม่"] == ("community", None)
    assert found["บ้านนาดี"] == ("village", 8)
    page = arabic(client.get(f"/laos/{MUNICIPALITY}/villages").get_data(as_text=True))
    assert "หมู่ที่ 7 บ้านหนองหิน" in page and "หมู่ที่ 8 บ้านนาดี" in page and "ชุมชนใหม่" in page
    assert "ชุมชนบ้านหนองหิน" not in page
    # the LAO's page and the forum form's village list name it as a village too
    assert "หมู่ที่ 7 บ้านหนองหิน" in arabic(client.get(f"/laos/{MUNICIPALITY}").get_data(as_text=True))
    forums_page = arabic(client.get(f"/laos/{MUNICIPALITY}/forums").get_data(as_text=True))
    assert "หมู่ที่ 7 บ้านหนองหิน" in forums_page


def test_a_community_with_a_number_is_refused_keeping_what_was_typed(client, db):
    login(client, "clerk2")
    before = rows(db, MUNICIPALITY)
    response = client.post(
        f"/laos/{MUNICIPALITY}/villages", data={"kind": "community", "number": "7", "name": "บ้านหนองหิน"}
    )
    assert response.status_code == 400
    html = arabic(response.get_data(as_text=True))
    assert "ชุมชนไม่มีหมู่ที่ หากเป็นหมู่ที่ 7 กรุณาเลือก หมู่บ้าน" in html
    assert 'value="7"' in html and 'value="บ้านหนองหิน"' in html
    assert rows(db, MUNICIPALITY) == before


def test_a_tao_has_villages_only(client, db):
    login(client, "clerk")
    before = rows(db, 1)
    response = client.post("/laos/1/villages", data={"kind": "community", "name": "ชุมชนในอบต"})
    assert response.status_code == 400
    assert "องค์การบริหารส่วนตำบลมีหมู่บ้าน (หมู่ที่) เท่านั้น" in response.get_data(as_text=True)
    assert rows(db, 1) == before
    assert 'name="kind"' not in client.get("/laos/1/villages").get_data(as_text=True)


def test_a_community_saved_wrongly_becomes_the_village_it_is(client, db):
    login(client, "clerk2")
    village_id = lao_store.add_village(db, MUNICIPALITY, None, "บ้านหนองหิน")
    assert rows(db, MUNICIPALITY)["บ้านหนองหิน"] == ("community", None)
    response = client.post(
        f"/laos/{MUNICIPALITY}/villages/{village_id}",
        data={"kind": "village", "number": "7", "name": "บ้านหนองหิน", "version": "1"},
    )
    assert response.status_code == 302, response.get_data(as_text=True)[:2000]
    assert rows(db, MUNICIPALITY)["บ้านหนองหิน"] == ("village", 7)
    page = arabic(client.get(f"/laos/{MUNICIPALITY}/villages/{village_id}").get_data(as_text=True))
    assert "หมู่ที่ 7 บ้านหนองหิน" in page


def test_a_municipality_with_communities_cannot_become_a_tao_but_a_tao_can_become_a_municipality(db):
    import pytest

    from formsvc.store.errors import InputError

    def as_input(lao_id, kind):
        lao = lao_store.get_lao(db, lao_id)
        codes = [r[0] for r in db.execute("SELECT subdistrict_code FROM lao_subdistrict WHERE lao_id = ?", [lao_id])]
        return lao_store.LaoInput(
            lao["name"], kind, lao["district_code"], codes, lao["chief_title"], lao["has_kamnan"], lao["has_coc"]
        )

    with pytest.raises(InputError) as refused:
        lao_store.update_lao(db, MUNICIPALITY, as_input(MUNICIPALITY, "tao"))
    assert "ขณะที่ยังมีชุมชนบันทึกอยู่" in str(refused.value)
    assert lao_store.get_lao(db, MUNICIPALITY)["kind"] == "tambon_municipality"
    lao_store.update_lao(db, 2, as_input(2, "tambon_municipality"))  # its villages stay villages
    assert lao_store.get_lao(db, 2)["kind"] == "tambon_municipality"
    assert {kind for kind, _ in rows(db, 2).values()} == {"village"}


def village_forum(db, lao_id: int, village_id: int, used_village_data: bool) -> int:
    return forum_store.create_forum(
        db,
        lao_id,
        forum_store.ForumInput(
            level="village",
            village_id=village_id,
            held_on=_dt.date(CE, 3, 3),
            start_time="09:00",
            end_time="12:00",
            place="ศาลาประชาคม",
            title="เวทีประชาคมหมู่ที่ 7 บ้านหนองหิน ทบทวนแผนชุมชน",
            organisers=["village_committee"],
            used_bmn=True,
            bmn_year=YEAR - 1,
            used_village_data=used_village_data,
            village_data_year=YEAR - 1 if used_village_data else None,
            dimensions=dimensions(db),
            agenda=[{"title": "ทบทวนแผนชุมชน"}],
        ),
        None,
    )


def test_criterion_2_asks_nrd_2c_of_a_municipalitys_villages_not_of_its_communities(db):
    c2, _ = services.criteria_2_and_3(db, MUNICIPALITY)
    covered, total = c2.numerator, c2.denominator
    # the demo's communities are covered by forums that used no กชช. ๒ค data
    assert covered > 0
    assert not db.execute(
        "SELECT count(*) FROM forum WHERE lao_id = ? AND level = 'village' AND used_village_data = 1", [MUNICIPALITY]
    ).fetchone()[0]
    village_id = lao_store.add_village(db, MUNICIPALITY, 7, "บ้านหนองหิน", kind="village")
    c2, _ = services.criteria_2_and_3(db, MUNICIPALITY)
    assert (c2.numerator, c2.denominator) == (covered, total + 1)
    assert any("หมู่ที่ 7 บ้านหนองหิน: ยังไม่มีเวทีประชาคม" in r for r in c2.reasons), c2.reasons
    forum_id = village_forum(db, MUNICIPALITY, village_id, used_village_data=False)
    c2, _ = services.criteria_2_and_3(db, MUNICIPALITY)
    assert (c2.numerator, c2.denominator) == (covered, total + 1)
    assert any("หมู่ที่ 7 บ้านหนองหิน" in r and "ไม่ได้ใช้ข้อมูล กชช. ๒ค" in r for r in c2.reasons), c2.reasons
    forum_store.delete_forum(db, MUNICIPALITY, forum_id)
    village_forum(db, MUNICIPALITY, village_id, used_village_data=True)
    c2, _ = services.criteria_2_and_3(db, MUNICIPALITY)
    assert (c2.numerator, c2.denominator) == (covered + 1, total + 1)
    assert not any("หมู่ที่ 7" in r for r in c2.reasons), c2.reasons


def test_documents_name_a_municipalitys_village_by_its_number(db):
    village_id = lao_store.add_village(db, MUNICIPALITY, 7, "บ้านหนองหิน", kind="village")
    forum_id = village_forum(db, MUNICIPALITY, village_id, used_village_data=True)
    community = next(v for v in lao_store.villages(db, MUNICIPALITY) if v["kind"] == "community")
    for name, vid in (("ถนนหมู่เจ็ด", village_id), ("ลานกีฬาชุมชน", community["id"])):
        project_store.add_project(
            db,
            MUNICIPALITY,
            YEAR,
            {"name": name, "dimension": dimensions(db)[0], "village_id": vid, "within_authority": True},
        )
    listing = flat(pdf_text(services.document(db, MUNICIPALITY, "project-list", "pdf")[0], "-raw"))
    assert flat("หมู่บ้าน/ชุมชน") in listing
    assert flat("ถนนหมู่เจ็ด") in listing and flat("หมู่ที่ ๗") in listing
    assert flat(community["name"]) in listing
    listing_docx = flat("".join(docx_blocks(services.document(db, MUNICIPALITY, "project-list", "docx")[0])))
    assert flat("หมู่ที่ ๗") in listing_docx and flat("หมู่บ้าน/ชุมชน") in listing_docx
    forum = forum_store.get_forum(db, MUNICIPALITY, forum_id)
    lao = lao_store.get_lao(db, MUNICIPALITY)
    minutes = flat(pdf_text(engine.render_pdf("minutes", doc_context.minutes_context(lao, forum, ORGANISERS)), "-raw"))
    assert flat("รายงานการประชุมเวทีประชาคมหมู่ที่ ๗ บ้านหนองหิน") in minutes
    sheet = flat(pdf_text(engine.render_pdf("sign-in-sheet", doc_context.sign_in_context(lao, forum)), "-raw"))
    assert flat("หมู่ที่ ๗ บ้านหนองหิน") in sheet and flat("ชุมชนบ้านหนองหิน") not in sheet


def test_migration_30_makes_a_municipalitys_numbered_community_rows_villages(tmp_path):
    from formsvc.store import connect
    from formsvc.store.migrations import migrate

    db = connect(tmp_path / "old.db")
    migrate(db, target=29)
    db.execute("INSERT INTO province (code, name_th, name_en) VALUES ('37', 'อำนาจเจริญ', 'Amnat Charoen')")
    db.execute(
        "INSERT INTO district (code, province_code, name_th, name_en, kind)"
        " VALUES ('3701', '37', 'เมือง', 'M', 'amphoe')"
    )
    for lao_id, kind in ((1, "tambon_municipality"), (2, "tao")):
        db.execute(
            "INSERT INTO lao (id, name, kind, district_code, created_at, updated_at)"
            " VALUES (?, ?, ?, '3701', 'x', 'x')",
            [lao_id, f"ทดสอบ{lao_id}", kind],
        )
    old = [
        (1, "community", None, "หมู่ 7 บ้านหนองหิน"),
        (1, "community", None, "หมู่ที่ ๘ บ้านนาดี"),
        (1, "community", None, "ม.9"),
        (1, "community", None, "ชุมชนตลาดเก่า"),
        (1, "village", 3, "บ้านเดิม"),
        (1, "community", None, "หมู่ 3 บ้านซ้ำเลข"),  # หมู่ที่ 3 is taken: stays as it was
        (2, "village", 7, "บ้านหนองหิน"),
    ]
    for lao_id, kind, number, name in old:
        db.execute("INSERT INTO village (lao_id, kind, number, name) VALUES (?, ?, ?, ?)", [lao_id, kind, number, name])
    db.execute(
        "INSERT INTO record_version (kind, record_key, version, snapshot) VALUES ('village', '1', 1, ?)",
        ['{"number": null, "name": "หมู่ 7 บ้านหนองหิน"}'],
    )
    db.conn.commit()
    migrate(db)
    found = {
        (lao_id, name): (kind, number)
        for lao_id, kind, number, name in db.execute("SELECT lao_id, kind, number, name FROM village")
    }
    assert found == {
        (1, "บ้านหนองหิน"): ("village", 7),
        (1, "บ้านนาดี"): ("village", 8),
        (1, "ม.9"): ("village", 9),
        (1, "ชุมชนตลาดเก่า"): ("community", None),
        (1, "บ้านเดิม"): ("village", 3),
        (1, "หมู่ 3 บ้านซ้ำเลข"): ("community", None),
        (2, "บ้านหนองหิน"): ("village", 7),
    }
    # the kept version says what the row was then: a community
    snapshot = db.execute("SELECT json_extract(snapshot, '$.kind') FROM record_version").fetchone()[0]
    assert snapshot == "community"
    columns = {row[1] for row in db.execute("PRAGMA table_info(forum)").fetchall()}
    assert {"bmn_year", "village_data_year"} <= columns
