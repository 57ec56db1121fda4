"""A gunicorn worker warms the document engine before it serves (formsvc/gunicorn_conf.py):
every kind's templates are read and compiled and a throw-away PDF is rendered, so a
user's first download does not pay for them. tests/test_wheel.py checks that `formsvc
serve` runs it; the figures are `make bench`'s."""

from __future__ import annotations

from formsvc import services  # noqa: F401 (registers the kinds)
from formsvc.documents import engine
from formsvc.documents.kinds import KINDS


def test_warming_reads_every_kinds_templates_and_renders(monkeypatch):
    monkeypatch.setattr(engine, "_engine", None)  # a process that has rendered nothing
    rendered = []
    real = engine.html_to_pdf
    monkeypatch.setattr(engine, "html_to_pdf", lambda html, *a: rendered.append(real(html, *a)) or rendered[-1])
    times = engine.warm()
    assert set(times) == {"engine", "templates", "render"}
    kinds = {kind.name for kind in KINDS.values() if kind.source is not None}
    warmed = engine.engine()
    assert set(warmed.docx_bytes) == kinds
    # every kind's HTML template is compiled in its environment's cache
    for kind in KINDS.values():
        if kind.source is not None:
            env = warmed.html_envs[kind.templates]
            assert env.cache is not None and any(key[1] == kind.html_template for key in env.cache), kind.name
    assert len(rendered) == 1 and rendered[0].startswith(b"%PDF")


def test_the_server_runs_warming_in_each_worker():
    from formsvc import gunicorn_conf

    calls = []

    class Log:
        def info(self, *args):
            calls.append(args)

    class Server:
        log = Log()

    class Worker:
        pid = 4242

    gunicorn_conf.post_fork(Server(), Worker())
    assert calls and calls[0][1] == 4242 and "warm in" in calls[0][0]


def test_a_warm_worker_leaves_what_it_loaded_out_of_the_collectors_walks():
    """After warming, the worker collects once and freezes what is left (gc.freeze), so
    no user's first request pays for the first full collection of the warmed heap."""
    import gc

    from formsvc import gunicorn_conf

    class Server:
        class log:  # noqa: N801 (gunicorn's attribute name)
            @staticmethod
            def info(*args):
                pass

    class Worker:
        pid = 4242

    gc.unfreeze()
    try:
        gunicorn_conf.post_fork(Server(), Worker())
        assert gc.get_freeze_count() > 1000
    finally:
        gc.unfreeze()
