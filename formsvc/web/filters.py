"""Jinja filters: BE dates, digits, labels. Templates format; they never decide."""

from __future__ import annotations

import datetime as _dt
import re
from zoneinfo import ZoneInfo

from flask import Flask, g
from flask_babel import LazyString, get_locale, get_translations
from flask_babel import lazy_gettext as _l
from jinja2 import pass_context
from markupsafe import Markup

from formsvc.domain import criteria, forums, thai, working_group
from formsvc.domain import english as english_dates
from formsvc.domain import reports as report_rules
from formsvc.domain.messages import Msg
from formsvc.domain.model import (
    DIMENSION_LABELS,
    LAO_KIND_LABELS,
    LAO_KIND_PREFIX,
    district_display_name,
    village_label,
)

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


def translations():
    """This request's catalog, looked up once: Flask-Babel's ``gettext`` looks the
    locale and the catalog up again on every call, and a page translates hundreds of
    strings (kept on ``g``, beside Flask-Babel's own locale and catalog)."""
    found = g.get("_formsvc_translations")
    if found is None:
        found = g._formsvc_translations = get_translations()
    return found


def gettext(string: str, **variables) -> str:
    """Flask-Babel's ``gettext`` (the same catalog, formatting only with variables)."""
    text = translations().ugettext(string)
    return text % variables if variables else text


def message(value) -> str:
    """A message kept as a Msg (a stored job error, say), or Thai text that keeps its
    message (a criterion's reason), in the page's language."""
    found = getattr(value, "msg", value) if isinstance(value, str) else value
    return found.text(gettext) if isinstance(found, Msg) else (value or "")


# Digits: one style per page ----------------------------------------------------------------
#
# A page of an LAO (its checklist, forums, projects, reports, working group: any page
# rendered with ``lao``) writes its digits as the LAO chose for its documents
# (lao.digit_style: Thai ๐–๙ or Arabic 0–9). Every other page (the district, province
# and national dashboards, the lists of LAOs, administration) writes Arabic digits: they
# compare many LAOs whatever each one chose, their figures sit in columns read across
# (Arabic tabular figures line up), and they are copied into spreadsheets and the
# Ministry's e-reports, which expect Arabic. A page in English always writes Arabic.
# base.html passes every page's title and main content through ``digits``, so a number a
# template prints, a catalog string ("ผ่านครบ ... ข้อ") and a date come out alike. Only the
# text is changed: tags and their attributes are kept, so the values of a form's fields
# stay as saved (Arabic) and post back unchanged, and what someone typed into a text area
# stays as typed; the server reads Thai digits typed into number and date fields too
# (thai.to_arabic_digits, int()). rows.js numbers added rows in the page's digits
# (<html data-digits>).

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


# The same in one pass: what _HTML_KEEP keeps, or a run of the digits to change, found
# by one regex (the kept pieces are given back as they are). Pages whose text has none
# of the digits to change (an Arabic page without Thai digits) are returned at once.
# tests/test_digit_style.py compares it with the piece-by-piece way it was first written.
_DIGITS_FROM = {"thai": "0-9", "arabic": "๐-๙"}  # the digits each style replaces
_HTML_DIGITS = {
    style: re.compile(f"{_HTML_KEEP.pattern}|(?P<digits>[{d}]+)", _HTML_KEEP.flags) for style, d in _DIGITS_FROM.items()
}
_ANY_DIGIT = {style: re.compile(f"[{d}]") for style, d in _DIGITS_FROM.items()}


def in_digits(value, style: str) -> str:
    """``value`` with its digits in ``style``; of HTML (Markup), only the text is changed."""
    if value is None:
        return ""
    if not isinstance(value, Markup):
        return thai.digits(str(value), style)
    text = str(value)
    if style not in _HTML_DIGITS:
        raise ValueError(f"unknown digit style {style!r}")
    if not _ANY_DIGIT[style].search(text):
        return Markup(text)

    def change(match) -> str:
        run = match.group("digits")
        return match.group(0) if run is None else thai.digits(run, style)

    return Markup(_HTML_DIGITS[style].sub(change, text))


