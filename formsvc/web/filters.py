"""Jinja filters: BE dates, digits, labels. Templates format; they never decide."""

from __future__ import annotations

import datetime as _dt
import re
from zoneinfo import ZoneInfo

from flask import Flask
from flask_babel import get_locale, gettext
from flask_babel import lazy_gettext as _l
from jinja2 import pass_context
from markupsafe import Markup

from formsvc.domain import criteria, thai
from formsvc.domain.messages import Msg
from formsvc.domain.model import LAO_KIND_PREFIX, district_display_name

BANGKOK_TZ = ZoneInfo("Asia/Bangkok")
ROLE_NAMES = {
    "lao_clerk": _l("LAO clerk"),
    "facilitator": _l("Forum facilitator"),
    "district": _l("District office"),
    "province": _l("Province office"),
    "national": _l("National office"),
    "admin": _l("Administrator"),
}


def _to_date(value) -> _dt.date | _dt.datetime | None:
    if value in (None, ""):
        return None
    if isinstance(value, (_dt.date, _dt.datetime)):
        return value
    text = str(value)
    if "T" in text:
        moment = _dt.datetime.fromisoformat(text)
        if moment.tzinfo is not None:
            moment = moment.astimezone(BANGKOK_TZ)
        return moment
    return _dt.date.fromisoformat(text)


def thai_date(value, style: str = "arabic") -> str:
    d = _to_date(value)
    return "" if d is None else thai.date_long(d, style)


def thai_datetime(value, style: str = "arabic") -> str:
    d = _to_date(value)
    if d is None:
        return ""
    if not isinstance(d, _dt.datetime):
        return thai.date_long(d, style)
    return thai.datetime_text(d, style)


def message(value) -> str:
    """A message kept as a Msg (a stored job error, say) in the page's language."""
    return value.text(gettext) if isinstance(value, Msg) else (value or "")


# Digits: one style per page ----------------------------------------------------------------
#
# A page of an LAO (its checklist, forums, projects, reports, working group: any page
# rendered with ``lao``) writes its digits as the LAO chose for its documents
# (lao.digit_style: Thai ๐–๙ or Arabic 0–9). Every other page (the district, province
# and national dashboards, the lists of LAOs, administration) writes Arabic digits: they
# compare many LAOs whatever each one chose, their figures sit in columns read across
# (Arabic tabular figures line up), and they are copied into spreadsheets and the
# Ministry's e-reports, which expect Arabic. A page in English always writes Arabic.
# Passing a page's main content and title through ``digits`` makes a number a template
# prints, a catalog string and a date come out alike. base.html does not do so yet: the
# catalog writes Arabic digits, so every page is Arabic throughout until it does.

# what ``digits`` leaves as it is in a piece of HTML: elements whose text is typed or
# machine text (a textarea keeps what someone typed), comments, tags with their
# attributes (links, values of inputs), character references (&#39;)
_HTML_KEEP = re.compile(
    r"<(script|style|textarea|code|pre|kbd|samp)\b.*?</\1\s*>|<!--.*?-->|<[^>]*>|&#?[0-9A-Za-z]+;"
    r"|U\+[0-9A-F]{4,6}",  # a code point named in a message (U+1FFFE) is code
    re.S | re.I,
)


def page_digit_style(context) -> str:
    """'thai' or 'arabic': the digits of the page rendered with ``context``."""
    if str(get_locale() or "th") != "th":
        return "arabic"
    lao = context.get("lao")
    try:
        style = lao["digit_style"] if lao is not None else None
    except (KeyError, IndexError, TypeError):
        style = None
    return "thai" if style == "thai" else "arabic"


def in_digits(value, style: str) -> str:
    """``value`` with its digits in ``style``; of HTML (Markup), only the text is changed."""
    if value is None:
        return ""
    if not isinstance(value, Markup):
        return thai.digits(str(value), style)
    text, kept, at = str(value), [], 0
    for match in _HTML_KEEP.finditer(text):
        kept.append(thai.digits(text[at : match.start()], style))
        kept.append(match.group(0))
        at = match.end()
    kept.append(thai.digits(text[at:], style))
    return Markup("".join(kept))


@pass_context
def digits(context, value) -> str:
    """A number, a text or a rendered block in the digits of the page."""
    return in_digits(value, page_digit_style(context))


def register(app: Flask) -> None:
    app.jinja_env.filters.update(
        thai_date=thai_date,
        thai_datetime=thai_datetime,
        thai_digits=thai.to_thai_digits,
        message=message,
        digits=digits,
        role_label=lambda role: ROLE_NAMES.get(role, role),
        lao_kind_label=lambda kind: LAO_KIND_PREFIX.get(kind, kind),
        district_label=lambda d: district_display_name(d["kind"], d["name_th"]),
    )
    # the criteria in force, read when a page renders: tables and the funnel have one
    # column or bar per criterion
    app.jinja_env.globals["criteria_in_force"] = lambda: criteria.CRITERIA
    app.jinja_env.globals["page_digit_style"] = pass_context(page_digit_style)
