"""``desk-admin``: the parser, the global options, dispatch and exit statuses."""

from __future__ import annotations

import argparse
import logging
import os
import sys
from collections.abc import Iterator
from contextlib import contextmanager, redirect_stderr, redirect_stdout
from importlib import metadata
from typing import TextIO

from desk.cli import apps as app_commands
from desk.cli import audit, cases, importing, official, queue, rules, session, settings, users
from desk.cli import backup as backup_commands
from desk.cli import database as database_commands
from desk.cli import devices as device_commands
from desk.cli import erase as erase_commands
from desk.cli import escalations as escalation_commands
from desk.cli import evidence as evidence_commands
from desk.cli import exports as export_commands
from desk.cli import handover as handover_commands
from desk.cli import impersonation as impersonation_commands
from desk.cli import keys as key_commands
from desk.cli import maintenance as maintenance_commands
from desk.cli import moderation as moderation_commands
from desk.cli import outages as outage_commands
from desk.cli import quality as quality_commands
from desk.cli import retention as retention_commands
from desk.cli import sar as sar_commands
from desk.cli import templates as template_commands
from desk.cli.console import Console
from desk.cli.context import (
    ENV_CODE,
    ENV_SESSION,
    ENV_USER,
    EXIT_DAMAGED,
    EXIT_INTERNAL,
    EXIT_INTERRUPTED,
    EXIT_OK,
    EXIT_REFUSED,
    EXIT_STATUS,
    EXIT_USAGE,
    EXIT_VERIFY_FAILED,
    Handler,
    Invocation,
    Parser,
    wrap,
)
from desk.core.clock import Clock
from desk.core.errors import (
    AuditChainBroken,
    DatabaseDamaged,
    DatabaseProblem,
    DeskError,
    InvalidInput,
    KeyringUnavailable,
)
from desk.log import setup_logging
from desk.paths import DESK_UMASK, ENV_DATA_DIR, Profile, resolve_profile
from desk.services.desk import Desk
from desk.services.shared_desk import ENV_DATABASE_URL, chosen_database, uses_server

log = logging.getLogger(__name__)

PROG = "desk-admin"

_ENVIRONMENT = f"""\
Global options go before the command. The environment can give them instead:
  {ENV_DATA_DIR}   the profile folder, as --data-dir
  {ENV_DATABASE_URL}  a PostgreSQL server, as --database-url (never with a password)
  {ENV_USER}       who is acting, as --user
  {ENV_CODE}       the one-time code, as --code
  {ENV_SESSION}    a token printed by 'login': commands then act in that session
                  and need no password or code

{EXIT_STATUS}"""


def _version() -> str:
    try:
        return metadata.version("desk")
    except metadata.PackageNotFoundError:
        return "unknown"


def build_parser() -> argparse.ArgumentParser:
    """Return the ``desk-admin`` parser with every command and subcommand."""
    parser = Parser(
        prog=PROG,
        description=wrap(
            "Administer and work a Desk profile from the command line: accounts, official "
            "accounts, imports, the triage queue and its cases, the audit chain and settings. "
            "Every command except 'init' signs in exactly like the login window (password and "
            "one-time code, or a session from 'login')."
        ),
        epilog=_ENVIRONMENT,
        formatter_class=argparse.RawDescriptionHelpFormatter,
    )
    parser.add_argument(
        "--data-dir",
        metavar="DIR",
        help=f"the profile folder (default: ${ENV_DATA_DIR}, else the per-user default)",
    )
    parser.add_argument(
        "--database-url",
        metavar="URL",
        help=f"a shared desk's PostgreSQL server, postgresql+psycopg://USER@HOST:PORT/DB "
        f"(default: ${ENV_DATABASE_URL}, else the profile's saved choice, else its SQLite "
        "file); never with a password: see 'database set-password'",
    )
    parser.add_argument("--user", metavar="NAME", help=f"who is acting (default: ${ENV_USER})")
    parser.add_argument(
        "--password-stdin",
        action="store_true",
        help="read passwords from standard input, one line per password prompt, in the "
        "order a terminal would ask: your own first (unless DESK_SESSION is set), then any "
        "new password",
    )
    parser.add_argument(
        "--code",
        metavar="CODE",
        help=f"the one-time code from your authenticator (default: ${ENV_CODE}; asked on a "
        "terminal); each code works once",
    )
    parser.add_argument("--version", action="version", version=f"%(prog)s {_version()}")
    sub = parser.add_subparsers(dest="command", metavar="COMMAND", required=True, title="commands")
    users.add_parsers(sub)
    session.add_parsers(sub)
    device_commands.add_parsers(sub)  # sessions list|end
    official.add_parsers(sub)
    impersonation_commands.add_parsers(sub)  # impersonation ..., suspects ...
    app_commands.add_parsers(sub)  # apps ...: the third-party apps register
    importing.add_parsers(sub)
    queue.add_parsers(sub)
    cases.add_parsers(sub)
    escalation_commands.add_parsers(sub)
    template_commands.add_parsers(sub)
    moderation_commands.add_parsers(sub)
    audit.add_parsers(sub)
    settings.add_parsers(sub)
    handover_commands.add_parsers(sub)
    outage_commands.add_parsers(sub)  # outage start|end|record|edit|list
    export_commands.add_parsers(sub)  # export continuity-pack|open-cases
    quality_commands.add_parsers(sub)  # qa ..., dashboard
    rules.add_parsers(sub)
    evidence_commands.add_parsers(sub)
    sar_commands.add_parsers(sub)
    erase_commands.add_parsers(sub)
    retention_commands.add_parsers(sub)  # retention ..., hold ..., appeal ...
    maintenance_commands.add_parsers(sub)  # maintenance compact-originals
    backup_commands.add_parsers(sub)  # backup OUT|--due|schedule, restore IN
    database_commands.add_parsers(sub)  # database show|set-url|set-password, migrate-to
    key_commands.add_parsers(sub)  # keys export|import
    return parser


