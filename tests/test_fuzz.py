"""Hostile text in every form, and what is accepted comes back whole from page, DOCX and PDF.

Two properties, driven by Hypothesis (derandomized: the same examples on every run):

1. Every POST form of the app, filled the way a browser would fill it (the fields and
   values read from the page the form is on) and then given hostile text in some of
   its fields, answers with a validation page (200/400, a Thai message) or a redirect
   after storing; never a 500. A text field holding a refused character (see
   formsvc.domain.text) is always a 400 that names the character, and changes nothing.
2. Text the service accepts comes back exactly from the page that shows it, from the
   DOCX (python-docx) and from the PDF (pdftotext, whitespace-normalised) for a
   working-group member name (order), a forum agenda item (minutes), a project name
   (project list) and a report's progress text (report).

Every example starts from a fresh copy of the demo database (so a failure replays and
shrinks exactly); the app and the signed-in browsers are kept across a test's examples,
which is why Hypothesis' function-scoped-fixture health check is switched off.
"""

from __future__ import annotations

import io
import re
import shutil
from dataclasses import dataclass, field
from html.parser import HTMLParser

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from formsvc import create_app
from formsvc.domain import text as text_policy
from formsvc.domain.thai import digits
from formsvc.store import connect
from formsvc.store import forums as forum_store
from formsvc.store import projects as project_store
from formsvc.store import reports as report_store
from formsvc.store import working_group as wg_store
from formsvc.store.setup import DEMO_PASSWORD
from formsvc.web.context import close_kept_connections
from tests.conftest import YEAR
from tests.docs import docx_blocks, flat, pdf_text, without_page_numbers

THAI = re.compile("[\u0e01-\u0e5b]")
REFUSED_TH = "ข้อความนี้มีอักขระที่ใช้ไม่ได้ ({code})"
FUZZ = settings(
    deadline=None,
    derandomize=True,
    database=None,
    print_blob=True,
    suppress_health_check=[
        HealthCheck.function_scoped_fixture,
        HealthCheck.too_slow,
        HealthCheck.data_too_large,
        HealthCheck.filter_too_much,
    ],
)


# Hostile text ------------------------------------------------------------------------------

INVISIBLE = [
    "\u200b",
    "\u200c",
    "\u200d",
    "\ufeff",
    "\u200e",
    "\u200f",
    "\u061c",
    "\u00ad",
    "\u2060",
    *map(chr, range(0x202A, 0x202F)),
    *map(chr, range(0x2066, 0x206A)),
    "\U000e0001",
    "\u034f",
]
CONTROL = ["\x00", "\x01", "\x07", "\x08", "\x0b", "\x0c", "\x1b", "\x1f", "\x7f", "\x80", "\x85", "\x9f"]
ODD = ["\uffff", "\ufffe", "\ufdd0", "\U0010ffff", "\U0001fffe"]
WHITESPACE = [" ", "  ", "\t", "\n", "\r\n", "\r", "\u2028", "\u2029", "\u00a0", "\u3000"]
MARKUP = [
    "<b>",
    "</w:t>",
    "<w:p>",
    "<script>alert(1)</script>",
    '<img src="file:///etc/passwd">',
    "&amp;",
    "&",
    '"',
    "'",
    "]]>",
    "<!--",
    "&#0;",
    "&lt;",
]
TAGS = [
    "{{ 7*7 }}",
    "{{",
    "}}",
    "{% if 1 %}",
    "{%p if x %}",
    "{%tr for r in rows %}",
    "{%tc endfor %}",
    "{{r x }}",
    "{%",
    "%}",
    "{#",
    "#}",
    "{_{",
    "}_}",
    "{_%",
    "%_}",
    "{{ ctx.__class__ }}",
    "%(code)s",
    "%s",
    "{0}",
    "\\n",
    "\\",
]
THAI_TEXT = [
    "\u0e31\u0e34",
    "\u0e48",
    "\u0e33",
    "\u0e38\u0e48",
    "ก\u0e48\u0e38",
    "ที่",
    "น้ำ",
    "หนี้",
    "ผู้ใหญ่บ้าน",
    "ปลัด",
    "ลิ้น",
    "เยิ้ม",
    "ญุ",
    "ฐู",
    "นายสมชาย ใจดี",
    "องค์การบริหารส่วนตำบล",
    "๑๒๓",
    "ฯลฯ",
    "ๆ",
]
OTHER = [
    "\U0001f600",
    "\U0001f44d\U0001f3fd",
    "\u2764\ufe0f",
    "𝄞",
    "漢字",
    "\ue000",
    "\ufffd",
    "\u0378",
    "Ω",
    "é",
    "e\u0301",
    "123",
    "1,000.50",
    "=1+1",
    "-",
    "@",
    "file:///etc/passwd",
    "ab",
    "x",
]
LONG = ["ก" * 10000, "x" * 10000, "ก\u0e34" * 5000, "ก" * 121, "ก" * 300, "ก" * 301]
PIECES = INVISIBLE + CONTROL + ODD + WHITESPACE + MARKUP + TAGS + THAI_TEXT + OTHER

