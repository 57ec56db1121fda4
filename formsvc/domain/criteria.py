"""The five criteria of guideline §3.2, exactly as docs/domain.md ("The five criteria") states them.

Plain data in, ``CriterionResult`` out; the reasons name what is missing, so a clerk
knows what to do next. Each reason is Thai text that keeps its message
(``messages.Said``): documents, the compliance JSON and the CLI read the Thai, the web
pages show it in the reader's language.

``CRITERIA`` (at the end) is the registry: each criterion's number, titles, how it is
decided and what it needs, in order. Everything that lists the criteria or counts them
(the checklist, the report form, roll-ups, summaries, the API, the cache, certificates)
iterates it, so a new criterion is declared there and nowhere else.
"""

from __future__ import annotations

import datetime as _dt
from collections.abc import Callable
from dataclasses import dataclass, field
from fractions import Fraction

from formsvc.domain import thai
from formsvc.domain.messages import Joined, Msg, Said, msg, said
from formsvc.domain.model import DIMENSION_LABELS, village_message


@dataclass
class CriterionResult:
    number: int
    met: bool
    reasons: list[Said] = field(default_factory=list)
    warnings: list[Said] = field(default_factory=list)
    numerator: int | None = None
    denominator: int | None = None
    threshold: Fraction | None = None

    def to_json(self) -> dict:
        data = {"number": self.number, "met": self.met, "reasons": list(self.reasons)}
        if self.warnings:
            data["warnings"] = list(self.warnings)
        if self.denominator is not None:
            data["numerator"] = self.numerator
            data["denominator"] = self.denominator
        if self.threshold is not None:
            data["percent"] = percent(self.numerator, self.denominator, self.met)
            data["threshold_percent"] = float(self.threshold * 100)
            data["shortfall"] = shortfall(self.numerator, self.denominator, self.threshold)
        return data


