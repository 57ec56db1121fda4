"""Home pages by role and the district, province and national pages."""

from __future__ import annotations

import datetime

from flask import Blueprint, abort, current_app, flash, g, redirect, render_template, request, url_for
from flask_babel import gettext as _

from formsvc import services
from formsvc.documents.kinds import Ask
from formsvc.domain import access, thai
from formsvc.store import geography, programme
from formsvc.store import laos as lao_store
from formsvc.store import reports as report_store
from formsvc.store.errors import InputError
from formsvc.store.versions import parse_version
from formsvc.web.context import (
    get_db,
    keeps_typing,
    login_required,
    page_form,
    requested_year,
    require,
    send_document,
    year_choices,
)
from formsvc.web.filters import lao_name
from formsvc.web.forms import ModelLaoForm, apply_error

bp = Blueprint("dashboards", __name__)
# the model LAO's form gets its typing back after a language switch or an expiry
keeps_typing("dashboards.district", posted_to="dashboards.select_model")
SELECTION_DAYS = ("agreed_on", "consent_on", "consent_letter_date")


@bp.app_context_processor
def inbox_context():
    return {"inbox_badge": inbox_badge}


def inbox_badge() -> list[dict]:
    """The navigation's counts of what waits for the signed-in user, each with its label
    and the part of the home page that lists it: reports to review and its own returned
    district report (district), returned reports (clerk), district reports to review and
    districts with late or missing reports (province), provinces with late or missing
    reports (national); for a province or district office also the follow-ups of
    monitoring visits in its area that are due and not done, when there are any.
    Computed once a request, in a fixed number of queries."""
    if "inbox_badge" in g:
        return g.inbox_badge
    user = g.get("principal")
    try:
        badges = _badge(user) if user is not None else []
    except Exception:  # an error page (the database failing, say) still shows
        current_app.logger.exception("the navigation's inbox count")
        badges = []
    g.inbox_badge = badges
    return badges


def _badge(user) -> list[dict]:
    db, badges = get_db(), []
    if user.role == "district":
        badges.append(
            {
                "label": _("To review"),
                "count": services.inbox.district_count(db, user.district_code),
                "url": url_for("dashboards.district", code=user.district_code, _anchor="inbox"),
            }
        )
        returned = len(services.inbox.returned_district_reports(db, user.district_code))
        if returned:  # the district's own report, sent back by the province
            badges.append(
                {
                    "label": _("Returned"),
                    "count": returned,
                    "url": url_for("dashboards.district", code=user.district_code, _anchor="district-report"),
                }
            )
        _follow_up_badge(
            badges,
            services.inbox.follow_ups_due_count(db, district_code=user.district_code),
            url_for("dashboards.district", code=user.district_code, _anchor="follow-ups"),
        )
    elif user.role == "lao_clerk":
        badges.append(
            {
                "label": _("Returned"),
                "count": services.inbox.clerk_count(db, user.lao_id),
                "url": url_for("laos.checklist", lao_id=user.lao_id, _anchor="inbox"),
            }
        )
    elif user.role == "province":
        badges.append(
            {
                "label": _("To review"),
                "count": len(services.inbox.province_district_reports(db, user.province_code)),
                "url": url_for("dashboards.province", code=user.province_code, _anchor="district-reports-waiting"),
            }
        )
        returned = len(services.inbox.returned_province_reports(db, user.province_code))
        if returned:  # the province's own report, sent back by the national office
            badges.append(
                {
                    "label": _("Returned"),
                    "count": returned,
                    "url": url_for("dashboards.province", code=user.province_code, _anchor="province-report"),
                }
            )
        badges.append(
            {
                "label": _("Districts late or missing"),
                "count": services.inbox.area_count(db, "district", user.province_code),
                "url": url_for("dashboards.province", code=user.province_code, _anchor="inbox"),
            }
        )
        _follow_up_badge(
            badges,
            services.inbox.follow_ups_due_count(db, province_code=user.province_code),
            url_for("dashboards.province", code=user.province_code, _anchor="follow-ups"),
        )
    elif user.role == "national":
        badges.append(
            {
                "label": _("To review"),
                "count": len(services.inbox.national_province_reports(db)),
                "url": url_for("dashboards.national", _anchor="province-reports-waiting"),
            }
        )
        badges.append(
            {
                "label": _("Provinces late or missing"),
                "count": services.inbox.area_count(db, "province"),
                "url": url_for("dashboards.national", _anchor="inbox"),
            }
        )
    return badges


def _follow_up_badge(badges: list[dict], count: int, url: str) -> None:
    """The office's follow-ups of monitoring visits due and not done, when there are any
    (the follow-ups section of its page lists them)."""
    if count:
        badges.append({"label": _("Follow-ups due"), "count": count, "url": url})


