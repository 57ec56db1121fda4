"""What waits for each role: the district's reports to review, the clerk's returned
reports and next report due, and the districts (for a province) or provinces (for the
country) with late or missing reports. Every list is of the open programme year (the
only one whose reports can still be sent or reviewed) and reads a fixed number of
queries, whatever the number of rows; lateness is ``domain.reports.days_late``, from
what the first version recorded when it was sent."""

from __future__ import annotations

import datetime as _dt

from formsvc.domain import clock
from formsvc.domain.model import district_display_name
from formsvc.domain.reports import days_late
from formsvc.store import area_reports, geography
from formsvc.store import laos as lao_store
from formsvc.store import programme as programme_store
from formsvc.store import reports as report_store
from formsvc.store import visits as visit_store


def _open_year(db):
    return programme_store.get_programme(db)


def district_inbox(db, district_code: str, today: _dt.date | None = None) -> list[dict]:
    """The district's reports waiting for its review, every period of the open year, the
    longest waiting first, each with how late it was sent."""
    today = today or clock.today()
    prog = _open_year(db)
    periods = {p.number: p for p in report_store.programme_periods(db, prog.year_be)}
    rows = []
    for row in report_store.waiting_for_review(db, prog.year_be, district_code):
        period = periods.get(row["period"])
        if period is None:  # a period the year's settings no longer have: its page is gone too
            continue
        rows.append(
            {
                "lao_id": row["lao_id"],
                "lao_record": {"kind": row["kind"], "name": row["name"]},  # named in the page's language
                "period": period,
                "version": row["version"],
                "submitted_at": row["submitted_at"],
                "days_late": days_late(period, row["first_days_late"], today, prog.late_days),
            }
        )
    return rows


def district_count(db, district_code: str) -> int:
    return report_store.count_waiting_for_review(db, _open_year(db).year_be, district_code)


def clerk_inbox(db, lao_id: int, today: _dt.date | None = None) -> dict:
    """The LAO's returned reports (with the district's comment) and the next report due:
    the earliest period it serves as model LAO whose report is not yet sent (not written
    or still a draft) among those that have begun, else the next period to begin; None
    when every period it serves is sent (or it serves none)."""
    today = today or clock.today()
    prog = _open_year(db)
    periods = report_store.programme_periods(db, prog.year_be)
    by_number = {p.number: p for p in periods}
    returned = [
        {**row, "period": by_number[row["period"]]}
        for row in report_store.returned_reports(db, lao_id, prog.year_be)
        if row["period"] in by_number
    ]
    terms = lao_store.terms_of(db, lao_id, prog.year_be)
    reports = report_store.reports_of(db, lao_id)
    unsent = [
        p
        for p in periods
        if any(t["from_period"] <= p.number and (t["to_period"] is None or p.number <= t["to_period"]) for t in terms)
        and (reports.get(p.number) or {}).get("status") in (None, "draft")
    ]
    begun = [p for p in unsent if p.start <= today]
    due = None
    if unsent:
        p = (begun or unsent)[0]
        report = reports.get(p.number)
        due = {
            "period": p,
            "due": p.due(prog.late_days),
            "status": report["status"] if report else None,
            "begun": p.start <= today,
            "days_late": days_late(p, report_store.first_days_late(report) if report else None, today, prog.late_days),
        }
    return {"returned": returned, "next_due": due, "serves": bool(terms)}


def clerk_count(db, lao_id: int) -> int:
    return report_store.count_returned(db, lao_id, _open_year(db).year_be)


def overdue(db, province_code: str | None = None, today: _dt.date | None = None) -> list[dict]:
    """Every report of the open year that is late or missing, in a province or the
    country, by province, district and period: a report sent after its due day (late by
    what its first version recorded, for good), and a period gone past its due day with
    nothing sent (late by today's count). Two queries, whatever the number of LAOs."""
    today = today or clock.today()
    prog = _open_year(db)
    periods = [p for p in report_store.programme_periods(db, prog.year_be) if p.start <= today]
    states = report_store.report_states(db, prog.year_be, province_code)
    result = []
    for term in report_store.model_terms(db, prog.year_be, province_code):
        for p in periods:
            if p.number < term["from_period"] or (term["to_period"] is not None and p.number > term["to_period"]):
                continue
            state = states.get((term["lao_id"], p.number))
            first = state["first_days_late"] if state else None
            late = days_late(p, first, today, prog.late_days)
            if late:
                result.append(
                    {
                        "lao_id": term["lao_id"],
                        "district_code": term["district_code"],
                        "lao_record": {"kind": term["kind"], "name": term["name"]},
                        "district": district_display_name(term["district_kind"], term["district_name"]),
                        "district_record": {"kind": term["district_kind"], "name_th": term["district_name"]},
                        "province_code": term["province_code"],
                        "province": term["province_name"],
                        "period": p,
                        "sent": first is not None,
                        "days_late": late,
                    }
                )
    return result


def group_overdue(rows: list[dict], key: str) -> list[dict]:
    """Overdue rows grouped by district or province, in order: the group's code and
    name, its rows, how many were sent late, how many are missing, and in how many
    districts."""
    groups: dict[str, dict] = {}
    for row in rows:
        group = groups.setdefault(
            row[f"{key}_code"],
            {
                "code": row[f"{key}_code"],
                "name": row[key],
                "record": row.get(f"{key}_record"),
                "rows": [],
                "late": 0,
                "missing": 0,
            },
        )
        group["rows"].append(row)
        group["late" if row["sent"] else "missing"] += 1
    for group in groups.values():
        group["districts"] = len({row["district_code"] for row in group["rows"]})
    return list(groups.values())


