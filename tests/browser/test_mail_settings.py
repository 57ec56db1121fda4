"""E-mail settings in the browser: one's own page from the header, and the admin's view."""

from __future__ import annotations

import pytest

from tests.browser.ui import main_text, th

pytestmark = pytest.mark.browser


def test_clerk_sets_an_email_address_and_turns_notices_off(open_ui):
    ui = open_ui()
    page = ui.page
    ui.login("clerk")
    with page.expect_navigation():
        page.locator("header").get_by_role("link", name=th("E-mail"), exact=True).click()
    assert page.url.endswith("/account/email")
    address = page.get_by_label(th("E-mail address"))
    address.fill("somchai@example")
    ui.submit(page.get_by_role("button", name=th("Save"), exact=True), status=400)
    assert th("This is not a valid e-mail address (for example somchai@example.go.th).") in main_text(ui)
    assert page.get_by_label(th("E-mail address")).input_value() == "somchai@example"  # what was typed stays
    ui.shot("bad-address")

    page.get_by_label(th("E-mail address")).fill("somchai@example.go.th")
    page.get_by_label(th("Send notices and reminders by e-mail")).uncheck()
    ui.submit(page.get_by_role("button", name=th("Save"), exact=True))
    assert th("Your e-mail settings have been saved.") in main_text(ui)
    assert page.get_by_label(th("E-mail address")).input_value() == "somchai@example.go.th"
    assert not page.get_by_label(th("Send notices and reminders by e-mail")).is_checked()
    ui.shot("saved")


def test_admin_sees_that_mail_is_not_set_up(open_ui, monkeypatch):
    monkeypatch.delenv("FORMSVC_SMTP_HOST", raising=False)
    ui = open_ui()
    ui.login("admin")
    ui.goto("/admin")
    assert "ยังไม่ได้ตั้งค่าการส่งอีเมล" in main_text(ui)
    ui.shot("admin")
