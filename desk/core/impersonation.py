"""Look-alike detection: does an author's handle or display name imitate an official account?

The method (docs/account-estate.md, "Impersonation watch"):

1. **Skeleton** (after Unicode UTS #39): NFKC, then every character is replaced by the
   prototype of its confusable class, then case-folded, then mapped again (case folding can
   produce new confusables), then accents are dropped. The classes come from Unicode's
   confusables.txt as shipped by the ``confusable_homoglyphs`` package: each class there is a
   star, one prototype with the characters that look like it, and the prototype is the
   star's centre (in a two-character class, the ASCII one, else the lower code point). So
   Cyrillic "а" becomes "a", "I", "1" and "|" become "l", "0" becomes "o" and "m" becomes
   "rn" (confusables.txt's own choice), on both sides of a comparison.
2. **Core**: the skeleton without separators or punctuation (``_ . -`` and spaces), then
   without a trailing run of digits and without words people add to pass for the real
   account ("the", "real", "official" before; "official", "uk", "hq", "news"... after).
3. **Rules**, strongest first, against each official account's handle and display name:
   the same skeleton (look-alike characters, or the same name with other separators); the
   same core (words or digits added); one edit away (Damerau-Levenshtein, optimal string
   alignment) when the official core has at least six characters; and the force's name
   (the ``force_name`` setting without its "Police"/"Constabulary") with a police word
   ("police", "constabulary", "heddlu", "cops"), either way round.

The official accounts themselves never match: an author with the same handle on the same
platform as an official account is that account. A name that only contains a police word
("Police fan") does not match: it must look like one of the force's accounts or its name.
"""

from __future__ import annotations

import unicodedata
from collections.abc import Iterable, Sequence
from dataclasses import dataclass
from datetime import datetime, timedelta
from difflib import SequenceMatcher
from enum import StrEnum
from functools import cache

from desk.core.errors import InvalidInput

MIN_NEAR_MISS = 6
"""An official core shorter than this is matched only by skeleton or core, never by one edit."""

_PREFIXES = ("the", "real", "official", "true", "its", "original")
_SUFFIXES = (
    "official",
    "real",
    "uk",
    "gb",
    "hq",
    "team",
    "news",
    "info",
    "online",
    "live",
    "gov",
    "govuk",
    "page",
    "account",
)
_POLICE_WORDS = ("police", "constabulary", "heddlu", "cops", "policeservice", "policeforce")
_FORCE_PREFIXES = ("the", "police", "service", "of", "constabulary", "heddlu", "force")
_FORCE_SUFFIXES = ("police", "service", "constabulary", "force", "heddlu")
_SEPARATORS = frozenset("@_.-· \t")
_MIN_CORE = 3  # stripping affixes never leaves less than this


class Why(StrEnum):
    """Why a name resembles an official account (strongest first)."""

    LOOK_ALIKE = "look_alike"  # the same skeleton through confusable characters
    SAME_NAME = "same_name"  # the same name but for case, spaces or separators
    ADDED = "added"  # the same name with words or digits added (``_official``)
    NEAR_MISS = "near_miss"  # one letter added, dropped, changed or swapped
    FORCE_NAME = "force_name"  # the force's name with a police word


class Field(StrEnum):
    """Which of the author's names resembles the official account."""

    HANDLE = "handle"
    DISPLAY_NAME = "display_name"


@dataclass(frozen=True)
class Official:
    """An official account as the watch compares against it."""

    account_id: int
    platform: str
    handle: str
    display_name: str


@dataclass(frozen=True)
class Swap:
    """One look-alike character: the author's, the official's, and the author's script."""

    seen: str
    instead_of: str
    script: str  # "Cyrillic", "Greek", "Latin", "Digit", "Common"...


@dataclass(frozen=True)
class Resemblance:
    """An author's name that resembles an official account, which one, and why."""

    account_id: int
    official_handle: str
    official_platform: str
    why: Why
    field: Field
    name: str  # the author's handle or display name that resembles it
    swaps: tuple[Swap, ...] = ()  # look-alike characters found
    added: tuple[str, ...] = ()  # text added around or inside the official name


_RANK = {why: n for n, why in enumerate(Why)}


# --- the skeleton ---------------------------------------------------------------------------


