"""Text that disguises itself: bidi controls and invisible characters, found, named and defused.

People hide words from filters and readers with characters that draw nothing: a zero-width space
inside a word ("k\u200bill"), a soft hyphen, a right-to-left override that makes the platform draw
the letters after it backwards ("\u202eflesym llik" is shown as "kill myself"), or Unicode tag
characters that carry invisible ASCII. Desk stores such text exactly as received (it is evidence)
and only changes how it is *shown*: each such character becomes a visible token (``⟦RLO⟧``,
``⟦ZWSP⟧``), so it can neither reorder nor hide anything, and the case is flagged.

Which characters count (and which do not):

- bidi controls: U+202A-202E (LRE RLE PDF LRO RLO), U+2066-2069 (LRI RLI FSI PDI), the marks
  U+200E/U+200F (LRM RLM) and U+061C (ALM). Always flagged: even a mark, in Arabic or Hebrew text,
  is shown as a token so a reader sees it is there.
- invisible characters: U+200B (ZWSP), U+2060 (WJ), U+FEFF inside text (BOM/ZWNBSP), U+180E (MVS),
  U+00AD soft hyphen (SHY: invisible except at a line break, so "k\u00adill" reads "kill"),
  U+2061-2064 (invisible operators).
- joiners U+200C/U+200D (ZWNJ ZWJ) are flagged only next to a Latin, Greek or Cyrillic letter or a
  digit, or with nothing on one side: emoji sequences (👨‍👩‍👧) and scripts that need joiners
  (Arabic, Persian, Indic) use them honestly.
- tag characters U+E0000-E007F are flagged, except inside an emoji flag (🏴 + tags + cancel tag,
  as in the Welsh and Scottish flags); the ASCII they hide is spelt out by :func:`hidden_ascii`.

Everything here is a pure function of the text; the GUI turns codes into words.
"""

from __future__ import annotations

import re
import unicodedata
from collections.abc import Iterable
from dataclasses import dataclass
from enum import StrEnum

__all__ = [
    "Disguise",
    "Kind",
    "as_displayed",
    "codes",
    "find",
    "hidden_ascii",
    "marker",
    "neutralise",
    "reading_text",
]

MARK_OPEN = "⟦"
MARK_CLOSE = "⟧"


class Kind(StrEnum):
    """What a disguising character does."""

    BIDI = "bidi"  # changes the order the platform draws text in
    INVISIBLE = "invisible"  # draws nothing: splits or hides a word
    TAG = "tag"  # an invisible copy of an ASCII character


_BIDI: dict[str, str] = {
    "\u202a": "LRE",
    "\u202b": "RLE",
    "\u202c": "PDF",
    "\u202d": "LRO",
    "\u202e": "RLO",
    "\u2066": "LRI",
    "\u2067": "RLI",
    "\u2068": "FSI",
    "\u2069": "PDI",
    "\u200e": "LRM",
    "\u200f": "RLM",
    "\u061c": "ALM",
}
_INVISIBLE: dict[str, str] = {
    "\u200b": "ZWSP",
    "\u2060": "WJ",
    "\ufeff": "BOM",
    "\u180e": "MVS",
    "\u00ad": "SHY",
    "\u2061": "FA",
    "\u2062": "IT",
    "\u2063": "IS",
    "\u2064": "IP",
}
_JOINERS: dict[str, str] = {"\u200c": "ZWNJ", "\u200d": "ZWJ"}
_TAGS = range(0xE0000, 0xE0080)
# every character find() looks at: one search rules out most texts at once
_CANDIDATES = re.compile(
    "[\u00ad\u061c\u180e\u200b-\u200f\u202a-\u202e\u2060-\u2064\u2066-\u2069\ufeff"
    "\U000e0000-\U000e007f]"
)
_CANCEL_TAG = "\U000e007f"
_BLACK_FLAG = "\U0001f3f4"
# scripts that never need a joiner: a joiner beside one of their letters hides a word
_PLAIN_SCRIPTS = ("LATIN", "GREEK", "CYRILLIC")

NAMES: dict[str, str] = {
    "LRE": "left-to-right embedding",
    "RLE": "right-to-left embedding",
    "PDF": "pop directional formatting",
    "LRO": "left-to-right override",
    "RLO": "right-to-left override",
    "LRI": "left-to-right isolate",
    "RLI": "right-to-left isolate",
    "FSI": "first strong isolate",
    "PDI": "pop directional isolate",
    "LRM": "left-to-right mark",
    "RLM": "right-to-left mark",
    "ALM": "Arabic letter mark",
    "ZWSP": "zero-width space",
    "WJ": "word joiner",
    "BOM": "zero-width no-break space",
    "MVS": "Mongolian vowel separator",
    "SHY": "soft hyphen",
    "FA": "invisible function application",
    "IT": "invisible times",
    "IS": "invisible separator",
    "IP": "invisible plus",
    "ZWNJ": "zero-width non-joiner",
    "ZWJ": "zero-width joiner",
    "TAG": "tag character",
}
"""Each code's Unicode name in plain English (the GUI translates the sentence around it)."""


@dataclass(frozen=True, slots=True)
class Disguise:
    """One disguising character: where it is in the stored text, its code and what it does."""

    index: int
    char: str
    code: str
    kind: Kind

    @property
    def codepoint(self) -> str:
        """The character as ``U+202E``."""
        return f"U+{ord(self.char):04X}"


def marker(code: str) -> str:
    """Return the visible token shown in place of a disguising character: ``⟦RLO⟧``."""
    return f"{MARK_OPEN}{code}{MARK_CLOSE}"


