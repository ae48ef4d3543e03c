"""Mentions of an erased author in what other people wrote, replaced everywhere Desk keeps them.

Run by :class:`desk.services.erasure.ErasureService` inside the erasure's write unit of work,
after the author's own items and cases were purged: other people's items (the search index
follows by trigger; the caller merges it), their stored originals (new SHA-256, the old one
kept in ``erasure_redactions``), case summaries and notable reasons, timeline lines, THRIVE,
escalations, replies, moderation explanations, quality reviews, handover notes, signed
handover reports (marked as redacted after signing), coverage periods, legal holds and the
subject access register's free text. Each case touched gets a timeline line saying so.
A case under a legal hold (on it or its author) is left as it is, with its items and their
originals, and named in ``held``: the erasure then refuses, since the hold preserves them.
Counts and ids only are returned, for the tombstone.
"""

from __future__ import annotations

import hashlib
import json
from collections.abc import Iterable, Iterator
from dataclasses import dataclass, field
from typing import Any

from sqlalchemy import ColumnElement, func, or_, select, true
from sqlalchemy.orm import InstrumentedAttribute, Session

from desk.core.erasure import (
    CASE_TEXT_KEYS,
    ERASED_CONTENT,
    ERASED_PERSON,
    REDACTED_AFTER_SIGNING,
    Mentions,
)
from desk.core.evidence import pack, unpack
from desk.services.context import DeskContext
from desk.services.purge import all_held_cases
from desk.services.timeline import record_case_event
from desk.store.tables import (
    Case,
    CaseEvent,
    CoveragePeriod,
    ErasureRedaction,
    Escalation,
    Handover,
    HandoverNote,
    Item,
    ItemOriginal,
    LegalHold,
    ModerationAction,
    QualityReview,
    Reply,
    SubjectAccessRequest,
    ThriveRecord,
)

BATCH = 500
TIMELINE_KIND = "erasure_redaction"

# free text that may name someone: (table, plain text columns, JSON text columns). The
# subject access register's ``requester`` is kept: it records who asked (see docs/retention.md)
_PLAIN: tuple[tuple[Any, tuple[str, ...], tuple[str, ...]], ...] = (
    (Item, ("text", "author_text", "link", "thread_title"), ("media",)),
    (Case, ("summary", "notable", "thread_key"), ()),
    (CaseEvent, ("text",), ("details",)),
    (
        ThriveRecord,
        ("threat", "harm", "risk", "investigation", "vulnerability", "engagement"),
        (),
    ),
    (Escalation, ("summary", "body", "ack_note", "acknowledged_by"), ()),
    (Reply, ("text", "decision_note", "override_reason"), ()),
    (ModerationAction, ("explanation",), ()),
    (QualityReview, ("comment",), ()),
    (HandoverNote, ("text",), ()),
    (CoveragePeriod, ("risk_accepted",), ()),
    (LegalHold, ("reason", "lift_reason"), ()),
    (
        SubjectAccessRequest,
        ("identity_how", "extension_notice", "pause_reason", "outcome_note"),
        ("restrictions",),
    ),
)


@dataclass
class MentionsRedacted:
    """What replacing the mentions changed: ids and counts only (for the tombstone)."""

    mentions: int = 0
    rows: dict[str, int] = field(default_factory=dict)  # table name -> rows changed
    items: list[int] = field(default_factory=list)
    cases: list[int] = field(default_factory=list)
    originals: list[int] = field(default_factory=list)  # item ids
    handovers: list[int] = field(default_factory=list)
    held: list[int] = field(default_factory=list)  # held cases that mention them (untouched)
    # [target, id, SHA-256 before, after] of each original or report rewritten
    digests: list[list[Any]] = field(default_factory=list)

    def tombstone(self) -> dict[str, Any]:
        """The audit entry's part: counts, and ids of what was rewritten."""
        return {
            "mentions_replaced": self.mentions,
            "rows_redacted": dict(sorted(self.rows.items())),
            "items_redacted": sorted(self.items),
            "cases_redacted": sorted(self.cases),
            "originals_redacted": sorted(self.originals),
            "handovers_redacted": sorted(self.handovers),
            "digests_redacted": self.digests,
        }


def redact_json_text(mentions: Mentions, text: str) -> tuple[str, int]:
    """Replace mentions in every string of a JSON document (keys kept); text not JSON as text."""
    try:
        data = json.loads(text)
    except ValueError:
        return mentions.redact(text)
    done, count = _walk(mentions, data)
    if not count:
        return text, 0
    return json.dumps(done, sort_keys=True, ensure_ascii=False), count


