"""Who is acting: a session token from ``login``, or a password and a one-time code.

Every command but ``init`` acts as a person and signs in exactly as the login window does
(``desk.signin.sign_in(..., kind="cli")``), so the same replay, throttling, lock, role and
audit rules apply. With ``DESK_SESSION`` set, its token is checked by
``desk.signin.authorize`` instead; without it, the command signs in for itself and signs
out again when it ends, so no session is left behind.
"""

from __future__ import annotations

from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import dataclass

from desk.cli.context import Invocation
from desk.cli.output import when_utc
from desk.core.errors import InvalidInput
from desk.core.roles import Action
from desk.services.signin import CLI
from desk.services.usernames import canonical_username, loggable_username
from desk.services.views import Actor, SignInResult
from desk.workstation import this_workstation

_WHO = (
    "Say who is acting: give --user NAME (or DESK_USER) with your password and code, "
    "or set DESK_SESSION to a token from 'desk-admin login'."
)


@dataclass(frozen=True)
class Acting:
    """The person a command acts as, and the session it acts in."""

    token: str
    actor: Actor
    from_session: bool


def sign_in(inv: Invocation) -> SignInResult:
    """Sign in with ``--user``, the password and a one-time code (for ``login``)."""
    username = inv.require_user(_WHO)
    password = inv.console.password(username)
    return _sign_in(inv, username, password)


def _sign_in(inv: Invocation, username: str, password: str) -> SignInResult:
    code = inv.console.code(inv.code, username)
    result = inv.desk.signin.sign_in(
        username, password, code, kind=CLI, workstation=this_workstation()
    )
    if result.alert:
        inv.console.note(
            f"Warning: {result.failures_since_last_login} failed sign-in attempts on "
            f"{result.actor.username}'s account since the last successful sign-in "
            f"({when_utc(result.previous_login_at)}). If they were not yours, tell an "
            "administrator."
        )
    return result


class Identity:
    """The acting person, identified but (without a session) not yet signed in.

    Commands that need more input (a new person's password) ask for it between
    :func:`identify` and :meth:`act`, so that on a terminal the one-time code, which is
    good for a single use within about a minute, is asked last.
    """

    def __init__(
        self,
        inv: Invocation,
        action: Action | None,
        *,
        session: str | None = None,
        username: str = "",
        password: str = "",
    ) -> None:
        self._inv = inv
        self._action = action
        self._session = session
        self._username = username
        self._password = password

    @property
    def asks_for_code(self) -> bool:
        """Whether acting will ask for a one-time code (no ``DESK_SESSION`` was given)."""
        return self._session is None

    @contextmanager
    def act(self) -> Iterator[Acting]:
        """Give the acting person's session; a session made here is signed out afterwards."""
        signin = self._inv.desk.signin
        if self._session is not None:
            yield Acting(self._session, signin.authorize(self._session, self._action), True)
            return
        result = _sign_in(self._inv, self._username, self._password)
        try:
            yield Acting(result.token, signin.authorize(result.token, self._action), False)
        finally:
            signin.sign_out(result.token)


def identify(inv: Invocation, action: Action | None = None) -> Identity:
    """Find who is acting: check ``DESK_SESSION`` now, or read the password (not the code)."""
    if inv.session:
        actor = inv.desk.signin.authorize(inv.session, action)
        if inv.user and canonical_username(inv.user) != actor.username:
            raise InvalidInput(
                f"DESK_SESSION is {actor.username}'s session but --user (or DESK_USER) names "
                f"{loggable_username(inv.user)!r}: unset DESK_SESSION to act as someone else."
            )
        return Identity(inv, action, session=inv.session)
    username = inv.require_user(_WHO)
    return Identity(inv, action, username=username, password=inv.console.password(username))


@contextmanager
def acting(inv: Invocation, action: Action | None = None) -> Iterator[Acting]:
    """Identify the acting person and give their session for one command."""
    with identify(inv, action).act() as who:
        yield who
