"""The local working group (คณะทำงานระดับท้องถิ่น), guideline §4.1(4).

Roles in the group, member categories (who a member is, which criterion 1 counts),
the rows "start from the guideline" pre-fills, and the programme's standard wording
for the order's reason and duties.
"""

from __future__ import annotations

from dataclasses import dataclass

from formsvc.domain.messages import msg
from formsvc.domain.model import LAO_KIND_PREFIX, district_display_name, village_label

GROUP_ROLES = {
    "chair": "ประธานคณะทำงาน",
    "adviser": "ที่ปรึกษา",
    "member": "คณะทำงาน",
    "secretary": "คณะทำงานและเลขานุการ",
    "assistant_secretary": "คณะทำงานและผู้ช่วยเลขานุการ",
}
GROUP_ROLE_ORDER = tuple(GROUP_ROLES)
# the UI's names (English ids; Thai from the catalog); orders and plans print the Thai
GROUP_ROLE_LABELS = {
    "chair": msg("Chair of the working group"),
    "adviser": msg("Adviser"),
    "member": msg("Member"),
    "secretary": msg("Member and secretary"),
    "assistant_secretary": msg("Member and assistant secretary"),
}

ACTIVITY_STATUSES = {"planned": "ยังไม่เริ่ม", "in_progress": "กำลังดำเนินการ", "done": "เสร็จแล้ว", "cancelled": "ยกเลิก"}
ACTIVITY_STATUS_LABELS = {
    "planned": msg("Not started"),
    "in_progress": msg("In progress"),
    "done": msg("Done"),
    "cancelled": msg("Cancelled"),
}
CATEGORY_LABELS = {
    "lao_chief": msg("LAO executive (the chief, or a deputy chief so assigned)"),
    "kamnan": msg("Kamnan"),
    "district_cdd": msg("District community development officer or representative"),
    "district_local": msg("District local administration officer or representative"),
    "ctc_chair": msg("Chair of the tambon community organisations coordination centre"),
    "coc_chair": msg("Chair of the tambon community organisation council"),
    "village_head": msg("Village headman / community chair"),
    "civil_society": msg("Civil society leader"),
    "partner": msg("Development partner concerned"),
    "lao_official": msg("LAO permanent secretary or official"),
    "other": msg("Other"),
}
CATEGORIES = {
    "lao_chief": "ผู้บริหารท้องถิ่น (นายกหรือรองนายกที่ได้รับมอบหมาย)",
    "kamnan": "กำนัน",
    "district_cdd": "พัฒนาการอำเภอหรือผู้แทน",
    "district_local": "ท้องถิ่นอำเภอหรือผู้แทน",
    "ctc_chair": "ประธานศูนย์ประสานงานองค์กรชุมชนระดับตำบล (ศอช.ต.)",
    "coc_chair": "ประธานสภาองค์กรชุมชนตำบล (สอช.)",
    "village_head": "ผู้ใหญ่บ้าน/ประธานชุมชน",
    "civil_society": "ผู้นำภาคประชาชน",
    "partner": "ภาคีการพัฒนาที่เกี่ยวข้อง",
    "lao_official": "ปลัดหรือเจ้าหน้าที่ อปท.",
    "other": "อื่น ๆ",
}

ORDER_SUBJECT = "แต่งตั้งคณะทำงานระดับท้องถิ่นตามโครงการส่งเสริมสนับสนุนการนำแผนชุมชนสู่การพัฒนาท้องถิ่น"

STANDARD_DUTIES = (
    "กำหนดรูปแบบ วิธีการดำเนินงาน บทบาทหน้าที่ของหน่วยงาน องค์กร ผู้เกี่ยวข้อง และกำหนด"
    "แผนการดำเนินงานในการส่งเสริม สนับสนุนให้เป็นไปตามหลักเกณฑ์ที่กำหนด",
    "ส่งเสริม สนับสนุน และประสานการดำเนินงานกับทุกภาคส่วนที่เกี่ยวข้องเพื่อให้เกิดกระบวนการดำเนินงานในระดับพื้นที่",
    "ติดตามผลการดำเนินงาน",
    "ดำเนินการอื่น ๆ ที่เกี่ยวข้อง",
)