def _walk(mentions: Mentions, value: Any) -> tuple[Any, int]:
    if isinstance(value, str):
        return mentions.redact(value)
    if isinstance(value, list):
        total = 0
        out = []
        for v in value:
            done, n = _walk(mentions, v)
            out.append(done)
            total += n
        return out, total
    if isinstance(value, dict):
        total = 0
        kept: dict[str, Any] = {}
        for k, v in value.items():
            done, n = _walk(mentions, v)
            kept[k] = done
            total += n
        return kept, total
    return value, 0


def _could_mention(columns: list[Any], mentions: Mentions) -> ColumnElement[bool]:
    """A cheap SQL filter: rows holding one of the needles (every row, if one is not ASCII)."""
    if any(not needle.isascii() for needle in mentions.needles):
        # SQLite's lower() and LIKE fold ASCII only: look at every row
        return true()
    return or_(
        *(
            func.lower(column).contains(needle, autoescape=True)
            for column in columns
            for needle in mentions.needles
        )
    )


def _batches(s: Session, model: Any, where: ColumnElement[bool]) -> Iterator[list[Any]]:
    """The rows of ``model`` matching ``where``, a batch at a time by id (bounded memory)."""
    last = 0
    while True:
        rows = list(
            s.scalars(select(model).where(where, model.id > last).order_by(model.id).limit(BATCH))
        )
        if not rows:
            return
        yield rows
        last = rows[-1].id


def redact_mentions(
    s: Session,
    ctx: DeskContext,
    mentions: Mentions,
    *,
    actor: str,
    author_id: int,
    request_id: int | None,
    erased_cases: Iterable[int] = (),
) -> MentionsRedacted:
    """Replace every mention of the erased author in what Desk keeps (see the module's notes).

    ``erased_cases`` are the author's own cases, just purged: a signed handover report that
    lists one loses its summary (and notable reason) too, replaced with "[erased]".
    """
    found = MentionsRedacted()
    if mentions.pattern is None:
        return found
    touched_cases: dict[int, int] = {}
    held = all_held_cases(s)
    held_left: set[int] = set()
    for model, plain, as_json in _PLAIN:
        columns: list[InstrumentedAttribute[Any]] = [getattr(model, c) for c in (*plain, *as_json)]
        where = _could_mention(columns, mentions)
        for rows in _batches(s, model, where):
            for row in rows:
                case_id = row.id if model is Case else getattr(row, "case_id", None)
                if case_id in held:
                    if _mentions_in(mentions, row, plain, as_json):
                        held_left.add(case_id)
                    continue
                count = 0
                for name in plain:
                    value = getattr(row, name)
                    if value:
                        done, n = mentions.redact(value)
                        if n:
                            setattr(row, name, done)
                            count += n
                for name in as_json:
                    value = getattr(row, name)
                    if value:
                        done, n = redact_json_text(mentions, value)
                        if n:
                            setattr(row, name, done)
                            count += n
                if not count:
                    continue
                found.mentions += count
                table = model.__tablename__
                found.rows[table] = found.rows.get(table, 0) + 1
                if model is Item:
                    row.redacted = True
                    row.matches = "[]"  # spans into the old text no longer hold
                    found.items.append(row.id)
                if case_id is not None:
                    touched_cases[case_id] = touched_cases.get(case_id, 0) + count
            s.flush()
    found.mentions += _originals(s, ctx, mentions, found, held, actor, author_id, request_id)
    gone = set(erased_cases)
    found.mentions += _handovers(s, ctx, mentions, gone, found, actor, author_id, request_id)
    for case_id, count in sorted(touched_cases.items()):
        if s.get(Case, case_id) is None:
            continue
        record_case_event(
            s,
            ctx,
            actor,
            case_id,
            TIMELINE_KIND,
            f"{count} mention(s) of an erased person replaced with {ERASED_PERSON}",
            mentions=count,
        )
    found.cases = sorted(touched_cases)
    found.held = sorted(held_left)
    return found


def _mentions_in(
    mentions: Mentions, row: Any, plain: tuple[str, ...], other: tuple[str, ...]
) -> bool:
    assert mentions.pattern is not None
    return any(
        mentions.pattern.search(value)
        for value in (getattr(row, name) for name in (*plain, *other))
        if isinstance(value, str)
    )


