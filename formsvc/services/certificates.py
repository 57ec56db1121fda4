"""Certificates (เกียรติบัตร): issued by the Ministry (national users, admins) to the
year's model LAO that reported every criterion met, once per LAO and programme year
(issuing again replaces it; the old one stays archived, marked replaced), and archived
as issued."""

from __future__ import annotations

import datetime as _dt
import json

from formsvc.documents import context as doc_context
from formsvc.documents import engine
from formsvc.domain import clock, criteria
from formsvc.domain.errors import InputError, NotFound
from formsvc.domain.messages import msg
from formsvc.store import documents as document_store
from formsvc.store import laos as lao_store
from formsvc.store import programme as programme_store
from formsvc.store import reports as report_store

ISSUERS = ("national", "admin")


def issue_certificate(
    db,
    lao_id: int,
    role: str,
    user_id: int | None,
    signer_name: str,
    signer_position: str,
    issued_on: _dt.date | None = None,
    replace: bool = False,
) -> int:
    """Issue and archive a เกียรติบัตร of the open programme year, only for its model LAO
    that meets every criterion by its latest report. A second one for the same year is
    refused unless ``replace``: it then replaces the first, which stays archived.
    Returns the certificate's id."""
    if role not in ISSUERS:
        raise InputError(msg("Certificates are issued by the Ministry (national users) only."), "lao")
    signer_name, signer_position = (signer_name or "").strip(), (signer_position or "").strip()
    if not signer_name or not signer_position:
        raise InputError("กรุณากรอกชื่อและตำแหน่งผู้ลงนาม", "signer_name")
    if len(signer_name) > 120 or len(signer_position) > 200:
        raise InputError("ชื่อหรือตำแหน่งผู้ลงนามยาวเกินกำหนด", "signer_name")
    _refuse_certificate(db, lao_id)
    prog = programme_store.get_programme(db)
    if not replace:  # before rendering; archive_certificate checks again in its transaction
        document_store.refuse_a_second_certificate(db, lao_id, prog.year_be)
    lao = lao_store.get_lao(db, lao_id)
    context = doc_context.certificate_context(
        lao, prog, "กระทรวงมหาดไทย", signer_name, signer_position, issued_on or clock.today()
    )
    files = {"pdf": engine.render_pdf("certificate", context), "docx": engine.render_docx("certificate", context)}
    return document_store.archive_certificate(db, lao_id, prog.year_be, files, user_id, replace=replace)


def _refuse_certificate(db, lao_id: int) -> None:
    """A certificate goes only to the year's model LAO (not one replaced during the year)
    whose latest reported snapshot meets every criterion: what the LAO reported, not
    today's data."""
    lao_store.get_lao(db, lao_id)
    year = programme_store.get_programme(db).year_be
    if not lao_store.is_serving_model(db, lao_id, year):
        raise InputError(
            f"ออกเกียรติบัตรได้เฉพาะ อปท.ต้นแบบ ของปี {year} (อปท. นี้ไม่ได้เป็น อปท.ต้นแบบ หรือถูกเปลี่ยนเป็น อปท. อื่นแล้ว)", "lao"
        )
    latest = report_store.latest_submitted(db, lao_id, year)
    if latest is None:
        raise InputError("ออกเกียรติบัตรตามผลที่ อปท. รายงาน: อปท. นี้ยังไม่เคยส่งรายงานในปีนี้", "lao")
    criteria_met = json.loads(latest["snapshot"])["compliance"]["criteria"]
    missing = ", ".join(str(c["number"]) for c in criteria_met if not c["met"])
    if missing:
        raise InputError(
            f"ออกเกียรติบัตรได้เฉพาะ อปท. ที่ผ่านเกณฑ์ครบ {criteria.COUNT} ข้อ ตามรายงานที่ส่งล่าสุด "
            f"(รอบที่ {latest['period']} ฉบับที่ {latest['number']} ยังไม่ผ่านข้อ {missing})",
            "lao",
        )


def certificate(db, lao_id: int, fmt: str) -> bytes:
    """The LAO's current certificate (of its latest year) as issued."""
    content = document_store.certificate(db, lao_id, fmt)
    if content is None:
        raise NotFound(lao_id)
    return content


def certificate_file(db, lao_id: int, certificate_id: int, fmt: str) -> bytes:
    """One certificate of the LAO, current or replaced, as issued."""
    content = document_store.certificate_file(db, lao_id, certificate_id, fmt)
    if content is None:
        raise NotFound(certificate_id)
    return content


def certificates(db, lao_id: int) -> list[dict]:
    """The LAO's certificates, newest first, each current or replaced."""
    return document_store.certificates(db, lao_id)
