"""District and province reports: the district office compiles and submits its report
of a period to the province, which acknowledges or returns it; the province office
compiles the district reports it acknowledged and submits its report to the national
office, which acknowledges or returns it. One set of views serves both levels."""

from __future__ import annotations

from dataclasses import dataclass

from flask import Blueprint, abort, flash, g, redirect, render_template, request, url_for
from flask_babel import gettext as _
from flask_babel import lazy_gettext as _l

from formsvc import services
from formsvc.documents.kinds import Ask
from formsvc.domain import access
from formsvc.domain.errors import InputError, NotFound
from formsvc.domain.model import district_display_name
from formsvc.services import area_reports
from formsvc.store import area_reports as store
from formsvc.store import geography
from formsvc.store import programme as programme_store
from formsvc.store import reports as report_store
from formsvc.store.versions import parse_version
from formsvc.web.context import (
    get_db,
    keeps_typing,
    login_required,
    page_form,
    requested_year,
    require,
    send_document,
)
from formsvc.web.forms import DistrictReportForm, ProvinceReportForm, ReviewForm, SubmitReportForm, apply_error


@dataclass(frozen=True)
class Views:
    """What differs between the district and the province report pages."""

    level: store.Level
    endpoint: str  # the blueprint's name
    prefix: str  # the area's URL
    form: type
    home: str  # the area's page (endpoint)
    thai_name: str  # a sent version's download name
    saved_then_check: object
    submitted: object
    acknowledged: object
    returned: object

    def area(self, code: str) -> dict:
        """The area, when the user may see its reports (404 otherwise: a district office
        sees its own, a province office its own and its districts', national users all)."""
        db = get_db()
        found = geography.district(db, code) if self.level is store.DISTRICT else geography.province(db, code)
        if found is None:
            abort(404)
        if self.level is store.DISTRICT:
            require(access.can_view_district(g.principal, found["code"], found["province_code"]))
        else:
            require(access.can_view_province(g.principal, found["code"]))
        return found

    def can_compile(self, area: dict) -> bool:
        if self.level is store.DISTRICT:
            return access.can_compile_district_report(g.principal, area["code"])
        return access.can_compile_province_report(g.principal, area["code"])

    def can_review(self, area: dict) -> bool:
        if self.level is store.DISTRICT:
            return access.can_review_district_report(g.principal, area["province_code"])
        return access.can_review_province_report(g.principal)

    def area_name(self, area: dict) -> str:
        if self.level is store.DISTRICT:
            return district_display_name(area["kind"], area["name_th"])
        return area["name_th"]


DISTRICT = Views(
    store.DISTRICT,
    "district_reports",
    "/districts/<code>/reports/<id:number>",
    DistrictReportForm,
    "dashboards.district",
    "รายงานผลการดำเนินงานระดับอำเภอ",
    _l("Draft saved. Check the district report below, then confirm to send it."),
    _l("District report submitted to the province (version %(n)s)."),
    _l("District report acknowledged."),
    _l("District report returned to the district."),
)
PROVINCE = Views(
    store.PROVINCE,
    "province_reports",
    "/provinces/<code>/reports/<id:number>",
    ProvinceReportForm,
    "dashboards.province",
    "รายงานผลการดำเนินงานระดับจังหวัด",
    _l("Draft saved. Check the province report below, then confirm to send it."),
    _l("Province report submitted to the national office (version %(n)s)."),
    _l("Province report acknowledged."),
    _l("Province report returned to the province."),
)


def _period_or_404(number: int, year: int | None = None):
    try:
        return report_store.period(get_db(), number, year)
    except NotFound:
        abort(404)


def _year() -> tuple[int, bool]:
    """The programme year asked for (``?year=``, default the open one) and whether it is
    the open year: a closed year's reports are read only."""
    db = get_db()
    year = requested_year(db)
    return year, year == programme_store.get_programme(db).year_be


def _compiler() -> dict:
    return area_reports.compiler_of(dict(g.user))


