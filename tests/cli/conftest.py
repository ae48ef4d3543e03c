"""Running desk-admin in-process on a real SQLite profile with an in-memory keyring."""

from __future__ import annotations

import io
import json
import os
import re
import subprocess
import sys
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import pytest

from desk.auth.totp import code_at, time_step
from desk.cli.main import main
from desk.core.clock import ManualClock
from desk.core.risk import RuleSet
from desk.core.roles import Role
from desk.paths import Profile
from desk.services import desk as desk_module
from desk.services.rules import local_rule_files
from desk.services.signin import CLI as CLI_SESSION
from tests.conftest import USER_PASSWORD, Person, Staffed, next_code, require_integration
from tests.keyrings import MemoryKeyring

DESK_ENV = ("DESK_DATA_DIR", "DESK_USER", "DESK_CODE", "DESK_SESSION", "DESK_DATABASE_URL")
SEED_LINE = re.compile(r"^  Seed: ([A-Z2-7]+)$", re.MULTILINE)


@dataclass(frozen=True)
class Outcome:
    """What one run of desk-admin did."""

    status: int
    out: str
    err: str

    @property
    def seed(self) -> str:
        """The seed of the enrolment printed on standard output."""
        found = SEED_LINE.search(self.out)
        assert found, self.out
        return found.group(1)

    @property
    def token(self) -> str:
        """The session token printed by ``login``: standard output is that line alone."""
        assert self.status == 0, self.err
        lines = self.out.splitlines()
        assert len(lines) == 1, self.out
        return lines[0]


class TerminalInput(io.StringIO):
    """Standard input that says it is a terminal."""

    def isatty(self) -> bool:
        return True


class Cli:
    """Runs ``desk-admin --data-dir PROFILE ...`` in-process on the test's clock."""

    def __init__(self, profile: Profile, clock: ManualClock, monkeypatch: pytest.MonkeyPatch):
        self.profile = profile
        self.clock = clock
        self.monkeypatch = monkeypatch

    def __call__(
        self, *argv: str, stdin: str = "", session: str | None = None, tty: bool = False
    ) -> Outcome:
        """Run one command; ``session`` goes in DESK_SESSION (else it is unset)."""
        if session is None:
            self.monkeypatch.delenv("DESK_SESSION", raising=False)
        else:
            self.monkeypatch.setenv("DESK_SESSION", session)
        out, err = io.StringIO(), io.StringIO()
        status = main(
            ["--data-dir", str(self.profile.data_dir), *argv],
            clock=self.clock,
            stdin=TerminalInput(stdin) if tty else io.StringIO(stdin),
            stdout=out,
            stderr=err,
        )
        return Outcome(status, out.getvalue(), err.getvalue())

    def signed(self, person: Person, *argv: str, more: tuple[str, ...] = ()) -> Outcome:
        """Run a command as ``person`` with their password on stdin and the next code."""
        code = next_code(person.seed, self.clock)
        lines = "".join(f"{line}\n" for line in (person.password, *more))
        return self("--user", person.username, "--password-stdin", "--code", code, *argv,
                    stdin=lines)  # fmt: skip

    def login(self, person: Person) -> str:
        """Sign ``person`` in with the next code and return the session token."""
        return self.signed(person, "login").token


def wrong_code(seed: str, clock: ManualClock) -> str:
    """Return a six-digit code that no step within the allowed drift would accept."""
    step = time_step(clock.now())
    valid = {code_at(seed, s) for s in range(step - 1, step + 2)}
    return next(c for c in (f"{n:06d}" for n in range(1_000_000)) if c not in valid)


_SHIPPED_RULES: list[RuleSet] = []


@pytest.fixture(autouse=True)
def _rules_compiled_once(monkeypatch: pytest.MonkeyPatch) -> None:
    """Compile the shipped risk rules once for the whole run: Desk.open compiles them on every
    desk-admin run (a third of a second), and these tests run desk-admin hundreds of times.
    A profile with rules of its own in use still loads them as usual."""
    real = desk_module.load_profile_rules

    def once(profile: Profile) -> RuleSet:
        if local_rule_files(profile):
            return real(profile)
        if not _SHIPPED_RULES:
            _SHIPPED_RULES.append(real(profile))
        return _SHIPPED_RULES[0]

    monkeypatch.setattr(desk_module, "load_profile_rules", once)


@pytest.fixture(autouse=True)
def _no_desk_environment(monkeypatch: pytest.MonkeyPatch) -> None:
    """Keep the developer's DESK_* variables out of the tests."""
    for name in DESK_ENV:
        monkeypatch.delenv(name, raising=False)


@pytest.fixture
def cli(
    memory_keyring: MemoryKeyring,
    profile: Profile,
    clock: ManualClock,
    monkeypatch: pytest.MonkeyPatch,
    database_url: str | None,
) -> Cli:
    """desk-admin on the test's profile, clock and in-memory keyring (and database)."""
    if database_url is not None:
        monkeypatch.setenv("DESK_DATABASE_URL", database_url)
    return Cli(profile, clock, monkeypatch)