hostile = st.one_of(
    st.lists(st.sampled_from(PIECES), min_size=1, max_size=10).map("".join),
    st.text(max_size=40),
    st.sampled_from(LONG),
    st.lists(st.one_of(st.sampled_from(PIECES), st.text(max_size=4)), max_size=6).map("".join),
)

# where a form sends the browser next (login, language): what a Location header must survive
URLS = [
    "/",
    "//evil.example",
    "/\\evil.example",
    "/\r\nX-Injected: 1",
    "/\n",
    "/laos/1?x=1",
    "/%0d%0a",
    "javascript:alert(1)",
    "http://evil.example/",
    "/\t/evil.example",
]
redirect_target = st.one_of(st.sampled_from(URLS), hostile.map(lambda s: "/" + s))


def forbidden(value: str) -> str | None:
    match = text_policy.FORBIDDEN.search(value)
    return f"U+{ord(match.group()):04X}" if match else None


# A browser's view of a form ----------------------------------------------------------------


class FormReader(HTMLParser):
    """The forms of a page with what a browser would send: text inputs and textareas
    as shown, checked boxes, the selected options (else the first), and the name/value
    of the submit button (the "save" one where there is a choice)."""

    def __init__(self):
        super().__init__(convert_charrefs=True)
        self.forms: list[dict] = []
        self._select = self._textarea = None
        self._owned: dict[str, list[tuple[str, dict]]] = {}  # inputs and buttons placed with form="id"

    def handle_starttag(self, tag, attrs):
        a = {k: (v or "") for k, v in attrs}
        if tag == "form":
            self.forms.append(
                {"action": a.get("action", ""), "fields": [], "text": set(), "buttons": [], "files": set()}
            )
            self.forms[-1]["id"] = a.get("id")
            return
        if tag in ("input", "button") and a.get("form") and a.get("name"):
            self._owned.setdefault(a["form"], []).append((tag, a))  # the form they name owns them
            return
        if not self.forms or not a.get("name"):
            if tag == "option" and self._select is not None:
                self._select["options"].append((a.get("value", ""), "selected" in a))
            return
        self._add(self.forms[-1], tag, a)

    def close(self):
        super().close()
        for form in self.forms:
            for tag, a in self._owned.get(form.get("id") or "", []):
                self._add(form, tag, a)

    def _add(self, form: dict, tag: str, a: dict) -> None:
        name = a["name"]
        if tag == "input":
            kind = a.get("type", "text")
            if kind in ("checkbox", "radio"):
                if "checked" in a:
                    form["fields"].append((name, a.get("value", "on")))
                form.setdefault("choices", set()).add(name)
            elif kind == "file":
                form["files"].add(name)
            elif kind in ("submit", "button"):
                form["buttons"].append((name, a.get("value", "")))
            else:
                form["fields"].append((name, a.get("value", "")))
                if kind not in ("hidden", "password", "number"):  # the text policy's fields
                    form["text"].add(name)
        elif tag == "button" and a.get("type", "submit") == "submit":
            form["buttons"].append((name, a.get("value", "")))
        elif tag == "select":
            self._select = {"name": name, "options": [], "multiple": "multiple" in a}
        elif tag == "textarea":
            self._textarea = [name, ""]
        elif tag == "option" and self._select is not None:
            self._select["options"].append((a.get("value", ""), "selected" in a))

    def handle_data(self, data):
        if self._textarea is not None:
            self._textarea[1] += data

    def handle_endtag(self, tag):
        if tag == "select" and self._select is not None and self.forms:
            chosen = [v for v, selected in self._select["options"] if selected]
            if not chosen and self._select["options"] and not self._select["multiple"]:
                chosen = [self._select["options"][0][0]]
            self.forms[-1]["fields"].extend((self._select["name"], v) for v in chosen)
            self._select = None
        elif tag == "textarea" and self._textarea is not None and self.forms:
            name, value = self._textarea
            # HTML drops one newline right after <textarea> (WTForms writes CR LF there)
            value = value[2:] if value.startswith("\r\n") else value[1:] if value.startswith("\n") else value
            self.forms[-1]["fields"].append((name, value))
            self.forms[-1]["text"].add(name)
            self._textarea = None


