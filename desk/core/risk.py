"""Risk rules: which words in an item suggest danger, and how fast the desk must respond.

Rules live in readable TOML files (``resources/rules/*.toml`` plus any an administrator adds).
Each rule has an id, a category, a severity and a description, and matches phrases, words near
each other, or regular expressions (phone numbers, postcodes and the like).

Phrases are matched by word forms, not by spelling (see :mod:`desk.core.risk_words` and
:mod:`desk.core.risk_match`): "stab" finds "stabbed", "stabbing" and "stabed", "gonna" is read
as "going to", and Welsh mutations are undone ("ladd" is "lladd"). A rule may be cancelled by a
negation ("not going to hurt myself"), by an ``unless`` phrase it overlaps ("killing it") or by a
``not_with`` phrase anywhere in the text ("last year"). Every match keeps the offsets of the words
that fired it, for highlighting, and names its rule, so each flag explains itself.

:func:`load_rules` reads and validates the files once at start-up; :meth:`RuleSet.evaluate`
then runs on every item.
"""

from __future__ import annotations

import copy
import re
import tomllib
from collections.abc import Iterable, Iterator, Mapping, Sequence
from dataclasses import dataclass
from datetime import datetime, timedelta
from enum import IntEnum, StrEnum
from pathlib import Path
from typing import TYPE_CHECKING, Any, TypeVar, cast

from desk.core.errors import InvalidInput
from desk.core.risk_match import Found, PhraseMatcher, negated, phrase_words_checked, spans_of
from desk.core.risk_words import Token

if TYPE_CHECKING:
    from desk.core.risk_model import RiskModel

__all__ = [
    "DEFAULT_TARGETS",
    "Priority",
    "RiskCategory",
    "Rule",
    "RuleMatch",
    "RuleSet",
    "Severity",
    "due_at",
    "load_rules",
    "priority_for",
    "rule_files",
    "targets_from_mapping",
]


class RiskCategory(StrEnum):
    """What kind of risk a rule points at."""

    THREAT_TO_LIFE = "threat_to_life"
    SELF_HARM = "self_harm"
    CRIME_IN_PROGRESS = "crime_in_progress"
    DOMESTIC_ABUSE = "domestic_abuse"
    CHILD_SAFEGUARDING = "child_safeguarding"
    HATE = "hate"
    OFFICER_ABUSE = "officer_abuse"
    CONDUCT_COMPLAINT = "conduct_complaint"
    PERSONAL_DATA = "personal_data"
    MISINFORMATION = "misinformation"


class Priority(IntEnum):
    """How urgently an item needs a person: P1 first."""

    P1 = 1
    P2 = 2
    P3 = 3
    P4 = 4


class Severity(StrEnum):
    """How serious a rule's match is; each severity maps to one priority."""

    CRITICAL = "critical"
    HIGH = "high"
    MEDIUM = "medium"
    LOW = "low"

    @property
    def priority(self) -> Priority:
        """The priority an item gets when its worst match has this severity."""
        return _SEVERITY_PRIORITY[self]


_SEVERITY_PRIORITY = {
    Severity.CRITICAL: Priority.P1,
    Severity.HIGH: Priority.P2,
    Severity.MEDIUM: Priority.P3,
    Severity.LOW: Priority.P4,
}

DEFAULT_TARGETS: dict[Priority, timedelta] = {
    Priority.P1: timedelta(minutes=15),
    Priority.P2: timedelta(hours=1),
    Priority.P3: timedelta(hours=4),
    Priority.P4: timedelta(hours=24),
}
"""Default response targets: how long after arrival an item of each priority should be handled.

Treat as read-only; build another table with :func:`targets_from_mapping` to change them.
"""


MODEL_SEVERITY: dict[RiskCategory, Severity] = {
    RiskCategory.THREAT_TO_LIFE: Severity.HIGH,
    RiskCategory.SELF_HARM: Severity.HIGH,
    RiskCategory.CRIME_IN_PROGRESS: Severity.HIGH,
    RiskCategory.DOMESTIC_ABUSE: Severity.HIGH,
    RiskCategory.CHILD_SAFEGUARDING: Severity.HIGH,
    RiskCategory.HATE: Severity.MEDIUM,
    RiskCategory.OFFICER_ABUSE: Severity.MEDIUM,
    RiskCategory.CONDUCT_COMPLAINT: Severity.MEDIUM,
    RiskCategory.PERSONAL_DATA: Severity.MEDIUM,
    RiskCategory.MISINFORMATION: Severity.LOW,
}
"""How urgent a flag of the statistical model is: a step below the rules' worst, since a
model's flag is less certain than a rule's; but never so low that a possible threat to life
waits behind routine questions."""

