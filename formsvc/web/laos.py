"""LAO pages: the checklist, LAO details, villages and communities."""

from __future__ import annotations

from flask import Blueprint, abort, flash, g, redirect, render_template, request, url_for
from flask_babel import gettext as _

from formsvc import services
from formsvc.documents.kinds import clean_file_name
from formsvc.domain import access, clock, criteria
from formsvc.store import documents as document_store
from formsvc.store import forums as forum_store
from formsvc.store import geography, programme, trash
from formsvc.store import laos as lao_store
from formsvc.store import meetings as meeting_store
from formsvc.store import projects as project_store
from formsvc.store import visits as visit_store
from formsvc.store import working_group as wg_store
from formsvc.store.errors import InputError, NotFound
from formsvc.store.versions import parse_version
from formsvc.web.context import (
    get_db,
    keeps_typing,
    lao_in_scope,
    login_required,
    page_form,
    requested_year,
    require,
    send_document,
    year_choices,
)
from formsvc.web.filters import district_label, lao_district_label
from formsvc.web.forms import LaoForm, PostForm, VillageForm, apply_error

bp = Blueprint("laos", __name__)
for _endpoint in ("create", "edit", "villages", "village"):
    keeps_typing(f"laos.{_endpoint}")  # typing comes back after a language switch or an expiry

# where the checklist sends a clerk for a criterion: the page of the first record it needs
NEED_PAGES = {
    "working_group": "working_group.page",
    "forums": "forums.index",
    "villages": "laos.villages",
    "projects": "projects.index",
}


def criteria_steps(lao_id: int) -> list[dict]:
    """The checklist's steps: one per criterion in force, with its page."""
    return [
        {
            "number": c.number,
            "title": _(c.title_en),
            "needs": c.needs,
            "page": url_for(NEED_PAGES[c.needs[0]], lao_id=lao_id),
        }
        for c in criteria.CRITERIA
    ]


def _scope_filter() -> dict:
    user = g.principal
    if user.role == "lao_clerk":
        return {"lao_id": user.lao_id}
    if user.role in ("facilitator", "district"):
        return {"district_code": user.district_code}
    if user.role == "province":
        return {"province_code": user.province_code}
    return {}


@bp.get("/laos")
@login_required
def index():
    db = get_db()
    year = programme.get_programme(db).year_be
    laos = lao_store.list_laos(db, programme_year=year, **_scope_filter())
    return render_template("pages/laos.html", laos=laos, year=year)


@bp.get("/laos/<id:lao_id>")
@login_required
def checklist(lao_id):
    lao = lao_in_scope(lao_id)
    db = get_db()
    prog = programme.get_programme(db, requested_year(db))
    years = year_choices(db, prog.year_be)
    model = lao_store.model_lao(db, lao["district_code"], prog.year_be)
    results = {r.number: r for r in services.compliance_results(db, lao_id, prog.year_be)}
    from formsvc.web.forms import CertificateForm
    from formsvc.web.projects import chain

    scope = lao_store.lao_scope(db, lao_id)
    return render_template(
        "pages/lao.html",
        lao=lao,
        programme=prog,
        steps=criteria_steps(lao_id),
        results=results,
        **years,
        chain=chain(db, lao_id, prog.year_be),
        all_met=all(r.met for r in results.values()),
        certificate_form=CertificateForm(formdata=None),
        can_certify=years["is_open_year"] and access.can_issue_certificate(g.principal, scope),
        has_certificate=document_store.has_certificate(db, lao_id),
        certificates=services.certificates(db, lao_id),
        current_certificate=document_store.current_certificate(db, lao_id, prog.year_be),
        can_restore=access.can_keep_lao_records(g.principal, scope),
        emblem=services.emblem(db, lao_id),
        is_model=bool(model and model["lao_id"] == lao_id),
        selection=lao_store.selection_record(db, lao["district_code"], prog.year_be, lao_id)
        if model and model["lao_id"] == lao_id
        else None,
        terms=lao_store.terms_of(db, lao_id, prog.year_be),
        villages=lao_store.villages(db, lao_id),
        can_edit=access.can_edit_lao(g.principal, scope),
        can_see_records=access.can_view_lao_records(g.principal, scope),
        # monitoring visits of the year (guideline §7.2): read by all who see the LAO's records
        visits=visit_store.visits(db, lao_id, prog.year_be) if access.can_view_visits(g.principal, scope) else None,
        can_record_visits=access.can_record_visits(g.principal, scope),
        today=clock.today(),
        # what waits for the LAO's own clerk: its returned reports and the next report due
        inbox=services.inbox.clerk_inbox(db, lao_id)
        if years["is_open_year"] and access.can_keep_lao_records(g.principal, scope)
        else None,
    )


