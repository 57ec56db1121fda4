"""District reports: the district office compiles and submits its report of a period to
the province; the province acknowledges or returns it."""

from __future__ import annotations

from flask import Blueprint, abort, flash, g, redirect, render_template, request, url_for
from flask_babel import gettext as _

from formsvc import services
from formsvc.documents.kinds import Ask
from formsvc.domain import access
from formsvc.domain.errors import InputError, NotFound
from formsvc.domain.model import district_display_name
from formsvc.services import district_reports
from formsvc.store import district_reports as store
from formsvc.store import geography
from formsvc.store import programme as programme_store
from formsvc.store import reports as report_store
from formsvc.store.versions import parse_version
from formsvc.web.context import get_db, keeps_typing, login_required, page_form, require, send_document
from formsvc.web.forms import DistrictReportForm, ReviewForm, SubmitReportForm, apply_error

bp = Blueprint("district_reports", __name__)
keeps_typing("district_reports.report", posted_to="district_reports.review")


def _district(code: str) -> dict:
    """The district, when the user may see its reports (404 otherwise: a district office
    sees its own, a province office its districts)."""
    district = geography.district(get_db(), code)
    if district is None:
        abort(404)
    require(access.can_view_district(g.principal, district["code"], district["province_code"]))
    return district


def _period_or_404(number: int):
    try:
        return report_store.period(get_db(), number)
    except NotFound:
        abort(404)


def _compiler() -> dict:
    return {"name": g.user["display_name"] or g.user["username"], "position": g.user["position"]}


def _page(district, number, form=None, review_form=None, status=200):
    db = get_db()
    _period_or_404(number)
    shown = district_reports.view(db, district["code"], number, _compiler())
    report = shown["report"]
    can_edit = access.can_compile_district_report(g.principal, district["code"]) and report["status"] not in store.SENT
    can_review = (
        access.can_review_district_report(g.principal, district["province_code"]) and report["status"] == "submitted"
    )
    if form is None:
        form = page_form(
            DistrictReportForm, editable=can_edit, formdata=None, data={**report, "version": str(report["version"])}
        )
    return render_template(
        "pages/district_report.html",
        district=district,
        form=form,
        review_form=review_form or page_form(ReviewForm, editable=can_review, formdata=None),
        can_edit=can_edit,
        can_review=can_review,
        **shown,
    ), status


@bp.route("/districts/<code>/reports/<id:number>", methods=["GET", "POST"])
@login_required
def report(code, number):
    district = _district(code)
    if request.method == "GET":
        return _page(district, number)
    require(access.can_compile_district_report(g.principal, district["code"]), hide=False)
    _period_or_404(number)
    form = DistrictReportForm()
    if form.validate():
        values = {"comments": form.comments.data, "recommendations": form.recommendations.data}
        try:
            store.save_draft(get_db(), code, number, values, g.user["id"], parse_version(form.version.data))
        except InputError as error:
            apply_error(form, error)
        else:
            if request.form.get("action") == "submit":
                flash(_("Draft saved. Check the district report below, then confirm to send it."), "success")
                return redirect(url_for("district_reports.submit", code=code, number=number))
            flash(_("Draft saved."), "success")
            return redirect(url_for("district_reports.report", code=code, number=number))
    return _page(district, number, form, status=400)


def _confirm_page(district, number, form=None, status=200):
    db = get_db()
    period = _period_or_404(number)
    report = store.get(db, district["code"], number)
    if form is None:
        form = SubmitReportForm(formdata=None, data={"version": str(report["version"])})
    return render_template(
        "pages/district_report_confirm.html",
        district=district,
        period=period,
        report=report,
        form=form,
        next_version=len(report["submissions"]) + 1,
    ), status


@bp.route("/districts/<code>/reports/<id:number>/submit", methods=["GET", "POST"])
@login_required
def submit(code, number):
    district = _district(code)
    require(access.can_compile_district_report(g.principal, district["code"]), hide=False)
    _period_or_404(number)
    db = get_db()
    report = store.get(db, code, number)
    if report["status"] in store.SENT:
        flash(_("This district report has already been sent."), "info")
        return redirect(url_for("district_reports.report", code=code, number=number))
    if request.method == "GET":
        return _confirm_page(district, number)
    form = SubmitReportForm()
    if form.validate_on_submit():
        if form.version.data != str(report["version"]):
            form.form_errors.append(
                _("The report was changed after this page was opened. Check it again, then confirm.")
            )
            form.version.data = str(report["version"])
            return _confirm_page(district, number, form, 400)
        try:
            version = district_reports.submit(db, code, number, dict(g.user))
        except InputError as error:
            apply_error(form, error)
        else:
            flash(_("District report submitted to the province (version %(n)s).", n=version), "success")
            return redirect(url_for("district_reports.report", code=code, number=number))
    return _confirm_page(district, number, form, 400)


@bp.post("/districts/<code>/reports/<id:number>/review")
@login_required
def review(code, number):
    district = _district(code)
    require(access.can_review_district_report(g.principal, district["province_code"]), hide=False)
    _period_or_404(number)
    form = ReviewForm()
    decision = {"acknowledge": "acknowledged", "return": "returned"}.get(request.form.get("decision", ""))
    valid = form.validate_on_submit()
    if decision is None:
        form.form_errors.append(_("Choose to acknowledge the report or to return it."))
    elif valid:
        try:
            store.review(get_db(), code, number, decision, form.comment.data, g.user["id"])
        except InputError as error:
            apply_error(form, error)
        else:
            flash(
                _("District report acknowledged.")
                if decision == "acknowledged"
                else _("District report returned to the district."),
                "success",
            )
            return redirect(url_for("district_reports.report", code=code, number=number))
    return _page(district, number, review_form=form, status=400)


@bp.get("/districts/<code>/reports/<id:number>/report.<any(pdf, docx):fmt>")
@login_required
def document(code, number, fmt):
    """The latest version as sent, or the draft as it stands now (marked ร่าง)."""
    _district(code)
    _period_or_404(number)
    content, name, thai_name = services.document_named(
        get_db(), "district-report", Ask(fmt, district=code, period=number, compiler=_compiler())
    )
    return send_document(content, name, fmt, thai_name)


@bp.get("/districts/<code>/reports/<id:number>/v<id:version>.<any(pdf, docx):fmt>")
@login_required
def submitted_file(code, number, version, fmt):
    district = _district(code)
    try:
        row = store.submission(get_db(), code, number, version)
    except NotFound:
        abort(404)
    year = programme_store.get_programme(get_db()).year_be
    area = district_display_name(district["kind"], district["name_th"])
    thai_name = f"รายงานผลการดำเนินงานระดับอำเภอ-{area}-ครั้งที่{number}-{year}-ฉบับที่{version}.{fmt}"
    return send_document(row[fmt], f"district-report-{code}-{number}-v{version}.{fmt}", fmt, thai_name)
