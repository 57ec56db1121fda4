"""Entities of the programme as plain dataclasses, and the names derived from them."""

from __future__ import annotations

from dataclasses import dataclass

LAO_KINDS = ("tambon_municipality", "tao")
LAO_KIND_PREFIX = {"tambon_municipality": "เทศบาลตำบล", "tao": "องค์การบริหารส่วนตำบล"}
LAO_KIND_SHORT = {"tambon_municipality": "ทต.", "tao": "อบต."}
CHIEF_TITLE_PREFIX = {"tambon_municipality": "นายกเทศมนตรีตำบล", "tao": "นายกองค์การบริหารส่วนตำบล"}
VILLAGE_KIND_FOR_LAO = {"tambon_municipality": "community", "tao": "village"}
# the budget ordinance is a ข้อบัญญัติ in a อบต. and a เทศบัญญัติ in a municipality
ORDINANCE = {"tambon_municipality": "เทศบัญญัติ", "tao": "ข้อบัญญัติ"}

DEFAULT_DIMENSIONS = (
    "เศรษฐกิจ",
    "สังคมและคุณภาพชีวิต",
    "สุขภาพ",
    "การศึกษา ศาสนาและวัฒนธรรม",
    "ทรัพยากรธรรมชาติและสิ่งแวดล้อม",
    "โครงสร้างพื้นฐาน",
    "ความปลอดภัยในชีวิตและทรัพย์สิน",
    "การเมือง การบริหารและการมีส่วนร่วม",
)


def lao_full_name(kind: str, name: str) -> str:
    """'องค์การบริหารส่วนตำบลบางนาค' from kind 'tao' and name 'บางนาค'."""
    return LAO_KIND_PREFIX[kind] + name


def default_chief_title(kind: str, name: str) -> str:
    return CHIEF_TITLE_PREFIX[kind] + name


def district_display_name(kind: str, name_th: str) -> str:
    """'อำเภอเมืองอำนาจเจริญ'; Bangkok's names already carry 'เขต'."""
    if kind == "khet" or name_th.startswith("เขต"):
        return name_th
    return "อำเภอ" + name_th


def village_label(kind: str, number: int | None, name: str) -> str:
    """'หมู่ที่ 3 บ้านหนองบัว' or 'ชุมชนตลาดเก่า'."""
    if kind == "village":
        return f"หมู่ที่ {number} {name}"
    return name if name.startswith("ชุมชน") else f"ชุมชน{name}"


@dataclass(frozen=True)
class Programme:
    year_be: int
    start_month: int
    end_month: int
    late_days: int = 15  # days after a period's end before its report is late (domain.reports)

    @property
    def next_year_be(self) -> int:
        """'Next year' for the development plan and the budget ordinance."""
        return self.year_be + 1
