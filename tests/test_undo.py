"""Deleting a forum, a village/community or a project can be undone for 30 days: the
restore button right after deleting, the recently-deleted page, the purge after 30 days,
restores that would break a rule refused in Thai, and who may restore."""

from __future__ import annotations

import datetime as dt
import re

from click.testing import CliRunner

from formsvc import services
from formsvc.cli import main
from formsvc.domain import clock
from formsvc.store.setup import DEMO_PASSWORD
from tests.conftest import arabic, csrf_token, ids, login

LAO_FORUM = 9  # LAO 1's LAO-level forum: it adopted projects 1-12 (tests/test_access.py)


def _results(db, lao_id=1):
    return [r.to_json() | {"n": r.numerator, "d": r.denominator} for r in services.compliance_results(db, lao_id)]


def _forum_rows(db, forum_id):
    return {
        "forum": db.execute("SELECT * FROM forum WHERE id = ?", [forum_id]).fetchall(),
        "attendees": db.execute("SELECT * FROM forum_attendee WHERE forum_id = ? ORDER BY id", [forum_id]).fetchall(),
        "agenda": db.execute("SELECT * FROM forum_agenda WHERE forum_id = ? ORDER BY id", [forum_id]).fetchall(),
        "projects": ids(db, "SELECT id FROM project WHERE forum_id = ? ORDER BY id", [forum_id]),
    }


def _restore_button(html: str) -> str:
    """The action of the restore form the page shows after a deletion."""
    match = re.search(r'class="flash success undo" role="status"><form method="post" action="([^"]+/restore)"', html)
    assert match, "no restore button after deleting"
    assert "เรียกคืน" in html
    return match.group(1)


def _csrf_client(make_app, username="clerk"):
    app = make_app(EXPORT_RUNNER=False)  # CSRF on
    client = app.test_client()
    token = csrf_token(client, "/login")
    response = client.post("/login", data={"username": username, "password": DEMO_PASSWORD, "csrf_token": token})
    assert response.status_code == 302
    return client


def _forums_cli(db_path, monkeypatch):
    monkeypatch.setenv("FORMSVC_DB", str(db_path))
    result = CliRunner().invoke(main, ["forums", "--lao", "1", "--json"])
    return result.output


def test_forum_deleted_then_restored_through_the_page(make_app, db, db_path, monkeypatch):
    client = _csrf_client(make_app)
    before, results = _forum_rows(db, LAO_FORUM), _results(db)
    title = before["forum"][0]["title"]
    assert before["projects"] and before["attendees"] and before["agenda"]
    token = csrf_token(client, f"/laos/1/forums/{LAO_FORUM}")
    assert client.post(f"/laos/1/forums/{LAO_FORUM}/delete").status_code == 400  # no token: nothing happens
    assert _forum_rows(db, LAO_FORUM) == before

    page = client.post(f"/laos/1/forums/{LAO_FORUM}/delete", data={"csrf_token": token}, follow_redirects=True)
    html = page.get_data(as_text=True)
    action = _restore_button(html)
    # gone from the list, the documents, the criteria and the CLI listing
    assert title not in html.split('role="status"', 1)[1].split("</form>", 1)[1]
    assert client.get(f"/laos/1/documents/minutes.docx?forum={LAO_FORUM}").status_code == 404
    assert _results(db) != results
    assert ids(db, "SELECT id FROM project WHERE forum_id = ?", [LAO_FORUM]) == []
    assert title not in _forums_cli(db_path, monkeypatch)
    # listed as recently deleted, by whom
    deleted = client.get("/laos/1/deleted").get_data(as_text=True)
    assert title in deleted and "เวทีประชาคม" in deleted

    token = csrf_token(client, "/laos/1/deleted")
    assert client.post(action).status_code == 400  # the restore needs its token too
    response = client.post(action, data={"csrf_token": token}, follow_redirects=True)
    assert response.status_code == 200
    assert "เรียกคืนเวทีประชาคมแล้ว" in response.get_data(as_text=True)
    assert _forum_rows(db, LAO_FORUM) == before
    assert _results(db) == results
    assert client.get(f"/laos/1/documents/minutes.docx?forum={LAO_FORUM}").status_code == 200
    assert title in _forums_cli(db_path, monkeypatch)
    assert title not in client.get("/laos/1/deleted").get_data(as_text=True)


