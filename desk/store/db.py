"""The engine, its SQLite pragmas, and units of work (read, or write under the write lock)."""

from __future__ import annotations

import sqlite3
import threading
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path
from typing import Any

from sqlalchemy import Engine, create_engine, event, text
from sqlalchemy.engine import URL, Connection, ExceptionContext
from sqlalchemy.exc import DatabaseError as SADatabaseError
from sqlalchemy.orm import Session, sessionmaker
from sqlalchemy.orm.exc import StaleDataError

from desk.core.errors import Conflict, DatabaseDamaged
from desk.store import identity

BUSY_TIMEOUT_MS = 10_000
_WRITE = "desk_write"
# SQLite's result codes for a damaged file: SQLITE_CORRUPT and SQLITE_NOTADB
_DAMAGED_CODES = frozenset({11, 26})
_NOT_TEXT = "Could not decode to UTF-8"


def _sqlite_pragmas(dbapi_connection: sqlite3.Connection, _record: Any) -> None:
    # Let SQLAlchemy's begin event emit BEGIN itself, so writes can take the lock up front.
    dbapi_connection.isolation_level = None
    cur = dbapi_connection.cursor()
    cur.execute(f"PRAGMA busy_timeout = {BUSY_TIMEOUT_MS}")
    cur.execute("PRAGMA foreign_keys = ON")
    cur.execute("PRAGMA journal_mode = WAL")
    cur.execute("PRAGMA synchronous = FULL")
    # Clear the space a rewritten or deleted row frees, on every connection: otherwise the old
    # words stay readable in the file (and every copy of it) until the space is used again, and
    # an erasure could not reach what an ordinary edit left behind. Debian's SQLite does this by
    # default; the SQLite of other builds (Windows, macOS) does not.
    cur.execute("PRAGMA secure_delete = ON")
    cur.close()


# the advisory lock that serialises writes on PostgreSQL (audit appends take it too); any
# fixed number will do
PG_WRITE_LOCK = 0x4445534B


def _pg_begin(conn: Connection) -> None:
    # PostgreSQL has no file-wide write lock: a write unit of work takes this one first, as
    # SQLite's BEGIN IMMEDIATE does. Taken only at the audit append, a claim's row lock held
    # while waiting for it deadlocked against a reassign holding it (tests/store/test_pg_stress.py)
    if conn.get_execution_options().get(_WRITE, False):
        conn.exec_driver_sql(f"SELECT pg_advisory_xact_lock({PG_WRITE_LOCK})")


def _sqlite_begin(conn: Connection) -> None:
    # A write unit of work takes the write lock at BEGIN, so reads inside it (the last audit
    # hash, a claim's owner) cannot go stale before its writes: appends are serialised.
    write = conn.get_execution_options().get(_WRITE, False)
    conn.exec_driver_sql("BEGIN IMMEDIATE" if write else "BEGIN")


class Database:
    """One Desk database: SQLite file by default, or a PostgreSQL URL for a shared desk."""

    def __init__(self, url: str | URL, path: Path | None = None) -> None:
        # a server's URL may carry its password (from the keyring, in memory only): the
        # engine keeps it; what is kept here to show never does
        self.url = url if isinstance(url, str) else url.render_as_string(hide_password=True)
        self.path = path
        # an empty file Desk finds already there is not one it made (identity.identify)
        self._absent_before = path is not None and not path.exists()
        self._identified = path is None
        self._identifying = threading.Lock()
        self._in_use: tuple[int, int] | None = None
        # hide_parameters: an error's text never carries its statement's values (people's
        # words and handles), so no log, message or traceback can show them
        self.engine: Engine = create_engine(
            url, future=True, pool_pre_ping=path is None, hide_parameters=True
        )
        if self.is_sqlite:
            event.listen(self.engine, "connect", _sqlite_pragmas)
            event.listen(self.engine, "begin", _sqlite_begin)
            event.listen(self.engine, "do_connect", self._before_connecting)
            event.listen(self.engine, "handle_error", self._damage)
        elif self.engine.dialect.name == "postgresql":
            event.listen(self.engine, "begin", _pg_begin)
        self._reader = sessionmaker(self.engine, expire_on_commit=False)
        self._writer = sessionmaker(
            self.engine.execution_options(**{_WRITE: True}), expire_on_commit=False
        )

    def _before_connecting(self, *_args: Any) -> None:
        """Identify the file read-only before the first connection that may write to it."""
        if self._identified or self.path is None:
            return
        with self._identifying:
            if not self._identified:
                key = _file_key(self.path)
                # a file another open Database of this process already uses was identified
                # then; a connection opened and closed beside live ones is best avoided
                if key is None or not _IN_USE.get(key):
                    identity.identify(self.path, self._absent_before)
                    key = _file_key(self.path)
                if key is not None:
                    _IN_USE[key] = _IN_USE.get(key, 0) + 1
                self._in_use = key
                self._identified = True

    def _damage(self, context: ExceptionContext) -> BaseException | None:
        """Turn SQLite's word for a damaged file into :class:`DatabaseDamaged`."""
        found = _damage_found(context.original_exception)
        if found is None:
            return None
        return DatabaseDamaged(identity.damaged_message(self.where, found))

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
        """Give one unit of work under the write lock: committed whole, or not at all.

        A row another workstation changed between this unit's read and its write (a case's
        version moved on: PostgreSQL has no file-wide write lock) refuses the whole unit.
        """
        try:
            with self._writer() as session, session.begin():
                yield session
        except StaleDataError:
            raise Conflict(
                "Someone else changed this at the same moment, so nothing was saved: "
                "look again before you act."
            ) from None

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
            raise DatabaseDamaged(
                f"The database file {self.where} cannot be read: {_first_line(exc)}. "
                "Desk has not changed it. Restore it from a backup."
            ) from None
        if rows != ["ok"]:
            found = "; ".join(str(r) for r in rows[:3])
            raise DatabaseDamaged(
                f"The database file {self.where} is damaged (integrity check: {found}). "
                "Desk has not changed it and will not start on it. Restore it from a backup."
            )

    def dispose(self) -> None:
        """Close every pooled connection."""
        self.engine.dispose()
        key, self._in_use = self._in_use, None
        if key is not None:
            left = _IN_USE.get(key, 1) - 1
            if left > 0:
                _IN_USE[key] = left
            else:
                _IN_USE.pop(key, None)
            self._identified = False  # opened again, the file is looked at again


# files (device, inode) that open Databases of this process use, and how many use each
_IN_USE: dict[tuple[int, int], int] = {}


def _file_key(path: Path) -> tuple[int, int] | None:
    """The file's device and inode, or None when it does not exist yet."""
    try:
        st = path.stat()
    except OSError:
        return None
    return (st.st_dev, st.st_ino)


def _first_line(exc: BaseException) -> str:
    orig = getattr(exc, "orig", None) or exc
    return str(orig).splitlines()[0] if str(orig) else type(orig).__name__


def _damage_found(exc: BaseException) -> str | None:
    """Say what SQLite found damaged, or None when ``exc`` is not about damage."""
    if not isinstance(exc, sqlite3.DatabaseError):
        return None
    code = getattr(exc, "sqlite_errorcode", None)
    if code is not None and code & 0xFF in _DAMAGED_CODES:
        return _first_line(exc)
    if str(exc).startswith(_NOT_TEXT):  # its text (people's words) stays out of the message
        return "a record holds bytes that are not text"
    return None
