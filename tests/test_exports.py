"""The ZIP of a period's report forms: contents, names, scope, the background job
(progress, reload, cancel, a dead runner, expiry) and the CLI.

Demo period 1: LAO 1 submitted, LAO 3 acknowledged, LAO 5 returned (all three archived:
what they sent) and LAO 7 without a report: rendered now and marked as a draft while
period 1 is the open period (tests pass a `today` in it), no file once it is gone by. LAO 9 is in another
province (บึงกาฬ); tests that need it make it that district's model LAO.
"""

from __future__ import annotations

import csv
import io
import time
import zipfile

import docx
import pytest
from click.testing import CliRunner
from pypdf import PdfReader

from formsvc import cli, exports, services, tasks
from formsvc.domain.messages import thai
from formsvc.store import exports as job_store
from formsvc.store import reports as report_store
from formsvc.store.laos import select_model_lao
from tests.conftest import OTHER_PROVINCE_DISTRICT, YEAR, csrf_token, login
from tests.docs import flat, pdf_text

YEAR_SQL = "SELECT max(year_be) FROM programme"


def _zip(path) -> zipfile.ZipFile:
    return zipfile.ZipFile(io.BytesIO(open(path, "rb").read()))


def _reports(archive: zipfile.ZipFile, fmt: str = "pdf") -> list[zipfile.ZipInfo]:
    return [i for i in archive.infolist() if i.filename.endswith("." + fmt)]


def _manifest(archive: zipfile.ZipFile) -> list[dict]:
    name = next(n for n in archive.namelist() if n.endswith(exports.MANIFEST))
    return list(csv.DictReader(io.StringIO(archive.read(name).decode("utf-8-sig"))))


def _in(db, number: int):
    """A `today` in reporting period ``number``: the open period."""
    return report_store.programme_periods(db)[number - 1].start


def _files_expected(db, period: int, province: str | None = "37") -> int:
    """LAOs with a file in the ZIP made today: those the roll-up has figures for."""
    return sum(1 for lao in services.rollup(db, province_code=province, period=period)["laos"] if lao["source"])


def _other_province_model(db) -> None:
    year = db.execute(YEAR_SQL).fetchone()[0]
    select_model_lao(db, OTHER_PROVINCE_DISTRICT, year, 9, None)


def test_one_file_per_model_lao_with_thai_utf8_names_and_valid_pdfs(db, tmp_path):
    out = tmp_path / "r.zip"
    result = exports.write_zip(db, 1, "37", ("pdf",), out, today=_in(db, 1))
    archive = _zip(out)
    files = _reports(archive)
    assert result["laos"] == len(files) == 4 and result["files"] == 4
    assert result["name"] == f"รายงานรอบที่ 1-{YEAR} จังหวัดอำนาจเจริญ.zip"
    for info in archive.infolist():
        assert info.flag_bits & 0x800, f"{info.filename} without the UTF-8 flag"
        assert all(len(part.encode()) <= exports.PART_BYTES for part in info.filename.split("/"))
    names = [i.filename for i in files]
    root = f"รายงานรอบที่ 1-{YEAR} จังหวัดอำนาจเจริญ/"
    assert names == [
        root + "อำเภอเมืองอำนาจเจริญ/องค์การบริหารส่วนตำบลบุ่ง.pdf",
        root + "อำเภอชานุมาน/เทศบาลตำบลชานุมาน.pdf",
        root + "อำเภอปทุมราชวงศา/องค์การบริหารส่วนตำบลหนองข่า (ส่งกลับแก้ไข).pdf",
        root + "อำเภอพนา/เทศบาลตำบลพนา (ยังไม่จัดทำ).pdf",
    ]
    for info, lao in zip(
        files, ("องค์การบริหารส่วนตำบลบุ่ง", "เทศบาลตำบลชานุมาน", "องค์การบริหารส่วนตำบลหนองข่า", "เทศบาลตำบลพนา"), strict=False
    ):
        pdf = archive.read(info)
        assert len(PdfReader(io.BytesIO(pdf)).pages) >= 1
        text = flat(pdf_text(pdf))
        assert flat(lao) in text and flat("รอบที่ ๑") in text
    assert archive.testzip() is None


