"""What every action on a case shares: finding it and the ownership rule.

Its timeline line and audit entry: :func:`desk.services.timeline.record_case_event`.
"""

from __future__ import annotations

from datetime import datetime

from sqlalchemy import select
from sqlalchemy.orm import Session

from desk.core.audit_filter import AuditFilter
from desk.core.errors import Conflict, NotFound
from desk.core.roles import Action, may
from desk.services.account_register import ensure_engagement_account
from desk.services.areas import check_case_scope
from desk.services.views import Actor
from desk.store import audit_log
from desk.store.tables import Account, Case

# how a case's audit action reads in a refusal ("changed by jsmith at 14:02 UTC (claimed)")
_DONE = {
    "claim": "claimed",
    "release": "released",
    "reassign": "reassigned",
    "assess": "THRIVE assessed",
    "close": "closed",
    "reopen": "re-opened",
    "redact": "redacted",
    "note": "noted",
    "escalate": "escalated",
}


class StaleCase(Conflict):
    """The case changed after the person opened it: their action would overwrite that."""

    code = "case.stale"

    def __init__(self, message: str, case_id: int) -> None:
        super().__init__(message)
        self.case_id = case_id


def check_version(s: Session, case: Case, expected: int | None) -> None:
    """Refuse a change made from a view of ``case`` older than its stored version.

    ``expected`` is the version the person was looking at (None: no window, no check). The
    refusal names who changed the case last and when, from its newest audit entry.
    """
    if expected is None or case.version == expected:
        return
    last = audit_log.find(s, AuditFilter(case_id=case.id), limit=1)
    if not last:
        raise StaleCase(
            f"Case #{case.id} changed after you opened it (new items may have arrived): "
            "look again before you act.",
            case.id,
        )
    entry = last[0]
    when = datetime.fromisoformat(entry.at.replace("Z", "+00:00")).strftime("%d %b %H:%M")
    kind = entry.action.removeprefix("case.")
    done = _DONE.get(kind, kind.replace("_", " "))
    raise StaleCase(
        f"Case #{case.id} was changed by {entry.actor} at {when} UTC ({done}) after you "
        "opened it: look again before you act.",
        case.id,
    )


def load_case(s: Session, case_id: int, actor: Actor | None) -> Case:
    """Return the case, or raise NotFound naming it; refuse one outside the actor's areas.

    Every service reads a case through here: a person scoped to areas is refused another
    area's case (``PermissionDenied``). ``None`` is for the desk itself (imports, purges).
    """
    case = s.get(Case, case_id)
    if case is None:
        raise NotFound(f"There is no case #{case_id}.")
    check_case_scope(s, actor, case)
    return case


def owner_name(s: Session, case: Case) -> str:
    """The owner's username ('nobody' for an unclaimed case)."""
    if case.owner_id is None:
        return "nobody"
    return s.scalar(select(Account.username).where(Account.id == case.owner_id)) or "someone"


def must_own(
    s: Session, actor: Actor, case: Case, doing: str = "working on", *, engagement: bool = True
) -> None:
    """Allow the case's owner, or someone who may reassign cases; else say who owns it.

    With ``engagement`` (the default) a case on an investigations account is refused first:
    Desk does not work those items. Releasing, closing and redacting pass False, so such a
    case (imported before its account's purpose changed) can still be cleared.
    """
    if engagement:
        ensure_engagement_account(s, case.official_account_id)
    if case.owner_id == actor.account_id or may(actor.role, Action.REASSIGN_CASES):
        return
    if case.owner_id is None:
        raise Conflict(f"Claim case #{case.id} before {doing} it.")
    raise Conflict(f"Case #{case.id} is owned by {owner_name(s, case)}.")
