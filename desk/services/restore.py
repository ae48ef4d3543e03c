"""Restoring a backup: check the file first, keep a safety copy, then replace the desk.

Nothing about the current desk changes until the backup has passed every check: it is an
SQLite file or a PostgreSQL dump, undamaged (``PRAGMA integrity_check`` on a private copy, or
``pg_restore --list``), matching its manifest's SHA-256, a Desk database at a schema revision
this Desk knows (not newer), made with this profile's keys, and its audit chain verifies.

SQLite: the checked copy is opened (and brought to the current schema) beside the profile's
file; the person signs in *to it* (the current desk may be the damaged one), the entry
"backup.restore" is written in it, a safety copy of the current file goes to the backups
folder, and one rename puts the restored file in place. A restore refuses while any Desk (a
window, a desk-admin command) has the current file open. PostgreSQL: ``pg_restore`` into an
empty database only, then counts and the audit chain are compared with the manifest.

Afterwards the keyring's audit anchor names the restored head: the restore entry records the
anchor it replaced, as ``audit reanchor`` does.
"""

from __future__ import annotations

import contextlib
import json
import logging
import os
import secrets
import shutil
import tempfile
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from sqlalchemy import update
from sqlalchemy.orm import Session

from desk.core.backup_schedule import STAMP_FORMAT
from desk.core.clock import Clock, SystemClock
from desk.core.errors import DatabaseDamaged, DatabaseProblem, KeyringUnavailable
from desk.paths import Profile, private_database, private_file, private_folder
from desk.services.audit import verify_from_checkpoints
from desk.services.audit_head import read_keyring_anchor, replace_head
from desk.services.backup import MANIFEST_KIND, manifest_path
from desk.services.context import DeskContext, open_desk
from desk.store import backup as store
from desk.store import identity, migrate
from desk.store.database_url import FROM_PROFILE, ServerChoice
from desk.store.db import Database
from desk.store.revisions import head_revision, known_revisions
from desk.store.tables import SignInSession

log = logging.getLogger(__name__)

SQLITE = "sqlite"
POSTGRESQL = "postgresql"
_PG_MAGIC = b"PGDMP"
NOT_CHANGED = "The current desk has not been changed."
RESTORED = "restored"  # why the sessions open in the backup were ended


@dataclass(frozen=True)
class BackupCheck:
    """What the checks found in a backup file: its kind, revision, manifest and contents."""

    path: Path
    kind: str
    revision: str | None
    sha256: str
    made_at: str  # the manifest's time, else the file's
    manifest: dict[str, Any] | None
    counts: dict[str, int] = field(default_factory=dict)
    notes: tuple[str, ...] = ()


def _refuse(path: Path, why: str) -> DatabaseProblem:
    return DatabaseProblem(f"The backup {path} cannot be restored: {why}. {NOT_CHANGED}")


def _manifest(path: Path, digest: str) -> tuple[dict[str, Any] | None, list[str]]:
    where = manifest_path(path)
    if not where.exists():
        return None, [f"no manifest beside it ({where.name}): its checksum cannot be compared"]
    try:
        doc = json.loads(where.read_text(encoding="utf-8"))
    except (OSError, ValueError) as exc:
        raise _refuse(path, f"its manifest {where.name} cannot be read ({exc})") from None
    if not isinstance(doc, dict) or doc.get("kind") != MANIFEST_KIND:
        raise _refuse(path, f"{where.name} is not a Desk backup manifest")
    if doc.get("sha256") != digest:
        raise DatabaseDamaged(
            f"The backup {path} does not match its manifest's SHA-256: it was changed or "
            f"damaged after it was made. {NOT_CHANGED}"
        )
    revision = doc.get("schema_revision")
    if revision is not None and revision not in known_revisions():
        raise _refuse(path, _newer(str(revision)))
    return doc, []


def _newer(revision: str) -> str:
    return (
        f"it was made by a newer version of Desk (schema {revision}; this version knows up to "
        f"{head_revision()}): restore it with that version"
    )


def _what_identify_found(message: str, copy: Path) -> str:
    """The first sentence of identity's refusal, about "it" (the backup), not the copy."""
    for subject in (f"The database file {copy}", f"The database {copy}", f"The file {copy}"):
        message = message.replace(subject, "it")
    first = message.split(". ")[0].rstrip(".")
    return first


