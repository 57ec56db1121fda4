"""Bi-monthly reports: writing, reviewing and exporting them."""

from __future__ import annotations

from flask_babel import lazy_gettext as _l
from wtforms import (
    HiddenField,
    SelectField,
    StringField,
    TextAreaField,
)
from wtforms.validators import Length, Optional

from formsvc.store import area_reports
from formsvc.store.reports import COMMENT, REPORTER, TEXT
from formsvc.web.forms.base import FlaskForm, Lines

LONG_TEXT = [Optional(), Length(max=TEXT.chars), Lines(TEXT.lines)]


class ReportForm(FlaskForm):
    version = HiddenField()
    progress = TextAreaField(_l("Progress in this period"), validators=LONG_TEXT)
    problems = TextAreaField(_l("Problems (ปัญหาอุปสรรค)"), validators=LONG_TEXT)
    suggestions = TextAreaField(_l("Suggestions (ข้อเสนอแนะ)"), validators=LONG_TEXT)
    reporter_name = StringField(_l("Reported by (name)"), validators=[Optional(), Length(max=REPORTER.chars)])
    reporter_position = StringField(_l("Position of the reporter"), validators=[Optional(), Length(max=REPORTER.chars)])


class SubmitReportForm(FlaskForm):
    """The confirmation of a submit: the draft's version the clerk saw."""

    version = HiddenField()


class ReviewForm(FlaskForm):
    comment = TextAreaField(
        _l("Comment (required when returning the report)"),
        validators=[Optional(), Length(max=COMMENT.chars), Lines(COMMENT.lines)],
    )


class ExportReportsForm(FlaskForm):
    """A ZIP of a period's report forms; the view fills the choices from the programme
    and the user's scope."""

    period = SelectField(_l("Reporting period"), coerce=int, validate_choice=True)
    province = SelectField(_l("Province"), validate_choice=True)
    formats = SelectField(
        _l("File format"), choices=[("pdf", "PDF"), ("docx", "DOCX (Word)"), ("pdf,docx", _l("PDF and DOCX"))]
    )


DISTRICT_TEXT = [Optional(), Length(max=area_reports.TEXT.chars), Lines(area_reports.TEXT.lines)]


class DistrictReportForm(FlaskForm):
    version = HiddenField()
    comments = TextAreaField(_l("The district's comments"), validators=DISTRICT_TEXT)
    recommendations = TextAreaField(_l("The district's recommendations"), validators=DISTRICT_TEXT)


class ProvinceReportForm(FlaskForm):
    version = HiddenField()
    comments = TextAreaField(_l("The province's comments"), validators=DISTRICT_TEXT)
    recommendations = TextAreaField(_l("The province's recommendations"), validators=DISTRICT_TEXT)
