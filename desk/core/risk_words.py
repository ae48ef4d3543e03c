"""Words as the risk rules see them: tokens of a text, folded, expanded and reduced to word forms.

People write "im gonna stab u", "Stabbed", "stabing", "drywanu": the rules should not have to list
every spelling. A text is split into word tokens (each keeps its place in the original text, for
highlighting); each token is folded (case, accents, apostrophes, letters held down: "killll"),
common text-speak is expanded ("gonna" is "going to", "u" is "you"), and each word is given its
dictionary forms in English and Welsh by a maintained lemmatiser that ships its data in its
package (``simplemma``: "stabbing" is a form of "stab", "ladd" a mutated form of "lladd").
Rules are read through the same steps, so a rule word matches a token when they share a form.
"""

from __future__ import annotations

import re
import unicodedata
from collections.abc import Iterable
from functools import cache, lru_cache
from typing import Any, NamedTuple

__all__ = [
    "AUXILIARY",
    "NEGATIONS",
    "Token",
    "fold",
    "is_known_word",
    "lemma_forms",
    "spellings",
    "tokenise",
    "word_forms",
]

LANGUAGES = ("en", "cy")

# A word: letters and digits, with inner apostrophes ("don't") or hyphens kept apart as words;
# or one pictograph (emoji), which people use as words ("🔪").
_WORD = re.compile(
    r"[^\W_]+(?:['’‘`][^\W_]+)*|[\U0001F300-\U0001FAFF\u2600-\u27BF]",
)
_APOSTROPHES = str.maketrans("", "", "'’‘`")
_HELD = re.compile(r"(\w)\1{2,}")  # a letter held down: "pleeeease", "killll"

TEXT_SPEAK: dict[str, tuple[str, ...]] = {
    # contractions, once their apostrophe is gone
    "im": ("i", "am"), "ive": ("i", "have"), "itll": ("it", "will"),
    "youre": ("you", "are"), "youll": ("you", "will"), "youve": ("you", "have"),
    "hes": ("he", "is"), "shes": ("she", "is"), "theyre": ("they", "are"),
    "theyll": ("they", "will"), "thats": ("that", "is"),
    "whats": ("what", "is"), "theres": ("there", "is"), "ima": ("i", "am", "going", "to"),
    "imma": ("i", "am", "going", "to"), "dont": ("do", "not"), "didnt": ("did", "not"),
    "doesnt": ("does", "not"), "cant": ("can", "not"), "cannot": ("can", "not"),
    "wont": ("will", "not"), "isnt": ("is", "not"), "arent": ("are", "not"),
    "wasnt": ("was", "not"), "werent": ("were", "not"), "aint": ("is", "not"),
    "havent": ("have", "not"), "hasnt": ("has", "not"), "wouldnt": ("would", "not"),
    "couldnt": ("could", "not"), "shouldnt": ("should", "not"), "dunno": ("do", "not", "know"),
    # text-speak
    "u": ("you",), "ya": ("you",), "yu": ("you",), "ur": ("your",), "yr": ("your",),
    "r": ("are",), "gonna": ("going", "to"), "gunna": ("going", "to"), "gna": ("going", "to"),
    "finna": ("going", "to"), "wanna": ("want", "to"), "wana": ("want", "to"),
    "gotta": ("got", "to"), "tryna": ("trying", "to"), "outta": ("out", "of"),
    "lemme": ("let", "me"), "gimme": ("give", "me"), "rn": ("right", "now"),
    "atm": ("at", "the", "moment"), "asap": ("now",), "2nite": ("tonight",),
    "2night": ("tonight",), "tonite": ("tonight",), "2day": ("today",), "2moro": ("tomorrow",),
    "tmrw": ("tomorrow",), "tomoz": ("tomorrow",), "b4": ("before",), "m8": ("mate",),
    "ppl": ("people",), "pls": ("please",), "plz": ("please",), "bc": ("because",),
    "cuz": ("because",), "coz": ("because",), "cos": ("because",), "wiv": ("with",),
    "sum1": ("someone",), "some1": ("someone",), "sumone": ("someone",),
    "any1": ("anyone",), "every1": ("everyone",), "no1": ("no", "one"),
    "gf": ("girlfriend",), "bf": ("boyfriend",), "rly": ("really",), "kms": ("kill", "myself"),
    "kys": ("kill", "yourself"), "unalive": ("kill",), "ded": ("dead",), "nuffin": ("nothing",),
    "meself": ("myself",), "maself": ("myself",), "mysef": ("myself",), "yall": ("you", "all"),
    "bruv": ("brother",), "fella": ("fellow",),
}  # fmt: skip
"""Common spellings of social media, each as the words it stands for."""

