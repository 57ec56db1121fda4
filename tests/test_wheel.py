"""The production install of the README works: a release build (sdist, then the wheel
from the sdist, with `python -m build` as a release is made) carries the templates,
static files and translations, and the wheel installed in a fresh venv outside the source
tree creates a demo database, renders Thai documents and serves the sign-in page.

The fresh venv gets the wheel itself (`pip install --no-deps`) and, through a .pth line,
the site-packages of the venv running this test for the wheel's dependencies: those are
the versions `make test` installed from requirements.lock, so no second download. The
.pth adds that folder to the end of sys.path without running its .pth files (so not the
editable install of the source tree), and `pip check` proves the wheel's declared
dependencies are met by them. Selected with ``-m wheel``; about 15 s.
"""

from __future__ import annotations

import os
import re
import shutil
import socket
import subprocess
import sys
import sysconfig
import time
import urllib.error
import urllib.request
import zipfile
from pathlib import Path

import pytest

SOURCE = Path(__file__).resolve().parent.parent
pytestmark = pytest.mark.wheel

# what a clean checkout holds and a build reads; build outputs, venvs and caches stay out
IGNORE = shutil.ignore_patterns(
    ".git",
    ".venv",
    "build",
    "dist",
    "*.egg-info",
    ".cache",
    "instance",
    "__pycache__",
    "*.pyc",
    "*.mo",
    "*.tmp",
    "test-artifacts",
    "bench",
)


def run(args, **kwargs):
    result = subprocess.run(args, capture_output=True, text=True, **kwargs)
    assert result.returncode == 0, f"{args}\n{result.stdout}\n{result.stderr}"
    return result


@pytest.fixture(scope="module")
def release(tmp_path_factory):
    """The sdist and the wheel built from it, from a copy of the source tree."""
    tmp = tmp_path_factory.mktemp("release")
    src = tmp / "src"
    shutil.copytree(SOURCE, src, ignore=IGNORE)
    run([sys.executable, "-m", "build", "--outdir", str(tmp / "dist"), str(src)])
    (sdist,) = (tmp / "dist").glob("formsvc-*.tar.gz")
    (wheel,) = (tmp / "dist").glob("formsvc-*.whl")
    return sdist, wheel


@pytest.fixture(scope="module")
def installed(release, tmp_path_factory):
    """A fresh venv outside the source tree with the wheel installed; its bin/ folder."""
    venv = tmp_path_factory.mktemp("venv")
    run([sys.executable, "-m", "venv", "--without-pip", str(venv)])
    python = venv / "bin" / "python"
    purelib = Path(run([str(python), "-c", "import sysconfig; print(sysconfig.get_paths()['purelib'])"]).stdout.strip())
    (purelib / "zz-locked-dependencies.pth").write_text(sysconfig.get_paths()["purelib"] + "\n")
    run([str(python), "-m", "pip", "install", "--no-deps", "--no-index", "-q", str(release[1])])
    run([str(python), "-m", "pip", "check"])
    return venv / "bin"


def outside_env(tmp: Path) -> dict:
    env = {k: v for k, v in os.environ.items() if not k.startswith(("FORMSVC_", "PYTHON"))}
    env["FORMSVC_DB"] = str(tmp / "instance" / "formsvc.db")
    return env


def test_the_release_carries_templates_static_files_and_translations(release):
    sdist, wheel = release
    names = set(zipfile.ZipFile(wheel).namelist())
    for kind in (
        "order",
        "operation-plan",
        "minutes",
        "sign-in-sheet",
        "project-list",
        "report",
        "summary",
        "certificate",
        "cover-memo",
    ):
        assert f"formsvc/templates/docx/{kind}.docx" in names
        assert f"formsvc/templates/html/documents/{kind}.html" in names
    for name in (
        "templates/html/base.html",
        "templates/html/pages/login.html",
        "templates/html/documents/print.css",
        "templates/html/documents/draft-mark.svg",
        "static/app.css",
        "static/rows.js",
        "static/export-progress.js",
        "translations/th/LC_MESSAGES/messages.po",
        "translations/th/LC_MESSAGES/messages.mo",
        "translations/en/LC_MESSAGES/messages.mo",
    ):
        assert f"formsvc/{name}" in names
    # every file the source tree has under templates/, formsvc/static/ and the migrations is in the wheel
    for folder, prefix in (
        (SOURCE / "templates", "formsvc/templates"),
        (SOURCE / "formsvc" / "static", "formsvc/static"),
        (SOURCE / "formsvc" / "store" / "migrations", "formsvc/store/migrations"),
    ):
        expected = {f"{prefix}/{p.relative_to(folder).as_posix()}" for p in folder.rglob("*") if p.is_file()}
        assert expected <= names, sorted(expected - names)


