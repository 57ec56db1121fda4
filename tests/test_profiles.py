"""Forms that check like a reviewer: head counts that add up, dates that default to
today; people's names and positions: kept on the account page, filled into new reports
and minutes, shown wherever the system says who did something."""

from __future__ import annotations

import datetime as dt
import re

import pytest

from formsvc import services
from formsvc.documents import context as doc_context
from formsvc.domain import thai
from formsvc.domain.forums import ORGANISERS
from formsvc.store import forums as forum_store
from formsvc.store import laos as lao_store
from formsvc.store import reports as report_store
from formsvc.store import users as user_store
from formsvc.store.db import one
from formsvc.store.setup import DEMO_PASSWORD
from tests.conftest import CE, arabic, csrf_token, login
from tests.test_forums import form_data
from tests.test_reports import DRAFT, submit_through_the_pages

NAME, POSITION = "นางสาวใจดี มีระเบียบ", "ปลัดองค์การบริหารส่วนตำบล"


def user_id(db, username: str) -> int:
    return one(db, "SELECT id FROM user WHERE username = ?", [username])["id"]


def set_profile(client, display_name=NAME, position=POSITION):
    version = re.search(r'name="version"[^>]*value="(\d+)"', client.get("/account").get_data(as_text=True))
    return client.post(
        "/account", data={"version": version.group(1), "display_name": display_name, "position": position}
    )


def value_of(html: str, name: str) -> str | None:
    """The value a text input of the page holds."""
    tag = re.search(rf'<input[^>]*\bname="{re.escape(name)}"[^>]*>', html)
    value = re.search(r'\bvalue="([^"]*)"', tag.group(0)) if tag else None
    return value.group(1) if value else None


# Head counts --------------------------------------------------------------------------


@pytest.mark.parametrize(
    "changes, message",
    [
        # the finding: 20 men and 20 women are not 42 people
        (
            {"head_count": "42", "head_count_male": "20", "head_count_female": "20"},
            "รวมกันได้ 40 คน ไม่เท่ากับจำนวนผู้เข้าร่วมทั้งหมด 42 คน",
        ),
        ({"head_count": "44"}, "รวมกันได้ 45 คน ไม่เท่ากับจำนวนผู้เข้าร่วมทั้งหมด 44 คน"),
        ({"head_count": "50", "head_count_other": "4"}, "รวมกันได้ 49 คน ไม่เท่ากับจำนวนผู้เข้าร่วมทั้งหมด 50 คน"),
        ({"head_count": ""}, "กรุณากรอกจำนวนผู้เข้าร่วมทั้งหมด"),
        # two members present and one participant are named: not 2 people in all
        (
            {"head_count": "2", "head_count_male": "", "head_count_female": ""},
            "รายชื่อผู้มาประชุมและผู้เข้าร่วมประชุมมี 3 คน มากกว่าจำนวนผู้เข้าร่วมทั้งหมด 2 คน",
        ),
    ],
)
def test_head_counts_that_do_not_add_up_are_refused_keeping_what_was_typed(client, db, changes, message):
    login(client, "facilitator")
    before = db["forum"].count
    response = client.post("/laos/1/forums/new?level=village", data=form_data(db, **changes))
    html = arabic(response.get_data(as_text=True))
    assert response.status_code == 400
    assert message in html
    for name in ("head_count", "head_count_male", "head_count_female", "head_count_other"):
        if name in changes:
            assert value_of(html, name) == (changes[name] or None) or (not changes[name] and not value_of(html, name))
    assert value_of(html, "place") == "ศาลากลางบ้าน" and "นายแทน ให้" in html
    assert db["forum"].count == before


def test_an_edit_with_head_counts_that_do_not_add_up_changes_nothing(client, db):
    login(client, "facilitator")
    location = client.post("/laos/1/forums/new?level=village", data=form_data(db)).location
    forum_id = int(location.rsplit("/", 1)[1])
    response = client.post(location, data=form_data(db, version="1", head_count="46"))
    assert response.status_code == 400
    assert "รวมกันได้ 45 คน ไม่เท่ากับจำนวนผู้เข้าร่วมทั้งหมด 46 คน" in arabic(response.get_data(as_text=True))
    forum = forum_store.get_forum(db, 1, forum_id)
    assert forum["version"] == 1 and forum["head_count"] == 45


