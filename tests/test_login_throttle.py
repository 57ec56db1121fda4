"""Sign-in throttling: per account name at one client address, and per client address,
kept in the database."""

from __future__ import annotations

from datetime import UTC, datetime, timedelta, timezone

import pytest

from formsvc.store import connect
from formsvc.store import users as user_store
from tests.conftest import csrf_token, login

PAUSED_ACCOUNT = "ระบบจึงระงับการเข้าสู่ระบบของบัญชีนี้จากเครื่องหรือเครือข่ายนี้ไว้ชั่วคราว"
PAUSED_ADDRESS = "ระบบจึงระงับการเข้าสู่ระบบจากที่นี่ไว้ชั่วคราว"
T0 = datetime(2026, 3, 2, 2, 0, tzinfo=UTC)  # 09:00 in Bangkok


def client_at(app, address: str):
    client = app.test_client()
    client.environ_base["REMOTE_ADDR"] = address
    return client


def fail(client, username: str = "clerk", times: int = 1):
    response = None
    for _ in range(times):
        response = login(client, username, "wrong-password-1")
    return response


def paused_until(db, kind: str, key: str) -> str | None:
    row = db.execute("SELECT locked_until FROM login_throttle WHERE kind = ? AND key = ?", [kind, key]).fetchone()
    return row and row[0]


def test_five_failures_pause_the_account_and_say_until_when(client, db):
    for _ in range(4):
        assert fail(client).status_code == 400
    response = fail(client)
    html = response.get_data(as_text=True)
    assert response.status_code == 429
    assert PAUSED_ACCOUNT in html
    # the time shown is the pause's end in Thai time, and Retry-After agrees
    until = datetime.fromisoformat(paused_until(db, "account", "clerk|127.0.0.1")).astimezone(
        timezone(timedelta(hours=7))
    )
    assert f"กรุณาลองใหม่หลังเวลา {until:%H:%M} น." in html
    assert 14 * 60 <= int(response.headers["Retry-After"]) <= 15 * 60
    # now even the right password is refused, and no session starts
    response = login(client, "clerk")
    assert response.status_code == 429 and PAUSED_ACCOUNT in response.get_data(as_text=True)
    assert client.get("/laos/1").status_code == 302


def test_a_pause_says_nothing_about_whether_the_username_exists(db):
    def fifth_message(username):
        for i in range(5):
            try:
                user_store.sign_in(db, username, "wrong-password-1", "192.0.2.1", now=T0 + timedelta(seconds=i))
            except user_store.SignInPaused as paused:
                assert i == 4
                return paused.message
        raise AssertionError("no pause after five failures")

    assert fifth_message("clerk") == fifth_message("no-such-user")
    assert fifth_message("clerk2").startswith("เข้าสู่ระบบไม่สำเร็จหลายครั้งเกินไป")


def test_unknown_usernames_are_paused_on_the_web_too(client):
    fail(client, "nobody-here", 4)
    response = fail(client, "nobody-here")
    assert response.status_code == 429 and PAUSED_ACCOUNT in response.get_data(as_text=True)


def test_username_case_does_not_escape_the_count(client):
    for name in ("clerk", "CLERK", "Clerk", " clerk", "cLeRk"):
        response = fail(client, name)
    assert response.status_code == 429
    assert login(client, "clerk").status_code == 429


def test_a_successful_sign_in_resets_the_account_count(app):
    client = client_at(app, "192.0.2.10")
    fail(client, times=4)
    assert login(client, "clerk").status_code == 302
    client.post("/logout")
    for _ in range(4):
        assert fail(client).status_code == 400  # 4 more: not paused, the count started again
    assert login(client, "clerk").status_code == 302


def test_the_pause_ends_after_fifteen_minutes(db):
    for _ in range(4):
        assert user_store.sign_in(db, "clerk", "wrong-password-1", "192.0.2.1", now=T0) is None
    with pytest.raises(user_store.SignInPaused):
        user_store.sign_in(db, "clerk", "wrong-password-1", "192.0.2.1", now=T0)
    with pytest.raises(user_store.SignInPaused):
        user_store.sign_in(db, "clerk", "formsvc-demo", "192.0.2.1", now=T0 + timedelta(minutes=14, seconds=59))
    user = user_store.sign_in(db, "clerk", "formsvc-demo", "192.0.2.1", now=T0 + timedelta(minutes=15))
    assert user["username"] == "clerk"


def test_failures_spread_beyond_the_window_do_not_add_up(db):
    for minute in (0, 10, 20, 30, 40, 50):  # never five within 15 minutes
        assert (
            user_store.sign_in(db, "clerk", "wrong-password-1", "192.0.2.1", now=T0 + timedelta(minutes=minute)) is None
        )
    assert user_store.sign_in(db, "clerk", "formsvc-demo", "192.0.2.1", now=T0 + timedelta(minutes=51))


