"""The audit log page: who changed which record, when, and what changed."""

from __future__ import annotations

import datetime as _dt
import re

from flask import Blueprint, abort, g, render_template, request, url_for
from flask_babel import gettext as _
from flask_babel import lazy_gettext as _l

from formsvc.domain import access, thai
from formsvc.domain import audit as audit_rules
from formsvc.domain.errors import InputError
from formsvc.store import audit as audit_store
from formsvc.store import laos as lao_store
from formsvc.web.context import get_db, login_required, parse_id, require
from formsvc.web.filters import BANGKOK_TZ, dimension_label, lao_district_label, lao_name, ui_date, ui_datetime
from formsvc.web.forms import AuditFilterForm

bp = Blueprint("audit", __name__)

ACTIONS = {"insert": _l("Added"), "update": _l("Changed"), "delete": _l("Deleted")}
TABLES = {
    "lao": _l("LAO"),
    "lao_subdistrict": _l("Tambon of an LAO"),
    "village": _l("Village/community"),
    "user": _l("User"),
    "programme": _l("Programme settings"),
    "dimension": _l("Development dimension"),
    "model_lao": _l("Model LAO selection"),
    "model_lao_change": _l("Change of model LAO"),
    "working_group": _l("Working group"),
    "working_group_member": _l("Working group member"),
    "operation_activity": _l("Operation plan activity"),
    "lao_order": _l("Appointment order"),
    "issued_document": _l("Issued document"),
    "certificate": _l("Certificate"),
    "lao_emblem": _l("Emblem"),
    "forum": _l("Forum"),
    "working_group_meeting": _l("Working group meeting"),
    "forum_attendee": _l("Forum attendee"),
    "forum_agenda": _l("Forum agenda item"),
    "project": _l("Project"),
    "report": _l("Bi-monthly report"),
    "report_submission": _l("Report submission"),
    "district_report": _l("District report"),
    "district_report_submission": _l("District report submission"),
}
# Column names as a reader knows them; a column not named here shows as it is.
FIELDS = {
    "absence_reason": _l("Reason for absence"),
    "active": _l("Active"),
    "activity": _l("Activity"),
    "agreed_on": _l("Date both district offices agreed"),
    "budget_satang": _l("Budget (satang)"),
    "bmn_year": _l("Year of the BMN data"),
    "category": _l("Category"),
    "changed_at": _l("Changed at"),
    "changed_by": _l("Changed by"),
    "checker_name": _l("Checker"),
    "checker_position": _l("Checker's position"),
    "chief_title": _l("Chief's title"),
    "community_officer_name": _l("Name of the district community-development officer who agreed"),
    "community_officer_position": _l("Position of the district community-development officer who agreed"),
    "consent_letter_date": _l("Date of the LAO's consent letter"),
    "consent_letter_number": _l("Number of the LAO's consent letter"),
    "consent_on": _l("Date of the LAO's consent"),
    "content": _l("File"),
    "created_at": _l("Created at"),
    "created_by": _l("Created by"),
    "digit_style": _l("Digits in documents"),
    "dimension": _l("Dimension"),
    "dimensions": _l("Development dimensions covered"),
    "discussion": _l("Discussion"),
    "display_name": _l("Display name"),
    "district_code": _l("District"),
    "docx": _l("DOCX file"),
    "docx_sha256": _l("DOCX SHA-256"),
    "duties": _l("Duties"),
    "effective_date": _l("In force from"),
    "end_month": _l("End month"),
    "end_time": _l("End time"),
    "format": _l("Format"),
    "forum_id": _l("Forum"),
    "group_role": _l("Role in the group"),
    "has_coc": _l("There is a tambon community-organisation council in the area"),
    "has_kamnan": _l("There is a kamnan in the area"),
    "head_count": _l("People taking part"),
    "head_count_female": _l("Women taking part"),
    "head_count_male": _l("Men taking part"),
    "height_px": _l("Height (pixels)"),
    "held_on": _l("Date held"),
    "id": _l("Id"),
    "in_budget_draft": _l("In next year's draft budget"),
    "in_development_plan": _l("In next year's development plan"),
    "issued_at": _l("Issued at"),
    "issued_by": _l("Issued by"),
    "kind": _l("Kind"),
    "lao_id": _l("LAO"),
    "late_days": _l("Days before late"),
    "level": _l("Level"),
    "local_officer_name": _l("Name of the district local-administration officer who agreed"),
    "local_officer_position": _l("Position of the district local-administration officer who agreed"),
    "locale": _l("Language"),
    "meeting_no": _l("Meeting number"),
    "meeting_year_be": _l("Meeting year"),
    "mime": _l("File type"),
    "name": _l("Name"),
    "number": _l("Number"),
    "order_date": _l("Order date"),
    "order_id": _l("Order"),
    "organisers": _l("Organisers"),
    "password_hash": _l("Password"),
    "pdf": _l("PDF file"),
    "pdf_sha256": _l("PDF SHA-256"),
    "period": _l("Reporting period"),
    "place": _l("Place"),
    "plan_reference": _l("Plan reference"),
    "png": _l("PNG image"),
    "position": _l("Position"),
    "position_no": _l("Order in the list"),
    "previous_lao_id": _l("Previous model LAO"),
    "problems": _l("Problems"),
    "programme_year": _l("Programme year"),
    "progress": _l("Progress"),
    "province_code": _l("Province"),
    "rank": _l("Priority"),
    "readiness_notes": _l("Readiness of the LAO"),
    "reason": _l("Reason"),
    "recorder_name": _l("Recorder"),
    "recorder_position": _l("Recorder's position"),
    "replaces_order_id": _l("Replaces order"),
    "report_id": _l("Report"),
    "reporter_name": _l("Reporter"),
    "reporter_position": _l("Reporter's position"),
    "resolution": _l("Resolution"),
    "responsible": _l("Responsible"),
    "review_comment": _l("Review comment"),
    "reviewed_at": _l("Reviewed at"),
    "reviewed_by": _l("Reviewed by"),
    "reviews_community_plan": _l("Reviews the community plan"),
    "role": _l("Role"),
    "selected_at": _l("Selected at"),
    "selected_by": _l("Selected by"),
    "sha256": _l("SHA-256"),
    "signer_name": _l("Signer"),
    "signer_position": _l("Signer's position"),
    "size": _l("Size (bytes)"),
    "snapshot": _l("Snapshot"),
    "start_month": _l("Start month"),
    "start_time": _l("Start time"),
    "status": _l("Status"),
    "subdistrict_code": _l("Tambon"),
    "submitted_at": _l("Submitted at"),
    "submitted_by": _l("Submitted by"),
    "submitted_count": _l("Times submitted"),
    "substitute_for": _l("Attending for"),
    "suggestions": _l("Suggestions"),
    "title": _l("Title"),
    "updated_at": _l("Updated at"),
    "updated_by": _l("Updated by"),
    "uploaded_at": _l("Uploaded at"),
    "uploaded_by": _l("Uploaded by"),
    "used_bmn": _l("Used BMN data"),
    "used_village_data": _l("Used village data (กชช. ๒ค)"),
    "username": _l("Username"),
    "version": _l("Version"),
    "village_data_year": _l("Year of the village data (NRD 2C)"),
    "village_id": _l("Village/community"),
    "width_px": _l("Width (pixels)"),
    "within_authority": _l("Within the LAO's powers"),
    "working_group_id": _l("Working group"),
    "year_be": _l("Year (BE)"),
}
_ISO_DATE = re.compile(r"^\d{4}-\d{2}-\d{2}(T\d{2}:\d{2}(:\d{2}(\.\d+)?)?([+-]\d{2}:\d{2}|Z)?)?$")
MARKS = {audit_store.REDACTED_MARK: _l("(hidden)"), audit_store.REDACTED_CHANGED_MARK: _l("(hidden, changed)")}


