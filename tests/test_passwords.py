"""The password policy wherever a password is set, and changing one's own password."""

from __future__ import annotations

import pytest
from click.testing import CliRunner

from formsvc.cli import main
from formsvc.domain import passwords
from formsvc.domain.messages import thai, thai_gettext
from formsvc.store import users as user_store
from formsvc.store.setup import DEMO_PASSWORD
from tests.conftest import csrf_token, login

TOO_SHORT = "รหัสผ่านต้องยาวอย่างน้อย 10 ตัวอักษร"
DIGITS = "รหัสผ่านต้องไม่เป็นตัวเลขล้วน"
USERNAME = "รหัสผ่านต้องไม่เหมือนชื่อผู้ใช้"
COMMON = "รหัสผ่านนี้เป็นรหัสที่ใช้กันทั่วไป"
REPEATED = "รหัสผ่านต้องไม่เป็นตัวอักษรตัวเดียวซ้ำกัน"
PUBLISHED = "รหัสผ่านนี้เป็นรหัสผ่านของระบบสาธิตที่เผยแพร่ไว้"


@pytest.mark.parametrize(
    "password, username, expected",
    [
        ("short-pw1", "somchai", TOO_SHORT),
        ("0812345678", "somchai", DIGITS),
        ("๑๒๓๔๕๖๗๘๙๐", "somchai", DIGITS),  # Thai digits are digits too
        ("Somchai.Dee", "somchai.dee", USERNAME),
        ("Password123", "somchai", COMMON),
        ("QWERTYUIOP", "somchai", COMMON),
        ("x" * 129, "somchai", "รหัสผ่านยาวเกิน 128 ตัวอักษร"),
        # one character repeated, whatever its length or case
        ("aaaaaaaaaa", "somchai", REPEATED),
        ("ZZZZZzzzzzzzzzzzzzzzzzzzzz", "somchai", REPEATED),
        ("กกกกกกกกกกกก", "somchai", REPEATED),
        # the username repeated, reversed, or with a few characters added
        ("clerkclerk", "clerk", USERNAME),
        ("ClerkCLERKclerk", "clerk", USERNAME),
        ("krelckrelc", "clerk", USERNAME),
        ("iahcmos-2569", "somchai", USERNAME),
        ("somchai.dee2024", "Somchai.Dee", USERNAME),
        ("somchai 1234", "somchai", USERNAME),
        # ... but a long password that also holds it is fine, as is a short name by chance
        ("somchai-ทุ่งนาเขียวขจี", "somchai", None),
        ("planning-bangkok", "ann", None),
        # the demo's password is published: refused outside the demo database
        (DEMO_PASSWORD, "clerk", PUBLISHED),
        (DEMO_PASSWORD.upper(), "somchai", PUBLISHED),
        ("ทุ่งนาเขียวขจี", "somchai", None),
        ("long-enough-1", "somchai", None),
    ],
)
def test_policy(password, username, expected):
    message = passwords.problem(password, username)
    if expected is None:
        assert message is None
    else:
        assert message is not None and expected in thai(message)


def test_the_demo_password_is_allowed_in_the_demo_database_only():
    assert passwords.problem(DEMO_PASSWORD, "clerk", demo=True) is None
    assert PUBLISHED in thai(passwords.problem(DEMO_PASSWORD, "clerk", demo=False))
    # the demo database does not excuse the other rules
    assert REPEATED in thai(passwords.problem("aaaaaaaaaa", "clerk", demo=True))


def test_password_rules_are_english_ids_with_thai_translations():
    """The English interface shows English, the Thai one Thai: every rule goes through
    the catalog."""
    cases = ("short", "1234567890", "aaaaaaaaaa", "clerkclerk", DEMO_PASSWORD, "password123", "x" * 129)
    for password in cases:
        message = passwords.problem(password, "clerk")
        assert message.id.isascii() and message.text(lambda msgid, **p: msgid % p if p else msgid).isascii()
        assert thai(message) != message.text(lambda msgid, **p: msgid % p if p else msgid), password


