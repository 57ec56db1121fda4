"""The criteria of an LAO: the facts they read from its records, and their results
(the checklist and the compliance JSON)."""

from __future__ import annotations

import json

from formsvc.domain import criteria
from formsvc.domain.model import ORDINANCE
from formsvc.store import forums as forum_store
from formsvc.store import laos as lao_store
from formsvc.store import programme as programme_store
from formsvc.store import projects as project_store
from formsvc.store import working_group as wg_store


def lao_facts(db, lao_id: int, year: int | None = None, needs=None) -> criteria.LaoFacts:
    """What the criteria read of the LAO in programme year ``year`` (default: the open
    year; a year never opened raises NotFound): the LAO's settings, and the records in
    ``needs`` (default: what the criteria in force need, ``criteria.needs()``)."""
    prog = programme_store.get_programme(db, year)
    year = prog.year_be
    lao = lao_store.get_lao(db, lao_id)
    needs = criteria.needs() if needs is None else needs
    facts = criteria.LaoFacts(
        programme_year=year,
        next_year=prog.next_year_be,
        ordinance=ORDINANCE[lao["kind"]],
        has_kamnan=bool(lao["has_kamnan"]),
        has_coc=bool(lao["has_coc"]),
    )
    if "working_group" in needs:
        group = wg_store.get_group(db, lao_id, year)
        current = wg_store.current_order(db, lao_id, year)
        if current is not None:
            members = json.loads(current["snapshot"])["members"]
            facts.order = criteria.OrderFacts(f"{current['number']}/{current['year_be']}", current["order_date"])
        else:
            members = group["members"]
        facts.members = [criteria.Member(m["name"], m["position"], m["group_role"], m["category"]) for m in members]
        facts.activities = len(group["activities"])
    if "forums" in needs:
        facts.dimensions = programme_store.dimensions(db, year)
        facts.forums = _forum_facts(db, lao_id, year)
    if "villages" in needs:
        facts.villages = [
            criteria.VillageFacts(v["id"], v["label"], v["kind"], v["number"], v["name"])
            for v in lao_store.villages(db, lao_id)
        ]
    if "projects" in needs:
        facts.projects = project_store.facts(project_store.list_projects(db, lao_id, year))
    return facts


def criterion_1(db, lao_id: int, year: int | None = None) -> criteria.CriterionResult:
    return criteria.by_number(1).decide(lao_facts(db, lao_id, year, criteria.by_number(1).needs))


def _forum_facts(db, lao_id: int, year: int) -> list[criteria.ForumFacts]:
    return [
        criteria.ForumFacts(
            f["id"],
            f["level"],
            f["village_id"],
            f["held_on"],
            frozenset(f["organisers"]),
            bool(f["reviews_community_plan"]),
            bool(f["used_bmn"]),
            bool(f["used_village_data"]),
            frozenset(f["dimensions"]),
            f["projects"],
        )
        for f in forum_store.forums(db, lao_id, year)
    ]


def criteria_2_and_3(
    db, lao_id: int, year: int | None = None
) -> tuple[criteria.CriterionResult, criteria.CriterionResult]:
    facts = lao_facts(db, lao_id, year, ("forums", "villages"))
    return criteria.by_number(2).decide(facts), criteria.by_number(3).decide(facts)


def criteria_4_and_5(db, lao_id: int, year: int | None = None):
    facts = lao_facts(db, lao_id, year, ("projects",))
    return (
        criteria.by_number(4).decide(facts),
        criteria.by_number(5).decide(facts),
        criteria.inconsistencies(facts.projects, facts.ordinance),
    )


def compliance_results(db, lao_id: int, year: int | None = None) -> list[criteria.CriterionResult]:
    """The criteria in force (``criteria.CRITERIA``) of the LAO for programme year
    ``year`` (default: the open year), from that year's records (a closed year's as they
    are) and dimensions."""
    return criteria.decide_all(lao_facts(db, lao_id, year))


def compliance(db, lao_id: int, year: int | None = None) -> dict:
    """The compliance JSON (docs/domain.md, "Project import and the compliance JSON"),
    for programme year ``year`` (default: the open year; a year never opened raises
    NotFound)."""
    facts = lao_facts(db, lao_id, year, {*criteria.needs(), "projects"})
    results = criteria.decide_all(facts)
    return {
        "lao_id": lao_id,
        "programme_year": facts.programme_year,
        "all_met": len(results) == criteria.COUNT and all(r.met for r in results),
        "criteria": [r.to_json() for r in results],
        "inconsistencies": criteria.inconsistencies(facts.projects, facts.ordinance),
    }
