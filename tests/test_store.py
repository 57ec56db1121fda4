"""Migrations, geography and init-db."""

import re
from importlib import resources
from pathlib import Path

import geothai
import pytest
from click.testing import CliRunner

from formsvc.cli import main
from formsvc.store import connect
from formsvc.store.geography import BANGKOK
from formsvc.store.migrations import MIGRATIONS, current_version, latest_version, migrate, statements
from formsvc.store.setup import init_db

TABLES = (
    "province",
    "district",
    "subdistrict",
    "lao",
    "lao_subdistrict",
    "village",
    "user",
    "working_group",
    "working_group_member",
    "operation_activity",
    "lao_order",
    "issued_document",
    "certificate",
    "lao_emblem",
    "forum",
    "forum_attendee",
    "forum_agenda",
    "project",
    "project_import",
    "report",
    "report_submission",
    "programme",
    "dimension",
    "model_lao",
    "model_lao_change",
    "meta",
)


def test_migrate_from_empty_creates_every_table(tmp_path):
    db = connect(tmp_path / "a.db")
    assert current_version(db) == 0
    assert migrate(db) == [v for v, _, _ in MIGRATIONS]
    assert current_version(db) == latest_version()
    assert set(TABLES) <= set(db.table_names())
    assert migrate(db) == []  # nothing twice


def test_database_pragmas(tmp_path):
    db = connect(tmp_path / "a.db")
    assert db.execute("PRAGMA journal_mode").fetchone()[0] == "wal"
    assert db.execute("PRAGMA foreign_keys").fetchone()[0] == 1
    assert db.execute("PRAGMA busy_timeout").fetchone()[0] >= 1000


def schema_dump(db) -> str:
    """Every table, index and trigger as sqlite_master holds it, one after another."""
    return "".join(
        f"-- {r['type']} {r['name']} on {r['tbl_name']}\n{r['sql']};\n"
        for r in db.query(
            "SELECT type, name, tbl_name, sql FROM sqlite_master WHERE name NOT LIKE 'sqlite_%' ORDER BY type, name"
        )
    )


def test_the_migration_files_make_the_schema_the_earlier_code_made(tmp_path):
    """tests/fixtures/schema-v20.sql is sqlite_master of a database made by the
    migrations as Python code, before they were files: a database made now is the same
    to the byte (tables, indexes, and every trigger's text), so old and new databases
    agree. A released migration file that changes fails here."""
    db = connect(tmp_path / "a.db")
    migrate(db, target=20)
    expected = (Path(__file__).parent / "fixtures" / "schema-v20.sql").read_text(encoding="utf-8")
    assert schema_dump(db) == expected


def test_migrations_are_numbered_files_inside_the_package():
    files = sorted(
        f.name
        for f in resources.files("formsvc.store.migrations").iterdir()
        if re.fullmatch(r"\d{4}_\w+\.(sql|py)", f.name)
    )
    assert [int(name[:4]) for name in files] == [v for v, _, _ in MIGRATIONS]
    # the compliance-cache triggers are written out in the file's own text
    cache = resources.files("formsvc.store.migrations").joinpath("0012_compliance_cache.sql").read_text("utf-8")
    assert cache.count("CREATE TRIGGER") == 30 and "{" not in cache


def test_a_script_splits_where_sqlite_ends_a_statement():
    script = """-- name: x; with a semicolon
    CREATE TABLE t (a TEXT DEFAULT ';
');
    CREATE TRIGGER t_stamp AFTER UPDATE ON t BEGIN INSERT INTO t VALUES ('a;');
INSERT INTO t VALUES ('b'); END;
    /* a; comment */
    CREATE INDEX t_a ON t(a)
    """
    found = statements(script)
    assert len(found) == 3
    assert found[1].strip().startswith("CREATE TRIGGER") and found[1].rstrip().endswith("END;")
    assert found[2].strip() == "/* a; comment */\n    CREATE INDEX t_a ON t(a)"


