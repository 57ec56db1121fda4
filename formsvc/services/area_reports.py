"""District and province reports: each office's report of a period to the level above,
compiled from what the level below sent (what was reported stays reported), and its
frozen versions.

A district report compiles its model LAOs' latest submitted reports of the period. A
province report compiles the district reports of the period it acknowledged, as each
district sent it, its monitoring visits of the period, and the province's comments."""

from __future__ import annotations

import datetime as _dt
import json

from formsvc.documents import context as doc_context
from formsvc.documents import engine
from formsvc.domain import clock, thai
from formsvc.domain.errors import NotFound
from formsvc.domain.model import district_display_name, lao_full_name
from formsvc.domain.reports import days_late
from formsvc.services import rollups
from formsvc.store import area_reports as store
from formsvc.store import db as store_db
from formsvc.store import geography, visits
from formsvc.store import reports as report_store
from formsvc.store.area_reports import DISTRICT, LEVELS, PROVINCE, Level

__all__ = ["DISTRICT", "LEVELS", "PROVINCE", "Level"]

# a district report's state as the province report names it
DISTRICT_STATE_TH = {
    "acknowledged": "จังหวัดรับรองรายงานแล้ว (ฉบับที่ {version})",
    "submitted": "ส่งรายงานแล้ว รอจังหวัดตรวจ",
    "returned": "จังหวัดส่งกลับให้แก้ไข",
    "draft": "ยังไม่ได้ส่งรายงาน",
    None: "ยังไม่ได้ส่งรายงาน",
}
NOT_ACKNOWLEDGED_TH = "รายงานของอำเภอยังไม่ได้รับการรับรอง"


def area(db, level: Level, code: str) -> dict:
    """The district or province (NotFound when there is none)."""
    found = geography.district(db, code) if level is DISTRICT else geography.province(db, code)
    if found is None:
        raise NotFound(code)
    return found


def title(level: Level, place: dict) -> str:
    if level is DISTRICT:
        return f"{district_display_name(place['kind'], place['name_th'])} จังหวัด{place['province_name']}"
    return f"จังหวัด{place['name_th']}"


def _not_reported(lao: dict, status_th: str = rollups.NOT_REPORTED_TH) -> dict:
    """A roll-up row without figures: the open period's live figures are not a report
    (nor an LAO's report the district has not sent in an acknowledged report)."""
    return {
        **lao,
        "awaits_district": status_th == NOT_ACKNOWLEDGED_TH,
        "source": None,
        "criteria": None,
        "all_met": False,
        "problems": None,
        "suggestions": None,
        "report_status_th": status_th,
    }


def _district_snapshot(db, code: str, report: dict, today: _dt.date) -> dict:
    result = rollups.rollup(db, district_code=code, period=report["period"], today=today, year=report["programme_year"])
    laos = [lao if lao["source"] == "reported" else _not_reported(lao) for lao in result["laos"]]
    return {"result": {k: v for k, v in result.items() if k != "laos"}, "laos": laos}


def _province_snapshot(db, code: str, report: dict, today: _dt.date) -> dict:
    """The LAOs of the province as the district reports it acknowledged say (each
    district's LAOs of its acknowledged version; the others without figures), each
    district's report state and words, and the monitoring visits of the period."""
    year, number = report["programme_year"], report["period"]
    result = rollups.rollup(db, province_code=code, period=number, today=today, year=year)
    acknowledged = store.acknowledged_snapshots(db, code, year, number)
    states = store.statuses(db, DISTRICT, year, number, province_code=code)
    from_districts = {lao["lao_id"]: lao for snap in acknowledged.values() for lao in snap["laos"]}
    laos, districts = [], {}
    for lao in result["laos"]:
        districts.setdefault(lao["district_code"], None)
        if lao["district_code"] in acknowledged:
            laos.append(from_districts.get(lao["lao_id"]) or _not_reported(lao))
        else:
            laos.append(_not_reported(lao, NOT_ACKNOWLEDGED_TH))
    # an LAO the acknowledged district report lists but no longer serving stays as sent
    listed = {lao["lao_id"] for lao in laos}
    laos += [lao for lao in from_districts.values() if lao["lao_id"] not in listed]
    for district_code in acknowledged:
        districts.setdefault(district_code, None)
    for district_code in districts:
        districts[district_code] = geography.district(db, district_code)
    the_period = report_store.period(db, number, year)
    in_period = [
        v
        for v in visits.visits_in_area(db, year, province_code=code)
        if the_period.start.isoformat() <= v["visited_on"] <= the_period.end.isoformat()
    ]
    return {
        "result": {k: v for k, v in result.items() if k != "laos"},
        "laos": laos,
        "districts": [
            {
                "code": district_code,
                "name": district_display_name(place["kind"], place["name_th"]),
                "kind": place["kind"],
                "name_th": place["name_th"],
                "status": (states.get(district_code) or {}).get("status"),
                "version": acknowledged[district_code]["version"] if district_code in acknowledged else None,
                "comments": acknowledged[district_code]["comments"] if district_code in acknowledged else None,
                "recommendations": (
                    acknowledged[district_code]["recommendations"] if district_code in acknowledged else None
                ),
            }
            for district_code, place in sorted(districts.items())
        ],
        "visits": [
            {
                "lao": lao_full_name(v["lao_kind"], v["lao_name"]),
                "office": v["office"],
                "visited_on": v["visited_on"],
                "findings": v["findings"],
                "recommendations": v["recommendations"],
                "follow_up_due": v["follow_up_due"],
                "follow_up_done_on": v["follow_up_done_on"],
            }
            for v in in_period
        ],
    }


