"""Photos and PDF scans attached to an LAO's forums, working-group meetings, monitoring
visits and reports.

Each owner kind says who sees its attachments and who may change them, as its own
pages do: forums and working-group meetings (all who see the LAO; recorded by its
facilitators and clerk),
monitoring visits (not facilitators; recorded by the district and province offices),
reports (the LAO's records; changed by its clerk while the report is not sent). Outside
that scope, or when the record is gone, every route answers 404. Files are sent with
their own type, ``nosniff`` and a sandboxing CSP; a PDF is always a download, never
shown in the browser. Uploads, deletions and restores answer with a redirect back to
the record's page and a message."""

from __future__ import annotations

from urllib.parse import quote

from flask import Blueprint, abort, flash, g, make_response, redirect, request, url_for
from flask_babel import gettext as _

from formsvc.documents import attachments as cleaning
from formsvc.domain import access
from formsvc.domain.errors import InputError, NotFound
from formsvc.services import attachments as attach_service
from formsvc.store import attachments as store
from formsvc.store import forums as forum_store
from formsvc.store import laos as lao_store
from formsvc.store import meetings as meeting_store
from formsvc.store import programme as programme_store
from formsvc.store import visits as visit_store
from formsvc.web.context import get_db, login_required
from formsvc.web.forms import PostForm

bp = Blueprint("attachments", __name__)
FILE_CSP = "default-src 'none'; sandbox"


def _forum(db, lao_id: int, owner_id: int):
    forum_store.get_forum(db, lao_id, owner_id)
    return url_for("forums.forum", lao_id=lao_id, forum_id=owner_id), True


def _meeting(db, lao_id: int, owner_id: int):
    meeting_store.get_meeting(db, lao_id, owner_id)
    return url_for("meetings.meeting", lao_id=lao_id, meeting_id=owner_id), True


def _consent(db, lao_id: int, owner_id: int):
    """The LAO's consent letter of programme year ``owner_id``: kept with how the district
    selected it (guideline §4.2(3)), changed in the open year only."""
    if owner_id not in programme_store.years(db):
        raise NotFound(owner_id)
    lao = lao_store.get_lao(db, lao_id)
    open_year = programme_store.get_programme(db).year_be
    year = None if owner_id == open_year else owner_id
    page = url_for("dashboards.district", code=lao["district_code"], year=year)
    return page, owner_id == open_year


def _select_rule(user, scope) -> bool:
    return access.can_select_model_lao(user, scope.district_code)


def _visit(db, lao_id: int, owner_id: int):
    visit_store.get_visit(db, lao_id, owner_id)
    return url_for("visits.visit", lao_id=lao_id, visit_id=owner_id), True


def _report(db, lao_id: int, owner_id: int):
    row = store.report_of(db, lao_id, owner_id)
    open_ = row["status"] not in ("submitted", "acknowledged")
    return url_for("reports.report", lao_id=lao_id, number=row["period"]), open_


# owner kind → (who sees it, who changes it, its page and whether it may change now)
OWNERS = {
    "forum": (access.can_view_lao, access.can_record_forums, _forum),
    "meeting": (access.can_view_meetings, access.can_record_meetings, _meeting),
    "consent": (access.can_view_lao_records, _select_rule, _consent),
    "visit": (access.can_view_visits, access.can_record_visits, _visit),
    "report": (access.can_view_lao_records, access.can_keep_lao_records, _report),
}


def _owner(lao_id: int, owner_kind: str, owner_id: int, edit: bool = False) -> str:
    """The record's page, if the user may see the record (404 otherwise) and, with
    ``edit``, change its attachments now (403 otherwise)."""
    db = get_db()
    view, rule, resolve = OWNERS[owner_kind]
    try:
        scope = lao_store.lao_scope(db, lao_id)
        if not view(g.principal, scope):
            abort(404)
        page, open_ = resolve(db, lao_id, owner_id)
    except NotFound:
        abort(404)
    if edit and not (rule(g.principal, scope) and open_):
        abort(403)
    return page


def _attachment(lao_id: int, attachment_id: int, edit: bool = False, deleted: bool = False) -> tuple[dict, str]:
    """The attachment and its record's page, checked as its record is (404, 403)."""
    try:
        row = store.get(get_db(), lao_id, attachment_id, deleted=deleted)
    except NotFound:
        abort(404)
    if row["owner_kind"] not in OWNERS:
        abort(404)
    return row, _owner(lao_id, row["owner_kind"], row["owner_id"], edit)


def panel(lao_id: int, owner_kind: str, owner_id: int | None) -> dict:
    """What the attachments section of a record's page shows (templates call it)."""
    if owner_id is None:
        return {"files": [], "deleted": [], "can_edit": False, "owner_kind": owner_kind, "owner_id": None}
    db = get_db()
    view, rule, resolve = OWNERS[owner_kind]
    scope = lao_store.lao_scope(db, lao_id)
    try:
        _page, open_ = resolve(db, lao_id, owner_id)
    except NotFound:
        open_ = False
    can_edit = bool(rule(g.principal, scope) and open_)
    return {
        "files": store.of_record(db, lao_id, owner_kind, owner_id),
        "deleted": store.of_record(db, lao_id, owner_kind, owner_id, deleted=True) if can_edit else [],
        "can_edit": can_edit,
        "owner_kind": owner_kind,
        "owner_id": owner_id,
        "form": PostForm(),
        "max_mb": cleaning.MAX_BYTES // (1024 * 1024),
        "max_files": store.MAX_PER_RECORD,
        "keep_days": store.KEEP_DAYS,
        "upload_url": upload_url(lao_id, owner_kind, owner_id) if can_edit else None,
    }


