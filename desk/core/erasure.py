"""Erasure of one author: how a mention of them in someone else's words is found and replaced.

A mention is the author's handle (with or without its ``@``), their display name, or (where it
is long enough to be unmistakable) their platform user id, matched as a whole word whatever
its case, and replaced by :data:`ERASED_PERSON`. Names shorter than :data:`MIN_NAME` characters
are not searched for: they would replace ordinary words everywhere.
"""

from __future__ import annotations

import re
from dataclasses import dataclass

ERASED_PERSON = "[erased person]"
# what a signed handover report shows instead of an erased author's own case summary
ERASED_CONTENT = "[erased]"
# the free text a handover report keeps about one case (beside its id)
CASE_TEXT_KEYS = ("summary", "reason")
# the key, in a signed handover report's "extra", of the list of redactions made after signing
REDACTED_AFTER_SIGNING = "redacted_after_signing"
MIN_NAME = 3
# platform user ids are mostly numbers: only long ones are matched, so that a short id does
# not replace an unrelated number
MIN_USER_ID = 8


@dataclass(frozen=True)
class Mentions:
    """The ways one author may be named in text, and how to replace them."""

    pattern: re.Pattern[str] | None
    # words every mention contains (lower case): a cheap first filter for a database search
    needles: tuple[str, ...]

    def redact(self, text: str) -> tuple[str, int]:
        """Return ``text`` with every mention replaced, and how many were replaced."""
        if self.pattern is None or not text:
            return text, 0
        return self.pattern.subn(ERASED_PERSON, text)

    def redact_bytes(self, data: bytes) -> tuple[bytes, int]:
        """As :meth:`redact`, for a record's bytes as received.

        UTF-8 when they are; otherwise read byte for byte as Latin-1 (lossless, and right for
        the ASCII of most handles and names in any single-byte encoding a CSV file may use).
        """
        encoding = "utf-8"
        try:
            text = data.decode(encoding)
        except UnicodeDecodeError:
            encoding = "latin-1"
            text = data.decode(encoding)
        done, count = self.redact(text)
        return (done.encode(encoding), count) if count else (data, 0)


def mentions_of(handle: str, display_name: str, platform_user_id: str = "") -> Mentions:
    """Return how to find the author with this handle, display name and platform user id."""
    alternatives: list[str] = []
    needles: list[str] = []
    bare = handle.strip().lstrip("@").strip()
    if len(bare) >= MIN_NAME:
        # "@pat", "pat", and "x.com/pat" all name them; "kpat" and "pat_2" do not
        alternatives.append(r"(?<![\w@])@?" + re.escape(bare) + r"(?!\w)")
        needles.append(bare.lower())
    words = display_name.split()
    if words and len(" ".join(words)) >= MIN_NAME and " ".join(words).lower() != bare.lower():
        spaced = r"\s+".join(re.escape(w) for w in words)
        alternatives.append(r"(?<!\w)" + spaced + r"(?!\w)")
        needles.append(max(words, key=len).lower())
    user_id = platform_user_id.strip()
    if len(user_id) >= MIN_USER_ID:
        alternatives.append(r"(?<!\w)" + re.escape(user_id) + r"(?!\w)")
        needles.append(user_id.lower())
    if not alternatives:
        return Mentions(None, ())
    # longest first, so that "Pat Resident" is replaced whole before "Pat" alone could be
    alternatives.sort(key=len, reverse=True)
    return Mentions(re.compile("|".join(alternatives), re.IGNORECASE), tuple(needles))
