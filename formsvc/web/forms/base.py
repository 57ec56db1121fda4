"""What every WTForms form shares: the base classes, the text policy, posted rows and
errors from the services. Every form carries a CSRF token (Flask-WTF) and length limits.

Every text field (StringField and TextAreaField, not passwords or hidden fields) of
every form of this package, repeated rows included, passes the service's one text policy
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
from wtforms import Form as _Form
from wtforms import (
    HiddenField,
    PasswordField,
    SelectMultipleField,
    StringField,
    TextAreaField,
    widgets,
)
from wtforms.validators import StopValidation

from formsvc.domain import text as text_policy
from formsvc.store.errors import ConflictError, InputError
from formsvc.web.forms import attributes

REQUIRED = _l("Please fill in this field.")

attributes.install()  # WTForms renders attributes with ours (same output, less CPU)


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
        return text_policy.normalise(value, multiline=multiline)

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


class Lines:
    """At most ``max`` lines (blank ones included), after the text policy: a document
    makes each line a paragraph, so lines are limited as well as characters
    (``formsvc.domain.text``, "Length"). The message says how many lines there are."""

    def __init__(self, max: int):
        self.max = max

    def __call__(self, form, field):
        count = text_policy.line_count(field.data) if isinstance(field.data, str) else 0
        if count > self.max:
            raise StopValidation(
                _(
                    "This text has %(n)s lines; at most %(max)s lines are allowed.",
                    n=f"{count:,}",
                    max=f"{self.max:,}",
                )
            )


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


class PostForm(FlaskForm):
    """A form with nothing but its CSRF token (logout, delete)."""


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


class SubForm(_Form):
    """A repeated row inside a form: no CSRF token of its own, Thai messages, the text policy."""

    class Meta(_Meta):
        pass


class MultiCheckboxField(SelectMultipleField):
    widget = widgets.ListWidget(prefix_label=False)
    option_widget = widgets.CheckboxInput()