def _district_choices(db) -> list[tuple[str, str]]:
    user = g.principal
    if user.role == "district":
        rows = [geography.district(db, user.district_code)]
    else:
        rows = geography.districts_with_province(db)
    return [(r["code"], f"{r['province_name']} – {district_label(r)}") for r in rows]


def _prepare_lao_form(form: LaoForm, db, district_code: str | None) -> None:
    form.district_code.choices = _district_choices(db)
    code = form.district_code.data or district_code
    form.subdistrict_codes.choices = [(s["code"], s["name_th"]) for s in geography.subdistricts_of(db, code or "")]


def _lao_input(form: LaoForm) -> lao_store.LaoInput:
    return lao_store.LaoInput(
        name=form.name.data,
        kind=form.kind.data,
        district_code=form.district_code.data,
        subdistrict_codes=form.subdistrict_codes.data or [],
        chief_title=form.chief_title.data,
        has_kamnan=form.has_kamnan.data,
        has_coc=form.has_coc.data,
        digit_style=form.digit_style.data,
    )


@bp.route("/laos/new", methods=["GET", "POST"])
@login_required
def create():
    require(g.principal.role in ("admin", "district"), hide=False)
    db = get_db()
    district_code = request.args.get("district") or g.principal.district_code
    form = page_form(LaoForm)
    if request.method == "GET" and not form.kept:
        form.district_code.data = district_code
        form.has_kamnan.data = form.has_coc.data = True
    _prepare_lao_form(form, db, district_code)
    if form.validate_on_submit():
        require(access.can_create_lao(g.principal, form.district_code.data), hide=False)
        try:
            lao_id = lao_store.create_lao(db, _lao_input(form))
        except InputError as error:
            apply_error(form, error)
        else:
            flash(_("LAO saved."), "success")
            return redirect(url_for("laos.checklist", lao_id=lao_id))
    return render_template("pages/lao_form.html", form=form, lao=None), 400 if form.errors or form.form_errors else 200


@bp.route("/laos/<id:lao_id>/edit", methods=["GET", "POST"])
@login_required
def edit(lao_id):
    lao = lao_in_scope(lao_id, edit=True)
    db = get_db()
    form = page_form(
        LaoForm,
        data=None
        if request.method == "POST"
        else {
            **lao,
            "version": str(lao["version"]),
            "has_kamnan": bool(lao["has_kamnan"]),
            "has_coc": bool(lao["has_coc"]),
            "subdistrict_codes": [s["code"] for s in lao["subdistricts"]],
        },
    )
    _prepare_lao_form(form, db, lao["district_code"])
    if g.principal.role == "lao_clerk":
        # a clerk may not move its LAO to another district
        form.district_code.choices = [(lao["district_code"], lao_district_label(lao))]
    if form.validate_on_submit():
        try:
            lao_store.update_lao(db, lao_id, _lao_input(form), g.user["id"], parse_version(form.version.data))
        except InputError as error:
            apply_error(form, error)
        else:
            flash(_("LAO saved."), "success")
            return redirect(url_for("laos.checklist", lao_id=lao_id))
    return render_template("pages/lao_form.html", form=form, lao=lao), 400 if form.errors or form.form_errors else 200


