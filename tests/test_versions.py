"""No lost update: two people open the same form, the first saves, the second is told
what changed (field, the other's value, who and when), keeps what they typed, and nothing
of theirs is written; saving again after reading it overwrites knowingly. And several
saves racing from the same version: exactly one wins."""

from __future__ import annotations

import html as html_lib
import threading

import pytest

from formsvc.domain.errors import ConflictError
from formsvc.domain.versions import Field, Fields, Saved, conflict_message, lost_changes, yes_no
from formsvc.store import connect
from formsvc.store import forums as forum_store
from formsvc.store import laos as lao_store
from formsvc.store import programme as programme_store
from formsvc.store import projects as project_store
from formsvc.store import reports as report_store
from formsvc.store import users as user_store
from formsvc.store import working_group as wg_store
from formsvc.store.people import person_name
from tests.conftest import YEAR, arabic, login
from tests.forms import form_data


def session(app, username):
    client = app.test_client()
    assert login(client, username).status_code == 302
    return client


def text(response) -> str:
    return arabic(html_lib.unescape(response.get_data(as_text=True)))


def person(db, username: str) -> str:
    """How a page names who saved: the person's name and position, not the username."""
    row = db.execute("SELECT username, display_name, position FROM user WHERE username = ?", [username]).fetchone()
    name = person_name(dict(zip(("username", "display_name", "position"), row, strict=True)))
    assert name != username  # the demo users have names
    return name


def scalar(db, sql, params=()):
    return db.execute(sql, params).fetchone()[0]


# The helper itself ------------------------------------------------------------------------

FIELDS = Fields({"name": "ชื่อโครงการ", "flag": Field("บรรจุในแผน", yes_no)}, {"members": ("คณะทำงาน", {"name": "ชื่อ"})})


def history(*states):
    return [Saved(i, values, who, "2026-03-03T07:05:00+00:00") for i, (values, who) in enumerate(states, 1)]


def test_only_fields_another_changed_and_this_save_would_overwrite_are_lost():
    h = history(({"name": "ก", "flag": 0}, None), ({"name": "ข", "flag": 0}, "clerk2"))
    assert [c.label for c in lost_changes(h, True, {"name": "ก", "flag": 1}, FIELDS)] == ["ชื่อโครงการ"]
    assert lost_changes(h, True, {"name": "ข", "flag": 1}, FIELDS) == []  # same change: nothing lost
    assert lost_changes(h, True, {"name": "ค", "flag": 1}, FIELDS, only={"flag"}) == []
    # the base unknown: every difference from what is stored counts
    assert [c.label for c in lost_changes(h[-1:], False, {"name": "ข", "flag": 1}, FIELDS)] == ["บรรจุในแผน"]


def test_the_message_names_the_field_the_values_who_and_when():
    h = history(
        ({"name": "ก", "flag": 0}, "clerk"), ({"name": "ข", "flag": 0}, "clerk2"), ({"name": "ข", "flag": 1}, "admin")
    )
    changes = lost_changes(h, True, {"name": "ค", "flag": 0}, FIELDS)
    message = conflict_message("โครงการนี้", changes)
    assert message.startswith("มีผู้อื่นบันทึกโครงการนี้ หลังจากที่ท่านเปิดหน้านี้")
    assert "ชื่อโครงการ: 'ก' → 'ข' (บันทึกโดย clerk2 เวลา 14:05 น. 3 มี.ค. 2569) ของท่าน: 'ค'" in message
    assert "บรรจุในแผน: 'ไม่ใช่' → 'ใช่' (บันทึกโดย admin" in message


def test_rows_are_named_by_number():
    h = history(({"members": [{"name": "ก"}, {"name": "ข"}]}, None), ({"members": [{"name": "ก"}, {"name": "ง"}]}, "x"))
    [change] = lost_changes(h, True, {"members": [{"name": "ก"}, {"name": "ข"}, {"name": "จ"}]}, FIELDS)
    assert (change.label, change.before, change.theirs, change.yours) == ("คณะทำงาน แถวที่ 2 ชื่อ", "ข", "ง", "ข")


