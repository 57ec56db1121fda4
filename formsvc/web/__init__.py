"""The web layer: blueprints, forms, access checks, error pages."""

from __future__ import annotations

from flask import Flask, abort, g, request, send_file, session
from flask_babel import Babel, get_locale
from flask_wtf.csrf import CSRFProtect
from werkzeug.routing import IntegerConverter

from formsvc import i18n
from formsvc.documents import fonts
from formsvc.web import filters
from formsvc.web.context import close_db, get_db, load_user

csrf = CSRFProtect()
babel = Babel()

CSP = (
    "default-src 'self'; img-src 'self' data:; style-src 'self'; script-src 'self'; "
    "font-src 'self'; object-src 'none'; base-uri 'none'; form-action 'self'; frame-ancestors 'none'"
)

HSTS = "max-age=31536000"  # a year; not includeSubDomains: other services may share the domain


def select_locale() -> str:
    user = g.get("user")
    if user is not None:
        return user["locale"]
    lang = session.get("locale")
    if lang in i18n.LOCALES:
        return lang
    return "th"


def _install_template_gettext(app: Flask) -> None:
    """The templates' ``_``/``gettext``/``ngettext`` on this request's catalog, looked up
    once per request (``filters.translations``): Flask-Babel's own look the locale and
    the catalog up again for every string, and a page has hundreds. Same catalog, and
    Jinja's own newstyle wrappers (autoescaping, %-formatting) around it."""
    app.jinja_env.install_gettext_callables(
        gettext=lambda s: filters.translations().ugettext(s),
        ngettext=lambda s, p, n: filters.translations().ungettext(s, p, n),
        newstyle=True,
        pgettext=lambda c, s: filters.translations().upgettext(c, s),
        npgettext=lambda c, s, p, n: filters.translations().unpgettext(c, s, p, n),
    )


class IdConverter(IntegerConverter):
    """A row id: a positive integer that fits SQLite's INTEGER (larger ones are 404)."""

    def __init__(self, url_map, *args, **kwargs):
        super().__init__(url_map, min=1, max=2**63 - 1)


def init_app(app: Flask) -> None:
    app.url_map.converters["id"] = IdConverter
    i18n.compile_catalogs()
    app.config.setdefault("BABEL_TRANSLATION_DIRECTORIES", str(i18n.TRANSLATIONS))
    babel.init_app(app, locale_selector=select_locale)
    _install_template_gettext(app)  # after Flask-Babel's, which it replaces
    csrf.init_app(app)
    app.teardown_appcontext(close_db)
    app.before_request(load_user)
    filters.register(app)

    @app.context_processor
    def locale_context():
        return {"current_locale": str(get_locale() or "th")}

    @app.after_request
    def security_headers(response):
        response.headers.setdefault("Content-Security-Policy", CSP)
        response.headers.setdefault("X-Content-Type-Options", "nosniff")
        response.headers.setdefault("X-Frame-Options", "DENY")
        response.headers.setdefault("Referrer-Policy", "same-origin")
        if app.config.get("SESSION_COOKIE_SECURE"):
            # served over HTTPS (FORMSVC_SECURE_COOKIES=1): browsers never use plain HTTP
            # here again, so a cookie or a sign-in cannot be read off an http:// request
            response.headers.setdefault("Strict-Transport-Security", HSTS)
        if g.get("user") is not None and request.endpoint not in ("static", "font", "favicon"):
            # pages and documents carry personal data: never kept by a browser or proxy
            response.headers["Cache-Control"] = "no-store"
        return response

    from formsvc.web import (
        admin,
        api,
        area_reports,
        attachments,
        audit,
        auth,
        dashboards,
        errors,
        exports,
        forums,
        laos,
        meetings,
        projects,
        public,
        reports,
        visits,
        working_group,
    )

    for module in (
        auth,
        dashboards,
        laos,
        working_group,
        forums,
        meetings,
        projects,
        reports,
        visits,
        attachments,
        exports,
        admin,
        audit,
        api,
    ):
        app.register_blueprint(module.bp)
    app.register_blueprint(area_reports.district_bp)
    app.register_blueprint(area_reports.province_bp)
    app.register_blueprint(public.bp)  # /public: no sign-in
    errors.register(app)

    @app.get("/fonts/<name>")
    def font(name):
        """The service's own Sarabun files (the UI and the PDFs use the same font)."""
        if name not in fonts.FILES:
            abort(404)
        return send_file(fonts.FILES[name], mimetype="font/ttf", max_age=86400)

    @app.get("/favicon.ico")
    def favicon():
        """No icon. Pages say so themselves (rel=icon data:,), but a PDF opened in the
        browser's viewer has no such link and the browser asks here: answer without a 404."""
        return "", 204, {"Cache-Control": "public, max-age=86400"}

    @app.get("/healthz")
    def healthz():
        from formsvc.store.db import schema_version

        return {"status": "ok", "schema_version": schema_version(get_db())}
