"""The audit log: what is recorded, by whom, and the hash chain that shows tampering."""

from __future__ import annotations

import json
import sqlite3
import subprocess
import sys
import threading

import pytest
from click.testing import CliRunner

from formsvc.cli import main
from formsvc.services import save_emblem
from formsvc.store import audit, connect
from formsvc.store import forums as forum_store
from formsvc.store import laos as lao_store
from formsvc.store import users as user_store
from tests.conftest import EMBLEM_SVG, login

CLERK_ID = 6  # demo user "clerk", LAO 1


def entries(db, where: str = "1", params=()) -> list[dict]:
    rows = list(db.query(f"SELECT * FROM audit_log WHERE {where} ORDER BY id", params))
    for row in rows:
        row["before"] = json.loads(row["before"]) if row["before"] else None
        row["after"] = json.loads(row["after"]) if row["after"] else None
    return rows


def last_id(db) -> int:
    return db.execute("SELECT coalesce(max(id), 0) FROM audit_log").fetchone()[0]


def test_insert_update_delete_are_recorded_with_before_and_after(db):
    start = last_id(db)
    village_id = lao_store.add_village(db, 1, 9, "บ้านใหม่")
    lao_store.update_village(db, 1, village_id, 9, "บ้านใหม่สามัคคี")
    lao_store.delete_village(db, 1, village_id)
    made, changed, deleted = entries(db, "id > ?", [start])
    assert [e["action"] for e in (made, changed, deleted)] == ["insert", "update", "delete"]
    assert all(e["table_name"] == "village" and e["row_id"] == str(village_id) for e in (made, changed, deleted))
    assert all(e["lao_id"] == 1 and e["user_id"] is None for e in (made, changed, deleted))
    assert made["before"] is None and made["after"]["name"] == "บ้านใหม่" and made["after"]["number"] == 9
    assert changed["before"]["name"] == "บ้านใหม่" and changed["after"]["name"] == "บ้านใหม่สามัคคี"
    assert deleted["before"]["name"] == "บ้านใหม่สามัคคี" and deleted["after"] is None
    assert made["at"].endswith("+00:00") and made["at"][:4].isdigit()


def test_an_update_that_changes_nothing_writes_no_entry(db):
    start = last_id(db)
    village = lao_store.get_village(db, 1, 1)
    lao_store.update_village(db, 1, 1, village["number"], village["name"])
    assert entries(db, "id > ?", [start]) == []


def test_rows_deleted_by_a_cascade_are_recorded_under_their_lao(db):
    attendees = db.execute("SELECT count(*) FROM forum_attendee WHERE forum_id = 2").fetchone()[0]
    assert attendees > 0
    start = last_id(db)
    forum_store.delete_forum(db, 1, 2)
    deleted = entries(db, "id > ? AND action = 'delete'", [start])
    tables = [e["table_name"] for e in deleted]
    assert tables.count("forum") == 1 and tables.count("forum_attendee") == attendees
    assert {e["lao_id"] for e in deleted} == {1}


def test_file_contents_are_recorded_as_a_digest_never_as_bytes(db):
    import hashlib

    start = last_id(db)
    svg = EMBLEM_SVG.replace(b"#b8860b", b"#8b0000")
    save_emblem(db, 1, svg, None)
    (entry,) = entries(db, "id > ? AND table_name = 'lao_emblem'", [start])
    assert entry["after"]["content"] == {"sha256": hashlib.sha256(svg).hexdigest(), "bytes": len(svg)}
    assert set(entry["after"]["png"]) == {"sha256", "bytes"}
    raw = db.execute("SELECT group_concat(after) FROM audit_log WHERE id > ?", [start]).fetchone()[0]
    assert "<svg" not in raw and "8b0000" not in raw


def test_password_hashes_are_never_recorded_and_sign_out_is_not_a_change(db):
    start = last_id(db)
    user_id = user_store.create_user(db, "somsak", "a-long-password", "national")
    stored = db.execute("SELECT password_hash FROM user WHERE id = ?", [user_id]).fetchone()[0]
    with db.atomic():
        db.execute("UPDATE user SET password_hash = ? WHERE id = ?", ["pbkdf2:changed", user_id])
    user_store.end_sessions(db, user_id)
    made, changed = entries(db, "id > ?", [start])
    assert made["after"]["password_hash"] == audit.REDACTED_MARK
    assert changed["before"]["password_hash"] == audit.REDACTED_MARK
    assert changed["after"]["password_hash"] == audit.REDACTED_CHANGED_MARK
    everything = db.execute("SELECT group_concat(coalesce(before, '') || after) FROM audit_log").fetchone()[0]
    assert stored not in everything and "pbkdf2" not in everything and "session_version" not in everything


