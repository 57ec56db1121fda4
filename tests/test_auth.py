"""Signing in and out, sessions and CSRF."""

from tests.conftest import csrf_token, login


def test_login_starts_a_fresh_session_with_safe_cookies(make_app):
    client = make_app().test_client()
    client.get("/login")
    token = csrf_token(client, "/login")
    response = client.post(
        "/login", data={"username": "clerk", "password": "formsvc-demo", "csrf_token": token, "next": "/laos/1"}
    )
    assert response.status_code == 302 and response.location == "/laos/1"
    cookie = response.headers["Set-Cookie"]
    assert "HttpOnly" in cookie and "SameSite=Lax" in cookie
    assert "formsvc_session" in cookie


def test_wrong_password_gets_a_thai_message_and_keeps_the_username(client):
    response = client.post("/login", data={"username": "clerk", "password": "nope-nope"})
    html = response.get_data(as_text=True)
    assert response.status_code == 400
    assert "ชื่อผู้ใช้หรือรหัสผ่านไม่ถูกต้อง" in html
    assert 'value="clerk"' in html
    assert client.get("/laos/1").status_code == 302  # still signed out


def test_next_never_leaves_the_site(client):
    response = client.post(
        "/login", data={"username": "clerk", "password": "formsvc-demo", "next": "https://evil.example/x"}
    )
    assert response.location == "/"


def test_logout_ends_the_session(client):
    login(client, "clerk")
    assert client.get("/laos/1").status_code == 200
    client.post("/logout")
    assert client.get("/laos/1").status_code == 302


def test_a_post_without_csrf_token_changes_nothing(make_app, db):
    client = make_app().test_client()  # CSRF on
    token = csrf_token(client, "/login")
    assert (
        client.post("/login", data={"username": "clerk", "password": "formsvc-demo", "csrf_token": token}).status_code
        == 302
    )
    before = db["village"].count
    response = client.post("/laos/1/villages", data={"number": "20", "name": "บ้านใหม่"})
    assert response.status_code == 400
    assert "แบบฟอร์มหมดอายุ" in response.get_data(as_text=True)
    assert db["village"].count == before
    # the same post with the token goes through
    token = csrf_token(client, "/laos/1/villages")
    response = client.post("/laos/1/villages", data={"number": "20", "name": "บ้านใหม่", "csrf_token": token})
    assert response.status_code == 302
    assert db["village"].count == before + 1


def test_login_without_csrf_token_is_refused(make_app):
    client = make_app().test_client()
    response = client.post("/login", data={"username": "clerk", "password": "formsvc-demo"})
    assert response.status_code == 400
    assert client.get("/laos/1").status_code == 302


def test_logout_needs_csrf_token(make_app):
    client = make_app().test_client()
    token = csrf_token(client, "/login")
    client.post("/login", data={"username": "clerk", "password": "formsvc-demo", "csrf_token": token})
    assert client.post("/logout").status_code == 400
    assert client.get("/laos/1").status_code == 200


def test_deactivated_user_loses_the_session(client, db):
    login(client, "clerk")
    db.execute("UPDATE user SET active = 0 WHERE username = 'clerk'")
    db.conn.commit()
    assert client.get("/laos/1").status_code == 302


def test_security_headers_on_pages_documents_and_json(client):
    login(client, "clerk")
    responses = {
        "page": client.get("/laos/1"),
        "document": client.get("/laos/1/documents/order.docx"),
        "json": client.get("/api/v1/laos/1/compliance"),
        "sign-in page": client.application.test_client().get("/login"),
    }
    assert responses["document"].headers["Content-Disposition"].startswith("attachment")
    assert responses["json"].mimetype == "application/json"
    for name, response in responses.items():
        assert response.status_code == 200, name
        csp = response.headers["Content-Security-Policy"]
        assert "frame-ancestors 'none'" in csp, name
        assert "script-src 'self'" in csp and "default-src 'self'" in csp and "object-src 'none'" in csp, name
        assert "unsafe-inline" not in csp and "unsafe-eval" not in csp, name
        assert response.headers["X-Content-Type-Options"] == "nosniff", name
        assert response.headers["Referrer-Policy"] == "same-origin", name
        assert response.headers["X-Frame-Options"] == "DENY", name


def test_no_template_carries_inline_script():
    # the CSP would block it anyway; this keeps it from being written at all
    import re

    from formsvc import TEMPLATES

    for path in (TEMPLATES / "html").rglob("*.html"):
        text = path.read_text(encoding="utf-8")
        assert not re.search(r"<script(?![^>]*\bsrc=)", text), path
        assert not re.search(r"\son[a-z]+\s*=", text), path
        assert "javascript:" not in text, path


def test_error_pages_are_thai(client):
    login(client, "clerk")
    response = client.get("/laos/3")
    assert response.status_code == 404
    assert "ไม่พบหน้าที่ต้องการ" in response.get_data(as_text=True)
    response = client.get("/laos/new")
    assert response.status_code == 403
    assert "ไม่มีสิทธิ์" in response.get_data(as_text=True)


