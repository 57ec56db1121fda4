"""The national data set (`formsvc demo-national`) and batch rendering in a process pool."""

from __future__ import annotations

import datetime as _dt
import io
import random
import shutil
import zipfile

import docx

from formsvc import demo_national, exports, services
from formsvc.domain import clock, thai
from formsvc.store import connect
from formsvc.store import programme as programme_store
from formsvc.store import reports as report_store
from tests.docs import pdf_text


def test_demo_national_adds_realistic_model_laos(db):
    before = db.execute("SELECT count(*) FROM model_lao").fetchone()[0]
    result = demo_national.load(db, districts=1, workers=2)
    assert result["laos"] == 1 and db.execute("SELECT count(*) FROM model_lao").fetchone()[0] == before + 1
    new = [r[0] for r in db.execute("SELECT lao_id FROM model_lao ORDER BY lao_id DESC LIMIT 1")]
    for lao_id in new:
        count = lambda sql, lao_id=lao_id: db.execute(sql, [lao_id]).fetchone()[0]  # noqa: E731
        assert count("SELECT count(*) FROM village WHERE lao_id = ?") == demo_national.VILLAGES
        assert count("SELECT count(*) FROM forum WHERE lao_id = ?") in (24, 25)
        assert count("SELECT count(*) FROM project WHERE lao_id = ?") == demo_national.PROJECTS
        assert count("SELECT count(*) FROM forum_attendee a JOIN forum f ON f.id = a.forum_id WHERE f.lao_id = ?") > 300
        periods = count("SELECT count(DISTINCT period) FROM report WHERE lao_id = ?")
        assert periods >= 4
    # every frozen version is a real document of its LAO and period
    row = db.execute(
        "SELECT r.lao_id, r.period, s.pdf FROM report_submission s JOIN report r ON r.id = s.report_id"
        " WHERE r.lao_id = ? ORDER BY r.period LIMIT 1",
        [new[0]],
    ).fetchone()
    name = db.execute("SELECT name FROM lao WHERE id = ?", [row[0]]).fetchone()[0]
    assert name in pdf_text(row[2]).replace("\n", "")
    assert (
        result["submissions"]
        == db.execute(
            "SELECT count(*) FROM report_submission s JOIN report r ON r.id = s.report_id WHERE r.lao_id = ?", new
        ).fetchone()[0]
    )
    rolled = {lao["lao_id"]: lao["criteria"] for lao in services.rollup(db)["laos"]}
    for lao_id in new:
        assert rolled[lao_id] == [c["met"] for c in services.compliance(db, lao_id)["criteria"]]


def test_pool_renders_the_same_forms_in_the_same_order(db, tmp_path, monkeypatch):
    exports.write_zip(db, 1, "37", ("pdf",), tmp_path / "inline.zip", workers=1)
    monkeypatch.setattr(exports, "POOL_MIN", 1)
    exports.write_zip(db, 1, "37", ("pdf",), tmp_path / "pool.zip", workers=2)
    inline, pool = (zipfile.ZipFile(io.BytesIO((tmp_path / n).read_bytes())) for n in ("inline.zip", "pool.zip"))
    assert inline.namelist() == pool.namelist()
    for name in inline.namelist():
        if name.endswith(".pdf"):
            assert pdf_text(inline.read(name)) == pdf_text(pool.read(name)), name


