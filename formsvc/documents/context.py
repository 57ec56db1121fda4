"""Context builders: one per document kind, feeding both its DOCX and its PDF template.

Builders take plain data (dicts from the store, dates) and return plain strings already
in final form: BE dates with full month names, digits in the LAO's style. Templates
only place them, so the two formats cannot say different things.
"""
from __future__ import annotations

import datetime as _dt

from formsvc.documents.engine import Kind, register
from formsvc.domain import thai
from formsvc.domain.model import lao_full_name
from formsvc.domain.working_group import GROUP_ROLES, ORDER_SUBJECT, in_order

ORDER = register(Kind("order", "คำสั่งแต่งตั้งคณะทำงานระดับท้องถิ่น"))
OPERATION_PLAN = register(Kind("operation-plan", "แผนการดำเนินงานร่วมกัน", landscape=True))

STATUS_LABELS = {"planned": "ยังไม่เริ่ม", "in_progress": "กำลังดำเนินการ", "done": "เสร็จแล้ว",
                 "cancelled": "ยกเลิก"}


def with_digits(value, style: str):
    """Every string in a context, digits in the LAO's style (bytes left alone)."""
    if isinstance(value, str):
        return thai.digits(value, style)
    if isinstance(value, dict):
        return {k: (v if k == "emblem_png" else with_digits(v, style)) for k, v in value.items()}
    if isinstance(value, (list, tuple)):
        return [with_digits(v, style) for v in value]
    return value


def _date(iso: str | _dt.date) -> _dt.date:
    return iso if isinstance(iso, _dt.date) else _dt.date.fromisoformat(iso)


def order_context(lao: dict, facts: dict, emblem_png: bytes | None, *, draft: bool = False) -> dict:
    """The appointment order (regulation form 4) from the facts it is (or would be) issued with.

    ``facts`` is what ``store.working_group.issue_order`` freezes: number, year, dates,
    the group's wording and members. A draft has no number yet.
    """
    issuer = lao_full_name(lao["kind"], lao["name"])
    order_date = _date(facts["order_date"])
    group = facts["group"]
    number_text = (f"{facts['number']}/{facts['year_be']}" if facts.get("number") and not draft
                   else f"......../{thai.be_year(order_date)}")
    members = [{"no": str(i), "name": m["name"], "position": m["position"],
                "role_label": GROUP_ROLES[m["group_role"]]}
               for i, m in enumerate(in_order(facts["members"]), 1)]
    duties = [{"label": f"({i})", "text": text} for i, text in enumerate(group["duties"], 1)]
    replaces = facts.get("replaces")
    replaces_text = ""
    if replaces:
        replaces_text = (f"ให้ยกเลิกคำสั่ง{issuer} ที่ {replaces['number']}/{replaces['year_be']} "
                         f"ลงวันที่ {thai.date_long(_date(replaces['order_date']), 'arabic', with_be=True)} "
                         f"และให้ใช้คำสั่งนี้แทน")
    context = {
        "kind": ORDER.name,
        "heading": f"คำสั่ง{issuer}",
        "number_text": number_text,
        "subject": ORDER_SUBJECT,
        "reason_paragraphs": [p.strip() for p in group["reason"].splitlines() if p.strip()],
        "members": members,
        "duties_intro": "โดยให้คณะทำงานระดับท้องถิ่นมีอำนาจหน้าที่ ดังนี้",
        "duties": duties,
        "replaces_text": replaces_text,
        "effective_text": f"ทั้งนี้ ตั้งแต่วันที่ {thai.date_long(_date(facts['effective_date']), 'arabic', with_be=True)} เป็นต้นไป",
        "signed_text": f"สั่ง ณ วันที่ {thai.date_long(order_date, 'arabic', with_be=True)}",
        "signer_name": group["signer_name"] or " " * 20,
        "signer_position": group["signer_position"],
        "emblem_png": emblem_png,
    }
    return with_digits(context, lao["digit_style"])


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
        activities.append({
            "no": str(i), "activity": a["activity"], "responsible": a["responsible"],
            "status_label": STATUS_LABELS[a["status"]], "cells": cells,
        })
    context = {
        "kind": OPERATION_PLAN.name,
        "heading": "แผนการดำเนินงานร่วมกันของคณะทำงานระดับท้องถิ่น",
        "subheading": f"{issuer} {lao['district_label']} จังหวัด{lao['province_name']} "
                      f"ปีดำเนินการ พ.ศ. {programme.year_be}",
        "columns": {"no": "ลำดับ", "activity": "กิจกรรม", "responsible": "ผู้รับผิดชอบ", "status": "สถานะ"},
        "month_labels": [thai.month_name(int(m[5:]), short=True) for m in months],
        "month_caption": f"ระยะเวลาดำเนินการ (พ.ศ. {programme.year_be})",
        "activities": activities,
        "footnote": "ช่องที่แรเงา คือ เดือนที่ดำเนินกิจกรรม" if activities else "ยังไม่มีกิจกรรมในแผน",
    }
    return with_digits(context, lao["digit_style"])
