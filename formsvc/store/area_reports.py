"""Reports of the offices above the LAOs (guideline §4.2(5), §7.1, §8.3(5)): for each
period the district office compiles its model LAOs' reports as they were sent and
submits its report to the province; the province compiles the district reports it
acknowledged and submits its report to the DLA. Both levels keep the same record: a
draft of the office's comments and recommendations, and every submitted version frozen
(snapshot and documents). The level above acknowledges or returns it. ``Level`` names
what differs: the tables, the area, who reviews, the words."""

from __future__ import annotations

import datetime as _dt
import json
from dataclasses import dataclass

from formsvc.domain.clock import now_iso
from formsvc.domain.messages import Msg, msg
from formsvc.domain.reports import days_late_on
from formsvc.domain.text import Limit
from formsvc.domain.versions import Fields
from formsvc.store import frozen, outbox, versions
from formsvc.store import programme as programme_store
from formsvc.store import reports as report_store
from formsvc.store.db import one
from formsvc.store.errors import ConflictError, InputError, NotFound  # noqa: F401 (callers catch it from here)
from formsvc.store.people import person_sql

TEXT = Limit(5000, 150)  # the office's comments, and its recommendations
COMMENT = frozen.COMMENT  # the reviewer's comment
SENT = ("submitted", "acknowledged")


@dataclass(frozen=True)
class Level:
    """One level of the chain above the LAOs."""

    name: str  # "district" | "province": the table is <name>_report, the area column <name>_code
    labels: dict[str, Msg]  # the draft's fields
    what: Msg  # "the district report of period %(n)s"
    sent_unchangeable: Msg
    save_first: Msg
    already_sent: Msg
    changed_while_sending: Msg

    @property
    def table(self) -> str:
        return f"{self.name}_report"

    @property
    def code(self) -> str:
        return f"{self.name}_code"

    @property
    def fields(self) -> Fields:
        return Fields(dict(self.labels))

    def due_days(self, db, year: int | None = None) -> int:
        """Days after a period's end before this level's report is late: the LAOs' late
        days, then the districts' own days (and for provinces, the provinces')."""
        prog = programme_store.get_programme(db, year)
        days = prog.late_days + prog.district_due_days
        return days + prog.province_due_days if self.name == "province" else days

    def basis(self, db, code: str, year: int, number: int) -> list:
        """What a report of the period rests on, so a submit can tell when it changed
        while the report was being rendered: a district's, each model LAO's latest
        submitted version; a province's, each district report's status and versions and
        the visits of the year in the province."""
        if self.name == "district":
            return [
                [r["lao_id"], r["report_version"]]
                for r in report_store.rollup_rows(db, year, number, district_code=code)
            ]
        reports = [
            [r["district_code"], r["status"], r["submitted_count"]]
            for r in db.query(
                "SELECT r.district_code, r.status, r.submitted_count FROM district_report r"
                " JOIN district d ON d.code = r.district_code"
                " WHERE d.province_code = ? AND r.programme_year = ? AND r.period = ? ORDER BY r.district_code",
                [code, year, number],
            )
        ]
        visits = [
            [v["id"], v["version"]]
            for v in db.query(
                "SELECT v.id, v.version FROM monitoring_visit v JOIN lao l ON l.id = v.lao_id"
                " JOIN district d ON d.code = l.district_code WHERE d.province_code = ? AND v.programme_year = ?"
                " ORDER BY v.id",
                [code, year],
            )
        ]
        return [reports, visits]


DISTRICT = Level(
    "district",
    labels={"comments": msg("The district's comments"), "recommendations": msg("The district's recommendations")},
    what=msg("the district report of period %(n)s"),
    sent_unchangeable=msg("This district report has been sent and cannot be changed (unless the province returns it)."),
    save_first=msg("Save the district report before sending it."),
    already_sent=msg("This district report has already been sent."),
    changed_while_sending=msg("The district report was changed while it was being sent; send it again."),
)
PROVINCE = Level(
    "province",
    labels={"comments": msg("The province's comments"), "recommendations": msg("The province's recommendations")},
    what=msg("the province report of period %(n)s"),
    sent_unchangeable=msg(
        "This province report has been sent and cannot be changed (unless the national office returns it)."
    ),
    save_first=msg("Save the province report before sending it."),
    already_sent=msg("This province report has already been sent."),
    changed_while_sending=msg("The province report was changed while it was being sent; send it again."),
)
LEVELS = {level.name: level for level in (DISTRICT, PROVINCE)}