DEFAULT_WITHIN = 8
"""How many words apart a ``near`` rule's groups may be, unless the rule says ``within``."""


@dataclass(frozen=True, slots=True)
class Rule:
    """One risk rule as written in a rules file."""

    id: str
    category: RiskCategory
    severity: Severity
    description: str
    phrases: tuple[str, ...] = ()
    patterns: tuple[str, ...] = ()
    unless: tuple[str, ...] = ()
    case_sensitive: bool = False
    requires: str | None = None
    source: Path | None = None
    near: tuple[tuple[str, ...], ...] = ()
    within: int = DEFAULT_WITHIN
    negatable: bool = False
    not_with: tuple[str, ...] = ()

    @property
    def priority(self) -> Priority:
        """The priority this rule's severity maps to."""
        return self.severity.priority


@dataclass(frozen=True, slots=True)
class RuleMatch:
    """Where one rule matched a text.

    ``spans`` are ``(start, end)`` offsets into the original text, in order and not
    overlapping; ``matched`` holds the text of each span.
    """

    rule_id: str
    category: RiskCategory
    severity: Severity
    description: str
    spans: tuple[tuple[int, int], ...]
    matched: tuple[str, ...]

    @property
    def priority(self) -> Priority:
        """The priority this match asks for."""
        return self.severity.priority


def priority_for(matches: Iterable[RuleMatch]) -> Priority:
    """Return the most urgent priority among ``matches``, or P4 when there are none."""
    return min((m.severity.priority for m in matches), default=Priority.P4)


def due_at(
    priority: Priority, arrived: datetime, targets: Mapping[Priority, timedelta] | None = None
) -> datetime:
    """Return when an item of ``priority`` that arrived at ``arrived`` should have been handled."""
    return arrived + (DEFAULT_TARGETS if targets is None else targets)[priority]


_DURATION = re.compile(r"^\s*(\d+)\s*(m|min|mins|minutes?|h|hr|hrs|hours?)?\s*$", re.IGNORECASE)


def targets_from_mapping(table: Mapping[str, object]) -> dict[Priority, timedelta]:
    """Build a response-target table from settings such as ``{"P1": "15m", "P2": "1h"}``.

    Keys are ``P1`` to ``P4`` (missing ones keep their default); values are minutes as an
    integer or text such as ``"15m"``, ``"90 min"``, ``"4h"``. Each target must be positive and
    no priority may have a longer target than a less urgent one.

    Raises:
        InvalidInput: an unknown priority, an unreadable duration, or targets out of order.
    """
    targets = dict(DEFAULT_TARGETS)
    for key, value in table.items():
        try:
            priority = Priority[key.strip().upper()]
        except KeyError:
            raise InvalidInput(
                f"Response targets: unknown priority {key!r}; expected P1, P2, P3 or P4"
            ) from None
        targets[priority] = _duration(key, value)
    ordered = [targets[p] for p in Priority]
    if ordered != sorted(ordered):
        raise InvalidInput(
            "Response targets: a more urgent priority cannot have a longer target than a less "
            "urgent one (" + ", ".join(f"{p.name} {targets[p]}" for p in Priority) + ")"
        )
    return targets


def _duration(key: str, value: object) -> timedelta:
    minutes: int | None = None
    if isinstance(value, int) and not isinstance(value, bool):
        minutes = value
    elif isinstance(value, str) and (m := _DURATION.match(value)):
        number = int(m.group(1))
        unit = (m.group(2) or "m").lower()
        minutes = number * 60 if unit.startswith("h") else number
    if minutes is None or minutes <= 0:
        raise InvalidInput(
            f"Response targets: {key} target {value!r} is not a positive duration; "
            "give minutes, or text such as '15m' or '4h'"
        )
    return timedelta(minutes=minutes)


# --- loading --------------------------------------------------------------------------------

_E = TypeVar("_E", bound=StrEnum)

