"""Forum pages: the list with criteria 2 and 3, recording a forum, removing one."""

from __future__ import annotations

import datetime

from flask import Blueprint, abort, flash, g, redirect, render_template, request, url_for
from flask_babel import gettext as _

from formsvc import services
from formsvc.domain import access, clock, thai
from formsvc.domain.errors import ConflictError, InputError, NotFound
from formsvc.domain.forums import DEFAULT_AGENDA, ORGANISERS, default_organisers, default_title
from formsvc.store import forums as forum_store
from formsvc.store import laos as lao_store
from formsvc.store import programme as programme_store
from formsvc.store.versions import parse_version
from formsvc.web.context import get_db, keeps_typing, lao_in_scope, login_required, page_form, parse_id
from formsvc.web.filters import dimension_label, village_row_label
from formsvc.web.forms import ForumForm, PostForm, apply_error, posted_rows
from formsvc.web.laos import flash_removed

bp = Blueprint("forums", __name__)
ROW_LISTS = ("present", "absent", "participants", "agenda", "projects")
keeps_typing("forums.create")  # typing comes back after a language switch or an expiry
keeps_typing("forums.forum")


def _lao(lao_id: int, edit: bool = False) -> dict:
    return lao_in_scope(lao_id, edit=edit, rule=access.can_record_forums)


def _can_edit(lao_id: int) -> bool:
    return access.can_record_forums(g.principal, lao_store.lao_scope(get_db(), lao_id))


def _keeps_list(lao_id: int) -> bool:
    """Whether the user keeps the LAO's project list (its clerk, admins): a forum form
    then may also link projects of the list and change rows in the plan or budget."""
    return access.can_keep_lao_records(g.principal, lao_store.lao_scope(get_db(), lao_id))


@bp.get("/laos/<id:lao_id>/forums")
@login_required
def index(lao_id):
    lao = _lao(lao_id)
    db = get_db()
    year = programme_store.get_programme(db).year_be
    c2, c3 = services.criteria_2_and_3(db, lao_id)
    return render_template(
        "pages/forums.html",
        lao=lao,
        year=year,
        forums=forum_store.forums(db, lao_id, year),
        villages=lao_store.villages(db, lao_id),
        c2=c2,
        c3=c3,
        can_edit=_can_edit(lao_id),
        organiser_names=ORGANISERS,
    )


def _prepare(form: ForumForm, db, lao: dict, level: str) -> None:
    villages = lao_store.villages(db, lao["id"])
    form.village_id.choices = [(str(v["id"]), village_row_label(v)) for v in villages]
    dims = programme_store.dimensions(db)
    form.dimensions.choices = [(d, dimension_label(d)) for d in dims]
    for entry in form.projects:
        entry.form.dimension.choices = [("", "—")] + [(d, dimension_label(d)) for d in dims]
        entry.form.village_id.choices = [("", "—")] + [(str(v["id"]), village_row_label(v)) for v in villages]


def _blank_form(db, lao: dict, level: str, village: dict | None) -> ForumForm:
    today = clock.today()
    start, end = forum_store.programme_window(db)
    day = min(max(today, start), end)
    organisers = default_organisers(level, village["kind"] if village else None)
    data = {
        "version": "0",
        "village_id": str(village["id"]) if village else "",
        "title": default_title(level, lao["kind"], lao["name"], village),
        "held_on": thai.date_input(day),
        "start_time": "09:00",
        "end_time": "12:00",
        "organisers": organisers,
        "reviews_community_plan": True,
        # the minute-taker is usually the one recording the forum: their profile, editable
        "recorder_name": g.user["display_name"],
        "recorder_position": g.user["position"],
        "meeting_no": str(
            forum_store.suggest_meeting_no(db, lao["id"], level, village["id"] if village else None, organisers[0], day)
        ),
        "agenda": [{"title": t} for t in DEFAULT_AGENDA],
        "present": [{}] * 3,
        "absent": [{}],
        "participants": [{}],
        "projects": [{"rank": str(i)} for i in range(1, 4)] if level == "lao" else [],
    }
    return page_form(ForumForm, formdata=None, data=data)


