"""``database show|set-url|set-password|use-sqlite`` and ``migrate-to URL``: a shared desk.

These run before any desk is opened (``run_alone``): they choose which database the profile
uses, keep the server's password in the OS keyring, or move the desk onto a server. None of
them ever takes a password as an argument: it is typed (not echoed) or read from standard
input with ``--password-stdin``.
"""

from __future__ import annotations

import argparse
import getpass
import logging
from collections.abc import Iterator
from contextlib import contextmanager

from desk.cli.console import Console
from desk.cli.context import EXIT_OK, Subparsers, command, group, json_flag
from desk.cli.output import write_json
from desk.core.errors import InvalidInput
from desk.log import setup_logging
from desk.paths import Profile, resolve_profile
from desk.services import shared_desk
from desk.services.migrate_to import migrate_to

log = logging.getLogger(__name__)

_URL_FORM = "postgresql+psycopg://USER@HOST:PORT/DATABASE (add ?sslmode=verify-full for TLS)"


def add_parsers(sub: Subparsers) -> None:
    """Add the ``database`` and ``migrate-to`` commands."""
    database = command(
        sub,
        "database",
        "which database this profile uses: its SQLite file or a PostgreSQL server",
        "Choose the database this workstation's profile uses. Without a choice it is the "
        "profile's own SQLite file. A shared desk is a PostgreSQL server the force runs: "
        f"save its URL ({_URL_FORM}) with 'set-url' and its password with 'set-password' "
        "(kept in the OS keyring, never in a file). --database-url or DESK_DATABASE_URL "
        "override the saved choice for one run.",
    )
    commands = group(database, "database_command", "DATABASE_COMMAND")
    show = command(commands, "show", "say which database this profile uses (no password)")
    json_flag(show)
    set_url = command(
        commands,
        "set-url",
        "save a PostgreSQL server as this profile's database",
        f"Save URL ({_URL_FORM}) in the profile's config folder (owner-only). A URL with a "
        "password in it is refused: store the password with 'set-password'.",
    )
    set_url.add_argument("url", metavar="URL")
    set_password = command(
        commands,
        "set-password",
        "store the server's password in the OS keyring (typed, or --password-stdin)",
        "Store the password of the chosen server's user in the OS keyring under this "
        "profile. It is asked on the terminal (twice), or read as one line of standard input "
        "with desk-admin's --password-stdin; it is never an argument.",
    )
    no_secret_arguments(set_password)
    command(commands, "use-sqlite", "point this profile back at its own SQLite file")
    database.set_defaults(run_alone=run_database)

    move = command(
        sub,
        "migrate-to",
        "move this profile's desk from its SQLite file to an empty PostgreSQL server",
        "Copy every table of the profile's SQLite desk (ids kept) onto an empty PostgreSQL "
        "database, then check the row counts and the audit chain on the server before "
        "saving the server as the profile's database. The SQLite file is only read and left "
        "as it was. A server that already holds a Desk or any tables is refused; a failed or "
        "interrupted move leaves the server empty again. Store the server's password first "
        "with 'desk-admin --database-url URL database set-password'.",
    )
    move.add_argument("url", metavar="URL")
    move.add_argument(
        "--batch", type=int, default=2000, metavar="N", help="rows per copied batch (2000)"
    )
    move.set_defaults(run_alone=run_migrate_to)


STRAY_ARGUMENTS = "stray_arguments"


def no_secret_arguments(parser: argparse.ArgumentParser) -> None:
    """Catch a password typed as an argument, so that the refusal never repeats it."""
    parser.add_argument(STRAY_ARGUMENTS, nargs="*", metavar="", help=argparse.SUPPRESS)


def refuse_secret_arguments(args: argparse.Namespace) -> None:
    """Refuse a password or passphrase given as an argument, without repeating it."""
    if getattr(args, STRAY_ARGUMENTS, None):
        raise InvalidInput(
            "Desk never takes a password or passphrase as an argument (it would show in the "
            "list of processes and in the shell's history), and has not used the one given: "
            "type it when asked, or give it as a line of standard input with --password-stdin."
        )


