"""The task queue (huey): background export jobs, their renders, and periodic chores.

Two queues, so that a job waiting for its renders never holds the worker that would
render them:

- **jobs** (``formsvc worker --jobs``, on the machine that has the database; `formsvc
  serve` starts it): runs export jobs, at most ``job_store.MAX_RUNNING`` at once (one
  thread each; claiming a job checks the limit again in the database), and every
  minute the chores (exports.chores: orphaned jobs failed, old ZIPs expired, deleted
  records purged, mail sent), a look for jobs left queued, and the pre-render of the
  report forms whose data changed (formsvc/prerender.py, :func:`prerender_now`). Always a SQLite file
  beside the database (``queue.db``): it is about this database only.
- **renders** (``formsvc worker``, one process per core; `formsvc serve` starts one):
  renders one document from its context (kind, context, format, draft) and returns
  its bytes: no database, no files. An export job gathers each report's context on
  the database's machine (cheap: ~6 % of a render), sends the render, writes the ZIP
  and keeps the render cache. With ``FORMSVC_QUEUE=redis://host:6379/0`` the renders
  go through that Redis server, and ``formsvc worker`` on other machines adds render
  capacity; without it they share ``queue.db``.

``queue.db`` holds only work in flight: it is not backed up, and deleting it while
the service is stopped loses nothing a user sees (a job it held fails after 10
minutes as not taken, or the next minute's look starts it again). The export_job table
is the record users see; the queue only carries work.

``FORMSVC_QUEUE=memory`` runs every task at once in the caller (tests).
"""

from __future__ import annotations

import logging
import os
import sys
import threading
import time
from pathlib import Path

from huey import Huey, RedisHuey, SqliteHuey, crontab
from huey.consumer import Consumer, ConsumerStopped
from huey.utils import time_clock

from formsvc import config, exports, render_pool
from formsvc.store import exports as job_store
from formsvc.store.db import connect
from formsvc.store.files import open_private

QUEUE_ENV = "FORMSVC_QUEUE"
RENDER_TIMEOUT = 600  # seconds a job waits for one document before it fails (no render worker)

log = logging.getLogger("formsvc.tasks")


def queue_setting() -> str:
    return os.environ.get(QUEUE_ENV, "").strip()


def queue_file(db_path: str) -> Path:
    """The SQLite queue beside the database."""
    return Path(db_path).resolve().parent / "queue.db"


def _sqlite(name: str, db_path: str) -> SqliteHuey:
    path = queue_file(db_path)
    if not path.exists():
        path.parent.mkdir(parents=True, exist_ok=True)
        open_private(path, "ab").close()  # private from its first byte, like the database
    return SqliteHuey(name, filename=str(path), timeout=30)


class Queues:
    """The two huey instances of one database, with their tasks."""

    def __init__(self, db_path: str, setting: str):
        self.db_path = db_path
        if setting == "memory":
            self.jobs: Huey = Huey("formsvc-jobs", immediate=True)
            self.renders: Huey = Huey("formsvc-renders", immediate=True)
        elif setting.startswith(("redis://", "rediss://", "unix://")):
            self.jobs = _sqlite("formsvc-jobs", db_path)
            self.renders = RedisHuey("formsvc-renders", url=setting)
        elif setting == "":
            self.jobs = _sqlite("formsvc-jobs", db_path)
            self.renders = _sqlite("formsvc-renders", db_path)
        else:
            raise RuntimeError(f"{QUEUE_ENV} must be a redis:// address (or unset for the queue beside the database)")

        self.render = self.renders.task(name="render")(render_pool.render_document)

        @self.jobs.task(name="run_exports")
        def run_exports():
            return exports.run_queued(self.db_path, QueueRenderer(self))

        self.run_exports = run_exports

        @self.jobs.periodic_task(crontab(minute="*"), name="chores")
        def chores():
            exports.chores(self.db_path)
            db = connect(self.db_path)
            try:
                waiting = job_store.oldest_queued_at(db) is not None
            finally:
                db.close()
            if waiting:
                run_exports()  # jobs left queued (a restart, a lost queue file): taken now

        self.chores = chores

        @self.jobs.periodic_task(crontab(minute="*"), name="prerender")
        def prerender_forms():
            return prerender_now(self.db_path)

        self.prerender_forms = prerender_forms

        @self.renders.on_startup()
        def warm():
            from formsvc.documents import engine

            times = engine.warm()
            log.info("render worker %s ready (warm in %.2f s)", os.getpid(), sum(times.values()))


