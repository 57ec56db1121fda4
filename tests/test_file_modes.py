"""Files holding personal data are the owner's alone (0600), folders the service makes
0700, whatever the process's umask: the database and its -wal and -shm, backups, the
database kept by a restore, export ZIPs and the export runner's log."""

from __future__ import annotations

import os
import stat

import pytest

from formsvc import config, exports
from formsvc.store import backup, connect
from formsvc.store import reports as report_store
from formsvc.store.errors import InputError
from formsvc.store.setup import init_db


def mode(path) -> int:
    return stat.S_IMODE(os.stat(path).st_mode)


@pytest.fixture
def open_umask():
    """A umask that lets everyone read and write what is created (0000): only the
    service's own care keeps its files private."""
    old = os.umask(0)
    yield
    os.umask(old)


def test_a_new_database_its_wal_shm_and_folders_are_private(tmp_path, open_umask):
    path = tmp_path / "instance" / "data" / "formsvc.db"
    db = connect(path)
    init_db(db)
    assert mode(path) == 0o600
    assert mode(f"{path}-wal") == 0o600 and mode(f"{path}-shm") == 0o600
    assert mode(tmp_path / "instance") == 0o700 and mode(tmp_path / "instance" / "data") == 0o700
    db.close()


def test_a_database_made_readable_by_an_older_version_is_narrowed(tmp_path, open_umask):
    path = tmp_path / "formsvc.db"
    connect(path).close()
    os.chmod(path, 0o644)
    db = connect(path)
    assert mode(path) == 0o600
    db.close()


def test_backups_and_the_database_kept_by_a_restore_are_private(db_path, tmp_path, open_umask):
    out = tmp_path / "copies" / "backup.db"
    out.parent.mkdir()
    backup.backup(db_path, out)
    assert mode(out) == 0o600
    result = backup.restore(db_path, out)
    assert mode(result["previous"]) == 0o600
    assert mode(db_path) == 0o600


def test_export_zips_and_the_task_queue_file_are_private(db, db_path, open_umask, monkeypatch):
    folder = exports.exports_dir(str(db_path))
    assert mode(folder) == 0o700
    out = exports.job_file(str(db_path), 1)
    exports.write_zip(db, 1, "37", ("pdf",), out, today=report_store.programme_periods(db)[0].start)
    assert mode(out) == 0o600
    # the embedded queue (formsvc/tasks.py) carries report contexts: private like the database
    monkeypatch.delenv("FORMSVC_QUEUE")
    from formsvc import tasks

    tasks.queues(str(db_path)).jobs.pending()
    assert mode(tasks.queue_file(str(db_path))) == 0o600


def test_the_instance_folder_made_for_the_secret_key_is_private(tmp_path, monkeypatch, open_umask):
    monkeypatch.delenv("FORMSVC_SECRET_KEY", raising=False)
    config.secret_key(tmp_path / "instance")
    assert mode(tmp_path / "instance") == 0o700
    assert mode(tmp_path / "instance" / "secret_key") == 0o600


def test_a_damaged_database_kept_by_a_restore_is_private_too(db_path, tmp_path, open_umask):
    good = tmp_path / "good.db"
    backup.backup(db_path, good)
    db_path.write_bytes(b"not a database at all" * 100)  # too damaged for the backup API
    try:
        backup.restore(db_path, good)
    except InputError:
        pass  # whether it then restores is not the point here
    kept = [p for p in tmp_path.iterdir() if p.name.startswith("formsvc.db.before-restore-")]
    assert kept and all(mode(p) == 0o600 for p in kept)
