"""Programme years: settings and dimensions per year, opening the next year, reading a
closed one (DOMAIN.md second review, "Programme years")."""
from __future__ import annotations

import json

import pytest
from click.testing import CliRunner

from formsvc import services
from formsvc.cli import main
from formsvc.store import programme as programme_store
from formsvc.store.errors import InputError, NotFound
from tests.conftest import YEAR, csrf_token, ids, login


def cli(db_path, *args):
    return CliRunner().invoke(main, [str(a) for a in args], env={"FORMSVC_DB": str(db_path)})


def global_stamp(db) -> int:
    return db.execute("SELECT coalesce(max(stamp), 0) FROM lao_stamp WHERE lao_id = 0").fetchone()[0]


# Per-year settings ----------------------------------------------------------------------

def test_the_single_settings_row_becomes_its_year(tmp_path):
    from formsvc.store import connect
    from formsvc.store.migrations import migrate

    db = connect(tmp_path / "old.db")
    migrate(db, target=18)
    db.execute("INSERT INTO programme (id, year_be, start_month, end_month, late_days, version)"
               " VALUES (1, ?, 2, 8, 21, 4)", [YEAR])
    db.conn.executemany("INSERT INTO dimension (position, name) VALUES (?, ?)", [(2, "สุขภาพ"), (1, "เศรษฐกิจ")])
    migrate(db)
    assert [tuple(r) for r in db.execute("SELECT year_be, start_month, end_month, late_days, version FROM programme")] == \
        [(YEAR, 2, 8, 21, 4)]
    assert programme_store.dimensions(db) == programme_store.dimensions(db, YEAR) == ["เศรษฐกิจ", "สุขภาพ"]
    assert programme_store.get_programme(db).late_days == 21
    # the stamp triggers were made again on the new tables
    before = global_stamp(db)
    db.execute("UPDATE programme SET late_days = 22")
    db.execute("INSERT INTO dimension (programme_year, position, name) VALUES (?, 3, 'การศึกษา')", [YEAR])
    assert global_stamp(db) == before + 2
    db.close()


def test_an_unknown_year_is_not_found(db):
    assert programme_store.get_programme(db, YEAR).year_be == YEAR
    with pytest.raises(NotFound):
        programme_store.get_programme(db, YEAR + 1)


# Opening a year ---------------------------------------------------------------------------

def test_opening_the_next_year_copies_settings_and_model_laos_not_the_records(db):
    models = [tuple(r) for r in db.execute("SELECT district_code, lao_id FROM model_lao WHERE programme_year = ? ORDER BY 1",
                        [YEAR])]
    villages = [tuple(r) for r in db.execute("SELECT * FROM village ORDER BY id")]
    forums = ids(db, "SELECT id FROM forum WHERE programme_year = ?", [YEAR])
    assert models and forums
    stamp = global_stamp(db)
    result = programme_store.open_new_year(db, YEAR + 1, None)
    assert result == {"year_be": YEAR + 1, "from_year": YEAR, "dimensions": len(programme_store.dimensions(db, YEAR)),
                      "model_laos": len(models)}
    assert programme_store.open_year(db) == YEAR + 1 == programme_store.get_programme(db).year_be
    assert programme_store.dimensions(db) == programme_store.dimensions(db, YEAR)
    assert programme_store.get_programme(db).late_days == programme_store.get_programme(db, YEAR).late_days
    assert [tuple(r) for r in db.execute("SELECT district_code, lao_id FROM model_lao WHERE programme_year = ?"
                                         " ORDER BY 1", [YEAR + 1])] == models
    assert [tuple(r) for r in db.execute("SELECT * FROM village ORDER BY id")] == villages
    for table in ("forum", "project", "working_group", "lao_order", "report"):
        assert db.execute(f"SELECT count(*) FROM {table} WHERE programme_year = ?", [YEAR + 1]).fetchone()[0] == 0
    assert ids(db, "SELECT id FROM forum WHERE programme_year = ?", [YEAR]) == forums
    assert global_stamp(db) > stamp  # every cached criterion is computed again


