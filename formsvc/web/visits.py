"""Monitoring visits (guideline §7.2): the LAO's list, recording, editing, deleting and
restoring a visit. The province office records them for the LAOs of its province, the
district office for those of its district (and admins); everyone else who sees the
LAO's records reads them (its own clerk, national users); facilitators do not see them."""

from __future__ import annotations

import datetime

from flask import Blueprint, abort, flash, g, redirect, render_template, request, url_for
from flask_babel import gettext as _

from formsvc.domain import access, clock, thai
from formsvc.domain.errors import InputError, NotFound
from formsvc.store import laos as lao_store
from formsvc.store import programme as programme_store
from formsvc.store import trash
from formsvc.store import visits as visit_store
from formsvc.store.versions import parse_version
from formsvc.web.context import get_db, keeps_typing, lao_in_scope, login_required, page_form
from formsvc.web.forms import PostForm, VisitForm, apply_error

bp = Blueprint("visits", __name__)
keeps_typing("visits.create")  # typing comes back after a language switch or an expiry
keeps_typing("visits.visit")


def _lao(lao_id: int, edit: bool = False) -> dict:
    return lao_in_scope(lao_id, edit=edit, rule=access.can_record_visits, view=access.can_view_visits)


def can_record(lao_id: int) -> bool:
    return access.can_record_visits(g.principal, lao_store.lao_scope(get_db(), lao_id))


@bp.get("/laos/<id:lao_id>/visits")
@login_required
def index(lao_id):
    lao = _lao(lao_id)
    db = get_db()
    editable = can_record(lao_id)
    return render_template(
        "pages/visits.html",
        lao=lao,
        visits=visit_store.visits(db, lao_id),
        today=clock.today(),
        can_edit=editable,
        deleted=visit_store.deleted_visits(db, lao_id) if editable else [],
        keep_days=trash.KEEP_DAYS,
        form=PostForm(),
    )


def _date(form: VisitForm, name: str) -> datetime.date | None:
    text = (getattr(form, name).data or "").strip()
    if not text:
        return None
    try:
        return thai.parse_date_input(text)
    except InputError as error:
        raise InputError(error.msg, name) from None


def _input(form: VisitForm) -> visit_store.VisitInput:
    return visit_store.VisitInput(
        visited_on=_date(form, "visited_on"),
        visitors=form.visitors.data,
        findings=form.findings.data,
        recommendations=form.recommendations.data,
        follow_up_due=_date(form, "follow_up_due"),
        follow_up_done_on=_date(form, "follow_up_done_on"),
        follow_up_note=form.follow_up_note.data,
    )


def _render(lao: dict, form: VisitForm, visit: dict | None, status: int = 200):
    return render_template(
        "pages/visit_form.html",
        lao=lao,
        form=form,
        visit=visit,
        can_edit=can_record(lao["id"]),
        delete_form=PostForm(),
    ), status


def _blank_form() -> VisitForm:
    db = get_db()
    start, end = visit_store.window(db, programme_store.get_programme(db).year_be)
    day = min(max(clock.today(), start), end)
    return page_form(VisitForm, formdata=None, data={"version": "0", "visited_on": thai.date_input(day)})


def _form_of(visit: dict, editable: bool) -> VisitForm:
    def day(value):
        return thai.date_input(datetime.date.fromisoformat(value)) if value else ""

    return page_form(
        VisitForm,
        editable=editable,
        formdata=None,
        data={
            "version": str(visit["version"]),
            "visited_on": day(visit["visited_on"]),
            "visitors": visit["visitors"],
            "findings": visit["findings"],
            "recommendations": visit["recommendations"],
            "follow_up_due": day(visit["follow_up_due"]),
            "follow_up_done_on": day(visit["follow_up_done_on"]),
            "follow_up_note": visit["follow_up_note"],
        },
    )


def _save(lao: dict, visit: dict | None):
    db = get_db()
    form = VisitForm()
    if form.validate():
        try:
            data = _input(form)
            if visit is None:
                visit_id = visit_store.create_visit(db, lao["id"], access.visit_office(g.principal), data, g.user["id"])
            else:
                visit_store.update_visit(
                    db, lao["id"], visit["id"], data, g.user["id"], parse_version(form.version.data)
                )
                visit_id = visit["id"]
        except InputError as error:  # a ConflictError too: shown on the form, typing kept
            apply_error(form, error)
        else:
            flash(_("Monitoring visit saved."), "success")
            return redirect(url_for("visits.visit", lao_id=lao["id"], visit_id=visit_id))
    return _render(lao, form, visit, 400)


@bp.route("/laos/<id:lao_id>/visits/new", methods=["GET", "POST"])
@login_required
def create(lao_id):
    lao = _lao(lao_id, edit=True)
    if request.method == "POST":
        return _save(lao, None)
    return _render(lao, _blank_form(), None)


@bp.route("/laos/<id:lao_id>/visits/<id:visit_id>", methods=["GET", "POST"])
@login_required
def visit(lao_id, visit_id):
    lao = _lao(lao_id, edit=request.method == "POST")
    try:
        record = visit_store.get_visit(get_db(), lao_id, visit_id)
    except NotFound:
        abort(404)
    if request.method == "POST":
        return _save(lao, record)
    return _render(lao, _form_of(record, can_record(lao_id)), record)


@bp.post("/laos/<id:lao_id>/visits/<id:visit_id>/delete")
@login_required
def delete(lao_id, visit_id):
    _lao(lao_id, edit=True)
    try:
        entry = visit_store.delete_visit(get_db(), lao_id, visit_id, g.user["id"])
    except NotFound:
        abort(404)
    # the restore button (base.html) posts to visits.restore: its fourth part says so
    flash(_("Monitoring visit removed."), f"undo:{lao_id}:{entry}:visit")
    return redirect(url_for("visits.index", lao_id=lao_id))


@bp.post("/laos/<id:lao_id>/visits/deleted/<id:entry_id>/restore")
@login_required
def restore(lao_id, entry_id):
    _lao(lao_id, edit=True)
    db = get_db()
    try:
        entry = trash.get(db, lao_id, entry_id)
        visit_id = visit_store.restore_visit(db, lao_id, entry)
    except NotFound:
        abort(404)
    flash(_("Monitoring visit restored."), "success")
    return redirect(url_for("visits.visit", lao_id=lao_id, visit_id=visit_id))
