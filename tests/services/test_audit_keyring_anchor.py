"""Cutting the audit log behind Desk's back: the keyring's anchor names the cut (issue 15, #4).

The attacker holds the database file (not the keyring): they drop the append-only triggers
and delete the newest entries, and the handover rows that anchored them, or everything.
"""

from __future__ import annotations

import json
import sqlite3

import pytest

from desk.auth.secrets import AUDIT_HEAD, service_name
from desk.core.roles import Role
from desk.store import audit_log
from tests.conftest import Staffed, WorkingClock
from tests.keyrings import MemoryKeyring

pytestmark = pytest.mark.sqlite_only  # these attacks cut the SQLite file behind Desk's back


def cut(staffed: Staffed, sql: str, *params: object) -> None:
    """Run ``sql`` on the file with plain sqlite3 after dropping the guard triggers."""
    conn = sqlite3.connect(staffed.desk.profile.db_path)
    try:
        conn.execute("DROP TRIGGER IF EXISTS audit_log_no_delete")
        conn.execute("DROP TRIGGER IF EXISTS audit_log_no_update")
        conn.execute(sql, params)
        conn.execute("DELETE FROM handovers")  # and whatever anchored the entries
        conn.commit()
    finally:
        conn.close()


def keyring_head(staffed: Staffed, keyring: MemoryKeyring) -> dict:
    service = service_name(staffed.desk.profile.data_dir)
    return json.loads(keyring.entries[(service, AUDIT_HEAD)])


def head_seq(staffed: Staffed, token: str | None = None) -> int:
    return staffed.desk.audit.entries(token or staffed.admin_token, limit=1)[0].seq


@pytest.fixture
def worked(staffed: Staffed) -> Staffed:
    """A desk where people were added, then the operator signed in and out."""
    for name in ("amy", "bob", "cat"):
        staffed.desk.accounts.add_user(
            staffed.admin_token, name, name.title(), Role.OPERATOR, f"{name} has a long password"
        )
    token = staffed.sign_in(staffed.operator)
    staffed.desk.signin.sign_out(token)  # the keyring now holds the head, sign-out included
    return staffed


def test_sign_in_and_sign_out_keep_the_head_in_the_keyring(
    worked: Staffed, memory_keyring: MemoryKeyring
) -> None:
    kept = keyring_head(worked, memory_keyring)
    newest = worked.desk.audit.entries(worked.admin_token, limit=1)[0]
    assert (kept["seq"], newest.action) == (newest.seq, "session.signout")


def test_a_cut_tail_is_named_with_the_keyrings_anchor(
    worked: Staffed, memory_keyring: MemoryKeyring
) -> None:
    anchored = keyring_head(worked, memory_keyring)["seq"]
    cut(worked, "DELETE FROM audit_log WHERE seq > ?", anchored - 3)
    report = worked.desk.audit.verify(worked.admin_token)
    assert not report.intact
    assert report.problem is not None
    assert report.problem.startswith(f"entries after #{anchored - 3} are missing:")
    assert "the keyring's anchor (taken at 2026-11-26 09:" in report.problem
    assert report.problem.endswith(f"names #{anchored}")


def test_a_cut_tail_regrown_by_new_entries_is_still_named(
    worked: Staffed, memory_keyring: MemoryKeyring
) -> None:
    anchored = keyring_head(worked, memory_keyring)["seq"]
    cut(worked, "DELETE FROM audit_log WHERE seq > ?", anchored - 3)
    worked.clock.advance(minutes=10)
    for _ in range(3):  # new entries take the numbers the deleted ones had, and more
        worked.desk.signin.sign_out(worked.sign_in(worked.operator))
    admin = worked.sign_in(worked.admin)
    assert head_seq(worked, admin) > anchored
    assert keyring_head(worked, memory_keyring)["seq"] == anchored  # the evidence is kept
    report = worked.desk.audit.verify(admin)
    assert not report.intact and report.problem is not None
    assert report.problem.startswith(f"entries after #{anchored - 3} were removed or rewritten")


