"""Shared fixtures: a demo database built once per run, copied for each test."""

from __future__ import annotations

import re
import shutil

import pytest

from formsvc import create_app
from formsvc.demo import init_db_with_demo
from formsvc.domain import clock, thai
from formsvc.store import connect
from formsvc.store.laos import LaoInput, create_lao
from formsvc.store.setup import DEMO_PASSWORD, demo_year

# The demo's programme year follows the clock (formsvc.store.setup.demo_year), so tests
# take years and dates from here, never as literals: the suite passes on any day.
YEAR = demo_year(clock.today())  # BE, e.g. 2569
CE = YEAR - 543  # the same year in the Gregorian calendar
TH_YEAR = thai.digits(str(YEAR), "thai")  # ๒๕๖๙, as documents print it
TH_NEXT = thai.digits(str(YEAR + 1), "thai")  # "next year" of the plan and the budget
OTHER_PROVINCE_DISTRICT = "3801"
EMBLEM_SVG = (
    b'<svg xmlns="http://www.w3.org/2000/svg" width="100" height="120">'
    b'<ellipse cx="50" cy="60" rx="40" ry="55" fill="#b8860b"/></svg>'
)  # a district outside the demo province (บึงกาฬ)


@pytest.fixture(autouse=True)
def _tasks_run_at_once(monkeypatch):
    """Background tasks (formsvc/tasks.py) run at once in the caller, unless a test
    sets FORMSVC_QUEUE itself to run real workers (tests/test_task_queue.py)."""
    monkeypatch.setenv("FORMSVC_QUEUE", "memory")


@pytest.fixture(scope="session")
def demo_template(tmp_path_factory):
    path = tmp_path_factory.mktemp("template") / "demo.db"
    db = connect(path)
    init_db_with_demo(db, demo=True)
    # one LAO outside the demo province, so province scopes can be tested
    create_lao(db, LaoInput("หอคำ", "tao", OTHER_PROVINCE_DISTRICT))
    # LAO 3 has an emblem (LAO 1 has none), so both cases can be tested
    from formsvc.services import save_emblem

    save_emblem(db, 3, EMBLEM_SVG, None)
    db.execute("PRAGMA wal_checkpoint(TRUNCATE)")
    db.close()
    return path


@pytest.fixture
def db_path(demo_template, tmp_path):
    path = tmp_path / "formsvc.db"
    shutil.copy(demo_template, path)
    return path


@pytest.fixture
def db(db_path):
    database = connect(db_path)
    yield database
    database.close()


@pytest.fixture
def make_app(db_path):
    def factory(**config):
        return create_app({"DATABASE": str(db_path), "SECRET_KEY": "test-secret", "TESTING": True, **config})

    return factory


@pytest.fixture
def app(make_app):
    """The app with CSRF off, for tests of behaviour behind the token check."""
    return make_app(WTF_CSRF_ENABLED=False)


@pytest.fixture
def client(app):
    return app.test_client()


@pytest.fixture
def travel():
    """Move the one clock (formsvc.domain.clock) for this test: ``travel(day)`` puts it at
    10:00 Thai time that day and lets it tick (a datetime is taken as it is). time-machine,
    not freezegun: it replaces the C-level clock functions, so every way of reading the
    time moves together, at no cost to the code under test; the clock comes back after
    the test."""
    import datetime as _dt

    import time_machine

    started = []

    def go(when):
        if not isinstance(when, _dt.datetime):
            when = _dt.datetime.combine(when, _dt.time(10, 0), tzinfo=clock.BANGKOK)
        traveller = time_machine.travel(when, tick=True)
        traveller.start()
        started.append(traveller)

    yield go
    for traveller in reversed(started):
        traveller.stop()


def arabic(text: str) -> str:
    """A page's text with its digits as Arabic: an LAO's pages write the digits the LAO
    chose (Thai by default, lao.digit_style), and a test that looks for a number in one
    compares it so, whichever style the page used (tests/test_digit_style.py checks the
    style itself)."""
    return thai.to_arabic_digits(text)


def login(client, username: str, password: str = DEMO_PASSWORD):
    return client.post("/login", data={"username": username, "password": password})


def csrf_token(client, path: str) -> str:
    html = client.get(path).get_data(as_text=True)
    match = re.search(r'name="csrf_token" type="hidden" value="([^"]+)"', html) or re.search(
        r'name="csrf_token" value="([^"]+)"', html
    )
    assert match, f"no CSRF token on {path}"
    return match.group(1)


def ids(db, sql: str, params=()) -> list:
    return [row[0] for row in db.execute(sql, params).fetchall()]


@pytest.fixture
def renders(monkeypatch):
    """The documents rendered in this process (not read from the render cache), as
    (kind, format), in order."""
    from formsvc.documents import engine

    done = []
    real_pdf, real_docx = engine.render_pdf, engine.render_docx
    monkeypatch.setattr(
        engine, "render_pdf", lambda kind, *a, **k: done.append((kind, "pdf")) or real_pdf(kind, *a, **k)
    )
    monkeypatch.setattr(
        engine, "render_docx", lambda kind, *a, **k: done.append((kind, "docx")) or real_docx(kind, *a, **k)
    )
    return done
