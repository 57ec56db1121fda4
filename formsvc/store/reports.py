"""Bi-monthly reports: the draft an LAO writes, the versions it submits (each frozen
with its compliance snapshot and documents), and the district's review."""

from __future__ import annotations

import datetime as _dt
from collections.abc import Callable

from formsvc.domain.clock import now_iso
from formsvc.domain.messages import msg
from formsvc.domain.reports import Period, days_late_on, periods
from formsvc.domain.text import Limit
from formsvc.domain.versions import Fields
from formsvc.store import compliance_cache, frozen, outbox, versions
from formsvc.store import programme as programme_store
from formsvc.store.db import one
from formsvc.store.errors import ConflictError, InputError, NotFound  # noqa: F401 (callers catch it from here)
from formsvc.store.people import person_sql

# The report's free text (see formsvc.domain.text for every field's limit): with all
# three long fields full the report renders in a few seconds (docs/capacity.md).
TEXT = Limit(10000, 300)  # progress, problems, suggestions
REPORTER = Limit(200)  # the reporter's name and position
COMMENT = frozen.COMMENT  # the district's review comment


def late_days(db, year: int | None = None) -> int:
    """The late days of programme year ``year`` (default: the open year)."""
    return programme_store.get_programme(db, year).late_days


def programme_periods(db, year: int | None = None) -> list[Period]:
    prog = programme_store.get_programme(db, year)
    return periods(prog.year_be, prog.start_month, prog.end_month)


def period(db, number: int, year: int | None = None) -> Period:
    for p in programme_periods(db, year):
        if p.number == number:
            return p
    raise NotFound(number)


def get_report(db, lao_id: int, number: int) -> dict:
    """The report of a period, or an empty draft when none is saved yet."""
    year = programme_store.get_programme(db).year_be
    row = one(
        db,
        f"SELECT r.*, {person_sql('u')} AS reviewed_by_name FROM report r LEFT JOIN user u ON u.id = r.reviewed_by"
        " WHERE r.lao_id = ? AND r.programme_year = ? AND r.period = ?",
        [lao_id, year, number],
    )
    if row is None:
        return {
            "id": None,
            "lao_id": lao_id,
            "programme_year": year,
            "period": number,
            "status": None,
            "progress": "",
            "problems": "",
            "suggestions": "",
            "reporter_name": "",
            "reporter_position": "",
            "version": 0,
            "submitted_count": 0,
            "review_comment": "",
            "reviewed_by_name": None,
            "submissions": [],
        }
    row["submissions"] = list(
        db.query(
            "SELECT s.id, s.number, s.submitted_at, s.days_late, s.pdf_sha256, s.docx_sha256,"
            f" {person_sql('u')} AS submitted_by_name"
            " FROM report_submission s LEFT JOIN user u ON u.id = s.submitted_by WHERE s.report_id = ?"
            " ORDER BY s.number DESC",
            [row["id"]],
        )
    )
    return row


def reports_of(db, lao_id: int) -> dict[int, dict]:
    year = programme_store.get_programme(db).year_be
    return {
        r["period"]: r
        for r in db.query(
            "SELECT r.*, s.days_late AS first_days_late FROM report r"
            " LEFT JOIN report_submission s ON s.report_id = r.id AND s.number = 1"
            " WHERE r.lao_id = ? AND r.programme_year = ?",
            [lao_id, year],
        )
    }


def first_days_late(report: dict) -> int | None:
    """What the report's first submitted version recorded (None: never submitted), for
    ``domain.reports.days_late``; ``report`` from get_report or reports_of."""
    if "first_days_late" in report:
        return report["first_days_late"]
    return report["submissions"][-1]["days_late"] if report["submissions"] else None


LABELS = {
    "progress": "ผลการดำเนินงาน",
    "problems": "ปัญหาอุปสรรค",
    "suggestions": "ข้อเสนอแนะ",
    "reporter_name": "ชื่อผู้รายงาน",
    "reporter_position": "ตำแหน่งผู้รายงาน",
}
# LABELS as message ids, for messages shown in the page's language (Thai: LABELS)
LABEL_MSGS = {
    "progress": msg("Results of the work"),
    "problems": msg("Problems"),
    "suggestions": msg("Suggestions"),
    "reporter_name": msg("Reporter's name"),
    "reporter_position": msg("Reporter's position"),
}
FIELDS = Fields(dict(LABEL_MSGS))


def _clean(values: dict) -> dict:
    cleaned = {}
    for key in LABELS:
        text = (values.get(key) or "").strip()
        refusal = (REPORTER if key.startswith("reporter") else TEXT).refusal(text, LABEL_MSGS[key])
        if refusal:
            raise InputError(refusal, key)
        cleaned[key] = text
    return cleaned


