"""The project list: one project, the import and the table edited in place."""

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
)
from wtforms.validators import DataRequired, Length, Optional

from formsvc.web.forms.base import REQUIRED, FlaskForm, SubForm


class ProjectForm(FlaskForm):
    version = HiddenField()
    rank = StringField(_l("Rank"), validators=[Optional(), Length(max=6)], render_kw={"inputmode": "numeric"})
    name = StringField(_l("Project or activity"), validators=[DataRequired(REQUIRED), Length(max=300)])
    dimension = SelectField(_l("Dimension"), validate_choice=False)
    village_id = SelectField(_l("Village/community"), validate_choice=False)
    within_authority = BooleanField(_l("Within the LAO's powers"), default=True)
    in_development_plan = BooleanField(_l("In next year's development plan"))
    plan_reference = StringField(
        _l("Reference in the plan (e.g. ผ.02 page/row)"), validators=[Optional(), Length(max=100)]
    )
    in_budget_draft = BooleanField(_l("In next year's draft budget ordinance"))
    budget = StringField(
        _l("Amount (baht)"), validators=[Optional(), Length(max=30)], render_kw={"inputmode": "decimal"}
    )


class ImportForm(FlaskForm):
    file = FileField(_l("Project list (CSV or XLSX, at most 5 MB)"))


class ProjectRowEditForm(SubForm):
    id = HiddenField()
    version = HiddenField()
    rank = StringField(_l("Rank"), validators=[Optional(), Length(max=6)], render_kw={"inputmode": "numeric"})
    name = StringField(_l("Project or activity"), validators=[Optional(), Length(max=300)])
    dimension = SelectField(_l("Dimension"), validate_choice=False)
    village_id = SelectField(_l("Village/community"), validate_choice=False)
    within_authority = BooleanField(_l("Within powers"))
    in_development_plan = BooleanField(_l("In the plan"))
    plan_reference = StringField(_l("Reference"), validators=[Optional(), Length(max=100)])
    in_budget_draft = BooleanField(_l("In the budget"))
    budget = StringField(
        _l("Amount (baht)"), validators=[Optional(), Length(max=30)], render_kw={"inputmode": "decimal"}
    )


class ProjectTableForm(FlaskForm):
    """One page of the table editor (formsvc.web.projects.edit_all)."""

    PAGE = 100
    rows = FieldList(FormField(ProjectRowEditForm), max_entries=PAGE)
