"""requirements.lock (what `make run` and `make test` install) matches pyproject.toml: every
requirement of formsvc and its extras is pinned there, at a version the range allows, and
WeasyPrint at the one release formsvc/documents/pdf_text.py was made for. A range changed
without `make lock` fails here, not as an unpinned install on someone's machine."""

from __future__ import annotations

import tomllib
from pathlib import Path

from packaging.requirements import Requirement
from packaging.utils import canonicalize_name

from formsvc.documents import pdf_text

ROOT = Path(__file__).resolve().parent.parent


def requirements() -> list[Requirement]:
    project = tomllib.loads((ROOT / "pyproject.toml").read_text())["project"]
    listed = project["dependencies"] + [r for extra in project["optional-dependencies"].values() for r in extra]
    return [Requirement(r) for r in listed]


def pins() -> dict[str, str]:
    found = {}
    for line in (ROOT / "requirements.lock").read_text().splitlines():
        line = line.split("#", 1)[0].strip()
        if line:
            name, _, version = line.partition("==")
            assert version, f"not an exact pin in requirements.lock: {line!r}"
            found[canonicalize_name(name)] = version.split(";")[0].strip()
    return found


def test_every_requirement_is_pinned_in_the_lock_within_its_range():
    locked = pins()
    wrong = []
    for requirement in requirements():
        version = locked.get(canonicalize_name(requirement.name))
        if version is None or not requirement.specifier.contains(version, prereleases=True):
            wrong.append(f"{requirement} (lock: {version})")
    assert wrong == [], "run `make lock`: " + ", ".join(wrong)


def test_weasyprint_is_pinned_to_the_release_the_pdf_text_fix_was_tested_on():
    (weasyprint,) = (r for r in requirements() if r.name == "weasyprint")
    assert [(s.operator, s.version) for s in weasyprint.specifier] == [("==", pdf_text.TESTED_VERSIONS[-1])]
    assert pins()["weasyprint"] in pdf_text.TESTED_VERSIONS
