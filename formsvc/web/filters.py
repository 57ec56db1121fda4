"""Jinja filters: BE dates, digits, labels. Templates format; they never decide."""

from __future__ import annotations

import datetime as _dt
from zoneinfo import ZoneInfo

from flask import Flask
from flask_babel import gettext
from flask_babel import lazy_gettext as _l

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


def register(app: Flask) -> None:
    app.jinja_env.filters.update(
        thai_date=thai_date,
        thai_datetime=thai_datetime,
        thai_digits=thai.to_thai_digits,
        message=message,
        role_label=lambda role: ROLE_NAMES.get(role, role),
        lao_kind_label=lambda kind: LAO_KIND_PREFIX.get(kind, kind),
        district_label=lambda d: district_display_name(d["kind"], d["name_th"]),
    )
    # the criteria in force, read when a page renders: tables and the funnel have one
    # column or bar per criterion
    app.jinja_env.globals["criteria_in_force"] = lambda: criteria.CRITERIA
