"""``apps ...``: the third-party apps register (add, list, show, set, review, revoke, overdue)."""

from __future__ import annotations

import argparse
from datetime import date
from typing import Any

from desk.cli import auth
from desk.cli.context import EXIT_OK, Invocation, Subparsers, command, desk_type, group, json_flag
from desk.cli.output import clean, iso, table, write_json
from desk.core.account_register import parse_day
from desk.core.roles import Action
from desk.core.third_party_apps import AppAccess, parse_access, parse_app_reference
from desk.services.third_party_apps import AppView

ACCESS = ", ".join(a.value for a in AppAccess)


def _day(what: str) -> Any:
    return desk_type(lambda text: parse_day(text, what))


def _app_arg(parser: argparse.ArgumentParser) -> None:
    parser.add_argument(
        "app", type=desk_type(parse_app_reference), metavar="APP", help="APP-7 or 7 (from 'list')"
    )


def _entry_options(parser: argparse.ArgumentParser, adding: bool) -> None:
    """The entry's fields (required when ``adding``; else only those given change)."""
    parser.add_argument(
        "--account",
        dest="accounts",
        type=int,
        action="append",
        required=adding,
        metavar="ID",
        help="an official account it has access to, by its number from 'accounts list' "
        "(repeat for each; with 'set', the list replaces the old one)",
    )
    parser.add_argument(
        "--access",
        action="append",
        required=adding,
        metavar="KINDS",
        help=f"what it may do there, comma-separated: {ACCESS}",
    )
    parser.add_argument(
        "--why",
        dest="necessity",
        required=adding,
        metavar="TEXT",
        help="why it is critically necessary (what would stop without it)",
    )
    parser.add_argument(
        "--approved-by",
        required=adding,
        metavar="USERNAME",
        help="who approved it: a communications officer's username on the desk",
    )
    parser.add_argument(
        "--approved-on", type=_day("approval date"), default=None, metavar="YYYY-MM-DD",
        help="when it was approved (default: today)" if adding else "when it was approved",
    )  # fmt: skip
    parser.add_argument(
        "--review-due", type=_day("review date"), default=None, metavar="YYYY-MM-DD",
        help="when its review is due (default: one app_review_days interval after approval)"
        if adding else "move the next review to this day",
    )  # fmt: skip
    json_flag(parser)


def add_parsers(sub: Subparsers) -> None:
    """Add the ``apps`` commands."""
    apps = command(
        sub,
        "apps",
        "the third-party apps register: apps with access to official accounts",
        "The register of third-party apps with access to the force's official accounts (see "
        "docs/account-estate.md): which accounts, what access, why it is critically necessary, "
        "who approved it, and when it is next reviewed. Administrators and communications "
        "record, review and revoke; the approver named must be a communications officer on "
        "the desk.",
    )
    a_sub = group(apps, "apps_command", "APPS_COMMAND")

    add = command(a_sub, "add", "record an app with access to official accounts")
    add.add_argument("name", metavar="NAME", help="the app's name (such as Hootsuite)")
    _entry_options(add, adding=True)
    add.set_defaults(handler=run_add)

    listing = command(a_sub, "list", "list the apps with their review due")
    listing.add_argument("--all", action="store_true", help="include revoked apps")
    json_flag(listing)
    listing.set_defaults(handler=run_list)

    show = command(a_sub, "show", "show one app's entry")
    _app_arg(show)
    json_flag(show)
    show.set_defaults(handler=run_show)

    change = command(a_sub, "set", "change an app's entry (only the fields given change)")
    _app_arg(change)
    change.add_argument("--name", default=None, help="the app's name")
    _entry_options(change, adding=False)
    change.set_defaults(handler=run_set)

    review = command(
        a_sub,
        "review",
        "record that an app was reviewed and is still critically necessary",
        "Record today's review of an app: it is still critically necessary and its access is "
        "still right. If it is not, revoke it instead. The next review is due one interval "
        "later (the app_review_days setting) unless --next-due says otherwise.",
    )
    _app_arg(review)
    review.add_argument("--note", default="", help="what the review found")
    review.add_argument(
        "--next-due", type=_day("next review date"), default=None, metavar="YYYY-MM-DD"
    )
    json_flag(review)
    review.set_defaults(handler=run_review)

    revoke = command(a_sub, "revoke", "record that an app's access was revoked, and why")
    _app_arg(revoke)
    revoke.add_argument("--reason", required=True, help="why its access was revoked")
    revoke.add_argument(
        "--on", type=_day("revocation date"), default=None, metavar="YYYY-MM-DD",
        help="the day it was revoked on the platform (default: today)",
    )  # fmt: skip
    json_flag(revoke)
    revoke.set_defaults(handler=run_revoke)

    overdue = command(a_sub, "overdue", "list apps whose review is overdue")
    json_flag(overdue)
    overdue.set_defaults(handler=run_overdue)

    for_account = command(
        a_sub, "for-account", "list the apps with access to one account (to revoke on closing)"
    )
    for_account.add_argument("account", type=int, metavar="ID", help="the account's number")
    json_flag(for_account)
    for_account.set_defaults(handler=run_for_account)


