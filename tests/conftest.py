"""Shared fixtures: a fresh profile folder, an in-memory keyring, a clock, an open desk."""

from __future__ import annotations

import os
import shutil
from collections.abc import Callable, Iterator
from dataclasses import dataclass
from datetime import UTC, datetime, timedelta
from pathlib import Path
from typing import Any

import argon2
import keyring
import keyring.backend
import pytest
from sqlalchemy import select

from desk.auth import passwords
from desk.auth.totp import code_at, time_step
from desk.core.clock import ManualClock
from desk.core.roles import Role
from desk.core.signin_policy import SESSION_MAX_AGE
from desk.paths import Profile, resolve_profile
from desk.services.desk import Desk
from desk.services.signin import CLI
from desk.store import migrate
from desk.store.db import Database
from desk.store.tables import SignInSession
from tests import backend
from tests.keyrings import MemoryKeyring

os.environ.setdefault("QT_QPA_PLATFORM", "offscreen")

START = datetime(2026, 11, 26, 9, 0, 0, tzinfo=UTC)
ADMIN_PASSWORD = "correct pony battery clip"
USER_PASSWORD = "operator pass phrase 2026"


def require_integration(what: str) -> None:
    """Skip when ``what`` is missing, but fail under scripts/test.sh, which provides it."""
    if os.environ.get("DESK_REQUIRE_INTEGRATION"):
        pytest.fail(f"{what} is missing, but scripts/test.sh should have provided it")
    pytest.skip(f"{what} is not available here (scripts/test.sh provides it)")


def need_command(name: str) -> str:
    """Return the path of a command the test needs, or skip/fail as above."""
    path = shutil.which(name)
    if path is None:
        require_integration(f"the {name} command")
    assert path is not None
    return path


@pytest.fixture(autouse=True)
def _quick_password_hashing(
    request: pytest.FixtureRequest, monkeypatch: pytest.MonkeyPatch
) -> None:
    """Hash passwords with argon2's cheapest parameters unless the test is about the real cost.

    Each hash at the shipped cost (64 MiB, three passes) takes a fifth of a second, and the
    suite signs in and enrols thousands of times; the code path is the same either way.
    tests/auth/test_passwords.py checks the shipped cost, and that a verifier made at a lower
    one is made again at sign-in. The subprocess tests run Desk unchanged.
    """
    if request.node.get_closest_marker("real_password_cost") is None:
        monkeypatch.setattr(passwords, "PARAMETERS", argon2.profiles.CHEAPEST)


# How long a test waits for an outcome it names before failing (pytest-qt's own default is
# five seconds). A passing test never waits this long; on a loaded machine (CI runs two test
# runs side by side) a window may take more than five seconds to open or take the focus.
PATIENCE_MS = 20_000


@pytest.fixture(autouse=True)
def _patient_waits(monkeypatch: pytest.MonkeyPatch) -> None:
    """Give pytest-qt's waits without a timeout of their own :data:`PATIENCE_MS`."""
    from pytestqt.qtbot import QtBot

    until, signal = QtBot.waitUntil, QtBot.waitSignal

    def wait_until(
        self: QtBot, callback: Callable[[], bool | None], *, timeout: int = PATIENCE_MS
    ) -> None:
        until(self, callback, timeout=timeout)

    def wait_signal(self: QtBot, *args: Any, timeout: int = PATIENCE_MS, **kwargs: Any) -> Any:
        return signal(self, *args, timeout=timeout, **kwargs)

    monkeypatch.setattr(QtBot, "waitUntil", wait_until)
    monkeypatch.setattr(QtBot, "waitSignal", wait_signal)


@pytest.fixture
def memory_keyring() -> Iterator[MemoryKeyring]:
    """Make an in-memory keyring the active backend for this test."""
    previous = keyring.get_keyring()
    backend = MemoryKeyring()
    keyring.set_keyring(backend)
    yield backend
    keyring.set_keyring(previous)


@pytest.fixture
def profile(tmp_path: Path) -> Profile:
    """A fresh profile in a temporary folder."""
    return resolve_profile(tmp_path / "profile").create()


class WorkingClock(ManualClock):
    """The manual clock of a desk where people work while the test moves time on.

    In a real window the heartbeat uses the session every 30 seconds while the window is open
    and unlocked (its own idle lock locks it first when nobody touches it), so the service's
    idle lock for windows (issue 15 item 10) never meets an open window. A jump of the manual
    clock skips those heartbeats: after each move, every open, unlocked window session is
    used now, as its heartbeat would have. Tests of the idle lock itself set
    ``windows_left_idle`` (see :func:`windows_left_idle`).
    """

    def __init__(self, start: datetime) -> None:
        super().__init__(start)
        self.heartbeat: Callable[[datetime], None] | None = None
        self.windows_left_idle = False

    def _beat(self, until: datetime) -> None:
        # before the clock moves: a worker thread reading the clock meanwhile must not find
        # a window idle that its heartbeat would have kept in use
        if self.heartbeat is not None and not self.windows_left_idle and until > self.now():
            self.heartbeat(until)

    def advance(self, **delta: float) -> datetime:
        """Move on; open windows were in use meanwhile (unless left idle)."""
        self._beat(self.now() + timedelta(**delta))
        return super().advance(**delta)

    def set(self, when: datetime) -> None:
        """Put the clock at ``when``; open windows were in use meanwhile (unless left idle)."""
        self._beat(when.astimezone(UTC))
        super().set(when)


