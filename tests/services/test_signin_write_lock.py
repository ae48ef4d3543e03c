"""Issue 15 item 9: the slow password hash never runs while Desk holds the write lock.

Each test performs the attack's core: while a sign-in is hashing a password (Desk's real
Argon2 with its real parameters), another connection tries to take SQLite's write lock with no
waiting at all. Before the fix the hash ran inside ``BEGIN IMMEDIATE`` and that attempt failed,
so a burst of failed sign-ins stalled every writer for the length of the burst.
"""

from __future__ import annotations

import sqlite3
import threading
from pathlib import Path
from typing import Any

import pytest

from desk.auth.passwords import PasswordVerifier
from desk.core.errors import SignInFailed
from tests.conftest import Staffed, next_code

pytestmark = pytest.mark.sqlite_only  # SQLite's write lock: PostgreSQL has no file-wide write lock


class WatchingVerifier:
    """Desk's own verifier; each time it hashes, it first tries to take the write lock."""

    def __init__(self, real: PasswordVerifier, path: Path) -> None:
        self.real, self.path = real, path
        self.lock_free: list[bool] = []

    def _write_lock_is_free(self) -> bool:
        # another thread's short write (its failure recorded after its hash) may hold the lock
        # for a moment, so wait for it a while; a lock this thread held while hashing would
        # never come free, since the thread is here, waiting
        conn = sqlite3.connect(self.path, timeout=5, isolation_level=None)
        try:
            conn.execute("BEGIN IMMEDIATE")
            conn.execute("ROLLBACK")
            return True
        except sqlite3.OperationalError:  # "database is locked": someone holds the write lock
            return False
        finally:
            conn.close()

    def check(self, verifier: str | None, password: str) -> bool:
        """Try the write lock from another connection, then hash as Desk would."""
        self.lock_free.append(self._write_lock_is_free())
        return self.real.check(verifier, password)

    def make(self, password: str) -> str:
        """Try the write lock from another connection, then make a verifier as Desk would."""
        self.lock_free.append(self._write_lock_is_free())
        return self.real.make(password)

    def __getattr__(self, name: str) -> Any:
        return getattr(self.real, name)


@pytest.fixture
def watched(staffed: Staffed, monkeypatch: pytest.MonkeyPatch) -> WatchingVerifier:
    ctx = staffed.desk.ctx
    assert ctx.db.path is not None
    watcher = WatchingVerifier(ctx.verifier, ctx.db.path)
    monkeypatch.setattr(ctx, "verifier", watcher)
    return watcher


def test_a_failed_sign_in_hashes_without_the_write_lock(
    staffed: Staffed, watched: WatchingVerifier
) -> None:
    op = staffed.operator
    with pytest.raises(SignInFailed):
        staffed.desk.signin.sign_in(
            op.username, "not the password", next_code(op.seed, staffed.clock)
        )
    assert watched.lock_free == [True]
    # the failure is still counted, in the short write that follows
    failures = staffed.desk.audit.entries(staffed.admin_token, 5, "signin.failure")
    assert '"reason":"password"' in failures[0].details and '"failures":1' in failures[0].details


def test_an_unknown_user_hashes_without_the_write_lock(
    staffed: Staffed, watched: WatchingVerifier
) -> None:
    with pytest.raises(SignInFailed):
        staffed.desk.signin.sign_in("nobody", "a guess", "123456")
    assert watched.lock_free == [True]
    failures = staffed.desk.audit.entries(staffed.admin_token, 5, "signin.failure")
    assert '"reason":"unknown_user"' in failures[0].details


def test_a_good_sign_in_and_an_unlock_hash_without_the_write_lock(
    staffed: Staffed, watched: WatchingVerifier
) -> None:
    op, clock = staffed.operator, staffed.clock
    token = staffed.desk.signin.sign_in(op.username, op.password, next_code(op.seed, clock)).token
    staffed.desk.signin.lock(token)
    staffed.desk.signin.reauthenticate(token, op.password, next_code(op.seed, clock))
    assert staffed.desk.signin.authorize(token).username == op.username
    assert watched.lock_free == [True, True]


def test_a_burst_of_failures_lets_a_writer_through_while_they_hash(
    staffed: Staffed, watched: WatchingVerifier
) -> None:
    """Four sign-ins fail at once in threads: every hash ran with the write lock free."""
    errors: list[BaseException] = []

    def guess(n: int) -> None:
        try:
            staffed.desk.signin.sign_in(staffed.operator.username, f"guess {n}", "000000")
        except SignInFailed:
            pass
        except BaseException as exc:  # pragma: no cover - reported below
            errors.append(exc)

    threads = [threading.Thread(target=guess, args=(n,)) for n in range(4)]
    for t in threads:
        t.start()
    for t in threads:
        t.join()
    assert not errors
    assert watched.lock_free == [True] * 4
    # every failure was counted: none lost to the race between the threads
    counted = staffed.desk.audit.entries(staffed.admin_token, 20, "signin.failure")
    assert sorted(int(e.details.split('"failures":')[1].split(",")[0]) for e in counted) == list(
        range(1, 5)
    )


def test_a_password_changed_while_it_was_checked_is_not_trusted(
    staffed: Staffed, monkeypatch: pytest.MonkeyPatch
) -> None:
    """The old password, checked just before an administrator reset it, does not sign in."""
    op, desk = staffed.operator, staffed.desk
    real = desk.ctx.verifier

    class ResetWhileHashing:
        def check(self, verifier: str | None, password: str) -> bool:
            ok = real.check(verifier, password)
            with desk.ctx.db.write() as s:  # what a reset writes meanwhile (a new verifier)
                s.execute(
                    sqlite_update(),
                    {"v": real.make("a brand new pass phrase 2026"), "u": op.username},
                )
            return ok

        def __getattr__(self, name: str) -> Any:
            return getattr(real, name)

    monkeypatch.setattr(desk.ctx, "verifier", ResetWhileHashing())
    with pytest.raises(SignInFailed):
        desk.signin.sign_in(op.username, op.password, next_code(op.seed, staffed.clock))
    monkeypatch.setattr(desk.ctx, "verifier", real)
    failure = desk.audit.entries(staffed.admin_token, 1, "signin.failure")[0]
    assert '"reason":"password_changed"' in failure.details and '"failures":0' in failure.details


def sqlite_update() -> Any:
    """The statement a password reset runs on the account's verifier."""
    from sqlalchemy import text

    return text("UPDATE accounts SET password_verifier = :v WHERE username = :u")
