"""District reports (guideline §4.2(5), §7.1): for each period the district office
compiles its model LAOs' reports as they were sent, with its own comments and
recommendations, and submits the report to the province; every submitted version is
frozen (snapshot and documents) and kept. The province acknowledges or returns it."""

from __future__ import annotations

import datetime as _dt
import hashlib
import json
from collections.abc import Callable

from formsvc.domain.clock import now_iso
from formsvc.domain.messages import msg
from formsvc.domain.reports import days_late_on
from formsvc.domain.text import Limit
from formsvc.domain.versions import Fields
from formsvc.store import outbox, versions
from formsvc.store import programme as programme_store
from formsvc.store import reports as report_store
from formsvc.store.db import one
from formsvc.store.errors import ConflictError, InputError, NotFound  # noqa: F401 (callers catch it from here)
from formsvc.store.people import person_sql

TEXT = Limit(5000, 150)  # the district's comments, and its recommendations
COMMENT = report_store.COMMENT  # the province's review comment
LABEL_MSGS = {"comments": msg("The district's comments"), "recommendations": msg("The district's recommendations")}
FIELDS = Fields(dict(LABEL_MSGS))
SENT = ("submitted", "acknowledged")


def due_days(db, year: int | None = None) -> int:
    """Days after a period's end before a district report is late: the LAOs' late days
    and then the districts' own days (programme settings of the year)."""
    prog = programme_store.get_programme(db, year)
    return prog.late_days + prog.district_due_days


def _select(db, district_code: str, year: int, number: int) -> dict | None:
    return one(
        db,
        "SELECT * FROM district_report WHERE district_code = ? AND programme_year = ? AND period = ?",
        [district_code, year, number],
    )


def get(db, district_code: str, number: int, year: int | None = None) -> dict:
    """The district's report of a period with its versions (newest first), or an empty
    draft when none is saved yet."""
    year = programme_store.get_programme(db, year).year_be
    row = one(
        db,
        f"SELECT r.*, {person_sql('u')} AS reviewed_by_name FROM district_report r"
        " LEFT JOIN user u ON u.id = r.reviewed_by"
        " WHERE r.district_code = ? AND r.programme_year = ? AND r.period = ?",
        [district_code, year, number],
    )
    if row is None:
        return {
            "id": None,
            "district_code": district_code,
            "programme_year": year,
            "period": number,
            "status": None,
            "comments": "",
            "recommendations": "",
            "version": 0,
            "submitted_count": 0,
            "review_comment": "",
            "reviewed_by_name": None,
            "submissions": [],
        }
    row["submissions"] = list(
        db.query(
            "SELECT s.id, s.number, s.submitted_at, s.days_late, s.review_decision, s.review_comment,"
            f" {person_sql('u')} AS submitted_by_name FROM district_report_submission s"
            " LEFT JOIN user u ON u.id = s.submitted_by WHERE s.district_report_id = ? ORDER BY s.number DESC",
            [row["id"]],
        )
    )
    return row


def first_days_late(report: dict) -> int | None:
    """What the first submitted version recorded as days late (None: never submitted)."""
    return report["submissions"][-1]["days_late"] if report["submissions"] else None


def _clean(values: dict) -> dict:
    cleaned = {}
    for key, label in LABEL_MSGS.items():
        text = (values.get(key) or "").strip()
        refusal = TEXT.refusal(text, label)
        if refusal:
            raise InputError(refusal, key)
        cleaned[key] = text
    return cleaned


