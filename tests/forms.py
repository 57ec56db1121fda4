"""Reading a page's form as a browser would submit it: every named input, select and
textarea with its current value (checked boxes only; no buttons, no files)."""

from __future__ import annotations

from html.parser import HTMLParser


class _Forms(HTMLParser):
    def __init__(self):
        super().__init__(convert_charrefs=True)
        self.forms: list[dict] = []
        self._select: tuple[str, bool] | None = None
        self._options: list[tuple[str, bool]] = []
        self._option: dict | None = None
        self._textarea: str | None = None
        self._text: list[str] = []

    def _add(self, name: str, value: str) -> None:
        if self.forms and name:
            self.forms[-1]["fields"].append((name, value))

    def handle_starttag(self, tag, attrs):
        a = dict(attrs)
        if tag == "form":
            self.forms.append({"action": a.get("action", ""), "fields": []})
        elif tag == "input":
            kind = (a.get("type") or "text").lower()
            if kind in ("submit", "button", "file", "reset", "image"):
                return
            if kind in ("checkbox", "radio"):
                if "checked" in a:
                    self._add(a.get("name"), a.get("value", "on"))
                return
            self._add(a.get("name"), a.get("value") or "")
        elif tag == "select":
            self._select = (a.get("name"), "multiple" in a)
            self._options = []
        elif tag == "option" and self._select:
            self._option = {"value": a.get("value"), "selected": "selected" in a, "text": ""}
        elif tag == "textarea":
            self._textarea = a.get("name")
            self._text = []

    def handle_data(self, data):
        if self._option is not None:
            self._option["text"] += data
        if self._textarea is not None:
            self._text.append(data)

    def handle_endtag(self, tag):
        if tag == "option" and self._option is not None:
            o = self._option
            self._options.append((o["value"] if o["value"] is not None else o["text"].strip(), o["selected"]))
            self._option = None
        elif tag == "select" and self._select:
            name, multiple = self._select
            chosen = [v for v, selected in self._options if selected]
            if not chosen and not multiple and self._options:
                chosen = [self._options[0][0]]
            for value in chosen:
                self._add(name, value)
            self._select = None
        elif tag == "textarea" and self._textarea is not None:
            text = "".join(self._text)
            for newline in ("\r\n", "\n"):  # a browser drops one newline right after <textarea>
                if text.startswith(newline):
                    text = text[len(newline) :]
                    break
            self._add(self._textarea, text)
            self._textarea = None


def forms_of(html: str) -> list[dict]:
    parser = _Forms()
    parser.feed(html)
    return parser.forms


def form_data(html: str, having: str = "version", action: str | None = None) -> dict:
    """The fields of the first form that has a field named ``having`` (and, if given,
    posts to ``action``), as a dict for the test client (repeated names → lists)."""
    for form in forms_of(html):
        names = [n for n, _ in form["fields"]]
        if having in names and (action is None or form["action"] == action):
            data: dict = {}
            for name, value in form["fields"]:
                if name in data:
                    data[name] = data[name] if isinstance(data[name], list) else [data[name]]
                    data[name].append(value)
                else:
                    data[name] = value
            return data
    raise AssertionError(f"no form with a field {having!r}")