def save_draft(
    db, lao_id: int, number: int, values: dict, user_id: int | None, expected_version: int | None = None
) -> int:
    """Save the draft. Returns its new version. A draft based on an old version (0: the
    page showed no saved draft) that would overwrite another's change is refused
    (ConflictError naming the fields), and nothing is written."""
    period(db, number)
    cleaned = _clean(values)
    year = programme_store.get_programme(db).year_be
    with db.atomic(outermost=True):
        row = one(
            db, "SELECT * FROM report WHERE lao_id = ? AND programme_year = ? AND period = ?", [lao_id, year, number]
        )
        if row and row["status"] in ("submitted", "acknowledged"):
            raise InputError(
                msg("This report has been sent and cannot be changed (unless the district returns it)."), "status"
            )
        stored = {k: row[k] if row else "" for k in LABELS}
        version = row["version"] if row else 0
        key = f"{lao_id}:{year}:{number}"
        versions.check(
            db,
            "report",
            key,
            what=msg("the report of period %(n)s", n=number),
            expected=expected_version,
            version=version,
            current=stored,
            saved_by=row["updated_by"] if row else None,
            saved_at=row["updated_at"] if row else None,
            yours=cleaned,
            fields=FIELDS,
        )
        versions.remember(
            db, "report", key, version, stored, row["updated_by"] if row else None, row["updated_at"] if row else None
        )
        if row is None:
            db.execute(
                "INSERT INTO report (lao_id, programme_year, period, status, progress, problems, suggestions,"
                " reporter_name, reporter_position, version, updated_by, updated_at)"
                " VALUES (?, ?, ?, 'draft', ?, ?, ?, ?, ?, 1, ?, ?)",
                [lao_id, year, number, *cleaned.values(), user_id, now_iso()],
            )
        else:
            db.execute(
                "UPDATE report SET progress = ?, problems = ?, suggestions = ?, reporter_name = ?,"
                " reporter_position = ?, version = version + 1, updated_by = ?, updated_at = ? WHERE id = ?",
                [*cleaned.values(), user_id, now_iso(), row["id"]],
            )
        return version + 1


def open_period(db, today: _dt.date, year: int | None = None) -> int:
    """The open reporting period of the year (default: the open year): the latest that has
    started (the first one before the programme begins). Every other period of the year
    is closed: gone by, or not begun."""
    started = [p.number for p in programme_periods(db, year) if p.start <= today]
    return max(started) if started else 1


def refuse_unless_serving(db, lao_id: int, number: int) -> None:
    """Only the LAO that is (or was) its district's model LAO in a period reports it."""
    from formsvc.store import laos as lao_store

    year = programme_store.get_programme(db).year_be
    if lao_store.serving_term(db, lao_id, year, number) is None:
        terms = lao_store.terms_of(db, lao_id, year)
        if terms:
            served = ", ".join(
                f"{t['from_period']}–{t['to_period']}" if t["to_period"] != t["from_period"] else str(t["from_period"])
                for t in terms
                if t["to_period"] is not None
            )
            raise InputError(
                msg(
                    "This LAO is no longer the model LAO in reporting period "
                    "%(period)s (it was in periods %(served)s), so it cannot send "
                    "this period's report.",
                    period=number,
                    served=served,
                ),
                "period",
            )
        raise InputError(
            msg("This LAO is not a model LAO in programme year %(year)s, so it cannot send reports.", year=year),
            "period",
        )


def check_submittable(db, lao_id: int, number: int, values: dict, today: _dt.date) -> None:
    """What a submit will refuse, checked before anything is saved."""
    if today < period(db, number).start:
        raise InputError(msg("This reporting period has not started yet."), "period")
    refuse_unless_serving(db, lao_id, number)
    if not (values.get("progress") or "").strip():
        raise InputError(msg("Fill in the results of the work before sending the report."), "progress")


Renderer = Callable[[dict], tuple[dict, dict[str, bytes]]]


def _refuse_unsubmittable(row: dict | None) -> None:
    if row is None:
        raise InputError(msg("Save the draft report before sending it."), "status")
    if row["status"] in ("submitted", "acknowledged"):
        raise InputError(msg("This report has already been sent."), "status")
    if not row["progress"].strip():
        raise InputError(msg("Fill in the results of the work before sending the report."), "progress")