def test_every_way_of_running_sql_is_recorded(db):
    start = last_id(db)
    db.conn.execute("UPDATE village SET name = 'ก' WHERE id = 1")
    db.conn.commit()
    db.conn.executemany("UPDATE village SET name = ? WHERE id = ?", [("ข", 2), ("ค", 3)])
    db.conn.commit()
    cursor = db.conn.cursor()
    cursor.execute("/* a comment first */ UPDATE village SET name = 'ง' WHERE id = 4")
    db.conn.commit()
    db.executescript("UPDATE village SET name = 'จ' WHERE id = 5;")
    assert [(e["row_id"], e["after"]["name"]) for e in entries(db, "id > ?", [start])] == [
        ("1", "ก"),
        ("2", "ข"),
        ("3", "ค"),
        ("4", "ง"),
        ("5", "จ"),
    ]


def test_a_rolled_back_write_leaves_no_entry_and_later_writes_are_still_recorded(db_path):
    db = connect(db_path)
    start = last_id(db)
    # the first write of this connection happens inside a savepoint that is rolled back
    db.conn.execute("SAVEPOINT s")
    db.conn.execute("UPDATE village SET name = 'ไม่บันทึก' WHERE id = 1")
    db.conn.execute("ROLLBACK TO s")
    db.conn.execute("RELEASE s")
    with db.atomic():
        db.execute("UPDATE village SET name = 'บันทึก' WHERE id = 1")
    assert [e["after"]["name"] for e in entries(db, "id > ?", [start])] == ["บันทึก"]
    db.close()


def test_the_web_records_who_made_the_change(client, db):
    login(client, "clerk")
    start = last_id(db)
    response = client.post("/laos/1/villages/1", data={"number": "1", "name": "บ้านหนองบัวใหม่", "version": "1"})
    assert response.status_code == 302
    (entry,) = entries(db, "id > ?", [start])
    assert entry["user_id"] == CLERK_ID and entry["after"]["name"] == "บ้านหนองบัวใหม่"


def test_the_log_refuses_changes_through_the_application(db):
    with pytest.raises(sqlite3.IntegrityError, match="append-only"):
        db.execute("UPDATE audit_log SET after = '{}' WHERE id = 1")
    with pytest.raises(sqlite3.IntegrityError, match="append-only"):
        db.execute("DELETE FROM audit_log WHERE id = 1")


# The chain ----------------------------------------------------------------------------


def run_cli(db_path, *args):
    return CliRunner().invoke(main, ["audit-verify", *args], env={"FORMSVC_DB": str(db_path)})


def tamper(db_path, *statements):
    """What someone with the database file could do: drop the guards and edit."""
    conn = sqlite3.connect(db_path)
    conn.execute("DROP TRIGGER audit_log_no_update")
    conn.execute("DROP TRIGGER audit_log_no_delete")
    for statement in statements:
        conn.execute(statement)
    conn.commit()
    conn.close()


def test_audit_verify_reports_ok_with_the_count_and_last_hash(db_path, db):
    count = db.execute("SELECT count(*) FROM audit_log").fetchone()[0]
    last = db.execute("SELECT hash FROM audit_log ORDER BY id DESC LIMIT 1").fetchone()[0]
    assert count > 100  # the demo
    result = run_cli(db_path)
    assert result.exit_code == 0, result.output
    assert f"{count} รายการ" in result.output and last in result.output
    assert run_cli(db_path, "--anchor", last).exit_code == 0


def test_an_edited_entry_is_detected(db_path):
    tamper(
        db_path,
        "UPDATE audit_log SET after = replace(after, 'บ้านหนองบัว', 'บ้านอื่น')"
        " WHERE id = (SELECT min(id) FROM audit_log WHERE after LIKE '%บ้านหนองบัว%')",
    )
    conn = sqlite3.connect(db_path)
    edited = conn.execute("SELECT min(id) FROM audit_log WHERE after LIKE '%บ้านอื่น%'").fetchone()[0]
    conn.close()
    result = run_cli(db_path)
    assert result.exit_code == 1
    assert f"รายการ {edited}:" in result.output and "ถูกแก้ไข" in result.output


def test_a_deleted_entry_is_detected(db_path):
    tamper(db_path, "DELETE FROM audit_log WHERE id = 40")
    result = run_cli(db_path)
    assert result.exit_code == 1
    assert "รายการ 41:" in result.output and "รายการที่ 40 หายไป" in result.output


