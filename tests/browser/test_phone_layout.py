"""At phone width (390 px): the forum form keeps Save in reach while scrolling, removing
the forum sits well apart from Save, and wide tables scroll sideways inside their own box
with a cue, the page itself no wider than the screen."""

from __future__ import annotations

import os

import pytest

from formsvc.store import connect
from tests.browser.ui import PHONE, th

pytestmark = pytest.mark.browser


def _one(sql: str):
    db = connect(os.environ["FORMSVC_DB"])
    try:
        return db.execute(sql).fetchone()[0]
    finally:
        db.close()


def _in_view(box) -> bool:
    return box is not None and box["y"] >= 0 and box["y"] + box["height"] <= PHONE["height"]


def test_forum_form_save_bar_stays_in_reach_on_a_phone(open_ui):
    ui = open_ui(phone=True)
    page = ui.page
    ui.login("clerk")
    forum = _one("SELECT id FROM forum WHERE lao_id = 1 AND level = 'lao'")
    ui.goto(f"/laos/1/forums/{forum}")
    save = page.locator("main").get_by_role("button", name=th("Save"), exact=True)
    height = page.evaluate("document.documentElement.scrollHeight")
    assert height > 3 * PHONE["height"]  # a long form: the bar has something to stay over
    for where in (0, height // 3, 2 * height // 3):
        page.evaluate(f"window.scrollTo(0, {where})")
        assert _in_view(save.bounding_box()), f"Save out of sight at scroll {where}"
    # the sections are listed at the top and lead to their parts
    parts = page.get_by_role("navigation", name=th("Parts of the form"))
    for name in ("Forum details", "Attendees", "Agenda and minutes", "Projects adopted"):
        assert parts.get_by_role("link", name=th(name)).count() == 1
    # removing the forum: a form of its own, well below the end of the one with Save
    remove = page.get_by_role("button", name=th("Remove this forum"))
    remove.scroll_into_view_if_needed()
    form_end = page.evaluate("document.querySelector('form.sectioned').getBoundingClientRect().bottom")
    assert remove.bounding_box()["y"] - form_end >= 60
    assert page.evaluate("document.documentElement.scrollWidth <= document.documentElement.clientWidth")
    page.evaluate("window.scrollTo(0, 0)")
    ui.shot("forum-form")


@pytest.mark.parametrize("which", ["district", "projects"])
def test_wide_tables_scroll_inside_their_box_on_a_phone(open_ui, which):
    ui = open_ui(phone=True)
    page = ui.page
    ui.login("admin")
    if which == "district":
        ui.goto(f"/districts/{_one('SELECT district_code FROM lao WHERE id = 1')}")
    else:
        ui.goto("/laos/1/projects")
    page.evaluate("document.fonts.ready.then(() => true)")
    wrapper = page.locator(".table-scroll").first
    box = wrapper.locator(".table-scroll-box")
    assert box.evaluate("b => b.scrollWidth > b.clientWidth + 10"), "the table should be wider than its box"
    assert page.evaluate("document.documentElement.scrollWidth <= document.documentElement.clientWidth")
    hint = wrapper.locator(".scroll-hint")
    assert hint.is_visible() and hint.inner_text().strip() == th("Scroll sideways →")
    # scrolled to its end, the hint goes: nothing more to see
    box.evaluate("b => { b.scrollLeft = b.scrollWidth; }")
    page.wait_for_function("() => document.querySelector('.table-scroll').classList.contains('at-end')")
    assert not hint.is_visible()
    box.evaluate("b => { b.scrollLeft = 0; }")
    ui.shot(which)
