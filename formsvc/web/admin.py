"""Administration: users and programme settings."""

from __future__ import annotations

from flask import Blueprint, abort, flash, g, redirect, render_template, request, url_for
from flask_babel import LazyString
from flask_babel import gettext as _

from formsvc.domain import access
from formsvc.domain.access import ROLES
from formsvc.domain.thai import month_name
from formsvc.services import mail
from formsvc.store import geography, programme
from formsvc.store import laos as lao_store
from formsvc.store import users as user_store
from formsvc.store.errors import InputError, NotFound
from formsvc.store.versions import parse_version
from formsvc.web.context import get_db, keeps_typing, login_required, page_form, requested_year, require
from formsvc.web.filters import ROLE_NAMES, district_label, lao_district_label, lao_name, month_label
from formsvc.web.forms import (
    EmailForm,
    OpenYearForm,
    ProgrammeForm,
    UnlockAddressForm,
    UserEditForm,
    UserForm,
    apply_error,
)

bp = Blueprint("admin", __name__, url_prefix="/admin")
keeps_typing("admin.index", posted_to="admin.create_user")
for _endpoint in ("edit_user", "settings"):
    keeps_typing(f"admin.{_endpoint}")  # typing comes back after a language switch or an expiry (never a password)


def _user_form(db, form: UserForm | UserEditForm | None = None) -> UserForm | UserEditForm:
    """A user form with its choices: roles, LAOs, districts, provinces."""
    form = form or UserForm()
    form.role.choices = [(r, ROLE_NAMES[r]) for r in ROLES]
    form.lao_id.choices = [(0, "—")] + [
        (lao["id"], f"{lao_name(lao)} ({lao_district_label(lao)})") for lao in lao_store.list_laos(db)
    ]
    form.district_code.choices = [("", "—")] + [
        (r["code"], f"{r['province_name']} – {district_label(r)}") for r in geography.districts_with_province(db)
    ]
    form.province_code.choices = [("", "—")] + [(p["code"], p["name_th"]) for p in geography.provinces(db)]
    return form


def _page(user_form: UserForm, status: int = 200):
    db = get_db()
    return render_template(
        "pages/admin.html",
        user_form=user_form,
        users=user_store.list_users(db),
        locked=user_store.locked_accounts(db),
        locked_addresses=user_store.locked_addresses(db),
        programme=programme.get_programme(db),
        dimensions=programme.dimensions(db),
        years=programme.years(db)[::-1],
        mail=mail.status(db),
    ), status


@bp.get("")
@login_required
def index():
    require(access.is_admin(g.principal))
    return _page(_user_form(get_db(), page_form(UserForm)))


@bp.post("/users")
@login_required
def create_user():
    require(access.is_admin(g.principal))
    db = get_db()
    form = _user_form(db)
    if form.validate_on_submit():
        try:
            user_store.create_user(
                db,
                form.username.data,
                form.password.data,
                form.role.data,
                lao_id=form.lao_id.data or None,
                district_code=form.district_code.data or None,
                province_code=form.province_code.data or None,
                display_name=form.display_name.data,
                position=form.position.data,
            )
        except InputError as error:
            apply_error(form, error)
        else:
            flash(_("User %(name)s created.", name=form.username.data), "success")
            return redirect(url_for("admin.index"))
    return _page(form, 400)


@bp.post("/users/<id:user_id>/unlock")
@login_required
def unlock_user(user_id):
    """End a sign-in pause early (the user asked; the failures were theirs)."""
    require(access.is_admin(g.principal))
    try:
        user = user_store.unlock_user(get_db(), user_id)
    except NotFound:
        abort(404)
    flash(_("%(name)s can sign in again.", name=user["username"]), "success")
    return redirect(url_for("admin.index"))


@bp.post("/addresses/unlock")
@login_required
def unlock_address():
    require(access.is_admin(g.principal))
    address = UnlockAddressForm().address.data  # the store checks it
    try:
        user_store.unlock_address(get_db(), address)
    except InputError as error:
        flash(error.text(_), "error")
        return redirect(url_for("admin.index")), 303
    flash(_("Sign-in from %(address)s is possible again.", address=address), "success")
    return redirect(url_for("admin.index"))