LEGAL_AUTHORITY = {
    "tao": "มาตรา ๕๙ แห่งพระราชบัญญัติสภาตำบลและองค์การบริหารส่วนตำบล พ.ศ. ๒๕๓๗ และที่แก้ไขเพิ่มเติม",
    "tambon_municipality": "มาตรา ๔๘ เตรส แห่งพระราชบัญญัติเทศบาล พ.ศ. ๒๔๙๖ และที่แก้ไขเพิ่มเติม",
}


def standard_reason(kind: str, lao_name: str) -> str:
    """The order's reason and authority, the programme's standard wording (editable)."""
    lao = LAO_KIND_PREFIX[kind] + lao_name
    return (
        f"ตามที่กระทรวงมหาดไทยได้กำหนดแนวทางการส่งเสริมสนับสนุนการนำแผนชุมชนสู่การพัฒนาท้องถิ่น "
        f"โดยให้เทศบาลตำบลและองค์การบริหารส่วนตำบลต้นแบบส่งเสริมสนับสนุนกระบวนการแผนชุมชน "
        f"และมีหน่วยงาน องค์กร ผู้นำภาคประชาชนที่เกี่ยวข้องร่วมเป็นคณะทำงานระดับท้องถิ่น"
        f"และมีแผนการดำเนินงานร่วมกัน นั้น\n"
        f"เพื่อให้การดำเนินงานของ{lao}เป็นไปด้วยความเรียบร้อยและบรรลุวัตถุประสงค์ "
        f"อาศัยอำนาจตาม{LEGAL_AUTHORITY[kind]} จึงแต่งตั้งคณะทำงานระดับท้องถิ่น ประกอบด้วย"
    )


@dataclass
class MemberRow:
    name: str
    position: str
    group_role: str
    category: str


def guideline_rows(lao: dict, villages: list[dict], tambon_names: list[str]) -> list[MemberRow]:
    """The rows the guideline asks for, names left to fill in (§4.1(4))."""
    tambon = tambon_names[0] if tambon_names else lao["name"]
    district = district_display_name(lao.get("district_kind", "amphoe"), lao["district_name"])
    rows = [MemberRow("", lao["chief_title"], "chair", "lao_chief")]
    if lao["has_kamnan"]:
        rows.append(MemberRow("", f"กำนันตำบล{tambon}", "adviser", "kamnan"))
    rows += [
        MemberRow("", f"พัฒนาการ{district}", "member", "district_cdd"),
        MemberRow("", f"ท้องถิ่น{district}", "member", "district_local"),
        MemberRow("", f"ประธานศูนย์ประสานงานองค์กรชุมชนตำบล{tambon}", "member", "ctc_chair"),
    ]
    if lao["has_coc"]:
        rows.append(MemberRow("", f"ประธานสภาองค์กรชุมชนตำบล{tambon}", "member", "coc_chair"))
    for v in villages:
        if v["kind"] == "village":
            rows.append(
                MemberRow("", f"ผู้ใหญ่บ้าน{village_label(v['kind'], v['number'], v['name'])}", "member", "village_head")
            )
        else:
            rows.append(
                MemberRow("", f"ประธาน{village_label(v['kind'], v['number'], v['name'])}", "member", "village_head")
            )
    rows.append(MemberRow("", "ผู้นำภาคประชาชน", "member", "civil_society"))
    rows.append(MemberRow("", f"ปลัด{LAO_KIND_PREFIX[lao['kind']]}{lao['name']}", "secretary", "lao_official"))
    return rows


def in_order(members: list[dict]) -> list[dict]:
    """Members as an order lists them: chair, advisers, members, secretary, assistant
    secretaries; the clerk's order kept within each role."""
    return sorted(members, key=lambda m: GROUP_ROLE_ORDER.index(m["group_role"]))
