"""The one way Desk makes content gone: items, their cases, every copy of their text.

Every copy Desk keeps: search index, summaries, notes, THRIVE, replies, moderation, escalations.

Used by retention runs and by the erasure of one author. Call :func:`purge_items` (or
:func:`purge_cases`) inside a write unit of work, then :func:`after_purge` once it has
committed: that empties the write-ahead log, so the removed text is in no file Desk keeps.
"""

from __future__ import annotations

import json
from collections.abc import Iterable, Mapping
from dataclasses import dataclass
from typing import Any

from sqlalchemy import delete, func, select, update
from sqlalchemy.orm import Session

from desk.core.errors import Conflict, InvalidInput
from desk.core.grouping import case_summary
from desk.core.retention import EndAction, HoldTarget
from desk.services.context import DeskContext
from desk.store.purging import empty_write_ahead_log, merge_search_index
from desk.store.tables import (
    Author,
    Case,
    CaseEvent,
    CaseViewer,
    Escalation,
    Item,
    ItemOriginal,
    LegalHold,
    ModerationAction,
    PublicAppeal,
    QualityReview,
    Reply,
    ThriveRecord,
)

ANONYMISED = "(anonymised)"
# details of timeline lines that carry people's words (kept codes: outcome, rule, ids, ...)
FREE_TEXT_KEYS = frozenset(
    {"explanation", "note", "reason", "text", "body", "summary", "decision_note", "override_reason"}
)
PURGE_ACTION = "content.purge"


@dataclass(frozen=True)
class PurgeResult:
    """What one purge removed or anonymised (counts and ids only)."""

    mode: EndAction
    items: tuple[int, ...]
    cases_removed: tuple[int, ...]  # whole cases gone (delete) or fully anonymised
    authors_removed: int


def _mode(mode: EndAction | str) -> EndAction:
    try:
        return EndAction(mode)
    except ValueError:
        raise InvalidInput(f"Unknown purge mode {mode!r}: use delete or anonymise.") from None


def _standing(s: Session, target: HoldTarget) -> set[int]:
    # holds are few: read them all rather than bind a long list of ids
    return set(
        s.scalars(
            select(LegalHold.target_id).where(
                LegalHold.target == target.value, LegalHold.lifted_at.is_(None)
            )
        )
    )


def held_cases(s: Session, case_ids: Iterable[int]) -> set[int]:
    """Return those of ``case_ids`` under an active legal hold, on the case or its author."""
    ids = set(case_ids)
    if not ids:
        return set()
    held = _standing(s, HoldTarget.CASE)
    authors = sorted(_standing(s, HoldTarget.AUTHOR))
    if authors:
        held |= set(s.scalars(select(Case.id).where(Case.author_id.in_(authors))))
    return held & ids


def all_held_cases(s: Session) -> set[int]:
    """Return every case under an active legal hold, on the case or on its author."""
    held = _standing(s, HoldTarget.CASE)
    authors = sorted(_standing(s, HoldTarget.AUTHOR))
    if authors:
        held |= set(s.scalars(select(Case.id).where(Case.author_id.in_(authors))))
    return held


def held_authors(s: Session, author_ids: Iterable[int]) -> set[int]:
    """Return those of ``author_ids`` under an active legal hold."""
    return _standing(s, HoldTarget.AUTHOR) & set(author_ids)


def _refuse_held(s: Session, case_ids: set[int], author_ids: set[int]) -> None:
    cases = held_cases(s, case_ids)
    authors = held_authors(s, author_ids)
    if cases or authors:
        named = [f"case #{c}" for c in sorted(cases)] + [f"author {a}" for a in sorted(authors)]
        raise Conflict(
            f"A legal hold stands on {', '.join(named)}: nothing was removed. "
            "Lift the hold first (desk-admin hold lift)."
        )


