"""Risk rules: the default sets fire where they should and not where they should not; spans;
broken rules files refused with file and rule named; administrators' own files."""

from __future__ import annotations

from datetime import UTC, datetime, timedelta
from pathlib import Path

import pytest

from desk.core.errors import InvalidInput
from desk.core.risk import (
    DEFAULT_TARGETS,
    Priority,
    RiskCategory,
    Rule,
    RuleMatch,
    RuleSet,
    Severity,
    due_at,
    load_rules,
    priority_for,
    rule_files,
    targets_from_mapping,
)
from desk.resources import resource_path

RULES_DIR = resource_path("rules")


@pytest.fixture(scope="module")
def rules() -> RuleSet:
    return load_rules(rule_files(RULES_DIR))


def categories(rules: RuleSet, text: str) -> set[RiskCategory]:
    return {m.category for m in rules.evaluate(text)}


def write(tmp_path: Path, name: str, body: str) -> Path:
    path = tmp_path / name
    path.write_text(body, encoding="utf-8")
    return path


# --- the default rules ------------------------------------------------------------------------

POSITIVE = [
    # threat to life
    (RiskCategory.THREAT_TO_LIFE, "I know it was you. I'm going to kill you when I see you"),
    (RiskCategory.THREAT_TO_LIFE, "you better watch your back, I know where you live"),
    (RiskCategory.THREAT_TO_LIFE, "Someone is going to get a petrol bomb through the window"),
    (RiskCategory.THREAT_TO_LIFE, "man lying in the road by the Co-op, he's not breathing"),
    (RiskCategory.THREAT_TO_LIFE, "there's someone standing on the bridge over the A30"),
    (RiskCategory.THREAT_TO_LIFE, "I'll stab him if he comes near my sister again"),
    # self-harm
    (RiskCategory.SELF_HARM, "I can't do this anymore. I want to end it all tonight"),
    (RiskCategory.SELF_HARM, "honestly everyone would be better off without me"),
    (RiskCategory.SELF_HARM, "I've taken all my tablets"),
    (RiskCategory.SELF_HARM, "my brother is talking about suicide and won't answer his phone"),
    (RiskCategory.SELF_HARM, "she's been self-harming again, what do I do"),
    # crime in progress
    (RiskCategory.CRIME_IN_PROGRESS, "There's a man with a knife outside the Spar on Fore St NOW"),
    (RiskCategory.CRIME_IN_PROGRESS, "someone is trying car doors on Elm Grove right now"),
    (RiskCategory.CRIME_IN_PROGRESS, "massive fight outside Wetherspoons, please send someone"),
    (RiskCategory.CRIME_IN_PROGRESS, "Drunk driver on the M5 northbound, swerving all over"),
    (RiskCategory.CRIME_IN_PROGRESS, "heard gunshots near the park"),
    (RiskCategory.CRIME_IN_PROGRESS, "lads throwing fireworks at cars on Station Rd"),
    # domestic abuse
    (RiskCategory.DOMESTIC_ABUSE, "I'm scared of my partner, he took my phone and locked me in"),
    (RiskCategory.DOMESTIC_ABUSE, "He put his hands round my neck last night"),
    (RiskCategory.DOMESTIC_ABUSE, "can hear shouting and screaming next door again, sounds bad"),
    (RiskCategory.DOMESTIC_ABUSE, "my ex keeps turning up at my house even though he's on bail"),
    # child safeguarding
    (RiskCategory.CHILD_SAFEGUARDING, "the kids at no 4 have been left home alone all weekend"),
    (RiskCategory.CHILD_SAFEGUARDING, "an older man messaging my 13 year old on Snapchat"),
    (RiskCategory.CHILD_SAFEGUARDING, "My daughter hasn't come home from school, she's 11"),
    (RiskCategory.CHILD_SAFEGUARDING, "toddler wandering on his own by the harbour"),
    # hate
    (RiskCategory.HATE, "they should all go back to where they came from"),
    (RiskCategory.HATE, "someone needs to burn down the hotel they're using"),
    (RiskCategory.HATE, "I was racially abused on the bus this morning"),
    (RiskCategory.HATE, "swastikas sprayed on the synagogue wall"),
    # officer abuse
    (RiskCategory.OFFICER_ABUSE, "ACAB 🐷 useless pigs the lot of you"),
    (RiskCategory.OFFICER_ABUSE, "f*ck the police"),
    (RiskCategory.OFFICER_ABUSE, "I'll find out where he lives, that copper"),
    # conduct complaint
    (RiskCategory.CONDUCT_COMPLAINT, "I want to make a formal complaint about the officer"),
    (RiskCategory.CONDUCT_COMPLAINT, "The officer was rude and wouldn't give his number"),
    (RiskCategory.CONDUCT_COMPLAINT, "stopped and searched for no reason, again. Racial profiling"),
    (RiskCategory.CONDUCT_COMPLAINT, "I was assaulted by a police officer in custody"),
    # personal data
    (RiskCategory.PERSONAL_DATA, "ring him on 07700 900123 and tell him"),
    (RiskCategory.PERSONAL_DATA, "his email is dave.smith84@example.co.uk"),
    (RiskCategory.PERSONAL_DATA, "he lives at 14 Acacia Avenue, everyone knows"),
    (RiskCategory.PERSONAL_DATA, "the car was a blue Astra AB12 CDE"),
    (RiskCategory.PERSONAL_DATA, "she's at EX4 3SR if you want her"),
    # misinformation
    (RiskCategory.MISINFORMATION, "Apparently it was a stabbing not a crash, police are lying"),
    (RiskCategory.MISINFORMATION, "the attacker was an illegal who came over on a boat"),
    (RiskCategory.MISINFORMATION, "this is a cover up, share before it gets deleted"),
]