def compile_snapshot(db, level: Level, code: str, report: dict, today: _dt.date, compiler: dict | None) -> dict:
    """What a report of the period says now, from what the level below sent (nothing
    from today's data), with the office's comments and recommendations. Plain JSON,
    kept with each submitted version."""
    body = (_district_snapshot if level is DISTRICT else _province_snapshot)(db, code, report, today)
    totals = rollups.totals(body["laos"])
    return {
        **body,
        "level": level.name,
        level.code: code,
        "programme_year": body["result"]["programme_year"],
        "period": body["result"]["period"],
        "compiled_on": today.isoformat(),
        "compiler": compiler or {},
        "comments": report["comments"],
        "recommendations": report["recommendations"],
        "result": {**body["result"], **totals},
    }


def _day(value: str | None) -> str:
    return doc_context.date_text(_dt.date.fromisoformat(value)) if value else "-"


def visit_line(visit: dict) -> str:
    """One monitoring visit as the province report writes it."""
    office = "สำนักงานส่งเสริมการปกครองท้องถิ่นจังหวัด" if visit["office"] == "province" else "อำเภอ"
    follow = (
        f"ติดตามผลแล้วเมื่อ {_day(visit['follow_up_done_on'])}"
        if visit["follow_up_done_on"]
        else f"กำหนดติดตามผล {_day(visit['follow_up_due'])}"
        if visit["follow_up_due"]
        else ""
    )
    parts = [
        f"{_day(visit['visited_on'])} {visit['lao']} ({office})",
        f"ข้อค้นพบ {doc_context.one_line(visit['findings']) or '-'}",
        f"ข้อแนะนำ {doc_context.one_line(visit['recommendations']) or '-'}",
        follow,
    ]
    return " ".join(p for p in parts if p)


def snapshot_context(db, snapshot: dict) -> dict:
    """The document context of a snapshot (as sent, or as it stands now)."""
    level = LEVELS[snapshot.get("level", "district")]
    place = area(db, level, snapshot[level.code])
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
    compiled_on = _dt.date.fromisoformat(snapshot["compiled_on"])
    if level is DISTRICT:
        return doc_context.district_report_context(
            title(level, place),
            result,
            rows,
            snapshot["comments"],
            snapshot["recommendations"],
            compiled_on=compiled_on,
            compiler=snapshot["compiler"],
        )
    districts = [
        {
            **d,
            "state": DISTRICT_STATE_TH[d["status"]].format(version=d["version"]),
        }
        for d in snapshot["districts"]
    ]
    return doc_context.province_report_context(
        title(level, place),
        result,
        rows,
        districts,
        [visit_line(v) for v in snapshot["visits"]],
        snapshot["comments"],
        snapshot["recommendations"],
        compiled_on=compiled_on,
        compiler=snapshot["compiler"],
    )


