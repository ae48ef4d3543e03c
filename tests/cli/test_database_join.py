"""A second workstation joins a shared desk: keys exported on one, imported on the other (#16).

Two profiles in two folders point at the same PostgreSQL server (scripts/with-postgres.sh).
"""

from __future__ import annotations

import os
from pathlib import Path

import pytest
from sqlalchemy import text

from desk.auth.secrets import KeyStore
from desk.core.clock import ManualClock
from desk.paths import Profile, resolve_profile
from desk.store.database_url import ENV_DATABASE_URL
from desk.store.db import Database
from tests.cli.conftest import Cli
from tests.conftest import ADMIN_PASSWORD, next_code, require_integration
from tests.keyrings import MemoryKeyring

pytestmark = pytest.mark.postgres
PASSPHRASE = "carried apart from the file"


@pytest.fixture
def pg_url(monkeypatch: pytest.MonkeyPatch) -> str:
    """The test server's URL, its public schema emptied first."""
    url = os.environ.get("DESK_TEST_PG_URL")
    if not url:
        require_integration("the PostgreSQL server (DESK_TEST_PG_URL)")
    assert url is not None
    monkeypatch.delenv(ENV_DATABASE_URL, raising=False)
    db = Database(url)
    with db.engine.begin() as conn:
        conn.execute(text("DROP SCHEMA public CASCADE"))
        conn.execute(text("CREATE SCHEMA public"))
    db.dispose()
    return url


def _second(tmp_path: Path, name: str, clock: ManualClock, mp: pytest.MonkeyPatch) -> Cli:
    return Cli(resolve_profile(tmp_path / name).create(), clock, mp)


def _init(cli: Cli, *argv: str) -> str:
    done = cli(*argv, "--user", "admin", "--password-stdin", "init", stdin=ADMIN_PASSWORD + "\n")
    assert done.status == 0, done.err
    return done.seed


def _export(cli: Cli, seed: str, out: Path, *argv: str) -> None:
    code = next_code(seed, cli.clock)
    done = cli(*argv, "--user", "admin", "--password-stdin", "--code", code, "keys", "export",
               "--out", str(out), stdin=f"{ADMIN_PASSWORD}\n{PASSPHRASE}\n")  # fmt: skip
    assert done.status == 0, done.err


def test_a_second_workstation_joins_with_the_keys_and_signs_in(
    cli: Cli,
    profile: Profile,
    pg_url: str,
    tmp_path: Path,
    clock: ManualClock,
    memory_keyring: MemoryKeyring,
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    assert cli("database", "set-url", pg_url).status == 0
    seed = _init(cli)
    key_file = tmp_path / "desk.keys"
    _export(cli, seed, key_file)

    second = _second(tmp_path, "second", clock, monkeypatch)
    service = KeyStore(second.profile.data_dir).service

    def sign_in() -> object:
        code = next_code(seed, clock)
        return second("--database-url", pg_url, "--user", "admin", "--password-stdin",
                      "--code", code, "login", stdin=ADMIN_PASSWORD + "\n")  # fmt: skip

    refused = sign_in()
    assert refused.status == 3 and "has no 'desk-key'" in refused.err  # type: ignore[attr-defined]

    wrong = second("--database-url", pg_url, "--password-stdin", "keys", "import",
                   str(key_file), stdin="not the passphrase\n")  # fmt: skip
    assert wrong.status == 2 and "passphrase does not open" in wrong.err
    assert not [k for k in memory_keyring.entries if k[0] == service]

    # a key file of another desk (a desk on its own SQLite file)
    other = _second(tmp_path, "other", clock, monkeypatch)
    other_seed = _init(other)
    other_file = tmp_path / "other.keys"
    _export(other, other_seed, other_file)
    foreign = second("--database-url", pg_url, "--password-stdin", "keys", "import",
                     str(other_file), stdin=PASSPHRASE + "\n")  # fmt: skip
    assert foreign.status == 2 and "belongs to another desk" in foreign.err
    assert not [k for k in memory_keyring.entries if k[0] == service]

    joined = second("--database-url", pg_url, "--password-stdin", "keys", "import",
                    str(key_file), stdin=PASSPHRASE + "\n")  # fmt: skip
    assert joined.status == 0, joined.err
    assert "keys are in this workstation's keyring" in joined.out
    token = sign_in().token  # type: ignore[attr-defined]

    # both workstations work the same desk
    added = second("--database-url", pg_url, "official-account", "add", "x", "@Shared",
                   session=token)  # fmt: skip
    assert added.status == 0, added.err
    code = next_code(seed, clock)
    first_token = cli("--user", "admin", "--password-stdin", "--code", code, "login",
                      stdin=ADMIN_PASSWORD + "\n").token  # fmt: skip
    assert "@Shared" in cli("official-account", "list", session=first_token).out
    listed = cli("audit", "list", "--action", "keys.", session=first_token).out
    assert "keys.export" in listed and "keys.import" in listed
    assert cli("audit", "verify", session=first_token).status == 0
    again = second("--database-url", pg_url, "--password-stdin", "keys", "import",
                   str(key_file), stdin=PASSPHRASE + "\n")  # fmt: skip
    assert again.status == 0 and "already held these keys" in again.out


def test_the_wizards_join_replaces_the_unused_keys_of_a_new_profile(
    cli: Cli,
    profile: Profile,
    pg_url: str,
    tmp_path: Path,
    clock: ManualClock,
    memory_keyring: MemoryKeyring,
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    from desk.services import shared_desk
    from desk.services.desk import Desk

    assert cli("database", "set-url", pg_url).status == 0
    seed = _init(cli)
    key_file = tmp_path / "desk.keys"
    _export(cli, seed, key_file)

    # the window opened the new profile's own SQLite file first: keys were made for it
    second = resolve_profile(tmp_path / "second").create()
    Desk.open(second, clock).close()
    made = KeyStore(second.data_dir).load(create=False)
    joined = shared_desk.join(second, pg_url, "", key_file.read_bytes(), PASSPHRASE, clock)
    assert joined.stored
    assert KeyStore(second.data_dir).load(create=False) != made
    assert shared_desk.describe(second).kind == "postgresql"
    desk = Desk.open(second, clock)  # the saved choice: the server
    try:
        token = desk.signin.sign_in("admin", ADMIN_PASSWORD, next_code(seed, clock)).token
        assert desk.audit.verify(token).intact
    finally:
        desk.close()

    # a profile whose own desk was used keeps its keys: nothing is replaced
    used = _second(tmp_path, "used", clock, monkeypatch)
    _init(used)
    with pytest.raises(Exception, match="belongs to another desk"):
        shared_desk.join(used.profile, pg_url, "", key_file.read_bytes(), PASSPHRASE, clock)
    assert not (used.profile.config_dir / "database.json").exists()
