"""Nothing typed on the working group page is lost without JavaScript: the language
switch sends the page's form along and the page comes back filled (not saved); a button
pressed after the session expired keeps the typing for that user and page until they
sign in again; the emblem upload is part of the members' form. Each only ever to the
same user, on the same page, and the CSRF token is still needed for everything."""

from __future__ import annotations

import datetime as _dt
import html as _html
import io
import re
from urllib.parse import parse_qs, urlsplit

import pytest
from werkzeug.datastructures import MultiDict

from formsvc.domain import clock
from formsvc.store import working_group as wg_store
from formsvc.store.programme import get_programme
from formsvc.store.setup import DEMO_PASSWORD
from tests.conftest import csrf_token, ids
from tests.test_working_group import group_form_data, png_bytes

PAGE = "/laos/1/working-group"
TYPED = "นายแก้ไข ชื่อใหม่"  # the chair's name, corrected but not saved
NOT_SAVED = "ยังไม่ได้บันทึก"
NOT_SAVED_EN = "Not saved yet"


def _app(make_app):
    return make_app(EXPORT_RUNNER=False)  # CSRF on


def _sign_in(client, username="clerk", next_path=None):
    token = csrf_token(client, "/login")
    data = {"username": username, "password": DEMO_PASSWORD, "csrf_token": token}
    if next_path:
        data["next"] = next_path
    return client.post("/login", data=data)


def _typed(db, token, **changes) -> dict:
    """The page's form as a browser posts it: the stored group with the chair renamed."""
    data = group_form_data(db, 1, **{"members-0-name": TYPED, "csrf_token": token, **changes})
    group = wg_store.get_group(db, 1, get_programme(db).year_be)
    for i, member in enumerate(group["members"]):
        data[f"members-{i}-member_id"] = str(member["id"])
    return data


def _chair(db) -> str:
    return wg_store.get_group(db, 1, get_programme(db).year_be)["members"][0]["name"]


def _language_button(html: str) -> dict:
    """The attributes of the header's language button."""
    match = re.search(r'<button type="submit" name="locale"([^>]*)>', html)
    assert match, "no language button"
    return {k: _html.unescape(v) for k, v in re.findall(r'([\w-]+)="([^"]*)"', match.group(1))}


def test_switching_language_keeps_what_was_typed_and_saves_nothing(make_app, db):
    client = _app(make_app).test_client()
    _sign_in(client)
    before = _chair(db)
    page = client.get(PAGE).get_data(as_text=True)
    button = _language_button(page)
    # the button sends the members' form (no JavaScript needed), not the language form
    assert button["form"] == "working-group-form" and 'id="working-group-form"' in page
    action = urlsplit(button["formaction"])
    assert action.path == "/language" and parse_qs(action.query) == {"keep": ["1"], "next": [PAGE]}
    token = csrf_token(client, PAGE)

    response = client.post(button["formaction"], data=_typed(db, token, locale="en"))
    assert response.status_code == 302 and response.location == PAGE
    html = client.get(PAGE).get_data(as_text=True)
    assert 'lang="en"' in html and NOT_SAVED_EN in html  # switched, and says it is not saved
    assert f'value="{TYPED}"' in html and "data-unsaved" in html
    assert _chair(db) == before  # nothing saved
    # given back once: the next visit shows what is saved
    html = client.get(PAGE).get_data(as_text=True)
    assert TYPED not in html and NOT_SAVED_EN not in html

    # saving what came back works as usual, with the page's token
    client.post(button["formaction"], data=_typed(db, token, locale="th"))
    client.get(PAGE)
    response = client.post(PAGE, data=_typed(db, csrf_token(client, "/laos/1"), action="save"))
    assert response.status_code == 302 and _chair(db) == TYPED


