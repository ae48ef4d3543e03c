"""Appending to and reading the chained audit table."""

from __future__ import annotations

from collections.abc import Collection, Iterator
from dataclasses import asdict, dataclass, replace
from typing import Any, cast

from sqlalchemy import Table, delete, func, insert, select, text
from sqlalchemy.orm import Session

from desk.core.audit_chain import (
    GENESIS,
    AuditRecord,
    ChainReport,
    canonical_details,
    content_bytes,
    seal,
    verify_chain,
)
from desk.core.audit_checkpoint import Checkpoint
from desk.core.audit_filter import AuditFilter, stored_at
from desk.core.clock import Clock
from desk.store.change_listener import announce
from desk.store.db import PG_WRITE_LOCK
from desk.store.tables import AuditCheckpoint, AuditEntry, Handover

_TABLE = cast(Table, AuditEntry.__table__)
# the lock that serialises appends on PostgreSQL: the write lock every write unit takes at
# its start (a unit that reaches an append without it, e.g. a plain engine.begin(), takes it
# here; taking it again in one transaction is harmless)
_PG_APPEND_LOCK = PG_WRITE_LOCK


def _utc_text(clock: Clock) -> str:
    return clock.now().isoformat(timespec="microseconds").replace("+00:00", "Z")


@dataclass(frozen=True)
class AuditWriter:
    """Writes audit entries inside the caller's unit of work, chained and sealed."""

    key: bytes
    clock: Clock

    def record(self, session: Session, actor: str, action: str, obj: str, /, **details: Any) -> int:
        """Append one entry in ``session``'s transaction and return its sequence number."""
        if session.get_bind().dialect.name == "postgresql":
            session.execute(text("SELECT pg_advisory_xact_lock(:k)"), {"k": _PG_APPEND_LOCK})
        session.flush()  # the caller's own changes go first, as they always have
        last = session.execute(
            select(_TABLE.c.seq, _TABLE.c.hash).order_by(_TABLE.c.seq.desc()).limit(1)
        ).first()
        seq = last.seq + 1 if last else 1
        prev = last.hash if last else GENESIS
        at = _utc_text(self.clock)
        body = canonical_details(details)
        digest = seal(self.key, prev, content_bytes(seq, at, actor, action, obj, body))
        # a plain INSERT: an entry is never changed, so it needs no ORM object
        session.execute(
            insert(_TABLE).values(
                seq=seq,
                at=at,
                actor=actor,
                action=action,
                object=obj,
                details=body,
                prev_hash=prev,
                hash=digest,
            )
        )
        # other workstations hear of it at commit; one payload for all, so that PostgreSQL
        # folds a bulk action's thousands of entries into one notification
        announce(session, "audit")
        return seq


def to_record(row: AuditEntry) -> AuditRecord:
    """Turn a stored row into the core's record."""
    return AuditRecord(
        seq=row.seq,
        at=row.at,
        actor=row.actor,
        action=row.action,
        object=row.object,
        details=row.details,
        prev_hash=row.prev_hash,
        hash=row.hash,
    )


_COLUMNS = (
    AuditEntry.seq,
    AuditEntry.at,
    AuditEntry.actor,
    AuditEntry.action,
    AuditEntry.object,
    AuditEntry.details,
    AuditEntry.prev_hash,
    AuditEntry.hash,
)


def iter_records(
    session: Session, batch: int = 5000, upto: int | None = None
) -> Iterator[AuditRecord]:
    """Stream every entry (up to ``upto``) in sequence order without holding them all in memory.

    Plain columns, not ORM objects: a million entries are read in a few seconds.
    """
    query = select(*_COLUMNS).order_by(AuditEntry.seq)
    if upto is not None:
        query = query.where(AuditEntry.seq <= upto)
    rows = session.execute(query.execution_options(yield_per=batch))
    record = AuditRecord
    for row in rows:
        yield record(*row)


def verify(
    session: Session, key: bytes, start: Checkpoint | None = None, upto: int | None = None
) -> ChainReport:
    """Walk the chain (from checkpoint ``start``, up to entry ``upto``); report the first break."""
    return verify_chain(key, iter_records(session, upto=upto), start)


def latest(session: Session) -> AuditRecord | None:
    """Return the newest entry, or None when the log is empty."""
    row = session.execute(select(AuditEntry).order_by(AuditEntry.seq.desc()).limit(1)).scalar()
    return to_record(row) if row else None


def recent(
    session: Session,
    limit: int = 200,
    action_prefix: str | None = None,
    before_seq: int | None = None,
) -> list[AuditRecord]:
    """Return the newest entries first, optionally only actions starting with a prefix."""
    query = select(AuditEntry).order_by(AuditEntry.seq.desc()).limit(limit)
    if action_prefix:
        query = query.where(AuditEntry.action.startswith(action_prefix, autoescape=True))
    if before_seq is not None:
        query = query.where(AuditEntry.seq < before_seq)
    return [to_record(r) for r in session.execute(query).scalars()]