def read_form(client, page: str, action: str = "") -> dict:
    """The form on ``page`` posting to ``action`` ("" = the page itself)."""
    response = client.get(page)
    assert response.status_code == 200, (page, response.status_code)
    reader = FormReader()
    reader.feed(response.get_data(as_text=True))
    reader.close()
    # a form posting to its own page may name it or leave the action empty
    forms = [f for f in reader.forms if f["action"] == action or (not action and f["action"] == page)]
    assert forms, f"no form posting to {action!r} on {page}"
    return forms[0]


def browser_data(form: dict) -> dict[str, list[str]]:
    data: dict[str, list[str]] = {}
    for name, value in form["fields"]:
        data.setdefault(name, []).append(value)
    buttons = form["buttons"]
    if buttons:
        name, value = next(((n, v) for n, v in buttons if v == "save"), buttons[0])
        data[name] = [value]
    return data


def field_value(client, page: str, name: str, action: str = "") -> str:
    values = browser_data(read_form(client, page, action)).get(name)
    assert values, f"no field {name} on {page}"
    return values[0]


# 1. Every form, hostile text ---------------------------------------------------------------


@dataclass
class FormCase:
    name: str
    user: str | None
    page: str | None  # the page the form is on (None: a form built by hand from ``extra``)
    action: str = ""
    extra: dict = field(default_factory=dict)  # fields no page shows (forms built by hand)
    setup: object = None  # setup(db): rows the form needs that the demo has not


def _area_report(db, level: str, submit: bool) -> None:
    """District 3701's (or province 37's) report of period 3 saved (and sent up)."""
    from formsvc.services import area_reports
    from formsvc.store import area_reports as area_report_store

    code = {"district": "3701", "province": "37"}[level]
    area_report_store.save_draft(db, area_reports.LEVELS[level], code, 3, {"comments": "ความเห็นของสำนักงาน"}, None)
    if submit:
        area_reports.submit(db, area_reports.LEVELS[level], code, 3, {"id": None, "display_name": "ท้องถิ่น"})