# Two sessions, one form -------------------------------------------------------------------


def _extra_lao(db):
    return lao_store.create_lao(db, lao_store.LaoInput("ทดสอบต้นแบบ", "tao", "3701"))


CASES = {
    # record: (path (or page and where its form posts), first user, second user, field,
    #          first's value, second's value, label, stored value,
    #          how the message shows first's and second's values)
    "lao": (
        "/laos/1/edit",
        "clerk",
        "district",
        "chief_title",
        "นายกทดสอบ หนึ่ง",
        "นายกทดสอบ สอง",
        "ตำแหน่งผู้บริหาร",
        lambda db: scalar(db, "SELECT chief_title FROM lao WHERE id = 1"),
        None,
    ),
    "village": (
        "/laos/1/villages/1",
        "clerk",
        "district",
        "name",
        "บ้านหนองบัวใหม่",
        "บ้านหนองบัวเหนือ",
        "ชื่อหมู่บ้าน/ชุมชน",
        lambda db: scalar(db, "SELECT name FROM village WHERE id = 1"),
        None,
    ),
    "programme": (
        "/admin/settings",
        "admin",
        "admin",
        "dimensions",
        "เศรษฐกิจ\nสังคม",
        "เศรษฐกิจ\nสุขภาพ",
        "มิติการพัฒนา",
        lambda db: "\n".join(programme_store.dimensions(db)),
        ("เศรษฐกิจ, สังคม", "เศรษฐกิจ, สุขภาพ"),
    ),
    "user": (
        "/admin/users/7",
        "admin",
        "admin",
        "display_name",
        "สมศรี หนึ่ง",
        "สมศรี สอง",
        "ชื่อที่แสดง",
        lambda db: scalar(db, "SELECT display_name FROM user WHERE id = 7"),
        None,
    ),
    "model LAO": (
        ("/districts/3701", "/districts/3701/model-lao"),
        "district",
        "admin",
        "lao_id",
        "2",
        "{extra}",
        "อปท.ต้นแบบ",
        lambda db: str(lao_store.model_lao(db, "3701", YEAR)["lao_id"]),
        ("องค์การบริหารส่วนตำบลไก่คำ", "องค์การบริหารส่วนตำบลทดสอบต้นแบบ"),
    ),
    "project": (
        "/laos/1/projects/5",
        "clerk",
        "admin",
        "name",
        "ชื่อโครงการแบบหนึ่ง",
        "ชื่อโครงการแบบสอง",
        "ชื่อโครงการ",
        lambda db: project_store.get_project(db, 1, 5)["name"],
        None,
    ),
    "report draft": (
        "/laos/1/reports/4",
        "clerk",
        "admin",
        "progress",
        "ประชุมครบทุกหมู่บ้าน",
        "จัดเวทีแล้วครึ่งหนึ่ง",
        "ผลการดำเนินงาน",
        lambda db: report_store.get_report(db, 1, 4)["progress"],
        None,
    ),
    "operation plan": (
        "/laos/1/operation-plan",
        "clerk",
        "admin",
        "activities-0-activity",
        "ประชุมคณะทำงานครั้งแรก",
        "ประชุมคณะทำงานนัดพิเศษ",
        "กิจกรรม แถวที่ 1 ชื่อกิจกรรม",
        lambda db: wg_store.get_group(db, 1, YEAR)["activities"][0]["activity"],
        None,
    ),
    "working group": (
        "/laos/1/working-group",
        "clerk",
        "admin",
        "signer_name",
        "นายลงนาม หนึ่ง",
        "นายลงนาม สอง",
        "ผู้ลงนาม",
        lambda db: wg_store.get_group(db, 1, YEAR)["signer_name"],
        None,
    ),
    "forum": (
        "/laos/1/forums/1",
        "facilitator",
        "clerk",
        "place",
        "ศาลากลางบ้าน",
        "วัดประจำหมู่บ้าน",
        "สถานที่",
        lambda db: forum_store.get_forum(db, 1, 1)["place"],
        None,
    ),
}