_RULE_KEYS = {
    "id",
    "category",
    "severity",
    "description",
    "phrases",
    "patterns",
    "unless",
    "case_sensitive",
    "requires",
    "near",
    "within",
    "negatable",
    "not_with",
}
_FILE_KEYS = {"rule", "disable", "terms"}
_ID = re.compile(r"^[a-z0-9][a-z0-9_.\-]*$")
_TERM = re.compile(r"@([a-z][a-z0-9_]*)")
_TERM_NAME = re.compile(r"^[a-z][a-z0-9_]*$")
_MAX_EXPANSIONS = 20_000


def rule_files(folder: Path) -> list[Path]:
    """Return the ``*.toml`` files directly in ``folder``, sorted by name (the loading order)."""
    return sorted(p for p in folder.glob("*.toml") if p.is_file())


def load_rules(paths: Iterable[Path]) -> RuleSet:
    """Read, validate and compile the rules in ``paths`` (in the order given).

    A file holds ``[[rule]]`` tables, and may hold ``disable = ["rule.id", ...]`` to switch off
    rules from files loaded before it (how an administrator retires or replaces a default rule
    without editing it); a file's own rules may then reuse a disabled id. A ``[terms]`` table
    names lists of words that phrases use as ``@name`` ("@weapon"); a term named again in a
    later file gains its words, so a force can add its own.

    Raises:
        InvalidInput: a file cannot be read or is not TOML, or a rule is broken (missing or
            unknown field, unknown category or severity, bad phrase or regular expression,
            unknown term, duplicate id); the message names the file and the rule.
    """
    paths = [Path(path) for path in paths]
    key = _files_key(paths)
    if key is not None and key in _COMPILED:
        return _COMPILED[key]
    compiled = _load(paths)
    if key is not None:
        if len(_COMPILED) >= 8:
            _COMPILED.pop(next(iter(_COMPILED)))
        _COMPILED[key] = compiled
    return compiled


_COMPILED: dict[tuple[tuple[str, int, int], ...], RuleSet] = {}
"""Rule sets already compiled, by their files' names, sizes and change times: a set is
immutable, and compiling the shipped rules takes most of a second."""


def _files_key(paths: list[Path]) -> tuple[tuple[str, int, int], ...] | None:
    try:
        return tuple((str(p.resolve()), p.stat().st_size, p.stat().st_mtime_ns) for p in paths)
    except OSError:
        return None  # read again, so that the error is reported as usual


def _load(paths: list[Path]) -> RuleSet:
    documents = [(path, _read_document(path)) for path in paths]
    terms: dict[str, list[str]] = {}
    for path, document in documents:
        for name, words in _terms_of(path, document).items():
            terms.setdefault(name, []).extend(words)
    rules: dict[str, Rule] = {}
    for path, document in documents:
        disable = document.get("disable", [])
        if not isinstance(disable, list) or not all(isinstance(d, str) for d in disable):
            raise InvalidInput(f"Rules file {path}: 'disable' must be a list of rule ids")
        for rule_id in disable:
            if rules.pop(rule_id, None) is None:
                raise InvalidInput(
                    f"Rules file {path}: 'disable' names rule {rule_id!r}, which no earlier "
                    "file defines"
                )
        raw_rules = document.get("rule", [])
        if not isinstance(raw_rules, list):
            raise InvalidInput(f"Rules file {path}: 'rule' must be written as [[rule]] tables")
        for index, raw in enumerate(raw_rules, start=1):
            rule = _parse_rule(path, index, raw, terms)
            if rule.id in rules:
                first = rules[rule.id].source
                raise InvalidInput(
                    f"Rules file {path}: rule {rule.id!r} (rule {index}): duplicate id; "
                    f"{first} already defines it"
                )
            rules[rule.id] = rule
    return RuleSet(rules.values())


def _read_document(path: Path) -> dict[str, Any]:
    try:
        with path.open("rb") as fh:
            document = tomllib.load(fh)
    except OSError as exc:
        raise InvalidInput(f"Rules file {path}: cannot be read ({exc.strerror or exc})") from exc
    except tomllib.TOMLDecodeError as exc:
        raise InvalidInput(f"Rules file {path}: not valid TOML ({exc})") from exc
    except UnicodeDecodeError as exc:
        raise InvalidInput(f"Rules file {path}: not UTF-8 text ({exc.reason})") from exc
    unknown = sorted(set(document) - _FILE_KEYS)
    if unknown:
        raise InvalidInput(
            f"Rules file {path}: unknown top-level key {unknown[0]!r}; a rules file holds "
            "[[rule]] tables, an optional [terms] table and an optional 'disable' list"
        )
    return document


