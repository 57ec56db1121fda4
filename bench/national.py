"""National-scale benchmarks: the 878-LAO data set, the period ZIP of 878 report PDFs,
and the national roll-up (page and JSON).

The data set (`formsvc demo-national`) takes minutes to build, because every order and
every frozen report version in it is a real rendered document; it is kept under
bench/.cache/ keyed by the code that makes it and the schema, and rebuilt when either
changes (or with --rebuild).
"""

from __future__ import annotations

import hashlib
import os
import shutil
import statistics
import subprocess
import sys
import threading
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
CACHE = ROOT / "bench" / ".cache"
CORES = len(os.sched_getaffinity(0)) if hasattr(os, "sched_getaffinity") else os.cpu_count() or 1


def _key(districts: int | None = None) -> str:
    from formsvc.store.migrations import latest_version

    source = (ROOT / "formsvc" / "demo_national.py").read_bytes()
    return hashlib.sha256(source + str(latest_version()).encode()).hexdigest()[:12] + (
        f"-{districts}" if districts else ""
    )


def dataset(rebuild: bool = False, districts: int | None = None) -> tuple[Path, dict | None]:
    """The cached national database (built when missing); and the build's figures.
    ``districts`` builds a smaller one (a quick check of the whole benchmark)."""
    CACHE.mkdir(parents=True, exist_ok=True)
    path = CACHE / f"national-{_key(districts)}.db"
    if path.exists() and not rebuild:
        return path, None
    for old in CACHE.glob(f"national-*{'-' + str(districts) if districts else ''}.db*"):
        if districts or old.stem.count("-") == 1:
            old.unlink()
    tmp = path.with_suffix(".building.db")
    for stale in tmp.parent.glob(tmp.name + "*"):
        stale.unlink()
    env = {**os.environ, "FORMSVC_DB": str(tmp)}
    started = time.perf_counter()
    command = [sys.executable, "-m", "formsvc", "demo-national"] + (
        ["--districts", str(districts)] if districts else []
    )
    proc = subprocess.Popen(command, env=env, stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True)
    tree = TreeMemory(proc.pid)  # the command and its render pool's processes
    tree.start()
    stdout, stderr = proc.communicate()
    wall = time.perf_counter() - started
    tree.done.set()
    tree.join()
    if proc.returncode:
        raise RuntimeError(f"demo-national failed: {stderr[-2000:]}")
    figures = {
        "wall_s": round(wall, 1),
        # CPU of the whole process tree: on a shared machine the wall time also counts
        # the others' work; CPU / cores is what idle cores would need at best
        "cpu_s": round(tree.cpu_s, 1),
        "districts": districts or "all",
        **_last_json(stdout),
    }
    subprocess.run(
        [
            sys.executable,
            "-c",
            "import sqlite3,sys; c=sqlite3.connect(sys.argv[1]);"
            " c.execute('PRAGMA wal_checkpoint(TRUNCATE)'); c.close()",
            str(tmp),
        ],
        check=True,
    )
    os.replace(tmp, path)
    for extra in tmp.parent.glob(tmp.name + "-*"):
        extra.unlink()
    return path, figures


def _last_json(text: str) -> dict:
    import json

    for line in reversed(text.strip().splitlines()):
        if line.startswith("{"):
            return json.loads(line)
    return {}


