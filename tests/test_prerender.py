"""The background pre-render (formsvc/prerender.py): after an LAO's data changes and has
been quiet for a while, its draft report forms of the open period, and the minutes of its
forums that changed, are rendered into the render cache, so the period's ZIP and a
download read them from there.

Demo period 1 (tests/test_exports.py): LAO 7 has no report (rendered live by the ZIP and
a download), LAO 5's was returned (a download renders it as a draft), LAOs 1 and 3 sent
theirs (archived bytes: nothing to render)."""

from __future__ import annotations

import datetime as dt
import os
import zipfile
from pathlib import Path

import pytest

from formsvc import exports, prerender, render_pool, services
from formsvc.documents import engine
from formsvc.domain import clock
from formsvc.store import reports as report_store
from tests.docs import docx_blocks, flat, pdf_text

PERIOD = 1
RUN = prerender.run
NEW_PROGRESS = "ซ่อมถนนลูกรังสายบ้านโนนสว่างแล้วเสร็จ"


@pytest.fixture
def in_period(db, travel):
    """The clock on a day of period 1 (its open period), at 10:00; returns a function
    moving it on by some seconds."""
    start = dt.datetime.combine(
        report_store.programme_periods(db)[PERIOD - 1].start + dt.timedelta(days=3), dt.time(10, 0), clock.BANGKOK
    )
    travel(start)

    def later(seconds: float) -> None:
        travel(clock.now() + dt.timedelta(seconds=seconds))

    return later


def _due(db, quiet=prerender.QUIET_SECONDS) -> list[int]:
    return [item.lao_id for item in prerender.due(db, quiet)]


def _edit_report(db, lao_id: int, progress: str) -> None:
    version = report_store.get_report(db, lao_id, PERIOD).get("version")
    report_store.save_draft(db, lao_id, PERIOD, {"progress": progress}, None, version)


def test_at_first_the_open_periods_rendered_forms_are_due(db, in_period):
    assert report_store.open_period(db, clock.today()) == PERIOD
    assert sorted(_due(db)) == [5, 7]  # not the reports sent as they are (1, 3)


def test_a_change_is_due_once_quiet_and_run_renders_it_once(db, db_path, in_period, renders):
    first = prerender.run(db_path, workers=0)
    assert first["rendered"] == 2 and first["failed"] == 0
    assert sorted(renders) == sorted([("report", "pdf"), ("report", "docx")] * 2)
    assert _due(db) == []
    again = prerender.run(db_path, workers=0)
    assert again["rendered"] == 0 and len(renders) == 4  # nothing renders twice for unchanged data

    in_period(5)
    _edit_report(db, 7, NEW_PROGRESS)
    assert _due(db) == []  # still being edited
    in_period(prerender.QUIET_SECONDS - 20)
    assert _due(db) == []
    in_period(30)
    assert _due(db) == [7]  # only the LAO that changed
    renders.clear()
    assert prerender.run(db_path, workers=0)["rendered"] == 1
    assert sorted(renders) == [("report", "docx"), ("report", "pdf")]
    assert _due(db) == []


def test_after_the_pre_render_the_zip_and_the_download_do_not_render(db, db_path, in_period, renders, tmp_path):
    _edit_report(db, 7, NEW_PROGRESS)
    in_period(prerender.QUIET_SECONDS + 1)
    prerender.run(db_path, workers=0)
    renders.clear()
    out = tmp_path / "period.zip"
    exports.write_zip(db, PERIOD, "37", ("pdf", "docx"), out, workers=1)
    pdf, _ = services.report_document(db, 7, PERIOD, "pdf")
    docx, _ = services.report_document(db, 5, PERIOD, "docx")
    assert renders == []
    assert flat(NEW_PROGRESS) in flat(pdf_text(pdf))
    with zipfile.ZipFile(out) as archive:
        pdfs = [archive.read(name) for name in archive.namelist() if name.endswith(".pdf")]
    assert pdf in pdfs


def test_a_change_to_the_programme_makes_every_form_due(db, db_path, in_period):
    prerender.run(db_path, workers=0)
    db.execute("UPDATE programme SET late_days = late_days + 1")
    in_period(prerender.QUIET_SECONDS + 1)
    assert sorted(_due(db)) == [5, 7]


def test_another_lao_s_change_makes_nothing_due(db, db_path, in_period):
    prerender.run(db_path, workers=0)
    # LAO 1 sent its report: its form is the archived one, nothing to render
    first = db.execute("SELECT min(id) FROM project WHERE lao_id = 1").fetchone()[0]
    db.execute("UPDATE project SET name = 'ซ่อมสร้างฝายกักเก็บน้ำ' WHERE id = ?", [first])
    in_period(prerender.QUIET_SECONDS + 1)
    assert _due(db) == []


def test_a_new_day_makes_the_forms_due_again(db, db_path, in_period):
    prerender.run(db_path, workers=0)
    in_period(24 * 3600)
    assert sorted(_due(db)) == [5, 7]  # the render cache's key has the day


def test_a_failed_render_stays_due(db, db_path, in_period, monkeypatch):
    def broken(*args, **kwargs):
        raise RuntimeError("no fonts")

    monkeypatch.setattr(engine, "render_pdf", broken)
    result = prerender.run(db_path, workers=0)
    assert result["failed"] == 2 and result["rendered"] == 0
    assert sorted(_due(db)) == [5, 7]