def _terms_of(path: Path, document: Mapping[str, Any]) -> dict[str, list[str]]:
    raw = document.get("terms", {})
    if not isinstance(raw, dict):
        raise InvalidInput(f"Rules file {path}: 'terms' must be a table of word lists")
    terms: dict[str, list[str]] = {}
    for name, words in raw.items():
        if not _TERM_NAME.match(name):
            raise InvalidInput(
                f"Rules file {path}: term {name!r}: a name is lower-case letters, digits and '_'"
            )
        if not isinstance(words, list) or not all(isinstance(w, str) and w.strip() for w in words):
            raise InvalidInput(f"Rules file {path}: term {name!r} must be a list of texts")
        terms[name] = list(words)
    return terms


def expand_terms(phrase: str, terms: Mapping[str, Sequence[str]], depth: int = 0) -> list[str]:
    """Return the phrases ``phrase`` stands for once each ``@term`` is replaced by its words.

    Raises:
        ValueError: an unknown term, terms that name each other in a circle, or a phrase that
            stands for too many phrases.
    """
    found = _TERM.search(phrase)
    if found is None:
        return [phrase]
    if depth > 5:
        raise ValueError(f"phrase {phrase!r}: terms name each other in a circle")
    name = found.group(1)
    if name not in terms:
        raise ValueError(f"phrase {phrase!r}: unknown term '@{name}'")
    results: list[str] = []
    for word in terms[name]:
        replaced = phrase[: found.start()] + word + phrase[found.end() :]
        results.extend(expand_terms(replaced, terms, depth + 1))
        if len(results) > _MAX_EXPANSIONS:
            raise ValueError(f"phrase {phrase!r} stands for more than {_MAX_EXPANSIONS} phrases")
    return list(dict.fromkeys(results))


def _parse_rule(path: Path, index: int, raw: object, terms: Mapping[str, Sequence[str]]) -> Rule:
    where = f"Rules file {path}: rule {index}"
    if not isinstance(raw, dict):
        raise InvalidInput(f"{where}: must be a table")
    rule_id = raw.get("id")
    if isinstance(rule_id, str) and rule_id:
        where = f"Rules file {path}: rule {rule_id!r} (rule {index})"
    unknown = sorted(set(raw) - _RULE_KEYS)
    if unknown:
        raise InvalidInput(
            f"{where}: unknown field {unknown[0]!r}; a rule has " + ", ".join(sorted(_RULE_KEYS))
        )
    for required in ("id", "category", "severity", "description"):
        if required not in raw:
            raise InvalidInput(f"{where}: missing field {required!r}")
    if not isinstance(rule_id, str) or not _ID.match(rule_id):
        raise InvalidInput(
            f"{where}: id {rule_id!r} must be text of lower-case letters, digits, '.', '_' or "
            "'-', such as 'threat.kill'"
        )
    category = _choice(where, "category", raw["category"], RiskCategory)
    severity = _choice(where, "severity", raw["severity"], Severity)
    description = raw["description"]
    if not isinstance(description, str) or not description.strip():
        raise InvalidInput(f"{where}: 'description' must be non-empty text")
    patterns = _texts(where, raw, "patterns")
    case_sensitive = raw.get("case_sensitive", False)
    if not isinstance(case_sensitive, bool):
        raise InvalidInput(f"{where}: 'case_sensitive' must be true or false")
    negatable = raw.get("negatable", False)
    if not isinstance(negatable, bool):
        raise InvalidInput(f"{where}: 'negatable' must be true or false")
    within = raw.get("within", DEFAULT_WITHIN)
    if not isinstance(within, int) or isinstance(within, bool) or not 1 <= within <= 60:
        raise InvalidInput(f"{where}: 'within' must be a whole number of words from 1 to 60")
    requires = raw.get("requires")
    if requires is not None:
        if not isinstance(requires, str) or not requires:
            raise InvalidInput(f"{where}: 'requires' must be a regular expression")
        if not patterns:
            raise InvalidInput(
                f"{where}: 'requires' only applies to 'patterns', and there are none"
            )
        try:
            re.compile(requires)
        except re.error as exc:
            raise InvalidInput(
                f"{where}: bad regular expression {requires!r} in 'requires': {exc}"
            ) from None
    try:
        phrases = _phrases(raw, "phrases", terms)
        unless = _phrases(raw, "unless", terms)
        not_with = _phrases(raw, "not_with", terms)
        near = _near(raw, terms)
    except _BadPhrase as exc:
        raise InvalidInput(f"{where}: {exc}") from None
    if not phrases and not patterns and not near:
        raise InvalidInput(
            f"{where}: missing field 'phrases', 'near' or 'patterns' (give one of them)"
        )
    for pattern in patterns:
        try:
            re.compile(pattern, 0 if case_sensitive else re.IGNORECASE)
        except re.error as exc:
            raise InvalidInput(
                f"{where}: bad regular expression {pattern!r} in 'patterns': {exc}"
            ) from None
        if re.compile(pattern).search(""):
            raise InvalidInput(
                f"{where}: regular expression {pattern!r} in 'patterns' matches empty text"
            )
    return Rule(
        id=rule_id,
        category=category,
        severity=severity,
        description=" ".join(description.split()),
        phrases=phrases,
        patterns=patterns,
        unless=unless,
        case_sensitive=case_sensitive,
        requires=requires,
        source=path,
        near=near,
        within=within,
        negatable=negatable,
        not_with=not_with,
    )