def test_a_deleted_entry_with_the_ids_closed_up_is_detected(db_path):
    tamper(db_path, "DELETE FROM audit_log WHERE id = 40", "UPDATE audit_log SET id = id - 1 WHERE id > 40")
    result = run_cli(db_path)
    assert result.exit_code == 1 and "รายการ 40:" in result.output


def test_reordered_entries_are_detected(db_path):
    # swap entries 30 and 31, every column but the id
    columns = "at, user_id, table_name, row_id, action, lao_id, before, after, prev_hash, hash"
    tamper(
        db_path,
        f"CREATE TEMP TABLE swap AS SELECT id, {columns} FROM audit_log WHERE id IN (30, 31)",
        "UPDATE audit_log SET ("
        + columns
        + ") = (SELECT "
        + columns
        + " FROM swap WHERE swap.id = 61 - audit_log.id) WHERE id IN (30, 31)",
    )
    result = run_cli(db_path)
    assert result.exit_code == 1 and "รายการ 30:" in result.output


def test_a_rewritten_or_shortened_chain_is_caught_by_the_anchor(db_path, db):
    anchor = db.execute("SELECT hash FROM audit_log ORDER BY id DESC LIMIT 1").fetchone()[0]
    db.close()
    # the last entries removed: the chain itself is still consistent
    tamper(db_path, "DELETE FROM audit_log WHERE id > (SELECT max(id) - 3 FROM audit_log)")
    assert run_cli(db_path).exit_code == 0
    result = run_cli(db_path, "--anchor", anchor)
    assert result.exit_code == 1 and "ไม่พบแฮชที่บันทึกไว้ภายนอก" in result.output


WRITER = """
import sys
from formsvc.store import connect
db = connect(sys.argv[1])
for i in range(int(sys.argv[3])):
    with db.atomic():
        db.execute("UPDATE village SET name = ? WHERE id = ?", [f"p{sys.argv[2]}-{i}", int(sys.argv[2])])
"""


def test_concurrent_writers_keep_one_linear_chain(db_path):
    """Three processes and three threads write at once; SQLite's write lock orders them."""
    start = last_id(connect(db_path))
    per_writer = 15
    processes = [
        subprocess.Popen([sys.executable, "-c", WRITER, str(db_path), str(v), str(per_writer)]) for v in (1, 2, 3)
    ]
    errors = []

    def thread_writer(village_id: int):
        db = connect(db_path)
        try:
            for i in range(per_writer):
                with db.atomic():
                    db.execute("UPDATE village SET name = ? WHERE id = ?", [f"t{village_id}-{i}", village_id])
        except Exception as error:  # reported below
            errors.append(error)
        finally:
            db.close()

    threads = [threading.Thread(target=thread_writer, args=(v,)) for v in (4, 5, 6)]
    for t in threads:
        t.start()
    for t in threads:
        t.join()
    assert [p.wait(timeout=120) for p in processes] == [0, 0, 0]
    assert errors == []
    db = connect(db_path)
    written = entries(db, "id > ?", [start])
    assert len(written) == 6 * per_writer
    assert {e["row_id"] for e in written} == {"1", "2", "3", "4", "5", "6"}
    result = audit.verify(db)
    assert result.ok, result.reason
    db.close()


# The page -----------------------------------------------------------------------------


def entry_rows(html: str) -> dict[int, str]:
    """Each entry's table row on the audit page, by entry id."""
    import re

    parts = re.split(r'<tr id="entry-(\d+)">', html)
    return {int(parts[i]): parts[i + 1] for i in range(1, len(parts), 2)}


def test_a_district_office_sees_only_its_own_laos_entries(client, db):
    lao_store.update_village(db, 1, 1, 1, "บ้านในอำเภอ")  # LAO 1: district 3701
    other = lao_store.get_village(db, 3, 14)  # LAO 3: district 3702
    lao_store.update_village(db, 3, 14, other["number"], "ชุมชนอำเภออื่น")
    login(client, "district")
    html = client.get("/audit").get_data(as_text=True)
    assert "บ้านในอำเภอ" in html and "ชุมชนอำเภออื่น" not in html
    client.post("/logout")
    login(client, "admin")
    html = client.get("/audit").get_data(as_text=True)
    assert "บ้านในอำเภอ" in html and "ชุมชนอำเภออื่น" in html


