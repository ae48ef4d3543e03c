"""Reading the queue: pages in queue order, counts, and one case in full."""

from __future__ import annotations

import json
from dataclasses import replace
from typing import Any

from sqlalchemy import func, select
from sqlalchemy.orm import Session

from desk.core.disguised_text import find as find_disguises
from desk.core.errors import InvalidInput, NotFound
from desk.core.queue_filter import QueueFilter
from desk.core.risk import Severity
from desk.core.roles import Action
from desk.core.thrive import FACTORS
from desk.services.areas import check_case_ids, check_case_scope, scoped_account_ids
from desk.services.case_records import case_records
from desk.services.case_views import (
    AssessmentView,
    CaseDetail,
    ItemView,
    MatchView,
    QueueKey,
    QueueRow,
    TimelineEntry,
)
from desk.services.cases import VIEWER_FRESH
from desk.services.context import DeskContext
from desk.services.signin import SignInService
from desk.services.timeline import with_own_posts
from desk.store import queue_queries
from desk.store.tables import (
    Author,
    Case,
    CaseEvent,
    CaseViewer,
    Item,
    OfficialAccount,
    ThriveRecord,
)


def to_row(found: Any) -> QueueRow:
    """Turn a (case, account, author handle, author name, owner, flag) result into a queue row."""
    case, account, handle, name, owner, *flag = found
    return QueueRow(
        case_id=case.id,
        priority=case.priority,
        status=case.status,
        opened_at=case.opened_at,
        due_at=case.due_at,
        platform=case.platform,
        account=account,
        author=handle or name,
        summary=case.summary,
        risk=tuple(c for c in case.risk.split(",") if c),
        owner=owner,
        item_count=case.item_count,
        language=case.language,
        kind=case.kind,
        needs_assessment=case.needs_assessment,
        grade=case.grade,
        impersonates=flag[0] if flag else None,
    )


def _item_view(item: Item, account: str, handle: str, name: str) -> ItemView:
    matches = tuple(
        MatchView(
            rule_id=m["rule"],
            category=m["category"],
            severity=m["severity"],
            spans=tuple((int(a), int(b)) for a, b in m["spans"]),
            matched=tuple(m["matched"]),
        )
        for m in json.loads(item.matches)
    )
    return ItemView(
        id=item.id,
        case_id=item.case_id,
        platform=item.platform,
        account=account,
        kind=item.kind,
        platform_id=item.platform_id,
        author_handle=handle,
        author_name=name,
        text=item.text,
        link=item.link,
        media=tuple(json.loads(item.media)),
        thread_id=item.thread_id,
        thread_title=item.thread_title,
        posted_at=item.posted_at,
        received_at=item.received_at,
        language=item.language,
        redacted=item.redacted,
        matches=matches,
    )


def _items(s: Session, *where: Any, limit: int | None = 200) -> tuple[ItemView, ...]:
    query = (
        select(Item, OfficialAccount.handle, Author.handle, Author.display_name)
        .join(OfficialAccount, OfficialAccount.id == Item.official_account_id)
        .join(Author, Author.id == Item.author_id)
        .where(*where)
        .order_by(Item.received_at, Item.id)
    )
    if limit is not None:
        query = query.limit(limit)
    return tuple(_item_view(*r) for r in s.execute(query))


def _flag_disguised(s: Session, rows: list[QueueRow]) -> list[QueueRow]:
    """Mark the rows with an item whose text disguises itself, wherever it is in the case.

    The row shows the case's first line only: a bidi override or hidden characters in a later
    item (a reply joined to the case) would otherwise not be flagged in the queue.
    """
    if not rows:
        return rows
    texts = s.execute(
        select(Item.case_id, Item.text).where(Item.case_id.in_([r.case_id for r in rows]))
    )
    hidden = {case_id for case_id, text in texts if text and find_disguises(text)}
    return [replace(r, disguised=True) if r.case_id in hidden else r for r in rows]


