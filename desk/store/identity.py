"""Tell whether a file is a Desk database this Desk can use, before anything writes to it.

SQLite changes a file as soon as a connection sets a pragma such as ``journal_mode = WAL``
(bytes 18-19 of the header), and a connection that reads a WAL-mode file makes ``-wal`` and
``-shm`` files beside it and checkpoints into it when it closes. So the file is looked at
read-only first, in a way that creates nothing:

- with no ``-wal`` or ``-journal`` beside it, as an immutable file (no locks, no files made);
- with a ``-wal`` and its ``-shm`` (another Desk has it open, or one stopped without closing
  it), read-only: the committed pages in the ``-wal`` are read through the existing index,
  nothing is made and neither file nor ``-wal`` changes (SQLite may refresh the ``-shm``
  index, which any reader does);
- with a ``-wal`` but no ``-shm``, or a ``-journal`` left by a write that never finished, a
  private copy of the file and that journal is read instead (reading either in place would
  make files beside it).

Only a file found to be a Desk database at a revision this Desk knows (or an empty one) is
then opened for writing.
"""

from __future__ import annotations

import shutil
import sqlite3
import tempfile
from dataclasses import dataclass
from pathlib import Path

from desk.core.errors import DatabaseDamaged, DatabaseProblem
from desk.store.revisions import head_revision, known_revisions

SQLITE_MAGIC = b"SQLite format 3\x00"
HEADER_SIZE = 100
VERSION_TABLE = "alembic_version"
# created by the first revision and kept by every one since: another program's database that
# happens to use Alembic has its own version table but not these
DESK_TABLES = frozenset({"accounts", "audit_log", "sessions", "settings"})
NOT_CHANGED = "Desk has not changed it."


@dataclass(frozen=True)
class Inside:
    """What a read-only look inside an SQLite file found."""

    tables: frozenset[str]
    revisions: tuple[str, ...]


def identify(path: Path, absent_before: bool) -> str | None:
    """Return the Desk schema revision of the file at ``path`` (None: new or empty), or refuse.

    ``absent_before`` says that the file did not exist when Desk began opening it, so an empty
    file there is the one Desk made; an empty file that was already there is refused. Refusals
    are :class:`DatabaseProblem` (:class:`DatabaseDamaged` when the file cannot be read) and
    leave the file, and the folder it is in, exactly as they were.
    """
    try:
        with path.open("rb") as fh:
            header = fh.read(HEADER_SIZE)
    except FileNotFoundError:
        return None  # a new profile: SQLite makes the file
    except OSError as exc:
        raise DatabaseProblem(
            f"Desk cannot read the database file {path}: {exc.strerror or exc}. {NOT_CHANGED}"
        ) from None
    if not header:
        if absent_before:
            return None
        raise DatabaseProblem(
            f"The database file {path} is empty: it is not a Desk database. {NOT_CHANGED} "
            "If a first start was interrupted, delete the empty file and start Desk again."
        )
    if len(header) < HEADER_SIZE or not header.startswith(SQLITE_MAGIC):
        raise DatabaseProblem(
            f"The file {path} is not a Desk database: it is not an SQLite database at all. "
            f"{NOT_CHANGED} Check the --data-dir given (or restore the file from a backup)."
        )
    inside = _look_inside(path)
    return _judge(path, header, inside)


def _judge(path: Path, header: bytes, inside: Inside) -> str | None:
    head = head_revision()
    if not inside.tables:
        user_version = int.from_bytes(header[60:64], "big")
        application_id = int.from_bytes(header[68:72], "big")
        if user_version or application_id:
            raise DatabaseProblem(
                f"The database file {path} belongs to another program (its application id "
                f"{application_id}, user version {user_version}): it is not a Desk database. "
                f"{NOT_CHANGED}"
            )
        return None  # an SQLite file with nothing in it yet: Desk sets it up
    others = sorted(inside.tables - DESK_TABLES - {VERSION_TABLE})
    if not inside.tables >= DESK_TABLES:
        shown = ", ".join(others[:5]) if others else ", ".join(sorted(inside.tables))
        raise DatabaseProblem(
            f"The database file {path} holds tables ({shown}) but not Desk's: it is not a "
            f"Desk database. {NOT_CHANGED}"
        )
    if VERSION_TABLE not in inside.tables or not inside.revisions:
        raise DatabaseProblem(
            f"The database file {path} has Desk's tables but no Desk schema version: it is not "
            f"a Desk database this Desk can use. {NOT_CHANGED} Restore it from a backup."
        )
    if len(inside.revisions) > 1:
        raise DatabaseProblem(
            f"The database {path} names {len(inside.revisions)} schema versions "
            f"({', '.join(inside.revisions)}): {NOT_CHANGED} Restore it from a backup."
        )
    revision = inside.revisions[0]
    if revision not in known_revisions():
        raise DatabaseProblem(
            f"The database {path} was written by a newer version of Desk "
            f"(schema {revision}; this version knows up to {head}). "
            "Install the newer Desk; this one has not changed the file."
        )
    return revision


def _side(path: Path, end: str) -> Path:
    return path.with_name(path.name + end)


def _has_content(path: Path) -> bool:
    try:
        return path.stat().st_size > 0
    except FileNotFoundError:
        return False


def _look_inside(path: Path) -> Inside:
    wal, shm, journal = (_side(path, end) for end in ("-wal", "-shm", "-journal"))
    if _has_content(journal) or (_has_content(wal) and not shm.exists()):
        return _look_inside_a_copy(path, [wal, journal])
    uri = path.resolve().as_uri()
    mode = "?mode=ro" if _has_content(wal) else "?mode=ro&immutable=1"
    return _read(path, uri + mode)


def _look_inside_a_copy(path: Path, journals: list[Path]) -> Inside:
    """Read a private copy: SQLite replays or rolls back the copy's journal, not the file's."""
    with tempfile.TemporaryDirectory(prefix="desk-identify-") as folder:
        copy = Path(folder) / path.name
        try:
            shutil.copyfile(path, copy)
            for journal in journals:
                if journal.exists():
                    shutil.copyfile(journal, Path(folder) / journal.name)
        except OSError as exc:
            raise DatabaseProblem(
                f"Desk cannot read the database file {path}: {exc.strerror or exc}. {NOT_CHANGED}"
            ) from None
        return _read(path, copy.as_uri())


def _read(path: Path, uri: str) -> Inside:
    try:
        conn = sqlite3.connect(uri, uri=True)
    except sqlite3.Error as exc:
        raise DatabaseProblem(
            f"Desk cannot open the database file {path}: {exc}. {NOT_CHANGED}"
        ) from None
    try:
        tables = frozenset(
            row[0] for row in conn.execute("SELECT name FROM sqlite_master WHERE type = 'table'")
        )
        revisions: tuple[str, ...] = ()
        if VERSION_TABLE in tables:
            revisions = tuple(
                str(row[0]) for row in conn.execute("SELECT version_num FROM alembic_version")
            )
    except sqlite3.DatabaseError as exc:
        raise DatabaseDamaged(damaged_message(path, str(exc))) from None
    finally:
        conn.close()
    return Inside(tables, revisions)


def damaged_message(path: Path | str, found: str) -> str:
    """Say that the desk's database is damaged and what to do (the same words everywhere)."""
    return (
        f"The desk's database {path} cannot be read: it is damaged ({found}). Desk has not "
        "changed it and will not work on it. Restore it from a backup. The latest backups are "
        "in the profile's backups folder; see 'A damaged database' in docs/security.md."
    )
