"""WTForms' own messages, listed so that extraction puts them in our catalogs.

WTForms ships no Thai catalog; our forms route its messages through our catalog
instead (see ``formsvc.web.forms.base._Meta``). Each string here is exactly WTForms' message id.
"""

from flask_babel import lazy_gettext as _l
from flask_babel import lazy_ngettext as _n

MESSAGES = (
    _l("This field is required."),
    _l("Invalid input."),
    _n("Field must be at least %(min)d character long.", "Field must be at least %(min)d characters long.", 1),
    _n("Field cannot be longer than %(max)d character.", "Field cannot be longer than %(max)d characters.", 1),
    _l("Field must be between %(min)d and %(max)d characters long."),
    _l("Number must be at least %(min)s."),
    _l("Number must be at most %(max)s."),
    _l("Number must be between %(min)s and %(max)s."),
    _l("Invalid Choice: could not coerce."),
    _l("Not a valid choice."),
    _l("Invalid choice(s): one or more data inputs could not be coerced."),
    _n("'%(value)s' is not a valid choice for this field.", "'%(value)s' are not valid choices for this field.", 1),
    _l("Not a valid date value."),
    _l("Not a valid time value."),
    _l("Not a valid integer value."),
    _l("Not a valid decimal value."),
    _l("The CSRF token is missing."),
    _l("The CSRF token is invalid."),
    _l("The CSRF token has expired."),
    _l("The CSRF tokens do not match."),
)
