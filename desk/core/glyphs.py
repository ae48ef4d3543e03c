"""Characters a font cannot draw, spelled out rather than shown as empty boxes."""

from __future__ import annotations

import unicodedata
from collections.abc import Callable

_QUIET = frozenset({0x200D, 0xFE0E, 0xFE0F})  # joiners and emoji variation selectors


def spell_missing(text: str, shows: Callable[[str], bool]) -> str:
    """Replace each character ``shows`` cannot draw by its Unicode name in brackets.

    A font without emoji draws an empty box: '[police car]' says what was there instead.
    Joiners, variation selectors and other marks that cannot be drawn are left out.
    """
    out = []
    for ch in text:
        if ch.isascii() or shows(ch):
            out.append(ch)
        elif ord(ch) in _QUIET or unicodedata.category(ch) in ("Mn", "Me", "Cf", "Sk"):
            continue
        else:
            out.append(f"[{unicodedata.name(ch, f'U+{ord(ch):04X}').lower()}]")
    return "".join(out)
