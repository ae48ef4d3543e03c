"""Backups by hand and on the schedule: who may, what the file and its manifest hold, rotation."""

from __future__ import annotations

import hashlib
import json
import sqlite3
import stat
from pathlib import Path

import pytest

from desk.core.errors import InvalidInput, PermissionDenied
from desk.core.items import Platform
from desk.core.retention import RecordClass
from desk.core.roles import Role
from desk.services.backup import BackupCancelled, manifest_path
from desk.store.revisions import head_revision
from tests.conftest import USER_PASSWORD, Person, Staffed

pytestmark = pytest.mark.sqlite_only  # the PostgreSQL dump: tests/store/test_pg_backup.py


def _entries(staffed: Staffed, action: str) -> list[dict[str, object]]:
    token = staffed.sign_in(staffed.admin)
    return [
        {"actor": e.actor, "object": e.object, **json.loads(e.details)}
        for e in staffed.desk.audit.entries(token, 200)
        if e.action == action
    ]


def _rows(path: Path, sql: str) -> list[tuple[object, ...]]:
    conn = sqlite3.connect(f"{path.as_uri()}?mode=ro&immutable=1", uri=True)
    try:
        return list(conn.execute(sql))
    finally:
        conn.close()


def test_a_backup_is_the_whole_desk_owner_only_with_its_manifest_and_audited(
    staffed: Staffed, tmp_path: Path
) -> None:
    desk = staffed.desk
    desk.official_accounts.add(staffed.admin_token, Platform.X, "@ExampleshirePolice")
    out = tmp_path / "copies" / "desk.sqlite3"
    out.parent.mkdir()
    made = desk.backup.make(staffed.admin_token, out)
    assert made.path == out and out.is_file()
    assert stat.S_IMODE(out.stat().st_mode) == 0o600
    assert stat.S_IMODE(manifest_path(out).stat().st_mode) == 0o600
    assert sorted(p.name for p in out.parent.iterdir()) == [out.name, out.name + ".manifest.json"]
    manifest = json.loads(manifest_path(out).read_text())
    assert manifest["sha256"] == hashlib.sha256(out.read_bytes()).hexdigest() == made.sha256
    assert manifest["schema_revision"] == head_revision()
    assert manifest["size"] == out.stat().st_size
    assert manifest["counts"]["accounts"] == 2
    assert manifest["created_at"] == staffed.clock.now().isoformat(timespec="seconds")
    assert manifest["scheduled"] is False
    # the copy is a database on its own: the official account is in it
    assert _rows(out, "SELECT handle FROM official_accounts") == [("@ExampleshirePolice",)]
    [entry] = _entries(staffed, "backup.made")
    assert entry["actor"] == "admin" and entry["path"] == str(out)
    assert entry["size"] == made.size and entry["scheduled"] is False


def test_operators_may_not_back_up_information_managers_may(
    staffed: Staffed, tmp_path: Path
) -> None:
    desk = staffed.desk
    op = staffed.sign_in(staffed.operator)
    with pytest.raises(PermissionDenied, match="may not make backups"):
        desk.backup.make(op, tmp_path / "op.sqlite3")
    assert not (tmp_path / "op.sqlite3").exists()
    im = desk.accounts.add_user(
        staffed.admin_token, "imanager", "Ian Manager", Role.INFORMATION_MANAGER, USER_PASSWORD
    )
    token = staffed.sign_in(Person("imanager", USER_PASSWORD, im.seed, Role.INFORMATION_MANAGER))
    made = desk.backup.make(token, tmp_path / "im.sqlite3")
    assert made.path.is_file()


def test_an_existing_file_or_a_missing_folder_is_refused(staffed: Staffed, tmp_path: Path) -> None:
    taken = tmp_path / "taken.sqlite3"
    taken.write_text("mine")
    with pytest.raises(InvalidInput, match="already exists"):
        staffed.desk.backup.make(staffed.admin_token, taken)
    assert taken.read_text() == "mine"
    with pytest.raises(InvalidInput, match="does not exist"):
        staffed.desk.backup.make(staffed.admin_token, tmp_path / "nowhere" / "b.sqlite3")
    assert _entries(staffed, "backup.made") == []


def test_a_folder_gets_a_dated_name_and_no_out_means_the_backups_folder(
    staffed: Staffed, tmp_path: Path
) -> None:
    made = staffed.desk.backup.make(staffed.admin_token, tmp_path)
    assert made.path.parent == tmp_path
    assert made.path.name == "desk-backup-20261126T090030Z.sqlite3"
    staffed.clock.advance(seconds=1)
    into_profile = staffed.desk.backup.make(staffed.admin_token)
    assert into_profile.path.parent == staffed.desk.profile.backup_dir


