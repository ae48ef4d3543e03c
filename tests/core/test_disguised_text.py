"""Disguised text (issue 17): bidi controls and invisible characters found, shown as tokens, and
seen through by the risk rules ("k\u200bill myself" is still "kill myself")."""

from __future__ import annotations

import pytest

from desk.core.disguised_text import (
    Kind,
    as_displayed,
    codes,
    find,
    hidden_ascii,
    marker,
    neutralise,
    reading_text,
)
from desk.core.risk import RiskCategory, RuleSet, load_rules, rule_files
from desk.ingest.validation import nfc
from desk.resources import resource_path


@pytest.fixture(scope="module")
def rules() -> RuleSet:
    return load_rules(rule_files(resource_path("rules")))


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        ("invoice\u202efdp.exe", ["RLO"]),
        ("a\u202ab\u202bc\u202cd\u202de", ["LRE", "RLE", "PDF", "LRO"]),
        ("\u2066x\u2067y\u2068z\u2069", ["LRI", "RLI", "FSI", "PDI"]),
        ("a\u200eb\u200fc\u061cd", ["LRM", "RLM", "ALM"]),
        ("k\u200bill", ["ZWSP"]),
        ("k\u2060ill k\ufeffill k\u180eill k\u00adill", ["WJ", "BOM", "MVS", "SHY"]),
        ("k\u200dill k\u200cill", ["ZWJ", "ZWNJ"]),
    ],
)
def test_each_control_is_found_and_named(text: str, expected: list[str]) -> None:
    assert codes(find(text)) == expected


def test_honest_joiners_and_flags_are_not_flagged() -> None:
    family = "\U0001f468\u200d\U0001f469\u200d\U0001f467"  # 👨‍👩‍👧
    persian = "\u0645\u06cc\u200c\u062e\u0648\u0627\u0647\u0645"  # می‌خواهم: ZWNJ is spelling
    wales = "\U0001f3f4\U000e0067\U000e0062\U000e0077\U000e006c\U000e0073\U000e007f"
    for text in (family, persian, wales, "Diolch " + wales, "plain text, café"):
        assert find(text) == [], text
        assert neutralise(text) == text


def test_tag_characters_outside_a_flag_are_hidden_ascii() -> None:
    smuggled = "hello" + "".join(chr(0xE0000 + ord(c)) for c in "kill")
    found = find(smuggled)
    assert {d.kind for d in found} == {Kind.TAG} and len(found) == 4
    assert hidden_ascii(smuggled) == "kill"
    assert neutralise(smuggled) == "hello" + marker("TAG") * 4


def test_neutralise_shows_tokens_and_keeps_everything_else() -> None:
    text = "see invoice\u202efdp.exe now"
    assert neutralise(text) == "see invoice⟦RLO⟧fdp.exe now"
    assert neutralise("k\u200bill") == "k⟦ZWSP⟧ill"
    # a slice is shown as it is within the whole text
    assert neutralise(text, 8, 16) == "ice⟦RLO⟧fdp."
    assert neutralise("plain") == "plain"


def test_position_and_codepoint_are_reported() -> None:
    (d,) = find("ab\u202ecd")
    assert (d.index, d.code, d.codepoint, d.kind) == (2, "RLO", "U+202E", Kind.BIDI)


def test_reading_text_drops_invisibles_and_reverses_override_runs() -> None:
    assert reading_text("k\u200bill")[0] == "kill"
    reading, origin = reading_text("I \u202eflesym llik\u202c now")
    assert reading == "I kill myself now"
    assert origin[2] == 13  # the "k" is stored last in the run
    assert as_displayed("invoice\u202efdp.exe") == "invoiceexe.pdf"
    assert as_displayed("plain") is None


def test_import_normalisation_keeps_the_characters() -> None:
    """Stored exactly as received: NFC (what the importers apply) leaves every control alone."""
    text = "a\u202eb\u200bc\u200dd\u00ade\ufefff\u2066g\u061ch" + chr(0xE0041)
    assert nfc(text) == text


@pytest.mark.parametrize(
    "text",
    [
        "I want to k\u200bill myself",
        "I want to ki\u00adll myself",
        "I want to kill my\u2060self",
        "I want to \u202eflesym llik\u202c",
    ],
)
def test_risk_rules_see_through_disguise(rules: RuleSet, text: str) -> None:
    matches = rules.evaluate(text)
    assert RiskCategory.SELF_HARM in {m.category for m in matches}
    for m in matches:  # highlights stay on the stored text and cover the disguised words
        for a, b in m.spans:
            assert 0 <= a < b <= len(text)
    spans = [s for m in matches for s in m.spans]
    assert any("\u202e" not in text[a:b] and "k" in text[a:b] for a, b in spans)


def test_plain_text_matches_as_before(rules: RuleSet) -> None:
    plain = rules.evaluate("I want to kill myself")
    hidden = rules.evaluate("I want to k\u200bill myself")
    assert [m.rule_id for m in plain] == [m.rule_id for m in hidden]
    assert plain[0].spans[0][0] == hidden[0].spans[0][0]