def prerender_now(db_path: str) -> dict | None:
    """The jobs worker's minute: the open period's report forms whose data changed and
    has been quiet since are rendered into the render cache at low priority
    (formsvc/prerender.py), so the period's ZIP and downloads find them there. Not when
    the render cache is off (nothing would keep them), and never two runs at once (a
    run after midnight, when every form is due again, can take minutes: the next
    minute's run returns at once). Returns the run's counts, or None when none ran."""
    from formsvc import prerender
    from formsvc.documents import render_cache
    from formsvc.store.db import render_cache_folder

    db = connect(db_path)
    try:
        if render_cache.for_folder(render_cache_folder(db)) is None:
            return None
    finally:
        db.close()
    if not _prerender_lock.acquire(blocking=False):
        return None
    try:
        result = prerender.run(db_path)
    finally:
        _prerender_lock.release()
    if result["rendered"] or result["failed"]:
        log.info("pre-rendered %(rendered)s report forms of period %(period)s (%(failed)s failed)", result)
    return result


_prerender_lock = threading.Lock()  # the jobs worker's threads: one pre-render at a time
_queues: dict[tuple[str, str], Queues] = {}


def queues(db_path: str | None = None) -> Queues:
    """The queues of the database at ``db_path`` (default $FORMSVC_DB), one per process."""
    db_path = str(Path(db_path or config.database_path()).resolve())
    key = (db_path, queue_setting())
    if key not in _queues:
        _queues[key] = Queues(*key)
    return _queues[key]


def enqueue_exports(db_path: str) -> None:
    """Ask the jobs worker to take the queued export jobs."""
    queues(db_path).run_exports()


class QueueRenderer:
    """Renders through the render queue (exports.write_zip's ``renderer``)."""

    def __init__(self, q: Queues):
        self.q = q

    def submit(self, kind: str, context: dict, fmt: str, draft: bool):
        return _Pending(self.q.render(kind, context, fmt, draft))

    def close(self, cancel: bool = False) -> None:
        pass


class _Pending:
    def __init__(self, result):
        self.handle = result

    def result(self) -> tuple[bytes, str]:
        return self.handle.get(blocking=True, timeout=RENDER_TIMEOUT, max_delay=0.1)

    def cancel(self) -> None:
        self.handle.revoke()


class _Consumer(Consumer):
    """huey's consumer, with its main loop waiting in time.sleep instead of a timed
    Event.wait (libfaketime, which `make test` runs the suite under, never wakes a timed
    wait on a threading primitive), and stopping when the process that started it
    (``formsvc serve``, FORMSVC_PARENT_PID) is gone."""

    parent: int | None = None

    def loop(self, health_check_ts=None):
        time.sleep(self._stop_flag_timeout)
        if self.parent is not None and os.getppid() != self.parent:
            self._logger.info("formsvc serve is gone: stopping")
            self.stop(graceful=False)
        elif self._received_signal:
            self.stop(graceful=self._graceful)
        if self.stop_flag.is_set():
            raise ConsumerStopped
        if self._health_check and health_check_ts:
            now = time_clock()
            if now >= health_check_ts + self._health_check_interval:
                health_check_ts = now
                self.check_worker_health()
        return health_check_ts


def run_consumer(jobs: bool = False, workers: int | None = None, db_path: str | None = None) -> None:
    """Run a worker until it is stopped (SIGTERM: at once; SIGINT: after the tasks in
    hand): the jobs queue with MAX_RUNNING threads and the periodic chores, or the
    render queue with ``workers`` processes (default: one per core)."""
    logging.basicConfig(
        level=logging.INFO, stream=sys.stderr, format="[%(asctime)s] %(levelname)s %(name)s %(process)d: %(message)s"
    )
    logging.getLogger("weasyprint").setLevel(logging.WARNING)  # not its every layout step
    q = queues(db_path)
    # an idle worker looks at the SQLite queue at least once a second (huey's default
    # backs off to 10 s: a first export after a quiet hour would wait for it)
    polling = {"initial_delay": 0.05, "max_delay": 1.0}
    if jobs:
        # a thread per running export, and one for the minute's chores and pre-render
        workers = job_store.MAX_RUNNING + 1
        consumer = _Consumer(q.jobs, workers=workers, worker_type="thread", periodic=True, **polling)
    else:
        count = workers or render_pool.cores()
        consumer = _Consumer(q.renders, workers=count, worker_type="process", periodic=False, **polling)
    parent = os.environ.get("FORMSVC_PARENT_PID")
    if parent and parent.isdigit():
        consumer.parent = int(parent)
    consumer.run()
