"""WTForms forms. Every form carries a CSRF token (Flask-WTF) and length limits.

Every text field (StringField and TextAreaField, not passwords or hidden fields) of
every form here, repeated rows included, passes the service's one text policy
(``formsvc.domain.text``): control characters and noncharacters are refused with a
Thai message on the field, invisible characters are removed, whitespace normalised.
The forms' Meta adds that filter when a field is bound, so no form can forget it.
"""

from __future__ import annotations

import re

from flask_babel import get_translations
from flask_babel import gettext as _
from flask_babel import lazy_gettext as _l
from flask_wtf import FlaskForm as _FlaskForm
from wtforms import (
    BooleanField,
    HiddenField,
    IntegerField,
    PasswordField,
    RadioField,
    SelectField,
    SelectMultipleField,
    StringField,
    TextAreaField,
)
from wtforms.validators import DataRequired, EqualTo, InputRequired, Length, NumberRange, Optional, StopValidation

from formsvc.domain import text as text_policy
from formsvc.store.errors import ConflictError, InputError

REQUIRED = _l("Please fill in this field.")


class _CatalogTranslations:
    """WTForms' messages through our catalog (WTForms has no Thai one of its own)."""

    def gettext(self, string):
        return get_translations().ugettext(string)

    def ngettext(self, singular, plural, n):
        return get_translations().ungettext(singular, plural, n)


def _text_filter(multiline: bool):
    """Store-ready text: invisible characters removed, whitespace normalised. Text with a
    refused character is left as typed, for ``refuse_forbidden`` to report."""

    def clean_text(value):
        if not isinstance(value, str) or text_policy.FORBIDDEN.search(value):
            return value
        return text_policy.clean(value, multiline=multiline)

    return clean_text


SINGLE_LINE, MULTI_LINE = _text_filter(False), _text_filter(True)


def refuse_forbidden(form, field):
    """First in every text field's chain, and it stops the chain: Optional() and
    DataRequired() would otherwise clear its message for text Python counts as blank
    (U+001C–U+001F, U+0085)."""
    if isinstance(field.data, str):
        try:
            text_policy.check(field.data)
        except text_policy.ForbiddenCharacter as error:
            raise StopValidation(
                _(
                    "This text contains a character that cannot be used (%(code)s). Please remove it and save again.",
                    code=error.code,
                )
            ) from None


class _Meta:
    """Thai messages, and the text policy on every text field."""

    def get_translations(self, form):
        return _CatalogTranslations()

    def bind_field(self, form, unbound_field, options):
        from wtforms.fields.core import UnboundField

        cls = unbound_field.field_class
        if issubclass(cls, StringField) and not issubclass(cls, (PasswordField, HiddenField)):
            policy = MULTI_LINE if issubclass(cls, TextAreaField) else SINGLE_LINE
            kwargs = dict(unbound_field.kwargs)
            kwargs["filters"] = (policy, *kwargs.get("filters", ()))
            kwargs["validators"] = (refuse_forbidden, *kwargs.get("validators", ()))
            unbound_field = UnboundField(cls, *unbound_field.args, name=unbound_field.name, **kwargs)
        return unbound_field.bind(form=form, **options)


class FlaskForm(_FlaskForm):
    class Meta(_Meta):
        pass


class LoginForm(FlaskForm):
    username = StringField(_l("Username"), validators=[DataRequired(REQUIRED), Length(max=40)])
    password = PasswordField(_l("Password"), validators=[DataRequired(REQUIRED), Length(max=128)])
    next = HiddenField()


class PostForm(FlaskForm):
    """A form with nothing but its CSRF token (logout, delete)."""


class LanguageForm(FlaskForm):
    locale = HiddenField(validators=[DataRequired()])
    next = HiddenField()


