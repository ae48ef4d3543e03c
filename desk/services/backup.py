"""Backups of the whole desk: made by hand or on a schedule (rotated), checked, restored.

A backup is one file (an SQLite copy made with SQLite's online backup, or a ``pg_dump`` custom
archive) and its manifest beside it, ``<file>.manifest.json``: Desk's version, the schema
revision, when it was made, what it holds (counts, audit head) and the file's SHA-256. Making
one is a setting-level action (administrators and information managers); each is audited
("backup.made", with path and size). See docs/backup.md.
"""

from __future__ import annotations

import contextlib
import json
import logging
import os
import secrets
from collections.abc import Callable
from dataclasses import dataclass, field
from datetime import datetime, timedelta
from importlib import metadata
from pathlib import Path
from typing import Any

from sqlalchemy.orm import Session

from desk.core.backup_schedule import (
    DEFAULT_SCHEDULE,
    MANIFEST_SUFFIX,
    PG_EXT,
    SQLITE_EXT,
    BackupSchedule,
    format_schedule,
    is_due,
    last_scheduled,
    manual_name,
    next_due,
    parse_schedule,
    rotated_out,
    scheduled_name,
)
from desk.core.errors import DeskError, InvalidInput
from desk.core.roles import Action
from desk.paths import open_private, private_folder
from desk.services.context import DeskContext
from desk.services.settings import SettingsService
from desk.services.signin import SignInService
from desk.store import backup as store

log = logging.getLogger(__name__)

MANIFEST_KIND = "desk-backup"
MANIFEST_VERSION = 1
SCHEDULE_SETTING = "backup_schedule"
SYSTEM = "system"  # who makes a scheduled backup: the desk itself, whoever's window is open
_LOCK_NAME = ".scheduled-backup.lock"
_STALE_LOCK = timedelta(hours=2)
_AUDIT_PATIENCE = timedelta(hours=1)  # the longest bulk import the backup's entry waits for

Cancelled = Callable[[], bool]


class BackupCancelled(DeskError):
    """The person stopped the backup; no file was left behind."""

    code = "backup.cancelled"


@dataclass(frozen=True)
class BackupMade:
    """One backup written: where, how big, its checksum and what it holds."""

    path: Path
    manifest: Path
    size: int
    sha256: str
    made_at: datetime
    revision: str | None
    counts: dict[str, int]
    scheduled: bool
    rotated: tuple[str, ...] = ()


@dataclass(frozen=True)
class ScheduleStatus:
    """The backup schedule, the last scheduled backup and when the next is due."""

    schedule: BackupSchedule
    folder: Path
    last: datetime | None
    next_due: datetime | None
    due: bool
    kept: int = 0  # scheduled backups in the folder now
    names: tuple[str, ...] = field(default=(), repr=False)


def desk_version() -> str:
    """The installed Desk's version, as manifests record it."""
    try:
        return metadata.version("desk")
    except metadata.PackageNotFoundError:
        return "unknown"


def manifest_path(backup: Path) -> Path:
    """Where the manifest of the backup file ``backup`` is."""
    return backup.with_name(backup.name + MANIFEST_SUFFIX)


def _progress(
    progress: Callable[[int, int], None] | None, cancelled: Cancelled | None
) -> Callable[[int, int], None]:
    def step(done: int, total: int) -> None:
        if cancelled is not None and cancelled():
            raise BackupCancelled("Backup cancelled: no backup file was left behind.")
        if progress is not None:
            progress(done, total)

    return step


