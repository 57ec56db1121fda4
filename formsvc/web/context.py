"""Per-request state: the database connection, the signed-in user, access helpers."""

from __future__ import annotations

import sqlite3
import threading
from functools import wraps
from urllib.parse import urlsplit

from flask import abort, current_app, flash, g, redirect, request, session, url_for
from flask_babel import gettext as _
from werkzeug.datastructures import MultiDict
from werkzeug.exceptions import HTTPException
from werkzeug.routing import RoutingException

from formsvc.domain import access, clock
from formsvc.store import audit, connect, kept_forms
from formsvc.store import laos as lao_store
from formsvc.store import users as user_store
from formsvc.store.errors import NotFound

# A session ends after this long unused, and this long after signing in however much it
# is used. Checked on the server at every request, from times the signed session cookie
# carries (set by start_session); the one clock says what time it is.
SESSION_IDLE_SECONDS = 8 * 3600
SESSION_MAX_SECONDS = 30 * 24 * 3600
SEEN_EVERY_SECONDS = 60  # how often a request writes its time back into the cookie

# The pages (endpoints) whose edit form gets back what was typed when it could not be
# saved: posted after the session expired, or sent along with the language switch. Their
# GET fills the form from ``take_kept()``. A page adds itself with ``keeps_typing``.
KEEPS_TYPING: set[str] = set()
POSTED_ELSEWHERE: dict[str, str] = {}  # a form posting to another endpoint: that endpoint → its page's
NOT_KEPT = frozenset({"csrf_token", "action", "locale"})  # never kept: the token, the button pressed


def keeps_typing(endpoint: str, posted_to: str | None = None) -> None:
    """The page ``endpoint`` gets its typing back; ``posted_to``: the POST-only endpoint its
    form is sent to, when not the page itself (same URL arguments)."""
    KEEPS_TYPING.add(endpoint)
    if posted_to:
        POSTED_ELSEWHERE[posted_to] = endpoint


def posted_fields() -> list[tuple[str, str]]:
    """The text fields of the posted form, in order, without the CSRF token and the
    button that was pressed (files are never kept)."""
    return [
        (k, v)
        for k, values in request.form.lists()
        for v in values
        if k not in NOT_KEPT and "password" not in k  # a password is never stored
    ]


def endpoint_of(path: str) -> str | None:
    """The endpoint a GET of ``path`` on this site reaches (None: no page there)."""
    if not path.startswith("/") or path.startswith("//"):
        return None
    try:
        return current_app.url_map.bind("localhost").match(path, method="GET")[0]
    except (HTTPException, RoutingException):
        return None


def typing_page() -> str | None:
    """The page whose form this POST carries, if that page gets its typing back: the page
    itself, or the page the language switch (``?keep=1&next=``) goes back to."""
    if request.method != "POST":
        return None
    if request.endpoint in KEEPS_TYPING:
        return request.path
    if request.endpoint in POSTED_ELSEWHERE:
        return url_for(POSTED_ELSEWHERE[request.endpoint], **(request.view_args or {}))
    if request.endpoint == "auth.language" and request.args.get("keep") == "1":
        path = urlsplit(request.args.get("next") or "").path
        if endpoint_of(path) in KEEPS_TYPING:
            return path
    return None


def keep_typing(user_id: int, path: str, reason: str) -> bool:
    """Keep what was posted for ``user_id`` on ``path`` (see store.kept_forms)."""
    return kept_forms.keep(get_db(), user_id, path, posted_fields(), reason)


def take_kept():
    """What the signed-in user typed on this page and could not save (kept by
    ``keep_typing``), once: ``(reason, MultiDict)``, or None. Only ever the user's own,
    only on the page it was typed on."""
    if g.get("user") is None or request.method != "GET":
        return None
    kept = kept_forms.take(get_db(), g.user["id"], request.path)
    return None if kept is None else (kept[0], MultiDict(kept[1]))


def page_form(form_cls, editable: bool = True, **kwargs):
    """A page's edit form, built as ``form_cls(**kwargs)``; but on the GET of a page that
    keeps typing (``keeps_typing``), when the user can edit there and typed something the
    page could not save (``take_kept``), filled with that instead, every row of its lists
    included, and said not to be saved (``form.kept`` is then the reason). Fields not
    posted (disabled ones) keep what ``kwargs`` gives them."""
    kept = take_kept() if editable and request.endpoint in KEEPS_TYPING else None
    if kept is None:
        form = form_cls(**kwargs)
        form.kept = None
        return form
    reason, data = kept
    form = form_cls(**{**kwargs, "formdata": data})
    form.kept = reason
    flash_kept(reason)
    return form


