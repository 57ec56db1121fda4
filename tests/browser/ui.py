"""A user at a browser: sign in, follow links, fill forms, save screenshots, check
accessibility (axe-core) and collect everything the browser complains about."""

from __future__ import annotations

import re
from pathlib import Path

from babel.support import Translations

from formsvc import i18n
from formsvc.domain import thai
from formsvc.store.setup import DEMO_PASSWORD

CHROMIUM = "/usr/bin/chromium"
# Without network access, Chromium's own services (updates, sync, field trials, QUIC)
# keep failing and flood the log with refused connections: these flags turn them off.
CHROMIUM_ARGS = [
    "--headless",
    "--no-sandbox",
    "--disable-gpu",
    "--disable-quic",
    "--no-first-run",
    "--disable-background-networking",
    "--disable-component-update",
    "--disable-sync",
]
DESKTOP = {"width": 1366, "height": 768}
PHONE = {"width": 390, "height": 844}
PDF_VIEWER = "chrome-extension://mhjfbmdgcfjbbpaeojofohoefgiehjai/"
BLOCKING = ("serious", "critical")

AXE_RUN = """async () => {
  const result = await axe.run(document, {resultTypes: ["violations"]});
  return result.violations.map(v => ({id: v.id, impact: v.impact, help: v.help,
    targets: v.nodes.slice(0, 5).map(n => n.target.join(" "))}));
}"""


_THAI = None


def th(msgid: str, **values) -> str:
    """The Thai text the user sees for a UI message id (from the app's own catalog)."""
    global _THAI
    if _THAI is None:
        i18n.compile_catalogs()
        _THAI = Translations.load(str(i18n.TRANSLATIONS), ["th"])
    text = _THAI.gettext(msgid)
    return text % values if values else text


