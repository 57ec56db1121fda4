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
    TextAreaField,
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
    # the development plan's project form (แบบ ผ.02); limits as formsvc.store.projects.PLAN_TEXTS
    strategy = StringField(_l("Strategy"), validators=[Optional(), Length(max=300)])
    plan_area = StringField(_l("Plan area"), validators=[Optional(), Length(max=300)])
    objective = TextAreaField(_l("Objective"), validators=[Optional(), Length(max=1000)])
    target = TextAreaField(_l("Target (the project's output)"), validators=[Optional(), Length(max=1000)])
    kpi = TextAreaField(_l("Indicator (KPI)"), validators=[Optional(), Length(max=500)])
    expected_result = TextAreaField(_l("Expected result"), validators=[Optional(), Length(max=1000)])
    responsible_unit = StringField(_l("Unit mainly responsible"), validators=[Optional(), Length(max=200)])
    # labelled with their BE years by the page (formsvc.web.projects.plan_labels)
    plan_budget_1 = StringField(validators=[Optional(), Length(max=30)], render_kw={"inputmode": "decimal"})
    plan_budget_2 = StringField(validators=[Optional(), Length(max=30)], render_kw={"inputmode": "decimal"})
    plan_budget_3 = StringField(validators=[Optional(), Length(max=30)], render_kw={"inputmode": "decimal"})
    plan_budget_4 = StringField(validators=[Optional(), Length(max=30)], render_kw={"inputmode": "decimal"})
    plan_budget_5 = StringField(validators=[Optional(), Length(max=30)], render_kw={"inputmode": "decimal"})

    PLAN_TEXTS = ("strategy", "plan_area", "objective", "target", "kpi", "expected_result", "responsible_unit")
    PLAN_BUDGETS = ("plan_budget_1", "plan_budget_2", "plan_budget_3", "plan_budget_4", "plan_budget_5")


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
