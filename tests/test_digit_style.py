"""One digit style per page: an LAO's pages write the digits its setting chose
(lao.digit_style, Thai ๐–๙ or Arabic 0–9); dashboards and every page in English write
Arabic. Numbers a template prints, catalog strings ("ผ่านครบ 5 ข้อ") and dates alike;
what someone typed into a text area stays as typed."""

from __future__ import annotations

import re
from html.parser import HTMLParser

import pytest

from formsvc.domain import thai
from formsvc.store.setup import DEMO_PASSWORD
from tests.conftest import arabic, ids, login
from tests.forms import form_data

ARABIC = re.compile(r"[0-9]")
THAI = re.compile(r"[\u0e50-\u0e59]")


class _Visible(HTMLParser):
    """The text a person reads in <title>, the menu (its counts) and <main>: not in
    scripts, styles, text areas (what was typed) or code, not in attributes."""

    SKIP = {"script", "style", "textarea", "code", "pre"}

    def __init__(self):
        super().__init__()
        self.where: list[str] = []
        self.text: list[str] = []

    def handle_starttag(self, tag, attrs):
        if tag not in ("br", "input", "img", "hr", "meta", "link", "col", "source", "wbr"):
            self.where.append(tag)

    def handle_endtag(self, tag):
        if tag in self.where:
            while self.where.pop() != tag:
                pass

    def handle_data(self, data):
        if {"main", "title", "nav"} & set(self.where) and not self.SKIP & set(self.where):
            self.text.append(data.strip())


def visible(html: str) -> str:
    parser = _Visible()
    parser.feed(html)
    return " | ".join(t for t in parser.text if t)


def wrong_digits(client, path: str, pattern: re.Pattern) -> list[str]:
    response = client.get(path)
    assert response.status_code == 200, path
    text = visible(response.get_data(as_text=True))
    assert text, path
    return [text[max(0, m.start() - 20) : m.end() + 10] for m in pattern.finditer(text)]


def lao_pages(db) -> list[str]:
    forum = ids(db, "SELECT id FROM forum WHERE lao_id = 1 ORDER BY id")[0]
    return ["/laos/1", "/laos/1/forums", f"/laos/1/forums/{forum}", "/laos/1/projects", "/laos/1/reports"]


def dashboards(db) -> list[str]:
    district, province = db.execute(
        "SELECT d.code, d.province_code FROM lao l JOIN district d ON d.code = l.district_code WHERE l.id = 1"
    ).fetchone()
    return [f"/districts/{district}", f"/provinces/{province}", "/national", "/laos"]


def set_style(db, style: str) -> None:
    db.execute("UPDATE lao SET digit_style = ?", [style])


@pytest.mark.parametrize("style", ["thai", "arabic"])
def test_an_lao_page_writes_one_digit_style(client, db, style):
    """Every number an LAO's page writes (counts, dates, periods, catalog strings such as
    "ผ่านครบ 5 ข้อ", what people saved) is in the digits the LAO chose."""
    set_style(db, style)
    login(client, "admin", DEMO_PASSWORD)
    other, wanted = (ARABIC, THAI) if style == "thai" else (THAI, ARABIC)
    for path in lao_pages(db):
        assert wrong_digits(client, path, other) == [], path
        assert wrong_digits(client, path, wanted), path  # the page does write numbers


def test_each_lao_its_own_digits(client, db):
    """Two LAOs, two choices: each page follows its own LAO."""
    db.execute("UPDATE lao SET digit_style = 'thai' WHERE id = 1")
    db.execute("UPDATE lao SET digit_style = 'arabic' WHERE id = 2")
    login(client, "admin", DEMO_PASSWORD)
    assert wrong_digits(client, "/laos/1/reports", ARABIC) == []
    assert wrong_digits(client, "/laos/2/reports", THAI) == []


@pytest.mark.parametrize("style", ["thai", "arabic"])
def test_dashboards_write_arabic_digits_whatever_the_laos_chose(client, db, style):
    set_style(db, style)
    login(client, "admin", DEMO_PASSWORD)
    for path in dashboards(db):
        assert wrong_digits(client, path, THAI) == [], path


def test_a_page_in_english_writes_arabic_digits(client, db):
    set_style(db, "thai")
    login(client, "admin", DEMO_PASSWORD)
    client.post("/language", data={"locale": "en", "next": "/laos/1"})
    assert wrong_digits(client, "/laos/1", THAI) == []


PAGE = (
    '{% filter digits %}<p title="ปี 2569">ปี 2569 &#39;ก&#39; ผ่าน 5 ข้อ U+1FFFE</p>'
    '<a href="/laos/1">1</a><textarea>พิมพ์ 12 ไว้</textarea><code>v2</code>{% endfilter %}'
)


def _render(app, lao, locale="th"):
    from flask import render_template_string, session

    with app.test_request_context():
        session["locale"] = locale
        return render_template_string(PAGE, lao=lao)


