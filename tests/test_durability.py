"""Backup, restore and crashes: the database is never torn and never half-changed."""

from __future__ import annotations

import csv
import hashlib
import os
import signal
import sqlite3
import subprocess
import sys
import time
from pathlib import Path

import pytest
from click.testing import CliRunner

from formsvc.cli import main
from formsvc.store import connect
from formsvc.store.migrations import latest_version
from formsvc.store.programme import dimensions
from tests.conftest import login


def cli(db_path, *args):
    return CliRunner().invoke(main, [str(a) for a in args], env={"FORMSVC_DB": str(db_path)})


def digest(path) -> dict:
    """Every table's row count and a hash of its rows (in a fixed order)."""
    conn = sqlite3.connect(f"{Path(path).resolve().as_uri()}?mode=ro", uri=True)
    try:
        tables = [r[0] for r in conn.execute("SELECT name FROM sqlite_master WHERE type = 'table' ORDER BY name")]
        result = {}
        for table in tables:
            rows = sorted(repr(tuple(r)) for r in conn.execute(f'SELECT * FROM "{table}"'))
            result[table] = (len(rows), hashlib.sha256("\n".join(rows).encode()).hexdigest())
        return result
    finally:
        conn.close()


def single_value(path, sql, params=()):
    conn = sqlite3.connect(path)
    try:
        return conn.execute(sql, params).fetchone()[0]
    finally:
        conn.close()


def test_backup_is_one_checked_file(db_path, tmp_path):
    out = tmp_path / "copies" / "formsvc-backup.db"
    out.parent.mkdir()
    result = cli(db_path, "backup", out)
    assert result.exit_code == 0, result.output
    assert "integrity_check: ok" in result.output
    assert sorted(p.name for p in out.parent.iterdir()) == ["formsvc-backup.db"]  # no -wal, no temp file
    assert single_value(out, "PRAGMA journal_mode") == "delete"
    assert single_value(out, "PRAGMA integrity_check") == "ok"
    assert digest(out) == digest(db_path)


def test_backup_while_a_write_is_in_progress_copies_only_what_was_committed(db_path, tmp_path):
    writer = sqlite3.connect(db_path, isolation_level=None)
    writer.execute("BEGIN IMMEDIATE")  # the server holds the write lock, mid-request
    writer.execute("INSERT INTO village (lao_id, kind, number, name) VALUES (1, 'village', 99, 'บ้านกลางทาง')")
    result = cli(db_path, "backup", tmp_path / "copy.db")  # does not wait for the writer
    writer.execute("COMMIT")
    writer.close()
    assert result.exit_code == 0, result.output
    assert single_value(tmp_path / "copy.db", "SELECT count(*) FROM village WHERE name = 'บ้านกลางทาง'") == 0
    assert single_value(db_path, "SELECT count(*) FROM village WHERE name = 'บ้านกลางทาง'") == 1


def test_backup_refusals_leave_the_old_backup_alone(db_path, tmp_path):
    old = tmp_path / "old.db"
    assert cli(db_path, "backup", old).exit_code == 0
    before = old.read_bytes()
    result = cli(db_path, "backup", tmp_path / "no-such-folder" / "x.db")
    assert result.exit_code == 1 and "ไม่พบโฟลเดอร์" in result.output
    result = cli(db_path, "backup", tmp_path)
    assert result.exit_code == 1 and "เป็นโฟลเดอร์" in result.output
    result = cli(tmp_path / "missing.db", "backup", old)
    assert result.exit_code == 1 and "ไม่พบฐานข้อมูล" in result.output
    assert old.read_bytes() == before
    assert not (tmp_path / "missing.db").exists()  # backing up never creates a database
    assert cli(db_path, "backup").exit_code == 2  # usage


def modify(db_path):
    db = connect(db_path)
    db.execute("DELETE FROM project WHERE lao_id = 1")
    db.execute("INSERT INTO village (lao_id, kind, number, name) VALUES (1, 'village', 99, 'บ้านหลังสำรอง')")
    db.execute("UPDATE user SET display_name = 'เปลี่ยนแล้ว' WHERE username = 'clerk'")
    db.execute("UPDATE lao SET name = 'ชื่อใหม่' WHERE id = 2")
    db.conn.commit()
    db.close()


