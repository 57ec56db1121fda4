"""The English UI is English: every page a role can see, rendered in English, shows no
Thai letter except in user data.

User data is told apart by the database: every text value stored in it (names, places,
positions, agendas, what people typed) may show as it is, and nothing else. Stored
values that are the programme's own labels with a known English name (the default
dimensions) are not user data: they must show in English. A page's Thai that is in no
table is a label the UI forgot to translate.
"""

from __future__ import annotations

import json
import re
from html.parser import HTMLParser

import pytest

from formsvc.domain.audit import as_text
from formsvc.domain.model import DEFAULT_DIMENSIONS
from formsvc.store.setup import DEMO_PASSWORD
from tests.conftest import arabic, login
from tests.test_access import ROLES, TABLE, USERNAMES

THAI = re.compile(r"[\u0e00-\u0e7f]+")
# attributes a reader sees (a field's typed value is user data, not checked)
SHOWN_ATTRIBUTES = {"title", "placeholder", "aria-label", "alt"}


VOID = {"area", "base", "br", "col", "embed", "hr", "img", "input", "link", "meta", "source", "track", "wbr"}


class _Text(HTMLParser):
    """The text a reader sees, without what is marked Thai: an element with ``lang="th"``
    (the switch to the Thai UI names itself in Thai)."""

    def __init__(self):
        super().__init__()
        self.parts: list[str] = []
        self._open: list[bool] = []  # per open element: is its text skipped

    def handle_starttag(self, tag, attrs):
        skipped = bool(self._open and self._open[-1])
        skipped = skipped or tag in ("script", "style", "textarea") or dict(attrs).get("lang") == "th"
        if tag not in VOID:
            self._open.append(skipped)
        if not skipped:
            self.parts += [value for name, value in attrs if name in SHOWN_ATTRIBUTES and value]

    def handle_endtag(self, tag):
        if tag not in VOID and self._open:
            self._open.pop()

    def handle_data(self, data):
        if not (self._open and self._open[-1]):
            self.parts.append(data)


def shown_text(html: str) -> str:
    parser = _Text()
    parser.feed(html)
    return "\n".join(parser.parts)


# tables of derived or internal rows: their text comes from the other tables or from the
# code (the audit log's recorded values count, as the log page writes them)
NOT_USER_DATA = {"record_version", "compliance_cache", "login_throttle", "meta", "schema_version"}
# the country's place names: every province and district (the forms offer them all), the
# short tambon names only in the districts of LAOs, so that they do not hide parts of labels
PLACES_IN_USE = {
    "province": "SELECT name_th FROM province",
    "district": "SELECT name_th FROM district",
    "subdistrict": "SELECT name_th FROM subdistrict WHERE district_code IN (SELECT district_code FROM lao)",
}
# Thai on purpose in the English UI: examples of what to type (names are written in
# Thai) and the Thai column names an import file may carry
THAI_ON_PURPOSE = (
    "ชุมชนตลาดเก่า",
    "บ้านหนองบัว",
    "บางนาค",  # 'For example บางนาค for Tambon Administrative Organisation บางนาค'
    "ลำดับความสำคัญ, ชื่อโครงการ, มิติการพัฒนา, หมู่ที่, อยู่ในอำนาจหน้าที่, บรรจุในแผนพัฒนาท้องถิ่น, บรรจุในร่างข้อบัญญัติ, งบประมาณ",
    # the development plan's optional columns, as a clerk's sheet names them
    "ยุทธศาสตร์, แผนงาน, วัตถุประสงค์, เป้าหมาย (ผลผลิตของโครงการ), งบประมาณปีที่",
    "ตัวชี้วัด (KPI), ผลลัพธ์ที่คาดว่าจะได้รับ, หน่วยงานรับผิดชอบหลัก",
)


def recorded_values(db) -> list[str]:
    """The values the audit log recorded, as its page writes them (a row of the compliance
    cache, say, as its JSON cut to a line)."""
    values = []
    for before, after in db.execute("SELECT before, after FROM audit_log").fetchall():
        for recorded in (before, after):
            for value in (json.loads(recorded) if recorded else {}).values():
                values.append(as_text(value))
    return values