def check_backup(path: Path) -> BackupCheck:
    """Check a backup file without changing anything; refuse a damaged, foreign or newer one.

    Raises:
        DatabaseDamaged: the file is damaged or does not match its manifest.
        DatabaseProblem: it is not a Desk backup, or was made by a newer Desk.
    """
    path = path.expanduser().resolve()
    if not path.is_file():
        raise _refuse(path, "there is no such file")
    try:
        with path.open("rb") as fh:
            header = fh.read(identity.HEADER_SIZE)
    except OSError as exc:
        raise _refuse(path, f"it cannot be read ({exc.strerror or exc})") from None
    digest = store.sha256_of(path)
    manifest, notes = _manifest(path, digest)
    made_at = str(manifest["created_at"]) if manifest else _file_time(path)
    if header.startswith(identity.SQLITE_MAGIC):
        return _check_sqlite(path, digest, manifest, made_at, notes)
    if header.startswith(_PG_MAGIC):
        return _check_dump(path, digest, manifest, made_at, notes)
    raise _refuse(path, "it is neither a Desk SQLite backup nor a PostgreSQL dump")


def _file_time(path: Path) -> str:
    from datetime import UTC, datetime

    return datetime.fromtimestamp(path.stat().st_mtime, UTC).isoformat(timespec="seconds")


def _check_sqlite(
    path: Path, digest: str, manifest: dict[str, Any] | None, made_at: str, notes: list[str]
) -> BackupCheck:
    with tempfile.TemporaryDirectory(prefix="desk-restore-check-") as folder:
        copy = Path(folder) / "backup.sqlite3"
        private_file(copy)
        shutil.copyfile(path, copy)
        found = store.sqlite_integrity(copy)
        if found != ["ok"]:
            said = "; ".join(" ".join(f.split()) for f in found[:3])
            raise DatabaseDamaged(
                f"The backup {path} is damaged (integrity check: {said}). {NOT_CHANGED}"
            )
        try:
            revision = identity.identify(copy, absent_before=False)
        except DatabaseProblem as exc:
            if "newer version of Desk" in exc.message:
                raise _refuse(path, _newer(str(store.sqlite_snapshot(copy).revision))) from None
            raise _refuse(path, _what_identify_found(exc.message, copy)) from None
        if revision is None:
            raise _refuse(path, "it is an empty database, not a Desk backup")
        counts = store.sqlite_snapshot(copy).counts
    return BackupCheck(path, SQLITE, revision, digest, made_at, manifest, counts, tuple(notes))


def _check_dump(
    path: Path, digest: str, manifest: dict[str, Any] | None, made_at: str, notes: list[str]
) -> BackupCheck:
    listing = store.pg_list(path)
    if not any("TABLE DATA" in line and " audit_log " in line for line in listing):
        raise _refuse(path, "the dump holds no Desk audit log: it is not a Desk database")
    if manifest is None or not manifest.get("schema_revision"):
        raise _refuse(
            path, "a PostgreSQL dump needs its manifest beside it, to know its schema revision"
        )
    counts = {k: int(v) for k, v in dict(manifest.get("counts") or {}).items()}
    revision = str(manifest["schema_revision"])
    return BackupCheck(path, POSTGRESQL, revision, digest, made_at, manifest, counts, tuple(notes))


def _end_sessions(s: Session, clock: Clock, actor: str) -> int:
    """End every session the backup still held open: their windows belong to the old desk."""
    done = s.execute(
        update(SignInSession)
        .where(SignInSession.ended_at.is_(None))
        .values(ended_at=clock.now(), end_reason=RESTORED, ended_by=actor)
    )
    return int(getattr(done, "rowcount", 0) or 0)


def _stamp(clock: Clock) -> str:
    return clock.now().strftime(STAMP_FORMAT)


def in_use_refusal(where: Path) -> DatabaseProblem:
    """The refusal while another Desk has the profile's database open."""
    return DatabaseProblem(
        f"A Desk window or desk-admin command has the database {where} open: close every Desk "
        f"on this profile and run the restore again. {NOT_CHANGED}"
    )