def _select(db, level: Level, code: str, year: int, number: int) -> dict | None:
    return one(
        db,
        f"SELECT * FROM {level.table} WHERE {level.code} = ? AND programme_year = ? AND period = ?",
        [code, year, number],
    )


def get(db, level: Level, code: str, number: int, year: int | None = None) -> dict:
    """The area's report of a period with its versions (newest first), or an empty draft
    when none is saved yet."""
    year = programme_store.get_programme(db, year).year_be
    row = one(
        db,
        f"SELECT r.*, {person_sql('u')} AS reviewed_by_name FROM {level.table} r"
        " LEFT JOIN user u ON u.id = r.reviewed_by"
        f" WHERE r.{level.code} = ? AND r.programme_year = ? AND r.period = ?",
        [code, year, number],
    )
    if row is None:
        return {
            "id": None,
            level.code: code,
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
            f" {person_sql('u')} AS submitted_by_name FROM {level.table}_submission s"
            f" LEFT JOIN user u ON u.id = s.submitted_by WHERE s.{level.table}_id = ? ORDER BY s.number DESC",
            [row["id"]],
        )
    )
    return row


def first_days_late(report: dict) -> int | None:
    """What the first submitted version recorded as days late (None: never submitted)."""
    return report["submissions"][-1]["days_late"] if report["submissions"] else None


def _clean(level: Level, values: dict) -> dict:
    cleaned = {}
    for key, label in level.labels.items():
        text = (values.get(key) or "").strip()
        refusal = TEXT.refusal(text, label)
        if refusal:
            raise InputError(refusal, key)
        cleaned[key] = text
    return cleaned


def save_draft(
    db,
    level: Level,
    code: str,
    number: int,
    values: dict,
    user_id: int | None,
    expected_version: int | None = None,
) -> int:
    """Save the office's comments and recommendations of the open year's period. Returns
    the new version; a save over another's change is refused (ConflictError)."""
    report_store.period(db, number)
    cleaned = _clean(level, values)
    year = programme_store.get_programme(db).year_be
    with db.atomic(outermost=True):
        row = _select(db, level, code, year, number)
        if row and row["status"] in SENT:
            raise InputError(level.sent_unchangeable, "status")
        stored = {k: row[k] if row else "" for k in level.labels}
        version = row["version"] if row else 0
        key = f"{code}:{year}:{number}"
        by, at = (row["updated_by"], row["updated_at"]) if row else (None, None)
        versions.check(
            db,
            level.table,
            key,
            what=Msg(level.what.id, {"n": number}),
            expected=expected_version,
            version=version,
            current=stored,
            saved_by=by,
            saved_at=at,
            yours=cleaned,
            fields=level.fields,
        )
        versions.remember(db, level.table, key, version, stored, by, at)
        if row is None:
            db.execute(
                f"INSERT INTO {level.table} ({level.code}, programme_year, period, comments, recommendations,"
                " updated_by, updated_at) VALUES (?, ?, ?, ?, ?, ?, ?)",
                [code, year, number, cleaned["comments"], cleaned["recommendations"], user_id, now_iso()],
            )
        else:
            db.execute(
                f"UPDATE {level.table} SET comments = ?, recommendations = ?, version = version + 1,"
                " updated_by = ?, updated_at = ? WHERE id = ?",
                [cleaned["comments"], cleaned["recommendations"], user_id, now_iso(), row["id"]],
            )
        return version + 1


Renderer = frozen.Renderer


def _refuse_unsubmittable(level: Level, row: dict | None) -> None:
    if row is None:
        raise InputError(level.save_first, "status")
    if row["status"] in SENT:
        raise InputError(level.already_sent, "status")


def submit(
    db,
    level: Level,
    code: str,
    number: int,
    user_id: int | None,
    today: _dt.date,
    render: Renderer,
    at: str | None = None,
) -> int:
    """Freeze the area's report of the open year's period as a new version: its snapshot
    and its PDF and DOCX, with how many days after its due day it was sent.
    ``render(row)`` returns (snapshot, {"pdf": bytes, "docx": bytes}) and runs before the
    write transaction; the transaction checks that neither the draft nor what the report
    rests on (``Level.basis``) changed meanwhile (else it renders again: ``frozen.freeze``)."""
    p = report_store.period(db, number)
    if today < p.start:
        raise InputError(msg("This reporting period has not started yet."), "period")
    year = programme_store.get_programme(db).year_be
    return frozen.freeze(
        db,
        level.table,
        select=lambda: _select(db, level, code, year, number),
        refuse=lambda row: _refuse_unsubmittable(level, row),
        basis=lambda: level.basis(db, code, year, number),
        render=render,
        user_id=user_id,
        days_late=days_late_on(p, today, level.due_days(db)),
        notify=lambda: outbox.queue_area_notice(db, level.name, "submitted", code, year, number),
        changed=level.changed_while_sending,
        at=at,
    )


