"""Appending to and reading the chained audit table."""

from __future__ import annotations

from collections.abc import Iterator
from dataclasses import dataclass
from typing import Any, cast

from sqlalchemy import Table, insert, select, text
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
from desk.core.audit_filter import AuditFilter, stored_at
from desk.core.clock import Clock
from desk.store.tables import AuditEntry

_TABLE = cast(Table, AuditEntry.__table__)
# any fixed number will do: it names the lock that serialises appends on PostgreSQL
_PG_APPEND_LOCK = 0x4445534B


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


def iter_records(session: Session, batch: int = 5000) -> Iterator[AuditRecord]:
    """Stream every entry in sequence order without holding them all in memory.

    Plain columns, not ORM objects: a million entries are read in a few seconds.
    """
    rows = session.execute(
        select(*_COLUMNS).order_by(AuditEntry.seq).execution_options(yield_per=batch)
    )
    record = AuditRecord
    for row in rows:
        yield record(*row)


def verify(session: Session, key: bytes) -> ChainReport:
    """Walk the whole chain and report the first break."""
    return verify_chain(key, iter_records(session))


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


def entry(session: Session, seq: int) -> AuditRecord | None:
    """Return the entry numbered ``seq``, or None when there is none."""
    row = session.execute(select(*_COLUMNS).where(AuditEntry.seq == seq)).first()
    return AuditRecord(*row) if row else None