def flash_kept(reason: str) -> None:
    """Say that the form below holds typing that is not saved (the category ``unsaved``
    makes rows.js treat the page's form as changed, so leaving it asks first)."""
    if reason == "expired":
        text = _(
            "Your session had expired, so nothing was saved. What you typed is filled in again "
            "below: check it and press Save."
        )
    else:
        text = _("Not saved yet: press Save to keep these changes.")
    flash(text, "warn unsaved")


# One connection per thread, kept between its requests: opening one (the file's mode
# checked, pragmas, the audit functions; the audit triggers again before its first
# write) and closing it (the last connection to close checkpoints the WAL) cost more
# CPU than most pages' queries. A request takes its thread's connection and gives it
# back at its end as a fresh one would be: no transaction open (what was not committed
# is rolled back, as closing would), nobody recorded as the actor. gunicorn's threads
# live as long as their worker; a server that starts a thread per request (the
# development server) leaves connections of finished threads behind, and those are
# closed when the next one is given back.
_kept: dict[int, tuple[str, object]] = {}  # thread id → (database path, connection)
_kept_lock = threading.Lock()


def get_db():
    if "db" not in g:
        g.db = _take_connection(current_app.config["DATABASE"])
    return g.db


def _take_connection(path):
    with _kept_lock:
        kept = _kept.pop(threading.get_ident(), None)
    if kept is not None:
        kept_path, db = kept
        if kept_path == str(path):
            return db
        db.close()  # another database (tests make one app per database)
    db = connect(path)
    db.kept_path = str(path)
    return db


def close_kept_connections() -> None:
    """Close every connection kept between requests: before the database's files are
    replaced under a running app (tests reset theirs between examples). A restore does
    not need it: it writes through SQLite's backup API, which open connections see."""
    with _kept_lock:
        kept = list(_kept.values())
        _kept.clear()
    for _path, db in kept:
        db.close()


def close_db(_exc=None) -> None:
    db = g.pop("db", None)
    if db is None:
        return
    try:
        if db.conn.in_transaction:
            db.conn.rollback()
        audit.set_actor(db, None)
        db.conn.audit_paused = False
    except sqlite3.Error:
        db.close()
        return
    with _kept_lock:
        # a nested app context of this thread gave its connection back first
        stale = [_kept.pop(threading.get_ident(), None)]
        _kept[threading.get_ident()] = (db.kept_path, db)
        if len(_kept) > 1:
            alive = {thread.ident for thread in threading.enumerate()}
            stale += [_kept.pop(ident) for ident in list(_kept) if ident not in alive]
    for old in stale:
        if old is not None:
            old[1].close()


def start_session(user: dict) -> None:
    """A fresh session for ``user`` (nothing carried over), with the times it expires by."""
    session.clear()
    now = int(clock.timestamp())
    session["user_id"] = user["id"]
    session["session_version"] = user["session_version"]
    session["started"] = session["seen"] = now


def _expired(now: int) -> bool:
    started, seen = session.get("started"), session.get("seen")
    if not isinstance(started, int) or not isinstance(seen, int):
        return True  # a session from before sessions expired: it has no times to go by
    return now - seen > SESSION_IDLE_SECONDS or now - started > SESSION_MAX_SECONDS


def load_user() -> None:
    """Put the signed-in user (or None) on ``g``; a stale or expired session is dropped.

    An expired session says so on the next page (the sign-in page, which keeps ``next``
    for a page that was asked for), in the user's language."""
    g.user = None
    g.principal = None
    user_id = session.get("user_id")
    if user_id is None:
        return
    try:
        row = user_store.get_user(get_db(), user_id)
    except NotFound:
        session.clear()
        return
    if not row["active"] or row["session_version"] != session.get("session_version"):
        session.clear()
        return
    now = int(clock.timestamp())
    if _expired(now):
        session.clear()
        session["locale"] = row["locale"]
        # A button pressed on a page kept open past the expiry (CSRF was checked already,
        # with the token of the session that ended): what was typed is kept for this user
        # and this page, and comes back there after signing in again, not saved.
        page = typing_page()
        if page is not None and keep_typing(row["id"], page, "expired"):
            # back to the page as it was asked for (a new forum's ?level=, a table's ?page=)
            g.kept_path = request.full_path.rstrip("?") if request.endpoint in KEEPS_TYPING else page
        flash(
            _(
                "Your session has expired (unused for more than %(hours)s hours, or signed in for more than "
                "%(days)s days). Please sign in again.",
                hours=SESSION_IDLE_SECONDS // 3600,
                days=SESSION_MAX_SECONDS // 86400,
            ),
            "info",
        )
        if g.get("kept_path"):
            flash(_("Nothing was saved. What you typed is kept: sign in again to find it on the page."), "info")
        return
    if now - session["seen"] >= SEEN_EVERY_SECONDS:
        session["seen"] = now
    g.user = row
    g.principal = user_store.principal(row)
    audit.set_actor(get_db(), row["id"])  # the audit log names who made each change


