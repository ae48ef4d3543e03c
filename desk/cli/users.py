"""``init`` and ``user ...``: the first administrator, and people's accounts."""

from __future__ import annotations

import argparse
from datetime import datetime
from typing import Any

from desk.cli import auth
from desk.cli.context import EXIT_OK, Invocation, Subparsers, command, group, json_flag
from desk.cli.devices import add_user_parsers as leaver_parsers
from desk.cli.output import clean, iso, table, when, write_enrolment, write_json
from desk.core.areas import parse_areas
from desk.core.errors import Conflict, InvalidInput
from desk.core.roles import Action, Role, parse_role
from desk.services.areas import PersonAreas
from desk.services.people import REASSIGN, RELEASE, AccessReviewRow
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
    add.add_argument(
        "--areas",
        default=None,
        metavar="AREAS",
        help="the areas they work, comma separated (default: the whole force)",
    )
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

    _add_people_parsers(users)
    leaver_parsers(users)  # leaver-review, leaver-reviews, leaver-reviewed

    for name, summary, handler in (
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

    areas = command(
        users,
        "areas",
        "show or set the areas (neighbourhoods) a person works",
        "Show, set or clear the areas a person works. A person with areas sees and works only "
        "the cases of their areas' official accounts (not force-wide ones); with none they "
        "work for the whole force. --set takes a comma-separated list ('North, East') and "
        "replaces what they had; --clear removes every area. The change is audited and "
        "applies to their next action.",
    )
    areas.add_argument("name", metavar="NAME", help="their username")
    which = areas.add_mutually_exclusive_group()
    which.add_argument(
        "--set",
        dest="set_areas",
        metavar="AREAS",
        default=None,
        help="the areas they work, comma separated: 'North, East'",
    )
    which.add_argument("--clear", action="store_true", help="no areas: the whole force")
    json_flag(areas)
    areas.set_defaults(handler=run_areas)


def _add_people_parsers(users: Subparsers) -> None:
    """Add the movers-and-leavers commands: ``role``, ``disable``, ``enable``, ``review``."""
    role = command(
        users,
        "role",
        "change a person's role (a mover); their sessions end so it applies at once",
        "Change a person's role. You are recorded as the approver unless --approved-by names "
        "who approved it: the username of an active supervisor or administrator other than "
        "the person changed (you record it either way). The last active administrator "
        "cannot be given another role.",
    )
    role.add_argument("name", metavar="NAME", help="their username")
    role.add_argument("role", type=_role, metavar="ROLE", help=f"one of: {_ROLES}")
    role.add_argument(
        "--approved-by",
        default=None,
        metavar="USERNAME",
        help="the supervisor or administrator who approved the change (their username)",
    )
    role.set_defaults(handler=run_role)

    disable = command(
        users,
        "disable",
        "disable a leaver at once: sessions end, credentials are destroyed",
        "Disable a leaver at once: their sessions end, their password and authenticator key "
        "are destroyed (re-enabling needs a fresh enrolment), and their open cases are "
        "released to the queue (--release) or reassigned (--reassign-to USER). If they own "
        "open cases, one of the two is required. A leaver under investigation "
        "(--under-investigation) must have their cases reassigned.",
    )
    disable.add_argument("name", metavar="NAME", help="their username")
    choice = disable.add_mutually_exclusive_group()
    choice.add_argument(
        "--release", action="store_true", help="give their open cases back to the queue"
    )
    choice.add_argument(
        "--reassign-to", metavar="USER", default=None, help="give their open cases to USER"
    )
    disable.add_argument(
        "--under-investigation",
        action="store_true",
        help="a leaver under investigation: their cases must be reassigned (--reassign-to)",
    )
    disable.set_defaults(handler=run_disable)

    enable = command(
        users,
        "enable",
        "re-enable a disabled person with a new password and authenticator; print it",
        "Re-enable a disabled person. Their old credentials were destroyed, so this asks for "
        "a new password (as 'user add' does) and prints a fresh authenticator enrolment.",
    )
    enable.add_argument("name", metavar="NAME", help="their username")
    enable.set_defaults(handler=run_enable)

    review = command(
        users,
        "review",
        "the access review: every account, role, last sign-in and who approved it",
        "Print the access review (administrators and supervisors): every account with its "
        "role, active or disabled (since when), last sign-in, who approved it, when its role "
        "last changed, whether the leaver is under investigation, and open cases. Times UTC.",
    )
    json_flag(review)
    review.set_defaults(handler=run_review)


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
    inv.console.note(
        "Next: set the force's name, which replies and exports are signed with: "
        'desk-admin settings set force_name "Exampleshire Police" (your force\'s name).'
    )
    return EXIT_OK


def run_add(inv: Invocation) -> int:
    """Add a person (asking their new password) and print their enrolment."""
    name: str = inv.args.name
    role: Role = inv.args.role
    areas = parse_areas(str(inv.args.areas)) if inv.args.areas is not None else ()
    who = auth.identify(inv, Action.MANAGE_USERS)
    password = inv.console.new_password(name)
    with who.act() as acting:
        enrolment = inv.desk.accounts.add_user(
            acting.token, name, str(inv.args.display_name), role, password
        )
        if areas:
            inv.desk.areas.set_areas(acting.token, name, list(areas))
    inv.console.out(f"Added {name} as {role.value}.")
    if areas:
        inv.console.out(f"{name} works: {clean(', '.join(areas))}.")
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
        "areas": list(view.areas),
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


def _cases_text(ids: tuple[int, ...]) -> str:
    return ", ".join(f"#{i}" for i in ids)


def run_disable(inv: Invocation) -> int:
    """Disable a leaver: sessions, credentials, and their open cases released or reassigned."""
    args = inv.args
    to = str(args.reassign_to).strip() if args.reassign_to is not None else None
    if args.reassign_to is not None and not to:
        raise InvalidInput("--reassign-to needs a username.")
    with auth.acting(inv, Action.MANAGE_USERS) as acting:
        people = inv.desk.people
        if not args.release and to is None and not args.under_investigation:
            owned = people.open_cases_of(acting.token, args.name)
            if owned:
                raise InvalidInput(
                    f"{_named(inv)} owns {len(owned)} open case"
                    f"{'' if len(owned) == 1 else 's'} ({_cases_text(tuple(owned))}): say what "
                    "happens to them with --release or --reassign-to USER."
                )
        result = people.disable(
            acting.token,
            args.name,
            cases=REASSIGN if to is not None else RELEASE,
            to=to,
            under_investigation=bool(args.under_investigation),
        )
    plural = "" if result.sessions_ended == 1 else "s"
    inv.console.out(f"Disabled {result.username}; ended {result.sessions_ended} session{plural}.")
    if result.released:
        inv.console.out(f"Released to the queue: {_cases_text(result.released)}.")
    if result.reassigned:
        inv.console.out(f"Reassigned to {result.reassigned_to}: {_cases_text(result.reassigned)}.")
    if result.under_investigation:
        inv.console.out("Marked as a leaver under investigation.")
    inv.console.out(
        "Their password and authenticator key are destroyed: "
        f"'desk-admin user enable {result.username}' gives them a fresh enrolment."
    )
    return EXIT_OK


def run_enable(inv: Invocation) -> int:
    """Re-enable an account with a new password; print the fresh enrolment."""
    name = _named(inv)
    who = auth.identify(inv, Action.MANAGE_USERS)
    password = inv.console.new_password(name)
    with who.act() as acting:
        enrolment = inv.desk.people.enable(acting.token, inv.args.name, password)
    inv.console.out(f"Enabled {enrolment.username} with a new password.")
    write_enrolment(inv.console.stdout, enrolment)
    return EXIT_OK


def run_role(inv: Invocation) -> int:
    """Change a person's role."""
    role: Role = inv.args.role
    with auth.acting(inv, Action.MANAGE_USERS) as acting:
        ended = inv.desk.people.change_role(acting.token, inv.args.name, role, inv.args.approved_by)
    plural = "" if ended == 1 else "s"
    inv.console.out(f"{_named(inv)} is now {role.value}; ended {ended} session{plural}.")
    return EXIT_OK


def _review_json(row: AccessReviewRow) -> dict[str, Any]:
    return {
        "username": row.username,
        "display_name": row.display_name,
        "role": row.role.value,
        "active": row.active,
        "disabled_at": iso(row.disabled_at),
        "last_login_at": iso(row.last_login_at),
        "approved_by": row.approved_by,
        "role_changed_at": iso(row.role_changed_at),
        "under_investigation": row.under_investigation,
        "locked": row.locked,
        "open_cases": row.open_cases,
        "created_at": iso(row.created_at),
    }


def run_review(inv: Invocation) -> int:
    """Print the access review as a table or JSON."""
    with auth.acting(inv, Action.VIEW_ACCESS_REVIEW) as acting:
        rows = inv.desk.people.access_review(acting.token)
    if inv.args.json:
        write_json(inv.console.stdout, [_review_json(r) for r in rows])
        return EXIT_OK
    lines = [
        (
            r.username,
            r.display_name,
            r.role.value,
            "active" if r.active else f"disabled {when(r.disabled_at)}",
            when(r.last_login_at),
            r.approved_by or "-",
            when(r.role_changed_at) if r.role_changed_at else "-",
            "yes" if r.under_investigation else "no",
            r.open_cases,
        )
        for r in rows
    ]
    headers = (
        "username",
        "display name",
        "role",
        "status (UTC)",
        "last sign-in (UTC)",
        "approved by",
        "role changed (UTC)",
        "investigation",
        "open cases",
    )
    inv.console.out(table(headers, lines))
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


def _areas_json(view: PersonAreas) -> dict[str, Any]:
    return {
        "username": view.username,
        "areas": list(view.areas),
        "whole_force": view.scope.whole_force,
        "unmatched": list(view.unmatched),
    }


def run_areas(inv: Invocation) -> int:
    """Show, set or clear the areas a person works."""
    set_to = inv.args.set_areas
    with auth.acting(inv, Action.MANAGE_USERS) as acting:
        service = inv.desk.areas
        if set_to is not None:
            view = service.set_areas(acting.token, inv.args.name, str(set_to))
        elif inv.args.clear:
            view = service.clear_areas(acting.token, inv.args.name)
        else:
            view = service.areas_of(acting.token, inv.args.name)
    if inv.args.json:
        write_json(inv.console.stdout, _areas_json(view))
        return EXIT_OK
    works = ", ".join(view.areas) if view.areas else "the whole force (no areas)"
    verb = "now works" if set_to is not None or inv.args.clear else "works"
    inv.console.out(f"{clean(view.username)} {verb}: {clean(works)}.")
    if view.unmatched:
        inv.console.note(
            f"No official account is in {clean(', '.join(view.unmatched))} yet: they see no "
            "cases there until one is ('desk-admin accounts set ID --area NAME')."
        )
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
