"""gunicorn settings of `formsvc serve`: each worker warms the document engine
(``formsvc.documents.engine.warm``: fonts, stylesheet, templates, a throw-away render)
right after it is forked and before it accepts a request, so nobody's first download
pays for a cold worker. Warming happens per worker, not in the master before forking:
WeasyPrint keeps a temporary font folder and Pango state per process."""

from __future__ import annotations

import logging


def post_fork(server, worker) -> None:
    import formsvc.services  # noqa: F401 (registers the document kinds, whose templates are warmed)
    from formsvc.documents import engine

    try:
        times = engine.warm()
    except Exception:  # a worker that cannot warm still serves (and renders cold)
        logging.getLogger("formsvc").exception("warming the document engine failed")
        return
    server.log.info(
        "worker %s warm in %.2f s (%s)",
        worker.pid,
        sum(times.values()),
        ", ".join(f"{k} {v:.2f}" for k, v in times.items()),
    )
