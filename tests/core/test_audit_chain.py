"""The chain arithmetic names the first entry changed, removed or inserted."""

from __future__ import annotations

from dataclasses import replace

from desk.core.audit_chain import (
    GENESIS,
    AuditRecord,
    canonical_details,
    content_bytes,
    seal,
    verify_chain,
)

KEY = b"k" * 32


def chain(n: int) -> list[AuditRecord]:
    records, prev = [], GENESIS
    for seq in range(1, n + 1):
        at, details = f"2026-11-26T09:00:{seq:02d}.000000Z", canonical_details({"n": seq})
        digest = seal(KEY, prev, content_bytes(seq, at, "ada", "case.note", f"case:{seq}", details))
        records.append(
            AuditRecord(seq, at, "ada", "case.note", f"case:{seq}", details, prev, digest)
        )
        prev = digest
    return records


def test_intact_chain_reports_every_entry() -> None:
    report = verify_chain(KEY, chain(5))
    assert report.intact
    assert (report.checked, report.last_seq) == (5, 5)


def test_empty_chain_is_intact() -> None:
    assert verify_chain(KEY, []).intact


def test_changed_entry_is_named() -> None:
    records = chain(5)
    records[2] = replace(records[2], details='{"n":99}')
    report = verify_chain(KEY, records)
    assert not report.intact
    assert report.seq == 3
    assert "entry 3 was changed" in (report.problem or "")


def test_removed_entry_is_named() -> None:
    records = chain(5)
    del records[1]
    report = verify_chain(KEY, records)
    assert report.seq == 3
    assert "entry 2 removed" in (report.problem or "")


def test_removed_first_entry_is_named() -> None:
    report = verify_chain(KEY, chain(3)[1:])
    assert "entry 1 removed" in (report.problem or "")


def test_inserted_entry_is_named() -> None:
    records = chain(4)
    forged = replace(records[1], seq=3, details='{"forged":true}', hash="f" * 64)
    records = [records[0], records[1], forged, *[replace(r, seq=r.seq + 1) for r in records[2:]]]
    report = verify_chain(KEY, records)
    assert report.seq == 3
    assert "entry 3 was inserted" in (report.problem or "")


def test_another_key_cannot_verify() -> None:
    assert not verify_chain(b"x" * 32, chain(2)).intact