NEGATIONS = frozenset(
    {"not", "never", "no", "nobody", "nothing", "ddim", "dim", "byth", "nid", "nad"}
)
"""Words that deny what follows them ("not going to hurt myself"; Welsh "ddim", "byth")."""

AUXILIARY = frozenset(
    {
        "i", "am", "is", "are", "be", "been", "was", "will", "would", "do", "did", "have",
        "going", "to", "gonna", "planning", "plan", "want", "trying", "try", "about", "ever",
        "really", "actually", "thinking", "of", "he", "she", "they", "it", "we",
        "dwi", "dw", "yn", "mynd", "wedi", "eisiau", "isio", "moyn",
    }
)  # fmt: skip
"""Words that may stand between a negation and what it denies ("not really going to ...")."""


class Token(NamedTuple):
    """One word of a text: where it is in the original text, and its folded spelling."""

    start: int
    end: int
    word: str


def fold(word: str) -> str:
    """Return ``word`` as rules compare it: case-folded, without accents or apostrophes."""
    decomposed = unicodedata.normalize("NFKD", word.casefold().translate(_APOSTROPHES))
    return "".join(ch for ch in decomposed if not unicodedata.combining(ch))


def spellings(word: str) -> tuple[str, ...]:
    """Return the folded ``word`` and, if a letter is held down in it, its shorter spellings."""
    if _HELD.search(word) is None:
        return (word,)
    return tuple(dict.fromkeys((word, _HELD.sub(r"\1\1", word), _HELD.sub(r"\1", word))))


def tokenise(text: str) -> list[Token]:
    """Split ``text`` into folded word tokens, text-speak expanded, offsets into ``text``."""
    tokens: list[Token] = []
    for m in _WORD.finditer(text):
        start, end = m.span()
        tokens.extend(Token(start, end, word) for word in _words_of(m.group()))
    return tokens


@lru_cache(maxsize=100_000)
def _words_of(raw: str) -> tuple[str, ...]:
    """Return the words one written word stands for: folded, text-speak expanded."""
    word = fold(raw)
    return TEXT_SPEAK.get(word, (word,))


def phrase_words(phrase: str) -> list[str]:
    """Return the words of a rule's phrase as tokens of a text would have them."""
    return [t.word for t in tokenise(phrase)]


@lru_cache(maxsize=200_000)
def word_forms(word: str) -> frozenset[str]:
    """Return the forms a folded word is known by: itself, its shorter spellings, its lemmas."""
    forms: set[str] = set()
    for spelling in spellings(word):
        forms.add(spelling)
        if spelling.isalpha():
            forms.add(fold(_lemma(spelling, "en")))
            # Welsh forms only for words English does not know: read as Welsh, "me" would be
            # a mutated "beth" and "not" a "dot"
            if not _known(spelling, "en"):
                forms.add(fold(_lemma(spelling, "cy")))
    return frozenset(forms)


def is_known_word(word: str) -> bool:
    """Return whether ``word`` is in the English or Welsh dictionary (a misspelling is not)."""
    return any(_known(word, lang) for lang in LANGUAGES)


@cache
def _dictionaries() -> Any:
    """One dictionary factory for every look-up, so each language's data is loaded once."""
    from simplemma.strategies.dictionaries import DefaultDictionaryFactory

    return DefaultDictionaryFactory(cache_max_size=len(LANGUAGES))


@cache
def _lemmatizer() -> Any:
    import simplemma
    from simplemma.strategies import DefaultStrategy

    strategy = DefaultStrategy(dictionary_factory=_dictionaries())
    return simplemma.Lemmatizer(cache_max_size=0, lemmatization_strategy=strategy)


def _lemma(word: str, lang: str) -> str:
    return str(_lemmatizer().lemmatize(word, lang))


def _known(word: str, lang: str) -> bool:
    return _dictionaries().get_dictionary(lang).get(word) is not None


def lemma_forms(lemmas: Iterable[str]) -> dict[str, set[str]]:
    """Return every inflected form the dictionaries list for each of ``lemmas``, folded.

    Used to recognise misspelt inflections ("stabed" for "stabbed"): the rules name the lemma,
    the dictionary knows its forms, and a misspelling is one letter away from one of them.
    """
    wanted = set(lemmas)
    found: dict[str, set[str]] = {lemma: {lemma} for lemma in wanted}
    for lang in LANGUAGES:
        for form, lemma in _dictionaries().get_dictionary(lang).items():
            if lemma in wanted:  # the dictionaries' lemmas are lower case, as rules' words are
                found[lemma].add(fold(form))
    return found
