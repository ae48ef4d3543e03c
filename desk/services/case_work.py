"""What every action on a case shares: finding it and the ownership rule.

Its timeline line and audit entry: :func:`desk.services.timeline.record_case_event`.
"""

from __future__ import annotations

from sqlalchemy import select
from sqlalchemy.orm import Session

from desk.core.errors import Conflict, NotFound
from desk.core.roles import Action, may
from desk.services.account_register import ensure_engagement_account
from desk.services.areas import check_case_scope
from desk.services.views import Actor
from desk.store.tables import Account, Case


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