NEW_PLACE = "ศาลาอเนกประสงค์วัดโนนสว่าง"
NEW_RESOLUTION = "ที่ประชุมมีมติให้บรรจุโครงการซ่อมฝายห้วยยางในแผนชุมชน"


def test_the_minutes_of_the_forums_changed_come_with_the_form(db, db_path, in_period, renders):
    """With a due LAO's form, the minutes of the forums changed since its last
    pre-render (the forum's row or one of its agenda items), and no others; a download
    of them then renders nothing."""
    forums = [row[0] for row in db.execute("SELECT id FROM forum WHERE lao_id = 5 ORDER BY id")]
    assert len(forums) >= 3
    first = prerender.run(db_path, workers=0)
    assert first["minutes"] == 0 and ("minutes", "pdf") not in renders  # a first pre-render: the forms only
    in_period(5)
    db.execute("UPDATE forum SET place = ? WHERE id = ?", [NEW_PLACE, forums[0]])
    agenda = db.execute("SELECT min(id) FROM forum_agenda WHERE forum_id = ?", [forums[1]]).fetchone()[0]
    db.execute("UPDATE forum_agenda SET resolution = ? WHERE id = ?", [NEW_RESOLUTION, agenda])
    in_period(prerender.QUIET_SECONDS + 1)
    assert [(item.lao_id, item.forums) for item in prerender.due(db)] == [(5, (forums[0], forums[1]))]
    renders.clear()
    result = prerender.run(db_path, workers=0)
    assert result["rendered"] == 1 and result["minutes"] == 2
    # (the form says nothing of a place or a resolution: its cache entry still holds)
    assert sorted(renders) == sorted([("minutes", "pdf"), ("minutes", "docx")] * 2)
    renders.clear()
    place, _ = services.document(db, 5, "minutes", "pdf", forum_id=forums[0])
    resolution, _ = services.document(db, 5, "minutes", "docx", forum_id=forums[1])
    assert renders == []  # both read from the render cache
    assert flat(NEW_PLACE) in flat(pdf_text(place))
    assert NEW_RESOLUTION in "".join(docx_blocks(resolution))
    services.document(db, 5, "minutes", "pdf", forum_id=forums[2])
    assert renders == [("minutes", "pdf")]  # an unchanged forum was not pre-rendered


def test_a_forum_deleted_before_its_minutes_render_is_passed_over(db, db_path, in_period):
    forum = db.execute("SELECT max(id) FROM forum WHERE lao_id = 5").fetchone()[0]
    prerender.run(db_path, workers=0)
    db.execute("UPDATE forum SET place = ? WHERE id = ?", [NEW_PLACE, forum])
    db.execute("DELETE FROM forum WHERE id = ?", [forum])
    in_period(prerender.QUIET_SECONDS + 1)
    assert [(item.lao_id, item.forums) for item in prerender.due(db)] == [(5, (forum,))]
    result = prerender.run(db_path, workers=0)
    assert result["rendered"] == 1 and result["failed"] == 0
    assert _due(db) == []


def _cached_files(db) -> int:
    folder = Path(render_pool.database_path(db)).parent / "render-cache"
    return sum(1 for path in folder.glob("??/*") if path.is_file())


def test_the_pool_renders_at_low_priority_into_the_cache_beside_the_database(db, db_path, in_period):
    # (a worker process has the machine's clock, not this test's: the files are counted)
    base, before = os.nice(0), _cached_files(db)
    forum = db.execute("SELECT min(id) FROM forum WHERE lao_id = 5").fetchone()[0]
    with render_pool.RenderPool(db_path, 1, nice=5) as pool:
        niceness = pool.prerender(5, PERIOD, prerender.FORMATS, today=clock.today(), forums=(forum,)).result()
    assert niceness >= base + 5
    assert _cached_files(db) == before + 4  # the form's PDF and DOCX, and the forum's minutes


def test_run_with_a_pool_marks_what_it_rendered(db, db_path, in_period):
    result = prerender.run(db_path, workers=1)
    assert result["rendered"] == 2 and result["failed"] == 0
    assert _due(db) == []


def test_the_jobs_workers_minute_pre_renders_and_not_when_the_cache_is_off(db, db_path, in_period, monkeypatch):
    from formsvc import tasks

    monkeypatch.setattr(prerender, "run", lambda path: RUN(path, workers=0))  # in this process
    tasks.queues(str(db_path)).prerender_forms()  # the periodic task (run at once here)
    assert _due(db) == []  # both forms rendered
    _edit_report(db, 7, NEW_PROGRESS)
    in_period(prerender.QUIET_SECONDS + 1)
    monkeypatch.setenv("FORMSVC_RENDER_CACHE_MB", "0")
    assert tasks.prerender_now(str(db_path)) is None  # nothing would keep what it rendered
    assert _due(db) == [7]
    monkeypatch.delenv("FORMSVC_RENDER_CACHE_MB")
    with tasks._prerender_lock:  # a run still going on: the next minute's returns at once
        assert tasks.prerender_now(str(db_path)) is None
    assert _due(db) == [7]
    assert tasks.prerender_now(str(db_path))["rendered"] == 1
    assert _due(db) == []