def value_text(value, field: str = "") -> str:
    """A recorded value for the page: files by their digest, hidden columns by a note,
    dates and times in Thai (times in Thailand's time zone)."""
    if isinstance(value, str) and _ISO_DATE.match(value):
        return ui_datetime(value) if field.endswith("_at") and "T" in value else ui_date(value[:10])
    if audit_rules.is_digest(value):
        return _("file SHA-256 %(digest)s…, %(size)s bytes", digest=value["sha256"][:12], size=f"{value['bytes']:,}")
    if isinstance(value, str) and value in MARKS:
        return MARKS[value]
    if field == "dimension" and isinstance(value, str):
        return dimension_label(value)
    if field == "dimensions" and isinstance(value, list):
        return ", ".join(dimension_label(d) if isinstance(d, str) else audit_rules.as_text(d) for d in value)
    return audit_rules.as_text(value)


def _utc_bound(day: _dt.date) -> str:
    """Midnight in Thailand at the start of ``day``, as the log's UTC timestamps are written."""
    start = _dt.datetime.combine(day, _dt.time(), tzinfo=BANGKOK_TZ).astimezone(_dt.UTC)
    return start.isoformat(timespec="milliseconds")


def _choice(form_field, value: str) -> str:
    """A filter value must be one of the choices the reader was offered (404 otherwise:
    an LAO or user outside the reader's scope looks like one that does not exist)."""
    if value and value not in {str(v) for v, _ in form_field.choices}:
        abort(404)
    return value