@pytest.mark.parametrize("record", CASES)
def test_the_second_save_from_the_same_form_is_refused_and_told_what_changed(app, db, record):
    path, first_user, second_user, field, mine, theirs_typed, label, stored, shown = CASES[record]
    path, post_to = path if isinstance(path, tuple) else (path, path)
    extra = _extra_lao(db)
    mine, theirs_typed = (v.format(extra=extra) for v in (mine, theirs_typed))
    first, second = session(app, first_user), session(app, second_user)
    first_form = form_data(first.get(path).get_data(as_text=True))
    second_form = form_data(second.get(path).get_data(as_text=True))
    path = post_to
    assert first_form["version"] == second_form["version"]
    first_form[field] = mine
    saved = first.post(path, data=first_form)
    assert saved.status_code == 302, text(saved)[:3000]
    assert stored(db) == mine

    second_form[field] = theirs_typed
    refused = second.post(path, data=second_form)
    page = text(refused)
    assert refused.status_code == 400
    shown_mine, shown_theirs = shown or (mine, theirs_typed)
    assert "มีผู้อื่นบันทึก" in page
    assert f"{label}: " in page and f"→ '{shown_mine}' (บันทึกโดย {person(db, first_user)} เวลา " in page
    assert f"ของท่าน: '{shown_theirs}'" in page
    assert stored(db) == mine  # nothing of the second save was written
    kept = form_data(refused.get_data(as_text=True))
    assert kept[field].replace("\r\n", "\n") == theirs_typed  # what the second person typed is still there

    # having read what changed, saving the same form again overwrites knowingly
    again = second.post(path, data=kept)
    assert again.status_code == 302, text(again)[:3000]
    assert stored(db) == theirs_typed


# The project list: the table, marks, moves, and the forum's rows -------------------------


def test_the_table_refuses_a_row_someone_else_changed_and_keeps_the_others_rows(app, db):
    first, second, third = (session(app, u) for u in ("clerk", "admin", "admin"))
    forms = [
        form_data(c.get("/laos/1/projects/edit").get_data(as_text=True), having="rows-0-version")
        for c in (first, second, third)
    ]
    forms[0]["rows-0-name"] = "แก้แถวแรกโดยคนแรก"
    assert first.post("/laos/1/projects/edit", data=forms[0]).status_code == 302
    forms[1]["rows-0-name"] = "แก้แถวแรกโดยคนที่สอง"
    refused = second.post("/laos/1/projects/edit", data=forms[1])
    page = text(refused)
    assert refused.status_code == 400
    assert "แถวที่ 1 ชื่อโครงการ: " in page and f"→ 'แก้แถวแรกโดยคนแรก' (บันทึกโดย {person(db, 'clerk')}" in page
    assert "ของท่าน: 'แก้แถวแรกโดยคนที่สอง'" in page
    assert form_data(refused.get_data(as_text=True), having="rows-0-version")["rows-0-name"] == "แก้แถวแรกโดยคนที่สอง"
    assert project_store.list_projects(db, 1, YEAR)[0]["name"] == "แก้แถวแรกโดยคนแรก"
    # versions are per row: a table that changed only another row saves it, and leaves row 1 as saved
    forms[2]["rows-1-budget"] = "75,000"
    assert third.post("/laos/1/projects/edit", data=forms[2]).status_code == 302
    rows = project_store.list_projects(db, 1, YEAR)
    assert rows[0]["name"] == "แก้แถวแรกโดยคนแรก" and rows[1]["budget_satang"] == 7500000


