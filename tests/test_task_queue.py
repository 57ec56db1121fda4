"""The task queue with real worker processes (formsvc/tasks.py): a Redis server and two
render workers in separate processes, as on two machines; the embedded SQLite queue
with the jobs worker and a render worker, as `formsvc serve` starts them.

Every process a test starts is stopped in its finally; waits are polls with a
deadline (a hang fails the test instead of blocking the suite), never timed assertions.
"""

from __future__ import annotations

import io
import os
import shutil
import signal
import socket
import subprocess
import sys
import time
import zipfile
from pathlib import Path

import pytest

from formsvc import exports, tasks
from formsvc.store import exports as job_store
from formsvc.store import reports as report_store
from tests.docs import flat, pdf_text

SOURCE = Path(__file__).resolve().parent.parent
DEADLINE = 300  # seconds before a wait gives up (a hang, not a slow machine)


def _free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


def _wait_for(what, check, procs=()):
    deadline = time.monotonic() + DEADLINE
    while not check():
        for proc in procs:
            if proc.poll() is not None:
                pytest.fail(f"a process ended ({proc.args}: {proc.returncode}) while waiting for {what}")
        if time.monotonic() > deadline:
            pytest.fail(f"gave up waiting for {what}")
        time.sleep(0.2)


def _stop(procs) -> None:
    for proc in procs:
        if proc.poll() is None:
            proc.send_signal(signal.SIGTERM)
    for proc in procs:
        try:
            proc.wait(timeout=15)
        except subprocess.TimeoutExpired:
            proc.kill()
            proc.wait()


def _env(db_path, queue: str | None) -> dict:
    env = {k: v for k, v in os.environ.items() if k != "FORMSVC_QUEUE"}
    env["PYTHONPATH"] = str(SOURCE)
    env["FORMSVC_DB"] = str(db_path)
    if queue:
        env["FORMSVC_QUEUE"] = queue
    return env


def _worker(args, env, log: Path) -> subprocess.Popen:
    with open(log, "wb") as out:
        return subprocess.Popen(
            [sys.executable, "-m", "formsvc", "worker", *args],
            env=env,
            stdin=subprocess.DEVNULL,
            stdout=out,
            stderr=subprocess.STDOUT,
            start_new_session=True,  # a signal to the test's terminal is not theirs
        )


def _ready(log: Path) -> bool:
    return log.exists() and "ready (warm in" in log.read_text(errors="replace")


@pytest.fixture
def redis_url(tmp_path):
    server = shutil.which("redis-server")
    if server is None:
        pytest.fail("redis-server is missing: scripts/system-deps.sh test installs it (Debian redis-server)")
    port = _free_port()
    folder = tmp_path / "redis"
    folder.mkdir()
    proc = subprocess.Popen(
        [server, "--port", str(port), "--bind", "127.0.0.1", "--dir", str(folder), "--save", "", "--appendonly", "no"],
        stdout=subprocess.DEVNULL,
        stderr=subprocess.DEVNULL,
        start_new_session=True,
        # a server of its own, on the machine's clock: libfaketime (make test) stalls its event loop
        env={k: v for k, v in os.environ.items() if k != "LD_PRELOAD" and not k.startswith("FAKETIME")},
    )
    try:
        import redis

        client = redis.Redis(port=port)

        def answers() -> bool:
            try:
                return bool(client.ping())
            except redis.ConnectionError:
                return False

        _wait_for("redis-server", answers, [proc])
        yield f"redis://127.0.0.1:{port}/0"
    finally:
        _stop([proc])


