"""What every command gets (the open desk, the console, the global options) and parser helpers."""

from __future__ import annotations

import argparse
import re
import textwrap
from collections.abc import Callable
from dataclasses import dataclass
from typing import Any, NoReturn, TypeAlias

from desk.cli.console import Console
from desk.core.errors import InvalidInput
from desk.services.desk import Desk

ENV_USER = "DESK_USER"
ENV_CODE = "DESK_CODE"
ENV_SESSION = "DESK_SESSION"

EXIT_OK = 0
EXIT_VERIFY_FAILED = 1
EXIT_USAGE = 2
EXIT_REFUSED = 3
EXIT_INTERNAL = 4
EXIT_DAMAGED = 5
EXIT_INTERRUPTED = 130

EXIT_STATUS = f"""\
exit status:
  {EXIT_OK}  done
  {EXIT_VERIFY_FAILED}  'audit verify' found the audit chain changed, cut or added to
  {EXIT_USAGE}  usage or input error, failed sign-in, ended session, or not allowed
  {EXIT_REFUSED}  the OS keyring or the database refused (Desk will not run without them)
  {EXIT_INTERNAL}  unexpected internal error (details in the profile's log file)
  {EXIT_DAMAGED}  the database file is damaged: restore it from a backup"""


@dataclass
class Invocation:
    """One run of a command: the open desk, the console and the global options."""

    args: argparse.Namespace
    desk: Desk
    console: Console
    user: str | None
    code: str | None
    session: str | None

    def require_user(self, why: str) -> str:
        """Return ``--user`` (or ``DESK_USER``), or say that it is needed and why."""
        if self.user is None or not self.user.strip():
            raise InvalidInput(why)
        return self.user.strip()


# what looks like a one-time code (six digits, maybe split 3+3), or a --code option's value
_CODE_LIKE = re.compile(r"(?<=--code[= ])\S+|(?<![\d.])\d{3}\s?\d{3}(?![\d.])")


class Parser(argparse.ArgumentParser):
    """An argument parser whose error messages never repeat a one-time code.

    ``desk-admin login --code 123456`` (the option after the command) is a usage error that
    would otherwise echo the code; subparsers are made of this class too.
    """

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        # No abbreviated options: a script's '--co' must not change meaning as options grow.
        kwargs.setdefault("allow_abbrev", False)
        super().__init__(*args, **kwargs)

    def error(self, message: str) -> NoReturn:
        """Print the usage and the message (codes blanked out), and exit with status 2."""
        super().error(_CODE_LIKE.sub("[code hidden]", message))


Handler = Callable[[Invocation], int]
# a string: argparse's class is generic only in the type stubs
Subparsers: TypeAlias = "argparse._SubParsersAction[Parser]"


def wrap(text: str, width: int = 79) -> str:
    """Wrap prose paragraphs for ``--help``; indented lines (examples) stay as they are."""
    paragraphs = text.split("\n\n")
    return "\n\n".join(
        p if p.startswith(" ") else textwrap.fill(p, width, break_on_hyphens=False)
        for p in paragraphs
    )


def command(
    subparsers: Subparsers, name: str, summary: str, description: str = "", **kw: Any
) -> Parser:
    """Add a (sub)command whose ``--help`` ends with the exit statuses."""
    return subparsers.add_parser(
        name,
        help=summary,
        description=wrap(description or summary[0].upper() + summary[1:] + "."),
        epilog=EXIT_STATUS,
        formatter_class=argparse.RawDescriptionHelpFormatter,
        **kw,
    )


def group(parser: Parser, dest: str, metavar: str) -> Subparsers:
    """Add a required choice of subcommands to ``parser``."""
    return parser.add_subparsers(dest=dest, metavar=metavar, required=True, title="commands")


def desk_type(parse: Callable[[str], Any]) -> Callable[[str], Any]:
    """Wrap a Desk parser for argparse, so its error names what is wrong."""

    def run(text: str) -> Any:
        try:
            return parse(text)
        except InvalidInput as exc:
            raise argparse.ArgumentTypeError(exc.message) from None

    return run


def json_flag(parser: argparse.ArgumentParser) -> None:
    """Add ``--json``: machine-readable output instead of a table."""
    parser.add_argument(
        "--json", action="store_true", help="print JSON instead of a table (for scripts)"
    )
