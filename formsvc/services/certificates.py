"""Certificates (เกียรติบัตร): issued to a model LAO that reported every criterion met,
and archived as issued."""

from __future__ import annotations

import datetime as _dt
import json

from formsvc.documents import context as doc_context
from formsvc.documents import engine
from formsvc.domain import clock, criteria
from formsvc.domain.errors import InputError, NotFound
from formsvc.store import documents as document_store
from formsvc.store import laos as lao_store
from formsvc.store import programme as programme_store
from formsvc.store import reports as report_store


def issue_certificate(
    db,
    lao_id: int,
    role: str,
    user_id: int | None,
    signer_name: str,
    signer_position: str,
    issued_on: _dt.date | None = None,
) -> None:
    """Issue and archive a เกียรติบัตร, only for a model LAO that meets every criterion."""
    signer_name, signer_position = (signer_name or "").strip(), (signer_position or "").strip()
    if not signer_name or not signer_position:
        raise InputError("กรุณากรอกชื่อและตำแหน่งผู้ลงนาม", "signer_name")
    if len(signer_name) > 120 or len(signer_position) > 200:
        raise InputError("ชื่อหรือตำแหน่งผู้ลงนามยาวเกินกำหนด", "signer_name")
    _refuse_certificate(db, lao_id)
    lao = lao_store.get_lao(db, lao_id)
    issuer = f"จังหวัด{lao['province_name']}" if role == "province" else "กระทรวงมหาดไทย"
    context = doc_context.certificate_context(
        lao, programme_store.get_programme(db), issuer, signer_name, signer_position, issued_on or clock.today()
    )
    files = {"pdf": engine.render_pdf("certificate", context), "docx": engine.render_docx("certificate", context)}
    document_store.archive_certificate(db, lao_id, files, user_id)


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
    content = document_store.certificate(db, lao_id, fmt)
    if content is None:
        raise NotFound(lao_id)
    return content