def test_others_and_not_stated_complete_the_count_and_print_on_the_minutes(client, db):
    login(client, "facilitator")
    response = client.post(
        "/laos/1/forums/new?level=village",
        data=form_data(db, head_count="42", head_count_male="20", head_count_female="20", head_count_other="2"),
    )
    assert response.status_code == 302, response.get_data(as_text=True)[:3000]
    forum = forum_store.get_forum(db, 1, int(response.location.rsplit("/", 1)[1]))
    assert (forum["head_count"], forum["head_count_other"]) == (42, 2)
    assert value_of(client.get(response.location).get_data(as_text=True), "head_count_other") == "2"
    minutes = doc_context.minutes_context(lao_store.get_lao(db, 1), forum, ORGANISERS)
    assert thai.digits("42 คน (ชาย 20 คน หญิง 20 คน อื่น ๆ หรือไม่ระบุ 2 คน)", "thai") in str(minutes)


def test_a_total_without_breakdown_is_at_least_the_named_attendees(client, db):
    login(client, "facilitator")
    # two present and one participant named, the absentee does not count
    data = form_data(db, head_count="3", head_count_male="", head_count_female="")
    assert client.post("/laos/1/forums/new?level=village", data=data).status_code == 302


# Dates default to today -------------------------------------------------------------


@pytest.mark.parametrize("where", ["inside", "before", "after"])
def test_a_new_forum_is_dated_today_within_the_programme_year(client, db, travel, where):
    start, end = forum_store.programme_window(db)
    today, expected = {
        "inside": (start + dt.timedelta(days=40), start + dt.timedelta(days=40)),
        "before": (start - dt.timedelta(days=10), start),
        "after": (end + dt.timedelta(days=10), end),
    }[where]
    travel(today)
    login(client, "facilitator")
    html = client.get("/laos/1/forums/new?level=village").get_data(as_text=True)
    assert value_of(html, "held_on") == thai.date_input(expected)


# Profiles ---------------------------------------------------------------------------


def test_a_user_keeps_their_name_and_position_on_the_account_page(client, db):
    login(client, "clerk")
    page = client.get("/account")
    assert page.status_code == 200 and value_of(page.get_data(as_text=True), "display_name") == "ปลัด อบต."
    response = set_profile(client)
    assert response.status_code == 302
    row = user_store.get_user(db, user_id(db, "clerk"))
    assert (row["display_name"], row["position"]) == (NAME, POSITION)
    html = client.get("/account").get_data(as_text=True)
    assert value_of(html, "position") == POSITION and "บันทึกชื่อและตำแหน่งเรียบร้อยแล้ว" in html
    assert client.get("/laos/1/reports").status_code == 200  # still signed in: access did not change


def test_a_too_long_position_is_refused_in_thai_keeping_what_was_typed(client, db):
    login(client, "clerk")
    before = user_store.get_user(db, user_id(db, "clerk"))
    response = set_profile(client, display_name="นายใหม่ ชื่อใหม่", position="ก" * 201)
    html = response.get_data(as_text=True)
    assert response.status_code == 400 and "200" in html
    assert value_of(html, "display_name") == "นายใหม่ ชื่อใหม่" and value_of(html, "position") == "ก" * 201
    after = user_store.get_user(db, user_id(db, "clerk"))
    assert (after["display_name"], after["position"], after["version"]) == (
        before["display_name"],
        before["position"],
        before["version"],
    )


def test_the_store_refuses_a_too_long_position(db):
    with pytest.raises(user_store.InputError) as refused:
        user_store.update_profile(db, user_id(db, "clerk"), display_name="x", position="ก" * 201)
    assert refused.value.field == "position"
    assert user_store.get_user(db, user_id(db, "clerk"))["position"] == ""


def test_the_account_page_needs_the_csrf_token(make_app, db):
    client = make_app().test_client()
    token = csrf_token(client, "/login")
    client.post("/login", data={"username": "clerk", "password": DEMO_PASSWORD, "csrf_token": token})
    token = csrf_token(client, "/account")
    data = {"version": "1", "display_name": "นายไม่มี โทเค็น", "position": "ไม่มีโทเค็น"}
    assert client.post("/account", data=data).status_code == 400
    assert user_store.get_user(db, user_id(db, "clerk"))["display_name"] == "ปลัด อบต."
    assert client.post("/account", data={**data, "csrf_token": token}).status_code == 302
    assert user_store.get_user(db, user_id(db, "clerk"))["display_name"] == "นายไม่มี โทเค็น"