class LaoForm(FlaskForm):
    version = HiddenField()
    name = StringField(_l("LAO name (without the prefix)"), validators=[DataRequired(REQUIRED), Length(max=120)])
    kind = RadioField(
        _l("Kind"),
        choices=[("tao", _l("Tambon Administrative Organisation")), ("tambon_municipality", _l("Tambon municipality"))],
        validators=[InputRequired(REQUIRED)],
    )
    district_code = SelectField(_l("District"), validators=[InputRequired(REQUIRED)])
    subdistrict_codes = SelectMultipleField(_l("Tambons in the area"), validators=[Optional()])
    chief_title = StringField(_l("Chief's title"), validators=[Optional(), Length(max=200)])
    has_kamnan = BooleanField(_l("There is a kamnan in the area"))
    has_coc = BooleanField(_l("There is a tambon community-organisation council in the area"))
    digit_style = RadioField(
        _l("Digits in documents"),
        choices=[("thai", _l("Thai digits")), ("arabic", _l("Arabic digits"))],
        default="thai",
        validators=[InputRequired(REQUIRED)],
    )


class VillageForm(FlaskForm):
    version = HiddenField()
    number = IntegerField(_l("Village number (หมู่ที่)"), validators=[Optional()])
    name = StringField(_l("Name"), validators=[DataRequired(REQUIRED), Length(max=120)])


class ModelLaoForm(FlaskForm):
    version = HiddenField()
    lao_id = SelectField(_l("Model LAO"), coerce=int, validators=[InputRequired(REQUIRED)])


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
    dimensions = TextAreaField(
        _l("Development dimensions (one per line)"), validators=[DataRequired(REQUIRED), Length(max=3000)]
    )


class OpenYearForm(FlaskForm):
    year_be = HiddenField()


class UserForm(FlaskForm):
    username = StringField(_l("Username"), validators=[DataRequired(REQUIRED), Length(max=40)])
    display_name = StringField(_l("Display name"), validators=[Optional(), Length(max=120)])
    role = SelectField(_l("Role"), validators=[InputRequired(REQUIRED)])
    lao_id = SelectField(_l("LAO (for LAO clerks)"), coerce=int, validators=[Optional()])
    district_code = SelectField(_l("District (for facilitators and district offices)"), validators=[Optional()])
    province_code = SelectField(_l("Province (for province offices)"), validators=[Optional()])
    password = PasswordField(_l("Password"), validators=[DataRequired(REQUIRED), Length(max=128)])


class PasswordChangeForm(FlaskForm):
    current_password = PasswordField(_l("Current password"), validators=[DataRequired(REQUIRED), Length(max=128)])
    password = PasswordField(_l("New password"), validators=[DataRequired(REQUIRED), Length(max=128)])
    confirm = PasswordField(
        _l("New password again"),
        validators=[DataRequired(REQUIRED), EqualTo("password", _l("The two new passwords are not the same."))],
    )


class UnlockAddressForm(FlaskForm):
    address = HiddenField()


class UserEditForm(FlaskForm):
    version = HiddenField()
    display_name = StringField(_l("Display name"), validators=[Optional(), Length(max=120)])
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


def posted_rows(prefix: str) -> int:
    """How many rows named ``prefix-N-...`` the browser sent (WTForms would silently
    drop those beyond a FieldList's max_entries)."""
    from flask import request

    pattern = re.compile(rf"^{re.escape(prefix)}-(\d+)-")
    return len({m.group(1) for m in map(pattern.match, request.form.keys()) if m})


def apply_error(form: FlaskForm, error: InputError) -> None:
    """Show a service's error, in the request's language, on the field it names (or on
    the form).

    A refused save based on an old version (ConflictError) is shown on the form, and
    the form's hidden version becomes the stored one: what the user typed stays, and
    saving it again, after reading what changed, overwrites knowingly."""
    field = getattr(form, error.field, None) if error.field else None
    if field is not None and field.type not in ("FieldList", "HiddenField"):
        field.errors = list(field.errors) + [error.text(_)]
    else:
        form.form_errors.append(error.text(_))
    if isinstance(error, ConflictError) and isinstance(error.current, int) and hasattr(form, "version"):
        form.version.data = str(error.current)


# Working group ------------------------------------------------------------------------