@pytest.mark.parametrize(("category", "text"), POSITIVE)
def test_default_rules_fire(rules: RuleSet, category: RiskCategory, text: str) -> None:
    assert category in categories(rules, text)


def test_every_category_has_rules_and_several_rules(rules: RuleSet) -> None:
    per_category = {c: [r for r in rules if r.category is c] for c in RiskCategory}
    assert all(len(found) >= 2 for found in per_category.values()), per_category
    assert len({(r.severity, r.category) for r in rules}) >= 12


def test_severities_a_duty_inspector_would_choose(rules: RuleSet) -> None:
    def severities(category: RiskCategory) -> set[Severity]:
        return {r.severity for r in rules if r.category is category}

    assert Severity.CRITICAL in severities(RiskCategory.THREAT_TO_LIFE)
    assert rules.get("selfharm.intent") is not None
    assert rules.get("selfharm.intent").severity is Severity.CRITICAL  # type: ignore[union-attr]
    assert severities(RiskCategory.CRIME_IN_PROGRESS) <= {Severity.CRITICAL, Severity.HIGH}
    assert Severity.HIGH in severities(RiskCategory.DOMESTIC_ABUSE)
    assert severities(RiskCategory.CHILD_SAFEGUARDING) == {Severity.HIGH}
    assert severities(RiskCategory.HATE) <= {Severity.HIGH, Severity.MEDIUM}
    assert Severity.MEDIUM in severities(RiskCategory.OFFICER_ABUSE)
    assert Severity.MEDIUM in severities(RiskCategory.CONDUCT_COMPLAINT)
    assert severities(RiskCategory.PERSONAL_DATA) == {Severity.MEDIUM}
    assert severities(RiskCategory.MISINFORMATION) <= {Severity.LOW, Severity.MEDIUM}


@pytest.mark.parametrize(
    ("text", "category"),
    [
        ("took all my tablets an hour ago lol, feel weird", RiskCategory.SELF_HARM),
        ("tired of being alive tbh haha", RiskCategory.SELF_HARM),
        ("dont send them round again or they leave in body bags", RiskCategory.THREAT_TO_LIFE),
        ("my mum won't wake up and her lips are blue", RiskCategory.THREAT_TO_LIFE),
    ],
)
def test_a_laugh_or_an_indirect_wording_does_not_hide_a_crisis(
    rules: RuleSet, text: str, category: RiskCategory
) -> None:
    # people mask a crisis with "lol"; threats and dangers are said as what will happen
    assert category in categories(rules, text), rules.evaluate(text)


