"""Photos and PDF scans attached to forums, monitoring visits and reports.

Demo scopes: clerk → LAO 1 (district 3701, province 37); province → 37; LAO 9 is in
another province. The demo's forums 1–9 are LAO 1's; LAO 1's report of period 4 is not
saved yet (a draft is saved here)."""

from __future__ import annotations

import datetime as dt
import hashlib
import io
import re

import pytest
from PIL import Image
from pypdf import PdfWriter

from formsvc.store import attachments as store
from formsvc.store import programme as programme_store
from formsvc.store import reports as report_store
from formsvc.store import visits as visit_store
from tests.conftest import CE, arabic, ids, login
from tests.docs import pdf_text

GPS_TAG = 0x8825
ORIENTATION_TAG = 0x0112


def jpeg_with_gps(width: int = 800, height: int = 400) -> bytes:
    """A photo as a phone saves it: EXIF with the camera, the place (GPS) and an
    orientation saying it must be turned a quarter (6: 90° clockwise)."""
    image = Image.new("RGB", (width, height), (200, 40, 40))
    exif = Image.Exif()
    exif[ORIENTATION_TAG] = 6
    exif[0x010F] = "PhoneMaker"
    exif[GPS_TAG] = {1: "N", 2: (13.0, 45.0, 30.0), 3: "E", 4: (100.0, 30.0, 0.0)}
    out = io.BytesIO()
    image.save(out, "JPEG", exif=exif.tobytes())
    return out.getvalue()


def png(width: int = 40, height: int = 40) -> bytes:
    out = io.BytesIO()
    Image.new("RGB", (width, height), (10, 120, 10)).save(out, "PNG")
    return out.getvalue()


def pdf(pages: int = 1, password: str | None = None, padding: str = "") -> bytes:
    writer = PdfWriter()
    for _ in range(pages):
        writer.add_blank_page(200, 200)
    if padding:
        writer.add_metadata({"/Subject": padding})
    if password:
        writer.encrypt(password)
    out = io.BytesIO()
    writer.write(out)
    return out.getvalue()


def _bomb(side: int = 30000) -> bytes:
    """A PNG of a few KB that declares side × side pixels (30000: past Pillow's own
    limit too; 8000: past ours only)."""
    out = io.BytesIO()
    Image.new("1", (side, side)).save(out, "PNG")
    return out.getvalue()


def _noise_jpeg() -> bytes:
    """A photo whose pixel data is most of the file (noise compresses badly)."""
    out = io.BytesIO()
    Image.effect_noise((600, 400), 80).convert("RGB").save(out, "JPEG")
    return out.getvalue()


def _pdf_with_script() -> bytes:
    from pypdf.generic import DictionaryObject, NameObject, TextStringObject

    writer = PdfWriter()
    writer.add_blank_page(200, 200)
    action = DictionaryObject({NameObject("/S"): NameObject("/JavaScript"), NameObject("/JS"): TextStringObject("1")})
    writer._root_object[NameObject("/OpenAction")] = writer._add_object(action)
    out = io.BytesIO()
    writer.write(out)
    return out.getvalue()


@pytest.fixture
def draft_report(db):
    """LAO 1's report of period 4, saved as a draft: its id."""
    report_store.save_draft(db, 1, 4, {"progress": "ดำเนินการแล้ว"}, None)
    return db.execute("SELECT id FROM report WHERE lao_id = 1 AND period = 4").fetchone()[0]


@pytest.fixture
def visit(db):
    """A monitoring visit of LAO 1 by the province office: its id."""
    start, _end = visit_store.window(db, programme_store.get_programme(db).year_be)
    return visit_store.create_visit(db, 1, "province", visit_store.VisitInput(start, "ผู้ติดตาม", "ข้อค้นพบ"), None)


