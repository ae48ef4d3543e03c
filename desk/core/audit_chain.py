"""Audit-chain arithmetic: canonical bytes, seals, and walking a chain to find a break."""

from __future__ import annotations

import hashlib
import hmac
import json
from collections.abc import Iterable, Iterator
from dataclasses import dataclass
from typing import Any

from desk.core.audit_checkpoint import Checkpoint

GENESIS = "0" * 64


@dataclass(frozen=True)
class AuditRecord:
    """One audit entry as stored: what happened, and its place in the chain."""

    seq: int
    at: str
    actor: str
    action: str
    object: str
    details: str
    prev_hash: str
    hash: str


def canonical_details(details: dict[str, Any]) -> str:
    """Serialise details the one way the chain expects (sorted keys, no spaces)."""
    return json.dumps(details, sort_keys=True, separators=(",", ":"), ensure_ascii=False)


def content_bytes(seq: int, at: str, actor: str, action: str, obj: str, details: str) -> bytes:
    """Return the canonical bytes of an entry's own content."""
    fields = [seq, at, actor, action, obj, details]
    return json.dumps(fields, separators=(",", ":"), ensure_ascii=False).encode("utf-8")


def seal(key: bytes, prev_hash: str, content: bytes) -> str:
    """Return the HMAC-SHA256 that chains ``content`` to the previous entry's hash."""
    return hmac.new(key, prev_hash.encode("ascii") + b"\n" + content, hashlib.sha256).hexdigest()


def seal_record(key: bytes, record: AuditRecord) -> str:
    """Recompute the seal a stored record should carry."""
    content = content_bytes(
        record.seq, record.at, record.actor, record.action, record.object, record.details
    )
    return seal(key, record.prev_hash, content)


@dataclass(frozen=True)
class ChainReport:
    """The outcome of walking the chain."""

    checked: int
    problem: str | None = None
    seq: int | None = None
    last_seq: int | None = None
    last_hash: str = GENESIS
    cuts: tuple[Checkpoint, ...] = ()  # retention cuts, oldest first; the chain starts after

    @property
    def intact(self) -> bool:
        """Tell whether the whole chain verified."""
        return self.problem is None


def _pairs(records: Iterable[AuditRecord]) -> Iterator[tuple[AuditRecord, AuditRecord | None]]:
    it = iter(records)
    current = next(it, None)
    while current is not None:
        following = next(it, None)
        yield current, following
        current = following


def verify_chain(
    key: bytes, records: Iterable[AuditRecord], start: Checkpoint | None = None
) -> ChainReport:
    """Walk records in sequence order and name the first one changed, removed or inserted.

    With ``start`` (the newest retention checkpoint) the chain begins after the entries it
    removed: the first kept entry must link to the checkpoint's hash.
    """
    expected_prev = start.last_hash if start else GENESIS
    expected_seq = start.next_seq if start else 1
    checked = 0
    last: AuditRecord | None = None
    for record, following in _pairs(records):
        if start is not None and record.seq <= start.last_seq:
            what = (
                f"entry {record.seq} was inserted: entries up to {start.last_seq} were removed "
                "by retention"
            )
            return ChainReport(checked, what, record.seq, record.seq, expected_prev)
        genuine = hmac.compare_digest(seal_record(key, record), record.hash)
        if not genuine:
            skipped = following is not None and following.prev_hash == expected_prev
            if skipped or record.prev_hash != expected_prev:
                what = f"entry {record.seq} was inserted: it is not part of the sealed chain"
            else:
                what = f"entry {record.seq} was changed: its content no longer matches its seal"
            return ChainReport(checked, what, record.seq, record.seq, expected_prev)
        if record.prev_hash != expected_prev or record.seq != expected_seq:
            if record.seq > expected_seq:
                gone = (
                    f"entry {expected_seq}"
                    if record.seq == expected_seq + 1
                    else f"entries {expected_seq} to {record.seq - 1}"
                )
            else:
                gone = f"an entry before {record.seq}"
            what = (
                f"{gone} removed: entry {record.seq} no longer follows the entry it was sealed to"
            )
            return ChainReport(checked, what, record.seq, record.seq, expected_prev)
        checked += 1
        expected_prev = record.hash
        expected_seq = record.seq + 1
        last = record
    if last is None:
        if start is not None:
            what = (
                f"every entry after {start.last_seq} was removed: the retention cut that ended "
                "there is followed by nothing"
            )
            return ChainReport(0, what, start.next_seq, None, expected_prev)
        return ChainReport(0)
    return ChainReport(checked, None, None, last.seq, last.hash)