class TreeMemory(threading.Thread):
    """Samples the resident memory of a process and its descendants (Linux /proc):
    the peak of any one process and the peak of their sum."""

    def __init__(self, pid: int, every: float = 0.1):
        super().__init__(daemon=True)
        self.pid, self.every = pid, every
        self.peak_process_mb = self.peak_total_mb = 0.0
        self.cpu_ticks: dict[int, int] = {}  # by process: user + system clock ticks, last seen
        self.done = threading.Event()

    def _tree(self) -> list[int]:
        pids, todo = [], [self.pid]
        while todo:
            pid = todo.pop()
            pids.append(pid)
            try:
                for task in os.listdir(f"/proc/{pid}/task"):
                    with open(f"/proc/{pid}/task/{task}/children") as fh:
                        todo.extend(int(p) for p in fh.read().split())
            except OSError:
                pass
        return pids

    @staticmethod
    def _rss_mb(pid: int) -> float:
        try:
            with open(f"/proc/{pid}/status") as fh:
                for line in fh:
                    if line.startswith("VmRSS:"):
                        return int(line.split()[1]) / 1024
        except OSError:
            pass
        return 0.0

    @staticmethod
    def _ticks(pid: int) -> int:
        try:
            with open(f"/proc/{pid}/stat") as fh:
                fields = fh.read().rsplit(")", 1)[1].split()
            return int(fields[11]) + int(fields[12])  # utime, stime
        except (OSError, IndexError, ValueError):
            return 0

    @property
    def cpu_s(self) -> float:
        """CPU seconds of the whole tree (a process is counted as last sampled)."""
        return sum(self.cpu_ticks.values()) / os.sysconf("SC_CLK_TCK")

    def run(self):
        while not self.done.wait(self.every):
            pids = self._tree()
            for pid in pids:
                self.cpu_ticks[pid] = max(self.cpu_ticks.get(pid, 0), self._ticks(pid))
            sizes = [self._rss_mb(pid) for pid in pids]
            if sizes:
                self.peak_process_mb = max(self.peak_process_mb, max(sizes))
                self.peak_total_mb = max(self.peak_total_mb, sum(sizes))


def export(db_path: Path, period: int, workers: int | None = None) -> dict:
    """`formsvc export-reports` of the whole country for a period, as a user would run it."""
    out = db_path.parent / "bench-export.zip"
    cmd = [
        sys.executable,
        "-m",
        "formsvc",
        "export-reports",
        "--period",
        str(period),
        "--format",
        "pdf",
        "--out",
        str(out),
    ] + (["--workers", str(workers)] if workers else [])
    started = time.perf_counter()
    proc = subprocess.Popen(
        cmd,
        env={**os.environ, "FORMSVC_DB": str(db_path)},
        stdout=subprocess.PIPE,
        stderr=subprocess.DEVNULL,
        text=True,
    )
    memory = TreeMemory(proc.pid)
    memory.start()
    stdout, _ = proc.communicate()
    wall = time.perf_counter() - started
    memory.done.set()
    memory.join()
    # CPU of the export and of its worker processes: on a shared machine the wall time
    # also counts the others' work; the CPU seconds over the cores do not
    cpu = memory.cpu_s
    if proc.returncode:
        raise RuntimeError(f"export-reports failed: {stdout}")
    import zipfile

    with zipfile.ZipFile(out) as archive:
        pdfs = sum(1 for n in archive.namelist() if n.endswith(".pdf"))
        rendered = sum(1 for n in archive.namelist() if n.endswith(".pdf") and "(" in n.rsplit("/", 1)[-1])
        size = out.stat().st_size
    out.unlink()
    return {
        "wall_s": round(wall, 1),
        "pdfs": pdfs,
        "rendered_now": rendered,
        "docs_per_s": round(pdfs / wall, 1),
        "cpu_s": round(cpu, 1),
        "cpu_ms_per_pdf": round(cpu * 1000 / max(pdfs, 1)),
        # what the cores would do with the machine to themselves
        "cpu_docs_per_s": round(pdfs / max(cpu / CORES, 0.001), 1),
        "cpu_wall_s": round(cpu / CORES, 1),
        "zip_mb": round(size / 1e6, 1),
        "peak_process_mb": round(memory.peak_process_mb),
        "peak_total_mb": round(memory.peak_total_mb),
        "workers": workers or "cores",
    }