def _plain_letter(ch: str) -> bool:
    if ch.isdigit():
        return True
    if not ch.isalpha():
        return False
    name = unicodedata.name(ch, "")
    return name.startswith(_PLAIN_SCRIPTS)


def _joiner_hides(text: str, i: int) -> bool:
    """Whether the joiner at ``i`` hides something (see the module's notes)."""
    before = text[i - 1] if i > 0 else ""
    after = text[i + 1] if i + 1 < len(text) else ""
    if not before or not after or before.isspace() or after.isspace():
        return True
    if before in _JOINERS or after in _JOINERS:
        return True  # a run of joiners is never needed
    return _plain_letter(before) or _plain_letter(after)


def _flag_tags(text: str) -> set[int]:
    """Return the indexes of tag characters that belong to an emoji flag (🏴 + tags + cancel)."""
    honest: set[int] = set()
    i = 0
    while i < len(text):
        if text[i] == _BLACK_FLAG:
            j = i + 1
            while j < len(text) and ord(text[j]) in _TAGS and text[j] != _CANCEL_TAG:
                j += 1
            if j < len(text) and text[j] == _CANCEL_TAG and j > i + 1:
                honest.update(range(i + 1, j + 1))
                i = j
        i += 1
    return honest


def find(text: str) -> list[Disguise]:
    """Return every disguising character in ``text``, in order."""
    found: list[Disguise] = []
    if _quick_clean(text):
        return found
    honest_tags: set[int] | None = None
    for m in _CANDIDATES.finditer(text):
        i, ch = m.start(), m.group()
        code = _BIDI.get(ch)
        if code is not None:
            found.append(Disguise(i, ch, code, Kind.BIDI))
            continue
        code = _INVISIBLE.get(ch)
        if code is not None:
            found.append(Disguise(i, ch, code, Kind.INVISIBLE))
            continue
        code = _JOINERS.get(ch)
        if code is not None:
            if _joiner_hides(text, i):
                found.append(Disguise(i, ch, code, Kind.INVISIBLE))
            continue
        if ord(ch) in _TAGS:
            if honest_tags is None:
                honest_tags = _flag_tags(text)
            if i not in honest_tags:
                found.append(Disguise(i, ch, "TAG", Kind.TAG))
    return found


def _quick_clean(text: str) -> bool:
    """Whether ``text`` certainly holds nothing :func:`find` would report (the common case)."""
    return text.isascii() or _CANDIDATES.search(text) is None


def neutralise(text: str, start: int = 0, end: int | None = None) -> str:
    """Return ``text[start:end]`` as Desk shows it: each disguising character as its token.

    The characters are judged in the whole text (a joiner's neighbours may lie outside the
    slice), so a slice is shown exactly as it appears in the whole text's display.
    """
    stop = len(text) if end is None else end
    if _quick_clean(text):
        return text[start:stop]
    pieces: list[str] = []
    at = start
    for d in find(text):
        if d.index < start or d.index >= stop:
            continue
        pieces.append(text[at : d.index])
        pieces.append(marker(d.code))
        at = d.index + 1
    pieces.append(text[at:stop])
    return "".join(pieces)


def hidden_ascii(text: str) -> str:
    """Return the ASCII that disguising tag characters in ``text`` spell ('' when none)."""
    return "".join(chr(ord(d.char) - 0xE0000) for d in find(text) if d.kind is Kind.TAG).strip(
        "\x00\x7f"
    )


def _visual_runs(text: str) -> list[tuple[int, bool]]:
    """Return each index of ``text`` in the order a platform would draw an override run.

    A simplified reading of the bidi algorithm for what matters here: the characters after a
    right-to-left override (RLO, to its PDF or the line's end) are drawn backwards. Embeddings
    and isolates do not reverse the letters of Latin words, so they are left as they are.
    """
    order: list[tuple[int, bool]] = []
    run: list[int] = []
    depth = 0
    for i, ch in enumerate(text):
        if ch == "\u202e":
            depth += 1
            continue
        if depth and ch in ("\u202c", "\n", "\r", "\u2029"):
            order.extend((j, True) for j in reversed(run))
            run = []
            depth = depth - 1 if ch == "\u202c" else 0
            if ch == "\u202c":
                continue
        if depth:
            run.append(i)
        else:
            order.append((i, False))
    order.extend((j, True) for j in reversed(run))
    return order


def reading_text(text: str) -> tuple[str, tuple[int, ...]]:
    """Return the text as a reader of the platform sees it, and where each character came from.

    Disguising characters are dropped and override runs put in the order they are drawn in, so
    "k\u200bill" reads "kill" and "\u202eflesym llik" reads "kill myself". ``origin[k]`` is the
    index in ``text`` of the reading's character ``k`` (for mapping matches back).
    """
    if _quick_clean(text):
        return text, tuple(range(len(text)))
    hidden = {d.index for d in find(text)}
    chars: list[str] = []
    origin: list[int] = []
    for i, _reversed in _visual_runs(text):
        if i in hidden:
            continue
        chars.append(text[i])
        origin.append(i)
    return "".join(chars), tuple(origin)


def as_displayed(text: str) -> str | None:
    """Return how the platform draws ``text`` when an override reorders it, else None."""
    if "\u202e" not in text:
        return None
    shown, _ = reading_text(text)
    return shown if shown != text else None


def codes(found: Iterable[Disguise]) -> list[str]:
    """Return the distinct codes of ``found``, in the order first seen."""
    return list(dict.fromkeys(d.code for d in found))