@bp.route("/laos/<id:lao_id>/villages", methods=["GET", "POST"])
@login_required
def villages(lao_id):
    lao = lao_in_scope(lao_id, edit=request.method == "POST")
    db = get_db()
    form = page_form(VillageForm, editable=access.can_edit_lao(g.principal, lao_store.lao_scope(db, lao_id)))
    if form.validate_on_submit():
        try:
            lao_store.add_village(db, lao_id, form.number.data, form.name.data, kind=form.kind.data or None)
        except InputError as error:
            apply_error(form, error)
        else:
            flash(_("Village or community added."), "success")
            return redirect(url_for("laos.villages", lao_id=lao_id))
    status = 400 if request.method == "POST" else 200
    return render_template(
        "pages/villages.html",
        lao=lao,
        form=form,
        villages=lao_store.villages(db, lao_id),
        delete_form=PostForm(),
        can_edit=access.can_edit_lao(g.principal, lao_store.lao_scope(db, lao_id)),
        can_restore=_may_restore(lao_id),
    ), status


@bp.route("/laos/<id:lao_id>/villages/<id:village_id>", methods=["GET", "POST"])
@login_required
def village(lao_id, village_id):
    lao = lao_in_scope(lao_id, edit=True)
    db = get_db()
    try:
        row = lao_store.get_village(db, lao_id, village_id)
    except NotFound:
        abort(404)
    form = page_form(
        VillageForm,
        data=None if request.method == "POST" else {**row, "version": str(row["version"])},
    )
    if form.validate_on_submit():
        try:
            lao_store.update_village(
                db,
                lao_id,
                village_id,
                form.number.data,
                form.name.data,
                g.user["id"],
                parse_version(form.version.data),
                kind=form.kind.data or None,
            )
        except InputError as error:
            apply_error(form, error)
        else:
            flash(_("Village or community saved."), "success")
            return redirect(url_for("laos.villages", lao_id=lao_id))
    return render_template(
        "pages/village_form.html", lao=lao, village=row, form=form
    ), 400 if request.method == "POST" else 200


@bp.post("/laos/<id:lao_id>/villages/<id:village_id>/delete")
@login_required
def delete_village(lao_id, village_id):
    lao_in_scope(lao_id, edit=True)
    try:
        entry = lao_store.delete_village(get_db(), lao_id, village_id, g.user["id"])
    except NotFound:
        abort(404)
    except InputError as error:
        flash(error.text(_), "error")
        return redirect(url_for("laos.villages", lao_id=lao_id))
    flash_removed(_("Village or community removed."), lao_id, entry)
    return redirect(url_for("laos.villages", lao_id=lao_id))


# Recently deleted: forums, villages/communities and projects, kept 30 days ------------


def _may_restore(lao_id: int) -> bool:
    return access.can_keep_lao_records(g.principal, lao_store.lao_scope(get_db(), lao_id))


def flash_removed(text: str, lao_id: int, entry_id: int) -> None:
    """The message after a deletion: with a restore button for those who may restore
    (the LAO's clerk, admins), otherwise saying who can."""
    if _may_restore(lao_id):
        flash(text, f"undo:{lao_id}:{entry_id}")
    else:
        flash(text + " " + _("The LAO's clerk can restore it within 30 days."), "success")


def _restore_rules(lao_id: int) -> None:
    """The recently-deleted page and restoring: the LAO's clerk and admins (who keep its
    records); facilitators and other LAOs' users do not see it (404), district, province
    and national users may not change it (403)."""
    lao_in_scope(lao_id, edit=True, rule=access.can_keep_lao_records, view=access.can_view_lao_records)


_RESTORE = {
    "forum": lambda db, lao_id, entry: (
        forum_store.restore_forum(db, lao_id, entry),
        "forums.forum",
        "forum_id",
        _("Forum restored."),
    ),
    "village": lambda db, lao_id, entry: (
        lao_store.restore_village(db, lao_id, entry),
        "laos.villages",
        None,
        _("Village or community restored."),
    ),
    "project": lambda db, lao_id, entry: (
        project_store.restore_project(db, lao_id, entry),
        "projects.edit",
        "project_id",
        _("Project restored."),
    ),
    "meeting": lambda db, lao_id, entry: (
        meeting_store.restore_meeting(db, lao_id, entry),
        "meetings.meeting",
        "meeting_id",
        _("Meeting of the working group restored."),
    ),
    "member": lambda db, lao_id, entry: (
        wg_store.restore_member(db, lao_id, entry, g.user["id"]),
        "working_group.page",
        None,
        _("%(name)s is back in the working group, in the same place in the list.", name=entry["label"]),
    ),
}