def zip_targets(db_path: Path, period: int, workers: int | None = None) -> dict:
    """The period's national ZIP of report PDFs from a cold render cache, then after the
    background pre-render (formsvc/prerender.py) ran, on a copy of the data set:
    {"cold": export(), "prerender": run()'s counts and wall time, "prerendered": export()}."""
    folder = db_path.parent / "bench-zip"  # its own render cache beside the copy
    shutil.rmtree(folder, ignore_errors=True)
    folder.mkdir()
    work = folder / "formsvc.db"
    shutil.copy(db_path, work)
    cache = folder / "render-cache"
    env = {**os.environ, "FORMSVC_DB": str(work)}
    subprocess.run([sys.executable, "-m", "formsvc", "init-db"], env=env, capture_output=True, check=True)
    try:
        shutil.rmtree(cache, ignore_errors=True)
        cold = export(work, period, workers)
        shutil.rmtree(cache, ignore_errors=True)
        started = time.perf_counter()
        proc = subprocess.Popen(
            [sys.executable, "-m", "formsvc.prerender", "--quiet", "0"]
            + (["--workers", str(workers)] if workers else []),
            env=env,
            stdout=subprocess.PIPE,
            text=True,
        )
        tree = TreeMemory(proc.pid)
        tree.start()
        stdout, _ = proc.communicate()
        tree.done.set()
        tree.join()
        if proc.returncode:
            raise RuntimeError(f"prerender failed: {stdout}")
        prerender = {
            "wall_s": round(time.perf_counter() - started, 1),
            "cpu_s": round(tree.cpu_s, 1),
            **_last_json(stdout),
        }
        prerendered = export(work, period, workers)
    finally:
        shutil.rmtree(folder, ignore_errors=True)
    return {"cold": cold, "prerender": prerender, "prerendered": prerendered}


def rollup(db_path: Path, runs: int) -> dict:
    """The national roll-up: the service call warm and cold (cache emptied), the
    /national page and the JSON API, each in a warm process."""
    from formsvc import create_app, services
    from formsvc.store import connect

    work = db_path.parent / "bench-rollup.db"
    shutil.copy(db_path, work)
    db = connect(work)
    db.execute("DELETE FROM compliance_cache")
    started = time.perf_counter()
    result = services.rollup(db)
    cold = (time.perf_counter() - started) * 1000

    def timed(fn) -> dict:
        fn()
        samples = []
        for _ in range(runs):
            t = time.perf_counter()
            fn()
            samples.append((time.perf_counter() - t) * 1000)
        samples.sort()
        return {
            "median_ms": round(statistics.median(samples), 1),
            "p95_ms": round(samples[min(len(samples) - 1, round(0.95 * len(samples)) - 1)], 1),
            "runs": runs,
        }

    queries = 0

    def count(_statement):
        nonlocal queries
        queries += 1

    db.conn.set_trace_callback(count)
    services.rollup(db)
    db.conn.set_trace_callback(None)
    rows = {"service (warm)": timed(lambda: services.rollup(db))}
    app = create_app({"DATABASE": str(work), "SECRET_KEY": "bench", "TESTING": True, "WTF_CSRF_ENABLED": False})
    client = app.test_client()
    password = "speed-check-of-the-rollup-2569"
    from formsvc.store import users

    if not db.execute("SELECT 1 FROM user WHERE username = 'bench-national'").fetchone():
        users.create_user(db, "bench-national", password, "national")
    assert client.post("/login", data={"username": "bench-national", "password": password}).status_code == 302

    def get(url):
        response = client.get(url)
        assert response.status_code == 200, (url, response.status_code)

    rows["/national page"] = timed(lambda: get("/national"))
    rows["/api/v1/rollup JSON"] = timed(lambda: get("/api/v1/rollup"))
    db.close()
    for path in work.parent.glob(work.name + "*"):
        path.unlink()
    return {
        "laos": result["selected"],
        "kpi_percent": result["kpi_percent"],
        "cold_ms": round(cold),
        "queries_warm": queries,
        "rows": rows,
    }
