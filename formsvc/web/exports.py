"""ZIPs of a period's report forms, made in the background: start, follow, cancel,
download. A job belongs to the user who started it; anyone else gets 404."""

from __future__ import annotations

from flask import Blueprint, abort, current_app, flash, g, redirect, render_template, request, send_file, url_for
from flask_babel import gettext as _

from formsvc import exports, tasks
from formsvc.domain import access
from formsvc.store import exports as job_store
from formsvc.store import geography, programme
from formsvc.store import reports as report_store
from formsvc.store.errors import InputError, NotFound
from formsvc.web.context import get_db, login_required, require
from formsvc.web.filters import message, period_label
from formsvc.web.forms import ExportReportsForm, apply_error

bp = Blueprint("exports", __name__)


def _db_path() -> str:
    return current_app.config["DATABASE"]


def _enqueue() -> None:
    """Hand the queued jobs to the task queue's jobs worker (formsvc/tasks.py).
    EXPORT_RUNNER=False (tests of the pages alone): jobs stay queued."""
    if current_app.config.get("EXPORT_RUNNER", True):
        tasks.enqueue_exports(_db_path())


def export_form(period: int | None = None, province_code: str | None = None) -> ExportReportsForm:
    """The start form with the periods of the programme and the provinces the user may
    export: its own for a province office, any or all for national and admin users."""
    db = get_db()
    form = ExportReportsForm()
    form.period.choices = [
        (p.number, _("Period %(n)s", n=p.number) + f": {period_label(p)}") for p in report_store.programme_periods(db)
    ]
    if g.principal.role == "province":
        code = g.principal.province_code
        name = geography.province_name(db, code)
        form.province.choices = [(code, name)] if name is not None else []
    else:
        form.province.choices = [("", _("Whole country"))] + [
            (r["code"], r["name_th"]) for r in geography.provinces_by_name(db)
        ]
    if not form.is_submitted():
        if period is not None:
            form.period.data = period
        if province_code is not None:
            form.province.data = province_code
    return form


def _job(job_id: int) -> dict:
    """The user's own job, while the user may still export its scope."""
    require(access.can_export_reports(g.principal, g.principal.province_code))
    try:
        job = job_store.get(get_db(), job_id, g.principal.id)
    except NotFound:
        abort(404)
    require(access.can_export_reports(g.principal, job["province_code"]))
    return job


@bp.get("/exports")
@login_required
def index(form=None, status=200):
    require(access.can_export_reports(g.principal, g.principal.province_code))
    db = get_db()
    exports.remove_stale_files(db, _db_path())
    form = form or export_form(province_code=g.principal.province_code)
    return render_template("pages/exports.html", form=form, jobs=job_store.of_user(db, g.principal.id)), status


@bp.post("/exports/reports")
@login_required
def start():
    # another province (or the whole country, for a province office) is out of scope:
    # 404, as for any object outside it; a value that names no scope is a form error
    scope = request.form.get("province", "")
    if scope == "" or (scope.isascii() and scope.isdigit() and len(scope) == 2):
        require(access.can_export_reports(g.principal, scope or None))
    form = export_form()
    if not form.validate_on_submit():
        return index(form, 400)
    province_code = form.province.data or None
    require(access.can_export_reports(g.principal, province_code))
    db = get_db()
    try:
        job_id, created = job_store.create(
            db, g.principal.id, programme.get_programme(db).year_be, form.period.data, province_code, form.formats.data
        )
    except InputError as error:
        apply_error(form, error)
        return index(form, 400)
    if created:
        _enqueue()
    else:
        flash(_("The same files are already being made: here is their progress."), "info")
    return redirect(url_for("exports.job", job_id=job_id))


def followed_job(job_id: int) -> dict:
    """The user's job as it stands, after noticing a dead worker (a running job
    without a heartbeat fails) or a job that no worker took in 10 minutes (it fails)."""
    job = _job(job_id)
    if not job["finished"]:
        if job_store.reap(get_db()):
            job = _job(job_id)
    return job


@bp.get("/exports/<id:job_id>")
@login_required
def job(job_id):
    job = followed_job(job_id)
    return render_template("pages/export_job.html", job=job, scope=_scope_name(job), status_label=_status_label(job))


def _scope_name(job: dict) -> str:
    if job["province_code"] is None:
        return _("Whole country")
    return _("Province %(name)s", name=geography.province_name(get_db(), job["province_code"]))


@bp.post("/exports/<id:job_id>/cancel")
@login_required
def cancel(job_id):
    _job(job_id)
    job = job_store.cancel(get_db(), job_id, g.principal.id)
    if job["status"] in ("cancelled", "running"):
        flash(_("Cancelled.") if job["status"] == "cancelled" else _("Stopping…"), "info")
    return redirect(url_for("exports.job", job_id=job_id))


@bp.get("/exports/<id:job_id>/download")
@login_required
def download(job_id):
    job = _job(job_id)
    path = exports.job_file(_db_path(), job_id)
    if job["status"] != "done" or not path.is_file():
        flash(_("This file is no longer available. Please make it again."), "error")
        return redirect(url_for("exports.job", job_id=job_id))
    return send_file(path, mimetype="application/zip", as_attachment=True, download_name=job["file_name"], max_age=0)


def job_json(job: dict) -> dict:
    """What the progress bar needs (also the JSON API)."""
    return {
        "id": job["id"],
        "status": job["status"],
        "label": _status_label(job),
        "done": job["done"],
        "total": job["total"],
        "percent": job["percent"],
        "finished": job["finished"],
        "error": message(job["error"]),
        "download_url": url_for("exports.download", job_id=job["id"]) if job["status"] == "done" else None,
    }


def _status_label(job: dict) -> str:
    labels = {
        "queued": _("Waiting in the queue"),
        "running": _("Making the files"),
        "done": _("Ready"),
        "failed": _("Failed"),
        "cancelled": _("Cancelled"),
        "expired": _("Expired (file removed)"),
    }
    label = labels[job["status"]]
    if job["status"] == "running" and job["cancel_requested"]:
        label = _("Stopping…")
    return label