def exit_status(error: DeskError) -> int:
    """Return the exit status for a Desk error."""
    if isinstance(error, DatabaseDamaged):
        return EXIT_DAMAGED
    if isinstance(error, KeyringUnavailable | DatabaseProblem):
        return EXIT_REFUSED
    if isinstance(error, AuditChainBroken):
        return EXIT_VERIFY_FAILED
    return EXIT_USAGE


def _env(name: str) -> str | None:
    value = os.environ.get(name, "").strip()
    return value or None


def _prepare(args: argparse.Namespace) -> tuple[Profile, bool]:
    """Return the profile to open, refusing to make one except for ``init``."""
    profile = resolve_profile(args.data_dir)
    creating = bool(getattr(args, "creates_profile", False))
    if (
        not creating
        and not profile.db_path.exists()
        and not uses_server(profile, args.database_url)
    ):
        raise InvalidInput(
            f"There is no Desk profile in {profile.data_dir}: create its first administrator "
            f"with '{PROG} --data-dir DIR --user NAME init', or give the right --data-dir."
        )
    try:
        profile.create()  # before logging, so its folders get their owner-only modes
    except OSError as exc:
        raise DatabaseProblem(
            f"Desk cannot use the folder {profile.data_dir}: {exc.strerror or exc}."
        ) from None
    return profile, creating


@contextmanager
def _logging(profile: Profile) -> Iterator[None]:
    """Log to the profile's log file for one run, then detach (in-process runs stay apart)."""
    root = logging.getLogger()
    before = set(root.handlers)
    setup_logging(profile.log_dir)
    try:
        yield
    finally:
        for handler in [h for h in root.handlers if h not in before]:
            root.removeHandler(handler)
            handler.close()


def _run(args: argparse.Namespace, clock: Clock | None, console: Console) -> int:
    profile, creating = _prepare(args)
    looser = profile.looser_folders_warning()
    if looser:
        console.note(f"{PROG}: warning: {looser}")
    with _logging(profile):
        if looser:
            log.warning("profile folders were open to others: now owner-only")
        log.info("%s %s", PROG, " ".join(_command_path(args)))
        try:
            desk = Desk.open(profile, clock, db=chosen_database(profile, args.database_url))
            try:
                if not creating and desk.accounts.first_run_needed():
                    raise InvalidInput(
                        f"The profile in {profile.data_dir} has no accounts yet: create its "
                        f"first administrator with '{PROG} --user NAME init'."
                    )
                handler: Handler = args.handler
                return handler(
                    Invocation(
                        args=args,
                        desk=desk,
                        console=console,
                        user=args.user if args.user is not None else _env(ENV_USER),
                        code=args.code if args.code is not None else _env(ENV_CODE),
                        session=_env(ENV_SESSION),
                    )
                )
            finally:
                desk.close()
        except DeskError as exc:
            log.info("%s refused: %s", PROG, exc.code)
            raise
        except Exception:
            log.exception("%s failed unexpectedly", PROG)
            raise


def _command_path(args: argparse.Namespace) -> list[str]:
    words = [str(args.command)]
    for dest in (
        "user_command",
        "official_command",
        "case_command",
        "audit_command",
        "settings_command",
        "target_command",
        "escalation_command",
        "handover_command",
        "guidelines_command",
        "coverage_command",
        "qa_command",
        "rules_command",
        "sar_command",
        "retention_command",
        "hold_command",
        "appeal_command",
        "sessions_command",
        "database_command",
        "keys_command",
    ):
        value = getattr(args, dest, None)
        if value:
            words.append(str(value))
    return words


def main(
    argv: list[str] | None = None,
    *,
    clock: Clock | None = None,
    stdin: TextIO | None = None,
    stdout: TextIO | None = None,
    stderr: TextIO | None = None,
) -> int:
    """Run ``desk-admin`` with ``argv`` and return its exit status (see ``--help``)."""
    out = stdout if stdout is not None else sys.stdout
    err = stderr if stderr is not None else sys.stderr
    parser = build_parser()
    try:
        with redirect_stdout(out), redirect_stderr(err):
            args = parser.parse_args(argv)
    except SystemExit as exc:  # --help, --version, or a usage error already explained
        return exc.code if isinstance(exc.code, int) else EXIT_USAGE if exc.code else EXIT_OK
    console = Console(
        stdin if stdin is not None else sys.stdin, out, err, password_stdin=args.password_stdin
    )
    # everything desk-admin writes (profile, exports, reports) is its owner's only, whatever
    # the umask it was started with; given back on return (tests run desk-admin in-process)
    umask = os.umask(DESK_UMASK)
    try:
        alone = getattr(args, "run_alone", None)  # commands that need no profile
        args.clock = clock
        status = alone(args, console) if alone is not None else None
        return status if status is not None else _run(args, clock, console)
    except DeskError as exc:
        err.write(f"{PROG}: error: {exc.message}\n")
        return exit_status(exc)
    except KeyboardInterrupt:
        err.write(f"\n{PROG}: interrupted.\n")
        return EXIT_INTERRUPTED
    except Exception as exc:  # logged with its traceback (redacted) in the profile's log
        err.write(
            f"{PROG}: unexpected error ({type(exc).__name__}); the details are in Desk's log "
            "file, in the profile's logs folder.\n"
        )
        return EXIT_INTERNAL
    finally:
        os.umask(umask)
