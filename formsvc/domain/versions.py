"""Lost updates: which fields a stale save would overwrite, and the Thai message that says so.

Every editable record carries a version. A form sends back the version it was loaded
with (the *base*); when another save came in between, three states of each field are
compared: ``base`` (what the form showed), ``theirs`` (what is stored now) and ``yours``
(what was submitted). A field would be lost when someone else changed it
(base != theirs) and this save would write something else (yours != theirs). A save
with any such field is refused; a stale save that loses nothing (the other person
changed other fields the same way, or fields this action does not write) may go ahead.
When the base is not known, every field where yours != theirs counts.

Values are plain JSON-able data. A list of dicts (member rows, activities) is compared
row by row and field by field, so the message names "แถวที่ 3 ชื่อ", not the whole list;
a list of scalars (duties, tambon codes) is one value.

This module is the one place that words these messages; every store uses it.
"""

from __future__ import annotations

import datetime as _dt
from collections.abc import Callable
from dataclasses import dataclass, field
from typing import Any

from formsvc.domain import thai

SHOW_MAX = 60
LIST_MAX = 8
MISSING = object()  # a row that is not there in one of the states


def _plain(value: Any) -> str:
    return str(value)


@dataclass(frozen=True)
class Field:
    """One field as a user knows it: its Thai label and how to show a value."""

    label: str
    show: Callable[[Any], str] = _plain


@dataclass
class Fields:
    """The fields of a record kind, in the order a form shows them.

    ``rows`` maps a list field to (row label, its row fields): 'members' →
    ('คณะทำงาน', {...}) names a change "คณะทำงาน แถวที่ 3 ชื่อ".
    """

    fields: dict[str, Field | str]
    rows: dict[str, tuple[str, dict[str, Field | str]]] = field(default_factory=dict)

    def _field(self, key: str) -> Field:
        name, _, rest = key.partition(".")
        if name in self.rows and rest:
            number, _, sub = rest.partition(".")
            label, subs = self.rows[name]
            spec = subs.get(sub, sub)
            spec = spec if isinstance(spec, Field) else Field(spec)
            return Field(f"{label} แถวที่ {number} {spec.label}", spec.show)
        spec = self.fields.get(key, key)
        return spec if isinstance(spec, Field) else Field(spec)

    def label(self, key: str) -> str:
        return self._field(key).label

    def show(self, key: str, value: Any) -> str:
        if value is MISSING:
            return "(ไม่มีแถวนี้)"
        if value is None or value == "" or value == []:
            return "(ว่าง)"
        spec = self._field(key)
        if isinstance(value, (list, tuple)):
            text = ", ".join(spec.show(v) for v in value)
        else:
            text = spec.show(value)
        return text if len(text) <= SHOW_MAX else text[: SHOW_MAX - 1] + "…"


def yes_no(value: Any) -> str:
    return "ใช่" if value else "ไม่ใช่"


def choice(names: dict) -> Callable[[Any], str]:
    """Show a stored code by its name ('planned' → 'ยังไม่เริ่ม')."""
    return lambda value: str(names.get(value, value))


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
    label: str
    before: str | None  # at the base version; None when the base is not known
    theirs: str  # stored now
    yours: str | None  # submitted (None: an action that replaces the record whatever it holds)
    saved_by: str | None  # who stored ``theirs``
    saved_at: str | None  # when (ISO, UTC)


def lost_changes(
    history: list[Saved],
    base_known: bool,
    yours: dict | None,
    fields: Fields,
    only: set[str] | None = None,
    prefix: str = "",
) -> list[Change]:
    """The fields a save of ``yours`` would lose.

    ``history`` runs from the base version (first, when ``base_known``) to the stored one
    (last); it may skip versions. ``only`` limits the check to the fields the action
    writes; ``prefix`` goes before each label (e.g. 'แถวที่ 3 '). ``yours`` None is an
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
                prefix + fields.label(key),
                None if base is None else fields.show(key, before),
                fields.show(key, now),
                None if replacing else fields.show(key, mine),
                author.saved_by,
                author.saved_at,
            )
        )
    return lost


def saved_when(moment_iso: str | None) -> str:
    """'14:05 น. 3 มี.ค. 2569' (Thailand time) from a stored UTC timestamp."""
    if not moment_iso:
        return ""
    from zoneinfo import ZoneInfo

    moment = _dt.datetime.fromisoformat(moment_iso)
    if moment.tzinfo is None:
        moment = moment.replace(tzinfo=_dt.UTC)
    local = moment.astimezone(ZoneInfo("Asia/Bangkok"))
    return f"{local:%H:%M} น. {local.day} {thai.month_name(local.month, short=True)} {thai.be_year(local.date())}"


def describe(change: Change) -> str:
    """One line: "ชื่อโครงการ: 'ก' → 'ข' (บันทึกโดย clerk2 เวลา 14:05 น. 3 มี.ค. 2569) ของท่าน: 'ค'"."""
    stored = f"'{change.theirs}'" if change.before is None else f"'{change.before}' → '{change.theirs}'"
    who = f"บันทึกโดย {change.saved_by or 'ระบบ'}"
    when = saved_when(change.saved_at)
    if when:
        who += f" เวลา {when}"
    if change.yours is None:
        return f"{change.label}: {stored} ({who})"
    return f"{change.label}: {stored} ({who}) ของท่าน: '{change.yours}'"


KEPT = "ข้อมูลที่ท่านพิมพ์ยังอยู่ครบ"
AGAIN = "กรุณาตรวจดูแล้วกดบันทึกอีกครั้งหากต้องการบันทึกทับ"


def conflict_message(
    what: str, changes: list[Change], since: str = "หลังจากที่ท่านเปิดหน้านี้", kept: str = KEPT, then: str = AGAIN
) -> str:
    """The Thai message of a refused save: what changed, by whom and when, and what to do.

    ``what`` names the record ('โครงการนี้', 'รายละเอียด อปท. นี้'). Lines are separated
    by newlines (pages show them as lines)."""
    lines = [f"มีผู้อื่นบันทึก{what} {since} ระบบจึงยังไม่ได้บันทึกของท่าน {kept}"]
    if changes:
        lines.append(
            "สิ่งที่เปลี่ยนไป (ค่าเดิม → ค่าที่ผู้อื่นบันทึก)" + (" และค่าของท่าน:" if any(c.yours is not None for c in changes) else ":")
        )
        lines += [f"• {describe(c)}" for c in changes[:LIST_MAX]]
        if len(changes) > LIST_MAX:
            lines.append(f"• และอีก {len(changes) - LIST_MAX} รายการ")
    lines.append(then)
    return "\n".join(lines)
