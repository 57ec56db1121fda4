"""SQLite storage through sqlite-utils: connection, migrations, queries per aggregate."""

from formsvc.store.db import connect

__all__ = ["connect"]