def test_a_plain_joke_still_cancels_self_harm(rules: RuleSet) -> None:
    assert RiskCategory.SELF_HARM not in categories(
        rules, "if I see another cardboard box I'm ending it all 😂"
    )
    assert RiskCategory.SELF_HARM not in categories(
        rules, "only joking, I'm not going to end it all over a parking ticket"
    )


FALSE_POSITIVES = [
    "You lot are killing it with these updates 👏",
    "I could murder a pint after the week I've had",
    "dying to see the fireworks at the Hoe tonight",
    "Die Hard is a Christmas film, fight me",
    "the new sergeant is dead right about the parking",
    "killing myself laughing at the duck that stopped the traffic 😂",
    "I'll shoot you a message with the dashcam footage",
    "my dog groomer had her van broken into",  # crime yes, child grooming no
    "that video of the retirement choked me up",
    "Shared. Hope she's found safe and well 🙏",
    "Is the A38 still closed at Chudleigh? Been sat here 40 mins",
    "Road closures for the Remembrance parade on Sunday 10am to 12pm",
    "Great work by the officers at the Exeter Chiefs game",
    "invasion of privacy if you ask me, these cameras",
    "Thank you for finding my nan, the officers were so kind",
    "The M5 2 miles queue from J30",
    "Please dob in a dealer, it's anonymous",
    "we met at the dog show in 2019, fantastic day",
    "knife crime is out of control in this town",
    "A30 eastbound 40 minutes delay at Temple",
]


@pytest.mark.parametrize("text", FALSE_POSITIVES)
def test_false_positives_do_not_fire(rules: RuleSet, text: str) -> None:
    wanted = {RiskCategory.CRIME_IN_PROGRESS} if "broken into" in text else set()
    assert categories(rules, text) <= wanted, rules.evaluate(text)


def test_every_default_phrase_matches_itself(rules: RuleSet) -> None:
    for rule in rules:
        for phrase in rule.phrases:
            text = f"well {phrase.replace('*', 'ing')} ok"
            cancelled = any(u.lower() in text.lower() for u in rule.unless)
            assert cancelled or rule.id in {m.rule_id for m in rules.evaluate(text)}, (
                rule.id,
                phrase,
            )


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        ("call 07700 900123", "07700 900123"),
        ("call 07700900123 now", "07700900123"),
        ("call +44 7700 900123", "+44 7700 900123"),
        ("call 0044 7700 900123", "0044 7700 900123"),
        ("ring (01632) 960983", "(01632) 960983"),
        ("ring 0117 496 0123.", "0117 496 0123"),
        ("office 020 7946 0018", "020 7946 0018"),
    ],
)
def test_phone_numbers(rules: RuleSet, text: str, expected: str) -> None:
    (match,) = [m for m in rules.evaluate(text) if m.rule_id == "pd.phone"]
    assert match.matched == (expected,)


@pytest.mark.parametrize(
    "text",
    ["call 101 or 999", "ref 12345678", "at 10:30 on 12/11/2026", "order 0000000000000"],
)
def test_not_phone_numbers(rules: RuleSet, text: str) -> None:
    assert "pd.phone" not in {m.rule_id for m in rules.evaluate(text)}


@pytest.mark.parametrize(
    ("text", "rule_id", "expected"),
    [
        ("postcode ex4 3sr", "pd.postcode", "ex4 3sr"),
        ("SW1A 1AA", "pd.postcode", "SW1A 1AA"),
        ("M1 1AE.", "pd.postcode", "M1 1AE"),
        ("car ab12cde", "pd.vehicle", "ab12cde"),
        ("car YX65 ABC parked", "pd.vehicle", "YX65 ABC"),
        ("old Escort ABC 123D", "pd.vehicle", "ABC 123D"),
        ("the reg was KM 19 XYZ", "pd.vehicle", "reg was KM 19 XYZ"),
        ("mail: jo+desk@mail.example.org", "pd.email", "jo+desk@mail.example.org"),
        ("she lives at 3a Mill Lane", "pd.address", "3a Mill Lane"),
        ("NI number AB 12 34 56 C", "pd.identity_numbers", "AB 12 34 56 C"),
        ("card 4111 1111 1111 1111", "pd.identity_numbers", "4111 1111 1111 1111"),
        ("his DOB is 1 May 1990", "pd.date_of_birth", "DOB"),
    ],
)
def test_personal_data_shapes(rules: RuleSet, text: str, rule_id: str, expected: str) -> None:
    found = {m.rule_id: m for m in rules.evaluate(text)}
    assert rule_id in found, found
    assert expected in found[rule_id].matched


