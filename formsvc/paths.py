"""Where formsvc's own files are: the package, the source tree and the templates.

A module of its own (not the package's ``__init__``, which builds the web app), so the
document engine can find its templates without importing the web layer."""

from __future__ import annotations

from pathlib import Path

PACKAGE = Path(__file__).resolve().parent
# The source tree (a checkout; the editable install and the tests run from one).
ROOT = PACKAGE.parent


def _templates() -> Path:
    """templates/ (docx/ and html/): inside the package when installed from a wheel or
    sdist (setup.py copies it there at build time), else at the top of the source tree."""
    for candidate in (PACKAGE / "templates", ROOT / "templates"):
        if (candidate / "html").is_dir() and (candidate / "docx").is_dir():
            return candidate
    raise RuntimeError(
        f"formsvc: no templates/ in {PACKAGE} nor in {ROOT}: this install was "
        "built without them (build from a checkout or an sdist with setup.py)"
    )


TEMPLATES = _templates()
