"""Removing a working group member (a member dropped from the saved list: its box ticked,
its row emptied, or the rows replaced by the guideline's) can be undone for 30 days: the
restore button right after saving, the recently-deleted page, both audit-logged, and the
member comes back in the same place in the list. Editing a member is not removing it."""

from __future__ import annotations

import re

from formsvc.store import working_group as wg_store
from formsvc.store.programme import get_programme
from tests.conftest import arabic, ids, login
from tests.test_working_group import group_form_data

PAGE = "/laos/1/working-group"


def _group(db):
    return wg_store.get_group(db, 1, get_programme(db).year_be)


def _names(db) -> list[str]:
    return [m["name"] for m in _group(db)["members"]]


def _form(db, **changes) -> dict:
    """The page's form as the browser posts it (each row carries its member's id)."""
    data = group_form_data(db, 1, **changes)
    for i, member in enumerate(_group(db)["members"]):
        data.setdefault(f"members-{i}-member_id", str(member["id"]))
    return data


def _restore_action(html: str, name: str) -> str:
    match = re.search(
        r'class="flash success undo" role="status"><form method="post" action="([^"]+/restore)" class="inline">'
        r"\s*<input[^>]*>[^<]*" + re.escape(name),
        html,
    )
    assert match, f"no restore button for {name}"
    return match.group(1)


def _audit(db, member_id: int) -> list[str]:
    return [
        r[0]
        for r in db.execute(
            "SELECT action FROM audit_log WHERE table_name = 'working_group_member' AND row_id = ? ORDER BY id",
            [str(member_id)],
        )
    ]


def test_a_removed_member_is_restored_in_its_place(client, db):
    login(client, "clerk")
    before = _group(db)
    third = before["members"][2]
    page = client.post(PAGE, data=_form(db, **{"members-2-remove": "y"}), follow_redirects=True)
    html = page.get_data(as_text=True)
    assert third["name"] not in _names(db) and len(_names(db)) == len(before["members"]) - 1
    action = _restore_action(html, third["name"])
    assert "เรียกคืน" in html
    assert _audit(db, third["id"])[-1] == "delete"
    deleted = client.get("/laos/1/deleted").get_data(as_text=True)
    assert third["name"] in deleted and "กรรมการในคณะทำงาน" in deleted

    client.post(action)
    after = _group(db)
    assert _names(db) == [m["name"] for m in before["members"]]  # back as third
    assert after["members"][2]["id"] == third["id"] and _audit(db, third["id"])[-1] == "insert"
    assert after["version"] == before["version"] + 2  # the save, then the restore
    assert ids(db, "SELECT id FROM deleted_record") == []


def test_members_removed_together_come_back_in_order_whichever_is_restored_first(client, db):
    login(client, "clerk")
    order = _names(db)
    client.post(PAGE, data=_form(db, **{"members-0-remove": "y", "members-2-remove": "y", "members-5-remove": "y"}))
    assert len(_names(db)) == len(order) - 3
    entries = ids(db, "SELECT id FROM deleted_record WHERE kind = 'member' ORDER BY id")
    assert len(entries) == 3
    for entry in reversed(entries):
        assert client.post(f"/laos/1/deleted/{entry}/restore").status_code == 302
    assert _names(db) == order


def test_editing_names_and_moving_rows_removes_nobody(client, db):
    login(client, "clerk")
    ids_before = [m["id"] for m in _group(db)["members"]]
    client.post(PAGE, data=_form(db, **{"members-0-name": "นายชื่อ แก้ใหม่", "members-1-position": "กำนัน"}))
    assert _names(db)[0] == "นายชื่อ แก้ใหม่"
    assert [m["id"] for m in _group(db)["members"]] == ids_before  # the same rows, changed
    assert _audit(db, ids_before[0])[-1] == "update"
    # a row moved up keeps its member
    html = client.post(PAGE, data=_form(db, action="up-1")).get_data(as_text=True)
    assert html.index(f'value="{ids_before[1]}"') < html.index(f'value="{ids_before[0]}"')
    assert ids(db, "SELECT id FROM deleted_record") == []
    # rows without their ids (a page drawn before this release, a script) are matched by name
    client.post(PAGE, data=group_form_data(db, 1, **{"members-2-position": "ตำแหน่งใหม่"}))
    assert [m["id"] for m in _group(db)["members"]] == ids_before
    assert ids(db, "SELECT id FROM deleted_record") == []


def test_an_emptied_row_and_the_guidelines_rows_remove_members_that_can_come_back(client, db):
    login(client, "clerk")
    order = _names(db)
    client.post(PAGE, data=_form(db, **{"members-3-name": "", "members-3-position": ""}))
    assert order[3] not in _names(db)
    assert ids(db, "SELECT label FROM deleted_record") == [order[3]]
    # replacing every row by the guideline's: all kept, said how to get them back
    client.post(f"/laos/1/deleted/{ids(db, 'SELECT id FROM deleted_record')[0]}/restore")
    data = _form(db)
    rows = [k for k in data if k.startswith("members-")]
    for key in rows:
        del data[key]
    data.update({"members-0-name": "นายใหม่ คนเดียว", "members-0-group_role": "chair", "members-0-category": "other"})
    html = client.post(PAGE, data=data, follow_redirects=True).get_data(as_text=True)
    assert _names(db) == ["นายใหม่ คนเดียว"]
    assert len(ids(db, "SELECT id FROM deleted_record WHERE kind = 'member'")) == len(order)
    assert f"นำกรรมการ {len(order)} คนออกจากรายชื่อแล้ว" in arabic(html) and "รายการที่ลบล่าสุด" in html


def test_only_the_laos_clerk_and_admins_restore_a_member(make_app, client, db):
    login(client, "clerk")
    client.post(PAGE, data=_form(db, **{"members-0-remove": "y"}))
    entry = ids(db, "SELECT id FROM deleted_record")[0]
    for username, status in (("facilitator", 404), ("district", 403), ("clerk2", 404)):
        other = make_app(WTF_CSRF_ENABLED=False).test_client()
        login(other, username)
        assert other.post(f"/laos/1/deleted/{entry}/restore").status_code == status
    assert ids(db, "SELECT id FROM deleted_record") == [entry]
    admin = make_app(WTF_CSRF_ENABLED=False).test_client()
    login(admin, "admin")
    assert admin.post(f"/laos/1/deleted/{entry}/restore").status_code == 302
    assert ids(db, "SELECT id FROM deleted_record") == []
