"""Signing in and out, and the interface language."""

from __future__ import annotations

import re
import threading
from urllib.parse import urlsplit

from flask import Blueprint, flash, g, redirect, render_template, request, session, url_for
from flask_babel import gettext as _

from formsvc import i18n
from formsvc.store import audit
from formsvc.store import users as user_store
from formsvc.store.errors import InputError
from formsvc.store.versions import parse_version
from formsvc.web.context import get_db, keep_typing, keeps_typing, login_required, page_form, start_session, typing_page
from formsvc.web.forms import EmailForm, LanguageForm, LoginForm, PasswordChangeForm, ProfileForm, apply_error

bp = Blueprint("auth", __name__)
# One sign-in at a time in each server process. The throttle counts every attempt as a
# failure until its password has been checked (store.users.sign_in), so attempts in
# flight at once count against the limits: with a worker's threads all signing in to
# one shared office account, the fifth at the same moment was refused as "too many
# failed sign-ins". Across processes at most one each is in flight, as with one
# request per process.
_signing_in = threading.Lock()
keeps_typing("auth.account")  # typing comes back after a language switch or an expiry (never a password)
keeps_typing("auth.email")
CONTROL = re.compile("[\x00-\x1f\x7f-\x9f]")


def safe_next(target: str | None) -> str | None:
    """Only a path on this site, never another host (no open redirect), and nothing a
    Location header cannot carry (a line break there was a 500)."""
    if not target or CONTROL.search(target) or "\\" in target:
        return None
    parts = urlsplit(target)
    if parts.scheme or parts.netloc or not target.startswith("/") or target.startswith("//"):
        return None
    return target


@bp.route("/login", methods=["GET", "POST"])
def login():
    if g.user is not None and request.method == "GET":
        return redirect(url_for("dashboards.home"))
    form = LoginForm()
    if request.method == "GET":
        form.next.data = safe_next(request.args.get("next"))
    if form.validate_on_submit():
        try:
            with _signing_in:
                user = user_store.sign_in(get_db(), form.username.data, form.password.data, request.remote_addr)
        except user_store.SignInPaused as paused:
            form.password.errors = [paused_message(paused)]
            return (render_template("pages/login.html", form=form), 429, {"Retry-After": str(paused.minutes * 60)})
        if user is not None:
            locale = session.get("locale")
            _start_session(user)
            if locale in i18n.LOCALES and locale != user["locale"]:
                user_store.set_locale(get_db(), user["id"], locale)
            return redirect(safe_next(form.next.data) or url_for("dashboards.home"))
        form.password.errors = [_("Wrong username or password.")]
    status = 200 if request.method == "GET" or not form.errors else 400
    return render_template("pages/login.html", form=form), status


def _start_session(user: dict) -> None:
    start_session(user)
    audit.set_actor(get_db(), user["id"])  # what this request writes is theirs


def paused_message(paused) -> str:
    """When sign-in may be tried again, in Thai time, in the request's language; the
    same words whether or not the username exists."""
    return paused.text(_)


@bp.route("/account", methods=["GET", "POST"])
@login_required
def account():
    """Every user keeps their own name and position: new reports and forum minutes are
    filled with them, and lists of who did what show them."""
    db = get_db()
    user = user_store.get_user(db, g.user["id"])
    form = page_form(
        ProfileForm,
        data=None
        if request.method == "POST"
        else {"version": str(user["version"]), "display_name": user["display_name"], "position": user["position"]},
    )
    if form.validate_on_submit():
        try:
            user_store.update_profile(
                db,
                g.user["id"],
                display_name=form.display_name.data,
                position=form.position.data,
                expected_version=parse_version(form.version.data),
            )
        except InputError as error:
            apply_error(form, error)
        else:
            flash(_("Your name and position have been saved."), "success")
            return redirect(url_for("auth.account"))
    status = 200 if request.method == "GET" else 400
    return render_template("pages/account.html", form=form, user=user), status


@bp.route("/account/password", methods=["GET", "POST"])
@login_required
def change_password():
    """Every user changes their own password; the current one is asked for. Other
    sessions of the user end; this one continues with a fresh session."""
    form = PasswordChangeForm()
    if form.validate_on_submit():
        try:
            user_store.change_password(
                get_db(), g.user["id"], form.current_password.data, form.password.data, address=request.remote_addr
            )
        except user_store.SignInPaused as paused:
            form.current_password.errors = [paused_message(paused)]
        except InputError as error:
            apply_error(form, error)
        else:
            _start_session(user_store.get_user(get_db(), g.user["id"]))
            flash(_("Your password has been changed. Other sessions of your account have been signed out."), "success")
            return redirect(url_for("dashboards.home"))
    status = 200 if request.method == "GET" else 400
    return render_template("pages/password.html", form=form), status


@bp.route("/account/email", methods=["GET", "POST"])
@login_required
def email():
    """Every user sets their own e-mail address for notices and reminders, and may turn
    them off (docs/mail.md)."""
    user = user_store.get_user(get_db(), g.user["id"])
    form = page_form(
        EmailForm, data=None if request.method == "POST" else {"email": user["email"], "notify": bool(user["notify"])}
    )
    if form.validate_on_submit():
        try:
            user_store.set_email(get_db(), g.user["id"], form.email.data, form.notify.data)
        except InputError as error:
            apply_error(form, error)
        else:
            flash(_("Your e-mail settings have been saved."), "success")
            return redirect(url_for("auth.email"))
    status = 200 if request.method == "GET" else 400
    return render_template("pages/account_email.html", form=form), status


@bp.post("/logout")
@login_required
def logout():
    # CSRF is checked by CSRFProtect before we get here. Ending the session server-side
    # means a copied cookie stops working too.
    user_store.end_sessions(get_db(), g.user["id"])
    session.clear()
    flash(_("You have signed out."), "info")
    return redirect(url_for("auth.login"))


@bp.post("/language")
def language():
    """Switch the interface language and go back to the page. On a page with an edit form
    the language buttons send that form here (``form=``/``formaction=``, see base.html):
    what was typed is kept for this user and that page (store.kept_forms) and the page
    fills its form with it again, not saved, so switching never loses typing, with or
    without JavaScript."""
    form = LanguageForm()
    target = safe_next(form.next.data or request.args.get("next"))
    if form.validate_on_submit() and form.locale.data in i18n.LOCALES:
        if g.user is not None:
            user_store.set_locale(get_db(), g.user["id"], form.locale.data)
            page = typing_page()
            if page is not None:
                keep_typing(g.user["id"], page, "language")
        session["locale"] = form.locale.data
    return redirect(target or url_for("dashboards.home"))
