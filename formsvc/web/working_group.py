"""The working group page, the operation plan, issuing orders, downloads, the emblem."""

from __future__ import annotations

import io

from flask import Blueprint, abort, flash, g, redirect, render_template, request, send_file, url_for
from flask_babel import gettext as _

from formsvc import services
from formsvc.documents import context as doc_context
from formsvc.documents.context import programme_months
from formsvc.documents.kinds import ASKS, KINDS, Ask
from formsvc.domain import access, clock, thai
from formsvc.domain.errors import InputError, NotFound
from formsvc.domain.messages import msg
from formsvc.domain.working_group import CATEGORIES, GROUP_ROLES
from formsvc.store import laos as lao_store
from formsvc.store import meetings as meeting_store
from formsvc.store import programme as programme_store
from formsvc.store import projects as project_store
from formsvc.store import working_group as wg_store
from formsvc.store.versions import parse_version
from formsvc.web.context import (
    check_lao_scope,
    get_db,
    keeps_typing,
    lao_in_scope,
    login_required,
    page_form,
    send_document,
    take_kept,
)
from formsvc.web.filters import month_year_label
from formsvc.web.forms import (
    EmblemForm,
    IssueOrderForm,
    OperationPlanForm,
    PrefillForm,
    WorkingGroupForm,
    apply_error,
    posted_rows,
)

bp = Blueprint("working_group", __name__)
for _endpoint in ("page", "issue", "operation_plan"):
    keeps_typing(f"working_group.{_endpoint}")  # typing comes back after a language switch or an expiry


def _year() -> int:
    return programme_store.get_programme(get_db()).year_be


def _can_edit(lao_id: int) -> bool:
    return access.can_keep_lao_records(g.principal, lao_store.lao_scope(get_db(), lao_id))


def _lao(lao_id: int, edit: bool = False, view=access.can_view_lao_records) -> dict:
    return lao_in_scope(lao_id, edit=edit, rule=access.can_keep_lao_records, view=view)


def _check(lao_id: int, edit: bool = False, view=access.can_view_lao_records) -> None:
    """The access check alone, for a handler whose service reads the LAO itself."""
    check_lao_scope(lao_id, edit=edit, rule=access.can_keep_lao_records, view=view)


def _group_form(group: dict) -> WorkingGroupForm:
    return WorkingGroupForm(
        formdata=None,  # what is saved, even while a POST is answered
        data={
            "version": str(group["version"]),
            "members": [
                {"member_id": str(m["id"]), **{k: m[k] for k in ("name", "position", "group_role", "category")}}
                for m in group["members"]
            ],
            "reason": group["reason"],
            "duties": "\n".join(group["duties"]),
            "signer_name": group["signer_name"],
            "signer_position": group["signer_position"],
        },
    )


def _rows(form: WorkingGroupForm) -> list[dict]:
    return [
        {
            "id": entry.form.member_id.data,
            "name": entry.form.name.data,
            "position": entry.form.position.data,
            "group_role": entry.form.group_role.data,
            "category": entry.form.category.data,
        }
        for entry in form.members
        if not entry.form.remove.data
    ]


def _page(
    lao: dict | int,
    form: WorkingGroupForm,
    status: int = 200,
    unsaved: bool = False,
):
    """The working group page; ``lao`` is the LAO, or its id when the handler has not
    needed its record (read here, only when the page is drawn)."""
    db = get_db()
    if isinstance(lao, int):
        lao = lao_store.get_lao(db, lao)
    year = _year()
    group = wg_store.get_group(db, lao["id"], year)
    return render_template(
        "pages/working_group.html",
        lao=lao,
        form=form,
        year=year,
        group=group,
        unsaved=unsaved,
        orders=wg_store.orders(db, lao["id"]),
        prefill_form=PrefillForm(formdata=None),
        criterion=services.criterion_1(db, lao["id"]),
        emblem=services.emblem(db, lao["id"]),
        can_edit=_can_edit(lao["id"]),
        meetings=meeting_store.meetings(db, lao["id"], year),
        can_record_meetings=access.can_record_meetings(g.principal, lao_store.lao_scope(db, lao["id"])),
        roles=GROUP_ROLES,
        categories=CATEGORIES,
    ), status


