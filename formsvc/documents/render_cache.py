"""Rendered documents kept on disk, so a document asked for again costs a file read.

The key is everything a render reads: the kind, the format, the draft mark, the day
(a DOCX's properties fall back on it), the fingerprint of the templates and of the
document code, and the whole context (its bytes, such as an emblem, by their SHA-256).
The context is built from the database on every request, so any change to what a
document says makes a new key: nothing is ever served from before a change, and nothing
needs invalidating. Files are written whole (a temporary file renamed into place), so
several workers share the folder safely; the folder is kept under ``max_bytes`` by
removing the files used longest ago.

The folder lives beside the database (``render-cache/``); ``FORMSVC_RENDER_CACHE_MB=0``
turns the cache off (the benchmarks of a render use it).
"""

from __future__ import annotations

import datetime as dt
import decimal
import functools
import hashlib
import json
import os
import tempfile
import threading
from pathlib import Path

from formsvc.domain import clock
from formsvc.paths import TEMPLATES
from formsvc.store import files

DEFAULT_MB = 256
PRUNE_EVERY = 50  # writes between two looks at the folder's size
KEEP = 0.8  # a prune leaves the folder at this share of its bound


def _default(value):
    if isinstance(value, (bytes, bytearray)):
        return {"sha256": hashlib.sha256(value).hexdigest()}
    if isinstance(value, (dt.date, dt.datetime)):
        return value.isoformat()
    if isinstance(value, decimal.Decimal):
        return str(value)
    if isinstance(value, (set, frozenset)):
        return sorted(map(str, value))
    return repr(value)


@functools.cache
def fingerprint() -> str:
    """The templates' and the document code's SHA-256, read once per process."""
    digest = hashlib.sha256()
    code = Path(__file__).resolve().parent
    paths = sorted(
        [*TEMPLATES.joinpath("docx").glob("*.docx"), *TEMPLATES.joinpath("html", "documents").rglob("*")]
    ) + sorted(code.glob("*.py"))
    for path in paths:
        if path.is_file():
            digest.update(path.name.encode())
            digest.update(path.read_bytes())
    return digest.hexdigest()


def key(kind: str, fmt: str, draft: bool, context: dict) -> str:
    canonical = json.dumps(context, sort_keys=True, ensure_ascii=False, default=_default)
    parts = [kind, fmt, "draft" if draft else "", clock.today().isoformat(), fingerprint(), canonical]
    return hashlib.sha256("\x1f".join(parts).encode()).hexdigest()


class RenderCache:
    def __init__(self, folder: Path, max_bytes: int):
        self.folder = Path(folder)
        self.max_bytes = max_bytes
        self._writes = 0
        self._lock = threading.Lock()

    def _path(self, name: str) -> Path:
        return self.folder / name[:2] / name

    def get(self, name: str) -> bytes | None:
        path = self._path(name)
        try:
            content = path.read_bytes()
        except OSError:
            return None
        try:
            os.utime(path)  # used now: kept longer
        except OSError:
            pass
        return content

    def put(self, name: str, content: bytes) -> None:
        path = self._path(name)
        try:
            files.private_dir(path.parent)
            fd, tmp = tempfile.mkstemp(dir=path.parent, prefix=".tmp-")
            with os.fdopen(fd, "wb") as out:
                out.write(content)
            os.replace(tmp, path)
        except OSError:  # a full or read-only disk: the document is served all the same
            return
        with self._lock:
            self._writes += 1
            due = self._writes % PRUNE_EVERY == 1
        if due:
            self.prune()

    def prune(self) -> None:
        """Remove the files used longest ago until the folder is under its bound."""
        entries = []
        for sub in self.folder.glob("??"):
            for path in sub.iterdir():
                try:
                    stat = path.stat()
                except OSError:
                    continue
                entries.append((stat.st_mtime, stat.st_size, path))
        total = sum(size for _, size, _ in entries)
        if total <= self.max_bytes:
            return
        for _, size, path in sorted(entries):
            if total <= self.max_bytes * KEEP:
                break
            try:
                path.unlink()
                total -= size
            except OSError:
                pass

    def size(self) -> int:
        return sum(p.stat().st_size for sub in self.folder.glob("??") for p in sub.iterdir() if p.is_file())


_caches: dict[Path, RenderCache] = {}
_caches_lock = threading.Lock()


def for_folder(folder: Path | None) -> RenderCache | None:
    """The cache of ``folder`` (one per process), or None when there is no folder or
    ``FORMSVC_RENDER_CACHE_MB`` is 0."""
    if folder is None:
        return None
    try:
        megabytes = int(os.environ.get("FORMSVC_RENDER_CACHE_MB", DEFAULT_MB))
    except ValueError:
        megabytes = DEFAULT_MB
    if megabytes <= 0:
        return None
    folder = Path(folder)
    with _caches_lock:
        cache = _caches.get(folder)
        if cache is None or cache.max_bytes != megabytes * 1024 * 1024:
            cache = _caches[folder] = RenderCache(folder, megabytes * 1024 * 1024)
        return cache
