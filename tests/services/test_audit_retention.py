"""Audit entries past their period are removed by an approved retention run, behind a signed
checkpoint, and the chain still verifies; forged checkpoints and unrecorded cuts do not."""

from __future__ import annotations

import base64
import json
import sqlite3
from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import dataclass

import pytest
from cryptography.hazmat.primitives.asymmetric.ed25519 import Ed25519PrivateKey
from cryptography.hazmat.primitives.serialization import Encoding, PublicFormat
from sqlalchemy import delete, func, select
from sqlalchemy.exc import DatabaseError
from sqlalchemy.sql.elements import ColumnElement

from desk.core.audit_chain import ChainReport
from desk.core.audit_checkpoint import Checkpoint, checkpoint_bytes
from desk.core.audit_filter import AuditFilter
from desk.core.cases import Outcome
from desk.core.errors import Conflict
from desk.core.items import Platform
from desk.core.retention import RecordClass
from desk.core.roles import Role
from desk.store import audit_log
from desk.store.tables import AuditCheckpoint, AuditEntry, Item
from tests.conftest import USER_PASSWORD, Person, Staffed
from tests.services.helpers import item

YEAR = 365


@dataclass
class Kept:
    """A desk a year on: its supervisor, and a case worked at the start."""

    staffed: Staffed
    sue: Person
    case_id: int

    def token(self) -> str:
        return self.staffed.sign_in(self.sue)

    def verify(self) -> ChainReport:
        return self.staffed.desk.audit.verify(self.token())


@pytest.fixture
def kept(staffed: Staffed) -> Kept:
    d, admin = staffed.desk, staffed.admin_token
    seed = d.accounts.add_user(admin, "sue", "Sue Super", Role.SUPERVISOR, USER_PASSWORD).seed
    d.official_accounts.add(admin, Platform.X, "@ExampleshirePolice", "Exampleshire Police")
    d.settings.set(admin, "retention_rules", "audit=1y delete")
    d.importer.store(admin, [item("1", "Where is the station?", author="r1")], "test")
    with d.ctx.db.read() as s:
        case_id = s.scalar(select(Item.case_id).where(Item.platform_id == "1"))
    assert case_id is not None
    jo = staffed.sign_in(staffed.operator)
    d.cases.claim(jo, case_id)
    d.cases.close(jo, case_id, Outcome.NO_ACTION)
    return Kept(staffed, Person("sue", USER_PASSWORD, seed, Role.SUPERVISOR), case_id)


def rows(k: Kept, *where: ColumnElement[bool]) -> int:
    with k.staffed.desk.ctx.db.read() as s:
        return s.scalar(select(func.count()).select_from(AuditEntry).where(*where)) or 0


def first_seq(k: Kept) -> int:
    with k.staffed.desk.ctx.db.read() as s:
        found = s.scalar(select(func.min(AuditEntry.seq)))
        assert found is not None
        return found


def first_naming(k: Kept, obj: str) -> int:
    with k.staffed.desk.ctx.db.read() as s:
        found = s.scalar(select(func.min(AuditEntry.seq)).where(AuditEntry.object == obj))
        assert found is not None
        return found


@contextmanager
def behind_desks_back(k: Kept) -> Iterator[sqlite3.Connection]:
    """Open the file with plain sqlite3 and drop the audit triggers, as an intruder could."""
    conn = sqlite3.connect(k.staffed.desk.profile.db_path)
    conn.execute("DROP TRIGGER audit_log_no_update")
    conn.execute("DROP TRIGGER audit_log_no_delete")
    try:
        yield conn
        conn.commit()
    finally:
        conn.close()


def cut_a_year_on(k: Kept) -> Checkpoint:
    """Move a year and a day on, approve and run the due batch; return the audit's checkpoint."""
    k.staffed.clock.advance(days=YEAR + 1)
    report = k.staffed.desk.retention.run(k.token(), approve=True)
    assert report.counts[RecordClass.AUDIT.value] > 0
    with k.staffed.desk.ctx.db.read() as s:
        return audit_log.checkpoints(s)[-1]


def test_nothing_is_due_before_the_period(kept: Kept) -> None:
    kept.staffed.clock.advance(days=YEAR - 1)
    assert kept.staffed.desk.retention.due(kept.token()).of(RecordClass.AUDIT).count == 0


