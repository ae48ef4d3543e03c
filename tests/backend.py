"""Which database the service and command-line tests run on: SQLite, or PostgreSQL.

By default a test's desk is a real SQLite file in its temporary folder. With
``DESK_TEST_BACKEND=postgresql`` (scripts/test.sh sets it for its second pytest stage) the same
tests run on the PostgreSQL server that scripts/with-postgres.sh started: each test gets a
database of its own, copied from a template migrated once to the head schema, so no test sees
another's rows and none pays for the migrations.

Tests that are about the SQLite file itself (its bytes, its mode, its damage) carry the
``sqlite_only`` mark and are skipped on PostgreSQL.
"""

from __future__ import annotations

import os
from collections.abc import Iterator, Sequence
from contextlib import contextmanager
from typing import Any

from sqlalchemy import create_engine, text
from sqlalchemy.engine import Connection, make_url

from desk.services.desk import Desk
from desk.store import migrate
from desk.store.db import Database

BACKEND_ENV = "DESK_TEST_BACKEND"
POSTGRESQL = "postgresql"
_TEMPLATE = "desk_test_template"
_CASE = "desk_test_case"
_template_ready = False


def on_postgresql() -> bool:
    """Tell whether this run puts the tests' desks on PostgreSQL."""
    return os.environ.get(BACKEND_ENV, "").lower() == POSTGRESQL


def server_url() -> str:
    """The test server's URL (scripts/with-postgres.sh sets it)."""
    url = os.environ.get("DESK_TEST_PG_URL")
    if not url:
        raise RuntimeError(
            f"{BACKEND_ENV}=postgresql needs DESK_TEST_PG_URL: run under scripts/with-postgres.sh"
        )
    return url


def _admin_engine():  # type: ignore[no-untyped-def]
    # CREATE/DROP DATABASE cannot run inside a transaction: autocommit, on the server's
    # maintenance database
    url = make_url(server_url()).set(database="postgres")
    return create_engine(url, isolation_level="AUTOCOMMIT", hide_parameters=True)


def _make_template() -> None:
    global _template_ready
    if _template_ready:
        return
    engine = _admin_engine()
    with engine.connect() as conn:
        conn.execute(text(f"DROP DATABASE IF EXISTS {_TEMPLATE} WITH (FORCE)"))
        conn.execute(text(f"CREATE DATABASE {_TEMPLATE}"))
    engine.dispose()
    db = Database(str(make_url(server_url()).set(database=_TEMPLATE)))
    migrate.upgrade(db)
    db.dispose()
    _template_ready = True


@contextmanager
def fresh_database_url() -> Iterator[str]:
    """Give the URL of an empty Desk database at the head schema, dropped afterwards."""
    _make_template()
    engine = _admin_engine()
    with engine.connect() as conn:
        conn.execute(text(f"DROP DATABASE IF EXISTS {_CASE} WITH (FORCE)"))
        conn.execute(text(f"CREATE DATABASE {_CASE} TEMPLATE {_TEMPLATE}"))
    try:
        yield make_url(server_url()).set(database=_CASE).render_as_string(hide_password=False)
    finally:
        with engine.connect() as conn:
            conn.execute(text(f"DROP DATABASE IF EXISTS {_CASE} WITH (FORCE)"))
        engine.dispose()


def same_database(desk: Desk) -> Database | None:
    """A new handle on the database ``desk`` uses, to open the profile again on it.

    None on SQLite: ``Desk.open`` then opens the profile's own file, as it always did.
    """
    if desk.ctx.db.is_sqlite:
        return None
    return Database(desk.ctx.db.engine.url.render_as_string(hide_password=False))


class Rows(list[tuple[Any, ...]]):
    """The rows a plain read returned, as sqlite3 gives them: tuples."""

    def fetchone(self) -> tuple[Any, ...] | None:
        """The first row, or None."""
        return self[0] if self else None

    def fetchall(self) -> list[tuple[Any, ...]]:
        """Every row."""
        return list(self)


class PlainReads:
    """Plain SQL reads on a desk's database, beside Desk's own sessions (either database).

    ``?`` placeholders and tuple rows, as in sqlite3.
    """

    def __init__(self, conn: Connection) -> None:
        self._conn = conn

    def execute(self, sql: str, params: Sequence[object] = ()) -> Rows:
        """Run one statement and return its rows."""
        parts = sql.split("?")
        named = parts[0] + "".join(f":p{i}{rest}" for i, rest in enumerate(parts[1:]))
        result = self._conn.execute(text(named), {f"p{i}": v for i, v in enumerate(params)})
        return Rows(tuple(row) for row in result) if result.returns_rows else Rows()


@contextmanager
def plain_reads(desk: Desk) -> Iterator[PlainReads]:
    """Read what the desk's database really holds, with plain SQL, on a connection of its own."""
    with desk.ctx.db.engine.connect() as conn:
        yield PlainReads(conn)


def database_from_environment() -> Database | None:
    """The database desk-admin is pointed at by DESK_DATABASE_URL in this test, if any."""
    url = os.environ.get("DESK_DATABASE_URL")
    return None if not url else Database(url)
