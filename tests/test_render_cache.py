"""A document asked for again is read from the render cache (formsvc/documents/
render_cache.py), never from before a change: its key is the whole context the document
is rendered from, the templates and the code."""

from __future__ import annotations

from formsvc import services
from formsvc.documents import render_cache
from formsvc.documents.kinds import Ask
from tests.conftest import login
from tests.docs import flat, pdf_text


def _project_list(db, fmt="pdf") -> bytes:
    return services.document_named(db, "project-list", Ask(fmt, 1))[0]


def test_a_repeat_download_is_read_from_the_cache(db, renders):
    first = _project_list(db)
    again = _project_list(db)
    assert again == first and renders == [("project-list", "pdf")]
    docx = _project_list(db, "docx")
    assert _project_list(db, "docx") == docx and renders[-1] == ("project-list", "docx") and len(renders) == 2


def test_a_change_to_the_data_renders_again(db, renders):
    before = _project_list(db)
    project = next(iter(db.query("SELECT id, name, version FROM project WHERE lao_id = 1 ORDER BY id LIMIT 1")))
    db.execute("UPDATE project SET name = 'ซ่อมสร้างฝายกักเก็บน้ำบ้านโนนสูง' WHERE id = ?", [project["id"]])
    after = _project_list(db)
    assert len(renders) == 2 and after != before
    assert flat("ซ่อมสร้างฝายกักเก็บน้ำบ้านโนนสูง") in flat(pdf_text(after))


def test_new_templates_or_code_render_again(db, renders, monkeypatch):
    _project_list(db)
    monkeypatch.setattr(render_cache, "fingerprint", lambda: "another release")
    _project_list(db)
    assert len(renders) == 2


def test_the_next_day_renders_again(db, renders, travel):
    import datetime as dt

    travel(dt.date(2026, 3, 2))
    _project_list(db)
    _project_list(db)
    travel(dt.date(2026, 3, 3))
    _project_list(db)
    assert len(renders) == 2


def test_the_cache_can_be_turned_off(db, renders, monkeypatch):
    monkeypatch.setenv("FORMSVC_RENDER_CACHE_MB", "0")
    _project_list(db)
    _project_list(db)
    assert len(renders) == 2


def test_the_folder_stays_under_its_bound(tmp_path):
    cache = render_cache.RenderCache(tmp_path / "cache", max_bytes=10_000)
    for n in range(render_cache.PRUNE_EVERY * 2 + 1):
        cache.put(f"{n:064x}", bytes(1000))
    cache.prune()
    assert cache.size() <= 10_000
    assert cache.get(f"{render_cache.PRUNE_EVERY * 2:064x}") == bytes(1000)  # the newest stays


def test_a_download_through_the_web_is_cached_and_access_still_checked(app, client, db, renders):
    login(client, "clerk")
    first = client.get("/laos/1/documents/project-list.pdf")
    second = client.get("/laos/1/documents/project-list.pdf")
    assert first.status_code == second.status_code == 200 and first.data == second.data
    assert renders == [("project-list", "pdf")]
    other = app.test_client()
    login(other, "facilitator")  # of LAO 1's district: may read it
    assert other.get("/laos/9/documents/project-list.pdf").status_code == 404  # another province's: not