class BackupService:
    """Makes backups (by hand or when the schedule says one is due) and rotates scheduled ones."""

    def __init__(self, ctx: DeskContext, signin: SignInService) -> None:
        self.ctx = ctx
        self.signin = signin

    # the schedule -------------------------------------------------------------------------

    def schedule(self) -> BackupSchedule:
        """The backup schedule now (every 6 hours, keep 28, until someone changes it)."""
        return parse_schedule(
            str(self.ctx.setting(SCHEDULE_SETTING, format_schedule(DEFAULT_SCHEDULE)))
        )

    def set_schedule(self, token: str, text: str) -> BackupSchedule:
        """Change the schedule (``every 6h, keep 28`` or ``off``): an audited setting change."""
        saved = SettingsService(self.ctx, self.signin).set(token, SCHEDULE_SETTING, text)
        return parse_schedule(str(saved))

    def status(self) -> ScheduleStatus:
        """The schedule, the newest scheduled backup in the backups folder, the next due."""
        folder = self.ctx.profile.backup_dir
        names = tuple(sorted(p.name for p in folder.iterdir())) if folder.is_dir() else ()
        schedule = self.schedule()
        last = last_scheduled(names)
        now = self.ctx.clock.now()
        return ScheduleStatus(
            schedule,
            folder,
            last,
            next_due(schedule, last, now),
            is_due(schedule, last, now),
            kept=len(rotated_out(names, 0)),
            names=names,
        )

    # making backups ------------------------------------------------------------------------

    def make(
        self,
        token: str,
        out: Path | None = None,
        progress: Callable[[int, int], None] | None = None,
        cancelled: Cancelled | None = None,
    ) -> BackupMade:
        """Back up the whole desk to ``out`` (a new file, or a folder: a dated name in it).

        Without ``out`` the backup goes into the profile's backups folder. It is never
        rotated out (only scheduled ones are); retention ages it out with the rest.

        Raises:
            PermissionDenied: the person's role may not make backups.
            InvalidInput: ``out`` exists, or its folder does not.
            BackupCancelled: ``cancelled()`` said stop; nothing is left behind.
        """
        actor = self.signin.authorize(token, Action.MAKE_BACKUPS)
        now = self.ctx.clock.now()
        if out is None:
            private_folder(self.ctx.profile.backup_dir)
            target = self.ctx.profile.backup_dir / manual_name(now, self._ext())
        else:
            target = out.expanduser().resolve()
            if target.is_dir():
                target = target / manual_name(now, self._ext())
        if target.exists() or manifest_path(target).exists():
            raise InvalidInput(f"{target} already exists: give a new file name for the backup.")
        if not target.parent.is_dir():
            raise InvalidInput(f"The folder {target.parent} does not exist: create it first.")
        return self._make(actor.username, target, False, progress, cancelled)

    def run_due(
        self,
        token: str | None = None,
        progress: Callable[[int, int], None] | None = None,
        cancelled: Cancelled | None = None,
        window_of: str = "",
    ) -> BackupMade | None:
        """Make the scheduled backup if one is due; rotate out those beyond the newest K.

        The desk makes it (audited as ``system``), whoever's window is open: ``token``, when
        given, only has to be a live session (a window runs this); ``desk-admin backup --due``
        runs it with none, from a timer; a locked window gives ``window_of`` (whose window it is)
        instead. Returns None when none is due, the schedule is off, or another process is
        making one now.
        """
        by = window_of
        if token is not None:
            by = self.signin.authorize(token, None).username
        status = self.status()
        if not status.due:
            return None
        folder = self.ctx.profile.backup_dir
        private_folder(folder)
        with self._scheduled_lock(folder) as mine:
            if not mine:
                return None
            if not self.status().due:  # another process made it while this one waited
                return None
            now = self.ctx.clock.now()
            target = folder / scheduled_name(now, self._ext())
            details = {"window_of": by} if by else {}
            return self._make(SYSTEM, target, True, progress, cancelled, **details)

    @contextlib.contextmanager
    def _scheduled_lock(self, folder: Path) -> Any:
        """Hold the backups folder's lock file: one scheduled backup at a time, any process."""
        lock = folder / _LOCK_NAME
        try:
            with open_private(lock, "x") as fh:
                fh.write(str(os.getpid()))
        except FileExistsError:
            age = self.ctx.clock.now().timestamp() - lock.stat().st_mtime
            if age < _STALE_LOCK.total_seconds() and age > -_STALE_LOCK.total_seconds():
                yield False
                return
            log.warning("a scheduled backup's lock file was left behind: taken over")
        try:
            yield True
        finally:
            with contextlib.suppress(FileNotFoundError):
                lock.unlink()

    def _ext(self) -> str:
        return SQLITE_EXT if self.ctx.db.is_sqlite else PG_EXT

    def _make(
        self,
        actor: str,
        target: Path,
        scheduled: bool,
        progress: Callable[[int, int], None] | None,
        cancelled: Cancelled | None,
        **details: Any,
    ) -> BackupMade:
        """Write the backup to a temporary name beside ``target``, its manifest, then rename."""
        db = self.ctx.db
        made_at = self.ctx.clock.now()
        partial = target.with_name(f".{target.name}.{secrets.token_hex(4)}.partial")
        step = _progress(progress, cancelled)
        try:
            if db.is_sqlite:
                if db.path is None:
                    raise InvalidInput(
                        "This desk's database is not a file: it cannot be backed up."
                    )
                store.sqlite_backup(db.path, partial, step)
                snapshot = store.sqlite_snapshot(partial)
            else:
                step(0, 1)
                with store.pg_snapshot(db) as (snapshot_id, snapshot):
                    store.pg_dump(db, partial, snapshot_id)
                step(1, 1)
            size = partial.stat().st_size
            digest = store.sha256_of(partial)
            manifest = {
                "kind": MANIFEST_KIND,
                "version": MANIFEST_VERSION,
                "file": target.name,
                "database": "sqlite" if db.is_sqlite else "postgresql",
                "desk_version": desk_version(),
                "schema_revision": snapshot.revision,
                "created_at": made_at.isoformat(timespec="seconds"),
                "scheduled": scheduled,
                "counts": snapshot.counts,
                "audit_head": (
                    {"seq": snapshot.audit_head[0], "hash": snapshot.audit_head[1]}
                    if snapshot.audit_head
                    else None
                ),
                "size": size,
                "sha256": digest,
            }
            with open_private(manifest_path(target), "x", encoding="utf-8") as fh:
                json.dump(manifest, fh, indent=2)
                fh.write("\n")
            try:
                os.link(partial, target)  # never over a file that appeared meanwhile
            except BaseException:
                manifest_path(target).unlink()
                raise
        except FileExistsError:
            raise InvalidInput(f"{target} already exists: give a new file name.") from None
        finally:
            with contextlib.suppress(FileNotFoundError):
                partial.unlink()
        folder = target.parent
        rotated = (
            rotated_out((p.name for p in folder.iterdir()), self.schedule().keep)
            if scheduled
            else []
        )

        def record(s: Session) -> None:
            self.ctx.audit.record(
                s,
                actor,
                "backup.made",
                f"backup:{target.name}",
                path=str(target),
                size=size,
                sha256=digest,
                scheduled=scheduled,
                rotated=rotated,
                **details,
            )

        try:
            store.write_when_free(db, record, _AUDIT_PATIENCE.total_seconds())
        except BaseException:  # no backup without its entry
            for path in (target, manifest_path(target)):
                path.unlink(missing_ok=True)
            raise
        for name in rotated:  # once the entry naming them is written
            for path in (folder / name, manifest_path(folder / name)):
                path.unlink(missing_ok=True)
        log.info("backup made (%d bytes, scheduled=%s)", size, scheduled)
        return BackupMade(
            target,
            manifest_path(target),
            size,
            digest,
            made_at,
            snapshot.revision,
            dict(snapshot.counts),
            scheduled,
            tuple(rotated),
        )
