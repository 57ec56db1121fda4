"""formsvc's ``html_params`` (formsvc/web/forms/attributes.py) writes what WTForms'
own writes, escaping included: every form's inputs, selects and labels go through it."""

from __future__ import annotations

import pytest
from markupsafe import Markup

from formsvc.web.forms import attributes

CASES = [
    {},
    {"name": "text1", "id": "f", "class_": "text"},
    {"checked": True, "readonly": False, "name": "text1", "abc": "hello"},
    {"data_attr": "user.name", "aria_labeledby": "name", "data_row_index": 3},
    {"value": '"><script>alert(1)</script>', "title": "a & b < c > 'd'"},
    {"value": Markup('<b>kept</b> "q"'), "placeholder": "ภาษาไทย ๑๒๓"},
    {"for_": "x", "maxlength": 10_000, "step": 0.5, "min": None},
    {'on"click': "x", "x<y": True, "z&": False},
]


@pytest.mark.parametrize("params", CASES)
def test_the_same_attributes_as_wtforms_own(params):
    ours, theirs = attributes.html_params(**params), attributes.ORIGINAL(**params)
    assert ours == theirs
    assert isinstance(ours, Markup)


def test_a_rendered_field_escapes_what_was_typed(app):
    from wtforms import StringField

    from formsvc.web.forms.base import FlaskForm

    class F(FlaskForm):
        name = StringField()

    with app.test_request_context():
        html = str(F(data={"name": '"><img src=x onerror=alert(1)>'}).name())
    assert 'value="&#34;&gt;&lt;img src=x onerror=alert(1)&gt;"' in html
    assert "<img" not in html
