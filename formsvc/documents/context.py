"""Context builders: one per document kind, feeding both its DOCX and its PDF template.

Builders take plain data (dicts from the store, dates) and return plain strings already
in final form: BE dates with full month names, digits in the LAO's style. Templates
only place them, so the two formats cannot say different things. Each kind is
registered, with the source that reads its data and calls its builder, in
``formsvc.services.documents`` (see ``formsvc.documents.kinds``).
"""

from __future__ import annotations

import datetime as _dt
import re
from decimal import Decimal

from formsvc.domain import clock, criteria, thai
from formsvc.domain.model import lao_full_name
from formsvc.domain.working_group import ACTIVITY_STATUSES, GROUP_ROLES, ORDER_SUBJECT, in_order

STATUS_LABELS = ACTIVITY_STATUSES
NO_MEMBERS = "(ยังไม่ได้ระบุรายชื่อคณะทำงาน)"


# what keeps its own characters whatever the LAO's digits: the emblem's bytes, and an
# attachment's file name and SHA-256 as they are on disk (and the name "SHA-256")
_VERBATIM = frozenset({"emblem_png", "file_name", "sha", "hash"})


def with_digits(value, style: str, top: bool = True):
    """Every string in a context, digits in the LAO's style (bytes, file names and
    hashes left alone).

    The context also records the style, for what the templates number themselves (pages)."""
    if top and isinstance(value, dict):
        converted = with_digits(value, style, top=False)
        converted["digit_style"] = style
        return converted
    if isinstance(value, str):
        return thai.digits(value, style)
    if isinstance(value, dict):
        return {k: (v if k in _VERBATIM else with_digits(v, style, False)) for k, v in value.items()}
    if isinstance(value, (list, tuple)):
        return [with_digits(v, style, False) for v in value]
    return value


def with_facts(context: dict, author: str, day: _dt.date | None = None) -> dict:
    """The context with what a DOCX says of itself (render_docx's core properties): who
    issues the document and its own date (today by the service's clock when it has none)."""
    return {**context, "doc_author": author, "doc_date": day or clock.today()}


def _date(iso: str | _dt.date) -> _dt.date:
    return iso if isinstance(iso, _dt.date) else _dt.date.fromisoformat(iso)


def thai_list(items) -> str:
    """Items as Thai writes a list: separated by spaces, the last joined with "และ"
    ("ก ข และ ค"); no commas or colons between Thai words."""
    items = [str(i) for i in items if i]
    if len(items) <= 1:
        return "".join(items)
    return " ".join(items[:-1]) + " และ " + items[-1]


_THAI = "ก-๛"
_MONTHS_SHORT = [thai.month_name(m, short=True) for m in range(1, 13)]
_SHORT_DATE = re.compile(r"(\d{1,2}) (" + "|".join(re.escape(m) for m in _MONTHS_SHORT) + r") (\d{2})(?!\d)")


def thai_punctuation(text: str) -> str:
    """A line the rules wrote for a page (criterion reasons, flag conflicts), as a Thai
    document writes it: clauses and a label's text separated by a space, not by ";" or
    ":" ("หมู่ที่ 1: ไม่ได้…"), a list as "ก ข และ ค" (not "ก, ข, ค"), a short date
    ("2 เม.ย. 69") in the document's date style."""

    def full_date(m: re.Match) -> str:
        return date_text(_dt.date(2500 + int(m[3]) - 543, _MONTHS_SHORT.index(m[2]) + 1, int(m[1])))

    clauses = []
    for clause in re.split(r"; ", _SHORT_DATE.sub(full_date, text)):
        clause = re.sub(r"(?<=\S): ", " ", clause)
        clauses.append(thai_list(re.split(rf"(?<=[{_THAI}.]), (?=[{_THAI}])", clause)))
    return " ".join(clauses)


def date_text(day: _dt.date) -> str:
    """The one date style of a document's body: day, full month, BE year ("๓๐ พฤศจิกายน ๒๕๖๙")."""
    return thai.date_long(day, "arabic")


def period_text(period) -> str:
    """A reporting period with full month names: "มกราคม – กุมภาพันธ์ 2569"."""
    year = thai.be_year(period.start)
    if period.start.month == period.end.month:
        return f"{thai.month_name(period.start.month)} {year}"
    return f"{thai.month_name(period.start.month)} – {thai.month_name(period.end.month)} {year}"


def budget_ordinance(lao_kind: str) -> str:
    """The draft budget ordinance named for the LAO's kind: ร่างข้อบัญญัติงบประมาณรายจ่าย
    ประจำปี (อบต.), ร่างเทศบัญญัติงบประมาณรายจ่ายประจำปี (เทศบาล)."""
    from formsvc.domain.model import ORDINANCE

    return f"ร่าง{ORDINANCE[lao_kind]}งบประมาณรายจ่ายประจำปี"


def count_of(numerator: int, denominator: int, unit: str, base: str = "") -> str:
    """Each number with its unit: "จำนวน 4 โครงการ จาก 10 โครงการ…"."""
    return f"จำนวน {numerator} {unit} จาก {denominator} {unit}{base}"


# the dotted line a signer writes on when no name is recorded
DOTS = "." * 40

# phrases a line never breaks inside, wherever they occur (names come per document)
NOBREAK_ALWAYS = (
    r"พ\.ศ\. [0-9๐-๙]+",
    r"ร่าง(?:ข้อ|เทศ)บัญญัติ",
    r"(?<![ก-๛])ปี [0-9๐-๙]{4}",  # "ปี ๒๕๗๐" (not the ปี of ประจำปี)
    # a label with its number: "มาตรา ๕๙", "วันที่ ๓๐", "หมู่ที่ ๑", "ที่ ๑/๒๕๖๙" (not the ที่ of พื้นที่)
    r"(?:มาตรา|ข้อ|หมู่ที่|ครั้งที่|รอบที่|วันที่|(?<![ก-๛])ที่) [0-9๐-๙][0-9๐-๙/]*",
    # a number with its unit ("๔๒ คน", "จำนวน ๔ โครงการ")
    r"(?:จำนวน |ร้อยละ )?[0-9๐-๙][0-9๐-๙,.]* (?:คน|แห่ง|โครงการ|กิจกรรม|ข้อ(?!บัญญัติ|เสนอ)|วัน(?!ที่)|บาท|รายการ)",
)