@pass_context
def digits(context, value) -> str:
    """A number, a text or a rendered block in the digits of the page."""
    return in_digits(value, page_digit_style(context))


# --- the UI in the reader's language (documents keep the Thai of the domain tables) ---

EXPORT_STATUS_NAMES = {
    "queued": _l("Waiting in the queue"),
    "running": _l("Being made"),
    "done": _l("Finished"),
    "failed": _l("Did not succeed"),
    "cancelled": _l("Export cancelled"),
    "expired": _l("Expired (files deleted)"),
}


def english() -> bool:
    """Whether the page is in English (the Thai UI, the default, keeps Thai forms)."""
    locale = get_locale()
    return locale is not None and locale.language == "en"


def month_label(month: int, short: bool = False) -> str:
    """'November' (or 'Nov') in English, 'พฤศจิกายน' (or 'พ.ย.') in Thai."""
    if english():
        return english_dates.month_name(month, short)
    return thai.month_name(month, short)


def month_year_label(month_ce: str) -> str:
    """A 'YYYY-MM' (CE) month: 'Jan 2026' in English, 'ม.ค. 2569' in Thai."""
    year, month = int(month_ce[:4]), int(month_ce[5:7])
    if english():
        return f"{month_label(month, True)} {year}"
    return thai.month_year(month, year + thai.BE_OFFSET, "arabic", short=True)


def ui_date(value, style: str = "arabic") -> str:
    """A date on a page: '25 November 2026' in English (the Gregorian year English readers
    expect), '25 พฤศจิกายน 2569' in Thai."""
    d = _to_date(value)
    if d is None or not english():
        return thai_date(value, style)
    return english_dates.date_long(d)


def ui_datetime(value, style: str = "arabic") -> str:
    """'25 November 2026 14:05' in English, '25 พฤศจิกายน 2569 14:05 น.' in Thai."""
    d = _to_date(value)
    if d is None or not english():
        return thai_datetime(value, style)
    if not isinstance(d, _dt.datetime):
        return ui_date(d)
    return f"{ui_date(d.date())} {d:%H:%M}"


def period_label(period) -> str:
    """A reporting period's months: 'Jan–Feb 2026' in English, 'ม.ค. – ก.พ. 2569' in Thai."""
    if not english():
        return period.label()
    return english_dates.months_label(period.start, period.end)


def _labelled(table: dict, key) -> str:
    label = table.get(key)
    return message(label) if label is not None else (key or "")


def lao_kind_label(kind: str) -> str:
    """The kind as the start of an LAO's name: 'องค์การบริหารส่วนตำบล' before the name in
    Thai, 'Tambon Administrative Organisation ' (a space before the name) in English."""
    if not english():
        return LAO_KIND_PREFIX.get(kind, kind)
    return f"{_labelled(LAO_KIND_LABELS, kind)} "


def lao_name(lao) -> str:
    """An LAO's full name in the page's language (its own name stays as stored)."""
    if "kind" in lao and "name" in lao:
        return lao_kind_label(lao["kind"]) + lao["name"]
    # a row with the Thai full name only (a roll-up's "name", or "full_name")
    full = lao["full_name"] if "full_name" in lao else lao["name"]
    for kind, prefix in LAO_KIND_PREFIX.items():
        if full.startswith(prefix):
            return lao_kind_label(kind) + full.removeprefix(prefix)
    return full


def district_label(district) -> str:
    if not english():
        return district_display_name(district["kind"], district["name_th"])
    if district["kind"] == "khet" or district["name_th"].startswith("เขต"):
        return district["name_th"]  # Bangkok's names are stored with their 'เขต'
    return gettext("%(name)s district", name=district["name_th"])


