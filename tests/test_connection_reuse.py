"""A request's database connection is kept for the thread's next request (opening and
closing one per request cost more CPU than most pages' queries), and is given back as
a fresh one would be: nothing left uncommitted, nobody recorded as the actor."""

from __future__ import annotations

from formsvc.store import audit
from formsvc.web.context import get_db


def test_the_next_request_of_the_thread_gets_the_same_connection(app):
    with app.app_context():
        first = get_db()
    with app.app_context():
        assert get_db() is first


def test_what_a_request_left_uncommitted_is_rolled_back_not_seen_by_the_next(app, db):
    with app.app_context():
        kept = get_db()
        kept.conn.execute("BEGIN")
        kept.conn.execute("UPDATE lao SET name = 'ไม่ได้บันทึก' WHERE id = (SELECT min(id) FROM lao)")
        assert kept.conn.in_transaction
    with app.app_context():
        again = get_db()
        assert again is kept and not again.conn.in_transaction
    assert db.execute("SELECT count(*) FROM lao WHERE name = 'ไม่ได้บันทึก'").fetchone()[0] == 0


def test_the_next_request_is_nobody_s_until_it_signs_in(app):
    with app.app_context():
        audit.set_actor(get_db(), 7)
    with app.app_context():
        assert get_db().conn.audit_user_id is None


def test_a_connection_of_another_database_is_closed_not_reused(make_app, tmp_path, demo_template):
    import shutil

    other_path = tmp_path / "other" / "formsvc.db"
    other_path.parent.mkdir()
    shutil.copy(demo_template, other_path)
    one, other = make_app(), make_app(DATABASE=str(other_path))
    with one.app_context():
        first = get_db()
    with other.app_context():
        second = get_db()
        assert second is not first
        assert second.execute("PRAGMA database_list").fetchone()[2] == str(other_path.resolve())


def test_connections_of_finished_threads_are_closed(app):
    """A server that starts a thread per request (the development server) does not
    pile up open connections: those of threads that ended are closed."""
    import sqlite3
    import threading

    import pytest

    left = []

    def request():
        with app.app_context():
            left.append(get_db())

    threads = [threading.Thread(target=request) for _ in range(5)]
    for thread in threads:
        thread.start()
        thread.join()
    with app.app_context():
        get_db()
    for db in left:
        with pytest.raises(sqlite3.ProgrammingError):
            db.execute("SELECT 1")