def submit(
    db, lao_id: int, number: int, user_id: int | None, today: _dt.date, render: Renderer, at: str | None = None
) -> int:
    """Freeze the report: its compliance snapshot and its DOCX and PDF, as a new version,
    with how many days after the due day it was sent (``today`` against the period's
    due day under the late-days setting; 0 when on time), kept for good.

    ``render(report)`` returns (snapshot, {"pdf": bytes, "docx": bytes}). It runs, and
    the files are hashed, before the write transaction (rendering takes seconds; the
    database stays free meanwhile, and the document engine refuses to render inside a
    transaction); the transaction then checks the draft is still the one rendered and
    that nothing the snapshot rests on (the LAO's working group, forums, projects, the
    programme: ``compliance_cache.stamps``) was written meanwhile, and renders again
    when it was. A period that has not started cannot be reported;
    a report already submitted cannot be submitted again (two clerks at once: the
    second is told).

    ``at`` (ISO, UTC) is when it was sent, for data loaded after the fact (the demo);
    otherwise now.
    """
    p = period(db, number)
    if today < p.start:
        raise InputError(msg("This reporting period has not started yet."), "period")
    refuse_unless_serving(db, lao_id, number)
    year = programme_store.get_programme(db).year_be
    return frozen.freeze(
        db,
        "report",
        select=lambda: one(
            db, "SELECT * FROM report WHERE lao_id = ? AND programme_year = ? AND period = ?", [lao_id, year, number]
        ),
        refuse=_refuse_unsubmittable,
        basis=lambda: compliance_cache.stamps(db, lao_id),  # what its criteria rest on
        render=render,
        user_id=user_id,
        days_late=days_late_on(p, today, late_days(db)),
        notify=lambda: outbox.queue_report_notice(db, "submitted", lao_id, year, number),
        changed=msg("The report was changed while it was being sent; send it again."),
        at=at,
    )


def review(db, lao_id: int, number: int, decision: str, comment: str, user_id: int | None) -> None:
    """The district acknowledges a submitted report, or returns it with a comment."""
    year = programme_store.get_programme(db).year_be
    frozen.review(
        db,
        "report",
        select=lambda: one(
            db,
            "SELECT id, status, submitted_count FROM report WHERE lao_id = ? AND programme_year = ? AND period = ?",
            [lao_id, year, number],
        ),
        decision=decision,
        comment=comment,
        user_id=user_id,
        notify=lambda decided: outbox.queue_report_notice(db, decided, lao_id, year, number),
        on_version=False,
    )


def submission(db, lao_id: int, number: int, version: int, year: int | None = None) -> dict:
    year = programme_store.get_programme(db, year).year_be
    row = one(
        db,
        "SELECT s.* FROM report_submission s JOIN report r ON r.id = s.report_id"
        " WHERE r.lao_id = ? AND r.programme_year = ? AND r.period = ? AND s.number = ?",
        [lao_id, year, number, version],
    )
    if row is None:
        raise NotFound(version)
    return row


def latest_submitted(db, lao_id: int, year: int) -> dict | None:
    """The latest submitted version of the LAO's latest reported period of the year:
    ``period``, ``number`` and ``snapshot`` (JSON text), or None when it sent nothing."""
    return one(
        db,
        "SELECT r.period, s.number, s.snapshot FROM report r JOIN report_submission s"
        " ON s.report_id = r.id AND s.number = r.submitted_count WHERE r.lao_id = ? AND"
        " r.programme_year = ? ORDER BY r.period DESC LIMIT 1",
        [lao_id, year],
    )


def rollup_rows(
    db, year: int, period: int, *, province_code: str | None = None, district_code: str | None = None
) -> list[dict]:
    """One row per LAO that served a district of the scope as its model LAO in the period
    of programme year ``year`` (a replaced LAO keeps its periods), with its report of the
    period, the latest and first submitted versions (only the parts of the snapshot a
    roll-up row needs, extracted by SQLite) and its cached criteria
    (``compliance_cache.FRESH_COLUMNS``), by province and district."""
    where = ["m.programme_year = ?", "m.from_period <= ?", "(m.to_period IS NULL OR m.to_period >= ?)"]
    params = [year, period, period]
    if province_code:
        where.append("d.province_code = ?")
        params.append(province_code)
    if district_code:
        where.append("m.district_code = ?")
        params.append(district_code)
    return list(
        db.query(
            "SELECT m.lao_id, m.district_code, d.name_th AS district_name, d.kind AS district_kind,"
            " d.province_code, p.name_th AS province_name, r.status AS report_status, l.kind, l.name,"
            " s.number AS report_version, s.submitted_at,"
            " (SELECT json_group_array(json_extract(c.value, '$.met'))"
            "  FROM json_each(s.snapshot, '$.compliance.criteria') c) AS reported_met,"
            " json_extract(s.snapshot, '$.problems') AS problems,"
            " json_extract(s.snapshot, '$.suggestions') AS suggestions,"
            " first.days_late AS first_days_late,"
            + compliance_cache.FRESH_COLUMNS
            + " FROM model_lao_term m JOIN lao l ON l.id = m.lao_id JOIN district d ON d.code = m.district_code"
            " JOIN province p ON p.code = d.province_code"
            " LEFT JOIN report r ON r.lao_id = m.lao_id AND r.programme_year = m.programme_year AND r.period = ?"
            " LEFT JOIN report_submission s ON s.report_id = r.id AND s.number = r.submitted_count"
            " LEFT JOIN report_submission first ON first.report_id = r.id AND first.number = 1"
            + compliance_cache.fresh_join("m.lao_id", "m.programme_year")
            + f" WHERE {' AND '.join(where)} ORDER BY d.province_code, m.district_code",
            [period, *params],
        )
    )


