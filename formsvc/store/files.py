"""Files and folders the service makes hold personal data: the owner alone reads them.

The database (and SQLite's -wal and -shm beside it, which take the database file's
mode), backups and export ZIPs are created 0600, the folders the service creates 0700,
whatever the process's umask. A file is created with its mode at once (``os.open``),
never widened and narrowed afterwards, so no other account can open it in between.
"""

from __future__ import annotations

import os
from pathlib import Path

FILE_MODE = 0o600
DIR_MODE = 0o700


def private_dir(path: str | Path) -> Path:
    """``path`` as a folder, creating it and any missing parents 0700 (folders that
    exist already are left as they are)."""
    path = Path(path)
    missing, folder = [], path
    while not folder.exists() and folder != folder.parent:
        missing.append(folder)
        folder = folder.parent
    for folder in reversed(missing):
        try:
            folder.mkdir(mode=DIR_MODE)
        except FileExistsError:
            pass  # another process made it at the same moment
    return path


def create_private(path: str | Path) -> bool:
    """Create ``path`` empty with mode 0600 unless it exists. True when created."""
    try:
        fd = os.open(path, os.O_WRONLY | os.O_CREAT | os.O_EXCL, FILE_MODE)
    except FileExistsError:
        return False
    os.close(fd)
    return True


def open_private(path: str | Path, mode: str = "wb"):
    """Open ``path`` for writing ("wb": from empty; "ab": appending), created 0600; a
    file of that name left from before is narrowed to 0600 first."""
    flags = os.O_WRONLY | os.O_CREAT | (os.O_APPEND if "a" in mode else os.O_TRUNC)
    fd = os.open(path, flags, FILE_MODE)
    try:
        os.fchmod(fd, FILE_MODE)
        return os.fdopen(fd, mode)
    except BaseException:
        os.close(fd)
        raise


def narrow(path: str | Path) -> None:
    """Take group and others' access away from an existing file made before files were
    private (a database created 0644 by an older version). Files of another owner, or
    missing ones, are left alone."""
    try:
        mode = os.stat(path).st_mode
        if mode & 0o077:
            os.chmod(path, mode & 0o700)
    except (FileNotFoundError, PermissionError):
        pass
