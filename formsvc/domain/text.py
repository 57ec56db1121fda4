"""What text the service accepts from people: one policy for every form and import.

Everything typed into a form or read from a clerk's spreadsheet passes ``normalise()``
before it is checked for length, stored and put into documents. The policy:

Refused (the person is told which character, in Thai, and nothing is saved):
  - control characters: C0 (U+0000–U+001F) except tab, line feed and carriage return,
    DEL (U+007F) and C1 (U+0080–U+009F). They cannot be written to a DOCX at all
    (XML 1.0 forbids most of them; docxtpl silently drops them, or turns U+0007 and
    U+000C into a new paragraph and a page break), the PDF drops or replaces them,
    and no keyboard types them;
  - surrogates and Unicode noncharacters (U+FDD0–U+FDEF, U+FFFE, U+FFFF and the last
    two code points of every plane): not characters at all; U+FFFE/U+FFFF are
    forbidden in XML and come out of a DOCX as nothing and of a PDF as U+FFFD.

Removed without a word (invisible, never meaningful in these documents):
  - the default-ignorable code points of Unicode (zero-width space U+200B, soft
    hyphen, word joiner, the byte-order mark U+FEFF, the bidi marks U+200E/U+200F/
    U+061C, the bidi embeddings and overrides U+202A–U+202E and isolates
    U+2066–U+2069, tag characters, fillers, ...), except the zero-width joiner and
    non-joiner (U+200C, U+200D: parts of emoji and of shaping) and the variation
    selectors (they choose how the visible character before them looks).
    A joiner or variation selector that follows no visible character (at the start of
    the text or of a line, or after a space) joins or selects nothing and is removed
    too; so text made only of them is empty.
    They arrive unseen from copy and paste (chat apps wrap names in bidi isolates,
    web pages carry zero-width spaces), so an error about them would be one the
    person cannot see to fix. Kept, they would make two names that look the same
    compare different, and they vanish from the PDF's text layer, so the PDF would
    not give back what was stored. Bidi overrides would also make a document show
    the letters in another order than the one stored. Thai needs none of them:
    line breaks come from the Thai dictionary (libthai), not from U+200B.

Whitespace:
  - a tab becomes a space (a tab in a DOCX is a jump to the next tab stop);
  - line breaks (CR LF, CR, U+2028, U+2029) become LF in multi-line fields and a
    space in single-line fields (a name is one line in every format);
  - leading and trailing whitespace is dropped, as the stores always did.

Everything else is kept exactly as typed: Thai (including marks in any order or
alone), other scripts, emoji and other astral characters, private-use characters,
markup and template syntax (the documents escape them; see documents/engine.py).

Length (``Limit``): every free-text field has a most characters and, when it takes
several lines, a most lines, counted after ``normalise()``. A document gives each line
a paragraph of its own, so lines cost far more than characters: three report fields of
thousands of one-character lines made a 457-page PDF that took over 20 s to render.
The limits are set well above anything a clerk writes (docs/capacity.md, "Long
texts"); the form refuses longer text with a Thai message and keeps what was typed:

==========================================  ==========  =====
field                                       characters  lines
==========================================  ==========  =====
report: progress, problems, suggestions         10,000    300
report: the district's review comment            2,000     50
forum agenda item: discussion                   10,000    300
forum agenda item: resolution                    5,000    150
forum: all agenda items together              40,000  1,200   (formsvc.store.forums)
working group: reason and authority              4,000     50
monitoring visit: who went                       2,000     30   (formsvc.store.visits)
monitoring visit: findings, recommendations     10,000    300
monitoring visit: follow-up note                 2,000     50
working-group meeting: agenda items as forums (at most 50 items, 300 attendees)
                                                              (formsvc.store.meetings)
model LAO selection: readiness notes             4,000     50   (formsvc.store.laos)
==========================================  ==========  =====
"""

from __future__ import annotations

import re
from dataclasses import dataclass

from formsvc.domain.messages import Msg, msg

_CONTROL = "\x00-\x08\x0b\x0c\x0e-\x1f\x7f-\x9f"
_NONCHARACTERS = "\ufdd0-\ufdef\ufffe\uffff" + "".join(
    f"{chr(plane << 16 | 0xFFFE)}{chr(plane << 16 | 0xFFFF)}" for plane in range(1, 17)
)
_SURROGATES = "\ud800-\udfff"
FORBIDDEN = re.compile(f"[{_CONTROL}{_NONCHARACTERS}{_SURROGATES}]")

# Default_Ignorable_Code_Point (Unicode DerivedCoreProperties.txt) less ZWNJ, ZWJ and
# the variation selectors (U+180B–U+180D, U+180F, U+FE00–U+FE0F, U+E0100–U+E01EF).
INVISIBLE = re.compile(
    "[\u00ad\u034f\u061c\u115f\u1160\u17b4\u17b5\u180e\u200b\u200e\u200f\u202a-\u202e"
    "\u2060-\u206f\u3164\ufeff\uffa0\ufff0-\ufff8\U0001bca0-\U0001bca3\U0001d173-\U0001d17a"
    "\U000e0000-\U000e00ff\U000e01f0-\U000e0fff]"
)
_LINE_BREAK = re.compile("\r\n|[\r\n\u2028\u2029]")
_JOINS_NOTHING = re.compile("(?:^|(?<=\\s))[\u200c\u200d\u180b-\u180d\u180f\ufe00-\ufe0f\U000e0100-\U000e01ef]+", re.M)


class ForbiddenCharacter(ValueError):
    """The text holds a character the service refuses; ``code`` names it (U+0000)."""

    def __init__(self, char: str, position: int):
        self.char = char
        self.position = position
        self.code = f"U+{ord(char):04X}"
        super().__init__(f"forbidden character {self.code} at {position}")

    @property
    def message_th(self) -> str:
        return f"มีอักขระที่ใช้ไม่ได้ ({self.code}) กรุณาลบออกแล้วบันทึกอีกครั้ง"


def check(text: str) -> None:
    """Raise ForbiddenCharacter for the first refused character in ``text``."""
    match = FORBIDDEN.search(text)
    if match:
        raise ForbiddenCharacter(match.group(), match.start())


def normalise(text: str | None, *, multiline: bool = False) -> str:
    """``text`` as the service stores it (see the module docstring); None stays "".

    Raises ForbiddenCharacter when the text holds a refused character.
    """
    if text is None:
        return ""
    check(text)
    text = INVISIBLE.sub("", text).replace("\t", " ")
    text = _LINE_BREAK.sub("\n" if multiline else " ", text)
    return _JOINS_NOTHING.sub("", text).strip()


def line_count(text: str) -> int:
    """How many lines ``text`` has, blank ones included; 0 when empty. Every line break
    ``normalise()`` knows counts, so text that did not pass it is counted alike."""
    return len(_LINE_BREAK.findall(text)) + 1 if text else 0


@dataclass(frozen=True)
class Limit:
    """How long a field's text may be: ``chars`` characters and ``lines`` lines."""

    chars: int
    lines: int = 1

    def refusal(self, text: str, field: Msg) -> Msg | None:
        """Why ``text`` (normalised) is too long for the field labelled ``field``; None
        when it fits."""
        if len(text) > self.chars:
            return msg("%(field)s is too long (at most %(max)s characters).", field=field, max=f"{self.chars:,}")
        lines = line_count(text)
        if lines > self.lines:
            return msg(
                "%(field)s has %(n)s lines; at most %(max)s lines are allowed.",
                field=field,
                n=f"{lines:,}",
                max=f"{self.lines:,}",
            )
        return None