def _heartbeats(desk: Desk) -> Callable[[datetime], None]:
    def beat(now: datetime) -> None:
        # a window's heartbeat stops when its session reaches 12 hours (the window locks)
        with desk.ctx.db.write() as s:
            for row in s.scalars(
                select(SignInSession).where(
                    SignInSession.kind != CLI,
                    SignInSession.ended_at.is_(None),
                    SignInSession.locked_at.is_(None),
                )
            ):
                last = min(now, row.created_at + SESSION_MAX_AGE)
                if row.last_used_at < last:
                    row.last_used_at = last

    return beat


@pytest.fixture
def windows_left_idle(clock: WorkingClock) -> WorkingClock:
    """The clock, with nobody at the open windows: their sessions go idle as time moves."""
    clock.windows_left_idle = True
    return clock


@pytest.fixture
def clock() -> WorkingClock:
    """A clock that moves only when the test says so."""
    return WorkingClock(START)


@pytest.fixture
def database_url(request: pytest.FixtureRequest) -> Iterator[str | None]:
    """The test's own empty PostgreSQL database when the run is on PostgreSQL, else None.

    See tests/backend.py: the service and command-line tests run on both databases in CI.
    """
    if not backend.on_postgresql():
        yield None
        return
    if request.node.get_closest_marker("sqlite_only"):
        pytest.skip("about the SQLite file itself")
    with backend.fresh_database_url() as url:
        yield url


@pytest.fixture(scope="session")
def head_schema_file(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """An empty SQLite database at the head schema, made once by Desk's own migrations.

    Each test's desk starts from a copy (as the PostgreSQL run starts from a template database):
    running the nineteen migrations again for every test is a sixth of a second each time.
    Opening the copy is a first open all the same (no accounts, no audit): keys are made and
    the key check written.
    """
    path = tmp_path_factory.mktemp("head-schema") / "desk.sqlite3"
    db = Database.sqlite(path)
    try:
        migrate.upgrade(db)
    finally:
        db.dispose()
    return path


@pytest.fixture
def desk(
    memory_keyring: MemoryKeyring,
    profile: Profile,
    clock: ManualClock,
    database_url: str | None,
    head_schema_file: Path,
) -> Iterator[Desk]:
    """An open, empty desk on a real SQLite file (or the run's PostgreSQL server)."""
    if database_url is None and not profile.db_path.exists():
        shutil.copyfile(head_schema_file, profile.db_path)
    db = None if database_url is None else Database(database_url)
    opened = Desk.open(profile, clock, db)
    if isinstance(clock, WorkingClock):
        clock.heartbeat = _heartbeats(opened)
    yield opened
    if isinstance(clock, WorkingClock):
        clock.heartbeat = None
    opened.close()


def current_code(seed: str, clock: ManualClock) -> str:
    """Return the code an authenticator would show now."""
    return code_at(seed, time_step(clock.now()))


def next_code(seed: str, clock: ManualClock) -> str:
    """Move the clock to the next 30-second step and return its code."""
    clock.advance(seconds=30)
    return current_code(seed, clock)


@dataclass
class Person:
    """A person with an account: what they type to sign in."""

    username: str
    password: str
    seed: str
    role: Role


@dataclass
class Staffed:
    """A desk with an administrator (signed in) and an operator."""

    desk: Desk
    clock: ManualClock
    admin: Person
    operator: Person
    admin_token: str

    def sign_in(self, person: Person, kind: str = "gui") -> str:
        """Sign ``person`` in with the next fresh code; return the session token."""
        code = next_code(person.seed, self.clock)
        return self.desk.signin.sign_in(person.username, person.password, code, kind).token


@pytest.fixture
def staffed(desk: Desk, clock: ManualClock) -> Staffed:
    """A desk whose first administrator enrolled, signed in, and added one operator."""
    enrol = desk.accounts.new_enrolment("admin")
    desk.accounts.create_first_admin(
        "admin", "Ada Admin", ADMIN_PASSWORD, enrol.seed, current_code(enrol.seed, clock)
    )
    admin = Person("admin", ADMIN_PASSWORD, enrol.seed, Role.ADMINISTRATOR)
    token = desk.signin.sign_in("admin", ADMIN_PASSWORD, next_code(enrol.seed, clock)).token
    op = desk.accounts.add_user(token, "jsmith", "Jo Smith", Role.OPERATOR, USER_PASSWORD)
    operator = Person("jsmith", USER_PASSWORD, op.seed, Role.OPERATOR)
    return Staffed(desk, clock, admin, operator, token)
