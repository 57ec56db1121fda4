"""Certificates (เกียรติบัตร, guideline §10): the Ministry (national users, admins) issues
one per LAO and programme year; issuing again replaces it and the old one stays archived,
marked replaced, downloadable as issued. Demo: LAO 1 is the year's model LAO and its
latest report met all five criteria; LAO 3's did not."""

from __future__ import annotations

import hashlib
import html as html_lib

import pytest

from formsvc import services
from formsvc.domain.errors import InputError
from formsvc.store import documents as document_store
from formsvc.store import programme as programme_store
from tests.conftest import YEAR, csrf_token

SIGNER = {"signer_name": "นายผู้ว่า ราชการ", "signer_position": "ปลัดกระทรวงมหาดไทย"}


@pytest.fixture
def signed_in(make_app):
    app = make_app(EXPORT_RUNNER=False)

    def sign_in(username: str):
        client = app.test_client()
        token = csrf_token(client, "/login")
        response = client.post("/login", data={"username": username, "password": "formsvc-demo", "csrf_token": token})
        assert response.status_code == 302
        return client

    return sign_in


def issue(client, **extra):
    data = {**SIGNER, "csrf_token": csrf_token(client, "/laos/1"), **extra}
    return client.post("/laos/1/certificate", data=data, follow_redirects=True)


def text(response) -> str:
    return html_lib.unescape(response.get_data(as_text=True))


def count(db) -> int:
    return db.execute("SELECT count(*) FROM issued_document WHERE kind = 'certificate'").fetchone()[0]


def test_a_second_certificate_needs_replace_and_keeps_the_first_as_replaced(db, signed_in):
    national = signed_in("national")
    assert issue(national).status_code == 200
    first = document_store.current_certificate(db, 1, YEAR)
    assert first is not None and count(db) == 2
    first_pdf = national.get(f"/laos/1/certificates/{first['id']}.pdf").data
    assert national.get("/laos/1/certificate.pdf").data == first_pdf

    refused = issue(national)
    assert "ออกเกียรติบัตรของปีดำเนินการ" in text(refused) and "แทนที่เกียรติบัตรที่ออกแล้ว" in text(refused)
    assert count(db) == 2 and document_store.current_certificate(db, 1, YEAR)["id"] == first["id"]

    assert issue(national, replace="y", signer_name="นายผู้แทน ลงนาม").status_code == 200
    current = document_store.current_certificate(db, 1, YEAR)
    assert current["id"] != first["id"] and count(db) == 4
    listed = {c["id"]: c for c in services.certificates(db, 1)}
    assert listed[first["id"]]["replaced_at"] and listed[first["id"]]["replaced_by_name"] == "เจ้าหน้าที่ สถ."
    assert listed[current["id"]]["replaced_at"] is None
    # the replaced one is still downloadable, byte for byte as issued, and named replaced
    old = national.get(f"/laos/1/certificates/{first['id']}.pdf")
    assert old.status_code == 200 and old.data == first_pdf
    assert "replaced" in old.headers.get("Content-Disposition", "")
    assert hashlib.sha256(old.data).hexdigest() == listed[first["id"]]["files"]["pdf"]
    assert national.get("/laos/1/certificate.pdf").data != first_pdf  # the current one is the new one
    page = text(national.get("/laos/1"))
    assert "เกียรติบัตรที่ออกแล้ว" in page and "ถูกแทนที่" in page and "ฉบับปัจจุบัน" in page


def test_the_service_refuses_a_second_certificate_and_other_roles(db):
    sign = tuple(SIGNER.values())
    services.issue_certificate(db, 1, "admin", None, *sign)
    with pytest.raises(InputError, match="ออกเกียรติบัตรของปีดำเนินการ"):
        services.issue_certificate(db, 1, "national", None, *sign)
    with pytest.raises(InputError, match="กระทรวงมหาดไทย"):
        services.issue_certificate(db, 1, "province", None, *sign, replace=True)
    assert count(db) == 2
    services.issue_certificate(db, 1, "national", None, *sign, replace=True)
    rows = db.execute("SELECT replaced_at IS NULL FROM certificate WHERE lao_id = 1 ORDER BY id").fetchall()
    assert [r[0] for r in rows] == [0, 1]


def test_only_the_years_model_lao_meeting_all_five_is_certified_even_with_replace(db):
    with pytest.raises(InputError, match="ยังไม่ผ่านข้อ"):
        services.issue_certificate(db, 3, "national", None, *SIGNER.values(), replace=True)
    assert count(db) == 0


@pytest.mark.parametrize(("username", "status"), [("clerk", 403), ("district", 403), ("province", 403)])
def test_a_clerk_district_or_province_cannot_issue(db, signed_in, username, status):
    client = signed_in(username)
    token = csrf_token(client, "/laos/1")
    response = client.post("/laos/1/certificate", data={**SIGNER, "csrf_token": token, "replace": "y"})
    assert response.status_code == status and count(db) == 0
    assert "signer_name" not in client.get("/laos/1").get_data(as_text=True)  # no form offered


def test_a_certificate_out_of_scope_is_404(db, signed_in):
    services.issue_certificate(db, 1, "national", None, *SIGNER.values())
    current = document_store.current_certificate(db, 1, YEAR)
    assert signed_in("clerk2").get(f"/laos/1/certificates/{current['id']}.pdf").status_code == 404
    assert signed_in("clerk").get(f"/laos/1/certificates/{current['id']}.pdf").status_code == 200
    assert signed_in("clerk").get(f"/laos/1/certificates/{current['id'] + 99}.pdf").status_code == 404
    assert programme_store.get_programme(db).year_be == YEAR


def test_certificates_issued_before_the_rule_become_one_current_and_the_rest_replaced(tmp_path):
    from formsvc.store import connect
    from formsvc.store.migrations import migrate

    db = connect(tmp_path / "old.db")
    migrate(db, target=20)
    db.execute("INSERT INTO province (code, name_th, name_en) VALUES ('37', 'อำนาจเจริญ', 'Amnat Charoen')")
    db.execute(
        "INSERT INTO district (code, province_code, name_th, name_en, kind)"
        " VALUES ('3701', '37', 'เมือง', 'M', 'amphoe')"
    )
    db.execute(
        "INSERT INTO lao (id, name, kind, district_code, created_at, updated_at)"
        " VALUES (1, 'บุ่ง', 'tao', '3701', 'x', 'x')"
    )
    db.execute("INSERT INTO programme (year_be, start_month, end_month) VALUES (?, 1, 9)", [YEAR])
    for at in (f"{YEAR - 543}-10-01T01:00:00", f"{YEAR - 543}-10-02T01:00:00"):
        for fmt in ("pdf", "docx"):
            db.execute(
                "INSERT INTO issued_document (lao_id, kind, format, sha256, size, content, created_at)"
                " VALUES (1, 'certificate', ?, ?, 1, ?, ?)",
                [fmt, f"{at}{fmt}", f"{at}{fmt}".encode(), at],
            )
    db.conn.commit()
    migrate(db)
    listed = document_store.certificates(db, 1)
    assert [(c["programme_year"], c["replaced_at"]) for c in listed] == [
        (YEAR, None),
        (YEAR, f"{YEAR - 543}-10-02T01:00:00"),
    ]
    assert document_store.certificate(db, 1, "pdf") == f"{YEAR - 543}-10-02T01:00:00pdf".encode()
    assert (
        document_store.certificate_file(db, 1, listed[1]["id"], "docx") == f"{YEAR - 543}-10-01T01:00:00docx".encode()
    )
