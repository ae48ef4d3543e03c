"""Risk rules: which words in an item suggest danger, and how fast the desk must respond.

Rules live in readable TOML files (``resources/rules/*.toml`` plus any an administrator adds).
Each rule has an id, a category, a severity and a description, and matches either phrases
(case-insensitive, whole words, tolerant of punctuation and extra spaces between words, with a
``*`` suffix wildcard) or regular expressions (phone numbers, postcodes and the like). Phrases
listed under ``unless`` cancel a match they overlap ("killing it", "could murder a pint").

:func:`load_rules` reads and validates the files once at start-up; :meth:`RuleSet.evaluate`
then runs on every item, so it is built for speed: all phrases of the set are compiled into one
regular expression, factored as a trie, that rejects an ordinary text in one pass over its
lower-cased copy; only where that scan stops are the rules whose phrases start with that letter
tried, anchored there. Regular-expression rules run on the original text, each behind an
optional cheap ``requires`` test. Spans are offsets into the original text, for highlighting.
"""

from __future__ import annotations

import re
import tomllib
import unicodedata
from collections.abc import Iterable, Iterator, Mapping
from dataclasses import dataclass
from datetime import datetime, timedelta
from enum import IntEnum, StrEnum
from pathlib import Path
from typing import Any, TypeVar

from desk.core.errors import InvalidInput

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
    "phrase_regex",
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


# --- phrases --------------------------------------------------------------------------------

# Between the words of a phrase: one to five characters of spaces or punctuation, so
# "kill you", "kill  you", "kill... you" and "kill-you" all match "kill you".
_GAP = r"[\W_]{1,5}"
_APOSTROPHES = "'’‘`"
_APOSTROPHE = "['’‘`]?"
_TOKEN = re.compile(r"[^\W_]+(?:['’‘`][^\W_]+)*\*?|['’‘`]")
_MISPLACED_STAR = re.compile(r"(?<![^\W_])\*|\*(?=[^\W_])")
_ID = re.compile(r"^[a-z0-9][a-z0-9_.\-]*$")


def _phrase_atoms(phrase: str) -> list[str]:
    """Split ``phrase`` into regular-expression atoms: characters, gaps, optional apostrophes."""
    text = unicodedata.normalize("NFC", phrase).lower()
    if _MISPLACED_STAR.search(text):
        raise ValueError(f"phrase {phrase!r}: '*' may only end a word")
    atoms: list[str] = []
    for token in _TOKEN.findall(text):
        if token in _APOSTROPHES:
            continue
        if atoms:
            atoms.append(_GAP)
        atoms.extend(
            _APOSTROPHE if ch in _APOSTROPHES else re.escape(ch) for ch in token.rstrip("*")
        )
        if token.endswith("*"):
            atoms.append(r"\w*")
    if not atoms:
        raise ValueError(f"phrase {phrase!r} has no words")
    return atoms


def _first_letter(phrase: str) -> str:
    tokens: list[str] = _TOKEN.findall(unicodedata.normalize("NFC", phrase).lower())
    return next(t for t in tokens if t not in _APOSTROPHES)[0]


def phrase_regex(phrase: str) -> str:
    """Return the regular expression source (lower case, no flags) that matches ``phrase``.

    Words must match whole; any short run of spaces and punctuation may sit between them; an
    apostrophe in a word is optional and may be straight or curly ("im", "i'm", "i’m"); a
    ``*`` at the end of a word matches any ending ("stab*" matches "stabbed", "stabbing").

    Raises:
        ValueError: the phrase has no words, or a ``*`` is not at the end of a word.
    """
    return r"\b" + "".join(_phrase_atoms(phrase)) + r"(?!\w)"


def _trie_regex(phrases: Iterable[str]) -> str:
    """One regular expression for many phrases, factored as a trie.

    Python's engine tries alternatives one by one, so a flat alternation of hundreds of phrases
    costs hundreds of attempts at every word; branching on one character at a time costs a few.
    At each branch the longer continuation is tried before the phrase that ends there, so a
    search reports the longest phrase starting at a position.
    """
    root: dict[str, Any] = {}
    for phrase in phrases:
        node = root
        for atom in _phrase_atoms(phrase):
            node = node.setdefault(atom, {})
        node[""] = {}

    def render(node: dict[str, Any]) -> str:
        branches = [atom + render(child) for atom, child in node.items() if atom]
        if "" in node:
            branches.append(r"(?!\w)")
        return branches[0] if len(branches) == 1 else "(?:" + "|".join(branches) + ")"

    return r"\b" + render(root)


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
}
_FILE_KEYS = {"rule", "disable"}


