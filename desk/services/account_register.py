"""What other use cases ask of the official accounts register, inside their own transaction.

- :func:`ensure_engagement_account`: case work (claim, reply, escalate, moderate, THRIVE)
  refuses an item on an investigations account, with why.
- :func:`refuse_investigations_items`: the import hook (see docs/account-estate.md).
- :func:`overdue_reviews` / :func:`handover_notes`: the dashboard's and the handover's lines.
"""

from __future__ import annotations

import json
from dataclasses import dataclass
from datetime import date, datetime

from sqlalchemy import select
from sqlalchemy.orm import Session

from desk.core.account_register import (
    DEFAULT_REVIEW_DAYS,
    InvestigationsAccount,
    Purpose,
    next_review_due,
    parse_review_days,
    review_overdue,
)
from desk.core.errors import InvalidInput, NotFound
from desk.core.handover import HandoverNoteEntry
from desk.core.subject_access import local_day
from desk.store.tables import Item, OfficialAccount, Setting

REVIEW_DAYS_SETTING = "account_review_days"


def review_days(s: Session) -> int:
    """The security review interval in days (the ``account_review_days`` setting)."""
    row = s.get(Setting, REVIEW_DAYS_SETTING)
    if row is None:
        return DEFAULT_REVIEW_DAYS
    try:
        return parse_review_days(json.loads(row.value))
    except (InvalidInput, ValueError):
        return DEFAULT_REVIEW_DAYS


def review_due(row: OfficialAccount, interval_days: int) -> date:
    """When the account's next security review is due.

    The date the last review set; an account never reviewed is due one interval after it
    was opened (or entered on the desk, for accounts registered before the register existed).
    """
    if row.review_due_on is not None:
        return row.review_due_on
    start = row.opened_on or local_day(row.created_at)
    return next_review_due(start, interval_days)


def ensure_engagement_account(s: Session, account_id: int, doing: str = "work") -> None:
    """Raise ``InvestigationsAccount`` if the official account is used for investigations."""
    row = s.get(OfficialAccount, account_id)
    if row is None:
        raise NotFound(f"There is no official account #{account_id}.")
    if row.purpose == Purpose.INVESTIGATIONS.value:
        raise InvestigationsAccount([(row.platform, row.handle)], doing)


def refuse_investigations_items(s: Session, first_item: int | None, last_item: int | None) -> None:
    """The import hook: refuse an import whose new items reach an investigations account.

    Called inside the import's transaction once its items are written (``first_item`` to
    ``last_item``, the new items' ids); raising rolls the whole import back, and the message
    names every investigations account the file reached.
    """
    if first_item is None or last_item is None:
        return
    rows = s.execute(
        select(OfficialAccount.platform, OfficialAccount.handle)
        .where(
            OfficialAccount.purpose == Purpose.INVESTIGATIONS.value,
            OfficialAccount.id.in_(
                select(Item.official_account_id)
                .where(Item.id >= first_item, Item.id <= last_item)
                .distinct()
            ),
        )
        .order_by(OfficialAccount.platform, OfficialAccount.handle)
    ).all()
    if rows:
        raise InvestigationsAccount([(p, h) for p, h in rows], "import")


def investigations_account_ids(s: Session) -> set[int]:
    """The ids of the official accounts used for investigations (for a pre-check by id)."""
    return set(
        s.scalars(
            select(OfficialAccount.id).where(
                OfficialAccount.purpose == Purpose.INVESTIGATIONS.value
            )
        )
    )


@dataclass(frozen=True)
class OverdueReview:
    """An open official account whose security review is overdue."""

    account_id: int
    platform: str
    handle: str
    due_on: date


def overdue_reviews(s: Session, today: date) -> list[OverdueReview]:
    """Open accounts whose security review was due before ``today``, oldest first."""
    interval = review_days(s)
    found = []
    for row in s.scalars(
        select(OfficialAccount)
        .where(OfficialAccount.active.is_(True))
        .order_by(OfficialAccount.platform, OfficialAccount.handle)
    ):
        due = review_due(row, interval)
        if review_overdue(due, today):
            found.append(OverdueReview(row.id, row.platform, row.handle, due))
    return sorted(found, key=lambda o: (o.due_on, o.platform, o.handle))


def handover_notes(s: Session, until: datetime) -> list[HandoverNoteEntry]:
    """Handover lines for the official accounts whose security review is overdue."""
    return [
        HandoverNoteEntry(
            until,
            "Desk",
            f"The security review of official account {o.handle} on {o.platform} is OVERDUE: "
            f"it was due {o.due_on:%d %b %Y}.",
        )
        for o in overdue_reviews(s, local_day(until))
    ]