class _BadPhrase(ValueError):
    """A phrase that cannot be read, with the field it is in."""


def _phrases(
    raw: Mapping[str, Any], name: str, terms: Mapping[str, Sequence[str]]
) -> tuple[str, ...]:
    value = raw.get(name, [])
    if isinstance(value, str):
        value = [value]
    if not isinstance(value, list) or not all(isinstance(v, str) and v.strip() for v in value):
        raise _BadPhrase(f"'{name}' must be a list of non-empty texts")
    return _expanded(name, value, terms)


def _expanded(
    name: str, values: Iterable[str], terms: Mapping[str, Sequence[str]]
) -> tuple[str, ...]:
    phrases: list[str] = []
    for value in values:
        try:
            for phrase in expand_terms(value, terms):
                phrase_words_checked(phrase)
                phrases.append(phrase)
        except ValueError as exc:
            raise _BadPhrase(f"bad entry in '{name}': {exc}") from None
    return tuple(dict.fromkeys(phrases))


def _near(
    raw: Mapping[str, Any], terms: Mapping[str, Sequence[str]]
) -> tuple[tuple[str, ...], ...]:
    value = raw.get("near", [])
    groups = value if isinstance(value, list) else None
    if (
        groups is None
        or (groups and len(groups) < 2)
        or not all(
            isinstance(g, list) and g and all(isinstance(w, str) and w.strip() for w in g)
            for g in groups
        )
    ):
        raise _BadPhrase(
            "'near' must be a list of two or more lists of phrases, such as "
            '[["@weapon"], ["now", "outside"]]'
        )
    return tuple(_expanded("near", group, terms) for group in groups)


def _choice(where: str, name: str, value: object, enum: type[_E]) -> _E:
    if isinstance(value, str):
        try:
            return enum(value.strip().lower())
        except ValueError:
            pass
    expected = ", ".join(member.value for member in enum)
    raise InvalidInput(f"{where}: unknown {name} {value!r}; expected one of: {expected}")


def _texts(where: str, raw: Mapping[str, Any], name: str) -> tuple[str, ...]:
    value = raw.get(name, [])
    if isinstance(value, str):
        value = [value]
    if not isinstance(value, list) or not all(isinstance(v, str) and v.strip() for v in value):
        raise InvalidInput(f"{where}: '{name}' must be a list of non-empty texts")
    return tuple(value)


# --- evaluation -----------------------------------------------------------------------------


@dataclass(frozen=True, slots=True)
class _Compiled:
    rule: Rule
    patterns: tuple[re.Pattern[str], ...]  # applied to the original text
    requires: re.Pattern[str] | None  # patterns are tried only where this is found


# What a phrase is registered under in the set's one matcher: (rule id, role, group).
_PHRASE, _NEAR, _UNLESS, _NOT_WITH = "phrase", "near", "unless", "not_with"


