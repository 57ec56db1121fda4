"""The national ZIP of report PDFs through the task queue, with N render worker
processes (docs/capacity.md, "Task queue and worker processes").

    FORMSVC_DB=/tmp/q.db python -m bench.queue_zip --workers 1 2 [--inline]

For each N: starts `formsvc worker --workers N` on the queue of $FORMSVC_QUEUE (default:
queue.db beside the database), waits until its N processes are warm, then makes the
ZIP of the period with the most drafts (every one rendered: the render cache is off)
and prints the seconds and PDFs per second; `--inline` first renders in this process
alone, without the queue (the per-process figure the queue is compared with).
"""

from __future__ import annotations

import argparse
import json
import os
import resource
import subprocess
import sys
import tempfile
import time
from pathlib import Path


def _period(db):
    from formsvc import exports
    from formsvc.store import reports as report_store

    best = None
    for period in report_store.programme_periods(db):
        live = sum(1 for i in exports.items(db, period.number, None, period.start) if i.source == "live")
        if best is None or live > best[2]:
            best = (period.number, period.start, live)
    return best


def _cpu(who) -> float:
    usage = resource.getrusage(who)
    return usage.ru_utime + usage.ru_stime


def _zip(db, period, today, renderer, out: Path) -> dict:
    """Seconds, PDFs per second, and the CPU seconds per PDF of this process (for the
    queue: gathering contexts and writing the ZIP, the part that stays on the
    database's machine)."""
    from formsvc import exports

    start, cpu = time.perf_counter(), _cpu(resource.RUSAGE_SELF)
    result = exports.write_zip(db, period, None, ("pdf",), out, today=today, renderer=renderer)
    seconds = time.perf_counter() - start
    rendered = sum(result["rendered_by"].values())
    return {
        "seconds": round(seconds, 1),
        "pdfs": rendered,
        "pdfs_per_s": round(rendered / seconds, 2),
        "processes": len(result["rendered_by"]),
        "here_cpu_s_per_pdf": round((_cpu(resource.RUSAGE_SELF) - cpu) / rendered, 3),
    }


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("--workers", type=int, nargs="+", default=[1, 2])
    parser.add_argument("--inline", action="store_true")
    args = parser.parse_args()
    os.environ["FORMSVC_RENDER_CACHE_MB"] = "0"  # every draft rendered, here and in the workers
    from formsvc import config, exports, tasks
    from formsvc.store import connect

    db_path = config.database_path()
    db = connect(db_path)
    period, today, live = _period(db)
    print(f"period {period}: {live} drafts to render", file=sys.stderr)
    results = {}
    with tempfile.TemporaryDirectory() as tmp:
        if args.inline:
            results["inline"] = _zip(db, period, today, exports.InlineRenderer(), Path(tmp) / "inline.zip")
            print("inline", results["inline"], file=sys.stderr)
        for count in args.workers:
            log = Path(tmp) / f"worker-{count}.log"
            children = _cpu(resource.RUSAGE_CHILDREN)
            with open(log, "wb") as out:
                proc = subprocess.Popen(
                    [sys.executable, "-m", "formsvc", "worker", "--workers", str(count)],
                    stdout=out,
                    stderr=subprocess.STDOUT,
                    stdin=subprocess.DEVNULL,
                )
            try:
                while log.read_text(errors="replace").count("ready (warm in") < count:
                    if proc.poll() is not None:
                        sys.exit(log.read_text(errors="replace"))
                    time.sleep(0.5)
                renderer = tasks.QueueRenderer(tasks.queues(db_path))
                results[f"{count} worker processes"] = _zip(db, period, today, renderer, Path(tmp) / f"{count}.zip")
                print(count, results[f"{count} worker processes"], file=sys.stderr)
            finally:
                proc.terminate()
                try:
                    proc.wait(timeout=30)
                except subprocess.TimeoutExpired:
                    proc.kill()
                    proc.wait()
            # the worker processes' CPU (their warm-up included), known once they have ended
            result = results.get(f"{count} worker processes")
            if result:
                result["workers_cpu_s_per_pdf"] = round((_cpu(resource.RUSAGE_CHILDREN) - children) / result["pdfs"], 3)
    print(json.dumps({"period": period, "drafts": live, "results": results}, ensure_ascii=False))


if __name__ == "__main__":
    main()
