"""Talking to the person at the command line: output, and password and code prompts."""

from __future__ import annotations

import getpass
from typing import TextIO

from desk.core.errors import InvalidInput
from desk.services.accounts import check_new_password

_STDIN_ORDER = (
    "with --password-stdin, give one line per password in the order a terminal would ask: "
    "your own password first (unless DESK_SESSION is set), then any new password"
)


class Console:
    """The command's streams, and the one place passwords and codes are asked for.

    On a terminal, passwords and codes are asked with ``getpass`` (nothing is echoed).
    With ``--password-stdin`` each line of standard input answers one password prompt.
    Nothing here ever writes a password or a code.
    """

    def __init__(
        self, stdin: TextIO, stdout: TextIO, stderr: TextIO, *, password_stdin: bool
    ) -> None:
        self.stdin = stdin
        self.stdout = stdout
        self.stderr = stderr
        self.password_stdin = password_stdin

    @property
    def interactive(self) -> bool:
        """Tell whether standard input is a terminal a person can answer prompts on."""
        try:
            return self.stdin.isatty()
        except (AttributeError, ValueError):  # no stdin, or a closed one
            return False

    def out(self, text: str = "") -> None:
        """Write one line of the command's result to standard output."""
        self.stdout.write(text + "\n")

    def note(self, text: str) -> None:
        """Write one line for the person (hints, warnings) to standard error."""
        self.stderr.write(text + "\n")

    # answers -----------------------------------------------------------------------------

    def _stdin_line(self, what: str) -> str:
        line = self.stdin.readline()
        if not line:
            raise InvalidInput(f"Standard input ended before {what}: {_STDIN_ORDER}.")
        return line.removesuffix("\n").removesuffix("\r")

    def _hidden(self, prompt: str, what: str) -> str:
        try:
            return getpass.getpass(prompt)
        except EOFError:
            raise InvalidInput(f"No {what} was typed.") from None

    def _no_terminal(self, what: str) -> InvalidInput:
        return InvalidInput(
            f"Desk needs {what}, but standard input is not a terminal to ask on: "
            "give passwords on standard input with --password-stdin."
        )

    def password(self, username: str) -> str:
        """Return the acting person's password (next stdin line, or asked on the terminal)."""
        what = f"the password of {username}"
        if self.password_stdin:
            return self._stdin_line(what)
        if not self.interactive:
            raise self._no_terminal(what)
        return self._hidden(f"Password for {username}: ", what)

    def new_password(self, username: str) -> str:
        """Return an acceptable new password for ``username`` (asked twice on a terminal)."""
        what = f"the new password for {username}"
        if self.password_stdin:
            password = self._stdin_line(what)
        elif not self.interactive:
            raise self._no_terminal(what)
        else:
            password = self._hidden(f"New password for {username}: ", what)
            check_new_password(password, username)  # say so before they type it again
            if self._hidden("Type the new password again: ", what) != password:
                raise InvalidInput("The two new passwords typed differ: nothing was changed.")
        check_new_password(password, username)
        return password

    def code(self, given: str | None, username: str) -> str:
        """Return the one-time code: ``--code``/``DESK_CODE``, else asked on a terminal."""
        if given is not None and given.strip():
            return given
        if not self.interactive:
            raise InvalidInput(
                f"Give {username}'s one-time code from the authenticator with --code "
                "(or DESK_CODE): standard input is not a terminal to ask on."
            )
        return self._hidden(f"One-time code for {username}: ", f"one-time code for {username}")
