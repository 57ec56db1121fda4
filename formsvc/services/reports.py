"""Bi-monthly reports: what each criterion rests on, the files of a version, submitting,
and the report and cover-memo documents."""

from __future__ import annotations

import datetime as _dt
import json

from formsvc.documents import context as doc_context
from formsvc.documents import engine
from formsvc.domain import clock, criteria, thai
from formsvc.services import attachments, checklist, emblems
from formsvc.store import db as store_db
from formsvc.store import forums as forum_store
from formsvc.store import laos as lao_store
from formsvc.store import meetings as meeting_store
from formsvc.store import programme as programme_store
from formsvc.store import reports as report_store
from formsvc.store import visits as visit_store
from formsvc.store import working_group as wg_store


def report_evidence(db, lao_id: int) -> dict[int, list[str]]:
    """What each criterion's status rests on, in words for the report form."""
    prog = programme_store.get_programme(db)
    evidence: dict[int, list[str]] = {c.number: [] for c in criteria.CRITERIA}
    order = wg_store.current_order(db, lao_id, prog.year_be)
    group = wg_store.get_group(db, lao_id, prog.year_be)
    if order:
        evidence[1].append(
            f"คำสั่งที่ {order['number']}/{order['year_be']} ลงวันที่ "
            f"{doc_context.date_text(_dt.date.fromisoformat(order['order_date']))}"
        )
    evidence[1].append(f"แผนการดำเนินงานร่วมกัน จำนวน {len(group['activities'])} กิจกรรม")
    forums = forum_store.forums(db, lao_id, prog.year_be)
    for f in forums:
        heads = f["head_count"] if f["head_count"] is not None else f["named"]
        day = doc_context.date_text(_dt.date.fromisoformat(f["held_on"]))
        evidence[2 if f["level"] == "village" else 3].append(f"{f['title']} วันที่ {day} ผู้เข้าร่วม {heads} คน")
    c4, c5, issues = checklist.criteria_4_and_5(db, lao_id)
    ordinance = doc_context.budget_ordinance(lao_store.get_lao(db, lao_id)["kind"])
    evidence[4].append(_share("บรรจุในแผนพัฒนาท้องถิ่น", c4, "ที่อยู่ในอำนาจหน้าที่"))
    evidence[5].append(_share(f"บรรจุใน{ordinance}", c5, "ที่อยู่ในแผนพัฒนาท้องถิ่น"))
    return evidence


def _share(what: str, c, base: str) -> str:
    """The share of a criterion: "บรรจุใน… จำนวน 4 โครงการ จาก 10 โครงการที่… คิดเป็นร้อยละ 40.00", or, with nothing
    to count, a sentence (no percentage of nothing)."""
    if not c.denominator:
        return f"ยังไม่มีโครงการ{base}"
    share = criteria.percent(c.numerator, c.denominator, c.met)
    return f"{what} {doc_context.count_of(c.numerator, c.denominator, 'โครงการ', base)} คิดเป็นร้อยละ {share:.2f}"


def annex_owners(db, lao_id: int, report: dict) -> list[tuple[str, int]]:
    """The records whose attachments a report's annex lists: the report itself, then
    the LAO's forums, working-group meetings and monitoring visits of its programme year."""
    year = report["programme_year"]
    owners = [("report", report["id"])] if report["id"] else []
    owners += [("forum", f["id"]) for f in forum_store.forums(db, lao_id, year)]
    owners += [("meeting", m["id"]) for m in meeting_store.meetings(db, lao_id, year)]
    owners += [("visit", v["id"]) for v in visit_store.visits(db, lao_id, year)]
    return owners


def report_files(
    db, lao_id: int, report: dict, today: _dt.date, formats=("pdf", "docx"), draft: bool = False
) -> tuple[dict, dict[str, bytes]]:
    """(snapshot, {format: bytes}) of a report as it stands now; ``draft`` marks both
    formats as not submitted (ร่าง)."""
    snapshot, context = report_context(db, lao_id, report, today)
    folder = store_db.render_cache_folder(db)
    return snapshot, {fmt: engine.render("report", context, fmt, draft=draft, cache_folder=folder) for fmt in formats}


