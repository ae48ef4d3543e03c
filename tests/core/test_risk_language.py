"""Rules read words as people write them: word forms, misspellings, text-speak, Welsh mutations,
words near each other, negation, context that cancels, and each flag still explains itself."""

from __future__ import annotations

from pathlib import Path

import pytest

from desk.core.errors import InvalidInput
from desk.core.risk import RiskCategory, RuleSet, expand_terms, load_rules, rule_files
from desk.core.risk_words import fold, spellings, tokenise, word_forms
from desk.resources import resource_path


@pytest.fixture(scope="module")
def rules() -> RuleSet:
    return load_rules(rule_files(resource_path("rules")))


def one_rule(tmp_path: Path, body: str) -> RuleSet:
    path = tmp_path / "local.toml"
    path.write_text(body, encoding="utf-8")
    return load_rules([path])


RULE = """
[[rule]]
id = "t.rule"
category = "threat_to_life"
severity = "critical"
description = "test"
"""


def matched(rules: RuleSet, text: str) -> list[tuple[str, ...]]:
    return [m.matched for m in rules.evaluate(text)]


# --- the three messages the issue reported as missed -------------------------------------------


@pytest.mark.parametrize(
    ("text", "category"),
    [
        (
            "Someone just smashed the window of the shop on the high street and ran off "
            "towards the park",
            RiskCategory.CRIME_IN_PROGRESS,
        ),
        (
            "How do I complain about an officer who swore at me when I asked for directions?",
            RiskCategory.CONDUCT_COMPLAINT,
        ),
        ("I hope that officer gets stabbed", RiskCategory.THREAT_TO_LIFE),
        ("I hope that officer gets stabbed", RiskCategory.OFFICER_ABUSE),
    ],
)
def test_the_reported_misses_are_flagged(rules: RuleSet, text: str, category: RiskCategory) -> None:
    assert category in {m.category for m in rules.evaluate(text)}, rules.evaluate(text)


def test_venting_with_a_denial_is_not_self_harm(rules: RuleSet) -> None:
    found = {m.category for m in rules.evaluate("I'm not going to hurt myself, just venting")}
    assert RiskCategory.SELF_HARM not in found
    assert RiskCategory.SELF_HARM in {
        m.category for m in rules.evaluate("I'm going to hurt myself tonight")
    }


# --- words ----------------------------------------------------------------------------------


def test_tokens_keep_their_place_and_fold_case_accents_and_apostrophes() -> None:
    text = "I’M Gonna  stab U"
    tokens = tokenise(text)
    assert [t.word for t in tokens] == ["i", "am", "going", "to", "stab", "you"]
    assert [text[t.start : t.end] for t in tokens] == ["I’M", "I’M", "Gonna", "Gonna", "stab", "U"]
    assert fold("Dŵr") == "dwr"


def test_a_letter_held_down_is_read_both_ways() -> None:
    assert spellings("killll") == ("killll", "kill", "kil")
    assert spellings("kill") == ("kill",)


@pytest.mark.parametrize(
    ("form", "lemma"),
    [("stabbed", "stab"), ("stabbing", "stab"), ("smashed", "smash"), ("knives", "knife")],
)
def test_english_word_forms(form: str, lemma: str) -> None:
    assert lemma in word_forms(form)


def test_welsh_mutations_are_undone() -> None:
    assert "lladd" in word_forms("ladd")
    assert "trywanu" in word_forms("drywanu")


def test_english_words_are_not_read_as_welsh() -> None:
    assert word_forms("me") == {"me", "i"}  # not the Welsh "beth" a mutation could hide


# --- phrases by word form -------------------------------------------------------------------


def test_a_phrase_matches_the_forms_of_its_words(tmp_path: Path) -> None:
    rs = one_rule(tmp_path, RULE + 'phrases = ["stab him", "smash the window"]\n')
    assert matched(rs, "he STABBED him") == [("STABBED him",)]
    assert matched(rs, "they're smashing the window") == [("smashing the window",)]
    assert matched(rs, "stab them") == []
    assert matched(rs, "stable him") == []


def test_a_misspelling_one_letter_away_matches_an_unknown_word_only(tmp_path: Path) -> None:
    rs = one_rule(tmp_path, RULE + 'phrases = ["suicide", "shoot"]\n')
    assert matched(rs, "thinking about sucide") == [("sucide",)]
    assert matched(rs, "suicde") == [("suicde",)]
    assert matched(rs, "don't shout") == []  # "shout" is a word of its own, not a misspelling


def test_text_speak_is_read_as_the_words_it_stands_for(tmp_path: Path) -> None:
    rs = one_rule(tmp_path, RULE + 'phrases = ["going to kill you"]\n')
    assert matched(rs, "im gonna kill u") == [("gonna kill u",)]
    assert matched(rs, "I'm going to kill you") == [("going to kill you",)]


def test_punctuation_and_spaces_between_words_do_not_matter(tmp_path: Path) -> None:
    rs = one_rule(tmp_path, RULE + 'phrases = ["kill you"]\n')
    for text in ("KILL YOU", "kill   you", "kill... you!", "kill-you", "kill\nyou"):
        assert matched(rs, text), text
    for text in ("skill you", "killyou", "kill all of you"):
        assert matched(rs, text) == [], text


