"""The schema comes only from migrations; bad databases are refused and left untouched."""

from __future__ import annotations

import hashlib
import shutil
import sqlite3
from pathlib import Path

import pytest
from sqlalchemy import text
from sqlalchemy.exc import IntegrityError

from desk.core.errors import DatabaseProblem
from desk.paths import Profile
from desk.services.desk import Desk
from desk.store import migrate
from desk.store.db import Database
from tests.conftest import Staffed

FIXTURES = Path(__file__).with_name("fixtures")


def digest(path: Path) -> str:
    return hashlib.sha256(path.read_bytes()).hexdigest()


def test_empty_profile_is_migrated_to_head(memory_keyring, profile: Profile) -> None:
    Desk.open(profile).close()
    with sqlite3.connect(profile.db_path) as conn:
        version = conn.execute("SELECT version_num FROM alembic_version").fetchone()[0]
        tables = {r[0] for r in conn.execute("SELECT name FROM sqlite_master WHERE type='table'")}
        triggers = {
            r[0] for r in conn.execute("SELECT name FROM sqlite_master WHERE type='trigger'")
        }
    assert version == migrate.head_revision()
    assert {"accounts", "audit_log", "sessions", "settings"} <= tables
    assert {"audit_log_no_update", "audit_log_no_delete"} <= triggers


def test_pragmas_are_set_on_every_connection(memory_keyring, profile: Profile) -> None:
    desk = Desk.open(profile)
    with desk.ctx.db.engine.connect() as conn:
        assert conn.execute(text("PRAGMA journal_mode")).scalar() == "wal"
        assert conn.execute(text("PRAGMA foreign_keys")).scalar() == 1
        assert conn.execute(text("PRAGMA synchronous")).scalar() == 2  # FULL
        assert conn.execute(text("PRAGMA busy_timeout")).scalar() >= 5000
    desk.close()


def test_audit_rows_cannot_be_updated_or_deleted(staffed: Staffed) -> None:
    db = staffed.desk.ctx.db
    for statement in ("UPDATE audit_log SET actor = 'mallory'", "DELETE FROM audit_log"):
        with pytest.raises(IntegrityError, match="append-only"), db.write() as s:
            s.execute(text(statement))
    with db.read() as s:
        assert s.execute(text("SELECT count(*) FROM audit_log WHERE actor='mallory'")).scalar() == 0


def test_newer_schema_is_refused_and_file_unchanged(memory_keyring, profile: Profile) -> None:
    Desk.open(profile).close()
    with sqlite3.connect(profile.db_path) as conn:
        conn.execute("UPDATE alembic_version SET version_num = '9999_from_the_future'")
    before = digest(profile.db_path)
    with pytest.raises(DatabaseProblem, match="newer version of Desk") as err:
        Desk.open(profile)
    assert "9999_from_the_future" in err.value.message
    assert digest(profile.db_path) == before


def test_damaged_file_is_reported_not_recreated(memory_keyring, profile: Profile) -> None:
    Desk.open(profile).close()
    data = bytearray(profile.db_path.read_bytes())
    data[4096 : 4096 + 64] = b"\xff" * 64  # scribble over the second page
    profile.db_path.write_bytes(bytes(data))
    before = digest(profile.db_path)
    with pytest.raises(DatabaseProblem, match=r"damaged|cannot be read") as err:
        Desk.open(profile)
    assert str(profile.db_path) in err.value.message
    assert digest(profile.db_path) == before


def test_a_file_that_is_not_a_database_is_refused(memory_keyring, profile: Profile) -> None:
    profile.db_path.write_bytes(b"this is a spreadsheet, honestly" * 100)
    with pytest.raises(DatabaseProblem, match="not an SQLite database"):
        Desk.open(profile)
    assert profile.db_path.read_bytes().startswith(b"this is a spreadsheet")


def test_someone_elses_database_is_refused(memory_keyring, profile: Profile) -> None:
    with sqlite3.connect(profile.db_path) as conn:
        conn.execute("CREATE TABLE invoices (id INTEGER)")
    with pytest.raises(DatabaseProblem, match="not a Desk database"):
        Desk.open(profile)


@pytest.mark.parametrize("fixture", sorted(FIXTURES.glob("schema-*.sqlite3")), ids=lambda p: p.stem)
def test_every_released_schema_upgrades_to_head(fixture: Path, tmp_path: Path) -> None:
    """One small database per released schema, kept in tests/store/fixtures."""
    copy = tmp_path / "desk.sqlite3"
    shutil.copy(fixture, copy)
    db = Database.sqlite(copy)
    before = migrate.current_revision(db)
    backup = migrate.upgrade(db, tmp_path / "backups")
    assert migrate.current_revision(db) == migrate.head_revision()
    db.dispose()
    if before != migrate.head_revision():
        # the file was copied aside, at its old schema, before anything changed
        assert backup is not None
        old = Database.sqlite(Path(backup))
        assert migrate.current_revision(old) == before
        old.dispose()


def test_fixture_for_the_current_schema_exists() -> None:
    assert (FIXTURES / f"schema-{migrate.head_revision()}.sqlite3").exists()