@bp.get("/audit")
@login_required
def index():
    require(access.can_view_audit_log(g.principal))
    db = get_db()
    district = access.audit_log_district(g.principal)
    form = AuditFilterForm(formdata=request.args)
    form.table.choices = [("", _l("All"))] + sorted(
        ((t, TABLES.get(t, t)) for t in audit_store.tables(db)), key=lambda c: str(c[1])
    )
    form.user.choices = [("", _l("All")), ("system", _l("Command line and system"))] + [
        (str(u["id"]), f"{u['display_name'] or u['username']} ({u['username']})")
        for u in audit_store.users(db, district)
    ]
    form.lao.choices = [("", _l("All"))] + [
        (str(lao["id"]), f"{lao_name(lao)} ({lao_district_label(lao)})")
        for lao in lao_store.list_laos(db, district_code=district)
    ]
    table = _choice(form.table, request.args.get("table", ""))
    user = _choice(form.user, request.args.get("user", ""))
    lao = _choice(form.lao, request.args.get("lao", ""))

    valid = form.validate()  # lengths (it resets errors, so dates are checked after)
    dates = {}
    for name in ("date_from", "date_to"):
        field = getattr(form, name)
        if field.data and field.data.strip():
            try:
                dates[name] = thai.parse_date_input(field.data)
            except InputError as error:
                field.errors = [error.text(_)]
    if "date_from" in dates and "date_to" in dates and dates["date_to"] < dates["date_from"]:
        form.date_to.errors = [_("The end date is before the start date.")]
    if not valid or form.date_from.errors or form.date_to.errors:
        return render_template("pages/audit.html", form=form, page=None, filters={}), 400

    filters = audit_store.Filters(
        district_code=district,
        table=table or None,
        system=user == "system",
        user_id=int(user) if user.isdecimal() else None,
        lao_id=int(lao) if lao else None,
        at_from=_utc_bound(dates["date_from"]) if "date_from" in dates else None,
        at_to=_utc_bound(dates["date_to"] + _dt.timedelta(days=1)) if "date_to" in dates else None,
    )
    page = audit_store.page(
        db, filters, before=parse_id(request.args.get("before")), after=parse_id(request.args.get("after"))
    )
    for entry in page["entries"]:
        entry["changes"] = audit_rules.changes(entry["action"], entry["before"], entry["after"])
    kept = {k: v for k, v in request.args.items() if k in ("table", "user", "lao", "date_from", "date_to") and v}
    return render_template(
        "pages/audit.html",
        form=form,
        page=page,
        filters=kept,
        actions=ACTIONS,
        tables=TABLES,
        fields=FIELDS,
        value_text=value_text,
        newer_url=url_for("audit.index", **kept, after=page["entries"][0]["id"]) if page["newer"] else None,
        older_url=url_for("audit.index", **kept, before=page["entries"][-1]["id"]) if page["older"] else None,
    )