def review(db, level: Level, code: str, number: int, decision: str, comment: str, user_id: int | None) -> None:
    """The level above acknowledges a submitted report, or returns it with a comment
    (kept on the version reviewed too)."""
    year = programme_store.get_programme(db).year_be
    frozen.review(
        db,
        level.table,
        select=lambda: _select(db, level, code, year, number),
        decision=decision,
        comment=comment,
        user_id=user_id,
        notify=lambda decided: outbox.queue_area_notice(db, level.name, decided, code, year, number),
    )


def submission(db, level: Level, code: str, number: int, version: int, year: int | None = None) -> dict:
    year = programme_store.get_programme(db, year).year_be
    row = one(
        db,
        f"SELECT s.* FROM {level.table}_submission s JOIN {level.table} r ON r.id = s.{level.table}_id"
        f" WHERE r.{level.code} = ? AND r.programme_year = ? AND r.period = ? AND s.number = ?",
        [code, year, number, version],
    )
    if row is None:
        raise NotFound(version)
    return row


def acknowledged_snapshots(db, province_code: str, year: int, number: int) -> dict[str, dict]:
    """{district code: the snapshot of its acknowledged version, with "version"} for the
    districts of a province whose report of the period the province acknowledged: what
    the province report compiles, as the districts sent it."""
    return {
        r["district_code"]: {**json.loads(r["snapshot"]), "version": r["number"]}
        for r in db.query(
            "SELECT r.district_code, s.number, s.snapshot FROM district_report r"
            " JOIN district d ON d.code = r.district_code"
            " JOIN district_report_submission s ON s.district_report_id = r.id AND s.number = r.submitted_count"
            " WHERE d.province_code = ? AND r.programme_year = ? AND r.period = ? AND r.status = 'acknowledged'",
            [province_code, year, number],
        )
    }


def statuses(db, level: Level, year: int, number: int, province_code: str | None = None) -> dict[str, dict]:
    """{area code: its report of the period (status, versions sent, the first version's
    days late)}: the districts of a province, or every province, that have one."""
    where, params = ["r.programme_year = ?", "r.period = ?"], [year, number]
    join = ""
    if level.name == "district":
        join = " JOIN district d ON d.code = r.district_code"
        if province_code is not None:
            where.append("d.province_code = ?")
            params.append(province_code)
    return {
        r[level.code]: r
        for r in db.query(
            f"SELECT r.{level.code}, r.status, r.submitted_count, first.days_late AS first_days_late"
            f" FROM {level.table} r{join}"
            f" LEFT JOIN {level.table}_submission first ON first.{level.table}_id = r.id AND first.number = 1"
            f" WHERE {' AND '.join(where)}",
            params,
        )
    }


def waiting_for_review(db, level: Level, year: int, province_code: str | None = None) -> list[dict]:
    """Reports of the year sent and not yet reviewed, the longest waiting first: a
    province's district reports, or every province report."""
    if level.name == "district":
        area = "r.district_code, d.name_th AS district_name, d.kind AS district_kind"
        join = " JOIN district d ON d.code = r.district_code"
    else:
        area = "r.province_code, d.name_th AS province_name"
        join = " JOIN province d ON d.code = r.province_code"
    where, params = ["r.programme_year = ?", "r.status = 'submitted'"], [year]
    if province_code is not None:
        where.append("d.province_code = ?" if level.name == "district" else "r.province_code = ?")
        params.append(province_code)
    return list(
        db.query(
            f"SELECT {area}, r.period, r.submitted_count AS version, s.submitted_at FROM {level.table} r{join}"
            f" JOIN {level.table}_submission s ON s.{level.table}_id = r.id AND s.number = r.submitted_count"
            f" WHERE {' AND '.join(where)} ORDER BY s.submitted_at, r.period, r.{level.code}",
            params,
        )
    )


def returned(db, level: Level, year: int, code: str) -> list[dict]:
    """The area's reports of the year returned by the level above, with its comment."""
    return list(
        db.query(
            "SELECT r.period, r.review_comment, r.reviewed_at, r.submitted_count AS version,"
            f" {person_sql('u')} AS reviewed_by_name FROM {level.table} r"
            " LEFT JOIN user u ON u.id = r.reviewed_by"
            f" WHERE r.programme_year = ? AND r.{level.code} = ? AND r.status = 'returned' ORDER BY r.period",
            [year, code],
        )
    )