def test_two_worker_processes_render_a_zip_through_redis(db, db_path, tmp_path, redis_url, monkeypatch):
    env = _env(db_path, redis_url)
    logs = [tmp_path / "worker-a.log", tmp_path / "worker-b.log"]
    workers = []
    try:
        workers = [_worker(["--workers", "1"], env, log) for log in logs]
        _wait_for("two render workers", lambda: all(_ready(log) for log in logs), workers)
        monkeypatch.setenv("FORMSVC_QUEUE", redis_url)
        renderer = tasks.QueueRenderer(tasks.queues(str(db_path)))
        period, today, live = _most_drafts(db)
        out = tmp_path / "r.zip"
        result = exports.write_zip(db, period, "37", ("pdf", "docx"), out, today=today, renderer=renderer)
    finally:
        _stop(workers)
    # both processes rendered, none of it here
    assert len(result["rendered_by"]) == 2, result["rendered_by"]
    assert sum(result["rendered_by"].values()) == 2 * len(live)
    assert not any(who.endswith(f":{os.getpid()}") for who in result["rendered_by"])
    archive = zipfile.ZipFile(io.BytesIO(out.read_bytes()))
    pdfs = [n for n in archive.namelist() if n.endswith(".pdf")]
    assert len(pdfs) == 4
    name = live[-1].lao_name
    (drafted,) = [n for n in pdfs if f"/{name} (" in n]
    text = flat(pdf_text(archive.read(drafted)))
    assert flat(name) in text and flat("ร่าง – ไม่ใช่ฉบับที่ส่งอำเภอ") in text
    manifest = next(n for n in archive.namelist() if n.endswith(exports.MANIFEST))
    rows = archive.read(manifest).decode("utf-8-sig").splitlines()
    assert len(rows) == 1 + 8 and sum("ร่างตามข้อมูล" in row for row in rows) == 2 * len(live)


def _most_drafts(db):
    """The period (and a day in it, when it is open) with the most reports to render."""
    best = None
    for period in report_store.programme_periods(db):
        live = [i for i in exports.items(db, period.number, "37", period.start) if i.source == "live"]
        if best is None or len(live) > len(best[2]):
            best = (period.number, period.start, live)
    assert len(best[2]) >= 2, "the demo has no period with two drafts to render"
    return best


def test_the_embedded_queue_runs_a_job_with_the_jobs_and_render_workers(db, db_path, tmp_path, monkeypatch):
    """What `formsvc serve` starts: the jobs worker and a render worker on queue.db."""
    monkeypatch.delenv("FORMSVC_QUEUE")
    env = _env(db_path, None)
    year = db.execute("SELECT max(year_be) FROM programme").fetchone()[0]
    user = db.execute("SELECT id FROM user WHERE username = 'province'").fetchone()[0]
    workers = []
    try:
        workers = [
            _worker(["--jobs"], env, tmp_path / "jobs.log"),
            _worker(["--workers", "1"], env, tmp_path / "renders.log"),
        ]
        # today's period with the most drafts (the job renders as of today)
        live = {
            p.number: sum(1 for i in exports.items(db, p.number, "37") if i.source == "live")
            for p in report_store.programme_periods(db)
        }
        period = max(live, key=live.get)
        assert live[period] >= 1, "no period has a draft to render today"
        expected = sum(1 for i in exports.items(db, period, "37") if i.source)
        job_id, _ = job_store.create(db, user, year, period, "37", "pdf,docx")
        tasks.enqueue_exports(str(db_path))
        _wait_for("the job", lambda: job_store.get(db, job_id)["finished"], workers)
    finally:
        _stop(workers)
    assert tasks.queue_file(str(db_path)).is_file()
    job = job_store.get(db, job_id)
    assert job["status"] == "done" and job["done"] == job["total"] == 2 * expected, job
    archive = zipfile.ZipFile(exports.job_file(str(db_path), job_id))
    docxs = [n for n in archive.namelist() if n.endswith(".docx")]
    assert len(docxs) == expected
    # the drafts were rendered by the render worker (the jobs worker only gathers and writes)
    log = (tmp_path / "renders.log").read_text(errors="replace")
    assert log.count("Executing formsvc.render_pool.render") == 2 * live[period], log[-3000:]
    assert "Executing formsvc.render_pool.render" not in (tmp_path / "jobs.log").read_text(errors="replace")
