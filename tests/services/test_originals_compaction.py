"""Records kept raw by an import, compressed later: never lost, never changed, always readable."""

from __future__ import annotations

import hashlib
import json
from pathlib import Path

import pytest
from sqlalchemy import select, update

import desk.store.originals as originals_store
from desk.core.errors import PermissionDenied
from desk.core.evidence import unpack
from desk.core.items import Platform
from desk.core.roles import Role
from desk.store.tables import AuditEntry, Item, ItemOriginal
from tests.conftest import USER_PASSWORD, Person, Staffed

ACCOUNT = "@ExampleshirePolice"


def _line(n: int) -> bytes:
    return (
        f'{{"platform":"x","account":"{ACCOUNT}","kind":"reply","id":"k{n}","author_id":'
        f'"u{n}","author_handle":"@person{n}",  "text":"Road shut at bridge {n} \\u00e9 ✓",'
        f'"posted_at":"2026-11-26T08:{n:02d}:00Z"}}\r\n'
    ).encode()


LINES = [_line(n) for n in range(7)]


@pytest.fixture
def imported(staffed: Staffed, tmp_path: Path) -> Staffed:
    staffed.desk.official_accounts.add(staffed.admin_token, Platform.X, ACCOUNT, "Police")
    path = tmp_path / "in.jsonl"
    path.write_bytes(b"".join(LINES))
    staffed.desk.importer.import_file(staffed.admin_token, path)
    return staffed


def stored(staffed: Staffed) -> dict[str, tuple[str, bool, bytes]]:
    """Every kept record by platform id: (sha256, compressed, the bytes as stored)."""
    with staffed.desk.ctx.db.read() as s:
        rows = s.execute(
            select(
                Item.platform_id, ItemOriginal.sha256, ItemOriginal.compressed, ItemOriginal.data
            ).join(Item, Item.id == ItemOriginal.item_id)
        ).all()
    return {pid: (sha, packed, bytes(data)) for pid, sha, packed, data in rows}


def assert_every_record_intact(staffed: Staffed) -> None:
    """Each record reads back as the line imported, with the SHA-256 taken at import."""
    kept = stored(staffed)
    assert len(kept) == len(LINES)
    for n, line in enumerate(LINES):
        sha, packed, data = kept[f"k{n}"]
        assert unpack(data, packed) == line
        assert sha == hashlib.sha256(line).hexdigest()


def compaction_entries(staffed: Staffed) -> list[dict[str, object]]:
    with staffed.desk.ctx.db.read() as s:
        found = s.scalars(
            select(AuditEntry.details).where(AuditEntry.action == "originals.compacted")
        ).all()
    return [json.loads(d) for d in found]


def test_an_import_keeps_records_raw_and_compaction_squeezes_them(imported: Staffed) -> None:
    importer = imported.desk.importer
    kept = stored(imported)
    assert all(
        not packed and data == LINES[int(pid[1:])] for pid, (_, packed, data) in kept.items()
    )
    assert importer.raw_originals(imported.admin_token) == len(LINES)
    assert_every_record_intact(imported)

    done = importer.compact_originals(imported.admin_token)

    assert (done.compacted, done.damaged, done.remaining) == (len(LINES), (), 0)
    kept = stored(imported)
    assert all(packed and data != LINES[int(pid[1:])] for pid, (_, packed, data) in kept.items())
    assert_every_record_intact(imported)
    (entry,) = compaction_entries(imported)
    assert entry["compacted"] == len(LINES) and entry["damaged"] == []
    again = importer.compact_originals(imported.admin_token)
    assert again.done and again.remaining == 0
    assert len(compaction_entries(imported)) == 1  # nothing done, nothing audited


def test_a_pass_part_way_leaves_both_kinds_readable_and_the_bundle_right(
    imported: Staffed, tmp_path: Path
) -> None:
    importer = imported.desk.importer
    first = importer.compact_originals(imported.admin_token, limit=3)
    assert (first.compacted, first.remaining) == (3, len(LINES) - 3)
    assert sorted(packed for _, packed, _ in stored(imported).values()) == [False] * 4 + [True] * 3
    assert_every_record_intact(imported)
    with imported.desk.ctx.db.read() as s:
        case_id = s.scalar(select(Item.case_id).where(Item.platform_id == "k0"))
    assert case_id is not None
    out = tmp_path / "bundle"
    imported.desk.evidence.export(imported.admin_token, case_id, out)
    assert [p.read_bytes() for p in (out / "originals").iterdir()] == [LINES[0]]
    rest = importer.compact_originals(imported.admin_token, limit=3, after=first.next_after)
    assert rest.compacted == 3
    last = importer.compact_originals(imported.admin_token, limit=3, after=rest.next_after)
    assert (last.compacted, last.remaining) == (1, 0)
    assert_every_record_intact(imported)


def test_an_interrupted_pass_changes_nothing(
    imported: Staffed, monkeypatch: pytest.MonkeyPatch
) -> None:
    calls = []
    real = originals_store.compact

    def power_cut(raw: bytes, sha256: str) -> bytes:
        calls.append(sha256)
        if len(calls) == 4:
            raise KeyboardInterrupt  # the pass stops part-way through its transaction
        return real(raw, sha256)

    monkeypatch.setattr(originals_store, "compact", power_cut)
    with pytest.raises(KeyboardInterrupt):
        imported.desk.importer.compact_originals(imported.admin_token)
    assert not any(packed for _, packed, _ in stored(imported).values())
    assert_every_record_intact(imported)
    assert compaction_entries(imported) == []
    monkeypatch.setattr(originals_store, "compact", real)
    assert imported.desk.importer.compact_originals(imported.admin_token).compacted == len(LINES)
    assert_every_record_intact(imported)


def test_a_record_that_no_longer_matches_its_hash_is_left_alone_and_named(
    imported: Staffed,
) -> None:
    with imported.desk.ctx.db.write() as s:
        item_id = s.scalar(select(Item.id).where(Item.platform_id == "k2"))
        s.execute(
            update(ItemOriginal)
            .where(ItemOriginal.item_id == item_id)
            .values(data=LINES[2].replace(b"bridge", b"BRIDGE"))
        )
    done = imported.desk.importer.compact_originals(imported.admin_token)
    assert done.damaged == (item_id,) and done.compacted == len(LINES) - 1
    assert done.remaining == 1
    sha, packed, data = stored(imported)["k2"]
    assert not packed and data == LINES[2].replace(b"bridge", b"BRIDGE")  # untouched
    assert sha == hashlib.sha256(LINES[2]).hexdigest()  # still says what arrived
    (entry,) = compaction_entries(imported)
    assert entry["damaged"] == [item_id]
    later = imported.desk.importer.compact_originals(imported.admin_token, after=done.next_after)
    assert later.done


def test_only_people_who_import_may_compact(imported: Staffed) -> None:
    made = imported.desk.accounts.add_user(
        imported.admin_token, "comms", "Cam Comms", Role.COMMUNICATIONS, USER_PASSWORD
    )
    comms = imported.sign_in(Person("comms", USER_PASSWORD, made.seed, Role.COMMUNICATIONS))
    with pytest.raises(PermissionDenied):
        imported.desk.importer.compact_originals(comms)
    assert not any(packed for _, packed, _ in stored(imported).values())
    operator = imported.sign_in(imported.operator)
    assert imported.desk.importer.compact_originals(operator).compacted == len(LINES)
