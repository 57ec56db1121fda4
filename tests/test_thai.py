import datetime as dt
from decimal import Decimal

import pytest

from formsvc.domain import thai


@pytest.mark.parametrize(
    "day, expected",
    [
        (dt.date(2024, 10, 1), 2568),
        (dt.date(2025, 9, 30), 2568),
        (dt.date(2025, 10, 1), 2569),
        (dt.date(2026, 1, 1), 2569),
        (dt.date(2026, 12, 31), 2570),
    ],
)
def test_fiscal_year_is_named_by_the_be_year_in_which_it_ends(day, expected):
    assert thai.fiscal_year(day) == expected


def test_long_date_has_full_month_and_be_year_in_real_thai_digits():
    text = thai.date_long(dt.date(2026, 11, 25))
    assert text == "๒๕ พฤศจิกายน ๒๕๖๙"
    assert all("\u0e50" <= ch <= "\u0e59" for ch in text if ch.isdigit())


def test_long_date_in_arabic_digits_and_with_be_prefix():
    assert thai.date_long(dt.date(2026, 1, 5), "arabic") == "5 มกราคม 2569"
    assert thai.date_long(dt.date(2026, 1, 5), "arabic", with_be=True) == "5 มกราคม พ.ศ. 2569"


def test_short_date():
    assert thai.date_short(dt.date(2026, 11, 25), "arabic") == "25 พ.ย. 69"


def test_digits_both_ways():
    assert thai.digits("ที่ 12/2569", "thai") == "ที่ ๑๒/๒๕๖๙"
    assert thai.digits("ที่ ๑๒/๒๕๖๙", "arabic") == "ที่ 12/2569"
    with pytest.raises(ValueError):
        thai.digits("1", "roman")


def test_baht_text_and_money():
    assert thai.baht_text(Decimal("1234.50")) == "หนึ่งพันสองร้อยสามสิบสี่บาทห้าสิบสตางค์"
    assert thai.baht_text(100) == "หนึ่งร้อยบาทถ้วน"
    assert thai.money(Decimal("1234567.5")) == "1,234,567.50"
    assert thai.money(Decimal("1000"), "thai") == "๑,๐๐๐.๐๐"


@pytest.mark.parametrize(
    "typed, expected",
    [
        ("25/11/2569", dt.date(2026, 11, 25)),
        ("๒๕/๑๑/๒๕๖๙", dt.date(2026, 11, 25)),
        ("5-1-2569", dt.date(2026, 1, 5)),
        ("25/11/2026", dt.date(2026, 11, 25)),
    ],
)
def test_parse_typed_dates(typed, expected):
    assert thai.parse_date_input(typed) == expected
    assert thai.parse_date_input(thai.date_input(expected)) == expected


@pytest.mark.parametrize("typed", ["", "2569-11-25", "31/02/2569", "hello"])
def test_bad_typed_dates_get_a_thai_message(typed):
    with pytest.raises(ValueError) as info:
        thai.parse_date_input(typed)
    assert any("\u0e00" <= ch <= "\u0e7f" for ch in str(info.value))


def test_month_names_come_from_pythainlp():
    assert thai.month_name(1) == "มกราคม"
    assert thai.month_name(9, short=True) == "ก.ย."