@bp.get("/laos/<id:lao_id>/deleted")
@login_required
def deleted(lao_id):
    _restore_rules(lao_id)
    lao = lao_store.get_lao(get_db(), lao_id)
    return render_template(
        "pages/deleted.html",
        lao=lao,
        # visits are restored by the offices that record them, on the visits page
        entries=[e for e in trash.recent(get_db(), lao_id) if e["kind"] in _RESTORE],
        keep_days=trash.KEEP_DAYS,
        form=PostForm(),
    )


@bp.post("/laos/<id:lao_id>/deleted/<id:entry_id>/restore")
@login_required
def restore_deleted(lao_id, entry_id):
    _restore_rules(lao_id)
    db = get_db()
    try:
        entry = trash.get(db, lao_id, entry_id)
        if entry["kind"] not in _RESTORE:  # a monitoring visit: restored on the visits page
            raise NotFound(entry_id)
        record_id, endpoint, arg, text = _RESTORE[entry["kind"]](db, lao_id, entry)
    except NotFound:
        abort(404)
    except InputError as error:
        flash(error.text(_), "error")
        return redirect(url_for("laos.deleted", lao_id=lao_id))
    flash(text, "success")
    return redirect(url_for(endpoint, lao_id=lao_id, **({arg: record_id} if arg else {})))


@bp.post("/laos/<id:lao_id>/certificate")
@login_required
def issue_certificate(lao_id):
    from formsvc.web.forms import CertificateForm

    lao_in_scope(lao_id, edit=True, rule=access.can_issue_certificate)
    form = CertificateForm()
    if form.validate_on_submit():
        try:
            services.issue_certificate(
                get_db(),
                lao_id,
                g.principal.role,
                g.user["id"],
                form.signer_name.data,
                form.signer_position.data,
                replace=form.replace.data,
            )
        except InputError as error:
            flash(error.text(_), "error")
            return redirect(url_for("laos.checklist", lao_id=lao_id)), 303
        flash(_("Certificate issued."), "success")
    else:
        # the form sits on the checklist page: its errors travel as flashed messages
        from formsvc.web.forms import REQUIRED

        messages = [
            f"{f.label.text}: {e}"
            for f in (form.signer_name, form.signer_position)
            for e in f.errors
            if str(e) != str(REQUIRED)
        ]
        for message in messages or [_("Please fill in the signer's name and position.")]:
            flash(message, "error")
    return redirect(url_for("laos.checklist", lao_id=lao_id))


@bp.get("/laos/<id:lao_id>/certificate.<any(pdf, docx):fmt>")
@login_required
def certificate_file(lao_id, fmt):
    lao = lao_in_scope(lao_id)
    try:
        content = services.certificate(get_db(), lao_id, fmt)
    except NotFound:
        abort(404)
    return send_document(content, f"certificate-{lao_id}.{fmt}", fmt, f"เกียรติบัตร-{lao['full_name']}.{fmt}")


@bp.get("/laos/<id:lao_id>/certificates/<id:certificate_id>.<any(pdf, docx):fmt>")
@login_required
def certificate_archive(lao_id, certificate_id, fmt):
    """One certificate as issued, the current one or one replaced since (named so)."""
    lao = lao_in_scope(lao_id)
    db = get_db()
    try:
        content = services.certificate_file(db, lao_id, certificate_id, fmt)
    except NotFound:
        abort(404)
    replaced = any(c["id"] == certificate_id and c["replaced_at"] for c in services.certificates(db, lao_id))
    name = f"certificate-{lao_id}-{certificate_id}{'-replaced' if replaced else ''}.{fmt}"
    thai_name = f"เกียรติบัตร-{lao['full_name']}-ฉบับที่{certificate_id}{'-ฉบับที่ถูกแทนที่' if replaced else ''}.{fmt}"
    return send_document(content, name, fmt, clean_file_name(thai_name))