def test_submitted_reports_are_the_archived_bytes_and_the_others_are_marked_drafts(db, tmp_path):
    out = tmp_path / "r.zip"
    today = _in(db, 1)
    exports.write_zip(db, 1, "37", ("pdf", "docx"), out, today=today)
    archive = _zip(out)
    archived = {
        row[0]: (row[1], row[2])
        for row in db.execute(
            "SELECT r.lao_id, s.pdf, s.docx FROM report r JOIN report_submission s ON s.report_id = r.id"
            " AND s.number = r.submitted_count WHERE r.period = 1"
        )
    }
    assert sorted(archived) == [1, 3, 5]
    pdfs, docxs = _reports(archive, "pdf"), _reports(archive, "docx")
    assert len(pdfs) == len(docxs) == 4
    assert archive.read(pdfs[0]) == archived[1][0] and archive.read(docxs[0]) == archived[1][1]
    assert archive.read(pdfs[1]) == archived[3][0]
    # a returned report's latest version is still what was sent
    assert archive.read(pdfs[2]) == archived[5][0] and archive.read(docxs[2]) == archived[5][1]
    # a report not sent in the open period is rendered as it stands now, with the draft mark
    draft_text = flat(pdf_text(archive.read(pdfs[3])))
    assert flat("ร่าง – ไม่ใช่ฉบับที่ส่งอำเภอ") in draft_text
    assert "ไม่ใช่ฉบับที่ส่งอำเภอ" not in pdf_text(archive.read(pdfs[0]))
    # the DOCX says so too, at the top of its pages
    headers = [
        p.text
        for s in docx.Document(io.BytesIO(archive.read(docxs[3]))).sections
        for p in s.first_page_header.paragraphs + s.header.paragraphs
    ]
    assert "ร่าง – ไม่ใช่ฉบับที่ส่งอำเภอ" in headers
    assert not any(
        "ร่าง" in p.text
        for s in docx.Document(io.BytesIO(archive.read(docxs[0]))).sections
        for p in s.first_page_header.paragraphs + s.header.paragraphs
    )
    rows = _manifest(archive)
    # demo period-1 reports were sent on their period's last day: none late
    from formsvc.domain import thai

    as_of = thai.date_long(today, "arabic")
    assert [(r["รหัส อปท."], r["สถานะรายงาน"], r["ส่งล่าช้า"], r["ไฟล์นี้คือ"]) for r in rows[::2]] == [
        ("1", "ส่งแล้ว รอตรวจรับ", "", "ฉบับที่ 1 ที่ส่งอำเภอ"),
        ("3", "อำเภอรับทราบแล้ว", "", "ฉบับที่ 1 ที่ส่งอำเภอ"),
        ("5", "อำเภอส่งกลับให้แก้ไข", "", "ฉบับที่ 1 ที่ส่งอำเภอ"),
        ("7", "ยังไม่ได้จัดทำ", "", f"ร่างตามข้อมูล ณ วันที่ {as_of} (ไม่ใช่ฉบับที่ส่งอำเภอ)"),
    ]
    import hashlib

    for row in rows:
        data = archive.read(next(n for n in archive.namelist() if n.endswith("/" + row["ไฟล์"])))
        assert hashlib.sha256(data).hexdigest() == row["SHA-256"]


def test_a_later_edit_does_not_change_a_submitted_report_in_the_zip(db, tmp_path):
    exports.write_zip(db, 1, "37", ("pdf",), tmp_path / "a.zip")
    db.execute("UPDATE project SET in_development_plan = 0 WHERE lao_id = 1")
    db.execute("UPDATE lao SET name = 'เปลี่ยนชื่อ' WHERE id = 1")
    exports.write_zip(db, 1, "37", ("pdf",), tmp_path / "b.zip")
    a, b = _zip(tmp_path / "a.zip"), _zip(tmp_path / "b.zip")
    assert a.read(_reports(a)[0]) == b.read(_reports(b)[0])


