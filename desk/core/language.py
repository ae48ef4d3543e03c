"""A light detector for Welsh, so that an item written in Welsh can be answered in Welsh.

Not a general language identifier: it tells Welsh ("cy") from English ("en") in short social
media texts, and says None when it cannot tell (under three words, no telling words, or a
mix with neither language clearly ahead). It scores each word: common Welsh and English
function and everyday words count for their language; an unknown word counts a little for
Welsh when it has a Welsh shape (a circumflex, "ll" or "rh" or "ff" at the start, "dd", "wy",
a Welsh clitic such as "ti'n" or "a'r"). Mentions, hashtags, links and numbers are ignored.
"""

from __future__ import annotations

import re
import unicodedata
from functools import lru_cache
from typing import Literal

__all__ = ["Language", "detect_language"]

Language = Literal["cy", "en"]

MIN_WORDS = 3
"""Fewer words than this (after removing mentions, links and numbers): None."""

_MIN_EVIDENCE = 1.5
_WELSH_SHARE = 0.6
_ENGLISH_SHARE = 0.7

_NOISE = re.compile(r"https?://\S+|www\.\S+|[@#][\w.]+|\S+@\S+\.\S+")
_PUNCTUATION = "'\".,;:!?“”‘()[]{}<>…*~_-–—/\\|"


def _words(text: str) -> frozenset[str]:
    return frozenset(text.split())


# Words that are common in Welsh and rare in English text. Words that are ordinary in both
# languages ("a", "i", "o", "am", "hi", "man", "plant", "bore", "hen", "pan", "dad") are left
# out.
_WELSH = _words(
    """
    yn y yr ac ag mae maen maent ydw ydy ydi ydych ydyn ydan ydach dydw dydy dydi dyw
    dw dwi rwy rwyf rydw rydyn rydych roeddwn wyt does oes roedd oedd bydd fydd byddai
    fyddai bod fod sydd sy wedi gyda gydag efo hefo gan gen dros drwy trwy wrth rhwng heb
    ond hefyd neu felly achos oherwydd fel mewn yng ym ar arno arni iddo iddi iddyn ei eu
    ein eich fy dy ni nhw chi fi ti fe fo nid ddim dim ble lle beth pam pryd sut pwy
    faint hwn hon hyn hynny yma yna acw diolch heddlu heddiw heno yfory ddoe nawr rŵan
    rwan iawn da dda gwych croeso shwmae shwmai helo hwyl plis gwelwch gwneud gallu
    gallwch eisiau isio moyn angen cael gael mynd dod gweld gwybod meddwl dweud deud eto
    erioed byth wastad pob pawb popeth rhywun rhywbeth unrhyw neb byd llawer mwy mwyaf
    gormod digon tua ger stryd ffordd ffyrdd tref dref dinas pentref ardal lleol cymru
    cymraeg saesneg newydd newyddion swyddog swyddogion gwasanaeth damwain tân argyfwng
    ffôn rhif cyfeiriad teulu ffrind ffrindiau plentyn ysgol gwaith amser fawr mawr bach
    gyrru gyrrwr traffig cau agor diogel ddiogel ofn poeni helpu chwilio gobeithio
    """
)
_ENGLISH = _words(
    """
    the and is are was were be been being to of in on at for with this that these those
    it its it's you your you're we our they their them he she his her him my me us
    have has had do does did don't doesn't didn't can can't could couldn't should would
    will won't not no yes but or if so just what why how when where who which there
    there's here what's i'm i've i'll i'd isn't aren't wasn't weren't from by an all any
    some one get got like know see need still now today tonight again very really more
    much after before about up out down off over into than then too also only because
    thanks thank please police officers officer road roads people anyone someone
    everyone something anything going great good well done shared hope safe found
    closed open traffic car cars near next last time let's think said
    """
)
_WELSH_SHAPE = re.compile(
    r"[ŵŷâêîôûẁẃẅỳ]|^(?:ll|rh|ff|ngh|mh|nh|chw|dd)|[^ao]dd$|ydd|wy|[bcdfghlmnprst]w[bcdfghlmnprst]"
)
_WELSH_CLITIC = re.compile(r"^([^\W\d_]+)'(?:n|r|w|i|ch|th)$")
_ENGLISH_CLITIC = re.compile(r"'(?:s|t|re|ve|ll|d|m)$")
_SENTENCE_END = re.compile(r"[.!?\n]+")


def _words_of(sentence: str) -> list[str]:
    """The words of a sentence: letters (and inner apostrophes) only, punctuation trimmed."""
    words = []
    for raw in sentence.split():
        word = raw.strip(_PUNCTUATION)
        if word and (word.isalpha() or word.replace("'", "").isalpha()):
            words.append(word)
    return words


@lru_cache(maxsize=65_536)
def _score(word: str) -> tuple[float, float]:
    """How much one lower-case word says for Welsh and for English."""
    if word in _WELSH:
        return 1.0, 0.0
    if word in _ENGLISH:
        return 0.0, 1.0
    if clitic := _WELSH_CLITIC.match(word):
        stem = clitic.group(1)
        return (1.0 if stem in _WELSH or len(stem) > 1 else 0.5), 0.0
    if _ENGLISH_CLITIC.search(word):
        return 0.0, 1.0
    if _WELSH_SHAPE.search(word):
        return 0.5, 0.0
    return 0.0, 0.0


def detect_language(text: str) -> Language | None:
    """Return "cy" for Welsh, "en" for English, or None when unsure.

    None for texts under three words, texts without words that tell, and mixed texts in which
    neither language is clearly ahead (the operator decides).
    """
    if not unicodedata.is_normalized("NFC", text):
        text = unicodedata.normalize("NFC", text)
    if "@" in text or "#" in text or "http" in text or "www." in text:
        text = _NOISE.sub(" ", text)
    sentences = [_words_of(sentence) for sentence in _SENTENCE_END.split(text.replace("’", "'"))]
    count = sum(len(words) for words in sentences)
    if count < MIN_WORDS:
        return None
    # Capitalised words inside a sentence are mostly names ("Heddlu Gogledd Cymru",
    # "Llanfairfechan") and say little about the language of the sentence around them, unless
    # the writer capitalises everything.
    titled = sum(1 for words in sentences for w in words if len(w) > 1 and w.istitle())
    skip_names = titled * 2 < count
    welsh = english = 0.0
    for words in sentences:
        for position, word in enumerate(words):
            if skip_names and position and len(word) > 1 and word.istitle():
                continue
            cy, en = _score(word.lower())
            welsh += cy
            english += en
    evidence = welsh + english
    if evidence < _MIN_EVIDENCE:
        return None
    if welsh / evidence >= _WELSH_SHARE:
        return "cy"
    if english / evidence >= _ENGLISH_SHARE:
        return "en"
    return None
