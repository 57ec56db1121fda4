"""Criteria 4 and 5: exact thresholds, shortfalls and inconsistencies (docs/domain.md, "The five criteria")."""

from fractions import Fraction

import pytest

from formsvc.domain import criteria


def projects(within_in_plan: int, within_not_in_plan: int = 0, in_budget: int = 0, extra=()):
    rows, n = [], 0
    for i in range(within_in_plan):
        n += 1
        rows.append(criteria.ProjectFacts(n, n, f"p{n}", True, True, i < in_budget))
    for _ in range(within_not_in_plan):
        n += 1
        rows.append(criteria.ProjectFacts(n, n, f"p{n}", True, False, False))
    return rows + list(extra)


@pytest.mark.parametrize(
    "in_plan, total, met",
    [(1, 5, True), (2, 11, False), (0, 0, False), (2, 10, True), (1, 6, False), (20, 100, True), (19, 100, False)],
)
def test_criterion_4_threshold_is_exact(in_plan, total, met):
    c4, _ = criteria.criteria_4_and_5(projects(in_plan, total - in_plan), 2570)
    assert c4.met is met
    assert (c4.numerator, c4.denominator) == (in_plan, total)


@pytest.mark.parametrize(
    "in_budget, in_plan, met", [(1, 10, True), (1, 11, False), (0, 0, False), (0, 5, False), (2, 20, True)]
)
def test_criterion_5_threshold_is_exact(in_budget, in_plan, met):
    _, c5 = criteria.criteria_4_and_5(projects(in_plan, 0, in_budget), 2570)
    assert c5.met is met and (c5.numerator, c5.denominator) == (in_budget, in_plan)


@pytest.mark.parametrize(
    "numerator, denominator, threshold, expected",
    [
        (1, 8, Fraction(1, 5), 1),
        (0, 11, Fraction(1, 5), 3),
        (2, 11, Fraction(1, 5), 1),
        (1, 5, Fraction(1, 5), 0),
        (0, 0, Fraction(1, 5), 1),
        (0, 11, Fraction(1, 10), 2),
        (3, 10, Fraction(1, 10), 0),
    ],
)
def test_shortfall_is_the_fewest_further_projects(numerator, denominator, threshold, expected):
    assert criteria.shortfall(numerator, denominator, threshold) == expected


def test_json_shape_of_design():
    c4, c5 = criteria.criteria_4_and_5(projects(1, 7, 1), 2570)
    assert c4.to_json() == {
        "number": 4,
        "met": False,
        "numerator": 1,
        "denominator": 8,
        "percent": 12.5,
        "threshold_percent": 20.0,
        "shortfall": 1,
        "reasons": [c4.reasons[0]],
    }
    assert "ร้อยละ 12.50" in c4.reasons[0] and "อีกอย่างน้อย 1 โครงการ" in c4.reasons[0]
    assert c5.to_json() == {
        "number": 5,
        "met": True,
        "numerator": 1,
        "denominator": 1,
        "percent": 100.0,
        "threshold_percent": 10.0,
        "shortfall": 0,
        "reasons": [],
    }


def test_inconsistent_flags_are_reported_and_not_counted():
    budget_not_plan = criteria.ProjectFacts(90, 90, "งบไม่มีแผน", True, False, True)
    plan_not_powers = criteria.ProjectFacts(91, 91, "แผนนอกอำนาจ", False, True, True)
    rows = projects(1, 3, 0, extra=(budget_not_plan, plan_not_powers))
    c4, c5 = criteria.criteria_4_and_5(rows, 2570)
    assert (c4.numerator, c4.denominator) == (1, 5)  # the budget-only project stays in the denominator
    assert (c5.numerator, c5.denominator) == (0, 1)  # neither inconsistent project counts here
    issues = {i["issue"]: i for i in criteria.inconsistencies(rows)}
    assert set(issues) == {"in_budget_not_in_plan", "in_plan_not_within_authority"}
    assert issues["in_plan_not_within_authority"]["project_id"] == 91


def test_rows_no_lao_forum_adopted_count_in_neither_criterion_and_are_named():
    unadopted = [
        criteria.ProjectFacts(80 + i, 80 + i, f"นอกเวที {i}", True, True, True, adopted=False) for i in range(3)
    ]
    c4, c5 = criteria.criteria_4_and_5(projects(1, 9, 1, extra=unadopted), 2570)
    assert (c4.numerator, c4.denominator) == (1, 10) and (c5.numerator, c5.denominator) == (1, 1)
    note = "โครงการ 3 รายการยังไม่ได้ผ่านเวทีประชาคมระดับท้องถิ่น จึงไม่นับในเกณฑ์ข้อ 4 และ 5"
    assert not c4.met and note in c4.reasons[-1]  # unmet: among the reasons
    assert c5.met and c5.reasons == [] and note in c5.warnings[0]  # met: a warning on the checklist


def test_only_unadopted_rows_leave_nothing_to_count():
    rows = [criteria.ProjectFacts(1, 1, "p", True, True, True, adopted=False)]
    c4, c5 = criteria.criteria_4_and_5(rows, 2570)
    assert not c4.met and c4.denominator == 0
    assert c4.reasons[0] == "ยังไม่มีโครงการที่อยู่ในอำนาจหน้าที่ที่ผ่านเวทีประชาคมระดับท้องถิ่น จึงยังคำนวณร้อยละไม่ได้"
    assert "โครงการ 1 รายการยังไม่ได้ผ่านเวทีประชาคมระดับท้องถิ่น" in c4.reasons[1]
    assert not c5.met
