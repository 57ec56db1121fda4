"""Sending a report up the chain, at every level (the LAO's, the district's, the
province's): a draft row in ``<table>`` and its frozen versions in
``<table>_submission`` (``<table>_id``, ``number``, snapshot, PDF, DOCX and their
SHA-256, days late), reviewed by the level above.

``freeze`` renders and hashes before the write transaction (rendering takes seconds; the
document engine refuses to render inside one), then checks in the transaction that the
draft is still the one rendered and that what the report rests on (``basis``) is
unchanged, rendering again when either changed. ``review`` acknowledges or returns the
latest version sent. What differs per level (which row, why it cannot be sent, what it
rests on, whom to tell) is passed in."""

from __future__ import annotations

import hashlib
import json
from collections.abc import Callable

from formsvc.domain.clock import now_iso
from formsvc.domain.messages import Msg, msg
from formsvc.domain.text import Limit
from formsvc.store.errors import InputError

ATTEMPTS = 3
COMMENT = Limit(2000, 50)  # a reviewer's comment

Renderer = Callable[[dict], tuple[dict, dict[str, bytes]]]


def freeze(
    db,
    table: str,
    *,
    select: Callable[[], dict | None],
    refuse: Callable[[dict | None], None],
    basis: Callable[[], object],
    render: Renderer,
    user_id: int | None,
    days_late: int,
    notify: Callable[[], object],
    changed: Msg,
    at: str | None = None,
) -> int:
    """Freeze the draft ``select()`` reads as a new version (``render(row)`` gives its
    snapshot and {"pdf", "docx"}); ``refuse(row)`` raises when it cannot be sent;
    ``notify()`` runs in the transaction that records it. Returns the version number;
    raises InputError(``changed``) when the draft or its basis kept changing."""
    for _ in range(ATTEMPTS):
        row = select()
        refuse(row)
        rests_on = basis()
        snapshot, files = render(row)
        values = [
            json.dumps(snapshot, ensure_ascii=False),
            files["pdf"],
            files["docx"],
            hashlib.sha256(files["pdf"]).hexdigest(),
            hashlib.sha256(files["docx"]).hexdigest(),
        ]
        with db.atomic(outermost=True):
            current = select()
            refuse(current)
            if (current["version"], current["submitted_count"]) != (row["version"], row["submitted_count"]):
                continue  # the draft changed while it was rendered: render it again
            if basis() != rests_on:
                continue  # so did what it rests on: render it as it is now
            count = row["submitted_count"] + 1
            db.execute(
                f"INSERT INTO {table}_submission ({table}_id, number, submitted_by, submitted_at, snapshot, pdf, docx,"
                " pdf_sha256, docx_sha256, days_late) VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?)",
                [row["id"], count, user_id, at or now_iso(), *values, days_late],
            )
            db.execute(
                f"UPDATE {table} SET status = 'submitted', submitted_count = ?, review_comment = '',"
                " updated_by = ?, updated_at = ? WHERE id = ?",
                [count, user_id, now_iso(), row["id"]],
            )
            notify()
            return count
    raise InputError(changed, "status")


def check_review(decision: str, comment: str) -> str:
    """The reviewer's comment, cleaned; InputError for a decision that is not one, a
    return without a reason or an overlong comment."""
    if decision not in ("acknowledged", "returned"):
        raise InputError(msg("Not a valid review decision."), "decision")
    comment = (comment or "").strip()
    if decision == "returned" and not comment:
        raise InputError(msg("Give the reason for returning the report."), "comment")
    refusal = COMMENT.refusal(comment, msg("The comment"))
    if refusal:
        raise InputError(refusal, "comment")
    return comment


def review(
    db,
    table: str,
    *,
    select: Callable[[], dict | None],
    decision: str,
    comment: str,
    user_id: int | None,
    notify: Callable[[str], object],
    on_version: bool = True,
) -> None:
    """Acknowledge or return the report ``select()`` reads when it waits for review;
    the decision and comment are kept on the version reviewed too (``on_version``:
    tables whose versions record them). ``notify(decision)`` runs in the transaction."""
    comment = check_review(decision, comment)
    with db.atomic(outermost=True):
        row = select()
        if row is None or row["status"] != "submitted":
            raise InputError(msg("Only a report that has been sent and not yet reviewed can be reviewed."), "status")
        db.execute(
            f"UPDATE {table} SET status = ?, review_comment = ?, reviewed_by = ?, reviewed_at = ? WHERE id = ?",
            [decision, comment, user_id, now_iso(), row["id"]],
        )
        if on_version:
            db.execute(
                f"UPDATE {table}_submission SET review_decision = ?, review_comment = ?"
                f" WHERE {table}_id = ? AND number = ?",
                [decision, comment, row["id"], row["submitted_count"]],
            )
        notify(decision)
