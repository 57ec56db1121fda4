"""Real-browser fixtures: the app served on 127.0.0.1, Debian's Chromium driven by
Playwright, a fresh demo database for each test.

One server (werkzeug, threaded) runs for the whole session; each test gets its own
copy of the demo database and its own app on it (the server hands requests to the app
of the test that is running), so tests never see each other's changes and run in any
order. The period-ZIP export runs on the task queue at once in the request
(FORMSVC_QUEUE=memory, tests/conftest.py), on the test's copy of the database.
"""

from __future__ import annotations

import os
import shutil
import threading

import pytest
from werkzeug.serving import WSGIRequestHandler, make_server

from formsvc import ROOT, create_app
from tests.browser.ui import CHROMIUM, CHROMIUM_ARGS, Ui

AXE = ROOT / ".cache" / "npm" / "node_modules" / "axe-core" / "axe.min.js"
SCREENSHOTS = ROOT / "test-artifacts" / "screenshots"


class _Quiet(WSGIRequestHandler):
    def log_request(self, *args, **kwargs):
        pass


class _CurrentApp:
    """The WSGI app of the test that is running (503 between tests)."""

    def __init__(self):
        self.app = None

    def __call__(self, environ, start_response):
        app = self.app
        if app is None:
            start_response("503 Service Unavailable", [("Content-Type", "text/plain")])
            return [b"no test running"]
        return app(environ, start_response)


class LiveServer:
    def __init__(self, dispatcher: _CurrentApp, url: str):
        self.dispatcher = dispatcher
        self.url = url


@pytest.fixture(scope="session")
def live_server():
    dispatcher = _CurrentApp()
    server = make_server("127.0.0.1", 0, dispatcher, threaded=True, request_handler=_Quiet)
    thread = threading.Thread(target=server.serve_forever, name="live-server", daemon=True)
    thread.start()
    yield LiveServer(dispatcher, f"http://127.0.0.1:{server.server_port}")
    server.shutdown()
    thread.join(10)


@pytest.fixture
def live(live_server, demo_template, tmp_path, monkeypatch):
    """The server's base URL, serving a fresh copy of the demo database for this test."""
    path = tmp_path / "formsvc.db"
    shutil.copy(demo_template, path)
    monkeypatch.setenv("FORMSVC_DB", str(path))  # what the export runner is given too
    live_server.dispatcher.app = create_app({"DATABASE": str(path), "SECRET_KEY": "browser-tests-" + "k" * 32})
    yield live_server
    live_server.dispatcher.app = None


@pytest.fixture(scope="session")
def axe_source() -> str:
    if not AXE.is_file():
        pytest.fail(f"axe-core is missing ({AXE}): run `make test`, which installs it with npm")
    return AXE.read_text(encoding="utf-8")


@pytest.fixture(scope="session")
def chromium():
    if not os.access(CHROMIUM, os.X_OK):
        pytest.fail(
            f"{CHROMIUM} is missing: run `make test` or `scripts/system-deps.sh test` (Debian package chromium)"
        )
    from playwright.sync_api import sync_playwright

    playwright = sync_playwright().start()
    browser = playwright.chromium.launch(executable_path=CHROMIUM, args=CHROMIUM_ARGS, headless=True)
    yield browser
    browser.close()
    playwright.stop()


@pytest.fixture
def open_ui(chromium, live, axe_source, request):
    """open_ui(phone=False, javascript=True) -> Ui: a new browser context (no cookies) on the live app.
    Each Ui fails its test on a console error, an uncaught script error or a failed
    request, and saves screenshots named after the test."""
    opened: list[Ui] = []
    SCREENSHOTS.mkdir(parents=True, exist_ok=True)
    prefix = request.node.name.removeprefix("test_")
    for old in SCREENSHOTS.glob(f"{prefix}-*.png"):
        old.unlink()

    def factory(phone: bool = False, javascript: bool = True) -> Ui:
        ui = Ui(chromium, live.url, axe_source, SCREENSHOTS, prefix, phone=phone, javascript=javascript)
        opened.append(ui)
        return ui

    yield factory
    problems = []
    for ui in opened:
        problems += ui.problems()
        ui.close()
    assert not problems, "the browser reported:\n" + "\n".join(problems)