def test_a_star_ends_a_word_with_any_ending(tmp_path: Path) -> None:
    rs = one_rule(tmp_path, RULE + 'phrases = ["stab*"]\n')
    assert matched(rs, "stabby stabby") == [("stabby", "stabby")]


def test_welsh_phrases_match_mutated_forms(tmp_path: Path) -> None:
    rs = one_rule(tmp_path, RULE + 'phrases = ["lladd"]\n')
    assert matched(rs, "dwi am dy ladd di") == [("ladd",)]


# --- near, negation, cancelling -------------------------------------------------------------


def test_near_needs_a_phrase_of_every_group_close_together(tmp_path: Path) -> None:
    rs = one_rule(tmp_path, RULE + 'near = [["smash", "break in"], ["now", "just"]]\nwithin = 5\n')
    assert matched(rs, "they just smashed the window") == [("just", "smashed")]
    assert matched(rs, "someone breaking in right now") == [("breaking in", "now")]
    assert matched(rs, "smashed it") == []
    far = "smashed " + "word " * 10 + "now"
    assert matched(rs, far) == []


def test_a_negation_cancels_a_negatable_rule(tmp_path: Path) -> None:
    rs = one_rule(tmp_path, RULE + 'phrases = ["hurt myself"]\nnegatable = true\n')
    assert matched(rs, "I'm not going to hurt myself") == []
    assert matched(rs, "i wont ever hurt myself") == []
    assert matched(rs, "dwi ddim am hurt myself") == []
    assert matched(rs, "not sure why but I want to hurt myself") == [("hurt myself",)]
    assert matched(rs, "I'm going to hurt myself") == [("hurt myself",)]


def test_a_negation_inside_a_phrase_breaks_it(tmp_path: Path) -> None:
    rs = one_rule(tmp_path, RULE + 'phrases = ["want to die"]\n')
    assert matched(rs, "I want to die") == [("want to die",)]
    assert matched(rs, "I want to not die") == []


def test_unless_cancels_what_it_overlaps_and_not_with_the_whole_rule(tmp_path: Path) -> None:
    rs = one_rule(
        tmp_path,
        RULE + 'phrases = ["kill"]\nunless = ["killing it"]\nnot_with = ["fortnite"]\n',
    )
    assert matched(rs, "you're killing it. I will kill you") == [("kill",)]
    assert matched(rs, "got killed in fortnite") == []


def test_terms_are_shared_lists_a_later_file_adds_to(tmp_path: Path) -> None:
    first = tmp_path / "a.toml"
    first.write_text('[terms]\nweapon = ["knife"]\n' + RULE + 'phrases = ["@weapon"]\n')
    second = tmp_path / "b.toml"
    second.write_text('[terms]\nweapon = ["machete"]\n')
    rs = load_rules([first, second])
    assert matched(rs, "he has a machete") == [("machete",)]
    assert matched(rs, "he has a knife") == [("knife",)]


def test_expand_terms() -> None:
    terms = {"who": ["you", "him"], "verb": ["kill", "stab @who"]}
    assert expand_terms("i will @verb", terms) == [
        "i will kill",
        "i will stab you",
        "i will stab him",
    ]
    with pytest.raises(ValueError, match="unknown term"):
        expand_terms("@nope", terms)
    with pytest.raises(ValueError, match="circle"):
        expand_terms("@a", {"a": ["@b"], "b": ["@a"]})


@pytest.mark.parametrize(
    ("body", "fragment"),
    [
        ('phrases = ["@nope"]\n', "unknown term '@nope'"),
        ('near = [["a"]]\n', "'near' must be a list of two or more lists"),
        ('near = [["a"], "b"]\n', "'near' must be a list of two or more lists"),
        ('phrases = ["a"]\nwithin = 0\n', "'within' must be a whole number"),
        ('phrases = ["a"]\nnegatable = "yes"\n', "'negatable' must be true or false"),
        ('phrases = ["a"]\nnot_with = [""]\n', "'not_with' must be a list of non-empty texts"),
    ],
)
def test_bad_new_fields_are_refused_naming_the_rule(
    tmp_path: Path, body: str, fragment: str
) -> None:
    with pytest.raises(InvalidInput, match=r"t\.rule") as refused:
        one_rule(tmp_path, RULE + body)
    assert fragment in str(refused.value)


def test_bad_terms_table_is_refused(tmp_path: Path) -> None:
    with pytest.raises(InvalidInput, match="term 'Bad Name'"):
        one_rule(tmp_path, '[terms]\n"Bad Name" = ["x"]\n' + RULE + 'phrases = ["x"]\n')
    with pytest.raises(InvalidInput, match="must be a list of texts"):
        one_rule(tmp_path, '[terms]\nw = "x"\n' + RULE + 'phrases = ["x"]\n')


def test_every_flag_names_its_rule_and_highlights_its_words(rules: RuleSet) -> None:
    text = "omg someone is smashing the shop window right now and legging it"
    for match in rules.evaluate(text):
        assert match.rule_id and match.description
        for (start, end), words in zip(match.spans, match.matched, strict=True):
            assert text[start:end] == words and words.strip()
