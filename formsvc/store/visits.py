"""Monitoring visits (guideline §7.2): the province office (and the district office)
visits an LAO and records the day, who went, what they found, what they recommended
and the follow-up. A visit belongs to the programme year in force when it was recorded;
it is edited with a version like the other records and, deleted, kept 30 days
(store.trash, kind 'visit')."""

from __future__ import annotations

import datetime as _dt
from dataclasses import dataclass

from formsvc.domain import clock, thai
from formsvc.domain.clock import now_iso
from formsvc.domain.messages import Msg, msg
from formsvc.domain.text import Limit
from formsvc.domain.versions import Field, Fields
from formsvc.store import laos as lao_store
from formsvc.store import programme as programme_store
from formsvc.store import trash, versions
from formsvc.store.db import one
from formsvc.store.errors import InputError, NotFound
from formsvc.store.people import person_sql

OFFICES = ("province", "district")
# (characters, lines): see formsvc.domain.text for every field's limit
VISITORS_LIMIT = Limit(2000, 30)
FINDINGS_LIMIT = Limit(10000, 300)
RECOMMENDATIONS_LIMIT = Limit(10000, 300)
NOTE_LIMIT = Limit(2000, 50)
# a follow-up is due at most this long after the visit
FOLLOW_UP_DAYS_MAX = 366
KEYS = (
    "visited_on",
    "visitors",
    "findings",
    "recommendations",
    "follow_up_due",
    "follow_up_done_on",
    "follow_up_note",
)


@dataclass
class VisitInput:
    visited_on: _dt.date | None
    visitors: str = ""
    findings: str = ""
    recommendations: str = ""
    follow_up_due: _dt.date | None = None
    follow_up_done_on: _dt.date | None = None
    follow_up_note: str = ""


def _text(value, limit: Limit, label: Msg, field_name: str, required: bool = False) -> str:
    text = (value or "").strip()
    if required and not text:
        raise InputError(msg("%(field)s is required.", field=label), field_name)
    refusal = limit.refusal(text, label)
    if refusal:
        raise InputError(refusal, field_name)
    return text


def _day(d: _dt.date) -> str:
    return thai.date_long(d, "arabic")


def window(db, year_be: int) -> tuple[_dt.date, _dt.date]:
    """First and last day of the programme year's months."""
    from formsvc.store.forums import programme_window

    return programme_window(db, year_be)


def validate(db, lao_id: int, data: VisitInput, year_be: int) -> VisitInput:
    """``data`` cleaned, or InputError (Thai) naming the field; nothing is written."""
    lao_store.get_lao(db, lao_id)
    if not isinstance(data.visited_on, _dt.date):
        raise InputError(msg("Enter the date of the visit."), "visited_on")
    start, end = window(db, year_be)
    if not start <= data.visited_on <= end:
        raise InputError(
            msg(
                "The date of the visit must be within the programme year (%(start)s – %(end)s).",
                start=_day(start),
                end=_day(end),
            ),
            "visited_on",
        )
    data.visitors = _text(data.visitors, VISITORS_LIMIT, msg("Who went"), "visitors", required=True)
    data.findings = _text(data.findings, FINDINGS_LIMIT, msg("Findings"), "findings", required=True)
    data.recommendations = _text(data.recommendations, RECOMMENDATIONS_LIMIT, msg("Recommendations"), "recommendations")
    data.follow_up_note = _text(data.follow_up_note, NOTE_LIMIT, msg("Follow-up note"), "follow_up_note")
    if data.follow_up_due is not None:
        latest = data.visited_on + _dt.timedelta(days=FOLLOW_UP_DAYS_MAX)
        if not data.visited_on <= data.follow_up_due <= latest:
            raise InputError(
                msg(
                    "The follow-up must be due between the day of the visit and one year after it"
                    " (%(start)s – %(end)s).",
                    start=_day(data.visited_on),
                    end=_day(latest),
                ),
                "follow_up_due",
            )
    if data.follow_up_done_on is not None:
        today = clock.today()
        if not data.visited_on <= data.follow_up_done_on <= today:
            raise InputError(
                msg(
                    "The follow-up cannot be done before the visit (%(start)s) or after today (%(today)s).",
                    start=_day(data.visited_on),
                    today=_day(today),
                ),
                "follow_up_done_on",
            )
    return data