@bp.route("/laos/<id:lao_id>/working-group", methods=["GET", "POST"])
@login_required
def page(lao_id):
    db = get_db()
    if request.method == "GET":
        lao = _lao(lao_id)
        kept = take_kept() if _can_edit(lao_id) else None
        if kept is not None:  # typed before a language switch or an expired session
            reason, data = kept
            if reason == "expired":
                flash(
                    _(
                        "Your session had expired, so nothing was saved. What you typed is filled in again "
                        "below: check it and press Save."
                    ),
                    "info",
                )
            return _page(lao, WorkingGroupForm(formdata=data), unsaved=True)
        return _page(lao, _group_form(wg_store.get_group(db, lao_id, _year())))
    _check(lao_id, edit=True)  # the LAO's record is read only when the page is drawn again
    form = WorkingGroupForm()
    action = request.form.get("action", "save")
    if action == "emblem":
        return _upload_emblem(lao_id, form)
    limit = form.members.max_entries
    if posted_rows("members") > limit or (action == "add" and len(form.members) >= limit):
        form.form_errors.append(_("A working group has at most %(n)s members.", n=limit))
        return _page(lao_id, form, 400, unsaved=True)
    if action == "prefill":
        return _prefill(lao_id, form)
    if action == "add":
        form.members.append_entry({"group_role": "member", "category": "other"})
        return _page(lao_id, form, unsaved=True)
    if action.startswith("up-") and action[3:].isdecimal() and action[3:].isascii():
        i = int(action[3:])
        rows = _rows_all(form)
        if 0 < i < len(rows):
            rows[i - 1], rows[i] = rows[i], rows[i - 1]
        moved = WorkingGroupForm(formdata=None, data={**_plain(form), "members": rows})
        return _page(lao_id, moved, unsaved=True)
    if form.validate():
        removed: list[dict] = []
        try:
            services.save_group(
                db,
                lao_id,
                reason=form.reason.data,
                duties=form.duties.data.splitlines(),
                signer_name=form.signer_name.data,
                signer_position=form.signer_position.data,
                members=_rows(form),
                user_id=g.user["id"],
                expected_version=parse_version(form.version.data),
                removed=removed,
            )
        except InputError as error:  # a ConflictError also makes saving again overwrite, knowingly
            apply_error(form, error)
        else:
            _flash_removed(lao_id, removed)
            if action == "issue":  # saved first: the order is issued from what was on screen
                flash(_("Working group saved. Check the draft order below, then confirm to issue it."), "success")
                return redirect(url_for("working_group.issue", lao_id=lao_id))
            flash(_("Working group saved."), "success")
            return redirect(url_for("working_group.page", lao_id=lao_id))
    return _page(lao_id, form, 400, unsaved=True)


def _flash_removed(lao_id: int, removed: list[dict]) -> None:
    """Each member dropped from the list, with its restore button (a few), or where to
    find them (many)."""
    from formsvc.web.laos import flash_removed

    if len(removed) > 3:
        flash(
            _(
                "%(n)s members were removed from the list. They can be restored within 30 days from Recently deleted.",
                n=len(removed),
            ),
            "info",
        )
        return
    for item in removed:
        flash_removed(_("%(name)s was removed from the working group.", name=item["name"]), lao_id, item["entry"])


def _upload_emblem(lao_id: int, form: WorkingGroupForm):
    """The emblem's upload button is in the members' form: the image is saved and the
    page comes back with everything typed still there (saved or not, as it was)."""
    upload = request.files.get("emblem")
    data = upload.read(services.emblem_check.MAX_BYTES + 1) if upload else b""
    status = 200
    try:
        services.save_emblem(get_db(), lao_id, data, g.user["id"])
    except InputError as error:
        flash(error.text(_), "error")
        status = 400
    else:
        flash(_("Emblem saved."), "success")
    group = wg_store.get_group(get_db(), lao_id, _year())
    if _typed(form) == _typed(_group_form(group)):
        if status == 200:
            return redirect(url_for("working_group.page", lao_id=lao_id) + "#emblem-section")
        return _page(lao_id, form, status)
    if not form.validate():  # what is wrong in the typing shows now, not only at Save
        status = 400
    return _page(lao_id, form, status, unsaved=True)