def login_required(view):
    @wraps(view)
    def wrapped(*args, **kwargs):
        if g.get("user") is None:
            back = request.full_path if request.method == "GET" else g.get("kept_path")
            return redirect(url_for("auth.login", next=back))
        return view(*args, **kwargs)

    return wrapped


def check_lao_scope(lao_id: int, edit: bool = False, rule=access.can_edit_lao, view=access.can_view_lao) -> None:
    """Stop the request unless the user may see the LAO (404) and, with ``edit``, change
    it (403; ``rule`` says who may change what: LAO details by default; ``view`` who may
    see the page at all: the LAO's records are hidden from its facilitators). Reads only
    where the LAO is, not its record: a handler that hands the work to a service checks this."""
    try:
        scope = lao_store.lao_scope(get_db(), lao_id)
    except NotFound:
        abort(404)
    if not view(g.principal, scope):
        abort(404)
    if edit and not rule(g.principal, scope):
        abort(403)


def lao_in_scope(lao_id: int, edit: bool = False, rule=access.can_edit_lao, view=access.can_view_lao) -> dict:
    """The LAO if the user may see it (404 otherwise); 403 if it may see but not change it
    (``rule`` and ``view`` as for ``check_lao_scope``)."""
    check_lao_scope(lao_id, edit, rule, view)
    return lao_store.get_lao(get_db(), lao_id)


def require(allowed: bool, *, hide: bool = True) -> None:
    """Stop the request unless ``allowed``: 404 hides the object, 403 refuses the action."""
    if not allowed:
        abort(404 if hide else 403)


def parse_id(value) -> int | None:
    """An id a browser sent (form field or query string), or None when it cannot be one
    (not digits, or too large for SQLite's INTEGER)."""
    text = str(value or "")
    return int(text) if text.isdecimal() and text.isascii() and len(text) < 19 else None


def send_document(content: bytes, filename: str, fmt: str, thai_name: str | None = None):
    """A generated or archived document: PDFs open in the browser, DOCX and XLSX download.

    ``filename`` is ASCII (``minutes-29.pdf``), ``thai_name`` what a person sees
    (``รายงานการประชุม-เวทีหมู่ที่3-2569.pdf``): RFC 6266 ``filename*=UTF-8''…`` for
    every browser of today, ``filename=`` for the rest."""
    import io
    from urllib.parse import quote

    from flask import send_file

    from formsvc.services import FORMATS

    response = send_file(
        io.BytesIO(content), mimetype=FORMATS[fmt], as_attachment=fmt != "pdf", download_name=filename, max_age=0
    )
    if thai_name:
        disposition = "attachment" if fmt != "pdf" else "inline"
        ascii_name = filename.encode("ascii", "replace").decode().replace('"', "").replace("\\", "")
        response.headers["Content-Disposition"] = (
            f"{disposition}; filename=\"{ascii_name}\"; filename*=UTF-8''{quote(thai_name, safe='')}"
        )
    return response


def requested_year(db) -> int:
    """The programme year a page or the API is asked for: ``?year=`` (a year opened;
    anything else, malformed or unknown, answers 404) or else the open year."""
    from formsvc.store import programme

    value = request.args.get("year", "")
    if value == "":
        return programme.get_programme(db).year_be
    year = programme.parse_year(value)
    if year is None or year not in programme.years(db):
        abort(404)
    return year


def year_choices(db, year: int) -> dict:
    """What a page's year selector needs: the years opened (newest first), the one shown,
    and whether it is the open year (the others are closed: read only)."""
    from formsvc.store import programme

    years = programme.years(db)
    return {
        "years": years[::-1],
        "year": year,
        "open_year": years[-1] if years else year,
        "is_open_year": not years or year == years[-1],
    }