FORM_CASES = [
    FormCase("login", None, "/login"),
    FormCase("language", None, "/login", "/language"),
    FormCase("language signed in", "clerk", "/laos/1", "/language"),
    FormCase("logout", "clerk", "/laos/1", "/logout"),
    FormCase("working group", "clerk", "/laos/1/working-group", "/laos/1/working-group"),
    FormCase("issue order", "clerk", "/laos/1/working-group/issue", "/laos/1/working-group/issue"),
    FormCase("submit report", "clerk", "/laos/1/reports/4/submit", "/laos/1/reports/4/submit"),
    FormCase("emblem", "clerk", "/laos/1/working-group", extra={"action": ["emblem"]}),
    FormCase("emblem alone", "clerk", None, "/laos/1/emblem", extra={"emblem": [""]}),
    FormCase("operation plan", "clerk", "/laos/1/operation-plan"),
    FormCase("new village forum", "facilitator", "/laos/1/forums/new?level=village"),
    FormCase("new LAO forum", "facilitator", "/laos/1/forums/new?level=lao"),
    FormCase("village forum", "facilitator", "/laos/1/forums/1"),
    FormCase("LAO forum with projects", "clerk", "/laos/1/forums/9"),
    FormCase("delete forum", "facilitator", "/laos/1/forums/2", "/laos/1/forums/2/delete"),
    FormCase("new LAO", "district", "/laos/new"),
    FormCase("LAO details", "clerk", "/laos/1/edit"),
    FormCase("add village", "clerk", "/laos/1/villages"),
    FormCase("village", "clerk", "/laos/1/villages/1"),
    FormCase("delete village", "clerk", "/laos/1/villages", "/laos/1/villages/8/delete"),
    FormCase("certificate", "national", "/laos/1", "/laos/1/certificate"),
    FormCase("add project", "clerk", "/laos/1/projects", "/laos/1/projects"),
    FormCase("project", "clerk", "/laos/1/projects/2"),
    FormCase("delete project", "clerk", "/laos/1/projects/3", "/laos/1/projects/3/delete"),
    FormCase(
        "restore deleted",
        "clerk",
        "/laos/1/deleted",
        "/laos/1/deleted/1/restore",
        setup=lambda db: forum_store.delete_forum(db, 1, 2),
    ),
    FormCase("move project", "clerk", None, "/laos/1/projects/2/move", extra={"direction": ["up"]}),
    FormCase("edit all projects", "clerk", "/laos/1/projects/edit"),
    FormCase(
        "mark projects",
        "clerk",
        "/laos/1/projects",
        "/laos/1/projects/mark",
        extra={"ids": ["1", "2"], "action": ["plan-on"]},
    ),
    FormCase("import projects", "clerk", "/laos/1/projects", "/laos/1/projects/import"),
    FormCase("confirm import", "clerk", None, "/laos/1/projects/import/1"),
    FormCase("report draft", "clerk", "/laos/1/reports/4"),
    FormCase("report review", "district", "/laos/1/reports/1", "/laos/1/reports/1/review"),
    FormCase("model LAO", "district", "/districts/3701", "/districts/3701/model-lao"),
    FormCase("district report draft", "district", "/districts/3701/reports/3"),
    FormCase(
        "submit district report",
        "district",
        "/districts/3701/reports/3/submit",
        "/districts/3701/reports/3/submit",
        setup=lambda db: _area_report(db, "district", submit=False),
    ),
    FormCase(
        "district report review",
        "province",
        "/districts/3701/reports/3",
        "/districts/3701/reports/3/review",
        setup=lambda db: _area_report(db, "district", submit=True),
    ),
    FormCase("province report draft", "province", "/provinces/37/reports/3"),
    FormCase(
        "submit province report",
        "province",
        "/provinces/37/reports/3/submit",
        "/provinces/37/reports/3/submit",
        setup=lambda db: _area_report(db, "province", submit=False),
    ),
    FormCase(
        "province report review",
        "national",
        "/provinces/37/reports/3",
        "/provinces/37/reports/3/review",
        setup=lambda db: _area_report(db, "province", submit=True),
    ),
    FormCase("new user", "admin", "/admin", "/admin/users"),
    FormCase("programme settings", "admin", "/admin/settings"),
    FormCase("public page shown or hidden", "admin", "/admin/settings", "/admin/public-page"),
    FormCase("open programme year", "admin", "/admin/years/open"),
    FormCase("change password", "clerk", "/account/password"),
    FormCase("name and position", "clerk", "/account"),
    FormCase("e-mail settings", "clerk", "/account/email"),
    FormCase("user e-mail", "admin", "/admin/users/2", "/admin/users/2/email"),
    FormCase("edit user", "admin", "/admin/users/2"),
    FormCase("unlock user", "admin", None, "/admin/users/1/unlock"),
    FormCase("unlock address", "admin", None, "/admin/addresses/unlock", extra={"address": ["192.0.2.7"]}),
    FormCase("export reports", "province", "/exports", "/exports/reports"),
    FormCase("cancel export", "province", "/exports/1", "/exports/1/cancel", setup=lambda db: _export_job(db)),
    FormCase("new working-group meeting", "clerk", "/laos/1/meetings/new"),
    FormCase("working-group meeting", "facilitator", "/laos/1/meetings/1"),
    FormCase("delete working-group meeting", "clerk", "/laos/1/meetings/1", "/laos/1/meetings/1/delete"),
    FormCase("attach to a forum", "clerk", "/laos/1/forums/1", "/laos/1/forums/1/attachments"),
    FormCase("attach to a meeting", "clerk", "/laos/1/meetings/1", "/laos/1/meetings/1/attachments"),
    FormCase("attach a consent letter", "district", "/districts/3701", f"/laos/1/consent/{YEAR}/attachments"),
    FormCase(
        "attach to a visit", "province", "/laos/1/visits/1", "/laos/1/visits/1/attachments", setup=lambda db: _visit(db)
    ),
    FormCase(
        "attach to a report",
        "clerk",
        "/laos/1/reports/4",
        "/laos/1/reports/4/attachments",
        setup=lambda db: _draft_report(db),
    ),
    FormCase(
        "remove an attachment",
        "clerk",
        "/laos/1/forums/1",
        "/laos/1/attachments/1/delete",
        setup=lambda db: _attachment(db),
    ),
    FormCase(
        "restore an attachment",
        "clerk",
        "/laos/1/forums/1",
        "/laos/1/attachments/1/restore",
        setup=lambda db: _attachment(db, deleted=True),
    ),
    FormCase("new monitoring visit", "province", "/laos/1/visits/new"),
    FormCase("monitoring visit", "province", "/laos/1/visits/1", setup=lambda db: _visit(db)),
    FormCase(
        "delete monitoring visit",
        "province",
        "/laos/1/visits/1",
        "/laos/1/visits/1/delete",
        setup=lambda db: _visit(db),
    ),
    FormCase(
        "restore monitoring visit",
        "province",
        "/laos/1/visits",
        "/laos/1/visits/deleted/1/restore",
        setup=lambda db: _visit(db, deleted=True),
    ),
]