@pytest.mark.parametrize(
    "text",
    [
        "the A38 was shut for 2 hours",
        "up 10 and the M5 was moving",
        "covid19 and flu jabs",
        "@ExampleshirePolice great job",
        "5 Minutes from the station",
    ],
)
def test_personal_data_false_positives(rules: RuleSet, text: str) -> None:
    assert RiskCategory.PERSONAL_DATA not in categories(rules, text), rules.evaluate(text)


# --- spans ------------------------------------------------------------------------------------


def test_spans_highlight_exactly_the_words(rules: RuleSet) -> None:
    text = "Honestly mate, I’m going to KILL  you. Ring me 07700 900123"
    found = {m.rule_id: m for m in rules.evaluate(text)}
    threat = found["threat.kill"]
    assert threat.matched == ("I’m going to KILL  you",)
    (start, end) = threat.spans[0]
    assert text[start:end] == "I’m going to KILL  you"
    phone = found["pd.phone"]
    assert [text[a:b] for a, b in phone.spans] == ["07700 900123"]
    assert rules.evaluate(text)[0].rule_id == "threat.kill"  # most urgent first


def test_spans_are_true_when_lower_case_changes_length(rules: RuleSet) -> None:
    # "İ".lower() is two characters: offsets must still point into the original text
    text = "İİİ İstanbul: I will kill you"
    assert len(text.lower()) != len(text)
    (match,) = [m for m in rules.evaluate(text) if m.rule_id == "threat.kill"]
    assert match.matched == ("I will kill you",)
    assert text[match.spans[0][0] : match.spans[0][1]] == "I will kill you"


def test_several_matches_of_one_rule_each_have_a_span(rules: RuleSet) -> None:
    text = "call 07700 900123 or 07700 900456"
    (match,) = rules.evaluate(text)
    assert match.matched == ("07700 900123", "07700 900456")
    assert all(text[a:b] == s for (a, b), s in zip(match.spans, match.matched, strict=True))


# --- phrases: tolerance, wildcards, unless ----------------------------------------------------


def one_rule(tmp_path: Path, body: str) -> RuleSet:
    return load_rules([write(tmp_path, "test.toml", body)])


def test_phrase_tolerance_and_wildcard(tmp_path: Path) -> None:
    rs = one_rule(
        tmp_path,
        """
[[rule]]
id = "t.one"
category = "threat_to_life"
severity = "critical"
description = "test"
phrases = ["kill you", "stab*", "i'm coming"]
unless = ["stab in the dark"]
""",
    )
    hits = {
        text: [m.matched for m in rs.evaluate(text)]
        for text in [
            "KILL YOU",
            "kill   you",
            "kill... you!",
            "kill-you",
            "kill\nyou",
            "skill you",
            "kill your",
            "killyou",
            "stabbed him",
            "stabbing",
            "a stab in the dark",
            "stable",
            "Im coming",
            "I’m coming",
            "i'm coming",
        ]
    }
    assert hits["KILL YOU"] == [("KILL YOU",)]
    assert hits["kill   you"] == [("kill   you",)]
    assert hits["kill... you!"] == [("kill... you",)]
    assert hits["kill-you"] == [("kill-you",)]
    assert hits["kill\nyou"] == [("kill\nyou",)]
    assert hits["skill you"] == hits["kill your"] == hits["killyou"] == []
    assert hits["stabbed him"] == [("stabbed",)]
    assert hits["stabbing"] == [("stabbing",)]
    assert hits["a stab in the dark"] == []
    assert hits["stable"] == [("stable",)]  # a wildcard is a wildcard: choose stems with care
    assert hits["Im coming"] == [("Im coming",)]
    assert hits["I’m coming"] == [("I’m coming",)]


