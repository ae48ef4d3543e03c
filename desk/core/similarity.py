"""Near-identical texts: a fingerprint that ignores case, links, mentions and punctuation."""

from __future__ import annotations

import hashlib
import re
import unicodedata

_LINK = re.compile(r"https?://\S+|www\.\S+", re.IGNORECASE)
_MENTION = re.compile(r"[@#][\w.]+")
_NOT_WORD = re.compile(r"[^\w]+")


def normalise_for_grouping(text: str) -> str:
    """Return the words of ``text`` that decide whether two items say the same thing."""
    folded = unicodedata.normalize("NFKC", text).casefold()
    folded = _MENTION.sub(" ", _LINK.sub(" ", folded))
    return " ".join(_NOT_WORD.sub(" ", folded).split())


def fingerprint(text: str) -> str:
    """Return a short key shared by near-identical texts (copy-paste campaigns, spam waves)."""
    words = normalise_for_grouping(text)
    if len(words) < 12:
        return ""  # too short to say two people wrote 'the same thing'
    return hashlib.sha1(words.encode("utf-8"), usedforsecurity=False).hexdigest()[:16]