def order_context(lao: dict, facts: dict, emblem_png: bytes | None, *, draft: bool = False) -> dict:
    """The appointment order (regulation form 4) from the facts it is (or would be) issued with.

    ``facts`` is what ``store.working_group.issue_order`` freezes: number, year, dates,
    the group's wording and members. A draft has no number yet.
    """
    issuer = lao_full_name(lao["kind"], lao["name"])
    order_date = _date(facts["order_date"])
    group = facts["group"]
    number_text = (
        f"{facts['number']}/{facts['year_be']}"
        if facts.get("number") and not draft
        else f"......../{thai.be_year(order_date)}"
    )
    members = [
        {"no": str(i), "name": m["name"], "position": m["position"], "role_label": GROUP_ROLES[m["group_role"]]}
        for i, m in enumerate(in_order(facts["members"]), 1)
    ]
    duties = [{"label": f"({i})", "text": text} for i, text in enumerate(group["duties"], 1)]
    replaces = facts.get("replaces")
    replaces_text = ""
    if replaces:
        replaces_text = (
            f"ให้ยกเลิกคำสั่ง{issuer} ที่ {replaces['number']}/{replaces['year_be']} "
            f"ลงวันที่ {thai.date_long(_date(replaces['order_date']), 'arabic', with_be=True)} "
            f"และให้ใช้คำสั่งนี้แทน"
        )
    context = {
        "kind": "order",
        "heading": f"คำสั่ง{issuer}",
        "number_text": number_text,
        "subject": ORDER_SUBJECT,
        # the reason ends "ประกอบด้วย": with no members yet, a sentence says so
        "reason_paragraphs": [p.strip() for p in group["reason"].splitlines() if p.strip()]
        + ([] if members else [NO_MEMBERS]),
        "members": members,
        "duties_intro": "โดยให้คณะทำงานระดับท้องถิ่นมีอำนาจหน้าที่ ดังนี้",
        "duties": duties,
        "replaces_text": replaces_text,
        "effective_text": (
            f"ทั้งนี้ ตั้งแต่วันที่ {thai.date_long(_date(facts['effective_date']), 'arabic', with_be=True)} เป็นต้นไป"
        ),
        "signed_text": f"สั่ง ณ วันที่ {thai.date_long(order_date, 'arabic', with_be=True)}",
        "signer_name": group["signer_name"] or DOTS,
        "signer_position": group["signer_position"] or DOTS,
        "emblem_png": emblem_png,
        "nobreak": [issuer, group["signer_name"], *(m["name"] for m in members)],
    }
    return with_digits(with_facts(context, issuer, order_date), lao["digit_style"])


def programme_months(year_be: int, start_month: int, end_month: int) -> list[str]:
    """'YYYY-MM' (CE) of each month of the programme year."""
    year = thai.ce_year(year_be)
    return [f"{year:04d}-{m:02d}" for m in range(start_month, end_month + 1)]


def operation_plan_context(lao: dict, group: dict, programme) -> dict:
    """The joint operation plan: activities with the programme's months as columns."""
    months = programme_months(programme.year_be, programme.start_month, programme.end_month)
    issuer = lao_full_name(lao["kind"], lao["name"])
    activities = []
    for i, a in enumerate(group["activities"], 1):
        cells = [{"on": a["start_month"] <= m <= a["end_month"]} for m in months]
        for cell in cells:
            cell["bg"] = "BFBFBF" if cell["on"] else "FFFFFF"
        activities.append(
            {
                "no": str(i),
                "activity": a["activity"],
                "responsible": a["responsible"],
                "status_label": STATUS_LABELS[a["status"]],
                "cells": cells,
            }
        )
    context = {
        "kind": "operation-plan",
        "heading": "แผนการดำเนินงานร่วมกันของคณะทำงานระดับท้องถิ่น",
        "subheading": f"{issuer} {lao['district_label']} จังหวัด{lao['province_name']} "
        f"ปีดำเนินการ พ.ศ. {programme.year_be}",
        "columns": {"no": "ลำดับ", "activity": "กิจกรรม", "responsible": "ผู้รับผิดชอบ", "status": "สถานะ"},
        "month_labels": [thai.month_name(int(m[5:]), short=True) for m in months],
        "month_caption": f"ระยะเวลาดำเนินการ (พ.ศ. {programme.year_be})",
        "activities": activities,
        "footnote": "ช่องที่แรเงา คือ เดือนที่ดำเนินกิจกรรม" if activities else "ยังไม่มีกิจกรรมในแผน",
    }
    return with_digits(with_facts(context, issuer), lao["digit_style"])


# Forums ---------------------------------------------------------------------------------

SIGN_IN_ROWS_DEFAULT = 30
SIGN_IN_ROWS_MAX = 500


def _clock(value: str) -> str:
    return value.replace(":", ".") + " น."


def _village_label(row: dict) -> str:
    if not row.get("village_kind"):
        return ""
    from formsvc.domain.model import village_label

    return village_label(row["village_kind"], row["village_number"], row["village_name"])


def _people(rows: list[dict], note_key: str, note_prefix: str) -> list[dict]:
    people = []
    for i, a in enumerate(rows, 1):
        note = a.get(note_key) or ""
        people.append(
            {
                "no": f"{i}.",
                "name": a["name"],
                "position": a["position"],
                "note": f"{note_prefix}{note}" if note else "",
            }
        )
    return people


def minutes_context(lao: dict, forum: dict, organiser_names: dict[str, str]) -> dict:
    """Minutes in regulation form 11 (docs/domain.md, "Thai documents"), with the forum's facts."""
    held_on = _date(forum["held_on"])
    by_kind = {k: [a for a in forum["attendees"] if a["kind"] == k] for k in ("present", "absent", "participant")}
    # each with the year of the data when recorded ("ข้อมูล จปฐ. ปี 2568"); a forum saved
    # before years were kept says only that it was used
    data_used = [
        name + (f" ปี {forum[key]}" if forum.get(key) else "")
        for used, name, key in (
            (forum["used_bmn"], "ข้อมูล จปฐ.", "bmn_year"),
            (forum["used_village_data"], "ข้อมูล กชช. ๒ค", "village_data_year"),
        )
        if used
    ]
    heads = ""
    if forum["head_count"] is not None:
        heads = f"{forum['head_count']} คน"
        if any(forum.get(k) is not None for k in ("head_count_male", "head_count_female", "head_count_other")):
            heads += f" (ชาย {forum['head_count_male'] or 0} คน หญิง {forum['head_count_female'] or 0} คน"
            if forum.get("head_count_other"):
                heads += f" อื่น ๆ หรือไม่ระบุ {forum['head_count_other']} คน"
            heads += ")"
    else:
        heads = f"{len(by_kind['present']) + len(by_kind['participant'])} คน (ตามรายชื่อ)"
    facts = [
        "ผู้จัดเวที " + (thai_list(organiser_names[o] for o in forum["organisers"]) or "ไม่ได้ระบุ"),
        "ข้อมูลที่ใช้ประกอบการประชุม " + (thai_list(data_used) or "ไม่ได้ระบุ"),
        "มิติการพัฒนาที่ครอบคลุม " + (thai_list(forum["dimensions"]) or "ไม่ได้ระบุ"),
        f"จำนวนผู้เข้าร่วมเวทีประชาคม {heads}",
    ]
    agenda = []
    for i, item in enumerate(forum["agenda"], 1):
        agenda.append(
            {
                "label": f"ระเบียบวาระที่ {i}",
                "title": item["title"],
                "paragraphs": [p.strip() for p in item["discussion"].splitlines() if p.strip()],
                "resolution": item["resolution"] or "-",
            }
        )
    context = {
        "kind": "minutes",
        "heading": f"รายงานการประชุม{forum['title']}",
        "meeting_text": (f"ครั้งที่ {forum['meeting_no']}/{forum['meeting_year_be']}" if forum["meeting_no"] else ""),
        "when_text": f"เมื่อวันที่ {thai.date_long(held_on, 'arabic', with_be=True)}",
        "place_text": f"ณ {forum['place']}",
        "present": _people(by_kind["present"], "substitute_for", "มาประชุมแทน "),
        "absent": _people(by_kind["absent"], "absence_reason", ""),
        "participants": _people(by_kind["participant"], "", ""),
        "start_text": f"เริ่มประชุมเวลา {_clock(forum['start_time'])}",
        "agenda": agenda,
        "facts_heading": "ข้อมูลเวทีประชาคม",
        "facts": facts,
        "projects_heading": "บัญชีโครงการ/กิจกรรมที่ที่ประชุมเห็นชอบ เรียงตามลำดับความสำคัญ" if forum["projects"] else "",
        "project_columns": {
            "rank": "ลำดับ",
            "name": "โครงการ/กิจกรรม",
            "dimension": "มิติการพัฒนา",
            "village": "หมู่บ้าน/ชุมชน",
        },
        "projects": [
            {
                "rank": str(p["rank"]),
                "name": p["name"],
                "dimension": p["dimension"],
                "village": _village_label(p) or "-",
            }
            for p in forum["projects"]
        ],
        "end_text": f"เลิกประชุมเวลา {_clock(forum['end_time'])}",
        "recorder_name": forum["recorder_name"] or DOTS,
        "recorder_position": forum["recorder_position"] or DOTS,
        "recorder_label": "ผู้จดรายงานการประชุม",
        "checker_name": forum["checker_name"],
        "checker_position": forum["checker_position"] or DOTS,
        "checker_label": "ผู้ตรวจรายงานการประชุม" if forum["checker_name"] else "",
        "empty_mark": "-",
        "nobreak": [
            forum["place"],
            forum["recorder_name"],
            forum["checker_name"],
            *(a["name"] for a in forum["attendees"]),
            "กชช. ๒ค",  # not "ข้อมูล กชช. ๒ค" whole: a justified line would open wide gaps
            *(p.get("village_name") for p in forum["projects"]),
        ],
        "labels": {
            "present": "ผู้มาประชุม",
            "absent": "ผู้ไม่มาประชุม",
            "participants": "ผู้เข้าร่วมประชุม",
            "resolution": "มติที่ประชุม",
            "signed": "ลงชื่อ",
        },
    }
    return with_digits(with_facts(context, lao_full_name(lao["kind"], lao["name"]), held_on), lao["digit_style"])