def report_files(
    db,
    level: Level,
    code: str,
    report: dict,
    today: _dt.date,
    compiler: dict | None,
    formats=("pdf", "docx"),
    draft=False,
) -> tuple[dict, dict[str, bytes]]:
    snapshot = compile_snapshot(db, level, code, report, today, compiler)
    context = snapshot_context(db, snapshot)
    kind = f"{level.name}-report"
    folder = store_db.render_cache_folder(db)
    return snapshot, {fmt: engine.render(kind, context, fmt, draft=draft, cache_folder=folder) for fmt in formats}


def compiler_of(user: dict) -> dict:
    return {"name": user.get("display_name") or user.get("username"), "position": user.get("position") or ""}


def submit(
    db, level: Level, code: str, number: int, user: dict, today: _dt.date | None = None, at: str | None = None
) -> int:
    """Submit the area's report of the period to the level above: a new frozen version
    (``today`` and ``at``: the day and time it is sent, for the demo's history)."""
    today = today or clock.today()
    compiler = compiler_of(user)
    return store.submit(
        db,
        level,
        code,
        number,
        user["id"],
        today,
        lambda report: report_files(db, level, code, report, today, compiler),
        at,
    )


def _latest_sent(db, level: Level, code: str, number: int, report: dict) -> dict | None:
    if report["submissions"] and report["status"] in store.SENT:
        number_sent = report["submissions"][0]["number"]
        return store.submission(db, level, code, number, number_sent, report["programme_year"])
    return None


def view(db, level: Level, code: str, number: int, compiler: dict | None = None, year: int | None = None) -> dict:
    """What a report page shows: the report, the snapshot shown (the latest version as
    sent when it is sent or acknowledged; else the draft compiled now), its status, due
    day and days late (of programme year ``year``, default the open one)."""
    report = store.get(db, level, code, number, year)
    period = report_store.period(db, number, report["programme_year"])
    latest = _latest_sent(db, level, code, number, report)
    if latest is not None:
        snapshot = json.loads(latest["snapshot"])
        shown = f"v{latest['number']}"
    else:
        snapshot = compile_snapshot(db, level, code, report, clock.today(), compiler)
        shown = "draft"
    due_days = level.due_days(db, report["programme_year"])
    if level is PROVINCE:
        for d in snapshot["districts"]:
            d["state"] = DISTRICT_STATE_TH[d["status"]].format(version=d["version"])
    return {
        "report": report,
        "snapshot": snapshot,
        "shown": shown,
        "period": period,
        "due": period.due(due_days),
        "days_late": days_late(period, store.first_days_late(report), clock.today(), due_days),
    }


def document(
    db, level: Level, code: str, number: int, fmt: str, compiler: dict | None = None, year: int | None = None
) -> tuple[bytes, str]:
    """The latest version as sent (bytes kept) and "v<n>", or the draft rendered now
    (marked ร่าง) and "draft" (of programme year ``year``, default the open one)."""
    report = store.get(db, level, code, number, year)
    latest = _latest_sent(db, level, code, number, report)
    if latest is not None:
        return latest[fmt], f"v{latest['number']}"
    _, files = report_files(db, level, code, report, clock.today(), compiler, (fmt,), draft=True)
    return files[fmt], "draft"


def submitted_on(row: dict) -> _dt.date:
    return thai.local_date(row["submitted_at"])


def memo_context(
    db, level: Level, code: str, number: int, version: int | None = None, compiler=None, year: int | None = None
) -> dict:
    """The memo sending the report to the level above: of version ``version`` (default:
    the latest as sent, else the draft as it stands now), from that version's snapshot,
    so a version's memo never changes."""
    report = store.get(db, level, code, number, year)
    if version is not None:
        snapshot = json.loads(store.submission(db, level, code, number, version, year)["snapshot"])
    else:
        latest = _latest_sent(db, level, code, number, report)
        if latest is not None:
            snapshot = json.loads(latest["snapshot"])
        else:
            snapshot = compile_snapshot(db, level, code, report, clock.today(), compiler)
    place = area(db, level, code)
    if level is DISTRICT:
        name, province = district_display_name(place["kind"], place["name_th"]), place["province_name"]
    else:
        name, province = f"จังหวัด{place['name_th']}", place["name_th"]
    return doc_context.area_cover_memo_context(
        level.name,
        name,
        province,
        report_store.period(db, snapshot["period"], snapshot["programme_year"]),
        snapshot["programme_year"],
        _dt.date.fromisoformat(snapshot["compiled_on"]),
        snapshot["compiler"],
        snapshot["result"]["passing"],
        snapshot["result"]["selected"],
    )