def _form_from_forum(forum: dict, editable: bool = False) -> ForumForm:
    by_kind = {k: [a for a in forum["attendees"] if a["kind"] == k] for k in ("present", "absent", "participant")}
    return page_form(
        ForumForm,
        editable=editable,
        formdata=None,
        data={
            **{
                k: forum[k]
                for k in (
                    "title",
                    "place",
                    "reviews_community_plan",
                    "used_bmn",
                    "used_village_data",
                    "organisers",
                    "dimensions",
                    "recorder_name",
                    "recorder_position",
                    "checker_name",
                    "checker_position",
                )
            },
            "version": str(forum["version"]),
            **{k: "" if forum[k] is None else str(forum[k]) for k in ("bmn_year", "village_data_year")},
            "village_id": str(forum["village_id"] or ""),
            "meeting_no": str(forum["meeting_no"] or ""),
            "held_on": thai.date_input(datetime.date.fromisoformat(forum["held_on"])),
            "start_time": forum["start_time"],
            "end_time": forum["end_time"],
            **{
                k: "" if forum[k] is None else str(forum[k])
                for k in ("head_count", "head_count_male", "head_count_female", "head_count_other")
            },
            "present": by_kind["present"] + [{}],
            "absent": by_kind["absent"] + [{}],
            "participants": by_kind["participant"] + [{}],
            "agenda": forum["agenda"],
            "projects": [
                {
                    "id": str(p["id"]),
                    "version": str(p["version"]),
                    "rank": str(p["rank"]),
                    "name": p["name"],
                    "dimension": p["dimension"],
                    "village_id": str(p["village_id"] or ""),
                }
                for p in forum["projects"]
            ],
        },
    )


def _title_for_village(db, lao: dict, title: str, village_id: int | None) -> str:
    """When the village is changed on the form, a title that was the default for another
    village follows the change (the minutes must name the right village)."""
    if village_id is None:
        return title
    villages = {v["id"]: v for v in lao_store.villages(db, lao["id"])}
    if village_id not in villages:
        return title
    defaults = {vid: default_title("village", lao["kind"], lao["name"], v) for vid, v in villages.items()}
    if (title or "").strip() in defaults.values():
        return defaults[village_id]
    return title


def _input(form: ForumForm, level: str, lao: dict) -> forum_store.ForumInput:
    try:
        held_on = thai.parse_date_input(form.held_on.data)
    except InputError as error:
        raise InputError(error.msg, "held_on") from None
    kept = {
        name: [(i, e.form) for i, e in enumerate(getattr(form, name), 1) if not e.form.remove.data]
        for name in ROW_LISTS
    }
    attendees = (
        [
            {
                "kind": "present",
                "name": f.name.data,
                "position": f.position.data,
                "row": i,
                "substitute_for": f.substitute_for.data,
            }
            for i, f in kept["present"]
        ]
        + [
            {
                "kind": "absent",
                "name": f.name.data,
                "position": f.position.data,
                "row": i,
                "absence_reason": f.absence_reason.data,
            }
            for i, f in kept["absent"]
        ]
        + [
            {"kind": "participant", "name": f.name.data, "position": f.position.data, "row": i}
            for i, f in kept["participants"]
        ]
    )
    village_id = parse_id(form.village_id.data) if level == "village" else None
    if level == "lao" and any(e.form.remove.data and (e.form.id.data or "").strip() for e in form.projects):
        raise InputError(
            _(
                "A project already in the LAO's project list is not removed from the forum form:"
                " the LAO's clerk removes it on the project list."
            ),
            "projects",
        )
    return forum_store.ForumInput(
        level=level,
        held_on=held_on,
        start_time=form.start_time.data,
        end_time=form.end_time.data,
        place=form.place.data,
        title=_title_for_village(get_db(), lao, form.title.data, village_id),
        village_id=village_id,
        organisers=form.organisers.data or [],
        reviews_community_plan=form.reviews_community_plan.data,
        used_bmn=form.used_bmn.data,
        used_village_data=form.used_village_data.data,
        bmn_year=form.bmn_year.data,
        village_data_year=form.village_data_year.data,
        dimensions=form.dimensions.data or [],
        head_count=thai.to_arabic_digits(form.head_count.data or ""),
        head_count_male=thai.to_arabic_digits(form.head_count_male.data or ""),
        head_count_female=thai.to_arabic_digits(form.head_count_female.data or ""),
        head_count_other=thai.to_arabic_digits(form.head_count_other.data or ""),
        meeting_no=thai.to_arabic_digits(form.meeting_no.data or "") or None,
        recorder_name=form.recorder_name.data,
        recorder_position=form.recorder_position.data,
        checker_name=form.checker_name.data,
        checker_position=form.checker_position.data,
        attendees=attendees,
        agenda=[
            {"title": f.title.data, "discussion": f.discussion.data, "resolution": f.resolution.data, "row": i}
            for i, f in kept["agenda"]
        ],
        projects=[
            {
                "rank": thai.to_arabic_digits(f.rank.data or ""),
                "name": f.name.data,
                "id": f.id.data,
                "version": parse_version(f.version.data) if f.id.data else None,
                "dimension": f.dimension.data,
                "village_id": f.village_id.data or None,
                "row": i,
            }
            for i, f in kept["projects"]
        ]
        if level == "lao"
        else [],
    )


