"""Lost updates: which fields a stale save would overwrite, and the message that says so.

Every editable record carries a version. A form sends back the version it was loaded
with (the *base*); when another save came in between, three states of each field are
compared: ``base`` (what the form showed), ``theirs`` (what is stored now) and ``yours``
(what was submitted). A field would be lost when someone else changed it
(base != theirs) and this save would write something else (yours != theirs). A save
with any such field is refused; a stale save that loses nothing (the other person
changed other fields the same way, or fields this action does not write) may go ahead.
When the base is not known, every field where yours != theirs counts.

Values are plain JSON-able data. A list of dicts (member rows, activities) is compared
row by row and field by field, so the message names "Name in member row 3" ("คณะทำงาน
แถวที่ 3 ชื่อ"), not the whole list; a list of scalars (duties, tambon codes) is one value.

This module is the one place that words these messages; every store uses it. The
message is a :class:`~formsvc.domain.messages.Msg`, shown in the page's language (Thai
by ``thai()``). Labels, yes/no, "(empty)" and choice names are messages (English ids);
values are shown as they were typed or stored, and so are dates and month names, which
keep their Thai form in both languages. A label given as plain text is taken to be Thai
(as ``thai()`` takes it): labels that are all plain text compose into Thai text.
"""

from __future__ import annotations

import datetime as _dt
from collections.abc import Callable
from dataclasses import dataclass, field
from typing import Any

from formsvc.domain import thai
from formsvc.domain.messages import Joined, Msg, msg
from formsvc.domain.messages import thai as thai_text

SHOW_MAX = 60
LIST_MAX = 8
MISSING = object()  # a row that is not there in one of the states
# a label or a value as shown: a message, or plain text (data as typed, or Thai)
Text = str | Msg
_MONTHS_EN = ("Jan", "Feb", "Mar", "Apr", "May", "Jun", "Jul", "Aug", "Sep", "Oct", "Nov", "Dec")


def _plain(value: Any) -> str:
    return str(value)


def _label(message: Msg) -> Text:
    """A composed label: the message, or its Thai text when every label in it is plain
    (Thai) text, so that labels given in Thai compose into Thai as they always did."""
    if any(isinstance(v, Msg) for v in message.params.values()):
        return message
    return thai_text(message)


def with_prefix(prefix: Text, label: Text) -> Text:
    """``label`` named within a row: ``prefix`` is plain text put before it, or a message
    whose ``%(field)s`` is the label (msg("%(field)s in row %(row)s", row=3))."""
    if isinstance(prefix, Msg):
        return _label(Msg(prefix.id, {**prefix.params, "field": label}))
    if not prefix:
        return label
    return prefix + label if isinstance(label, str) else Joined([prefix, label])


@dataclass(frozen=True)
class Field:
    """One field as a user knows it: its label and how to show a value."""

    label: Text
    show: Callable[[Any], Text] = _plain


@dataclass
class Fields:
    """The fields of a record kind, in the order a form shows them.

    ``rows`` maps a list field to (row label, its row fields): 'members' →
    (msg("member"), {...}) names a change "Name in member row 3" ("คณะทำงาน แถวที่ 3 ชื่อ").
    """

    fields: dict[str, Field | Text]
    rows: dict[str, tuple[Text, dict[str, Field | Text]]] = field(default_factory=dict)

    def _field(self, key: str) -> Field:
        name, _, rest = key.partition(".")
        if name in self.rows and rest:
            number, _, sub = rest.partition(".")
            label, subs = self.rows[name]
            spec = subs.get(sub, sub)
            spec = spec if isinstance(spec, Field) else Field(spec)
            named = msg("%(field)s in %(list)s row %(number)s", field=spec.label, list=label, number=number)
            return Field(_label(named), spec.show)
        spec = self.fields.get(key, key)
        return spec if isinstance(spec, Field) else Field(spec)

    def label(self, key: str) -> Text:
        return self._field(key).label

    def show(self, key: str, value: Any) -> Text:
        if value is MISSING:
            return msg("(no such row)")
        if value is None or value == "" or value == []:
            return msg("(empty)")
        spec = self._field(key)
        shown = [spec.show(v) for v in value] if isinstance(value, (list, tuple)) else [spec.show(value)]
        if any(isinstance(s, Msg) for s in shown):  # cut once translated
            return Joined(shown, ", ", SHOW_MAX)
        text = ", ".join(shown)
        return text if len(text) <= SHOW_MAX else text[: SHOW_MAX - 1] + "…"


