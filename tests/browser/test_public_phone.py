"""The public page (/public) on a phone (390 px), without signing in: the page is no wider
than the screen, the chart fits and its labels stay readable (and the criteria they stand
for are in the page's language), the tables fit with no cell spilling out of them or
hidden behind a sideways scroll, and the open-data links give the data."""

from __future__ import annotations

import csv
import io
import json

import pytest

from formsvc.domain import criteria
from tests.browser.ui import PHONE, th

pytestmark = pytest.mark.browser

# the smallest text a phone reader is expected to read (Thai, with its marks above and
# below the line), in CSS pixels of the screen
READABLE_PX = 14


def _overflowing(page, selector: str) -> list[str]:
    """The elements under ``selector`` whose content is wider than their box (spilling
    out, or hidden behind a sideways scroll), or whose box leaves the screen, each as
    'tag: text'. What is hidden on purpose for screen readers is left out."""
    return page.evaluate(
        """([selector, width]) => {
          const found = [];
          for (const root of document.querySelectorAll(selector)) {
            for (const el of [root, ...root.querySelectorAll('*')]) {
              const box = el.getBoundingClientRect();
              if (box.width <= 1 || el.closest('.visually-hidden')) continue;
              if (el.scrollWidth > el.clientWidth + 1 || box.left < -1 || box.right > width + 1) {
                found.push(el.tagName + ': ' + el.textContent.trim().slice(0, 40));
              }
            }
          }
          return found;
        }""",
        [selector, PHONE["width"]],
    )


def _chart(page) -> dict:
    """The chart's texts as the reader sees them: each one's box and its size on the screen
    (the font size times the SVG's scale), and the bars' boxes."""
    return page.evaluate(
        """() => {
          const svg = document.querySelector('svg.funnel');
          const scale = svg.getBoundingClientRect().width / svg.viewBox.baseVal.width;
          const box = e => {
            const r = e.getBoundingClientRect();
            return {left: r.left, right: r.right, top: r.top, bottom: r.bottom};
          };
          const text = t => ({text: t.textContent, px: parseFloat(getComputedStyle(t).fontSize) * scale, ...box(t)});
          return {
            svg: box(svg),
            labels: [...svg.querySelectorAll('text.funnel-label')].map(text),
            values: [...svg.querySelectorAll('text.funnel-value')].map(text),
            bars: [...svg.querySelectorAll('rect.funnel-bar')].map(box),
          };
        }"""
    )


def test_the_public_page_fits_a_phone_and_its_open_data_links_work(open_ui):
    ui = open_ui(phone=True)
    page = ui.page
    ui.goto("/public")  # no sign-in
    page.evaluate("document.fonts.ready.then(() => true)")
    assert page.get_by_role("heading", level=1).inner_text().startswith(th("Model LAOs: public report"))
    for details in page.locator("main details").all():  # every province's LAOs shown
        if not details.evaluate("d => d.open"):
            details.locator("summary").click()
    # no sideways scrolling of the page
    assert page.evaluate("document.documentElement.scrollWidth <= document.documentElement.clientWidth")

    # the chart: inside the screen; each bar's label and figure big enough to read, inside
    # the chart, clear of the bars and of the next row
    chart = _chart(page)
    assert chart["svg"]["left"] >= 0 and chart["svg"]["right"] <= PHONE["width"]
    assert chart["labels"] and len(chart["labels"]) == len(chart["values"]) == len(chart["bars"])
    for text in chart["labels"] + chart["values"]:
        assert text["px"] >= READABLE_PX, f"chart text {text['text']!r} is {text['px']:.1f}px"
        assert chart["svg"]["left"] - 1 <= text["left"] and text["right"] <= chart["svg"]["right"] + 1, text
    for label, bar in zip(chart["labels"], chart["bars"], strict=True):
        assert label["right"] <= bar["left"], f"{label['text']!r} runs into its bar"
    for above, below in zip(chart["labels"], chart["labels"][1:], strict=False):
        assert above["bottom"] <= below["top"] + 1, f"{above['text']!r} and {below['text']!r} overlap"

    # the criteria the chart's labels stand for, in the page's language
    legend = page.locator("main ol.criteria-legend").inner_text()
    assert th(criteria.CRITERIA[0].title_en) in legend and criteria.CRITERIA[0].title_en not in legend

    # the tables: inside the screen, no cell's content wider than the cell
    tables = page.locator("main table")
    assert tables.count() >= 2  # by province, and the LAOs of the province
    assert _overflowing(page, "main table") == []
    assert _overflowing(page, "main") == []
    for i in range(tables.count()):
        font = tables.nth(i).evaluate("t => parseFloat(getComputedStyle(t.querySelector('td')).fontSize)")
        assert font >= READABLE_PX

    # the open data: CSV and JSON of the same period, as the links give them
    data = page.locator("main section", has=page.get_by_role("heading", name=th("Open data")))
    csv_link = data.get_by_role("link", name=th("These figures as CSV"))
    json_link = data.get_by_role("link", name=th("as JSON"))
    name, content = ui.download(csv_link)
    assert name.startswith("public-rollup-") and name.endswith(".csv")
    rows = list(csv.reader(io.StringIO(content.decode("utf-8-sig"))))
    assert rows[0][0] == "level" and rows[1][0] == "national"
    response = page.request.get(ui.url(json_link.get_attribute("href")))
    assert response.ok and response.headers["content-type"].startswith("application/json")
    payload = json.loads(response.text())
    assert payload["national"]["selected"] == int(rows[1][9])
    with page.expect_navigation():
        json_link.click()
    assert json.loads(page.locator("body").inner_text())["period"] == payload["period"]
    page.go_back()
    ui.shot("public")
