"""Scheduled backups: how often, how many to keep, their file names, and which are rotated out.

A scheduled backup's file is named ``desk-scheduled-<UTC stamp>.<ext>`` (with its manifest
``<file>.manifest.json`` beside it); a manual one ``desk-backup-<UTC stamp>.<ext>``. Rotation
only ever looks at the first kind, so a backup someone made by hand is never rotated out. The
stamp is the one retention reads (``desk.services.retention``), so the backups retention rule
ages out both kinds alike.
"""

from __future__ import annotations

import re
from collections.abc import Iterable
from dataclasses import dataclass
from datetime import UTC, datetime, timedelta

from desk.core.errors import InvalidInput

STAMP_FORMAT = "%Y%m%dT%H%M%SZ"
SCHEDULED_PREFIX = "desk-scheduled-"
MANUAL_PREFIX = "desk-backup-"
MANIFEST_SUFFIX = ".manifest.json"
SQLITE_EXT = "sqlite3"
PG_EXT = "pgdump"
MAX_EVERY_HOURS = 7 * 24
MAX_KEEP = 1000
_SCHEDULED = re.compile(
    rf"^{re.escape(SCHEDULED_PREFIX)}(\d{{8}}T\d{{6}}Z)\.({SQLITE_EXT}|{PG_EXT})$"
)
_EVERY = re.compile(r"^(\d+)\s*([hd]?)$")


@dataclass(frozen=True)
class BackupSchedule:
    """Every ``every_hours`` hours keep a backup, the newest ``keep`` of them (0 hours: off)."""

    every_hours: int
    keep: int

    @property
    def on(self) -> bool:
        """Whether scheduled backups are made at all."""
        return self.every_hours > 0

    @property
    def every(self) -> timedelta:
        """The time between two scheduled backups."""
        return timedelta(hours=self.every_hours)


# what a force would expect without being asked: four a day, a week of them kept
DEFAULT_SCHEDULE = BackupSchedule(6, 28)
OFF = BackupSchedule(0, DEFAULT_SCHEDULE.keep)


def parse_every(text: str) -> int:
    """Turn ``6h``, ``6`` (hours) or ``1d`` into whole hours, or say what is wrong."""
    found = _EVERY.match(text.strip().lower())
    if not found:
        raise InvalidInput(
            f"{text!r} is not a backup interval: give hours or days, such as 6h or 1d."
        )
    hours = int(found.group(1)) * (24 if found.group(2) == "d" else 1)
    if not 1 <= hours <= MAX_EVERY_HOURS:
        raise InvalidInput(
            f"A backup every {hours} hour(s) is outside 1 hour to {MAX_EVERY_HOURS // 24} days."
        )
    return hours


def parse_keep(text: str | int) -> int:
    """Turn the number of scheduled backups to keep into an int, or say what is wrong."""
    try:
        keep = int(str(text).strip())
    except ValueError:
        raise InvalidInput(f"{text!r} is not a whole number of backups to keep.") from None
    if not 1 <= keep <= MAX_KEEP:
        raise InvalidInput(f"Keeping {keep} backups is outside 1 to {MAX_KEEP}.")
    return keep


def parse_schedule(text: str) -> BackupSchedule:
    """Read ``every 6h, keep 28`` (or ``off``) as typed in the settings, or say what is wrong."""
    words = text.replace(",", " ").replace(";", " ").lower().split()
    if words in (["off"], ["no"], ["never"]):
        return OFF
    fields: dict[str, str] = {}
    rest = list(words)
    while rest:
        word = rest.pop(0)
        if word not in ("every", "keep") or not rest or word in fields:
            raise InvalidInput(
                f"{text!r} is not a backup schedule: write it as 'every 6h, keep 28' or 'off'."
            )
        fields[word] = rest.pop(0)
    if "every" not in fields:
        raise InvalidInput(f"{text!r} does not say how often: write 'every 6h, keep 28'.")
    keep = parse_keep(fields["keep"]) if "keep" in fields else DEFAULT_SCHEDULE.keep
    return BackupSchedule(parse_every(fields["every"]), keep)


def format_every(hours: int) -> str:
    """Write an interval as it is typed: ``1d`` for 24 hours, else ``6h``."""
    return f"{hours // 24}d" if hours % 24 == 0 else f"{hours}h"


def format_schedule(schedule: BackupSchedule) -> str:
    """Write a schedule as it is typed and stored: ``every 6h, keep 28`` or ``off``."""
    if not schedule.on:
        return "off"
    return f"every {format_every(schedule.every_hours)}, keep {schedule.keep}"


def stamp(when: datetime) -> str:
    """The UTC stamp a backup's file name carries."""
    return when.astimezone(UTC).strftime(STAMP_FORMAT)


def scheduled_name(when: datetime, ext: str) -> str:
    """The file name of the scheduled backup made at ``when``."""
    return f"{SCHEDULED_PREFIX}{stamp(when)}.{ext}"


def manual_name(when: datetime, ext: str) -> str:
    """The file name of a backup made by hand at ``when`` (into the backups folder)."""
    return f"{MANUAL_PREFIX}{stamp(when)}.{ext}"


def scheduled_at(name: str) -> datetime | None:
    """When the scheduled backup named ``name`` was made, or None when it is not one."""
    found = _SCHEDULED.match(name)
    if not found:
        return None
    return datetime.strptime(found.group(1), STAMP_FORMAT).replace(tzinfo=UTC)


def last_scheduled(names: Iterable[str]) -> datetime | None:
    """The time of the newest scheduled backup among ``names`` (None: none made yet)."""
    times = [t for t in (scheduled_at(n) for n in names) if t is not None]
    return max(times) if times else None


def next_due(schedule: BackupSchedule, last: datetime | None, now: datetime) -> datetime | None:
    """When the next scheduled backup is due (``now`` when none was made yet; None when off)."""
    if not schedule.on:
        return None
    if last is None:
        return now
    return last + schedule.every


def is_due(schedule: BackupSchedule, last: datetime | None, now: datetime) -> bool:
    """Tell whether a scheduled backup is due at ``now``."""
    due = next_due(schedule, last, now)
    return due is not None and due <= now


def rotated_out(names: Iterable[str], keep: int) -> list[str]:
    """The scheduled backups beyond the newest ``keep``, oldest first; nothing else, ever."""
    dated = sorted((t, n) for n in names if (t := scheduled_at(n)) is not None)
    return [n for _t, n in dated[: max(0, len(dated) - keep)]]
