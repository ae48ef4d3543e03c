"""The queue in SQL: filters, keyset pages and counts, without loading the whole queue."""

from __future__ import annotations

from datetime import datetime
from typing import Any, cast

from sqlalchemy import (
    ColumnElement,
    Select,
    Table,
    and_,
    func,
    literal,
    literal_column,
    or_,
    select,
    text,
    tuple_,
)
from sqlalchemy.orm import InstrumentedAttribute, Session, aliased

from desk.core.cases import OPEN_STATUS_CODES
from desk.core.queue_filter import OwnerFilter, QueueFilter, fts_query
from desk.core.targets import COUNTING_STATUS_CODES
from desk.store.tables import Account, Author, Case, Item, OfficialAccount

_owner = aliased(Account)
_ORDER = (Case.priority, Case.opened_at, Case.id)


# Statuses that hold most cases: new ones waiting, and every case ever closed.
_CROWDED = frozenset({"new", "closed"})


def _status(flt: QueueFilter, dialect: str) -> ColumnElement[str] | InstrumentedAttribute[str]:
    """The status column to filter on.

    On SQLite, a filter that takes in a crowded status (the usual view: every open case) is
    written ``+cases.status``, which keeps the planner off the status index: with it, SQLite
    would fetch every matching case to sort them (over a second for a million), where
    reading the queue-order index, which carries the status, stops after one page. For a
    few worked cases (escalated, say), the status index is the quick way, and is left to it.
    """
    if dialect == "sqlite" and flt.statuses & _CROWDED:
        return literal_column(f"+{Case.__tablename__}.status", Case.status.type)
    return Case.status


def _where(
    query: Select[Any],
    flt: QueueFilter,
    me: int | None,
    dialect: str,
    scope: list[int] | None = None,
) -> Select[Any]:
    if scope is not None:
        # a person scoped to areas: only the cases of their areas' official accounts
        query = query.where(Case.official_account_id.in_(scope))
    if flt.statuses:
        query = query.where(_status(flt, dialect).in_(sorted(flt.statuses)))
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
    """Return the select of queue rows: case, account handle, author handle and name, owner.

    The last column is the author's impersonation flag (None when not flagged).
    """
    return (
        select(
            Case,
            OfficialAccount.handle,
            Author.handle,
            Author.display_name,
            _owner.username,
            Author.impersonation,
        )
        .join(OfficialAccount, OfficialAccount.id == Case.official_account_id)
        .join(Author, Author.id == Case.author_id)
        .outerjoin(_owner, _owner.id == Case.owner_id)
    )


ROW_COLUMNS = (
    "id",
    "priority",
    "status",
    "opened_at",
    "due_at",
    "platform",
    "summary",
    "risk",
    "item_count",
    "language",
    "kind",
    "needs_assessment",
    "grade",
)
"""The case columns a queue row shows: each time column read costs parsing, so no others."""


def _page_rows() -> Select[Any]:
    """Queue rows as plain columns: the row's case columns by name, then the names."""
    columns = cast(Table, Case.__table__).c
    return (
        select(
            *(columns[name] for name in ROW_COLUMNS),
            OfficialAccount.handle.label("account_handle"),
            Author.handle.label("author_handle"),
            Author.display_name.label("author_name"),
            _owner.username.label("owner_name"),
            Author.impersonation.label("impersonation"),
        )
        .join(OfficialAccount, OfficialAccount.id == Case.official_account_id)
        .join(Author, Author.id == Case.author_id)
        .outerjoin(_owner, _owner.id == Case.owner_id)
    )


def _after(query: Select[Any], key: tuple[int, datetime, int], inclusive: bool) -> Select[Any]:
    priority, opened_at, case_id = key
    bound = tuple_(
        literal(priority, Case.priority.type),
        literal(opened_at, Case.opened_at.type),
        literal(case_id, Case.id.type),
    )
    place = tuple_(Case.priority, Case.opened_at, Case.id)
    return query.where(place >= bound if inclusive else place > bound)


