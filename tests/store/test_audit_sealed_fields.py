"""Every sealed field of an audit entry is covered, and an action lives or dies with its entry.

Issue 15, #14: the tamper tests only ever changed ``details``, so a writer that left ``actor``
out of the sealed content passed them; and nothing showed an action committed without its
audit entry. These tests change each field behind Desk's back, and make the audit write fail.
"""

from __future__ import annotations

import sqlite3

import pytest
from sqlalchemy import text
from sqlalchemy.exc import IntegrityError

from desk.core.errors import DeskError
from desk.core.items import Platform
from desk.core.queue_filter import QueueFilter
from desk.store.tables import Case
from tests.conftest import Staffed
from tests.services.helpers import item

# a changed value for each sealed column, as SQL on that column
CHANGES = {
    "actor": "actor || 'x'",
    "action": "action || 'x'",
    "object": "object || 'x'",
    "at": "replace(at, '09:', '08:')",
    "details": """CASE details WHEN '{}' THEN '{"x":1}' ELSE '{}' END""",
}


def tamper(staffed: Staffed, sql: str, *params: object) -> None:
    """Change the file with plain sqlite3, guard triggers dropped, as an intruder could."""
    conn = sqlite3.connect(staffed.desk.profile.db_path)
    try:
        conn.execute("DROP TRIGGER IF EXISTS audit_log_no_update")
        conn.execute(sql, params)
        conn.commit()
    finally:
        conn.close()


def stored(staffed: Staffed, field: str, seq: int) -> str:
    """Return one column of entry ``seq`` as stored."""
    with staffed.desk.ctx.db.read() as s:
        value = s.execute(
            text(f"SELECT {field} FROM audit_log WHERE seq = :q"),  # noqa: S608
            {"q": seq},
        ).scalar_one()
    return str(value)


def with_empty_details(staffed: Staffed) -> int:
    """Write an entry with no details through Desk's own writer, and one after it."""
    with staffed.desk.ctx.db.write() as s:
        seq = staffed.desk.ctx.audit.record(s, "admin", "desk.test", "desk")
        staffed.desk.ctx.audit.record(s, "admin", "desk.test", "desk", after=seq)
    return seq


@pytest.mark.parametrize("field", sorted(CHANGES))
@pytest.mark.parametrize("empty", [False, True], ids=["with details", "empty details"])
def test_a_change_to_any_sealed_field_is_named(staffed: Staffed, field: str, empty: bool) -> None:
    seq = with_empty_details(staffed)
    if not empty:
        seq = next(  # an entry that carries details
            e.seq
            for e in staffed.desk.audit.entries(staffed.admin_token, limit=50)
            if e.details != "{}" and e.seq < seq
        )
    assert staffed.desk.audit.verify(staffed.admin_token).intact
    before = stored(staffed, field, seq)
    change = f"UPDATE audit_log SET {field} = {CHANGES[field]} WHERE seq = ?"  # noqa: S608
    tamper(staffed, change, seq)
    assert stored(staffed, field, seq) != before  # the tamper really changed the field
    report = staffed.desk.audit.verify(staffed.admin_token)
    assert not report.intact
    assert report.seq == seq
    assert f"entry {seq} was changed: its content no longer matches its seal" == report.problem


def test_a_claim_whose_audit_write_fails_is_rolled_back_whole(staffed: Staffed) -> None:
    d, admin = staffed.desk, staffed.admin_token
    d.official_accounts.add(admin, Platform.X, "@ExampleshirePolice", "Exampleshire Police")
    d.importer.store(admin, [item("1", "What time does the road reopen?")], "test")
    (row,) = d.queue.page(admin, QueueFilter())
    op_token = staffed.sign_in(staffed.operator)
    # the audit write fails for real, inside the database
    conn = sqlite3.connect(d.profile.db_path)
    try:
        conn.execute(
            "CREATE TRIGGER fail_claim_audit BEFORE INSERT ON audit_log "
            "WHEN NEW.action LIKE 'case.claim%' "
            "BEGIN SELECT RAISE(ABORT, 'the audit write failed'); END"
        )
        conn.commit()
    finally:
        conn.close()
    with pytest.raises((IntegrityError, DeskError)):
        d.cases.claim(op_token, row.case_id)
    with d.ctx.db.read() as s:
        case = s.get(Case, row.case_id)
        assert case is not None
        assert (case.owner_id, case.status, case.claimed_at) == (None, "new", None)
    (after,) = d.queue.page(admin, QueueFilter())
    assert after.owner is None
