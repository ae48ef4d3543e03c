"""``init`` and ``user ...``: the first administrator, and people's accounts."""

from __future__ import annotations

import argparse
from datetime import datetime
from typing import Any

from desk.cli import auth
from desk.cli.context import EXIT_OK, Invocation, Subparsers, command, group, json_flag
from desk.cli.output import clean, iso, table, when, write_enrolment, write_json
from desk.core.errors import Conflict, InvalidInput
from desk.core.roles import Action, Role, parse_role
from desk.services.usernames import canonical_username, check_username
from desk.services.views import AccountView

_ROLES = ", ".join(r.value for r in Role)


def _role(text: str) -> Role:
    try:
        return parse_role(text)
    except InvalidInput as exc:
        raise argparse.ArgumentTypeError(exc.message) from None


def _new_username(text: str) -> str:
    try:
        return check_username(text)
    except InvalidInput as exc:
        raise argparse.ArgumentTypeError(exc.message) from None


def add_parsers(sub: Subparsers) -> None:
    """Add ``init`` and the ``user`` commands."""
    init = command(
        sub,
        "init",
        "create the first administrator on an empty profile",
        "Create the first administrator, named by --user, on a profile with no accounts yet. "
        "Asks for the new password (twice on a terminal; one line with --password-stdin), "
        "then prints the authenticator enrolment: the otpauth:// URI, the seed and a QR code.",
    )
    init.add_argument("--display-name", default="", metavar="TEXT", help="the name shown for them")
    init.set_defaults(handler=run_init, creates_profile=True)

    user = command(sub, "user", "manage people's accounts (administrators only)")
    users = group(user, "user_command", "USER_COMMAND")

    add = command(
        users,
        "add",
        "add a person with a role; print their authenticator enrolment",
        "Add a person. Asks for their new password (twice on a terminal; with "
        "--password-stdin the line after your own password, if DESK_SESSION is not set), "
        "then prints their authenticator enrolment: URI, seed and QR code.",
    )
    add.add_argument("name", type=_new_username, metavar="NAME", help="their username")
    add.add_argument("--role", required=True, type=_role, metavar="ROLE", help=f"one of: {_ROLES}")
    add.add_argument("--display-name", default="", metavar="TEXT", help="the name shown for them")
    add.set_defaults(handler=run_add)

    listing = command(
        users,
        "list",
        "list every account",
        "List every account: username, display name, role, active or disabled, locked, "
        "last sign-in (UTC) and failed sign-ins since the last success.",
    )
    json_flag(listing)
    listing.set_defaults(handler=run_list)

    for name, summary, handler in (
        ("disable", "disable a leaver and end their sessions", run_disable),
        ("enable", "re-enable a disabled account", run_enable),
        ("unlock", "lift a lock or throttle after failed sign-ins", run_unlock),
        (
            "reset-totp",
            "give a person a new authenticator seed (the old one stops working); "
            "print the new enrolment",
            run_reset_totp,
        ),
    ):
        cmd = command(users, name, summary)
        cmd.add_argument("name", metavar="NAME", help="their username")
        cmd.set_defaults(handler=handler)

    langs = command(
        users,
        "languages",
        "set the languages a person works in (en, cy)",
        "Set the languages a person works in: Welsh (cy) items are routed to Welsh speakers.",
    )
    langs.add_argument("name", metavar="NAME", help="their username")
    langs.add_argument("codes", nargs="+", metavar="CODE", help="language codes: en, cy")
    langs.set_defaults(handler=run_languages)


def run_init(inv: Invocation) -> int:
    """Create the first administrator and print their enrolment."""
    name = check_username(
        inv.require_user("init needs --user NAME (or DESK_USER): the first administrator.")
    )
    accounts = inv.desk.accounts
    if not accounts.first_run_needed():
        raise Conflict(
            f"The profile in {inv.desk.profile.data_dir} already has accounts: init only sets "
            "up an empty profile. Sign in and use 'desk-admin user add' instead."
        )
    password = inv.console.new_password(name)
    enrolment = accounts.create_first_admin(name, str(inv.args.display_name), password)
    inv.console.out(f"Created {name}, the first administrator.")
    write_enrolment(inv.console.stdout, enrolment)
    return EXIT_OK