def _draft_report(db) -> None:
    """LAO 1's report of period 4, saved as a draft (attachments need a saved report)."""
    from formsvc.store import reports as report_store

    report_store.save_draft(db, 1, 4, {"progress": "ดำเนินการแล้ว"}, None)


def _attachment(db, deleted: bool = False) -> None:
    """Attachment 1: a photo of LAO 1's forum 1; ``deleted``: removed (restorable)."""
    from PIL import Image

    from formsvc.services import attachments
    from formsvc.store import attachments as attachment_store

    photo = io.BytesIO()
    Image.new("RGB", (40, 30), (0, 90, 0)).save(photo, "PNG")
    attachment_id = attachments.attach(db, 1, "forum", 1, "ภาพเวที.png", photo.getvalue(), None)
    if deleted:
        attachment_store.delete(db, 1, attachment_id, None)


def _visit(db, deleted: bool = False) -> None:
    """Visit 1 of LAO 1 (the demo's visits, of other LAOs, set aside), on the first day of
    the programme year; ``deleted``: kept as deleted record 1."""
    from formsvc.store import programme as programme_store
    from formsvc.store import visits as visit_store

    db.execute("DELETE FROM monitoring_visit")
    start, _end = visit_store.window(db, programme_store.get_programme(db).year_be)
    visit_id = visit_store.create_visit(db, 1, "province", visit_store.VisitInput(start, "ผู้ติดตาม", "ข้อค้นพบ"), None)
    if deleted:
        visit_store.delete_visit(db, 1, visit_id)


