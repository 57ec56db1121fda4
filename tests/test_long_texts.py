"""Long free text is bounded in characters and in lines (formsvc.domain.text, "Length"):
one line more than a field allows is refused with a Thai message that says how many
lines there are, nothing is saved, and the page keeps what was typed; at the limit the
text is saved whole."""

from __future__ import annotations

import html

import pytest

from formsvc.domain.text import Limit
from formsvc.store import forums as forum_store
from formsvc.store import reports as report_store
from formsvc.store import working_group as wg_store
from tests.conftest import YEAR, login
from tests.forms import form_data
from tests.workers import longest_text

# (user, page, field, limit, what is stored now)
FIELDS = [
    (
        "clerk",
        "/laos/1/reports/4",
        "progress",
        report_store.TEXT,
        lambda db: report_store.get_report(db, 1, 4)["progress"],
    ),
    (
        "clerk",
        "/laos/1/reports/4",
        "suggestions",
        report_store.TEXT,
        lambda db: report_store.get_report(db, 1, 4)["suggestions"],
    ),
    (
        "facilitator",
        "/laos/1/forums/1",
        "agenda-0-discussion",
        Limit(forum_store.DISCUSSION_MAX, forum_store.DISCUSSION_LINES),
        lambda db: forum_store.get_forum(db, 1, 1)["agenda"][0]["discussion"],
    ),
    (
        "facilitator",
        "/laos/1/forums/1",
        "agenda-0-resolution",
        Limit(forum_store.RESOLUTION_MAX, forum_store.RESOLUTION_LINES),
        lambda db: forum_store.get_forum(db, 1, 1)["agenda"][0]["resolution"],
    ),
    (
        "clerk",
        "/laos/1/working-group",
        "reason",
        Limit(wg_store.REASON_MAX, wg_store.REASON_LINES),
        lambda db: wg_store.get_group(db, 1, YEAR)["reason"],
    ),
]


def _post(client, page: str, field: str, text: str):
    data = form_data(client.get(page).get_data(as_text=True))
    data[field] = text
    return client.post(page, data=data)


@pytest.mark.parametrize(("user", "page", "field", "limit", "stored"), FIELDS, ids=[f[2] for f in FIELDS])
def test_one_line_too_many_is_refused_in_thai_and_the_text_kept(client, db, user, page, field, limit, stored):
    login(client, user)
    before = stored(db)
    lines = ["บรรทัด"] * (limit.lines + 1)
    lines[-1] = "บรรทัดสุดท้ายที่พิมพ์ไว้"
    response = _post(client, page, field, "\n".join(lines))
    page_html = html.unescape(response.get_data(as_text=True))
    assert response.status_code == 400
    assert f"มี {limit.lines + 1:,} บรรทัด" in page_html and f"ไม่เกิน {limit.lines:,} บรรทัด" in page_html
    assert "บรรทัดสุดท้ายที่พิมพ์ไว้" in page_html  # what was typed is still in the form
    assert stored(db) == before


@pytest.mark.parametrize(("user", "page", "field", "limit", "stored"), FIELDS, ids=[f[2] for f in FIELDS])
def test_a_text_at_both_limits_is_saved_whole(client, db, user, page, field, limit, stored):
    login(client, user)
    text = longest_text(limit.chars, limit.lines)
    response = _post(client, page, field, text)
    assert response.status_code == 302, html.unescape(response.get_data(as_text=True))[-3000:]
    assert stored(db) == text


def test_the_store_refuses_too_many_lines_whoever_calls_it(db):
    """The CLI, imports and the demo write through the store: it holds the same limits."""
    values = {"progress": "ผล\n" * (report_store.TEXT.lines + 1), "problems": "", "suggestions": ""}
    with pytest.raises(report_store.InputError) as refused:
        report_store.save_draft(db, 1, 4, values, None)
    assert refused.value.field == "progress" and "ไม่เกิน 300 บรรทัด" in refused.value.message
    comment = "\n".join(["เหตุผล"] * (report_store.COMMENT.lines + 1))
    with pytest.raises(report_store.InputError) as refused:
        report_store.review(db, 1, 4, "returned", comment, None)
    assert refused.value.field == "comment" and "ไม่เกิน 50 บรรทัด" in refused.value.message
