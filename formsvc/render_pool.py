"""Batches of documents rendered in worker processes, one per core.

Rendering is CPU work in Python (WeasyPrint's layout, docxtpl's XML), so one process
uses one core whatever its threads do. A batch (a period's ZIP, the national demo)
submits its documents to a pool of worker processes; each worker opens its own
database connection and loads fonts, stylesheet and templates once, then renders what
it is sent. Results come back as bytes; all writing stays in the calling process.

Workers start from a fork server (not a fork of the caller, which may have threads,
such as an export job's heartbeat) that has imported formsvc once.
"""

from __future__ import annotations

import datetime as _dt
import gc
import multiprocessing
import os
from concurrent.futures import Future, ProcessPoolExecutor

from formsvc.store.db import database_path  # noqa: F401 (callers take it from here)

_db = None  # each worker's connection


def cores() -> int:
    try:
        return len(os.sched_getaffinity(0))
    except AttributeError:  # not Linux
        return os.cpu_count() or 1


def _start(db_path: str, nice: int = 0) -> None:
    global _db
    from formsvc.documents import engine
    from formsvc.store import connect

    if nice:
        os.nice(nice)  # background work: every request's process goes first
    _db = connect(db_path)
    engine.engine()  # fonts, stylesheet and templates, once per worker
    _collect_less()


# A render allocates hundreds of thousands of objects. With Python's default thresholds
# the cycle collector runs every 700 allocations and, every hundred of those runs, walks
# every object of the process (modules, fonts, templates) as well. A worker that only
# renders collects its young objects every GC_YOUNG allocations instead and leaves what
# was loaded before its first render out of the walks (gc.freeze): 6-9 % less CPU per
# report PDF, the same bytes, about 45 MB more per worker process.
GC_YOUNG = 20_000


def _collect_less() -> None:
    gc.collect()
    gc.freeze()
    gc.set_threshold(GC_YOUNG, 10, 10)


def _report(lao_id: int, period: int, formats: tuple[str, ...], draft: bool, today: str):
    from formsvc import services
    from formsvc.store import reports as report_store

    report = report_store.get_report(_db, lao_id, period)
    return services.report_files(_db, lao_id, report, _dt.date.fromisoformat(today), formats, draft=draft)


def _prerender(lao_id: int, period: int, formats: tuple[str, ...], today: str, forums: tuple[int, ...]) -> int:
    """Render a draft report form, and the minutes of ``forums``, into the render cache
    (nothing comes back but the worker's niceness)."""
    from formsvc import prerender

    _report(lao_id, period, formats, True, today)
    prerender.minutes(_db, lao_id, forums, formats)
    return os.nice(0)


def render_document(kind: str, context: dict, fmt: str, draft: bool) -> tuple[bytes, str]:
    """(bytes, "host:pid") of one document rendered from its context, without the
    database or the render cache: what a render worker of the task queue
    (formsvc/tasks.py) or of this pool does; the caller keeps the cache."""
    import socket

    from formsvc.documents import engine

    return engine.render(kind, context, fmt, draft=draft), f"{socket.gethostname()}:{os.getpid()}"


def _order(lao_id: int, facts: dict) -> dict[str, bytes]:
    from formsvc import services

    return services.order_renderer(_db, lao_id)(facts)


class RenderPool:
    """``with RenderPool(db_path) as pool: pool.report(...).result()``; ``nice`` lowers the
    workers' priority (os.nice) for background work."""

    def __init__(self, db_path: str, workers: int | None = None, nice: int = 0):
        context = multiprocessing.get_context("forkserver")
        context.set_forkserver_preload(["formsvc.services", "formsvc.documents.engine"])
        self.workers = workers or cores()
        self.executor = ProcessPoolExecutor(
            self.workers, mp_context=context, initializer=_start, initargs=(str(db_path), nice)
        )

    def report(self, lao_id: int, period: int, formats: tuple[str, ...], *, draft: bool, today: _dt.date) -> Future:
        """(snapshot, {format: bytes}) of the report form as the database holds it now."""
        return self.executor.submit(_report, lao_id, period, tuple(formats), draft, today.isoformat())

    def prerender(
        self, lao_id: int, period: int, formats: tuple[str, ...], *, today: _dt.date, forums: tuple[int, ...] = ()
    ) -> Future:
        """The draft report form, and the minutes of ``forums``, rendered into the
        render cache; the result is the worker's niceness."""
        return self.executor.submit(_prerender, lao_id, period, tuple(formats), today.isoformat(), tuple(forums))

    def render(self, kind: str, context: dict, fmt: str, draft: bool) -> Future:
        """(bytes, "host:pid") of a document rendered from its context (render_document)."""
        return self.executor.submit(render_document, kind, context, fmt, draft)

    def order(self, lao_id: int, facts: dict) -> Future:
        """{"docx", "pdf"} of an order with these facts."""
        return self.executor.submit(_order, lao_id, facts)

    def close(self, cancel: bool = False) -> None:
        self.executor.shutdown(wait=True, cancel_futures=cancel)

    def __enter__(self):
        return self

    def __exit__(self, kind, value, traceback):
        self.close(cancel=kind is not None)
