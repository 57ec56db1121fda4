"""JSON under /api/v1/: the same scope checks as the pages; 401 instead of a login redirect."""

from __future__ import annotations

from functools import wraps

from flask import Blueprint, g, jsonify

from formsvc import services
from formsvc.web.context import get_db, lao_in_scope, requested_year

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
    """?year=<BE>: that programme year's criteria (default: the open year); a year not
    opened answers 404."""
    lao_in_scope(lao_id)
    db = get_db()
    return jsonify(services.compliance(db, lao_id, requested_year(db)))


@bp.get("/rollup")
@api_login_required
def rollup():
    """?province=<code>&period=<n>&year=<BE>: national and admin users see any scope, a
    province user its own province; anything else (a year not opened too) answers 404."""
    from flask import abort, request

    from formsvc.domain import access
    from formsvc.store import geography
    from formsvc.store.errors import NotFound

    db = get_db()
    province = request.args.get("province") or None
    if province is None:
        if not access.can_view_national(g.principal):
            abort(404)
    elif geography.province(db, province) is None or not access.can_view_province(g.principal, province):
        abort(404)
    year = requested_year(db)
    period = request.args.get("period", "")
    if period and not (period.isdecimal() and period.isascii() and len(period) < 4):
        abort(404)
    try:
        return jsonify(services.rollup(db, province_code=province, period=int(period) if period else None, year=year))
    except NotFound:
        abort(404)


@bp.get("/exports/<id:job_id>")
@api_login_required
def export_job(job_id):
    """The progress of one of the user's export jobs (the progress bar polls this)."""
    from formsvc.web import exports

    return jsonify(exports.job_json(exports.followed_job(job_id)))
