"""Forums (เวทีประชาคม): organisers, the default agenda of regulation form 11, titles."""

from __future__ import annotations

from formsvc.domain.messages import msg
from formsvc.domain.model import LAO_KIND_PREFIX, village_label

ORGANISERS = {
    "village_committee": "คณะกรรมการหมู่บ้าน",
    "community_committee": "คณะกรรมการชุมชน",
    "ctc": "ศูนย์ประสานงานองค์กรชุมชนตำบล (ศอช.ต.)",
    "coc": "สภาองค์กรชุมชนตำบล (สอช.)",
    "plan_leaders": "แกนนำแผนชุมชน",
    "lao": "องค์กรปกครองส่วนท้องถิ่น",
}
# the UI's names (English ids; Thai from the catalog); minutes print the Thai above
ORGANISER_LABELS = {
    "village_committee": msg("Village committee"),
    "community_committee": msg("Community committee"),
    "ctc": msg("Tambon community organisations coordination centre"),
    "coc": msg("Tambon community organisation council"),
    "plan_leaders": msg("Community plan leaders"),
    "lao": msg("Local administrative organisation"),
}
ORGANISER_SHORT = {
    "village_committee": "กม.",
    "community_committee": "คณะกรรมการชุมชน",
    "ctc": "ศอช.ต.",
    "coc": "สอช.",
    "plan_leaders": "แกนนำแผนชุมชน",
    "lao": "อปท.",
}
ATTENDEE_KINDS = ("present", "absent", "participant")
ATTENDEE_KIND_LABELS = {
    "present": msg("Members present"),
    "absent": msg("Members absent"),
    "participant": msg("Others taking part"),
}

# regulation form 11's agenda (docs/domain.md, "Thai documents"; 3–5 are practice)
DEFAULT_AGENDA = (
    "เรื่องที่ประธานแจ้งให้ที่ประชุมทราบ",
    "รับรองรายงานการประชุมครั้งที่แล้ว",
    "เรื่องสืบเนื่อง",
    "เรื่องเพื่อพิจารณา",
    "เรื่องอื่น ๆ",
)


def default_title(level: str, lao_kind: str, lao_name: str, village: dict | None = None) -> str:
    """The meeting's name as the minutes head it."""
    if level == "village" and village is not None:
        return f"เวทีประชาคม{village_label(village['kind'], village['number'], village['name'])} ทบทวนแผนชุมชน"
    return f"เวทีประชาคมระดับ{LAO_KIND_PREFIX[lao_kind]}{lao_name} บูรณาการแผนชุมชน"


def default_organisers(level: str, village_kind: str | None) -> list[str]:
    if level == "village":
        return ["community_committee" if village_kind == "community" else "village_committee"]
    return ["ctc", "coc", "plan_leaders"]