def blueprint(views: Views) -> Blueprint:
    bp = Blueprint(views.endpoint, __name__)
    keeps_typing(f"{views.endpoint}.report", posted_to=f"{views.endpoint}.review")
    level = views.level

    def page(area, number, form=None, review_form=None, status=200):
        db = get_db()
        year, is_open = _year() if request.method == "GET" else (None, True)
        _period_or_404(number, year)
        shown = area_reports.view(db, level, area["code"], number, _compiler(), year)
        report = shown["report"]
        can_edit = is_open and views.can_compile(area) and report["status"] not in store.SENT
        can_review = is_open and views.can_review(area) and report["status"] == "submitted"
        if form is None:
            form = page_form(
                views.form, editable=can_edit, formdata=None, data={**report, "version": str(report["version"])}
            )
        return render_template(
            "pages/area_report.html",
            level=level.name,
            ep=views.endpoint,
            home=views.home,
            area=area,
            form=form,
            review_form=review_form or page_form(ReviewForm, editable=can_review, formdata=None),
            can_edit=can_edit,
            can_review=can_review,
            year_arg=None if is_open else year,
            **shown,
        ), status

    @bp.route(views.prefix, methods=["GET", "POST"])
    @login_required
    def report(code, number):
        area = views.area(code)
        if request.method == "GET":
            return page(area, number)
        require(views.can_compile(area), hide=False)
        _period_or_404(number)
        form = views.form()
        if form.validate():
            values = {"comments": form.comments.data, "recommendations": form.recommendations.data}
            try:
                store.save_draft(get_db(), level, code, number, values, g.user["id"], parse_version(form.version.data))
            except InputError as error:
                apply_error(form, error)
            else:
                if request.form.get("action") == "submit":
                    flash(str(views.saved_then_check), "success")
                    return redirect(url_for(f"{views.endpoint}.submit", code=code, number=number))
                flash(_("Draft saved."), "success")
                return redirect(url_for(f"{views.endpoint}.report", code=code, number=number))
        return page(area, number, form, status=400)

    def confirm_page(area, number, form=None, status=200):
        db = get_db()
        period = _period_or_404(number)
        report = store.get(db, level, area["code"], number)
        if form is None:
            form = SubmitReportForm(formdata=None, data={"version": str(report["version"])})
        return render_template(
            "pages/area_report_confirm.html",
            level=level.name,
            ep=views.endpoint,
            area=area,
            period=period,
            report=report,
            form=form,
            next_version=len(report["submissions"]) + 1,
        ), status

    @bp.route(views.prefix + "/submit", methods=["GET", "POST"])
    @login_required
    def submit(code, number):
        area = views.area(code)
        require(views.can_compile(area), hide=False)
        _period_or_404(number)
        db = get_db()
        report = store.get(db, level, code, number)
        if report["status"] in store.SENT:
            flash(str(level.already_sent.text(_)), "info")
            return redirect(url_for(f"{views.endpoint}.report", code=code, number=number))
        if request.method == "GET":
            return confirm_page(area, number)
        form = SubmitReportForm()
        if form.validate_on_submit():
            if form.version.data != str(report["version"]):
                form.form_errors.append(
                    _("The report was changed after this page was opened. Check it again, then confirm.")
                )
                form.version.data = str(report["version"])
                return confirm_page(area, number, form, 400)
            try:
                version = area_reports.submit(db, level, code, number, dict(g.user))
            except InputError as error:
                apply_error(form, error)
            else:
                flash(str(views.submitted) % {"n": version}, "success")
                return redirect(url_for(f"{views.endpoint}.report", code=code, number=number))
        return confirm_page(area, number, form, 400)

    @bp.post(views.prefix + "/review")
    @login_required
    def review(code, number):
        area = views.area(code)
        require(views.can_review(area), hide=False)
        _period_or_404(number)
        form = ReviewForm()
        decision = {"acknowledge": "acknowledged", "return": "returned"}.get(request.form.get("decision", ""))
        valid = form.validate_on_submit()
        if decision is None:
            form.form_errors.append(_("Choose to acknowledge the report or to return it."))
        elif valid:
            try:
                store.review(get_db(), level, code, number, decision, form.comment.data, g.user["id"])
            except InputError as error:
                apply_error(form, error)
            else:
                flash(str(views.acknowledged if decision == "acknowledged" else views.returned), "success")
                return redirect(url_for(f"{views.endpoint}.report", code=code, number=number))
        return page(area, number, review_form=form, status=400)

    @bp.get(views.prefix + "/report.<any(pdf, docx):fmt>")
    @login_required
    def document(code, number, fmt):
        """The latest version as sent, or the draft as it stands now (marked ร่าง)."""
        views.area(code)
        year, _open = _year()
        _period_or_404(number, year)
        ask = Ask(fmt, period=number, year=year, compiler=_compiler(), **{level.name: code})
        content, name, thai_name = services.document_named(get_db(), f"{level.name}-report", ask)
        return send_document(content, name, fmt, thai_name)

    @bp.get(views.prefix + "/memo.<any(pdf, docx):fmt>")
    @login_required
    def memo(code, number, fmt):
        """The memo sending the report up: as the latest version was sent, else as now."""
        views.area(code)
        year, _open = _year()
        _period_or_404(number, year)
        ask = Ask(fmt, period=number, year=year, compiler=_compiler(), **{level.name: code})
        content, name, thai_name = services.document_named(get_db(), f"{level.name}-cover-memo", ask)
        return send_document(content, name, fmt, thai_name)

    @bp.get(views.prefix + "/v<id:version>.<any(pdf, docx):fmt>")
    @login_required
    def submitted_file(code, number, version, fmt):
        area = views.area(code)
        year, _open = _year()
        try:
            row = store.submission(get_db(), level, code, number, version, year)
        except NotFound:
            abort(404)
        thai_name = f"{views.thai_name}-{views.area_name(area)}-ครั้งที่{number}-{year}-ฉบับที่{version}.{fmt}"
        return send_document(row[fmt], f"{level.name}-report-{code}-{number}-v{version}.{fmt}", fmt, thai_name)

    return bp


district_bp = blueprint(DISTRICT)
province_bp = blueprint(PROVINCE)