class SqliteRestore:
    """A checked SQLite backup, copied beside the profile's file and opened, ready to go in.

    Use: ``prepared = SqliteRestore(profile, path, clock)``; sign in to ``prepared.db``;
    ``prepared.commit(username)``; always ``prepared.discard()`` in a ``finally``.
    """

    def __init__(self, profile: Profile, path: Path, clock: Clock | None = None) -> None:
        self.profile = profile
        self.clock = clock or SystemClock()
        self.check = check_backup(path)
        if self.check.kind != SQLITE:
            raise _refuse(self.check.path, "it is a PostgreSQL dump; this profile uses SQLite")
        if store.sqlite_in_use(profile.db_path):
            raise in_use_refusal(profile.db_path)
        self.work = profile.data_dir / f".desk-restore-{secrets.token_hex(4)}.sqlite3"
        private_file(self.work)
        shutil.copyfile(self.check.path, self.work)
        head = head_revision()
        self.upgraded_from = self.check.revision if self.check.revision != head else None
        self.upgraded_to = head if self.upgraded_from is not None else None
        # the backup's bytes as they were before the upgrade; kept (plainly named) only once
        # the restore is done: see ``commit``
        self._as_it_was: Path | None = None
        self.pre_upgrade: Path | None = None
        self.db: Database | None = Database.sqlite(self.work)
        self.ctx: DeskContext | None = None
        try:
            if self.upgraded_from is not None:
                self._as_it_was = self.work.with_name(self.work.stem + "-as-it-was.sqlite3")
                private_file(self._as_it_was)
                shutil.copyfile(self.work, self._as_it_was)
                # brought to this schema here, without migrate's own copy (which would be
                # named after the hidden working file and left behind by a refusal)
                migrate.upgrade(self.db)
            self.ctx = open_desk(profile, self.clock, self.db)
        except KeyringUnavailable:
            self.discard()
            raise _refuse(
                self.check.path,
                "it was made by another desk (its keys are not the ones in this profile's keyring)",
            ) from None
        except BaseException:
            self.discard()
            raise
        with self.ctx.db.read() as s:
            report = verify_from_checkpoints(s, self.ctx)
        if not report.intact:
            self.discard()
            raise _refuse(self.check.path, f"its audit chain does not verify ({report.problem})")

    def commit(self, actor: str) -> Path:
        """Record the restore in it, keep a safety copy of the current desk, swap; return it.

        Raises:
            DatabaseProblem: another Desk opened the current file meanwhile.
        """
        assert self.ctx is not None and self.db is not None
        current = self.profile.db_path
        if store.sqlite_in_use(current):
            raise in_use_refusal(current)
        safety = self._safety_copy(current)
        old_anchor, _ = read_keyring_anchor(self.ctx)
        upgraded: dict[str, str] = {}
        if self.upgraded_from is not None:
            self.pre_upgrade = self._keep_as_it_was()
            upgraded = {"upgraded_to": head_revision(), "pre_upgrade_copy": str(self.pre_upgrade)}
        try:
            with self.ctx.db.write() as s:
                ended = _end_sessions(s, self.clock, actor)
                self.ctx.audit.record(
                    s,
                    actor,
                    "backup.restore",
                    "desk",
                    file=str(self.check.path),
                    made_at=self.check.made_at,
                    sha256=self.check.sha256,
                    revision_in_file=self.check.revision,
                    safety_copy=str(safety) if safety else "",
                    sessions_ended=ended,
                    replaced_seq=old_anchor.seq if old_anchor else None,
                    replaced_hash=old_anchor.hash if old_anchor else None,
                    **upgraded,
                )
        except BaseException:
            if self.pre_upgrade is not None:  # the restore did not happen: nothing to keep
                self.pre_upgrade.unlink(missing_ok=True)
                self.pre_upgrade = None
            raise
        self.ctx.close()
        self.ctx, self.db = None, None
        store.replace_database(self.work, current)
        private_database(current)
        ctx = open_desk(self.profile, self.clock, Database.sqlite(current))
        try:
            replace_head(ctx)
        finally:
            ctx.close()
        log.info("desk restored from a backup; safety copy kept")
        return safety or current

    def _safety_copy(self, current: Path) -> Path | None:
        if not current.exists():
            return None
        folder = self.profile.backup_dir
        private_folder(folder)
        target = folder / f"desk-before-restore-{_stamp(self.clock)}.sqlite3"
        try:
            store.sqlite_backup(current, target)
        except Exception:  # a damaged desk: keep its bytes as they are, as evidence
            log.warning("online copy of the current desk failed: copying its bytes instead")
            with contextlib.suppress(FileNotFoundError):
                target.unlink()
            store.copy_with_journal(current, target)
        return target

    def _keep_as_it_was(self) -> Path:
        """Move the backup's pre-upgrade bytes into the backups folder under a plain name."""
        assert self._as_it_was is not None
        folder = self.profile.backup_dir
        private_folder(folder)
        target = folder / (
            f"restored-backup-before-upgrade-from-{self.upgraded_from}-{_stamp(self.clock)}.sqlite3"
        )
        os.replace(self._as_it_was, target)
        self._as_it_was = None
        return target

    def discard(self) -> None:
        """Close and delete the working copy (nothing of it stays once committed or refused)."""
        if self.ctx is not None:
            self.ctx.close()
        elif self.db is not None:
            self.db.dispose()
        self.ctx, self.db = None, None
        for end in ("", "-wal", "-shm", "-journal"):
            with contextlib.suppress(FileNotFoundError):
                self.work.with_name(self.work.name + end).unlink()
        if self._as_it_was is not None:
            self._as_it_was.unlink(missing_ok=True)
            self._as_it_was = None