def _columns(data: VisitInput) -> dict:
    return {
        "visited_on": data.visited_on.isoformat(),
        "visitors": data.visitors,
        "findings": data.findings,
        "recommendations": data.recommendations,
        "follow_up_due": data.follow_up_due.isoformat() if data.follow_up_due else None,
        "follow_up_done_on": data.follow_up_done_on.isoformat() if data.follow_up_done_on else None,
        "follow_up_note": data.follow_up_note,
    }


def _show_day(value) -> str:
    return _day(_dt.date.fromisoformat(value)) if value else "–"


def fields() -> Fields:
    return Fields(
        {
            "visited_on": Field(msg("Date of the visit"), _show_day),
            "visitors": msg("Who went"),
            "findings": msg("Findings"),
            "recommendations": msg("Recommendations"),
            "follow_up_due": Field(msg("Follow-up due"), _show_day),
            "follow_up_done_on": Field(msg("Follow-up done on"), _show_day),
            "follow_up_note": msg("Follow-up note"),
        }
    )


def create_visit(db, lao_id: int, office: str, data: VisitInput, user_id: int | None) -> int:
    """Record a visit of ``office`` ('province' or 'district') in the year in force."""
    if office not in OFFICES:
        raise InputError(msg("Not a valid office."), "office")
    year = programme_store.get_programme(db).year_be
    columns = _columns(validate(db, lao_id, data, year))
    now = now_iso()
    with db.atomic():
        names = ", ".join(columns)
        return db.execute(
            f"INSERT INTO monitoring_visit (lao_id, programme_year, office, {names},"
            " created_by, created_at, updated_by, updated_at)"
            f" VALUES (?, ?, ?, {', '.join('?' * len(columns))}, ?, ?, ?, ?)",
            [lao_id, year, office, *columns.values(), user_id, now, user_id, now],
        ).lastrowid


def update_visit(
    db, lao_id: int, visit_id: int, data: VisitInput, user_id: int | None, expected_version: int | None = None
) -> int:
    """Save a visit from its form; a form based on an old version that would overwrite
    another save's changes is refused (ConflictError naming them). Returns the new version."""
    current = get_visit(db, lao_id, visit_id)
    columns = _columns(validate(db, lao_id, data, current["programme_year"]))
    with db.atomic():
        current = get_visit(db, lao_id, visit_id)
        stored = {k: current[k] for k in KEYS}
        versions.check(
            db,
            "monitoring_visit",
            visit_id,
            what=msg("this visit"),
            expected=expected_version,
            version=current["version"],
            current=stored,
            saved_by=current["updated_by"],
            saved_at=current["updated_at"],
            yours=columns,
            fields=fields(),
        )
        versions.remember(
            db, "monitoring_visit", visit_id, current["version"], stored, current["updated_by"], current["updated_at"]
        )
        db.execute(
            f"UPDATE monitoring_visit SET {', '.join(f'{k} = ?' for k in columns)}, version = version + 1,"
            " updated_by = ?, updated_at = ? WHERE id = ? AND lao_id = ?",
            [*columns.values(), user_id, now_iso(), visit_id, lao_id],
        )
    return current["version"] + 1


def label(visit: dict) -> str:
    """How a deleted visit is listed: its day."""
    return _day(_dt.date.fromisoformat(visit["visited_on"]))


def delete_visit(db, lao_id: int, visit_id: int, user_id: int | None = None) -> int:
    """Delete a visit, keeping a copy for 30 days (store.trash). Returns the copy's id."""
    visit = get_visit(db, lao_id, visit_id)
    with db.atomic():
        data = {"visit": trash.rows(db, "monitoring_visit", "id = ?", [visit_id])[0]}
        entry = trash.keep(db, lao_id, "visit", visit_id, label(visit), data, user_id)
        db.execute("DELETE FROM monitoring_visit WHERE id = ? AND lao_id = ?", [visit_id, lao_id])
    return entry


