"""Hearing that another workstation changed the desk: PostgreSQL LISTEN/NOTIFY, or a SQLite poll.

Every audited change (and every presence write) calls :func:`announce` in its own transaction:
on PostgreSQL that is ``pg_notify('desk_changes', ...)``, delivered to listeners at commit and
dropped with a rollback. A watcher (:func:`watch`) calls ``wake()`` from its own daemon thread
whenever something may have changed; what changed is read afterwards with :func:`audit_since`
and :func:`presence_mark` (a wake-up carries nothing a reader relies on, so one missed while
reconnecting costs nothing: the watcher wakes once after every (re)connection).

- PostgreSQL: one dedicated connection does ``LISTEN desk_changes``; if the server goes away
  it reconnects with a growing pause (0.5 s to 30 s) and says so in the log.
- SQLite: ``PRAGMA data_version`` on a dedicated connection every ``interval`` seconds: it
  moves when any other connection (another window, another process) commits to the file.
"""

from __future__ import annotations

import contextlib
import hashlib
import logging
import sqlite3
import threading
from collections.abc import Callable
from dataclasses import dataclass
from typing import Any, Protocol, cast

from sqlalchemy import Table, func, select, text
from sqlalchemy.orm import Session

from desk.store.tables import AuditEntry, CaseViewer

log = logging.getLogger(__name__)

CHANNEL = "desk_changes"
POLL_SECONDS = 0.5  # SQLite: how often the file is asked whether anything was committed
RETRY_FIRST = 0.5  # PostgreSQL: the first pause before reconnecting, doubled up to RETRY_MOST
RETRY_MOST = 30.0
_PAYLOAD_MOST = 7000  # pg_notify refuses payloads of 8,000 bytes or more
_AUDIT = cast(Table, AuditEntry.__table__)
_SINCE_MOST = 500  # more entries than this since the cursor: the reader reloads everything


def announce(session: Session, payload: str) -> None:
    """Tell other workstations, at this transaction's commit, that something changed."""
    if session.get_bind().dialect.name == "postgresql":
        session.execute(
            text("SELECT pg_notify(:channel, :payload)"),
            {"channel": CHANNEL, "payload": payload[:_PAYLOAD_MOST]},
        )


def presence_changed(session: Session) -> None:
    """Announce that who is looking at which case changed (presence is not audited)."""
    announce(session, "presence")


def head_seq(session: Session) -> int:
    """The newest audit entry's number (0 when the log is empty)."""
    return int(session.scalar(select(func.max(_AUDIT.c.seq))) or 0)


@dataclass(frozen=True)
class AuditSince:
    """The audit entries after a cursor: their objects, or ``overflow`` when there were many."""

    head: int
    objects: tuple[tuple[str, str], ...]  # (action, object) of each entry, oldest first
    overflow: bool


def audit_since(session: Session, seq: int) -> AuditSince:
    """Return the actions and objects of entries numbered above ``seq``."""
    rows = session.execute(
        select(_AUDIT.c.seq, _AUDIT.c.action, _AUDIT.c.object)
        .where(_AUDIT.c.seq > seq)
        .order_by(_AUDIT.c.seq)
        .limit(_SINCE_MOST + 1)
    ).all()
    if len(rows) > _SINCE_MOST:
        return AuditSince(head_seq(session), (), True)
    head = rows[-1].seq if rows else seq
    return AuditSince(head, tuple((r.action, r.object) for r in rows), False)


def presence_mark(session: Session) -> str:
    """A short fingerprint of who is looking at which case (changes when anyone moves)."""
    rows = session.execute(
        select(CaseViewer.session_id, CaseViewer.case_id).order_by(CaseViewer.session_id)
    ).all()
    digest = hashlib.sha256(repr([tuple(r) for r in rows]).encode()).hexdigest()
    return digest[:16]


# watching -------------------------------------------------------------------------------------


class Watch(Protocol):
    """A running watcher: ``close()`` stops its thread (and closes its connection)."""

    def close(self) -> None:
        """Stop watching; no wake-up comes after this returns."""