def test_province_zip_holds_only_its_province_and_the_national_one_all(db, tmp_path):
    _other_province_model(db)
    exports.write_zip(db, 1, "37", ("pdf",), tmp_path / "p.zip", today=_in(db, 1))
    names = [i.filename for i in _reports(_zip(tmp_path / "p.zip"))]
    assert len(names) == 4 and not any("บึงกาฬ" in n or "หอคำ" in n for n in names)
    exports.write_zip(db, 1, None, ("pdf",), tmp_path / "n.zip", today=_in(db, 1))
    names = [i.filename for i in _reports(_zip(tmp_path / "n.zip"))]
    assert len(names) == 5
    assert names[0].startswith(f"รายงานรอบที่ 1-{YEAR} ทั่วประเทศ/จังหวัดอำนาจเจริญ/อำเภอเมืองอำนาจเจริญ/")
    assert any(n.startswith(f"รายงานรอบที่ 1-{YEAR} ทั่วประเทศ/จังหวัดบึงกาฬ/") and "หอคำ" in n for n in names)


def test_cancel_stops_and_leaves_no_file(db, tmp_path):
    (tmp_path / "out").mkdir()
    out = tmp_path / "out" / "r.zip"
    calls = []

    def progress(done, total):
        calls.append((done, total))
        return done < 1

    with pytest.raises(exports.Cancelled):
        exports.write_zip(db, 1, "37", ("pdf",), out, progress, today=_in(db, 1))
    assert calls == [(0, 4), (1, 4)]
    assert list((tmp_path / "out").iterdir()) == []


def test_file_name_parts_are_safe():
    assert exports._part('a/b\\c:d*e?f"g<h>i|j') == "a-b-c-d-e-f-g-h-i-j"
    assert exports._part("..／etc＼passwd∕x⁄y") == "-etc-passwd-x-y"
    assert exports._part("\x00\u202e..") == "-"
    assert exports._part("CON") == "_CON" and exports._part("nul.txt") == "_nul.txt"
    assert exports._part("อำนาจเจริญ") == "อำนาจเจริญ"  # ำ stays one character
    long = exports._part("ก" * 200)
    assert len(long.encode()) <= exports.PART_BYTES and set(long) == {"ก"}


def test_hostile_and_long_lao_names_keep_their_status_label_inside_their_folder(db, tmp_path):
    db.execute("UPDATE lao SET name = ? WHERE id = 7", ["../../" + "ยาว" * 60])
    db.execute("UPDATE lao SET name = ? WHERE id = 5", ["/etc/passwd"])
    exports.write_zip(db, 1, "37", ("pdf",), tmp_path / "r.zip", today=_in(db, 1))
    names = [i.filename for i in _reports(_zip(tmp_path / "r.zip"))]
    root = f"รายงานรอบที่ 1-{YEAR} จังหวัดอำนาจเจริญ/"
    for name in names:
        parts = name.split("/")
        assert name.startswith(root) and len(parts) == 3 and ".." not in parts and all(parts), name
        assert len(name) < 200
    assert names[3].endswith(" (ยังไม่จัดทำ).pdf") and "ยาวยาว" in names[3]
    assert names[2].endswith("-etc-passwd (ส่งกลับแก้ไข).pdf")


def test_a_scope_without_model_laos_or_a_changed_programme_year_is_refused_in_thai(db, tmp_path):
    from formsvc.store.errors import InputError

    with pytest.raises(InputError) as info:
        exports.write_zip(db, 1, "38", ("pdf",), tmp_path / "r.zip")
    assert "ยังไม่มี อปท.ต้นแบบ" in info.value.message
    with pytest.raises(InputError) as info:
        exports.write_zip(db, 1, "37", ("pdf",), tmp_path / "r.zip", programme_year=YEAR - 1)
    assert "ปีดำเนินการเปลี่ยน" in info.value.message
    assert not list(tmp_path.glob("r.zip*"))


# The background job through the web -------------------------------------------------


def _queue_province_pdf(client) -> int:
    """The id of a PDF export job of period 1 for province 37, asked for on the web."""
    response = client.post("/exports/reports", data={"period": "1", "province": "37", "formats": "pdf"})
    return int(response.location.rsplit("/", 1)[1])


def _wait(client, job_id: int, seconds: float = 120) -> dict:
    deadline = time.monotonic() + seconds
    while time.monotonic() < deadline:
        job = client.get(f"/api/v1/exports/{job_id}").get_json()
        if job["finished"]:
            return job
        time.sleep(0.3)
    raise AssertionError(f"export job {job_id} did not finish: {job}")