def rule_files(folder: Path) -> list[Path]:
    """Return the ``*.toml`` files directly in ``folder``, sorted by name (the loading order)."""
    return sorted(p for p in folder.glob("*.toml") if p.is_file())


def load_rules(paths: Iterable[Path]) -> RuleSet:
    """Read, validate and compile the rules in ``paths`` (in the order given).

    A file holds ``[[rule]]`` tables, and may hold ``disable = ["rule.id", ...]`` to switch off
    rules from files loaded before it (how an administrator retires or replaces a default rule
    without editing it); a file's own rules may then reuse a disabled id.

    Raises:
        InvalidInput: a file cannot be read or is not TOML, or a rule is broken (missing or
            unknown field, unknown category or severity, bad phrase or regular expression,
            duplicate id); the message names the file and the rule.
    """
    rules: dict[str, Rule] = {}
    for path in paths:
        path = Path(path)
        try:
            with path.open("rb") as fh:
                document = tomllib.load(fh)
        except OSError as exc:
            raise InvalidInput(
                f"Rules file {path}: cannot be read ({exc.strerror or exc})"
            ) from exc
        except tomllib.TOMLDecodeError as exc:
            raise InvalidInput(f"Rules file {path}: not valid TOML ({exc})") from exc
        except UnicodeDecodeError as exc:
            raise InvalidInput(f"Rules file {path}: not UTF-8 text ({exc.reason})") from exc
        unknown = sorted(set(document) - _FILE_KEYS)
        if unknown:
            raise InvalidInput(
                f"Rules file {path}: unknown top-level key {unknown[0]!r}; a rules file holds "
                "[[rule]] tables and an optional 'disable' list"
            )
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
            rule = _parse_rule(path, index, raw)
            if rule.id in rules:
                first = rules[rule.id].source
                raise InvalidInput(
                    f"Rules file {path}: rule {rule.id!r} (rule {index}): duplicate id; "
                    f"{first} already defines it"
                )
            rules[rule.id] = rule
    return RuleSet(rules.values())


def _parse_rule(path: Path, index: int, raw: object) -> Rule:
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
    phrases = _texts(where, raw, "phrases")
    patterns = _texts(where, raw, "patterns")
    unless = _texts(where, raw, "unless")
    case_sensitive = raw.get("case_sensitive", False)
    if not isinstance(case_sensitive, bool):
        raise InvalidInput(f"{where}: 'case_sensitive' must be true or false")
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
    if not phrases and not patterns:
        raise InvalidInput(f"{where}: missing field 'phrases' or 'patterns' (give one of them)")
    for field_name, values in (("phrases", phrases), ("unless", unless)):
        for value in values:
            try:
                phrase_regex(value)
            except ValueError as exc:
                raise InvalidInput(f"{where}: bad entry in '{field_name}': {exc}") from None
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
    )


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
    phrases: re.Pattern[str] | None  # lower-case source, applied to lower-cased text
    phrases_i: re.Pattern[str] | None  # same with IGNORECASE, for texts lower() resizes
    patterns: tuple[re.Pattern[str], ...]  # applied to the original text
    requires: re.Pattern[str] | None  # patterns are tried only where this is found
    unless: re.Pattern[str] | None
    unless_i: re.Pattern[str] | None


