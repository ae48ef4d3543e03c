"""The benchmark's own world: a temporary folder, throw-away profiles, people and their tokens."""

from __future__ import annotations

import json
import os
import shutil
import subprocess
import sys
import tempfile
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from bench.keyring_memory import MemoryKeyring, install
from desk.auth.totp import code_at, time_step
from desk.core.clock import SystemClock
from desk.core.roles import Role
from desk.paths import Profile, resolve_profile
from desk.sample.generator import official_accounts
from desk.services.desk import Desk

ROOT = Path(__file__).resolve().parent.parent
ADMIN = "bench-admin"
OPERATOR = "bench-operator"
PASSWORD = "benchmark pass phrase 2026"  # noqa: S105 - throw-away profiles only


@dataclass
class People:
    """Who works on a benchmark profile: tokens of a signed-in administrator and operator."""

    admin_token: str
    operator_token: str
    operator_id: int


@dataclass
class World:
    """Everything the figures share: the folder, the data file, the keyring, the profiles."""

    items: int
    root: Path
    keyring: MemoryKeyring
    jsonl: Path = field(init=False)
    profile: Profile | None = None
    people: People | None = None
    raw_db: Path | None = None
    notes: dict[str, Any] = field(default_factory=dict)

    def __post_init__(self) -> None:
        self.jsonl = self.root / f"items-{self.items}.jsonl"

    @classmethod
    def create(cls, items: int, base: Path | None = None) -> World:
        """Make a fresh temporary folder and plug in the in-memory keyring."""
        root = Path(tempfile.mkdtemp(prefix="desk-bench-", dir=base))
        return cls(items, root, install())

    def remove(self) -> None:
        """Delete the temporary folder and everything in it."""
        shutil.rmtree(self.root, ignore_errors=True)

    def new_profile(self, name: str) -> tuple[Profile, People]:
        """Return a fresh profile with an administrator, an operator and the official accounts."""
        profile = resolve_profile(self.root / name).create()
        desk = Desk.open(profile, SystemClock())
        try:
            first = desk.accounts.create_first_admin(ADMIN, "Bench Admin", PASSWORD)
            admin = desk.signin.sign_in(ADMIN, PASSWORD, _code(first.seed)).token
            enrolment = desk.accounts.add_user(
                admin, OPERATOR, "Bench Operator", Role.OPERATOR, PASSWORD
            )
            operator = desk.signin.sign_in(OPERATOR, PASSWORD, _code(enrolment.seed)).token
            for platform, handle in official_accounts():
                desk.official_accounts.add(admin, platform, handle)
            operator_id = desk.signin.authorize(operator).account_id
        finally:
            desk.close()
        return profile, People(admin, operator, operator_id)

    def open_desk(self) -> Desk:
        """Open the N-item profile (the one the queue, triage and audit figures use)."""
        assert self.profile is not None
        return Desk.open(self.profile, SystemClock())

    @property
    def code_root(self) -> Path:
        """The folder holding ``bench`` and ``desk``: children run there."""
        return ROOT

    def env(self) -> dict[str, str]:
        """The environment for a child process: this checkout's ``bench`` and ``desk`` first."""
        paths = [str(ROOT), os.environ.get("PYTHONPATH", "")]
        return {**os.environ, "PYTHONPATH": os.pathsep.join(p for p in paths if p)}

    def child(self, task: str, payload: dict[str, Any], qt: bool = False) -> dict[str, Any]:
        """Run ``python -m bench.child task`` in a fresh process; return what it reports.

        With ``qt``, the child runs Qt offscreen (no display needed).
        """
        payload = {**payload, "keyring": self.keyring.dump()}
        env = self.env()
        if qt:
            env["QT_QPA_PLATFORM"] = "offscreen"
        done = subprocess.run(
            [sys.executable, "-m", "bench.child", task],
            input=json.dumps(payload),
            capture_output=True,
            text=True,
            cwd=ROOT,
            env=env,
            check=False,
        )
        if done.returncode != 0:
            raise RuntimeError(f"bench.child {task} failed:\n{done.stderr[-4000:]}")
        result: dict[str, Any] = json.loads(done.stdout.strip().splitlines()[-1])
        return result


def _code(seed: str) -> str:
    return code_at(seed, time_step(SystemClock().now()))
