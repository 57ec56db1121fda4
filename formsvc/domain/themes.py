"""Themes of the problems and suggestions the model LAOs report (guideline §8.3(5)): the
national summary groups what the reports say by theme (docs/domain.md, "Themes of
problems and suggestions").

A text is cut into Thai words (pythainlp's dictionary tokenizer, as the documents' line
breaking checks use it) and belongs to every theme one of whose keywords appears in it
as whole words: "งบ" matches "ขาดงบ" (ขาด|งบ) but not "สงบ". A keyword of several words
(มา|ร่วม) matches those words in a row. A text with no keyword of any theme is "อื่น ๆ".
One text may name several themes; it counts once in each.
"""

from __future__ import annotations

import functools
from dataclasses import dataclass


@dataclass(frozen=True)
class Theme:
    key: str
    title_th: str
    keywords: tuple[str, ...]


THEMES: tuple[Theme, ...] = (
    Theme("budget", "งบประมาณ", ("งบประมาณ", "งบ", "เงิน", "เงินทุน", "ทุน", "ค่าใช้จ่าย", "บาท")),
    Theme(
        "staff",
        "บุคลากรและความรู้",
        (
            "บุคลากร",
            "เจ้าหน้าที่",
            "พนักงาน",
            "อัตรากำลัง",
            "วิทยากร",
            "ความรู้",
            "ความเข้าใจ",
            "อบรม",
            "ฝึกอบรม",
            "ทักษะ",
            "คู่มือ",
        ),
    ),
    Theme("data", "ข้อมูล/จปฐ.", ("ข้อมูล", "ฐานข้อมูล", "จปฐ", "กชช", "สารสนเทศ", "สำรวจ")),
    Theme(
        "participation",
        "การมีส่วนร่วมของประชาชน",
        ("ประชาชน", "ชาวบ้าน", "มีส่วนร่วม", "ส่วนร่วม", "เข้าร่วม", "ผู้เข้าร่วม", "มาร่วม", "ร่วมเวที"),
    ),
    Theme(
        "time",
        "ระยะเวลา",
        ("เวลา", "ระยะเวลา", "ล่าช้า", "ไม่ทัน", "ทันเวลา", "เก็บเกี่ยว", "ฤดู", "ฤดูกาล", "เร่งด่วน"),
    ),
)
OTHER = Theme("other", "อื่น ๆ", ())
ALL: tuple[Theme, ...] = (*THEMES, OTHER)


@functools.cache
def _words(text: str) -> tuple[str, ...]:
    from pythainlp.tokenize import word_tokenize

    return tuple(w for w in word_tokenize(text, engine="newmm", keep_whitespace=False) if w.strip())


def _contains(words: tuple[str, ...], keyword: tuple[str, ...]) -> bool:
    n = len(keyword)
    return any(words[i : i + n] == keyword for i in range(len(words) - n + 1))


def themes_of(text: str | None) -> list[Theme]:
    """The themes a text names, in the order of THEMES; [OTHER] when it names none, []
    for an empty text."""
    text = " ".join((text or "").split())
    if not text:
        return []
    words = _words(text)
    found = [t for t in THEMES if any(_contains(words, _words(k)) for k in t.keywords)]
    return found or [OTHER]


@dataclass
class Raised:
    """What the reports said on one theme: who raised it in their problems, who in their
    suggestions, and each text (LAO, which field, the text) in the order given."""

    theme: Theme
    problems: list[str]
    suggestions: list[str]
    quotes: list[tuple[str, str, str]]

    @property
    def laos(self) -> list[str]:
        """Every LAO that raised the theme, once, in the order first met."""
        return list(dict.fromkeys(q[0] for q in self.quotes))


def group(statements) -> list[Raised]:
    """``statements``: (LAO name, problems text, suggestions text) per LAO. Each theme
    (of ALL, in order) with who raised it; themes nobody raised are left out."""
    out = {t.key: Raised(t, [], [], []) for t in ALL}
    for name, problems, suggestions in statements:
        for field, text in (("problems", problems), ("suggestions", suggestions)):
            for theme in themes_of(text):
                raised = out[theme.key]
                getattr(raised, field).append(name)
                raised.quotes.append((name, field, " ".join(text.split())))
    return [r for r in out.values() if r.quotes]