def sign_in_context(lao: dict, forum: dict, rows: int = SIGN_IN_ROWS_DEFAULT) -> dict:
    """A sign-in sheet: the members expected, then others taking part, then blank rows
    up to ``rows``."""
    # those expected (members present) and those taking part; members recorded as absent
    # get no line to sign
    expected = sorted(
        (a for a in forum["attendees"] if a["kind"] in ("present", "participant")),
        key=lambda a: (a["kind"] != "present", a["position_no"]),
    )
    total = max(rows, len(expected))
    lines = [
        {"no": str(i), "name": a["name"], "position": a["position"], "signature": ""} for i, a in enumerate(expected, 1)
    ]
    lines += [{"no": str(i), "name": "", "position": "", "signature": ""} for i in range(len(lines) + 1, total + 1)]
    held_on = _date(forum["held_on"])
    context = {
        "kind": "sign-in-sheet",
        "heading": "ใบลงชื่อผู้เข้าร่วมเวทีประชาคม",
        "subheading": forum["title"],
        "when_text": (
            f"วันที่ {thai.date_long(held_on, 'arabic', with_be=True)} "
            f"เวลา {_clock(forum['start_time'])} ณ {forum['place']}"
        ),
        "columns": {"no": "ลำดับ", "name": "ชื่อ-สกุล", "position": "ตำแหน่ง/หมู่ที่", "signature": "ลายมือชื่อ"},
        "rows": lines,
    }
    return with_digits(with_facts(context, lao_full_name(lao["kind"], lao["name"]), held_on), lao["digit_style"])


# Project list ----------------------------------------------------------------------------

# The longest list the PDF is made of. WeasyPrint lays the table out and draws each
# line of Thai text (with the text-layer fix of pdf_text) in Python (bench/lists.py: 100,
# 300, 500 and 1,000 rows took 2.9, 4.5, 7.9 and 21 s on the quieter shared machine;
# with its two cores busy, load average 10, 100, 300 and 500 rows took 13, 20 and 30 s).
# 5,000 rows never finished: every request ended as a 500 when gunicorn killed the
# worker at 30 s. At 300 rows the PDF renders in under 15 s as long as it gets about
# half a core; a longer list is refused with a message that offers the
# Excel file (every row, in seconds) and the DOCX (5,000 rows in 1 to 4 s). Real lists
# have tens to a few hundred projects. Figures: docs/capacity.md, "Long project lists".
PROJECT_LIST_PDF_MAX_ROWS = 300


def _list_village(lao_kind: str, row: dict) -> str:
    """The project list's village column: the number in an อบต. ("3"), the village or
    community in a municipality ("หมู่ที่ 3", "ชุมชนตลาดเก่า"); "-" for none."""
    if not row["village_kind"]:
        return "-"
    if row["village_kind"] == "village" and lao_kind == "tao":
        return str(row["village_number"])
    if row["village_kind"] == "village":
        return f"หมู่ที่ {row['village_number']}"
    return _village_label(row)


def project_list_context(lao: dict, rows: list[dict], programme, c4, c5, issues: list[dict] = ()) -> dict:
    """The ranked list with plan and budget marks, totals and criteria 4 and 5 at the foot.

    The totals row counts what the criteria count (contradictory marks are listed under
    the table and left out), and the amount total is the sum of the amounts shown."""
    from formsvc.domain.criteria import not_adopted_text, percent
    from formsvc.domain.model import ORDINANCE

    next_year = programme.next_year_be
    issuer = lao_full_name(lao["kind"], lao["name"])
    ordinance = ORDINANCE[lao["kind"]]
    yes, no = "/", "-"  # "/" is the tick of Thai paper forms (and in Sarabun; ✓ is not)
    # rows no LAO-level forum adopted count nowhere (criterion 4), so not in the totals either
    counted = {
        r["id"]
        for r in rows
        if r["within_authority"] and r["in_development_plan"] and r["in_budget_draft"] and r.get("adopted", True)
    }
    unadopted = sum(1 for r in rows if not r.get("adopted", True))
    total = sum((r["budget"] for r in rows if r["id"] in counted and r["budget"] is not None), start=0)
    lines = [
        {
            "rank": str(r["rank"]),
            "name": r["name"],
            "dimension": r["dimension"] or "-",
            "village": _list_village(lao["kind"], r),
            "within": yes if r["within_authority"] else no,
            "plan": yes if r["in_development_plan"] else no,
            "budget_flag": yes if r["in_budget_draft"] else no,
            "amount": thai.money(r["budget"], "arabic") if r["id"] in counted and r["budget"] is not None else "-",
        }
        for r in rows
    ]

    def figure(c, what, base):
        state = "ผ่านเกณฑ์" if c.met else "ยังไม่ผ่านเกณฑ์"
        if not c.denominator:  # no percentage of nothing
            return f"เกณฑ์ข้อ {c.number} ยังไม่มีโครงการ{base} จึง{state}"
        return (
            f"เกณฑ์ข้อ {c.number} {what} {count_of(c.numerator, c.denominator, 'โครงการ', base)} "
            f"คิดเป็นร้อยละ {percent(c.numerator, c.denominator, c.met):.2f} "
            f"(เกณฑ์ไม่น้อยกว่าร้อยละ {int(c.threshold * 100)}) {state}"
        )

    context = {
        "kind": "project-list",
        "heading": "บัญชีโครงการ/กิจกรรมจากแผนชุมชน เรียงตามลำดับความสำคัญ",
        "subheading": f"{issuer} {lao['district_label']} จังหวัด{lao['province_name']} "
        f"ปีดำเนินการ พ.ศ. {programme.year_be}",
        "columns": {
            "rank": "ลำดับ",
            "name": "โครงการ/กิจกรรม",
            "dimension": "มิติ",
            # an อบต. has villages only (the column gives their number); a municipality
            # has villages and communities (the column names each)
            "village": "หมู่ที่" if lao["kind"] == "tao" else "หมู่บ้าน/ชุมชน",
            "within": "อยู่ในอำนาจหน้าที่",
            "plan": f"แผนพัฒนาท้องถิ่น ปี {next_year}",
            "budget_flag": f"ร่าง{ordinance} ปี {next_year}",
            "amount": "งบประมาณ (บาท)",
        },
        "rows": lines,
        "totals": {
            "label": "รวม",
            "count": f"{len(rows)} โครงการ",
            "within": str(c4.denominator),
            "plan": str(c4.numerator),
            "budget_flag": str(c5.numerator),
            "amount": thai.money(total, "arabic"),
        },
        "figures": [
            figure(c4, f"บรรจุในแผนพัฒนาท้องถิ่นปี {next_year}", "ที่อยู่ในอำนาจหน้าที่"),
            figure(c5, f"บรรจุใน{budget_ordinance(lao['kind'])} {next_year}", "ที่อยู่ในแผนพัฒนาท้องถิ่น"),
        ],
        "notes": (
            (
                [f"หมายเหตุ เครื่องหมายที่ขัดกันไม่นำมานับในยอดรวมและเกณฑ์ ({len(issues)} รายการ)"]
                + [thai_punctuation(i["message"]) for i in issues]
            )
            if issues
            else []
        )
        + ([f"หมายเหตุ {not_adopted_text(unadopted)}"] if unadopted else []),
        "empty": "ยังไม่มีโครงการ",
        "nobreak": [issuer, lao["district_label"], f"จังหวัด{lao['province_name']}"],
    }
    return with_digits(with_facts(context, issuer), lao["digit_style"])


