"""Meetings of the working group (guideline §4.1(4)): the list, recording a meeting,
changing and removing one (restored from Recently deleted). Recorded, as forums, by the
facilitators of the LAO's district and its own clerk (and admins); read by everyone who
sees the LAO. The first meeting may record the chair the group chose, which makes that
person the group's chair."""

from __future__ import annotations

import datetime

from flask import Blueprint, abort, flash, g, redirect, render_template, request, url_for
from flask_babel import gettext as _

from formsvc.domain import access, clock, thai
from formsvc.domain.errors import InputError, NotFound
from formsvc.domain.forums import DEFAULT_AGENDA
from formsvc.store import laos as lao_store
from formsvc.store import meetings as meeting_store
from formsvc.store import programme as programme_store
from formsvc.store import working_group as wg_store
from formsvc.store.versions import parse_version
from formsvc.web.context import get_db, keeps_typing, lao_in_scope, login_required, page_form, parse_id
from formsvc.web.forms import MeetingForm, PostForm, apply_error, posted_rows
from formsvc.web.forms.meetings import CHAIR_OTHER
from formsvc.web.laos import flash_removed

bp = Blueprint("meetings", __name__)
ROW_LISTS = ("present", "absent", "participants", "agenda")
keeps_typing("meetings.create")  # typing comes back after a language switch or an expiry
keeps_typing("meetings.meeting")


def _lao(lao_id: int, edit: bool = False) -> dict:
    return lao_in_scope(lao_id, edit=edit, rule=access.can_record_meetings, view=access.can_view_meetings)


def can_record(lao_id: int) -> bool:
    return access.can_record_meetings(g.principal, lao_store.lao_scope(get_db(), lao_id))


def _year() -> int:
    return programme_store.get_programme(get_db()).year_be


@bp.get("/laos/<id:lao_id>/meetings")
@login_required
def index(lao_id):
    lao = _lao(lao_id)
    year = _year()
    return render_template(
        "pages/meetings.html",
        lao=lao,
        year=year,
        meetings=meeting_store.meetings(get_db(), lao_id, year),
        can_edit=can_record(lao_id),
    )


def _members(lao_id: int, year: int) -> list[dict]:
    return [m for m in wg_store.get_group(get_db(), lao_id, year)["members"] if m["name"]]


def _prepare(form: MeetingForm, members: list[dict]) -> None:
    form.chair_member.choices = (
        [("", _("Not chosen at this meeting"))]
        + [(str(m["id"]), f"{m['name']} ({m['position']})" if m["position"] else m["name"]) for m in members]
        + [(CHAIR_OTHER, _("Another person (type the name below)"))]
    )


def _blank_form(lao: dict, year: int, members: list[dict]) -> MeetingForm:
    start, end = meeting_store.window(get_db(), year)
    day = min(max(clock.today(), start), end)
    data = {
        "version": "0",
        "meeting_no": str(meeting_store.suggest_meeting_no(get_db(), lao["id"], day)),
        "held_on": thai.date_input(day),
        "start_time": "09:00",
        "end_time": "12:00",
        # the members of the group are those expected: listed as present, to correct
        "present": [{"name": m["name"], "position": m["position"]} for m in members] + [{}],
        "absent": [{}],
        "participants": [{}],
        "agenda": [{"title": t} for t in DEFAULT_AGENDA],
        # the minute-taker is usually the one recording the meeting: their profile, editable
        "recorder_name": g.user["display_name"],
        "recorder_position": g.user["position"],
    }
    return page_form(MeetingForm, formdata=None, data=data)


def _form_of(meeting: dict, members: list[dict], editable: bool) -> MeetingForm:
    by_kind = {k: [a for a in meeting["attendees"] if a["kind"] == k] for k in ("present", "absent", "participant")}
    chosen = next((m for m in members if meeting["chair_name"] and m["name"] == meeting["chair_name"]), None)
    if chosen is not None:
        chair = {"chair_member": str(chosen["id"])}
    elif meeting["chair_name"]:
        chair = {
            "chair_member": CHAIR_OTHER,
            "chair_name": meeting["chair_name"],
            "chair_position": meeting["chair_position"],
        }
    else:
        chair = {"chair_member": ""}
    return page_form(
        MeetingForm,
        editable=editable,
        formdata=None,
        data={
            **{
                k: meeting[k]
                for k in ("place", "start_time", "end_time", "recorder_name", "recorder_position")
                + ("checker_name", "checker_position")
            },
            **chair,
            "version": str(meeting["version"]),
            "meeting_no": str(meeting["meeting_no"]),
            "held_on": thai.date_input(datetime.date.fromisoformat(meeting["held_on"])),
            "present": by_kind["present"] + [{}],
            "absent": by_kind["absent"] + [{}],
            "participants": by_kind["participant"] + [{}],
            "agenda": meeting["agenda"],
        },
    )


