"""Finding a rule's words in a text: phrases by word forms, words near each other, negation.

A rule's phrase is a sequence of words; it matches a run of tokens (see
:mod:`desk.core.risk_words`) where each token shares a form with the rule's word ("stabbed" and
"stab"), a word ending in ``*`` matches any token it begins, and a word the dictionaries do not
know ("stabed", "sucide") matches a rule's word one letter away from it. One other word may stand
between two words of a phrase ("going to *fucking* stab"), so long as it does not deny them.

A rule with ``near`` groups fires when a phrase of every group is found within ``within`` words
of the others: "smashing" near "now", "tablets" near "all of". A negatable rule's match is
cancelled when a negation governs it ("not going to hurt myself"), and any rule's match is
cancelled by an ``unless`` phrase it overlaps or a ``not_with`` phrase anywhere in the text.
"""

from __future__ import annotations

from collections.abc import Iterable, Sequence
from dataclasses import dataclass, field
from functools import lru_cache

from desk.core.disguised_text import reading_text
from desk.core.risk_words import (
    AUXILIARY,
    NEGATIONS,
    Token,
    is_known_word,
    lemma_forms,
    phrase_words,
    spellings,
    tokenise,
    word_forms,
)

__all__ = ["Found", "PhraseMatcher", "negated"]

GAP = 0
"""How many other words may stand between two words of a phrase."""
FUZZY_MIN = 6
FORM_MIN = 4
"""The shortest dictionary form a misspelling is matched against ("stabb" for "stab")."""
"""The shortest word that is matched with one letter wrong: shorter ones are too alike."""
_LOOKBACK = 4


@dataclass(frozen=True, slots=True)
class Found:
    """A phrase found in a text: the tokens it covers (first and last index)."""

    first: int
    last: int


@dataclass(slots=True)
class _Phrase:
    key: object  # what the caller registered the phrase under
    words: tuple[int, ...]


@dataclass(slots=True)
class _Words:
    """Rule words by id, and how a token's spelling maps to the ids it matches."""

    ids: dict[str, int] = field(default_factory=dict)
    exact: dict[str, set[int]] = field(default_factory=dict)
    spelled: dict[str, set[int]] = field(default_factory=dict)
    prefixes: dict[str, list[tuple[str, int]]] = field(default_factory=dict)
    fuzzy: dict[str, set[tuple[str, int]]] = field(default_factory=dict)
    cache: dict[str, frozenset[int]] = field(default_factory=dict)

    def add(self, word: str) -> int:
        """Return the id of a rule word (a folded word, ``prefix*`` or ``=spelling``).

        A word after ``=`` matches its own spelling only: no other forms, no misspellings.
        """
        if word in self.ids:
            return self.ids[word]
        wid = len(self.ids)
        self.ids[word] = wid
        if word.startswith("="):
            self.spelled.setdefault(word[1:], set()).add(wid)
        elif word.endswith("*"):
            prefix = word[:-1]
            self.prefixes.setdefault(prefix[:3], []).append((prefix, wid))
        else:
            for form in word_forms(word):
                self.exact.setdefault(form, set()).add(wid)
        return wid

    def build_fuzzy(self) -> None:
        """Index every dictionary form of the rule words by its one-letter deletions."""
        long_words = {
            form: wid
            for word, wid in self.ids.items()
            if not word.endswith("*") and not word.startswith("=")
            for form in word_forms(word)
            if len(form) >= FORM_MIN and form.isalpha()
        }
        inflected = _inflections(frozenset(long_words))
        for lemma, wid in long_words.items():
            for form in inflected.get(lemma, {lemma}):
                if len(form) < FORM_MIN:
                    continue
                for variant in _deletions(form):
                    self.fuzzy.setdefault(variant, set()).add((form, wid))

    def match(self, word: str) -> frozenset[int]:
        """Return the ids of the rule words that the token ``word`` matches."""
        hit = self.cache.get(word)
        if hit is not None:
            return hit
        ids: set[int] = set()
        forms = word_forms(word)
        for form in forms:
            ids.update(self.exact.get(form, ()))
        for spelling in spellings(word):
            ids.update(self.spelled.get(spelling, ()))
        for form in forms:
            for prefix, wid in self.prefixes.get(form[:3], ()):
                if form.startswith(prefix):
                    ids.add(wid)
        if not ids and len(word) >= FUZZY_MIN and word.isalpha() and not is_known_word(word):
            for variant in _deletions(word):
                for form, wid in self.fuzzy.get(variant, ()):
                    if _one_apart(word, form):
                        ids.add(wid)
        for prefix, wid in self.prefixes.get(word[:2], ()):  # two-letter prefixes ("ok*")
            if len(prefix) < 3 and word.startswith(prefix):
                ids.add(wid)
        found = frozenset(ids)
        if len(self.cache) > 500_000:
            self.cache.clear()
        self.cache[word] = found
        return found


@lru_cache(maxsize=8)
def _inflections(lemmas: frozenset[str]) -> dict[str, set[str]]:
    return lemma_forms(lemmas)


def _deletions(word: str) -> set[str]:
    return {word} | {word[:i] + word[i + 1 :] for i in range(len(word))}


