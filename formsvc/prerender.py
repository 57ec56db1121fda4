"""Documents rendered before anyone asks for them: after an LAO's data changes, its draft
report form of the open period is rendered again in the background, once the data has
been quiet for a while, into the render cache (formsvc/documents/render_cache.py). The
period's ZIP and a download of the form then read the cache instead of rendering.

- **What changed:** the audit log (formsvc/store/audit.py) records every write, naming
  the record's LAO; the programme-wide tables the documents read count for every LAO
  (``store.prerender.GLOBAL_TABLES``). Nothing else needs to note a change.
- **What was rendered:** ``prerender_lao`` (migration 35) keeps, per LAO, the last audit
  entry that counted for it when its forms were last rendered, and the day (the render
  cache's key has the day, so a new day makes every form due again).
- **What is due** (:func:`due`): the model LAOs whose open-period form is rendered live,
  as the ZIP renders it (not submitted) or as a download does (not submitted, or
  returned), whose last counted change is newer than their last render and at least
  ``quiet`` seconds old, or which were not rendered today.
- **Rendering** (:func:`run`): a pool of worker processes at low priority (os.nice)
  renders the PDF and the DOCX of each due form with the same context, day and draft mark
  as the ZIP and the download, so both hit the cache. An LAO is marked done with the
  audit entry read *before* its render: a change made meanwhile leaves it due.
- **Minutes too:** with a due LAO's form, the minutes (PDF and DOCX) of each of its
  forums that changed since its last pre-render (the forum, its agenda or its
  attendees: ``store.prerender.changed_forums``), the other document people download
  most. Only changed forums: a minutes document has no day in it, so it stays in the
  cache until its forum changes, and rendering every forum of the country (about
  22,000) after each release would hold the pre-render for hours. An LAO pre-rendered
  for the first time gets its form only.

The task queue's jobs worker calls :func:`run` every minute (``formsvc.tasks.prerender_now``,
one run at a time, not when the render cache is off). ``python -m formsvc.prerender``
does it once by hand; ``--every 60`` keeps doing it.
"""

from __future__ import annotations

import argparse
import datetime as _dt
import json
import logging
import time
from dataclasses import dataclass

from formsvc import render_pool, services
from formsvc.domain import clock
from formsvc.store import connect
from formsvc.store import prerender as prerender_store
from formsvc.store import reports as report_store
from formsvc.store.errors import NotFound

LOG = logging.getLogger(__name__)

QUIET_SECONDS = 60  # an LAO's data unchanged this long: its forms are rendered again
FORMATS = ("pdf", "docx")  # what the ZIP and the download ask for
NICE = 10  # the workers' niceness: requests' processes go first
RENDERED_LIVE = ("live",)  # rows whose form the ZIP renders now
DRAFT_STATUSES = ("returned",)  # reported rows whose form a download renders as a draft


@dataclass(frozen=True)
class Due:
    lao_id: int
    audit_id: int  # the last entry that counted for the LAO, read before rendering
    forums: tuple[int, ...] = ()  # its forums changed since its last pre-render: their minutes


def _stamp(moment: _dt.datetime) -> str:
    """A moment as the audit log writes it (store/audit.py: ``_now_text``)."""
    moment = moment.astimezone(_dt.UTC)
    return f"{moment:%Y-%m-%dT%H:%M:%S}.{moment.microsecond // 1000:03d}+00:00"


def open_period(db, today: _dt.date | None = None) -> int:
    return report_store.open_period(db, today or clock.today())


def candidates(db, period: int, today: _dt.date) -> list[int]:
    """The model LAOs whose form of ``period`` is rendered when asked for (by the ZIP or a
    download), in the roll-up's order."""
    rows = services.rollup(db, period=period, today=today)["laos"]
    return [
        row["lao_id"]
        for row in rows
        if row["source"] in RENDERED_LIVE or (row["source"] == "reported" and row["report_status"] in DRAFT_STATUSES)
    ]