def test_the_digits_filter_writes_the_lao_choice_in_text_only(app):
    thai_page = _render(app, {"digit_style": "thai"})
    assert '<p title="ปี 2569">ปี ๒๕๖๙ &#39;ก&#39; ผ่าน ๕ ข้อ U+1FFFE</p>' in thai_page
    assert '<a href="/laos/1">๑</a>' in thai_page
    # what was typed, and code, stay as they are
    assert "<textarea>พิมพ์ 12 ไว้</textarea><code>v2</code>" in thai_page


@pytest.mark.parametrize(
    "lao, locale", [({"digit_style": "arabic"}, "th"), (None, "th"), ({"digit_style": "thai"}, "en")]
)
def test_the_digits_filter_writes_arabic_elsewhere(app, lao, locale):
    page = _render(app, lao, locale)
    assert "ปี 2569" in page and "ผ่าน 5 ข้อ" in page and not THAI.search(page)


def test_the_funnel_labels_a_range_only_when_it_is_one(client, db):
    login(client, "admin", DEMO_PASSWORD)
    html = client.get("/national").get_data(as_text=True)
    labels = re.findall(r'class="funnel-label">([^<]*)<', html)
    assert labels[:3] == ["ข้อ 1", "ข้อ 1–2", "ข้อ 1–3"]


def test_a_thai_digit_page_round_trips_its_form_and_takes_thai_digits_typed(client, db):
    """The fields of a Thai-digit page keep the values as saved (Arabic), so the form
    posts back unchanged; digits typed in Thai into number and date fields are read as
    the same numbers."""
    set_style(db, "thai")
    login(client, "clerk")
    forum = ids(db, "SELECT id FROM forum WHERE lao_id = 1 AND level = 'village' ORDER BY id")[0]
    path = f"/laos/1/forums/{forum}"
    columns = "held_on, meeting_no, head_count, head_count_male, head_count_female, start_time, title"

    def row():
        return db.execute(f"SELECT {columns} FROM forum WHERE id = ?", [forum]).fetchone()

    before = row()
    data = form_data(client.get(path).get_data(as_text=True))
    numbers = ("held_on", "meeting_no", "head_count", "head_count_male", "head_count_female", "start_time")
    assert all(not THAI.search(data[name]) for name in numbers)  # the fields hold what was saved
    response = client.post(path, data={**data, "action": "save"})
    assert response.status_code == 302, arabic(response.get_data(as_text=True))[:2000]
    assert tuple(row()) == tuple(before)

    data = form_data(client.get(path).get_data(as_text=True))
    typed = {name: thai.digits(data[name], "thai") for name in numbers}
    assert all(THAI.search(typed[name]) for name in ("held_on", "head_count"))
    response = client.post(path, data={**data, **typed, "action": "save"})
    assert response.status_code == 302, arabic(response.get_data(as_text=True))[:2000]
    assert tuple(row()) == tuple(before)


@pytest.mark.parametrize("style", ["thai", "arabic"])
def test_the_menu_count_follows_the_page(client, db, style):
    """The clerk's count of returned reports in the menu is written like the rest of the
    LAO's page."""
    set_style(db, style)
    login(client, "clerk")
    other = ARABIC if style == "thai" else THAI
    for path in ("/laos/1", "/laos/1/forums"):
        assert wrong_digits(client, path, other) == [], path
        html = client.get(path).get_data(as_text=True)
        count = re.search(r'class="inbox-link"[^>]*>[^<]*<span class="count[^"]*">([^<]+)<', html).group(1)
        assert not other.search(count), (path, count)


def _in_digits_piece_by_piece(text: str, style: str) -> str:
    """The digits filter as first written: every piece ``_HTML_KEEP`` keeps found in
    turn, the text between them changed."""
    from formsvc.web.filters import _HTML_KEEP

    kept, at = [], 0
    for match in _HTML_KEEP.finditer(text):
        kept.append(thai.digits(text[at : match.start()], style))
        kept.append(match.group(0))
        at = match.end()
    kept.append(thai.digits(text[at:], style))
    return "".join(kept)


PIECES = [
    '<a href="/laos/12">',
    "</a>",
    '<td class="n">',
    "123",
    "๔๕",
    " ข้อ ",
    "&#39;",
    "&amp;",
    "&#x2F;",
    "U+1FFFE",
    '<textarea name="t1">',
    "</textarea>",
    "<!-- 9 -->",
    "<script>var x=1;</script>",
    "<pre>12</pre>",
    '<input value="๑๒">',
    "<",
    ">",
    "&",
    ";",
    "1",
    "๑",
    "U+",
    "<br>",
    "<code>1</code>",
    "\n",
    "<TEXTAREA>๑1</textarea >",
]


@pytest.mark.parametrize("style", ["thai", "arabic"])
def test_the_one_pass_digits_filter_changes_what_the_piece_by_piece_one_did(style):
    import random

    from markupsafe import Markup

    from formsvc.web.filters import in_digits

    rnd = random.Random(20)
    for _ in range(3000):
        text = "".join(rnd.choice(PIECES) for _ in range(rnd.randint(0, 14)))
        assert in_digits(Markup(text), style) == _in_digits_piece_by_piece(text, style), text
    page = "".join(PIECES) * 3
    assert in_digits(Markup(page), style) == _in_digits_piece_by_piece(page, style)