def user_data(db) -> list[str]:
    """Every Thai text stored in the database by people (or the demo in their place),
    longest first, except the programme's labels that have an English name."""
    labels = set(DEFAULT_DIMENSIONS)
    texts = []
    for (table,) in db.execute("SELECT name FROM sqlite_master WHERE type = 'table'").fetchall():
        if table in NOT_USER_DATA:
            continue
        if table == "audit_log":
            texts += recorded_values(db)
            continue
        if table in PLACES_IN_USE:
            texts += [row[0] for row in db.execute(PLACES_IN_USE[table]).fetchall()]
            continue
        for row in db.execute(f'PRAGMA table_info("{table}")').fetchall():
            texts += [value for (value,) in db.execute(f'SELECT DISTINCT "{row[1]}" FROM "{table}"').fetchall()]
    values = set()
    for value in texts:
        if isinstance(value, str) and THAI.search(value):
            values.update(line.strip() for line in value.splitlines() if line.strip() not in labels)
    values.discard("")
    return sorted(values, key=len, reverse=True)


def thai_outside_user_data(html: str, stored: list[str]) -> list[str]:
    """The lines of the page with Thai outside user data. A page in English writes Arabic
    digits, what people typed with Thai digits included: compared with Arabic digits."""
    text = arabic(shown_text(html))
    for value in sorted((*THAI_ON_PURPOSE, *stored), key=len, reverse=True):
        text = text.replace(arabic(value), " ")
    found = []
    for line in text.splitlines():
        if THAI.search(line):
            found.append(line.strip())
    return found


def pages_for(role: str) -> list[str]:
    """The GET pages (HTML) the access table says ``role`` sees."""
    urls = []
    for endpoint, method, url, _data, statuses in TABLE:
        if method != "GET" or int(statuses.split()[ROLES.index(role)]) != 200:
            continue
        if endpoint in ("static", "font", "healthz", "favicon") or url.startswith("/api/"):
            continue
        if re.search(r"\.(pdf|docx|xlsx|csv)(\?|$)", url):
            continue  # documents stay Thai
        urls.append(url)
    return urls


@pytest.mark.parametrize("role", [r for r in ROLES if r != "anon"])
def test_every_page_is_english(make_app, db, role):
    app = make_app(WTF_CSRF_ENABLED=False, EXPORT_RUNNER=False)
    client = app.test_client()
    assert login(client, USERNAMES[role]).status_code == 302
    client.post("/language", data={"locale": "en"})
    if role in ("province", "national", "admin"):  # an export job, so its page exists
        client.post("/exports/reports", data={"period": "1", "province": "37", "formats": "pdf"})
    pages = {}
    for url in pages_for(role):
        response = client.get(url)
        assert response.status_code == 200, url
        if response.mimetype == "text/html":  # not the emblem's image
            pages[url] = response.get_data(as_text=True)
    stored = user_data(db)  # after the pages: showing some writes (the compliance cache)
    failures = {url: found for url, html in pages.items() if (found := thai_outside_user_data(html, stored))}
    assert failures == {}, "\n".join(f"{u}: {f}" for u, f in failures.items())


def test_the_login_page_is_english(client, db):
    client.post("/language", data={"locale": "en"})
    html = client.get("/login").get_data(as_text=True)
    assert thai_outside_user_data(html, user_data(db)) == []


def test_dates_periods_and_labels_in_each_language(client, db):
    """The same page in English and in Thai: the period's months, the due date, the
    report's status and a member's role each in the reader's language."""
    from tests.conftest import CE, YEAR

    login(client, "clerk")
    client.post("/language", data={"locale": "en"})
    english = shown_text(client.get("/laos/1/reports").get_data(as_text=True))
    assert f"Period 1: Jan–Feb {CE}" in english
    assert f"15 March {CE}" in english  # period 1's due day, in the Gregorian year
    assert "Submitted, waiting for the district" in english
    group = client.get("/laos/1/working-group").get_data(as_text=True)
    assert ">Chair of the working group</option>" in group
    client.post("/language", data={"locale": "th"})
    thai = arabic(client.get("/laos/1/reports").get_data(as_text=True))
    assert f"ม.ค. – ก.พ. {YEAR}" in thai and f"15 มีนาคม {YEAR}" in thai
    assert "ส่งแล้ว รอตรวจรับ" in thai
    assert ">ประธานคณะทำงาน</option>" in client.get("/laos/1/working-group").get_data(as_text=True)


