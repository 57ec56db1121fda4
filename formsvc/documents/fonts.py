"""The fonts the service serves and embeds: Sarabun from fontpkg-sarabun (OFL)."""

from __future__ import annotations

from pathlib import Path

import fontpkg_sarabun

FAMILY = fontpkg_sarabun.FAMILY
FILES: dict[str, Path] = {p.name: p for p in sorted((fontpkg_sarabun.ROOT / "files").glob("Sarabun-*.ttf"))}