def test_deleting_the_whole_log_is_not_intact(
    worked: Staffed, memory_keyring: MemoryKeyring
) -> None:
    cut(worked, "DELETE FROM audit_log")
    report = worked.desk.audit.verify(worked.admin_token)
    assert not report.intact
    assert report.problem == (
        "the audit log is empty, yet the desk has 5 account(s): every entry was removed"
    )
    # even a workstation whose keyring never took an anchor sees it
    memory_keyring.entries.pop((service_name(worked.desk.profile.data_dir), AUDIT_HEAD))
    assert not worked.desk.audit.verify(worked.admin_token).intact


def test_deleting_the_whole_log_then_signing_in_is_named(
    worked: Staffed, memory_keyring: MemoryKeyring
) -> None:
    anchored = keyring_head(worked, memory_keyring)["seq"]
    cut(worked, "DELETE FROM audit_log")
    worked.clock.advance(minutes=10)
    token = worked.sign_in(worked.admin)  # a fresh chain from #1 verifies on its own
    report = worked.desk.audit.verify(token)
    assert not report.intact and report.problem is not None
    assert f"names #{anchored}" in report.problem


def test_the_window_heartbeat_refreshes_the_anchor_every_few_minutes(
    worked: Staffed, memory_keyring: MemoryKeyring, windows_left_idle: WorkingClock
) -> None:
    token = worked.sign_in(worked.operator)
    before = keyring_head(worked, memory_keyring)["seq"]
    worked.desk.accounts.add_user(
        worked.admin_token, "dan", "Dan", Role.OPERATOR, "dan has a long password"
    )
    with worked.desk.ctx.db.read() as s:
        newest = audit_log.latest(s)
    assert newest is not None and newest.seq > before
    for _ in range(4):  # two minutes of the window's heartbeat: not yet
        windows_left_idle.advance(seconds=31)
        worked.desk.signin.authorize(token)
    assert keyring_head(worked, memory_keyring)["seq"] == before
    for _ in range(8):  # past five minutes
        windows_left_idle.advance(seconds=31)
        worked.desk.signin.authorize(token)  # what the window's heartbeat calls
    assert keyring_head(worked, memory_keyring)["seq"] == newest.seq


def test_an_intact_log_verifies_and_reanchor_accepts_a_restored_log(
    worked: Staffed, memory_keyring: MemoryKeyring
) -> None:
    assert worked.desk.audit.verify(worked.admin_token).intact
    anchored = keyring_head(worked, memory_keyring)["seq"]
    cut(worked, "DELETE FROM audit_log WHERE seq > ?", anchored - 2)  # as a backup restore does
    assert not worked.desk.audit.verify(worked.admin_token).intact
    worked.desk.audit.reanchor(worked.admin_token)
    assert worked.desk.audit.verify(worked.admin_token).intact
    newest = worked.desk.audit.entries(worked.admin_token, limit=1)[0]
    details = json.loads(newest.details)
    assert newest.action == "audit.reanchor" and details["replaced_seq"] == anchored
    assert details["found"].startswith(f"entries after #{anchored - 2} are missing")


def test_an_operator_may_not_reanchor(worked: Staffed) -> None:
    from desk.core.errors import PermissionDenied

    token = worked.sign_in(worked.operator)
    with pytest.raises(PermissionDenied):
        worked.desk.audit.reanchor(token)


def test_a_retention_cut_leaves_the_anchor_standing(
    worked: Staffed, memory_keyring: MemoryKeyring
) -> None:
    d, clock = worked.desk, worked.clock
    d.settings.set(worked.admin_token, "retention_rules", "audit=1y delete")
    entry = (service_name(d.profile.data_dir), AUDIT_HEAD)
    a_year_old = memory_keyring.entries[entry]  # another workstation, unused since
    clock.advance(days=366)
    token = worked.sign_in(worked.admin)
    assert d.retention.run(token, approve=True).counts["audit"] > 0
    report = d.audit.verify(token)
    assert report.intact, report.problem
    assert keyring_head(worked, memory_keyring)["seq"] <= head_seq(worked, token)
    memory_keyring.entries[entry] = a_year_old  # its anchored entry was cut by retention
    report = d.audit.verify(token)
    assert report.intact, report.problem
