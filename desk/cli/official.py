"""``official-account add``, ``set`` and ``list``: where items arrive."""

from __future__ import annotations

import argparse
from typing import Any

from desk.cli import accounts, auth
from desk.cli.context import EXIT_OK, Invocation, Subparsers, command, group, json_flag
from desk.cli.output import clean, table, write_json
from desk.core.errors import InvalidInput
from desk.core.items import Platform
from desk.core.roles import Action
from desk.services.official_accounts import OfficialAccountView, parse_platform

PLATFORMS = ", ".join(p.value for p in Platform)


def platform_type(text: str) -> Platform:
    """Parse a platform name for argparse (its error names the platforms)."""
    try:
        return parse_platform(text)
    except InvalidInput as exc:
        raise argparse.ArgumentTypeError(exc.message) from None


def add_parsers(sub: Subparsers) -> None:
    """Add the ``official-account`` commands (and ``accounts``, the register)."""
    accounts.add_parsers(sub)
    official = command(
        sub,
        "official-account",
        "set up the force's official accounts that items arrive on",
        "Set up the force's official accounts on each platform. Items are imported only onto "
        "an official account: add them before the first import.",
    )
    officials = group(official, "official_command", "OFFICIAL_ACCOUNT_COMMAND")

    add = command(
        officials,
        "add",
        "add an official account (administrators only)",
        "Add an official account that already exists on its platform (taking on the estate): "
        "the platform and the handle exactly as import files name it (such as "
        "@ExampleshirePolice on x, or the page's name on facebook). Opening a NEW account "
        "goes through 'accounts request-open' and communications' approval.",
    )
    add.add_argument(
        "platform", type=platform_type, metavar="PLATFORM", help=f"one of: {PLATFORMS}"
    )
    add.add_argument("handle", metavar="HANDLE", help="the account's handle on that platform")
    add.add_argument("--name", default="", metavar="NAME", help="the name shown for it")
    add.add_argument(
        "--no-direct-messages",
        dest="direct_messages",
        action="store_false",
        help="the account does not take direct messages",
    )
    accounts.register_options(add, defaults=True)
    add.set_defaults(handler=run_add)

    change = command(
        officials,
        "set",
        "switch private messaging on or off for an official account (administrators only)",
        "Switch private messaging on or off for an official account. With it off, Desk "
        "refuses every private reply through that account.",
    )
    change.add_argument(
        "platform", type=platform_type, metavar="PLATFORM", help=f"one of: {PLATFORMS}"
    )
    change.add_argument("handle", metavar="HANDLE", help="the account's handle on that platform")
    change.add_argument(
        "--direct-messages",
        required=True,
        choices=("on", "off"),
        help="whether the account takes private messages",
    )
    change.set_defaults(handler=run_set)

    listing = command(officials, "list", "list the official accounts")
    json_flag(listing)
    listing.set_defaults(handler=run_list)


def _yes(flag: bool) -> str:
    return "yes" if flag else "no"


def run_add(inv: Invocation) -> int:
    """Add an official account."""
    platform: Platform = inv.args.platform
    with auth.acting(inv, Action.MANAGE_OFFICIAL_ACCOUNTS) as acting:
        view = inv.desk.official_accounts.add(
            acting.token,
            platform,
            str(inv.args.handle),
            str(inv.args.name),
            bool(inv.args.direct_messages),
            accounts.details_from(inv.args),
        )
    inv.console.out(
        f"Added {clean(view.handle)} on {view.platform.value} as an official account "
        f"(direct messages: {_yes(view.direct_messages)})."
    )
    return EXIT_OK


def run_set(inv: Invocation) -> int:
    """Switch private messaging on or off for an official account."""
    platform: Platform = inv.args.platform
    enabled = inv.args.direct_messages == "on"
    with auth.acting(inv, Action.MANAGE_OFFICIAL_ACCOUNTS) as acting:
        view = inv.desk.official_accounts.set_direct_messages(
            acting.token, platform, str(inv.args.handle), enabled
        )
    inv.console.out(
        f"Direct messages are now {'on' if view.direct_messages else 'off'} for "
        f"{clean(view.handle)} on {view.platform.value}."
    )
    return EXIT_OK


def _as_json(view: OfficialAccountView) -> dict[str, Any]:
    return {
        "id": view.id,
        "platform": view.platform.value,
        "handle": view.handle,
        "display_name": view.display_name,
        "direct_messages": view.direct_messages,
        "active": view.active,
    }


def run_list(inv: Invocation) -> int:
    """Print the official accounts."""
    with auth.acting(inv) as acting:
        views = inv.desk.official_accounts.list(acting.token)
    if inv.args.json:
        write_json(inv.console.stdout, [_as_json(v) for v in views])
        return EXIT_OK
    if not views:
        inv.console.out(
            "There are no official accounts yet: an administrator adds them with "
            "'desk-admin official-account add PLATFORM HANDLE'."
        )
        return EXIT_OK
    rows = [
        (
            v.platform.value,
            v.handle,
            v.display_name,
            _yes(v.direct_messages),
            "active" if v.active else "inactive",
        )
        for v in views
    ]
    inv.console.out(table(("platform", "handle", "name", "direct messages", "status"), rows))
    return EXIT_OK