def percent(numerator: int, denominator: int, met: bool | None = None) -> float:
    """A percentage with two decimals for people to read. When a criterion is not met
    the value is rounded down, so 800 of 4,001 never reads as a passing 20.00."""
    if not denominator:
        return 0.0
    hundredths = Fraction(numerator * 10000, denominator)
    value = (hundredths.numerator // hundredths.denominator) if met is False else round(hundredths)
    return value / 100


def shortfall(numerator: int, denominator: int, threshold: Fraction) -> int:
    """The fewest further items needed to reach the threshold, exactly (no floats).

    With nothing to count yet (denominator 0), one item is the least that could meet it."""
    if denominator <= 0:
        return 1
    needed = -(-threshold.numerator * denominator // threshold.denominator)  # ceil
    return max(0, needed - numerator)


@dataclass(frozen=True)
class Member:
    name: str
    position: str
    group_role: str
    category: str


@dataclass(frozen=True)
class OrderFacts:
    number_text: str
    order_date: str


# category → the role the guideline requires, in reading order
REQUIRED_CATEGORIES = (
    ("district_cdd", msg("the district community development officer or a representative")),
    ("district_local", msg("the district local administration officer or a representative")),
    ("ctc_chair", msg("the chair of the tambon community organisations coordination centre")),
    ("village_head", msg("at least one village headman or community chair")),
    ("civil_society", msg("at least one civil society leader")),
)


def criterion_1(
    order: OrderFacts | None,
    members: list[Member],
    activities: int,
    *,
    has_kamnan: bool,
    has_coc: bool,
    programme_year: int,
) -> CriterionResult:
    """Working group with an issued order, the required members, and a joint plan."""
    reasons: list[Said] = []
    warnings: list[Said] = []
    if order is None:
        reasons.append(
            said(
                msg("No order appointing the local working group for %(year)s has been issued yet", year=programme_year)
            )
        )
    named = [m for m in members if m.name.strip()]
    roles = {m.group_role for m in named}
    categories = {m.category for m in named}
    missing: list[Msg] = []
    if "chair" not in roles:
        missing.append(msg("the chair of the working group"))
    for code, label in REQUIRED_CATEGORIES:
        if code not in categories:
            missing.append(label)
    if has_coc and "coc_chair" not in categories:
        missing.append(
            msg(
                "the chair of the tambon community organisation council (if there is no council in the area,"
                " record that in the LAO's details)"
            )
        )
    if has_kamnan and "kamnan" not in categories:
        missing.append(
            msg("the kamnan (as adviser) (if there is no kamnan in the area, record that in the LAO's details)")
        )
    if "secretary" not in roles:
        missing.append(msg("the secretary of the working group"))
    for label in missing:
        if order is not None:
            reasons.append(said(msg("The issued order does not include %(who)s yet", who=label)))
        else:
            reasons.append(said(msg("The list of the working group does not include %(who)s yet", who=label)))
    unnamed = [m for m in members if not m.name.strip()]
    if unnamed and order is None:
        reasons.append(said(msg("%(n)s rows of the working group have no name yet", n=len(unnamed))))
    chairs = [m for m in named if m.group_role == "chair"]
    if chairs and not any(m.category == "lao_chief" for m in chairs):
        warnings.append(
            said(
                msg(
                    "The chair of the working group is not the LAO's chief or an assigned deputy chief"
                    " (the guideline lets the first meeting choose the chair)"
                )
            )
        )
    if activities < 1:
        reasons.append(said(msg("The joint operating plan has no activity yet")))
    return CriterionResult(1, not reasons, reasons, warnings)


# Criteria 2 and 3 -------------------------------------------------------------------------


@dataclass(frozen=True)
class VillageFacts:
    id: int
    label: str
    kind: str  # 'village' or 'community'
    number: int | None = None
    name: str = ""  # with the number, names the village in the reader's language

    def message(self) -> str | Msg:
        """'หมู่ที่ 3 บ้านหนองบัว' (the label) as a message: 'Village No. 3 บ้านหนองบัว' in English."""
        return village_message(self.kind, self.number, self.name) if self.name else self.label


@dataclass(frozen=True)
class ForumFacts:
    id: int
    level: str
    village_id: int | None
    held_on: str
    organisers: frozenset
    reviews_community_plan: bool
    used_bmn: bool
    used_village_data: bool
    dimensions: frozenset
    projects: int = 0


def _missing_dimensions(covered, dimensions: list[str]) -> list[str]:
    return [d for d in dimensions if d not in covered]


def dimension_names(names: list[str]) -> Joined:
    """Dimensions by name, a default one in the reader's language, a custom one as stored."""
    return Joined([DIMENSION_LABELS.get(name, name) for name in names], ", ")


def village_forum_problems(forum: ForumFacts, village: VillageFacts, dimensions: list[str] | None = None) -> list[str]:
    """Why a village forum does not count for criterion 2 (empty when it does): its
    organiser, the community plan, จปฐ. (and กชช. ๒ค for villages) and, when
    ``dimensions`` is given, whether it alone covers them all."""
    problems: list[Msg] = []
    committee = "community_committee" if village.kind == "community" else "village_committee"
    if committee not in forum.organisers:
        problems.append(
            msg("not organised by the community committee")
            if village.kind == "community"
            else msg("not organised by the village committee")
        )
    if not forum.reviews_community_plan:
        problems.append(msg("the community plan was not reviewed"))
    missing = _missing_dimensions(forum.dimensions, dimensions or [])
    if missing:
        problems.append(msg("does not cover the dimensions %(dimensions)s", dimensions=dimension_names(missing)))
    if not forum.used_bmn:
        problems.append(msg("basic minimum needs (BMN) data was not used"))
    if village.kind == "village" and not forum.used_village_data:
        problems.append(msg("village data (NRD 2C) was not used"))
    return problems


SHORT_MONTHS = (
    msg("Jan"),
    msg("Feb"),
    msg("Mar"),
    msg("Apr"),
    msg("May"),
    msg("Jun"),
    msg("Jul"),
    msg("Aug"),
    msg("Sep"),
    msg("Oct"),
    msg("Nov"),
    msg("Dec"),
)


def _day(iso: str) -> str | Msg:
    """A day: '25 พ.ย. 69' in Thai, '25 Nov 2026' in English."""
    try:
        d = _dt.date.fromisoformat(iso)
    except (TypeError, ValueError):
        return str(iso)
    be = thai.be_year(d)
    return msg("%(day)s %(month)s %(ce)s", day=d.day, month=SHORT_MONTHS[d.month - 1], ce=d.year, be2=f"{be % 100:02d}")


def village_coverage(village: VillageFacts, forums: list[ForumFacts], dimensions: list[str]) -> list[Msg]:
    """Why a village is not covered (empty when it is): its qualifying forums of the year
    together must cover every dimension (docs/domain.md, criterion 2)."""
    own = [f for f in forums if f.level == "village" and f.village_id == village.id]
    if not own:
        return [msg("no forum yet")]
    qualifying = [f for f in own if not village_forum_problems(f, village)]
    if not qualifying:  # nothing counts yet: what the nearest forum lacks
        return min((village_forum_problems(f, village, dimensions) for f in own), key=len)
    covered = frozenset().union(*(f.dimensions for f in qualifying))
    missing = _missing_dimensions(covered, dimensions)
    if not missing:
        return []
    if len(qualifying) == 1:
        problems = [msg("does not cover the dimensions %(dimensions)s", dimensions=dimension_names(missing))]
    else:
        problems = [
            msg(
                "%(n)s forums together do not cover the dimensions %(dimensions)s yet",
                n=len(qualifying),
                dimensions=dimension_names(missing),
            )
        ]
    # a forum that covered what is missing but does not count: say why, so it can be fixed
    counted = {f.id for f in qualifying}
    others = [f for f in own if f.id not in counted and f.dimensions & set(missing)]
    if others:
        best = min(others, key=lambda f: len(village_forum_problems(f, village)))
        problems.append(
            msg(
                "the forum of %(date)s that covered these dimensions does not count because %(problems)s",
                date=_day(best.held_on),
                problems=Joined(village_forum_problems(best, village), ", "),
            )
        )
    return problems


def criterion_2(villages: list[VillageFacts], forums: list[ForumFacts], dimensions: list[str]) -> CriterionResult:
    """Every village/community has, in the programme year, village forums organised by
    its committee that review its community plan with จปฐ. (and กชช. ๒ค for villages)
    and that together cover all dimensions (a village may hold more than one)."""
    if not villages:
        reason = said(msg("The LAO has no list of its villages/communities yet"))
        return CriterionResult(2, False, [reason], numerator=0, denominator=0)
    covered, reasons = 0, []
    for village in villages:
        problems = village_coverage(village, forums, dimensions)
        if problems:
            reasons.append(said(Joined([village.message(), ": ", Joined(problems, "; ")])))
        else:
            covered += 1
    return CriterionResult(2, covered == len(villages), reasons, numerator=covered, denominator=len(villages))


def lao_forum_problems(forum: ForumFacts, dimensions: list[str], has_coc: bool) -> list[Msg]:
    """Why an LAO-level forum does not meet criterion 3 (empty when it does): organised by
    ศอช.ต. and, where the LAO records a สอช., also by สอช., with community-plan leaders."""
    problems: list[Msg] = []
    if "ctc" not in forum.organisers:
        problems.append(msg("not organised by the tambon community organisations coordination centre"))
    if has_coc and "coc" not in forum.organisers:
        problems.append(
            msg(
                "not organised together with the tambon community organisation council (the LAO records one in"
                " its area; if there is none, correct the LAO's details)"
            )
        )
    if "plan_leaders" not in forum.organisers:
        problems.append(msg("not organised together with the community plan leaders"))
    missing = _missing_dimensions(forum.dimensions, dimensions)
    if missing:
        problems.append(msg("does not cover the dimensions %(dimensions)s", dimensions=dimension_names(missing)))
    if forum.projects < 1:
        problems.append(msg("no ranked project list from this forum yet"))
    return problems


def criterion_3(forums: list[ForumFacts], dimensions: list[str], *, has_coc: bool) -> CriterionResult:
    """An LAO-level forum organised by ศอช.ต. (and สอช. where there is one) with
    community-plan leaders, covering all dimensions, that produced a ranked project list."""
    own = [f for f in forums if f.level == "lao"]
    if not own:
        return CriterionResult(3, False, [said(msg("No LAO-level forum yet"))])
    problems = min((lao_forum_problems(f, dimensions, has_coc) for f in own), key=len)
    if problems:
        reason = said(msg("LAO-level forum: %(problems)s", problems=Joined(problems, "; ")))
        return CriterionResult(3, False, [reason])
    return CriterionResult(3, True)


# Criteria 4 and 5 -------------------------------------------------------------------------

PLAN_THRESHOLD = Fraction(20, 100)
BUDGET_THRESHOLD = Fraction(10, 100)


@dataclass(frozen=True)
class ProjectFacts:
    id: int
    rank: int
    name: str
    within_authority: bool
    in_plan: bool
    in_budget: bool
    # adopted by an LAO-level forum of the same LAO and programme year (criterion 4's
    # "จากแผนชุมชนที่เกิดจากเวทีประชาคม ตามข้อ (๓)"); rows nobody adopted count nowhere
    adopted: bool = True


def _percent_text(numerator: int, denominator: int, met: bool) -> str:
    return f"{percent(numerator, denominator, met):.2f}"


def inconsistencies(projects: list[ProjectFacts], ordinance: str = "ข้อบัญญัติ") -> list[dict]:
    """Flags that contradict each other; each is reported and its flag ignored."""
    found = []
    for p in projects:
        if p.in_budget and not p.in_plan:
            found.append(
                {
                    "project_id": p.id,
                    "rank": p.rank,
                    "name": p.name,
                    "issue": "in_budget_not_in_plan",
                    "message": f"โครงการลำดับที่ {p.rank} {p.name}: บรรจุในร่าง{ordinance}แต่ไม่อยู่ในแผนพัฒนาท้องถิ่น "
                    "(ไม่นับในเกณฑ์ข้อ 5)",
                }
            )
        if p.in_plan and not p.within_authority:
            found.append(
                {
                    "project_id": p.id,
                    "rank": p.rank,
                    "name": p.name,
                    "issue": "in_plan_not_within_authority",
                    "message": f"โครงการลำดับที่ {p.rank} {p.name}: อยู่ในแผนพัฒนาท้องถิ่นแต่ไม่อยู่ในอำนาจหน้าที่ "
                    "(ไม่นับในเกณฑ์ข้อ 4 และ 5)",
                }
            )
    return found


def not_adopted_text(count: int) -> Said:
    return said(
        msg(
            "%(n)s projects have not passed an LAO-level forum, so they do not count in criteria 4 and 5"
            " (record the LAO-level forum that ranked them, or import that forum's project list)",
            n=count,
        )
    )


# what criteria 4 and 5 count into, by the name of the LAO's budget ordinance
BUDGET_DRAFT = {
    "ข้อบัญญัติ": msg("the draft budget by-law for %(year)s"),
    "เทศบัญญัติ": msg("the draft budget municipal ordinance for %(year)s"),
}


def criteria_4_and_5(
    projects: list[ProjectFacts], next_year: int, ordinance: str = "ข้อบัญญัติ"
) -> tuple[CriterionResult, CriterionResult]:
    """Into next year's development plan (≥ 20 %) and draft budget (≥ 10 %), exactly.

    Only projects an LAO-level forum of the year adopted count at all (the others are
    named in the reasons, or in the warnings of a criterion met without them).
    Criterion 4: of those within the LAO's powers, the ones in the plan.
    Criterion 5: of those, the ones also in the draft budget ordinance.
    A project in the budget but not in the plan stays in criterion 4's denominator
    only; one in the plan but outside the LAO's powers counts in neither.
    """
    adopted = [p for p in projects if p.adopted]
    unadopted = len(projects) - len(adopted)
    within = [p for p in adopted if p.within_authority]
    in_plan = [p for p in within if p.in_plan]
    in_budget = [p for p in in_plan if p.in_budget]
    results = []
    for number, numerator, denominator, threshold, what, base in (
        (
            4,
            len(in_plan),
            len(within),
            PLAN_THRESHOLD,
            msg("the local development plan for %(year)s", year=next_year),
            msg("projects within the LAO's powers"),
        ),
        (
            5,
            len(in_budget),
            len(in_plan),
            BUDGET_THRESHOLD,
            Msg(BUDGET_DRAFT.get(ordinance, BUDGET_DRAFT["ข้อบัญญัติ"]).id, {"year": next_year}),
            msg("projects in the local development plan"),
        ),
    ):
        met = denominator > 0 and Fraction(numerator, denominator) >= threshold
        result = CriterionResult(number, met, numerator=numerator, denominator=denominator, threshold=threshold)
        if not met:
            limit = int(threshold * 100)
            if denominator == 0:
                result.reasons.append(
                    said(
                        msg(
                            "There are no %(base)s that passed an LAO-level forum yet, so no percentage can be"
                            " worked out",
                            base=base,
                        )
                        if unadopted
                        else msg("There are no %(base)s yet, so no percentage can be worked out", base=base)
                    )
                )
            else:
                result.reasons.append(
                    said(
                        msg(
                            "%(numerator)s of %(denominator)s %(base)s are in %(what)s (%(percent)s percent), below"
                            " %(limit)s percent: at least %(more)s more projects must be included",
                            what=what,
                            numerator=numerator,
                            denominator=denominator,
                            base=base,
                            percent=_percent_text(numerator, denominator, False),
                            limit=limit,
                            more=shortfall(numerator, denominator, threshold),
                        )
                    )
                )
        if unadopted:
            (result.warnings if met else result.reasons).append(not_adopted_text(unadopted))
        results.append(result)
    return results[0], results[1]


# The registry --------------------------------------------------------------------------


def _l(message: str) -> str:
    """Marks an English title for the UI catalog (babel extracts ``_l``); the web layer
    translates it when it renders."""
    return message


# What a criterion can need: the records the services read for it, in the order a clerk
# fills them in (the checklist's "next step" goes to the page of the first).
NEEDS = ("working_group", "forums", "villages", "projects")


@dataclass
class LaoFacts:
    """What the criteria read of one LAO in one programme year. The LAO's own settings
    are always there; each record list only when a criterion in force needs it."""

    programme_year: int
    next_year: int
    ordinance: str
    has_kamnan: bool
    has_coc: bool
    order: OrderFacts | None = None  # working_group
    members: list[Member] = field(default_factory=list)  # working_group
    activities: int = 0  # working_group
    forums: list[ForumFacts] = field(default_factory=list)  # forums
    dimensions: list[str] = field(default_factory=list)  # forums
    villages: list[VillageFacts] = field(default_factory=list)  # villages
    projects: list[ProjectFacts] = field(default_factory=list)  # projects


@dataclass(frozen=True)
class Criterion:
    number: int
    title_th: str  # as the report form prints it
    title_en: str  # the checklist's step (a msgid of the UI catalog)
    short_th: str  # a column heading of the summaries
    decide: Callable[[LaoFacts], CriterionResult]
    needs: tuple[str, ...]  # of NEEDS

    def __post_init__(self):
        assert self.needs and set(self.needs) <= set(NEEDS), self.needs


def _decide_1(facts: LaoFacts) -> CriterionResult:
    return criterion_1(
        facts.order,
        facts.members,
        facts.activities,
        has_kamnan=facts.has_kamnan,
        has_coc=facts.has_coc,
        programme_year=facts.programme_year,
    )


def _decide_2(facts: LaoFacts) -> CriterionResult:
    return criterion_2(facts.villages, facts.forums, facts.dimensions)


def _decide_3(facts: LaoFacts) -> CriterionResult:
    return criterion_3(facts.forums, facts.dimensions, has_coc=facts.has_coc)


def _decide_4(facts: LaoFacts) -> CriterionResult:
    return criteria_4_and_5(facts.projects, facts.next_year, facts.ordinance)[0]


def _decide_5(facts: LaoFacts) -> CriterionResult:
    return criteria_4_and_5(facts.projects, facts.next_year, facts.ordinance)[1]


CRITERIA: tuple[Criterion, ...] = (
    Criterion(
        1,
        "มีคณะทำงานระดับท้องถิ่นและแผนการดำเนินงานร่วมกัน",
        _l("Working group and joint operation plan"),
        "เกณฑ์ข้อ 1",
        _decide_1,
        ("working_group",),
    ),
    Criterion(
        2,
        "เวทีประชาคมหมู่บ้าน/ชุมชนทบทวนแผนชุมชนครบทุกแห่ง",
        _l("Village forums review every community plan"),
        "เกณฑ์ข้อ 2",
        _decide_2,
        ("forums", "villages"),
    ),
    Criterion(
        3,
        "เวทีประชาคมระดับท้องถิ่นบูรณาการแผนชุมชนและจัดลำดับโครงการ",
        _l("LAO-level forum merges the plans into a ranked project list"),
        "เกณฑ์ข้อ 3",
        _decide_3,
        ("forums",),
    ),
    Criterion(
        4,
        "โครงการบรรจุในแผนพัฒนาท้องถิ่นปีถัดไปไม่น้อยกว่าร้อยละ ๒๐",
        _l("At least 20% of projects in next year's development plan"),
        "เกณฑ์ข้อ 4",
        _decide_4,
        ("projects",),
    ),
    Criterion(
        5,
        "โครงการบรรจุในร่างข้อบัญญัติ/เทศบัญญัติงบประมาณปีถัดไปไม่น้อยกว่าร้อยละ ๑๐",
        _l("At least 10% of those in next year's draft budget"),
        "เกณฑ์ข้อ 5",
        _decide_5,
        ("projects",),
    ),
)
COUNT = len(CRITERIA)


def by_number(number: int) -> Criterion:
    return next(c for c in CRITERIA if c.number == number)


def decide_all(facts: LaoFacts) -> list[CriterionResult]:
    """Every criterion in force, in order."""
    return [c.decide(facts) for c in CRITERIA]


def needs() -> tuple[str, ...]:
    """What the criteria in force need together, in NEEDS order."""
    wanted = {n for c in CRITERIA for n in c.needs}
    return tuple(n for n in NEEDS if n in wanted)


# The rules in force -------------------------------------------------------------------------

# Bump by hand whenever a rule above changes in a way its parameters below do not show
# (a new condition, a different reading of the guideline): every LAO's cached criteria
# are then computed again (formsvc/store/compliance_cache.py).
# 2: village forums together cover the dimensions; ศอช.ต. and (where recorded) สอช.
#    organise the LAO forum; only projects an LAO-level forum adopted count in 4 and 5.
# 3: the reasons are kept as messages (ids and values) in the cache, to be shown in the
#    reader's language; rows cached before hold Thai text only.
RULES_VERSION = "3"


def rules_stamp() -> str:
    """A short fingerprint of the rules in force: RULES_VERSION, every threshold and
    list the criteria read, and which criteria there are (a cached row holds one
    mark per criterion). A cached result computed under another stamp is stale."""
    import hashlib

    declared = repr([(c.number, c.decide.__qualname__, c.needs) for c in CRITERIA])
    parts = (RULES_VERSION, str(PLAN_THRESHOLD), str(BUDGET_THRESHOLD), repr(REQUIRED_CATEGORIES), declared)
    return hashlib.sha256("\x1f".join(parts).encode()).hexdigest()[:16]
