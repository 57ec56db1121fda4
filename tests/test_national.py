"""The national data set (`formsvc demo-national`) and batch rendering in a process pool."""

from __future__ import annotations

import io
import zipfile

from formsvc import demo_national, exports, services
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
