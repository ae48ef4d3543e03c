"""Measuring risk rules on labelled messages: recall, precision and false alarms per category.

A labelled file says, for each message, which risk categories a careful operator gives it
(none for an ordinary message). :func:`measure` runs a rule set over such messages and counts,
for each category, what the rules found and missed; :func:`table` prints the figures the same
way for the benchmark (``python -m bench.risk``) and for a force checking its own rules
(``desk-admin rules test FILE``).
"""

from __future__ import annotations

import csv
import json
from collections.abc import Iterable, Mapping, Sequence
from dataclasses import dataclass, field
from pathlib import Path

from desk.core.errors import InvalidInput
from desk.core.risk import RiskCategory, RuleSet

__all__ = [
    "GOALS",
    "URGENT",
    "CategoryFigures",
    "Labelled",
    "Measurement",
    "measure",
    "read_labelled",
    "table",
]

URGENT = (RiskCategory.THREAT_TO_LIFE, RiskCategory.SELF_HARM, RiskCategory.CRIME_IN_PROGRESS)
"""Where a miss can cost a life: these must be found almost every time."""

GOALS: dict[RiskCategory, float] = {c: 0.97 if c in URGENT else 0.9 for c in RiskCategory}
"""The recall each category must reach."""
ORDINARY_GOAL = 0.03
"""At most this share of ordinary messages may be flagged."""


@dataclass(frozen=True)
class Labelled:
    """One message and the categories an operator gives it."""

    text: str
    categories: frozenset[RiskCategory]
    where: str = ""  # file and line, for saying which message was missed
    lang: str = ""


@dataclass
class CategoryFigures:
    """What the rules did for one category."""

    labelled: int = 0
    found: int = 0  # labelled and flagged with this category
    extra: int = 0  # flagged with this category but not labelled with it

    @property
    def recall(self) -> float | None:
        """The share of the messages labelled with the category that the rules flagged."""
        return self.found / self.labelled if self.labelled else None

    @property
    def precision(self) -> float | None:
        """The share of the messages flagged with the category that are labelled with it."""
        flagged = self.found + self.extra
        return self.found / flagged if flagged else None


@dataclass
class Measurement:
    """Figures for a set of labelled messages."""

    messages: int = 0
    ordinary: int = 0
    ordinary_flagged: int = 0
    categories: dict[RiskCategory, CategoryFigures] = field(
        default_factory=lambda: {c: CategoryFigures() for c in RiskCategory}
    )
    missed: list[tuple[Labelled, frozenset[RiskCategory]]] = field(default_factory=list)
    false_alarms: list[tuple[Labelled, frozenset[RiskCategory]]] = field(default_factory=list)

    @property
    def overall(self) -> CategoryFigures:
        """All categories counted together (each label of each message once)."""
        total = CategoryFigures()
        for figures in self.categories.values():
            total.labelled += figures.labelled
            total.found += figures.found
            total.extra += figures.extra
        return total

    @property
    def false_positive_rate(self) -> float | None:
        """The share of ordinary messages the rules flagged with any category."""
        return self.ordinary_flagged / self.ordinary if self.ordinary else None

    def shortfalls(self) -> list[str]:
        """Say which goals are missed, one line each; empty when every goal is met."""
        lines = []
        for category, figures in self.categories.items():
            recall = figures.recall
            if recall is not None and recall < GOALS[category]:
                lines.append(f"{category.value}: recall {recall:.3f} < {GOALS[category]}")
        rate = self.false_positive_rate
        if rate is not None and rate > ORDINARY_GOAL:
            lines.append(f"ordinary messages flagged: {rate:.3f} > {ORDINARY_GOAL}")
        return lines

    def to_json(self) -> dict[str, object]:
        """The figures as a JSON object."""
        overall = self.overall
        return {
            "messages": self.messages,
            "recall": _r(overall.recall),
            "precision": _r(overall.precision),
            "ordinary": self.ordinary,
            "false_positive_rate": _r(self.false_positive_rate),
            "categories": {
                c.value: {
                    "labelled": f.labelled,
                    "recall": _r(f.recall),
                    "precision": _r(f.precision),
                    "goal": GOALS[c],
                }
                for c, f in self.categories.items()
            },
            "goals_met": not self.shortfalls(),
        }


def _r(value: float | None) -> float | None:
    return None if value is None else round(value, 4)


def measure(rules: RuleSet, messages: Iterable[Labelled]) -> Measurement:
    """Run ``rules`` over ``messages`` and count what they found, missed and raised wrongly."""
    result = Measurement()
    for message in messages:
        result.messages += 1
        flagged = frozenset(m.category for m in rules.evaluate(message.text))
        if not message.categories:
            result.ordinary += 1
            if flagged:
                result.ordinary_flagged += 1
        for category in RiskCategory:
            figures = result.categories[category]
            if category in message.categories:
                figures.labelled += 1
                figures.found += category in flagged
            elif category in flagged:
                figures.extra += 1
        if message.categories - flagged:
            result.missed.append((message, flagged))
        if flagged - message.categories:
            result.false_alarms.append((message, flagged))
    return result