def _chair(form: MeetingForm, members: list[dict]) -> tuple[str, str]:
    """The chair the form says the meeting chose: (name, position), ("", "") for none."""
    choice = form.chair_member.data or ""
    if choice == CHAIR_OTHER:
        name = (form.chair_name.data or "").strip()
        if not name:
            raise InputError(_("Type the name of the chair chosen, or choose a member of the list."), "chair_name")
        return name, form.chair_position.data or ""
    if not choice:
        if (form.chair_name.data or "").strip():
            raise InputError(
                _("Choose “Another person” for the chair typed, or choose a member of the list."), "chair_member"
            )
        return "", ""
    member = next((m for m in members if m["id"] == parse_id(choice)), None)
    if member is None:
        raise InputError(_("Choose a member of the working group, or another person."), "chair_member")
    return member["name"], member["position"]


def _input(form: MeetingForm, members: list[dict]) -> meeting_store.MeetingInput:
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
            {"kind": "present", "name": f.name.data, "position": f.position.data, "row": i}
            | {"substitute_for": f.substitute_for.data}
            for i, f in kept["present"]
        ]
        + [
            {"kind": "absent", "name": f.name.data, "position": f.position.data, "row": i}
            | {"absence_reason": f.absence_reason.data}
            for i, f in kept["absent"]
        ]
        + [
            {"kind": "participant", "name": f.name.data, "position": f.position.data, "row": i}
            for i, f in kept["participants"]
        ]
    )
    chair_name, chair_position = _chair(form, members)
    return meeting_store.MeetingInput(
        held_on=held_on,
        start_time=form.start_time.data,
        end_time=form.end_time.data,
        place=form.place.data,
        meeting_no=form.meeting_no.data,
        chair_name=chair_name,
        chair_position=chair_position,
        recorder_name=form.recorder_name.data,
        recorder_position=form.recorder_position.data,
        checker_name=form.checker_name.data,
        checker_position=form.checker_position.data,
        attendees=attendees,
        agenda=[
            {"title": f.title.data, "discussion": f.discussion.data, "resolution": f.resolution.data, "row": i}
            for i, f in kept["agenda"]
        ],
    )


def _render(lao: dict, form: MeetingForm, meeting: dict | None, status: int = 200, unsaved: bool = False):
    return render_template(
        "pages/meeting_form.html",
        lao=lao,
        form=form,
        meeting=meeting,
        can_edit=can_record(lao["id"]),
        unsaved=unsaved,
        delete_form=PostForm(),
    ), status


def _save(lao: dict, meeting: dict | None):
    db = get_db()
    year = meeting["programme_year"] if meeting else _year()
    members = _members(lao["id"], year)
    form = MeetingForm()
    _prepare(form, members)
    action = request.form.get("action", "save")
    for name in ROW_LISTS:
        rows = getattr(form, name)
        if posted_rows(name) > rows.max_entries or (action == f"add-{name}" and len(rows) >= rows.max_entries):
            form.form_errors.append(_("Too many rows: at most %(n)s.", n=rows.max_entries))
            return _render(lao, form, meeting, 400, unsaved=True)
        if action == f"add-{name}":
            rows.append_entry({})
            return _render(lao, form, meeting, unsaved=True)
    if form.validate():
        changed: list[bool] = []
        try:
            data = _input(form, members)
            if meeting is None:
                meeting_id = meeting_store.create_meeting(db, lao["id"], data, g.user["id"], changed)
            else:
                meeting_store.update_meeting(
                    db, lao["id"], meeting["id"], data, g.user["id"], parse_version(form.version.data), changed
                )
                meeting_id = meeting["id"]
        except InputError as error:  # a ConflictError too: shown on the form, typing kept
            apply_error(form, error)
        else:
            flash(_("Meeting of the working group saved."), "success")
            if any(changed):
                flash(
                    _(
                        "%(name)s is now the chair of the working group (see the working-group page).",
                        name=data.chair_name,
                    ),
                    "success",
                )
            return redirect(url_for("meetings.meeting", lao_id=lao["id"], meeting_id=meeting_id))
    return _render(lao, form, meeting, 400, unsaved=True)


@bp.route("/laos/<id:lao_id>/meetings/new", methods=["GET", "POST"])
@login_required
def create(lao_id):
    lao = _lao(lao_id, edit=True)
    if request.method == "POST":
        return _save(lao, None)
    year = _year()
    members = _members(lao_id, year)
    form = _blank_form(lao, year, members)
    _prepare(form, members)
    return _render(lao, form, None)


@bp.route("/laos/<id:lao_id>/meetings/<id:meeting_id>", methods=["GET", "POST"])
@login_required
def meeting(lao_id, meeting_id):
    lao = _lao(lao_id, edit=request.method == "POST")
    try:
        record = meeting_store.get_meeting(get_db(), lao_id, meeting_id)
    except NotFound:
        abort(404)
    if request.method == "POST":
        return _save(lao, record)
    members = _members(lao_id, record["programme_year"])
    form = _form_of(record, members, can_record(lao_id))
    _prepare(form, members)
    return _render(lao, form, record)


@bp.post("/laos/<id:lao_id>/meetings/<id:meeting_id>/delete")
@login_required
def delete(lao_id, meeting_id):
    _lao(lao_id, edit=True)
    try:
        entry = meeting_store.delete_meeting(get_db(), lao_id, meeting_id, g.user["id"])
    except NotFound:
        abort(404)
    flash_removed(_("Meeting of the working group removed."), lao_id, entry)
    return redirect(url_for("meetings.index", lao_id=lao_id))