def test_entries_past_the_period_go_after_an_approved_run_and_the_chain_verifies(
    kept: Kept,
) -> None:
    d, clock = kept.staffed.desk, kept.staffed.clock
    old = rows(kept)
    clock.advance(days=YEAR + 1)
    sue = kept.token()
    due = d.retention.due(sue).of(RecordClass.AUDIT)
    assert due.count == old and due.seq_range == (1, old)
    assert due.sample == (f"#1 to #{old}",) and due.oldest is not None
    assert rows(kept) > old  # nothing goes before approval (sue's sign-in was added)

    batch = d.retention.approve(sue, d.retention.due(sue))
    assert batch.counts["audit"] == old
    report = d.retention.run(sue)
    assert report.counts["audit"] == old

    assert rows(kept, AuditEntry.seq <= old) == 0
    assert first_seq(kept) == old + 1
    with d.ctx.db.read() as s:
        assert s.scalar(select(func.count()).select_from(AuditCheckpoint)) == 1
    checked = kept.verify()
    assert checked.intact, checked.problem
    (cut,) = checked.cuts
    assert (cut.first_seq, cut.last_seq, cut.count) == (1, old, old)
    assert cut.approved_by == "sue" and cut.rule == "audit=1y delete"
    assert cut.summary().startswith(
        f"{old} entries before #{old + 1} were removed by retention on {clock.now():%Y-%m-%d}"
    )
    assert "(approved by sue, batch #1" in cut.summary()
    # the tombstone says what went, with no content
    tomb = d.audit.find(sue, AuditFilter(action_prefix="content.purge"))
    audit_tomb = next(e for e in tomb if e.object == "audit")
    details = json.loads(audit_tomb.details)
    assert details["first_seq"] == 1 and details["last_seq"] == old
    assert details["checkpoint"] == cut.id and details["approved_by"] == "sue"
    assert d.retention.due(kept.token()).of(RecordClass.AUDIT).count == 0


def test_a_second_cut_follows_the_first(kept: Kept) -> None:
    first = cut_a_year_on(kept)
    second = cut_a_year_on(kept)
    assert second.first_seq == first.last_seq + 1
    checked = kept.verify()
    assert checked.intact, checked.problem
    assert [c.id for c in checked.cuts] == [first.id, second.id]


@pytest.mark.sqlite_only  # it reads or rewrites the SQLite file itself
def test_deleting_one_more_entry_by_sql_fails_verify(kept: Kept) -> None:
    cut = cut_a_year_on(kept)
    with behind_desks_back(kept) as conn:
        conn.execute("DELETE FROM audit_log WHERE seq = ?", (cut.next_seq,))
    checked = kept.verify()
    assert not checked.intact and checked.seq == cut.next_seq + 1
    assert f"entry {cut.next_seq} removed" in (checked.problem or "")


@pytest.mark.sqlite_only  # it reads or rewrites the SQLite file itself
def test_removing_the_checkpoint_fails_verify(kept: Kept) -> None:
    cut = cut_a_year_on(kept)
    with behind_desks_back(kept) as conn:
        conn.execute("DELETE FROM audit_checkpoints")
    checked = kept.verify()
    assert not checked.intact
    assert f"entries 1 to {cut.last_seq} removed" in (checked.problem or "")


@pytest.mark.parametrize(
    ("column", "value"),
    [("count", "count - 1"), ("last_hash", "'" + "0" * 64 + "'"), ("approved_by", "'admin'")],
)
@pytest.mark.sqlite_only  # it reads or rewrites the SQLite file itself
def test_a_changed_checkpoint_fails_verify(kept: Kept, column: str, value: str) -> None:
    cut = cut_a_year_on(kept)
    with behind_desks_back(kept) as conn:
        conn.execute(f"UPDATE audit_checkpoints SET {column} = {value}")  # noqa: S608
    checked = kept.verify()
    assert not checked.intact and checked.seq == cut.last_seq
    assert (
        f"the retention checkpoint for entries 1 to {cut.last_seq} was altered: its signature "
        "does not match its content"
    ) in (checked.problem or "")


@pytest.mark.sqlite_only  # it reads or rewrites the SQLite file itself
def test_a_checkpoint_signed_with_another_key_fails_verify(kept: Kept) -> None:
    cut = cut_a_year_on(kept)
    other = Ed25519PrivateKey.generate()
    public = base64.b64encode(other.public_key().public_bytes(Encoding.Raw, PublicFormat.Raw))
    forged = Checkpoint(**{**cut.__dict__, "count": cut.count, "public_key": public.decode()})
    signature = base64.b64encode(other.sign(checkpoint_bytes(forged))).decode()
    with behind_desks_back(kept) as conn:
        conn.execute(
            "UPDATE audit_checkpoints SET public_key = ?, signature = ?",
            (forged.public_key, signature),
        )
    checked = kept.verify()
    assert not checked.intact and checked.seq == cut.last_seq
    assert "not this desk's key" in (checked.problem or "")


