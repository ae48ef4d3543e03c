"""A small statistical risk model that complements the hand-written rules, and explains itself.

The rules (:mod:`desk.core.risk`) find what their authors thought of; this model finds messages
that *read like* the risky messages of the project's labelled corpus, even when no rule names
their words. It is one logistic regression per risk category (one-vs-rest) over word features,
trained by ``scripts/train_risk_model.py`` and shipped as readable JSON
(``resources/risk_model/model.json``). At run time it needs only the standard library and
:mod:`desk.core.risk_words`.

Features come from the tokens of :func:`desk.core.risk_words.tokenise`:

* each token's *canonical form* gives a unigram ``w:<form>``; each pair of adjacent tokens gives
  a bigram ``b:<form1>_<form2>``;
* the canonical form is chosen deterministically from :func:`~desk.core.risk_words.word_forms`:
  a word with a letter held down ("killll") is first read as its first shorter spelling that a
  dictionary knows ("kill"), or else its shortest; then, if the word has a lemma other than
  itself (the English lemma of a known English word, "stabbing" is "stab"; the Welsh lemma of
  a word English does not know, "ladd" is "lladd"), that lemma is the form, else the word is.
  ``word_forms`` gives an unheld word at most one such lemma; were there ever more, the
  alphabetically first is taken;
* negation: a token within ``negation_window`` tokens after a negation word
  (:data:`~desk.core.risk_words.NEGATIONS`: "not", "never", "no", "ddim"...) is *in negation
  scope*; its unigram, and the bigram ending on it, get the prefix ``n:`` ("not going to hurt
  myself" gives ``n:w:hurt``, not ``w:hurt``), so the model learns denials apart from threats.
  The window is stored in the model file (0 turns negation marking off).

A category's score is ``sigmoid(bias + sum of the weights of the features present)``, each
distinct feature counted once; the category is flagged when its score reaches its threshold.
Every flag names the tokens whose features raised its score most, so it explains itself.
"""

from __future__ import annotations

import json
import math
from collections.abc import Mapping, Sequence
from dataclasses import dataclass
from functools import lru_cache
from pathlib import Path
from typing import Any

from desk.core.errors import InvalidInput
from desk.core.risk import RiskCategory
from desk.core.risk_words import NEGATIONS, Token, is_known_word, spellings, word_forms

__all__ = ["FORMAT", "MAX_EVIDENCE", "ModelFlag", "RiskModel", "canonical_form", "feature_names"]

FORMAT = "desk-risk-model/1"
"""The ``format`` a model file declares; a file of another format is refused."""

MAX_EVIDENCE = 4
"""At most this many tokens are named as the evidence for a flag."""

_REQUIRED = ("format", "negation_window", "categories")
_CATEGORY_REQUIRED = ("bias", "threshold", "weights")
_ORDER = {category: n for n, category in enumerate(RiskCategory)}


@dataclass(frozen=True, slots=True)
class ModelFlag:
    """One category the model raised, its score, and the tokens that raised it most."""

    category: RiskCategory
    score: float
    evidence: tuple[int, ...]


@lru_cache(maxsize=200_000)
def canonical_form(word: str) -> str:
    """Return the one form of a folded word that the model's features use (see the module)."""
    shorter = spellings(word)[1:]
    if shorter and word.isalpha():
        known = [s for s in shorter if is_known_word(s)]
        word = known[0] if known else shorter[-1]
    others = word_forms(word) - {word}
    return min(others) if others else word


STOPWORDS = frozenset(
    {
         "a", "an", "the", "and", "or", "but", "if", "so", "as", "at", "by", "for", "from", "in",
         "into", "of", "on", "onto", "to", "up", "with", "about", "over", "is", "are", "was",
         "were", "be", "been", "being", "am", "do", "does", "did", "done", "have", "has", "had",
         "having", "will", "would", "can", "could", "shall", "should", "may", "might", "must",
         "it", "its", "it's", "this", "that", "these", "those", "there", "here", "then", "than",
         "too", "very", "just", "also", "only", "even", "still", "ever", "again", "any", "some",
         "all", "each", "every", "such", "own", "same", "other", "what", "which", "who", "whom",
         "whose", "when", "where", "why", "how", "one", "two", "get", "got", "getting", "go",
         "going", "went", "gone", "come", "came", "make", "made", "let", "lot", "lots", "really",
         "quite", "much", "many", "more", "most", "less", "least", "well", "yeah", "yes", "ok",
         "okay", "oh", "hi", "hello", "thanks", "thank", "please", "pls", "anyway", "bit",
         "thing", "things", "way", "day", "today", "week", "time", "y", "yr", "ac", "ar", "i",
         "o", "yn", "yw", "ydy", "ydi", "mae", "ma", "oedd", "bod", "fod", "wedi", "di", "efo",
         "gyda", "hefyd", "ond", "os", "fel", "pan", "lle", "beth", "sut", "pam", "hwn", "hon",
         "hyn", "yna", "yma", "na", "ni", "chi", "nhw",
    }
)  # fmt: skip
"""Words too common to say anything about risk: they are no feature and no evidence."""


