"""The form of a working-group meeting (guideline §4.1(4)): as a forum's, with the chair
its first meeting chose."""

from __future__ import annotations

from flask_babel import lazy_gettext as _l
from wtforms import FieldList, FormField, HiddenField, SelectField, StringField
from wtforms.validators import DataRequired, Length, Optional

from formsvc.store import meetings as meeting_store
from formsvc.web.forms.base import REQUIRED, FlaskForm
from formsvc.web.forms.forums import AbsentRowForm, AgendaRowForm, ParticipantRowForm, PresentRowForm

# the chair chosen: nobody, one of the group's members (its id), or a name typed below
CHAIR_OTHER = "other"


class MeetingForm(FlaskForm):
    version = HiddenField()
    meeting_no = StringField(_l("Meeting no."), validators=[DataRequired(REQUIRED), Length(max=6)])
    held_on = StringField(_l("Date (day/month/BE year)"), validators=[DataRequired(REQUIRED), Length(max=20)])
    start_time = StringField(
        _l("Started at"), validators=[DataRequired(REQUIRED), Length(max=8)], render_kw={"type": "time"}
    )
    end_time = StringField(
        _l("Ended at"), validators=[DataRequired(REQUIRED), Length(max=8)], render_kw={"type": "time"}
    )
    place = StringField(_l("Place"), validators=[DataRequired(REQUIRED), Length(max=meeting_store.PLACE_MAX)])
    chair_member = SelectField(_l("Chair chosen by the meeting"), validate_choice=False)
    chair_name = StringField(
        _l("Name of the chair chosen, when not a member listed"),
        validators=[Optional(), Length(max=meeting_store.NAME_MAX)],
    )
    chair_position = StringField(
        _l("Position of the chair chosen"), validators=[Optional(), Length(max=meeting_store.POSITION_MAX)]
    )
    present = FieldList(FormField(PresentRowForm), max_entries=meeting_store.ATTENDEES_MAX)
    absent = FieldList(FormField(AbsentRowForm), max_entries=meeting_store.ATTENDEES_MAX)
    participants = FieldList(FormField(ParticipantRowForm), max_entries=meeting_store.ATTENDEES_MAX)
    agenda = FieldList(FormField(AgendaRowForm), max_entries=meeting_store.AGENDA_MAX)
    recorder_name = StringField(
        _l("Minutes taken by (name)"), validators=[Optional(), Length(max=meeting_store.NAME_MAX)]
    )
    recorder_position = StringField(
        _l("Position of the minute-taker"), validators=[Optional(), Length(max=meeting_store.POSITION_MAX)]
    )
    checker_name = StringField(
        _l("Minutes checked by (name)"), validators=[Optional(), Length(max=meeting_store.NAME_MAX)]
    )
    checker_position = StringField(
        _l("Position of the checker"), validators=[Optional(), Length(max=meeting_store.POSITION_MAX)]
    )
