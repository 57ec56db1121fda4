"""Criteria 2, 3 and 4 to the guideline's words, as a clerk sees them on the checklist,
the project list and the compliance JSON (docs/domain.md, "The five criteria")."""

from __future__ import annotations

import datetime as _dt

from formsvc import services
from formsvc.domain import thai
from formsvc.store import forums as forum_store
from formsvc.store import projects as project_store
from formsvc.store.programme import dimensions, get_programme
from tests.conftest import arabic, login


def year(db) -> int:
    return get_programme(db).year_be


def forum_form(forum: dict, **changes) -> dict:
    """The forum's edit form as the page would post it back, with ``changes``."""
    data = {
        "version": str(forum["version"]),
        "village_id": str(forum["village_id"] or ""),
        "title": forum["title"],
        "meeting_no": str(forum["meeting_no"] or ""),
        "held_on": thai.date_input(_dt.date.fromisoformat(forum["held_on"])),
        "start_time": forum["start_time"],
        "end_time": forum["end_time"],
        "place": forum["place"],
        "organisers": forum["organisers"],
        "dimensions": forum["dimensions"],
        "used_bmn": "y",
        "used_village_data": "y",
        "bmn_year": str(int(forum["held_on"][:4]) + 543 - 1),
        "village_data_year": str(int(forum["held_on"][:4]) + 543 - 1),
        "reviews_community_plan": "y",
        "action": "save",
    }
    for i, item in enumerate(forum["agenda"]):
        data.update({f"agenda-{i}-{k}": item[k] for k in ("title", "discussion", "resolution")})
    for i, p in enumerate(forum["projects"]):
        data.update(
            {
                f"projects-{i}-id": str(p["id"]),
                f"projects-{i}-version": str(p["version"]),
                f"projects-{i}-rank": str(p["rank"]),
                f"projects-{i}-name": p["name"],
                f"projects-{i}-dimension": p["dimension"],
                f"projects-{i}-village_id": str(p["village_id"] or ""),
            }
        )
    data.update(changes)
    return data


def village_forum(db, lao_id: int, village_id: int) -> dict:
    found = [f for f in forum_store.forums(db, lao_id, year(db)) if f["village_id"] == village_id]
    return forum_store.get_forum(db, lao_id, found[0]["id"])


def lao_forum(db, lao_id: int) -> dict:
    found = [f for f in forum_store.forums(db, lao_id, year(db)) if f["level"] == "lao"]
    return forum_store.get_forum(db, lao_id, found[0]["id"])


