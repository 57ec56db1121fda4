"""The project list: ranks, plan and budget marks, Excel import and export, criteria 4 and 5."""

from __future__ import annotations

import io

from flask import Blueprint, abort, flash, g, redirect, render_template, request, send_file, url_for
from flask_babel import gettext as _

from formsvc import imports, services
from formsvc.documents import context as doc_context
from formsvc.domain import access, criteria
from formsvc.domain.errors import InputError, NotFound
from formsvc.domain.model import plan_years
from formsvc.store import laos as lao_store
from formsvc.store import programme as programme_store
from formsvc.store import projects as project_store
from formsvc.store.versions import parse_version
from formsvc.web.context import get_db, keeps_typing, lao_in_scope, login_required, page_form, parse_id
from formsvc.web.filters import dimension_label, village_row_label
from formsvc.web.forms import ImportForm, PostForm, ProjectForm, ProjectTableForm, apply_error, posted_rows
from formsvc.web.laos import flash_removed

bp = Blueprint("projects", __name__)
for _endpoint in ("index", "edit_all", "edit"):
    keeps_typing(f"projects.{_endpoint}")  # typing comes back after a language switch or an expiry
EDIT_PAGE = ProjectTableForm.PAGE  # rows of the table editor a page shows and saves
XLSX = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"
MARKS = {
    "plan-on": ("in_development_plan", True),
    "plan-off": ("in_development_plan", False),
    "budget-on": ("in_budget_draft", True),
    "budget-off": ("in_budget_draft", False),
    "powers-on": ("within_authority", True),
    "powers-off": ("within_authority", False),
}


def _lao(lao_id: int, edit: bool = False) -> dict:
    return lao_in_scope(lao_id, edit=edit, rule=access.can_keep_lao_records, view=access.can_view_lao_records)


def _can_edit(lao_id: int) -> bool:
    return access.can_keep_lao_records(g.principal, lao_store.lao_scope(get_db(), lao_id))


def _prepare(form: ProjectForm, lao_id: int) -> None:
    db = get_db()
    form.dimension.choices = [(d, dimension_label(d)) for d in programme_store.dimensions(db)]
    form.village_id.choices = [("", "—")] + [
        (str(v["id"]), village_row_label(v)) for v in lao_store.villages(db, lao_id)
    ]


def chain(db, lao_id: int, year: int | None = None) -> dict:
    """The chain at a glance: projects → within powers → in plan → in budget (of programme
    year ``year``, default the open one)."""
    c4, c5, issues = services.criteria_4_and_5(db, lao_id, year)
    prog = programme_store.get_programme(db, year)
    rows = project_store.list_projects(db, lao_id, prog.year_be)
    total = len(rows)
    adopted = sum(1 for r in rows if r["adopted"])
    steps = [
        {"label": _("Projects from the community plans"), "count": total, "of": total},
        {"label": _("Adopted by an LAO-level forum"), "count": adopted, "of": total},
        {"label": _("Within the LAO's powers"), "count": c4.denominator, "of": adopted},
        {
            "label": _("In the development plan %(year)s", year=prog.next_year_be),
            "count": c4.numerator,
            "of": c4.denominator,
            "threshold": 20,
        },
        {
            "label": _("In the draft budget %(year)s", year=prog.next_year_be),
            "count": c5.numerator,
            "of": c5.denominator,
            "threshold": 10,
        },
    ]
    for step, met in zip(steps, (None, None, None, c4.met, c5.met), strict=False):
        step["percent"] = criteria.percent(step["count"], step["of"], met)
        step["met"] = met
    budget = sum((r["budget"] for r in rows if r["budget"] is not None and r["in_budget_draft"]), start=0)
    return {
        "steps": steps,
        "c4": c4,
        "c5": c5,
        "issues": issues,
        "budget": budget,
        "year": prog.next_year_be,
        "not_adopted": total - adopted,
    }


def _page(lao: dict, form: ProjectForm | None = None, status: int = 200, selected: set[int] = frozenset()):
    db = get_db()
    year = programme_store.get_programme(db).year_be
    if form is None:
        form = page_form(ProjectForm, editable=_can_edit(lao["id"]), formdata=None)
        _prepare(form, lao["id"])
    return render_template(
        "pages/projects.html",
        lao=lao,
        year=year,
        rows=project_store.list_projects(db, lao["id"], year),
        chain=chain(db, lao["id"]),
        form=form,
        import_form=ImportForm(),
        post_form=PostForm(),
        can_edit=_can_edit(lao["id"]),
        selected=selected,
        import_forums=project_store.lao_forums(db, lao["id"], year),
        pdf_max_rows=doc_context.PROJECT_LIST_PDF_MAX_ROWS,
    ), status


