"""Every start makes SQLite's quick check; an upgrade makes the full integrity check first."""

from __future__ import annotations

import shutil
from pathlib import Path

import pytest

from desk.core.errors import DatabaseProblem
from desk.paths import Profile
from desk.services.desk import Desk
from desk.store import migrate
from desk.store.db import Database

FIXTURES = Path(__file__).with_name("fixtures")


@pytest.fixture
def checks(monkeypatch: pytest.MonkeyPatch) -> list[bool]:
    """Record each integrity check made (True: the full one), then make it."""
    made: list[bool] = []
    real = Database.check_integrity

    def check(self: Database, full: bool = False) -> None:
        made.append(full)
        real(self, full=full)

    monkeypatch.setattr(Database, "check_integrity", check)
    return made


def test_an_ordinary_start_makes_only_the_quick_check(
    memory_keyring, profile: Profile, checks: list[bool]
) -> None:
    Desk.open(profile).close()  # a new profile: nothing to check fully
    assert checks == [False]
    checks.clear()
    Desk.open(profile).close()
    assert checks == [False]


def test_an_upgrade_makes_the_full_check_before_the_backup(
    tmp_path: Path, checks: list[bool], monkeypatch: pytest.MonkeyPatch
) -> None:
    copy = tmp_path / "desk.sqlite3"
    shutil.copy(FIXTURES / "schema-0001.sqlite3", copy)  # the oldest: always an upgrade
    db = Database.sqlite(copy)
    order: list[str] = []
    real_backup = migrate._backup
    monkeypatch.setattr(
        migrate,
        "_backup",
        lambda *args: order.append(f"backup after {checks}") or real_backup(*args),
    )
    migrate.upgrade(db, tmp_path / "backups")
    db.dispose()
    assert checks == [False, True]
    assert order == ["backup after [False, True]"]


@pytest.mark.parametrize("full", [False, True], ids=["quick", "full"])
def test_either_check_refuses_a_damaged_file_with_the_same_message(
    memory_keyring, profile: Profile, full: bool
) -> None:
    Desk.open(profile).close()
    data = bytearray(profile.db_path.read_bytes())
    data[4096 : 4096 + 64] = b"\xff" * 64  # scribble over the second page
    profile.db_path.write_bytes(bytes(data))
    db = Database.sqlite(profile.db_path)
    try:
        with pytest.raises(DatabaseProblem) as err:
            db.check_integrity(full=full)
    finally:
        db.dispose()
    message = err.value.message
    assert str(profile.db_path) in message
    assert "damaged (integrity check:" in message or "cannot be read" in message
    assert "Restore it from a backup." in message