def test_unless_cancels_only_what_it_overlaps(rules: RuleSet) -> None:
    text = "you're killing it. But I will kill you"
    (match,) = [m for m in rules.evaluate(text) if m.rule_id == "threat.kill"]
    assert match.matched == ("I will kill you",)
    assert rules.evaluate("I could murder a pint") == []


# --- priority and targets ---------------------------------------------------------------------


def match(severity: Severity) -> RuleMatch:
    return RuleMatch("x", RiskCategory.HATE, severity, "d", ((0, 1),), ("a",))


def test_priority_for() -> None:
    assert priority_for([]) is Priority.P4
    assert priority_for([match(Severity.LOW)]) is Priority.P4
    assert priority_for([match(Severity.MEDIUM), match(Severity.HIGH)]) is Priority.P2
    assert priority_for([match(Severity.CRITICAL), match(Severity.LOW)]) is Priority.P1
    assert [s.priority for s in Severity] == [Priority.P1, Priority.P2, Priority.P3, Priority.P4]
    assert Priority.P1 < Priority.P4


def test_priorities_of_real_texts(rules: RuleSet) -> None:
    assert priority_for(rules.evaluate("I want to kill myself")) is Priority.P1
    assert priority_for(rules.evaluate("he choked me")) is Priority.P1
    assert priority_for(rules.evaluate("my ex is outside my house")) is Priority.P2
    assert priority_for(rules.evaluate("call me on 07700 900123")) is Priority.P3
    assert priority_for(rules.evaluate("apparently there was a crash")) is Priority.P4
    assert priority_for(rules.evaluate("thanks for the update")) is Priority.P4


def test_targets() -> None:
    targets = DEFAULT_TARGETS
    assert targets == {
        Priority.P1: timedelta(minutes=15),
        Priority.P2: timedelta(hours=1),
        Priority.P3: timedelta(hours=4),
        Priority.P4: timedelta(hours=24),
    }
    arrived = datetime(2026, 11, 26, 9, 0, tzinfo=UTC)
    assert due_at(Priority.P1, arrived) == datetime(2026, 11, 26, 9, 15, tzinfo=UTC)
    custom = targets_from_mapping({"P1": "10m", "p2": 30, "P4": "12h"})
    assert custom[Priority.P1] == timedelta(minutes=10)
    assert custom[Priority.P2] == timedelta(minutes=30)
    assert custom[Priority.P3] == timedelta(hours=4)
    assert custom[Priority.P4] == timedelta(hours=12)
    assert due_at(Priority.P2, arrived, custom) == datetime(2026, 11, 26, 9, 30, tzinfo=UTC)


@pytest.mark.parametrize(
    ("table", "fragment"),
    [
        ({"P5": "1h"}, "unknown priority 'P5'"),
        ({"P1": "soon"}, "not a positive duration"),
        ({"P1": 0}, "not a positive duration"),
        ({"P1": True}, "not a positive duration"),
        ({"P1": "2h"}, "more urgent priority cannot have a longer target"),
    ],
)
def test_bad_targets(table: dict[str, object], fragment: str) -> None:
    with pytest.raises(InvalidInput, match=fragment):
        targets_from_mapping(table)


# --- loading and refusing ---------------------------------------------------------------------

GOOD = """
[[rule]]
id = "local.one"
category = "hate"
severity = "high"
description = "A local slur list would go here"
phrases = ["exampleword"]
"""


def test_administrator_file_adds_a_rule(tmp_path: Path, rules: RuleSet) -> None:
    extra = write(tmp_path, "local.toml", GOOD)
    combined = load_rules([*rule_files(RULES_DIR), extra])
    assert len(combined) == len(rules) + 1
    (found,) = combined.evaluate("such an Exampleword")
    assert (found.rule_id, found.category, found.severity) == (
        "local.one",
        RiskCategory.HATE,
        Severity.HIGH,
    )
    assert combined.get("local.one").source == extra  # type: ignore[union-attr]


