"""Retention by record class: how long each class is kept and what happens at its end."""

from __future__ import annotations

import re
from dataclasses import dataclass
from datetime import datetime, timedelta
from enum import StrEnum

from desk.core.errors import InvalidInput


class RecordClass(StrEnum):
    """A class of record with its own retention period."""

    UNACTIONED = "unactioned"  # cases nobody acted on (no claim, reply, moderation, escalation)
    ACTIONED = "actioned"  # closed cases that were worked but never escalated
    ESCALATED = "escalated"  # closed cases escalated at least once
    MODERATION = "moderation"  # moderation records (hide, delete, block, ...)
    REPLIES = "replies"  # the force's replies
    HANDOVERS = "handovers"  # signed handover reports and handover notes
    SIGNINS = "signins"  # ended sign-in sessions
    AUDIT = "audit"  # the chained audit log
    BACKUPS = "backups"  # copies Desk keeps in the profile's backups folder


class EndAction(StrEnum):
    """What happens to a record at the end of its period."""

    DELETE = "delete"
    ANONYMISE = "anonymise"  # author and text removed, the row kept for the counts


# Classes whose records are whole cases (their ids are case numbers)
CASE_RECORD_CLASSES: tuple[RecordClass, ...] = (
    RecordClass.UNACTIONED,
    RecordClass.ACTIONED,
    RecordClass.ESCALATED,
)
# The audit class is removed from its oldest entry as one run (a chain has no holes): a batch
# holds its first and last entry numbers, not every id; a signed checkpoint keeps it verifiable.
SEQ_RANGE_CLASSES: frozenset[RecordClass] = frozenset({RecordClass.AUDIT})
# Classes a run only lists and never removes: none any more (kept for the callers that ask).
NOT_RUN: frozenset[RecordClass] = frozenset()


def batch_size(record_class: RecordClass, entries: list[int | str]) -> int:
    """Count the records a batch's entry list names (the audit's ``[first, last]`` is a range)."""
    if record_class in SEQ_RANGE_CLASSES and len(entries) == 2:
        first, last = entries
        if isinstance(first, int) and isinstance(last, int):
            return max(0, last - first + 1)
    return len(entries)


# Classes that only make sense deleted (nothing is left to count).
DELETE_ONLY: frozenset[RecordClass] = frozenset(
    {RecordClass.HANDOVERS, RecordClass.SIGNINS, RecordClass.BACKUPS, RecordClass.AUDIT}
)


@dataclass(frozen=True)
class Rule:
    """One class's period (in days) and end action."""

    record_class: RecordClass
    days: int
    action: EndAction

    def cutoff(self, now: datetime) -> datetime:
        """Return the time before which a record of this class is due."""
        return now - timedelta(days=self.days)

    @property
    def code(self) -> str:
        """The rule as written in the setting, e.g. ``actioned=2y anonymise``."""
        return f"{self.record_class.value}={format_period(self.days)} {self.action.value}"


DEFAULT_RULES: dict[RecordClass, Rule] = {
    r.record_class: r
    for r in (
        Rule(RecordClass.UNACTIONED, 90, EndAction.DELETE),
        Rule(RecordClass.ACTIONED, 2 * 365, EndAction.ANONYMISE),
        Rule(RecordClass.ESCALATED, 6 * 365, EndAction.ANONYMISE),
        Rule(RecordClass.MODERATION, 2 * 365, EndAction.ANONYMISE),
        Rule(RecordClass.REPLIES, 2 * 365, EndAction.ANONYMISE),
        Rule(RecordClass.HANDOVERS, 2 * 365, EndAction.DELETE),
        Rule(RecordClass.SIGNINS, 365, EndAction.DELETE),
        Rule(RecordClass.AUDIT, 7 * 365, EndAction.DELETE),
        Rule(RecordClass.BACKUPS, 30, EndAction.DELETE),
    )
}
# moderation counts against an author for 90 days (desk.core.moderation): keep records longer
MIN_DAYS: dict[RecordClass, int] = {RecordClass.MODERATION: 91, RecordClass.AUDIT: 365}
MAX_DAYS = 100 * 365
_PERIOD = re.compile(r"^(\d+)\s*([dwmy])$")
_UNIT_DAYS = {"d": 1, "w": 7, "m": 30, "y": 365}


