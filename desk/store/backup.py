"""Copies of the whole database: SQLite's online backup, ``pg_dump`` and ``pg_restore``.

Everything here works below the services: it copies, counts and checks files and servers,
and knows nothing of who asked. The SQL that looks inside a backup lives here too.
"""

from __future__ import annotations

import contextlib
import hashlib
import logging
import os
import shutil
import sqlite3
import subprocess
import threading
import time
from collections.abc import Callable, Iterator
from dataclasses import dataclass, field
from pathlib import Path

from sqlalchemy import inspect, text
from sqlalchemy.engine import URL
from sqlalchemy.exc import OperationalError
from sqlalchemy.orm import Session

from desk.core.errors import DatabaseDamaged, DatabaseProblem
from desk.paths import private_file, tighten_files
from desk.store.db import Database

log = logging.getLogger(__name__)

# the tables a manifest counts, and a restore compares: the desk's people, work and record
COUNTED = ("accounts", "cases", "items", "audit_log")
_PAGES_PER_STEP = 2048
_PG_TOOL_TIMEOUT = 6 * 3600  # a very large desk's dump still ends; a hung server does not hang us

Progress = Callable[[int, int], None]
"""Called with (done, total) as a copy goes on; raising from it stops the copy."""


@dataclass(frozen=True)
class Snapshot:
    """What one database (or backup) holds: its schema revision, counts and audit head."""

    revision: str | None
    counts: dict[str, int] = field(default_factory=dict)
    audit_head: tuple[int, str] | None = None


def sha256_of(path: Path) -> str:
    """Return the SHA-256 of the file at ``path`` as hex."""
    digest = hashlib.sha256()
    with path.open("rb") as fh:
        for block in iter(lambda: fh.read(1 << 20), b""):
            digest.update(block)
    return digest.hexdigest()


# SQLite ------------------------------------------------------------------------------------


def sqlite_backup(source: Path, target: Path, progress: Progress | None = None) -> None:
    """Copy the SQLite database ``source`` into the new file ``target`` with the online backup.

    The copy is one consistent state of the database: SQLite restarts it if another
    connection commits while it is under way, so a transaction (an import) is wholly in or
    wholly out. ``target`` is made owner-only before a byte is written, and left as a
    self-contained file (no ``-wal`` beside it).
    """
    private_file(target)

    def step(_status: int, remaining: int, total: int) -> None:
        if progress is not None:
            progress(total - remaining, total)

    src = sqlite3.connect(source, timeout=30)
    try:
        dst = sqlite3.connect(target)
        try:
            src.backup(dst, pages=_PAGES_PER_STEP, progress=step)
            dst.execute("PRAGMA journal_mode = DELETE")  # one file, whatever the source used
        finally:
            dst.close()
    finally:
        src.close()
    tighten_files(target)


def _read_only(path: Path) -> sqlite3.Connection:
    """Open an SQLite file read-only, making no file beside it and changing nothing."""
    return sqlite3.connect(f"{path.resolve().as_uri()}?mode=ro&immutable=1", uri=True)


def sqlite_snapshot(path: Path) -> Snapshot:
    """Count what the SQLite file at ``path`` (a backup, not in use) holds."""
    conn = _read_only(path)
    try:
        tables = {r[0] for r in conn.execute("SELECT name FROM sqlite_master WHERE type='table'")}
        revision = None
        if "alembic_version" in tables:
            row = conn.execute("SELECT version_num FROM alembic_version").fetchone()
            revision = str(row[0]) if row else None
        counts = {
            t: int(conn.execute(f"SELECT count(*) FROM {t}").fetchone()[0])  # noqa: S608 (fixed names)
            for t in COUNTED
            if t in tables
        }
        head = None
        if "audit_log" in tables:
            row = conn.execute(
                "SELECT seq, hash FROM audit_log ORDER BY seq DESC LIMIT 1"
            ).fetchone()
            head = (int(row[0]), str(row[1])) if row else None
    except sqlite3.DatabaseError as exc:
        raise DatabaseDamaged(f"The backup {path} cannot be read: {exc}.") from None
    finally:
        conn.close()
    return Snapshot(revision, counts, head)


def sqlite_integrity(path: Path) -> list[str]:
    """Run ``PRAGMA integrity_check`` on the file at ``path``; return what it found (``ok``)."""
    try:
        conn = _read_only(path)
        try:
            return [str(r[0]) for r in conn.execute("PRAGMA integrity_check(20)")]
        finally:
            conn.close()
    except sqlite3.DatabaseError as exc:
        return [str(exc)]