@pytest.mark.parametrize("year, message", [(YEAR, f"ปีดำเนินการ {YEAR} เปิดไว้แล้ว"),
                                           (YEAR + 2, f"เปิดได้เฉพาะปีถัดจากปีล่าสุด คือปี {YEAR + 1}"),
                                           (YEAR - 1, f"เปิดได้เฉพาะปีถัดจากปีล่าสุด คือปี {YEAR + 1}"),
                                           ("ปีหน้า", "ต้องเป็นตัวเลขปี พ.ศ.")])
def test_only_the_year_after_the_latest_can_be_opened(db, year, message):
    with pytest.raises(InputError) as error:
        programme_store.open_new_year(db, year, None)
    assert message in error.value.message
    assert programme_store.years(db) == [YEAR]


def test_admin_opens_a_year_after_a_confirmation(client, db):
    login(client, "admin")
    assert f"เปิดปีดำเนินการ {YEAR + 1}" in client.get("/admin").get_data(as_text=True)
    page = client.get("/admin/years/open").get_data(as_text=True)
    assert programme_store.years(db) == [YEAR]  # asking is not doing
    assert f"เปิดปีดำเนินการ {YEAR + 1}" in page and "หมู่บ้านและชุมชนเป็นของ อปท." in page
    assert "แต่ละอำเภอคง อปท.ต้นแบบเดิมไว้" in page
    token = csrf_token(client, "/admin/years/open")
    response = client.post("/admin/years/open", data={"csrf_token": token, "year_be": str(YEAR + 2)})
    assert response.status_code == 400 and f"คือปี {YEAR + 1}" in response.get_data(as_text=True)
    assert programme_store.years(db) == [YEAR]
    response = client.post("/admin/years/open", data={"csrf_token": token, "year_be": str(YEAR + 1)})
    assert response.status_code == 302
    assert programme_store.years(db) == [YEAR, YEAR + 1]
    assert db.execute("SELECT opened_by FROM programme WHERE year_be = ?", [YEAR + 1]).fetchone()[0] == \
        db.execute("SELECT id FROM user WHERE username = 'admin'").fetchone()[0]
    assert f"เปิดปีดำเนินการ {YEAR + 1} แล้ว" in client.get("/admin").get_data(as_text=True)


def test_cli_opens_the_next_year_and_refuses_others(db_path, db):
    result = cli(db_path, "open-year", YEAR + 2)
    assert result.exit_code == 1 and f"คือปี {YEAR + 1}" in result.output
    result = cli(db_path, "open-year", YEAR + 1)
    assert result.exit_code == 0, result.output
    assert f"เปิดปีดำเนินการ {YEAR + 1} แล้ว" in result.output
    assert programme_store.years(db) == [YEAR, YEAR + 1]
    result = cli(db_path, "open-year", YEAR + 1)
    assert result.exit_code == 1 and "เปิดไว้แล้ว" in result.output


def test_after_opening_the_clerk_works_in_the_new_year(app, db):
    programme_store.open_new_year(db, YEAR + 1, None)
    client = app.test_client()
    login(client, "clerk")
    assert client.get("/laos/1").status_code == 200
    old_projects = db.execute("SELECT count(*) FROM project WHERE lao_id = 1").fetchone()[0]
    old_name = db.execute("SELECT name FROM project WHERE lao_id = 1 ORDER BY rank LIMIT 1").fetchone()[0]
    assert old_projects and old_name not in client.get("/laos/1/projects").get_data(as_text=True)
    response = client.post("/laos/1/projects", data={"rank": "1", "name": "ถนนปีใหม่",
                                                     "dimension": programme_store.dimensions(db)[0]})
    assert response.status_code == 302
    assert db.execute("SELECT programme_year FROM project WHERE name = 'ถนนปีใหม่'").fetchone()[0] == YEAR + 1
    assert db.execute("SELECT count(*) FROM project WHERE lao_id = 1").fetchone()[0] == old_projects + 1
    result = services.compliance(db, 1)
    assert result["programme_year"] == YEAR + 1 and not result["all_met"]
