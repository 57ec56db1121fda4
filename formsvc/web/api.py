"""JSON under /api/v1/: the same scope checks as the pages; 401 instead of a login redirect."""
from __future__ import annotations

from functools import wraps

from flask import Blueprint, g, jsonify

from formsvc import services
from formsvc.web.context import get_db, lao_in_scope

bp = Blueprint("api", __name__, url_prefix="/api/v1")


def api_login_required(view):
    @wraps(view)
    def wrapped(*args, **kwargs):
        if g.get("user") is None:
            return jsonify({"error": "กรุณาเข้าสู่ระบบ"}), 401
        return view(*args, **kwargs)
    return wrapped


@bp.get("/laos/<id:lao_id>/compliance")
@api_login_required
def compliance(lao_id):
    lao_in_scope(lao_id)
    return jsonify(services.compliance(get_db(), lao_id))