def sqlite_in_use(path: Path) -> bool:
    """Tell whether any connection (in any process) has the SQLite file at ``path`` open.

    A connection in exclusive locking mode cannot read a WAL database while another
    connection shares its index, so a refusal of that read means someone has it open. A file
    that cannot be opened at all (damaged, not a database) counts as not in use.
    """
    if not path.exists():
        return False
    conn = sqlite3.connect(path, timeout=0, isolation_level=None)
    try:
        conn.execute("PRAGMA locking_mode = EXCLUSIVE")
        conn.execute("BEGIN EXCLUSIVE")
        conn.execute("SELECT count(*) FROM sqlite_master").fetchone()
        conn.execute("ROLLBACK")
        return False
    except sqlite3.OperationalError as exc:
        return "locked" in str(exc) or "busy" in str(exc)
    except sqlite3.DatabaseError:
        return False
    finally:
        conn.close()


def copy_with_journal(source: Path, target: Path) -> list[Path]:
    """Copy a database file byte for byte, with its ``-wal`` if any; return the files made.

    Used for the safety copy of a desk about to be replaced, which may be damaged: the
    online backup cannot read a damaged file, a plain copy keeps it as evidence.
    """
    made = []
    for end in ("", "-wal"):
        src = source.with_name(source.name + end)
        if src.exists():
            dst = target.with_name(target.name + end)
            private_file(dst)
            shutil.copyfile(src, dst)
            made.append(dst)
    return made


def replace_database(new: Path, current: Path) -> None:
    """Put the SQLite file ``new`` in place of ``current`` in one rename (same folder).

    Any ``-wal`` or ``-shm`` left beside ``current`` belongs to the old file: they go first,
    or SQLite would replay the old desk's journal into the new one.
    """
    for end in ("-wal", "-shm", "-journal"):
        with contextlib.suppress(FileNotFoundError):
            current.with_name(current.name + end).unlink()
    os.replace(new, current)


def write_when_free(db: Database, write: Callable[[Session], None], patience: float) -> None:
    """Run one write unit of work, waiting past the busy timeout while a long one holds the lock.

    A backup is taken while a bulk import (one transaction, maybe minutes long) runs; its
    audit entry then waits for the import to end rather than fail after ten seconds.
    """
    deadline = time.monotonic() + patience
    while True:
        try:
            with db.write() as s:
                write(s)
            return
        except OperationalError as exc:
            if "locked" not in str(exc.orig) or time.monotonic() > deadline:
                raise
            log.info("the database is busy with a long write: the backup's entry waits")


# PostgreSQL --------------------------------------------------------------------------------

PG_BINDIR_ENV = "PG_BINDIR"


def find_pg_tool(name: str) -> Path:
    """Find ``pg_dump`` or ``pg_restore``: ``$PG_BINDIR``, the newest server install, or PATH."""
    candidates: list[Path] = []
    if os.environ.get(PG_BINDIR_ENV):
        candidates.append(Path(os.environ[PG_BINDIR_ENV]) / name)
    installed = sorted(
        Path("/usr/lib/postgresql").glob("*/bin"),
        key=lambda p: int(p.parent.name) if p.parent.name.isdigit() else 0,
        reverse=True,
    )
    candidates.extend(d / name for d in installed)
    on_path = shutil.which(name)
    if on_path:
        candidates.append(Path(on_path))
    for candidate in candidates:
        if candidate.is_file() and os.access(candidate, os.X_OK):
            return candidate
    raise DatabaseProblem(
        f"Desk cannot find {name}, which it needs for a PostgreSQL desk's backups: install the "
        f"PostgreSQL client tools (Debian: apt-get install postgresql-client, the same major "
        f"version as the server or newer), or set {PG_BINDIR_ENV} to the folder holding {name}."
    )


def pg_environment(url: URL) -> dict[str, str]:
    """The environment for a PostgreSQL tool: where to connect, and the password.

    Everything goes through libpq's environment variables of the child only, never its
    argument list: a process listing shows no host, user or password.
    """
    env = dict(os.environ)
    for name in ("PGPASSWORD", "PGHOST", "PGPORT", "PGUSER", "PGDATABASE", "PGSERVICE"):
        env.pop(name, None)
    parts = {
        "PGHOST": url.host,
        "PGPORT": str(url.port) if url.port else None,
        "PGUSER": url.username,
        "PGDATABASE": url.database,
        "PGPASSWORD": url.password if isinstance(url.password, str) else None,
    }
    env.update({k: v for k, v in parts.items() if v})
    sslmode = url.query.get("sslmode")
    if isinstance(sslmode, str):
        env["PGSSLMODE"] = sslmode
    return env


