"""``backup OUT``, ``backup --due``, ``backup schedule`` and ``restore IN``.

``restore`` runs before the profile is opened (``run_alone``): the desk it replaces may be the
damaged one. The person signs in to the checked backup itself, with the role that may restore.
"""

from __future__ import annotations

import argparse
import logging
import os
from pathlib import Path

from desk.cli import auth
from desk.cli.console import Console
from desk.cli.context import (
    ENV_CODE,
    ENV_SESSION,
    ENV_USER,
    EXIT_OK,
    Invocation,
    Subparsers,
    command,
    desk_type,
    json_flag,
)
from desk.cli.output import write_json
from desk.core.backup_schedule import format_schedule, parse_every, parse_keep
from desk.core.errors import DeskError, InvalidInput
from desk.core.roles import Action
from desk.log import setup_logging
from desk.paths import Profile, resolve_profile
from desk.services.backup import BackupMade
from desk.services.desk import Desk
from desk.services.restore import (
    SqliteRestore,
    check_backup,
    record_pg_restore,
    restore_pg,
    saved_choice,
)
from desk.services.rules import load_profile_rules
from desk.services.shared_desk import open_server, server_choice

SCHEDULE = "schedule"
log = logging.getLogger(__name__)


def add_parsers(sub: Subparsers) -> None:
    """Add ``backup`` and ``restore``."""
    backup = command(
        sub,
        "backup",
        "copy the whole desk to a file while it is in use (or: backup schedule)",
        "Copy the whole desk to OUT, a new file (or a folder: a dated name in it), while Desk "
        "is in use: SQLite's online backup, or pg_dump for a PostgreSQL desk. A manifest "
        "(OUT.manifest.json) beside it says what it holds and its SHA-256. Administrators and "
        "information managers may; each backup is audited.\n\n"
        "'backup --due' makes the scheduled backup into the profile's backups folder if one is "
        "due, and rotates out the scheduled ones beyond the newest K (never one made by hand): "
        "for a cron job or systemd timer, it needs no sign-in.\n\n"
        "'backup schedule' shows the schedule; with --every and --keep (or --off) it changes "
        "it (an administrator, audited as a setting change).\n\n"
        "  desk-admin backup /media/usb/desk-2026-12-06.sqlite3\n"
        "  desk-admin backup schedule --every 6h --keep 28\n"
        "  desk-admin backup --due",
    )
    backup.add_argument("out", nargs="?", metavar="OUT", help="the new backup file (or folder)")
    backup.add_argument(
        "--due", action="store_true", help="make the scheduled backup if one is due (no sign-in)"
    )
    backup.add_argument(
        "--every", type=desk_type(parse_every), metavar="HOURS", help="schedule: 6h, 12h, 1d"
    )
    backup.add_argument(
        "--keep", type=desk_type(parse_keep), metavar="K", help="schedule: scheduled ones kept"
    )
    backup.add_argument("--off", action="store_true", help="schedule: no scheduled backups")
    json_flag(backup)
    backup.set_defaults(handler=run_backup)

    restore = command(
        sub,
        "restore",
        "replace the whole desk with a backup, after checking it (window closed)",
        "Check the backup IN (not damaged, its manifest's SHA-256, a Desk database of this "
        "desk, at a schema this Desk knows, its audit chain) and, with --yes, replace the "
        "profile's database with it. Without --yes it checks the file alone (damage, manifest, "
        "schema) and says what it found; with --yes its keys and audit chain are checked too, "
        "before anything is replaced. "
        "You sign in to the backup itself (an administrator in it). A safety copy of the "
        "current database goes to the profile's backups folder first; every Desk window and "
        "command on the profile must be closed. The restored desk's audit log records the "
        "restore, and this workstation's keyring anchor is moved to its head.\n\n"
        "A PostgreSQL dump is restored only into an empty database (the profile's "
        "--database-url), then its counts and audit chain are checked.",
    )
    restore.add_argument("backup_file", metavar="IN", help="the backup file")
    restore.add_argument(
        "--yes", action="store_true", help="replace the desk (without it: check only)"
    )
    json_flag(restore)
    restore.set_defaults(handler=None, run_alone=run_restore, creates_profile=False)


def _say_made(inv: Invocation, made: BackupMade) -> None:
    if inv.args.json:
        write_json(
            inv.console.stdout,
            {
                "path": str(made.path),
                "manifest": str(made.manifest),
                "size": made.size,
                "sha256": made.sha256,
                "schema_revision": made.revision,
                "counts": made.counts,
                "scheduled": made.scheduled,
                "rotated": list(made.rotated),
            },
        )
        return
    counts = ", ".join(f"{v:,} {k}" for k, v in made.counts.items())
    inv.console.out(f"Backup written to {made.path} ({made.size:,} bytes; {counts}).")
    inv.console.out(f"SHA-256 {made.sha256}; manifest {made.manifest.name}.")
    if made.rotated:
        inv.console.out(f"Rotated out {len(made.rotated)} older scheduled backup(s).")


def run_backup(inv: Invocation) -> int:
    """Make a backup, the due scheduled one, or show or change the schedule."""
    args = inv.args
    if args.out == SCHEDULE:
        return _schedule(inv)
    if args.every is not None or args.keep is not None or args.off:
        raise InvalidInput("--every, --keep and --off go with 'backup schedule'.")
    service = inv.desk.backup
    if args.due:
        if args.out:
            raise InvalidInput("'backup --due' writes into the backups folder: give no OUT.")
        made = service.run_due()
        if made is None:
            status = service.status()
            when = status.next_due.strftime("%Y-%m-%d %H:%M UTC") if status.next_due else ""
            said = f"next due {when}" if status.schedule.on else "scheduled backups are off"
            if args.json:
                write_json(inv.console.stdout, {"made": None, "next_due": when or None})
            else:
                inv.console.out(f"No backup due ({said}).")
            return EXIT_OK
        _say_made(inv, made)
        return EXIT_OK
    if not args.out:
        raise InvalidInput("Say where to write the backup: desk-admin backup OUT.")
    with auth.acting(inv, Action.MAKE_BACKUPS) as acting:
        made = service.make(acting.token, Path(args.out))
    _say_made(inv, made)
    return EXIT_OK


