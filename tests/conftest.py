"""Shared fixtures: a fresh profile folder, an in-memory keyring, a clock, an open desk."""

from __future__ import annotations

import os
import shutil
from collections.abc import Iterator
from dataclasses import dataclass
from datetime import UTC, datetime
from pathlib import Path

import keyring
import keyring.backend
import pytest

from desk.auth.totp import code_at, time_step
from desk.core.clock import ManualClock
from desk.core.roles import Role
from desk.paths import Profile, resolve_profile
from desk.services.desk import Desk
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


@pytest.fixture
def clock() -> ManualClock:
    """A clock that moves only when the test says so."""
    return ManualClock(START)


@pytest.fixture
def desk(memory_keyring: MemoryKeyring, profile: Profile, clock: ManualClock) -> Iterator[Desk]:
    """An open, empty desk on a real SQLite file."""
    opened = Desk.open(profile, clock)
    yield opened
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