def test_village_deleted_then_restored(make_app, db):
    client = _csrf_client(make_app)
    token = csrf_token(client, "/laos/1/villages")
    client.post("/laos/1/villages", data={"csrf_token": token, "number": "20", "name": "บ้านใหม่พัฒนา"})
    vid = ids(db, "SELECT id FROM village WHERE lao_id = 1 AND number = 20")[0]
    db.execute("UPDATE project SET village_id = ? WHERE id = 12", [vid])
    results = _results(db)
    page = client.post(f"/laos/1/villages/{vid}/delete", data={"csrf_token": token}, follow_redirects=True)
    action = _restore_button(page.get_data(as_text=True))
    assert ids(db, "SELECT id FROM village WHERE id = ?", [vid]) == []
    assert ids(db, "SELECT village_id FROM project WHERE id = 12") == [None]
    assert _results(db) != results  # one village more without a forum: criterion 2 counted it
    client.post(action, data={"csrf_token": token})
    assert ids(db, "SELECT number FROM village WHERE id = ?", [vid]) == [20]
    assert ids(db, "SELECT village_id FROM project WHERE id = 12") == [vid]
    assert _results(db) == results


def test_project_deleted_then_restored(make_app, db):
    client = _csrf_client(make_app)
    before = db.execute("SELECT * FROM project WHERE id = 3").fetchall()
    results = _results(db)
    token = csrf_token(client, "/laos/1/projects/3")
    page = client.post("/laos/1/projects/3/delete", data={"csrf_token": token}, follow_redirects=True)
    action = _restore_button(page.get_data(as_text=True))
    assert ids(db, "SELECT id FROM project WHERE id = 3") == []
    assert _results(db) != results
    client.post(action, data={"csrf_token": token})
    assert db.execute("SELECT * FROM project WHERE id = 3").fetchall() == before
    assert _results(db) == results


def test_delete_and_restore_bump_the_laos_stamp(client, db):
    login(client, "clerk")
    stamp = lambda: db.execute("SELECT stamp FROM lao_stamp WHERE lao_id = 1").fetchone()[0]  # noqa: E731
    first = stamp()
    client.post("/laos/1/projects/3/delete")
    assert stamp() > first
    second = stamp()
    entry = ids(db, "SELECT id FROM deleted_record")[0]
    client.post(f"/laos/1/deleted/{entry}/restore")
    assert stamp() > second
    actions = [r[0] for r in db.execute("SELECT action FROM audit_log WHERE table_name = 'project' AND row_id = '3'")]
    assert actions[-2:] == ["delete", "insert"]


def test_restore_refused_in_thai_when_the_number_or_rank_is_taken(client, db):
    login(client, "clerk")
    client.post("/laos/1/villages", data={"number": "21", "name": "บ้านเก่า"})
    vid = ids(db, "SELECT id FROM village WHERE lao_id = 1 AND number = 21")[0]
    client.post(f"/laos/1/villages/{vid}/delete")
    client.post("/laos/1/villages", data={"number": "21", "name": "บ้านใหม่"})
    client.post("/laos/1/projects/3/delete")
    db.execute("UPDATE project SET rank = 3 WHERE id = 12")
    village_entry, project_entry = ids(db, "SELECT id FROM deleted_record ORDER BY id")
    villages = db.execute("SELECT * FROM village ORDER BY id").fetchall()
    projects = db.execute("SELECT * FROM project ORDER BY id").fetchall()

    page = arabic(client.post(f"/laos/1/deleted/{village_entry}/restore", follow_redirects=True).get_data(as_text=True))
    assert "เรียกคืนหมู่ที่ 21 บ้านเก่าไม่ได้" in page and "หมู่ที่ 21 บ้านใหม่" in page
    page = arabic(client.post(f"/laos/1/deleted/{project_entry}/restore", follow_redirects=True).get_data(as_text=True))
    assert "ลำดับ 3 ซ้ำกับโครงการ" in page
    assert db.execute("SELECT * FROM village ORDER BY id").fetchall() == villages
    assert db.execute("SELECT * FROM project ORDER BY id").fetchall() == projects
    assert ids(db, "SELECT id FROM deleted_record ORDER BY id") == [village_entry, project_entry]


