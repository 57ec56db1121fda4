"""Settings from the environment.

FORMSVC_DB            path of the SQLite database (default instance/formsvc.db)
FORMSVC_SECRET_KEY    session signing key; when unset, one is generated once into
                      instance/secret_key (mode 0600) so sessions survive restarts
FORMSVC_SECURE_COOKIES  "1" to send cookies with Secure (behind HTTPS)
"""
from __future__ import annotations

import os
import secrets
from pathlib import Path

DEFAULT_DB = "instance/formsvc.db"


def database_path() -> str:
    return os.environ.get("FORMSVC_DB") or DEFAULT_DB


def secret_key(instance_dir: Path) -> str:
    key = os.environ.get("FORMSVC_SECRET_KEY")
    if key:
        return key
    path = instance_dir / "secret_key"
    try:
        return path.read_text().strip()
    except FileNotFoundError:
        pass
    instance_dir.mkdir(parents=True, exist_ok=True)
    key = secrets.token_hex(32)
    fd = os.open(path, os.O_WRONLY | os.O_CREAT | os.O_EXCL, 0o600)
    with os.fdopen(fd, "w") as fh:
        fh.write(key)
    return key


def from_env_without_secret() -> dict:
    """Settings from the environment; the secret key is added by create_app()."""
    return {
        "DATABASE": database_path(),
        "SESSION_COOKIE_HTTPONLY": True,
        "SESSION_COOKIE_SAMESITE": "Lax",
        "SESSION_COOKIE_SECURE": os.environ.get("FORMSVC_SECURE_COOKIES") == "1",
        "SESSION_COOKIE_NAME": "formsvc_session",
        "WTF_CSRF_TIME_LIMIT": None,
        "MAX_CONTENT_LENGTH": 6 * 1024 * 1024,
        "BABEL_DEFAULT_LOCALE": "th",
        "BABEL_DEFAULT_TIMEZONE": "Asia/Bangkok",
    }