def deleted_visits(db, lao_id: int) -> list[dict]:
    """The LAO's visits deleted in the last 30 days, newest first."""
    return [e for e in trash.recent(db, lao_id) if e["kind"] == "visit"]


def restore_visit(db, lao_id: int, entry: dict) -> int:
    """Put a deleted visit back (``entry`` from trash.get, kind 'visit'). Returns its id."""
    if entry["kind"] != "visit":
        raise NotFound(entry["id"])
    with db.atomic():
        visit_id = trash.insert(db, "monitoring_visit", entry["data"]["visit"])
        trash.forget(db, entry["id"])
    return visit_id


_SELECT = (
    f"SELECT v.*, {person_sql('c')} AS created_by_name FROM monitoring_visit v LEFT JOIN user c ON c.id = v.created_by"
)


def get_visit(db, lao_id: int, visit_id: int) -> dict:
    row = one(db, f"{_SELECT} WHERE v.id = ? AND v.lao_id = ?", [visit_id, lao_id])
    if row is None:
        raise NotFound(visit_id)
    return row


def visits(db, lao_id: int, year: int | None = None) -> list[dict]:
    """The LAO's visits (of a programme year), the latest first."""
    sql, params = f"{_SELECT} WHERE v.lao_id = ?", [lao_id]
    if year is not None:
        sql += " AND v.programme_year = ?"
        params.append(year)
    return list(db.query(sql + " ORDER BY v.visited_on DESC, v.id DESC", params))


def visits_in_area(db, year: int, *, province_code: str | None = None, district_code: str | None = None) -> list[dict]:
    """The visits of a programme year to the LAOs of a province or a district (or every
    LAO), by day, with their LAO: what a province or district report lists."""
    where, params = ["v.programme_year = ?"], [year]
    if province_code is not None:
        where.append("d.province_code = ?")
        params.append(province_code)
    if district_code is not None:
        where.append("l.district_code = ?")
        params.append(district_code)
    return list(
        db.query(
            "SELECT v.*, l.kind AS lao_kind, l.name AS lao_name, l.district_code"
            " FROM monitoring_visit v JOIN lao l ON l.id = v.lao_id JOIN district d ON d.code = l.district_code"
            f" WHERE {' AND '.join(where)} ORDER BY v.visited_on, v.id",
            params,
        )
    )


def open_follow_ups(
    db, *, until: _dt.date, province_code: str | None = None, district_code: str | None = None
) -> list[dict]:
    """Follow-ups not done yet and due on or before ``until``, in a province or a
    district (or everywhere), the earliest due first, with their LAO."""
    where, params = ["v.follow_up_done_on IS NULL", "v.follow_up_due <= ?"], [until.isoformat()]
    if province_code is not None:
        where.append("d.province_code = ?")
        params.append(province_code)
    if district_code is not None:
        where.append("l.district_code = ?")
        params.append(district_code)
    return list(
        db.query(
            "SELECT v.id, v.lao_id, v.office, v.visited_on, v.follow_up_due, v.recommendations,"
            " l.kind AS lao_kind, l.name AS lao_name, l.district_code"
            " FROM monitoring_visit v JOIN lao l ON l.id = v.lao_id JOIN district d ON d.code = l.district_code"
            f" WHERE {' AND '.join(where)} ORDER BY v.follow_up_due, v.id",
            params,
        )
    )


def count_follow_ups_due(
    db, *, today: _dt.date, province_code: str | None = None, district_code: str | None = None
) -> int:
    """How many visits to the LAOs of a province or a district have a follow-up not done
    whose due day is ``today`` or has passed (one query)."""
    where, params = ["v.follow_up_done_on IS NULL", "v.follow_up_due <= ?"], [today.isoformat()]
    if province_code is not None:
        where.append("d.province_code = ?")
        params.append(province_code)
    if district_code is not None:
        where.append("l.district_code = ?")
        params.append(district_code)
    return db.execute(
        "SELECT count(*) FROM monitoring_visit v JOIN lao l ON l.id = v.lao_id"
        f" JOIN district d ON d.code = l.district_code WHERE {' AND '.join(where)}",
        params,
    ).fetchone()[0]
