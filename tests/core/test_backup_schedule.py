"""The backup schedule as typed, when one is due, and which files rotation may remove."""

from __future__ import annotations

from datetime import UTC, datetime, timedelta

import pytest

from desk.core.backup_schedule import (
    DEFAULT_SCHEDULE,
    BackupSchedule,
    format_schedule,
    is_due,
    manual_name,
    parse_schedule,
    rotated_out,
    scheduled_at,
    scheduled_name,
)
from desk.core.errors import InvalidInput

T0 = datetime(2026, 11, 26, 9, 0, tzinfo=UTC)


def test_the_default_is_on_every_six_hours_keeping_a_week() -> None:
    assert BackupSchedule(6, 28) == DEFAULT_SCHEDULE
    assert format_schedule(DEFAULT_SCHEDULE) == "every 6h, keep 28"


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        ("every 6h, keep 28", BackupSchedule(6, 28)),
        ("every 1d keep 14", BackupSchedule(24, 14)),
        ("EVERY 12 ; KEEP 2", BackupSchedule(12, 2)),
        ("every 3h", BackupSchedule(3, 28)),
        ("off", BackupSchedule(0, 28)),
    ],
)
def test_schedules_are_read_as_typed(text: str, expected: BackupSchedule) -> None:
    assert parse_schedule(text) == expected
    assert parse_schedule(format_schedule(expected)) == expected


@pytest.mark.parametrize(
    ("text", "says"),
    [
        ("every day", "not a backup interval"),
        ("every 0h", "outside 1 hour"),
        ("every 6h keep 0", "outside 1 to 1000"),
        ("keep 5", "does not say how often"),
        ("hourly", "not a backup schedule"),
    ],
)
def test_a_wrong_schedule_is_refused_naming_what_is_wrong(text: str, says: str) -> None:
    with pytest.raises(InvalidInput, match=says):
        parse_schedule(text)


def test_due_when_none_yet_then_after_the_interval() -> None:
    every6 = BackupSchedule(6, 28)
    assert is_due(every6, None, T0)
    assert not is_due(every6, T0, T0 + timedelta(hours=5, minutes=59))
    assert is_due(every6, T0, T0 + timedelta(hours=6))
    assert not is_due(BackupSchedule(0, 28), None, T0)


def test_rotation_removes_only_scheduled_backups_beyond_the_newest_k() -> None:
    scheduled = [scheduled_name(T0 + timedelta(hours=6 * i), "sqlite3") for i in range(5)]
    manual = manual_name(T0 - timedelta(days=3), "sqlite3")
    others = [manual, "desk-before-upgrade-from-0014-20261101T000000Z.sqlite", "notes.txt"]
    names = [*others, *scheduled, scheduled[0] + ".manifest.json"]
    assert rotated_out(names, 2) == scheduled[:3]
    assert rotated_out(names, 10) == []
    assert scheduled_at(scheduled[1]) == T0 + timedelta(hours=6)
    assert scheduled_at(manual) is None
