"""The queue in SQL: filters, keyset pages and counts, without loading the whole queue."""

from __future__ import annotations

from datetime import datetime
from typing import Any

from sqlalchemy import Select, and_, func, literal, or_, select, text, tuple_
from sqlalchemy.orm import Session, aliased

from desk.core.queue_filter import OwnerFilter, QueueFilter, fts_query
from desk.store.tables import Account, Author, Case, Item, OfficialAccount

_owner = aliased(Account)


def _where(query: Select[Any], flt: QueueFilter, me: int | None, dialect: str) -> Select[Any]:
    if flt.statuses:
        query = query.where(Case.status.in_(sorted(flt.statuses)))
    if flt.priorities:
        query = query.where(Case.priority.in_(sorted(flt.priorities)))
    if flt.platforms:
        query = query.where(Case.platform.in_(sorted(flt.platforms)))
    if flt.account_ids:
        query = query.where(Case.official_account_id.in_(sorted(flt.account_ids)))
    if flt.kinds:
        query = query.where(Case.kind.in_(sorted(flt.kinds)))
    if flt.categories:
        # risk is stored as ",cat1,cat2," so one category is a plain substring test
        query = query.where(or_(*[Case.risk.contains(f",{c},") for c in sorted(flt.categories)]))
    if flt.owner is OwnerFilter.ME:
        query = query.where(Case.owner_id == me)
    elif flt.owner is OwnerFilter.UNASSIGNED:
        query = query.where(Case.owner_id.is_(None))
    terms = fts_query(flt.search)
    if terms:
        if dialect == "sqlite":
            hits = (
                select(Item.case_id)
                .where(Item.id.in_(text("SELECT rowid FROM items_fts WHERE items_fts MATCH :q")))
                .params(q=terms)
            )
        else:
            vector = func.to_tsvector("simple", Item.text + " " + Item.author_text)
            words = " & ".join(w.strip('"*') + ":*" for w in terms.split())
            hits = select(Item.case_id).where(vector.op("@@")(func.to_tsquery("simple", words)))
        query = query.where(Case.id.in_(hits))
    return query


def queue_rows() -> Select[Any]:
    """Return the select of queue rows: case, account handle, author handle and name, owner."""
    return (
        select(
            Case,
            OfficialAccount.handle,
            Author.handle,
            Author.display_name,
            _owner.username,
        )
        .join(OfficialAccount, OfficialAccount.id == Case.official_account_id)
        .join(Author, Author.id == Case.author_id)
        .outerjoin(_owner, _owner.id == Case.owner_id)
    )


def queue_page(
    s: Session,
    flt: QueueFilter,
    me: int | None,
    after: tuple[int, datetime, int] | None = None,
    limit: int = 100,
    offset: int = 0,
) -> list[Any]:
    """Return up to ``limit`` rows in queue order, after the key ``after`` (keyset paging)."""
    query = _where(queue_rows(), flt, me, s.get_bind().dialect.name)
    if after is not None:
        priority, opened_at, case_id = after
        bound = tuple_(
            literal(priority, Case.priority.type),
            literal(opened_at, Case.opened_at.type),
            literal(case_id, Case.id.type),
        )
        query = query.where(tuple_(Case.priority, Case.opened_at, Case.id) > bound)
    query = query.order_by(Case.priority, Case.opened_at, Case.id).limit(limit)
    if offset:
        query = query.offset(offset)
    return list(s.execute(query).all())


def queue_count(s: Session, flt: QueueFilter, me: int | None) -> int:
    """Return how many cases the filter shows."""
    query = _where(select(func.count()).select_from(Case), flt, me, s.get_bind().dialect.name)
    return int(s.scalar(query) or 0)


def status_counts(s: Session, me: int | None, now: datetime) -> dict[str, int]:
    """Return the status bar's counts: new, mine (open), past target (open)."""
    open_ = Case.status.in_(["new", "triage", "actioned", "escalated"])
    new = s.scalar(select(func.count()).select_from(Case).where(Case.status == "new")) or 0
    mine = s.scalar(select(func.count()).select_from(Case).where(and_(open_, Case.owner_id == me)))
    late = s.scalar(
        select(func.count())
        .select_from(Case)
        .where(and_(Case.status.in_(["new", "triage"]), Case.due_at < now))
    )
    return {"new": int(new), "mine": int(mine or 0), "breached": int(late or 0)}