# (owner kind, user who may attach, the record's id, its id in addresses, its page)
OWNERS = {
    "forum": ("clerk", lambda request: 1, lambda owner_id: owner_id, "/laos/1/forums/{id}"),
    # the demo's first meeting of LAO 1's working group
    "meeting": ("clerk", lambda request: 1, lambda owner_id: owner_id, "/laos/1/meetings/{id}"),
    "visit": (
        "province",
        lambda request: request.getfixturevalue("visit"),
        lambda owner_id: owner_id,
        "/laos/1/visits/{id}",
    ),
    "report": (
        "clerk",
        lambda request: request.getfixturevalue("draft_report"),
        lambda owner_id: 4,
        "/laos/1/reports/{id}",
    ),
}


def _upload(client, kind: str, owner_id: int, name: str, data: bytes, lao_id: int = 1):
    """Upload to a forum or a visit (``owner_id``: its id) or a report (its period)."""
    return client.post(
        f"/laos/{lao_id}/{kind}s/{owner_id}/attachments",
        data={"file": (io.BytesIO(data), name)},
        content_type="multipart/form-data",
    )


def _flashes(client, page: str) -> str:
    html = client.get(page).get_data(as_text=True)
    return arabic(" ".join(re.findall(r'<p class="flash [^"]*" role="status">([^<]*)</p>', html)))


def _files_on_disk(db_path) -> list:
    folder = store.folder_for(db_path)
    return sorted(p for p in folder.rglob("*") if p.is_file()) if folder.exists() else []


@pytest.mark.parametrize("kind", list(OWNERS))
def test_attach_download_remove_and_restore(client, db, db_path, request, kind):
    user, owner, address, page_pattern = OWNERS[kind]
    owner_id = owner(request)
    page = page_pattern.format(id=address(owner_id))
    login(client, user)
    response = _upload(client, kind, address(owner_id), "เวที IMG_0042.JPG", jpeg_with_gps())
    assert response.status_code == 302
    assert response.headers["Location"].endswith(page + "#attachments")
    [row] = db.query("SELECT * FROM attachment")
    assert (row["owner_kind"], row["owner_id"], row["kind"], row["file_name"]) == (
        kind,
        owner_id,
        "photo",
        "เวที IMG_0042.jpg",
    )
    html = client.get(page).get_data(as_text=True)
    assert "เวที IMG_0042.jpg" in html
    # the photo as stored: upright (the orientation applied), with no EXIF at all, no GPS
    response = client.get(f"/laos/1/attachments/{row['id']}/file")
    assert response.status_code == 200
    assert response.headers["Content-Type"] == "image/jpeg"
    assert response.headers["X-Content-Type-Options"] == "nosniff"
    assert "sandbox" in response.headers["Content-Security-Policy"]
    photo = Image.open(io.BytesIO(response.data))
    assert photo.size == (400, 800)
    exif = photo.getexif()
    assert GPS_TAG not in exif and not exif.get_ifd(GPS_TAG) and len(exif) == 0
    assert b"PhoneMaker" not in response.data
    # content-addressed: the file's name is the SHA-256 of its bytes
    assert hashlib.sha256(response.data).hexdigest() == row["sha256"]
    assert (store.folder_for(db_path) / row["sha256"][:2] / row["sha256"]).read_bytes() == response.data
    thumb = client.get(f"/laos/1/attachments/{row['id']}/thumb")
    assert thumb.status_code == 200 and Image.open(io.BytesIO(thumb.data)).size == (160, 320)
    assert len(Image.open(io.BytesIO(thumb.data)).getexif()) == 0
    # removed: gone from the page and the download; the file stays for the undo
    response = client.post(f"/laos/1/attachments/{row['id']}/delete")
    assert response.status_code == 302
    assert client.get(f"/laos/1/attachments/{row['id']}/file").status_code == 404
    html = client.get(page).get_data(as_text=True)
    assert f"/laos/1/attachments/{row['id']}/restore" in html  # the undo button
    assert len(_files_on_disk(db_path)) == 2
    # restored
    assert client.post(f"/laos/1/attachments/{row['id']}/restore").status_code == 302
    assert client.get(f"/laos/1/attachments/{row['id']}/file").data == photo_bytes(db_path, row["sha256"])
    assert ids(db, "SELECT id FROM attachment WHERE deleted_at IS NULL") == [row["id"]]