def test_a_legal_hold_stops_the_cut_before_the_first_entry_naming_the_case(kept: Kept) -> None:
    d, clock = kept.staffed.desk, kept.staffed.clock
    d.retention.add_hold(kept.token(), "case", kept.case_id, "IOPC request 2026/123")
    stop = first_naming(kept, f"case:{kept.case_id}")
    clock.advance(days=YEAR + 1)
    sue = kept.token()
    due = d.retention.due(sue).of(RecordClass.AUDIT)
    assert due.seq_range == (1, stop - 1) and due.held > 0
    d.retention.run(sue, approve=True)
    assert first_seq(kept) == stop
    assert rows(kept, AuditEntry.object == f"case:{kept.case_id}") >= 3  # claimed, closed, held
    assert kept.verify().intact


def test_a_hold_placed_after_approval_shortens_the_run(kept: Kept) -> None:
    d, clock = kept.staffed.desk, kept.staffed.clock
    clock.advance(days=YEAR + 1)
    sue = kept.token()
    batch = d.retention.approve(sue, d.retention.due(sue))
    d.retention.add_hold(sue, "case", kept.case_id, "Civil claim: preserve")
    report = d.retention.run(sue)
    stop = first_naming(kept, f"case:{kept.case_id}")
    assert report.counts["audit"] == stop - 1 < batch.counts["audit"]
    assert report.skipped_held >= batch.counts["audit"] - (stop - 1)
    assert first_seq(kept) == stop and kept.verify().intact


@pytest.mark.sqlite_only  # it reads or rewrites the SQLite file itself
def test_a_broken_chain_is_not_cut(kept: Kept) -> None:
    d, clock = kept.staffed.desk, kept.staffed.clock
    with behind_desks_back(kept) as conn:
        conn.execute("UPDATE audit_log SET actor = 'mallory' WHERE seq = 3")
    clock.advance(days=YEAR + 1)
    with pytest.raises(Conflict, match="entry 3 was changed"):
        d.retention.run(kept.token(), approve=True)
    assert first_seq(kept) == 1 and rows(kept, AuditEntry.seq == 3) == 1


def test_desk_cannot_delete_an_entry_no_checkpoint_covers(kept: Kept) -> None:
    db = kept.staffed.desk.ctx.db
    with pytest.raises(DatabaseError, match="append-only"), db.write() as s:
        s.execute(delete(AuditEntry).where(AuditEntry.seq == 2))
    assert rows(kept, AuditEntry.seq == 2) == 1


def test_an_anchor_made_before_the_cut_says_it_predates_it(kept: Kept) -> None:
    d = kept.staffed.desk
    doc = d.audit.anchor(kept.token())
    cut = cut_a_year_on(kept)
    assert doc["head"]["seq"] < cut.last_seq
    checked = d.audit.check_anchor(kept.token(), doc)
    assert checked.intact
    assert "predates the retention cut of entries 1 to" in checked.note


def test_an_anchor_of_the_cut_entry_is_matched_by_the_checkpoint(kept: Kept) -> None:
    d = kept.staffed.desk
    cut = cut_a_year_on(kept)
    doc = d.audit.anchor(kept.token())
    doc["head"] = {"seq": cut.last_seq, "hash": cut.last_hash, "at": cut.last_at}
    # re-signing as the desk would have, had it anchored that entry before the cut
    from desk.auth.signing import load_signer
    from desk.core.audit_anchor import SIGNATURE_FIELD, signed_bytes

    doc[SIGNATURE_FIELD] = load_signer(d.profile.data_dir).sign(signed_bytes(doc))
    checked = d.audit.check_anchor(kept.token(), doc)
    assert checked.intact and "matches the signed checkpoint" in checked.note
    doc["head"]["hash"] = "1" * 64
    doc[SIGNATURE_FIELD] = load_signer(d.profile.data_dir).sign(signed_bytes(doc))
    assert not d.audit.check_anchor(kept.token(), doc).intact


def test_a_case_held_back_at_approval_keeps_its_audit_entries(kept: Kept) -> None:
    d, clock = kept.staffed.desk, kept.staffed.clock
    stop = first_naming(kept, f"case:{kept.case_id}")
    clock.advance(days=YEAR + 1)
    sue = kept.token()
    batch = d.retention.approve(sue, d.retention.due(sue), hold_ids=[kept.case_id])
    assert batch.counts["audit"] == stop - 1
    d.retention.run(sue)
    assert first_seq(kept) == stop and kept.verify().intact
