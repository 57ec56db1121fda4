"""The working group, its order, its operation plan and the LAO's emblem."""

from __future__ import annotations

from flask_babel import lazy_gettext as _l
from wtforms import (
    BooleanField,
    FieldList,
    FileField,
    FormField,
    HiddenField,
    SelectField,
    StringField,
    TextAreaField,
)
from wtforms.validators import DataRequired, Length, Optional

from formsvc.domain.working_group import CATEGORY_LABELS, GROUP_ROLE_LABELS
from formsvc.store import working_group as wg_store
from formsvc.web.filters import lazy_choices
from formsvc.web.forms.base import REQUIRED, FlaskForm, Lines, SubForm


class MemberRowForm(SubForm):
    member_id = HiddenField()  # the stored member the row is (empty: a new row)
    name = StringField(_l("Name"), validators=[Optional(), Length(max=120)])
    position = StringField(_l("Position"), validators=[Optional(), Length(max=200)])
    group_role = SelectField(_l("Role in the group"), choices=lazy_choices(GROUP_ROLE_LABELS))
    category = SelectField(_l("Represents"), choices=lazy_choices(CATEGORY_LABELS))
    remove = BooleanField(_l("Remove"))


class WorkingGroupForm(FlaskForm):
    version = HiddenField()
    members = FieldList(FormField(MemberRowForm), min_entries=0, max_entries=200)
    reason = TextAreaField(
        _l("Reason and authority (first part of the order)"),
        validators=[DataRequired(REQUIRED), Length(max=wg_store.REASON_MAX), Lines(wg_store.REASON_LINES)],
    )
    duties = TextAreaField(
        _l("Duties of the group (one per line)"), validators=[DataRequired(REQUIRED), Length(max=20000)]
    )
    signer_name = StringField(_l("Signed by (name)"), validators=[Optional(), Length(max=120)])
    signer_position = StringField(_l("Signer's position"), validators=[Optional(), Length(max=200)])


class PrefillForm(FlaskForm):
    replace = BooleanField(_l("Replace the rows already entered"))


class IssueOrderForm(FlaskForm):
    # what the confirmation page showed: the group's version and the order in force
    version = HiddenField()
    current = HiddenField()
    number = StringField(_l("Order number (leave empty for the next one)"), validators=[Optional(), Length(max=10)])
    order_date = StringField(_l("Order date (day/month/BE year)"), validators=[DataRequired(REQUIRED), Length(max=20)])
    effective_date = StringField(_l("In force from (day/month/BE year)"), validators=[Optional(), Length(max=20)])


class ActivityRowForm(SubForm):
    activity = StringField(_l("Activity"), validators=[Optional(), Length(max=300)])
    start_month = SelectField(_l("From"))
    end_month = SelectField(_l("To"))
    responsible = StringField(_l("Responsible"), validators=[Optional(), Length(max=200)])
    status = SelectField(
        _l("Status"),
        choices=[
            ("planned", _l("Not started")),
            ("in_progress", _l("In progress")),
            ("done", _l("Done")),
            ("cancelled", _l("Cancelled")),
        ],
    )
    remove = BooleanField(_l("Remove"))


class OperationPlanForm(FlaskForm):
    version = HiddenField()
    activities = FieldList(FormField(ActivityRowForm), min_entries=0, max_entries=100)


class EmblemForm(FlaskForm):
    emblem = FileField(_l("Emblem image (PNG or SVG, at most 1 MB)"))