_PROBE = """
from keyring.backends import SecretService
backend = SecretService.Keyring()
backend.priority  # raises when no Secret Service is reachable
backend.get_password("desk-test-probe", "probe")
"""


def secret_service_reachable() -> bool:
    """Tell whether an unlocked Secret Service answers on the session bus."""
    if not os.environ.get("DBUS_SESSION_BUS_ADDRESS"):
        return False
    try:
        probe = subprocess.run(
            [sys.executable, "-c", _PROBE], capture_output=True, timeout=20, check=False
        )
    except subprocess.TimeoutExpired:
        return False
    return probe.returncode == 0


@pytest.fixture
def secret_service() -> None:
    """Skip (or, under scripts/test.sh, fail) unless a Secret Service is reachable."""
    if not secret_service_reachable():
        require_integration("a Secret Service (gnome-keyring on the D-Bus session bus)")


# the triage queue ------------------------------------------------------------------------

DATA = Path(__file__).resolve().parents[1] / "ingest" / "data"


class Triage:
    """A staffed desk worked through desk-admin: an administrator, two operators (Jo and Sam)
    and a supervisor (Sue), each with a command-line session, and files in a folder."""

    def __init__(self, cli: Cli, staffed: Staffed, folder: Path) -> None:
        self.cli = cli
        self.staffed = staffed
        self.folder = folder
        desk = staffed.desk
        sam = desk.accounts.add_user(
            staffed.admin_token, "sbrown", "Sam Brown", Role.OPERATOR, USER_PASSWORD
        )
        sue = desk.accounts.add_user(
            staffed.admin_token, "sgreen", "Sue Green", Role.SUPERVISOR, USER_PASSWORD
        )
        self.sam = Person("sbrown", USER_PASSWORD, sam.seed, Role.OPERATOR)
        self.sue = Person("sgreen", USER_PASSWORD, sue.seed, Role.SUPERVISOR)
        # command-line sessions, as 'desk-admin login' makes them (tested on their own)
        self.admin = staffed.sign_in(staffed.admin, CLI_SESSION)
        self.jo = staffed.sign_in(staffed.operator, CLI_SESSION)
        self.sam_token = staffed.sign_in(self.sam, CLI_SESSION)
        self.sue_token = staffed.sign_in(self.sue, CLI_SESSION)

    def official(self, platform: str, handle: str, *more: str) -> None:
        """Add an official account through desk-admin, as an administrator."""
        done = self.cli("official-account", "add", platform, handle, *more, session=self.admin)
        assert done.status == 0, done.err

    def copy(self, name: str) -> Path:
        """Copy an example file from tests/ingest/data into the test's folder."""
        target = self.folder / name
        target.write_bytes((DATA / name).read_bytes())
        return target

    def write(self, name: str, text: str) -> Path:
        """Write a file into the test's folder."""
        target = self.folder / name
        target.write_text(text, encoding="utf-8")
        return target

    def jsonl(self, name: str, records: list[dict[str, Any]]) -> Path:
        """Write records as a Desk JSON Lines file."""
        return self.write(name, "".join(json.dumps(r) + "\n" for r in records))

    def import_(self, path: Path, *args: str, session: str | None = None) -> Outcome:
        """Import a file as Jo (or the session given)."""
        return self.cli("import", str(path), *args, session=session or self.jo)

    def queue(self, *args: str, session: str | None = None) -> list[dict[str, Any]]:
        """Return ``desk-admin queue --json ...`` as a list of cases."""
        done = self.cli("queue", "--json", *args, session=session or self.jo)
        assert done.status == 0, done.err
        found: list[dict[str, Any]] = json.loads(done.out)
        return found

    def ids(self, *args: str, session: str | None = None) -> list[int]:
        """Return the case ids ``desk-admin queue`` shows in its table, in its order."""
        done = self.cli("queue", "--limit", "0", *args, session=session or self.jo)
        assert done.status == 0, done.err
        if done.out == "No cases.\n":
            return []
        return [int(row.split()[0]) for row in done.out.splitlines()[1:]]

    def show(self, case_id: int, session: str | None = None) -> dict[str, Any]:
        """Return ``desk-admin case show ID --json``."""
        done = self.cli("case", "show", str(case_id), "--json", session=session or self.jo)
        assert done.status == 0, done.err
        found: dict[str, Any] = json.loads(done.out)
        return found


@pytest.fixture
def triage(cli: Cli, staffed: Staffed, tmp_path: Path) -> Triage:
    """A staffed desk with command-line sessions for everyone, and a folder for files."""
    folder = tmp_path / "files"
    folder.mkdir()
    return Triage(cli, staffed, folder)