class RuleSet:
    """A validated, compiled set of rules."""

    def __init__(self, rules: Iterable[Rule], model: RiskModel | None = None) -> None:
        """Compile ``rules``; ``model``, if given, flags what the rules miss (explained too).

        Raises:
            InvalidInput: a rule's phrase or regular expression does not compile, or two rules
                share an id.
        """
        self._rules = tuple(rules)
        self._model = model
        self._by_id: dict[str, Rule] = {}
        self._matcher = PhraseMatcher()
        compiled: list[_Compiled] = []
        for rule in self._rules:
            if rule.id in self._by_id:
                raise InvalidInput(f"Rules: duplicate rule id {rule.id!r}")
            self._by_id[rule.id] = rule
            try:
                compiled.append(_compile(rule))
                self._register(rule)
            except (re.error, ValueError) as exc:
                origin = f"Rules file {rule.source}" if rule.source else "Rules"
                raise InvalidInput(
                    f"{origin}: rule {rule.id!r}: does not compile ({exc})"
                ) from None
        self._matcher.freeze()
        self._has_words = model is not None or any(r.phrases or r.near for r in self._rules)
        self._pattern_rules = tuple(c for c in compiled if c.patterns)
        self._requires_any = _requires_any(self._pattern_rules)
        self._order = {rule.id: n for n, rule in enumerate(self._rules)}

    def _register(self, rule: Rule) -> None:
        add = self._matcher.add
        for phrase in rule.phrases:
            add((rule.id, _PHRASE, 0), phrase)
        for group, phrases in enumerate(rule.near):
            for phrase in phrases:
                add((rule.id, _NEAR, group), phrase)
        for phrase in rule.unless:
            add((rule.id, _UNLESS, 0), phrase)
        for phrase in rule.not_with:
            add((rule.id, _NOT_WITH, 0), phrase)

    @property
    def rules(self) -> tuple[Rule, ...]:
        """The rules, in loading order."""
        return self._rules

    @property
    def model(self) -> RiskModel | None:
        """The statistical model that flags beside the rules, if there is one."""
        return self._model

    def with_model(self, model: RiskModel | None) -> RuleSet:
        """Return the same rules with ``model`` flagging beside them (nothing is recompiled)."""
        twin = copy.copy(self)
        twin._model = model
        twin._has_words = model is not None or any(r.phrases or r.near for r in self._rules)
        return twin

    def get(self, rule_id: str) -> Rule | None:
        """Return the rule with ``rule_id``, or None."""
        return self._by_id.get(rule_id)

    def __len__(self) -> int:
        return len(self._rules)

    def __iter__(self) -> Iterator[Rule]:
        return iter(self._rules)

    def evaluate(self, text: str) -> list[RuleMatch]:
        """Return every rule that matches ``text``, most urgent first.

        Matching ignores case and accents. Give text in NFC, as the importers store it.
        """
        if not text:
            return []
        found: dict[str, list[tuple[int, int]]] = {}
        tokens: list[Token] = []
        if self._has_words:
            tokens = self._matcher.tokens(text)
            if tokens:
                self._words(tokens, found)
        gate = self._requires_any
        for c in self._pattern_rules if gate is None or gate.search(text) else ():
            if c.requires is not None and c.requires.search(text) is None:
                continue
            for rx in c.patterns:
                spans = [m.span() for m in rx.finditer(text) if m.end() > m.start()]
                if spans:
                    found.setdefault(c.rule.id, []).extend(spans)
        results = self._matches(text, found) if found else []
        if self._model is not None and tokens:
            results = self._with_model_flags(text, tokens, results)
        return results

    def _with_model_flags(
        self, text: str, tokens: list[Token], results: list[RuleMatch]
    ) -> list[RuleMatch]:
        """Add the model's flags for categories no rule found, each naming its words."""
        assert self._model is not None
        seen = {m.category for m in results}
        added = False
        for flag in self._model.flags(tokens):
            if flag.category in seen or not flag.evidence:
                continue
            spans = _merge([(tokens[i].start, tokens[i].end) for i in flag.evidence])
            severity = MODEL_SEVERITY[flag.category]
            results.append(
                RuleMatch(
                    rule_id=f"model.{flag.category.value}",
                    category=flag.category,
                    severity=severity,
                    description=(
                        f"Words often seen in {flag.category.value.replace('_', ' ')} messages "
                        f"(statistical model, score {flag.score:.2f}): read it and judge"
                    ),
                    spans=tuple(spans),
                    matched=tuple(text[a:b] for a, b in spans),
                )
            )
            added = True
        if added:
            results.sort(key=lambda m: (m.severity.priority, m.spans[0][0], m.rule_id))
        return results

    def _words(self, tokens: list[Token], found: dict[str, list[tuple[int, int]]]) -> None:
        """Add the phrase and near matches of each rule in ``tokens`` to ``found``."""
        hits = self._matcher.find(tokens)
        by_rule: dict[str, dict[tuple[str, int], list[Found]]] = {}
        for key, where in hits.items():
            rule_id, role, group = cast(tuple[str, str, int], key)
            by_rule.setdefault(rule_id, {})[(role, group)] = where
        for rule_id, parts in by_rule.items():
            rule = self._by_id[rule_id]
            # context that cancels counts only when not itself denied ("not even joking")
            if any(not negated(tokens, f.first) for f in parts.get((_NOT_WITH, 0), ())):
                continue
            cancelled = parts.get((_UNLESS, 0), [])

            def keep(f: Found, rule: Rule = rule, cancelled: list[Found] = cancelled) -> bool:
                if rule.negatable and negated(tokens, f.first):
                    return False
                return not any(f.first <= u.last and u.first <= f.last for u in cancelled)

            used = [f for f in parts.get((_PHRASE, 0), []) if keep(f)]
            if rule.near:
                groups = [
                    [f for f in parts.get((_NEAR, g), []) if keep(f)] for g in range(len(rule.near))
                ]
                used.extend(_together(groups, rule.within))
            if used:
                found.setdefault(rule_id, []).extend(spans_of(tokens, used))

    def _matches(self, text: str, found: dict[str, list[tuple[int, int]]]) -> list[RuleMatch]:
        results: list[RuleMatch] = []
        for rule_id, spans in found.items():
            rule = self._by_id[rule_id]
            merged = _merge(spans)
            results.append(
                RuleMatch(
                    rule_id=rule.id,
                    category=rule.category,
                    severity=rule.severity,
                    description=rule.description,
                    spans=tuple(merged),
                    matched=tuple(text[a:b] for a, b in merged),
                )
            )
        results.sort(key=lambda m: (m.severity.priority, m.spans[0][0], self._order[m.rule_id]))
        return results


