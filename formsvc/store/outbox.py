"""The mail outbox: messages waiting to be sent by the runner (docs/mail.md).

A notice is queued in the same transaction as the event it tells of (a report submitted,
returned or acknowledged: formsvc/store/reports.py), so a notice is never sent for an
event that was rolled back and never lost for one that was saved. Reminders are queued
by :func:`queue_reminders`, which the runner calls; each has a key (kind, user, year,
period) that the table holds once only, so calling it again queues nothing new.

Only the event is stored (who, which LAO and period): the message is written when it is
sent, in the recipient's language, to their address at that moment; a user with no
address, or who turned notices off, is skipped then.
"""

from __future__ import annotations

import datetime as _dt

from formsvc.domain import clock
from formsvc.domain.clock import now_iso
from formsvc.domain.reports import periods
from formsvc.store import programme as programme_store
from formsvc.store.db import one

NOTICES = ("submitted", "returned", "acknowledged")
REMINDERS = {"due_7": 7, "due_1": 1}  # kind → days before the due day
# Retries: the n-th failure waits BACKOFF[n-1] seconds (the last value after that);
# after MAX_ATTEMPTS failures the message is given up (status 'failed').
BACKOFF = (60, 300, 1800, 3600, 4 * 3600)
MAX_ATTEMPTS = 8


def queue_report_notice(db, kind: str, lao_id: int, programme_year: int, period: int) -> int:
    """Queue the notice of a report event for everyone it concerns: the LAO's clerks when
    the district returns or acknowledges it, the district office's users when the LAO
    submits it. Call inside the event's transaction. Returns messages queued."""
    assert kind in NOTICES, kind
    if kind == "submitted":
        recipients = (
            "SELECT u.id FROM user u JOIN lao l ON l.district_code = u.district_code"
            " WHERE l.id = ? AND u.role = 'district'"
        )
    else:
        recipients = "SELECT u.id FROM user u WHERE u.lao_id = ? AND u.role = 'lao_clerk'"
    now = now_iso()
    cur = db.execute(
        "INSERT INTO mail_outbox (kind, user_id, lao_id, programme_year, period, next_attempt_at, created_at)"
        f" SELECT ?, r.id, ?, ?, ?, ?, ? FROM ({recipients}) r JOIN user u ON u.id = r.id"
        " WHERE u.active = 1 AND u.notify = 1 AND u.email != ''",
        [kind, lao_id, programme_year, period, now, now, lao_id],
    )
    return cur.rowcount


def queue_area_notice(db, level: str, kind: str, code: str, programme_year: int, period: int) -> int:
    """Queue the notice of a district or province report event (``level``): when it is
    submitted, to the users of the level above (the province office for a district, the
    national users for a province); when it is returned or acknowledged, to the office
    that sent it. Call inside the event's transaction. Returns messages queued."""
    assert kind in NOTICES, kind
    assert level in ("district", "province"), level
    if kind == "submitted" and level == "district":
        recipients = (
            "SELECT u.id FROM user u JOIN district d ON d.province_code = u.province_code"
            " WHERE d.code = ? AND u.role = 'province'"
        )
    elif kind == "submitted":
        recipients = "SELECT u.id FROM user u WHERE ? IS NOT NULL AND u.role = 'national'"
    else:
        recipients = f"SELECT u.id FROM user u WHERE u.{level}_code = ? AND u.role = '{level}'"
    now = now_iso()
    cur = db.execute(
        f"INSERT INTO mail_outbox (kind, user_id, {level}_code, programme_year, period, next_attempt_at, created_at)"
        f" SELECT ?, r.id, ?, ?, ?, ?, ? FROM ({recipients}) r JOIN user u ON u.id = r.id"
        " WHERE u.active = 1 AND u.notify = 1 AND u.email != ''",
        [f"{level}_{kind}", code, programme_year, period, now, now, code],
    )
    return cur.rowcount


def reminder_kind(days_left: int) -> str | None:
    """Which reminder is due when the due day is ``days_left`` days away: the 7-day one
    from 7 days before until 2 days before (a runner that was down on the day still sends
    it), the 1-day one on the day before and on the due day itself."""
    if 2 <= days_left <= REMINDERS["due_7"]:
        return "due_7"
    if 0 <= days_left <= REMINDERS["due_1"]:
        return "due_1"
    return None