def save_draft(
    db, district_code: str, number: int, values: dict, user_id: int | None, expected_version: int | None = None
) -> int:
    """Save the district's comments and recommendations of the open year's period.
    Returns the new version; a save over another's change is refused (ConflictError)."""
    report_store.period(db, number)
    cleaned = _clean(values)
    year = programme_store.get_programme(db).year_be
    with db.atomic(outermost=True):
        row = _select(db, district_code, year, number)
        if row and row["status"] in SENT:
            raise InputError(
                msg("This district report has been sent and cannot be changed (unless the province returns it)."),
                "status",
            )
        stored = {k: row[k] if row else "" for k in LABEL_MSGS}
        version = row["version"] if row else 0
        key = f"{district_code}:{year}:{number}"
        by, at = (row["updated_by"], row["updated_at"]) if row else (None, None)
        versions.check(
            db,
            "district_report",
            key,
            what=msg("the district report of period %(n)s", n=number),
            expected=expected_version,
            version=version,
            current=stored,
            saved_by=by,
            saved_at=at,
            yours=cleaned,
            fields=FIELDS,
        )
        versions.remember(db, "district_report", key, version, stored, by, at)
        if row is None:
            db.execute(
                "INSERT INTO district_report (district_code, programme_year, period, comments, recommendations,"
                " updated_by, updated_at) VALUES (?, ?, ?, ?, ?, ?, ?)",
                [district_code, year, number, cleaned["comments"], cleaned["recommendations"], user_id, now_iso()],
            )
        else:
            db.execute(
                "UPDATE district_report SET comments = ?, recommendations = ?, version = version + 1,"
                " updated_by = ?, updated_at = ? WHERE id = ?",
                [cleaned["comments"], cleaned["recommendations"], user_id, now_iso(), row["id"]],
            )
        return version + 1


def basis(db, district_code: str, year: int, number: int) -> list:
    """What a district report of the period rests on: each model LAO's latest submitted
    version of the period (LAO, version number), so a submit can tell when an LAO sent
    a report while the district's was being rendered."""
    return [
        [r["lao_id"], r["report_version"]]
        for r in report_store.rollup_rows(db, year, number, district_code=district_code)
    ]


Renderer = Callable[[dict], tuple[dict, dict[str, bytes]]]
SUBMIT_ATTEMPTS = 3


def _refuse_unsubmittable(row: dict | None) -> None:
    if row is None:
        raise InputError(msg("Save the district report before sending it."), "status")
    if row["status"] in SENT:
        raise InputError(msg("This district report has already been sent."), "status")


def submit(
    db, district_code: str, number: int, user_id: int | None, today: _dt.date, render: Renderer, at: str | None = None
) -> int:
    """Freeze the district report of the open year's period as a new version: its
    snapshot and its PDF and DOCX, with how many days after its due day it was sent.
    ``render(row)`` returns (snapshot, {"pdf": bytes, "docx": bytes}) and runs before
    the write transaction; the transaction checks that neither the draft nor the LAO
    reports it rests on changed meanwhile (else it renders again)."""
    p = report_store.period(db, number)
    if today < p.start:
        raise InputError(msg("This reporting period has not started yet."), "period")
    year = programme_store.get_programme(db).year_be
    days = days_late_on(p, today, due_days(db))
    for _ in range(SUBMIT_ATTEMPTS):
        row = _select(db, district_code, year, number)
        _refuse_unsubmittable(row)
        rests_on = basis(db, district_code, year, number)
        snapshot, files = render(row)
        values = [
            json.dumps(snapshot, ensure_ascii=False),
            files["pdf"],
            files["docx"],
            hashlib.sha256(files["pdf"]).hexdigest(),
            hashlib.sha256(files["docx"]).hexdigest(),
        ]
        with db.atomic(outermost=True):
            current = _select(db, district_code, year, number)
            _refuse_unsubmittable(current)
            if (current["version"], current["submitted_count"]) != (row["version"], row["submitted_count"]):
                continue
            if basis(db, district_code, year, number) != rests_on:
                continue
            count = row["submitted_count"] + 1
            db.execute(
                "INSERT INTO district_report_submission (district_report_id, number, submitted_by, submitted_at,"
                " snapshot, pdf, docx, pdf_sha256, docx_sha256, days_late) VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?)",
                [row["id"], count, user_id, at or now_iso(), *values, days],
            )
            db.execute(
                "UPDATE district_report SET status = 'submitted', submitted_count = ?, review_comment = '',"
                " updated_by = ?, updated_at = ? WHERE id = ?",
                [count, user_id, now_iso(), row["id"]],
            )
            outbox.queue_district_notice(db, "submitted", district_code, year, number)
            return count
    raise InputError(msg("The district report was changed while it was being sent; send it again."), "status")


