"""No lost update: two people open the same form, the first saves, the second is told
what changed (field, the other's value, who and when), keeps what they typed, and nothing
of theirs is written; saving again after reading it overwrites knowingly. And several
saves racing from the same version: exactly one wins."""
from __future__ import annotations

from formsvc.domain.versions import Field, Fields, Saved, conflict_message, lost_changes, yes_no


# The helper itself ------------------------------------------------------------------------

FIELDS = Fields({"name": "ชื่อโครงการ", "flag": Field("บรรจุในแผน", yes_no)},
                {"members": ("คณะทำงาน", {"name": "ชื่อ"})})


def history(*states):
    return [Saved(i, values, who, "2026-03-03T07:05:00+00:00") for i, (values, who) in enumerate(states, 1)]


def test_only_fields_another_changed_and_this_save_would_overwrite_are_lost():
    h = history(({"name": "ก", "flag": 0}, None), ({"name": "ข", "flag": 0}, "clerk2"))
    assert [c.label for c in lost_changes(h, True, {"name": "ก", "flag": 1}, FIELDS)] == ["ชื่อโครงการ"]
    assert lost_changes(h, True, {"name": "ข", "flag": 1}, FIELDS) == []  # same change: nothing lost
    assert lost_changes(h, True, {"name": "ค", "flag": 1}, FIELDS, only={"flag"}) == []
    # the base unknown: every difference from what is stored counts
    assert [c.label for c in lost_changes(h[-1:], False, {"name": "ข", "flag": 1}, FIELDS)] == ["บรรจุในแผน"]


def test_the_message_names_the_field_the_values_who_and_when():
    h = history(({"name": "ก", "flag": 0}, "clerk"), ({"name": "ข", "flag": 0}, "clerk2"),
                ({"name": "ข", "flag": 1}, "admin"))
    changes = lost_changes(h, True, {"name": "ค", "flag": 0}, FIELDS)
    message = conflict_message("โครงการนี้", changes)
    assert message.startswith("มีผู้อื่นบันทึกโครงการนี้ หลังจากที่ท่านเปิดหน้านี้")
    assert "ชื่อโครงการ: 'ก' → 'ข' (บันทึกโดย clerk2 เวลา 14:05 น. 3 มี.ค. 2569) ของท่าน: 'ค'" in message
    assert "บรรจุในแผน: 'ไม่ใช่' → 'ใช่' (บันทึกโดย admin" in message


def test_rows_are_named_by_number():
    h = history(({"members": [{"name": "ก"}, {"name": "ข"}]}, None), ({"members": [{"name": "ก"}, {"name": "ง"}]}, "x"))
    [change] = lost_changes(h, True, {"members": [{"name": "ก"}, {"name": "ข"}, {"name": "จ"}]}, FIELDS)
    assert (change.label, change.before, change.theirs, change.yours) == ("คณะทำงาน แถวที่ 2 ชื่อ", "ข", "ง", "ข")
