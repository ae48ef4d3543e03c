"""Choosing a PostgreSQL server for a profile: the URL saved without password, the password in
the keyring, precedence flag > environment > saved > SQLite, and key files (issue 16)."""

from __future__ import annotations

import json
import sqlite3
import stat
from pathlib import Path

import pytest

from desk.auth.secrets import (
    DeskKeys,
    KeyFileRefused,
    KeyStore,
    open_keys,
    seal_keys,
    store_keys,
)
from desk.core.errors import KeyringUnavailable
from desk.paths import Profile
from desk.services import shared_desk
from desk.store.database_url import ENV_DATABASE_URL
from tests.cli.conftest import Cli
from tests.conftest import Staffed
from tests.keyrings import MemoryKeyring

pytestmark = (
    pytest.mark.sqlite_only
)  # about choosing between SQLite and a server: starts from SQLite

SECRET = "s3cret-Db-pass-word"
URL = "postgresql+psycopg://desk@db.force.example:5433/desk?sslmode=verify-full"
OTHER = "postgresql+psycopg://desk@other.example/desk"
ENTRY = "database-password:desk@db.force.example:5433/desk"


@pytest.fixture(autouse=True)
def _no_server_in_environment(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.delenv(ENV_DATABASE_URL, raising=False)


def _everything_written(profile: Profile) -> str:
    return "".join(
        p.read_text(encoding="utf-8", errors="replace")
        for folder in (profile.config_dir, profile.log_dir)
        if folder.exists()
        for p in folder.rglob("*")
        if p.is_file()
    )


def test_a_url_with_a_password_is_refused_everywhere_without_repeating_it(
    cli: Cli, profile: Profile, monkeypatch: pytest.MonkeyPatch
) -> None:
    with_password = f"postgresql+psycopg://desk:{SECRET}@db.force.example/desk"
    for argv in (
        ("database", "set-url", with_password),
        ("--database-url", with_password, "database", "show"),
        ("--database-url", with_password, "queue"),
        ("migrate-to", with_password),
    ):
        done = cli(*argv)
        assert done.status == 2, (argv, done.err)
        assert "desk-admin database set-password" in done.err
        assert SECRET not in done.out + done.err
    monkeypatch.setenv(ENV_DATABASE_URL, with_password)
    done = cli("database", "show")
    assert done.status == 2 and SECRET not in done.err
    assert not (profile.config_dir / "database.json").exists()
    assert SECRET not in _everything_written(profile)


def test_set_url_saves_the_choice_owner_only_and_show_names_it(cli: Cli, profile: Profile) -> None:
    before = cli("database", "show", "--json")
    assert json.loads(before.out)["kind"] == "sqlite"
    done = cli("database", "set-url", URL)
    assert done.status == 0, done.err
    saved = profile.config_dir / "database.json"
    assert stat.S_IMODE(saved.stat().st_mode) == 0o600
    assert json.loads(saved.read_text())["url"] == URL
    shown = cli("database", "show")
    assert "Database: " + URL in shown.out
    assert "chosen by the profile's saved choice" in shown.out
    assert "Password in the OS keyring: not stored" in shown.out
    assert cli("database", "use-sqlite").status == 0
    assert json.loads(cli("database", "show", "--json").out)["kind"] == "sqlite"


def test_precedence_flag_then_environment_then_saved_then_sqlite(
    cli: Cli, profile: Profile, monkeypatch: pytest.MonkeyPatch
) -> None:
    assert shared_desk.server_choice(profile) is None
    shared_desk.set_server(profile, URL)
    assert shared_desk.describe(profile).where == URL
    monkeypatch.setenv(ENV_DATABASE_URL, OTHER)
    assert shared_desk.describe(profile).where == OTHER
    assert shared_desk.describe(profile).source == ENV_DATABASE_URL
    flag = "postgresql+psycopg://desk@flag.example/desk"
    info = shared_desk.describe(profile, flag)
    assert (info.where, info.source) == (flag, "--database-url")
    shown = json.loads(cli("--database-url", flag, "database", "show", "--json").out)
    assert shown["where"] == flag


def test_set_password_keeps_it_in_the_keyring_only(
    cli: Cli, profile: Profile, memory_keyring: MemoryKeyring
) -> None:
    refused = cli("--password-stdin", "database", "set-password", stdin=SECRET + "\n")
    assert refused.status == 2 and "set-url" in refused.err
    assert cli("database", "set-url", URL).status == 0
    no_terminal = cli("database", "set-password")
    assert no_terminal.status == 2 and "--password-stdin" in no_terminal.err
    done = cli("--password-stdin", "database", "set-password", stdin=SECRET + "\n")
    assert done.status == 0, done.err
    assert memory_keyring.entries[(KeyStore(profile.data_dir).service, ENTRY)] == SECRET
    assert "Password in the OS keyring: stored" in cli("database", "show").out
    assert SECRET not in done.out + done.err + _everything_written(profile)


def test_the_password_reaches_the_engine_in_memory_only(
    profile: Profile, memory_keyring: MemoryKeyring
) -> None:
    shared_desk.set_server(profile, URL)
    shared_desk.set_password(profile, SECRET)
    choice = shared_desk.server_choice(profile)
    assert choice is not None
    from desk.store.database_url import with_password
    from desk.store.db import Database

    db = Database(with_password(choice.url, SECRET))
    try:
        assert db.engine.url.password == SECRET
        assert SECRET not in db.where and SECRET not in db.url and SECRET not in repr(db.engine)
    finally:
        db.dispose()


def test_an_unreachable_server_is_refused_by_name(
    cli: Cli, profile: Profile, memory_keyring: MemoryKeyring
) -> None:
    shared_desk.set_server(profile, "postgresql+psycopg://desk@127.0.0.1:1/desk")
    shared_desk.set_password(profile, SECRET)
    done = cli("--user", "admin", "queue")
    assert done.status == 3, done.err
    assert "Desk cannot use the database server postgresql+psycopg://desk:***@127.0.0.1:1/desk" in (
        done.err
    )
    assert "Connection refused" in done.err
    assert SECRET not in done.err + _everything_written(profile)


def test_urls_that_are_not_a_server_are_refused(cli: Cli) -> None:
    for url, says in (
        ("sqlite:///x.db", "is not a PostgreSQL server"),
        ("postgresql+psycopg://db.example/desk", "names no user"),
        ("postgresql+psycopg://desk@db.example", "names no database"),
        ("not a url", "not a URL Desk can read"),
    ):
        done = cli("database", "set-url", url)
        assert done.status == 2 and says in done.err, (url, done.err)


def test_a_key_file_opens_only_with_its_passphrase_and_for_its_desk() -> None:
    keys = DeskKeys(b"d" * 32, b"a" * 32)
    data = seal_keys(keys, "a long passphrase", "desk-1", n=2**14)
    assert open_keys(data, "a long passphrase") == ("desk-1", keys)
    with pytest.raises(KeyFileRefused):
        open_keys(data, "another passphrase")
    edited = json.loads(data)
    edited["desk"] = "desk-2"
    with pytest.raises(KeyFileRefused):
        open_keys(json.dumps(edited).encode(), "a long passphrase")
    with pytest.raises(KeyFileRefused):
        open_keys(b"not json", "a long passphrase")
    assert b"d" * 8 not in data and b"ZGRk" not in data  # neither raw nor base64 keys


def test_imported_keys_never_replace_a_profiles_other_keys(
    staffed: Staffed, profile: Profile
) -> None:
    keystore = KeyStore(profile.data_dir)
    own = keystore.load(create=False)
    assert store_keys(keystore, own) is False
    with pytest.raises(KeyringUnavailable, match="belongs to another desk"):
        store_keys(keystore, DeskKeys(b"x" * 32, b"y" * 32))
    assert keystore.load(create=False) == own


def test_keys_export_writes_an_owner_only_sealed_file_audited(
    cli: Cli, staffed: Staffed, tmp_path: Path
) -> None:
    out = tmp_path / "desk.keys"
    done = cli.signed(staffed.admin, "keys", "export", "--out", str(out),
                      more=("short",))  # fmt: skip
    assert done.status == 2 and "at least 12" in done.err
    assert not out.exists()
    done = cli.signed(staffed.admin, "keys", "export", "--out", str(out),
                      more=("a long passphrase",))  # fmt: skip
    assert done.status == 0, done.err
    assert stat.S_IMODE(out.stat().st_mode) == 0o600
    keys = KeyStore(staffed.desk.profile.data_dir).load(create=False)
    assert open_keys(out.read_bytes(), "a long passphrase")[1] == keys
    listed = cli.signed(staffed.admin, "audit", "list", "--action", "keys.")
    assert "keys.export" in listed.out
    again = cli.signed(staffed.admin, "keys", "export", "--out", str(out),
                       more=("a long passphrase",))  # fmt: skip
    assert again.status == 2 and "already exists" in again.err
    operator = cli.signed(staffed.operator, "keys", "export", "--out", str(tmp_path / "o"),
                          more=("a long passphrase",))  # fmt: skip
    assert operator.status == 2 and not (tmp_path / "o").exists()


def test_a_password_given_as_an_argument_is_refused_unrepeated(
    cli: Cli, profile: Profile, tmp_path: Path
) -> None:
    assert cli("database", "set-url", URL).status == 0
    key_file = tmp_path / "desk.keys"
    key_file.write_text("{}")
    for argv in (
        ("database", "set-password", SECRET),
        ("keys", "import", str(key_file), SECRET),
        ("keys", "export", "--out", str(tmp_path / "k"), SECRET),
    ):
        done = cli(*argv)
        assert done.status == 2, (argv, done.err)
        assert "never takes a password or passphrase as an argument" in done.err
        assert SECRET not in done.out + done.err + _everything_written(profile)
    assert "not stored" in cli("database", "show").out


def test_migrate_to_refuses_a_file_at_an_older_schema_and_leaves_it(
    cli: Cli, profile: Profile
) -> None:
    fixtures = Path(__file__).resolve().parents[1] / "store" / "fixtures"
    old = sorted(fixtures.glob("schema-*.sqlite3"))[0]
    profile.db_path.write_bytes(old.read_bytes())
    done = cli("migrate-to", "postgresql+psycopg://desk@127.0.0.1:1/desk")
    assert done.status == 2, done.err
    assert "open it once with this Desk" in done.err
    # still the old schema, nothing upgraded (a file Desk made is in WAL mode already; this
    # fixture is not, and only its header's journal mode changes when SQLite opens it)
    with sqlite3.connect(profile.db_path) as conn:
        kept = conn.execute("SELECT version_num FROM alembic_version").fetchall()
    assert kept == [(old.stem.removeprefix("schema-"),)]
    assert not list(profile.backup_dir.glob("*"))
    assert not (profile.config_dir / "database.json").exists()
