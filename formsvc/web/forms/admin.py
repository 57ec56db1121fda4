"""Administration: the programme year, users, locked-out addresses, the audit log."""

from __future__ import annotations

from flask_babel import lazy_gettext as _l
from wtforms import (
    BooleanField,
    HiddenField,
    IntegerField,
    PasswordField,
    SelectField,
    StringField,
    TextAreaField,
)
from wtforms.validators import DataRequired, InputRequired, Length, NumberRange, Optional

from formsvc.web.forms.base import REQUIRED, FlaskForm


class ProgrammeForm(FlaskForm):
    """The settings of one programme year (the year itself is not edited here: a new
    year is opened, OpenYearForm)."""

    version = HiddenField()
    year_be = HiddenField()
    start_month = SelectField(_l("Start month"), coerce=int)
    end_month = SelectField(_l("End month"), coerce=int)
    late_days = IntegerField(
        _l("Days after a period's end before its report is late"),
        validators=[InputRequired(REQUIRED), NumberRange(0, 120)],
    )
    district_due_days = IntegerField(
        _l("Days after the LAOs' due day before a district report is late"),
        validators=[Optional(), NumberRange(0, 120)],  # not sent: the year's stay
    )
    province_due_days = IntegerField(
        _l("Days after the districts' due day before a province report is late"),
        validators=[Optional(), NumberRange(0, 120)],
    )
    attachment_quota_mb = IntegerField(
        _l("Photos and scans each LAO may attach in all (MB)"),
        validators=[Optional(), NumberRange(0, 100_000)],  # not sent: the year's stays
    )
    dimensions = TextAreaField(
        _l("Development dimensions (one per line)"), validators=[DataRequired(REQUIRED), Length(max=3000)]
    )


class OpenYearForm(FlaskForm):
    year_be = HiddenField()


class UserForm(FlaskForm):
    username = StringField(_l("Username"), validators=[DataRequired(REQUIRED), Length(max=40)])
    display_name = StringField(_l("Display name"), validators=[Optional(), Length(max=120)])
    position = StringField(_l("Position"), validators=[Optional(), Length(max=200)])
    role = SelectField(_l("Role"), validators=[InputRequired(REQUIRED)])
    lao_id = SelectField(_l("LAO (for LAO clerks)"), coerce=int, validators=[Optional()])
    district_code = SelectField(_l("District (for facilitators and district offices)"), validators=[Optional()])
    province_code = SelectField(_l("Province (for province offices)"), validators=[Optional()])
    password = PasswordField(_l("Password"), validators=[DataRequired(REQUIRED), Length(max=128)])


class UnlockAddressForm(FlaskForm):
    address = HiddenField()


class UserEditForm(FlaskForm):
    version = HiddenField()
    display_name = StringField(_l("Display name"), validators=[Optional(), Length(max=120)])
    position = StringField(_l("Position"), validators=[Optional(), Length(max=200)])
    role = SelectField(_l("Role"), validators=[InputRequired(REQUIRED)])
    lao_id = SelectField(_l("LAO (for LAO clerks)"), coerce=int, validators=[Optional()])
    district_code = SelectField(_l("District (for facilitators and district offices)"), validators=[Optional()])
    province_code = SelectField(_l("Province (for province offices)"), validators=[Optional()])
    active = BooleanField(_l("May sign in"))


class AuditFilterForm(FlaskForm):
    """The audit log's filters (a GET form: it changes nothing, so no CSRF token)."""

    class Meta:
        csrf = False

    table = SelectField(_l("Record"), validate_choice=False)
    user = SelectField(_l("User"), validate_choice=False)
    lao = SelectField(_l("LAO"), validate_choice=False)
    date_from = StringField(_l("From (day/month/BE year)"), validators=[Optional(), Length(max=20)])
    date_to = StringField(_l("To (day/month/BE year)"), validators=[Optional(), Length(max=20)])