# --- formatting -----------------------------------------------------------------------------


def _d(day: date | None) -> str | None:
    return day.isoformat() if day else None


def app_json(v: AppView) -> dict[str, Any]:
    """An app's entry for scripts."""
    return {
        "id": v.id,
        "reference": v.reference,
        "name": v.name,
        "accounts": [
            {"id": a.id, "platform": a.platform, "handle": a.handle, "active": a.active}
            for a in v.accounts
        ],
        "access": [a.value for a in v.access],
        "necessity": v.necessity,
        "approved_by": v.approved_by,
        "approved_on": v.approved_on.isoformat(),
        "recorded_by": v.recorded_by,
        "recorded_at": iso(v.recorded_at),
        "review_due_on": v.review_due_on.isoformat(),
        "review_overdue": v.review_overdue,
        "last_review_on": _d(v.last_review_on),
        "last_reviewed_by": v.last_reviewed_by,
        "review_note": v.review_note,
        "active": v.active,
        "revoked_on": _d(v.revoked_on),
        "revoked_by": v.revoked_by,
        "revoked_reason": v.revoked_reason,
    }


def _due(v: AppView) -> str:
    if not v.active:
        return f"revoked {_d(v.revoked_on)}"
    return f"{v.review_due_on.isoformat()}{' OVERDUE' if v.review_overdue else ''}"


def _accounts(v: AppView) -> str:
    return ", ".join(a.label for a in v.accounts)


def _print_table(inv: Invocation, views: list[AppView]) -> None:
    rows = [
        (v.reference, v.name, _accounts(v), v.access_text, v.approved_by, _due(v)) for v in views
    ]
    inv.console.out(table(("app", "name", "accounts", "access", "approved by", "review due"), rows))


def _print_entry(inv: Invocation, v: AppView) -> None:
    lines = [
        f"{v.reference}: {v.name} ({'active' if v.active else 'revoked'})",
        f"  Accounts:     {_accounts(v)}",
        f"  Access:       {v.access_text}",
        f"  Necessary:    {v.necessity}",
        f"  Approved by:  {v.approved_by_name} ({v.approved_by}) on {v.approved_on.isoformat()}",
        f"  Recorded by:  {v.recorded_by}",
        "  Last review:  "
        + (f"{_d(v.last_review_on)} by {v.last_reviewed_by}" if v.last_review_on else "never")
        + (f": {v.review_note}" if v.review_note else ""),
        f"  Review due:   {_due(v)}",
    ]
    if not v.active:
        lines.append(f"  Revoked:      {_d(v.revoked_on)} by {v.revoked_by}: {v.revoked_reason}")
    for closed in v.closed_accounts:
        if v.active:
            lines.append(f"  Revoke its access to {closed.label}: that account has closed.")
    inv.console.out("\n".join(clean(line) for line in lines))


def _said(inv: Invocation, view: AppView, text: str) -> int:
    if inv.args.json:
        write_json(inv.console.stdout, app_json(view))
    else:
        inv.console.out(clean(text))
    return EXIT_OK


def _access(inv: Invocation) -> tuple[AppAccess, ...] | None:
    given = inv.args.access
    return None if given is None else parse_access(given)