def _preferred(a: str, b: str) -> str:
    """The prototype of a two-member class: ASCII first, then single characters, then lower."""

    def key(text: str) -> tuple[bool, int, str]:
        return (not text.isascii(), len(text), text)

    return min(a, b, key=key)


@cache
def _prototypes() -> dict[str, str]:
    """Map each confusable character to its class's prototype (built once from the data)."""
    from confusable_homoglyphs.confusables import confusables_data

    neighbours: dict[str, set[str]] = {}
    for source, glyphs in confusables_data.items():
        a = source.replace("\u200e", "")  # the package wraps right-to-left text in marks
        for glyph in glyphs:
            b = str(glyph["c"]).replace("\u200e", "")
            if a and b and a != b:
                neighbours.setdefault(a, set()).add(b)
                neighbours.setdefault(b, set()).add(a)
    mapping: dict[str, str] = {}
    for node, near in neighbours.items():
        if len(node) != 1:
            continue
        if len(near) > 1:
            mapping[node] = node  # the centre of its star: a prototype
            continue
        (other,) = near
        if len(neighbours[other]) > 1:
            mapping[node] = other  # a leaf: its centre is the prototype
        else:
            mapping[node] = _preferred(node, other)
    return {k: v for k, v in mapping.items() if k != v}


def _map(text: str) -> str:
    table = _prototypes()
    return "".join(table.get(ch, ch) for ch in text)


def skeleton(text: str) -> str:
    """Return the UTS #39-style skeleton of ``text``: equal skeletons look alike."""
    folded = _map(_map(unicodedata.normalize("NFKC", text)).casefold())
    bare = unicodedata.normalize("NFD", folded)
    return unicodedata.normalize(
        "NFC", "".join(ch for ch in bare if unicodedata.category(ch) != "Mn")
    )


def _squeeze(text: str) -> str:
    """The skeleton with only letters and digits left."""
    return "".join(ch for ch in skeleton(text) if ch.isalnum())


def _strip_affixes(core: str, prefixes: Sequence[str], suffixes: Sequence[str]) -> str:
    """Remove the listed words from both ends (repeatedly), keeping at least ``_MIN_CORE``."""
    changed = True
    while changed:
        changed = False
        for word in prefixes:
            if core.startswith(word) and len(core) - len(word) >= _MIN_CORE:
                core, changed = core[len(word) :], True
        for word in suffixes:
            if core.endswith(word) and len(core) - len(word) >= _MIN_CORE:
                core, changed = core[: -len(word)], True
        digits = len(core) - len(core.rstrip("0123456789"))
        if digits and len(core) - digits >= _MIN_CORE:
            core, changed = core[:-digits], True
    return core


@cache
def _affix_words() -> tuple[tuple[str, ...], tuple[str, ...]]:
    return tuple(_squeeze(w) for w in _PREFIXES), tuple(_squeeze(w) for w in _SUFFIXES)


def _without_trailing_digits(text: str) -> str | None:
    """Drop trailing digits as typed ("0" and "1" would become "o" and "l" in the skeleton).

    Returns None when there are none to drop (or too little would be left).
    """
    plain = unicodedata.normalize("NFKC", text)
    end = len(plain)
    while end and (plain[end - 1].isdigit() or plain[end - 1] in _SEPARATORS):
        end -= 1
    kept = plain[:end]
    dropped = any(ch.isdigit() for ch in plain[end:])
    return kept if dropped and sum(ch.isalnum() for ch in kept) >= _MIN_CORE else None


def core(text: str, squeezed: str | None = None) -> str:
    """Return the name's core: squeezed skeleton without added words or trailing digits.

    ``squeezed``: the text's squeezed skeleton, when the caller has it already.
    """
    prefixes, suffixes = _affix_words()
    kept = _without_trailing_digits(text)
    if kept is not None:
        base = _squeeze(kept)
    else:
        base = squeezed if squeezed is not None else _squeeze(text)
    return _strip_affixes(base, prefixes, suffixes)


def force_place(force_name: str) -> str:
    """Return the force's name without its police words ("Surrey Police" -> "surrey")."""
    words = (
        tuple(_squeeze(w) for w in _FORCE_PREFIXES),
        tuple(_squeeze(w) for w in _FORCE_SUFFIXES),
    )
    return _strip_affixes(_squeeze(force_name), *words)