def anonymous_author(s: Session, ctx: DeskContext, platform: str) -> int:
    """Return the id of the platform's stand-in author for anonymised records (made once)."""
    found = s.scalar(
        select(Author.id).where(Author.platform == platform, Author.platform_user_id == ANONYMISED)
    )
    if found is not None:
        return found
    stand_in = Author(
        platform=platform,
        platform_user_id=ANONYMISED,
        handle=ANONYMISED,
        display_name=ANONYMISED,
        first_seen_at=ctx.clock.now(),
    )
    s.add(stand_in)
    s.flush()
    return stand_in.id


def purge_items(
    s: Session,
    ctx: DeskContext,
    item_ids: Iterable[int],
    mode: EndAction | str,
    *,
    actor: str,
    why: Mapping[str, Any],
    merge: bool = True,
) -> PurgeResult:
    """Delete or anonymise items and every copy of their text; write the tombstone entry.

    A case left with no live item goes whole (delete) or is anonymised whole: its summary,
    notes and timeline text, THRIVE text, escalation documents, replies and moderation
    explanations. ``why`` goes into the tombstone audit entry with the ids (class, rule,
    approver, or the erasure's reason): ids and codes only, never content. ``merge=False``
    leaves the search index's merge to the caller (one merge after many chunks: it rewrites
    the whole index), who must then call ``merge_search_index(s)`` before committing.

    Raises:
        Conflict: a legal hold stands on one of the items' cases or authors (nothing changes).
    """
    end = _mode(mode)
    ids = sorted(set(item_ids))
    if not ids:
        return PurgeResult(end, (), (), 0)
    items = list(s.scalars(select(Item).where(Item.id.in_(ids))))
    case_ids = {i.case_id for i in items}
    author_ids = {i.author_id for i in items}
    _refuse_held(s, case_ids, author_ids)
    chosen = {i.id for i in items}
    # the cases left with no live item once these go
    whole: list[int] = []
    for case_id in sorted(case_ids):
        live = s.scalars(
            select(Item.id).where(Item.case_id == case_id, ~Item.platform_id.startswith(ANONYMISED))
            if end is EndAction.ANONYMISE
            else select(Item.id).where(Item.case_id == case_id)
        )
        if set(live) <= chosen:
            whole.append(case_id)
    touched_authors = set(author_ids) | set(
        s.scalars(select(Case.author_id).where(Case.id.in_(whole)))
    )
    # the bytes as received (evidence) hold the text too: they go in both modes
    s.execute(delete(ItemOriginal).where(ItemOriginal.item_id.in_(ids)))
    if end is EndAction.DELETE:
        _delete(s, ids, whole)
    else:
        _anonymise(s, ctx, items, whole)
    for case_id in sorted(case_ids - set(whole)):
        _resummarise(s, case_id)
    removed_authors = _drop_orphan_authors(s, touched_authors)
    if merge:
        merge_search_index(s)
    ctx.audit.record(
        s,
        actor,
        PURGE_ACTION,
        "items",
        mode=end.value,
        items=ids,
        cases=whole,
        authors_removed=removed_authors,
        **dict(why),
    )
    return PurgeResult(end, tuple(ids), tuple(whole), removed_authors)


def purge_cases(
    s: Session,
    ctx: DeskContext,
    case_ids: Iterable[int],
    mode: EndAction | str,
    *,
    actor: str,
    why: Mapping[str, Any],
    merge: bool = True,
) -> PurgeResult:
    """Purge whole cases: every item of each, as :func:`purge_items` does."""
    ids = sorted(set(case_ids))
    items = list(s.scalars(select(Item.id).where(Item.case_id.in_(ids)))) if ids else []
    if not items:
        return PurgeResult(_mode(mode), (), (), 0)
    return purge_items(s, ctx, items, mode, actor=actor, why=why, merge=merge)


