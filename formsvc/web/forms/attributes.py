"""WTForms' ``html_params`` (the attributes of every input, select, option and label it
renders), written out the same but without ``Markup.format``: that goes through
``string.Formatter`` for each attribute and was a tenth of a form page's CPU (the
working group, a project). Same output, character for character: keys cleaned and
escaped, values escaped with ``"`` as ``&quot;``, ``True`` a bare attribute, ``False``
left out, sorted by key (tests/test_form_attributes.py compares it with WTForms' own)."""

from __future__ import annotations

from markupsafe import Markup, escape
from wtforms.widgets import core

ORIGINAL = core.html_params


def html_params(**kwargs) -> Markup:
    params = []
    for k, v in sorted(kwargs.items()):
        k = core.clean_key(k)
        if v is True:
            params.append(str(escape(k)))
        elif v is not False:
            params.append(f'{escape(k)}="{str(escape(v)).replace(chr(34), "&quot;")}"')
    return Markup(" ".join(params))


def install() -> None:
    """Make WTForms' widgets and labels use ``html_params``."""
    import wtforms.widgets

    core.html_params = html_params
    wtforms.widgets.html_params = html_params
    for widget in (core.Input, core.Button):
        widget.html_params = staticmethod(html_params)