@pytest.mark.parametrize("start", range(1, len(MIGRATIONS)))
def test_an_old_database_upgrades_to_the_same_schema_and_keeps_its_data(tmp_path, start):
    fresh = connect(tmp_path / "fresh.db")
    migrate(fresh)
    old = connect(tmp_path / "old.db")
    migrate(old, target=start)
    assert current_version(old) == start
    old.execute("INSERT INTO province (code, name_th, name_en) VALUES ('37', 'อำนาจเจริญ', 'Amnat Charoen')")
    old.execute(
        "INSERT INTO district (code, province_code, name_th, name_en, kind)"
        " VALUES ('3701', '37', 'เมืองอำนาจเจริญ', 'Mueang', 'amphoe')"
    )
    old.conn.commit()
    applied = migrate(old)
    assert applied == [v for v, _, _ in MIGRATIONS if v > start]
    # the same tables, indexes and triggers, to the byte (not even whitespace differs)
    assert schema_dump(old) == schema_dump(fresh)
    assert old.execute("SELECT name_th FROM district WHERE code = '3701'").fetchone()[0] == "เมืองอำนาจเจริญ"


def test_a_failing_migration_leaves_the_previous_version(tmp_path, monkeypatch):
    db = connect(tmp_path / "a.db")
    migrate(db, target=2)

    def broken(database):
        database.execute("CREATE TABLE half_done (x)")
        raise RuntimeError("boom")

    version, name, _ = MIGRATIONS[2]
    monkeypatch.setattr(
        "formsvc.store.migrations.MIGRATIONS", [*MIGRATIONS[:2], (version, name, broken), *MIGRATIONS[3:]]
    )
    with pytest.raises(RuntimeError):
        migrate(db)
    assert current_version(db) == 2
    assert "half_done" not in db.table_names()


def test_geography_counts_equal_geothai(db):
    provinces = geothai.provinces()
    districts = [d for p in provinces for d in geothai.districts(p.code)]
    subdistricts = [s for d in districts for s in geothai.subdistricts(d.code)]
    assert db["province"].count == len(provinces)
    assert db["district"].count == len(districts)
    assert db["subdistrict"].count == len(subdistricts)
    khet = [d for d in districts if d.province_code == BANGKOK]
    assert db.execute("SELECT count(*) FROM district WHERE kind = 'khet'").fetchone()[0] == len(khet)
    assert db.execute("SELECT count(*) FROM district WHERE kind = 'amphoe'").fetchone()[0] == len(districts) - len(khet)
    assert all(d.name_th.startswith("เขต") for d in khet)


def counts(db) -> dict:
    return {t: db[t].count for t in TABLES}


def test_init_db_demo_twice_adds_nothing_twice(tmp_path):
    db = connect(tmp_path / "a.db")
    init_db(db, demo=True)
    first = counts(db)
    result = init_db(db, demo=True)
    assert result["demo_loaded"] is False
    assert counts(db) == first
    assert first["lao"] >= 4 and first["model_lao"] >= 4
    kinds = {r["kind"] for r in db.query("SELECT l.kind FROM model_lao m JOIN lao l ON l.id = m.lao_id")}
    assert kinds == {"tao", "tambon_municipality"}
    per_lao = [
        r[0]
        for r in db.execute("SELECT count(*) FROM model_lao m JOIN village v ON v.lao_id = m.lao_id GROUP BY m.lao_id")
    ]
    assert all(5 <= n <= 12 for n in per_lao)
    roles = {r[0] for r in db.execute("SELECT role FROM user")}
    assert roles == {"lao_clerk", "facilitator", "district", "province", "national", "admin"}


def run(tmp_path, *args, input=None):
    db = tmp_path / "cli.db"
    return CliRunner().invoke(main, list(args), env={"FORMSVC_DB": str(db)}, input=input)