def parse_period(text: str) -> int:
    """Turn ``90d``, ``12w``, ``6m`` or ``2y`` into days (a month is 30 days, a year 365)."""
    found = _PERIOD.match(text.strip().lower())
    if not found:
        raise InvalidInput(
            f"{text!r} is not a period: write a number and d, w, m or y (90d, 6m, 2y)."
        )
    days = int(found.group(1)) * _UNIT_DAYS[found.group(2)]
    if not 1 <= days <= MAX_DAYS:
        raise InvalidInput(f"{text!r} is outside 1 day to 100 years.")
    return days


def format_period(days: int) -> str:
    """Write ``days`` in whole years when it is (``730`` → ``2y``), else in days (``90d``)."""
    return f"{days // 365}y" if days % 365 == 0 else f"{days}d"


def parse_rules(text: str) -> dict[RecordClass, Rule]:
    """Read ``class=PERIOD ACTION; ...``; classes not named keep their defaults.

    Raises:
        InvalidInput: naming what is wrong (unknown class or action, bad period, a period
            shorter than the class allows, an action the class cannot take, a class twice).
    """
    rules = dict(DEFAULT_RULES)
    seen: set[RecordClass] = set()
    for part in (p.strip() for p in text.replace("\n", ";").split(";")):
        if not part:
            continue
        name, sep, rest = part.partition("=")
        if not sep:
            raise InvalidInput(f"{part!r} is not 'class=PERIOD ACTION' (e.g. 'replies=2y delete').")
        try:
            record_class = RecordClass(name.strip().lower())
        except ValueError:
            known = ", ".join(c.value for c in RecordClass)
            raise InvalidInput(
                f"Unknown record class {name.strip()!r}: use one of {known}."
            ) from None
        if record_class in seen:
            raise InvalidInput(f"The record class {record_class.value} is given twice.")
        seen.add(record_class)
        words = rest.split()
        if not 1 <= len(words) <= 2:
            raise InvalidInput(f"{part!r} is not 'class=PERIOD ACTION' (e.g. 'replies=2y delete').")
        days = parse_period(words[0])
        low = MIN_DAYS.get(record_class, 1)
        if days < low:
            raise InvalidInput(
                f"{record_class.value} must be kept at least {format_period(low)} "
                f"({words[0]} is shorter)."
            )
        action = DEFAULT_RULES[record_class].action
        if len(words) == 2:
            try:
                action = EndAction(words[1].lower())
            except ValueError:
                raise InvalidInput(
                    f"Unknown end action {words[1]!r} for {record_class.value}: use delete or "
                    "anonymise."
                ) from None
        if record_class in DELETE_ONLY and action is not EndAction.DELETE:
            raise InvalidInput(f"{record_class.value} can only be deleted, not anonymised.")
        rules[record_class] = Rule(record_class, days, action)
    return rules


def format_rules(rules: dict[RecordClass, Rule]) -> str:
    """Write every class's rule, in class order, as the setting stores it."""
    return "; ".join(rules[c].code for c in RecordClass if c in rules)


DEFAULT_RULES_TEXT = format_rules(DEFAULT_RULES)


class HoldTarget(StrEnum):
    """What a legal hold is placed on."""

    CASE = "case"
    AUTHOR = "author"


def check_reason(reason: str, what: str) -> str:
    """Return a trimmed reason, or refuse an empty or overlong one."""
    text = " ".join(reason.split())
    if not text:
        raise InvalidInput(f"Give a reason for {what}.")
    if len(text) > 500:
        raise InvalidInput(f"The reason for {what} can be at most 500 characters.")
    return text


class AppealDone(StrEnum):
    """How a public appeal was dealt with on the platform once it ended."""

    REMOVED = "removed"
    ARCHIVED = "archived"
