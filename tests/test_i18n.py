"""Thai by default, English available; the Thai catalog translates every UI string."""

import subprocess

from babel.messages.pofile import read_po

from formsvc.i18n import LOCALES, TRANSLATIONS, extract_command
from tests.conftest import arabic, login


def extracted_ids(tmp_path) -> set:
    pot = tmp_path / "messages.pot"
    subprocess.run(extract_command(pot), check=True, capture_output=True)
    with pot.open("rb") as fh:
        return {m.id for m in read_po(fh) if m.id}


def catalog(locale):
    with (TRANSLATIONS / locale / "LC_MESSAGES" / "messages.po").open("rb") as fh:
        return read_po(fh, locale=locale)


def test_every_ui_string_has_a_thai_translation(tmp_path):
    ids = extracted_ids(tmp_path)
    # strings from the Python code and from the templates were both found (an extraction
    # that matched no file would leave nothing to be missing)
    assert {"The form has expired", "The %(n)s criteria"} <= ids
    # ... and from the store's messages (msg(), formsvc.domain.messages)
    assert "Enter the LAO name." in ids
    th = catalog("th")
    missing = sorted(
        str(i)
        for i in ids
        if th.get(i) is None or not all(th.get(i).string if isinstance(th.get(i).string, tuple) else [th.get(i).string])
    )
    assert missing == [], "run scripts/update-catalogs.py and translate these"
    assert ids <= {m.id for m in catalog("en") if m.id}, "English catalog is out of date"


def test_thai_is_the_default(client):
    html = client.get("/login").get_data(as_text=True)
    assert '<html lang="th"' in html
    assert "เข้าสู่ระบบ" in html and "Sign in" not in html


def test_english_persists_per_user(client, db):
    login(client, "clerk")
    client.post("/language", data={"locale": "en", "next": "/laos/1"})
    assert db.execute("SELECT locale FROM user WHERE username = 'clerk'").fetchone()[0] == "en"
    html = client.get("/laos/1").get_data(as_text=True)
    assert '<html lang="en"' in html and "The 5 criteria" in html
    # a new session of the same user gets English too
    other = client.__class__(client.application)
    login(other, "clerk")
    assert "The 5 criteria" in other.get("/laos/1").get_data(as_text=True)


def test_wtforms_messages_are_thai(client):
    login(client, "clerk")
    html = arabic(client.post("/laos/1/villages", data={"number": "abc", "name": "ก" * 200}).get_data(as_text=True))
    assert "ยาวได้ไม่เกิน 120 ตัวอักษร" in html
    assert "กรุณากรอกเป็นตัวเลขจำนวนเต็ม" in html


def test_catalogs_parse_cleanly():
    """A malformed entry (two entries without a blank line between them, after a merge)
    makes Babel drop a translation with only a warning: refuse it here instead."""
    found = sorted(po.parent.parent.name for po in TRANSLATIONS.glob("*/LC_MESSAGES/messages.po"))
    assert found == sorted(LOCALES)  # the package's own catalogs, wherever the tests run from
    for locale in found:
        with (TRANSLATIONS / locale / "LC_MESSAGES" / "messages.po").open("rb") as fh:
            read_po(fh, abort_invalid=True)