def test_a_mark_on_a_project_whose_mark_changed_meanwhile_is_refused(app, db):
    first, second = session(app, "clerk"), session(app, "admin")
    first_list = form_data(first.get("/laos/1/projects").get_data(as_text=True), having="v5")
    second_list = form_data(second.get("/laos/1/projects").get_data(as_text=True), having="v5")
    assert (
        first.post("/laos/1/projects/mark", data={**first_list, "ids": ["5"], "action": "plan-on"}).status_code == 302
    )
    refused = second.post("/laos/1/projects/mark", data={**second_list, "ids": ["5", "6"], "action": "plan-off"})
    page = text(refused)
    assert refused.status_code == 400
    assert f"บรรจุในแผนพัฒนาท้องถิ่น: 'ไม่ใช่' → 'ใช่' (บันทึกโดย {person(db, 'clerk')}" in page and "ของท่าน: 'ไม่ใช่'" in page
    assert project_store.get_project(db, 1, 5)["in_development_plan"] == 1
    assert form_data(refused.get_data(as_text=True), having="v5")["ids"] == ["5", "6"]  # the selection is kept
    # a mark of another flag does not touch the changed one: it goes through
    assert (
        second.post("/laos/1/projects/mark", data={**second_list, "ids": ["5"], "action": "budget-on"}).status_code
        == 302
    )
    row = project_store.get_project(db, 1, 5)
    assert (row["in_development_plan"], row["in_budget_draft"]) == (1, 1)


def test_a_move_on_a_list_that_was_reordered_meanwhile_is_refused(app, db):
    first, second = session(app, "clerk"), session(app, "admin")
    first_list = form_data(first.get("/laos/1/projects").get_data(as_text=True), having="v5")
    second_list = form_data(second.get("/laos/1/projects").get_data(as_text=True), having="v5")
    assert first.post("/laos/1/projects/5/move", data={**first_list, "direction": "up"}).status_code == 302
    order = [r["id"] for r in project_store.list_projects(db, 1, YEAR)]
    assert order[3:5] == [5, 4]
    refused = second.post("/laos/1/projects/5/move", data={**second_list, "direction": "up"})
    assert refused.status_code == 400
    assert f"ลำดับความสำคัญ: '5' → '4' (บันทึกโดย {person(db, 'clerk')}" in text(refused)
    assert [r["id"] for r in project_store.list_projects(db, 1, YEAR)] == order


def test_a_forum_form_does_not_overwrite_a_project_renamed_on_the_list(app, db):
    clerk, facilitator = session(app, "clerk"), session(app, "facilitator")
    forum_form = form_data(facilitator.get("/laos/1/forums/9").get_data(as_text=True))
    project_form = form_data(clerk.get("/laos/1/projects/1").get_data(as_text=True))
    project_form["name"] = "ชื่อที่แก้ในบัญชีโครงการ"
    assert clerk.post("/laos/1/projects/1", data=project_form).status_code == 302
    forum_form["projects-0-name"] = "ชื่อที่แก้ในเวที"
    refused = facilitator.post("/laos/1/forums/9", data=forum_form)
    page = text(refused)
    assert refused.status_code == 400
    assert "โครงการแถวที่ 1 ชื่อโครงการ: " in page and f"→ 'ชื่อที่แก้ในบัญชีโครงการ' (บันทึกโดย {person(db, 'clerk')}" in page
    assert project_store.get_project(db, 1, 1)["name"] == "ชื่อที่แก้ในบัญชีโครงการ"
    assert form_data(refused.get_data(as_text=True))["projects-0-name"] == "ชื่อที่แก้ในเวที"