from wtforms import FieldList, FileField, FormField  # noqa: E402
from wtforms import Form as _Form  # noqa: E402

from formsvc.domain.working_group import CATEGORIES, GROUP_ROLES  # noqa: E402


class SubForm(_Form):
    """A repeated row inside a form: no CSRF token of its own, Thai messages, the text policy."""

    class Meta(_Meta):
        pass


class MemberRowForm(SubForm):
    name = StringField(_l("Name"), validators=[Optional(), Length(max=120)])
    position = StringField(_l("Position"), validators=[Optional(), Length(max=200)])
    group_role = SelectField(_l("Role in the group"), choices=list(GROUP_ROLES.items()))
    category = SelectField(_l("Represents"), choices=list(CATEGORIES.items()))
    remove = BooleanField(_l("Remove"))


class WorkingGroupForm(FlaskForm):
    version = HiddenField()
    members = FieldList(FormField(MemberRowForm), min_entries=0, max_entries=200)
    reason = TextAreaField(
        _l("Reason and authority (first part of the order)"), validators=[DataRequired(REQUIRED), Length(max=4000)]
    )
    duties = TextAreaField(
        _l("Duties of the group (one per line)"), validators=[DataRequired(REQUIRED), Length(max=20000)]
    )
    signer_name = StringField(_l("Signed by (name)"), validators=[Optional(), Length(max=120)])
    signer_position = StringField(_l("Signer's position"), validators=[Optional(), Length(max=200)])


class PrefillForm(FlaskForm):
    replace = BooleanField(_l("Replace the rows already entered"))


class IssueOrderForm(FlaskForm):
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


# Forums -------------------------------------------------------------------------------

from wtforms import widgets  # noqa: E402

from formsvc.domain.forums import ORGANISERS  # noqa: E402


class MultiCheckboxField(SelectMultipleField):
    widget = widgets.ListWidget(prefix_label=False)
    option_widget = widgets.CheckboxInput()


class PresentRowForm(SubForm):
    name = StringField(_l("Name"), validators=[Optional(), Length(max=120)])
    position = StringField(_l("Position"), validators=[Optional(), Length(max=200)])
    substitute_for = StringField(_l("Attending in place of"), validators=[Optional(), Length(max=120)])
    remove = BooleanField(_l("Remove"))


class AbsentRowForm(SubForm):
    name = StringField(_l("Name"), validators=[Optional(), Length(max=120)])
    position = StringField(_l("Position"), validators=[Optional(), Length(max=200)])
    absence_reason = StringField(_l("Reason"), validators=[Optional(), Length(max=200)])
    remove = BooleanField(_l("Remove"))


class ParticipantRowForm(SubForm):
    name = StringField(_l("Name"), validators=[Optional(), Length(max=120)])
    position = StringField(_l("Position"), validators=[Optional(), Length(max=200)])
    remove = BooleanField(_l("Remove"))


class AgendaRowForm(SubForm):
    title = StringField(_l("Agenda item"), validators=[Optional(), Length(max=300)])
    discussion = TextAreaField(_l("Discussion"), validators=[Optional(), Length(max=10000)])
    resolution = TextAreaField(_l("Resolution"), validators=[Optional(), Length(max=5000)])
    remove = BooleanField(_l("Remove"))


class ProjectRowForm(SubForm):
    id = HiddenField()
    version = HiddenField()
    rank = StringField(_l("Rank"), validators=[Optional(), Length(max=6)])
    name = StringField(_l("Project or activity"), validators=[Optional(), Length(max=300)])
    dimension = SelectField(_l("Dimension"), validate_choice=False)
    village_id = SelectField(_l("Village/community"), validate_choice=False)
    remove = BooleanField(_l("Remove"))


