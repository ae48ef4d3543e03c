"""The throw-away demo profile: demo people, and the current code shown at sign-in."""

from __future__ import annotations

import json
import shutil
import tempfile
from dataclasses import dataclass
from datetime import timedelta
from pathlib import Path

from sqlalchemy import select

from desk.auth.sealing import SealBroken
from desk.auth.secrets import KeyStore
from desk.auth.totp import code_at, new_seed, time_step
from desk.core.clock import Clock
from desk.core.roles import Role
from desk.paths import Profile, resolve_profile
from desk.sample.generator import generate, official_accounts
from desk.services.desk import Desk
from desk.services.importing import store_for_setup
from desk.services.signin import totp_label
from desk.store.tables import Account, OfficialAccount, Setting

DEMO_PASSWORD = "demo desk password"  # noqa: S105 - the throw-away demo profile only
DEMO_ITEMS = 400
DEMO_FORCE = "Exampleshire Police"
DEMO_SPAN = timedelta(hours=8)
DEMO_PEOPLE = (
    ("demo", "Demo Operator", Role.OPERATOR),
    ("demo-supervisor", "Demo Supervisor", Role.SUPERVISOR),
    ("demo-admin", "Demo Administrator", Role.ADMINISTRATOR),
)


@dataclass(frozen=True)
class DemoLogin:
    """How to sign in as one demo person."""

    username: str
    role: Role
    password: str
    seed: str


def make_demo_profile(base: Path | None = None) -> Profile:
    """Return a fresh profile in a new temporary folder (never the real profile)."""
    folder = Path(tempfile.mkdtemp(prefix="desk-demo-", dir=base))
    return resolve_profile(folder).create()


def populate(desk: Desk) -> list[DemoLogin]:
    """Mark the profile as a demo and add the demo people; return how to sign in."""
    logins: list[DemoLogin] = []
    with desk.ctx.db.write() as s:
        s.merge(Setting(key="demo", value=json.dumps(True)))
        desk.ctx.audit.record(s, "system", "setting.change", "setting:demo", after=True)
        # the made-up force of the sample data, so that replies are signed as a real desk's are
        s.merge(Setting(key="force_name", value=json.dumps(DEMO_FORCE)))
        desk.ctx.audit.record(
            s, "system", "setting.change", "setting:force_name", before="", after=DEMO_FORCE
        )
        for username, name, role in DEMO_PEOPLE:
            seed = new_seed()
            desk.accounts._create(s, "system", username, name, role, DEMO_PASSWORD, seed, None)
            logins.append(DemoLogin(username, role, DEMO_PASSWORD, seed))
        desk.guidelines.install_defaults(s, "system")  # the demo has no first administrator
        desk.escalations.install_defaults(s, "system")
        desk.templates.install_defaults(s, "system")
    return logins


def populate_queue(desk: Desk, items: int = DEMO_ITEMS, seed: int = 7) -> int:
    """Fill the demo queue with realistic items from the last few hours; return how many."""
    now = desk.ctx.clock.now()
    with desk.ctx.db.write() as s:
        for platform, handle in official_accounts():
            s.add(
                OfficialAccount(
                    platform=platform.value,
                    handle=handle,
                    display_name=handle,
                    direct_messages=True,
                    active=True,
                    created_at=now,
                )
            )
            desk.ctx.audit.record(
                s,
                "system",
                "official_account.add",
                f"official_account:{handle}",
                platform=platform.value,
                handle=handle,
            )
    span = DEMO_SPAN
    batch = generate(items, seed=seed, start=now - span, span=span - timedelta(minutes=1))
    return store_for_setup(desk.importer, batch, "demo items").added


def discard(desk: Desk) -> None:
    """Throw a demo profile away: its folder and its keyring entries (demo profiles only)."""
    if not is_demo(desk):
        raise ValueError("only a demo profile is ever discarded")
    folder = desk.profile.data_dir
    desk.close()
    KeyStore(folder).delete_all()
    shutil.rmtree(folder, ignore_errors=True)


def is_demo(desk: Desk) -> bool:
    """Tell whether the open profile is a throw-away demo profile."""
    return bool(desk.ctx.setting("demo", False))


def current_code(desk: Desk, username: str, clock: Clock | None = None) -> str | None:
    """Return a demo person's current code; None outside a demo profile or for others."""
    if not is_demo(desk):
        return None
    with desk.ctx.db.read() as s:
        acct = s.scalar(select(Account).where(Account.username == username.strip().lower()))
        if acct is None or acct.totp_sealed is None:
            return None
        try:
            seed = desk.ctx.sealer.open(acct.totp_sealed, totp_label(acct.id)).decode("ascii")
        except SealBroken:
            return None
    moment = (clock or desk.ctx.clock).now()
    return code_at(seed, time_step(moment))