def _step_by_step(db, districts: int, seed: int) -> None:
    """The national data set built the plain way, one phase after another as a clerk and
    the district would: every LAO's data, then every order, then period by period each
    report saved, sent (rendered here, in this process) and reviewed."""
    prog = programme_store.get_programme(db)
    year, dimensions = prog.year_be, programme_store.dimensions(db)
    rng = random.Random(seed)
    plans = {}
    for district in demo_national._districts(db, year, districts):
        plan = demo_national._Plan(rng)
        plans[demo_national._build_lao(db, district, plan, rng, year, dimensions)] = plan
    order_day = _dt.date(thai.ce_year(year), prog.start_month, 15)
    for lao_id, plan in plans.items():
        if not plan.no_order:
            services.issue_order(db, lao_id, order_day, order_day, None)
    for p in report_store.programme_periods(db):
        if p.start > clock.today() or p.number > 5:
            continue
        day = min(p.due(report_store.late_days(db)) - _dt.timedelta(days=3), clock.today())
        for lao_id, plan in plans.items():
            status = plan.reports[p.number - 1]
            if status is None:
                continue
            values = {"progress": f"รอบที่ {p.number}: {demo_national.PERIOD_TEXT}", **demo_national.REPORT_VALUES}
            report_store.save_draft(db, lao_id, p.number, values, None)
            if status == "draft":
                continue
            services.submit_report(db, lao_id, p.number, None, day)
            if status != "submitted":
                comment = demo_national.RETURN_COMMENT if status == "returned" else ""
                report_store.review(db, lao_id, p.number, status, comment, None)


def _tables(db) -> dict[str, int]:
    names = [
        r[0] for r in db.execute("SELECT name FROM sqlite_master WHERE type = 'table' AND name NOT LIKE 'sqlite_%'")
    ]
    return {name: db.execute(f'SELECT count(*) FROM "{name}"').fetchone()[0] for name in names}


def _docx_text(content: bytes) -> list[str]:
    document = docx.Document(io.BytesIO(content))
    cells = [c.text for t in document.tables for row in t.rows for c in row.cells]
    return [p.text for p in document.paragraphs] + cells


def _sent(db, after: int) -> dict[str, dict]:
    """What each model LAO (by name) with an id above ``after`` holds: its reports, every
    frozen version (its snapshot, and what its PDF and DOCX say) and its orders."""
    held = {}
    for lao_id, name in db.execute(
        "SELECT l.id, l.name FROM lao l JOIN model_lao m ON m.lao_id = l.id WHERE l.id > ? ORDER BY l.id", [after]
    ).fetchall():
        reports = db.execute(
            "SELECT r.period, r.status, r.progress, r.review_comment, r.submitted_count, s.number, s.snapshot,"
            " s.days_late, s.pdf, s.docx FROM report r LEFT JOIN report_submission s ON s.report_id = r.id"
            " WHERE r.lao_id = ? ORDER BY r.period, s.number",
            [lao_id],
        ).fetchall()
        orders = db.execute(
            "SELECT o.number, o.year_be, o.order_date, o.snapshot, d.format, d.content FROM lao_order o"
            " JOIN issued_document d ON d.order_id = o.id WHERE o.lao_id = ? ORDER BY o.number, d.format",
            [lao_id],
        ).fetchall()
        held[name] = {
            "reports": [[*r[:8], r[8] and pdf_text(r[8]), r[9] and _docx_text(r[9])] for r in reports],
            "orders": [[*o[:5], pdf_text(o[5]) if o[4] == "pdf" else _docx_text(o[5])] for o in orders],
        }
    return held


def test_the_pipelined_build_makes_what_building_step_by_step_makes(db, demo_template, tmp_path):
    """Documents rendered in the pool while the next LAOs are written, each LAO's reports
    all at once: the same rows in every table (the audit log and the mail queue too),
    the same reports and orders, frozen versions saying the same, as one phase after
    another with every document rendered in this process."""
    (tmp_path / "reference").mkdir()  # its own render cache: nothing is shared
    reference = connect(shutil.copy(demo_template, tmp_path / "reference" / "formsvc.db"))
    after = reference.execute("SELECT max(id) FROM lao").fetchone()[0]
    _step_by_step(reference, districts=3, seed=7)
    result = demo_national.load(db, districts=3, seed=7, workers=2)
    assert result["laos"] == 3 and result["submissions"] >= 6
    assert _tables(db) == _tables(reference)
    made, expected = _sent(db, after), _sent(reference, after)
    assert len(made) == 3 and made == expected
    statuses = {r[1] for lao in made.values() for r in lao["reports"]}
    assert "acknowledged" in statuses and any(lao["orders"] for lao in made.values())
    sent = [r for lao in made.values() for r in lao["reports"] if r[5]]
    assert all(r[8] and r[9] for r in sent)  # every frozen version has its PDF and DOCX
    reference.close()