class _Watcher:
    """The thread, the stop flag and the wake-up both kinds of watcher share."""

    name = "desk-changes"

    def __init__(self, wake: Callable[[], None]) -> None:
        self._wake = wake
        self._stop = threading.Event()
        self._lock = threading.Lock()  # wake() never runs once close() has returned
        self._thread = threading.Thread(target=self._run, name=self.name, daemon=True)

    def start(self) -> _Watcher:
        """Start the thread; return self."""
        self._thread.start()
        return self

    def _woken(self) -> None:
        with self._lock:
            if not self._stop.is_set():
                try:
                    self._wake()
                except Exception:  # the reader's trouble must not end the watching
                    log.exception("a change wake-up failed")

    def close(self) -> None:
        """Stop watching and wait for the thread to end."""
        with self._lock:
            self._stop.set()
        if self._thread.is_alive() and threading.current_thread() is not self._thread:
            self._thread.join(timeout=5)

    def _run(self) -> None:
        raise NotImplementedError


class SqlitePoll(_Watcher):
    """Asks the SQLite file every ``interval`` seconds whether another connection committed."""

    name = "desk-changes-sqlite"

    def __init__(self, path: str, wake: Callable[[], None], interval: float = POLL_SECONDS):
        super().__init__(wake)
        self._path = path
        self._interval = interval

    def _run(self) -> None:
        conn: sqlite3.Connection | None = None
        seen: int | None = None
        while not self._stop.is_set():
            try:
                if conn is None:
                    conn = sqlite3.connect(self._path, isolation_level=None)
                    seen = None
                version = int(conn.execute("PRAGMA data_version").fetchone()[0])
                if seen is not None and version != seen:
                    self._woken()
                seen = version
            except sqlite3.Error as exc:
                log.warning("the change poll could not read the database: %s", exc)
                if conn is not None:
                    conn.close()
                conn = None
            self._stop.wait(self._interval)
        if conn is not None:
            conn.close()


class PgListener(_Watcher):
    """Holds one PostgreSQL connection doing ``LISTEN desk_changes``; reconnects if it drops."""

    name = "desk-changes-postgres"

    def __init__(
        self,
        connect: Callable[[], Any],
        wake: Callable[[], None],
        timeout: float = POLL_SECONDS,
    ) -> None:
        super().__init__(wake)
        self._connect = connect  # a new psycopg connection (autocommit), each time it is called
        self._timeout = timeout
        self.connected = threading.Event()  # set while LISTEN is in place (tests wait on it)

    def _run(self) -> None:
        pause = RETRY_FIRST
        lost = False
        while not self._stop.is_set():
            conn = None
            try:
                conn = self._connect()
                conn.execute(f"LISTEN {CHANNEL}")
                self.connected.set()
                if lost:
                    log.warning("change listener: connected to the database server again")
                lost, pause = False, RETRY_FIRST
                self._woken()  # anything missed while away is read now
                while not self._stop.is_set():
                    for _note in conn.notifies(timeout=self._timeout, stop_after=1):
                        self._woken()
            except Exception as exc:  # psycopg.OperationalError and kin: the server went away
                self.connected.clear()
                if self._stop.is_set():
                    break
                log.warning(
                    "change listener: lost the database server (%s); trying again in %.1f s",
                    type(exc).__name__,
                    pause,
                )
                lost = True
                self._stop.wait(pause)
                pause = min(pause * 2, RETRY_MOST)
            finally:
                if conn is not None:
                    with contextlib.suppress(Exception):  # already broken: best effort
                        conn.close()
        self.connected.clear()


def watch(engine: Any, path: str | None, wake: Callable[[], None]) -> Watch:
    """Start the watcher that suits ``engine`` (SQLite file at ``path``, or PostgreSQL)."""
    if engine.dialect.name == "sqlite":
        if path is None:
            raise ValueError("a SQLite desk is watched through its file")
        return SqlitePoll(path, wake).start()

    def connect() -> Any:
        # through the engine, so the URL, its password and any connect hooks are the desk's own;
        # detached: this connection is the listener's for good, never handed back to the pool
        fairy = engine.raw_connection()
        conn = fairy.driver_connection
        fairy.detach()
        conn.rollback()
        conn.autocommit = True
        return conn

    return PgListener(connect, wake).start()
