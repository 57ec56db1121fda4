"""formsvc: forms and documents for the community-plan programme of Thai LAOs."""

from __future__ import annotations

from pathlib import Path

from flask import Flask

from formsvc.paths import PACKAGE, ROOT, TEMPLATES  # noqa: F401 (re-exported: where the files are)


def create_app(config: dict | None = None) -> Flask:
    """The Flask app factory. ``config`` overrides settings from the environment."""
    from formsvc import config as settings
    from formsvc.web import init_app

    values = settings.from_env_without_secret()
    values.update(config or {})
    instance_dir = Path(values["DATABASE"]).resolve().parent
    if not values.get("SECRET_KEY"):
        values["SECRET_KEY"] = settings.secret_key(instance_dir)
    app = Flask(
        __name__,
        template_folder=str(TEMPLATES / "html"),
        static_folder="static",
        instance_path=str(instance_dir),
    )
    app.config.from_mapping(values)
    if app.config.get("TRUSTED_PROXIES"):
        from werkzeug.middleware.proxy_fix import ProxyFix

        hops = app.config["TRUSTED_PROXIES"]
        app.wsgi_app = ProxyFix(app.wsgi_app, x_for=hops, x_proto=hops)
    init_app(app)
    return app