def read_labelled(path: Path) -> list[Labelled]:
    """Read labelled messages from JSON Lines (``text``, ``categories``) or CSV.

    A CSV file has a header with ``text`` and ``categories`` columns; categories are separated
    by ``;`` or ``,`` and may be empty.

    Raises:
        InvalidInput: the file cannot be read, a line is not valid, a message has no text, or a
            category is unknown; the message names the file and line.
    """
    try:
        content = path.read_text(encoding="utf-8-sig")
    except OSError as exc:
        raise InvalidInput(f"{path}: cannot be read ({exc.strerror or exc})") from exc
    except UnicodeDecodeError as exc:
        raise InvalidInput(f"{path}: not UTF-8 text ({exc.reason})") from exc
    if path.suffix.lower() == ".csv":
        return _from_csv(path, content)
    messages = []
    for number, line in enumerate(content.splitlines(), start=1):
        if not line.strip():
            continue
        where = f"{path}, line {number}"
        try:
            record = json.loads(line)
        except json.JSONDecodeError as exc:
            raise InvalidInput(f"{where}: not valid JSON ({exc.msg})") from None
        if not isinstance(record, dict):
            raise InvalidInput(f"{where}: expected an object with 'text' and 'categories'")
        messages.append(_labelled(where, record))
    return messages


def _from_csv(path: Path, content: str) -> list[Labelled]:
    reader = csv.DictReader(content.splitlines())
    if reader.fieldnames is None or not {"text", "categories"} <= set(reader.fieldnames):
        raise InvalidInput(f"{path}: a CSV file needs a header with 'text' and 'categories'")
    messages = []
    for row in reader:
        where = f"{path}, line {reader.line_num}"
        raw = (row.get("categories") or "").replace(",", ";")
        names = [n.strip() for n in raw.split(";") if n.strip()]
        messages.append(_labelled(where, {"text": row.get("text"), "categories": names}))
    return messages


def _labelled(where: str, record: Mapping[str, object]) -> Labelled:
    text = record.get("text")
    if not isinstance(text, str) or not text.strip():
        raise InvalidInput(f"{where}: 'text' must be the message's text")
    names = record.get("categories", [])
    if not isinstance(names, list) or not all(isinstance(n, str) for n in names):
        raise InvalidInput(f"{where}: 'categories' must be a list of category names")
    categories = set()
    for name in names:
        try:
            categories.add(RiskCategory(name.strip().lower()))
        except ValueError:
            known = ", ".join(c.value for c in RiskCategory)
            raise InvalidInput(
                f"{where}: unknown category {name!r}; expected one of: {known}"
            ) from None
    lang = record.get("lang", "")
    return Labelled(text, frozenset(categories), where, lang if isinstance(lang, str) else "")


def table(measurement: Measurement, title: str) -> str:
    """Render ``measurement`` as a text table: each category, all together, ordinary messages."""
    rows = [("category", "labelled", "recall", "precision", "goal", "")]
    for category, figures in measurement.categories.items():
        goal = GOALS[category]
        recall = figures.recall
        verdict = "" if recall is None else ("met" if recall >= goal else "MISSED")
        rows.append(
            (
                category.value,
                str(figures.labelled),
                _pct(recall),
                _pct(figures.precision),
                f">= {goal:.2f}",
                verdict,
            )
        )
    overall = measurement.overall
    rows.append(
        (
            "all categories",
            str(overall.labelled),
            _pct(overall.recall),
            _pct(overall.precision),
            "",
            "",
        )
    )
    rate = measurement.false_positive_rate
    verdict = "" if rate is None else ("met" if rate <= ORDINARY_GOAL else "MISSED")
    rows.append(
        (
            "ordinary flagged",
            str(measurement.ordinary),
            _pct(rate),
            "",
            f"<= {ORDINARY_GOAL:.2f}",
            verdict,
        )
    )
    widths = [max(len(r[i]) for r in rows) for i in range(len(rows[0]))]
    lines = [f"{title} ({measurement.messages} messages)"]
    for row in rows:
        lines.append("  ".join(cell.ljust(w) for cell, w in zip(row, widths, strict=True)).rstrip())
    return "\n".join(lines)


def _pct(value: float | None) -> str:
    return "—" if value is None else f"{value:.3f}"


def describe_misses(measurement: Measurement, limit: int | None = None) -> Sequence[str]:
    """Say which labelled messages the rules missed or flagged wrongly, one line each."""
    lines = []
    for message, flagged in measurement.missed[:limit]:
        want = ", ".join(sorted(c.value for c in message.categories - flagged))
        lines.append(f"missed {want}: {message.where}: {message.text}")
    for message, flagged in measurement.false_alarms[:limit]:
        extra = ", ".join(sorted(c.value for c in flagged - message.categories))
        lines.append(f"flagged {extra}: {message.where}: {message.text}")
    return lines