def test_cli_create_user_refuses_a_weak_password(tmp_path):
    env = {"FORMSVC_DB": str(tmp_path / "cli.db")}
    assert CliRunner().invoke(main, ["init-db"], env=env).exit_code == 0
    result = CliRunner().invoke(
        main, ["create-user", "somchai", "--role", "national", "--password", "1234567890"], env=env
    )
    assert result.exit_code == 1 and DIGITS in result.output
    result = CliRunner().invoke(
        main, ["create-user", "somchai", "--role", "national"], env=env, input="somchai\nsomchai\n"
    )
    assert result.exit_code == 1 and TOO_SHORT in result.output
    from formsvc.store import connect

    db = connect(tmp_path / "cli.db")
    assert db.execute("SELECT count(*) FROM user WHERE username = 'somchai'").fetchone()[0] == 0


def test_admin_form_refuses_a_weak_password(client, db):
    login(client, "admin")
    before = db["user"].count
    data = {"display_name": "สมศรี", "role": "national", "lao_id": "0", "district_code": "", "province_code": ""}
    for username, password, message in (
        ("somsri", "somsri", TOO_SHORT),
        ("somsri.nak", "SOMSRI.NAK", USERNAME),
        ("somsri", "password123", COMMON),
        ("somsri", "0812345678", DIGITS),
        ("somsri", "aaaaaaaaaaaa", REPEATED),
        ("somsri", "irsmosirsmos", USERNAME),
    ):
        response = client.post("/admin/users", data={**data, "username": username, "password": password})
        html = response.get_data(as_text=True)
        assert response.status_code == 400 and message in html, password
        assert "สมศรี" in html  # what was typed is kept
    assert db["user"].count == before


def test_the_english_interface_shows_the_rules_in_english(client, db):
    login(client, "admin")
    client.post("/language", data={"locale": "en"})
    data = {"display_name": "Somsri", "role": "national", "lao_id": "0", "district_code": "", "province_code": ""}
    response = client.post("/admin/users", data={**data, "username": "somsri", "password": "aaaaaaaaaaaa"})
    html = response.get_data(as_text=True)
    assert response.status_code == 400 and "The password must not be one character repeated." in html
    assert REPEATED not in html


def test_outside_the_demo_database_the_demo_password_is_refused(tmp_path, db):
    env = {"FORMSVC_DB": str(tmp_path / "cli.db")}
    assert CliRunner().invoke(main, ["init-db"], env=env).exit_code == 0
    result = CliRunner().invoke(
        main, ["create-user", "somchai", "--role", "national", "--password", DEMO_PASSWORD], env=env
    )
    assert result.exit_code == 1 and PUBLISHED in result.output
    # the demo database allows it; the same database without its demo mark does not
    user_store.create_user(db, "somsri", DEMO_PASSWORD, "national")
    db.execute("DELETE FROM meta WHERE key = 'demo'")
    with pytest.raises(user_store.InputError) as refused:
        user_store.create_user(db, "somsak", DEMO_PASSWORD, "national")
    assert PUBLISHED in refused.value.text(thai_gettext)
    clerk = db.execute("SELECT id FROM user WHERE username = 'clerk'").fetchone()[0]
    with pytest.raises(user_store.InputError) as refused:
        user_store.change_password(db, clerk, "wrong-but-unchecked", DEMO_PASSWORD.upper())
    assert PUBLISHED in refused.value.text(thai_gettext)


def change(client, current, new, confirm=None):
    return client.post(
        "/account/password",
        data={"current_password": current, "password": new, "confirm": new if confirm is None else confirm},
    )


def password_hash(db, username):
    return db.execute("SELECT password_hash FROM user WHERE username = ?", [username]).fetchone()[0]


def test_every_role_has_the_change_password_page(client):
    for username in ("clerk", "facilitator", "district", "province", "national", "admin"):
        other = client.application.test_client()
        login(other, username)
        html = other.get("/laos" if username != "clerk" else "/laos/1").get_data(as_text=True)
        assert 'href="/account/password"' in html
        page = other.get("/account/password")
        assert page.status_code == 200 and "รหัสผ่านปัจจุบัน" in page.get_data(as_text=True)


