"""A case as it was at a moment: its status and owner, replayed from its timeline.

A handover describes its shift as of the shift's end; a case changed since then (claimed,
escalated, closed, re-opened) is shown as it was. The replay follows the same moves as the
state machine in :mod:`desk.core.cases`.
"""

from __future__ import annotations

from collections.abc import Iterable, Mapping
from dataclasses import dataclass
from typing import Any

from desk.core.cases import CaseStatus, next_status
from desk.core.errors import Conflict

# timeline kinds that move a case (the rest — notes, THRIVE, flags — change neither)
_ACTED = frozenset({"reply", "moderate"})  # a first action moves a triaged case on


@dataclass(frozen=True)
class TimelineLine:
    """What the replay needs of one timeline line."""

    kind: str
    actor: str
    details: Mapping[str, Any]


@dataclass(frozen=True)
class CaseState:
    """A case's status and owner (username, or None) at a moment."""

    status: CaseStatus
    owner: str | None

    @property
    def open(self) -> bool:
        """Tell whether the case was still being worked (not closed)."""
        return self.status is not CaseStatus.CLOSED


def _move(status: CaseStatus, move: str) -> CaseStatus:
    try:
        return next_status(move, status)
    except Conflict:
        return status  # a line the state machine would not allow now: keep what was known


def replay(lines: Iterable[TimelineLine]) -> CaseState:
    """Return the state after ``lines`` (oldest first) for a case that arrived new."""
    status, owner = CaseStatus.NEW, None
    for line in lines:
        kind = line.kind
        if kind == "claim":
            status, owner = _move(status, "claim"), line.actor
        elif kind == "release":
            status, owner = _move(status, "release"), None
        elif kind == "reassign":
            if status is CaseStatus.NEW:
                status = _move(status, "claim")
            owner = str(line.details.get("owner") or owner or "") or None
        elif kind == "escalate":
            status = _move(status, "escalate")
        elif kind in _ACTED and status is CaseStatus.TRIAGE:
            status = _move(status, "action")
        elif kind == "close":
            status = _move(status, "close")
        elif kind == "reopen":
            status, owner = _move(status, "reopen"), line.actor
    return CaseState(status, owner)