@dataclass(frozen=True)
class PgRestored:
    """What a PostgreSQL restore put on the server, compared with the manifest."""

    counts: dict[str, int]
    chain_checked: int


def restore_pg(
    profile: Profile, path: Path, target: Database, clock: Clock | None = None
) -> DeskContext:
    """Restore a checked dump into the EMPTY database ``target``; verify; return it opened.

    The caller signs in to the returned desk and records the restore (``record_pg_restore``).

    Raises:
        DatabaseProblem: not a dump, the target is not empty, or counts or chain differ after.
    """
    check = check_backup(path)
    if check.kind != POSTGRESQL:
        raise _refuse(check.path, "it is an SQLite backup; this profile uses PostgreSQL")
    if not store.pg_is_empty(target):
        raise DatabaseProblem(
            f"The database {target.where} is not empty: Desk restores a dump only into an "
            f"empty database (create a new one, or drop this one's tables first). {NOT_CHANGED}"
        )
    store.pg_restore(target, check.path)
    found = store.pg_counts(target)
    if found.counts != check.counts:
        raise DatabaseProblem(
            f"The restored database {target.where} does not hold what the manifest counts "
            f"(restored {found.counts}, manifest {check.counts}): do not use it."
        )
    ctx = open_desk(profile, clock, target)
    with ctx.db.read() as s:
        report = verify_from_checkpoints(s, ctx)
    if not report.intact:
        ctx.close()
        raise DatabaseProblem(
            f"The restored database {target.where} has an audit chain that does not verify "
            f"({report.problem}): do not use it."
        )
    ctx.extras["restored_from"] = check
    return ctx


def saved_choice(choice: ServerChoice) -> bool:
    """Tell whether the server restored into is the profile's saved choice (not a flag's)."""
    return choice.source == FROM_PROFILE


def record_pg_restore(ctx: DeskContext, actor: str) -> None:
    """Write the restore entry in a restored PostgreSQL desk, then anchor the keyring to it."""
    check: BackupCheck = ctx.extras["restored_from"]
    old_anchor, _ = read_keyring_anchor(ctx)
    with ctx.db.write() as s:
        ended = _end_sessions(s, ctx.clock, actor)
        ctx.audit.record(
            s,
            actor,
            "backup.restore",
            "desk",
            file=str(check.path),
            made_at=check.made_at,
            sha256=check.sha256,
            revision_in_file=check.revision,
            sessions_ended=ended,
            replaced_seq=old_anchor.seq if old_anchor else None,
            replaced_hash=old_anchor.hash if old_anchor else None,
        )
    replace_head(ctx)