def queue_reminders(db, today: _dt.date | None = None) -> int:
    """Queue the reminders due today for the open programme year: to the clerks of each
    model LAO serving in a period whose report is not sent (no report, a draft, or a
    returned one) when the period's due day is 7 days or 1 day away. Each user gets each
    reminder of a period once. Returns messages queued."""
    today = today or clock.today()
    row = one(db, "SELECT year_be FROM programme ORDER BY year_be DESC LIMIT 1")
    if row is None:
        return 0
    prog = programme_store.get_programme(db, row["year_be"])
    queued = 0
    now = now_iso()
    with db.atomic():
        for p in periods(prog.year_be, prog.start_month, prog.end_month):
            kind = reminder_kind((p.due(prog.late_days) - today).days)
            if kind is None:
                continue
            cur = db.execute(
                "INSERT OR IGNORE INTO mail_outbox (kind, user_id, lao_id, programme_year, period, once_key,"
                " next_attempt_at, created_at)"
                " SELECT ?, u.id, t.lao_id, t.programme_year, ?,"
                " ? || ':' || u.id || ':' || t.programme_year || ':' || ?,"
                " ?, ? FROM model_lao_term t JOIN user u ON u.lao_id = t.lao_id AND u.role = 'lao_clerk'"
                " LEFT JOIN report r ON r.lao_id = t.lao_id AND r.programme_year = t.programme_year AND r.period = ?"
                " WHERE t.programme_year = ? AND t.from_period <= ? AND (t.to_period IS NULL OR t.to_period >= ?)"
                " AND u.active = 1 AND u.notify = 1 AND u.email != ''"
                " AND coalesce(r.status, 'draft') NOT IN ('submitted', 'acknowledged')",
                [kind, p.number, kind, p.number, now, now, p.number, prog.year_be, p.number, p.number],
            )
            queued += cur.rowcount
    return queued


def due(db, limit: int = 50) -> list[dict]:
    """Queued messages whose time has come, oldest first, with their recipient."""
    return list(
        db.query(
            "SELECT m.*, u.email, u.notify, u.active, u.locale, u.username, u.display_name"
            " FROM mail_outbox m JOIN user u ON u.id = m.user_id"
            " WHERE m.status = 'queued' AND m.next_attempt_at <= ? ORDER BY m.next_attempt_at, m.id LIMIT ?",
            [now_iso(), limit],
        )
    )


def claim(db, message_id: int, seconds: int = 600) -> bool:
    """Take a due message for sending: it is put off by ``seconds`` first, so a second
    runner at the same moment does not send it too (and a runner that dies mid-send
    leaves it to be tried again). False when another runner took it."""
    later = (clock.now() + _dt.timedelta(seconds=seconds)).isoformat(timespec="seconds")
    with db.atomic():
        cur = db.execute(
            "UPDATE mail_outbox SET next_attempt_at = ? WHERE id = ? AND status = 'queued' AND next_attempt_at <= ?",
            [later, message_id, now_iso()],
        )
    return cur.rowcount == 1


def mark_sent(db, message_id: int) -> None:
    with db.atomic():
        db.execute(
            "UPDATE mail_outbox SET status = 'sent', attempts = attempts + 1, sent_at = ?, last_error = ''"
            " WHERE id = ?",
            [now_iso(), message_id],
        )


def mark_skipped(db, message_id: int, reason: str) -> None:
    """Not to be sent: the user has no address any more, or turned notices off."""
    with db.atomic():
        db.execute("UPDATE mail_outbox SET status = 'skipped', last_error = ? WHERE id = ?", [reason, message_id])


def mark_failed(db, message_id: int, error: str) -> str:
    """A failed attempt: try again after the backoff, or give up after MAX_ATTEMPTS.
    Returns the new status."""
    with db.atomic():
        row = one(db, "SELECT attempts FROM mail_outbox WHERE id = ?", [message_id])
        attempts = row["attempts"] + 1
        status = "failed" if attempts >= MAX_ATTEMPTS else "queued"
        wait = BACKOFF[min(attempts, len(BACKOFF)) - 1]
        later = (clock.now() + _dt.timedelta(seconds=wait)).isoformat(timespec="seconds")
        db.execute(
            "UPDATE mail_outbox SET status = ?, attempts = ?, next_attempt_at = ?, last_error = ? WHERE id = ?",
            [status, attempts, later, error[:500], message_id],
        )
    return status


def counts(db) -> dict[str, int]:
    """How many messages are in each state (queued, sent, skipped, failed)."""
    found = {"queued": 0, "sent": 0, "skipped": 0, "failed": 0}
    for row in db.query("SELECT status, count(*) AS n FROM mail_outbox GROUP BY status"):
        found[row["status"]] = row["n"]
    return found


def last_error(db) -> str:
    row = one(db, "SELECT last_error FROM mail_outbox WHERE last_error != '' AND status != 'skipped' ORDER BY id DESC")
    return row["last_error"] if row else ""