def test_round_trip_backup_modify_restore(db_path, tmp_path, make_app):
    copy = tmp_path / "backup.db"
    original = digest(db_path)
    assert cli(db_path, "backup", copy).exit_code == 0
    # a running server (its own connections) sees the restore without a restart
    client = make_app(WTF_CSRF_ENABLED=False).test_client()
    login(client, "clerk")
    modify(db_path)
    assert digest(db_path) != original
    assert "บ้านหลังสำรอง" in client.get("/laos/1/villages").get_data(as_text=True)

    result = cli(db_path, "restore", copy)
    assert result.exit_code == 0, result.output
    assert digest(db_path) == digest(copy) == original
    assert single_value(db_path, "PRAGMA integrity_check") == "ok"
    assert single_value(db_path, "PRAGMA journal_mode") == "wal"
    assert "บ้านหลังสำรอง" not in client.get("/laos/1/villages").get_data(as_text=True)
    # the database as it was before the restore is kept, whole
    kept = [p for p in tmp_path.iterdir() if p.name.startswith("formsvc.db.before-restore-")]
    assert len(kept) == 1 and str(kept[0]) in result.output
    assert single_value(kept[0], "SELECT count(*) FROM village WHERE name = 'บ้านหลังสำรอง'") == 1


def test_restore_of_an_older_backup_migrates_it(tmp_path):
    old = tmp_path / "old.db"
    db = connect(old)
    from formsvc.store.migrations import migrate

    migrate(db, target=latest_version() - 1)
    db.close()
    live = tmp_path / "live.db"
    result = cli(live, "restore", old)
    assert result.exit_code == 0, result.output
    assert single_value(live, "SELECT max(version) FROM schema_version") == latest_version()


def test_restore_of_a_backup_with_another_page_size(db_path, tmp_path):
    copy = tmp_path / "big-pages.db"
    assert cli(db_path, "backup", copy).exit_code == 0
    conn = sqlite3.connect(copy)
    conn.execute("PRAGMA page_size = 8192")
    conn.execute("VACUUM")
    conn.close()
    assert single_value(copy, "PRAGMA page_size") == 8192
    modify(db_path)
    result = cli(db_path, "restore", copy)
    assert result.exit_code == 0, result.output
    assert digest(db_path) == digest(copy)


def test_every_connection_gets_the_documented_settings(db_path):
    db = connect(db_path)
    try:
        assert db.execute("PRAGMA journal_mode").fetchone()[0] == "wal"
        assert db.execute("PRAGMA synchronous").fetchone()[0] == 2  # FULL (docs/durability.md)
        assert db.execute("PRAGMA foreign_keys").fetchone()[0] == 1
        assert db.execute("PRAGMA busy_timeout").fetchone()[0] == 5000
    finally:
        db.close()


def corrupt(path: Path) -> None:
    """Overwrite the middle of the largest table's root page (sqlite's own file is the
    victim; nothing here depends on how SQLite reacts, only that it notices)."""
    conn = sqlite3.connect(path)
    page_size = conn.execute("PRAGMA page_size").fetchone()[0]
    root = conn.execute("SELECT rootpage FROM sqlite_master WHERE name = 'subdistrict'").fetchone()[0]
    conn.close()
    with path.open("r+b") as fh:
        fh.seek((root - 1) * page_size + 8)
        fh.write(b"\xff" * 64)


@pytest.mark.parametrize(
    "kind, message",
    [
        ("text", "ไม่ใช่ไฟล์ฐานข้อมูล SQLite"),
        ("missing", "ไม่พบไฟล์"),
        ("corrupt", "ไม่ได้นำกลับ"),
        ("not formsvc", "ไม่มีตาราง schema_version"),
        ("newer", f"schema รุ่น 999 แต่โปรแกรมนี้รู้จักถึงรุ่น {latest_version()}"),
    ],
)
def test_restore_refuses_what_it_cannot_restore(db_path, tmp_path, kind, message):
    bad = tmp_path / "bad.db"
    if kind == "text":
        bad.write_text("ลำดับ,ชื่อโครงการ\n1,ถนน\n", encoding="utf-8")
    elif kind == "corrupt":
        assert cli(db_path, "backup", bad).exit_code == 0
        corrupt(bad)
    elif kind == "not formsvc":
        conn = sqlite3.connect(bad)
        conn.execute("CREATE TABLE notes (text TEXT)")
        conn.commit()
        conn.close()
    elif kind == "newer":
        assert cli(db_path, "backup", bad).exit_code == 0
        conn = sqlite3.connect(bad)
        conn.execute("INSERT INTO schema_version VALUES (999, 'from the future', '2030-01-01')")
        conn.commit()
        conn.close()
    modify(db_path)
    before = digest(db_path)
    result = cli(db_path, "restore", bad)
    assert result.exit_code == 1, result.output
    assert message in result.output
    assert digest(db_path) == before
    assert not [p for p in tmp_path.iterdir() if "before-restore" in p.name or p.name.endswith(".tmp")]