@bp.get("/")
@login_required
def home():
    user = g.principal
    if user.role == "lao_clerk":
        return redirect(url_for("laos.checklist", lao_id=user.lao_id))
    if user.role == "district":
        return redirect(url_for("dashboards.district", code=user.district_code))
    if user.role == "facilitator":  # no district roll-up: the LAOs whose forums it records
        return redirect(url_for("laos.index"))
    if user.role == "province":
        return redirect(url_for("dashboards.province", code=user.province_code))
    if user.role == "national":
        return redirect(url_for("dashboards.national"))
    return redirect(url_for("admin.index"))


def _district_or_404(code: str) -> dict:
    district = geography.district(get_db(), code)
    if district is None:
        abort(404)
    require(access.can_view_district(g.principal, district["code"], district["province_code"]))
    return district


def _district_page(district: dict, form: ModelLaoForm, status: int = 200, year: int | None = None):
    db = get_db()
    year = year or programme.get_programme(db).year_be
    years = year_choices(db, year)
    laos = lao_store.list_laos(db, district_code=district["code"], programme_year=year)
    form.lao_id.choices = [(lao["id"], lao_name(lao)) for lao in laos]
    current = lao_store.model_lao(db, district["code"], year)
    record = lao_store.selection_record(db, district["code"], year, current["lao_id"]) if current else None
    if current and form.lao_id.data is None:
        form.lao_id.data = current["lao_id"]
    if not form.version.data:
        form.version.data = str(current["version"] if current else 0)
    the_period = _period(year) or services.current_period(db, year=year)
    return render_template(
        "pages/district.html",
        district_report=services.inbox.district_report_statuses(db, district["province_code"], the_period, year)[
            district["code"]
        ],
        district_report_period=the_period,
        returned_district_reports=services.inbox.returned_district_reports(db, district["code"]),
        follow_ups=services.inbox.follow_ups(db, district_code=district["code"]),
        district=district,
        laos=laos,
        form=form,
        current=current,
        record=record,
        r=services.rollup(db, district_code=district["code"], period=_period(year), year=year),
        inbox=services.inbox.district_inbox(db, district["code"]),
        periods=report_store.programme_periods(db, year),
        **years,
        changes=lao_store.model_lao_changes(db, district["code"], year),
        # a closed year's model LAO stays as it was: only the open year's can be chosen
        can_select=years["is_open_year"] and access.can_select_model_lao(g.principal, district["code"]),
        can_create=access.can_create_lao(g.principal, district["code"]),
    ), status


@bp.get("/districts/<code>")
@login_required
def district(code):
    district = _district_or_404(code)
    db = get_db()
    year = requested_year(db)
    current = lao_store.model_lao(db, district["code"], year or programme.get_programme(db).year_be)
    record = (
        lao_store.selection_record(db, district["code"], current["programme_year"], current["lao_id"])
        if current
        else None
    )
    form = page_form(
        ModelLaoForm,
        editable=access.can_select_model_lao(g.principal, district["code"]),
        formdata=None,
        data=_selection_data(record),
    )
    return _district_page(district, form, year=year)


def _selection_data(record: dict | None) -> dict:
    """The form's fields filled with the current selection's record (none when not recorded)."""
    if record is None or record["consent_on"] is None:
        return {}
    return {
        key: thai.date_input(datetime.date.fromisoformat(record[key]))
        if key in SELECTION_DAYS and record[key]
        else record[key] or ""
        for key in lao_store.SELECTION_KEYS
    }


def _selection_input(form: ModelLaoForm) -> lao_store.SelectionRecord:
    """The record typed on the form, its dates read (InputError naming the field)."""
    values = {key: getattr(form, key).data or "" for key in lao_store.SELECTION_KEYS}
    for key in SELECTION_DAYS:
        text = values[key].strip()
        try:
            values[key] = thai.parse_date_input(text) if text else None
        except InputError as error:
            raise InputError(error.msg, key) from None
    return lao_store.SelectionRecord(**values)


@bp.post("/districts/<code>/model-lao")
@login_required
def select_model(code):
    district = _district_or_404(code)
    require(access.can_select_model_lao(g.principal, district["code"]), hide=False)
    db = get_db()
    form = ModelLaoForm()
    year = programme.get_programme(db).year_be
    form.lao_id.choices = [
        (lao["id"], lao_name(lao)) for lao in lao_store.list_laos(db, district_code=code, programme_year=year)
    ]
    if form.validate_on_submit():
        try:
            changed = lao_store.select_model_lao(
                db,
                code,
                year,
                form.lao_id.data,
                g.user["id"],
                parse_version(form.version.data),
                record=_selection_input(form),
            )
        except InputError as error:  # a ConflictError too: shown on the form, typing kept
            apply_error(form, error)
        else:
            saved = {
                "selected": _("Model LAO saved."),
                "recorded": _("The record of how the model LAO was selected was saved."),
            }
            flash(saved.get(changed, _("This LAO was already the model LAO, with the same record.")), "success")
            return redirect(url_for("dashboards.district", code=code))
    return _district_page(district, form, 400)


