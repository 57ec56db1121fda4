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


def _start(db_path: str) -> None:
    global _db
    from formsvc.documents import engine
    from formsvc.store import connect

    _db = connect(db_path)
    engine.engine()  # fonts, stylesheet and templates, once per worker


def _report(lao_id: int, period: int, formats: tuple[str, ...], draft: bool, today: str):
    from formsvc import services
    from formsvc.store import reports as report_store

    report = report_store.get_report(_db, lao_id, period)
    return services.report_files(_db, lao_id, report, _dt.date.fromisoformat(today), formats, draft=draft)


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
    """``with RenderPool(db_path) as pool: pool.report(...).result()``"""

    def __init__(self, db_path: str, workers: int | None = None):
        context = multiprocessing.get_context("forkserver")
        context.set_forkserver_preload(["formsvc.services", "formsvc.documents.engine"])
        self.workers = workers or cores()
        self.executor = ProcessPoolExecutor(
            self.workers, mp_context=context, initializer=_start, initargs=(str(db_path),)
        )

    def report(self, lao_id: int, period: int, formats: tuple[str, ...], *, draft: bool, today: _dt.date) -> Future:
        """(snapshot, {format: bytes}) of the report form as the database holds it now."""
        return self.executor.submit(_report, lao_id, period, tuple(formats), draft, today.isoformat())

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