def test_server_error_page_is_thai(make_app):
    app = make_app(WTF_CSRF_ENABLED=False, TESTING=False, PROPAGATE_EXCEPTIONS=False)

    @app.get("/boom")
    def boom():
        raise RuntimeError("boom")

    response = app.test_client().get("/boom")
    assert response.status_code == 500
    assert "เกิดข้อผิดพลาด" in response.get_data(as_text=True)


def test_healthz_reads_the_database(client):
    response = client.get("/healthz")
    assert response.status_code == 200
    assert response.json["status"] == "ok" and response.json["schema_version"] >= 5


def test_logout_ends_the_session_on_the_server_too(client):
    login(client, "clerk")
    cookie = client.get_cookie("formsvc_session").value
    client.post("/logout")
    copy = client.application.test_client()
    copy.set_cookie("formsvc_session", cookie)
    assert copy.get("/laos/1").status_code == 302


def test_pages_and_documents_are_not_cached(client):
    login(client, "clerk")
    assert client.get("/laos/1").headers["Cache-Control"] == "no-store"
    assert client.get("/laos/1/documents/order.pdf").headers["Cache-Control"] == "no-store"


def test_huge_ids_are_404_not_500(client):
    login(client, "admin")
    for url in (
        "/laos/9999999999999999999999999",
        "/laos/1/orders/99999999999999999999999.pdf",
        "/laos/1/villages/99999999999999999999999",
        "/api/v1/laos/99999999999999999999999/compliance",
        "/laos/0",
    ):
        assert client.get(url).status_code == 404, url


def test_secret_key_is_made_once_privately_and_shared(tmp_path, monkeypatch):
    import os
    import stat

    import pytest

    from formsvc import config

    monkeypatch.delenv("FORMSVC_SECRET_KEY", raising=False)
    key = config.secret_key(tmp_path)
    assert len(key) == 64
    assert stat.S_IMODE((tmp_path / "secret_key").stat().st_mode) == 0o600
    assert config.secret_key(tmp_path) == key  # a restart keeps sessions valid
    assert [p.name for p in tmp_path.iterdir()] == ["secret_key"]  # no temporary file left behind

    # another worker writes its key between our look and our link: we use its key
    other = tmp_path / "other"
    other.mkdir()
    real_link = os.link

    def link_after_another_worker(src, dst):
        (other / "secret_key").write_text("k" * 64)
        return real_link(src, dst)

    monkeypatch.setattr(os, "link", link_after_another_worker)
    assert config.secret_key(other) == "k" * 64
    monkeypatch.setattr(os, "link", real_link)

    broken = tmp_path / "broken"
    broken.mkdir()
    (broken / "secret_key").write_text("")
    with pytest.raises(RuntimeError):
        config.secret_key(broken)  # never sign sessions with an empty key


UNSAFE = {"POST", "PUT", "PATCH", "DELETE"}


def test_every_form_that_changes_something_refuses_a_post_without_its_token(make_app, db):
    """Every route that accepts a POST (export pages, admin, login and logout included)
    answers a post without the form's token with the 'form has expired' page, and saves
    nothing: no route is exempt from the check."""
    app = make_app(EXPORT_RUNNER=False)  # CSRF on
    client = app.test_client()
    token = csrf_token(client, "/login")
    assert (
        client.post(
            "/login", data={"username": "national", "password": "formsvc-demo", "csrf_token": token}
        ).status_code
        == 302
    )
    rules = [r for r in app.url_map.iter_rules() if r.methods & UNSAFE]
    assert {r.endpoint for r in rules} >= {
        "auth.login",
        "auth.logout",
        "exports.start",
        "exports.cancel",
        "admin.settings",
        "laos.villages",
    }
    tables = ("village", "forum", "project", "report", "export_job", "user", "programme", "lao")
    before = {t: db[t].count for t in tables}
    with app.test_request_context():
        from flask import url_for

        urls = {
            rule.endpoint: url_for(rule.endpoint, **{arg: "3701" if arg == "code" else 1 for arg in rule.arguments})
            for rule in rules
        }
    for endpoint, url in urls.items():
        # a post a user could have made from the page, only without the token
        response = client.post(
            url,
            data={
                "period": "1",
                "province": "37",
                "formats": "pdf",
                "number": "21",
                "name": "บ้านไม่มีโทเคน",
                "locale": "en",
            },
        )
        assert response.status_code == 400, (endpoint, url, response.status_code)
        assert "แบบฟอร์มหมดอายุ" in response.get_data(as_text=True), (endpoint, url)
    assert {t: db[t].count for t in tables} == before
    assert client.get("/laos/1").status_code == 200  # still signed in: logout was refused too


def test_hsts_only_when_cookies_are_secure(make_app):
    """Behind HTTPS (FORMSVC_SECURE_COOKIES=1) every answer asks the browser to use
    HTTPS only; without it (plain HTTP, as in development) no answer does."""
    secure = make_app(SESSION_COOKIE_SECURE=True).test_client()
    plain = make_app(SESSION_COOKIE_SECURE=False).test_client()
    for path in ("/login", "/static/app.css", "/no-such-page"):
        assert secure.get(path).headers["Strict-Transport-Security"] == "max-age=31536000", path
        assert "Strict-Transport-Security" not in plain.get(path).headers, path
    login(secure, "clerk")
    assert secure.get("/laos/1").headers["Strict-Transport-Security"] == "max-age=31536000"
