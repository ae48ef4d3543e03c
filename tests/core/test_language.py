"""The light Welsh detector on real-looking social media texts."""

from __future__ import annotations

import pytest

from desk.core.language import detect_language

WELSH = [
    "Diolch yn fawr am y diweddariad",
    "Oes unrhyw newyddion am y ffordd ger Caernarfon?",
    "Mae car wedi bod yn y ffos ers awr",
    "Dw i ddim yn hapus gyda'r heddlu",
    "Ydy'r A470 ar agor eto? 🙏",
    "Shwmae, mae rhywun wedi dwyn fy meic o'r orsaf",
    "Pam bod yr hofrennydd uwchben Bangor?",
    "Gwych! Da iawn pawb",
    "Rwy’n poeni am fy mam, dydy hi ddim wedi dod adref",
    "DIOLCH YN FAWR I CHI GYD",
    "Ble mae'r heddlu pan dach chi eu hangen nhw?",
    "Diolch i Heddlu Gogledd Cymru am eu gwaith heno",
    "Dw i wedi gweld y dyn yn y llun ger y siop yn Llangefni bore 'ma",
    "Mae'r ffordd ar gau ers hanner awr, unrhyw syniad pryd bydd hi'n agor?",
    "Diolch yn fawr",
]

ENGLISH = [
    "Is the road still closed?",
    "Thanks for the update, stay safe",
    "Diolch! Great work by the officers tonight",
    "Crash on the A55 near Llanfairfechan, avoid the area",
    "Well done to Heddlu Gogledd Cymru for catching them",
    "Hope she's found safe 🙏",
    "Why is there a helicopter over Wrexham at 3am?",
    "THANK YOU FOR EVERYTHING YOU DO",
    "Shared. Praying she comes home safe x",
    "Any update on the A38 at Chudleigh? It's been shut since 6",
    "My car was broken into on Tuesday and nobody has called me back",
]

UNSURE = [
    "Diolch!",  # under three words
    "lol",
    "Thanks x",
    "",
    "   ",
    "@HeddluGogCymru #diolch https://t.co/abc",  # nothing but handles, tags, links
    "Missing person appeal Llandudno Conwy Bangor",  # names, no telling words
    "Diolch yn fawr, thanks for the update officers",  # a real mix: neither is clearly ahead
    "123 456 789",
    "👍👍👍 🙏🙏",
]


@pytest.mark.parametrize("text", WELSH)
def test_welsh(text: str) -> None:
    assert detect_language(text) == "cy"


@pytest.mark.parametrize("text", ENGLISH)
def test_english(text: str) -> None:
    assert detect_language(text) == "en"


@pytest.mark.parametrize("text", UNSURE)
def test_unsure(text: str) -> None:
    assert detect_language(text) is None


def test_curly_and_straight_apostrophes_agree() -> None:
    assert detect_language("Rwy'n poeni amdano fo") == detect_language("Rwy’n poeni amdano fo")


def test_decomposed_circumflex_is_normalised() -> None:
    composed = "Mae'r tân yn y tŷ ar y stryd"
    decomposed = composed.replace("â", "a\u0302").replace("ŷ", "y\u0302")
    assert detect_language(decomposed) == detect_language(composed) == "cy"
