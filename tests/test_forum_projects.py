"""The project rows of an LAO-level forum are rows of the clerk's project list.

Through the forum form a facilitator adds adopted projects and nothing more: leaving the
rows out, ticking them off, renaming a project the LAO put in its plan and budget or
sending a row of another forum changes no row of the list, and criteria 3–5 stay as
they were. The clerk keeps the list: removes rows there, may link a project of the list
that no forum adopted. Demo: forum 9 is LAO 1's LAO-level forum and adopted projects
1–12, which carry the plan and budget marks that meet criteria 4 and 5.
"""

from __future__ import annotations

import html as html_lib

import pytest

from formsvc import services
from formsvc.store import projects as project_store
from tests.conftest import YEAR, csrf_token
from tests.forms import form_data

MARKS = ("id", "forum_id", "rank", "name", "dimension", "village_id", "in_development_plan", "in_budget_draft")


@pytest.fixture
def signed_in(make_app):
    """A client with CSRF on, signed in as the given user."""
    app = make_app(EXPORT_RUNNER=False)

    def sign_in(username: str):
        client = app.test_client()
        token = csrf_token(client, "/login")
        response = client.post("/login", data={"username": username, "password": "formsvc-demo", "csrf_token": token})
        assert response.status_code == 302
        return client

    return sign_in


def rows(db) -> list[tuple]:
    return [tuple(r[k] for k in MARKS) for r in project_store.list_projects(db, 1, YEAR)]


def criteria_3_to_5(db) -> list[tuple]:
    return [(r.number, r.met, r.numerator, r.denominator) for r in services.compliance_results(db, 1) if r.number >= 3]


def forum_form(client) -> dict:
    data = form_data(client.get("/laos/1/forums/9").get_data(as_text=True))
    assert data["csrf_token"] and data["projects-0-id"]
    data["action"] = "save"
    return data


def without_projects(data: dict) -> dict:
    return {k: v for k, v in data.items() if not k.startswith("projects-")}


def text(response) -> str:
    return html_lib.unescape(response.get_data(as_text=True))


def in_plan_and_budget(db) -> tuple[int, dict]:
    """The form row of a project of forum 9 that is in the plan and in the budget."""
    listed = [r for r in project_store.list_projects(db, 1, YEAR) if r["forum_id"] == 9]
    ranked = sorted(listed, key=lambda r: r["rank"])
    for i, row in enumerate(ranked):
        if row["in_development_plan"] and row["in_budget_draft"]:
            return i, row
    raise AssertionError("the demo has a project in plan and budget")


def test_a_facilitator_saving_the_forum_without_project_rows_changes_no_row(db, signed_in):
    before, met = rows(db), criteria_3_to_5(db)
    assert len([r for r in before if r[1] == 9]) == 12 and all(m for _, m, *_ in met)
    facilitator = signed_in("facilitator")
    data = without_projects(forum_form(facilitator))
    data["place"] = "ศาลาประชาคม อบต."
    response = facilitator.post("/laos/1/forums/9", data=data)
    assert response.status_code == 302, text(response)[:2000]
    assert rows(db) == before
    assert criteria_3_to_5(db) == met


def test_a_facilitator_cannot_remove_a_project_from_the_forum_form(db, signed_in):
    before, met = rows(db), criteria_3_to_5(db)
    facilitator = signed_in("facilitator")
    data = forum_form(facilitator)
    data["projects-0-remove"] = "y"
    response = facilitator.post("/laos/1/forums/9", data=data)
    assert response.status_code == 400
    assert "เจ้าหน้าที่ อปท. ลบโครงการได้ที่บัญชีโครงการ" in text(response)
    assert rows(db) == before and criteria_3_to_5(db) == met