def test_the_switch_needs_the_token_and_keeps_only_for_a_page_that_fills_its_form(make_app, db):
    client = _app(make_app).test_client()
    _sign_in(client)
    token = csrf_token(client, PAGE)
    data = _typed(db, token, locale="en")
    del data["csrf_token"]
    assert client.post(f"/language?keep=1&next={PAGE}", data=data).status_code == 400
    assert ids(db, "SELECT id FROM kept_form") == []
    # a page without a form to fill (or another site) keeps nothing, and is no open redirect
    response = client.post("/language?keep=1&next=/laos/1", data=_typed(db, token, locale="en"))
    assert response.status_code == 302 and response.location == "/laos/1"
    response = client.post("/language?keep=1&next=//evil.example/x", data=_typed(db, token, locale="th"))
    assert response.status_code == 302 and urlsplit(response.location).netloc == ""
    assert ids(db, "SELECT id FROM kept_form") == []


def test_typing_kept_on_a_switch_goes_back_to_the_same_user_only(make_app, db):
    app = _app(make_app)
    clerk, admin = app.test_client(), app.test_client()
    _sign_in(clerk)
    token = csrf_token(clerk, PAGE)
    clerk.post(f"/language?keep=1&next={PAGE}", data=_typed(db, token, locale="en"))
    _sign_in(admin, "admin")  # may edit LAO 1's working group too
    assert TYPED not in admin.get(PAGE).get_data(as_text=True)
    assert TYPED not in clerk.get("/laos/1/operation-plan").get_data(as_text=True)  # another page
    assert f'value="{TYPED}"' in clerk.get(PAGE).get_data(as_text=True)


def test_a_save_after_the_session_expired_keeps_the_typing_for_the_same_user(make_app, db, travel):
    base = _dt.datetime.combine(clock.today(), _dt.time(10, 0), tzinfo=clock.BANGKOK)
    travel(base)
    client = _app(make_app).test_client()
    _sign_in(client)
    before = _chair(db)
    token = csrf_token(client, PAGE)
    travel(base + _dt.timedelta(hours=9))  # the page stayed open all day

    response = client.post(PAGE, data=_typed(db, token, action="save"))
    assert response.status_code == 302
    location = urlsplit(response.location)
    assert location.path == "/login" and parse_qs(location.query)["next"] == [PAGE]
    assert _chair(db) == before  # nothing saved without a session
    login_page = client.get(response.location).get_data(as_text=True)
    assert "หมดอายุ" in login_page and "ข้อมูลที่พิมพ์ไว้ยังเก็บไว้" in login_page

    # someone else signing in on this browser (to the same page) never sees it
    response = _sign_in(client, "admin", PAGE)
    assert response.status_code == 302 and response.location == PAGE
    html = client.get(PAGE).get_data(as_text=True)
    assert TYPED not in html and NOT_SAVED not in html
    client.post("/logout", data={"csrf_token": csrf_token(client, PAGE)})

    # the same user: back on the page, filled in, said not saved, still not saved
    response = _sign_in(client, "clerk", PAGE)
    assert response.status_code == 302 and response.location == PAGE
    html = client.get(PAGE).get_data(as_text=True)
    assert f'value="{TYPED}"' in html and NOT_SAVED in html and "หมดอายุแล้ว จึงยังไม่ได้บันทึกสิ่งใด" in html
    assert _chair(db) == before
    # the old token is no use; the page's new one saves
    assert client.post(PAGE, data=_typed(db, token, action="save")).status_code == 400
    response = client.post(PAGE, data=_typed(db, csrf_token(client, "/laos/1"), action="save"))
    assert response.status_code == 302 and _chair(db) == TYPED


def test_an_expired_post_without_its_token_keeps_nothing(make_app, db, travel):
    base = _dt.datetime.combine(clock.today(), _dt.time(10, 0), tzinfo=clock.BANGKOK)
    travel(base)
    client = _app(make_app).test_client()
    _sign_in(client)
    token = csrf_token(client, PAGE)
    travel(base + _dt.timedelta(hours=9))
    data = _typed(db, token, action="save")
    del data["csrf_token"]
    assert client.post(PAGE, data=data).status_code == 400
    assert ids(db, "SELECT id FROM kept_form") == []


