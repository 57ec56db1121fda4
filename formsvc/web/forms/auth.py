"""Signing in, the language and one's own password."""

from __future__ import annotations

from flask_babel import lazy_gettext as _l
from wtforms import (
    BooleanField,
    HiddenField,
    PasswordField,
    StringField,
)
from wtforms.validators import DataRequired, EqualTo, Length, Optional

from formsvc.web.forms.base import REQUIRED, FlaskForm


class LoginForm(FlaskForm):
    username = StringField(_l("Username"), validators=[DataRequired(REQUIRED), Length(max=40)])
    password = PasswordField(_l("Password"), validators=[DataRequired(REQUIRED), Length(max=128)])
    next = HiddenField()


class LanguageForm(FlaskForm):
    locale = HiddenField(validators=[DataRequired()])
    next = HiddenField()


class ProfileForm(FlaskForm):
    """One's own name and position, as reports and minutes print them."""

    version = HiddenField()
    display_name = StringField(_l("Full name, with its title (Mr, Mrs, Ms…)"), validators=[Optional(), Length(max=120)])
    position = StringField(_l("Position"), validators=[Optional(), Length(max=200)])


class PasswordChangeForm(FlaskForm):
    current_password = PasswordField(_l("Current password"), validators=[DataRequired(REQUIRED), Length(max=128)])
    password = PasswordField(_l("New password"), validators=[DataRequired(REQUIRED), Length(max=128)])
    confirm = PasswordField(
        _l("New password again"),
        validators=[DataRequired(REQUIRED), EqualTo("password", _l("The two new passwords are not the same."))],
    )


class EmailForm(FlaskForm):
    """One's e-mail address and whether notices and reminders go to it (also an
    administrator's form for any user). The store checks the address."""

    email = StringField(_l("E-mail address"), validators=[Optional(), Length(max=254)])
    notify = BooleanField(_l("Send notices and reminders by e-mail"))
