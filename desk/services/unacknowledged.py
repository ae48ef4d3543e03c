"""Escalations still awaiting acknowledgement: closing their case asks the closer to know."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime

from sqlalchemy import select
from sqlalchemy.orm import Session

from desk.core.errors import UnacknowledgedEscalations
from desk.store.tables import Escalation, EscalationTarget


@dataclass(frozen=True)
class Waiting:
    """One escalation of a case that no one has acknowledged yet."""

    id: int
    target: str
    created_at: datetime


def waiting_escalations(s: Session, case_id: int) -> list[Waiting]:
    """Return the case's escalations with no acknowledgement recorded, oldest first."""
    rows = s.execute(
        select(Escalation.id, EscalationTarget.name, Escalation.created_at)
        .join(EscalationTarget, EscalationTarget.id == Escalation.target_id)
        .where(Escalation.case_id == case_id, Escalation.acknowledged_at.is_(None))
        .order_by(Escalation.created_at, Escalation.id)
    )
    return [Waiting(r.id, r.name, r.created_at) for r in rows]


def refusal(case_id: int, waiting: list[Waiting]) -> UnacknowledgedEscalations:
    """The refusal to close a case while ``waiting`` still await acknowledgement."""
    n = len(waiting)
    listed = ", ".join(
        f"#{w.id} to {w.target} (sent {w.created_at:%d %b %H:%M} UTC)" for w in waiting
    )
    said = (
        f"Case #{case_id} has {n} escalation{'s' if n != 1 else ''} still awaiting "
        f"acknowledgement: {listed}."
    )
    message = (
        f"{said} Close it once {'they are' if n != 1 else 'it is'} acknowledged, or confirm "
        f"that you are closing it despite {'them' if n != 1 else 'it'}."
    )
    return UnacknowledgedEscalations(
        message, case_id, tuple(w.id for w in waiting), tuple(w.target for w in waiting), said
    )


def despite_text(waiting: list[Waiting]) -> str:
    """The timeline line recorded when a case is closed despite ``waiting``."""
    n = len(waiting)
    ids = ", ".join(f"#{w.id}" for w in waiting)
    return (
        f"closed despite {n} unacknowledged escalation{'s' if n != 1 else ''} ({ids}); "
        "the closer was told they still await acknowledgement"
    )