def test_an_administrator_sets_a_users_position(client, db):
    login(client, "admin")
    clerk = user_store.get_user(db, user_id(db, "clerk"))
    html = client.get(f"/admin/users/{clerk['id']}").get_data(as_text=True)
    assert value_of(html, "position") in (None, "")
    response = client.post(
        f"/admin/users/{clerk['id']}",
        data={
            "version": str(clerk["version"]),
            "display_name": NAME,
            "position": POSITION,
            "role": "lao_clerk",
            "lao_id": str(clerk["lao_id"]),
            "active": "y",
        },
    )
    assert response.status_code == 302, response.get_data(as_text=True)[:3000]
    assert user_store.get_user(db, clerk["id"])["position"] == POSITION
    assert POSITION in client.get("/admin").get_data(as_text=True)


# Pre-filled from the profile ----------------------------------------------------------


def test_a_new_forum_is_filled_with_the_minute_takers_name_and_position(client, db):
    login(client, "facilitator")
    set_profile(client, "นายวิทยา กระบวนการ", "นักวิชาการพัฒนาชุมชน")
    html = client.get("/laos/1/forums/new?level=village").get_data(as_text=True)
    assert value_of(html, "recorder_name") == "นายวิทยา กระบวนการ"
    assert value_of(html, "recorder_position") == "นักวิชาการพัฒนาชุมชน"


def test_a_new_report_is_filled_with_the_reporters_name_and_position(client, db):
    login(client, "clerk")
    set_profile(client)
    html = client.get("/laos/1/reports/4").get_data(as_text=True)
    assert value_of(html, "reporter_name") == NAME and value_of(html, "reporter_position") == POSITION
    # someone who only reads the report does not see their own name in it
    district = client.application.test_client()
    login(district, "district")
    set_profile(district, "นายอำเภอ ตรวจดี", "ท้องถิ่นอำเภอ")
    html = district.get("/laos/1/reports/4").get_data(as_text=True)
    assert not value_of(html, "reporter_name") and not value_of(html, "reporter_position")
    # a report already signed keeps its own reporter
    report_store.save_draft(db, 1, 4, DRAFT, None)
    html = client.get("/laos/1/reports/4").get_data(as_text=True)
    assert value_of(html, "reporter_name") == "นายสมชาย ใจดี" and value_of(html, "reporter_position") == "ปลัด อบต."


# Names shown, not usernames ------------------------------------------------------------


def test_report_versions_name_who_submitted_and_who_reviewed(client, db):
    login(client, "clerk")
    set_profile(client)
    assert submit_through_the_pages(client, db, 1, 4, DRAFT).status_code == 302
    district = client.application.test_client()
    login(district, "district")
    set_profile(district, "นายอำเภอ ตรวจดี", "ท้องถิ่นอำเภอ")
    assert district.post("/laos/1/reports/4/review", data={"decision": "acknowledge"}).status_code == 302
    html = client.get("/laos/1/reports/4").get_data(as_text=True)
    assert f"{NAME} ({POSITION})" in html
    assert "ตรวจสอบโดย นายอำเภอ ตรวจดี (ท้องถิ่นอำเภอ)" in html


def test_orders_name_who_issued_them(client, db):
    login(client, "clerk")
    set_profile(client)
    services.issue_order(db, 1, dt.date(CE, 3, 1), None, user_id(db, "clerk"))
    html = client.get("/laos/1/working-group").get_data(as_text=True)
    assert f"{NAME} ({POSITION})" in html


def test_a_user_without_a_name_is_shown_by_username(db):
    clerk = user_id(db, "clerk")
    db.execute("UPDATE user SET display_name = '' WHERE id = ?", [clerk])
    order = services.issue_order(db, 1, dt.date(CE, 3, 1), None, clerk)
    from formsvc.store import working_group as wg_store

    issued = {o["id"]: o for o in wg_store.orders(db, 1)}[order["id"]]
    assert issued["issued_by_name"] == "clerk"


def test_the_audit_log_names_people_with_their_position(client, db):
    login(client, "clerk")
    set_profile(client)
    admin = client.application.test_client()
    login(admin, "admin")
    html = admin.get("/audit").get_data(as_text=True)
    assert f"{NAME} ({POSITION})" in html
