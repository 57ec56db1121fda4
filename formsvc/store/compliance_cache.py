"""Each LAO's five criteria as last computed, fresh while the LAO's change stamp (and
the global one, for programme settings) is what it was then, and while the rules are
the ones it was computed under (``criteria.rules_stamp()``, migration 18). The stamps
are kept by triggers (migration 12), so no write path can leave a stale row looking
fresh; a changed rule or threshold makes every row stale at once.

The cached compliance JSON keeps each reason and warning as a message (its English id
and values, ``messages.as_data``; MESSAGES says which form) so that it can be shown in
the reader's language: :func:`result` reads it back, and refuses a row kept in another
form (Thai text, before), which is stale under the rules stamp anyway."""

from __future__ import annotations

import json
import sqlite3

from formsvc.domain import criteria
from formsvc.domain.clock import now_iso
from formsvc.domain.messages import as_data, from_data

# the form of the reasons in a cached row's JSON: 1 = messages as data
MESSAGES = 1


def fresh_join(lao: str, year: str) -> str:
    """SQL joining the cached row of LAO ``lao`` for programme year ``year`` when it is
    fresh: selects ``cache_met`` (NULL when stale or missing), ``stamp`` and
    ``global_stamp`` (the stamps to store a recomputed row under)."""
    rules = criteria.rules_stamp()
    assert rules.isalnum()  # a hex digest: safe inside the SQL text
    return (
        f" LEFT JOIN lao_stamp ls ON ls.lao_id = {lao}"
        f" LEFT JOIN compliance_cache cc ON cc.lao_id = {lao} AND cc.programme_year = {year}"
        f" AND cc.rules_version = '{rules}'"
        " AND cc.stamp = coalesce(ls.stamp, 0) AND cc.global_stamp = (SELECT coalesce(max(stamp), 0)"
        " FROM lao_stamp WHERE lao_id = 0)"
    )


FRESH_COLUMNS = (
    " cc.met AS cache_met, coalesce(ls.stamp, 0) AS stamp,"
    " (SELECT coalesce(max(stamp), 0) FROM lao_stamp WHERE lao_id = 0) AS global_stamp"
)


def stamps(db, lao_id: int) -> tuple[int, int]:
    """The LAO's change stamp and the global one: both the same later means nothing the
    LAO's criteria, evidence or documents rest on was written meanwhile."""
    row = db.execute(
        "SELECT coalesce((SELECT stamp FROM lao_stamp WHERE lao_id = ?), 0),"
        " (SELECT coalesce(max(stamp), 0) FROM lao_stamp WHERE lao_id = 0)",
        [lao_id],
    ).fetchone()
    return row[0], row[1]


def store(db, rows: list[tuple[int, int, int, int, list[bool], dict]]) -> None:
    """Keep recomputed results: (lao_id, year, stamp, global_stamp, met, compliance JSON).
    The stamps are those read before computing, so a change made meanwhile leaves the
    row stale, never wrongly fresh. A busy or read-only database just skips the cache."""
    if not rows:
        return
    rules = criteria.rules_stamp()
    try:
        with db.atomic(outermost=True):
            db.conn.executemany(
                "INSERT OR REPLACE INTO compliance_cache (lao_id, programme_year, stamp, global_stamp, rules_version,"
                " met, result, computed_at) VALUES (?, ?, ?, ?, ?, ?, ?, ?)",
                [
                    (
                        lao_id,
                        year,
                        stamp,
                        global_stamp,
                        rules,
                        json.dumps([int(m) for m in met]),
                        json.dumps(_kept(result), ensure_ascii=False),
                        now_iso(),
                    )
                    for lao_id, year, stamp, global_stamp, met, result in rows
                ],
            )
    except sqlite3.OperationalError:
        pass


def met(value: str) -> list[bool]:
    return [bool(m) for m in json.loads(value)]


def _kept(result: dict) -> dict:
    """The compliance JSON as the cache keeps it: reasons and warnings as messages."""
    criteria_ = [
        {**c, **{key: [as_data(m) for m in c[key]] for key in ("reasons", "warnings") if key in c}}
        for c in result.get("criteria", [])
    ]
    return {**result, "messages": MESSAGES, "criteria": criteria_}


def result(value: str | None) -> dict | None:
    """A cached row's compliance JSON with its reasons and warnings as messages again
    (``Msg``, to show in the reader's language); None for a row kept in another form."""
    try:
        data = json.loads(value or "")
    except ValueError:
        return None
    if not isinstance(data, dict) or data.get("messages") != MESSAGES:
        return None
    for c in data.get("criteria", []):
        for key in ("reasons", "warnings"):
            if key in c:
                c[key] = [from_data(m) for m in c[key]]
    return data
