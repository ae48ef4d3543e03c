"""``desk-admin backup``, ``backup --due``, ``backup schedule`` and ``restore``.

A restore checks the file first and refuses a damaged, foreign or newer one naming what is
wrong; the current desk is proved untouched by its SHA-256 before and after.
"""

from __future__ import annotations

import hashlib
import json
import sqlite3
import subprocess
import sys
from pathlib import Path

import pytest

from desk.cli.context import EXIT_DAMAGED, EXIT_OK, EXIT_REFUSED, EXIT_USAGE
from desk.paths import resolve_profile
from desk.services.desk import Desk
from tests.cli.conftest import Cli, Triage
from tests.conftest import Staffed

pytestmark = pytest.mark.sqlite_only  # a PostgreSQL desk: tests/store/test_pg_backup.py


def sha(path: Path) -> str:
    """The SHA-256 of a file."""
    return hashlib.sha256(path.read_bytes()).hexdigest()


def closed(staffed: Staffed) -> Path:
    """Close the test's own desk (a restore refuses while any Desk has the file open)."""
    staffed.clock.heartbeat = None  # type: ignore[attr-defined]  # its windows are closed too
    staffed.desk.close()
    return staffed.desk.profile.db_path


def test_schedule_is_shown_and_changed_and_due_needs_no_sign_in(triage: Triage) -> None:
    cli = triage.cli
    shown = cli("backup", "schedule", "--json", session=triage.jo)
    assert json.loads(shown.out)["schedule"] == "every 6h, keep 28"
    changed = cli("backup", "schedule", "--every", "12h", "--keep", "3", session=triage.admin)
    assert changed.status == EXIT_OK, changed.err
    assert "every 12h, keep 3" in changed.out
    bad = cli("backup", "schedule", "--every", "fortnightly", session=triage.admin)
    assert bad.status == EXIT_USAGE and "not a backup interval" in bad.err
    due = cli("backup", "--due", "--json")  # from a timer: no user, no session
    assert due.status == EXIT_OK, due.err
    assert json.loads(due.out)["scheduled"] is True
    again = cli("backup", "--due")
    assert again.out.startswith("No backup due (next due 2026-11-26 ")


def _backup(cli: Cli, triage: Triage, tmp_path: Path, name: str = "b.sqlite3") -> Path:
    out = tmp_path / name
    done = cli("backup", str(out), session=triage.admin)
    assert done.status == EXIT_OK, done.err
    return out


def restore(triage: Triage, path: Path, *more: str) -> object:
    """Run ``restore PATH --yes`` as the administrator, signing in to the backup."""
    return triage.cli.signed(triage.staffed.admin, "restore", str(path), "--yes", *more)


def test_a_restore_puts_the_backup_back_records_it_and_the_chain_verifies(
    triage: Triage, tmp_path: Path
) -> None:
    cli = triage.cli
    out = _backup(cli, triage, tmp_path)
    triage.official("x", "@AddedAfterTheBackup")
    checked = cli("restore", str(out))
    assert checked.status == EXIT_OK and "Nothing was changed" in checked.out
    db = closed(triage.staffed)
    before = sha(db)
    assert sha(db) == before  # only checked
    done = restore(triage, out)
    assert done.status == EXIT_OK, done.err
    assert "Restored the desk from" in done.out
    safety = next(triage.staffed.desk.profile.backup_dir.glob("desk-before-restore-*.sqlite3"))
    desk = Desk.open(resolve_profile(cli.profile.data_dir), cli.clock)
    try:
        admin = triage.staffed.sign_in(triage.staffed.admin)
        handles = [a.handle for a in desk.official_accounts.list(admin)]
    finally:
        desk.close()
    assert "@AddedAfterTheBackup" not in handles
    stale = cli("audit", "verify", session=triage.admin)  # a session the backup held open
    assert stale.status == EXIT_USAGE, stale.out
    token = triage.staffed.sign_in(triage.staffed.admin, "cli")
    verify = cli("audit", "verify", session=token)
    assert verify.status == EXIT_OK, verify.out + verify.err
    log = cli("audit", "list", "--json", "--action", "backup.restore", session=token)
    assert log.status == EXIT_OK, log.err
    entries = json.loads(log.out)
    assert len(entries) == 1 and entries[0]["actor"] == "admin"
    details = entries[0]["details"]
    details = json.loads(details) if isinstance(details, str) else details
    assert details["file"] == str(out) and details["safety_copy"] == str(safety)
    assert details["sessions_ended"] >= 4  # the four command-line sessions of the triage desk
    assert sqlite3.connect(safety).execute(
        "SELECT count(*) FROM official_accounts WHERE handle = '@AddedAfterTheBackup'"
    ).fetchone() == (1,)