class RuleSet:
    """A validated, compiled set of rules."""

    def __init__(self, rules: Iterable[Rule]) -> None:
        """Compile ``rules``.

        Raises:
            InvalidInput: a rule's phrase or regular expression does not compile, or two rules
                share an id.
        """
        self._rules = tuple(rules)
        self._by_id: dict[str, Rule] = {}
        compiled: list[_Compiled] = []
        phrases: list[str] = []
        for rule in self._rules:
            if rule.id in self._by_id:
                raise InvalidInput(f"Rules: duplicate rule id {rule.id!r}")
            self._by_id[rule.id] = rule
            try:
                compiled.append(_compile(rule))
            except (re.error, ValueError) as exc:
                origin = f"Rules file {rule.source}" if rule.source else "Rules"
                raise InvalidInput(
                    f"{origin}: rule {rule.id!r}: does not compile ({exc})"
                ) from None
            phrases.extend(rule.phrases)
        self._phrase_rules = tuple(c for c in compiled if c.phrases is not None)
        self._pattern_rules = tuple(c for c in compiled if c.patterns)
        self._requires_any = _requires_any(self._pattern_rules)
        self._scan = re.compile(_trie_regex(phrases)) if phrases else None
        self._scan_i = re.compile(_trie_regex(phrases), re.IGNORECASE) if phrases else None
        self._order = {rule.id: n for n, rule in enumerate(self._rules)}
        self._compiled = {c.rule.id: c for c in compiled}
        by_first: dict[str, list[_Compiled]] = {}
        for c in self._phrase_rules:
            for first in dict.fromkeys(_first_letter(p) for p in c.rule.phrases):
                by_first.setdefault(first, []).append(c)
        self._by_first = {k: tuple(v) for k, v in by_first.items()}

    @property
    def rules(self) -> tuple[Rule, ...]:
        """The rules, in loading order."""
        return self._rules

    def get(self, rule_id: str) -> Rule | None:
        """Return the rule with ``rule_id``, or None."""
        return self._by_id.get(rule_id)

    def __len__(self) -> int:
        return len(self._rules)

    def __iter__(self) -> Iterator[Rule]:
        return iter(self._rules)

    def evaluate(self, text: str) -> list[RuleMatch]:
        """Return every rule that matches ``text``, most urgent first.

        Matching is case-insensitive for phrases (and for patterns unless the rule says
        ``case_sensitive``). Give text in NFC, as the importers store it.
        """
        if not text:
            return []
        found: dict[str, list[tuple[int, int]]] = {}
        low = text.lower()
        if len(low) == len(text):
            subject, scan, index = low, self._scan, 0
        else:  # a few characters change length when lower-cased: keep offsets true instead
            subject, scan, index = text, self._scan_i, 1
        if scan is not None and (hit := scan.search(subject)) is not None:
            # The set-wide scan stops at every position where some phrase starts; there, only
            # the rules with a phrase beginning with that character are tried, anchored.
            everyone = self._phrase_rules
            by_first = self._by_first if index == 0 else None
            while hit is not None:
                pos = hit.start()
                candidates = everyone if by_first is None else by_first.get(subject[pos], ())
                for c in candidates:
                    rx = c.phrases if index == 0 else c.phrases_i
                    assert rx is not None
                    if (m := rx.match(subject, pos)) is not None:
                        found.setdefault(c.rule.id, []).append(m.span())
                hit = scan.search(subject, pos + 1)
        gate = self._requires_any
        for c in self._pattern_rules if gate is None or gate.search(text) else ():
            if c.requires is not None and c.requires.search(text) is None:
                continue
            for rx in c.patterns:
                spans = [m.span() for m in rx.finditer(text) if m.end() > m.start()]
                if spans:
                    found.setdefault(c.rule.id, []).extend(spans)
        if not found:
            return []
        return self._matches(text, subject, index, found)

    def _matches(
        self, text: str, subject: str, index: int, found: dict[str, list[tuple[int, int]]]
    ) -> list[RuleMatch]:
        results: list[RuleMatch] = []
        for rule_id, spans in found.items():
            c = self._compiled[rule_id]
            unless = c.unless if index == 0 else c.unless_i
            if unless is not None:
                cancelled = [m.span() for m in unless.finditer(subject)]
                spans = [
                    s for s in spans if not any(s[0] < u[1] and u[0] < s[1] for u in cancelled)
                ]
            merged = _merge(spans)
            if not merged:
                continue
            rule = c.rule
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


def _compile(rule: Rule) -> _Compiled:
    phrases = _trie_regex(rule.phrases) if rule.phrases else None
    unless = _trie_regex(rule.unless) if rule.unless else None
    flags = 0 if rule.case_sensitive else re.IGNORECASE
    return _Compiled(
        rule=rule,
        phrases=re.compile(phrases) if phrases else None,
        phrases_i=re.compile(phrases, re.IGNORECASE) if phrases else None,
        patterns=tuple(re.compile(p, flags) for p in rule.patterns),
        requires=re.compile(rule.requires, flags) if rule.requires else None,
        unless=re.compile(unless) if unless else None,
        unless_i=re.compile(unless, re.IGNORECASE) if unless else None,
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