def _period(year: int | None = None) -> int | None:
    """?period=N when it names a reporting period of the programme year (else the current one)."""
    value = request.args.get("period", "")
    numbers = {p.number for p in report_store.programme_periods(get_db(), year)}
    return int(value) if value.isdecimal() and value.isascii() and len(value) < 4 and int(value) in numbers else None


@bp.get("/provinces/<code>")
@login_required
def province(code):
    db = get_db()
    prov = geography.province(db, code)
    if prov is None:
        abort(404)
    require(access.can_view_province(g.principal, code))
    year = requested_year(db)
    years = year_choices(db, year)
    districts = geography.districts_of(db, code)
    laos = lao_store.list_laos(db, province_code=code, programme_year=year)
    by_district = {d["code"]: {"laos": 0, "model": None, "row": None} for d in districts}
    for lao in laos:
        entry = by_district[lao["district_code"]]
        entry["laos"] += 1
        if lao["is_model"]:
            entry["model"] = lao
    result = services.rollup(db, province_code=code, period=_period(year), year=year)
    for row in result["laos"]:
        by_district[row["district_code"]]["row"] = row
    return render_template(
        "pages/province.html",
        district_reports=services.inbox.district_report_statuses(db, code, result["period"], year),
        waiting_district_reports=services.inbox.province_district_reports(db, code),
        province_report=services.inbox.province_report_statuses(db, result["period"], year, province_code=code)[code],
        returned_province_reports=services.inbox.returned_province_reports(db, code),
        province=prov,
        districts=districts,
        by_district=by_district,
        r=result,
        periods=report_store.programme_periods(db, year),
        **years,
        overdue=services.inbox.group_overdue(services.inbox.overdue(db, code), "district"),
        follow_ups=services.inbox.follow_ups(db, province_code=code),
        zip_form=_export_form(result["period"], code) if years["is_open_year"] else None,
    )


@bp.get("/national")
@login_required
def national():
    require(access.can_view_national(g.principal))
    db = get_db()
    year = requested_year(db)
    years = year_choices(db, year)
    rows = geography.provinces_with_amphoe_counts(db)
    result = services.rollup(db, period=_period(year), year=year)
    groups = {grp["code"]: grp for grp in services.group_rollup(result, "province")}
    totals = {"amphoe": sum(r["amphoe"] for r in rows), "selected": result["selected"]}
    return render_template(
        "pages/national.html",
        provinces=rows,
        groups=groups,
        totals=totals,
        r=result,
        periods=report_store.programme_periods(db, year),
        **years,
        overdue=services.inbox.group_overdue(services.inbox.overdue(db), "province"),
        province_reports=services.inbox.province_report_statuses(db, result["period"], year),
        waiting_province_reports=services.inbox.national_province_reports(db),
        chain=services.chain.status(db, result["period"], year),
        zip_form=_export_form(result["period"], "") if years["is_open_year"] else None,
    )


def _export_form(period: int, province_code: str):
    """The ZIP download form, for users who may export this scope."""
    from formsvc.web.exports import export_form

    if not access.can_export_reports(g.principal, province_code or None):
        return None
    return export_form(period, province_code)


def _summary(level: str, code: str | None, fmt: str):
    db = get_db()
    year = requested_year(db)
    # the summary is signed by who downloads it, as their profile names them
    compiler = {"name": g.user["display_name"], "position": g.user["position"]}
    where = {level: code} if code else {}
    period = _period(year)
    if level == "national" and period is None:  # the national summary is of one period: the current one
        period = services.current_period(db, year=year) if year == programme.open_year(db) else None
        period = period or len(report_store.programme_periods(db, year))
    ask = Ask(fmt, period=period, year=year, compiler=compiler, **where)
    content, name, thai_name = services.document_named(db, f"{level}-summary", ask)
    return send_document(content, name, fmt, thai_name)


@bp.get("/national/summary.<any(pdf, docx):fmt>")
@login_required
def national_summary(fmt):
    # national users and admins compile it; others are refused (not hidden: the page says it exists)
    require(access.can_view_national(g.principal), hide=False)
    return _summary("national", None, fmt)


@bp.get("/districts/<code>/summary.<any(pdf, docx):fmt>")
@login_required
def district_summary(code, fmt):
    _district_or_404(code)
    return _summary("district", code, fmt)


@bp.get("/provinces/<code>/summary.<any(pdf, docx):fmt>")
@login_required
def province_summary(code, fmt):
    if geography.province(get_db(), code) is None:
        abort(404)
    require(access.can_view_province(g.principal, code))
    return _summary("province", code, fmt)
