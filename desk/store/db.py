"""The engine, its SQLite pragmas, and units of work (read, or write under the write lock)."""

from __future__ import annotations

import sqlite3
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path
from typing import Any

from sqlalchemy import Engine, create_engine, event, text
from sqlalchemy.engine import Connection
from sqlalchemy.exc import DatabaseError as SADatabaseError
from sqlalchemy.orm import Session, sessionmaker

from desk.core.errors import DatabaseProblem

BUSY_TIMEOUT_MS = 10_000
_WRITE = "desk_write"


def _sqlite_pragmas(dbapi_connection: sqlite3.Connection, _record: Any) -> None:
    # Let SQLAlchemy's begin event emit BEGIN itself, so writes can take the lock up front.
    dbapi_connection.isolation_level = None
    cur = dbapi_connection.cursor()
    cur.execute(f"PRAGMA busy_timeout = {BUSY_TIMEOUT_MS}")
    cur.execute("PRAGMA foreign_keys = ON")
    cur.execute("PRAGMA journal_mode = WAL")
    cur.execute("PRAGMA synchronous = FULL")
    cur.close()


def _sqlite_begin(conn: Connection) -> None:
    # A write unit of work takes the write lock at BEGIN, so reads inside it (the last audit
    # hash, a claim's owner) cannot go stale before its writes: appends are serialised.
    write = conn.get_execution_options().get(_WRITE, False)
    conn.exec_driver_sql("BEGIN IMMEDIATE" if write else "BEGIN")


class Database:
    """One Desk database: SQLite file by default, or a PostgreSQL URL for a shared desk."""

    def __init__(self, url: str, path: Path | None = None) -> None:
        self.url = url
        self.path = path
        self.engine: Engine = create_engine(url, future=True, pool_pre_ping=path is None)
        if self.is_sqlite:
            event.listen(self.engine, "connect", _sqlite_pragmas)
            event.listen(self.engine, "begin", _sqlite_begin)
        self._reader = sessionmaker(self.engine, expire_on_commit=False)
        self._writer = sessionmaker(
            self.engine.execution_options(**{_WRITE: True}), expire_on_commit=False
        )

    @classmethod
    def sqlite(cls, path: Path) -> Database:
        """Open (or create) the SQLite database file at ``path``."""
        return cls(f"sqlite+pysqlite:///{path}", path)

    @property
    def is_sqlite(self) -> bool:
        """Tell whether this is an embedded SQLite database."""
        return self.engine.dialect.name == "sqlite"

    @property
    def where(self) -> str:
        """Say where the database is, for messages (no password)."""
        if self.path is not None:
            return str(self.path)
        return self.engine.url.render_as_string(hide_password=True)

    @contextmanager
    def read(self) -> Iterator[Session]:
        """Give a session for reading; nothing it does is committed, objects stay loaded."""
        with self._reader() as session:
            yield session

    @contextmanager
    def write(self) -> Iterator[Session]:
        """Give one unit of work under the write lock: committed whole, or not at all."""
        with self._writer() as session, session.begin():
            yield session

    def check_integrity(self, full: bool = False) -> None:
        """Report a damaged SQLite file instead of using it.

        By default this is ``PRAGMA quick_check``: every page and every record's structure,
        without matching each index against its table, which at a million items takes an
        eighth of the time of the full check (still seconds: docs/performance.md). With
        ``full``, ``PRAGMA integrity_check``: the check made before a schema upgrade.
        """
        if not self.is_sqlite:
            return
        pragma = "integrity_check" if full else "quick_check"
        try:
            with self.engine.connect() as conn:
                rows = [r[0] for r in conn.execute(text(f"PRAGMA {pragma}(20)"))]
        except (SADatabaseError, sqlite3.DatabaseError) as exc:
            raise DatabaseProblem(
                f"The database file {self.where} cannot be read: {_first_line(exc)}. "
                "Desk has not changed it. Restore it from a backup."
            ) from None
        if rows != ["ok"]:
            found = "; ".join(str(r) for r in rows[:3])
            raise DatabaseProblem(
                f"The database file {self.where} is damaged (integrity check: {found}). "
                "Desk has not changed it and will not start on it. Restore it from a backup."
            )

    def dispose(self) -> None:
        """Close every pooled connection."""
        self.engine.dispose()


def _first_line(exc: BaseException) -> str:
    orig = getattr(exc, "orig", None) or exc
    return str(orig).splitlines()[0] if str(orig) else type(orig).__name__