def _delete(s: Session, item_ids: list[int], whole: list[int]) -> None:
    s.execute(
        update(ModerationAction).where(ModerationAction.item_id.in_(item_ids)).values(item_id=None)
    )
    if whole:
        for table in (
            CaseEvent,
            ThriveRecord,
            CaseViewer,
            Escalation,
            Reply,
            ModerationAction,
            QualityReview,
            PublicAppeal,
        ):
            s.execute(delete(table).where(table.case_id.in_(whole)))
    s.execute(delete(Item).where(Item.id.in_(item_ids)))
    if whole:
        s.execute(delete(Case).where(Case.id.in_(whole)))


def _anonymise(s: Session, ctx: DeskContext, items: list[Item], whole: list[int]) -> None:
    stand_ins: dict[str, int] = {}

    def stand_in(platform: str) -> int:
        if platform not in stand_ins:
            stand_ins[platform] = anonymous_author(s, ctx, platform)
        return stand_ins[platform]

    for item in items:
        item.text = ""
        item.author_text = ""
        item.link = None
        item.media = "[]"
        item.thread_id = None
        item.thread_title = None
        item.matches = "[]"
        item.platform_id = f"{ANONYMISED} {item.id}"
        item.author_id = stand_in(item.platform)
        item.redacted = True
    for case in s.scalars(select(Case).where(Case.id.in_(whole))):
        case.summary = ANONYMISED
        case.author_id = stand_in(case.platform)
        case.thread_key = f"{ANONYMISED} {case.id}"
        case.notable = ""
        for event in s.scalars(select(CaseEvent).where(CaseEvent.case_id == case.id)):
            event.text = ""
            event.details = _without_free_text(event.details)
        s.execute(
            update(ThriveRecord)
            .where(ThriveRecord.case_id == case.id)
            .values(threat="", harm="", risk="", investigation="", vulnerability="", engagement="")
        )
        s.execute(
            update(Escalation)
            .where(Escalation.case_id == case.id)
            .values(summary="", body="", ack_note="")
        )
        s.execute(
            update(Reply)
            .where(Reply.case_id == case.id)
            .values(
                text="",
                decision_note="",
                override_reason="",
                author_id=stand_in(case.platform),
            )
        )
        s.execute(
            update(ModerationAction)
            .where(ModerationAction.case_id == case.id)
            .values(explanation="", author_id=stand_in(case.platform))
        )
        s.execute(delete(CaseViewer).where(CaseViewer.case_id == case.id))


def _without_free_text(details: str) -> str:
    """A timeline line's details without the values that are people's words."""
    try:
        data = json.loads(details)
    except ValueError:
        return "{}"
    if not isinstance(data, dict):
        return "{}"
    kept = {k: v for k, v in data.items() if k not in FREE_TEXT_KEYS}
    return json.dumps(kept, sort_keys=True, ensure_ascii=False)


def _resummarise(s: Session, case_id: int) -> None:
    """A case that keeps some items: its summary and counts come from what is left."""
    case = s.get(Case, case_id)
    if case is None:
        return
    first = s.scalars(
        select(Item)
        .where(Item.case_id == case_id, ~Item.platform_id.startswith(ANONYMISED))
        .order_by(Item.received_at, Item.id)
        .limit(1)
    ).first()
    case.summary = case_summary(first.text) if first is not None else ANONYMISED
    case.item_count = s.scalar(select(func.count()).where(Item.case_id == case_id)) or 0


def _drop_orphan_authors(s: Session, author_ids: set[int]) -> int:
    """Delete the authors that nothing refers to any more; return how many."""
    removed = 0
    for author_id in sorted(author_ids):
        author = s.get(Author, author_id)
        if author is None or author.platform_user_id == ANONYMISED:
            continue
        used = any(
            s.scalar(select(func.count()).where(column == author_id))
            for column in (
                Item.author_id,
                Case.author_id,
                Reply.author_id,
                ModerationAction.author_id,
            )
        )
        if not used:
            s.delete(author)
            removed += 1
    s.flush()
    return removed


def after_purge(ctx: DeskContext) -> bool:
    """Once the purge committed: empty the write-ahead log; tell whether that was done."""
    return empty_write_ahead_log(ctx.db)