# --- edit distance --------------------------------------------------------------------------


def edit_distance(a: str, b: str, limit: int = 2) -> int:
    """Return the Damerau-Levenshtein distance (optimal string alignment), capped at ``limit``."""
    if abs(len(a) - len(b)) >= limit:
        return limit
    previous2: list[int] = []
    previous = list(range(len(b) + 1))
    for i in range(1, len(a) + 1):
        row = [i] + [0] * len(b)
        for j in range(1, len(b) + 1):
            cost = 0 if a[i - 1] == b[j - 1] else 1
            row[j] = min(previous[j] + 1, row[j - 1] + 1, previous[j - 1] + cost)
            if i > 1 and j > 1 and a[i - 1] == b[j - 2] and a[i - 2] == b[j - 1]:
                row[j] = min(row[j], previous2[j - 2] + 1)
        if min(row) >= limit:
            return limit
        previous2, previous = previous, row
    return min(previous[len(b)], limit)


def one_edit(a: str, b: str) -> bool:
    """Tell whether ``a`` is exactly one edit from ``b``, in linear time.

    The same answer as ``edit_distance(a, b) == 1``: the watch asks it of every author
    against every official name.
    """
    la, lb = len(a), len(b)
    if a == b or abs(la - lb) > 1:
        return False
    i = 0
    shorter = min(la, lb)
    while i < shorter and a[i] == b[i]:
        i += 1
    if la == lb:
        if a[i + 1 :] == b[i + 1 :]:
            return True  # one letter changed
        return i + 1 < la and a[i] == b[i + 1] and a[i + 1] == b[i] and a[i + 2 :] == b[i + 2 :]
    if la > lb:
        return a[i + 1 :] == b[i:]  # one letter added
    return a[i:] == b[i + 1 :]  # one letter dropped


# --- what differs ---------------------------------------------------------------------------


def _script(ch: str) -> str:
    if ch.isdigit() and ch.isascii():
        return "Digit"
    name = unicodedata.name(ch, "")
    first = name.split(" ")[0] if name else "Unknown"
    return first.capitalize() if first else "Unknown"


def _plain(text: str) -> str:
    """The name as typed, compatibility-normalised, without separators (for showing diffs)."""
    return "".join(ch for ch in unicodedata.normalize("NFKC", text) if ch not in _SEPARATORS)


def differences(seen: str, official: str) -> tuple[tuple[Swap, ...], tuple[str, ...]]:
    """Return the look-alike characters in ``seen`` and the text it adds to ``official``."""
    a, b = _plain(seen), _plain(official)
    matcher = SequenceMatcher(None, a.casefold(), b.casefold(), autojunk=False)
    swaps: list[Swap] = []
    added: list[str] = []
    # casefold keeps lengths for the characters handles use; fall back to no detail if not
    if len(a.casefold()) != len(a) or len(b.casefold()) != len(b):
        return (), ()
    for op, i1, i2, j1, j2 in matcher.get_opcodes():
        if op == "insert" or op == "equal":
            continue
        mine, theirs = a[i1:i2], b[j1:j2]
        if op == "delete":
            added.append(mine)
        elif skeleton(mine) == skeleton(theirs):
            if len(mine) == len(theirs):
                swaps += [Swap(x, y, _script(x)) for x, y in zip(mine, theirs, strict=True)]
            else:
                swaps.append(Swap(mine, theirs, _script(mine[0])))
        elif skeleton(theirs) and skeleton(mine).endswith(skeleton(theirs)):
            added.append(mine[: len(mine) - len(theirs)])
    return tuple(swaps), tuple(added)


# --- the watch ------------------------------------------------------------------------------


def _bare_handle(handle: str) -> str:
    return handle.strip().lstrip("@").casefold()


@dataclass(frozen=True)
class _Target:
    official: Official
    text: str  # the official handle or display name
    squeezed: str
    core: str