def test_province_user_downloads_the_period_zip(make_app, db, db_path):
    # the job is handed to the task queue only below, so its page is seen while it waits
    client = make_app(WTF_CSRF_ENABLED=False, EXPORT_RUNNER=False).test_client()
    login(client, "province")
    page = client.get("/provinces/37?period=1").get_data(as_text=True)
    assert "ZIP" in page and 'action="/exports/reports"' in page
    response = client.post("/exports/reports", data={"period": "1", "province": "37", "formats": "pdf"})
    assert response.status_code == 302
    job_id = int(response.location.rsplit("/", 1)[1])
    # the page of a job in progress survives a reload: its state is in the database
    for _ in range(2):
        html = client.get(f"/exports/{job_id}").get_data(as_text=True)
        assert "<progress" in html and "export-progress.js" in html
    tasks.enqueue_exports(str(db_path))  # FORMSVC_QUEUE=memory (conftest): it runs now
    job = _wait(client, job_id)
    expected = _files_expected(db, 1)
    assert job["status"] == "done" and job["done"] == job["total"] == expected and job["percent"] == 100
    html = client.get(f"/exports/{job_id}").get_data(as_text=True)
    assert f"รายงานรอบที่ 1-{YEAR} จังหวัดอำนาจเจริญ.zip" in html and "export-progress.js" not in html
    assert "ไบต์" in html and "bytes" not in html
    response = client.get(job["download_url"])
    assert response.status_code == 200 and response.mimetype == "application/zip"
    assert "filename*=UTF-8''" in response.headers["Content-Disposition"]
    archive = zipfile.ZipFile(io.BytesIO(response.data))
    assert len(_reports(archive)) == expected and len(_manifest(archive)) == 4
    row = db.execute("SELECT status, sha256, size FROM export_job WHERE id = ?", [job_id]).fetchone()
    import hashlib

    assert row[0] == "done" and row[1] == hashlib.sha256(response.data).hexdigest() and row[2] == len(response.data)
    # someone else's job is not there for them
    other = make_app(WTF_CSRF_ENABLED=False).test_client()
    login(other, "national")
    assert other.get(f"/exports/{job_id}").status_code == 404
    assert other.get(f"/exports/{job_id}/download").status_code == 404
    assert other.get(f"/api/v1/exports/{job_id}").status_code == 404


def test_province_user_cannot_export_another_province_or_the_country(make_app, db):
    client = make_app(WTF_CSRF_ENABLED=False, EXPORT_RUNNER=False).test_client()
    login(client, "province")
    for province in ("38", ""):
        response = client.post("/exports/reports", data={"period": "1", "province": province, "formats": "pdf"})
        assert response.status_code == 404
    page = client.get("/exports").get_data(as_text=True)
    assert "บึงกาฬ" not in page and "ทั่วประเทศ" not in page
    assert db.execute("SELECT count(*) FROM export_job").fetchone()[0] == 0


def test_bad_requests_get_thai_messages_and_make_no_job(make_app, db):
    client = make_app(WTF_CSRF_ENABLED=False, EXPORT_RUNNER=False).test_client()
    login(client, "national")
    for data in (
        {"period": "99", "province": "37", "formats": "pdf"},
        {"period": "1", "province": "37", "formats": "exe"},
        {"period": "x", "province": "37", "formats": "pdf"},
        {"period": "1", "province": "99", "formats": "pdf"},
    ):
        response = client.post("/exports/reports", data=data)
        assert response.status_code == 400, data
        assert "ไม่มีการบันทึก" in response.get_data(as_text=True) or "ไม่ถูกต้อง" in response.get_data(as_text=True)
    assert db.execute("SELECT count(*) FROM export_job").fetchone()[0] == 0


def test_without_csrf_token_nothing_starts(make_app, db):
    client = make_app(EXPORT_RUNNER=False).test_client()
    token = csrf_token(client, "/login")
    assert (
        client.post(
            "/login", data={"username": "national", "password": "formsvc-demo", "csrf_token": token}
        ).status_code
        == 302
    )
    data = {"period": "1", "province": "37", "formats": "pdf"}
    response = client.post("/exports/reports", data=data)
    assert response.status_code == 400 and "แบบฟอร์มหมดอายุ" in response.get_data(as_text=True)
    assert db.execute("SELECT count(*) FROM export_job").fetchone()[0] == 0
    # the same request with the page's token starts the job
    token = csrf_token(client, "/exports")
    assert client.post("/exports/reports", data={**data, "csrf_token": token}).status_code == 302
    assert db.execute("SELECT count(*) FROM export_job").fetchone()[0] == 1