def test_twenty_failures_from_one_address_pause_that_address(app):
    attacker = client_at(app, "198.51.100.7")
    for i in range(19):
        assert fail(attacker, f"guess{i % 5}").status_code == 400  # 4 per name: no account is paused
    response = fail(attacker, "guess-last")
    assert response.status_code == 429 and PAUSED_ADDRESS in response.get_data(as_text=True)
    # nobody signs in from that address, not even with the right password ...
    response = login(attacker, "district")
    assert response.status_code == 429 and PAUSED_ADDRESS in response.get_data(as_text=True)
    # ... but the same account from elsewhere does
    assert login(client_at(app, "203.0.113.20"), "district").status_code == 302


def test_the_count_is_shared_by_every_server_process(make_app, db_path):
    # two app instances (as two gunicorn workers) on one database
    worker_a = client_at(make_app(WTF_CSRF_ENABLED=False), "192.0.2.1")
    worker_b = client_at(make_app(WTF_CSRF_ENABLED=False), "192.0.2.1")
    fail(worker_a, times=2)
    fail(worker_b, times=2)
    assert fail(worker_a).status_code == 429
    assert login(worker_b, "clerk").status_code == 429


def test_attempts_in_flight_count_before_their_password_is_checked(db_path, monkeypatch):
    """Requests that run at the same time in other processes cannot together try more
    than five passwords: an attempt is counted before its (slow) password check."""
    real = user_store.authenticate
    checked = []

    def slow_authenticate(db, username, password):
        checked.append(password)
        if len(checked) == 1:
            # while the first check runs, ten more requests arrive (each its own connection)
            for i in range(10):
                other = connect(db_path)
                try:
                    user_store.sign_in(other, "clerk", f"parallel-guess-{i}", "192.0.2.1")
                except user_store.SignInPaused:
                    pass
                finally:
                    other.close()
        return real(db, username, password)

    monkeypatch.setattr(user_store, "authenticate", slow_authenticate)
    db = connect(db_path)
    assert user_store.sign_in(db, "clerk", "first-guess-1", "192.0.2.1") is None
    assert len(checked) == 5  # the first and four of the ten: never more than the limit
    with pytest.raises(user_store.SignInPaused):
        user_store.sign_in(db, "clerk", "formsvc-demo", "192.0.2.1")
    db.close()


def test_admin_sees_paused_accounts_and_unlocks_them(make_app, db):
    app = make_app()  # CSRF on
    clerk = client_at(app, "192.0.2.30")
    token = csrf_token(clerk, "/login")
    for _ in range(5):
        clerk.post("/login", data={"username": "clerk", "password": "wrong-password-1", "csrf_token": token})
    assert paused_until(db, "account", "clerk|192.0.2.30")

    admin = client_at(app, "192.0.2.31")
    token = csrf_token(admin, "/login")
    assert (
        admin.post("/login", data={"username": "admin", "password": "formsvc-demo", "csrf_token": token}).status_code
        == 302
    )
    page = admin.get("/admin").get_data(as_text=True)
    clerk_row = next(row for row in page.split("<tr>") if ">clerk</a>" in row)
    assert "ระงับการเข้าสู่ระบบถึง" in clerk_row and "ยกเลิกการระงับ" in clerk_row
    assert "ระงับการเข้าสู่ระบบถึง" not in next(row for row in page.split("<tr>") if ">clerk2</a>" in row)
    clerk_id = db.execute("SELECT id FROM user WHERE username = 'clerk'").fetchone()[0]

    # without the CSRF token nothing changes
    assert admin.post(f"/admin/users/{clerk_id}/unlock").status_code == 400
    assert paused_until(db, "account", "clerk|192.0.2.30")
    assert f'action="/admin/users/{clerk_id}/unlock"' in clerk_row
    token = csrf_token(admin, "/admin")
    response = admin.post(f"/admin/users/{clerk_id}/unlock", data={"csrf_token": token})
    assert response.status_code == 302
    assert "clerk เข้าสู่ระบบได้อีกครั้งแล้ว" in admin.get("/admin").get_data(as_text=True)
    assert paused_until(db, "account", "clerk|192.0.2.30") is None
    token = csrf_token(clerk, "/login")
    assert (
        clerk.post("/login", data={"username": "clerk", "password": "formsvc-demo", "csrf_token": token}).status_code
        == 302
    )