class LookAlikeWatch:
    """The official accounts and the force's name, prepared once to check many authors."""

    def __init__(self, officials: Iterable[Official], force_name: str = "") -> None:
        self.officials = tuple(sorted(officials, key=lambda o: o.account_id))
        self._own = {(o.platform, _bare_handle(o.handle)) for o in self.officials}
        targets: list[_Target] = []
        for o in self.officials:
            for text in dict.fromkeys((o.handle, o.display_name)):
                if text.strip() and _squeeze(text):
                    targets.append(_Target(o, text, _squeeze(text), core(text)))
        self._targets = tuple(targets)
        place = force_place(force_name) if force_name.strip() else ""
        words = tuple(_squeeze(w) for w in _POLICE_WORDS)
        self._force_cores = (
            frozenset({place + w for w in words} | {w + place for w in words})
            if len(place) >= _MIN_CORE
            else frozenset()
        )

    def is_official(self, platform: str, handle: str) -> bool:
        """Tell whether this handle on this platform is one of the official accounts."""
        return (platform, _bare_handle(handle)) in self._own

    def check(self, platform: str, handle: str, display_name: str = "") -> Resemblance | None:
        """Return what the author's handle or display name resembles, or None."""
        if self.is_official(platform, handle):
            return None
        best: Resemblance | None = None
        for field, name in ((Field.HANDLE, handle), (Field.DISPLAY_NAME, display_name)):
            if not name.strip():
                continue
            found = self._check_name(field, name)
            if found is not None and (best is None or _RANK[found.why] < _RANK[best.why]):
                best = found
        return best

    def _check_name(self, field: Field, name: str) -> Resemblance | None:
        squeezed = _squeeze(name)
        if not squeezed:
            return None
        mine = core(name, squeezed)
        best: tuple[int, Resemblance] | None = None
        for target in self._targets:
            why: Why | None = None
            if squeezed == target.squeezed:
                swaps, _ = differences(name, target.text)
                why = Why.LOOK_ALIKE if swaps else Why.SAME_NAME
            elif mine == target.core:
                why = Why.ADDED
            elif len(target.core) >= MIN_NEAR_MISS and one_edit(mine, target.core):
                why = Why.NEAR_MISS
            if why is None:
                continue
            rank = _RANK[why]
            if best is None or rank < best[0]:
                best = (rank, self._resemblance(target, why, field, name))
        if best is None and mine in self._force_cores and self._targets:
            nearest = min(
                self._targets,
                key=lambda t: (edit_distance(mine, t.core, limit=99), t.official.account_id),
            )
            best = (_RANK[Why.FORCE_NAME], self._resemblance(nearest, Why.FORCE_NAME, field, name))
        return best[1] if best else None

    @staticmethod
    def _resemblance(target: _Target, why: Why, field: Field, name: str) -> Resemblance:
        swaps, added = differences(name, target.text) if why != Why.FORCE_NAME else ((), ())
        o = target.official
        return Resemblance(
            account_id=o.account_id,
            official_handle=o.handle,
            official_platform=o.platform,
            why=why,
            field=field,
            name=name,
            swaps=swaps,
            added=added,
        )


# --- the suspected fake accounts register ---------------------------------------------------

DEFAULT_REPORT_DAYS = 14
"""Days a report to a platform may wait for an outcome before supervisors are reminded."""


class Outcome(StrEnum):
    """What the platform did about a reported fake account."""

    PENDING = "pending"  # not reported yet, or reported and not answered
    REMOVED = "removed"
    NOT_REMOVED = "not_removed"


def parse_outcome(text: str) -> Outcome:
    """Turn a typed outcome ("removed", "not removed", "pending") into an ``Outcome``."""
    try:
        return Outcome("_".join(text.strip().lower().replace("-", " ").split()))
    except ValueError:
        names = ", ".join(o.value for o in Outcome)
        raise InvalidInput(f"Unknown outcome {text!r}: use one of {names}.") from None


def report_overdue(
    reported_at: datetime | None, outcome: Outcome, now: datetime, days: int
) -> bool:
    """Tell whether a report has waited ``days`` or more with no outcome (a reminder is due)."""
    if reported_at is None or outcome is not Outcome.PENDING:
        return False
    return now - reported_at >= timedelta(days=days)


def bare_handle(handle: str) -> str:
    """Return the handle as the register keys it: trimmed, without "@", case-folded."""
    return _bare_handle(handle)