def _export_job(db) -> None:
    from formsvc.store import exports as job_store

    user = db.execute("SELECT id FROM user WHERE username = 'province'").fetchone()[0]
    job_store.create(db, user, db.execute("SELECT year_be FROM programme").fetchone()[0], 1, "37", "pdf")


@pytest.fixture
def fuzz_app(demo_template, tmp_path):
    """The app (500s answered as pages, not raised) on a database each example resets."""
    path = tmp_path / "fuzz.db"

    def reset():
        # the connections kept between requests are closed, so the files can be replaced
        close_kept_connections()
        for suffix in ("-wal", "-shm"):
            path.with_name(path.name + suffix).unlink(missing_ok=True)
        shutil.copy(demo_template, path)

    reset()
    app = create_app(
        {
            "DATABASE": str(path),
            "SECRET_KEY": "test-secret",
            "WTF_CSRF_ENABLED": False,
            "TESTING": False,
            "PROPAGATE_EXCEPTIONS": False,
            "EXPORT_RUNNER": False,
        }
    )
    app.fuzz_db_path = path
    app.fuzz_reset = reset
    app.fuzz_clients = {}
    return app


def signed_in(app, user: str | None, fresh: bool = False):
    """A browser signed in as ``user``, kept across a test's examples (signing in is slow)."""
    client = None if fresh else app.fuzz_clients.get(user)
    if client is None:
        client = app.test_client()
        if user:
            assert client.post("/login", data={"username": user, "password": DEMO_PASSWORD}).status_code == 302
        app.fuzz_clients[user] = client
    return client


def case_form(client, case: FormCase) -> dict:
    if case.page is None:
        return {"fields": [], "buttons": [], "text": set(), "files": set()}
    return read_form(client, case.page, case.action)


def data_version(db) -> int:
    """Changes whenever another connection commits (SQLite's PRAGMA data_version)."""
    return db.execute("PRAGMA data_version").fetchone()[0]


def check_answer(client, case: FormCase, response, fuzzed: dict[str, str], text_fields: set[str], changed: bool):
    status = response.status_code
    body = response.get_data(as_text=True)
    assert status < 500, body[:3000]
    assert status in (200, 302, 303, 400), (status, body[:2000])
    refused = {name: forbidden(value) for name, value in fuzzed.items() if name in text_fields and forbidden(value)}
    if status in (302, 303):
        if case.user and case.name != "logout":
            assert not response.location.startswith("/login"), "signed out by a form post"
        if not refused:
            return
        # a form on a page of its own redirects back with its errors flashed
        assert not changed, f"stored a refused character: {refused}"
        status, body = 400, client.get(response.location).get_data(as_text=True)
    if status == 400:
        assert 'role="alert"' in body or 'class="flash error"' in body or 'class="error"' in body, body[:3000]
        # a refused sign-in is counted (login_throttle): the one write a refusal makes
        assert not changed or case.name == "login", "a refused form changed the database"
    if status in (200, 400):
        assert THAI.search(body) and "<html" in body
    for name, code in refused.items():
        assert status == 400
        assert REFUSED_TH.format(code=code) in body, f"no Thai message for {code} in {name}"


@pytest.mark.parametrize("case", FORM_CASES, ids=[c.name for c in FORM_CASES])
@settings(FUZZ, max_examples=10)
@given(data=st.data())
def test_every_form_answers_hostile_text_without_a_500(fuzz_app, case, data):
    fuzz_app.fuzz_reset()
    if case.setup:
        setup_db = connect(fuzz_app.fuzz_db_path)
        try:
            case.setup(setup_db)
        finally:
            setup_db.close()
    client = signed_in(fuzz_app, case.user, fresh=case.name == "logout")
    form = case_form(client, case)
    base = {**browser_data(form), **case.extra}
    names = sorted((set(base) | form["files"] | {"action"}) - {"csrf_token"})
    # indices, not names: the fields on a page change as examples save (Hypothesis needs
    # the same draws to mean the same thing on replay)
    picks = data.draw(st.lists(st.integers(0, 999), min_size=1, max_size=4), label="fields")
    chosen = list(dict.fromkeys(names[i % len(names)] for i in picks))
    fuzzed = {name: data.draw(redirect_target if name == "next" else hostile, label=name) for name in chosen}
    posted: dict = {**base}
    for name, value in fuzzed.items():
        if name in form["files"]:
            posted[name] = (io.BytesIO(value.encode("utf-8", "surrogatepass")), value[:200] or "x.csv")
        else:
            posted[name] = [value]
    db = connect(fuzz_app.fuzz_db_path)
    try:
        before = data_version(db)
        response = client.post(case.action or case.page, data=posted, content_type="multipart/form-data")
        changed = data_version(db) != before
    finally:
        db.close()
    check_answer(client, case, response, fuzzed, form["text"], changed)


