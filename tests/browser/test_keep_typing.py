"""In a real browser, with and without JavaScript, at desktop and phone size: switching
the language on the working group page keeps the names typed there (not saved until
Save), the emblem upload keeps them too, and a member removed from the list comes back
in its place with one tap."""

from __future__ import annotations

import pytest

from tests.browser.ui import main_text, th
from tests.test_working_group import png_bytes

pytestmark = pytest.mark.browser

PAGE = "/laos/1/working-group"
CHAIR = "นายประธาน พิมพ์ใหม่"
THIRD = "นายบุญมี นามวงศ์"  # row 3 of LAO 1's demo group


def _name(page, n: int, label: str = "Name"):
    return page.get_by_label(f"{label} {n}", exact=True)


def _questions(page) -> list[str]:
    """Every question the page asks (answered yes), to check none was needed."""
    asked: list[str] = []

    def handler(dialog):
        asked.append(dialog.message)
        dialog.accept()

    page.on("dialog", handler)
    return asked


@pytest.mark.parametrize(
    "phone, javascript",
    [(False, True), (True, True), (False, False), (True, False)],
    ids=["desktop", "phone", "no-js", "phone-no-js"],
)
def test_language_switch_keeps_the_typed_name(open_ui, phone, javascript):
    ui = open_ui(phone=phone, javascript=javascript)
    page = ui.page
    asked = _questions(page)
    ui.login("clerk")
    ui.goto(PAGE)
    _name(page, 1, th("Name")).fill(CHAIR)

    ui.submit(page.locator("header").get_by_role("button", name="English"))
    assert page.url.endswith(PAGE) and page.locator("html").get_attribute("lang") == "en"
    assert _name(page, 1).input_value() == CHAIR  # still there, the page now in English
    assert "Not saved yet" in main_text(ui)
    assert asked == []  # nothing would be lost, so nothing to ask
    if javascript:
        ui.shot("switched-with-typing-kept")

    # not saved until Save: then it is
    ui.submit(page.locator("main").get_by_role("button", name="Save", exact=True))
    assert "Working group saved." in main_text(ui)
    ui.goto(PAGE)
    assert _name(page, 1).input_value() == CHAIR


@pytest.mark.parametrize("javascript", [True, False], ids=["js", "no-js"])
def test_emblem_upload_keeps_the_typed_name(open_ui, tmp_path, javascript):
    ui = open_ui(javascript=javascript)
    page = ui.page
    asked = _questions(page)
    ui.login("clerk")
    ui.goto(PAGE)
    _name(page, 1, th("Name")).fill(CHAIR)
    image = tmp_path / "garuda.png"
    image.write_bytes(png_bytes())
    page.set_input_files("#emblem", str(image))
    ui.submit(page.get_by_role("button", name=th("Upload"), exact=True))
    assert th("Emblem saved.") in main_text(ui)
    assert page.locator("img.emblem-preview").count() == 1
    assert _name(page, 1, th("Name")).input_value() == CHAIR
    assert asked == []
    # the emblem sits before the step that issues the order
    emblem = page.locator("#emblem-section").bounding_box()["y"]
    issue = page.get_by_role("button", name=th("Save and issue the order…")).bounding_box()["y"]
    assert emblem < issue


@pytest.mark.parametrize("phone", [False, True], ids=["desktop", "phone"])
def test_member_removed_then_restored_in_its_place(open_ui, phone):
    ui = open_ui(phone=phone)
    page = ui.page
    ui.login("clerk")
    ui.goto(PAGE)
    names = page.locator("table.rows tbody tr input[name$='-name']")
    before = [names.nth(i).input_value() for i in range(names.count())]
    assert before[2] == THIRD
    page.locator("table.rows tbody tr").nth(2).get_by_label(th("Remove")).check()
    ui.submit(page.locator("main").get_by_role("button", name=th("Save"), exact=True))
    status = page.get_by_role("status").filter(has_text=THIRD)
    assert th("%(name)s was removed from the working group.", name=THIRD) in status.inner_text()
    assert THIRD not in [names.nth(i).input_value() for i in range(names.count())]
    ui.shot("member-removed")

    ui.submit(status.get_by_role("button", name=th("Restore"), exact=True))
    assert page.url.endswith(PAGE)
    assert th("%(name)s is back in the working group, in the same place in the list.", name=THIRD) in main_text(ui)
    assert [names.nth(i).input_value() for i in range(names.count())] == before
    ui.shot("member-restored")


def test_forum_form_on_a_phone_without_javascript_keeps_every_row_across_the_switch(open_ui):
    """The long forum form: a place, a third member present, an agenda discussion and a
    third ranked project typed, then the language switched, with no JavaScript on a phone:
    all of it comes back on the same (LAO-level) form, said not saved, and Enter in a
    field then saves the form rather than switching the language again."""
    ui = open_ui(phone=True, javascript=False)
    page = ui.page
    ui.login("clerk")
    form = "/laos/1/forums/new?level=lao"
    ui.goto(form)
    typed = {
        "#place": "ศาลาประชาคม หมู่ที่ ๓",
        "#present-2-name": "นางสาวพิมพ์ใจ ไม่หาย",
        "#agenda-0-discussion": "ที่ประชุมอภิปรายเรื่องถนน",
        "#projects-2-name": "โครงการขุดลอกคลองสาธารณะ",
    }
    for selector, value in typed.items():
        page.fill(selector, value)

    ui.submit(page.locator("header").get_by_role("button", name="English"))
    assert page.url.endswith(form) and page.locator("html").get_attribute("lang") == "en"
    assert "LAO-level forum" in main_text(ui) and "Not saved yet" in main_text(ui)
    assert {s: page.locator(s).input_value() for s in typed} == typed
    ui.shot("forum-switched-with-typing-kept", axe=False)

    # Enter in a field presses Save (the form's first button), not the language switch
    # (this form lacks what a forum needs: it comes back with its errors, all still typed)
    with page.expect_navigation() as navigation:
        page.locator("#place").press("Enter")
    response = navigation.value
    assert response.request.method == "POST" and response.request.url.endswith(form) and response.status == 400
    ui._refused.add((page.url, 400))  # the expected refusal, noted by Chromium
    assert page.locator("html").get_attribute("lang") == "en"
    assert {s: page.locator(s).input_value() for s in typed} == typed