def test_change_password_needs_the_current_one_and_a_good_new_one(client, db):
    login(client, "clerk")
    before = password_hash(db, "clerk")
    cases = [
        (("wrong-current-1", "brand-new-pass-1"), "รหัสผ่านปัจจุบันไม่ถูกต้อง"),
        ((DEMO_PASSWORD, "short"), TOO_SHORT),
        ((DEMO_PASSWORD, "clerk"), TOO_SHORT),
        ((DEMO_PASSWORD, "1234567890123"), DIGITS),
        ((DEMO_PASSWORD, "iloveyou123"), COMMON),
        ((DEMO_PASSWORD, DEMO_PASSWORD), "รหัสผ่านใหม่ต้องไม่ซ้ำกับรหัสผ่านปัจจุบัน"),
        ((DEMO_PASSWORD, "brand-new-pass-1", "brand-new-pass-2"), "รหัสผ่านใหม่ทั้งสองช่องไม่ตรงกัน"),
        ((DEMO_PASSWORD, "", ""), "กรุณากรอกช่องนี้"),
    ]
    for args, message in cases:
        response = change(client, *args)
        assert response.status_code == 400, args
        assert message in response.get_data(as_text=True), args
    assert password_hash(db, "clerk") == before
    assert client.get("/laos/1").status_code == 200  # still signed in


def test_changing_the_password_signs_out_other_sessions_only(client, db):
    login(client, "clerk")
    laptop = client.application.test_client()
    login(laptop, "clerk")
    assert laptop.get("/laos/1").status_code == 200
    old_cookie = client.get_cookie("formsvc_session").value

    response = change(client, DEMO_PASSWORD, "ทุ่งนาเขียวขจี-2569")
    assert response.status_code == 302
    page = client.get(response.location, follow_redirects=True).get_data(as_text=True)
    assert "เปลี่ยนรหัสผ่านแล้ว" in page
    assert client.get("/laos/1").status_code == 200  # this session continues ...
    assert laptop.get("/laos/1").status_code == 302  # ... the other one has ended
    copy = client.application.test_client()  # and so has a copy of the old cookie
    copy.set_cookie("formsvc_session", old_cookie)
    assert copy.get("/laos/1").status_code == 302
    # the old password no longer works, the new one does
    assert login(laptop, "clerk").status_code == 400
    assert login(laptop, "clerk", "ทุ่งนาเขียวขจี-2569").status_code == 302


def test_change_password_form_needs_csrf(make_app, db):
    client = make_app().test_client()
    token = csrf_token(client, "/login")
    client.post("/login", data={"username": "clerk", "password": DEMO_PASSWORD, "csrf_token": token})
    before = password_hash(db, "clerk")
    response = client.post(
        "/account/password",
        data={"current_password": DEMO_PASSWORD, "password": "brand-new-pass-1", "confirm": "brand-new-pass-1"},
    )
    assert response.status_code == 400
    assert password_hash(db, "clerk") == before
    token = csrf_token(client, "/account/password")
    response = client.post(
        "/account/password",
        data={
            "current_password": DEMO_PASSWORD,
            "csrf_token": token,
            "password": "brand-new-pass-1",
            "confirm": "brand-new-pass-1",
        },
    )
    assert response.status_code == 302 and password_hash(db, "clerk") != before


def test_guessing_the_current_password_pauses_the_account(client, db):
    login(client, "clerk")
    for _ in range(4):
        assert change(client, "guess-guess-1", "brand-new-pass-1").status_code == 400
    response = change(client, "guess-guess-2", "brand-new-pass-1")
    assert response.status_code == 400
    assert "ระบบจึงระงับการเข้าสู่ระบบของบัญชีนี้จากเครื่องหรือเครือข่ายนี้ไว้ชั่วคราว" in response.get_data(as_text=True)
    # even the right current password waits for the pause to end
    response = change(client, DEMO_PASSWORD, "brand-new-pass-1")
    assert "ระบบจึงระงับการเข้าสู่ระบบของบัญชีนี้จากเครื่องหรือเครือข่ายนี้ไว้ชั่วคราว" in response.get_data(as_text=True)
    assert login(client.application.test_client(), "clerk").status_code == 429