@bp.app_context_processor
def _panel_function():
    return {"attachments_panel": panel}


def _upload(lao_id: int, owner_kind: str, owner_id: int):
    page = _owner(lao_id, owner_kind, owner_id, edit=True)
    upload = request.files.get("file")
    data = upload.read(cleaning.MAX_BYTES + 1) if upload else b""
    try:
        attach_service.attach(
            get_db(), lao_id, owner_kind, owner_id, upload.filename if upload else "", data, g.user["id"]
        )
    except InputError as error:
        flash(_("The file was not attached: %(reason)s", reason=error.text(_)), "error")
        return redirect(page + "#attachments")
    flash(_("File attached."), "success")
    return redirect(page + "#attachments")


@bp.post("/laos/<id:lao_id>/forums/<id:forum_id>/attachments")
@login_required
def upload_to_forum(lao_id, forum_id):
    return _upload(lao_id, "forum", forum_id)


@bp.post("/laos/<id:lao_id>/meetings/<id:meeting_id>/attachments")
@login_required
def upload_to_meeting(lao_id, meeting_id):
    return _upload(lao_id, "meeting", meeting_id)


@bp.post("/laos/<id:lao_id>/consent/<id:year>/attachments")
@login_required
def upload_consent(lao_id, year):
    """The LAO's consent letter (a scan) of a programme year, from the district page."""
    return _upload(lao_id, "consent", year)


@bp.post("/laos/<id:lao_id>/visits/<id:visit_id>/attachments")
@login_required
def upload_to_visit(lao_id, visit_id):
    return _upload(lao_id, "visit", visit_id)


@bp.post("/laos/<id:lao_id>/reports/<id:number>/attachments")
@login_required
def upload_to_report(lao_id, number):
    """A report's attachments: the open year's report of period ``number``, once saved."""
    try:
        report_id = store.report_id(get_db(), lao_id, number)
    except NotFound:
        _owner_lao(lao_id)  # 404 outside the user's scope, as for a report saved
        abort(404)
    return _upload(lao_id, "report", report_id)


def _owner_lao(lao_id: int) -> None:
    try:
        scope = lao_store.lao_scope(get_db(), lao_id)
    except NotFound:
        abort(404)
    if not access.can_view_lao_records(g.principal, scope):
        abort(404)


def upload_url(lao_id: int, owner_kind: str, owner_id: int) -> str:
    """Where a record's upload form posts."""
    if owner_kind == "forum":
        return url_for("attachments.upload_to_forum", lao_id=lao_id, forum_id=owner_id)
    if owner_kind == "visit":
        return url_for("attachments.upload_to_visit", lao_id=lao_id, visit_id=owner_id)
    if owner_kind == "meeting":
        return url_for("attachments.upload_to_meeting", lao_id=lao_id, meeting_id=owner_id)
    if owner_kind == "consent":
        return url_for("attachments.upload_consent", lao_id=lao_id, year=owner_id)
    number = store.report_of(get_db(), lao_id, owner_id)["period"]
    return url_for("attachments.upload_to_report", lao_id=lao_id, number=number)


def _send(content: bytes, mime: str, name: str, download: bool):
    response = make_response(content)
    response.headers["Content-Type"] = mime
    ascii_name = name.encode("ascii", "replace").decode().replace('"', "").replace("\\", "").replace("?", "_")
    disposition = "attachment" if download else "inline"
    response.headers["Content-Disposition"] = (
        f"{disposition}; filename=\"{ascii_name}\"; filename*=UTF-8''{quote(name, safe='')}"
    )
    response.headers["X-Content-Type-Options"] = "nosniff"
    response.headers["Content-Security-Policy"] = FILE_CSP
    response.headers["Cache-Control"] = "no-store"
    return response


@bp.get("/laos/<id:lao_id>/attachments/<id:attachment_id>/<any(file, thumb):part>")
@login_required
def download(lao_id, attachment_id, part):
    row, _page = _attachment(lao_id, attachment_id)
    sha = row["sha256"] if part == "file" else row["thumb_sha256"]
    if not sha:
        abort(404)
    try:
        content = store.read_file(store.folder(get_db()), sha)
    except NotFound:
        abort(404)
    if part == "thumb":
        return _send(content, row["mime"], "thumb-" + row["file_name"], download=False)
    # a PDF is never shown inside the service's pages: the browser saves it
    return _send(content, row["mime"], row["file_name"], download=row["kind"] == "pdf" or "download" in request.args)


@bp.post("/laos/<id:lao_id>/attachments/<id:attachment_id>/delete")
@login_required
def delete(lao_id, attachment_id):
    _row, page = _attachment(lao_id, attachment_id, edit=True)
    store.delete(get_db(), lao_id, attachment_id, g.user["id"])
    # the restore button (base.html) posts to attachments.restore: the fourth part says so
    flash(_("Attachment removed."), f"undo:{lao_id}:{attachment_id}:attachment")
    return redirect(page + "#attachments")


@bp.post("/laos/<id:lao_id>/attachments/<id:attachment_id>/restore")
@login_required
def restore(lao_id, attachment_id):
    _row, page = _attachment(lao_id, attachment_id, edit=True, deleted=True)
    try:
        store.restore(get_db(), lao_id, attachment_id)
    except NotFound:
        abort(404)
    except InputError as error:
        flash(error.text(_), "error")
        return redirect(page + "#attachments")
    flash(_("Attachment restored."), "success")
    return redirect(page + "#attachments")
