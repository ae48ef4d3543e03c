"""Attack (issue 15 item 6): another person on the computer reads Desk's files.

Under a permissive umask (000 here) the database was created 0644, the logs 0666, and a data
folder found 0777 was left so. Now every folder Desk makes is 0700 and every file it writes
0600, whatever the umask; a looser profile folder is tightened and the person is told.
"""

from __future__ import annotations

import json
import logging
import os
import shutil
import stat
from collections.abc import Iterator
from pathlib import Path

import pytest

from desk.core.clock import ManualClock
from desk.core.items import Platform
from desk.core.queue_filter import QueueFilter
from desk.log import setup_logging
from desk.paths import Profile, resolve_profile
from desk.services.context import open_desk
from desk.services.rules import draft_folder, in_use_folder
from tests.cli.conftest import (  # noqa: F401 (fixtures)
    Cli,
    _no_desk_environment,
    _rules_compiled_once,
    cli,
)
from tests.conftest import START, Staffed
from tests.keyrings import MemoryKeyring

FIXTURES = Path(__file__).parent / "store" / "fixtures"
RULE = '[[rule]]\nid = "local.slur"\ncategory = "hate"\nseverity = "medium"\n'
RULE += 'description = "A slur this force sees"\nphrases = ["zorblax"]\n'


@pytest.fixture(autouse=True)
def open_umask() -> Iterator[None]:
    """Run every test here with umask 000: each mode Desk gets must come from Desk itself."""
    old = os.umask(0)
    try:
        yield
    finally:
        os.umask(old)


@pytest.fixture
def logged(profile: Profile) -> Iterator[logging.Handler]:
    """The profile's log file set up as the window does it (removed again afterwards)."""
    root = logging.getLogger()
    before = set(root.handlers)
    setup_logging(profile.log_dir)
    (handler,) = [h for h in root.handlers if h not in before]
    yield handler
    root.removeHandler(handler)
    handler.close()


def _mode(path: Path) -> int:
    return stat.S_IMODE(os.lstat(path).st_mode)


def _open_to_others(root: Path) -> list[str]:
    """Every folder under ``root`` (itself included) not 0700 and every file not 0600."""
    wrong = []
    for path in [root, *root.rglob("*")]:
        if path.is_symlink():
            continue
        wanted = 0o700 if path.is_dir() else 0o600
        if _mode(path) != wanted:
            wrong.append(f"{path.relative_to(root.parent)} {_mode(path):o}")
    return wrong


def _items_file(where: Path) -> Path:
    record = {
        "platform": "x",
        "kind": "mention",
        "id": "1",
        "author_id": "a1",
        "author_handle": "@a1",
        "text": "Streetlight out on Larchmere Close",
        "posted_at": "2026-11-26T08:00:00Z",
        "account": "@ExampleshirePolice",
    }
    path = where / "items.jsonl"
    path.write_text(json.dumps(record) + "\n")
    return path