def test_uploading_the_emblem_keeps_the_member_edits(make_app, db):
    client = _app(make_app).test_client()
    _sign_in(client)
    before = _chair(db)
    page = client.get(PAGE).get_data(as_text=True)
    # the upload button and the file belong to the members' form, above its members
    assert re.search(r'<input type="file" id="emblem" name="emblem"[^>]* form="working-group-form"', page)
    assert page.index('value="emblem"') < page.index('value="issue"')
    token = csrf_token(client, PAGE)
    data = _typed(db, token, action="emblem", emblem=(io.BytesIO(png_bytes()), "garuda.png"))
    response = client.post(PAGE, data=data, content_type="multipart/form-data")
    html = response.get_data(as_text=True)
    assert response.status_code == 200 and f'value="{TYPED}"' in html and NOT_SAVED in html
    assert client.get("/laos/1/emblem").status_code == 200  # the emblem is saved
    assert _chair(db) == before  # the typing is not (the user saves when ready)
    # a refused image keeps the typing too
    data = _typed(db, token, action="emblem", emblem=(io.BytesIO(b"not an image"), "garuda.png"))
    response = client.post(PAGE, data=data, content_type="multipart/form-data")
    assert response.status_code == 400 and f'value="{TYPED}"' in response.get_data(as_text=True)
    # with nothing typed, the page is simply drawn again
    data = _typed(db, token, action="emblem", emblem=(io.BytesIO(png_bytes()), "garuda.png"))
    data["members-0-name"] = before
    response = client.post(PAGE, data=data, content_type="multipart/form-data")
    assert response.status_code == 302 and response.location.startswith(PAGE)


def test_kept_typing_is_forgotten_after_three_days(make_app, db, travel):
    base = _dt.datetime.combine(clock.today(), _dt.time(10, 0), tzinfo=clock.BANGKOK)
    travel(base)
    client = _app(make_app).test_client()
    _sign_in(client)
    token = csrf_token(client, PAGE)
    client.post(f"/language?keep=1&next={PAGE}", data=_typed(db, token, locale="en"))
    travel(base + _dt.timedelta(days=3, hours=1))
    _sign_in(client)
    assert TYPED not in client.get(PAGE).get_data(as_text=True)


def test_a_language_switch_after_the_session_expired_keeps_the_typing_too(make_app, db, travel):
    base = _dt.datetime.combine(clock.today(), _dt.time(10, 0), tzinfo=clock.BANGKOK)
    travel(base)
    client = _app(make_app).test_client()
    _sign_in(client)
    token = csrf_token(client, PAGE)
    travel(base + _dt.timedelta(hours=9))
    response = client.post(f"/language?keep=1&next={PAGE}", data=_typed(db, token, locale="en"))
    assert response.status_code == 302 and response.location == PAGE
    response = client.get(PAGE)
    assert response.status_code == 302 and urlsplit(parse_qs(urlsplit(response.location).query)["next"][0]).path == PAGE
    assert "ข้อมูลที่พิมพ์ไว้ยังเก็บไว้" in client.get(response.location).get_data(as_text=True)
    assert _sign_in(client, "clerk", PAGE).location == PAGE
    assert f'value="{TYPED}"' in client.get(PAGE).get_data(as_text=True)


def test_only_pages_that_fill_their_form_again_keep_an_expired_post(make_app, db, travel):
    base = _dt.datetime.combine(clock.today(), _dt.time(10, 0), tzinfo=clock.BANGKOK)
    travel(base)
    client = _app(make_app).test_client()
    _sign_in(client)
    token = csrf_token(client, "/account/password")
    travel(base + _dt.timedelta(hours=9))
    # the password page is not filled again: a password is never kept
    data = {"csrf_token": token, "current_password": DEMO_PASSWORD, "password": "ใหม่-ยาวพอ-123", "confirm": "x"}
    response = client.post("/account/password", data=data)
    assert response.status_code == 302 and response.location == "/login"
    assert ids(db, "SELECT id FROM kept_form") == []