def _fail_every_criterion(db) -> int:
    """LAO 1's records made to fail criteria 2 to 5 in many ways (a village forum that
    misses dimensions, organisers and data, another covering what the first misses but
    not counting, an LAO forum with nobody organising it, few projects in the plan), and
    a new LAO with no records at all (every criterion's "nothing yet" reasons). Returns
    the new LAO's id."""
    from formsvc.store.laos import LaoInput, create_lao
    from tests.conftest import OTHER_PROVINCE_DISTRICT

    db.execute("UPDATE forum SET dimensions = '[\"สุขภาพ\"]' WHERE id = 1")  # counts, covers one dimension
    village = db.execute("SELECT village_id FROM forum WHERE id = 1").fetchone()[0]
    db.execute(  # covers another one in the same village, but does not count
        "UPDATE forum SET village_id = ?, organisers = '[]', dimensions = '[\"เศรษฐกิจ\"]' WHERE id = 4", [village]
    )
    db.execute(
        "UPDATE forum SET reviews_community_plan = 0, used_bmn = 0, used_village_data = 0,"
        " dimensions = '[\"สุขภาพ\"]' WHERE id = 7"
    )
    db.execute("UPDATE forum SET organisers = '[]' WHERE id = 9")
    db.execute("UPDATE project SET in_development_plan = 0 WHERE lao_id = 1 AND rank > 1")
    return create_lao(db, LaoInput("ทดสอบว่าง", "tambon_municipality", OTHER_PROVINCE_DISTRICT))


def test_the_reasons_of_unmet_criteria_are_english(make_app, db):
    """Every reason and warning the criteria give a clerk (what is missing, which forum
    does not count and why, by how much a percentage falls short) is English in the
    English UI: dimensions, villages, dates and roles included."""
    empty = _fail_every_criterion(db)
    app = make_app(WTF_CSRF_ENABLED=False, EXPORT_RUNNER=False)
    client = app.test_client()
    login(client, "admin", DEMO_PASSWORD)
    client.post("/language", data={"locale": "en"})
    pages = {}
    for lao in (1, empty):
        for page in ("", "/working-group", "/forums", "/projects"):
            response = client.get(f"/laos/{lao}{page}")
            assert response.status_code == 200, (lao, page)
            pages[f"/laos/{lao}{page}"] = response.get_data(as_text=True)
    text = "\n".join(shown_text(html) for html in pages.values())
    for reason in (
        "No order appointing the local working group",
        "The list of the working group does not include the chair of the working group yet",
        "The LAO has no list of its villages/communities yet",
        "No LAO-level forum yet",
        "does not cover the dimensions Economy, Society and quality of life, Education, religion and culture",
        "the community plan was not reviewed",
        "no forum yet",
        "that covered these dimensions does not count because not organised by the village committee",
        "LAO-level forum: not organised by the tambon community organisations coordination centre",
        "percent: at least",
    ):
        assert reason in text, reason
    assert re.search(r"the forum of \d{1,2} [A-Z][a-z]{2} \d{4} that covered", text)
    stored = user_data(db)
    failures = {url: found for url, html in pages.items() if (found := thai_outside_user_data(html, stored))}
    assert failures == {}, "\n".join(f"{u}: {f}" for u, f in failures.items())
    # the same reasons in Thai for a Thai reader, as the rules word them
    client.post("/language", data={"locale": "th"})
    thai_text = client.get("/laos/1/forums").get_data(as_text=True)
    assert "ไม่ครอบคลุมมิติ" in thai_text and "ผู้จัดไม่ใช่คณะกรรมการหมู่บ้าน" in thai_text


