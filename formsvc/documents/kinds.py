"""The registry of document kinds: one ``Kind`` says everything about a kind.

A kind is one registration plus its two templates (``templates/docx/<template>.docx``
and ``templates/html/documents/<template>.html``). The registration carries what every
caller needs: the name, the Thai title, the page orientation, which templates, what the
document is *of* (an LAO, a forum, a reporting period of an LAO, a district, a
province), the options a download may add, the file name, and the *source* that
obtains it from the database: a context for the engine to render, or bytes already made
(an issued order, a submitted report, an issued certificate).

Who owns what, so the layers hold (web | cli > services > documents > store > domain):

- documents (this module and ``engine``) owns *how to render*: the ``Kind`` type, the
  registry, the templates, the vocabulary of what a download may ask for (``ASKS``).
  It never calls a source, so it needs nothing above it.
- services owns *how to obtain*: ``formsvc.services.documents`` registers every kind,
  with a source that reads the store and, where needed, other services (an order's
  archive, a report's frozen versions, the checklist, the roll-up), and the context
  builder of ``formsvc.documents.context`` that turns what it read into a context.
- ``services.document()``, ``formsvc render`` and the web download route read the
  registry; none of them names a kind. Importing ``formsvc.services`` fills it.

A test (or a later feature) may add a kind whose templates live elsewhere
(``templates=``) and take it away again with ``unregister``.
"""

from __future__ import annotations

import re
from collections.abc import Callable
from dataclasses import dataclass, field, fields
from pathlib import Path

from formsvc.paths import TEMPLATES


@dataclass(frozen=True)
class Ask:
    """What a download asks for: the format, the subject and the options."""

    fmt: str
    lao: int | None = None
    forum: int | None = None
    period: int | None = None
    rows: int | None = None
    draft: bool = False
    district: str | None = None
    province: str | None = None
    year: int | None = None
    meeting: int | None = None
    # who asks, for a document that names its compiler (the summaries): {"name", "position"}
    # from the user's profile; not an option of the CLI or the query string (None: dotted lines)
    compiler: dict | None = field(default=None, compare=False, hash=False)


@dataclass(frozen=True)
class AskSpec:
    """One thing a download may ask for, as the CLI and the web read it."""

    help: str
    type: type = int  # int, str, or bool (a flag: ``--draft``, ``?draft=1``)
    query: bool = False  # read from the query string of /laos/<id>/documents/<kind>.<fmt>
    range: tuple[int, int] | None = None  # the CLI refuses a number outside it


# Every field of Ask but the format and the compiler: the CLI has one option per entry (``--lao``, …),
# the web route reads those marked ``query`` (the LAO comes from its path).
ASKS: dict[str, AskSpec] = {
    "lao": AskSpec("The LAO (id)."),
    "forum": AskSpec("The forum (id).", query=True),
    "period": AskSpec("The reporting period (1, 2, …).", query=True),
    "rows": AskSpec("Lines on a sign-in sheet (default 30).", query=True, range=(1, 500)),
    "draft": AskSpec("The order as it would be issued now, even when one is issued.", bool, query=True),
    "district": AskSpec("The district (code).", str),
    "province": AskSpec("The province (code).", str),
    "year": AskSpec("Programme year (BE; default: the open year).", str),
    "meeting": AskSpec("The working-group meeting (id).", query=True),
}

# What a document can be of, and what that requires of a download.
OF: dict[str, tuple[str, ...]] = {
    "lao": ("lao",),
    "forum": ("lao", "forum"),
    "meeting": ("lao", "meeting"),
    "period": ("lao", "period"),
    "district": ("district",),
    "province": ("province",),
    "country": ("period",),  # the national summary: a period of the whole country
}


@dataclass(frozen=True)
class Made:
    """What a source returns: a ``context`` for the engine to render (``draft``: with
    the draft marks), or ``content`` already made; ``name``: fields for the file name."""

    context: dict | None = None
    content: bytes | None = None
    draft: bool = False
    name: dict = field(default_factory=dict)


Source = Callable[[object, Ask], Made]


@dataclass(frozen=True)
class Kind:
    name: str
    title_th: str
    landscape: bool = False
    template: str | None = None  # kinds of the same layout share one pair of templates
    of: str = "lao"  # a key of OF
    options: tuple[str, ...] = ()  # keys of ASKS a download may add (never required)
    # str.format'ed with the fields of Ask, ``kind`` and the Made's ``name``
    filename: str = "{kind}.{fmt}"
    # the name a person sees (Content-Disposition ``filename*``): what the document is,
    # in Thai, formatted as ``filename``; ``filename`` stays the ASCII fallback
    filename_th: str | None = None
    source: Source | None = field(default=None, compare=False)
    templates: Path = TEMPLATES  # holds docx/ and html/documents/
    # every kind is PDF and DOCX; a kind that is a table may be a workbook too ("xlsx"),
    # made from the same context by ``sheet`` (formsvc.documents.sheets)
    formats: tuple[str, ...] = ("pdf", "docx")
    sheet: Callable[[dict], bytes] | None = field(default=None, compare=False)

    def __post_init__(self):
        unknown = [o for o in self.options if o not in ASKS]
        if self.of not in OF or unknown:
            raise ValueError(f"kind {self.name}: of={self.of!r}, unknown options {unknown}")
        if ("xlsx" in self.formats) != (self.sheet is not None):
            raise ValueError(f"kind {self.name}: an XLSX format needs a sheet, and a sheet the format")

    @property
    def needs(self) -> tuple[str, ...]:
        """What a download of this kind must give."""
        return OF[self.of]

    @property
    def asks(self) -> tuple[str, ...]:
        """Everything a download of this kind reads: what it needs, then its options."""
        return self.needs + tuple(o for o in self.options if o not in self.needs)

    def missing(self, ask: Ask) -> list[str]:
        return [name for name in self.needs if getattr(ask, name) is None]

    def file_name(self, ask: Ask, made: Made) -> str:
        """The download's file name: ``filename`` filled from the ask, then from what
        the source found (a year or period it resolved, an order's number)."""
        values = {f.name: getattr(ask, f.name) for f in fields(ask)} | made.name
        return self.filename.format(kind=self.name, **values)

    def file_name_th(self, ask: Ask, made: Made) -> str:
        """The download's Thai file name (the ASCII one when the kind has none)."""
        if self.filename_th is None:
            return self.file_name(ask, made)
        values = {f.name: getattr(ask, f.name) for f in fields(ask)} | made.name
        return clean_file_name(self.filename_th.format(kind=self.name, **values))

    @property
    def docx_template(self) -> Path:
        return self.templates / "docx" / f"{self.template or self.name}.docx"

    @property
    def html_template(self) -> str:
        return f"documents/{self.template or self.name}.html"


KINDS: dict[str, Kind] = {}

_UNSAFE = re.compile(r'[\x00-\x1f\x7f/\\:*?"<>|]+')


def clean_file_name(name: str) -> str:
    """A file name every system keeps: no spaces (``เวทีหมู่ที่3``), no path or
    reserved characters."""
    return _UNSAFE.sub("-", "".join(name.split()))


def register(kind: Kind) -> Kind:
    """Add a kind, or replace the kind of that name (templates read again)."""
    _forget(kind.name)
    KINDS[kind.name] = kind
    return kind


def unregister(name: str) -> None:
    """Take a kind out of the registry (and its templates out of the engine's cache)."""
    KINDS.pop(name, None)
    _forget(name)


def _forget(name: str) -> None:
    from formsvc.documents import engine  # engine imports this module

    engine.forget(name)