def _list_versions() -> dict[int, int]:
    """The version of each project as the list page showed it (hidden fields v<id>)."""
    return {
        int(key[1:]): parse_version(value)
        for key, value in request.form.items()
        if key.startswith("v") and key[1:].isdecimal() and key[1:].isascii() and len(key) < 19
    }


@bp.route("/laos/<id:lao_id>/projects", methods=["GET", "POST"])
@login_required
def index(lao_id):
    lao = _lao(lao_id, edit=request.method == "POST")
    if request.method == "GET":
        return _page(lao)
    form = ProjectForm()
    _prepare(form, lao_id)
    if form.validate():
        try:
            project_store.add_project(
                get_db(), lao_id, programme_store.get_programme(get_db()).year_be, _values(form), g.user["id"]
            )
        except InputError as error:
            apply_error(form, error)
        else:
            flash(_("Project added."), "success")
            return redirect(url_for("projects.index", lao_id=lao_id))
    return _page(lao, form, 400)


def _values(form: ProjectForm) -> dict:
    return {
        "rank": form.rank.data,
        "name": form.name.data,
        "dimension": form.dimension.data,
        "village_id": form.village_id.data or None,
        "within_authority": form.within_authority.data,
        "in_development_plan": form.in_development_plan.data,
        "plan_reference": form.plan_reference.data,
        "in_budget_draft": form.in_budget_draft.data,
        "budget": form.budget.data,
        **{key: getattr(form, key).data for key in ProjectForm.PLAN_TEXTS},
        "plan_budgets": [getattr(form, key).data for key in ProjectForm.PLAN_BUDGETS],
    }


def plan_labels(form: ProjectForm, programme_year: int) -> None:
    """The plan budget fields named by their years: 'Budget 2566 (baht)'."""
    for key, year in zip(ProjectForm.PLAN_BUDGETS, plan_years(programme_year + 1), strict=True):
        getattr(form, key).label.text = _("Budget %(year)s (baht)", year=year)


def _page_number(value: str | None, pages: int) -> int:
    """The page asked for, 1 to ``pages``; anything else is the first page."""
    if value and value.isdecimal() and value.isascii() and len(value) < 7:
        return max(1, min(int(value), pages))
    return 1