# The development plan's project details (แบบ ผ.02) ------------------------------------------


PLAN_COLUMNS = {
    "no": "ที่",
    "name": "โครงการ",
    "objective": "วัตถุประสงค์",
    "target": "เป้าหมาย (ผลผลิตของโครงการ)",
    "kpi": "ตัวชี้วัด (KPI)",
    "result": "ผลลัพธ์ที่คาดว่าจะได้รับ",
    "unit": "หน่วยงานรับผิดชอบหลัก",
}
NO_STRATEGY = "(ยังไม่ได้ระบุยุทธศาสตร์)"
NO_PLAN_AREA = "(ยังไม่ได้ระบุแผนงาน)"


def _titled(word: str, text: str) -> str:
    """'ยุทธศาสตร์การพัฒนาด้าน...' as typed, or the word put before it."""
    return text if text.startswith(word) else f"{word} {text}"


def plan_projects_context(lao: dict, rows: list[dict], programme) -> dict:
    """The projects of the year marked "in the development plan" as the plan's project
    form (แบบ ผ.02): a table per plan area under its strategy, in order of their first
    project's priority, the projects by priority; each year of the plan period's budget
    totalled per plan area and for all (amounts as ``values``, Decimal, for a workbook)."""
    years = programme.plan_years
    issuer = lao_full_name(lao["kind"], lao["name"])
    zero = [Decimal(0)] * len(years)
    strategies: dict[str, dict[str, list[dict]]] = {}
    for r in (r for r in rows if r["in_development_plan"]):
        areas = strategies.setdefault(r["strategy"], {})
        areas.setdefault(r["plan_area"], []).append(r)

    def amounts(values) -> list[str]:
        return [thai.money(v, "arabic") if v is not None else "-" for v in values]

    def summed(projects) -> list:
        return [sum((p["plan_budgets"][i] or 0 for p in projects), start=zero[i]) for i in range(len(years))]

    groups, every = [], []
    for s_no, (strategy, areas) in enumerate(strategies.items(), 1):
        for a_no, (area, projects) in enumerate(areas.items(), 1):
            every += projects
            totals = summed(projects)
            groups.append(
                {
                    "strategy": f"{s_no}. {_titled('ยุทธศาสตร์', strategy or NO_STRATEGY)}" if a_no == 1 else "",
                    "area": f"{s_no}.{a_no} {_titled('แผนงาน', area or NO_PLAN_AREA)}",
                    "rows": [
                        {
                            "no": str(n),
                            "name": p["name"],
                            "objective": p["objective"] or "-",
                            "target": p["target"] or "-",
                            "amounts": amounts(p["plan_budgets"]),
                            "values": list(p["plan_budgets"]),
                            "kpi": p["kpi"] or "-",
                            "result": p["expected_result"] or "-",
                            "unit": p["responsible_unit"] or "-",
                        }
                        for n, p in enumerate(projects, 1)
                    ],
                    "total": {
                        "label": f"รวม {len(projects)} โครงการ",
                        "amounts": amounts(totals),
                        "values": totals,
                    },
                }
            )
    grand = summed(every)
    context = {
        "kind": "plan-projects",
        "form": "แบบ ผ.02",
        "heading": "รายละเอียดโครงการพัฒนา",
        "plan": f"แผนพัฒนาท้องถิ่น (พ.ศ. {years[0]} - {years[-1]})",
        "issuer": f"{issuer} {lao['district_label']} จังหวัด{lao['province_name']}",
        "subheading": f"โครงการจากแผนชุมชนที่บรรจุในแผนพัฒนาท้องถิ่น ปีดำเนินการ พ.ศ. {programme.year_be}",
        "columns": {**PLAN_COLUMNS, "years": [f"งบประมาณ {y} (บาท)" for y in years]},
        "years": [str(y) for y in years],
        "groups": groups,
        "total": {"label": f"รวมทั้งสิ้น {len(every)} โครงการ", "amounts": amounts(grand), "values": grand},
        "empty": "ยังไม่มีโครงการที่บรรจุในแผนพัฒนาท้องถิ่น" if not every else "",
        "nobreak": [issuer, lao["district_label"], f"จังหวัด{lao['province_name']}"],
    }
    return with_digits(with_facts(context, issuer), lao["digit_style"])


# Bi-monthly report -----------------------------------------------------------------------


def report_context(
    lao: dict,
    report: dict,
    period,
    programme,
    compliance: dict,
    evidence: dict[int, list[str]],
    reported_on: _dt.date,
    names: list[str] = (),
    annex: list[dict] = (),
) -> dict:
    """The bi-monthly report form: each criterion's status with its evidence, then the
    LAO's own words (progress, problems, suggestions). ``names``: the LAO's villages and
    communities, which the PDF never splits over two lines. ``annex``: the photos and
    scans attached to the report and the records it rests on (file name, kind, date,
    short SHA-256), listed after the signature."""
    issuer = lao_full_name(lao["kind"], lao["name"])

    ordinance = budget_ordinance(lao["kind"])
    rows = []
    for c in compliance["criteria"]:
        lines = list(evidence.get(c["number"], []))
        lines += [thai_punctuation(reason) for reason in c["reasons"]]
        rows.append(
            {
                "number": str(c["number"]),
                "title": criteria.by_number(c["number"]).title_th.replace("ร่างข้อบัญญัติ/เทศบัญญัติงบประมาณ", ordinance),
                "status": "ผ่าน" if c["met"] else "ยังไม่ผ่าน",
                "evidence": lines or ["-"],
            }
        )
    passed = sum(1 for c in compliance["criteria"] if c["met"])
    total = len(compliance["criteria"])
    context = {
        "kind": "report",
        "heading": "แบบรายงานผลการดำเนินงานการนำแผนชุมชนสู่การพัฒนาท้องถิ่น (ทุก ๒ เดือน)",
        "subheading": f"{issuer} {lao['district_label']} จังหวัด{lao['province_name']}",
        "period_text": f"รอบที่ {period.number} ({period_text(period)}) ปีดำเนินการ พ.ศ. {programme.year_be}",
        "columns": {"number": "เกณฑ์ข้อ", "title": "เกณฑ์", "status": "ผลการประเมิน", "evidence": "หลักฐานและข้อมูล"},
        "criteria": rows,
        "summary": f"ผ่านเกณฑ์ {passed} ข้อ จาก {total} ข้อ"
        + (" (ผ่านครบทุกข้อ)" if passed == total else "")
        + f" ตามข้อมูล ณ วันที่ {date_text(reported_on)}",
        "sections": [
            {"title": "ผลการดำเนินงานในรอบรายงาน", "paragraphs": paragraphs(report["progress"])},
            {"title": "ปัญหาอุปสรรค", "paragraphs": paragraphs(report["problems"])},
            {"title": "ข้อเสนอแนะ", "paragraphs": paragraphs(report["suggestions"])},
        ],
        "signed": "ลงชื่อ ........................ ผู้รายงาน",
        "reporter_name": report["reporter_name"] or DOTS,
        "reporter_position": report["reporter_position"] or DOTS,
        "date_text": f"วันที่ {date_text(reported_on)}",
        "annex_title": "ภาคผนวก เอกสารและภาพถ่ายประกอบรายงาน",
        "annex_columns": {
            "number": "ลำดับ",
            "name": "ชื่อไฟล์",
            "kind": "ประเภท",
            "date": "วันที่แนบ",
            "hash": "SHA-256 (ย่อ)",
        },
        "annex": list(annex),
        "nobreak": [issuer, lao["district_label"], f"จังหวัด{lao['province_name']}", report["reporter_name"], *names],
    }
    return with_digits(with_facts(context, issuer, reported_on), lao["digit_style"])