def test_a_cancelled_backup_leaves_nothing_behind(staffed: Staffed, tmp_path: Path) -> None:
    folder = tmp_path / "copies"
    folder.mkdir()
    out = folder / "stopped.sqlite3"
    steps: list[tuple[int, int]] = []
    with pytest.raises(BackupCancelled):
        staffed.desk.backup.make(
            staffed.admin_token,
            out,
            progress=lambda d, t: steps.append((d, t)),
            cancelled=lambda: True,
        )
    assert list(folder.iterdir()) == []
    assert _entries(staffed, "backup.made") == []


def test_scheduled_backups_are_made_when_due_by_the_desk_and_rotated(staffed: Staffed) -> None:
    desk, clock = staffed.desk, staffed.clock
    assert desk.backup.schedule().every_hours == 6 and desk.backup.schedule().keep == 28
    desk.backup.set_schedule(staffed.admin_token, "every 6h, keep 2")
    op = staffed.sign_in(staffed.operator)  # any window's session runs what is due
    manual = desk.backup.make(staffed.admin_token)  # by hand, into the same folder
    first = desk.backup.run_due(op)
    assert first is not None and first.scheduled
    assert first.path.name.startswith("desk-scheduled-")
    assert desk.backup.run_due(op) is None  # not due again yet
    clock.advance(hours=5)
    assert desk.backup.run_due() is None
    made = []
    for _ in range(3):
        clock.advance(hours=6)
        done = desk.backup.run_due()  # as 'backup --due' does, with no one signed in
        assert done is not None
        made.append(done)
    folder = desk.profile.backup_dir
    kept = sorted(p.name for p in folder.iterdir() if p.name.startswith("desk-scheduled-"))
    newest = [m.path.name for m in made[-2:]]
    assert kept == sorted([*newest, *(n + ".manifest.json" for n in newest)])
    assert manual.path.exists() and manifest_path(manual.path).exists()  # never rotated out
    entries = _entries(staffed, "backup.made")
    scheduled = [e for e in entries if e["scheduled"]]
    assert {e["actor"] for e in scheduled} == {"system"}
    assert scheduled[-1]["window_of"] == "jsmith"  # the oldest entry: made while Jo was in
    assert scheduled[0]["rotated"] == [made[0].path.name]
    status = desk.backup.status()
    assert status.kept == 2 and not status.due
    assert status.next_due == made[-1].made_at + status.schedule.every


def test_the_schedule_is_an_administrators_audited_setting(staffed: Staffed) -> None:
    desk = staffed.desk
    op = staffed.sign_in(staffed.operator)
    with pytest.raises(PermissionDenied):
        desk.backup.set_schedule(op, "off")
    with pytest.raises(InvalidInput, match="not a backup interval"):
        desk.backup.set_schedule(staffed.admin_token, "every day")
    desk.backup.set_schedule(staffed.admin_token, "off")
    assert not desk.backup.schedule().on
    assert desk.backup.run_due(op) is None
    assert desk.settings.get("backup_schedule") == "off"
    [entry] = [
        e for e in _entries(staffed, "setting.change") if e["object"] == "setting:backup_schedule"
    ]
    assert entry["before"] == "every 6h, keep 28" and entry["after"] == "off"


def test_another_process_making_the_scheduled_backup_holds_it(staffed: Staffed) -> None:
    folder = staffed.desk.profile.backup_dir
    folder.mkdir(exist_ok=True)
    lock = folder / ".scheduled-backup.lock"
    lock.write_text("1234")
    import os

    now = staffed.clock.now().timestamp()
    os.utime(lock, (now, now))
    assert staffed.desk.backup.run_due() is None
    assert not any(p.name.startswith("desk-scheduled-") for p in folder.iterdir())
    staffed.clock.advance(hours=3)  # a lock left by a process that died long ago is taken over
    assert staffed.desk.backup.run_due() is not None
    assert not lock.exists()


def test_retention_ages_out_every_kind_of_backup_with_its_manifest(staffed: Staffed) -> None:
    desk, clock = staffed.desk, staffed.clock
    desk.backup.set_schedule(staffed.admin_token, "every 1d, keep 1000")
    manual = desk.backup.make(staffed.admin_token)
    scheduled = desk.backup.run_due()
    assert scheduled is not None
    clock.advance(days=31)  # past the backups class's 30 days
    kept = desk.backup.run_due()
    assert kept is not None
    due = desk.retention.due(staffed.sign_in(staffed.admin)).of(RecordClass.BACKUPS)
    old = {p.name for p in (manual.path, manual.manifest, scheduled.path, scheduled.manifest)}
    assert set(due.files) == old  # the new scheduled one and its manifest are not due