def test_forum_of_a_deleted_village_is_not_restored(client, db):
    login(client, "clerk")
    client.post("/laos/1/forums/8/delete")
    client.post("/laos/1/villages/8/delete")
    forum_entry = ids(db, "SELECT id FROM deleted_record WHERE kind = 'forum'")[0]
    page = client.post(f"/laos/1/deleted/{forum_entry}/restore", follow_redirects=True).get_data(as_text=True)
    assert "เรียกคืนหมู่บ้าน/ชุมชนก่อน" in page
    assert ids(db, "SELECT id FROM forum WHERE id = 8") == []


def test_only_the_laos_clerk_and_admins_restore(make_app, db):
    app = make_app(WTF_CSRF_ENABLED=False, EXPORT_RUNNER=False)
    clerk = app.test_client()
    login(clerk, "clerk")
    page = clerk.post("/laos/1/forums/2/delete", follow_redirects=True).get_data(as_text=True)
    entry = ids(db, "SELECT id FROM deleted_record")[0]
    facilitator = app.test_client()
    login(facilitator, "facilitator")
    assert facilitator.get("/laos/1/deleted").status_code == 404
    assert facilitator.post(f"/laos/1/deleted/{entry}/restore").status_code == 404
    # a facilitator who removes a forum is told who can bring it back, with no button
    page = facilitator.post("/laos/1/forums/3/delete", follow_redirects=True).get_data(as_text=True)
    assert "/restore" not in page and "เจ้าหน้าที่ของ อปท." in page
    district = app.test_client()
    login(district, "district")
    assert district.post(f"/laos/1/deleted/{entry}/restore").status_code == 403
    # another LAO's clerk: LAO 3's entry is not there for LAO 1's clerk
    admin = app.test_client()
    login(admin, "admin")
    admin.post("/laos/3/forums/11/delete")
    other = ids(db, "SELECT id FROM deleted_record WHERE lao_id = 3")[0]
    assert clerk.post(f"/laos/3/deleted/{other}/restore").status_code == 404
    assert clerk.post(f"/laos/1/deleted/{other}/restore").status_code == 404
    assert clerk.get("/laos/3/deleted").status_code == 404
    assert ids(db, "SELECT id FROM forum WHERE id IN (2, 11)") == []
    assert admin.post(f"/laos/3/deleted/{other}/restore").status_code == 302
    assert ids(db, "SELECT id FROM forum WHERE id = 11") == [11]


def test_purged_after_30_days(client, db, db_path, travel, monkeypatch):
    travel(clock.today())
    login(client, "clerk")
    client.post("/laos/1/forums/2/delete")
    entry = ids(db, "SELECT id FROM deleted_record")[0]
    travel(clock.today() + dt.timedelta(days=29))
    login(client, "clerk")  # the session has ended meanwhile
    assert "ทบทวนแผนชุมชน" in client.get("/laos/1/deleted").get_data(as_text=True)
    monkeypatch.setenv("FORMSVC_DB", str(db_path))
    assert CliRunner().invoke(main, ["purge-deleted"]).output.strip() == "0"
    travel(clock.today() + dt.timedelta(days=2))
    login(client, "clerk")
    page = client.get("/laos/1/deleted").get_data(as_text=True)
    assert "ทบทวนแผนชุมชน" not in page  # past its 30 days: no longer offered
    assert client.post(f"/laos/1/deleted/{entry}/restore").status_code == 404
    assert CliRunner().invoke(main, ["purge-deleted"]).output.strip() == "1"
    assert ids(db, "SELECT id FROM deleted_record") == []