# Cover memo (บันทึกข้อความ) --------------------------------------------------------------


def cover_memo_context(
    lao: dict,
    period,
    programme,
    passed: int,
    submitted_on: _dt.date,
    signer_name: str,
    emblem_png: bytes | None,
    total: int | None = None,
) -> dict:
    """The internal memo (regulation form 2) that sends a period's report to the district:
    ``passed`` of ``total`` criteria (default: as many as there are now)."""
    total = criteria.COUNT if total is None else total
    issuer = lao_full_name(lao["kind"], lao["name"])
    district = lao["district_label"]
    subject = f"รายงานผลการดำเนินงานการนำแผนชุมชนสู่การพัฒนาท้องถิ่น รอบที่ {period.number} ({period_text(period)})"
    context = {
        "kind": "cover-memo",
        "heading": "บันทึกข้อความ",
        # form 2: ที่ and วันที่ on one line (a field's second label and value)
        "fields": [
            {
                "label": "ส่วนราชการ",
                "value": f"{issuer} {district} จังหวัด{lao['province_name']}",
                "label2": "",
                "value2": "",
            },
            {"label": "ที่", "value": "", "label2": "วันที่", "value2": date_text(submitted_on)},
            {"label": "เรื่อง", "value": subject, "label2": "", "value2": ""},
        ],
        "to": f"เรียน ท้องถิ่น{district}",  # ท้องถิ่นอำเภอ…: the head of the district local-government office
        "paragraphs": [
            f"ตามที่{issuer}ได้รับคัดเลือกเป็นองค์กรปกครองส่วนท้องถิ่นต้นแบบการนำแผนชุมชนสู่การพัฒนาท้องถิ่น "
            f"ประจำปี พ.ศ. {programme.year_be} และต้องรายงานผลการดำเนินงานให้อำเภอทราบทุก ๒ เดือน นั้น",
            f"{issuer}ได้จัดทำรายงานผลการดำเนินงานรอบที่ {period.number} ({period_text(period)}) เรียบร้อยแล้ว "
            f"ผลการดำเนินงานผ่านเกณฑ์ {passed} ข้อ จาก {total} ข้อ รายละเอียดปรากฏตามแบบรายงานที่แนบมาพร้อมนี้",
            "จึงเรียนมาเพื่อโปรดทราบ",
        ],
        "signer_name": signer_name or DOTS,
        "signer_position": lao["chief_title"],
        "emblem_png": emblem_png,
        "emblem_height_cm": 1.5,
        "nobreak": [issuer, district, f"จังหวัด{lao['province_name']}", signer_name, f"ท้องถิ่น{district}"],
    }
    return with_digits(with_facts(context, issuer, submitted_on), lao["digit_style"])


def area_cover_memo_context(
    level: str,
    area_name: str,
    province_name: str,
    period,
    programme_year: int,
    compiled_on: _dt.date,
    compiler: dict | None,
    passing: int,
    selected: int,
) -> dict:
    """The internal memo (regulation form 2) that sends a district report to the province
    office (``level`` "district", ``area_name`` "อำเภอ…") or a province report to the DLA
    ("province"): dated the day it was compiled and signed by who compiled it."""
    compiler = compiler or {}
    province = f"จังหวัด{province_name}"
    when = f"รอบที่ {period.number} ({period_text(period)})"
    if level == "district":
        issuer, to, asked_by = f"ท้องถิ่น{area_name} {province}", f"เรียน ท้องถิ่น{province}", province
        unit = area_name
    else:
        issuer, to, asked_by = (
            f"สำนักงานส่งเสริมการปกครองท้องถิ่น{province}",
            "เรียน อธิบดีกรมส่งเสริมการปกครองท้องถิ่น",
            "กรมส่งเสริมการปกครองท้องถิ่น",
        )
        unit = province
    subject = f"รายงานผลการดำเนินงานการนำแผนชุมชนสู่การพัฒนาท้องถิ่น ระดับ{'อำเภอ' if level == 'district' else 'จังหวัด'} {when}"
    result = (
        f"อปท.ต้นแบบ ผ่านเกณฑ์ครบ {criteria.COUNT} ข้อ จำนวน {passing} แห่ง จาก {selected} แห่ง"
        if selected
        else "ยังไม่มี อปท.ต้นแบบ ในพื้นที่"
    )
    context = {
        "kind": f"{level}-cover-memo",
        "heading": "บันทึกข้อความ",
        "fields": [
            {"label": "ส่วนราชการ", "value": issuer, "label2": "", "value2": ""},
            {"label": "ที่", "value": "", "label2": "วันที่", "value2": date_text(compiled_on)},
            {"label": "เรื่อง", "value": subject, "label2": "", "value2": ""},
        ],
        "to": to,
        "paragraphs": [
            f"ตามที่{asked_by}ให้รายงานผลการดำเนินงานการนำแผนชุมชนสู่การพัฒนาท้องถิ่นขององค์กรปกครองส่วนท้องถิ่นต้นแบบ "
            f"ประจำปี พ.ศ. {programme_year} ทุก ๒ เดือน นั้น",
            f"{unit}ได้รวบรวมผลการดำเนินงาน{when} เรียบร้อยแล้ว {result} "
            "พร้อมปัญหาอุปสรรคและข้อเสนอแนะ รายละเอียดปรากฏตามรายงานที่แนบมาพร้อมนี้",
            "จึงเรียนมาเพื่อโปรดทราบ",
        ],
        "signer_name": compiler.get("name") or DOTS,
        "signer_position": compiler.get("position") or DOTS,
        "emblem_png": None,
        "emblem_height_cm": 1.5,
        "nobreak": [area_name, province, compiler.get("name"), "ข้อเสนอแนะ", "ปัญหาอุปสรรค"],
    }
    return with_digits(with_facts(context, issuer, compiled_on), "thai")


# District and province summaries --------------------------------------------------------


def one_line(text: str | None) -> str:
    return " ".join((text or "").split())