def _note(
    s: Session,
    ctx: DeskContext,
    found: MentionsRedacted,
    target: str,
    target_id: int,
    old: str,
    new: str,
    replaced: int,
    *,
    actor: str,
    author_id: int,
    request_id: int | None,
) -> None:
    found.digests.append([target, target_id, old, new])
    s.add(
        ErasureRedaction(
            at=ctx.clock.now(),
            actor=actor,
            author_id=author_id,
            request_id=request_id,
            target=target,
            target_id=target_id,
            old_sha256=old,
            new_sha256=new,
            replaced=replaced,
        )
    )


def _originals(
    s: Session,
    ctx: DeskContext,
    mentions: Mentions,
    found: MentionsRedacted,
    held: set[int],
    actor: str,
    author_id: int,
    request_id: int | None,
) -> int:
    """Rewrite the stored originals that mention the author (all are read: they are packed)."""
    total = 0
    last = 0
    while True:
        rows = list(
            s.scalars(
                select(ItemOriginal)
                .where(ItemOriginal.item_id > last)
                .order_by(ItemOriginal.item_id)
                .limit(BATCH)
            )
        )
        if not rows:
            return total
        last = rows[-1].item_id
        wanted = select(Item.id, Item.case_id).where(Item.id.in_([r.item_id for r in rows]))
        case_of = {item_id: case_id for item_id, case_id in s.execute(wanted)}
        for row in rows:
            if case_of.get(row.item_id) in held:
                continue  # the hold keeps the record as received
            # rows an import stored raw wait for compaction (desk.core.evidence.unpack)
            raw = unpack(bytes(row.data), row.compressed)
            done, count = mentions.redact_bytes(raw)
            if not count:
                continue
            old = row.sha256
            digest, packed = pack(done)
            row.sha256 = digest
            row.data = packed
            row.compressed = True
            _note(
                s, ctx, found, "original", row.item_id, old, digest, count,
                actor=actor, author_id=author_id, request_id=request_id,
            )  # fmt: skip
            found.originals.append(row.item_id)
            found.rows["item_originals"] = found.rows.get("item_originals", 0) + 1
            total += count
        s.flush()


def _erase_cases(value: Any, gone: set[int]) -> tuple[Any, int]:
    """Replace the summary and reason of every entry about one of the ``gone`` cases."""
    if isinstance(value, list):
        total = 0
        out = []
        for v in value:
            done, n = _erase_cases(v, gone)
            out.append(done)
            total += n
        return out, total
    if isinstance(value, dict):
        total = 0
        kept: dict[str, Any] = {}
        about_gone = value.get("case_id") in gone
        for k, v in value.items():
            if about_gone and k in CASE_TEXT_KEYS and isinstance(v, str) and v:
                kept[k] = ERASED_CONTENT
                total += v != ERASED_CONTENT
                continue
            done, n = _erase_cases(v, gone)
            kept[k] = done
            total += n
        return kept, total
    return value, 0


def _handovers(
    s: Session,
    ctx: DeskContext,
    mentions: Mentions,
    gone: set[int],
    found: MentionsRedacted,
    actor: str,
    author_id: int,
    request_id: int | None,
) -> int:
    """Redact signed handover reports; each says in itself that it was redacted after signing."""
    total = 0
    # a report listing one of their cases may not name them: every report is then read
    where = _could_mention([Handover.report], mentions) if not gone else true()
    for rows in _batches(s, Handover, where):
        for row in rows:
            data = json.loads(row.report)
            done, count = _walk(mentions, data)
            if gone:
                done, erased = _erase_cases(done, gone)
                count += erased
            if not count:
                continue
            extra = dict(done.get("extra") or {})
            marks = list(extra.get(REDACTED_AFTER_SIGNING) or [])
            marks.append(
                {
                    "at": ctx.clock.now().isoformat(),
                    "by": actor,
                    "why": "erasure",
                    "replaced": count,
                }
            )
            extra[REDACTED_AFTER_SIGNING] = marks
            done["extra"] = extra
            old = hashlib.sha256(row.report.encode("utf-8")).hexdigest()
            # stored as a sign-off stores it (desk.core.handover.report_to_json)
            row.report = json.dumps(done, sort_keys=True, ensure_ascii=False)
            new = hashlib.sha256(row.report.encode("utf-8")).hexdigest()
            _note(
                s, ctx, found, "handover", row.id, old, new, count,
                actor=actor, author_id=author_id, request_id=request_id,
            )  # fmt: skip
            found.handovers.append(row.id)
            found.rows["handovers"] = found.rows.get("handovers", 0) + 1
            total += count
        s.flush()
    return total