def _typed(form: WorkingGroupForm) -> tuple:
    """What a person typed in the form, to tell whether it differs from what is saved."""

    def text(value) -> str:
        return (value or "").replace("\r\n", "\n").strip()

    rows = tuple(
        (
            text(e.form.member_id.data),
            text(e.form.name.data),
            text(e.form.position.data),
            e.form.group_role.data,
            e.form.category.data,
            bool(e.form.remove.data),
        )
        for e in form.members
    )
    return (
        rows,
        text(form.reason.data),
        text(form.duties.data),
        text(form.signer_name.data),
        text(form.signer_position.data),
    )


def _rows_all(form: WorkingGroupForm) -> list[dict]:
    return [
        {
            "member_id": e.form.member_id.data,
            "name": e.form.name.data,
            "position": e.form.position.data,
            "group_role": e.form.group_role.data,
            "category": e.form.category.data,
        }
        for e in form.members
    ]


def _plain(form: WorkingGroupForm) -> dict:
    return {
        "version": form.version.data,
        "reason": form.reason.data,
        "duties": form.duties.data,
        "signer_name": form.signer_name.data,
        "signer_position": form.signer_position.data,
    }


def _prefill(lao_id: int, form: WorkingGroupForm):
    """Fill the guideline's rows into what is on screen; the rest of what was typed stays.
    Refused, with everything typed kept, when names are typed and the box is not ticked."""
    if any((row["name"] or "").strip() for row in _rows_all(form)) and request.form.get("replace") != "y":
        form.form_errors.append(
            _("Members are already entered. Tick the box to replace them with the guideline's rows.")
        )
        return _page(lao_id, form, 400, unsaved=True)
    lao = lao_store.get_lao(get_db(), lao_id)
    data = _plain(form)
    data["members"] = wg_store.guideline_members(get_db(), lao_id)
    data["signer_position"] = data["signer_position"] or lao["chief_title"]
    flash(_("The guideline's rows are filled in below. Type the names, then save."), "info")
    return _page(lao, WorkingGroupForm(formdata=None, data=data), unsaved=True)


class _Overtaken(Exception):
    """Another order was issued after the confirmation page was drawn (a second click)."""


def _confirm_page(lao_id: int, form: IssueOrderForm, status: int = 200):
    """The step before issuing: the draft, the number it will get, what is missing."""
    db = get_db()
    lao = lao_store.get_lao(db, lao_id)
    year = _year()
    group = wg_store.get_group(db, lao_id, year)
    problems, facts, blocked = [], None, False
    try:
        wg_store.check_issuable(group)
    except InputError as error:  # the group itself is not complete: no confirm button
        problems.append(error.text(_))
        blocked = True
    try:
        order_date = thai.parse_date_input(form.order_date.data or "")
    except InputError:
        order_date = clock.today()
    if not blocked:
        try:
            facts, _replaces = wg_store.next_order(db, lao_id, year, order_date, order_date, None)
        except InputError as error:
            problems.append(error.text(_))
    return render_template(
        "pages/order_confirm.html",
        lao=lao,
        year=year,
        group=group,
        form=form,
        facts=facts,
        problems=problems,
        blocked=blocked,
        emblem=services.emblem(db, lao_id),
        roles=GROUP_ROLES,
    ), status


def _confirm_form(lao_id: int, form: IssueOrderForm | None = None) -> IssueOrderForm:
    """What the confirmation carries: the group's version and the order in force now."""
    db = get_db()
    form = form or page_form(IssueOrderForm, formdata=None, data={"order_date": thai.date_input(clock.today())})
    form.version.data = str(wg_store.group_version(db, lao_id, _year()))
    current = wg_store.current_order(db, lao_id, _year())
    form.current.data = str(current["id"]) if current else ""
    return form


