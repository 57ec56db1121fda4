"""Settings from the environment.

FORMSVC_DB            path of the SQLite database (default instance/formsvc.db)
FORMSVC_SECRET_KEY    session signing key; when unset, one is generated once into
                      instance/secret_key (mode 0600) so sessions survive restarts
FORMSVC_SECURE_COOKIES  "1" to send cookies with Secure (behind HTTPS)
FORMSVC_TRUSTED_PROXIES how many reverse proxies (nginx) stand in front and append
                      X-Forwarded-For (default 0: the socket's address is the client's);
                      sign-in throttling counts failures per client address
FORMSVC_BASE_URL      the address people open the service at (https://formsvc.example.go.th),
                      for the links in e-mail
FORMSVC_SMTP_HOST, FORMSVC_SMTP_PORT (default 587 with STARTTLS, else 25),
FORMSVC_SMTP_USER, FORMSVC_SMTP_PASSWORD, FORMSVC_SMTP_FROM,
FORMSVC_SMTP_STARTTLS ("1" to upgrade the connection with STARTTLS)
                      the mail server for notices and reminders (docs/mail.md); without
                      a host and a sender, mail stays queued
FORMSVC_QUEUE         the task queue's render queue (formsvc/tasks.py, huey): unset, the
                      SQLite file queue.db beside the database (work in flight only:
                      not backed up, safe to delete while stopped); redis://host:6379/0,
                      that Redis server, so `formsvc worker` on other machines adds
                      render workers (the jobs queue stays in queue.db); "memory" runs
                      tasks at once in the caller (tests)
FORMSVC_RENDER_CACHE_MB  the bound of the render cache beside the database (default
                      256; 0: off): formsvc/documents/render_cache.py
"""

from __future__ import annotations

import os
import secrets
from dataclasses import dataclass
from pathlib import Path

DEFAULT_DB = "instance/formsvc.db"


def database_path() -> str:
    return os.environ.get("FORMSVC_DB") or DEFAULT_DB


def secret_key(instance_dir: Path) -> str:
    """FORMSVC_SECRET_KEY, else the key in instance/secret_key, made once.

    Several gunicorn workers may start at the same moment: the key is written whole to a
    private temporary file and then linked into place (link fails if the name exists), so
    every worker reads the same complete key and none ever sees a half-written one.
    """
    key = os.environ.get("FORMSVC_SECRET_KEY")
    if key:
        return key
    path = instance_dir / "secret_key"
    try:
        return _read_key(path)
    except FileNotFoundError:
        pass
    from formsvc.store.files import private_dir

    private_dir(instance_dir)
    tmp = instance_dir / f".secret_key.{os.getpid()}.{secrets.token_hex(4)}"
    fd = os.open(tmp, os.O_WRONLY | os.O_CREAT | os.O_EXCL, 0o600)
    try:
        with os.fdopen(fd, "w") as fh:
            fh.write(secrets.token_hex(32))
            fh.flush()
            os.fsync(fh.fileno())
        try:
            os.link(tmp, path)
        except FileExistsError:
            pass  # another process was first: use its key
    finally:
        tmp.unlink(missing_ok=True)
    return _read_key(path)


def _read_key(path: Path) -> str:
    key = path.read_text().strip()
    if len(key) < 32:
        raise RuntimeError(f"{path} is empty or too short: delete it (sessions will end) or set FORMSVC_SECRET_KEY")
    return key


def trusted_proxies() -> int:
    value = os.environ.get("FORMSVC_TRUSTED_PROXIES") or "0"
    if not value.isdecimal() or int(value) > 5:
        raise RuntimeError("FORMSVC_TRUSTED_PROXIES must be a number from 0 to 5")
    return int(value)


def from_env_without_secret() -> dict:
    """Settings from the environment; the secret key is added by create_app()."""
    return {
        "DATABASE": database_path(),
        "TRUSTED_PROXIES": trusted_proxies(),
        "SESSION_COOKIE_HTTPONLY": True,
        "SESSION_COOKIE_SAMESITE": "Lax",
        "SESSION_COOKIE_SECURE": os.environ.get("FORMSVC_SECURE_COOKIES") == "1",
        "SESSION_COOKIE_NAME": "formsvc_session",
        "WTF_CSRF_TIME_LIMIT": None,
        # an attachment may be 10 MB (formsvc.documents.attachments), with the form around it
        "MAX_CONTENT_LENGTH": 11 * 1024 * 1024,
        "BABEL_DEFAULT_LOCALE": "th",
        "BABEL_DEFAULT_TIMEZONE": "Asia/Bangkok",
    }


@dataclass(frozen=True)
class Smtp:
    host: str
    port: int
    user: str
    password: str
    sender: str
    starttls: bool


def smtp() -> Smtp | None:
    """The mail server settings, or None when FORMSVC_SMTP_HOST or FORMSVC_SMTP_FROM is
    unset (mail then stays queued). A port that is not a number is an error."""
    host = (os.environ.get("FORMSVC_SMTP_HOST") or "").strip()
    sender = (os.environ.get("FORMSVC_SMTP_FROM") or "").strip()
    if not host or not sender:
        return None
    starttls = os.environ.get("FORMSVC_SMTP_STARTTLS") == "1"
    port = (os.environ.get("FORMSVC_SMTP_PORT") or "").strip() or ("587" if starttls else "25")
    if not port.isdecimal() or not 0 < int(port) < 65536:
        raise RuntimeError("FORMSVC_SMTP_PORT must be a port number (1 to 65535)")
    return Smtp(
        host,
        int(port),
        os.environ.get("FORMSVC_SMTP_USER") or "",
        os.environ.get("FORMSVC_SMTP_PASSWORD") or "",
        sender,
        starttls,
    )


def base_url() -> str:
    """FORMSVC_BASE_URL without its trailing slash ("" when unset: links are then paths)."""
    return (os.environ.get("FORMSVC_BASE_URL") or "").strip().rstrip("/")
