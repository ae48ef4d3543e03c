"""``desk-admin restore --yes`` of a SQLite backup made by an older Desk (an older schema) (#16).

The backup is a real one of this desk (its keys, its administrator, its audit chain), taken back
to an older schema revision with Alembic's own downgrades, as an older Desk would have left it,
with a manifest naming that revision. The restore brings it to this Desk's schema.
"""

from __future__ import annotations

import hashlib
import json
import sqlite3
from pathlib import Path

import pytest
from alembic import command
from sqlalchemy import create_engine

from desk.cli.context import EXIT_OK, EXIT_REFUSED
from desk.paths import resolve_profile
from desk.services.desk import Desk
from desk.store import migrate
from desk.store.revisions import head_revision
from tests.cli.conftest import Cli, Triage
from tests.cli.test_backup import closed, restore, sha
from tests.cli.test_queue import ITEMS, PAGE

pytestmark = pytest.mark.sqlite_only  # it is about the SQLite file and its schema

OLD = "0015"  # the schema of the Desk released before the shared desk
OLDER = "0007"  # before the audit checkpoints and the kept originals


def _take_back(path: Path, revision: str) -> None:
    """Downgrade the SQLite file at ``path`` to ``revision`` and rewrite its manifest to match."""
    # a plain engine: Desk's own turns foreign keys on, which a batch rebuild of a table that
    # others refer to (cases) cannot pass
    engine = create_engine(f"sqlite:///{path}")
    try:
        with engine.begin() as conn:
            cfg = migrate._config()
            cfg.attributes["connection"] = conn
            command.downgrade(cfg, revision)
    finally:
        engine.dispose()
    where = path.with_name(path.name + ".manifest.json")
    manifest = json.loads(where.read_text())
    manifest["schema_revision"] = revision
    manifest["sha256"] = hashlib.sha256(path.read_bytes()).hexdigest()
    manifest["size"] = path.stat().st_size
    where.write_text(json.dumps(manifest, indent=2))


def _revision(path: Path) -> str:
    with sqlite3.connect(path) as conn:
        return str(conn.execute("SELECT version_num FROM alembic_version").fetchone()[0])


def _old_backup(triage: Triage, tmp_path: Path, old: str = OLD) -> Path:
    triage.official("x", "@ExampleshirePolice")
    triage.official("facebook", PAGE)
    triage.official("instagram", "@exampleshirepolice")
    assert triage.import_(triage.jsonl("queue.jsonl", ITEMS)).status == EXIT_OK
    out = tmp_path / "old.sqlite3"
    done = triage.cli("backup", str(out), session=triage.admin)
    assert done.status == EXIT_OK, done.err
    _take_back(out, old)
    assert _revision(out) == old
    return out


def _hidden(folder: Path) -> list[str]:
    return sorted(p.name for p in folder.rglob(".*") if p.is_file())


@pytest.mark.parametrize("old", [OLD, OLDER])
def test_a_backup_at_an_older_schema_is_upgraded_restored_and_verifies(
    triage: Triage, tmp_path: Path, old: str
) -> None:
    cli = triage.cli
    out = _old_backup(triage, tmp_path, old)
    before = sha(out)
    triage.official("x", "@AddedAfterTheBackup")
    checked = cli("restore", str(out), "--json")
    assert checked.status == EXIT_OK, checked.err
    assert json.loads(checked.out)["schema_revision"] == old
    profile = triage.staffed.desk.profile
    closed(triage.staffed)

    done = restore(triage, out)
    assert done.status == EXIT_OK, done.err
    assert f"brought from schema {old} to {head_revision()}" in done.out, done.out
    assert sha(out) == before  # the backup itself is read, never changed
    assert _revision(profile.db_path) == head_revision()
    # what it leaves is named plainly: the safety copy of the desk it replaced, and the
    # backup as it was before the upgrade; nothing hidden anywhere in the profile
    assert _hidden(profile.data_dir) == []
    kept = sorted(p.name for p in profile.backup_dir.iterdir())
    assert [n.split("-2", 1)[0] for n in kept] == [
        "desk-before-restore",
        f"restored-backup-before-upgrade-from-{old}",
    ], kept
    pre_upgrade = next(profile.backup_dir.glob("restored-backup-before-upgrade-*"))
    assert pre_upgrade.suffix == ".sqlite3" and sha(pre_upgrade) == before
    assert pre_upgrade.stat().st_mode & 0o777 == 0o600

    token = triage.staffed.sign_in(triage.staffed.admin, "cli")
    verify = cli("audit", "verify", session=token)
    assert verify.status == EXIT_OK, verify.out + verify.err
    listed = cli("audit", "list", "--json", "--action", "backup.restore", session=token)
    details = json.loads(listed.out)[0]["details"]
    details = json.loads(details) if isinstance(details, str) else details
    assert details["revision_in_file"] == old
    assert details["upgraded_to"] == head_revision()
    assert details["pre_upgrade_copy"] == str(pre_upgrade)
    desk = Desk.open(resolve_profile(cli.profile.data_dir), cli.clock)
    try:
        handles = [a.handle for a in desk.official_accounts.list(token)]
    finally:
        desk.close()
    assert "@AddedAfterTheBackup" not in handles and "@ExampleshirePolice" in handles
    # the upgraded desk works: its cases (given the new version column) are claimed and noted
    jo = triage.cli.login(triage.staffed.operator)
    assert len(triage.queue(session=jo)) == len(ITEMS)
    claim = cli("case", "claim", "2", session=jo)
    assert claim.status == EXIT_OK, claim.err
    assert cli("case", "note", "2", "After the restore", session=jo).status == EXIT_OK
    assert triage.show(2, session=jo)["owner"] == "jsmith"


def test_a_refused_old_backup_leaves_no_copy_behind(
    triage: Triage, tmp_path: Path, memory_keyring: object
) -> None:
    out = _old_backup(triage, tmp_path)
    # the same file under another profile, whose keyring holds other keys
    other = resolve_profile(tmp_path / "other-profile").create()
    Desk.open(other, triage.cli.clock).close()
    before = sha(other.db_path)
    listed_before = sorted(p.name for p in other.data_dir.rglob("*"))
    done = Cli(other, triage.cli.clock, triage.cli.monkeypatch).signed(
        triage.staffed.admin, "restore", str(out), "--yes"
    )
    assert done.status == EXIT_REFUSED, done.err
    assert "made by another desk" in done.err and "has not been changed" in done.err
    assert sha(other.db_path) == before
    after = sorted(p.name for p in other.data_dir.rglob("*") if p.name != "desk.log")
    assert after == [n for n in listed_before if n != "desk.log"]
    assert _revision(out) == OLD
