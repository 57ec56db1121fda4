"""Entities of the programme as plain dataclasses, and the names derived from them."""

from __future__ import annotations

from dataclasses import dataclass

from formsvc.domain.messages import Msg, msg

LAO_KINDS = ("tambon_municipality", "tao")
LAO_KIND_PREFIX = {"tambon_municipality": "เทศบาลตำบล", "tao": "องค์การบริหารส่วนตำบล"}
LAO_KIND_SHORT = {"tambon_municipality": "ทต.", "tao": "อบต."}
CHIEF_TITLE_PREFIX = {"tambon_municipality": "นายกเทศมนตรีตำบล", "tao": "นายกองค์การบริหารส่วนตำบล"}
# the kind a new row of an LAO's villages/communities is when nothing says otherwise, and
# the kinds it may have: a tambon municipality has หมู่บ้าน (หมู่ที่ n) and ชุมชน, an อบต.
# หมู่บ้าน only (docs/domain.md, "Villages and communities")
VILLAGE_KIND_FOR_LAO = {"tambon_municipality": "community", "tao": "village"}
VILLAGE_KINDS_FOR_LAO = {"tambon_municipality": ("village", "community"), "tao": ("village",)}
VILLAGE_KINDS = ("village", "community")
# the budget ordinance is a ข้อบัญญัติ in a อบต. and a เทศบัญญัติ in a municipality
ORDINANCE = {"tambon_municipality": "เทศบัญญัติ", "tao": "ข้อบัญญัติ"}

# the UI's names (English ids; the Thai catalog gives the Thai above, documents use the
# Thai tables as they are)
LAO_KIND_LABELS = {"tambon_municipality": msg("Tambon municipality"), "tao": msg("Tambon Administrative Organisation")}
LAO_KIND_SHORT_LABELS = {"tambon_municipality": msg("TM"), "tao": msg("TAO")}

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
# the default dimensions' names in the UI (a programme's dimensions are stored text: a
# custom one shows as stored)
DIMENSION_LABELS = dict(
    zip(
        DEFAULT_DIMENSIONS,
        (
            msg("Economy"),
            msg("Society and quality of life"),
            msg("Health"),
            msg("Education, religion and culture"),
            msg("Natural resources and environment"),
            msg("Infrastructure"),
            msg("Safety of life and property"),
            msg("Politics, administration and participation"),
        ),
        strict=True,
    )
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


def village_message(kind: str, number: int | None, name: str) -> str | Msg:
    """The same as a message, in the reader's language: 'Village No. 3 บ้านหนองบัว' or
    'ตลาดเก่า community' in English (a name stored with its 'ชุมชน' as it is)."""
    if kind == "village":
        return msg("Village No. %(number)s %(name)s", number=number, name=name)
    return name if name.startswith("ชุมชน") else msg("%(name)s community", name=name)


# The local development plan (แผนพัฒนาท้องถิ่น) runs five fiscal years; since the
# Ministry's regulation on LAO development plans as amended in 2561 the periods are
# 2561-2565, 2566-2570, 2571-2575, ... A project's plan budget (แบบ ผ.02) is given per
# year of the period that holds the year after its programme year ("next year's plan").
PLAN_YEARS = 5
PLAN_FIRST_YEAR = 2561


def plan_years(year_be: int) -> tuple[int, ...]:
    """The BE years of the plan period holding ``year_be``: plan_years(2570) = 2566..2570."""
    first = year_be - (year_be - PLAN_FIRST_YEAR) % PLAN_YEARS
    return tuple(range(first, first + PLAN_YEARS))


@dataclass(frozen=True)
class Programme:
    year_be: int
    start_month: int
    end_month: int
    late_days: int = 15  # days after a period's end before its report is late (domain.reports)
    district_due_days: int = 7  # then days more before a district report is late
    province_due_days: int = 7  # then days more before a province report is late

    @property
    def next_year_be(self) -> int:
        """'Next year' for the development plan and the budget ordinance."""
        return self.year_be + 1

    @property
    def plan_years(self) -> tuple[int, ...]:
        """The five years of the development plan that holds next year (``plan_years``)."""
        return plan_years(self.next_year_be)
