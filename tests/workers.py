"""Functions run in other processes by the concurrency tests (a spawned process imports
them by name, so they live in a module of their own, not inside a test)."""

from __future__ import annotations

import datetime as dt


def issue_order(db_path: str, lao_id: int, barrier, results) -> None:
    """Issue one order for the LAO, from a process with its own connection; report the
    number (or the error) on ``results``."""
    from formsvc import services
    from formsvc.store import connect
    from tests.conftest import CE

    db = connect(db_path)
    try:
        barrier.wait(timeout=60)
        results.put(services.issue_order(db, lao_id, dt.date(CE, 6, 1), None, None)["number"])
    except Exception as error:  # reported to the test, which fails on it
        results.put(f"{type(error).__name__}: {error}")
    finally:
        db.close()


NEW_PROJECT = {"rank": "900", "name": "ถนนลูกรังสายใหม่", "within_authority": "y"}


def longest_text(chars: int, lines: int) -> str:
    """Thai text of exactly ``chars`` characters in exactly ``lines`` lines: a field at
    its limit in both, the costliest text it can hold to lay out."""
    words = "ประชุมคณะทำงานจัดเวทีประชาคมหมู่บ้านทบทวนแผนชุมชน "
    width = (chars - (lines - 1)) // lines
    rows = [(words * (width // len(words) + 1))[:width] for _ in range(lines)]
    rows[-1] += "ก" * (chars - (lines - 1) - width * lines)
    return "\n".join(rows)


def submit_longest_report(db_path: str, lao_id: int, period: int, rendering, release, done, results) -> None:
    """Submit the longest report the form allows through the app, as the LAO's clerk.
    The PDF render signals ``rendering`` when it starts and waits (polling) for
    ``release`` before it goes on; ``done`` is set at the end; ``results`` gets
    ("submitted", status) or what went wrong."""
    import time

    from formsvc import create_app
    from formsvc.documents import engine
    from formsvc.store import connect
    from formsvc.store import reports as report_store
    from tests.conftest import login

    html_to_pdf = engine.html_to_pdf

    def held_render(*args, **kwargs):
        if not rendering.is_set():
            rendering.set()
            started = time.perf_counter()
            while not release.is_set() and time.perf_counter() - started < 60:
                time.sleep(0.02)
        return html_to_pdf(*args, **kwargs)

    engine.html_to_pdf = held_render
    try:
        app = create_app({"DATABASE": db_path, "SECRET_KEY": "test-secret", "TESTING": True, "WTF_CSRF_ENABLED": False})
        client = app.test_client()
        login(client, "clerk")
        text = longest_text(report_store.TEXT.chars, report_store.TEXT.lines)
        response = client.post(
            f"/laos/{lao_id}/reports/{period}",
            data={
                "progress": text,
                "problems": text,
                "suggestions": text,
                "reporter_name": "ก" * report_store.REPORTER.chars,
                "reporter_position": "ข" * report_store.REPORTER.chars,
                "action": "submit",
            },
        )
        if response.status_code == 302:  # saved: confirm on the page that shows the report
            page = client.get(response.headers["Location"]).get_data(as_text=True)
            version = page.split('name="version" type="hidden" value="')[1].split('"')[0]
            response = client.post(f"/laos/{lao_id}/reports/{period}/submit", data={"version": version})
        db = connect(db_path)
        status = report_store.get_report(db, lao_id, period)["status"]
        db.close()
        results.put((status, response.status_code))
    except Exception as error:  # reported to the test, which fails on it
        results.put(f"{type(error).__name__}: {error}")
    finally:
        rendering.set()
        done.set()
        engine._engine = None  # its fonts are released now, not in a half torn-down interpreter
        import gc

        gc.collect()