def photo_bytes(db_path, sha: str) -> bytes:
    return (store.folder_for(db_path) / sha[:2] / sha).read_bytes()


def test_a_pdf_scan_is_a_download_never_shown_inline(client, db):
    login(client, "clerk")
    scan = pdf(3)
    assert _upload(client, "forum", 1, "ใบลงชื่อ.pdf", scan).status_code == 302
    [row] = db.query("SELECT * FROM attachment")
    assert (row["kind"], row["pages"], row["sha256"]) == ("pdf", 3, hashlib.sha256(scan).hexdigest())
    response = client.get(f"/laos/1/attachments/{row['id']}/file")
    assert response.status_code == 200 and response.data == scan
    assert response.headers["Content-Type"] == "application/pdf"
    assert response.headers["Content-Disposition"].startswith("attachment;")
    assert client.get(f"/laos/1/attachments/{row['id']}/thumb").status_code == 404


HOSTILE = {
    "decompression bomb": ("bomb.png", _bomb, "ล้าน"),
    "truncated photo": ("half.jpg", lambda: _noise_jpeg()[: len(_noise_jpeg()) // 2], "เสียหาย"),
    "photo that is also a PDF": ("both.jpg", lambda: jpeg_with_gps() + b"%PDF-1.7\n1 0 obj<<>>endobj", "ไม่ตรง"),
    "photo that is also a web page": ("page.png", lambda: png() + b"<html><script>alert(1)</script>", "ไม่ตรง"),
    "PDF named as a photo": ("scan.jpg", lambda: pdf(), "ไม่ตรง"),
    "photo named as a PDF": ("photo.pdf", png, "ไม่ตรง"),
    "not a photo at all": ("notes.txt", lambda: b"hello", "JPEG"),
    "encrypted PDF": ("locked.pdf", lambda: pdf(password="secret"), "รหัสผ่าน"),
    "truncated PDF": ("half.pdf", lambda: pdf(4)[:300], "เสียหาย"),
    "PDF with a script": ("script.pdf", _pdf_with_script, "สคริปต์"),
    "too many pages": ("long.pdf", lambda: pdf(101), "100"),
    "over 10 MB": ("big.pdf", lambda: b"%PDF-1.4\n" + b"0" * (10 * 1024 * 1024), "10 MB"),
}


@pytest.mark.parametrize("case", list(HOSTILE))
def test_a_bad_or_hostile_file_is_refused_in_thai_and_changes_nothing(client, db, db_path, case):
    name, make, words = HOSTILE[case]
    login(client, "clerk")
    response = _upload(client, "forum", 1, name, make())
    assert response.status_code == 302
    message = _flashes(client, "/laos/1/forums/1")
    assert "ไม่ได้แนบไฟล์" in message and words in message, message
    assert ids(db, "SELECT id FROM attachment") == []
    assert _files_on_disk(db_path) == []


def _set_quota(app, db, mb: str):
    """The admin sets each LAO's attachments quota on the settings page."""
    admin = app.test_client()
    login(admin, "admin")
    current = programme_store.settings(db)
    data = {k: str(current[k]) for k in ("year_be", "start_month", "end_month", "late_days", "version")}
    data |= {"dimensions": "\n".join(current["dimensions"]), "attachment_quota_mb": mb}
    return admin.post("/admin/settings", data=data)


def test_the_quota_and_the_limit_per_record(app, client, db, db_path, monkeypatch):
    assert _set_quota(app, db, "-1").status_code == 400
    assert _set_quota(app, db, "1").status_code == 302
    assert programme_store.settings(db)["attachment_quota_mb"] == 1
    login(client, "clerk")
    # 0.4 MB of a 1 MB quota: the first fits, with it the third passes the quota
    scans = [pdf(padding=chr(65 + i) * (400 * 1024)) for i in range(3)]
    for i, scan in enumerate(scans):
        assert _upload(client, "forum", 1 + i, f"{i}.pdf", scan).status_code == 302
    assert "โควตา 1.0 MB" in _flashes(client, "/laos/1/forums/1")
    assert len(ids(db, "SELECT id FROM attachment")) == 2 and len(_files_on_disk(db_path)) == 2
    assert _set_quota(app, db, "200").status_code == 302
    monkeypatch.setattr(store, "MAX_PER_RECORD", 2)
    for size in (40, 41, 42):
        _upload(client, "forum", 1, f"{size}.png", png(size, size))
    assert "ครบ 2 ไฟล์" in _flashes(client, "/laos/1/forums/1")
    forum_1 = "SELECT id FROM attachment WHERE owner_kind = 'forum' AND owner_id = ?"
    assert len(ids(db, forum_1, [1])) == 2  # the scan above and the first photo
    # another record still takes files
    assert _upload(client, "forum", 3, "b.png", png(43, 43)).status_code == 302
    assert len(ids(db, forum_1, [3])) == 1


def test_scope_other_province_and_roles(make_app, db):
    """Downloads answer as their record does: outside the user's scope 404."""
    app = make_app(WTF_CSRF_ENABLED=False)
    clerk = app.test_client()
    login(clerk, "clerk")
    _upload(clerk, "forum", 1, "a.png", png())
    [att] = ids(db, "SELECT id FROM attachment")
    # LAO 9, in another province: an attachment of one of its forums
    row = next(db.query("SELECT * FROM forum WHERE id = 9"))
    row = {**row, "lao_id": 9, "village_id": None}
    del row["id"]
    forum_9 = db.execute(
        f"INSERT INTO forum ({', '.join(row)}) VALUES ({', '.join('?' for _ in row)})", list(row.values())
    ).lastrowid
    admin = app.test_client()
    login(admin, "admin")
    assert _upload(admin, "forum", forum_9, "b.png", png(41, 41), lao_id=9).status_code == 302
    [att_9] = ids(db, "SELECT id FROM attachment WHERE lao_id = 9")
    province = app.test_client()
    login(province, "province")
    assert province.get(f"/laos/1/attachments/{att}/file").status_code == 200
    assert province.get(f"/laos/9/attachments/{att_9}/file").status_code == 404
    assert province.get(f"/laos/9/attachments/{att_9}/thumb").status_code == 404
    assert _upload(province, "forum", forum_9, "c.png", png(), lao_id=9).status_code == 404
    assert province.post(f"/laos/9/attachments/{att_9}/delete").status_code == 404
    # an attachment asked for under another LAO's address
    assert admin.get(f"/laos/9/attachments/{att}/file").status_code == 404
    # the clerk of LAO 1 sees its own, not LAO 9's
    assert clerk.get(f"/laos/9/attachments/{att_9}/file").status_code == 404
    # a province user may not change a forum's attachments (403), nor anonymous users see them
    assert province.post(f"/laos/1/attachments/{att}/delete").status_code == 403
    assert app.test_client().get(f"/laos/1/attachments/{att}/file").status_code == 302
    assert ids(db, "SELECT id FROM attachment WHERE deleted_at IS NULL ORDER BY id") == [att, att_9]


def test_a_visits_attachments_are_hidden_from_facilitators(client, db, visit, make_app):
    login(client, "province")
    _upload(client, "visit", visit, "a.png", png())
    [att] = ids(db, "SELECT id FROM attachment")
    facilitator = make_app(WTF_CSRF_ENABLED=False).test_client()
    login(facilitator, "facilitator")
    assert facilitator.get(f"/laos/1/attachments/{att}/file").status_code == 404
    clerk = make_app(WTF_CSRF_ENABLED=False).test_client()
    login(clerk, "clerk")
    assert clerk.get(f"/laos/1/attachments/{att}/file").status_code == 200
    assert clerk.post(f"/laos/1/attachments/{att}/delete").status_code == 403


def test_a_sent_reports_attachments_cannot_change(client, db):
    """LAO 1's report of period 1 is submitted: its attachments are as sent."""
    login(client, "clerk")
    assert _upload(client, "report", 1, "a.png", png()).status_code == 403
    assert ids(db, "SELECT id FROM attachment") == []


def test_backup_and_restore_carry_the_files_byte_for_byte(client, db, db_path, tmp_path, draft_report):
    """``formsvc backup`` puts the files in the one backup file; ``formsvc restore``
    writes them back, each compared byte for byte, whatever the disk lost meanwhile."""
    import sqlite3

    from tests.test_durability import cli

    login(client, "clerk")
    scan, photo = pdf(2), jpeg_with_gps()
    _upload(client, "forum", 1, "scan.pdf", scan)
    _upload(client, "report", 4, "photo.jpg", photo)
    before = {p.name: p.read_bytes() for p in _files_on_disk(db_path)}
    assert len(before) == 3  # the scan, the photo and its thumbnail
    result = cli(db_path, "backup", tmp_path / "copy.db")
    assert result.exit_code == 0 and "ไฟล์แนบ 3 ไฟล์" in result.output, result.output
    # the disk loses the files, one is damaged, and a row is removed after the backup
    files = _files_on_disk(db_path)
    files[0].write_bytes(b"damaged")
    for path in files[1:]:
        path.unlink()
    db.execute("DELETE FROM attachment WHERE kind = 'pdf'")
    result = cli(db_path, "restore", tmp_path / "copy.db")
    assert result.exit_code == 0 and "ไฟล์แนบ 3 ไฟล์" in result.output, result.output
    after = {p.name: p.read_bytes() for p in _files_on_disk(db_path)}
    assert after == before
    for name, content in after.items():
        assert hashlib.sha256(content).hexdigest() == name
    # the restored database has both rows, and not the backup's table of files
    assert sorted(r[0] for r in db.execute("SELECT kind FROM attachment")) == ["pdf", "photo"]
    assert not ids(db, "SELECT name FROM sqlite_master WHERE name = 'backup_attachment_file'")
    [pdf_id] = ids(db, "SELECT id FROM attachment WHERE kind = 'pdf'")
    assert client.get(f"/laos/1/attachments/{pdf_id}/file").data == scan
    # a backup whose file does not match its name is refused, and nothing changes
    damaged = sqlite3.connect(tmp_path / "copy.db")
    damaged.execute("UPDATE backup_attachment_file SET content = X'00' WHERE rowid = 1")
    damaged.commit()
    damaged.close()
    result = cli(db_path, "restore", tmp_path / "copy.db")
    assert result.exit_code != 0 and "ไฟล์แนบที่เสียหาย" in result.output, result.output
    assert {p.name: p.read_bytes() for p in _files_on_disk(db_path)} == before


def test_a_removed_attachment_leaves_the_disk_only_when_no_row_names_it(client, db, db_path, travel):
    login(client, "clerk")
    photo = png(600, 600)
    _upload(client, "forum", 1, "a.png", photo)
    _upload(client, "forum", 2, "same.png", photo)  # the same bytes: one file
    first, second = ids(db, "SELECT id FROM attachment ORDER BY id")
    assert len(_files_on_disk(db_path)) == 2  # the photo and its thumbnail
    client.post(f"/laos/1/attachments/{first}/delete")
    travel(dt.datetime.now(dt.UTC) + dt.timedelta(days=31))
    from formsvc.store import trash

    trash.purge(db)
    assert ids(db, "SELECT id FROM attachment") == [second]
    assert len(_files_on_disk(db_path)) == 2  # still named by the other row
    db.execute("UPDATE attachment SET deleted_at = '2000-01-01T00:00:00+00:00'")
    trash.purge(db)
    assert ids(db, "SELECT id FROM attachment") == [] and _files_on_disk(db_path) == []


def test_the_reports_annex_lists_the_attachments(client, db, draft_report, visit):
    from formsvc.services import reports as report_service
    from tests.docs import docx_blocks

    login(client, "clerk")
    _upload(client, "forum", 1, "ใบลงชื่อเวที.pdf", pdf())
    _upload(client, "report", 4, "IMG_2024.jpg", jpeg_with_gps())
    rows = {r["file_name"]: r["sha256"] for r in db.query("SELECT file_name, sha256 FROM attachment")}
    content, _version = report_service.report_version(db, 1, 4, "pdf")
    text = pdf_text(content)
    assert "ภาคผนวก" in text
    for name, sha in rows.items():
        assert name in text and sha[:12] in text
    assert "ภาพถ่าย" in text and "เอกสารสแกน" in text
    docx_bytes, _ = report_service.report_version(db, 1, 4, "docx")
    words = " ".join(docx_blocks(docx_bytes))
    for name, sha in rows.items():
        assert name in words and sha[:12] in words
    # without attachments, no annex
    db.execute("UPDATE attachment SET deleted_at = ?", [f"{CE}-01-01T00:00:00+00:00"])
    assert "ภาคผนวก" not in pdf_text(report_service.report_version(db, 1, 4, "pdf")[0])


def test_a_bomb_is_refused_from_its_header_before_any_decoding(monkeypatch):
    """The pixel count is checked before a child process decodes anything."""
    from formsvc.documents import attachments as cleaning
    from formsvc.domain.errors import InputError

    def no_decoding(*args, **kwargs):
        raise AssertionError("decoded")

    monkeypatch.setattr(cleaning.sandbox, "run", no_decoding)
    with pytest.raises(InputError) as error:
        cleaning.prepare("bomb.png", _bomb(8000))
    assert "ล้านพิกเซล" in error.value.message


def test_the_district_attaches_the_laos_consent_letter_to_its_selection(make_app, db):
    """The scanned consent letter (guideline §4.2(3)) is kept with the selection, on the
    district page: the district office attaches it; the LAO's clerk and the offices above
    read it; it is the open year's only."""
    from tests.conftest import YEAR

    district = make_app(WTF_CSRF_ENABLED=False).test_client()
    login(district, "district")
    scan = pdf(1)
    response = district.post(
        f"/laos/1/consent/{YEAR}/attachments",
        data={"file": (io.BytesIO(scan), "หนังสือยินยอม อบต.บุ่ง.pdf")},
        content_type="multipart/form-data",
    )
    assert response.status_code == 302 and response.headers["Location"].endswith("/districts/3701#attachments")
    [row] = db.query("SELECT * FROM attachment")
    assert (row["owner_kind"], row["owner_id"], row["lao_id"]) == ("consent", YEAR, 1)
    page = district.get("/districts/3701").get_data(as_text=True)
    assert "หนังสือยินยอม อบต.บุ่ง.pdf" in page and "หนังสือแสดงความยินยอมของ อปท. (ฉบับสแกน)" in page
    clerk = make_app(WTF_CSRF_ENABLED=False).test_client()
    login(clerk, "clerk")
    assert clerk.get(f"/laos/1/attachments/{row['id']}/file").data == scan  # the LAO reads it
    refused = clerk.post(
        f"/laos/1/consent/{YEAR}/attachments",
        data={"file": (io.BytesIO(scan), "อื่น.pdf")},
        content_type="multipart/form-data",
    )
    assert refused.status_code == 403  # the district office's to attach
    assert district.post(f"/laos/1/consent/{YEAR - 1}/attachments").status_code == 404  # no such year
    assert ids(db, "SELECT id FROM attachment") == [row["id"]]