def test_same_request_twice_follows_the_first_job_and_queued_job_cancels_at_once(make_app, db):
    client = make_app(WTF_CSRF_ENABLED=False, EXPORT_RUNNER=False).test_client()
    login(client, "national")
    data = {"period": "2", "province": "", "formats": "pdf,docx"}
    first = client.post("/exports/reports", data=data).location
    second = client.post("/exports/reports", data=data).location
    assert first == second
    job_id = int(first.rsplit("/", 1)[1])
    assert client.get(f"/api/v1/exports/{job_id}").get_json()["status"] == "queued"
    assert client.post(f"/exports/{job_id}/cancel").status_code == 302
    job = client.get(f"/api/v1/exports/{job_id}").get_json()
    assert job["status"] == "cancelled" and job["finished"]
    # a cancelled job has nothing to download
    response = client.get(f"/exports/{job_id}/download", follow_redirects=True)
    assert "ไม่มีไฟล์นี้แล้ว" in response.get_data(as_text=True)


def test_running_job_cancelled_by_the_user_stops_before_its_next_file(db, db_path):
    year = db.execute(YEAR_SQL).fetchone()[0]
    user = db.execute("SELECT id FROM user WHERE username = 'province'").fetchone()[0]
    job_id, _ = job_store.create(db, user, year, 1, "37", "pdf")
    job = job_store.claim(db, 1)
    original = job_store.progress

    def cancel_after_first(database, jid, done, total):
        if done == 1:
            job_store.cancel(database, jid, user)
        return original(database, jid, done, total)

    job_store.progress = cancel_after_first
    try:
        assert exports.run_job(db, str(db_path), job) == "cancelled"
    finally:
        job_store.progress = original
    row = job_store.get(db, job_id)
    assert row["status"] == "cancelled" and row["done"] == 1
    assert not any(exports.exports_dir(str(db_path)).glob(f"job-{job_id}.zip*"))


def test_a_job_whose_runner_died_shows_as_failed(make_app, db):
    client = make_app(WTF_CSRF_ENABLED=False, EXPORT_RUNNER=False).test_client()
    login(client, "national")
    job_id = _queue_province_pdf(client)
    db.execute(
        "UPDATE export_job SET status = 'running', heartbeat_at = '2000-01-01T00:00:00+00:00' WHERE id = ?", [job_id]
    )
    job = client.get(f"/api/v1/exports/{job_id}").get_json()
    assert job["status"] == "failed" and "หยุดกลางคัน" in job["error"]
    # kept as a message, so it reads in the reader's language
    client.post("/language", data={"locale": "en", "next": "/"})
    job = client.get(f"/api/v1/exports/{job_id}").get_json()
    assert job["error"] == "Making the file stopped part-way. Please ask for it again."
    page = client.get(f"/exports/{job_id}").get_data(as_text=True)
    assert "Making the file stopped part-way." in page and "หยุดกลางคัน" not in page


def test_finished_files_expire_after_a_day(db, db_path):
    year = db.execute(YEAR_SQL).fetchone()[0]
    user = db.execute("SELECT id FROM user WHERE username = 'province'").fetchone()[0]
    job_id, _ = job_store.create(db, user, year, 1, "37", "pdf")
    job = job_store.claim(db, 1)
    assert exports.run_job(db, str(db_path), job) == "done"
    path = exports.job_file(str(db_path), job_id)
    assert path.is_file()
    db.execute("UPDATE export_job SET finished_at = '2000-01-01T00:00:00+00:00' WHERE id = ?", [job_id])
    exports.remove_stale_files(db, str(db_path))
    assert job_store.get(db, job_id)["status"] == "expired" and not path.exists()


# The command line ---------------------------------------------------------------------


