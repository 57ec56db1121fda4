"""Shared fixtures: a demo database built once per run, copied for each test."""
from __future__ import annotations

import re
import shutil

import pytest

from formsvc import create_app
from formsvc.store import connect
from formsvc.store.laos import LaoInput, create_lao
from formsvc.demo import init_db
from formsvc.store.setup import DEMO_PASSWORD

OTHER_PROVINCE_DISTRICT = "3801"
EMBLEM_SVG = (b'<svg xmlns="http://www.w3.org/2000/svg" width="100" height="120">'
              b'<ellipse cx="50" cy="60" rx="40" ry="55" fill="#b8860b"/></svg>')  # a district outside the demo province (บึงกาฬ)


@pytest.fixture(scope="session")
def demo_template(tmp_path_factory):
    path = tmp_path_factory.mktemp("template") / "demo.db"
    db = connect(path)
    init_db(db, demo=True)
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


def login(client, username: str, password: str = DEMO_PASSWORD):
    return client.post("/login", data={"username": username, "password": password})


def csrf_token(client, path: str) -> str:
    html = client.get(path).get_data(as_text=True)
    match = re.search(r'name="csrf_token" type="hidden" value="([^"]+)"', html) or \
        re.search(r'name="csrf_token" value="([^"]+)"', html)
    assert match, f"no CSRF token on {path}"
    return match.group(1)


def ids(db, sql: str, params=()) -> list:
    return [row[0] for row in db.execute(sql, params).fetchall()]