def feature_names(tokens: Sequence[Token], window: int) -> list[str]:
    """Return the unigram names of ``tokens`` in order, then the bigram names of adjacent pairs.

    The unigram of token ``i`` is at position ``i``; the bigram of tokens ``i`` and ``i + 1`` is
    at position ``len(tokens) + i``. A name may occur more than once. A token within ``window``
    tokens after a negation word (not counting the negation) is in its scope: its unigram and
    the bigram ending on it get the prefix ``n:``.
    """
    unigrams: list[str] = []
    bigrams: list[str] = []
    previous, previous_stop = "", True
    left = 0  # tokens still in the scope of the last negation
    for i, token in enumerate(tokens):
        form = canonical_form(token.word)
        if token.word in NEGATIONS:
            left, prefix = window, ""
        elif left:
            left, prefix = left - 1, "n:"
        else:
            prefix = ""
        stop = form in STOPWORDS or token.word in STOPWORDS
        # a common word gives no unigram, and two together no bigram (kept as blanks, so
        # that positions still map to tokens)
        unigrams.append("" if stop else f"{prefix}w:{form}")
        if i:
            both = stop and previous_stop
            bigrams.append("" if both else f"{prefix}b:{previous}_{form}")
        previous, previous_stop = form, stop
    return unigrams + bigrams


def _sigmoid(x: float) -> float:
    """Return the logistic function of ``x``, without overflow."""
    if x >= 0:
        return 1.0 / (1.0 + math.exp(-x))
    z = math.exp(x)
    return z / (1.0 + z)


def _positions(names: Sequence[str], n_tokens: int) -> dict[str, tuple[int, ...]]:
    """Return each distinct feature name with the token indices it came from, in text order."""
    found: dict[str, set[int]] = {}
    for pos, name in enumerate(names):
        if not name:
            continue
        indices = found.setdefault(name, set())
        if pos < n_tokens:
            indices.add(pos)
        else:
            indices.update((pos - n_tokens, pos - n_tokens + 1))
    return {name: tuple(sorted(indices)) for name, indices in found.items()}


def _common(word: str) -> bool:
    """Whether ``word`` is one of the common words that are no evidence."""
    return word in STOPWORDS or canonical_form(word) in STOPWORDS