def waiting_for_review(db, year: int, district_code: str) -> list[dict]:
    """The district's reports of programme year ``year`` sent and not yet reviewed, every
    period, the longest waiting first (by when their latest version was sent): the LAO,
    the period, that version and what the first version recorded as days late."""
    return list(
        db.query(
            "SELECT r.lao_id, l.kind, l.name, r.period, r.submitted_count AS version, s.submitted_at,"
            " first.days_late AS first_days_late FROM report r JOIN lao l ON l.id = r.lao_id"
            " JOIN report_submission s ON s.report_id = r.id AND s.number = r.submitted_count"
            " LEFT JOIN report_submission first ON first.report_id = r.id AND first.number = 1"
            " WHERE r.programme_year = ? AND r.status = 'submitted' AND l.district_code = ?"
            " ORDER BY s.submitted_at, r.period, r.lao_id",
            [year, district_code],
        )
    )


def count_waiting_for_review(db, year: int, district_code: str) -> int:
    """How many of the district's reports of the year wait for its review (one query)."""
    return db.execute(
        "SELECT count(*) FROM report r JOIN lao l ON l.id = r.lao_id"
        " WHERE r.programme_year = ? AND r.status = 'submitted' AND l.district_code = ?",
        [year, district_code],
    ).fetchone()[0]


def returned_reports(db, lao_id: int, year: int) -> list[dict]:
    """The LAO's reports of the year the district returned, by period, with the district's
    comment, when and by whom."""
    return list(
        db.query(
            "SELECT r.period, r.review_comment, r.reviewed_at, r.submitted_count AS version,"
            f" {person_sql('u')} AS reviewed_by_name"
            " FROM report r LEFT JOIN user u ON u.id = r.reviewed_by"
            " WHERE r.lao_id = ? AND r.programme_year = ? AND r.status = 'returned' ORDER BY r.period",
            [lao_id, year],
        )
    )


def count_returned(db, lao_id: int, year: int) -> int:
    """How many of the LAO's reports of the year the district returned (one query)."""
    return db.execute(
        "SELECT count(*) FROM report WHERE lao_id = ? AND programme_year = ? AND status = 'returned'",
        [lao_id, year],
    ).fetchone()[0]


def model_terms(db, year: int, province_code: str | None = None) -> list[dict]:
    """Every model-LAO term of programme year ``year`` (of one province, or the country),
    with the LAO, its district and province, by province and district."""
    where, params = "m.programme_year = ?", [year]
    if province_code:
        where += " AND d.province_code = ?"
        params.append(province_code)
    return list(
        db.query(
            "SELECT m.lao_id, m.from_period, m.to_period, m.district_code, d.name_th AS district_name,"
            " d.kind AS district_kind, d.province_code, p.name_th AS province_name, l.kind, l.name"
            " FROM model_lao_term m JOIN lao l ON l.id = m.lao_id JOIN district d ON d.code = m.district_code"
            " JOIN province p ON p.code = d.province_code"
            f" WHERE {where} ORDER BY d.province_code, m.district_code, m.from_period",
            params,
        )
    )


def report_states(db, year: int, province_code: str | None = None) -> dict[tuple[int, int], dict]:
    """{(lao_id, period): status and the first version's days late} of every report of
    programme year ``year`` (of one province's LAOs, or the country's), in one query."""
    where, params = "r.programme_year = ?", [year]
    if province_code:
        where += " AND d.province_code = ?"
        params.append(province_code)
    return {
        (r["lao_id"], r["period"]): r
        for r in db.query(
            "SELECT r.lao_id, r.period, r.status, first.days_late AS first_days_late FROM report r"
            " JOIN lao l ON l.id = r.lao_id JOIN district d ON d.code = l.district_code"
            " LEFT JOIN report_submission first ON first.report_id = r.id AND first.number = 1"
            f" WHERE {where}",
            params,
        )
    }
