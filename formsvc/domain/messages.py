"""Messages for people, kept as an English message id plus parameters until shown.

``msg("LAO name is too long (at most %(max)s characters)", max=120)`` records the id
(extracted into the catalogs like ``gettext`` strings) and its parameters. It is
translated where it is shown: in Thai by :func:`thai` (the CLI, logs, stored job
details), or with the request's language by the web layer, which passes Flask-Babel's
``gettext`` to :meth:`Msg.text`. This module imports neither Flask nor the web layer.
"""

from __future__ import annotations

import io
import json
from collections.abc import Callable
from functools import cache

from babel.messages.mofile import write_mo
from babel.messages.pofile import read_po
from babel.support import Translations

from formsvc.i18n import TRANSLATIONS

Gettext = Callable[..., str]


class Msg:
    """An English message id and its parameters (a parameter may be a ``Msg`` too)."""

    __slots__ = ("id", "params")

    def __init__(self, msgid: str, params: dict[str, object]):
        self.id = msgid
        self.params = params

    def text(self, gettext: Gettext) -> str:
        """The message translated by ``gettext`` (called like Flask-Babel's:
        ``gettext(msgid, **params)``, formatting only when there are parameters)."""
        params = {k: _text(v, gettext) for k, v in self.params.items()}
        return gettext(self.id, **params)

    def __repr__(self) -> str:
        return f"msg({self.id!r}, **{self.params!r})"


class Joined(Msg):
    """Parts (plain text or messages) written one after another with ``sep`` between
    them, once translated; cut to ``limit`` characters (the last one "…") when longer.

    For text that is only put together, not worded: lines of a message, a value in
    quotes, a list of names."""

    __slots__ = ("limit", "parts", "sep")

    def __init__(self, parts: list[str | Msg], sep: str = "", limit: int | None = None):
        super().__init__("", {})
        self.parts = list(parts)
        self.sep = sep
        self.limit = limit

    def text(self, gettext: Gettext) -> str:
        text = self.sep.join(str(_text(p, gettext)) for p in self.parts)
        if self.limit is not None and len(text) > self.limit:
            return text[: self.limit - 1] + "…"
        return text

    def __repr__(self) -> str:
        return f"Joined({self.parts!r}, {self.sep!r}, {self.limit!r})"


def _text(value: object, gettext: Gettext) -> object:
    """A message (or Thai text that keeps its message) translated; anything else as it is."""
    message = getattr(value, "msg", value) if isinstance(value, str) else value
    return message.text(gettext) if isinstance(message, Msg) else value


def msg(msgid: str, **params: object) -> Msg:
    """A message to translate when shown; ``msgid`` is English, with ``%(name)s``
    placeholders for ``params``."""
    return Msg(msgid, params)


@cache
def _thai_translations() -> Translations:
    """The package's Thai catalog, read from its .po (always shipped; the .mo may be
    missing or older in a checkout, and compiling it here would write into the package)."""
    with (TRANSLATIONS / "th" / "LC_MESSAGES" / "messages.po").open("rb") as fh:
        catalog = read_po(fh, locale="th")
    buffer = io.BytesIO()
    write_mo(buffer, catalog)
    buffer.seek(0)
    return Translations(buffer)


def thai_gettext(msgid: str, **params: object) -> str:
    text = _thai_translations().gettext(msgid)
    return text % params if params else text


def thai(message: str | Msg) -> str:
    """A message in Thai (a plain string is taken to be Thai already)."""
    return message.text(thai_gettext) if isinstance(message, Msg) else message


def stored(message: str | Msg) -> str:
    """A message as kept in the database (a job's error, say), so that it can be shown
    later in the reader's language: a Msg as JSON (its id and plain parameters), Thai
    text as it is."""
    if not isinstance(message, Msg):
        return message
    params = {k: thai(v) if isinstance(v, Msg) else v for k, v in message.params.items()}
    return json.dumps({"msgid": message.id, "params": params}, ensure_ascii=False)


def from_stored(text: str | None) -> str | Msg:
    """What :func:`stored` kept: a Msg again, or the text as it is (rows written before
    messages were kept this way hold Thai text)."""
    if text and text.startswith('{"msgid"'):
        try:
            data = json.loads(text)
            return Msg(data["msgid"], dict(data.get("params") or {}))
        except (ValueError, KeyError, TypeError):
            return text
    return text or ""


class Said(str):
    """Thai text that keeps the message it was made from: it reads as the Thai text
    wherever a string is expected (documents, the compliance JSON, the CLI, tests), and
    the web layer shows ``said.msg`` in the reader's language."""

    msg: Msg

    def __new__(cls, message: Msg) -> Said:
        text = super().__new__(cls, thai(message))
        text.msg = message
        return text


def said(message: Msg) -> Said:
    """``message`` as Thai text that can still be shown in another language."""
    return Said(message)


def as_data(message: str | Msg) -> object:
    """A message (with the messages it holds) as plain JSON data, to keep in the
    database and show later in the reader's language (:func:`from_data`)."""
    if isinstance(message, Said):
        message = message.msg
    if isinstance(message, Joined):
        return {"parts": [as_data(p) for p in message.parts], "sep": message.sep, "limit": message.limit}
    if isinstance(message, Msg):
        return {"msgid": message.id, "params": {k: as_data(v) for k, v in message.params.items()}}
    return message


def from_data(data: object) -> str | Msg:
    """What :func:`as_data` kept, as a message again (anything else as text)."""
    if isinstance(data, dict) and "parts" in data:
        return Joined([from_data(p) for p in data["parts"]], data.get("sep", ""), data.get("limit"))
    if isinstance(data, dict) and "msgid" in data:
        return Msg(data["msgid"], {k: from_data(v) for k, v in (data.get("params") or {}).items()})
    return data if isinstance(data, (str, int, float)) else str(data)