def test_administrator_file_disables_a_default(tmp_path: Path, rules: RuleSet) -> None:
    extra = write(tmp_path, "local.toml", 'disable = ["misinfo.rumour"]\n')
    combined = load_rules([*rule_files(RULES_DIR), extra])
    assert combined.get("misinfo.rumour") is None
    assert len(combined) == len(rules) - 1
    assert combined.evaluate("apparently there was a crash") == []


def test_rule_files_are_sorted_tomls(tmp_path: Path) -> None:
    write(tmp_path, "b.toml", "")
    write(tmp_path, "a.toml", "")
    write(tmp_path, "notes.md", "")
    assert [p.name for p in rule_files(tmp_path)] == ["a.toml", "b.toml"]
    assert len(load_rules(rule_files(tmp_path))) == 0


def rule_text(**fields: str) -> str:
    base = {
        "id": '"local.bad"',
        "category": '"hate"',
        "severity": '"high"',
        "description": '"d"',
        "phrases": '["word"]',
    }
    base.update(fields)
    return "[[rule]]\n" + "".join(f"{k} = {v}\n" for k, v in base.items() if v != "-")


BROKEN = [
    (rule_text(phrases="-", patterns="['(unclosed']"), "bad regular expression '(unclosed'"),
    (rule_text(category='"threats"'), "unknown category 'threats'"),
    (rule_text(severity='"urgent"'), "unknown severity 'urgent'"),
    (rule_text(description="-"), "missing field 'description'"),
    (rule_text(phrases="-"), "missing field 'phrases', 'near' or 'patterns'"),
    (rule_text(phrases='["st*ab"]'), "'*' may only end the last word"),
    (rule_text(phrases='["..."]'), "has no words"),
    (rule_text(phrases='"word"', phrase='["typo"]'), "unknown field 'phrase'"),
    (rule_text(id='"Bad Id"'), "id 'Bad Id' must be"),
    (rule_text(phrases="-", patterns="['x*']"), "matches empty text"),
    (rule_text(requires="'@'"), "'requires' only applies to 'patterns'"),
    (rule_text(phrases="[1, 2]"), "'phrases' must be a list of non-empty texts"),
    (rule_text(case_sensitive='"yes"'), "'case_sensitive' must be true or false"),
]


@pytest.mark.parametrize(("body", "fragment"), BROKEN)
def test_broken_rule_is_refused_naming_file_and_rule(
    tmp_path: Path, body: str, fragment: str
) -> None:
    path = write(tmp_path, "local.toml", GOOD + "\n" + body)
    with pytest.raises(InvalidInput) as caught:
        load_rules([path])
    message = caught.value.message
    assert str(path) in message
    assert fragment in message
    assert "rule 2" in message  # the second rule in the file
    if "Bad Id" not in body:
        assert "'local.bad'" in message


def test_missing_id_names_the_rule_by_position(tmp_path: Path) -> None:
    path = write(tmp_path, "local.toml", GOOD + "\n" + rule_text(id="-"))
    with pytest.raises(InvalidInput, match=r"local\.toml: rule 2: missing field 'id'"):
        load_rules([path])


def test_duplicate_id_across_files_names_both(tmp_path: Path) -> None:
    first = write(tmp_path, "a.toml", GOOD)
    second = write(tmp_path, "b.toml", GOOD)
    with pytest.raises(InvalidInput) as caught:
        load_rules([first, second])
    assert str(second) in caught.value.message
    assert str(first) in caught.value.message
    assert "'local.one'" in caught.value.message and "duplicate id" in caught.value.message


def test_duplicate_of_a_default_rule_is_refused(tmp_path: Path) -> None:
    clash = write(tmp_path, "z.toml", GOOD.replace("local.one", "threat.kill"))
    with pytest.raises(InvalidInput, match=r"'threat.kill'.*duplicate id"):
        load_rules([*rule_files(RULES_DIR), clash])


