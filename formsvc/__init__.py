"""formsvc: forms and documents for the community-plan programme of Thai LAOs."""
from __future__ import annotations

from pathlib import Path

from flask import Flask

PACKAGE = Path(__file__).resolve().parent
# The source tree (a checkout; the editable install and the tests run from one).
ROOT = PACKAGE.parent


def _templates() -> Path:
    """templates/ (docx/ and html/): inside the package when installed from a wheel or
    sdist (setup.py copies it there at build time), else at the top of the source tree."""
    for candidate in (PACKAGE / "templates", ROOT / "templates"):
        if (candidate / "html").is_dir() and (candidate / "docx").is_dir():
            return candidate
    raise RuntimeError(f"formsvc: no templates/ in {PACKAGE} nor in {ROOT}: this install was "
                       "built without them (build from a checkout or an sdist with setup.py)")


TEMPLATES = _templates()


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