def test_an_import_confirmed_after_the_list_changed_is_refused(app, db):
    import io
    import re

    from tests.test_projects import good_rows, xlsx

    clerk, admin = session(app, "clerk"), session(app, "admin")

    def preview():
        page = clerk.post(
            "/laos/1/projects/import",
            content_type="multipart/form-data",
            data={"file": (io.BytesIO(xlsx(good_rows(db))), "list.xlsx")},
        ).get_data(as_text=True)
        return re.search(r'action="(/laos/1/projects/import/\d+)"', page).group(1)

    confirm = preview()
    project_form = form_data(admin.get("/laos/1/projects/3").get_data(as_text=True))
    assert admin.post("/laos/1/projects/3", data={**project_form, "name": "แก้ระหว่างรอยืนยัน"}).status_code == 302
    refused = clerk.post(confirm, follow_redirects=True)
    page = text(refused)
    assert "มีผู้อื่นบันทึกบัญชีโครงการ หลังจากที่ท่านตรวจไฟล์นำเข้า" in page
    assert "ลำดับ 3 แก้ระหว่างรอยืนยัน: ชื่อโครงการ: " in page and f"→ 'แก้ระหว่างรอยืนยัน' (บันทึกโดย {person(db, 'admin')}" in page
    assert project_store.get_project(db, 1, 3)["name"] == "แก้ระหว่างรอยืนยัน"  # nothing imported
    assert clerk.post(preview()).status_code == 302  # checked again against the list as it is: imported
    assert project_store.list_projects(db, 1, YEAR)[0]["name"] == "โครงการทดสอบ 1"


def test_an_admin_changing_a_role_ends_that_users_sessions(app, db):
    admin, clerk2 = session(app, "admin"), session(app, "clerk2")
    form = form_data(admin.get("/admin/users/7").get_data(as_text=True))
    assert admin.post("/admin/users/7", data={**form, "active": ""}).status_code == 302
    assert clerk2.get("/laos/3").status_code == 302  # back to the sign-in page
    assert scalar(db, "SELECT active FROM user WHERE id = 7") == 0


# Racing saves -----------------------------------------------------------------------------


def _group_save(db, i, base):
    group = wg_store.get_group(db, 1, YEAR)
    wg_store.save_group(
        db,
        1,
        YEAR,
        reason=group["reason"],
        duties=group["duties"],
        signer_name=f"ผู้ลงนาม {i}",
        signer_position=group["signer_position"],
        members=group["members"],
        user_id=None,
        expected_version=base,
    )


def _table_save(db, i, base):
    rows = [
        {**r, "version": base, "name": f"ตาราง {i}" if r["id"] == 5 else r["name"]}
        for r in project_store.list_projects(db, 1, YEAR)
    ]
    project_store.update_many(db, 1, YEAR, rows)


