"""`audit verify` catches what someone holding the file does behind Desk's back."""

from __future__ import annotations

import sqlite3
from collections.abc import Iterator
from contextlib import contextmanager

import pytest

from desk.core.roles import Role
from desk.services.desk import Desk
from tests.conftest import Staffed


@contextmanager
def behind_desks_back(staffed: Staffed) -> Iterator[sqlite3.Connection]:
    """Open the file with plain sqlite3 and drop the append-only triggers, as an intruder could."""
    conn = sqlite3.connect(staffed.desk.profile.db_path)
    conn.execute("DROP TRIGGER audit_log_no_update")
    conn.execute("DROP TRIGGER audit_log_no_delete")
    try:
        yield conn
        conn.commit()
    finally:
        conn.close()


@pytest.fixture
def busy_desk(staffed: Staffed) -> Staffed:
    """A desk with a few more entries to tamper with."""
    for name in ("amy", "bob", "cat"):
        staffed.desk.accounts.add_user(
            staffed.admin_token, name, name.title(), Role.OPERATOR, f"{name} has a long password"
        )
    return staffed


def verify(staffed: Staffed) -> tuple[bool, str, int | None]:
    report = staffed.desk.audit.verify(staffed.admin_token)
    return report.intact, report.problem or "", report.seq


def test_clean_chain_verifies(busy_desk: Staffed) -> None:
    intact, _, _ = verify(busy_desk)
    assert intact


def test_an_edit_is_named(busy_desk: Staffed) -> None:
    with behind_desks_back(busy_desk) as conn:
        conn.execute(
            "UPDATE audit_log SET details = replace(details, 'operator', 'administrator') "
            "WHERE object = 'account:bob'"
        )
        (seq,) = conn.execute("SELECT seq FROM audit_log WHERE object='account:bob'").fetchone()
    intact, problem, at = verify(busy_desk)
    assert not intact and at == seq
    assert f"entry {seq} was changed" in problem


def test_a_deletion_is_named(busy_desk: Staffed) -> None:
    with behind_desks_back(busy_desk) as conn:
        (seq,) = conn.execute("SELECT seq FROM audit_log WHERE object='account:amy'").fetchone()
        conn.execute("DELETE FROM audit_log WHERE seq = ?", (seq,))
    intact, problem, at = verify(busy_desk)
    assert not intact and at == seq + 1
    assert f"entry {seq} removed" in problem


def test_an_insertion_is_named(busy_desk: Staffed) -> None:
    with behind_desks_back(busy_desk) as conn:
        rows = conn.execute("SELECT seq FROM audit_log ORDER BY seq DESC").fetchall()
        target = rows[len(rows) // 2][0]
        for (seq,) in rows:  # make room, highest first
            if seq >= target:
                conn.execute("UPDATE audit_log SET seq = seq + 1 WHERE seq = ?", (seq,))
        conn.execute(
            "INSERT INTO audit_log SELECT ?, at, actor, 'account.enable', object, details, "
            "prev_hash, hash FROM audit_log WHERE seq = ?",
            (target, target - 1),
        )
    intact, problem, at = verify(busy_desk)
    assert not intact and at == target
    assert f"entry {target} was inserted" in problem


def test_verify_needs_the_right_role(busy_desk: Staffed) -> None:
    from desk.core.errors import PermissionDenied

    token = busy_desk.sign_in(busy_desk.operator)
    with pytest.raises(PermissionDenied):
        busy_desk.desk.audit.verify(token)


def test_appends_from_two_windows_stay_one_chain(busy_desk: Staffed) -> None:
    """Two Desk instances on one file (two windows) interleave appends; the chain holds."""
    other = Desk.open(busy_desk.desk.profile, busy_desk.clock)
    try:
        for i in range(5):
            desk = busy_desk.desk if i % 2 else other
            desk.accounts.add_user(
                busy_desk.admin_token,
                f"user{i}",
                f"User {i}",
                Role.OPERATOR,
                f"user {i} passphrase!",
            )
    finally:
        other.close()
    intact, problem, _ = verify(busy_desk)
    assert intact, problem
