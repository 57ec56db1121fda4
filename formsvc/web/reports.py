"""Bi-monthly reports: the LAO writes and submits, the district acknowledges or returns."""

from __future__ import annotations

from flask import Blueprint, abort, flash, g, redirect, render_template, request, url_for
from flask_babel import gettext as _

from formsvc import services
from formsvc.domain import access, clock
from formsvc.domain.errors import InputError, NotFound
from formsvc.domain.reports import STATUS_TH, days_late
from formsvc.store import laos as lao_store
from formsvc.store import programme as programme_store
from formsvc.store import reports as report_store
from formsvc.store.versions import parse_version
from formsvc.web.context import get_db, keeps_typing, lao_in_scope, login_required, page_form, send_document
from formsvc.web.forms import ReportForm, ReviewForm, SubmitReportForm, apply_error

bp = Blueprint("reports", __name__)
keeps_typing("reports.report", posted_to="reports.review")  # typing comes back after a language switch or an expiry


def _scope(lao_id: int):
    return lao_store.lao_scope(get_db(), lao_id)


@bp.get("/laos/<id:lao_id>/reports")
@login_required
def index(lao_id):
    lao = lao_in_scope(lao_id, view=access.can_view_lao_records)
    db = get_db()
    today = clock.today()
    days = report_store.late_days(db)
    reports = report_store.reports_of(db, lao_id)
    rows = []
    for p in report_store.programme_periods(db):
        report = reports.get(p.number)
        status = report["status"] if report else None
        late = days_late(p, report_store.first_days_late(report) if report else None, today, days)
        rows.append(
            {
                "period": p,
                "status": status,
                "status_th": STATUS_TH[status or "missing"],
                "due": p.due(days),
                "days_late": late,
                "open": today >= p.start,
            }
        )
    return render_template("pages/reports.html", lao=lao, rows=rows)


def _period_or_404(number: int):
    try:
        return report_store.period(get_db(), number)
    except NotFound:
        abort(404)


def _page(lao, number, form=None, review_form=None, status=200):
    db = get_db()
    period = _period_or_404(number)
    report = report_store.get_report(db, lao["id"], number)
    scope = _scope(lao["id"])
    can_edit = access.can_keep_lao_records(g.principal, scope) and report["status"] not in ("submitted", "acknowledged")
    can_review = access.can_review_reports(g.principal, scope) and report["status"] == "submitted"
    if form is None:
        data = {**report, "version": str(report["version"])}
        if can_edit and not (report["reporter_name"] or report["reporter_position"]):
            # a report nobody signed yet: its writer's name and position, editable
            data["reporter_name"], data["reporter_position"] = g.user["display_name"], g.user["position"]
        form = page_form(ReportForm, editable=can_edit, formdata=None, data=data)
    days = report_store.late_days(db)
    return render_template(
        "pages/report.html",
        lao=lao,
        period=period,
        report=report,
        form=form,
        review_form=review_form or page_form(ReviewForm, editable=can_review, formdata=None),
        status_th=STATUS_TH,
        days_late=days_late(period, report_store.first_days_late(report), clock.today(), days),
        due=period.due(days),
        can_edit=can_edit,
        can_review=can_review,
    ), status


@bp.route("/laos/<id:lao_id>/reports/<id:number>", methods=["GET", "POST"])
@login_required
def report(lao_id, number):
    lao = lao_in_scope(
        lao_id, edit=request.method == "POST", rule=access.can_keep_lao_records, view=access.can_view_lao_records
    )
    _period_or_404(number)
    if request.method == "GET":
        return _page(lao, number)
    db = get_db()
    form = ReportForm()
    if form.validate():
        values = {
            k: getattr(form, k).data
            for k in ("progress", "problems", "suggestions", "reporter_name", "reporter_position")
        }
        try:
            if request.form.get("action") == "submit":
                # the submit's own checks first, so a refused submit saves nothing
                report_store.check_submittable(db, lao_id, number, values, clock.today())
            report_store.save_draft(db, lao_id, number, values, g.user["id"], parse_version(form.version.data))
        except InputError as error:
            apply_error(form, error)
        else:
            if request.form.get("action") == "submit":  # saved first: what is sent is what was on screen
                flash(_("Draft saved. Check the report below, then confirm to send it."), "success")
                return redirect(url_for("reports.submit", lao_id=lao_id, number=number))
            flash(_("Draft saved."), "success")
            return redirect(url_for("reports.report", lao_id=lao_id, number=number))
    return _page(lao, number, form, status=400)