def test_a_post_too_large_to_keep_is_not_kept(db):
    from formsvc.store import kept_forms

    assert kept_forms.keep(db, 6, PAGE, [("reason", "ก" * 200)], "language")
    assert not kept_forms.keep(db, 6, PAGE, [("reason", "ก" * (kept_forms.MAX_BYTES // 3 + 1))], "language")
    assert kept_forms.take(db, 6, PAGE) == ("language", [("reason", "ก" * 200)])  # the earlier one stays
    assert kept_forms.take(db, 6, PAGE) is None  # given once


# Every edit page ---------------------------------------------------------------------------


def _first(db, sql: str) -> int:
    return ids(db, sql)[0]


def _submitted_report(db) -> str:
    """Report 4 of LAO 1, sent to the district: the page where the district reviews it."""
    from formsvc import services
    from formsvc.store import reports as report_store
    from tests.conftest import CE
    from tests.test_reports import DRAFT

    report_store.save_draft(db, 1, 4, DRAFT, None)
    services.submit_report(db, 1, 4, None, _dt.date(CE, 9, 1))
    return "/laos/1/reports/4"


def _visit(db) -> str:
    """A monitoring visit of LAO 1 (the demo has none): its page."""
    from formsvc.store import visits as visit_store
    from tests.conftest import CE

    data = visit_store.VisitInput(_dt.date(CE, 3, 10), "นายทดสอบ ติดตาม, ท้องถิ่นจังหวัด", "ข้อค้นพบ")
    return f"/laos/1/visits/{visit_store.create_visit(db, 1, 'province', data, None)}"


# (name, user, the page's path given the database): every page with an edit form
EDIT_PAGES = [
    ("forum-new-village", "clerk", lambda db: "/laos/1/forums/new?level=village"),
    ("forum-new-lao", "clerk", lambda db: "/laos/1/forums/new?level=lao"),
    ("forum-edit", "clerk", lambda db: f"/laos/1/forums/{_first(db, 'SELECT id FROM forum WHERE lao_id = 1')}"),
    ("village-add", "clerk", lambda db: "/laos/1/villages"),
    ("village-edit", "clerk", lambda db: f"/laos/1/villages/{_first(db, 'SELECT id FROM village WHERE lao_id = 1')}"),
    ("lao-new", "admin", lambda db: "/laos/new"),
    ("lao-edit", "clerk", lambda db: "/laos/1/edit"),
    ("project-add", "clerk", lambda db: "/laos/1/projects"),
    ("project-edit", "clerk", lambda db: f"/laos/1/projects/{_first(db, 'SELECT id FROM project WHERE lao_id = 1')}"),
    ("projects-table", "clerk", lambda db: "/laos/1/projects/edit"),
    ("report", "clerk", lambda db: "/laos/1/reports/4"),
    ("report-review", "district", _submitted_report),
    ("operation-plan", "clerk", lambda db: "/laos/1/operation-plan"),
    ("order-confirm", "clerk", lambda db: "/laos/1/working-group/issue"),
    ("working-group", "clerk", lambda db: PAGE),
    ("account", "clerk", lambda db: "/account"),
    ("account-email", "clerk", lambda db: "/account/email"),
    ("user-new", "admin", lambda db: "/admin"),
    (
        "user-edit",
        "admin",
        lambda db: "/admin/users/" + str(_first(db, "SELECT id FROM user WHERE username = 'clerk'")),
    ),
    ("settings", "admin", lambda db: "/admin/settings"),
    ("visit-new", "province", lambda db: "/laos/1/visits/new"),
    ("visit-edit", "province", lambda db: _visit(db)),
    ("district-report", "district", lambda db: "/districts/3701/reports/3"),
    ("province-report", "province", lambda db: "/provinces/37/reports/3"),
    ("model-lao", "district", lambda db: "/districts/3701"),
]


def _edit_form(html: str) -> dict:
    """The page's edit form as a browser sends it with the language button (the form
    that button names), and that button's action."""
    from tests.test_fuzz import FormReader

    button = _language_button(html)
    assert "form" in button, "the language switch does not carry the page's form"
    reader = FormReader()
    reader.feed(html)
    reader.close()
    (form,) = [f for f in reader.forms if f.get("id") == button["form"]]
    return {"fields": form["fields"], "text": form["text"], "action": button["formaction"], "posted_to": form["action"]}


def _saved(db) -> list[str]:
    """Everything the database holds but typing kept to come back and the log of the
    user's language (the switch itself)."""
    return [line for line in db.iterdump() if "kept_form" not in line and '"audit_log"' not in line] + [
        str(tuple(row)) for row in db.execute("SELECT * FROM audit_log WHERE table_name != 'user'")
    ]


def _type_everywhere(form: dict, mark: str) -> list[tuple[str, str]]:
    """Every text field of the form typed over with a value of its own (every row of
    every list included)."""
    typed, n = [], 0
    for name, value in form["fields"]:
        if name in form["text"] and name != "csrf_token":
            n += 1
            value = f"{mark}{n}"
        typed.append((name, value))
    return typed


@pytest.mark.parametrize(("name", "user", "path_of"), EDIT_PAGES, ids=[p[0] for p in EDIT_PAGES])
def test_every_edit_page_keeps_its_typing_across_the_language_switch(make_app, db, name, user, path_of):
    client = _app(make_app).test_client()
    _sign_in(client, user)
    path = path_of(db)
    page = client.get(path)
    assert page.status_code == 200
    form = _edit_form(page.get_data(as_text=True))
    assert parse_qs(urlsplit(form["action"]).query)["next"] == [path]  # back to the page, query and all
    mark = "พิมพ์ไว้ข"
    typed = _type_everywhere(form, mark)
    assert any(v.startswith(mark) for _n, v in typed), "no text field to type in"
    with db.atomic():  # the language it switches to already: the switch itself changes nothing
        db.execute("UPDATE user SET locale = 'en' WHERE username = ?", [user])
    before = _saved(db)

    response = client.post(form["action"], data=MultiDict([*typed, ("locale", "en")]))
    assert response.status_code == 302 and response.location == path
    html = client.get(path).get_data(as_text=True)
    assert 'lang="en"' in html and NOT_SAVED_EN in html  # switched, and says it is not saved
    back = _edit_form(html)
    # every field comes back as typed, every row of every list (a fresh CSRF token)
    assert [(n, v) for n, v in back["fields"] if n != "csrf_token"] == [(n, v) for n, v in typed if n != "csrf_token"]
    assert _saved(db) == before  # nothing saved
    assert mark not in client.get(path).get_data(as_text=True)  # given back once


EXPIRED = [
    "forum-new-lao",
    "forum-edit",
    "project-edit",
    "projects-table",
    "report",
    "report-review",
    "user-new",
    "model-lao",
]


def _records(db) -> list[str]:
    """The records pages keep (not the users' sign-in bookkeeping, not kept typing)."""
    skip = ('"kept_form"', '"audit_log"', 'INSERT INTO "user"', "sign_in", "login")
    return [line for line in db.iterdump() if not any(s in line for s in skip)]


@pytest.mark.parametrize(
    ("name", "user", "path_of"),
    [p for p in EDIT_PAGES if p[0] in EXPIRED],
    ids=EXPIRED,
)
def test_every_edit_page_keeps_a_save_made_after_the_session_expired(make_app, db, travel, name, user, path_of):
    base = _dt.datetime.combine(clock.today(), _dt.time(10, 0), tzinfo=clock.BANGKOK)
    travel(base)
    client = _app(make_app).test_client()
    _sign_in(client, user)
    path = path_of(db)
    form = _edit_form(client.get(path).get_data(as_text=True))
    mark = "พิมพ์หมดเวลาข"
    typed = _type_everywhere(form, mark)
    before = _records(db)
    travel(base + _dt.timedelta(hours=9))  # the page stayed open all day

    response = client.post(form["posted_to"] or path, data=MultiDict([*typed, ("action", "save")]))
    assert response.status_code == 302
    location = urlsplit(response.location)
    assert location.path == "/login" and parse_qs(location.query)["next"] == [path]  # the page, query and all
    assert _records(db) == before  # nothing saved without a session

    # another user (who may edit there too) signing in on this browser never sees it
    other = "admin"
    if user == "admin":
        from formsvc.store import users as user_store

        other = "admin2"
        user_store.create_user(db, other, DEMO_PASSWORD, "admin")
    assert _sign_in(client, other, path).location == path
    html = client.get(path).get_data(as_text=True)
    assert mark not in html and NOT_SAVED not in html
    client.post("/logout", data={"csrf_token": csrf_token(client, "/account")})

    # the same user: the page again, every field as typed, said not saved, still not saved
    assert _sign_in(client, user, path).location == path
    html = client.get(path).get_data(as_text=True)
    assert "หมดอายุแล้ว จึงยังไม่ได้บันทึกสิ่งใด" in html
    back = _edit_form(html)
    assert [(n, v) for n, v in back["fields"] if n != "csrf_token"] == [(n, v) for n, v in typed if n != "csrf_token"]
    assert _records(db) == before


def test_a_password_typed_on_a_page_is_never_kept(make_app, db):
    client = _app(make_app).test_client()
    _sign_in(client, "admin")
    form = _edit_form(client.get("/admin").get_data(as_text=True))
    data = MultiDict([(n, "ลับมาก-123" if n == "password" else v) for n, v in form["fields"]])
    data["username"] = "new.clerk"
    assert "password" in data
    client.post(form["action"], data=MultiDict([*data.items(multi=True), ("locale", "en")]))
    (kept,) = [row[0] for row in db.execute("SELECT data FROM kept_form")]
    assert "new.clerk" in kept and "ลับมาก-123" not in kept


def test_typing_kept_on_a_page_the_user_may_only_read_is_not_shown(make_app, db):
    from formsvc.store import kept_forms

    client = _app(make_app).test_client()
    _sign_in(client, "district")  # sees LAO 1's forums, does not record them
    path = f"/laos/1/forums/{_first(db, 'SELECT id FROM forum WHERE lao_id = 1')}"
    district = _first(db, "SELECT id FROM user WHERE username = 'district'")
    kept_forms.keep(db, district, path, [("place", "พิมพ์ไว้ขอ่านอย่างเดียว")], "language")
    html = client.get(path).get_data(as_text=True)
    assert "พิมพ์ไว้ขอ่านอย่างเดียว" not in html and NOT_SAVED not in html


def test_rows_added_before_the_switch_all_come_back(make_app, db):
    """More rows than the page first showed (added with "Add a member present" without
    JavaScript, or by a script): every one comes back, in order."""
    client = _app(make_app).test_client()
    _sign_in(client)
    path = "/laos/1/forums/new?level=lao"
    form = _edit_form(client.get(path).get_data(as_text=True))
    shown = sum(1 for n, _v in form["fields"] if n.startswith("present-") and n.endswith("-name"))
    extra = [(f"present-{i}-{f}", f"แถวเพิ่ม{i}{f}") for i in range(shown, shown + 5) for f in ("name", "position")]
    client.post(form["action"], data=MultiDict([*form["fields"], *extra, ("locale", "en")]))
    back = _edit_form(client.get(path).get_data(as_text=True))
    names = [v for n, v in back["fields"] if n.startswith("present-") and n.endswith("-name")]
    assert len(names) == shown + 5 and names[shown:] == [f"แถวเพิ่ม{i}name" for i in range(shown, shown + 5)]
