"""The write lock is held only to check and write: nothing is rendered, hashed or parsed
while a transaction is open, so a long document never makes another user's save or
sign-in wait (SQLite has one writer; the others queue for busy_timeout, then fail)."""

from __future__ import annotations

import ast
import multiprocessing
import time
from pathlib import Path

import pytest

from formsvc import services
from formsvc.store import db as store_db
from formsvc.store import programme as programme_store
from formsvc.store import projects as project_store
from formsvc.store.db import WorkInTransaction
from tests import workers
from tests.conftest import YEAR, login

PACKAGE = Path(__file__).resolve().parent.parent / "formsvc"
# a save or sign-in that waited for the write lock would take the busy timeout
BLOCKED_S = 0.8 * store_db.BUSY_TIMEOUT_MS / 1000

# Calls that take time in proportion to what a person typed or uploaded.
COSTLY = ("render", "engine.", "hashlib", "sha256", "imports.", "openpyxl", "csv.", "emblem_check", "Image.")


def test_the_engine_refuses_to_render_inside_a_write_transaction(db):
    with db.atomic():
        assert store_db.writing()
        with pytest.raises(WorkInTransaction):
            services.draft_order(db, 1, "pdf")
        with pytest.raises(WorkInTransaction), db.atomic():  # a savepoint is inside it too
            services.draft_order(db, 1, "docx")
    assert not store_db.writing()
    with pytest.raises(KeyError), db.atomic():
        raise KeyError("an error inside the transaction")
    assert not store_db.writing()  # a transaction ended by an error is no longer open
    assert services.draft_order(db, 1, "pdf").startswith(b"%PDF")


def _dotted(node: ast.AST) -> str:
    if isinstance(node, ast.Attribute):
        return f"{_dotted(node.value)}.{node.attr}"
    if isinstance(node, ast.Name):
        return node.id
    if isinstance(node, ast.Call):
        return _dotted(node.func)
    return ""


def test_no_write_transaction_in_the_code_renders_hashes_or_parses():
    """Read the source: inside every ``with ....atomic(...)`` block, no call renders,
    hashes or parses a file (the engine's refusal catches renders the source hides in
    a callback; this catches the rest)."""
    found = []
    for path in sorted(PACKAGE.rglob("*.py")):
        tree = ast.parse(path.read_text(encoding="utf-8"))
        for node in ast.walk(tree):
            if not isinstance(node, ast.With):
                continue
            if not any(_dotted(item.context_expr).endswith(".atomic") for item in node.items):
                continue
            for inner in ast.walk(ast.Module(body=node.body, type_ignores=[])):
                if isinstance(inner, ast.Call):
                    name = _dotted(inner.func)
                    if any(word in name for word in COSTLY):
                        found.append(f"{path.relative_to(PACKAGE.parent)}:{inner.lineno} {name}()")
    assert found == []


def _wait_for(condition, seconds: float = 120) -> None:
    """Poll (never a timed wait on a threading primitive: the suite runs under faketime)."""
    started = time.perf_counter()
    while not condition():
        assert time.perf_counter() - started < seconds, "the other process did not get there"
        time.sleep(0.02)


def test_while_the_longest_report_renders_others_save_and_sign_in_at_once(app, db, db_path):
    """A clerk submits the longest report the form allows. While it renders (held at the
    start of its PDF until the others are done), another LAO's clerk saves a project and
    someone signs in: each answers at once, not after busy_timeout with a 500."""
    context = multiprocessing.get_context("spawn")
    rendering, release, done = context.Event(), context.Event(), context.Event()
    results = context.Queue()
    submit = context.Process(
        target=workers.submit_longest_report, args=(str(db_path), 1, 4, rendering, release, done, results)
    )
    submit.start()
    try:
        _wait_for(lambda: rendering.is_set() or not submit.is_alive())
        assert rendering.is_set(), results.get(timeout=1)
        other = app.test_client()
        login(other, "clerk2")
        started = time.perf_counter()
        project = {**workers.NEW_PROJECT, "dimension": programme_store.dimensions(db)[0]}
        saved = other.post("/laos/3/projects", data=project)
        save_s = time.perf_counter() - started
        signer = app.test_client()
        started = time.perf_counter()
        signed_in = login(signer, "district")
        sign_in_s = time.perf_counter() - started
        assert not done.is_set()  # all of it happened while the submit was rendering
    finally:
        release.set()
    _wait_for(done.is_set)
    outcome = results.get(timeout=10)
    submit.join(timeout=60)
    assert (saved.status_code, signed_in.status_code) == (302, 302)
    # About 0.3 s each on a quiet machine. Blocked by the lock they would wait the whole
    # busy timeout (5 s) and answer 500; the bound stays below that so a busy test machine
    # (sign-in hashes with scrypt) does not fail what is not broken.
    assert save_s < BLOCKED_S and sign_in_s < BLOCKED_S, (save_s, sign_in_s)
    assert outcome == ("submitted", 302)
    assert workers.NEW_PROJECT["name"] in [p["name"] for p in project_store.list_projects(db, 3, YEAR)]


def test_a_submitted_report_downloads_as_archived_without_rendering(client, db, monkeypatch):
    """The submitted version's PDF and DOCX are stored when it is sent: downloading it
    serves those bytes, however long the report, and never renders it again."""
    from formsvc.documents import engine
    from formsvc.store import reports as report_store

    text = workers.longest_text(report_store.TEXT.chars, report_store.TEXT.lines)
    report_store.save_draft(db, 1, 4, {"progress": text, "problems": text, "suggestions": text}, None)
    services.submit_report(db, 1, 4, None)
    archived = report_store.submission(db, 1, 4, 1)

    def refuse(*args, **kwargs):
        raise AssertionError("rendered again")

    monkeypatch.setattr(engine, "html_to_pdf", refuse)
    monkeypatch.setattr(engine, "render_docx", refuse)
    login(client, "district")
    for fmt in ("pdf", "docx"):
        for path in (f"/laos/1/documents/report.{fmt}?period=4", f"/laos/1/reports/4/v1.{fmt}"):
            response = client.get(path)
            assert response.status_code == 200 and response.data == archived[fmt], path