def yes_no(value: Any) -> Msg:
    return msg("yes") if value else msg("no")


def choice(names: dict) -> Callable[[Any], Text]:
    """Show a stored code by its name ('planned' → msg("Not started")); a code without
    a name as it is."""

    def show(value: Any) -> Text:
        name = names.get(value, value)
        return name if isinstance(name, Msg) else str(name)

    return show


def flatten(values: dict) -> dict:
    """{'members': [{'name': 'ก'}]} → {'members.1.name': 'ก'}; other values unchanged
    (lists become tuples, so they compare and hash alike)."""
    flat: dict = {}
    for key, value in values.items():
        if isinstance(value, (list, tuple)) and value and all(isinstance(v, dict) for v in value):
            for i, row in enumerate(value, 1):
                for sub, item in row.items():
                    flat[f"{key}.{i}.{sub}"] = item
        elif isinstance(value, (list, tuple)):
            flat[key] = tuple(value)
        else:
            flat[key] = value
    return flat


@dataclass(frozen=True)
class Saved:
    """One stored version of a record: its values and who saved it when."""

    version: int
    values: dict
    saved_by: str | None
    saved_at: str | None


@dataclass(frozen=True)
class Change:
    """A field a stale save would overwrite."""

    key: str
    label: Text
    before: Text | None  # at the base version; None when the base is not known
    theirs: Text  # stored now
    yours: Text | None  # submitted (None: an action that replaces the record whatever it holds)
    saved_by: str | None  # who stored ``theirs``
    saved_at: str | None  # when (ISO, UTC)


def lost_changes(
    history: list[Saved],
    base_known: bool,
    yours: dict | None,
    fields: Fields,
    only: set[str] | None = None,
    prefix: Text = "",
) -> list[Change]:
    """The fields a save of ``yours`` would lose.

    ``history`` runs from the base version (first, when ``base_known``) to the stored one
    (last); it may skip versions. ``only`` limits the check to the fields the action
    writes; ``prefix`` names the row of each label (see ``with_prefix``). ``yours`` None is an
    action that replaces the whole record (an import): every change since the base is lost."""
    states = [flatten(h.values) for h in history]  # flatten() leaves flat values as they are
    theirs = states[-1]
    base = states[0] if base_known else None
    replacing = yours is None
    yours = {} if replacing else flatten(yours)
    keys = list(dict.fromkeys([*theirs, *yours, *(base or {})]))
    if only is not None:
        keys = [k for k in keys if k.partition(".")[0] in only]
    lost = []
    for key in keys:
        mine, now = yours.get(key, MISSING), theirs.get(key, MISSING)
        if mine == now and not replacing:
            continue
        before = base.get(key, MISSING) if base is not None else None
        if base is not None and before == now:
            continue  # nobody else changed it: this save may write it
        author = history[-1]
        for i in range(len(states) - 1, 0, -1):  # the newest version that changed it
            if states[i].get(key, MISSING) != states[i - 1].get(key, MISSING):
                author = history[i]
                break
        lost.append(
            Change(
                key,
                with_prefix(prefix, fields.label(key)),
                None if base is None else fields.show(key, before),
                fields.show(key, now),
                None if replacing else fields.show(key, mine),
                author.saved_by,
                author.saved_at,
            )
        )
    return lost


