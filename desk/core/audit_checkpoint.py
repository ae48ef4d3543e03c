"""Retention checkpoints: where the audit chain restarts after its oldest entries are removed.

A chain cannot lose its first entries and still verify from the genesis. Before retention
removes entries ``first_seq`` to ``last_seq`` it writes a checkpoint naming the last one's
chain hash, the count, when, under which rule and who approved it, signed with the desk's
Ed25519 key. Verification then starts from the newest checkpoint: its signature holds, the
checkpoints follow one another from entry 1, and the first kept entry links to its hash.
"""

from __future__ import annotations

import json
from collections.abc import Sequence
from dataclasses import asdict, dataclass

CHECKPOINT_KIND = "desk-audit-checkpoint"
CHECKPOINT_VERSION = 1


@dataclass(frozen=True)
class Checkpoint:
    """One retention cut of the audit log, as stored and signed."""

    id: int
    first_seq: int
    last_seq: int
    last_hash: str
    last_at: str
    count: int
    cut_at: str
    rule: str
    batch_id: int
    approved_by: str
    run_by: str
    public_key: str
    signature: str

    @property
    def next_seq(self) -> int:
        """The number of the first entry kept after this cut."""
        return self.last_seq + 1

    def summary(self) -> str:
        """Say what the cut removed, e.g. ``12 entries before #13 were removed by ...``."""
        entries = "1 entry" if self.count == 1 else f"{self.count} entries"
        verb = "was" if self.count == 1 else "were"
        return (
            f"{entries} before #{self.next_seq} {verb} removed by retention on "
            f"{self.cut_at[:10]} (approved by {self.approved_by}, batch #{self.batch_id}, "
            f"rule {self.rule})"
        )


def checkpoint_bytes(cp: Checkpoint) -> bytes:
    """Return the canonical bytes a checkpoint's signature covers (all but id and signature)."""
    body = {k: v for k, v in asdict(cp).items() if k not in ("id", "signature")}
    body["kind"] = CHECKPOINT_KIND
    body["version"] = CHECKPOINT_VERSION
    return json.dumps(body, sort_keys=True, separators=(",", ":"), ensure_ascii=False).encode()


def continuity_problem(checkpoints: Sequence[Checkpoint]) -> tuple[str, int] | None:
    """Check the cuts follow one another from entry 1 with honest counts.

    Returns the problem and the entry number it concerns, or None. ``checkpoints`` are in
    order of ``last_seq``.
    """
    expected_first = 1
    for cp in checkpoints:
        if cp.first_seq != expected_first:
            if cp.first_seq > expected_first:
                what = (
                    f"entries {expected_first} to {cp.first_seq - 1} were removed without a "
                    f"retention checkpoint (the next checkpoint starts at entry {cp.first_seq})"
                )
            else:
                what = (
                    f"the retention checkpoint for entries {cp.first_seq} to {cp.last_seq} "
                    f"overlaps an earlier one ending at entry {expected_first - 1}"
                )
            return what, cp.first_seq
        if cp.count != cp.last_seq - cp.first_seq + 1 or cp.last_seq < cp.first_seq:
            return (
                f"the retention checkpoint for entries {cp.first_seq} to {cp.last_seq} says "
                f"{cp.count} entries were removed, which does not add up",
                cp.last_seq,
            )
        expected_first = cp.last_seq + 1
    return None


def covering(checkpoints: Sequence[Checkpoint], seq: int) -> Checkpoint | None:
    """Return the checkpoint whose cut removed entry ``seq``, if any."""
    return next((cp for cp in checkpoints if cp.first_seq <= seq <= cp.last_seq), None)