@bp.route("/users/<id:user_id>", methods=["GET", "POST"])
@login_required
def edit_user(user_id):
    require(access.is_admin(g.principal))
    db = get_db()
    try:
        row = user_store.get_user(db, user_id)
    except NotFound:
        abort(404)
    form = _user_form(
        db,
        page_form(
            UserEditForm,
            data=None
            if request.method == "POST"
            else {
                "version": str(row["version"]),
                "display_name": row["display_name"],
                "position": row["position"],
                "role": row["role"],
                "lao_id": row["lao_id"] or 0,
                "district_code": row["district_code"] or "",
                "province_code": row["province_code"] or "",
                "active": bool(row["active"]),
            },
        ),
    )
    if form.validate_on_submit():
        try:
            user_store.update_user(
                db,
                user_id,
                display_name=form.display_name.data,
                position=form.position.data,
                role=form.role.data,
                lao_id=form.lao_id.data or None,
                district_code=form.district_code.data or None,
                province_code=form.province_code.data or None,
                active=form.active.data,
                by=g.user["id"],
                expected_version=parse_version(form.version.data),
            )
        except InputError as error:
            apply_error(form, error)
        else:
            flash(_("User %(name)s saved.", name=row["username"]), "success")
            return redirect(url_for("admin.index"))
    email_form = EmailForm(formdata=None, data={"email": row["email"], "notify": bool(row["notify"])})
    return render_template(
        "pages/user_form.html", form=form, user=row, email_form=email_form
    ), 400 if request.method == "POST" else 200


@bp.post("/users/<id:user_id>/email")
@login_required
def user_email(user_id):
    """An administrator sets a user's e-mail address and notices (the user may too)."""
    require(access.is_admin(g.principal))
    db = get_db()
    try:
        row = user_store.get_user(db, user_id)
    except NotFound:
        abort(404)
    email_form = EmailForm()
    if email_form.validate_on_submit():
        try:
            user_store.set_email(db, user_id, email_form.email.data, email_form.notify.data)
        except InputError as error:
            apply_error(email_form, error)
        else:
            flash(_("E-mail settings of %(name)s saved.", name=row["username"]), "success")
            return redirect(url_for("admin.edit_user", user_id=user_id))
    form = _user_form(
        db,
        UserEditForm(
            formdata=None,
            data={
                "version": str(row["version"]),
                "display_name": row["display_name"],
                "role": row["role"],
                "lao_id": row["lao_id"] or 0,
                "district_code": row["district_code"] or "",
                "province_code": row["province_code"] or "",
                "active": bool(row["active"]),
            },
        ),
    )
    return render_template("pages/user_form.html", form=form, user=row, email_form=email_form), 400


@bp.route("/settings", methods=["GET", "POST"])
@login_required
def settings():
    """The settings of a programme year (?year=, default the open year). Only the open
    year's can be changed; a closed year's are shown as its periods were run."""
    require(access.is_admin(g.principal))
    db = get_db()
    year = requested_year(db)
    current = programme.settings(db, year)
    open_year = programme.open_year(db)
    form = page_form(
        ProgrammeForm,
        editable=year == open_year,
        data=None
        if request.method == "POST"
        else {
            **current,
            "version": str(current["version"]),
            "year_be": str(year),
            "dimensions": "\n".join(current["dimensions"]),
        },
    )
    months = [(m, LazyString(month_label, m)) for m in range(1, 13)]
    form.start_month.choices = form.end_month.choices = months
    if form.validate_on_submit():
        try:
            programme.update_programme(
                db,
                form.year_be.data or year,
                form.start_month.data,
                form.end_month.data,
                form.dimensions.data.splitlines(),
                g.user["id"],
                parse_version(form.version.data),
                late_days=form.late_days.data,
                district_due_days=form.district_due_days.data,
                province_due_days=form.province_due_days.data,
                attachment_quota_mb=form.attachment_quota_mb.data,
            )
        except InputError as error:
            apply_error(form, error)
        else:
            flash(_("Programme settings saved."), "success")
            return redirect(url_for("admin.settings"))
    return render_template(
        "pages/settings.html", form=form, year=year, open_year=open_year, years=programme.years(db)[::-1]
    ), 400 if request.method == "POST" else 200


@bp.route("/years/open", methods=["GET", "POST"])
@login_required
def open_year():
    """Open the next programme year: a page saying what it copies and what it does not,
    whose button does it (GET only asks)."""
    require(access.is_admin(g.principal))
    db = get_db()
    latest = programme.get_programme(db)
    form = OpenYearForm(data=None if request.method == "POST" else {"year_be": str(latest.year_be + 1)})
    if form.validate_on_submit():
        try:
            result = programme.open_new_year(db, form.year_be.data, g.user["id"])
        except InputError as error:
            apply_error(form, error)
        else:
            flash(
                _(
                    "Programme year %(year)s is open: %(models)s model LAOs carried over. Forums, projects, "
                    "working groups, orders and reports start empty.",
                    year=result["year_be"],
                    models=result["model_laos"],
                ),
                "success",
            )
            return redirect(url_for("admin.index"))
    models = lao_store.model_lao_count(db, latest.year_be)
    return render_template(
        "pages/open_year.html",
        form=form,
        programme=latest,
        next_year=latest.year_be + 1,
        dimensions=programme.dimensions(db, latest.year_be),
        model_laos=models,
        month_name=month_name,
    ), 400 if request.method == "POST" else 200
