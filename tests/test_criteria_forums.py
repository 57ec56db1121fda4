"""Criteria 2 and 3 exactly as docs/domain.md ("The five criteria") decides them."""

import pytest

from formsvc.domain import criteria
from formsvc.domain.model import DEFAULT_DIMENSIONS

DIMS = list(DEFAULT_DIMENSIONS)
VILLAGES = [
    criteria.VillageFacts(1, "หมู่ที่ 1 บ้านหนองบัว", "village"),
    criteria.VillageFacts(2, "หมู่ที่ 2 บ้านโนนสูง", "village"),
]
COMMUNITIES = [criteria.VillageFacts(5, "ชุมชนตลาดเก่า", "community")]


def forum(
    fid,
    village_id=None,
    level="village",
    organisers=("village_committee",),
    dims=DIMS,
    bmn=True,
    village_data=True,
    reviews=True,
    projects=0,
    held_on="2026-03-01",
):
    return criteria.ForumFacts(
        fid, level, village_id, held_on, frozenset(organisers), reviews, bmn, village_data, frozenset(dims), projects
    )


def test_every_village_covered_meets_criterion_2():
    result = criteria.criterion_2(VILLAGES, [forum(1, 1), forum(2, 2)], DIMS)
    assert result.met and (result.numerator, result.denominator) == (2, 2) and result.reasons == []


def test_a_village_without_a_forum_is_named():
    result = criteria.criterion_2(VILLAGES, [forum(1, 1)], DIMS)
    assert not result.met and (result.numerator, result.denominator) == (1, 2)
    assert result.reasons == ["หมู่ที่ 2 บ้านโนนสูง: ยังไม่มีเวทีประชาคม"]


@pytest.mark.parametrize(
    "kwargs, reason",
    [
        ({"organisers": ("lao",)}, "ผู้จัดไม่ใช่คณะกรรมการหมู่บ้าน"),
        ({"dims": DIMS[:-1]}, "ไม่ครอบคลุมมิติ " + DIMS[-1]),
        ({"bmn": False}, "ไม่ได้ใช้ข้อมูล จปฐ."),
        ({"village_data": False}, "ไม่ได้ใช้ข้อมูล กชช. ๒ค"),
        ({"reviews": False}, "ไม่ได้ทบทวนแผนชุมชน"),
    ],
)
def test_each_missing_condition_is_a_reason(kwargs, reason):
    result = criteria.criterion_2(VILLAGES[:1], [forum(1, 1, **kwargs)], DIMS)
    assert not result.met and result.reasons == [f"หมู่ที่ 1 บ้านหนองบัว: {reason}"]


def test_municipal_communities_are_not_asked_for_village_data():
    ok = forum(1, 5, organisers=("community_committee",), village_data=False)
    assert criteria.criterion_2(COMMUNITIES, [ok], DIMS).met
    wrong_committee = forum(1, 5, organisers=("village_committee",), village_data=False)
    result = criteria.criterion_2(COMMUNITIES, [wrong_committee], DIMS)
    assert result.reasons == ["ชุมชนตลาดเก่า: ผู้จัดไม่ใช่คณะกรรมการชุมชน"]


def test_the_best_forum_of_a_village_counts():
    result = criteria.criterion_2(VILLAGES[:1], [forum(1, 1, bmn=False), forum(2, 1)], DIMS)
    assert result.met


def test_forums_of_a_village_together_cover_the_dimensions():
    half = len(DIMS) // 2
    result = criteria.criterion_2(VILLAGES[:1], [forum(1, 1, dims=DIMS[:half]), forum(2, 1, dims=DIMS[half:])], DIMS)
    assert result.met and (result.numerator, result.denominator) == (1, 1) and result.reasons == []


def test_dimensions_still_uncovered_by_the_forums_together_are_named():
    result = criteria.criterion_2(VILLAGES[:1], [forum(1, 1, dims=DIMS[:2]), forum(2, 1, dims=DIMS[2:-1])], DIMS)
    assert not result.met and result.numerator == 0
    assert result.reasons == [f"หมู่ที่ 1 บ้านหนองบัว: เวทีประชาคม 2 ครั้งรวมกันยังไม่ครอบคลุมมิติ {DIMS[-1]}"]