def _local(moment_iso: str) -> _dt.datetime:
    """A stored UTC timestamp in Thailand time."""
    from zoneinfo import ZoneInfo

    moment = _dt.datetime.fromisoformat(moment_iso)
    if moment.tzinfo is None:
        moment = moment.replace(tzinfo=_dt.UTC)
    return moment.astimezone(ZoneInfo("Asia/Bangkok"))


def saved_when(moment_iso: str | None) -> str:
    """'14:05 น. 3 มี.ค. 2569' (Thailand time) from a stored UTC timestamp."""
    if not moment_iso:
        return ""
    local = _local(moment_iso)
    return f"{local:%H:%M} น. {local.day} {thai.month_name(local.month, short=True)} {thai.be_year(local.date())}"


def _saved_by(change: Change) -> Msg:
    """ "saved by นายสมชาย ใจดี (ปลัด อบต.) at 14:05 on 3 Mar 2026" ("บันทึกโดย นายสมชาย ใจดี
    (ปลัด อบต.) เวลา 14:05 น. 3 มี.ค. 2569"): who saved as people know them (name and position,
    ``store.people.person_name``); the English text shows ``date``, the Thai its own ``thai_date``."""
    user = change.saved_by or msg("the system")
    if not change.saved_at:
        return msg("saved by %(user)s", user=user)
    local = _local(change.saved_at)
    return msg(
        "saved by %(user)s at %(time)s on %(date)s",
        user=user,
        time=f"{local:%H:%M}",
        date=f"{local.day} {_MONTHS_EN[local.month - 1]} {local.year}",
        thai_date=f"{local.day} {thai.month_name(local.month, short=True)} {thai.be_year(local.date())}",
    )


def _quoted(value: Text) -> Msg:
    return Joined(["'", value, "'"])


def describe(change: Change) -> Msg:
    """One line: "Project name: 'ก' → 'ข' (saved by clerk2 at 14:05 on 3 Mar 2026), yours: 'ค'"
    ("ชื่อโครงการ: 'ก' → 'ข' (บันทึกโดย clerk2 เวลา 14:05 น. 3 มี.ค. 2569) ของท่าน: 'ค'")."""
    stored = _quoted(change.theirs)
    if change.before is not None:
        stored = Joined([_quoted(change.before), " → ", stored])
    who = _saved_by(change)
    if change.yours is None:
        return Joined([change.label, ": ", stored, " (", who, ")"])
    return msg(
        "%(field)s: %(stored)s (%(who)s), yours: %(yours)s",
        field=change.label,
        stored=stored,
        who=who,
        yours=_quoted(change.yours),
    )


SINCE = msg("since you opened this page")
KEPT = msg("Everything you typed is still here.")
AGAIN = msg("Check what changed, then press Save again if you want to save over it.")


def conflict_msg(what: Text, changes: list[Change], since: Text = SINCE, kept: Text = KEPT, then: Text = AGAIN) -> Msg:
    """The message of a refused save: what changed, by whom and when, and what to do.

    ``what`` names the record (msg("this project"), msg("the details of this LAO")).
    Lines are separated by newlines (pages show them as lines)."""
    lines: list[Text] = [
        msg(
            "Someone else saved %(what)s %(since)s, so yours has not been saved. %(kept)s",
            what=what,
            since=since,
            kept=kept,
        )
    ]
    if changes:
        if any(c.yours is not None for c in changes):
            lines.append(msg("What changed (before → saved by the other person), and your values:"))
        else:
            lines.append(msg("What changed (before → saved by the other person):"))
        lines += [Joined(["• ", describe(c)]) for c in changes[:LIST_MAX]]
        if len(changes) > LIST_MAX:
            lines.append(Joined(["• ", msg("and %(n)s more", n=len(changes) - LIST_MAX)]))
    lines.append(then)
    return Joined(lines, "\n")


def conflict_message(what: Text, changes: list[Change], **wording: Text) -> str:
    """The message of a refused save in Thai (see ``conflict_msg``)."""
    return thai_text(conflict_msg(what, changes, **wording))