class RiskModel:
    """Per-category logistic regressions over word features, read from a model file."""

    __slots__ = ("_biases", "_categories", "_thresholds", "_vectors", "_weights", "_window")

    def __init__(
        self,
        categories: Sequence[RiskCategory],
        biases: Sequence[float],
        thresholds: Sequence[float],
        weights: Sequence[Mapping[str, float]],
        negation_window: int,
    ) -> None:
        self._categories = tuple(categories)
        self._biases = tuple(biases)
        self._thresholds = tuple(thresholds)
        self._window = negation_window
        self._weights = tuple(dict(table) for table in weights)
        # feature -> its weight in every category, so that a message's logits are the column
        # sums of its features' rows: one look-up per feature, the adding done by ``sum``
        names = sorted({name for table in self._weights for name in table})
        self._vectors = {
            name: tuple(table.get(name, 0.0) for table in self._weights) for name in names
        }

    @classmethod
    def load(cls, path: Path) -> RiskModel:
        """Read a model file; raise :class:`InvalidInput` naming the file if it is unusable."""
        try:
            text = path.read_text(encoding="utf-8")
        except FileNotFoundError:
            raise InvalidInput(f"{path}: the risk model file is missing") from None
        except (OSError, UnicodeDecodeError) as exc:
            raise InvalidInput(f"{path}: the risk model file cannot be read ({exc})") from None
        try:
            data = json.loads(text)
        except json.JSONDecodeError as exc:
            raise InvalidInput(
                f"{path}: the risk model file is not valid JSON ({exc.msg}, line {exc.lineno})"
            ) from None
        return cls._from_mapping(path, data)

    @classmethod
    def _from_mapping(cls, path: Path, data: Any) -> RiskModel:
        """Build a model from a model file's parsed content, checking every part of it."""
        if not isinstance(data, dict):
            raise InvalidInput(f"{path}: a risk model file must hold a JSON object")
        missing = [key for key in _REQUIRED if key not in data]
        if missing:
            raise InvalidInput(f"{path}: the risk model file lacks {', '.join(missing)}")
        if data["format"] != FORMAT:
            raise InvalidInput(f"{path}: format {data['format']!r} is not {FORMAT!r}")
        window = data["negation_window"]
        if type(window) is not int or window < 0:
            raise InvalidInput(f"{path}: negation_window must be a whole number, 0 or more")
        sections = data["categories"]
        if not isinstance(sections, dict) or not sections:
            raise InvalidInput(f"{path}: categories must be a non-empty object")
        parts = [_category(path, name, section) for name, section in sections.items()]
        parts.sort(key=lambda part: _ORDER[part[0]])
        return cls(
            [p[0] for p in parts], [p[1] for p in parts], [p[2] for p in parts],
            [p[3] for p in parts], window,
        )  # fmt: skip

    @property
    def categories(self) -> tuple[RiskCategory, ...]:
        """Return the categories the model scores."""
        return self._categories

    def thresholds(self) -> dict[RiskCategory, float]:
        """Return each category's threshold: the score at which it is flagged."""
        return dict(zip(self._categories, self._thresholds, strict=True))

    def features(self, tokens: Sequence[Token]) -> list[tuple[str, tuple[int, ...]]]:
        """Return each distinct feature of ``tokens`` with the token indices it came from."""
        return list(_positions(feature_names(tokens, self._window), len(tokens)).items())

    def scores(self, tokens: Sequence[Token]) -> dict[RiskCategory, float]:
        """Return every category's score for ``tokens``, flagged or not."""
        logits = self._logits(feature_names(tokens, self._window))
        return {c: _sigmoid(x) for c, x in zip(self._categories, logits, strict=True)}

    def flags(self, tokens: Sequence[Token]) -> list[ModelFlag]:
        """Return the categories whose score reaches their threshold, each with its evidence."""
        names = feature_names(tokens, self._window)
        flagged = []
        for c, x in enumerate(self._logits(names)):
            score = _sigmoid(x)
            if score >= self._thresholds[c]:
                evidence = self._evidence(c, names, len(tokens))
                words = tuple(i for i in evidence if not _common(tokens[i].word))
                if words:  # a flag that only common words raised explains nothing: dropped
                    flagged.append(ModelFlag(self._categories[c], score, words))
        return flagged

    def _logits(self, names: Sequence[str]) -> list[float]:
        """Return each category's bias plus the weights of the distinct features in ``names``."""
        rows = list(filter(None, map(self._vectors.get, set(names))))
        rows.append(self._biases)
        return list(map(math.fsum, zip(*rows, strict=True)))  # exact: same in any order

    def _evidence(self, c: int, names: Sequence[str], n_tokens: int) -> tuple[int, ...]:
        """Return the tokens that raised category ``c`` most, at most four, in text order.

        A feature's weight is shared equally among the token places it came from (a unigram
        has one, a bigram two; a repeated feature all of its occurrences'); a token's
        contribution is the sum of its shares, and only tokens with a positive sum count.
        """
        weights = self._weights[c]
        places: dict[str, list[int]] = {}
        for pos, name in enumerate(names):
            if name in weights:
                found = places.setdefault(name, [])
                if pos < n_tokens:
                    found.append(pos)
                else:
                    found += (pos - n_tokens, pos - n_tokens + 1)
        share = [0.0] * n_tokens
        for name, found in places.items():
            part = weights[name] / len(found)
            for i in found:
                share[i] += part
        best = sorted((i for i in range(n_tokens) if share[i] > 0), key=lambda i: -share[i])
        return tuple(sorted(best[:MAX_EVIDENCE]))


def _category(
    path: Path, name: Any, section: Any
) -> tuple[RiskCategory, float, float, dict[str, float]]:
    """Check one category's section of a model file; return its category and parameters."""
    try:
        category = RiskCategory(name)
    except ValueError:
        raise InvalidInput(f"{path}: {name!r} is not a risk category") from None
    where = f"{path}, category {name}"
    if not isinstance(section, dict):
        raise InvalidInput(f"{where}: must be an object")
    missing = [key for key in _CATEGORY_REQUIRED if key not in section]
    if missing:
        raise InvalidInput(f"{where}: lacks {', '.join(missing)}")
    bias = _number(where, "bias", section["bias"])
    threshold = _number(where, "threshold", section["threshold"])
    if not 0.0 < threshold <= 1.0:
        raise InvalidInput(f"{where}: threshold must be above 0 and at most 1")
    weights = section["weights"]
    if not isinstance(weights, dict):
        raise InvalidInput(f"{where}: weights must be an object of feature names and numbers")
    return category, bias, threshold, {k: _number(where, k, w) for k, w in weights.items()}


def _number(where: str, key: str, value: Any) -> float:
    """Return ``value`` as a finite float, or raise :class:`InvalidInput` saying where."""
    if isinstance(value, bool) or not isinstance(value, int | float) or not math.isfinite(value):
        raise InvalidInput(f"{where}: {key!r} must be a number")
    return float(value)