class ForumForm(FlaskForm):
    version = HiddenField()
    village_id = SelectField(_l("Village/community"), validate_choice=False)
    title = StringField(_l("Meeting name"), validators=[DataRequired(REQUIRED), Length(max=300)])
    meeting_no = StringField(_l("Meeting no."), validators=[Optional(), Length(max=6)])
    held_on = StringField(_l("Date (day/month/BE year)"), validators=[DataRequired(REQUIRED), Length(max=20)])
    start_time = StringField(
        _l("Started at"), validators=[DataRequired(REQUIRED), Length(max=8)], render_kw={"type": "time"}
    )
    end_time = StringField(
        _l("Ended at"), validators=[DataRequired(REQUIRED), Length(max=8)], render_kw={"type": "time"}
    )
    place = StringField(_l("Place"), validators=[DataRequired(REQUIRED), Length(max=300)])
    organisers = MultiCheckboxField(_l("Organised by"), choices=list(ORGANISERS.items()))
    reviews_community_plan = BooleanField(_l("The forum reviewed the community plan"))
    used_bmn = BooleanField(_l("Basic minimum needs data (จปฐ.) used"))
    used_village_data = BooleanField(_l("Village data (กชช. ๒ค) used"))
    dimensions = MultiCheckboxField(_l("Development dimensions covered"), validate_choice=False)
    head_count = StringField(
        _l("People taking part (from the sign-in sheet)"),
        validators=[Optional(), Length(max=6)],
        render_kw={"inputmode": "numeric"},
    )
    head_count_male = StringField(
        _l("of whom men"), validators=[Optional(), Length(max=6)], render_kw={"inputmode": "numeric"}
    )
    head_count_female = StringField(
        _l("of whom women"), validators=[Optional(), Length(max=6)], render_kw={"inputmode": "numeric"}
    )
    present = FieldList(FormField(PresentRowForm), max_entries=500)
    absent = FieldList(FormField(AbsentRowForm), max_entries=500)
    participants = FieldList(FormField(ParticipantRowForm), max_entries=500)
    agenda = FieldList(FormField(AgendaRowForm), max_entries=100)
    projects = FieldList(FormField(ProjectRowForm), max_entries=1000)
    recorder_name = StringField(_l("Minutes taken by (name)"), validators=[Optional(), Length(max=120)])
    recorder_position = StringField(_l("Position of the minute-taker"), validators=[Optional(), Length(max=200)])
    checker_name = StringField(_l("Minutes checked by (name)"), validators=[Optional(), Length(max=120)])
    checker_position = StringField(_l("Position of the checker"), validators=[Optional(), Length(max=200)])


# Projects ------------------------------------------------------------------------------


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
    rows = FieldList(FormField(ProjectRowEditForm), max_entries=5000)


class ReportForm(FlaskForm):
    version = HiddenField()
    progress = TextAreaField(_l("Progress in this period"), validators=[Optional(), Length(max=10000)])
    problems = TextAreaField(_l("Problems (ปัญหาอุปสรรค)"), validators=[Optional(), Length(max=10000)])
    suggestions = TextAreaField(_l("Suggestions (ข้อเสนอแนะ)"), validators=[Optional(), Length(max=10000)])
    reporter_name = StringField(_l("Reported by (name)"), validators=[Optional(), Length(max=200)])
    reporter_position = StringField(_l("Position of the reporter"), validators=[Optional(), Length(max=200)])


class ReviewForm(FlaskForm):
    comment = TextAreaField(
        _l("Comment (required when returning the report)"), validators=[Optional(), Length(max=2000)]
    )


class CertificateForm(FlaskForm):
    signer_name = StringField(_l("Signed by (name)"), validators=[DataRequired(REQUIRED), Length(max=120)])
    signer_position = StringField(_l("Signer's position"), validators=[DataRequired(REQUIRED), Length(max=200)])


class ExportReportsForm(FlaskForm):
    """A ZIP of a period's report forms; the view fills the choices from the programme
    and the user's scope."""

    period = SelectField(_l("Reporting period"), coerce=int, validate_choice=True)
    province = SelectField(_l("Province"), validate_choice=True)
    formats = SelectField(
        _l("File format"), choices=[("pdf", "PDF"), ("docx", "DOCX (Word)"), ("pdf,docx", _l("PDF and DOCX"))]
    )
