"""A line on a case's timeline and its audit entry, written together in one transaction.

Every change to a case that people should see on its timeline goes through
:func:`record_case_event`: the line and the audit entry are added to the caller's session, so
they are kept or rolled back with the change itself, and the line's details are stored one
way (JSON, keys sorted, text as written: Welsh and emoji are kept, not escaped).
"""

from __future__ import annotations

import hashlib
import json
from collections.abc import Mapping
from typing import Any

from sqlalchemy.orm import Session

from desk.services.context import DeskContext
from desk.store.tables import CaseEvent


def fingerprint(text: str) -> dict[str, Any]:
    """What the audit keeps of words sent to or about a person: their SHA-256 and length.

    The audit log is append-only, so it never holds such words themselves: they live on the
    case (and go when the case is purged or its author erased), while the audit entry still
    proves exactly what was written.
    """
    return {"sha256": hashlib.sha256(text.encode("utf-8")).hexdigest(), "chars": len(text)}


def event_details(details: Mapping[str, Any]) -> str:
    """Return a timeline line's details as stored: JSON, keys sorted, text unescaped."""
    return json.dumps(details, sort_keys=True, ensure_ascii=False, default=str)


def record_case_event(
    s: Session,
    ctx: DeskContext,
    actor: str,
    case_id: int,
    kind: str,
    text: str,
    /,
    *,
    audit_action: str | None = None,
    audit_object: str | None = None,
    audit_details: Mapping[str, Any] | None = None,
    **details: Any,
) -> int:
    """Add a line to case ``case_id``'s timeline and its audit entry; return the entry's number.

    The audit entry is ``case.<kind>`` on ``case:<id>`` with the line's ``details`` unless
    ``audit_action``, ``audit_object`` or ``audit_details`` say otherwise (an escalation's
    acknowledgement is audited on the escalation, say). Both go into ``s``: the caller's
    transaction keeps them, or neither.
    """
    s.add(
        CaseEvent(
            case_id=case_id,
            at=ctx.clock.now(),
            actor=actor,
            kind=kind,
            text=text,
            details=event_details(details),
        )
    )
    return ctx.audit.record(
        s,
        actor,
        audit_action or f"case.{kind}",
        audit_object or f"case:{case_id}",
        **(details if audit_details is None else audit_details),
    )