def _refused(triage: Triage, path: Path, status: int, *words: str) -> None:
    db = closed(triage.staffed)
    before = sha(db)
    done = restore(triage, path)
    assert done.status == status, (done.status, done.err)
    for word in words:
        assert word in done.err, done.err
    assert "The current desk has not been changed." in done.err
    assert sha(db) == before
    assert not list(db.parent.glob(".desk-restore-*"))


def test_a_damaged_backup_is_refused_and_the_desk_left_as_it_was(
    triage: Triage, tmp_path: Path
) -> None:
    out = _backup(triage.cli, triage, tmp_path)
    data = bytearray(out.read_bytes())
    data[5000] ^= 0xFF
    out.write_bytes(bytes(data))
    _refused(triage, out, EXIT_DAMAGED, "does not match its manifest's SHA-256")


def test_a_damaged_backup_without_its_manifest_fails_the_integrity_check(
    triage: Triage, tmp_path: Path
) -> None:
    out = _backup(triage.cli, triage, tmp_path)
    (tmp_path / "b.sqlite3.manifest.json").unlink()
    data = bytearray(out.read_bytes())
    data[4096 + 8 : 4096 + 40] = b"\xff" * 32  # the second page's header: a broken b-tree
    out.write_bytes(bytes(data))
    _refused(triage, out, EXIT_DAMAGED, "is damaged")


def test_a_foreign_database_is_refused(triage: Triage, tmp_path: Path) -> None:
    other = tmp_path / "other.sqlite3"
    conn = sqlite3.connect(other)
    conn.execute("CREATE TABLE recipes (name TEXT)")
    conn.commit()
    conn.close()
    _refused(triage, other, EXIT_REFUSED, "not a Desk database")
    text = tmp_path / "notes.txt"
    text.write_text("hello")
    _refused(triage, text, EXIT_REFUSED, "neither a Desk SQLite backup nor a PostgreSQL dump")


def test_a_backup_from_a_newer_desk_is_refused(triage: Triage, tmp_path: Path) -> None:
    out = _backup(triage.cli, triage, tmp_path)
    (tmp_path / "b.sqlite3.manifest.json").unlink()
    conn = sqlite3.connect(out)
    conn.execute("UPDATE alembic_version SET version_num = '0099_from_the_future'")
    conn.commit()
    conn.close()
    _refused(triage, out, EXIT_REFUSED, "newer version of Desk", "0099_from_the_future")


def test_a_backup_of_another_desk_is_refused(
    triage: Triage, tmp_path: Path, memory_keyring: object
) -> None:
    out = _backup(triage.cli, triage, tmp_path)
    # the same file under another profile: that profile's keyring has other keys
    other = resolve_profile(tmp_path / "other-profile").create()
    first = Desk.open(other, triage.cli.clock)
    first.close()
    db = other.db_path
    before = sha(db)
    done = Cli(other, triage.cli.clock, triage.cli.monkeypatch).signed(
        triage.staffed.admin, "restore", str(out), "--yes"
    )
    assert done.status == EXIT_REFUSED, done.err
    assert "made by another desk" in done.err
    assert sha(db) == before


def test_a_restore_refuses_while_another_desk_has_the_file_open(
    triage: Triage, tmp_path: Path
) -> None:
    out = _backup(triage.cli, triage, tmp_path)
    db = closed(triage.staffed)
    holder = subprocess.Popen(
        [sys.executable, "-c",
         "import sqlite3,sys,time; c=sqlite3.connect(sys.argv[1]); "
         "c.execute('select count(*) from accounts').fetchone(); print('open', flush=True); "
         "time.sleep(30)", str(db)],
        stdout=subprocess.PIPE, text=True,
    )  # fmt: skip
    try:
        assert holder.stdout is not None and holder.stdout.readline().strip() == "open"
        before = sha(db)
        done = restore(triage, out)
        assert done.status == EXIT_REFUSED, done.err
        assert "has the database" in done.err and "close every Desk" in done.err
        assert sha(db) == before
    finally:
        holder.kill()
        holder.wait()