def test_the_fuzzed_forms_are_every_post_route(fuzz_app):
    """A new POST route must be added to FORM_CASES (or be a variant of one there)."""
    covered = {re.sub(r"/\d+", "/<id>", (c.action or c.page).split("?")[0]) for c in FORM_CASES}
    routes = {re.sub(r"<[^>]+>", "<id>", r.rule) for r in fuzz_app.url_map.iter_rules() if "POST" in r.methods}
    assert routes <= covered, routes - covered


def test_a_hostile_csrf_token_is_a_thai_400(make_app, db):
    client = make_app().test_client()
    for token in ("\x00", "{{ 7*7 }}", "ก" * 10000, "\u202e", ""):
        before = data_version(db)
        response = client.post("/login", data={"csrf_token": token, "username": "clerk", "password": DEMO_PASSWORD})
        assert response.status_code == 400 and THAI.search(response.get_data(as_text=True))
        assert data_version(db) == before


# 2. Round trip: page, DOCX, PDF ------------------------------------------------------------


@dataclass
class Target:
    name: str
    user: str
    page: str
    field: str
    limit: int
    multiline: bool = False
    lines: int = 1  # most lines (a multi-line field)

    def stored(self, db) -> str:
        if self.name == "member name":
            return wg_store.get_group(db, 1, YEAR)["members"][0]["name"]
        if self.name == "agenda item":
            return forum_store.get_forum(db, 1, 1)["agenda"][0]["title"]
        if self.name == "project name":
            return project_store.get_project(db, 1, 1)["name"]
        return report_store.get_report(db, 1, 4)["progress"]

    def document(self, client, fmt: str) -> bytes:
        path = {
            "member name": "order.{fmt}?draft=1",
            "agenda item": "minutes.{fmt}?forum=1",
            "project name": "project-list.{fmt}",
            "progress": "report.{fmt}?period=4",
        }[self.name]
        response = client.get("/laos/1/documents/" + path.format(fmt=fmt))
        assert response.status_code == 200
        return response.data

    def docx_blocks_expected(self, text: str) -> list[str]:
        """The DOCX paragraphs or cells that must hold ``text`` (digits as the LAO writes them)."""
        if self.name == "member name":
            return [digits(f"{text} ตำแหน่งทดสอบ")]  # the order's member cell: name, then position
        if self.name == "agenda item":
            return [digits(f"ระเบียบวาระที่ 1 {text}")]
        if self.name == "project name":
            return [digits(text)]
        return [digits(line.strip()) for line in text.split("\n") if line.strip()]


TARGETS = [
    Target("member name", "clerk", "/laos/1/working-group", "members-0-name", wg_store.NAME_MAX),
    Target("agenda item", "facilitator", "/laos/1/forums/1", "agenda-0-title", forum_store.TEXT_MAX),
    Target("project name", "clerk", "/laos/1/projects/1", "name", project_store.NAME_MAX),
    Target(
        "progress",
        "clerk",
        "/laos/1/reports/4",
        "progress",
        report_store.TEXT.chars,
        multiline=True,
        lines=report_store.TEXT.lines,
    ),
]


_saved_forms: dict[str, dict] = {}