def find(
    session: Session, where: AuditFilter, limit: int = 200, before_seq: int | None = None
) -> list[AuditRecord]:
    """Return a page of the entries matching ``where``, newest first.

    Keyset paging: the next page asks for entries ``before_seq`` the last one shown, which
    stays fast at any depth of a million-entry log (an OFFSET would read every skipped row).
    """
    query = select(*_COLUMNS).order_by(AuditEntry.seq.desc()).limit(limit)
    if where.case_object is not None:
        query = query.where(AuditEntry.object == where.case_object)
    if where.actor:
        query = query.where(AuditEntry.actor == where.actor)
    if where.action_prefix:
        query = query.where(AuditEntry.action.startswith(where.action_prefix, autoescape=True))
    if where.since is not None:
        query = query.where(AuditEntry.at >= stored_at(where.since))
    if where.until is not None:
        query = query.where(AuditEntry.at < stored_at(where.until))
    if before_seq is not None:
        query = query.where(AuditEntry.seq < before_seq)
    return [AuditRecord(*row) for row in session.execute(query)]


def newest_at_or_before(session: Session, at: str) -> int | None:
    """Return the number of the newest entry dated ``at`` or earlier (None when there is none)."""
    found = session.scalar(select(func.max(_TABLE.c.seq)).where(_TABLE.c.at <= at))
    return int(found) if found is not None else None


def count(session: Session) -> int:
    """Return how many entries the log holds."""
    return session.scalar(select(func.count()).select_from(_TABLE)) or 0


def entry(session: Session, seq: int) -> AuditRecord | None:
    """Return the entry numbered ``seq``, or None when there is none."""
    row = session.execute(select(*_COLUMNS).where(AuditEntry.seq == seq)).first()
    return AuditRecord(*row) if row else None


# retention of the audit class ----------------------------------------------------------------

_OBJECTS_CHUNK = 500


@dataclass(frozen=True)
class DueEntries:
    """The oldest entries a retention cut may remove now: ``first_seq`` to ``last_seq``."""

    first_seq: int
    last_seq: int
    count: int  # entries in that range (0 when the cut is stopped before the first)
    past: int  # entries older than the cutoff, including those a stop keeps
    oldest_at: str | None


def due_entries(session: Session, before_at: str, keep_objects: Collection[str]) -> DueEntries:
    """Return the longest run of entries from the oldest, all dated before ``before_at``.

    The run stops before the newest entry (the chain must go on), before the first entry
    naming one of ``keep_objects`` (``case:12`` under a legal hold: the chain cannot have
    holes, so the cut ends there), and before the entry a kept signed handover is anchored to.
    """
    first = session.scalar(select(func.min(_TABLE.c.seq)))
    if first is None:
        return DueEntries(1, 0, 0, 0, None)
    past = session.scalar(select(func.count()).where(_TABLE.c.at < before_at)) or 0
    newer = session.scalar(select(func.min(_TABLE.c.seq)).where(_TABLE.c.at >= before_at))
    head = session.scalar(select(func.max(_TABLE.c.seq))) or first
    last = min(head - 1, newer - 1 if newer is not None else head)
    objects = sorted(keep_objects)
    for i in range(0, len(objects), _OBJECTS_CHUNK):
        held = session.scalar(
            select(func.min(_TABLE.c.seq)).where(
                _TABLE.c.object.in_(objects[i : i + _OBJECTS_CHUNK]), _TABLE.c.seq <= last
            )
        )
        if held is not None:
            last = min(last, held - 1)
    anchored = session.scalar(
        select(func.min(Handover.audit_seq)).where(
            Handover.audit_seq > 0, Handover.audit_seq <= last
        )
    )
    if anchored is not None:
        last = min(last, anchored - 1)
    if last < first:
        return DueEntries(first, first - 1, 0, past, None)
    count = (
        session.scalar(select(func.count()).where(_TABLE.c.seq >= first, _TABLE.c.seq <= last)) or 0
    )
    oldest = session.scalar(select(_TABLE.c.at).where(_TABLE.c.seq == first))
    return DueEntries(first, last, count, past, oldest)


def _checkpoint(row: AuditCheckpoint) -> Checkpoint:
    return Checkpoint(
        id=row.id,
        first_seq=row.first_seq,
        last_seq=row.last_seq,
        last_hash=row.last_hash,
        last_at=row.last_at,
        count=row.count,
        cut_at=row.cut_at,
        rule=row.rule,
        batch_id=row.batch_id,
        approved_by=row.approved_by,
        run_by=row.run_by,
        public_key=row.public_key,
        signature=row.signature,
    )


def checkpoints(session: Session) -> list[Checkpoint]:
    """Return the retention checkpoints, oldest cut first."""
    rows = session.scalars(select(AuditCheckpoint).order_by(AuditCheckpoint.last_seq))
    return [_checkpoint(r) for r in rows]


def cut(session: Session, checkpoint: Checkpoint) -> Checkpoint:
    """Store the signed ``checkpoint``, then delete the entries it covers; return it stored.

    The delete trigger lets through only entries a stored checkpoint covers, so the
    checkpoint goes first, in the same transaction.
    """
    fields = {k: v for k, v in asdict(checkpoint).items() if k != "id"}
    row = AuditCheckpoint(**fields)
    session.add(row)
    session.flush()
    session.execute(
        delete(_TABLE).where(
            _TABLE.c.seq >= checkpoint.first_seq, _TABLE.c.seq <= checkpoint.last_seq
        )
    )
    return replace(checkpoint, id=row.id)


def cut_entries(session: Session, action: str) -> list[AuditRecord]:
    """Return the tombstone entries of audit cuts (``action`` on object ``audit``), newest first."""
    query = (
        select(*_COLUMNS)
        .where(AuditEntry.action == action, AuditEntry.object == "audit")
        .order_by(AuditEntry.seq.desc())
    )
    return [AuditRecord(*row) for row in session.execute(query)]