def test_cli_export_reports(db, db_path, tmp_path, monkeypatch):
    monkeypatch.setenv("FORMSVC_DB", str(db_path))
    out = tmp_path / "out.zip"
    result = CliRunner().invoke(
        cli.main, ["export-reports", "--period", "1", "--province", "37", "--format", "docx", "--out", str(out)]
    )
    assert result.exit_code == 0, result.output
    archive = _zip(out)
    assert len(_reports(archive, "docx")) == _files_expected(db, 1) and not _reports(archive, "pdf")
    for code, args in (
        (1, ["--period", "1", "--province", "99"]),
        (1, ["--period", "9"]),
        (1, ["--period", "1", "--province", "38"]),
        (2, ["--period", "1", "--format", "odt"]),
    ):
        result = CliRunner().invoke(cli.main, ["export-reports", *args, "--out", str(tmp_path / "x.zip")])
        assert result.exit_code == code, result.output
    assert not (tmp_path / "x.zip").exists()


def test_clean_keeps_files_of_live_jobs_and_removes_the_rest(db, db_path):
    year = db.execute(YEAR_SQL).fetchone()[0]
    user = db.execute("SELECT id FROM user WHERE username = 'province'").fetchone()[0]
    done_id, _ = job_store.create(db, user, year, 1, "37", "pdf")
    running_id, _ = job_store.create(db, user, year, 2, "37", "pdf")
    cancelled_id, _ = job_store.create(db, user, year, 3, "37", "pdf")
    db.execute("UPDATE export_job SET status = 'done', finished_at = ? WHERE id = ?", [job_store.now_iso(), done_id])
    db.execute(
        "UPDATE export_job SET status = 'running', heartbeat_at = ? WHERE id = ?", [job_store.now_iso(), running_id]
    )
    job_store.cancel(db, cancelled_id, user)
    folder = exports.exports_dir(str(db_path))
    keep = [folder / f"job-{done_id}.zip", folder / f"job-{running_id}.zip.part"]
    gone = [folder / f"job-{cancelled_id}.zip.part"]
    for path in keep + gone:
        path.write_bytes(b"x")
    exports.remove_stale_files(db, str(db_path))
    assert all(p.exists() for p in keep) and not any(p.exists() for p in gone)


def test_an_expired_file_is_not_served_even_before_clean_up(make_app, db, db_path):
    client = make_app(WTF_CSRF_ENABLED=False, EXPORT_RUNNER=False).test_client()
    login(client, "province")
    job_id = _queue_province_pdf(client)
    exports.job_file(str(db_path), job_id).write_bytes(b"PK")
    db.execute(
        "UPDATE export_job SET status = 'done', finished_at = '2000-01-01T00:00:00+00:00',"
        " file_name = 'x.zip' WHERE id = ?",
        [job_id],
    )
    response = client.get(f"/exports/{job_id}/download")
    assert response.status_code == 302
    assert client.get(f"/api/v1/exports/{job_id}").get_json()["status"] == "expired"


def test_a_user_moved_to_another_province_loses_the_old_provinces_jobs(make_app, db, db_path):
    client = make_app(WTF_CSRF_ENABLED=False, EXPORT_RUNNER=False).test_client()
    login(client, "province")
    job_id = _queue_province_pdf(client)
    db.execute("UPDATE user SET province_code = '38' WHERE username = 'province'")
    assert client.get(f"/exports/{job_id}").status_code == 404
    assert client.get(f"/api/v1/exports/{job_id}").status_code == 404
    # and a runner that takes the job now refuses it
    job = job_store.claim(db, 1)
    assert exports.run_job(db, str(db_path), job) == "failed"
    assert "ไม่มีสิทธิ์" in thai(job_store.get(db, job_id)["error"])
    assert not exports.job_file(str(db_path), job_id).exists()


def test_a_job_no_runner_takes_fails_with_a_thai_message(db):
    year = db.execute(YEAR_SQL).fetchone()[0]
    user = db.execute("SELECT id FROM user WHERE username = 'province'").fetchone()[0]
    job_id, _ = job_store.create(db, user, year, 1, "37", "pdf")
    db.execute("UPDATE export_job SET created_at = '2000-01-01T00:00:00+00:00' WHERE id = ?", [job_id])
    assert job_store.reap(db) == [job_id]
    assert "ยังไม่เริ่มจัดทำ" in thai(job_store.get(db, job_id)["error"])