def criteria_span(last: int) -> str:
    """Criteria 1 to ``last`` as a label: "ข้อ 1", "ข้อ 1–2" (a range only when it is one)."""
    return "ข้อ 1" if last == 1 else f"ข้อ 1–{last}"


def summary_context(
    kind: str,
    title: str,
    result: dict,
    rows: list[dict],
    digit_style: str = "thai",
    *,
    as_of: _dt.date | None = None,
    compiler: dict | None = None,
) -> dict:
    """A roll-up as a document: one row per model LAO (district) or per district
    (province), each criterion marked, the report status, and the KPI at the foot; dated
    (``as_of``: the day its figures were read) and signed by who compiled it
    (``compiler``: name and position, a dotted line for each when not known)."""
    mark = {True: "/", False: "-"}
    # a row without figures (a period gone by with no report) leaves its criteria blank
    lines = [
        {
            "name": r["name"],
            "place": r["place"],
            "marks": [mark[m] for m in r["criteria"]] if r["criteria"] is not None else [""] * criteria.COUNT,
            "report": r["report"],
        }
        for r in rows
    ]
    selected, passing = result["selected"], result["passing"]
    if selected:
        kpi = (
            f"อปท.ต้นแบบ ผ่านเกณฑ์ครบ {criteria.COUNT} ข้อ จำนวน {passing} แห่ง จาก {selected} แห่ง "
            f"คิดเป็นร้อยละ {result['kpi_percent']}"
        )
        funnel = "ผ่านเกณฑ์สะสม " + " ".join(
            f"{criteria_span(i + 1)} จำนวน {n} แห่ง" for i, n in enumerate(result["funnel"])
        )
    else:  # no percentage of nothing
        kpi = "ยังไม่มี อปท.ต้นแบบ ในพื้นที่นี้"
        funnel = ""
    sources = result["sources"]
    late = (
        f"รายงานส่งช้าหรือเลยกำหนดส่ง จำนวน {result['late']} แห่ง "
        f"ผลตามรายงานที่ส่ง {sources['reported']} แห่ง ผลตามข้อมูลปัจจุบัน {sources['live']} แห่ง "
        f"ไม่ได้รายงาน {sources['missing']} แห่ง"
        if selected
        else ""
    )
    compiler = compiler or {}
    context = {
        "kind": kind,
        "heading": f"แบบสรุปผลการดำเนินงานการนำแผนชุมชนสู่การพัฒนาท้องถิ่น {title}",
        "subheading": f"ปีดำเนินการ พ.ศ. {result['programme_year']} รอบที่ {result['period']} "
        f"({result.get('period_text') or result['period_label']})",
        "as_of_text": f"ข้อมูล ณ วันที่ {date_text(as_of)}" if as_of else "",
        "columns": {
            "name": "องค์กรปกครองส่วนท้องถิ่นต้นแบบ",
            "place": "อำเภอ",
            "criteria": [c.short_th for c in criteria.CRITERIA],
            "report": "การรายงาน",
        },
        "rows": lines,
        "totals": {"label": f"รวม {result['selected']} แห่ง", "criteria": [str(n) for n in result["criteria_met"]]},
        "kpi": kpi,
        "funnel": funnel,
        "late": late,
        # what each LAO wrote in the version it sent (guideline §8.3(5): problems, obstacles
        # and suggestions travel up the chain), one paragraph each, lines joined
        "notes_heading": "ปัญหาอุปสรรคและข้อเสนอแนะตามรายงานของ อปท.ต้นแบบ",
        "notes": [
            f"{r['name']} (รายงานฉบับที่ {r['version']}) ปัญหาอุปสรรค {one_line(r.get('problems')) or '-'}"
            f" ข้อเสนอแนะ {one_line(r.get('suggestions')) or '-'}"
            for r in rows
            if r.get("version") and (r.get("problems") or r.get("suggestions"))
        ],
        "signed": "ลงชื่อ ........................ ผู้สรุปข้อมูล",
        "compiler_name": compiler.get("name") or DOTS,
        "compiler_position": compiler.get("position") or DOTS,
        "nobreak": [compiler.get("name"), *title.split(), *(r["name"] for r in rows), *(r["place"] for r in rows)],
    }
    return with_digits(with_facts(context, title), digit_style)


def paragraphs(text: str) -> list[str]:
    """A text's non-empty lines, one paragraph each ("-" when there are none)."""
    return [line.strip() for line in (text or "").splitlines() if line.strip()] or ["-"]


def district_report_context(
    title: str,
    result: dict,
    rows: list[dict],
    comments: str,
    recommendations: str,
    *,
    compiled_on: _dt.date,
    compiler: dict | None = None,
) -> dict:
    """The district office's report of a period to the province (guideline §4.2(5),
    §7.1): its model LAOs as they reported (``rows`` as for ``summary_context``; an LAO
    that sent nothing shows "ไม่ได้รายงาน"), their problems and suggestions, and the
    district's own comments and recommendations, signed by who compiled it."""
    sections = [
        {"title": "ความเห็นของอำเภอ", "paragraphs": paragraphs(comments)},
        {"title": "ข้อเสนอแนะของอำเภอ", "paragraphs": paragraphs(recommendations)},
    ]
    return area_report_context(
        "district-report", "ระดับอำเภอ", title, result, rows, sections, compiled_on=compiled_on, compiler=compiler
    )


def province_report_context(
    title: str,
    result: dict,
    rows: list[dict],
    districts: list[dict],
    visits: list[dict],
    comments: str,
    recommendations: str,
    *,
    compiled_on: _dt.date,
    compiler: dict | None = None,
) -> dict:
    """The province office's report of a period to the DLA (guideline §4.2(5), §7.1,
    §7.2): the model LAOs as the district reports it acknowledged say (``rows``; an LAO
    of a district whose report is not acknowledged has no figures and says why), each
    district report's state and its comments and recommendations (``districts``: name,
    state text, comments, recommendations), the monitoring visits of the period
    (``visits``: one line each), and the province's own comments and recommendations."""
    sections = [
        {"title": "สถานะรายงานระดับอำเภอ", "paragraphs": [f"{d['name']} {d['state']}" for d in districts] or ["-"]},
    ]
    for d in districts:
        if d.get("comments") is not None:
            sections.append(
                {
                    "title": f"ความเห็นและข้อเสนอแนะของ{d['name']}",
                    "paragraphs": [
                        f"ความเห็น {one_line(d['comments']) or '-'}",
                        f"ข้อเสนอแนะ {one_line(d['recommendations']) or '-'}",
                    ],
                }
            )
    sections += [
        {"title": "การติดตามและตรวจเยี่ยม อปท.ต้นแบบ", "paragraphs": visits or ["ไม่มีการตรวจเยี่ยมในรอบนี้"]},
        {"title": "ความเห็นของจังหวัด", "paragraphs": paragraphs(comments)},
        {"title": "ข้อเสนอแนะของจังหวัด", "paragraphs": paragraphs(recommendations)},
    ]
    report = area_report_context(
        "province-report", "ระดับจังหวัด", title, result, rows, sections, compiled_on=compiled_on, compiler=compiler
    )
    if result["selected"]:  # figures come from acknowledged district reports, not from the LAOs directly
        sources = result["sources"]
        report["late"] = with_digits(
            f"ผลตามรายงานระดับอำเภอที่รับรองแล้ว {sources['reported']} แห่ง "
            f"ยังไม่มีผลตามรายงานระดับอำเภอที่รับรองแล้ว {result['selected'] - sources['reported']} แห่ง "
            f"รายงานของ อปท.ต้นแบบ ส่งช้าหรือเลยกำหนดส่ง จำนวน {result['late']} แห่ง",
            report["digit_style"],
        )
    return report