def test_an_update_shows_only_the_fields_it_changed(client, db):
    old_name = lao_store.get_village(db, 1, 2)["name"]
    login(client, "clerk")
    assert (
        client.post("/laos/1/villages/2", data={"number": "2", "name": "บ้านชื่อใหม่", "version": "1"}).status_code == 302
    )
    client.post("/logout")
    login(client, "district")
    html = client.get("/audit?table=village&lao=1").get_data(as_text=True)
    rows = entry_rows(html)
    newest = rows[max(rows)]
    assert "แก้ไข" in newest and "หมู่บ้าน/ชุมชน" in newest
    assert old_name in newest and "บ้านชื่อใหม่" in newest
    assert "ปลัด อบต." in newest  # who: the clerk's display name
    assert "เลขที่" not in newest and "ประเภท" not in newest  # number and kind did not change


def test_hidden_columns_and_files_are_shown_without_their_values(client, db):
    login(client, "admin")
    response = client.post(
        "/admin/users", data={"username": "somsri", "password": "a-long-password", "role": "national", "lao_id": "0"}
    )
    assert response.status_code == 302
    stored = db.execute("SELECT password_hash FROM user WHERE username = 'somsri'").fetchone()[0]
    html = client.get("/audit?table=user").get_data(as_text=True)
    assert "somsri" in html and "(ปกปิด)" in html and stored not in html
    html = client.get("/audit?table=lao_emblem").get_data(as_text=True)
    assert "ไฟล์ SHA-256" in html and "&lt;svg" not in html and "<svg" not in html


def test_filters_by_date_user_and_lao(client, db):
    import datetime as _dt

    from formsvc.domain import clock, thai

    login(client, "clerk")
    client.post("/laos/1/villages/3", data={"number": "3", "name": "บ้านกรองวันที่", "version": "1"})
    client.post("/logout")
    login(client, "admin")
    today = clock.today()

    def shown(query: str) -> bool:
        return "บ้านกรองวันที่" in client.get(f"/audit?{query}").get_data(as_text=True)

    assert shown(f"date_from={thai.date_input(today)}&date_to={thai.date_input(today)}")
    assert not shown(f"date_from={thai.date_input(today + _dt.timedelta(days=1))}")
    assert not shown(f"date_to={thai.date_input(today - _dt.timedelta(days=1))}")
    assert shown(f"user={CLERK_ID}") and not shown("user=system")
    assert shown("lao=1") and not shown("lao=2")
    response = client.get("/audit?date_from=1/1/2569&date_to=31/12/2568")
    assert response.status_code == 400 and "วันที่สิ้นสุดอยู่ก่อนวันที่เริ่มต้น" in response.get_data(as_text=True)


def test_pages_of_fifty_newest_first_with_older_and_newer_links(client, db):
    import re

    login(client, "admin")
    first = client.get("/audit").get_data(as_text=True)
    first_ids = list(entry_rows(first))
    assert len(first_ids) == audit.PAGE_SIZE and first_ids == sorted(first_ids, reverse=True)
    assert first_ids[0] == last_id(db)
    assert "ใหม่กว่า" not in first
    older = re.search(r'href="([^"]+)" rel="next"', first).group(1).replace("&amp;", "&")
    second = client.get(older).get_data(as_text=True)
    second_ids = list(entry_rows(second))
    assert len(second_ids) == audit.PAGE_SIZE and max(second_ids) == min(first_ids) - 1
    newer = re.search(r'href="([^"]+)" rel="prev"', second).group(1).replace("&amp;", "&")
    assert list(entry_rows(client.get(newer).get_data(as_text=True))) == first_ids


def test_an_entry_costs_the_same_however_long_the_log_is(db):
    """Each entry reads only the last one (its id and hash), never the whole log: on a
    national database of a million entries a save must not cost a scan of all of them.
    Counted in SQLite's steps (its progress handler), not in seconds."""

    def steps_to_record_one(village_number: int) -> int:
        steps = [0]

        def count():
            steps[0] += 1  # returns None: go on

        db.conn.set_progress_handler(count, 1)
        try:
            lao_store.add_village(db, 1, village_number, f"บ้านทดสอบ {village_number}")
        finally:
            db.conn.set_progress_handler(None, 1)
        return steps[0]

    steps_to_record_one(89)  # the connection's first write also makes its triggers
    before = steps_to_record_one(90)
    with db.atomic():  # the log grows by 3,000 entries
        db.conn.executemany(
            "INSERT INTO village (lao_id, kind, number, name) VALUES (1, 'village', ?, ?)",
            [(100 + n, f"บ้าน {n}") for n in range(3000)],
        )
    after = steps_to_record_one(91)
    assert last_id(db) > 3000 and after < before + 500, (before, after)
    assert audit.verify(db).ok
