"""The monitoring-visit form (guideline §7.2)."""

from __future__ import annotations

from flask_babel import lazy_gettext as _l
from wtforms import HiddenField, StringField, TextAreaField
from wtforms.validators import DataRequired, Length, Optional

from formsvc.store import visits as visit_store
from formsvc.web.forms.base import REQUIRED, FlaskForm, Lines

DATE_HINT = _l("Date (day/month/BE year)")


def _limits(limit) -> list:
    return [Length(max=limit.chars), Lines(limit.lines)]


class VisitForm(FlaskForm):
    version = HiddenField()
    visited_on = StringField(
        _l("Date of the visit (day/month/BE year)"), validators=[DataRequired(REQUIRED), Length(max=20)]
    )
    visitors = TextAreaField(
        _l("Who went (one person a line: name, position)"),
        validators=[DataRequired(REQUIRED), *_limits(visit_store.VISITORS_LIMIT)],
    )
    findings = TextAreaField(_l("Findings"), validators=[DataRequired(REQUIRED), *_limits(visit_store.FINDINGS_LIMIT)])
    recommendations = TextAreaField(
        _l("Recommendations"), validators=[Optional(), *_limits(visit_store.RECOMMENDATIONS_LIMIT)]
    )
    follow_up_due = StringField(_l("Follow-up due (day/month/BE year)"), validators=[Optional(), Length(max=20)])
    follow_up_done_on = StringField(
        _l("Follow-up done on (day/month/BE year)"), validators=[Optional(), Length(max=20)]
    )
    follow_up_note = TextAreaField(_l("Follow-up note"), validators=[Optional(), *_limits(visit_store.NOTE_LIMIT)])