def review(db, district_code: str, number: int, decision: str, comment: str, user_id: int | None) -> None:
    """The province acknowledges a submitted district report, or returns it with a comment
    (kept on the version reviewed too)."""
    if decision not in ("acknowledged", "returned"):
        raise InputError(msg("Not a valid review decision."), "decision")
    comment = (comment or "").strip()
    if decision == "returned" and not comment:
        raise InputError(msg("Give the reason for returning the report."), "comment")
    refusal = COMMENT.refusal(comment, msg("The comment"))
    if refusal:
        raise InputError(refusal, "comment")
    year = programme_store.get_programme(db).year_be
    with db.atomic(outermost=True):
        row = _select(db, district_code, year, number)
        if row is None or row["status"] != "submitted":
            raise InputError(msg("Only a report that has been sent and not yet reviewed can be reviewed."), "status")
        now = now_iso()
        db.execute(
            "UPDATE district_report SET status = ?, review_comment = ?, reviewed_by = ?, reviewed_at = ? WHERE id = ?",
            [decision, comment, user_id, now, row["id"]],
        )
        db.execute(
            "UPDATE district_report_submission SET review_decision = ?, review_comment = ?"
            " WHERE district_report_id = ? AND number = ?",
            [decision, comment, row["id"], row["submitted_count"]],
        )
        outbox.queue_district_notice(db, decision, district_code, year, number)


def submission(db, district_code: str, number: int, version: int, year: int | None = None) -> dict:
    year = programme_store.get_programme(db, year).year_be
    row = one(
        db,
        "SELECT s.* FROM district_report_submission s JOIN district_report r ON r.id = s.district_report_id"
        " WHERE r.district_code = ? AND r.programme_year = ? AND r.period = ? AND s.number = ?",
        [district_code, year, number, version],
    )
    if row is None:
        raise NotFound(version)
    return row


def of_province(db, province_code: str, year: int, number: int) -> dict[str, dict]:
    """{district code: its report of the period (status, versions sent, the first
    version's days late)} for the districts of a province that have one."""
    return {
        r["district_code"]: r
        for r in db.query(
            "SELECT r.district_code, r.status, r.submitted_count, first.days_late AS first_days_late"
            " FROM district_report r JOIN district d ON d.code = r.district_code"
            " LEFT JOIN district_report_submission first ON first.district_report_id = r.id AND first.number = 1"
            " WHERE d.province_code = ? AND r.programme_year = ? AND r.period = ?",
            [province_code, year, number],
        )
    }


def waiting_for_review(db, year: int, province_code: str) -> list[dict]:
    """The province's district reports of the year sent and not yet reviewed, the longest
    waiting first."""
    return list(
        db.query(
            "SELECT r.district_code, d.name_th AS district_name, d.kind AS district_kind, r.period,"
            " r.submitted_count AS version, s.submitted_at FROM district_report r"
            " JOIN district d ON d.code = r.district_code"
            " JOIN district_report_submission s ON s.district_report_id = r.id AND s.number = r.submitted_count"
            " WHERE r.programme_year = ? AND r.status = 'submitted' AND d.province_code = ?"
            " ORDER BY s.submitted_at, r.period, r.district_code",
            [year, province_code],
        )
    )


def returned(db, year: int, district_code: str) -> list[dict]:
    """The district's reports of the year the province returned, with its comment."""
    return list(
        db.query(
            "SELECT r.period, r.review_comment, r.reviewed_at, r.submitted_count AS version,"
            f" {person_sql('u')} AS reviewed_by_name FROM district_report r"
            " LEFT JOIN user u ON u.id = r.reviewed_by"
            " WHERE r.programme_year = ? AND r.district_code = ? AND r.status = 'returned' ORDER BY r.period",
            [year, district_code],
        )
    )