def due(db, quiet: float = QUIET_SECONDS, today: _dt.date | None = None) -> list[Due]:
    """The LAOs whose forms are to be rendered now: changed since their last render (or
    never rendered, or not today) and quiet for ``quiet`` seconds."""
    today = today or clock.today()
    period = open_period(db, today)
    lao_ids = candidates(db, period, today)
    if not lao_ids:
        return []
    done = prerender_store.done(db)
    rendered_today = [
        row["audit_id"]
        for lao_id in lao_ids
        if (row := done.get(lao_id)) and row["day"] == today.isoformat() and row["period"] == period
    ]
    # entries before the oldest of today's renders cannot make anything due
    since = min(rendered_today) if len(rendered_today) == len(lao_ids) else 0
    changes = prerender_store.last_changes(db, lao_ids, since)
    latest = prerender_store.last_entry(db)
    now = clock.now()
    settled, now_text = _stamp(now - _dt.timedelta(seconds=quiet)), _stamp(now)
    result = []
    for lao_id in lao_ids:
        last_id, last_at = changes.get(lao_id, (0, ""))
        row = done.get(lao_id)
        fresh = (
            row is not None
            and row["day"] == today.isoformat()
            and row["period"] == period
            and row["audit_id"] >= last_id
        )
        # (an entry dated after now was written by a clock ahead of this one: not waited for)
        if fresh or settled < last_at <= now_text:
            continue  # rendered since its last change, or still being edited
        # marked with the newest entry of all: entries of other LAOs do not count for it
        forums = tuple(prerender_store.changed_forums(db, lao_id, row["audit_id"])) if row is not None else ()
        result.append(Due(lao_id, max(last_id, latest), forums))
    return result


def run(
    db_path,
    *,
    quiet: float = QUIET_SECONDS,
    workers: int | None = None,
    nice: int = NICE,
    limit: int | None = None,
) -> dict:
    """Render what is due (:func:`due`) into the render cache with a pool of ``workers``
    processes (default: one per core) at niceness ``nice``; ``workers=0`` renders in this
    process (tests). At most ``limit`` LAOs per run (default: all that are due).
    Returns {"due", "rendered", "minutes", "failed", "period", "seconds"} ("minutes": the
    forums whose minutes came with the rendered LAOs' forms)."""
    started = time.monotonic()
    db = connect(db_path)
    try:
        today = clock.today()
        period = open_period(db, today)
        todo = due(db, quiet, today)
        counts = {"due": len(todo), "rendered": 0, "minutes": 0, "failed": 0, "period": period}
        todo = todo[:limit] if limit is not None else todo
        if not todo:
            return {**counts, "seconds": round(time.monotonic() - started, 3)}
        if workers == 0:
            for item in todo:
                _settle(db, item, period, today, counts, lambda item=item: _render_here(db, item, period, today))
        else:
            size = min(workers or render_pool.cores(), len(todo))  # a worker costs a second to start
            with render_pool.RenderPool(render_pool.database_path(db), size, nice=nice) as pool:
                futures = [
                    (item, pool.prerender(item.lao_id, period, FORMATS, today=today, forums=item.forums))
                    for item in todo
                ]
                for item, future in futures:
                    _settle(db, item, period, today, counts, future.result)
        return {**counts, "seconds": round(time.monotonic() - started, 3)}
    finally:
        db.close()


def _settle(db, item: Due, period: int, today: _dt.date, counts: dict, render) -> None:
    """Wait for ``render()`` of the LAO's documents, then mark the LAO done and count it;
    a failure is logged and leaves the LAO due, and the others go on."""
    try:
        render()
    except Exception:
        LOG.exception("pre-render of LAO %s failed", item.lao_id)
        counts["failed"] += 1
        return
    prerender_store.mark(db, item.lao_id, item.audit_id, today.isoformat(), period)
    counts["rendered"] += 1
    counts["minutes"] += len(item.forums)


def _render_here(db, item: Due, period: int, today: _dt.date) -> None:
    report = report_store.get_report(db, item.lao_id, period)
    services.report_files(db, item.lao_id, report, today, FORMATS, draft=True)
    minutes(db, item.lao_id, item.forums)


def minutes(db, lao_id: int, forums, formats: tuple[str, ...] = FORMATS) -> None:
    """The minutes of the LAO's ``forums`` rendered into the render cache, as a download
    asks for them (a forum deleted since is passed over)."""
    for forum_id in forums:
        try:
            for fmt in formats:
                services.document(db, lao_id, "minutes", fmt, forum_id=forum_id)
        except NotFound:
            continue


def main(argv: list[str] | None = None) -> None:
    from formsvc.config import database_path

    parser = argparse.ArgumentParser(prog="python -m formsvc.prerender", description=__doc__.split("\n")[0])
    parser.add_argument("--quiet", type=float, default=QUIET_SECONDS, help="seconds an LAO's data stays unchanged")
    parser.add_argument("--workers", type=int, default=None, help="rendering processes (default: one per core)")
    parser.add_argument("--every", type=float, default=0, help="run again after this many seconds (0: once)")
    args = parser.parse_args(argv)
    while True:
        print(json.dumps(run(database_path(), quiet=args.quiet, workers=args.workers)), flush=True)
        if not args.every:
            return
        time.sleep(args.every)


if __name__ == "__main__":
    main()
