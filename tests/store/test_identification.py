"""Issue 15 item 3: a file that is not a Desk database this Desk can use is refused untouched.

Each test plants a file at a profile's database path (another program's SQLite file, a Desk
database from a newer Desk, a text file, an empty file), in rollback-journal mode and in WAL
mode (with the other program's ``-wal`` and ``-shm`` beside it, or a ``-wal`` left without its
``-shm``), opens the profile, and checks the refusal and that every file beside it is
byte-identical and no file was added: before the fix, the connection set ``journal_mode =
WAL`` (header bytes 18-19) and read the file before it was identified.
"""

from __future__ import annotations

import hashlib
import sqlite3
import tempfile
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from pathlib import Path

import pytest

from desk.core.errors import DatabaseProblem
from desk.paths import Profile
from desk.services.desk import Desk

Planter = Callable[[Path], None]
FUTURE = "9999_from_the_future"


def files_beside(db: Path) -> dict[str, str]:
    """Each file named after the database, with its SHA-256 (the -shm index: only that it is
    there, since any reader of a WAL file may refresh it)."""
    found = {}
    for path in sorted(db.parent.glob(db.name + "*")):
        if path.name.endswith("-shm"):
            found[path.name] = "present"
        else:
            found[path.name] = hashlib.sha256(path.read_bytes()).hexdigest()
    return found


def foreign(conn: sqlite3.Connection) -> None:
    """Another program's data."""
    conn.execute("CREATE TABLE invoices (id INTEGER PRIMARY KEY, customer TEXT)")
    conn.executemany("INSERT INTO invoices (customer) VALUES (?)", [("Acme",), ("Bloggs",)])
    conn.commit()


def newer(conn: sqlite3.Connection) -> None:
    """A Desk database whose schema a newer Desk wrote."""
    conn.execute("UPDATE alembic_version SET version_num = ?", (FUTURE,))
    conn.commit()


def make_desk_database(profile: Profile) -> None:
    """A real Desk database at the profile's path (closed: checkpointed, no -wal)."""
    Desk.open(profile).close()


@contextmanager
def planted(
    profile: Profile, mode: str, fill: Callable[[sqlite3.Connection], None]
) -> Iterator[None]:
    """Run ``fill`` on the file at the database path in ``mode`` and keep it as left.

    ``rollback``: a DELETE-journal file, closed. ``wal-open``: a WAL file still open in the
    other program (its last commit only in the -wal, -shm beside it). ``wal-left``: the same
    -wal without its -shm, as a copy taken while the program ran would leave it.
    """
    path = profile.db_path
    conn = sqlite3.connect(path)
    try:
        if mode == "rollback":
            conn.execute("PRAGMA journal_mode = DELETE")
            fill(conn)
            conn.close()
            assert path.read_bytes()[18:20] == b"\x01\x01"
            yield
            return
        conn.execute("PRAGMA journal_mode = WAL")
        conn.execute("PRAGMA wal_autocheckpoint = 0")  # the change stays in the -wal
        conn.execute("CREATE TABLE IF NOT EXISTS first_page_filler (x)")
        conn.commit()
        conn.execute("PRAGMA wal_checkpoint(TRUNCATE)")
        fill(conn)
        wal = path.with_name(path.name + "-wal")
        assert wal.stat().st_size > 0
        if mode == "wal-open":
            yield
            return
        assert mode == "wal-left"
        saved = {end: path.with_name(path.name + end).read_bytes() for end in ("", "-wal")}
        conn.close()  # checkpoints and removes the -wal: put back the files as copied
        for end, data in saved.items():
            path.with_name(path.name + end).write_bytes(data)
        path.with_name(path.name + "-shm").unlink(missing_ok=True)
        yield
    finally:
        conn.close()


MODES = ["rollback", "wal-open", "wal-left"]


@pytest.mark.parametrize("mode", MODES)
def test_another_programs_sqlite_file_is_refused_untouched(
    memory_keyring, profile: Profile, mode: str
) -> None:
    profile.create()
    with planted(profile, mode, foreign):
        before = files_beside(profile.db_path)
        with pytest.raises(DatabaseProblem, match="not a Desk database") as err:
            Desk.open(profile)
        assert str(profile.db_path) in err.value.message
        assert "invoices" in err.value.message
        assert files_beside(profile.db_path) == before


@pytest.mark.parametrize("mode", MODES)
def test_a_newer_desks_database_is_refused_untouched(
    memory_keyring, profile: Profile, mode: str
) -> None:
    make_desk_database(profile)
    with planted(profile, mode, newer):
        before = files_beside(profile.db_path)
        with pytest.raises(DatabaseProblem, match="newer version of Desk") as err:
            Desk.open(profile)
        assert FUTURE in err.value.message and str(profile.db_path) in err.value.message
        assert files_beside(profile.db_path) == before


def test_a_text_file_is_refused_untouched(memory_keyring, profile: Profile) -> None:
    profile.create()
    profile.db_path.write_text("name,phone\nJo,07700 900123\n" * 10, encoding="utf-8")
    before = files_beside(profile.db_path)
    with pytest.raises(DatabaseProblem, match="not an SQLite database") as err:
        Desk.open(profile)
    assert str(profile.db_path) in err.value.message
    assert files_beside(profile.db_path) == before


def test_an_empty_file_already_there_is_refused_untouched(memory_keyring, profile: Profile) -> None:
    profile.create()
    profile.db_path.write_bytes(b"")
    before = files_beside(profile.db_path)
    with pytest.raises(DatabaseProblem, match="is empty: it is not a Desk database"):
        Desk.open(profile)
    assert files_beside(profile.db_path) == before


def test_a_new_profile_and_a_desk_database_still_open(memory_keyring, profile: Profile) -> None:
    Desk.open(profile).close()  # no file yet: Desk makes it
    with sqlite3.connect(profile.db_path) as conn:
        conn.execute("PRAGMA journal_mode = DELETE")  # as a restored copy may come back
    Desk.open(profile).close()
    assert profile.db_path.read_bytes()[18:20] == b"\x02\x02"  # identified, then WAL


def test_a_desk_database_whose_last_commit_is_only_in_its_wal_opens(
    memory_keyring, profile: Profile
) -> None:
    """A Desk stopped without closing (its -wal left, no -shm): identified from a copy."""
    make_desk_database(profile)
    copies = set(Path(tempfile.gettempdir()).glob("desk-identify-*"))

    def mark(conn: sqlite3.Connection) -> None:
        conn.execute("INSERT INTO settings (key, value) VALUES ('left_in_the_wal', '1')")
        conn.commit()

    with planted(profile, "wal-left", mark):
        Desk.open(profile).close()
    with sqlite3.connect(profile.db_path) as conn:
        assert conn.execute("SELECT value FROM settings WHERE key = 'left_in_the_wal'").fetchone()
    assert set(Path(tempfile.gettempdir()).glob("desk-identify-*")) == copies  # removed


def test_the_refusal_reaches_the_command_line_untouched(cli, profile: Profile) -> None:
    profile.create()
    with planted(profile, "rollback", foreign):
        before = files_beside(profile.db_path)
        done = cli("queue")
    assert done.status == 3
    assert str(profile.db_path) in done.err and "not a Desk database" in done.err
    assert "Traceback" not in done.err
    assert files_beside(profile.db_path) == before


@pytest.fixture
def cli(memory_keyring, profile: Profile, clock, monkeypatch: pytest.MonkeyPatch):
    """desk-admin on the test's profile (the command-line tests' own helper)."""
    from tests.cli.conftest import Cli

    return Cli(profile, clock, monkeypatch)