def _run_tool(argv: list[str], env: dict[str, str], what: str) -> str:
    # the time limit is a timer that kills the tool, not subprocess's own timed wait, which
    # polls with time.sleep (broken under a faked clock, as the year-ahead tests run)
    try:
        proc = subprocess.Popen(  # noqa: S603 (a fixed tool, its arguments a list)
            argv, env=env, stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True
        )
    except OSError as exc:
        raise DatabaseProblem(f"{what} could not run: {exc}.") from None
    timed_out = threading.Event()

    def stop() -> None:
        timed_out.set()
        proc.kill()

    timer = threading.Timer(_PG_TOOL_TIMEOUT, stop)
    timer.start()
    try:
        out, err = proc.communicate()
    finally:
        timer.cancel()
    if proc.returncode != 0:
        if timed_out.is_set():
            raise DatabaseProblem(f"{what} did not finish in {_PG_TOOL_TIMEOUT / 3600:g} hours.")
        said = " ".join(err.strip().splitlines()[-2:]) or f"exit status {proc.returncode}"
        raise DatabaseProblem(f"{what} failed: {said}")
    return out


@contextlib.contextmanager
def pg_snapshot(db: Database) -> Iterator[tuple[str, Snapshot]]:
    """Hold one exported snapshot of the server's data; give its id and what it holds.

    ``pg_dump --snapshot`` then dumps exactly the state counted here, however busy the desk.
    """
    with db.engine.connect() as conn:
        conn.execute(text("BEGIN ISOLATION LEVEL REPEATABLE READ READ ONLY"))
        snapshot_id = str(conn.execute(text("SELECT pg_export_snapshot()")).scalar_one())
        yield snapshot_id, _pg_counts(conn)
        conn.execute(text("ROLLBACK"))


def _pg_counts(conn: object) -> Snapshot:
    from sqlalchemy.engine import Connection

    assert isinstance(conn, Connection)
    tables = set(inspect(conn).get_table_names())
    revision = None
    if "alembic_version" in tables:
        revision = conn.execute(text("SELECT version_num FROM alembic_version")).scalar()
    counts = {
        t: int(conn.execute(text(f"SELECT count(*) FROM {t}")).scalar_one())  # noqa: S608
        for t in COUNTED
        if t in tables
    }
    head = None
    if "audit_log" in tables:
        row = conn.execute(
            text("SELECT seq, hash FROM audit_log ORDER BY seq DESC LIMIT 1")
        ).first()
        head = (int(row[0]), str(row[1])) if row else None
    return Snapshot(str(revision) if revision else None, counts, head)


def pg_counts(db: Database) -> Snapshot:
    """Count what the PostgreSQL database ``db`` holds now."""
    with db.engine.connect() as conn:
        return _pg_counts(conn)


def pg_dump(db: Database, target: Path, snapshot_id: str | None = None) -> None:
    """Dump ``db`` into the new file ``target`` (custom format), owner-only."""
    tool = find_pg_tool("pg_dump")
    private_file(target)
    argv = [str(tool), "--format=custom", "--no-owner", "--no-privileges", f"--file={target}"]
    if snapshot_id:
        argv.append(f"--snapshot={snapshot_id}")
    _run_tool(argv, pg_environment(db.engine.url), "pg_dump")
    tighten_files(target)


def pg_list(path: Path) -> list[str]:
    """Return the table of contents of a custom-format dump, or refuse an unreadable one."""
    tool = find_pg_tool("pg_restore")
    try:
        listing = _run_tool([str(tool), "--list", str(path)], dict(os.environ), "pg_restore")
    except DatabaseProblem as exc:
        raise DatabaseDamaged(
            f"The backup {path} is not a readable PostgreSQL dump ({exc.message}). "
            "Desk has not changed anything."
        ) from None
    return [line for line in listing.splitlines() if line and not line.startswith(";")]


def pg_is_empty(db: Database) -> bool:
    """Tell whether the PostgreSQL database ``db`` holds no table at all."""
    with db.engine.connect() as conn:
        return not inspect(conn).get_table_names()


def pg_restore(db: Database, path: Path) -> None:
    """Restore the custom-format dump ``path`` into the empty database ``db`` (one transaction)."""
    tool = find_pg_tool("pg_restore")
    argv = [str(tool), "--single-transaction", "--exit-on-error", "--no-owner", "--no-privileges"]
    argv += ["--dbname", db.engine.url.database or "", str(path)]
    _run_tool(argv, pg_environment(db.engine.url), "pg_restore")
