"""Audit-chain arithmetic: canonical bytes, seals, and walking a chain to find a break."""

from __future__ import annotations

import hashlib
import hmac
import json
from collections.abc import Iterable, Iterator
from dataclasses import dataclass, replace
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


# how far from its place a moved entry is looked for (each look is one HMAC)
_MOVED_WITHIN = 64


def _sealed_as(key: bytes, record: AuditRecord) -> int | None:
    """Return the place ``record`` was sealed at when it now sits at another, else None."""
    for seq in range(max(1, record.seq - _MOVED_WITHIN), record.seq + _MOVED_WITHIN + 1):
        if seq != record.seq and hmac.compare_digest(
            seal_record(key, replace(record, seq=seq)), record.hash
        ):
            return seq
    return None


def _unsealed(
    key: bytes, record: AuditRecord, following: AuditRecord | None, expected_prev: str
) -> str:
    """Say what was found about an entry whose seal does not match: moved, added or changed."""
    n = record.seq
    moved_from = _sealed_as(key, record)
    if moved_from is not None and moved_from < n:  # that entry was found in its place
        return f"entry {n} was inserted: it is a copy of entry {moved_from}"
    if moved_from is not None:
        if (
            following is not None
            and moved_from == following.seq
            and _sealed_as(key, following) == n
        ):
            return (
                f"entries {n} and {following.seq} were swapped: each holds what was sealed "
                "as the other"
            )
        return f"entry {n} was moved: it holds what was sealed as entry {moved_from}"
    if following is not None and following.prev_hash == expected_prev:
        return f"entry {n} was inserted: it is not part of the sealed chain"
    if record.prev_hash != expected_prev:
        return f"entry {n} was inserted: it is not part of the sealed chain"
    if following is None:
        return (
            f"entry {n}, the last, does not match its seal: it was added at the end or changed "
            "by someone without the audit key (no entry after it shows which)"
        )
    return f"entry {n} was changed: its content no longer matches its seal"


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
            what = _unsealed(key, record, following, expected_prev)
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


@dataclass(frozen=True)
class HeadAnchor:
    """The chain's head as one workstation last saw it, kept outside the database (keyring).

    A cut tail (entries deleted from the end, with whatever anchored them) leaves a chain that
    verifies on its own; the head seen before the cut does not match it any more.
    """

    seq: int
    hash: str
    at: str  # the anchored entry's own time
    taken_at: str  # when the workstation took the anchor

    def text(self) -> str:
        """Return the anchor as the keyring keeps it (one line of JSON)."""
        fields = {"seq": self.seq, "hash": self.hash, "at": self.at, "taken_at": self.taken_at}
        return json.dumps(fields, sort_keys=True, separators=(",", ":"))

    @staticmethod
    def parse(text: str) -> HeadAnchor | None:
        """Return the anchor stored as ``text``, or None when it is not one."""
        try:
            data = json.loads(text)
        except ValueError:
            return None
        if not isinstance(data, dict):
            return None
        seq, digest, at, taken = (data.get(k) for k in ("seq", "hash", "at", "taken_at"))
        if not isinstance(seq, int) or isinstance(seq, bool) or seq < 1:
            return None
        if not all(isinstance(v, str) and v for v in (digest, at, taken)):
            return None
        return HeadAnchor(seq, str(digest), str(at), str(taken))


def head_problem(
    anchor: HeadAnchor,
    last_seq: int | None,
    hash_at_seq: str | None,
    kept_upto: int | None,
    cut: Checkpoint | None = None,
) -> str | None:
    """Compare a kept head with the log now; say what was cut or rewritten, or None if it holds.

    ``hash_at_seq`` is the hash of entry ``anchor.seq`` now (None when it is gone),
    ``kept_upto`` the newest entry dated no later than the anchored one (older entries the
    cut left), and ``cut`` the retention checkpoint that removed the anchored entry, if any.
    """
    taken = anchor.taken_at[:16].replace("T", " ")  # stored as ISO UTC text
    names = f"the keyring's anchor (taken at {taken} UTC) names #{anchor.seq}"
    if hash_at_seq is not None:
        if hmac.compare_digest(hash_at_seq, anchor.hash):
            return None
        after = kept_upto if kept_upto is not None and kept_upto < anchor.seq else anchor.seq - 1
        return (
            f"entries after #{after} were removed or rewritten: entry #{anchor.seq} is not the "
            f"one {names}"
        )
    if cut is not None:  # removed by retention: only its last entry's hash can be compared
        if cut.last_seq == anchor.seq and not hmac.compare_digest(cut.last_hash, anchor.hash):
            return (
                f"the chain was rewritten: the retention checkpoint that removed entry "
                f"#{anchor.seq} carries a hash other than the one {names}"
            )
        return None
    kept = min(kept_upto or 0, last_seq or 0)
    found = f"entries after #{kept} are missing: {names}"
    if last_seq is not None and last_seq > kept:
        written = (
            f"entry #{last_seq} was"
            if last_seq == kept + 1
            else f"entries #{kept + 1} to #{last_seq} were"
        )
        found += f" ({written} written after the cut)"
    return found