def _schedule(inv: Invocation) -> int:
    args, service = inv.args, inv.desk.backup
    if args.off and (args.every is not None or args.keep is not None):
        raise InvalidInput("Give --off alone, or --every and --keep.")
    if args.off or args.every is not None or args.keep is not None:
        now = service.schedule()
        every = args.every if args.every is not None else (now.every_hours or 6)
        keep = args.keep if args.keep is not None else now.keep
        text = "off" if args.off else f"every {every}h, keep {keep}"
        with auth.acting(inv, Action.CHANGE_SETTINGS) as acting:
            service.set_schedule(acting.token, text)
    status = service.status()
    when = status.next_due.strftime("%Y-%m-%d %H:%M UTC") if status.next_due else None
    last = status.last.strftime("%Y-%m-%d %H:%M UTC") if status.last else None
    if args.json:
        write_json(
            inv.console.stdout,
            {
                "schedule": format_schedule(status.schedule),
                "folder": str(status.folder),
                "last": last,
                "next_due": when,
                "kept": status.kept,
            },
        )
        return EXIT_OK
    inv.console.out(f"Scheduled backups: {format_schedule(status.schedule)}.")
    inv.console.out(f"Folder: {status.folder} ({status.kept} scheduled backup(s) there).")
    inv.console.out(f"Last: {last or 'none yet'}; next due: {when or 'never (off)'}.")
    return EXIT_OK


def _env(name: str) -> str | None:
    value = os.environ.get(name, "").strip()
    return value or None


def run_restore(args: argparse.Namespace, console: Console) -> int:
    """Check a backup and (with --yes) restore it, signing in to the backup itself."""
    profile = resolve_profile(args.data_dir)
    if not profile.data_dir.is_dir():
        raise InvalidInput(
            f"There is no Desk profile in {profile.data_dir}: give the right --data-dir."
        )
    profile.create()
    root = logging.getLogger()
    before = set(root.handlers)
    setup_logging(profile.log_dir)  # the profile's log, as every other command writes
    try:
        log.info("desk-admin restore (check%s)", " and replace" if args.yes else " only")
        return _restore(args, console, profile)
    except DeskError as exc:
        log.info("desk-admin restore refused: %s", exc.code)
        raise
    finally:
        for handler in [h for h in root.handlers if h not in before]:
            root.removeHandler(handler)
            handler.close()


def _restore(args: argparse.Namespace, console: Console, profile: Profile) -> int:
    path = Path(args.backup_file)
    clock = getattr(args, "clock", None)
    choice = server_choice(profile, getattr(args, "database_url", None))
    check = check_backup(path)
    if not args.yes:
        if args.json:
            write_json(
                console.stdout,
                {
                    "file": str(check.path),
                    "kind": check.kind,
                    "schema_revision": check.revision,
                    "made_at": check.made_at,
                    "counts": check.counts,
                    "sha256": check.sha256,
                    "notes": list(check.notes),
                },
            )
        else:
            counts = ", ".join(f"{v:,} {k}" for k, v in check.counts.items())
            console.out(
                f"{check.path} is a sound Desk backup made {check.made_at} "
                f"(schema {check.revision}; {counts})."
            )
            for note in check.notes:
                console.out(f"Note: {note}.")
            console.out("Nothing was changed: add --yes to replace the desk with it.")
        return EXIT_OK
    if choice is not None:
        return _restore_pg(args, console, profile, check.path, clock, choice)
    prepared = SqliteRestore(profile, check.path, clock)
    try:
        assert prepared.ctx is not None
        desk = Desk(prepared.ctx, load_profile_rules(profile))
        who = _acting_name(args, console, desk)
        safety = prepared.commit(who)
    finally:
        prepared.discard()
    console.out(f"Restored the desk from {check.path} (made {check.made_at}).")
    if prepared.upgraded_from is not None:
        console.out(
            f"It was brought from schema {prepared.upgraded_from} to {prepared.upgraded_to}; "
            f"the backup as it was is kept in {prepared.pre_upgrade}."
        )
    console.out(f"The desk as it was is kept in {safety}.")
    return EXIT_OK


def _acting_name(args: argparse.Namespace, console: Console, desk: Desk) -> str:
    """Sign in to ``desk`` as someone who may restore; signed out again before returning."""
    inv = Invocation(
        args=args,
        desk=desk,
        console=console,
        user=args.user if args.user is not None else _env(ENV_USER),
        code=args.code if args.code is not None else _env(ENV_CODE),
        session=_env(ENV_SESSION),
    )
    with auth.acting(inv, Action.RESTORE_BACKUPS) as acting:
        return acting.actor.username


def _restore_pg(args, console, profile, path, clock, choice) -> int:  # type: ignore[no-untyped-def]
    target = open_server(profile, choice)
    ctx = restore_pg(profile, path, target, clock)
    try:
        desk = Desk(ctx, load_profile_rules(profile))
        record_pg_restore(ctx, _acting_name(args, console, desk))
    finally:
        ctx.close()
    console.out(f"Restored the desk from {path} into {choice.shown}; counts and chain verified.")
    if not saved_choice(choice):
        console.out(
            f"This profile is not saved as using it: run 'desk-admin database set-url "
            f"{choice.shown}' here and on every workstation of this desk."
        )
    return EXIT_OK
