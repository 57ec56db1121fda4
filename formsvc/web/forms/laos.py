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
    version = HiddenField()
    lao_id = SelectField(_l("Model LAO"), coerce=int, validators=[InputRequired(REQUIRED)])


class CertificateForm(FlaskForm):
    signer_name = StringField(_l("Signed by (name)"), validators=[DataRequired(REQUIRED), Length(max=120)])
    signer_position = StringField(_l("Signer's position"), validators=[DataRequired(REQUIRED), Length(max=200)])
    replace = BooleanField(_l("Replace the certificate issued"))