def test_cli_init_db_and_laos(tmp_path):
    result = run(tmp_path, "init-db", "--demo")
    assert result.exit_code == 0, result.output
    assert "clerk" in result.output and "formsvc-demo" in result.output
    again = run(tmp_path, "init-db", "--demo")
    assert again.exit_code == 0 and "already present" in again.output
    listed = run(tmp_path, "laos", "--json")
    assert listed.exit_code == 0
    import json

    rows = json.loads(listed.output)
    assert {"id", "name", "kind", "district", "model"} <= set(rows[0])
    assert sum(r["model"] for r in rows) == 4


def test_cli_create_user_exit_codes(tmp_path):
    assert run(tmp_path, "init-db").exit_code == 0
    ok = run(
        tmp_path, "create-user", "somchai", "--role", "province", "--province", "37", "--password", "long-enough-1"
    )
    assert ok.exit_code == 0, ok.output
    duplicate = run(tmp_path, "create-user", "SOMCHAI", "--role", "national", "--password", "long-enough-1")
    assert duplicate.exit_code == 1 and "ชื่อผู้ใช้นี้มีอยู่แล้ว" in duplicate.output
    unknown = run(
        tmp_path, "create-user", "dist", "--role", "district", "--district", "9999", "--password", "long-enough-1"
    )
    assert unknown.exit_code == 1 and "ไม่พบรหัสอำเภอ" in unknown.output
    usage = run(tmp_path, "create-user", "x", "--role", "king")
    assert usage.exit_code == 2
    prompted = run(tmp_path, "create-user", "nat", "--role", "national", input="long-enough-1\nlong-enough-1\n")
    assert prompted.exit_code == 0, prompted.output


def test_a_transaction_that_reads_then_writes_waits_for_another_writer(db_path):
    """Two workers at once: one checks a version then saves, the other saves meanwhile.

    With sqlite-utils' deferred BEGIN the first one's write failed at once with
    "database is locked" (WAL: its read snapshot was stale); atomic() now begins
    IMMEDIATE, so the second writer waits for the first to commit."""
    import threading
    import time

    first, second = connect(db_path), connect(db_path)
    read_done, errors = threading.Event(), []

    # plain sleeps, not timed waits on threading primitives: libfaketime (make test runs
    # the suite under it) mishandles those
    def other_worker():
        for _ in range(50):
            if read_done.is_set():
                break
            time.sleep(0.1)
        try:
            with second.atomic():
                second.execute("UPDATE report SET progress = 'second' WHERE id = 3")
        except Exception as error:  # pragma: no cover - the failure being tested
            errors.append(error)

    thread = threading.Thread(target=other_worker)
    thread.start()
    try:
        with first.atomic():
            version = first.execute("SELECT version FROM forum WHERE id = 1").fetchone()[0]
            read_done.set()
            time.sleep(0.5)  # give the other worker time to commit, if it can
            first.execute("UPDATE forum SET version = ? WHERE id = 1", [version + 1])
    finally:
        thread.join()
    assert errors == []
    assert first.execute("SELECT version FROM forum WHERE id = 1").fetchone()[0] == version + 1
    assert first.execute("SELECT progress FROM report WHERE id = 3").fetchone()[0] == "second"
    first.close()
    second.close()


def test_a_missing_migration_numbered_below_the_latest_is_still_applied(tmp_path, monkeypatch):
    # branches may number migrations out of merge order (18 before 17): a database that
    # has the later one still gets the earlier one when it arrives
    db = connect(tmp_path / "a.db")
    ran = []
    latest = latest_version()
    later = (latest + 2, "merged first", lambda database: ran.append(latest + 2))
    earlier = (latest + 1, "merged second", lambda database: ran.append(latest + 1))
    monkeypatch.setattr("formsvc.store.migrations.MIGRATIONS", [*MIGRATIONS, later])
    migrate(db)
    monkeypatch.setattr("formsvc.store.migrations.MIGRATIONS", [*MIGRATIONS, earlier, later])
    assert migrate(db) == [latest + 1] and ran == [latest + 2, latest + 1]
    assert migrate(db) == []