def _before(query: Select[Any], key: tuple[int, datetime, int]) -> Select[Any]:
    priority, opened_at, case_id = key
    bound = tuple_(
        literal(priority, Case.priority.type),
        literal(opened_at, Case.opened_at.type),
        literal(case_id, Case.id.type),
    )
    return query.where(tuple_(Case.priority, Case.opened_at, Case.id) < bound)


def queue_page(
    s: Session,
    flt: QueueFilter,
    me: int | None,
    after: tuple[int, datetime, int] | None = None,
    limit: int = 100,
    offset: int = 0,
    before: tuple[int, datetime, int] | None = None,
    from_end: bool = False,
    scope: list[int] | None = None,
) -> list[Any]:
    """Return up to ``limit`` rows in queue order, after the key ``after`` (keyset paging).

    ``scope`` (official account ids; None for all) limits the page to those accounts' cases:
    a person scoped to areas sees only theirs.

    Each row is ``(case, account handle, author handle, author name, owner, impersonation)``
    (the last the author's look-alike flag or None), where ``case``
    carries the :data:`ROW_COLUMNS` of the case as attributes (not an ORM object: a page of
    the queue is read, never changed). With ``offset`` (a jump, such as the scroll bar dragged
    to the end), the key of the first row is found first in the queue-order index alone, so
    that the rows jumped over are not read, let alone joined.

    With ``before`` (a key) or ``from_end``, the page is the ``limit`` rows just before that
    key, or the last ``limit`` rows of the queue, still in queue order: read backwards in the
    queue-order index (the reversed order), so that the end of a million cases costs what
    the start does, where an ``offset`` walks the index to it.
    """
    dialect = s.get_bind().dialect.name
    if before is not None or from_end:
        if offset or after is not None:
            raise ValueError("a page read backwards takes neither after nor offset")
        query = _where(_page_rows(), flt, me, dialect, scope)
        if before is not None:
            query = _before(query, before)
        query = query.order_by(*(c.desc() for c in _ORDER)).limit(limit)
        backwards = [
            (
                row,
                row.account_handle,
                row.author_handle,
                row.author_name,
                row.owner_name,
                row.impersonation,
            )
            for row in s.execute(query)
        ]
        backwards.reverse()
        return backwards
    start: tuple[int, datetime, int] | None = after
    inclusive = False
    if offset:
        keys = select(Case.priority, Case.opened_at, Case.id)
        keys = _where(keys, flt, me, dialect, scope)
        if after is not None:
            keys = _after(keys, after, inclusive=False)
        found = s.execute(keys.order_by(*_ORDER).limit(1).offset(offset)).first()
        if found is None:
            return []
        start, inclusive = (found[0], found[1], found[2]), True
    query = _where(_page_rows(), flt, me, dialect, scope)
    if start is not None:
        query = _after(query, start, inclusive)
    query = query.order_by(*_ORDER).limit(limit)
    return [
        (
            row,
            row.account_handle,
            row.author_handle,
            row.author_name,
            row.owner_name,
            row.impersonation,
        )
        for row in s.execute(query)
    ]


def queue_count(
    s: Session, flt: QueueFilter, me: int | None, scope: list[int] | None = None
) -> int:
    """Return how many cases the filter shows (within ``scope``'s accounts, if given)."""
    dialect = s.get_bind().dialect.name
    query = _where(select(func.count()).select_from(Case), flt, me, dialect, scope)
    return int(s.scalar(query) or 0)


def status_counts(
    s: Session, me: int | None, now: datetime, scope: list[int] | None = None
) -> dict[str, int]:
    """Return the status bar's counts: new, mine (open), past target (open).

    With ``scope`` (official account ids), only those accounts' cases are counted.
    """
    counting = select(func.count()).select_from(Case)
    if scope is not None:
        counting = counting.where(Case.official_account_id.in_(scope))
    open_ = Case.status.in_(OPEN_STATUS_CODES)
    new = s.scalar(counting.where(Case.status == "new")) or 0
    mine = s.scalar(counting.where(and_(open_, Case.owner_id == me)))
    late = s.scalar(counting.where(and_(Case.status.in_(COUNTING_STATUS_CODES), Case.due_at < now)))
    return {"new": int(new), "mine": int(mine or 0), "breached": int(late or 0)}
