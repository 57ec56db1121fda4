"""LAOs, their villages, the model-LAO selection and certificates."""

from __future__ import annotations

from flask_babel import lazy_gettext as _l
from wtforms import (
    BooleanField,
    HiddenField,
    IntegerField,
    RadioField,
    SelectField,
    SelectMultipleField,
    StringField,
    TextAreaField,
)
from wtforms.validators import DataRequired, InputRequired, Length, Optional

from formsvc.web.forms.base import REQUIRED, FlaskForm


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
    # a municipality's row is a village (หมู่บ้าน, with its number) or a community (ชุมชน);
    # an อบต.'s rows are villages (the form shows no choice there)
    kind = RadioField(
        _l("Village or community"),
        choices=[("village", _l("Village (with a number)")), ("community", _l("Community (no number)"))],
        validators=[Optional()],
        validate_choice=False,
    )
    number = IntegerField(_l("Village number (หมู่ที่)"), validators=[Optional()])
    name = StringField(_l("Name"), validators=[DataRequired(REQUIRED), Length(max=120)])


class ModelLaoForm(FlaskForm):
    """The model LAO and how it was chosen (guideline §3.1, §4.2(3)); the store checks
    the record (store.laos.selection_columns), so its refusals name the field in Thai."""

    version = HiddenField()
    lao_id = SelectField(_l("Model LAO"), coerce=int, validators=[InputRequired(REQUIRED)])
    local_officer_name = StringField(
        _l("Name of the district local-administration officer who agreed"),
        validators=[DataRequired(REQUIRED), Length(max=120)],
    )
    local_officer_position = StringField(
        _l("Position of the district local-administration officer who agreed"),
        validators=[DataRequired(REQUIRED), Length(max=200)],
    )
    community_officer_name = StringField(
        _l("Name of the district community-development officer who agreed"),
        validators=[DataRequired(REQUIRED), Length(max=120)],
    )
    community_officer_position = StringField(
        _l("Position of the district community-development officer who agreed"),
        validators=[DataRequired(REQUIRED), Length(max=200)],
    )
    agreed_on = StringField(_l("Date both district offices agreed (day/month/BE year)"), validators=[Length(max=20)])
    readiness_notes = TextAreaField(_l("Readiness of the LAO"), validators=[Length(max=4000)])
    consent_on = StringField(
        _l("Date of the LAO's consent (day/month/BE year)"), validators=[DataRequired(REQUIRED), Length(max=20)]
    )
    consent_letter_number = StringField(_l("Number of the LAO's consent letter"), validators=[Length(max=60)])
    consent_letter_date = StringField(
        _l("Date of the LAO's consent letter (day/month/BE year)"), validators=[Length(max=20)]
    )


class CertificateForm(FlaskForm):
    signer_name = StringField(_l("Signed by (name)"), validators=[DataRequired(REQUIRED), Length(max=120)])
    signer_position = StringField(_l("Signer's position"), validators=[DataRequired(REQUIRED), Length(max=200)])
    replace = BooleanField(_l("Replace the certificate issued"))