def _render(lao: dict, form: ForumForm, level: str, forum: dict | None, status: int = 200, unsaved=False):
    return render_template(
        "pages/forum_form.html",
        lao=lao,
        form=form,
        level=level,
        forum=forum,
        # the data years' example: the year before the forum's programme year
        year_hint=(forum["programme_year"] if forum else programme_store.get_programme(get_db()).year_be) - 1,
        can_edit=_can_edit(lao["id"]),
        keeps_list=_keeps_list(lao["id"]),
        unsaved=unsaved,
        delete_form=PostForm(),
    ), status


def _handle_post(lao: dict, level: str, forum: dict | None):
    db = get_db()
    form = ForumForm()
    _prepare(form, db, lao, level)
    action = request.form.get("action", "save")
    for name in ROW_LISTS:
        field = getattr(form, name)
        if posted_rows(name) > field.max_entries or (action == f"add-{name}" and len(field) >= field.max_entries):
            form.form_errors.append(_("Too many rows: at most %(n)s.", n=field.max_entries))
            return _render(lao, form, level, forum, 400, unsaved=True)
        if action == f"add-{name}":
            field.append_entry({"rank": str(len(field) + 1)} if name == "projects" else {})
            _prepare(form, db, lao, level)
            return _render(lao, form, level, forum, unsaved=True)
    if form.validate():
        try:
            data = _input(form, level, lao)
            keeps_list = _keeps_list(lao["id"])
            if forum is None:
                forum_id = forum_store.create_forum(db, lao["id"], data, g.user["id"], keeps_list)
            else:
                forum_store.update_forum(
                    db, lao["id"], forum["id"], data, g.user["id"], parse_version(form.version.data), keeps_list
                )
                forum_id = forum["id"]
        except ConflictError as error:
            apply_error(form, error)
            # the adopted projects too: saving again, after reading what changed, overwrites knowingly
            stored = {p["id"]: p["version"] for p in forum_store.get_forum(db, lao["id"], forum["id"])["projects"]}
            for entry in form.projects:
                if parse_id(entry.form.id.data) in stored:
                    entry.form.version.data = str(stored[parse_id(entry.form.id.data)])
        except InputError as error:
            apply_error(form, error)
        else:
            flash(_("Forum saved."), "success")
            return redirect(url_for("forums.forum", lao_id=lao["id"], forum_id=forum_id))
    return _render(lao, form, level, forum, 400, unsaved=True)


@bp.route("/laos/<id:lao_id>/forums/new", methods=["GET", "POST"])
@login_required
def create(lao_id):
    lao = _lao(lao_id, edit=True)
    db = get_db()
    level = request.args.get("level", "village")
    if level not in ("village", "lao"):
        abort(404)
    if request.method == "POST":
        return _handle_post(lao, level, None)
    village = None
    if level == "village":
        try:
            village = lao_store.get_village(db, lao_id, parse_id(request.args.get("village")) or 0)
        except NotFound:
            villages = lao_store.villages(db, lao_id)
            if not villages:
                flash(_("Add the villages or communities of the LAO first."), "error")
                return redirect(url_for("laos.villages", lao_id=lao_id))
            village = villages[0]
    form = _blank_form(db, lao, level, village)
    _prepare(form, db, lao, level)
    return _render(lao, form, level, None)


@bp.route("/laos/<id:lao_id>/forums/<id:forum_id>", methods=["GET", "POST"])
@login_required
def forum(lao_id, forum_id):
    lao = _lao(lao_id, edit=request.method == "POST")
    db = get_db()
    try:
        record = forum_store.get_forum(db, lao_id, forum_id)
    except NotFound:
        abort(404)
    if request.method == "POST":
        return _handle_post(lao, record["level"], record)
    form = _form_from_forum(record, editable=_can_edit(lao_id))
    _prepare(form, db, lao, record["level"])
    return _render(lao, form, record["level"], record)


@bp.post("/laos/<id:lao_id>/forums/<id:forum_id>/delete")
@login_required
def delete(lao_id, forum_id):
    _lao(lao_id, edit=True)
    try:
        entry = forum_store.delete_forum(get_db(), lao_id, forum_id, g.user["id"])
    except NotFound:
        abort(404)
    flash_removed(_("Forum removed."), lao_id, entry)
    return redirect(url_for("forums.index", lao_id=lao_id))