def run_add(inv: Invocation) -> int:
    """Add a person (asking their new password) and print their enrolment."""
    name: str = inv.args.name
    role: Role = inv.args.role
    who = auth.identify(inv, Action.MANAGE_USERS)
    password = inv.console.new_password(name)
    with who.act() as acting:
        enrolment = inv.desk.accounts.add_user(
            acting.token, name, str(inv.args.display_name), role, password
        )
    inv.console.out(f"Added {name} as {role.value}.")
    write_enrolment(inv.console.stdout, enrolment)
    return EXIT_OK


def _named(inv: Invocation) -> str:
    return clean(canonical_username(str(inv.args.name)))


def _locked(view: AccountView, now: datetime) -> str:
    if view.locked:
        return "yes"
    if view.throttled_until is not None and view.throttled_until > now:
        return f"until {when(view.throttled_until)}"
    return "no"


def _as_json(view: AccountView) -> dict[str, Any]:
    return {
        "username": view.username,
        "display_name": view.display_name,
        "role": view.role.value,
        "active": view.active,
        "locked": view.locked,
        "throttled_until": iso(view.throttled_until),
        "last_login_at": iso(view.last_login_at),
        "failed_attempts": view.failed_attempts,
        "created_at": iso(view.created_at),
    }


def run_list(inv: Invocation) -> int:
    """Print every account as a table or JSON."""
    with auth.acting(inv, Action.MANAGE_USERS) as acting:
        views = inv.desk.accounts.list_users(acting.token)
    if inv.args.json:
        write_json(inv.console.stdout, [_as_json(v) for v in views])
        return EXIT_OK
    now = inv.desk.ctx.clock.now()
    rows = [
        (
            v.username,
            v.display_name,
            v.role.value,
            "active" if v.active else "disabled",
            _locked(v, now),
            when(v.last_login_at),
            v.failed_attempts,
        )
        for v in views
    ]
    headers = ("username", "display name", "role", "status", "locked", "last login (UTC)")
    inv.console.out(table((*headers, "failures"), rows))
    return EXIT_OK


def run_disable(inv: Invocation) -> int:
    """Disable an account; its sessions end at once."""
    with auth.acting(inv, Action.MANAGE_USERS) as acting:
        ended = inv.desk.accounts.disable(acting.token, inv.args.name)
    plural = "" if ended == 1 else "s"
    inv.console.out(f"Disabled {_named(inv)}; ended {ended} session{plural}.")
    return EXIT_OK


def run_enable(inv: Invocation) -> int:
    """Re-enable an account."""
    with auth.acting(inv, Action.MANAGE_USERS) as acting:
        inv.desk.accounts.enable(acting.token, inv.args.name)
    inv.console.out(f"Enabled {_named(inv)}.")
    return EXIT_OK


def run_unlock(inv: Invocation) -> int:
    """Lift a lock or throttle."""
    with auth.acting(inv, Action.MANAGE_USERS) as acting:
        inv.desk.accounts.unlock(acting.token, inv.args.name)
    inv.console.out(f"Unlocked {_named(inv)}.")
    return EXIT_OK


def run_languages(inv: Invocation) -> int:
    """Set the languages a person works in."""
    with auth.acting(inv, Action.MANAGE_USERS) as acting:
        chosen = inv.desk.accounts.set_languages(acting.token, inv.args.name, inv.args.codes)
    inv.console.out(f"{_named(inv)} works in: {', '.join(chosen)}.")
    return EXIT_OK


def run_reset_totp(inv: Invocation) -> int:
    """Give a person a new seed and print the new enrolment."""
    with auth.acting(inv, Action.MANAGE_USERS) as acting:
        enrolment = inv.desk.accounts.reset_totp(acting.token, inv.args.name)
    inv.console.out(
        f"Reset {enrolment.username}'s authenticator: the old seed no longer works, and "
        "their sessions have ended."
    )
    write_enrolment(inv.console.stdout, enrolment)
    return EXIT_OK