# --- handlers -------------------------------------------------------------------------------


def run_add(inv: Invocation) -> int:
    """Record an app."""
    access = _access(inv) or ()
    with auth.acting(inv, Action.MANAGE_THIRD_PARTY_APPS) as acting:
        view = inv.desk.third_party_apps.add(
            acting.token, inv.args.name, inv.args.accounts, access, inv.args.necessity,
            inv.args.approved_by, inv.args.approved_on, inv.args.review_due,
        )  # fmt: skip
    return _said(
        inv, view,
        f"{view.reference}: {view.name} recorded with {view.access_text} access to "
        f"{_accounts(view)}; its review is due {view.review_due_on.isoformat()}.",
    )  # fmt: skip


def run_list(inv: Invocation) -> int:
    """Print the register."""
    with auth.acting(inv) as acting:
        views = inv.desk.third_party_apps.list(acting.token, inv.args.all)
    if inv.args.json:
        write_json(inv.console.stdout, [app_json(v) for v in views])
        return EXIT_OK
    if not views:
        inv.console.out("No third-party apps are recorded: add one with 'apps add'.")
        return EXIT_OK
    _print_table(inv, views)
    return EXIT_OK


def run_show(inv: Invocation) -> int:
    """Print one app's entry."""
    with auth.acting(inv) as acting:
        view = inv.desk.third_party_apps.get(acting.token, inv.args.app)
    if inv.args.json:
        write_json(inv.console.stdout, app_json(view))
    else:
        _print_entry(inv, view)
    return EXIT_OK


def run_set(inv: Invocation) -> int:
    """Change an app's entry."""
    with auth.acting(inv, Action.MANAGE_THIRD_PARTY_APPS) as acting:
        view = inv.desk.third_party_apps.update(
            acting.token,
            inv.args.app,
            name=inv.args.name,
            account_ids=inv.args.accounts,
            access=_access(inv),
            necessity=inv.args.necessity,
            approved_by=inv.args.approved_by,
            approved_on=inv.args.approved_on,
            review_due_on=inv.args.review_due,
        )
    if inv.args.json:
        write_json(inv.console.stdout, app_json(view))
    else:
        _print_entry(inv, view)
    return EXIT_OK


def run_review(inv: Invocation) -> int:
    """Record a review."""
    with auth.acting(inv, Action.MANAGE_THIRD_PARTY_APPS) as acting:
        view = inv.desk.third_party_apps.review(
            acting.token, inv.args.app, inv.args.note, inv.args.next_due
        )
    return _said(
        inv, view,
        f"Review of {view.name} ({view.reference}) recorded; the next is due "
        f"{view.review_due_on.isoformat()}.",
    )  # fmt: skip


def run_revoke(inv: Invocation) -> int:
    """Record a revocation."""
    with auth.acting(inv, Action.MANAGE_THIRD_PARTY_APPS) as acting:
        view = inv.desk.third_party_apps.revoke(
            acting.token, inv.args.app, inv.args.reason, inv.args.on
        )
    return _said(
        inv, view,
        f"{view.name} ({view.reference}) revoked on {_d(view.revoked_on)}: it no longer has "
        f"access to {_accounts(view)}.",
    )  # fmt: skip


def run_overdue(inv: Invocation) -> int:
    """List apps whose review is overdue."""
    with auth.acting(inv) as acting:
        views = inv.desk.third_party_apps.overdue(acting.token)
    if inv.args.json:
        write_json(inv.console.stdout, [app_json(v) for v in views])
        return EXIT_OK
    if not views:
        inv.console.out("No third-party app's review is overdue.")
        return EXIT_OK
    _print_table(inv, views)
    return EXIT_OK


def run_for_account(inv: Invocation) -> int:
    """List the apps with access to one account."""
    with auth.acting(inv) as acting:
        views = inv.desk.third_party_apps.for_account(acting.token, inv.args.account)
    if inv.args.json:
        write_json(inv.console.stdout, [app_json(v) for v in views])
        return EXIT_OK
    if not views:
        inv.console.out("No third-party app has access to that account.")
        return EXIT_OK
    _print_table(inv, views)
    return EXIT_OK
