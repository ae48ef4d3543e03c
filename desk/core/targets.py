"""Response targets per priority as a person types them: 'P1=15m; P2=1h; P3=4h; P4=24h'."""

from __future__ import annotations

from datetime import timedelta

from desk.core.cases import CaseStatus
from desk.core.errors import InvalidInput
from desk.core.risk import DEFAULT_TARGETS, Priority, targets_from_mapping


def format_targets(targets: dict[Priority, timedelta]) -> str:
    """Write targets the way the setting is typed."""
    parts = []
    for priority in Priority:
        minutes = int(targets[priority].total_seconds() // 60)
        text = f"{minutes // 60}h" if minutes % 60 == 0 else f"{minutes}m"
        parts.append(f"{priority.name}={text}")
    return "; ".join(parts)


def parse_targets(text: str) -> dict[Priority, timedelta]:
    """Read 'P1=15m; P2=1h; ...' into targets, or say what is wrong."""
    table: dict[str, object] = {}
    for part in (p for p in text.split(";") if p.strip()):
        key, sep, value = part.partition("=")
        if not sep:
            raise InvalidInput(f"Response targets: {part.strip()!r} should look like 'P1=15m'.")
        table[key.strip().upper()] = value.strip()
    return targets_from_mapping(table)


DEFAULT_TARGETS_TEXT = format_targets(DEFAULT_TARGETS)


COUNTING_STATUSES = frozenset({CaseStatus.NEW, CaseStatus.TRIAGE})
"""The statuses of a case still counting against its response target: its target is met once
it is actioned, escalated or closed."""
COUNTING_STATUS_CODES: tuple[str, ...] = tuple(
    s.value for s in CaseStatus if s in COUNTING_STATUSES
)
"""The same, as the codes stored in the database."""


def counts_against_target(status: str | CaseStatus) -> bool:
    """Tell whether a case with this status still counts against its response target."""
    return status in COUNTING_STATUS_CODES
