"""gunicorn settings of `formsvc serve`: each worker warms the document engine
(``formsvc.documents.engine.warm``: fonts, stylesheet, templates, a throw-away render)
right after it is forked and before it accepts a request, so nobody's first download
pays for a cold worker. Warming happens per worker, not in the master before forking:
WeasyPrint keeps a temporary font folder and Pango state per process."""

from __future__ import annotations

import logging

# Threads in each worker (gunicorn's gthread worker; the number of worker processes is
# `formsvc serve --workers`, by default 2 x cores + 1). Measured with `make load` (50
# users, docs/load.md), alternating runs on the same machine: 5 sync workers 12.0 ms of
# server CPU per request, p95 of HTML 1.45 s; 5 workers x 4 threads 9.6 ms, 0.52 s, at
# twice the requests/s. A thread waiting for the disk (a save's fsync) or rendering a
# PDF no longer holds a whole worker, and a browser keeps its connection between
# requests instead of opening one per request, which sync workers cannot do. With
# threads, gunicorn's 30 s timeout restarts a worker that stops answering, no longer a
# worker busy with one long request: costly input is refused by its own limits first
# (the report form's, the XLSX and SVG guards; docs/load.md, the hostile requests).
worker_class = "gthread"
threads = 4
# How long an idle kept-alive connection stays open. gunicorn's 2 s closed connections
# just as people clicked again after a short read (the load test's think time): their
# next request met a closed socket ("connection reset", 8 in one run). A browser keeps
# its connection for longer, so the server does too; idle connections cost no thread.
keepalive = 30


def post_fork(server, worker) -> None:
    import formsvc.services  # noqa: F401 (registers the document kinds, whose templates are warmed)
    from formsvc.documents import engine

    try:
        times = engine.warm()
    except Exception:  # a worker that cannot warm still serves (and renders cold)
        logging.getLogger("formsvc").exception("warming the document engine failed")
        return
    # What warming left, and everything loaded before it, is collected once and then left
    # out of the cycle collector's walks (gc.freeze). Else the first requests pay for the
    # first full collection of a heap grown by the warm-up: 60-90 ms more on the first PDF
    # (make bench: first/warm 1.6-2.2x before, 1.1-1.2x after; render_pool does the same)
    import gc

    gc.collect()
    gc.freeze()
    server.log.info(
        "worker %s warm in %.2f s (%s)",
        worker.pid,
        sum(times.values()),
        ", ".join(f"{k} {v:.2f}" for k, v in times.items()),
    )