def test_admin_unlocks_a_paused_address(app, db):
    attacker = client_at(app, "198.51.100.9")
    for i in range(20):
        fail(attacker, f"name{i}")
    admin = client_at(app, "192.0.2.40")
    login(admin, "admin")
    page = admin.get("/admin").get_data(as_text=True)
    assert "198.51.100.9" in page and "ที่อยู่เครือข่ายที่ถูกระงับการเข้าสู่ระบบ" in page
    assert admin.post("/admin/addresses/unlock", data={"address": "198.51.100.9"}).status_code == 302
    assert paused_until(db, "address", "198.51.100.9") is None
    assert login(attacker, "clerk").status_code == 302
    # an address that is not paused: a Thai message, nothing else
    response = admin.post("/admin/addresses/unlock", data={"address": "203.0.113.1"}, follow_redirects=True)
    assert "ที่อยู่เครือข่ายนี้ไม่ได้ถูกระงับ" in response.get_data(as_text=True)


def test_behind_a_proxy_the_forwarded_address_is_counted(make_app, db):
    app = make_app(WTF_CSRF_ENABLED=False, TRUSTED_PROXIES=1)
    office = app.test_client()  # every request reaches the app from the proxy at 127.0.0.1
    office.environ_base["HTTP_X_FORWARDED_FOR"] = "203.0.113.50"
    fail(office, "someone")
    assert [r[0] for r in db.execute("SELECT key FROM login_throttle WHERE kind = 'address'")] == ["203.0.113.50"]


def test_guesses_from_one_address_do_not_lock_the_user_out_elsewhere(app, db):
    """Five wrong passwords for a colleague's account from address A pause that account
    at A only: the colleague signs in at once from their own address B."""
    guesser = client_at(app, "198.51.100.23")
    for _ in range(4):
        assert fail(guesser, "district").status_code == 400
    response = fail(guesser, "district")
    assert response.status_code == 429 and PAUSED_ACCOUNT in response.get_data(as_text=True)

    owner = client_at(app, "203.0.113.77")
    assert login(owner, "district").status_code == 302
    assert owner.get("/laos").status_code == 200
    # ... and address A stays paused for that account, even with the right password
    response = login(guesser, "district")
    assert response.status_code == 429 and PAUSED_ACCOUNT in response.get_data(as_text=True)
    # while another account still signs in from A (only the address-wide limit stops that)
    assert login(client_at(app, "198.51.100.23"), "clerk").status_code == 302
    # the owner's sign-in at B did not lift the pause at A
    assert paused_until(db, "account", "district|198.51.100.23")


def test_admin_sees_every_address_an_account_is_paused_at_and_lifts_them_all(app, db):
    for address in ("198.51.100.1", "198.51.100.2"):
        fail(client_at(app, address), "clerk", 5)
    admin = client_at(app, "192.0.2.41")
    login(admin, "admin")
    page = admin.get("/admin").get_data(as_text=True)
    clerk_row = next(row for row in page.split("<tr>") if ">clerk</a>" in row)
    assert "ระงับการเข้าสู่ระบบถึง" in clerk_row and "198.51.100.1, 198.51.100.2" in clerk_row
    clerk_id = db.execute("SELECT id FROM user WHERE username = 'clerk'").fetchone()[0]
    assert admin.post(f"/admin/users/{clerk_id}/unlock").status_code == 302
    for address in ("198.51.100.1", "198.51.100.2"):
        assert paused_until(db, "account", f"clerk|{address}") is None
        assert login(client_at(app, address), "clerk").status_code == 302


def test_lifting_one_users_pause_leaves_a_longer_name_alone(app, db):
    """clerk's pauses are lifted, clerk2's (a name that begins with clerk) are not."""
    fail(client_at(app, "198.51.100.3"), "clerk", 5)
    fail(client_at(app, "198.51.100.4"), "clerk2", 5)
    admin = client_at(app, "192.0.2.42")
    login(admin, "admin")
    clerk_id = db.execute("SELECT id FROM user WHERE username = 'clerk'").fetchone()[0]
    admin.post(f"/admin/users/{clerk_id}/unlock")
    assert paused_until(db, "account", "clerk|198.51.100.3") is None
    assert paused_until(db, "account", "clerk2|198.51.100.4")


def test_people_sharing_an_account_sign_in_at_the_same_moment_in_one_server_process(app):
    """formsvc serve runs threads in each worker: eight people of one office signing in
    to its shared account at once all get in (attempts in flight are counted as
    failures until their password is checked, so they must not overlap)."""
    import threading

    people = 8  # more than the account's limit of five
    barrier = threading.Barrier(people)
    statuses = []

    def sign_in():
        client = client_at(app, "10.0.0.8")
        barrier.wait()
        statuses.append(login(client, "clerk").status_code)

    threads = [threading.Thread(target=sign_in) for _ in range(people)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    assert statuses == [302] * people
