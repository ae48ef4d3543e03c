"""A PostgreSQL desk's backup (pg_dump, custom format) and its restore into an empty database.

The server tests run under scripts/with-postgres.sh; the password test needs no server.
"""

from __future__ import annotations

import json
import subprocess
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest
from sqlalchemy import create_engine, text
from sqlalchemy.engine import make_url

from desk.core.clock import ManualClock
from desk.core.errors import DatabaseProblem
from desk.core.items import Platform
from desk.paths import Profile
from desk.services.desk import Desk
from desk.services.restore import check_backup, record_pg_restore, restore_pg
from desk.store import backup as store
from desk.store.db import Database
from tests.conftest import ADMIN_PASSWORD, current_code, next_code
from tests.keyrings import MemoryKeyring

_RESTORED = "desk_test_restored"


def test_the_password_goes_to_pg_dump_in_its_environment_never_its_arguments(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    seen: dict[str, Any] = {}

    real_popen = subprocess.Popen

    def popen(argv: list[str], **kw: Any) -> subprocess.Popen[str]:
        seen["argv"], seen["env"] = argv, kw["env"]
        return real_popen(["true"], stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True)

    monkeypatch.setattr(store.subprocess, "Popen", popen)
    monkeypatch.setattr(store, "find_pg_tool", lambda name: Path("/usr/bin") / name)
    db = Database("postgresql+psycopg://desk:s3cret-Pass@db.example:5433/desk")
    store.pg_dump(db, tmp_path / "d.pgdump", "00000003-1")
    assert not any("s3cret" in arg or "db.example" in arg for arg in seen["argv"])
    assert "--snapshot=00000003-1" in seen["argv"] and "--format=custom" in seen["argv"]
    env = seen["env"]
    assert env["PGPASSWORD"] == "s3cret-Pass" and env["PGHOST"] == "db.example"
    assert env["PGPORT"] == "5433" and env["PGUSER"] == "desk" and env["PGDATABASE"] == "desk"
    db.dispose()


def test_a_missing_pg_dump_is_named_with_what_to_install(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("PATH", "/nonexistent")
    monkeypatch.setenv(store.PG_BINDIR_ENV, "/nonexistent")
    monkeypatch.setattr(store.Path, "glob", lambda self, pattern: iter(()))
    with pytest.raises(DatabaseProblem, match=r"cannot find pg_dump.*postgresql-client"):
        store.find_pg_tool("pg_dump")


@pytest.fixture
def restored_database(pg_database: Database) -> Iterator[Database]:
    """A second, empty database on the same server, dropped afterwards."""
    admin = create_engine(
        pg_database.engine.url.set(database="postgres"), isolation_level="AUTOCOMMIT"
    )
    with admin.connect() as conn:
        conn.execute(text(f"DROP DATABASE IF EXISTS {_RESTORED} WITH (FORCE)"))
        conn.execute(text(f"CREATE DATABASE {_RESTORED}"))
    url = make_url(pg_database.engine.url.render_as_string(hide_password=False))
    db = Database(url.set(database=_RESTORED).render_as_string(hide_password=False))
    yield db
    db.dispose()
    with admin.connect() as conn:
        conn.execute(text(f"DROP DATABASE IF EXISTS {_RESTORED} WITH (FORCE)"))
    admin.dispose()


@pytest.mark.postgres
def test_a_dump_restores_into_an_empty_database_only_and_verifies(
    pg_database: Database,
    restored_database: Database,
    memory_keyring: MemoryKeyring,
    profile: Profile,
    clock: ManualClock,
    tmp_path: Path,
) -> None:
    desk = Desk.open(profile, clock, pg_database)
    enrol = desk.accounts.new_enrolment("admin")
    desk.accounts.create_first_admin(
        "admin", "Ada Admin", ADMIN_PASSWORD, enrol.seed, current_code(enrol.seed, clock)
    )
    token = desk.signin.sign_in("admin", ADMIN_PASSWORD, next_code(enrol.seed, clock)).token
    desk.official_accounts.add(token, Platform.X, "@ExampleshirePolice")
    made = desk.backup.make(token, tmp_path / "desk.pgdump")
    manifest = json.loads((tmp_path / "desk.pgdump.manifest.json").read_text())
    assert manifest["database"] == "postgresql" and manifest["sha256"] == made.sha256
    assert manifest["counts"]["accounts"] == 1
    check = check_backup(made.path)
    assert check.kind == "postgresql" and check.revision == manifest["schema_revision"]
    desk.close()

    with pytest.raises(DatabaseProblem, match="is not empty"):
        restore_pg(profile, made.path, pg_database, clock)
    ctx = restore_pg(profile, made.path, restored_database, clock)
    try:
        record_pg_restore(ctx, "admin")
    finally:
        ctx.close()
    found = store.pg_counts(restored_database)
    assert found.counts["accounts"] == 1
    assert found.counts["audit_log"] == manifest["counts"]["audit_log"] + 1  # the restore entry
    with restored_database.engine.connect() as conn:
        action = conn.execute(text("SELECT action FROM audit_log ORDER BY seq DESC LIMIT 1"))
        assert action.scalar() == "backup.restore"
