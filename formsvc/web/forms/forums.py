"""Forums (เวทีประชาคม): the meeting, who came, the agenda and the projects proposed."""

from __future__ import annotations

from flask_babel import lazy_gettext as _l
from wtforms import (
    BooleanField,
    FieldList,
    FormField,
    HiddenField,
    SelectField,
    StringField,
    TextAreaField,
)
from wtforms.validators import DataRequired, Length, Optional

from formsvc.domain.forums import ORGANISER_LABELS
from formsvc.store import forums as forum_store
from formsvc.web.filters import lazy_choices
from formsvc.web.forms.base import REQUIRED, FlaskForm, Lines, MultiCheckboxField, SubForm


class PresentRowForm(SubForm):
    name = StringField(_l("Name"), validators=[Optional(), Length(max=120)])
    position = StringField(_l("Position"), validators=[Optional(), Length(max=200)])
    substitute_for = StringField(_l("Attending in place of"), validators=[Optional(), Length(max=120)])
    remove = BooleanField(_l("Remove"))


class AbsentRowForm(SubForm):
    name = StringField(_l("Name"), validators=[Optional(), Length(max=120)])
    position = StringField(_l("Position"), validators=[Optional(), Length(max=200)])
    absence_reason = StringField(_l("Reason"), validators=[Optional(), Length(max=200)])
    remove = BooleanField(_l("Remove"))


class ParticipantRowForm(SubForm):
    name = StringField(_l("Name"), validators=[Optional(), Length(max=120)])
    position = StringField(_l("Position"), validators=[Optional(), Length(max=200)])
    remove = BooleanField(_l("Remove"))


class AgendaRowForm(SubForm):
    title = StringField(_l("Agenda item"), validators=[Optional(), Length(max=300)])
    discussion = TextAreaField(
        _l("Discussion"),
        validators=[Optional(), Length(max=forum_store.DISCUSSION_MAX), Lines(forum_store.DISCUSSION_LINES)],
    )
    resolution = TextAreaField(
        _l("Resolution"),
        validators=[Optional(), Length(max=forum_store.RESOLUTION_MAX), Lines(forum_store.RESOLUTION_LINES)],
    )
    remove = BooleanField(_l("Remove"))


class ProjectRowForm(SubForm):
    id = HiddenField()
    version = HiddenField()
    rank = StringField(_l("Rank"), validators=[Optional(), Length(max=6)])
    name = StringField(_l("Project or activity"), validators=[Optional(), Length(max=300)])
    dimension = SelectField(_l("Dimension"), validate_choice=False)
    village_id = SelectField(_l("Village/community"), validate_choice=False)
    remove = BooleanField(_l("Remove"))


class ForumForm(FlaskForm):
    version = HiddenField()
    village_id = SelectField(_l("Village/community"), validate_choice=False)
    title = StringField(_l("Meeting name"), validators=[DataRequired(REQUIRED), Length(max=300)])
    meeting_no = StringField(_l("Meeting no."), validators=[Optional(), Length(max=6)])
    held_on = StringField(_l("Date (day/month/BE year)"), validators=[DataRequired(REQUIRED), Length(max=20)])
    start_time = StringField(
        _l("Started at"), validators=[DataRequired(REQUIRED), Length(max=8)], render_kw={"type": "time"}
    )
    end_time = StringField(
        _l("Ended at"), validators=[DataRequired(REQUIRED), Length(max=8)], render_kw={"type": "time"}
    )
    place = StringField(_l("Place"), validators=[DataRequired(REQUIRED), Length(max=300)])
    organisers = MultiCheckboxField(_l("Organised by"), choices=lazy_choices(ORGANISER_LABELS))
    reviews_community_plan = BooleanField(_l("The forum reviewed the community plan"))
    used_bmn = BooleanField(_l("Basic minimum needs data (จปฐ.) used"))
    used_village_data = BooleanField(_l("Village data (กชช. ๒ค) used"))
    bmn_year = StringField(
        _l("Year of the BMN data (BE)"),
        validators=[Optional(), Length(max=10)],
        render_kw={"inputmode": "numeric"},
    )
    village_data_year = StringField(
        _l("Year of the village data, NRD 2C (BE)"),
        validators=[Optional(), Length(max=10)],
        render_kw={"inputmode": "numeric"},
    )
    dimensions = MultiCheckboxField(_l("Development dimensions covered"), validate_choice=False)
    head_count = StringField(
        _l("People taking part (from the sign-in sheet)"),
        validators=[Optional(), Length(max=6)],
        render_kw={"inputmode": "numeric"},
    )
    head_count_male = StringField(
        _l("of whom men"), validators=[Optional(), Length(max=6)], render_kw={"inputmode": "numeric"}
    )
    head_count_female = StringField(
        _l("of whom women"), validators=[Optional(), Length(max=6)], render_kw={"inputmode": "numeric"}
    )
    head_count_other = StringField(
        _l("of whom others or not stated"), validators=[Optional(), Length(max=6)], render_kw={"inputmode": "numeric"}
    )
    present = FieldList(FormField(PresentRowForm), max_entries=500)
    absent = FieldList(FormField(AbsentRowForm), max_entries=500)
    participants = FieldList(FormField(ParticipantRowForm), max_entries=500)
    agenda = FieldList(FormField(AgendaRowForm), max_entries=100)
    projects = FieldList(FormField(ProjectRowForm), max_entries=1000)
    recorder_name = StringField(_l("Minutes taken by (name)"), validators=[Optional(), Length(max=120)])
    recorder_position = StringField(_l("Position of the minute-taker"), validators=[Optional(), Length(max=200)])
    checker_name = StringField(_l("Minutes checked by (name)"), validators=[Optional(), Length(max=120)])
    checker_position = StringField(_l("Position of the checker"), validators=[Optional(), Length(max=200)])