def test_a_working_desk_writes_nothing_others_can_read(
    staffed: Staffed, logged: logging.Handler, tmp_path: Path
) -> None:
    desk, token = staffed.desk, staffed.admin_token
    profile = desk.profile
    # an import through the drop folder (a folder outside the profile)
    drop = tmp_path / "drop"
    drop.mkdir()
    desk.official_accounts.add(token, Platform.X, "@ExampleshirePolice")
    desk.settings.set(token, "drop_folder", str(drop))
    dropped = _items_file(drop)
    old = staffed.clock.now().timestamp() - 60
    os.utime(dropped, (old, old))
    bad = drop / "broken.jsonl"
    bad.write_text("{not json\n")
    os.utime(bad, (old, old))
    results = desk.drop_folder.scan(token)
    assert {r.problem is None for r in results} == {True, False}
    assert desk.queue.count(token, QueueFilter()) == 1
    # log lines, and a rollover to a new log file
    logging.getLogger("desk.test").warning("a line in the log")
    assert isinstance(logged, logging.handlers.RotatingFileHandler)
    logged.doRollover()
    logging.getLogger("desk.test").warning("a line in the next log")
    logged.flush()
    # rules an administrator drafted with a loose mode, put in use in the profile
    draft_folder(profile).mkdir(parents=True, exist_ok=True)
    (draft_folder(profile) / "local.toml").write_text(RULE)
    os.chmod(draft_folder(profile) / "local.toml", 0o666)  # noqa: S103 (the editor's mode)
    in_use_folder(profile).mkdir()
    desk.risk_rules.apply(token)

    written = {p.name for p in profile.data_dir.rglob("*")}
    assert {"desk.sqlite3", "desk.sqlite3-wal", "desk.log", "desk.log.1", "local.toml"} <= written
    # the drafts folder and its file are the administrator's own: Desk leaves their modes
    wrong = [w for w in _open_to_others(profile.data_dir) if "config/rules" not in w]
    assert wrong == []
    # the drop folder is the person's; what Desk makes there is its owner's only
    notes = list(drop.rglob("*.error.txt"))
    assert notes and all(_mode(n) == 0o600 for n in notes)
    assert all(_mode(drop / d) == 0o700 for d in ("imported", "refused", "importing"))


def test_the_backup_made_before_an_upgrade_is_owner_only(
    memory_keyring: MemoryKeyring, tmp_path: Path
) -> None:
    profile = resolve_profile(tmp_path / "old").create()
    shutil.copy(FIXTURES / "schema-0007.sqlite3", profile.db_path)
    os.chmod(profile.db_path, 0o644)  # as an older Desk left it
    ctx = open_desk(profile, ManualClock(START))
    try:
        assert ctx.backup_made is not None
        backup = Path(ctx.backup_made)
        assert backup.parent == profile.backup_dir
    finally:
        ctx.close()
    assert _mode(backup) == 0o600
    assert _open_to_others(profile.data_dir) == []


def test_a_looser_profile_folder_is_tightened_and_said(tmp_path: Path) -> None:
    root = tmp_path / "shared"
    (root / "logs").mkdir(parents=True, mode=0o777)
    os.chmod(root, 0o777)  # noqa: S103 (the attack)
    os.chmod(root / "logs", 0o755)  # noqa: S103
    profile = resolve_profile(root).create()
    assert _mode(root) == 0o700 and _mode(root / "logs") == 0o700
    assert set(profile.tightened) == {profile.data_dir, profile.log_dir}
    warning = profile.looser_folders_warning() or ""
    assert str(profile.data_dir) in warning and "readable by you only" in warning
    # a profile already owner-only says nothing
    assert resolve_profile(root).create().looser_folders_warning() is None


def test_desk_admin_warns_and_tightens_a_looser_data_folder(
    cli: Cli,  # noqa: F811
    staffed: Staffed,
) -> None:
    data = staffed.desk.profile.data_dir
    os.chmod(data, 0o777)  # noqa: S103 (the attack)
    os.chmod(staffed.desk.profile.db_path, 0o666)  # noqa: S103
    done = cli.signed(staffed.admin, "audit", "list")
    assert done.status == 0, done.err
    assert "readable by you only" in done.err and str(data) in done.err
    assert _mode(data) == 0o700
    assert _mode(staffed.desk.profile.db_path) == 0o600


def test_an_export_outside_the_profile_is_owner_only(
    cli: Cli,  # noqa: F811
    staffed: Staffed,
    tmp_path: Path,
) -> None:
    out = tmp_path / "templates-out"
    done = cli.signed(staffed.admin, "templates", "export", str(out))
    assert done.status == 0, done.err
    files = list(out.iterdir())
    assert files, "nothing exported"
    assert _mode(out) == 0o700
    assert all(_mode(f) == 0o600 for f in files), [(f.name, oct(_mode(f))) for f in files]
    assert os.umask(0) == 0  # desk-admin gave the umask back when it returned
