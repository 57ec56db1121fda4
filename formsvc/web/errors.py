"""Thai error pages (403, 404, 500; 400 for a bad or missing CSRF token)."""

from __future__ import annotations

from flask import Flask, jsonify, render_template, request
from flask_babel import gettext as _
from flask_wtf.csrf import CSRFError


def register(app: Flask) -> None:
    def page(status: int, title: str, message: str):
        if request.path.startswith("/api/"):
            return jsonify({"error": title, "message": message}), status
        return render_template("pages/error.html", status=status, title=title, message=message), status

    @app.errorhandler(CSRFError)
    def csrf_error(_error):
        return page(
            400,
            _("The form has expired"),
            _("Please go back, reload the page and submit the form again. Nothing was saved."),
        )

    @app.errorhandler(400)
    def bad_request(_error):
        return page(400, _("Bad request"), _("The request could not be read. Nothing was saved."))

    @app.errorhandler(403)
    def forbidden(_error):
        return page(403, _("Not allowed"), _("Your role may not do this."))

    @app.errorhandler(404)
    def not_found(_error):
        return page(404, _("Page not found"), _("There is no such page, or it is outside what you may see."))

    @app.errorhandler(405)
    def method_not_allowed(_error):
        return page(405, _("Not allowed"), _("This page does not accept that kind of request."))

    @app.errorhandler(413)
    def too_large(_error):
        return page(413, _("File too large"), _("The upload is larger than allowed. Nothing was saved."))

    @app.errorhandler(500)
    def server_error(_error):
        return page(
            500,
            _("Something went wrong"),
            _("The system could not finish this request. Nothing was saved; please try again."),
        )
