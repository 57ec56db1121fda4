"""List pages and roll-ups run a fixed number of queries whatever the data size: each
page is requested, more rows are added to what it lists, and it is requested again.
(Counting queries is deterministic; timing is for bench/.)"""

from __future__ import annotations

import re

import pytest

import formsvc.web.context as web_context
from formsvc.store.laos import LaoInput, add_village, create_lao, select_model_lao
from tests.conftest import YEAR, login
from tests.test_working_group import confirm_data


@pytest.fixture
def counted(monkeypatch):
    counts = []
    real = web_context.connect

    def connect(path):
        db = real(path)
        db.conn.set_trace_callback(lambda statement: counts.append(statement))
        return db

    monkeypatch.setattr(web_context, "connect", connect)
    return counts


def _queries(client, counted, url) -> int:
    client.get(url)  # warm: caches filled, templates compiled
    counted.clear()
    response = client.get(url)
    assert response.status_code == 200, url
    return len(counted)


def _more_laos(db):
    year = db.execute("SELECT year_be FROM programme").fetchone()[0]
    for district in ("3705", "3706", "3707"):
        lao_id = create_lao(db, LaoInput(f"เพิ่ม{district}", "tao", district))
        for n in range(1, 4):
            add_village(db, lao_id, n, f"บ้านเพิ่ม {n}")
        select_model_lao(db, district, year, lao_id, None)
    for n in range(3):
        create_lao(db, LaoInput(f"อีก{n}", "tao", "3701"))


def _more_projects_and_forums(db):
    db.execute(
        "INSERT INTO project (lao_id, programme_year, rank, name, dimension, within_authority,"
        " in_development_plan, in_budget_draft) SELECT lao_id, programme_year, rank + 100, name || ' (2)',"
        " dimension, within_authority, 0, 0 FROM project WHERE lao_id = 1"
    )
    columns = [r[1] for r in db.execute("PRAGMA table_info(forum)") if r[1] != "id"]
    names = ", ".join(columns)
    db.execute(f"INSERT INTO forum ({names}) SELECT {names} FROM forum WHERE lao_id = 1")


PAGES = [
    ("province", "/laos", _more_laos),
    ("national", "/national?period=1", _more_laos),
    ("province", "/provinces/37?period=1", _more_laos),
    ("district", "/districts/3701?period=1", _more_laos),
    ("clerk", "/laos/1/projects", _more_projects_and_forums),
    ("clerk", "/laos/1/forums", _more_projects_and_forums),
    ("clerk", "/laos/1", _more_projects_and_forums),
    ("clerk", "/laos/1/reports", _more_projects_and_forums),
]


@pytest.mark.parametrize("user,url,grow", PAGES, ids=[p[1] for p in PAGES])
def test_page_queries_do_not_grow_with_the_data(app, db, counted, user, url, grow):
    client = app.test_client()
    login(client, user)
    before = _queries(client, counted, url)
    grow(db)
    after = _queries(client, counted, url)
    assert before > 3 and after == before, f"{url}: {before} queries, then {after} with more rows"


def _reads(statements: list[str], table: str) -> int:
    """SELECTs that read ``table`` (FROM or JOIN it; not a table whose name it starts)."""
    pattern = re.compile(rf"\b(FROM|JOIN)\s+{table}\b(?!_)", re.I)
    return sum(1 for s in statements if s.lstrip().upper().startswith("SELECT") and pattern.search(s))


def test_issuing_the_order_reads_the_lao_and_its_group_once(app, db, counted):
    """One request, one path: the page checks the form, the service reads what the order
    is made of once, and the store checks under its write lock that nothing changed."""
    client = app.test_client()
    login(client, "clerk")
    data = confirm_data(db, 1, order_date=f"20/02/{YEAR}")
    counted.clear()
    response = client.post("/laos/1/working-group/issue", data=data)
    assert response.status_code == 302
    reads = {table: _reads(counted, table) for table in ("lao", "working_group", "working_group_member")}
    # the LAO: its scope for the access check, then its record for the order; the group's
    # version, that the confirmation showed; the group and its members: for the facts,
    # then again under the write lock
    assert reads == {"lao": 2, "working_group": 3, "working_group_member": 2}


def test_saving_the_working_group_reads_the_lao_once(app, db, counted):
    """The save checks where the LAO is, and the service saves: its record is not read."""
    from tests.test_working_group import group_form_data

    client = app.test_client()
    login(client, "clerk")
    data = group_form_data(db, 1, reason="เหตุผลใหม่")
    counted.clear()
    assert client.post("/laos/1/working-group", data=data).status_code == 302
    reads = {table: _reads(counted, table) for table in ("lao", "working_group", "working_group_member")}
    # the LAO's scope; the group under the write lock (versions) and again for its row id
    assert reads == {"lao": 1, "working_group": 2, "working_group_member": 1}