def test_corruption_is_caught_by_the_integrity_check(db_path, tmp_path):
    bad = tmp_path / "bad.db"
    assert cli(db_path, "backup", bad).exit_code == 0
    corrupt(bad)
    conn = sqlite3.connect(bad)
    try:
        verdict = conn.execute("PRAGMA integrity_check").fetchall()
    except sqlite3.DatabaseError:
        verdict = "unreadable"
    finally:
        conn.close()
    assert verdict != [("ok",)]  # so the refusal above is about this file, not an accident


# Crash in the middle of an import ---------------------------------------------------------


def write_projects_csv(path: Path, rows: int, dimension: str, prefix: str) -> None:
    with path.open("w", newline="", encoding="utf-8") as fh:
        writer = csv.writer(fh)
        writer.writerow(
            [
                "priority",
                "name",
                "dimension",
                "within_authority",
                "in_development_plan",
                "in_budget_draft",
                "budget_baht",
            ]
        )
        for i in range(1, rows + 1):
            writer.writerow(
                [
                    i,
                    f"{prefix} โครงการที่ {i}",
                    dimension,
                    "ใช่",
                    "ใช่" if i % 3 else "ไม่ใช่",
                    "ใช่" if i % 7 == 0 else "ไม่ใช่",
                    f"{i * 1000}.50",
                ]
            )


def project_list(db_path) -> list[tuple]:
    conn = sqlite3.connect(db_path)
    try:
        return conn.execute(
            "SELECT rank, name, dimension, within_authority, in_development_plan,"
            " in_budget_draft, budget_satang FROM project WHERE lao_id = 1 ORDER BY rank"
        ).fetchall()
    finally:
        conn.close()


def import_process(db_path, csv_path, **env):
    return subprocess.Popen(
        [sys.executable, "-m", "formsvc", "import-projects", "--lao", "1", str(csv_path)],
        env={**os.environ, "FORMSVC_DB": str(db_path), **env},
        stdout=subprocess.PIPE,
        stderr=subprocess.PIPE,
    )


def test_a_killed_import_leaves_the_old_list_whole(db_path, db, tmp_path):
    rows = 3000
    file = tmp_path / "projects.csv"
    write_projects_csv(file, rows, dimensions(db)[0], "นำเข้า")
    db.close()
    old = project_list(db_path)
    assert 0 < len(old) < rows

    marker = tmp_path / "paused"
    process = import_process(db_path, file, FORMSVC_TEST_PAUSE_AT="project-import", FORMSVC_TEST_PAUSE_FILE=marker)
    try:
        deadline = time.monotonic() + 120  # a guard against a hung test, not a measurement
        while not marker.exists():
            assert process.poll() is None, process.communicate()
            assert time.monotonic() < deadline, "the import never reached its pause"
            time.sleep(0.05)
        # the import is inside its transaction, half the new rows written: it holds the write lock
        probe = sqlite3.connect(db_path, timeout=0, isolation_level=None)
        with pytest.raises(sqlite3.OperationalError, match="locked"):
            probe.execute("BEGIN IMMEDIATE")
        probe.close()
        assert project_list(db_path) == old  # nothing uncommitted is visible
        os.kill(process.pid, signal.SIGKILL)
    finally:
        process.kill()
        process.communicate()
    assert process.returncode == -signal.SIGKILL

    assert single_value(db_path, "PRAGMA integrity_check") == "ok"
    assert project_list(db_path) == old  # wholly the old list
    # the database is usable at once: the same import, not interrupted, gives wholly the new list
    process = import_process(db_path, file)
    out, err = process.communicate(timeout=300)
    assert process.returncode == 0, err.decode()
    new = project_list(db_path)
    assert len(new) == rows and [r[1] for r in new] == [f"นำเข้า โครงการที่ {i}" for i in range(1, rows + 1)]
    assert single_value(db_path, "PRAGMA integrity_check") == "ok"


def test_restore_onto_a_live_file_that_is_not_a_database_says_what_to_do(db_path, tmp_path):
    good = tmp_path / "good.db"
    assert cli(db_path, "backup", good).exit_code == 0
    db_path.write_bytes(b"not a database at all" * 100)
    result = cli(db_path, "restore", good)
    assert result.exit_code == 1 and "เขียนฐานข้อมูล" in result.output and "กรุณาหยุดเซิร์ฟเวอร์" in result.output
    assert "Traceback" not in result.output and result.exception is None or isinstance(result.exception, SystemExit)
