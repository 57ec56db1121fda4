"""Removing a forum on a phone asks first, and the forum comes back with one tap."""

from __future__ import annotations

import pytest

from tests.browser.ui import in_page_digits, main_text, th

pytestmark = pytest.mark.browser

TITLE = "เวทีประชาคมหมู่ที่ 2 บ้านโนนสูง ทบทวนแผนชุมชน"


def test_clerk_removes_a_forum_and_restores_it_on_phone(open_ui):
    ui = open_ui(phone=True)
    page = ui.page
    ui.login("clerk")
    ui.goto("/laos/1/forums/2")
    save = page.get_by_role("button", name=th("Save"), exact=True)
    remove = page.get_by_role("button", name=th("Remove this forum"), exact=True)
    # far from save: its own section at the end of the page
    gap = remove.bounding_box()["y"] - (save.bounding_box()["y"] + save.bounding_box()["height"])
    assert gap > 150, gap
    remove.scroll_into_view_if_needed()
    ui.shot("forum-remove-section")

    # the first tap only asks; saying no leaves the forum where it is
    questions = []

    def answer(accept):
        def handler(dialog):
            questions.append(dialog.message)
            dialog.accept() if accept else dialog.dismiss()

        return handler

    no = answer(False)
    page.on("dialog", no)
    remove.click()
    page.wait_for_timeout(300)
    page.remove_listener("dialog", no)
    assert questions == [th("Remove this forum?")] and page.url.endswith("/laos/1/forums/2")

    page.on("dialog", answer(True))
    with page.expect_navigation():
        remove.click()
    assert page.url.endswith("/laos/1/forums")
    assert TITLE not in main_text(ui)
    status = page.get_by_role("status")
    assert th("Forum removed.") in status.inner_text()
    ui.shot("forum-removed")

    ui.submit(status.get_by_role("button", name=th("Restore"), exact=True))
    assert page.url.endswith("/laos/1/forums/2")
    assert th("Forum restored.") in main_text(ui)
    assert page.get_by_label(th("Meeting name")).input_value() == TITLE
    ui.shot("forum-restored")

    # the LAO's recently-deleted page lists what was removed, by whom, with its button
    ui.goto("/laos/1/forums/3")
    with page.expect_navigation():
        page.get_by_role("button", name=th("Remove this forum"), exact=True).click()
    with page.expect_navigation():
        page.get_by_role("status").get_by_role("link", name=th("Recently deleted")).click()
    row = page.locator("tbody tr", has_text=in_page_digits(page, "หมู่ที่ 3"))
    assert "ปลัด อบต." in row.inner_text()
    assert row.get_by_role("button", name=th("Restore")).count() == 1
    ui.shot("recently-deleted")