def _edit_lao(lao_id: int) -> dict:
    return lao_in_scope(lao_id, edit=True, rule=access.can_keep_lao_records, view=access.can_view_lao_records)


def _confirm_page(lao, number, form=None, status=200):
    """The step before sending: the draft, the version it will be, what is missing."""
    db = get_db()
    period = _period_or_404(number)
    report = report_store.get_report(db, lao["id"], number)
    if form is None:
        form = SubmitReportForm(formdata=None, data={"version": str(report["version"])})
    problems = []
    try:
        report_store.check_submittable(db, lao["id"], number, report, clock.today())
    except InputError as error:
        problems.append(error.text(_))
    return render_template(
        "pages/report_confirm.html",
        lao=lao,
        period=period,
        report=report,
        form=form,
        problems=problems,
        next_version=len(report["submissions"]) + 1,
        emblem=services.emblem(db, lao["id"]),
        can_edit_group=access.can_keep_lao_records(g.principal, _scope(lao["id"])),
    ), status


@bp.route("/laos/<id:lao_id>/reports/<id:number>/submit", methods=["GET", "POST"])
@login_required
def submit(lao_id, number):
    lao = _edit_lao(lao_id)
    _period_or_404(number)
    db = get_db()
    report = report_store.get_report(db, lao_id, number)
    if report["status"] in ("submitted", "acknowledged"):
        # already sent (a second click, or another clerk): nothing more is sent
        flash(_("This report has already been sent."), "info")
        return redirect(url_for("reports.report", lao_id=lao_id, number=number))
    if request.method == "GET":
        return _confirm_page(lao, number)
    form = SubmitReportForm()
    if form.validate_on_submit():
        if form.version.data != str(report["version"]):
            form.form_errors.append(
                _("The report was changed after this page was opened. Check it again, then confirm.")
            )
            form.version.data = str(report["version"])
            return _confirm_page(lao, number, form, 400)
        try:
            version = services.submit_report(db, lao_id, number, g.user["id"])
        except InputError as error:
            apply_error(form, error)
        else:
            flash(_("Report submitted to the district (version %(n)s).", n=version), "success")
            return redirect(url_for("reports.report", lao_id=lao_id, number=number))
    return _confirm_page(lao, number, form, 400)


@bp.post("/laos/<id:lao_id>/reports/<id:number>/review")
@login_required
def review(lao_id, number):
    lao = lao_in_scope(lao_id, edit=True, rule=access.can_review_reports, view=access.can_view_lao_records)
    _period_or_404(number)
    form = ReviewForm()
    decision = {"acknowledge": "acknowledged", "return": "returned"}.get(request.form.get("decision", ""))
    valid = form.validate_on_submit()  # always, so every error shows at once
    if decision is None:
        form.form_errors.append(_("Choose to acknowledge the report or to return it."))
    elif valid:
        try:
            report_store.review(get_db(), lao_id, number, decision, form.comment.data, g.user["id"])
        except InputError as error:
            apply_error(form, error)
        else:
            flash(
                _("Report acknowledged.") if decision == "acknowledged" else _("Report returned to the LAO."), "success"
            )
            return redirect(url_for("reports.report", lao_id=lao_id, number=number))
    return _page(lao, number, review_form=form, status=400)


@bp.get("/laos/<id:lao_id>/reports/<id:number>/v<id:version>.<any(pdf, docx):fmt>")
@login_required
def submitted_file(lao_id, number, version, fmt):
    lao_in_scope(lao_id, view=access.can_view_lao_records)
    try:
        row = report_store.submission(get_db(), lao_id, number, version)
    except NotFound:
        abort(404)
    year = programme_store.get_programme(get_db()).year_be
    thai_name = f"รายงานผลการดำเนินงาน-ครั้งที่{number}-{year}-ฉบับที่{version}.{fmt}"
    return send_document(row[fmt], f"report-{number}-v{version}.{fmt}", fmt, thai_name)
