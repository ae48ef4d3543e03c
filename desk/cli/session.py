"""``login``, ``logout`` and ``whoami``: command-line sessions."""

from __future__ import annotations

from desk.cli import auth
from desk.cli.context import EXIT_OK, Invocation, Subparsers, command
from desk.cli.output import clean, when_utc
from desk.core.errors import InvalidInput, ReauthenticationRequired, SessionEnded
from desk.core.signin_policy import CLI_SESSION_IDLE, SESSION_MAX_AGE


def _minutes(seconds: float) -> int:
    return int(seconds // 60)


def add_parsers(sub: Subparsers) -> None:
    """Add the session commands."""
    command(
        sub,
        "login",
        "sign in with password and code; print a session token",
        "Sign in with --user, the password and a one-time code, and print a session token "
        "alone on standard output, e.g.\n\n"
        "  export DESK_SESSION=$(desk-admin --user NAME --code CODE login)\n\n"
        "Later commands use DESK_SESSION instead of a password and a new code, until the "
        f"session has been idle for {_minutes(CLI_SESSION_IDLE.total_seconds())} minutes, is "
        f"{_minutes(SESSION_MAX_AGE.total_seconds()) // 60} hours old, the person is disabled, "
        "or 'desk-admin logout' ends it. DESK_SESSION is ignored by login itself.",
    ).set_defaults(handler=run_login)
    command(sub, "logout", "end the session in DESK_SESSION").set_defaults(handler=run_logout)
    command(sub, "whoami", "show who is acting, and their role").set_defaults(handler=run_whoami)


def run_login(inv: Invocation) -> int:
    """Sign in and print the session token alone on standard output."""
    result = auth.sign_in(inv)
    actor = result.actor
    inv.console.out(result.token)
    inv.console.note(
        f"Signed in as {actor.username} ({actor.role.value}); last sign-in before this: "
        f"{when_utc(result.previous_login_at)}."
    )
    inv.console.note(
        "Keep the token secret. Use it with: export DESK_SESSION=<token>. It stops working "
        f"after {_minutes(CLI_SESSION_IDLE.total_seconds())} idle minutes, after "
        f"{_minutes(SESSION_MAX_AGE.total_seconds()) // 60} hours, or with 'desk-admin logout'."
    )
    return EXIT_OK


def run_logout(inv: Invocation) -> int:
    """End the session whose token is in ``DESK_SESSION``."""
    if not inv.session:
        raise InvalidInput("DESK_SESSION is not set: there is no session to end.")
    try:
        actor = inv.desk.signin.authorize(inv.session)
    except (SessionEnded, ReauthenticationRequired):
        inv.desk.signin.sign_out(inv.session)
        inv.console.out("That session had already ended: nothing to do.")
        return EXIT_OK
    inv.desk.signin.sign_out(inv.session)
    inv.console.out(f"Signed out {actor.username}: the token no longer works.")
    return EXIT_OK


def run_whoami(inv: Invocation) -> int:
    """Print the acting person and their session."""
    with auth.acting(inv) as who:
        actor = who.actor
        session = "DESK_SESSION" if who.from_session else "this command only (signed out again)"
        inv.console.out(f"Username:      {actor.username}")
        inv.console.out(f"Display name:  {clean(actor.display_name)}")
        inv.console.out(f"Role:          {actor.role.value}")
        inv.console.out(f"Signed in at:  {when_utc(actor.signed_in_at)}")
        inv.console.out(f"Session:       {session}")
    return EXIT_OK
