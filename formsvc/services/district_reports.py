"""District reports: the district office's report of a period to the province, compiled
from its model LAOs' reports as they were sent (what was reported stays reported), and
its frozen versions."""

from __future__ import annotations

import datetime as _dt
import json

from formsvc.documents import context as doc_context
from formsvc.documents import engine
from formsvc.domain import clock, thai
from formsvc.domain.errors import NotFound
from formsvc.domain.model import district_display_name
from formsvc.domain.reports import days_late
from formsvc.services import rollups
from formsvc.store import district_reports as store
from formsvc.store import geography
from formsvc.store import reports as report_store


def title(district: dict) -> str:
    return f"{district_display_name(district['kind'], district['name_th'])} จังหวัด{district['province_name']}"


def compile_snapshot(db, district_code: str, report: dict, today: _dt.date, compiler: dict | None) -> dict:
    """What a district report of the period says now: each model LAO as its latest
    submitted version of the period says (nothing from today's data: an LAO that sent
    nothing is "ไม่ได้รายงาน"), and the district's comments and recommendations. Plain
    JSON, kept with each submitted version."""
    result = rollups.rollup(db, district_code=district_code, period=report["period"], today=today)
    laos = []
    for lao in result["laos"]:
        if lao["source"] != "reported":  # the open period's live figures are not a report
            lao = {**lao, "source": None, "criteria": None, "all_met": False, "problems": None, "suggestions": None}
            lao["report_status_th"] = rollups.NOT_REPORTED_TH
        laos.append(lao)
    totals = rollups.totals(laos)
    return {
        "district_code": district_code,
        "programme_year": result["programme_year"],
        "period": result["period"],
        "compiled_on": today.isoformat(),
        "compiler": compiler or {},
        "comments": report["comments"],
        "recommendations": report["recommendations"],
        "result": {**{k: v for k, v in result.items() if k != "laos"}, **totals},
        "laos": laos,
    }


def snapshot_context(db, snapshot: dict) -> dict:
    """The document context of a snapshot (as sent, or as it stands now)."""
    district = geography.district(db, snapshot["district_code"])
    if district is None:
        raise NotFound(snapshot["district_code"])
    rows = [
        {
            "name": lao["name"],
            "place": lao["district"],
            "criteria": lao["criteria"],
            "report": " ".join(
                filter(
                    None,
                    (
                        lao["report_status_th"],
                        rollups.source_text(lao),
                        rollups.late_text(lao["days_late"]),
                    ),
                )
            ),
            "problems": lao["problems"],
            "suggestions": lao["suggestions"],
            "version": lao["report_version"],
        }
        for lao in snapshot["laos"]
    ]
    the_period = report_store.period(db, snapshot["period"], snapshot["programme_year"])
    result = {**snapshot["result"], "period_text": doc_context.period_text(the_period)}
    return doc_context.district_report_context(
        title(district),
        result,
        rows,
        snapshot["comments"],
        snapshot["recommendations"],
        compiled_on=_dt.date.fromisoformat(snapshot["compiled_on"]),
        compiler=snapshot["compiler"],
    )


def report_files(
    db, district_code: str, report: dict, today: _dt.date, compiler: dict | None, formats=("pdf", "docx"), draft=False
) -> tuple[dict, dict[str, bytes]]:
    snapshot = compile_snapshot(db, district_code, report, today, compiler)
    context = snapshot_context(db, snapshot)
    return snapshot, {fmt: engine.render("district-report", context, fmt, draft=draft) for fmt in formats}


def submit(db, district_code: str, number: int, user: dict, today: _dt.date | None = None) -> int:
    """Submit the district report of the period to the province: a new frozen version."""
    today = today or clock.today()
    compiler = {"name": user.get("display_name") or user.get("username"), "position": user.get("position") or ""}
    return store.submit(
        db,
        district_code,
        number,
        user["id"],
        today,
        lambda report: report_files(db, district_code, report, today, compiler),
    )


def view(db, district_code: str, number: int, compiler: dict | None = None) -> dict:
    """What the district report page shows: the report, the snapshot shown (the latest
    version as sent when it is sent or acknowledged; else the draft compiled now), its
    status, due day and days late."""
    report = store.get(db, district_code, number)
    period = report_store.period(db, number)
    if report["submissions"] and report["status"] in store.SENT:
        latest = store.submission(db, district_code, number, report["submissions"][0]["number"])
        snapshot = json.loads(latest["snapshot"])
        shown = f"v{latest['number']}"
    else:
        snapshot = compile_snapshot(db, district_code, report, clock.today(), compiler)
        shown = "draft"
    due_days = store.due_days(db)
    return {
        "report": report,
        "snapshot": snapshot,
        "shown": shown,
        "period": period,
        "due": period.due(due_days),
        "days_late": days_late(period, store.first_days_late(report), clock.today(), due_days),
    }


def document(db, district_code: str, number: int, fmt: str, compiler: dict | None = None) -> tuple[bytes, str]:
    """The latest version as sent (bytes kept) and "v<n>", or the draft rendered now
    (marked ร่าง) and "draft"."""
    report = store.get(db, district_code, number)
    if report["submissions"] and report["status"] in store.SENT:
        latest = store.submission(db, district_code, number, report["submissions"][0]["number"])
        return latest[fmt], f"v{latest['number']}"
    _, files = report_files(db, district_code, report, clock.today(), compiler, (fmt,), draft=True)
    return files[fmt], "draft"


def submitted_on(row: dict) -> _dt.date:
    return thai.local_date(row["submitted_at"])