class Ui:
    """One browser context (its own cookies) with one page, at desktop or phone size.
    ``problems()`` lists what the browser reported: console errors, script errors,
    failed requests, HTTP errors of resources, axe violations, pages wider than the
    screen."""

    def __init__(
        self,
        browser,
        base_url: str,
        axe_source: str,
        shots: Path,
        prefix: str,
        phone: bool = False,
        javascript: bool = True,
    ):
        self.base_url = base_url
        self.axe_source = axe_source
        self.shots = shots
        self.prefix = prefix
        self.phone = phone
        self.viewport = PHONE if phone else DESKTOP
        options = {
            "viewport": self.viewport,
            "accept_downloads": True,
            "locale": "th-TH",
            "timezone_id": "Asia/Bangkok",
        }
        if phone:
            options.update(is_mobile=True, has_touch=True)
        if not javascript:  # the page as a browser without scripts has it
            options["java_script_enabled"] = False
        self.context = browser.new_context(**options)
        self.context.set_default_timeout(15_000)
        self.page = self.context.new_page()
        self.count = 0
        self._errors: list[str] = []
        self._failed: list[tuple[str, str]] = []
        self._downloads: set[str] = set()
        self._axe: list[str] = []
        self._console_errors: list[tuple[str, str]] = []
        self._refused: set[tuple[str, int]] = set()
        self.page.on("console", self._console)
        self.page.on("pageerror", lambda error: self._errors.append(f"script error: {error}"))
        self.page.on("requestfailed", lambda r: self._failed.append((r.url, r.failure or "")))
        self.page.on("response", self._response)
        self.page.on("download", lambda d: self._downloads.add(d.url))

    # -- what the browser reports -------------------------------------------------
    def _console(self, message) -> None:
        if message.type == "error":
            self._console_errors.append((message.text, message.location.get("url")))

    def _response(self, response) -> None:
        # a form sent back with its errors is 400 by design; anything else that fails is not
        if response.status >= 500 or (response.status >= 400 and response.request.resource_type != "document"):
            self._errors.append(f"HTTP {response.status}: {response.request.method} {response.url}")

    def problems(self) -> list[str]:
        found = list(self._errors) + list(self._axe)
        for text, url in self._console_errors:
            status = re.search(r"status of (\d+)", text)
            if status and (url, int(status.group(1))) in self._refused:
                continue  # Chromium's note on a page the test expected to come back refused
            found.append(f"console error: {text} ({url})")
        for url, failure in self._failed:
            aborted = "ERR_ABORTED" in failure
            # a navigation that became a download, or the PDF viewer's own stream of a
            # PDF being saved, is aborted by the browser on purpose
            if aborted and (url in self._downloads or url.startswith(PDF_VIEWER)):
                continue
            found.append(f"request failed: {url} ({failure})")
        return found

    def assert_clean(self) -> None:
        problems = self.problems()
        assert not problems, "the browser reported:\n" + "\n".join(problems)

    def close(self) -> None:
        self.context.close()

    # -- moving around ------------------------------------------------------------
    def url(self, path: str) -> str:
        return self.base_url + path

    def goto(self, path: str) -> None:
        response = self.page.goto(self.url(path))
        assert response is not None and response.ok, f"{path}: HTTP {response and response.status}"

    def login(self, username: str, password: str = DEMO_PASSWORD) -> None:
        self.goto("/login")
        self.page.fill("#username", username)
        self.page.fill("#password", password)
        with self.page.expect_navigation():
            self.page.locator("main").get_by_role("button", name=th("Sign in")).click()
        assert "/login" not in self.page.url, self.page.locator("main").inner_text()

    def submit(self, button, status: int = 200) -> None:
        """Click a submit button and wait for the page it leads to. A form sent back
        with the user's errors answers 400 (``status=400``); Chromium notes that in the
        console, which is then expected for that page only."""
        with self.page.expect_navigation() as navigation:
            button.click()
        response = navigation.value
        assert response is not None and response.status == status, (
            f"{self.page.url}: HTTP {response and response.status}, expected {status}"
        )
        if status != 200:
            self._refused.add((self.page.url, status))

    # -- looking at it ------------------------------------------------------------
    def shot(self, name: str, axe: bool = True) -> None:
        """Screenshots of the whole page at desktop and phone width (the Ui's own width
        last, so the test goes on as it was), each checked with axe-core."""
        self.count += 1
        page = self.page
        page.evaluate("document.fonts.ready.then(() => true)")
        sizes = [("phone", PHONE), ("desktop", DESKTOP)]
        if self.phone:
            sizes.reverse()
        for label, size in sizes:
            page.set_viewport_size(size)
            if axe:
                self.axe(f"{name} ({label})")
            wider = page.evaluate("document.documentElement.scrollWidth - document.documentElement.clientWidth")
            if wider > 0:
                self._errors.append(f"{name} ({label}) {page.url}: the page is {wider}px wider than the screen")
            page.screenshot(path=str(self.shots / f"{self.prefix}-{self.count:02d}-{name}-{label}.png"), full_page=True)
        self.assert_clean()

    def axe(self, where: str) -> None:
        if not self.page.evaluate("() => typeof window.axe !== 'undefined'"):
            # evaluated through the DevTools protocol, so the page's CSP (script-src
            # 'self') stays as it is in production and still guards everything else
            self.page.evaluate(self.axe_source + "\n;undefined")
        violations = self.page.evaluate(AXE_RUN)
        for v in violations:
            if v["impact"] in BLOCKING:
                self._axe.append(
                    f"axe {v['impact']} on {where} {self.page.url}: {v['id']} ({v['help']}) "
                    f"at {', '.join(v['targets'])}"
                )

    # -- documents ----------------------------------------------------------------
    def open_pdf(self, link, name: str) -> bytes:
        """Follow a link to a PDF as a user does: it opens in Chromium's PDF viewer,
        a screenshot is taken, and the viewer's download button saves it. Returns the
        saved bytes; the page goes back to where it was."""
        before = self.page.url
        with self.page.expect_navigation():
            link.click()
        viewer = self._pdf_viewer()
        save = viewer.locator("viewer-download-controls cr-icon-button").first
        save.wait_for(state="visible")
        self.count += 1
        self.page.screenshot(path=str(self.shots / f"{self.prefix}-{self.count:02d}-{name}-viewer.png"))
        with self.page.expect_download() as info:
            save.click()
        download = info.value
        content = Path(download.path()).read_bytes()
        assert content.startswith(b"%PDF"), f"{download.url} is not a PDF"
        self.goto(before.removeprefix(self.base_url))
        return content

    def _pdf_viewer(self):
        for _ in range(100):
            for frame in self.page.frames:
                if frame.url.startswith(PDF_VIEWER):
                    return frame
            self.page.wait_for_timeout(100)
        raise AssertionError(f"no PDF viewer on {self.page.url}")

    def download(self, link) -> tuple[str, bytes]:
        """Click a link that downloads a file; (suggested file name, bytes)."""
        with self.page.expect_download() as info:
            link.click()
        download = info.value
        return download.suggested_filename, Path(download.path()).read_bytes()


def main_text(ui: Ui) -> str:
    """The page's main text, its digits as Arabic (an LAO's pages write the LAO's digits)."""
    return arabic(re.sub(r"\s+", " ", ui.page.locator("main").inner_text()))


def arabic(text: str) -> str:
    return thai.to_arabic_digits(text)


def in_page_digits(page, text: str) -> str:
    """``text`` with its digits as the page writes them (<html data-digits>)."""
    return thai.digits(text, page.locator("html").get_attribute("data-digits") or "arabic")
