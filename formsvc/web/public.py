"""The public page: ``/public`` and its open data (``/public/rollup.csv``,
``/public/rollup.json``), without signing in, read only (GET). The KPI of the nation
and of each province, each model LAO with the criteria it met as reported, and the
honours list of a programme year's period (services.public). No person's name or
contact is on them. An admin hides a year's page (``/admin/public-page``): it then
answers 404, the open data too."""

from __future__ import annotations

import csv
import io
import json

from flask import Blueprint, Response, abort, flash, g, redirect, render_template, request, url_for
from flask_babel import gettext as _

from formsvc.domain import access, criteria
from formsvc.domain.errors import NotFound
from formsvc.services import public as public_service
from formsvc.web.context import get_db, login_required, requested_year, require, year_choices
from formsvc.web.filters import district_label
from formsvc.web.forms import PostForm

bp = Blueprint("public", __name__)

# the open data may be kept by a browser or a proxy for a few minutes: it is the same for
# everyone (the HTML page carries the visitor's own CSRF token for the language switch)
DATA_MAX_AGE = 300


@bp.app_template_filter()
def district_shown(display_name: str) -> str:
    """A roll-up row's district ('อำเภอเมืองอำนาจเจริญ') in the page's language."""
    if display_name.startswith("อำเภอ"):
        return district_label({"kind": "amphoe", "name_th": display_name.removeprefix("อำเภอ")})
    return display_name


@bp.app_template_filter()
def criterion_title(criterion) -> str:
    """A criterion's title in the page's language (the template's ``_`` would read the
    "%" of "20% of projects" as a placeholder)."""
    return _(criterion.title_en)


@bp.app_template_global()
def public_page_shown(year: int) -> bool:
    return public_service.is_shown(get_db(), year)


def _requested() -> tuple[int, int | None]:
    """?year= and ?period= as asked (404 for a year hidden or unknown, a malformed period)."""
    db = get_db()
    year = requested_year(db)
    if not public_service.is_shown(db, year):
        abort(_hidden(year))
    value = request.args.get("period", "")
    if value == "":
        return year, None
    if not (value.isdecimal() and value.isascii() and len(value) < 3):
        abort(404)
    return year, int(value)


def _hidden(year: int) -> Response:
    """404: the page of a year an admin hid, and nothing of its data."""
    title = _("Page not found")
    message = _("The public page of programme year %(year)s is not shown.", year=year)
    if request.path.endswith(".json"):
        body = json.dumps({"error": title, "message": message}, ensure_ascii=False)
        return Response(body, 404, {"Content-Type": "application/json; charset=utf-8"})
    return Response(render_template("pages/error.html", status=404, title=title, message=message), 404)


def _payload() -> dict:
    year, period = _requested()
    try:
        return public_service.payload(get_db(), year, period)
    except NotFound:
        abort(404)


@bp.get("/public")
def page():
    data = _payload()
    db = get_db()
    year = data["programme_year"]
    hidden = public_service.hidden_years(db)
    years = year_choices(db, year)
    years["years"] = [y for y in years["years"] if y not in hidden]
    response = Response(
        render_template(
            "pages/public.html",
            d=data,
            periods=public_service.periods(db, year),
            **years,
            licence_th=public_service.LICENCE_TH,
        )
    )
    response.headers["Cache-Control"] = "private, no-cache"
    return response


@bp.get("/public/rollup.json")
def rollup_json():
    data = _payload()
    body = json.dumps(data, ensure_ascii=False, indent=1)
    return Response(
        body,
        content_type="application/json; charset=utf-8",
        headers={"Cache-Control": f"public, max-age={DATA_MAX_AGE}"},
    )


CSV_COLUMNS = [
    "level",
    "programme_year",
    "period",
    "province_code",
    "province",
    "district_code",
    "district",
    "lao_id",
    "lao",
    "model_laos",
    "meeting_all",
    "kpi_percent",
    *[f"criterion_{n}" for n in range(1, criteria.COUNT + 1)],
    "reported",
    "report_version",
    "submitted_on",
]


def csv_rows(data: dict) -> list[list]:
    """The open data as rows: the nation, each province, each model LAO (criteria as
    counts of LAOs meeting each for the first two, 1/0 for an LAO, blank when it did
    not report), then the licence."""
    year, period = data["programme_year"], data["period"]
    count = len(data["criteria"])
    rows = [CSV_COLUMNS[:12] + [f"criterion_{n}" for n in range(1, count + 1)] + CSV_COLUMNS[-3:]]

    def totals(level, code, name, t):
        return [level, year, period, code, name, "", "", "", "", t["selected"], t["passing"], t["kpi_percent"]] + [
            *t["criteria_met"],
            t["reported"],
            "",
            "",
        ]

    rows.append(totals("national", "", "", data["national"]))
    rows += [totals("province", p["code"], p["name"], p) for p in data["provinces"]]
    for lao in data["laos"]:
        met = lao["criteria"]
        rows.append(
            ["lao", year, period, lao["province_code"], lao["province"], lao["district_code"], lao["district"]]
            + [lao["lao_id"], lao["name"], 1, int(lao["all_met"]), ""]
            + ([int(m) for m in met] if met is not None else [""] * count)
            + [int(lao["reported"]), lao["report_version"] or "", lao["submitted_on"] or ""]
        )
    rows.append([])
    rows.append([f"licence: {data['licence']} {data['licence_url']}; attribution: {data['attribution']}"])
    return rows


@bp.get("/public/rollup.csv")
def rollup_csv():
    data = _payload()
    out = io.StringIO()
    csv.writer(out, lineterminator="\r\n").writerows(csv_rows(data))
    body = "\ufeff" + out.getvalue()  # UTF-8 with a BOM: Excel reads the Thai
    name = f"public-rollup-{data['programme_year']}-{data['period']}.csv"
    return Response(
        body.encode("utf-8"),
        headers={
            "Content-Type": "text/csv; charset=utf-8",
            "Content-Disposition": f'attachment; filename="{name}"',
            "Cache-Control": f"public, max-age={DATA_MAX_AGE}",
        },
    )


@bp.post("/admin/public-page")
@login_required
def set_shown():
    """Show or hide a programme year's public page (admins; ?year=, any year opened)."""
    require(access.is_admin(g.principal))
    db = get_db()
    year = requested_year(db)
    form = PostForm()
    shown = request.form.get("shown")
    if not form.validate_on_submit() or shown not in ("0", "1"):
        flash(_("The public page was not changed: the request was not understood. Please try again."), "error")
        return redirect(url_for("admin.settings", year=year))
    public_service.set_shown(db, year, shown == "1", g.user["id"])
    if shown == "1":
        flash(_("The public page of programme year %(year)s is shown.", year=year), "success")
    else:
        flash(_("The public page of programme year %(year)s is hidden: it answers 'not found'.", year=year), "success")
    return redirect(url_for("admin.settings", year=year))