def area_count(db, key: str, province_code: str | None = None) -> int:
    """How many districts (``key`` "district") or provinces have late or missing reports."""
    return len({row[f"{key}_code"] for row in overdue(db, province_code)})


# a follow-up of a monitoring visit shows in the inbox this many days before it is due
FOLLOW_UP_NOTICE_DAYS = 14


def follow_ups(
    db, province_code: str | None = None, district_code: str | None = None, today: _dt.date | None = None
) -> list[dict]:
    """The follow-ups of monitoring visits (guideline §7.2) not done yet that are overdue
    or due within two weeks, in a province or a district, the earliest due first; each
    with ``overdue`` (days past its due day, by the one clock; 0: not yet due) and
    ``days_left``. One query."""
    today = today or clock.today()
    rows = visit_store.open_follow_ups(
        db,
        until=today + _dt.timedelta(days=FOLLOW_UP_NOTICE_DAYS),
        province_code=province_code,
        district_code=district_code,
    )
    result = []
    for row in rows:
        due = _dt.date.fromisoformat(row["follow_up_due"])
        result.append(
            {
                **row,
                "lao_record": {"kind": row["lao_kind"], "name": row["lao_name"]},
                "due": due,
                "overdue": max((today - due).days, 0),
                "days_left": max((due - today).days, 0),
            }
        )
    return result


def follow_ups_due_count(
    db, province_code: str | None = None, district_code: str | None = None, today: _dt.date | None = None
) -> int:
    """How many follow-ups of monitoring visits in a province or a district are due (their
    due day reached or passed) and not done: the navigation's count (one query)."""
    return visit_store.count_follow_ups_due(
        db, today=today or clock.today(), province_code=province_code, district_code=district_code
    )


# District reports (the district office's report of a period to the province) ----------


def district_report_statuses(
    db, province_code: str, number: int, year: int | None = None, today: _dt.date | None = None
) -> dict[str, dict]:
    """{district code: the status of its report of the period ('missing' when none is
    saved), its due day and how late it is} for every district of the province."""
    today = today or clock.today()
    prog = programme_store.get_programme(db, year)
    period = report_store.period(db, number, prog.year_be)
    due_days = area_reports.DISTRICT.due_days(db, prog.year_be)
    reports = area_reports.statuses(db, area_reports.DISTRICT, prog.year_be, number, province_code=province_code)
    statuses = {}
    for district in geography.districts_of(db, province_code):
        row = reports.get(district["code"])
        status = row["status"] if row else "missing"
        late = days_late(period, row["first_days_late"] if row else None, today, due_days)
        statuses[district["code"]] = {"status": status, "days_late": late, "due": period.due(due_days)}
    return statuses


def province_district_reports(db, province_code: str) -> list[dict]:
    """The province's district reports of the open year waiting for its review, the
    longest waiting first."""
    prog = _open_year(db)
    periods = {p.number: p for p in report_store.programme_periods(db, prog.year_be)}
    return [
        {
            **row,
            "district": {"kind": row["district_kind"], "name_th": row["district_name"]},
            "period": periods[row["period"]],
        }
        for row in area_reports.waiting_for_review(db, area_reports.DISTRICT, prog.year_be, province_code)
        if row["period"] in periods
    ]


def returned_district_reports(db, district_code: str) -> list[dict]:
    """The district's reports of the open year the province returned, with its comment."""
    prog = _open_year(db)
    periods = {p.number: p for p in report_store.programme_periods(db, prog.year_be)}
    return [
        {**row, "period": periods[row["period"]]}
        for row in area_reports.returned(db, area_reports.DISTRICT, prog.year_be, district_code)
        if row["period"] in periods
    ]


# Province reports (the province office's report of a period to the national office) --


def province_report_statuses(
    db, number: int, year: int | None = None, today: _dt.date | None = None, province_code: str | None = None
) -> dict[str, dict]:
    """{province code: the status of its report of the period ('missing' when none is
    saved), its due day and how late it is} for every province (or one)."""
    today = today or clock.today()
    prog = programme_store.get_programme(db, year)
    period = report_store.period(db, number, prog.year_be)
    due_days = area_reports.PROVINCE.due_days(db, prog.year_be)
    reports = area_reports.statuses(db, area_reports.PROVINCE, prog.year_be, number)
    codes = [province_code] if province_code else [p["code"] for p in geography.provinces(db)]
    statuses = {}
    for code in codes:
        row = reports.get(code)
        late = days_late(period, row["first_days_late"] if row else None, today, due_days)
        statuses[code] = {"status": row["status"] if row else "missing", "days_late": late, "due": period.due(due_days)}
    return statuses


def national_province_reports(db) -> list[dict]:
    """Province reports of the open year waiting for national review, the longest
    waiting first."""
    prog = _open_year(db)
    periods = {p.number: p for p in report_store.programme_periods(db, prog.year_be)}
    return [
        {**row, "period": periods[row["period"]]}
        for row in area_reports.waiting_for_review(db, area_reports.PROVINCE, prog.year_be)
        if row["period"] in periods
    ]


def returned_province_reports(db, province_code: str) -> list[dict]:
    """The province's reports of the open year the national office returned."""
    prog = _open_year(db)
    periods = {p.number: p for p in report_store.programme_periods(db, prog.year_be)}
    return [
        {**row, "period": periods[row["period"]]}
        for row in area_reports.returned(db, area_reports.PROVINCE, prog.year_be, province_code)
        if row["period"] in periods
    ]