def test_import_errors_are_english_in_the_english_ui(make_app, db):
    """A project file with a mistake of each kind, uploaded by an English reader: every
    error names the file, row and column in English (the file's own values as they are);
    a file without the required columns too. A Thai reader gets the Thai of before
    (tests/test_project_import_rules.py and tests/test_projects.py assert it)."""
    import io

    from tests.test_projects import dimensions, xlsx

    header = ["priority", "name", "dimension", "village", "within_authority", "in_development_plan"]
    header += ["in_budget_draft", "budget_baht"]
    dimension = dimensions(db)[0]
    rows = [
        [1, "Road A", dimension, 1, "yes", "yes", "no", 1000],
        [1, "Road B", dimension, 1, "yes", "yes", "no", 1000],  # the same priority
        [2, "Road C", "Sports", 1, "yes", "yes", "no", 1000],  # a dimension not in use
        [3, "Road D", dimension, 99, "yes", "yes", "no", 1000],  # no such village
        [4, "Road E", dimension, 1, None, "yes", "no", 1000],  # within powers blank
        [5, "Road F", dimension, 1, "maybe", "yes", "no", 1000],  # not yes or no
        [6, "Road G", dimension, 1, "yes", "yes", "no", "lots"],  # budget not a number
        [7, "", dimension, 1, "yes", "yes", "no", 1000],  # no name
    ]
    app = make_app(WTF_CSRF_ENABLED=False, EXPORT_RUNNER=False)
    client = app.test_client()
    login(client, "clerk")
    client.post("/language", data={"locale": "en"})

    def upload(content: bytes) -> str:
        response = client.post(
            "/laos/1/projects/import",
            data={"file": (io.BytesIO(content), "list.xlsx")},
            content_type="multipart/form-data",
        )
        assert response.status_code == 400
        return response.get_data(as_text=True)

    html = upload(xlsx(rows, header))
    text = shown_text(html)
    for error in (
        "list.xlsx row 3 column Priority: priority 1 is the same as in row 2",
        "list.xlsx row 4 column Development dimension: 'Sports' is not in the list of dimensions in use",
        "list.xlsx row 5 column Village No.: this LAO has no village/community '99'",
        "list.xlsx row 6 column Within powers: blank: write yes or no",
        "list.xlsx row 7 column Within powers: Within powers must be yes or no (found 'maybe')",
        "list.xlsx row 8 column Budget amount: ",
        "list.xlsx row 9 column Project name: ",
    ):
        assert error in text, error
    in_the_file = [dimension]  # the file's own values show as they are
    assert thai_outside_user_data(html, [*user_data(db), *in_the_file]) == []
    html = upload(xlsx([rows[0]], ["priority", "name"]))
    assert "list.xlsx: the columns Development dimension, Within powers" in shown_text(html)
    assert thai_outside_user_data(html, [*user_data(db), *in_the_file]) == []


def test_pages_after_an_action_and_error_pages_are_english(make_app, db):
    """Pages the GET table does not reach, in English: a returned report with the
    district's comment, the list of recently deleted records (and the undo message right
    after a deletion), a form refused with its errors, a report's confirmation step, and
    the error pages."""
    app = make_app(WTF_CSRF_ENABLED=False, EXPORT_RUNNER=False)
    pages = {}

    def english(username: str):
        client = app.test_client()
        assert login(client, username).status_code == 302
        client.post("/language", data={"locale": "en"})
        return client

    def keep(name: str, response, status: int = 200):
        assert response.status_code == status, name
        pages[name] = response.get_data(as_text=True)

    clerk2 = english("clerk2")
    keep("returned report", clerk2.get("/laos/3/reports/3"))
    assert "Version" in shown_text(pages["returned report"])
    keep("clerk2 home", clerk2.get("/laos/3"))
    clerk = english("clerk")
    keep("village deleted", clerk.post("/laos/1/villages/2/delete", follow_redirects=True))
    keep("forum deleted", clerk.post("/laos/1/forums/2/delete", follow_redirects=True))
    keep("project deleted", clerk.post("/laos/1/projects/2/delete", follow_redirects=True))
    keep("recently deleted", clerk.get("/laos/1/deleted"))
    assert shown_text(pages["recently deleted"]).count("Restore") >= 2
    keep("bad forum", clerk.post("/laos/1/forums/new", data={"title": "", "held_on": "31/02/2569"}), 400)
    keep("bad village", clerk.post("/laos/1/villages", data={"number": "0", "name": ""}), 400)
    keep("submit step", clerk.get("/laos/1/reports/4/submit"))
    keep("not found", clerk.get("/laos/1/forums/99999"), 404)
    keep("another LAO", clerk.get("/laos/3"), 404)
    keep("no such page", clerk.get("/no-such-page"), 404)
    keep("forbidden", english("district").post("/laos/1/projects/3/delete"), 403)
    stored = user_data(db)
    failures = {name: found for name, html in pages.items() if (found := thai_outside_user_data(html, stored))}
    assert failures == {}, "\n".join(f"{n}: {f}" for n, f in failures.items())