def village_name(kind: str, number: int | None, name: str) -> str:
    """'Village No. 3 บ้านหนองบัว' or 'ตลาดเก่า community' in English (a name stored
    with its 'ชุมชน' as it is), 'หมู่ที่ 3 บ้านหนองบัว' or 'ชุมชนตลาดเก่า' in Thai."""
    if not english():
        return village_label(kind, number, name)
    if kind == "village":
        return gettext("Village No. %(number)s %(name)s", number=number, name=name)
    return name if name.startswith("ชุมชน") else gettext("%(name)s community", name=name)


def village_row_label(row) -> str:
    """A village row's label ('kind', 'number', 'name'), or the village of a project
    row ('village_kind', ...; '' when it has none)."""
    if "village_kind" in row:
        if not row["village_kind"]:
            return ""
        return village_name(row["village_kind"], row["village_number"], row["village_name"])
    return village_name(row["kind"], row["number"], row["name"])


def lao_district_label(lao) -> str:
    """The district of an LAO row (its ``district_kind`` and ``district_name``)."""
    return district_label({"kind": lao["district_kind"], "name_th": lao["district_name"]})


def rollup_status_label(row) -> str:
    """A roll-up row's report status ('not reported' when a frozen period had no report)."""
    if not english():
        return row["report_status_th"]
    if row["report_status_th"] != report_rules.STATUS_TH.get(row["report_status"]):
        return gettext("Not reported")
    return _labelled(report_rules.STATUS_LABELS, row["report_status"])


def lazy_choices(table: dict) -> list[tuple[str, object]]:
    """Select choices whose labels are messages, shown in the page's language."""
    return [(key, LazyString(message, label)) for key, label in table.items()]


def dimension_label(name: str) -> str:
    """A programme dimension: a default one by its name in the page's language, a custom
    one as stored."""
    return _labelled(DIMENSION_LABELS, name)


def register(app: Flask) -> None:
    app.jinja_env.filters.update(
        thai_digits=thai.to_thai_digits,
        message=message,
        digits=digits,
        role_label=lambda role: ROLE_NAMES.get(role, role),
        # dates, names and labels in the page's language (Thai as before in the Thai UI)
        thai_date=ui_date,
        thai_datetime=ui_datetime,
        lao_kind_label=lao_kind_label,
        lao_name=lao_name,
        lao_district_label=lao_district_label,
        village_label=village_row_label,
        rollup_status_label=rollup_status_label,
        district_label=district_label,
        month_label=month_label,
        month_year_label=month_year_label,
        period_label=period_label,
        dimension_label=dimension_label,
        group_role_label=lambda key: _labelled(working_group.GROUP_ROLE_LABELS, key),
        category_label=lambda key: _labelled(working_group.CATEGORY_LABELS, key),
        activity_status_label=lambda key: _labelled(working_group.ACTIVITY_STATUS_LABELS, key),
        organiser_label=lambda key: _labelled(forums.ORGANISER_LABELS, key),
        attendee_kind_label=lambda key: _labelled(forums.ATTENDEE_KIND_LABELS, key),
        report_status_label=lambda key: _labelled(report_rules.STATUS_LABELS, key or "missing"),
        district_report_status_label=lambda key: _labelled(report_rules.DISTRICT_STATUS_LABELS, key or "missing"),
        province_report_status_label=lambda key: _labelled(report_rules.PROVINCE_STATUS_LABELS, key or "missing"),
        review_decision_label=lambda key: _labelled(report_rules.REVIEW_DECISIONS, key),
        export_status_label=lambda key: str(EXPORT_STATUS_NAMES.get(key, key)),
    )
    # the criteria in force, read when a page renders: tables and the funnel have one
    # column or bar per criterion
    app.jinja_env.globals["criteria_in_force"] = lambda: criteria.CRITERIA
    app.jinja_env.globals["page_digit_style"] = pass_context(page_digit_style)