@contextmanager
def logged(profile: Profile) -> Iterator[None]:
    """Log to the profile's log file for one command, then detach."""
    root = logging.getLogger()
    before = set(root.handlers)
    setup_logging(profile.log_dir)
    try:
        yield
    finally:
        for handler in [h for h in root.handlers if h not in before]:
            root.removeHandler(handler)
            handler.close()


def secret_line(console: Console, prompt: str, what: str, *, twice: bool) -> str:
    """Read a secret: a line of standard input with --password-stdin, else typed unseen."""
    if console.password_stdin:
        line = console.stdin.readline()
        if not line:
            raise InvalidInput(f"Standard input ended before {what}.")
        return line.removesuffix("\n").removesuffix("\r")
    if not console.interactive:
        raise InvalidInput(
            f"Desk needs {what}, but standard input is not a terminal to ask on: give it on "
            "standard input with desk-admin's --password-stdin."
        )
    try:
        first = getpass.getpass(prompt)
        if twice and getpass.getpass("Type it again: ") != first:
            raise InvalidInput(f"The two times {what} was typed differ: nothing was changed.")
    except EOFError:
        raise InvalidInput(f"No {what} was typed.") from None
    return first


def _profile(args: argparse.Namespace) -> Profile:
    return resolve_profile(args.data_dir).create()


def run_database(args: argparse.Namespace, console: Console) -> int:
    """Run one ``database`` command, without opening the desk."""
    profile = _profile(args)
    flag = args.database_url
    with logged(profile):
        what = args.database_command
        if what == "show":
            info = shared_desk.describe(profile, flag)
            if args.json:
                write_json(console.stdout, info.__dict__)
                return EXIT_OK
            console.out(f"Database: {info.where}")
            console.out(f"Kind: {info.kind} (chosen by {info.source})")
            if info.password_stored is not None:
                state = "stored" if info.password_stored else "not stored (none is needed?)"
                console.out(f"Password in the OS keyring: {state}")
            return EXIT_OK
        if what == "set-url":
            choice = shared_desk.set_server(profile, args.url)
            console.out(f"This profile now uses {choice.shown}.")
            now = shared_desk.server_choice(profile, flag)
            if now is not None and now.source != choice.source:
                console.note("Note: --database-url or DESK_DATABASE_URL override it for now.")
            return EXIT_OK
        if what == "set-password":
            refuse_secret_arguments(args)
            chosen = shared_desk.server_choice(profile, flag)
            where = chosen.shown if chosen is not None else "the server"
            password = secret_line(
                console, f"Password for {where}: ", "the database password", twice=True
            )
            choice = shared_desk.set_password(profile, password, flag)
            console.out(f"The password for {choice.shown} is in the OS keyring.")
            return EXIT_OK
        had = shared_desk.use_sqlite(profile)
        console.out(
            f"This profile uses its SQLite file {profile.db_path}"
            + ("." if had else " (it already did).")
        )
        return EXIT_OK


def run_migrate_to(args: argparse.Namespace, console: Console) -> int:
    """Move the desk onto the server, saying how far the copy has got."""
    profile = _profile(args)
    shown: dict[str, int] = {}

    def progress(table: str, rows: int) -> None:
        if rows - shown.get(table, 0) >= 50_000:
            shown[table] = rows
            console.note(f"  {table}: {rows:,} rows copied")

    with logged(profile):
        log.info("desk-admin migrate-to")
        report = migrate_to(profile, args.url, getattr(args, "clock", None), args.batch, progress)
    console.out(
        f"Moved {sum(report.counts.values()):,} rows in {len(report.counts)} tables to "
        f"{report.server}; the counts match and the audit chain verifies on the server "
        f"({report.audit_checked:,} entries)."
    )
    console.out(
        f"This profile now uses the server (saved in {report.saved_to}). The SQLite file "
        f"{profile.db_path} was left as it was: keep it as a backup."
    )
    return EXIT_OK