def test_the_installed_wheel_creates_the_demo_renders_and_serves(installed, tmp_path):
    workdir = tmp_path / "elsewhere"
    workdir.mkdir()
    env = outside_env(tmp_path)
    formsvc = str(installed / "formsvc")

    where = run(
        [str(installed / "python"), "-c", "import formsvc; print(formsvc.__file__); print(formsvc.TEMPLATES)"],
        cwd=workdir,
        env=env,
    ).stdout.split()
    assert all(Path(p).is_relative_to(installed.parent) for p in where), where  # not the source tree

    out = run([formsvc, "init-db", "--demo"], cwd=workdir, env=env).stdout
    assert "demo data: loaded" in out

    pdf = tmp_path / "order.pdf"
    run([formsvc, "render", "order", "--lao", "1", "--format", "pdf", "--out", str(pdf)], cwd=workdir, env=env)
    assert pdf.read_bytes().startswith(b"%PDF")
    text = run(["pdftotext", str(pdf), "-"]).stdout
    assert "คำสั่งองค์การบริหารส่วนตำบล" in text and "แต่งตั้งคณะทำงานระดับท้องถิ่น" in text

    docx = tmp_path / "order.docx"
    run([formsvc, "render", "order", "--lao", "1", "--format", "docx", "--out", str(docx)], cwd=workdir, env=env)
    assert "แต่งตั้งคณะทำงานระดับท้องถิ่น" in zipfile.ZipFile(docx).read("word/document.xml").decode()

    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        port = s.getsockname()[1]
    log_path = tmp_path / "serve.log"
    with open(log_path, "wb") as log_file:
        server = subprocess.Popen(
            [formsvc, "serve", "--host", "127.0.0.1", "--port", str(port), "--workers", "1", "--render-workers", "1"],
            cwd=workdir,
            env=env,
            stdout=subprocess.DEVNULL,
            stderr=log_file,
        )
    server.stderr = _LogReader(log_path)
    try:
        page = get(f"http://127.0.0.1:{port}/login", server)
        assert page.status == 200
        html = page.read().decode()
        assert '<html lang="th"' in html and "<h1>เข้าสู่ระบบ</h1>" in html  # the Thai catalog
        css = get(f"http://127.0.0.1:{port}/static/app.css", server)
        assert css.status == 200 and css.read() == (SOURCE / "formsvc" / "static" / "app.css").read_bytes()
        # beside gunicorn, the task queue's workers: the jobs worker and a render worker
        deadline = time.monotonic() + 60
        while log_path.read_text(errors="replace").count("Huey consumer started") < 2:
            assert time.monotonic() < deadline and server.poll() is None, log_path.read_text(errors="replace")
            time.sleep(0.2)
    finally:
        server.terminate()
        server.wait(timeout=30)
    # the worker warmed the document engine (fonts, templates, a render) before serving
    log = log_path.read_text(errors="replace")
    assert re.search(r"worker \d+ warm in [\d.]+ s \(engine [\d.]+, templates [\d.]+, render [\d.]+\)", log), log
    # the queue workers stopped with it
    assert log.count("Consumer exiting.") == 2, log


class _LogReader:
    """server.stderr for get(): the log file's text so far."""

    def __init__(self, path: Path):
        self.path = path

    def read(self) -> bytes:
        return self.path.read_bytes()


def get(url, server, timeout=60.0):
    deadline = time.monotonic() + timeout
    while True:
        try:
            return urllib.request.urlopen(url, timeout=10)
        except urllib.error.HTTPError as error:  # an answer, e.g. 500: the assertion shows it
            return error
        except (urllib.error.URLError, ConnectionError):
            if server.poll() is not None:
                pytest.fail(f"formsvc serve exited {server.returncode}: {server.stderr.read().decode()[-2000:]}")
            if time.monotonic() > deadline:
                raise
            time.sleep(0.2)
