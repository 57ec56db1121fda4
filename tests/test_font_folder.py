"""A process that rendered a PDF leaves no copy of the fonts behind in the temp directory.
WeasyPrint copies the @font-face fonts into a folder that its own clean-up removes when
the font configuration is freed; for the process-wide one that happened at interpreter
shutdown, after its ``rmtree`` was gone, so every test worker (and any process that
ends the same way) left a folder and printed "TypeError: 'NoneType' object is not
callable". Reproduced with a pytest process, where it happened."""

from __future__ import annotations

import os
import subprocess
import sys

from formsvc import ROOT

TEST = """
from formsvc.documents import engine

def test_render():
    assert engine.html_to_pdf("<p>ทดสอบ ๑๒๓</p>").startswith(b"%PDF")
"""


def test_the_font_folder_is_removed_when_the_process_ends(tmp_path):
    temp = tmp_path / "tmp"
    temp.mkdir()
    (tmp_path / "test_render_once.py").write_text(TEST, encoding="utf-8")
    env = dict(os.environ, TMPDIR=str(temp), PYTHONPATH=str(ROOT))
    done = subprocess.run(
        [
            sys.executable,
            "-m",
            "pytest",
            "-q",
            "-n",
            "0",
            "-p",
            "no:cacheprovider",
            "--rootdir",
            str(tmp_path),
            "-c",
            os.devnull,
            str(tmp_path / "test_render_once.py"),
        ],
        env=env,
        capture_output=True,
        text=True,
        timeout=300,
        cwd=tmp_path,
    )
    assert done.returncode == 0, done.stdout + done.stderr
    assert [p.name for p in temp.iterdir() if p.name.startswith("weasyprint-")] == []
    assert "Exception ignored" not in done.stderr
