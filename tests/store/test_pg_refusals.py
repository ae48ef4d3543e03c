"""The same refusals on PostgreSQL as on SQLite: a newer schema, a foreign database (#16)."""

from __future__ import annotations

from collections.abc import Callable
from pathlib import Path

import pytest
from sqlalchemy import text

from desk.core.clock import ManualClock
from desk.core.errors import DatabaseProblem
from desk.paths import resolve_profile
from desk.services.desk import Desk
from desk.store import migrate
from desk.store.db import Database

pytestmark = pytest.mark.postgres


def _refusal(db: Database, tmp_path: Path, clock: ManualClock) -> str:
    profile = resolve_profile(tmp_path / f"p{len(list(tmp_path.iterdir()))}").create()
    with pytest.raises(DatabaseProblem) as refused:
        Desk.open(profile, clock, db=db)
    return refused.value.message.replace(db.where, "WHERE")


def _newer(db: Database) -> None:
    migrate.upgrade(db)
    with db.engine.begin() as conn:
        conn.execute(text("UPDATE alembic_version SET version_num = '9999_future'"))


def _foreign(db: Database) -> None:
    with db.engine.begin() as conn:
        conn.execute(text("CREATE TABLE customers (id integer primary key, name text)"))
        conn.execute(text("INSERT INTO customers VALUES (1, 'kept')"))


def _two_versions(db: Database) -> None:
    migrate.upgrade(db)
    with db.engine.begin() as conn:
        conn.execute(text("INSERT INTO alembic_version VALUES ('0001')"))


@pytest.mark.parametrize(
    ("make", "says"),
    [
        (_newer, "was written by a newer version of Desk (schema 9999_future"),
        (_foreign, "holds tables (customers) but no Desk schema version"),
        (_two_versions, "names 2 schema versions"),
    ],
)
def test_postgres_refuses_as_sqlite_does_and_changes_nothing(
    memory_keyring,
    pg_database: Database,
    tmp_path: Path,
    clock: ManualClock,
    make: Callable[[Database], None],
    says: str,
) -> None:
    sqlite = Database.sqlite(tmp_path / "desk.sqlite3")
    make(sqlite)
    on_sqlite = _refusal(sqlite, tmp_path, clock)
    make(pg_database)
    before = _tables(pg_database)
    on_postgres = _refusal(pg_database, tmp_path, clock)
    assert says in on_postgres
    assert on_postgres == on_sqlite
    assert _tables(pg_database) == before
    sqlite.dispose()


def _tables(db: Database) -> list[str]:
    with db.engine.connect() as conn:
        return sorted(
            conn.scalars(
                text("SELECT tablename FROM pg_tables WHERE schemaname = current_schema()")
            )
        )
