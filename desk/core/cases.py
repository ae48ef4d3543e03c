"""The case state machine: which moves are allowed, and the outcome codes a case closes with."""

from __future__ import annotations

from enum import StrEnum

from desk.core.errors import Conflict, InvalidInput


class CaseStatus(StrEnum):
    """Where a case is in its life."""

    NEW = "new"
    TRIAGE = "triage"
    ACTIONED = "actioned"
    ESCALATED = "escalated"
    CLOSED = "closed"


class Outcome(StrEnum):
    """How a case was closed."""

    NO_ACTION = "no_action"
    REPLIED = "replied"
    HIDDEN = "hidden"
    DELETED = "deleted"
    AUTHOR_BLOCKED = "author_blocked"
    REFERRED_999 = "referred_999"
    REFERRED_101 = "referred_101"
    CALL_FOR_SERVICE = "call_for_service"
    INTELLIGENCE = "intelligence"
    REFERRED_ELSEWHERE = "referred_elsewhere"


OUTCOME_LABELS: dict[Outcome, str] = {
    Outcome.NO_ACTION: "No action needed",
    Outcome.REPLIED: "Replied",
    Outcome.HIDDEN: "Hidden",
    Outcome.DELETED: "Deleted",
    Outcome.AUTHOR_BLOCKED: "Author blocked",
    Outcome.REFERRED_999: "Referred to 999",
    Outcome.REFERRED_101: "Referred to 101",
    Outcome.CALL_FOR_SERVICE: "Call for service raised",
    Outcome.INTELLIGENCE: "Intelligence submitted",
    Outcome.REFERRED_ELSEWHERE: "Referred elsewhere",
}

OPEN_STATUSES = frozenset(
    {CaseStatus.NEW, CaseStatus.TRIAGE, CaseStatus.ACTIONED, CaseStatus.ESCALATED}
)
"""The statuses of a case still being worked: every one but closed."""
OPEN_STATUS_CODES: tuple[str, ...] = tuple(s.value for s in CaseStatus if s in OPEN_STATUSES)
"""The same, as the codes stored in the database (in the order of :class:`CaseStatus`)."""


def is_open(status: str | CaseStatus) -> bool:
    """Tell whether a case with this status is still being worked (not closed)."""
    return status in OPEN_STATUS_CODES


_MOVES: dict[str, tuple[frozenset[CaseStatus], CaseStatus | None]] = {
    # move: (from these statuses, to this status; None keeps the status)
    "claim": (frozenset({CaseStatus.NEW}), CaseStatus.TRIAGE),
    "release": (frozenset({CaseStatus.TRIAGE, CaseStatus.ACTIONED, CaseStatus.ESCALATED}), None),
    "action": (
        frozenset({CaseStatus.TRIAGE, CaseStatus.ACTIONED, CaseStatus.ESCALATED}),
        CaseStatus.ACTIONED,
    ),
    "escalate": (
        frozenset({CaseStatus.TRIAGE, CaseStatus.ACTIONED, CaseStatus.ESCALATED}),
        CaseStatus.ESCALATED,
    ),
    "close": (
        frozenset({CaseStatus.TRIAGE, CaseStatus.ACTIONED, CaseStatus.ESCALATED}),
        CaseStatus.CLOSED,
    ),
    "reopen": (frozenset({CaseStatus.CLOSED}), CaseStatus.TRIAGE),
}


def next_status(move: str, current: CaseStatus) -> CaseStatus:
    """Return the status after ``move``, or raise ``Conflict`` saying why it is not allowed."""
    allowed_from, to = _MOVES[move]
    if current not in allowed_from:
        raise Conflict(f"A {current.value} case cannot be {_PAST[move]}.")
    if move == "release":
        return CaseStatus.NEW if current is CaseStatus.TRIAGE else current
    assert to is not None
    return to


def parse_outcome(text: str) -> Outcome:
    """Turn a typed outcome code into an ``Outcome``, or say which codes exist."""
    try:
        return Outcome(text.strip().lower().replace("-", "_"))
    except ValueError:
        codes = ", ".join(o.value for o in Outcome)
        raise InvalidInput(f"Unknown outcome {text!r}: use one of {codes}.") from None


_PAST = {
    "claim": "claimed",
    "release": "released",
    "action": "actioned",
    "escalate": "escalated",
    "close": "closed",
    "reopen": "re-opened",
}