def save(client, target: Target, value: str):
    # every example starts from the same database, so the page's form is read once
    if target.name not in _saved_forms:
        _saved_forms[target.name] = browser_data(read_form(client, target.page))
    data = dict(_saved_forms[target.name])
    data[target.field] = [value]
    if target.name == "member name":
        data["members-0-position"] = ["ตำแหน่งทดสอบ"]
    return client.post(target.page, data=data)


def accepted(target: Target, value: str) -> str | None:
    """What the service stores for ``value``, or None when it must refuse it."""
    if forbidden(value):
        return None
    cleaned = text_policy.normalise(value, multiline=target.multiline)
    too_long = len(cleaned) > target.limit or text_policy.line_count(cleaned) > target.lines
    return None if too_long else cleaned


def check_round_trip(client, db, target: Target, value: str, leg: str):
    expected = accepted(target, value)
    response = save(client, target, value)
    if expected is None:
        assert response.status_code == 400, response.status_code
        return
    if not expected:  # nothing left: an optional field is emptied, a required one refused
        assert response.status_code in (302, 400)
        return
    assert response.status_code == 302, response.get_data(as_text=True)[:3000]
    assert target.stored(db) == expected
    assert field_value(client, target.page, target.field) == expected
    if leg == "docx":
        blocks = docx_blocks(target.document(client, "docx"))
        for block in target.docx_blocks_expected(expected):
            assert block in blocks, (block, [b for b in blocks if b][:80])
    else:
        # pdftotext breaks lines where the PDF does and puts "- 2 -" page numbers between
        # pages: compared without whitespace and page numbers (the words themselves exact)
        text = flat(without_page_numbers(pdf_text(target.document(client, "pdf"), "-raw")))
        assert flat(digits(expected)) in text, (expected, text[:3000])


@pytest.fixture
def round_trip(fuzz_app):
    def start(target: Target):
        fuzz_app.fuzz_reset()
        return signed_in(fuzz_app, target.user), connect(fuzz_app.fuzz_db_path)

    return start


no_refused = st.characters(exclude_categories=("Cs", "Cc"), include_characters="\t\n\r")
accepted_text = st.one_of(
    st.text(no_refused, min_size=1, max_size=60).filter(lambda s: not forbidden(s)),
    st.lists(st.sampled_from([p for p in PIECES if not forbidden(p)]), min_size=1, max_size=12).map("".join),
)


@pytest.mark.parametrize("target", TARGETS, ids=[t.name for t in TARGETS])
@settings(FUZZ, max_examples=15)
@given(data=st.data())
def test_accepted_text_comes_back_from_the_page_and_the_docx(round_trip, target, data):
    client, db = round_trip(target)
    try:
        value = data.draw(st.one_of(accepted_text, hostile), label=target.field)
        check_round_trip(client, db, target, value, "docx")
    finally:
        db.close()


# Text for the PDF leg: each class of hostile input, in pieces a real text would have.
# ZWJ/ZWNJ and variation selectors come only after letters here, not after emoji: with no
# emoji font installed the PDF draws emoji as missing glyphs, whose text WeasyPrint maps
# one code point per glyph, so a joiner after one has no glyph to carry it (the page and
# the DOCX keep it; the DOCX leg covers it).
PDF_PIECES = [
    p
    for p in INVISIBLE + WHITESPACE + MARKUP + TAGS + THAI_TEXT + OTHER
    if not forbidden(p) and p not in ("\u200c", "\u200d") and "\ufe0f" not in p
] + ["a\u200db", "ก\u200cข", "ข\u0e49\u200b\u0e32", "ก\ufe00"]
pdf_text_strategy = st.lists(st.sampled_from(PDF_PIECES), min_size=1, max_size=14).map("".join)


@pytest.mark.parametrize("target", TARGETS, ids=[t.name for t in TARGETS])
@settings(FUZZ, max_examples=15)
@given(data=st.data())
def test_accepted_text_comes_back_from_the_pdf(round_trip, target, data):
    client, db = round_trip(target)
    try:
        value = data.draw(pdf_text_strategy, label=target.field)
        check_round_trip(client, db, target, value, "pdf")
    finally:
        db.close()
