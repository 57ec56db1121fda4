"""Nothing typed is lost, and what cannot be undone (issuing an order, sending a
report) goes through a confirmation page, in a real browser at desktop and phone size."""

from __future__ import annotations

import pytest

from tests.browser.ui import main_text, th
from tests.docs import flat, pdf_text

pytestmark = pytest.mark.browser

CHAIR = "นายประธาน แก้ชื่อใหม่"


def orders_rows(page):
    return page.locator("main table").first.locator("tbody tr")


@pytest.mark.parametrize("phone", [False, True], ids=["desktop", "phone"])
def test_edited_chair_is_on_the_issued_order_after_confirming(open_ui, phone):
    ui = open_ui(phone=phone)
    page = ui.page
    ui.login("clerk")
    ui.goto("/laos/1/working-group")
    before = orders_rows(page).count()
    page.get_by_label(f"{th('Name')} 1", exact=True).fill(CHAIR)  # row 1 is the chair
    ui.submit(page.get_by_role("button", name=th("Save and issue the order…")))
    assert page.url.endswith("/laos/1/working-group/issue")
    text = main_text(ui)
    assert CHAIR in text and "จะออกเป็นคำสั่งที่ 2/" in text
    assert th("No Garuda emblem: the order would go out without it.") in text  # LAO 1 has no emblem
    assert page.get_by_role("link", name=th("Upload the emblem")).count() == 1
    assert page.get_by_role("link", name=th("Preview the draft order (PDF)")).count() == 1
    ui.shot("order-confirm")

    ui.submit(page.get_by_role("button", name=th("Confirm and issue the order")))
    issued = th("Order no. %(number)s issued.", number="@").split("@")[0]
    assert f"{issued}2/" in main_text(ui)
    assert orders_rows(page).count() == before + 1
    href = orders_rows(page).first.get_by_role("link", name="PDF").get_attribute("href")
    pdf = ui.context.request.get(ui.url(href)).body()
    assert flat(CHAIR) in flat(pdf_text(pdf))
    ui.shot("order-issued")


def test_an_invalid_edit_issues_nothing_and_keeps_the_typing(open_ui):
    ui = open_ui(phone=True)
    page = ui.page
    ui.login("clerk")
    ui.goto("/laos/1/working-group")
    before = orders_rows(page).count()
    page.get_by_label(f"{th('Name')} 1", exact=True).fill(CHAIR)
    page.get_by_label(th("Reason and authority (first part of the order)")).fill("")
    ui.submit(page.get_by_role("button", name=th("Save and issue the order…")), status=400)
    assert page.url.endswith("/laos/1/working-group")
    assert page.get_by_label(f"{th('Name')} 1", exact=True).input_value() == CHAIR
    assert th("Please correct the highlighted fields. Nothing was saved.") in main_text(ui)
    assert orders_rows(page).count() == before
    ui.shot("invalid-edit-kept")


@pytest.mark.parametrize("phone", [False, True], ids=["desktop", "phone"])
def test_report_is_sent_only_from_its_confirmation(open_ui, phone):
    ui = open_ui(phone=phone)
    page = ui.page
    ui.login("clerk")
    ui.goto("/laos/1/reports/4")
    page.get_by_label(th("Progress in this period")).fill("จัดเวทีประชาคมครบทุกหมู่บ้าน")
    ui.submit(page.get_by_role("button", name=th("Save and submit to the district…")))
    assert page.url.endswith("/laos/1/reports/4/submit")
    text = main_text(ui)
    assert th("It will be sent to the district as version %(n)s.", n=1) in text
    assert "จัดเวทีประชาคมครบทุกหมู่บ้าน" in text
    assert page.get_by_role("link", name=th("Preview the report (PDF)")).count() == 1
    ui.shot("report-confirm")
    ui.submit(page.get_by_role("button", name=th("Confirm and send to the district")))
    assert th("Report submitted to the district (version %(n)s).", n=1) in main_text(ui)
    ui.shot("report-sent")


def test_the_district_review_keeps_its_comment_across_the_switch_then_asks_before_leaving(open_ui):
    """Every edit page keeps what is typed across the language switch (test_keep_typing),
    the district's review of a report too, and asks nothing then; the comment given back
    is not saved, so following a link afterwards asks first."""
    clerk = open_ui()
    clerk.login("clerk")
    clerk.goto("/laos/1/reports/4")
    clerk.page.get_by_label(th("Progress in this period")).fill("จัดเวทีประชาคมครบทุกหมู่บ้าน")
    clerk.submit(clerk.page.get_by_role("button", name=th("Save and submit to the district…")))
    clerk.submit(clerk.page.get_by_role("button", name=th("Confirm and send to the district")))
    ui = open_ui()
    page = ui.page
    ui.login("district")
    ui.goto("/laos/1/reports/4")
    page.get_by_label(th("Comment (required when returning the report)")).fill(CHAIR)
    asked = []

    def dismiss(dialog):
        asked.append(dialog.message)
        dialog.dismiss()

    page.on("dialog", dismiss)
    ui.submit(page.locator("header").get_by_role("button", name="English"))
    assert asked == []  # nothing would be lost, so nothing to ask
    assert page.url.endswith("/laos/1/reports/4") and page.locator("html").get_attribute("lang") == "en"
    assert page.get_by_label("Comment (required when returning the report)").input_value() == CHAIR
    assert "Not saved yet" in main_text(ui)

    with page.expect_event("dialog") as question:  # leaving asks first (the browser's own question)
        page.locator("main").get_by_role("link").first.click()
    assert question.value.type == "beforeunload"
    assert page.url.endswith("/laos/1/reports/4")  # answered no: still there
