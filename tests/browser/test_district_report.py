"""The district office sends its report of a period to the province, which acknowledges
it, in a real browser (see conftest.py)."""

from __future__ import annotations

import pytest

from tests.browser.ui import main_text, th
from tests.docs import pdf_text

pytestmark = pytest.mark.browser

COMMENT = "อำเภอติดตามการดำเนินงานของ อปท.ต้นแบบ ทุกเดือน"


def test_district_submits_its_report_and_the_province_acknowledges_it(open_ui):
    district = open_ui()
    page = district.page
    district.login("district")
    page.get_by_label(th("Reporting period")).first.select_option(value="2")
    district.submit(page.get_by_role("button", name=th("Show"), exact=True).first)
    with page.expect_navigation():
        page.get_by_role("link", name=th("District report of period %(n)s", n=2)).click()
    assert "/districts/3701/reports/2" in page.url
    page.get_by_label(th("The district's comments")).fill(COMMENT)
    district.submit(page.get_by_role("button", name=th("Save and submit to the province…")))
    district.shot("confirm")
    assert th("It will be sent to the province as version %(n)s.", n=1) in main_text(district)
    district.submit(page.get_by_role("button", name=th("Confirm and send to the province")))
    assert th("District report submitted to the province (version %(n)s).", n=1) in main_text(district)
    assert th("Submitted, waiting for the province") in page.locator("#district-report-status").inner_text()

    province = open_ui()
    page = province.page
    province.login("province")
    waiting = page.locator("#district-reports-waiting")
    with page.expect_navigation():
        waiting.get_by_role("link").first.click()
    assert "/districts/3701/reports/2" in page.url
    assert COMMENT in main_text(province)
    province.shot("review")
    province.submit(page.get_by_role("button", name=th("Acknowledge"), exact=True))
    assert th("District report acknowledged.") in main_text(province)
    assert th("Acknowledged by the province") in page.locator("#district-report-status").inner_text()
    assert page.get_by_role("button", name=th("Acknowledge"), exact=True).count() == 0
    pdf = province.open_pdf(page.locator("#district-report-status").get_by_role("link", name="PDF"), "district-report")
    assert COMMENT.split()[0] in pdf_text(pdf)
