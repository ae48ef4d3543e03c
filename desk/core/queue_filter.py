"""What a person asks the queue to show: every filter, all combinable."""

from __future__ import annotations

from dataclasses import dataclass, field
from enum import StrEnum


class OwnerFilter(StrEnum):
    """Whose cases to show."""

    ANYONE = "anyone"
    ME = "me"
    UNASSIGNED = "unassigned"


@dataclass(frozen=True)
class QueueFilter:
    """A combination of queue filters; an empty set means 'any'."""

    statuses: frozenset[str] = field(default_factory=frozenset)
    priorities: frozenset[int] = field(default_factory=frozenset)
    categories: frozenset[str] = field(default_factory=frozenset)
    platforms: frozenset[str] = field(default_factory=frozenset)
    account_ids: frozenset[int] = field(default_factory=frozenset)
    kinds: frozenset[str] = field(default_factory=frozenset)
    owner: OwnerFilter = OwnerFilter.ANYONE
    search: str = ""

    @property
    def is_empty(self) -> bool:
        """Tell whether nothing is filtered."""
        return self == QueueFilter()


def fts_query(text: str) -> str:
    """Turn what a person typed into a safe FTS5 query: every word as a prefix, all required."""
    words = [w for w in "".join(c if c.isalnum() else " " for c in text).split() if w]
    return " ".join(f'"{w}"*' for w in words)