def _one_apart(a: str, b: str) -> bool:
    """Whether ``a`` and ``b`` differ by one insertion, deletion, substitution or swap."""
    if a == b:
        return True
    la, lb = len(a), len(b)
    if abs(la - lb) > 1:
        return False
    if la == lb:
        diff = [i for i in range(la) if a[i] != b[i]]
        if len(diff) == 1:
            return True
        return (
            len(diff) == 2
            and diff[1] == diff[0] + 1
            and a[diff[0]] == b[diff[1]]
            and a[diff[1]] == b[diff[0]]
        )
    short, long_ = (a, b) if la < lb else (b, a)
    i = 0
    while i < len(short) and short[i] == long_[i]:
        i += 1
    return short[i:] == long_[i + 1 :]


class PhraseMatcher:
    """Many phrases, each registered under a key, found in texts in one pass over the tokens."""

    def __init__(self) -> None:
        """Start an empty matcher; add phrases, then :meth:`freeze` it."""
        self._words = _Words()
        self._single: dict[int, list[_Phrase]] = {}
        self._pairs: dict[tuple[int, int], list[_Phrase]] = {}

    def add(self, key: object, phrase: str) -> None:
        """Register ``phrase`` under ``key``.

        Raises:
            ValueError: the phrase has no words, or a ``*`` does not end a word.
        """
        words = phrase_words_checked(phrase)
        ids = tuple(self._words.add(w) for w in words)
        if len(ids) == 1:
            self._single.setdefault(ids[0], []).append(_Phrase(key, ids))
        else:  # found by its first two words, which rules out most places at once
            self._pairs.setdefault((ids[0], ids[1]), []).append(_Phrase(key, ids))

    def freeze(self) -> None:
        """Prepare for matching: index the words' forms for misspellings."""
        self._words.build_fuzzy()

    def tokens(self, text: str) -> list[Token]:
        """Return the tokens of ``text`` as this matcher reads them.

        The text is read as the platform shows it (:func:`~desk.core.disguised_text.reading_text`):
        a zero-width space or soft hyphen inside a word ("k\u200bill") does not split it, and a
        right-to-left override's letters are read in the order they are drawn. Each token keeps
        its place in the stored text, so highlights land on what was received.
        """
        reading, origin = reading_text(text)
        if reading == text:
            return tokenise(text)
        tokens: list[Token] = []
        for t in tokenise(reading):
            where = origin[t.start : t.end]
            tokens.append(Token(min(where), max(where) + 1, t.word))
        return tokens

    def find(self, tokens: Sequence[Token]) -> dict[object, list[Found]]:
        """Return, for each key with a phrase in ``tokens``, where its phrases were found."""
        ids_at = [self._words.match(t.word) for t in tokens]
        found: dict[object, list[Found]] = {}
        single, pairs, count = self._single, self._pairs, len(tokens)
        for i, ids in enumerate(ids_at):
            if not ids:
                continue
            for wid in ids:
                for phrase in single.get(wid, ()):
                    found.setdefault(phrase.key, []).append(Found(i, i))
            for nxt in range(i + 1, min(i + GAP + 2, count)):
                for wid in ids:
                    for wid2 in ids_at[nxt]:
                        for phrase in pairs.get((wid, wid2), ()):
                            last = _match_from(phrase.words, 2, ids_at, tokens, nxt)
                            if last is not None:
                                found.setdefault(phrase.key, []).append(Found(i, last))
                if tokens[nxt].word in NEGATIONS:
                    break  # "want to not die" is not "want to die"
        return found


def phrase_words_checked(phrase: str) -> list[str]:
    """Return a phrase's words, or raise if the phrase is malformed.

    A ``*`` stays on the word it ends, an ``=`` on a word that must be spelt as written.
    """
    raw = phrase.strip()
    stars = raw.count("*")
    words: list[str] = []
    for chunk in raw.replace("*", " ").split():
        exact = chunk.startswith("=")
        parts = phrase_words(chunk.lstrip("="))
        words.extend("=" + w if exact else w for w in parts)
    if not words:
        raise ValueError(f"phrase {phrase!r} has no words")
    if stars:
        if stars > 1 or not raw.endswith("*") or raw[-2:-1].isspace():
            raise ValueError(f"phrase {phrase!r}: '*' may only end the last word")
        words[-1] += "*"
    return words


def _match_from(
    words: tuple[int, ...],
    start: int,
    ids_at: list[frozenset[int]],
    tokens: Sequence[Token],
    i: int,
) -> int | None:
    """Return the last token of ``words[start:]`` matched after token ``i``, or None."""
    position = i
    for wid in words[start:]:
        for step in range(1, GAP + 2):
            nxt = position + step
            if nxt >= len(ids_at):
                return None
            if wid in ids_at[nxt]:
                position = nxt
                break
            if tokens[nxt].word in NEGATIONS:
                return None  # "want to not die" is not "want to die"
        else:
            return None
    return position


def negated(tokens: Sequence[Token], first: int) -> bool:
    """Whether a negation governs the words from token ``first`` on ("not going to hurt")."""
    k = first - 1
    skipped = 0
    while k >= 0 and skipped <= _LOOKBACK:
        word = tokens[k].word
        if word in NEGATIONS:
            return True
        if word not in AUXILIARY:
            return False
        k -= 1
        skipped += 1
    return False


def spans_of(tokens: Sequence[Token], found: Iterable[Found]) -> list[tuple[int, int]]:
    """Return the character spans of ``found`` tokens in the original text.

    Tokens read from a right-to-left override run lie backwards in the stored text, so a
    span runs from the smallest start to the largest end of its tokens.
    """
    spans = []
    for f in found:
        covered = tokens[f.first : f.last + 1]
        spans.append((min(t.start for t in covered), max(t.end for t in covered)))
    return spans