def _together(groups: list[list[Found]], within: int) -> list[Found]:
    """Return one phrase of every group, all within ``within`` words, or nothing."""
    if not all(groups):
        return []
    used: dict[Found, None] = {}
    for anchor in groups[0]:
        chosen = [anchor]
        for others in groups[1:]:
            chosen.append(min(others, key=lambda f: abs(f.first - anchor.first)))
        if max(f.last for f in chosen) - min(f.first for f in chosen) <= within:
            used.update(dict.fromkeys(chosen))
    return list(used)


def _compile(rule: Rule) -> _Compiled:
    flags = 0 if rule.case_sensitive else re.IGNORECASE
    return _Compiled(
        rule=rule,
        patterns=tuple(re.compile(p, flags) for p in rule.patterns),
        requires=re.compile(rule.requires, flags) if rule.requires else None,
    )


def _requires_any(rules: tuple[_Compiled, ...]) -> re.Pattern[str] | None:
    """One search that finds something where any pattern rule's ``requires`` would.

    When every pattern rule has a ``requires`` hint (the shipped ones do), most texts are
    passed over with this one search instead of one per rule. None when a rule has no hint,
    or a hint has groups (which would change meaning side by side with others).
    """
    hints = [c.requires for c in rules]
    if not hints or any(h is None or h.groups for h in hints):
        return None
    parts = []
    for hint in hints:
        assert hint is not None
        scoped = "i" if hint.flags & re.IGNORECASE else "-i"
        parts.append(f"(?{scoped}:{hint.pattern})")
    try:
        return re.compile("|".join(dict.fromkeys(parts)))
    except re.error:
        return None


def _merge(spans: list[tuple[int, int]]) -> list[tuple[int, int]]:
    merged: list[tuple[int, int]] = []
    for start, end in sorted(spans):
        if merged and start <= merged[-1][1]:
            if end > merged[-1][1]:
                merged[-1] = (merged[-1][0], end)
        else:
            merged.append((start, end))
    return merged