def test_two_village_forums_together_cover_the_dimensions_on_the_checklist(client, db):
    login(client, "clerk")
    dims = dimensions(db)
    first = village_forum(db, 1, 1)
    half = dims[: len(dims) // 2]
    response = client.post(f"/laos/1/forums/{first['id']}", data=forum_form(first, dimensions=half))
    assert response.status_code == 302, response.get_data(as_text=True)[:2000]
    html = arabic(client.get("/laos/1").get_data(as_text=True))
    assert "7 จาก 8 หมู่บ้าน/ชุมชน" in html
    assert f"ไม่ครอบคลุมมิติ {', '.join(dims[len(dims) // 2 :])}" in html
    # a second forum of the same village, organised by its committee, covers the rest
    second = forum_form(
        {**first, "agenda": first["agenda"], "projects": []},
        version="0",
        meeting_no="2",
        dimensions=dims[len(dims) // 2 :],
    )
    response = client.post("/laos/1/forums/new?level=village", data=second)
    assert response.status_code == 302, response.get_data(as_text=True)[:2000]
    html = arabic(client.get("/laos/1").get_data(as_text=True))
    assert "8 จาก 8 หมู่บ้าน/ชุมชน" in html and "ไม่ครอบคลุมมิติ" not in html
    assert services.compliance(db, 1)["criteria"][1]["met"]


def test_an_lao_forum_without_the_coc_the_lao_records_fails_criterion_3(client, db):
    login(client, "clerk")
    forum = lao_forum(db, 1)
    assert services.compliance(db, 1)["criteria"][2]["met"]
    response = client.post(f"/laos/1/forums/{forum['id']}", data=forum_form(forum, organisers=["ctc", "plan_leaders"]))
    assert response.status_code == 302, response.get_data(as_text=True)[:2000]
    html = client.get("/laos/1").get_data(as_text=True)
    assert "เวทีประชาคมระดับท้องถิ่น: ไม่ได้จัดร่วมกับ สอช." in html
    criterion_3 = services.compliance(db, 1)["criteria"][2]
    assert not criterion_3["met"] and "สอช." in criterion_3["reasons"][0]
    # the สอช. alone is not enough either: ศอช.ต. organises it (guideline §3.2(3))
    forum = lao_forum(db, 1)
    client.post(f"/laos/1/forums/{forum['id']}", data=forum_form(forum, organisers=["coc", "plan_leaders"]))
    assert "เวทีประชาคมระดับท้องถิ่น: ไม่ได้จัดโดย ศอช.ต." in client.get("/laos/1").get_data(as_text=True)
    # where the LAO records no สอช., ศอช.ต. with the plan leaders is enough
    forum = lao_forum(db, 1)
    client.post(f"/laos/1/forums/{forum['id']}", data=forum_form(forum, organisers=["ctc", "plan_leaders"]))
    db.execute("UPDATE lao SET has_coc = 0 WHERE id = 1")
    db.conn.commit()
    assert services.compliance(db, 1)["criteria"][2]["met"]


def test_a_project_no_lao_forum_adopted_counts_nowhere_and_the_clerk_is_told(client, db):
    login(client, "clerk")
    before = services.compliance(db, 1)["criteria"]
    response = client.post(
        "/laos/1/projects",
        data={
            "name": "โครงการที่เพิ่มเองภายหลัง",
            "dimension": dimensions(db)[0],
            "within_authority": "y",
            "in_development_plan": "y",
            "in_budget_draft": "y",
            "budget": "1000",
        },
    )
    assert response.status_code == 302
    after = services.compliance(db, 1)["criteria"]
    for i in (3, 4):  # the same figures: the new row counts in neither criterion 4 nor 5
        assert (after[i]["numerator"], after[i]["denominator"]) == (before[i]["numerator"], before[i]["denominator"])
    note = "โครงการ 1 รายการยังไม่ได้ผ่านเวทีประชาคมระดับท้องถิ่น จึงไม่นับในเกณฑ์ข้อ 4 และ 5"
    assert note in after[3]["warnings"][0]
    checklist = arabic(client.get("/laos/1").get_data(as_text=True))
    assert note in checklist
    page = arabic(client.get("/laos/1/projects").get_data(as_text=True))
    assert note in page and "ยังไม่ได้ผ่านเวทีประชาคมระดับท้องถิ่นของปีนี้" in page
    assert "ผ่านเวทีประชาคมระดับท้องถิ่น: <strong>12</strong> / 13" in page


def test_a_forum_of_another_year_or_a_village_forum_does_not_adopt(db):
    rows = project_store.list_projects(db, 1, year(db))
    assert all(r["adopted"] for r in rows)
    village = village_forum(db, 1, 1)
    db.execute("UPDATE project SET forum_id = ? WHERE id = ?", [village["id"], rows[0]["id"]])
    db.execute("UPDATE forum SET programme_year = programme_year - 1 WHERE id = ?", [lao_forum(db, 1)["id"]])
    db.conn.commit()
    c4, c5, _ = services.criteria_4_and_5(db, 1)
    assert (c4.numerator, c4.denominator) == (0, 0) and not c4.met and not c5.met
    assert "โครงการ 12 รายการยังไม่ได้ผ่านเวทีประชาคมระดับท้องถิ่น" in c4.reasons[-1]


def test_the_project_list_document_says_which_rows_count_nowhere(db):
    from tests.docs import flat, pdf_text

    project_store.add_project(
        db,
        1,
        year(db),
        {
            "name": "โครงการนอกเวที",
            "dimension": dimensions(db)[0],
            "within_authority": True,
            "in_development_plan": True,
            "in_budget_draft": True,
            "budget": "900000",
        },
    )
    content, _ = services.document(db, 1, "project-list", "pdf")
    text = flat(pdf_text(content, "-raw"))
    assert flat("โครงการ ๑ รายการยังไม่ได้ผ่านเวทีประชาคมระดับท้องถิ่น จึงไม่นับในเกณฑ์ข้อ ๔ และ ๕") in text
    assert flat("รวม ๑๓ โครงการ ๑๐ ๔ ๑ ๑๕๐,๐๐๐.๐๐") in text  # the 900,000 baht of that row is not in the total


def test_the_add_form_says_where_an_adopted_project_belongs(client):
    login(client, "clerk")
    html = arabic(client.get("/laos/1/projects").get_data(as_text=True))
    assert "โครงการที่เพิ่มที่นี่จะนับในเกณฑ์ข้อ 4 และ 5 ก็ต่อเมื่อผ่านเวทีประชาคมระดับท้องถิ่นของปีนี้แล้ว" in html
