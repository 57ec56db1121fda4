"""The reporting chain above the LAOs in a real browser (see conftest.py): the district
office sends its report of a period to the province, which acknowledges it; the province
office sends its own report, compiled from that district report, to the national office,
which returns it once and then acknowledges the corrected version."""

from __future__ import annotations

import pytest

from tests.browser.ui import main_text, th
from tests.docs import pdf_text

pytestmark = pytest.mark.browser

COMMENT = "อำเภอติดตามการดำเนินงานของ อปท.ต้นแบบ ทุกเดือน"
PROVINCE_COMMENT = "จังหวัดเห็นควรขยายผลการดำเนินงานไปยังตำบลใกล้เคียง"


def _choose_period(ui, number: int) -> None:
    ui.page.get_by_label(th("Reporting period")).first.select_option(value=str(number))
    ui.submit(ui.page.get_by_role("button", name=th("Show"), exact=True).first)


def test_district_then_province_then_national(open_ui):
    district = open_ui()
    page = district.page
    district.login("district")
    _choose_period(district, 3)
    with page.expect_navigation():
        page.get_by_role("link", name=th("District report of period %(n)s", n=3)).click()
    assert "/districts/3701/reports/3" in page.url
    page.get_by_label(th("The district's comments")).fill(COMMENT)
    district.submit(page.get_by_role("button", name=th("Save and submit to the province…")))
    district.shot("confirm")
    assert th("It will be sent to the province as version %(n)s.", n=1) in main_text(district)
    district.submit(page.get_by_role("button", name=th("Confirm and send to the province")))
    assert th("District report submitted to the province (version %(n)s).", n=1) in main_text(district)
    assert th("Submitted, waiting for the province") in page.locator("#area-report-status").inner_text()

    province = open_ui()
    page = province.page
    province.login("province")
    waiting = page.locator("#district-reports-waiting")
    with page.expect_navigation():
        waiting.get_by_role("link", name=th("Period %(n)s", n=3), exact=False).first.click()
    assert "/districts/3701/reports/3" in page.url
    assert COMMENT in main_text(province)
    province.shot("review")
    province.submit(page.get_by_role("button", name=th("Acknowledge"), exact=True))
    assert th("District report acknowledged.") in main_text(province)
    assert th("Acknowledged by the province") in page.locator("#area-report-status").inner_text()
    assert page.get_by_role("button", name=th("Acknowledge"), exact=True).count() == 0
    pdf = province.open_pdf(page.locator("#area-report-status").get_by_role("link", name="PDF"), "district-report")
    assert COMMENT.split()[0] in pdf_text(pdf)

    # the province's own report of the period: the district report just acknowledged is in it
    province.goto("/provinces/37")
    _choose_period(province, 3)
    with page.expect_navigation():
        page.get_by_role("link", name=th("Province report of period %(n)s", n=3)).click()
    assert "/provinces/37/reports/3" in page.url
    assert COMMENT in page.locator("#province-report-districts").inner_text()
    page.get_by_label(th("The province's comments")).fill("ฉบับแรก")
    province.submit(page.get_by_role("button", name=th("Save and submit to the national office…")))
    province.submit(page.get_by_role("button", name=th("Confirm and send to the national office")))
    assert th("Province report submitted to the national office (version %(n)s).", n=1) in main_text(province)

    national = open_ui()
    page = national.page
    national.login("national")
    national.goto("/national")
    with page.expect_navigation():
        page.locator("#province-reports-waiting").get_by_role("link", name=th("Period %(n)s", n=3), exact=False).click()
    assert "/provinces/37/reports/3" in page.url
    national.shot("national-review")
    page.get_by_label(th("Comment (required when returning the report)")).fill("กรุณาเพิ่มความเห็นของจังหวัด")
    national.submit(page.get_by_role("button", name=th("Return for correction"), exact=True))
    assert th("Province report returned to the province.") in main_text(national)

    page = province.page
    province.goto("/provinces/37")
    assert "กรุณาเพิ่มความเห็นของจังหวัด" in page.locator("#province-report").inner_text()
    with page.expect_navigation():
        page.locator("#province-report .returned").get_by_role("link").first.click()
    page.get_by_label(th("The province's comments")).fill(PROVINCE_COMMENT)
    province.submit(page.get_by_role("button", name=th("Save and submit to the national office…")))
    assert th("It will be sent to the national office as version %(n)s.", n=2) in main_text(province)
    province.submit(page.get_by_role("button", name=th("Confirm and send to the national office")))

    page = national.page
    national.goto("/provinces/37/reports/3")
    national.submit(page.get_by_role("button", name=th("Acknowledge"), exact=True))
    assert th("Province report acknowledged.") in main_text(national)
    assert th("Acknowledged by the national office") in page.locator("#area-report-status").inner_text()
    pdf = national.open_pdf(
        page.locator("#area-report-status").get_by_role("link", name="PDF").first, "province-report"
    )
    text = " ".join(pdf_text(pdf).split())
    assert PROVINCE_COMMENT in text and COMMENT in text and "ฉบับแรก" not in text