@bp.route("/laos/<id:lao_id>/working-group/issue", methods=["GET", "POST"])
@login_required
def issue(lao_id):
    _check(lao_id, edit=True)
    db = get_db()
    if request.method == "GET":
        return _confirm_page(lao_id, _confirm_form(lao_id))
    form = IssueOrderForm()
    if form.validate_on_submit():
        values = {}
        parsers = (
            ("order_date", thai.parse_date_input),
            ("effective_date", thai.parse_date_input),
            ("number", _order_number),
        )
        for name, parse in parsers:
            field = getattr(form, name)
            try:
                values[name] = parse(field.data) if (field.data or "").strip() else None
            except InputError as error:
                field.errors = list(field.errors) + [error.text(_)]
        year = _year()
        current = wg_store.current_order(db, lao_id, year)
        if any(getattr(form, name).errors for name, _parse in parsers):
            pass  # shown on the confirmation page again, nothing issued
        elif form.current.data != (str(current["id"]) if current else ""):
            # a second click, or another clerk: the order the page showed is out already
            return _already_issued(lao_id, current)
        elif form.version.data != str(wg_store.group_version(db, lao_id, year)):
            form.form_errors.append(
                _("The working group was changed after this page was opened. Check the draft again, then confirm.")
            )
            return _confirm_page(lao_id, _confirm_form(lao_id, form), 400)
        else:
            expected = (current["number"], current["year_be"]) if current else None
            base = services.order_renderer(db, lao_id)

            def render(facts):
                replaces = facts["replaces"]
                if ((replaces["number"], replaces["year_be"]) if replaces else None) != expected:
                    raise _Overtaken
                return base(facts)

            try:
                order = services.issue_order(
                    db,
                    lao_id,
                    values["order_date"],
                    values["effective_date"],
                    g.user["id"],
                    values["number"],
                    render=render,
                )
            except _Overtaken:
                return _already_issued(lao_id, wg_store.current_order(db, lao_id, year))
            except InputError as error:
                apply_error(form, error)
            else:
                flash(_("Order no. %(number)s issued.", number=f"{order['number']}/{order['year_be']}"), "success")
                return redirect(url_for("working_group.page", lao_id=lao_id))
    return _confirm_page(lao_id, form, 400)


def _already_issued(lao_id: int, current: dict | None):
    if current:
        flash(
            _(
                "Order no. %(number)s was issued meanwhile; nothing more was issued.",
                number=f"{current['number']}/{current['year_be']}",
            ),
            "info",
        )
    return redirect(url_for("working_group.page", lao_id=lao_id))


def _order_number(text: str) -> int:
    digits = thai.to_arabic_digits(text.strip())
    if not (digits.isdecimal() and digits.isascii()):
        raise InputError(msg("The order number must be written in digits, e.g. 12."))
    return int(digits)


@bp.get("/laos/<id:lao_id>/orders/<id:order_id>.<any(pdf, docx):fmt>")
@login_required
def order_file(lao_id, order_id, fmt):
    _lao(lao_id)
    try:
        order = wg_store.get_order(get_db(), lao_id, order_id)
        row = wg_store.order_document(get_db(), lao_id, order_id, fmt)
    except NotFound:
        abort(404)
    name = f"order-{order['number']}-{order['year_be']}.{fmt}"
    return send_document(row["content"], name, fmt, f"{services.order_name_th(order)}.{fmt}")


def _int_arg(name: str) -> int | None:
    value = request.args.get(name, "")
    if not value:
        return None
    if not (value.isdecimal() and value.isascii() and len(value) < 10):
        abort(404)
    return int(value)


@bp.get("/laos/<id:lao_id>/documents/<kind>.<any(pdf, docx, xlsx):fmt>")
@login_required
def document(lao_id, kind, fmt):
    """Any registered kind of an LAO (or of a forum or a period of it), with what the
    query string adds (the ``query`` entries of ASKS: ``?forum=``, ``?draft=1``, …)."""
    # documents of a forum (minutes, sign-in sheets) to all who see the LAO; the rest to
    # those who see its records (not its facilitators); an unknown kind answers 404 below
    # (and the minutes of the working group's meetings, which its facilitators record)
    of_forum = kind in KINDS and KINDS[kind].of in ("forum", "meeting")
    _lao(lao_id, view=lambda user, scope: access.can_view_lao_document(user, scope, of_forum))
    asks = {
        name: request.args.get(name) == "1" if spec.type is bool else _int_arg(name)
        for name, spec in ASKS.items()
        if spec.query
    }
    if kind == "project-list" and fmt == "pdf":
        count = project_store.count_projects(get_db(), lao_id, programme_store.get_programme(get_db()).year_be)
        if count > doc_context.PROJECT_LIST_PDF_MAX_ROWS:  # why: see PROJECT_LIST_PDF_MAX_ROWS
            flash(
                _(
                    "The list has %(n)s projects, too long to print as PDF (at most %(max)s). "
                    "Download it as Excel (XLSX) instead: it has every project.",
                    n=f"{count:,}",
                    max=doc_context.PROJECT_LIST_PDF_MAX_ROWS,
                ),
                "error",
            )
            return redirect(url_for("projects.index", lao_id=lao_id))
    try:
        content, filename, thai_name = services.document_named(get_db(), kind, Ask(fmt, lao=lao_id, **asks))
    except NotFound:
        abort(404)
    return send_document(content, filename, fmt, thai_name)