RACES = {
    # record: (the version every racer starts from, one racer's save, the stored value, the winner's value)
    "project": (
        lambda db: project_store.get_project(db, 1, 5)["version"],
        lambda db, i, base: project_store.update_project(
            db, 1, 5, {**project_store.get_project(db, 1, 5), "name": f"ชื่อ {i}"}, None, base
        ),
        lambda db: project_store.get_project(db, 1, 5)["name"],
        "ชื่อ {}",
    ),
    "project table": (lambda db: 1, _table_save, lambda db: project_store.get_project(db, 1, 5)["name"], "ตาราง {}"),
    "lao": (
        lambda db: lao_store.get_lao(db, 1)["version"],
        lambda db, i, base: lao_store.update_lao(
            db, 1, lao_store.LaoInput("บุ่ง", "tao", "3701", ["370101"], f"นายก {i}"), None, base
        ),
        lambda db: lao_store.get_lao(db, 1)["chief_title"],
        "นายก {}",
    ),
    "village": (
        lambda db: lao_store.get_village(db, 1, 1)["version"],
        lambda db, i, base: lao_store.update_village(db, 1, 1, 1, f"บ้าน {i}", None, base),
        lambda db: lao_store.get_village(db, 1, 1)["name"],
        "บ้าน {}",
    ),
    "model LAO": (
        lambda db: lao_store.model_lao(db, "3701", YEAR)["version"],
        lambda db, i, base: lao_store.select_model_lao(db, "3701", YEAR, 2 if i == 0 else _extra(db, i), None, base),
        lambda db: lao_store.model_lao(db, "3701", YEAR)["lao_id"],
        None,
    ),
    "programme": (
        lambda db: programme_store.settings(db)["version"],
        lambda db, i, base: programme_store.update_programme(db, YEAR, 1, 9, [f"มิติ {i}"], None, base),
        lambda db: programme_store.dimensions(db)[0],
        "มิติ {}",
    ),
    "user": (
        lambda db: user_store.get_user(db, 7)["version"],
        lambda db, i, base: user_store.update_user(
            db, 7, display_name=f"ผู้ใช้ {i}", role="lao_clerk", lao_id=3, expected_version=base
        ),
        lambda db: user_store.get_user(db, 7)["display_name"],
        "ผู้ใช้ {}",
    ),
    "report draft": (
        lambda db: report_store.get_report(db, 1, 4)["version"],
        lambda db, i, base: report_store.save_draft(db, 1, 4, {"progress": f"ผล {i}"}, None, base),
        lambda db: report_store.get_report(db, 1, 4)["progress"],
        "ผล {}",
    ),
    "operation plan": (
        lambda db: wg_store.get_group(db, 1, YEAR)["plan_version"],
        lambda db, i, base: wg_store.save_activities(
            db,
            1,
            YEAR,
            [{"activity": f"กิจกรรม {i}", "start_month": "2026-01", "end_month": "2026-02"}],
            None,
            expected_version=base,
        ),
        lambda db: wg_store.get_group(db, 1, YEAR)["activities"][0]["activity"],
        "กิจกรรม {}",
    ),
    "working group": (
        lambda db: wg_store.get_group(db, 1, YEAR)["version"],
        _group_save,
        lambda db: wg_store.get_group(db, 1, YEAR)["signer_name"],
        "ผู้ลงนาม {}",
    ),
    "forum": (
        lambda db: forum_store.get_forum(db, 1, 1)["version"],
        lambda db, i, base: forum_store.update_forum(db, 1, 1, _forum_input(db, f"สถานที่ {i}"), None, base),
        lambda db: forum_store.get_forum(db, 1, 1)["place"],
        "สถานที่ {}",
    ),
}

_EXTRA: dict = {}


def _extra(db, i):
    """The LAO racer ``i`` selects as model LAO (made before the race)."""
    return _EXTRA[i]


def _forum_input(db, place):
    forum = forum_store.get_forum(db, 1, 1)
    import datetime as dt

    return forum_store.ForumInput(
        level="village",
        held_on=dt.date.fromisoformat(forum["held_on"]),
        start_time=forum["start_time"],
        end_time=forum["end_time"],
        place=place,
        title=forum["title"],
        village_id=forum["village_id"],
        organisers=forum["organisers"],
        dimensions=forum["dimensions"],
        attendees=forum["attendees"],
        agenda=forum["agenda"],
    )


@pytest.mark.parametrize("record", RACES)
def test_racing_saves_from_the_same_version_one_wins(db_path, db, record):
    base_of, save, stored, winner = RACES[record]
    n = 6
    if record == "model LAO":
        _EXTRA.update(
            {i: lao_store.create_lao(db, lao_store.LaoInput(f"ต้นแบบ{i}", "tao", "3701")) for i in range(1, n)}
        )
    base = base_of(db)
    barrier, won, refused, errors = threading.Barrier(n), [], [], []

    def racer(i):
        conn = connect(db_path)  # each racer its own connection, as each server worker has
        try:
            barrier.wait()
            save(conn, i, base)
            won.append(i)
        except ConflictError:
            refused.append(i)
        except Exception as error:  # pragma: no cover - reported by the assertion below
            errors.append(error)
        finally:
            conn.close()

    threads = [threading.Thread(target=racer, args=(i,)) for i in range(n)]
    for t in threads:
        t.start()
    for t in threads:
        t.join()
    assert errors == []
    assert len(won) == 1 and len(refused) == n - 1
    expected = (2 if won[0] == 0 else _EXTRA[won[0]]) if winner is None else winner.format(won[0])
    assert stored(db) == expected
