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

from sqlalchemy import select
from sqlalchemy.orm import Session

from desk.services.case_views import ItemView
from desk.services.context import DeskContext
from desk.store.own_posts import own_posts_in
from desk.store.tables import CaseEvent, OfficialAccount


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


def with_own_posts(
    s: Session,
    items: tuple[ItemView, ...],
    thread: tuple[ItemView, ...],
    account_ids: list[int] | None,
) -> tuple[ItemView, ...]:
    """The case's thread with the force's own posts in it, marked ``own``, in time order.

    An own post is in the thread when it is the post the case's items reply to or whose
    conversation they are in, or when it replies within that conversation or to one of them
    (a self-reply by the force is shown here, never queued). ``account_ids`` limits them to
    the accounts the person may see (None: all).
    """
    wanted: dict[str, set[str]] = {}
    for item in (*items, *thread):
        ids = wanted.setdefault(item.platform, set())
        ids.add(item.platform_id)
        if item.thread_id:
            ids.add(item.thread_id)
    if not wanted:
        return thread
    posts = own_posts_in(s, wanted, None if account_ids is None else set(account_ids))
    if not posts:
        return thread
    accounts = {
        id_: (handle, name)
        for id_, handle, name in s.execute(
            select(OfficialAccount.id, OfficialAccount.handle, OfficialAccount.display_name).where(
                OfficialAccount.id.in_({p.official_account_id for p in posts})
            )
        )
    }
    own = [
        ItemView(
            id=-post.id,  # not an item: never opened as one
            case_id=0,
            platform=post.platform,
            account=accounts[post.official_account_id][0],
            kind="own_post",
            platform_id=post.platform_id,
            author_handle=accounts[post.official_account_id][0],
            author_name=accounts[post.official_account_id][1],
            text=post.text,
            link=post.link,
            media=tuple(json.loads(post.media)),
            thread_id=post.thread_id,
            thread_title=None,
            posted_at=post.posted_at,
            received_at=post.posted_at,
            language=None,
            redacted=False,
            own=True,
        )
        for post in posts
    ]
    # in the order the conversation was written (an import's items arrive when imported)
    return tuple(sorted((*thread, *own), key=lambda v: (v.posted_at, v.own, v.id)))
