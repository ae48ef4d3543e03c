"""Which audit entries a reader asks for: case, person, action, period."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import UTC, datetime

from desk.core.errors import InvalidInput


def stored_at(moment: datetime) -> str:
    """Return a time in the form the audit table stores it (so text order is time order)."""
    if moment.tzinfo is None:
        raise InvalidInput("An audit period needs times with a zone (UTC).")
    return moment.astimezone(UTC).isoformat(timespec="microseconds").replace("+00:00", "Z")


@dataclass(frozen=True)
class AuditFilter:
    """A filter on the audit log; an empty field does not filter."""

    case_id: int | None = None
    actor: str = ""
    action_prefix: str = ""
    since: datetime | None = None  # inclusive
    until: datetime | None = None  # exclusive

    def __post_init__(self) -> None:
        if self.case_id is not None and self.case_id < 1:
            raise InvalidInput(f"Case {self.case_id} does not exist: case numbers start at 1.")
        if self.since and self.until and self.until <= self.since:
            raise InvalidInput("The period's end must come after its start.")
        for moment in (self.since, self.until):
            if moment is not None:
                stored_at(moment)

    @property
    def case_object(self) -> str | None:
        """The audit object naming the case, when filtering by case."""
        return None if self.case_id is None else f"case:{self.case_id}"

    def describe(self) -> dict[str, object]:
        """Return the filter as plain values (for an export's header)."""
        return {
            "case": self.case_id,
            "actor": self.actor or None,
            "action_prefix": self.action_prefix or None,
            "since": stored_at(self.since) if self.since else None,
            "until": stored_at(self.until) if self.until else None,
        }