@bp.route("/laos/<id:lao_id>/operation-plan", methods=["GET", "POST"])
@login_required
def operation_plan(lao_id):
    lao = _lao(lao_id, edit=request.method == "POST")
    db = get_db()
    prog = programme_store.get_programme(db)
    months = programme_months(prog.year_be, prog.start_month, prog.end_month)
    choices = [(m, month_year_label(m)) for m in months]
    group = wg_store.get_group(db, lao_id, prog.year_be)
    if request.method == "GET":
        rows = [
            {k: a[k] for k in ("activity", "start_month", "end_month", "responsible", "status")}
            for a in group["activities"]
        ]
        form = page_form(
            OperationPlanForm,
            editable=_can_edit(lao_id),
            data={"version": str(group["plan_version"]), "activities": rows + [{}] * (3 if not rows else 1)},
        )
    else:
        form = OperationPlanForm()
    stored = {m for a in group["activities"] for m in (a["start_month"], a["end_month"])} - set(months)
    choices += [(m, m) for m in sorted(stored)]  # kept visible so an old row can be corrected
    for entry in form.activities:
        entry.form.start_month.choices = entry.form.end_month.choices = choices
        if not entry.form.start_month.data:
            entry.form.start_month.data = months[0]
        if not entry.form.end_month.data:
            entry.form.end_month.data = months[-1]
    status = 200
    limit = form.activities.max_entries
    if request.method == "POST" and (
        posted_rows("activities") > limit or (request.form.get("action") == "add" and len(form.activities) >= limit)
    ):
        form.form_errors.append(_("A plan has at most %(n)s activities.", n=limit))
        status = 400
    elif request.method == "POST":
        if request.form.get("action") == "add":
            form.activities.append_entry({"start_month": months[0], "end_month": months[-1]})
            form.activities[-1].form.start_month.choices = form.activities[-1].form.end_month.choices = choices
        elif form.validate():
            rows = [
                {
                    "activity": e.form.activity.data,
                    "start_month": e.form.start_month.data,
                    "end_month": e.form.end_month.data,
                    "responsible": e.form.responsible.data,
                    "status": e.form.status.data,
                }
                for e in form.activities
                if not e.form.remove.data
            ]
            try:
                wg_store.save_activities(
                    db, lao_id, prog.year_be, rows, g.user["id"], months, parse_version(form.version.data)
                )
            except InputError as error:
                apply_error(form, error)
            else:
                flash(_("Operation plan saved."), "success")
                return redirect(url_for("working_group.operation_plan", lao_id=lao_id))
            status = 400
        else:
            status = 400
    return render_template(
        "pages/operation_plan.html", lao=lao, form=form, year=prog.year_be, can_edit=_can_edit(lao_id)
    ), status


@bp.route("/laos/<id:lao_id>/emblem", methods=["GET", "POST"])
@login_required
def emblem(lao_id):
    # the emblem is printed on every document, minutes too: all who see the LAO see it
    _check(lao_id, edit=request.method == "POST", view=access.can_view_lao)
    db = get_db()
    if request.method == "GET":
        row = services.emblem(db, lao_id)
        if row is None:
            abort(404)
        # always served as PNG: an uploaded SVG is never sent back to a browser as SVG
        return send_file(io.BytesIO(row["png"]), mimetype="image/png", max_age=0)
    form = EmblemForm()
    if form.validate_on_submit():
        upload = request.files.get("emblem")
        data = upload.read(services.emblem_check.MAX_BYTES + 1) if upload else b""
        try:
            services.save_emblem(db, lao_id, data, g.user["id"])
        except InputError as error:
            flash(error.text(_), "error")
            return _page(lao_id, _group_form(wg_store.get_group(db, lao_id, _year())), 400)
        flash(_("Emblem saved."), "success")
    return redirect(url_for("working_group.page", lao_id=lao_id))