def area_report_context(
    kind: str,
    level_th: str,
    title: str,
    result: dict,
    rows: list[dict],
    sections: list[dict],
    *,
    compiled_on: _dt.date,
    compiler: dict | None = None,
) -> dict:
    """A district or province report: the roll-up of ``rows`` as ``summary_context``
    writes it, then ``sections`` (title and paragraphs), signed by who compiled it."""
    context = summary_context(kind, title, result, rows, as_of=compiled_on, compiler=compiler)
    report = {
        **context,
        "heading": f"รายงานผลการดำเนินงานการนำแผนชุมชนสู่การพัฒนาท้องถิ่น {level_th} {title}",
        "as_of_text": f"จัดทำเมื่อวันที่ {date_text(compiled_on)}",
        "sections": sections,
        "signed": "ลงชื่อ ........................ ผู้รายงาน",
    }
    return with_digits(report, context["digit_style"])


# Certificate (guideline §10) --------------------------------------------------------------


def certificate_context(
    lao: dict, programme, issuer: str, signer_name: str, signer_position: str, issued_on: _dt.date
) -> dict:
    """เกียรติบัตร for a model LAO that met every criterion (guideline §10)."""
    context = {
        "kind": "certificate",
        "issuer": issuer,
        "heading": "เกียรติบัตร",
        "intro": "ให้ไว้เพื่อแสดงว่า",
        "name": lao_full_name(lao["kind"], lao["name"]),
        "place": f"{lao['district_label']} จังหวัด{lao['province_name']}",
        "citation": (
            f"เป็นองค์กรปกครองส่วนท้องถิ่นต้นแบบที่ส่งเสริมสนับสนุนการนำแผนชุมชนสู่การพัฒนาท้องถิ่น "
            f"ผ่านเกณฑ์ครบทั้ง {criteria.COUNT} ข้อ ประจำปี พ.ศ. {programme.year_be}"
        ),
        "wish": "ขอให้มีความสุข ความเจริญ และพัฒนาท้องถิ่นร่วมกับชุมชนสืบไป",
        "date_text": f"ให้ไว้ ณ วันที่ {thai.date_long(issued_on, 'arabic', with_be=True)}",
        "signer_name": signer_name or DOTS,
        "signer_position": signer_position or DOTS,
        "nobreak": [lao["district_label"], f"จังหวัด{lao['province_name']}", signer_name],
    }
    return with_digits(with_facts(context, issuer, issued_on), lao["digit_style"])


# National summary -------------------------------------------------------------------------

# how many of a theme's texts and LAO names the national summary quotes (counts are of all)
THEME_QUOTES = 10
THEME_NAMES = 40
QUOTE_CHARS = 300


def _cap(names: list[str], most: int, unit: str = "แห่ง") -> str:
    """Names as a Thai list, the first ``most`` of them and how many more."""
    if len(names) <= most:
        return thai_list(names)
    return " ".join(names[:most]) + f" และอีก {len(names) - most} {unit}"


def _clip(text: str, most: int = QUOTE_CHARS) -> str:
    return text if len(text) <= most else text[:most].rstrip() + " …"


CHAIN_UNITS = {"district": ("ระดับอำเภอ", "อำเภอ"), "province": ("ระดับจังหวัด", "จังหวัด")}


def chain_sentences(levels: list[dict]) -> list[str]:
    """A sentence per level above the LAOs (``services.chain.status``): how many offices
    must send the period's report, sent it (and of those late), and have not sent it,
    past its due day or not yet."""
    lines = []
    for level in levels:
        title, unit = CHAIN_UNITS[level["level"]]
        if not level["expected"]:
            lines.append(f"{title} ไม่มี{unit}ที่ต้องส่งรายงานในรอบนี้")
            continue
        due = date_text(level["due"])
        sent = f"ส่งรายงานแล้ว {level['sent']} {unit}" + ("" if level["missing"] else f" ครบทุก{unit}")
        parts = [f"{title} ต้องส่งรายงาน {level['expected']} {unit}", sent]
        if level["sent"]:
            parts.append(f"ในจำนวนนี้ส่งช้ากว่ากำหนด {level['late']} {unit}")
        if not level["missing"]:
            parts.append(f"(กำหนดส่งวันที่ {due})")
        elif level["overdue"]:
            parts.append(f"ยังไม่ส่ง {level['missing']} {unit} ซึ่งเลยกำหนดส่งวันที่ {due} แล้ว")
        else:
            parts.append(f"ยังไม่ส่ง {level['missing']} {unit} ยังไม่ถึงกำหนดส่งวันที่ {due}")
        lines.append(" ".join(parts))
    return lines