class QueueService:
    """What the queue window and `desk-admin queue` read."""

    def __init__(self, ctx: DeskContext, signin: SignInService) -> None:
        self.ctx = ctx
        self.signin = signin

    def page(
        self,
        token: str,
        flt: QueueFilter,
        after: QueueKey | None = None,
        limit: int = 100,
        offset: int = 0,
        before: QueueKey | None = None,
        from_end: bool = False,
    ) -> list[QueueRow]:
        """Return up to ``limit`` rows in queue order after ``after`` (or from ``offset``).

        With ``before``, the rows just before that key; with ``from_end``, the last ``limit``
        rows of the queue (both read backwards by key, in queue order, without an offset).
        """
        actor = self.signin.authorize(token, Action.VIEW_QUEUE)
        if (before is not None or from_end) and (after is not None or offset):
            raise InvalidInput("A queue page is read after a key or before one, not both.")
        key = (after.priority, after.opened_at, after.case_id) if after else None
        end = (before.priority, before.opened_at, before.case_id) if before else None
        with self.ctx.db.read() as s:
            found = queue_queries.queue_page(
                s,
                flt,
                actor.account_id,
                key,
                limit,
                offset,
                before=end,
                from_end=from_end,
                scope=scoped_account_ids(s, actor.scope),
            )
            return _flag_disguised(s, [to_row(r) for r in found])

    def count(self, token: str, flt: QueueFilter) -> int:
        """Return how many cases the filter shows."""
        actor = self.signin.authorize(token, Action.VIEW_QUEUE)
        with self.ctx.db.read() as s:
            scope = scoped_account_ids(s, actor.scope)
            return queue_queries.queue_count(s, flt, actor.account_id, scope)

    def status_counts(self, token: str) -> dict[str, int]:
        """Return the status bar's counts: new, mine, past target."""
        actor = self.signin.authorize(token, Action.VIEW_QUEUE)
        with self.ctx.db.read() as s:
            scope = scoped_account_ids(s, actor.scope)
            return queue_queries.status_counts(s, actor.account_id, self.ctx.clock.now(), scope)

    def items_for(self, token: str, case_ids: list[int]) -> dict[int, tuple[ItemView, ...]]:
        """Return every item of each case, oldest first (for exports and scripts)."""
        actor = self.signin.authorize(token, Action.VIEW_QUEUE)
        found: dict[int, list[ItemView]] = {case_id: [] for case_id in case_ids}
        with self.ctx.db.read() as s:
            check_case_ids(s, actor, case_ids)
            for view in _items(s, Item.case_id.in_(case_ids), limit=None):
                found[view.case_id].append(view)
        return {case_id: tuple(views) for case_id, views in found.items()}

    def detail(self, token: str, case_id: int) -> CaseDetail:
        """Return one case in full: items, thread, author history, timeline, THRIVE."""
        actor = self.signin.authorize(token, Action.VIEW_QUEUE)
        with self.ctx.db.read() as s:
            found = s.execute(queue_queries.queue_rows().where(Case.id == case_id)).first()
            if found is None:
                raise NotFound(f"There is no case #{case_id}.")
            row = to_row(found)
            case: Case = found[0]
            check_case_scope(s, actor, case)
            # a person scoped to areas sees no other area's items through the thread or author
            ids = scoped_account_ids(s, actor.scope)
            within = () if ids is None else (Item.official_account_id.in_(ids),)
            items = _items(s, Item.case_id == case_id)
            if any(i.text and find_disguises(i.text) for i in items):
                row = replace(row, disguised=True)  # the queue shows this row too
            thread_ids = {i.thread_id for i in items if i.thread_id}
            thread = (
                _items(s, Item.thread_id.in_(thread_ids), Item.case_id != case_id, *within)
                if thread_ids
                else ()
            )
            thread = with_own_posts(s, items, thread, ids)  # the force's posts in it (issue 17)
            author_items = (
                s.scalar(
                    select(func.count()).select_from(Item).where(Item.author_id == case.author_id)
                )
                or 0
            )
            author_cases = tuple(
                s.scalars(
                    select(Case.id)
                    .where(Case.author_id == case.author_id, Case.id != case_id)
                    .where(*(() if ids is None else (Case.official_account_id.in_(ids),)))
                    .order_by(Case.id.desc())
                    .limit(20)
                )
            )
            timeline = [
                TimelineEntry(i.received_at, i.author_handle, "arrived", f"{i.kind} arrived")
                for i in items
            ]
            for i in items:
                for m in i.matches:
                    level = Severity(m.severity).priority
                    timeline.append(
                        TimelineEntry(
                            i.received_at,
                            "rules",
                            "risk",
                            f"{level.name} by rule {m.rule_id} ({m.category})",
                        )
                    )
            events = s.scalars(
                select(CaseEvent).where(CaseEvent.case_id == case_id).order_by(CaseEvent.id)
            )
            timeline += [TimelineEntry(e.at, e.actor, e.kind, e.text) for e in events]
            timeline.sort(key=lambda t: t.at)
            assessments = tuple(
                AssessmentView(
                    version=t.version,
                    at=t.at,
                    actor=t.actor,
                    factors={f: getattr(t, f) for f in FACTORS},
                    grade=t.grade,
                    risk_seen=t.risk_seen,
                )
                for t in s.scalars(
                    select(ThriveRecord)
                    .where(ThriveRecord.case_id == case_id)
                    .order_by(ThriveRecord.version)
                )
            )
            holds, appeals = case_records(s, case_id, case.author_id)
            fresh = self.ctx.clock.now() - VIEWER_FRESH
            viewers = tuple(
                s.scalars(
                    select(CaseViewer.username).where(
                        CaseViewer.case_id == case_id,
                        CaseViewer.seen_at >= fresh,
                        CaseViewer.session_id != actor.session_id,
                    )
                )
            )
        return CaseDetail(
            row=row,
            items=items,
            thread=thread,
            author_items=int(author_items),
            author_cases=author_cases,
            timeline=tuple(timeline),
            assessments=assessments,
            viewers=viewers,
            author_id=case.author_id,
            holds=holds,
            appeals=appeals,
            version=case.version,
        )