def _jobs(db, count: int) -> list[int]:
    year = db.execute(YEAR_SQL).fetchone()[0]
    users = [r[0] for r in db.execute("SELECT id FROM user WHERE username IN ('province', 'national', 'admin')")]
    return [
        job_store.create(db, users[i % len(users)], year, 1 + i // len(users), "37", "pdf")[0] for i in range(count)
    ]


def test_at_most_two_jobs_run_at_once(db):
    first, second, third = _jobs(db, 3)
    assert job_store.claim(db, 1)["id"] == first and job_store.claim(db, 2)["id"] == second
    assert job_store.claim(db, 3) is None  # the third waits for one of them to end
    assert job_store.get(db, third)["status"] == "queued"
    job_store.finish(db, first, "done")
    assert job_store.claim(db, 3)["id"] == third


def test_the_minute_chores_start_a_job_left_queued_and_expire_old_files(make_app, db, db_path):
    # a job queued while no worker took it (EXPORT_RUNNER off: nothing handed to the queue)
    client = make_app(WTF_CSRF_ENABLED=False, EXPORT_RUNNER=False).test_client()
    login(client, "province")
    job_id = _queue_province_pdf(client)
    assert job_store.get(db, job_id)["status"] == "queued"
    tasks.queues(str(db_path)).chores()  # the jobs worker's periodic task (run at once here)
    job = job_store.get(db, job_id)
    assert job["status"] == "done" and job["done"] == job["total"] == _files_expected(db, 1)
    path = exports.job_file(str(db_path), job_id)
    assert path.is_file()
    db.execute("UPDATE export_job SET finished_at = '2000-01-01T00:00:00+00:00' WHERE id = ?", [job_id])
    tasks.queues(str(db_path)).chores()
    assert job_store.get(db, job_id)["status"] == "expired" and not path.exists()


def test_drafts_rendered_through_the_queue_are_what_report_files_gives_and_fill_the_render_cache(
    db, db_path, tmp_path, monkeypatch
):
    today = _in(db, 1)
    renderer = tasks.QueueRenderer(tasks.queues(str(db_path)))
    result = exports.write_zip(db, 1, "37", ("pdf", "docx"), tmp_path / "q.zip", today=today, renderer=renderer)
    assert sum(result["rendered_by"].values()) == 2  # LAO 7's draft, both formats
    archive = _zip(tmp_path / "q.zip")
    pdf, docx_file = _reports(archive, "pdf")[3], _reports(archive, "docx")[3]
    assert "(ยังไม่จัดทำ)" in pdf.filename
    cache = db_path.parent / "render-cache"
    assert len([p for p in cache.rglob("*") if p.is_file()]) == 2
    # a later ZIP takes them from the cache: nothing rendered
    again = exports.write_zip(db, 1, "37", ("pdf", "docx"), tmp_path / "r.zip", today=today, renderer=renderer)
    assert again["rendered_by"] == {} and _zip(tmp_path / "r.zip").read(_reports(archive, "pdf")[3]) == archive.read(
        pdf
    )
    # the same bytes as the report's own render, without the cache
    monkeypatch.setenv("FORMSVC_RENDER_CACHE_MB", "0")
    report = report_store.get_report(db, 7, 1)
    _, files = services.report_files(db, 7, report, today, ("pdf", "docx"), draft=True)
    assert files["pdf"] == archive.read(pdf)
    # (a DOCX's zip entries carry the moment it was written: its parts are compared)
    ours, theirs = zipfile.ZipFile(io.BytesIO(files["docx"])), zipfile.ZipFile(io.BytesIO(archive.read(docx_file)))
    assert ours.namelist() == theirs.namelist()
    assert all(ours.read(name) == theirs.read(name) for name in ours.namelist())


def test_a_document_rendered_on_another_machine_is_not_kept_in_the_render_cache(db, db_path, tmp_path):
    # its fonts may differ from this machine's: a later download renders here
    from formsvc import render_pool

    class Elsewhere:
        def submit(self, kind, context, fmt, draft):
            content, _ = render_pool.render_document(kind, context, fmt, draft)
            return exports._Later(lambda: (content, "another-machine:1"))

        def close(self, cancel=False):
            pass

    out = tmp_path / "e.zip"
    result = exports.write_zip(db, 1, "37", ("pdf",), out, today=_in(db, 1), renderer=Elsewhere())
    assert result["rendered_by"] == {"another-machine:1": 1}
    assert "(ยังไม่จัดทำ)" in _reports(_zip(out))[3].filename
    assert not [p for p in (db_path.parent / "render-cache").rglob("*") if p.is_file()]