def national_summary_context(
    result: dict,
    provinces: list[dict],
    raised: list,
    *,
    as_of: _dt.date,
    period_text_: str,
    upper_levels: list[str] | None = None,
    compiler: dict | None = None,
) -> dict:
    """The national summary (guideline §8.3(5)): the KPI of the country and of each
    province (``provinces``: roll-up totals by province, ``services.group_rollup``), the
    funnel, late and missing reports by level, and the problems and suggestions of the
    reports grouped by theme (``raised``: ``domain.themes.group``), each theme's texts
    quoted up to THEME_QUOTES (its counts are of all). ``upper_levels``: a sentence per
    level above the LAOs (district, province reports: ``chain_sentences``)."""
    count = criteria.COUNT
    selected, passing = result["selected"], result["passing"]
    reported = result["sources"]["reported"]

    def share(n: int) -> str:
        from decimal import ROUND_HALF_UP, Decimal

        if not selected:
            return "-"
        return str((Decimal(n * 100) / Decimal(selected)).quantize(Decimal("0.01"), rounding=ROUND_HALF_UP))

    def row(name: str, totals: dict) -> dict:
        return {
            "name": name,
            "selected": str(totals["selected"]),
            "criteria": [str(n) for n in totals["criteria_met"]],
            "passing": str(totals["passing"]),
            "kpi": totals["kpi_percent"] if totals["selected"] else "-",
            "reported": str(totals["sources"]["reported"]),
            "late": str(totals["late"]),
            "missing": str(totals["selected"] - totals["sources"]["reported"]),
        }

    steps = [("อปท.ต้นแบบที่ได้รับคัดเลือก", selected), ("ส่งรายงานรอบนี้", reported)]
    steps += [(f"ผ่านเกณฑ์{criteria_span(i + 1)}", n) for i, n in enumerate(result["funnel"][:-1])]
    steps.append((f"ผ่านเกณฑ์ครบทั้ง {count} ข้อ", result["funnel"][-1] if count else 0))
    if selected:
        kpi = (
            f"อปท.ต้นแบบทั่วประเทศ ผ่านเกณฑ์ครบ {count} ข้อ จำนวน {passing} แห่ง จาก {selected} แห่ง "
            f"คิดเป็นร้อยละ {result['kpi_percent']}"
        )
    else:
        kpi = "ยังไม่มี อปท.ต้นแบบ ในปีดำเนินการนี้"
    sources = result["sources"]
    basis = (
        f"ผลตามรายงานที่ส่ง {sources['reported']} แห่ง ผลตามข้อมูลปัจจุบัน {sources['live']} แห่ง "
        f"ไม่ได้รายงาน {sources['missing']} แห่ง"
    )
    levels = [
        f"ระดับ อปท. ส่งรายงานแล้ว {reported} แห่ง ยังไม่ส่ง {selected - reported} แห่ง ส่งช้าหรือเลยกำหนดส่ง {result['late']} แห่ง"
    ]
    levels += upper_levels or []
    themes = []
    for i, r in enumerate(raised, 1):
        laos = r.laos
        quotes = [
            f"{name} ({'ปัญหาอุปสรรค' if field == 'problems' else 'ข้อเสนอแนะ'}) {_clip(text)}"
            for name, field, text in r.quotes[:THEME_QUOTES]
        ]
        if len(r.quotes) > THEME_QUOTES:
            quotes.append(f"และอีก {len(r.quotes) - THEME_QUOTES} ข้อความ")
        themes.append(
            {
                "no": str(i),
                "title": r.theme.title_th,
                "problems": str(len(r.problems)),
                "suggestions": str(len(r.suggestions)),
                "laos": str(len(laos)),
                "heading": f"{i}. {r.theme.title_th} ({len(laos)} แห่ง)",
                "names": "อปท. ที่ระบุ " + _cap(laos, THEME_NAMES),
                "quotes": quotes,
            }
        )
    compiler = compiler or {}
    title = "ระดับประเทศ"
    context = {
        "kind": "national-summary",
        "heading": f"แบบสรุปผลการดำเนินงานการนำแผนชุมชนสู่การพัฒนาท้องถิ่น {title}",
        "subheading": f"ปีดำเนินการ พ.ศ. {result['programme_year']} รอบที่ {result['period']} ({period_text_})",
        "as_of_text": f"ข้อมูล ณ วันที่ {date_text(as_of)}",
        "kpi": kpi,
        "basis": basis if selected else "",
        "province_heading": "ผลการดำเนินงานรายจังหวัด",
        "columns": {
            "name": "จังหวัด",
            "selected": "อปท.ต้นแบบ",
            "criteria": [c.short_th for c in criteria.CRITERIA],
            "passing": f"ผ่านครบ {count} ข้อ",
            "kpi": "ร้อยละ",
            "reported": "ส่งรายงาน",
            "late": "ส่งช้า",
            "missing": "ยังไม่ส่ง",
        },
        "rows": [row(p["name"], p) for p in provinces],
        "total": row("รวมทั้งประเทศ", result),
        "funnel_heading": "ลำดับขั้นของ อปท.ต้นแบบ",
        "funnel_columns": {"step": "ขั้น", "count": "จำนวน (แห่ง)", "share": "ร้อยละของที่ได้รับคัดเลือก"},
        "funnel": [{"step": s, "count": str(n), "share": share(n)} for s, n in steps],
        "levels_heading": "การส่งรายงานตามลำดับชั้น",
        "levels": levels,
        "themes_heading": "ปัญหาอุปสรรคและข้อเสนอแนะตามรายงานของ อปท.ต้นแบบ จำแนกตามประเด็น",
        "themes_note": (
            "จัดประเด็นตามคำสำคัญที่ปรากฏในข้อความ ข้อความหนึ่งอาจอยู่ได้หลายประเด็น "
            f"ยกข้อความมาไม่เกิน {THEME_QUOTES} ข้อความต่อประเด็น จำนวนนับจากทุกรายงาน"
        )
        if themes
        else "ไม่มี อปท.ต้นแบบ ระบุปัญหาอุปสรรคหรือข้อเสนอแนะในรายงานที่ส่งของรอบนี้",
        "theme_columns": {
            "title": "ประเด็น",
            "problems": "ปัญหาอุปสรรค (แห่ง)",
            "suggestions": "ข้อเสนอแนะ (แห่ง)",
            "laos": "อปท. ที่ระบุ (แห่ง)",
        },
        "themes": themes,
        "signed": "ลงชื่อ ........................ ผู้สรุปข้อมูล",
        "compiler_name": compiler.get("name") or DOTS,
        "compiler_position": compiler.get("position") or DOTS,
        "nobreak": [compiler.get("name"), *(p["name"] for p in provinces)],
    }
    return with_digits(with_facts(context, "กรมส่งเสริมการปกครองท้องถิ่น", as_of), "thai")


def meeting_minutes_context(lao: dict, meeting: dict) -> dict:
    """Minutes of a working-group meeting (guideline §4.1(4)) in regulation form 11, laid
    out as a forum's minutes (the ``minutes`` templates): who came, the agenda with what
    was said and resolved, and the chair the first meeting chose."""
    held_on = _date(meeting["held_on"])
    by_kind = {k: [a for a in meeting["attendees"] if a["kind"] == k] for k in ("present", "absent", "participant")}
    full_name = lao_full_name(lao["kind"], lao["name"])
    facts = [
        f"จำนวนผู้มาประชุม {len(by_kind['present'])} คน ผู้ไม่มาประชุม {len(by_kind['absent'])} คน"
        f" ผู้เข้าร่วมประชุม {len(by_kind['participant'])} คน"
    ]
    if meeting["chair_name"]:
        chosen = " ".join(p for p in (meeting["chair_name"], meeting["chair_position"]) if p)
        facts.append(f"ที่ประชุมเลือก{chosen} เป็นประธานคณะทำงานระดับท้องถิ่น")
    agenda = [
        {
            "label": f"ระเบียบวาระที่ {i}",
            "title": item["title"],
            "paragraphs": [p.strip() for p in item["discussion"].splitlines() if p.strip()],
            "resolution": item["resolution"] or "-",
        }
        for i, item in enumerate(meeting["agenda"], 1)
    ]
    context = {
        "kind": "meeting-minutes",
        # the LAO's name on the line of the number: a heading of both would break inside the name
        "heading": "รายงานการประชุมคณะทำงานระดับท้องถิ่น",
        "meeting_text": f"{full_name} ครั้งที่ {meeting['meeting_no']}/{meeting['meeting_year_be']}",
        "when_text": f"เมื่อวันที่ {thai.date_long(held_on, 'arabic', with_be=True)}",
        "place_text": f"ณ {meeting['place']}",
        "present": _people(by_kind["present"], "substitute_for", "มาประชุมแทน "),
        "absent": _people(by_kind["absent"], "absence_reason", ""),
        "participants": _people(by_kind["participant"], "", ""),
        "start_text": f"เริ่มประชุมเวลา {_clock(meeting['start_time'])}",
        "agenda": agenda,
        "facts_heading": "ข้อมูลการประชุม",
        "facts": facts,
        "projects_heading": "",
        "project_columns": {"rank": "", "name": "", "dimension": "", "village": ""},
        "projects": [],
        "end_text": f"เลิกประชุมเวลา {_clock(meeting['end_time'])}",
        "recorder_name": meeting["recorder_name"] or DOTS,
        "recorder_position": meeting["recorder_position"] or DOTS,
        "recorder_label": "ผู้จดรายงานการประชุม",
        "checker_name": meeting["checker_name"],
        "checker_position": meeting["checker_position"] or DOTS,
        "checker_label": "ผู้ตรวจรายงานการประชุม" if meeting["checker_name"] else "",
        "empty_mark": "-",
        "nobreak": [
            meeting["place"],
            meeting["recorder_name"],
            meeting["checker_name"],
            meeting["chair_name"],
            *(a["name"] for a in meeting["attendees"]),
            *(a.get("absence_reason") for a in meeting["attendees"]),
        ],
        "labels": {
            "present": "ผู้มาประชุม",
            "absent": "ผู้ไม่มาประชุม",
            "participants": "ผู้เข้าร่วมประชุม",
            "resolution": "มติที่ประชุม",
            "signed": "ลงชื่อ",
        },
    }
    return with_digits(with_facts(context, full_name, held_on), lao["digit_style"])