@bp.route("/laos/<id:lao_id>/projects/edit", methods=["GET", "POST"])
@login_required
def edit_all(lao_id):
    """The list as a table of inputs, ``EDIT_PAGE`` rows a page: change any cells, save
    the page. A save writes the rows of its page only (``update_many`` changes the rows
    it is sent and deletes none), so the rows of other pages stay as they are; the page
    links are buttons that save the page first, so nothing typed is lost by moving on,
    and a page with an error stays open with everything typed."""
    lao = _lao(lao_id, edit=True)
    db = get_db()
    year = programme_store.get_programme(db).year_be
    stored = project_store.list_projects(db, lao_id, year)
    pages = max(1, -(-len(stored) // EDIT_PAGE))
    page = _page_number(request.args.get("page"), pages)
    first = (page - 1) * EDIT_PAGE
    if request.method == "GET":
        form = page_form(
            ProjectTableForm,
            formdata=None,
            data={
                "rows": [
                    {
                        "id": str(r["id"]),
                        "version": str(r["version"]),
                        "rank": str(r["rank"]),
                        "name": r["name"],
                        "dimension": r["dimension"],
                        "village_id": str(r["village_id"] or ""),
                        "within_authority": bool(r["within_authority"]),
                        "in_development_plan": bool(r["in_development_plan"]),
                        "plan_reference": r["plan_reference"],
                        "in_budget_draft": bool(r["in_budget_draft"]),
                        "budget": "" if r["budget"] is None else f"{r['budget']:.2f}",
                    }
                    for r in stored[first : first + EDIT_PAGE]
                ]
            },
        )
    else:
        form = ProjectTableForm()
    dims = [(d, dimension_label(d)) for d in programme_store.dimensions(db)]
    villages = [("", "—")] + [(str(v["id"]), village_row_label(v)) for v in lao_store.villages(db, lao_id)]
    for entry in form.rows:
        entry.form.dimension.choices = dims
        entry.form.village_id.choices = villages
    status = 200
    if request.method == "POST":
        status = 400
        if posted_rows("rows") > form.rows.max_entries:
            form.form_errors.append(_("Too many rows: at most %(n)s.", n=form.rows.max_entries))
        elif form.validate():
            rows = [
                {
                    "id": parse_id(e.form.id.data),
                    "rank": e.form.rank.data,
                    "name": e.form.name.data,
                    "dimension": e.form.dimension.data,
                    "village_id": parse_id(e.form.village_id.data),
                    "within_authority": e.form.within_authority.data,
                    "in_development_plan": e.form.in_development_plan.data,
                    "plan_reference": e.form.plan_reference.data,
                    "in_budget_draft": e.form.in_budget_draft.data,
                    "budget": e.form.budget.data,
                    "version": parse_version(e.form.version.data),
                }
                for e in form.rows
            ]
            try:
                count = project_store.update_many(db, lao_id, year, rows, g.user["id"], first=first + 1)
            except project_store.ConflictError as error:
                form.form_errors.append(error.text(_))
                for entry in form.rows:  # a second save, after reading what changed, overwrites knowingly
                    current = error.current.get(parse_id(entry.form.id.data))
                    if current is not None:
                        entry.form.version.data = str(current)
            except InputError as error:
                form.form_errors.append(error.text(_))
            else:
                flash(_("%(n)s projects updated.", n=count), "success")
                target = request.form.get("goto", "")
                if target == "list":
                    return redirect(url_for("projects.index", lao_id=lao_id))
                return redirect(
                    url_for("projects.edit_all", lao_id=lao_id, page=_page_number(target, pages) if target else page)
                )
    return render_template(
        "pages/projects_edit.html",
        lao=lao,
        form=form,
        year=year,
        page=page,
        pages=pages,
        first=first,
        total=len(stored),
    ), status


@bp.route("/laos/<id:lao_id>/projects/<id:project_id>", methods=["GET", "POST"])
@login_required
def edit(lao_id, project_id):
    lao = _lao(lao_id, edit=request.method == "POST")
    db = get_db()
    try:
        row = project_store.get_project(db, lao_id, project_id)
    except NotFound:
        abort(404)
    if request.method == "GET":
        form = page_form(
            ProjectForm,
            editable=_can_edit(lao_id),
            formdata=None,
            data={
                **{k: row[k] for k in ("name", "dimension", "plan_reference", *ProjectForm.PLAN_TEXTS)},
                **{
                    key: "" if amount is None else f"{amount:.2f}"
                    for key, amount in zip(ProjectForm.PLAN_BUDGETS, row["plan_budgets"], strict=True)
                },
                "rank": str(row["rank"]),
                "version": str(row["version"]),
                "village_id": str(row["village_id"] or ""),
                "within_authority": bool(row["within_authority"]),
                "in_development_plan": bool(row["in_development_plan"]),
                "in_budget_draft": bool(row["in_budget_draft"]),
                "budget": "" if row["budget"] is None else f"{row['budget']:.2f}",
            },
        )
        _prepare(form, lao_id)
        plan_labels(form, row["programme_year"])
        return render_template("pages/project_form.html", lao=lao, form=form, row=row, can_edit=_can_edit(lao_id))
    form = ProjectForm()
    _prepare(form, lao_id)
    plan_labels(form, row["programme_year"])
    if form.validate():
        try:
            project_store.update_project(
                db, lao_id, project_id, _values(form), g.user["id"], parse_version(form.version.data)
            )
        except InputError as error:
            apply_error(form, error)
        else:
            flash(_("Project saved."), "success")
            return redirect(url_for("projects.index", lao_id=lao_id) + f"#p{project_id}")
    return render_template("pages/project_form.html", lao=lao, form=form, row=row, can_edit=True), 400


@bp.post("/laos/<id:lao_id>/projects/<id:project_id>/delete")
@login_required
def delete(lao_id, project_id):
    _lao(lao_id, edit=True)
    try:
        entry = project_store.delete_project(get_db(), lao_id, project_id, g.user["id"])
    except NotFound:
        abort(404)
    flash_removed(_("Project removed."), lao_id, entry)
    return redirect(url_for("projects.index", lao_id=lao_id))


@bp.post("/laos/<id:lao_id>/projects/<id:project_id>/move")
@login_required
def move(lao_id, project_id):
    lao = _lao(lao_id, edit=True)
    direction = -1 if request.form.get("direction") == "up" else 1
    try:
        project_store.move(
            get_db(),
            lao_id,
            programme_store.get_programme(get_db()).year_be,
            project_id,
            direction,
            g.user["id"],
            _list_versions(),
        )
    except NotFound:
        abort(404)
    except InputError as error:
        flash(error.text(_), "error")
        return _page(lao, status=400)
    return redirect(url_for("projects.index", lao_id=lao_id) + f"#p{project_id}")


@bp.post("/laos/<id:lao_id>/projects/mark")
@login_required
def mark(lao_id):
    lao = _lao(lao_id, edit=True)
    PostForm().validate_on_submit()
    action = MARKS.get(request.form.get("action", ""))
    ids = [i for i in request.form.getlist("ids") if i.isdecimal() and i.isascii() and len(i) < 19]
    try:
        if action is None:
            raise InputError(_("Choose what to mark."), "action")
        count = project_store.mark(
            get_db(),
            lao_id,
            programme_store.get_programme(get_db()).year_be,
            ids,
            *action,
            g.user["id"],
            _list_versions(),
        )
    except InputError as error:
        flash(error.text(_), "error")
        return _page(lao, status=400, selected={int(i) for i in ids})
    flash(_("%(n)s projects updated.", n=count), "success")
    return redirect(url_for("projects.index", lao_id=lao_id))


@bp.post("/laos/<id:lao_id>/projects/import")
@login_required
def upload(lao_id):
    lao = _lao(lao_id, edit=True)
    db = get_db()
    year = programme_store.get_programme(db).year_be
    form = ImportForm()
    form.validate_on_submit()
    upload = request.files.get("file")
    data = upload.read(imports.MAX_BYTES + 1) if upload else b""
    filename = upload.filename if upload and upload.filename else "ไฟล์"
    chosen = request.form.get("forum_id", "")
    try:
        forum = project_store.import_forum(db, lao_id, year, parse_id(chosen) if chosen else None)
        parsed = imports.parse(db, lao_id, data, filename)
    except InputError as error:
        flash(error.text(_), "error")
        return _page(lao, status=400)
    pending = None
    if parsed.ok:
        lost = project_store.links_lost(db, lao_id, year, forum["id"])
        if lost:
            parsed.notices.append(
                _(
                    "%(n)s projects in the list now were adopted by another forum: the file replaces "
                    "them with the ranked list of the forum chosen.",
                    n=lost,
                )
            )
        pending = project_store.save_pending(db, lao_id, year, g.user["id"], parsed.filename, parsed.rows, forum["id"])
    villages = {v["id"]: village_row_label(v) for v in lao_store.villages(db, lao_id)}
    return render_template(
        "pages/project_import.html",
        lao=lao,
        parsed=parsed,
        pending=pending,
        villages=villages,
        current=len(project_store.list_projects(db, lao_id, year)),
        forum=forum,
        post_form=PostForm(),
    ), 200 if parsed.ok else 400


@bp.post("/laos/<id:lao_id>/projects/import/<id:import_id>")
@login_required
def confirm(lao_id, import_id):
    _lao(lao_id, edit=True)
    PostForm().validate_on_submit()
    try:
        filename, count = project_store.confirm_pending(get_db(), lao_id, import_id, g.user["id"])
    except InputError as error:
        flash(error.text(_), "error")
        return redirect(url_for("projects.index", lao_id=lao_id))
    flash(_("%(n)s projects imported from %(file)s.", n=count, file=filename), "success")
    return redirect(url_for("projects.index", lao_id=lao_id))


@bp.get("/laos/<id:lao_id>/projects.<any(xlsx, csv):fmt>")
@login_required
def export(lao_id, fmt):
    lao = _lao(lao_id)
    db = get_db()
    year = programme_store.get_programme(db).year_be
    rows = project_store.list_projects(db, lao_id, year)
    name = f"projects-{lao_id}-{year}.{fmt}"
    if fmt == "csv":
        return send_file(
            io.BytesIO(imports.to_csv(rows, plan_years(year + 1))),
            mimetype="text/csv; charset=utf-8",
            as_attachment=True,
            download_name=name,
            max_age=0,
        )
    content = imports.to_xlsx(rows, programme_store.dimensions(db), f"โครงการ {lao['name']}", plan_years(year + 1))
    return send_file(io.BytesIO(content), mimetype=XLSX, as_attachment=True, download_name=name, max_age=0)


@bp.get("/laos/<id:lao_id>/projects/template.xlsx")
@login_required
def template(lao_id):
    _lao(lao_id)
    prog = programme_store.get_programme(get_db())
    content = imports.to_xlsx([], programme_store.dimensions(get_db()), plan_years=prog.plan_years)
    return send_file(
        io.BytesIO(content), mimetype=XLSX, as_attachment=True, download_name="project-template.xlsx", max_age=0
    )