def test_a_forum_that_does_not_qualify_adds_no_dimensions():
    counted = forum(1, 1, dims=DIMS[:-1])
    without_bmn = forum(2, 1, dims=DIMS[-1:], bmn=False, held_on="2026-04-02")
    result = criteria.criterion_2(VILLAGES[:1], [counted, without_bmn], DIMS)
    assert not result.met
    assert result.reasons == [
        f"หมู่ที่ 1 บ้านหนองบัว: ไม่ครอบคลุมมิติ {DIMS[-1]}; เวทีวันที่ 2 เม.ย. 69 ที่ครอบคลุมมิติเหล่านี้ไม่นับ เพราะไม่ได้ใช้ข้อมูล จปฐ."
    ]
    other_committee = forum(3, 1, dims=DIMS[-1:], organisers=("lao",))
    assert not criteria.criterion_2(VILLAGES[:1], [counted, other_committee], DIMS).met
    assert criteria.criterion_2(VILLAGES[:1], [counted, forum(4, 1, dims=DIMS[-1:])], DIMS).met


def test_another_villages_forum_does_not_cover_this_one():
    result = criteria.criterion_2(VILLAGES, [forum(1, 1, dims=DIMS[:-1]), forum(2, 2)], DIMS)
    assert (result.numerator, result.denominator) == (1, 2)
    assert result.reasons == [f"หมู่ที่ 1 บ้านหนองบัว: ไม่ครอบคลุมมิติ {DIMS[-1]}"]


def test_an_lao_without_villages_does_not_meet_criterion_2():
    result = criteria.criterion_2([], [], DIMS)
    assert not result.met and result.denominator == 0


def lao_forum(**kwargs):
    base = {"level": "lao", "organisers": ("ctc", "plan_leaders"), "projects": 3}
    base.update(kwargs)
    return forum(9, None, **base)


def test_criterion_3_met_by_ctc_with_plan_leaders_all_dimensions_and_projects():
    assert criteria.criterion_3([lao_forum()], DIMS, has_coc=False).met
    assert criteria.criterion_3([lao_forum(organisers=("ctc", "coc", "plan_leaders"))], DIMS, has_coc=True).met


def test_criterion_3_needs_ctc_and_coc_where_the_lao_records_one():
    # the guideline: "ศอช.ต. สอช. (ถ้ามี) ร่วมกับแกนนำแผนชุมชน" (earlier code took either)
    coc_alone = criteria.criterion_3([lao_forum(organisers=("coc", "plan_leaders"))], DIMS, has_coc=True)
    assert not coc_alone.met and coc_alone.reasons == ["เวทีประชาคมระดับท้องถิ่น: ไม่ได้จัดโดย ศอช.ต."]
    ctc_alone = criteria.criterion_3([lao_forum()], DIMS, has_coc=True)
    assert not ctc_alone.met and ctc_alone.reasons == [
        "เวทีประชาคมระดับท้องถิ่น: ไม่ได้จัดร่วมกับ สอช. (อปท. บันทึกว่ามี สอช. ในพื้นที่ หากไม่มีให้แก้ไขในข้อมูล อปท.)"
    ]
    neither = criteria.criterion_3([lao_forum(organisers=("lao", "plan_leaders"))], DIMS, has_coc=True)
    assert neither.reasons == [
        "เวทีประชาคมระดับท้องถิ่น: ไม่ได้จัดโดย ศอช.ต.; ไม่ได้จัดร่วมกับ สอช. (อปท. บันทึกว่ามี สอช. ในพื้นที่ หากไม่มีให้แก้ไขในข้อมูล อปท.)"
    ]


@pytest.mark.parametrize(
    "kwargs, reason",
    [
        ({"organisers": ("lao", "plan_leaders")}, "ไม่ได้จัดโดย ศอช.ต."),
        ({"organisers": ("ctc",)}, "ไม่ได้จัดร่วมกับแกนนำแผนชุมชน"),
        ({"dims": DIMS[1:]}, "ไม่ครอบคลุมมิติ " + DIMS[0]),
        ({"projects": 0}, "ยังไม่มีบัญชีโครงการ"),
    ],
)
def test_criterion_3_reasons(kwargs, reason):
    result = criteria.criterion_3([lao_forum(**kwargs)], DIMS, has_coc=False)
    assert not result.met and reason in result.reasons[0]


def test_no_lao_forum_at_all():
    result = criteria.criterion_3([forum(1, 1)], DIMS, has_coc=False)
    assert result.reasons == ["ยังไม่มีเวทีประชาคมระดับท้องถิ่น"]