def report_context(db, lao_id: int, report: dict, today: _dt.date) -> tuple[dict, dict]:
    """(snapshot, context) of a report as it stands now: what report_files renders
    (engine.render("report", context, ...)), gathered without rendering, so that the
    render can happen elsewhere (a worker of the task queue, formsvc/tasks.py)."""
    prog = programme_store.get_programme(db)
    period = report_store.period(db, report["period"])
    result = checklist.compliance(db, lao_id)
    evidence = report_evidence(db, lao_id)
    lao = lao_store.get_lao(db, lao_id)
    villages = [v["name"] for v in lao_store.villages(db, lao_id)]
    annex = attachments.annex(db, lao_id, annex_owners(db, lao_id, report))
    context = doc_context.report_context(lao, report, period, prog, result, evidence, today, villages, annex)
    snapshot = {
        "compliance": result,
        "evidence": evidence,
        "period": report["period"],
        "progress": report["progress"],
        "problems": report["problems"],
        "suggestions": report["suggestions"],
        # what the cover memo of this version says, so later edits do not change it
        "memo": {
            "lao": {
                k: lao[k] for k in ("kind", "name", "district_label", "province_name", "chief_title", "digit_style")
            },
            "signer_name": wg_store.get_group(db, lao_id, prog.year_be)["signer_name"],
        },
    }
    return snapshot, context


def submit_report(
    db, lao_id: int, period_number: int, user_id: int | None, today: _dt.date | None = None, at: str | None = None
) -> int:
    today = today or clock.today()
    return report_store.submit(
        db, lao_id, period_number, user_id, today, lambda report: report_files(db, lao_id, report, today), at
    )


def report_version(db, lao_id: int, period_number: int, fmt: str) -> tuple[bytes, str]:
    """The latest submitted version's archived bytes and "v<n>", or the draft rendered
    now and "draft"."""
    report = report_store.get_report(db, lao_id, period_number)
    if report["submissions"] and report["status"] in ("submitted", "acknowledged"):
        latest = report_store.submission(db, lao_id, period_number, report["submissions"][0]["number"])
        return latest[fmt], f"v{latest['number']}"
    # not sent (or returned and not sent again): marked ร่าง in both formats, wherever it is downloaded
    _, files = report_files(db, lao_id, report, clock.today(), (fmt,), draft=True)
    return files[fmt], "draft"


def report_document(db, lao_id: int, period_number: int, fmt: str) -> tuple[bytes, str]:
    """The latest submitted version's archived bytes, or the draft rendered now."""
    content, version = report_version(db, lao_id, period_number, fmt)
    return content, f"report-{period_number}-{version}.{fmt}"


def cover_memo(db, lao_id: int, period_number: int, fmt: str) -> tuple[bytes, str]:
    """The memo sending a period's report to the district, rendered."""
    context = cover_memo_context(db, lao_id, period_number)
    return engine.render("cover-memo", context, fmt), f"cover-memo-{period_number}.{fmt}"


def cover_memo_context(db, lao_id: int, period_number: int) -> dict:
    """The memo sending a period's report to the district: dated and counted as the
    latest submitted version says (so later edits do not change it), else as of today."""
    report = report_store.get_report(db, lao_id, period_number)
    prog = programme_store.get_programme(db)
    lao = lao_store.get_lao(db, lao_id)
    signer = wg_store.get_group(db, lao_id, prog.year_be)["signer_name"]
    if report["submissions"]:
        latest = report_store.submission(db, lao_id, period_number, report["submissions"][0]["number"])
        snapshot = json.loads(latest["snapshot"])
        marks = [c["met"] for c in snapshot["compliance"]["criteria"]]
        day = thai.local_date(latest["submitted_at"])
        if "memo" in snapshot:
            lao = {**lao, **snapshot["memo"]["lao"]}
            signer = snapshot["memo"]["signer_name"]
    else:
        marks = [r.met for r in checklist.compliance_results(db, lao_id)]
        day = clock.today()
    return doc_context.cover_memo_context(
        lao,
        report_store.period(db, period_number),
        prog,
        sum(marks),
        day,
        signer,
        emblems.emblem_png(db, lao_id),
        len(marks),
    )