def test_a_facilitator_cannot_rename_a_project_in_plan_and_budget_nor_add_one_with_it(db, signed_in):
    before, met = rows(db), criteria_3_to_5(db)
    facilitator = signed_in("facilitator")
    data = forum_form(facilitator)
    i, row = in_plan_and_budget(db)
    assert data[f"projects-{i}-id"] == str(row["id"])
    data[f"projects-{i}-name"] = "โครงการที่ถูกเปลี่ยนชื่อ"
    n = len([k for k in data if k.endswith("-rank") and k.startswith("projects-")])
    data.update(
        {
            f"projects-{n}-rank": "500",
            f"projects-{n}-name": "โครงการเพิ่มใหม่",
            f"projects-{n}-dimension": data["projects-0-dimension"],
            f"projects-{n}-village_id": "",
        }
    )
    response = facilitator.post("/laos/1/forums/9", data=data)
    assert response.status_code == 400
    page = text(response)
    assert "บรรจุในแผนพัฒนาท้องถิ่นหรือร่างข้อบัญญัติแล้ว" in page and row["name"][:20] in page
    assert rows(db) == before and criteria_3_to_5(db) == met


def test_a_facilitator_adds_a_project_and_corrects_one_not_yet_in_the_plan(db, signed_in):
    before = {r[0]: r for r in rows(db)}
    facilitator = signed_in("facilitator")
    data = forum_form(facilitator)
    listed = sorted(
        (r for r in project_store.list_projects(db, 1, YEAR) if r["forum_id"] == 9), key=lambda r: r["rank"]
    )
    free = next(i for i, r in enumerate(listed) if not (r["in_development_plan"] or r["in_budget_draft"]))
    data[f"projects-{free}-name"] = "ชื่อที่แก้ให้ถูก"
    n = len(listed)
    data.update(
        {
            f"projects-{n}-rank": "500",
            f"projects-{n}-name": "โครงการเพิ่มใหม่",
            f"projects-{n}-dimension": data["projects-0-dimension"],
            f"projects-{n}-village_id": "",
        }
    )
    response = facilitator.post("/laos/1/forums/9", data=data)
    assert response.status_code == 302, text(response)[:2000]
    after = {r[0]: r for r in rows(db)}
    assert set(before) < set(after) and len(after) == len(before) + 1
    added = after[max(after)]
    assert added[1:6] == (9, 500, "โครงการเพิ่มใหม่", data["projects-0-dimension"], None)
    assert added[6:] == (0, 0)
    assert after[listed[free]["id"]][3] == "ชื่อที่แก้ให้ถูก"
    assert all(after[k][6:] == before[k][6:] for k in before)  # no plan or budget mark changed


def test_a_facilitator_cannot_take_a_project_of_the_list_into_the_forum(db, signed_in):
    db.execute("UPDATE project SET forum_id = NULL WHERE id = 12")
    db.conn.commit()
    before, met = rows(db), criteria_3_to_5(db)
    facilitator = signed_in("facilitator")
    data = forum_form(facilitator)
    n = len([k for k in data if k.endswith("-rank") and k.startswith("projects-")])
    row = project_store.get_project(db, 1, 12)
    data.update(
        {
            f"projects-{n}-id": "12",
            f"projects-{n}-version": str(row["version"]),
            f"projects-{n}-rank": str(row["rank"]),
            f"projects-{n}-name": row["name"],
            f"projects-{n}-dimension": row["dimension"],
            f"projects-{n}-village_id": str(row["village_id"] or ""),
        }
    )
    response = facilitator.post("/laos/1/forums/9", data=data)
    assert response.status_code == 400 and "ไม่ใช่โครงการของเวทีนี้" in text(response)
    assert rows(db) == before and criteria_3_to_5(db) == met
    # the clerk, who keeps the list, links it
    clerk = signed_in("clerk")
    data = forum_form(clerk)
    data.update(
        {
            f"projects-{n}-id": "12",
            f"projects-{n}-version": str(row["version"]),
            f"projects-{n}-rank": str(row["rank"]),
            f"projects-{n}-name": row["name"],
            f"projects-{n}-dimension": row["dimension"],
            f"projects-{n}-village_id": str(row["village_id"] or ""),
        }
    )
    response = clerk.post("/laos/1/forums/9", data=data)
    assert response.status_code == 302, text(response)[:2000]
    assert project_store.get_project(db, 1, 12)["forum_id"] == 9
    assert len(rows(db)) == len(before)
