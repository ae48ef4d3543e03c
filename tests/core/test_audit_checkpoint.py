"""Retention checkpoints in the core: the chain walked from one, and cuts that must follow on."""

from __future__ import annotations

from dataclasses import replace

from desk.core.audit_chain import GENESIS, AuditRecord, content_bytes, seal, verify_chain
from desk.core.audit_checkpoint import Checkpoint, checkpoint_bytes, continuity_problem, covering

KEY = b"k" * 32


def chain(n: int) -> list[AuditRecord]:
    records, prev = [], GENESIS
    for seq in range(1, n + 1):
        at = f"2026-11-26T10:00:{seq:02d}.000000Z"
        digest = seal(KEY, prev, content_bytes(seq, at, "admin", "x", "case:1", "{}"))
        records.append(AuditRecord(seq, at, "admin", "x", "case:1", "{}", prev, digest))
        prev = digest
    return records


def checkpoint(first: int, last: int, last_hash: str, cp_id: int = 1) -> Checkpoint:
    return Checkpoint(
        cp_id, first, last, last_hash, "2026-11-26T10:00:00.000000Z", last - first + 1,
        "2027-11-27T10:00:00.000000Z", "audit=1y delete", 1, "sue", "sue", "pk", "sig",
    )  # fmt: skip


def test_the_kept_chain_verifies_from_the_checkpoint() -> None:
    records = chain(10)
    cp = checkpoint(1, 4, records[3].hash)
    report = verify_chain(KEY, records[4:], cp)
    assert report.intact and report.checked == 6 and report.last_seq == 10


def test_without_the_checkpoint_the_cut_is_a_removal() -> None:
    report = verify_chain(KEY, chain(10)[4:])
    assert not report.intact and report.problem is not None
    assert report.problem.startswith("entries 1 to 4 removed")


def test_one_more_entry_gone_after_the_checkpoint_is_named() -> None:
    records = chain(10)
    report = verify_chain(KEY, records[5:], checkpoint(1, 4, records[3].hash))
    assert not report.intact and report.seq == 6
    assert report.problem is not None and report.problem.startswith("entry 5 removed")


def test_a_checkpoint_naming_another_hash_breaks_the_link() -> None:
    records = chain(10)
    report = verify_chain(KEY, records[4:], checkpoint(1, 4, records[2].hash))
    assert not report.intact and report.seq == 5


def test_an_entry_older_than_the_cut_is_an_insertion() -> None:
    records = chain(10)
    report = verify_chain(KEY, records[2:], checkpoint(1, 4, records[3].hash))
    assert not report.intact and report.seq == 3
    assert report.problem is not None and "removed by retention" in report.problem


def test_nothing_after_the_cut_is_a_removal() -> None:
    report = verify_chain(KEY, [], checkpoint(1, 4, "a" * 64))
    assert not report.intact and report.seq == 5


def test_cuts_must_follow_on_from_entry_one_with_honest_counts() -> None:
    a, b = checkpoint(1, 4, "a" * 64), checkpoint(5, 9, "b" * 64, 2)
    assert continuity_problem([a, b]) is None
    gap = continuity_problem([a, replace(b, first_seq=7, count=3)])
    assert gap == (
        "entries 5 to 6 were removed without a retention checkpoint (the next checkpoint "
        "starts at entry 7)",
        7,
    )
    late = continuity_problem([replace(a, first_seq=2, count=3)])
    assert late is not None and late[1] == 2
    padded = continuity_problem([replace(a, count=9)])
    assert padded is not None and "does not add up" in padded[0]
    assert covering([a, b], 6) == b and covering([a, b], 10) is None


def test_the_signature_covers_every_field_but_the_id() -> None:
    cp = checkpoint(1, 4, "a" * 64)
    assert checkpoint_bytes(cp) == checkpoint_bytes(replace(cp, id=7, signature="other"))
    for change in ({"count": 5}, {"last_hash": "b" * 64}, {"approved_by": "x"}, {"rule": "r"}):
        assert checkpoint_bytes(cp) != checkpoint_bytes(replace(cp, **change))  # type: ignore[arg-type]
    s = cp.summary()
    assert s.startswith("4 entries before #5 were removed by retention on 2027-11-27")