@pytest.mark.parametrize(
    ("body", "fragment"),
    [
        ("[[rule]\nid = 1", "not valid TOML"),
        ("colour = 'red'\n", "unknown top-level key 'colour'"),
        ("rule = 'x'\n", "'rule' must be written as [[rule]] tables"),
        ('disable = ["nope.never"]\n', "'disable' names rule 'nope.never'"),
        ("disable = 'x'\n", "'disable' must be a list"),
    ],
)
def test_broken_files(tmp_path: Path, body: str, fragment: str) -> None:
    path = write(tmp_path, "broken.toml", body)
    with pytest.raises(InvalidInput) as caught:
        load_rules([path])
    assert str(path) in caught.value.message and fragment in caught.value.message


def test_unreadable_file(tmp_path: Path) -> None:
    missing = tmp_path / "missing.toml"
    with pytest.raises(InvalidInput, match=r"missing.toml: cannot be read"):
        load_rules([missing])
    latin = tmp_path / "latin.toml"
    latin.write_bytes(b"# caf\xe9\n")
    with pytest.raises(InvalidInput, match=r"latin.toml"):
        load_rules([latin])


def test_ruleset_from_rules_directly() -> None:
    rule = Rule("x.one", RiskCategory.HATE, Severity.LOW, "d", phrases=("abc",))
    rs = RuleSet([rule])
    assert [m.rule_id for m in rs.evaluate("ABC")] == ["x.one"]
    assert list(rs) == [rule] and rs.rules == (rule,)
    with pytest.raises(InvalidInput, match=r"duplicate rule id 'x.one'"):
        RuleSet([rule, rule])
    with pytest.raises(InvalidInput, match=r"'x.two': does not compile"):
        RuleSet([Rule("x.two", RiskCategory.HATE, Severity.LOW, "d", patterns=("(",))])


def test_empty_text(rules: RuleSet) -> None:
    assert rules.evaluate("") == []


def test_requires_gates_the_patterns(tmp_path: Path) -> None:
    rs = one_rule(
        tmp_path,
        """
[[rule]]
id = "t.ref"
category = "personal_data"
severity = "medium"
description = "Reference numbers"
requires = 'ref'
patterns = ['\\d{6}']
""",
    )
    assert [m.matched for m in rs.evaluate("crime ref 123456")] == [("123456",)]
    assert rs.evaluate("order 123456") == []  # the hint is not there: the pattern is not tried


def test_case_sensitive_patterns(tmp_path: Path) -> None:
    rs = one_rule(
        tmp_path,
        """
[[rule]]
id = "t.upper"
category = "personal_data"
severity = "medium"
description = "Upper case only"
case_sensitive = true
patterns = ['\\bXY\\d\\b']
""",
    )
    assert rs.evaluate("see XY1") and not rs.evaluate("see xy1")


def test_disable_and_redefine_a_default(tmp_path: Path) -> None:
    extra = write(
        tmp_path,
        "local.toml",
        'disable = ["misinfo.rumour"]\n\n'
        + GOOD.replace("local.one", "misinfo.rumour")
        .replace('"hate"', '"misinformation"')
        .replace('"high"', '"low"'),
    )
    combined = load_rules([*rule_files(RULES_DIR), extra])
    assert combined.get("misinfo.rumour").source == extra  # type: ignore[union-attr]
    assert combined.evaluate("apparently there was a crash") == []
    assert [m.rule_id for m in combined.evaluate("exampleword")] == ["misinfo.rumour"]


def test_one_search_for_every_requires_hint_changes_no_result(rules: RuleSet) -> None:
    from desk.core import risk
    from desk.sample import generate

    assert rules._requires_any is not None  # the shipped pattern rules all carry a hint
    texts = [i.text for i in generate(3000, seed=11)] + [
        "Ring 07700 900123",
        "mail jo.bloggs@example.com",
        "EX4 3SR",
        "reg AB12 CDE",
        "14 Acacia Avenue",
        "QQ 12 34 56 C",
    ]
    gated = [rules.evaluate(t) for t in texts]
    ungated = RuleSet(rules.rules)
    ungated._requires_any = None
    assert gated == [ungated.evaluate(t) for t in texts]
    assert sum(1 for found in gated if found) > 50
    assert risk._requires_any(()) is None
