"""desk-admin with another desk's key in the keyring: refused by name, no one locked (#5)."""

from __future__ import annotations

import base64
import secrets

from sqlalchemy import select

from desk.auth.secrets import DESK_KEY, service_name
from desk.cli.context import EXIT_REFUSED
from desk.paths import Profile
from desk.store.tables import Account
from tests.cli.conftest import Cli
from tests.conftest import Staffed
from tests.keyrings import MemoryKeyring


def test_another_desks_key_refuses_every_command_and_locks_no_one(
    cli: Cli, staffed: Staffed, profile: Profile, memory_keyring: MemoryKeyring
) -> None:
    entry = (service_name(profile.data_dir), DESK_KEY)
    own = memory_keyring.entries[entry]
    memory_keyring.entries[entry] = base64.b64encode(secrets.token_bytes(32)).decode("ascii")
    for _ in range(10):
        done = cli.signed(staffed.admin, "audit", "verify")
        assert done.status == EXIT_REFUSED
        assert done.out == ""
        assert f"the keyring entry '{DESK_KEY}' of service '{entry[0]}'" in done.err
        assert "Traceback" not in done.err
    with staffed.desk.ctx.db.read() as s:
        admin = s.scalar(select(Account).where(Account.username == "admin"))
        assert admin is not None
        assert (admin.failed_attempts, admin.locked_at) == (0, None)
    memory_keyring.entries[entry] = own
    assert cli.signed(staffed.admin, "audit", "verify").status == 0
