"""``accounts ...``: the official accounts register, requests, security reviews, public list."""

from __future__ import annotations

import argparse
from datetime import date
from pathlib import Path
from typing import Any

from desk.cli import auth
from desk.cli.context import (
    EXIT_OK,
    Invocation,
    Parser,
    Subparsers,
    command,
    desk_type,
    group,
    json_flag,
)
from desk.cli.output import clean, iso, table, when, write_json
from desk.core.account_register import (
    CHECKLIST,
    area_label,
    parse_day,
    parse_purpose,
    parse_result_pairs,
)
from desk.core.errors import InvalidInput
from desk.core.items import Platform
from desk.core.roles import Action
from desk.services.account_requests import RequestView
from desk.services.account_reviews import ReviewView
from desk.services.official_accounts import RegisterDetails, RegisterEntry, parse_platform

PLATFORMS = ", ".join(p.value for p in Platform)
CHECKS = ", ".join(c.value for c in CHECKLIST)


def _on_off(text: str) -> bool:
    value = text.strip().lower()
    if value in ("on", "yes", "true"):
        return True
    if value in ("off", "no", "false"):
        return False
    raise InvalidInput(f"{text!r}: use on or off.")


def _day(what: str) -> Any:
    return desk_type(lambda text: parse_day(text, what))


def _request_id(text: str) -> int:
    value = text.strip().upper().removeprefix("ACR-")
    if not value.isdigit():
        raise InvalidInput(f"{text!r} is not a request: use ACR-7 or 7.")
    return int(value)


def register_options(parser: Parser, defaults: bool) -> None:
    """Add the register's fields as options (``defaults``: for a new entry, else unchanged)."""
    d = (lambda v: v) if defaults else (lambda v: None)
    parser.add_argument("--link", default=d(""), help="the account's web address")
    parser.add_argument(
        "--purpose",
        type=desk_type(parse_purpose),
        default=d(None),
        help="engagement (public engagement, the default) or investigations: Desk refuses to "
        "import or work an investigations account's items",
    )
    parser.add_argument("--team", dest="owning_team", default=d(""), help="the owning team")
    parser.add_argument(
        "--area", default=d(""), help="the neighbourhood it serves ('force-wide' or '' for all)"
    )
    parser.add_argument(
        "--admin",
        dest="administrators",
        action="append",
        default=d([]),
        metavar="NAME",
        help="a named administrator: a desk username or a free name (repeat for each; "
        "with 'set', the list replaces the old one)",
    )
    for flag, dest, what in (
        ("--verified", "verified", "verified by the platform"),
        ("--two-factor", "two_factor", "two-factor authentication on"),
        ("--login-alerts", "login_alerts", "login alerts on"),
        ("--managed", "managed", "run through the management platform"),
    ):
        parser.add_argument(
            flag, dest=dest, type=desk_type(_on_off), default=d(False), metavar="on|off", help=what
        )
    parser.add_argument(
        "--credentials-location",
        default=d(""),
        metavar="WHERE",
        help="where the credentials are kept (a vault's name), NEVER the password itself",
    )
    parser.add_argument(
        "--opened", dest="opened_on", type=_day("opening date"), default=d(None),
        metavar="YYYY-MM-DD", help="when it opened on its platform",
    )  # fmt: skip


def details_from(args: argparse.Namespace) -> RegisterDetails:
    """The register fields given on the command line, for a new entry."""
    values = {
        k: getattr(args, k)
        for k in RegisterDetails().as_changes()
        if getattr(args, k, None) is not None
    }
    values["administrators"] = tuple(values.get("administrators", ()))
    return RegisterDetails(**values)


def add_parsers(sub: Subparsers) -> None:
    """Add the ``accounts`` commands."""
    accounts = command(
        sub,
        "accounts",
        "the official accounts register: requests, security reviews, the public list",
        "The register of the force's official accounts (see docs/account-estate.md). "
        "Administrators request opening and closing; communications approve or refuse; "
        "administrators and communications record security reviews; the public list is for "
        "the force's website.",
    )
    a_sub = group(accounts, "official_command", "ACCOUNTS_COMMAND")

    listing = command(a_sub, "list", "list the register with each account's review due")
    listing.add_argument("--open", action="store_true", help="leave out closed accounts")
    json_flag(listing)
    listing.set_defaults(handler=run_list)

    show = command(a_sub, "show", "show one account's register entry and its reviews")
    show.add_argument("id", type=int, metavar="ID", help="the account's number from 'list'")
    json_flag(show)
    show.set_defaults(handler=run_show)

    change = command(a_sub, "set", "change register fields (administrators only)")
    change.add_argument("id", type=int, metavar="ID", help="the account's number")
    change.add_argument("--name", dest="display_name", default=None, help="the name shown")
    register_options(change, defaults=False)
    change.set_defaults(handler=run_set)

    ask = command(
        a_sub,
        "request-open",
        "ask to open a new official account (administrators); communications decide",
    )
    ask.add_argument("platform", type=desk_type(parse_platform), metavar="PLATFORM", help=PLATFORMS)
    ask.add_argument("handle", metavar="HANDLE", help="the account's handle")
    ask.add_argument("--name", default="", help="the name shown for it")
    ask.add_argument("--reason", required=True, help="why the account is needed")
    register_options(ask, defaults=True)
    json_flag(ask)
    ask.set_defaults(handler=run_request_open)

    close = command(a_sub, "request-close", "ask to close an account (administrators)")
    close.add_argument("id", type=int, metavar="ID", help="the account's number")
    close.add_argument("--reason", required=True, help="why it should close")
    json_flag(close)
    close.set_defaults(handler=run_request_close)

    requests = command(a_sub, "requests", "list requests to open or close accounts")
    requests.add_argument("--pending", action="store_true", help="only those waiting")
    json_flag(requests)
    requests.set_defaults(handler=run_requests)

    approve = command(a_sub, "approve", "approve a request (communications)")
    approve.add_argument("request", type=desk_type(_request_id), metavar="ACR", help="ACR-7 or 7")
    approve.add_argument("--note", default="", help="a note kept with the decision")
    approve.add_argument(
        "--on", type=_day("date"), default=None, metavar="YYYY-MM-DD",
        help="the day it opened or closed on its platform (default: today)",
    )  # fmt: skip
    json_flag(approve)
    approve.set_defaults(handler=run_approve)

    refuse = command(a_sub, "refuse", "refuse a request, with the reason (communications)")
    refuse.add_argument("request", type=desk_type(_request_id), metavar="ACR", help="ACR-7 or 7")
    refuse.add_argument("--reason", required=True, help="why it is refused")
    json_flag(refuse)
    refuse.set_defaults(handler=run_refuse)

    checklist = command(a_sub, "checklist", "print the security review checklist")
    checklist.set_defaults(handler=run_checklist)

    review = command(
        a_sub,
        "review",
        "record a security review (administrators, communications)",
        "Record a security review: answer every checklist item pass, fail or na with --check "
        f"ITEM=ANSWER ('all=pass' answers those not named). Items: {CHECKS}. A failed item "
        "needs --actions. The next review is due one interval later (the account_review_days "
        "setting) unless --next-due says otherwise.",
    )
    review.add_argument("id", type=int, metavar="ID", help="the account's number")
    review.add_argument(
        "--check", action="append", default=[], required=True, metavar="ITEM=ANSWER",
        help="a checklist answer (repeat)",
    )  # fmt: skip
    review.add_argument("--findings", default="", help="what the review found")
    review.add_argument("--actions", default="", help="what will be done, by whom")
    review.add_argument("--on", type=_day("review date"), default=None, metavar="YYYY-MM-DD")
    review.add_argument(
        "--next-due", type=_day("next due date"), default=None, metavar="YYYY-MM-DD"
    )
    json_flag(review)
    review.set_defaults(handler=run_review)

    overdue = command(a_sub, "overdue", "list accounts whose security review is overdue")
    json_flag(overdue)
    overdue.set_defaults(handler=run_overdue)

    export = command(
        a_sub,
        "export",
        "write the public list of official accounts for the force's website",
        "Write the public list: open public-engagement accounts only, with platform, handle, "
        "name, area and link (never administrators or credentials). HTML is a whole, "
        "accessible page; CSV is formula-safe. Unlike every other export it is not "
        "OFFICIAL-SENSITIVE: it is marked OFFICIAL (for publication).",
    )
    export.add_argument(
        "--public", action="store_true", required=True, help="the public list (required)"
    )
    export.add_argument("--format", choices=("html", "csv"), default="html")
    export.add_argument("--out", required=True, type=Path, metavar="FILE", help="where to write")
    export.set_defaults(handler=run_export)


# --- formatting -----------------------------------------------------------------------------


def _d(day: date | None) -> str | None:
    return day.isoformat() if day else None


def entry_json(e: RegisterEntry) -> dict[str, Any]:
    """A register entry for scripts."""
    return {
        "id": e.id,
        "platform": e.platform.value,
        "handle": e.handle,
        "display_name": e.display_name,
        "link": e.link,
        "purpose": e.purpose.value,
        "owning_team": e.owning_team,
        "area": e.area,
        "administrators": list(e.administrators),
        "administrators_disabled": list(e.administrators_disabled),
        "verified": e.verified,
        "two_factor": e.two_factor,
        "login_alerts": e.login_alerts,
        "managed": e.managed,
        "credentials_location": e.credentials_location,
        "direct_messages": e.direct_messages,
        "active": e.active,
        "opened_on": _d(e.opened_on),
        "closed_on": _d(e.closed_on),
        "last_review_on": _d(e.last_review_on),
        "review_due_on": _d(e.review_due_on),
        "review_overdue": e.review_overdue,
    }


def request_json(r: RequestView) -> dict[str, Any]:
    """A request for scripts."""
    return {
        "id": r.id,
        "reference": r.reference,
        "kind": r.kind.value,
        "platform": r.platform.value,
        "handle": r.handle,
        "display_name": r.display_name,
        "account_id": r.account_id,
        "register": r.details.to_json() if r.details else None,
        "reason": r.reason,
        "requested_by": r.requested_by,
        "requested_at": iso(r.requested_at),
        "state": r.state.value,
        "decided_by": r.decided_by,
        "decided_at": iso(r.decided_at),
        "decision_note": r.decision_note,
        "apps_to_revoke": list(r.apps_to_revoke),
    }


def review_json(v: ReviewView) -> dict[str, Any]:
    """A review for scripts."""
    return {
        "id": v.id,
        "account_id": v.account_id,
        "reviewed_on": v.reviewed_on.isoformat(),
        "reviewer": v.reviewer,
        "results": {c.value: r.value for c, r in v.results.items()},
        "failed": [c.value for c in v.failed],
        "findings": v.findings,
        "actions": v.actions,
        "next_due_on": v.next_due_on.isoformat(),
    }


def _yes(flag: bool) -> str:
    return "yes" if flag else "no"


def _review_state(e: RegisterEntry) -> str:
    if not e.active:
        return f"closed {_d(e.closed_on) or ''}".strip()
    return f"{_d(e.review_due_on)}{' OVERDUE' if e.review_overdue else ''}"


# --- handlers -------------------------------------------------------------------------------


def run_list(inv: Invocation) -> int:
    """Print the register."""
    with auth.acting(inv) as acting:
        entries = inv.desk.official_accounts.register(acting.token, not inv.args.open)
    if inv.args.json:
        write_json(inv.console.stdout, [entry_json(e) for e in entries])
        return EXIT_OK
    if not entries:
        inv.console.out("The register is empty: request an account with 'accounts request-open'.")
        return EXIT_OK
    rows = [
        (e.id, e.platform.value, e.handle, e.purpose.value, area_label(e.area),
         e.owning_team, _yes(e.two_factor), _review_state(e))
        for e in entries
    ]  # fmt: skip
    inv.console.out(
        table(("id", "platform", "handle", "purpose", "area", "team", "2fa", "review due"), rows)
    )
    return EXIT_OK


def _print_entry(inv: Invocation, e: RegisterEntry) -> None:
    admins = ", ".join(
        a + (" (disabled on the desk)" if a in e.administrators_disabled else "")
        for a in e.administrators
    )
    lines = [
        f"Official account #{e.id}: {e.handle} on {e.platform.value} "
        f"({'open' if e.active else 'closed'})",
        f"  Name:            {e.display_name}",
        f"  Link:            {e.link or '(none)'}",
        f"  Purpose:         {e.purpose.label()}",
        f"  Owning team:     {e.owning_team or '(not recorded)'}",
        f"  Area:            {area_label(e.area)}",
        f"  Administrators:  {admins or '(none named)'}",
        f"  Verified:        {_yes(e.verified)}",
        f"  2FA on:          {_yes(e.two_factor)}",
        f"  Login alerts on: {_yes(e.login_alerts)}",
        f"  Managed:         {_yes(e.managed)} (through the management platform)",
        f"  Credentials in:  {e.credentials_location or '(not recorded)'}",
        f"  Opened:          {_d(e.opened_on) or '(not recorded)'}",
        f"  Closed:          {_d(e.closed_on) or '-'}",
        f"  Last review:     {_d(e.last_review_on) or 'never'}",
        f"  Next review due: {_review_state(e)}",
    ]
    inv.console.out("\n".join(clean(line) for line in lines))


def run_show(inv: Invocation) -> int:
    """Print one register entry and its reviews."""
    with auth.acting(inv) as acting:
        entry = inv.desk.official_accounts.entry(acting.token, inv.args.id)
        reviews = inv.desk.account_reviews.history(acting.token, inv.args.id)
    if inv.args.json:
        data = entry_json(entry) | {"reviews": [review_json(r) for r in reviews]}
        write_json(inv.console.stdout, data)
        return EXIT_OK
    _print_entry(inv, entry)
    for r in reviews:
        failed = ", ".join(c.value for c in r.failed) or "none"
        inv.console.out(
            f"  Review {r.reviewed_on.isoformat()} by {clean(r.reviewer)}: failed {failed}"
            + (f"; actions: {clean(r.actions)}" if r.actions else "")
        )
    return EXIT_OK


def run_set(inv: Invocation) -> int:
    """Change register fields."""
    names = [*RegisterDetails().as_changes(), "display_name"]
    changes = {n: getattr(inv.args, n) for n in names if getattr(inv.args, n, None) is not None}
    if "administrators" in changes:
        changes["administrators"] = tuple(changes["administrators"])
    with auth.acting(inv, Action.MANAGE_OFFICIAL_ACCOUNTS) as acting:
        entry = inv.desk.official_accounts.update(acting.token, inv.args.id, changes)
    _print_entry(inv, entry)
    return EXIT_OK


def _said(inv: Invocation, view: RequestView, text: str) -> int:
    if inv.args.json:
        write_json(inv.console.stdout, request_json(view))
    else:
        inv.console.out(clean(text))
    return EXIT_OK


def run_request_open(inv: Invocation) -> int:
    """Ask to open an account."""
    with auth.acting(inv, Action.MANAGE_OFFICIAL_ACCOUNTS) as acting:
        view = inv.desk.account_requests.request_open(
            acting.token, inv.args.platform, inv.args.handle, inv.args.name,
            details_from(inv.args), inv.args.reason,
        )  # fmt: skip
    return _said(
        inv, view,
        f"{view.reference}: opening {view.handle} on {view.platform.value} waits for "
        "communications to approve ('accounts approve').",
    )  # fmt: skip


def run_request_close(inv: Invocation) -> int:
    """Ask to close an account."""
    with auth.acting(inv, Action.MANAGE_OFFICIAL_ACCOUNTS) as acting:
        view = inv.desk.account_requests.request_close(acting.token, inv.args.id, inv.args.reason)
    apps = (
        f"revoke these third-party apps' access when it closes: {', '.join(view.apps_to_revoke)}."
        if view.apps_to_revoke
        else "no third-party app is recorded with access to it ('apps for-account')."
    )
    return _said(
        inv, view,
        f"{view.reference}: closing {view.handle} on {view.platform.value} waits for "
        f"communications to approve; {apps}",
    )  # fmt: skip


def run_requests(inv: Invocation) -> int:
    """List requests."""
    with auth.acting(inv) as acting:
        views = inv.desk.account_requests.list(acting.token, inv.args.pending)
    if inv.args.json:
        write_json(inv.console.stdout, [request_json(v) for v in views])
        return EXIT_OK
    if not views:
        inv.console.out("No requests.")
        return EXIT_OK
    rows = [
        (v.reference, v.kind.value, v.platform.value, v.handle, v.requested_by,
         when(v.requested_at), v.state.value, v.decided_by or "", v.reason)
        for v in views
    ]  # fmt: skip
    inv.console.out(
        table(("request", "kind", "platform", "handle", "by", "asked", "state", "decided by",
               "reason"), rows)
    )  # fmt: skip
    return EXIT_OK


def run_approve(inv: Invocation) -> int:
    """Approve a request."""
    with auth.acting(inv, Action.APPROVE_ACCOUNT_CHANGES) as acting:
        view = inv.desk.account_requests.approve(
            acting.token, inv.args.request, inv.args.note, inv.args.on
        )
    done = "is open and in the register" if view.kind.value == "open" else "is closed"
    return _said(
        inv, view, f"{view.reference} approved: {view.handle} on {view.platform.value} {done}."
    )


def run_refuse(inv: Invocation) -> int:
    """Refuse a request."""
    with auth.acting(inv, Action.APPROVE_ACCOUNT_CHANGES) as acting:
        view = inv.desk.account_requests.refuse(acting.token, inv.args.request, inv.args.reason)
    return _said(inv, view, f"{view.reference} refused: {view.decision_note}")


def run_checklist(inv: Invocation) -> int:
    """Print the checklist."""
    inv.console.out("\n".join(f"{c.value:<20} {c.label()}" for c in CHECKLIST))
    return EXIT_OK


def run_review(inv: Invocation) -> int:
    """Record a security review."""
    results = parse_result_pairs(inv.args.check)
    with auth.acting(inv, Action.REVIEW_ACCOUNT_SECURITY) as acting:
        view = inv.desk.account_reviews.record(
            acting.token, inv.args.id, results, inv.args.findings, inv.args.actions,
            inv.args.on, inv.args.next_due,
        )  # fmt: skip
    if inv.args.json:
        write_json(inv.console.stdout, review_json(view))
        return EXIT_OK
    failed = ", ".join(c.value for c in view.failed) or "nothing"
    inv.console.out(
        clean(
            f"Review of {view.handle} on {view.platform} recorded ({failed} failed); the next "
            f"is due {view.next_due_on.isoformat()}."
        )
    )
    return EXIT_OK


def run_overdue(inv: Invocation) -> int:
    """List overdue reviews."""
    with auth.acting(inv) as acting:
        late = inv.desk.account_reviews.overdue(acting.token)
    if inv.args.json:
        write_json(
            inv.console.stdout,
            [{"id": o.account_id, "platform": o.platform, "handle": o.handle,
              "due_on": o.due_on.isoformat()} for o in late],
        )  # fmt: skip
        return EXIT_OK
    if not late:
        inv.console.out("No security review is overdue.")
        return EXIT_OK
    rows = [(o.account_id, o.platform, o.handle, o.due_on.isoformat()) for o in late]
    inv.console.out(table(("id", "platform", "handle", "was due"), rows))
    return EXIT_OK


def run_export(inv: Invocation) -> int:
    """Write the public list."""
    out: Path = inv.args.out
    if out.is_dir():
        raise InvalidInput(f"{out} is a folder: give a file name for the list.")
    if not out.parent.is_dir():
        raise InvalidInput(f"There is no folder {out.parent} to write the list into.")
    with auth.acting(inv) as acting:
        made = inv.desk.account_export.public_list(acting.token, inv.args.format)
    out.write_text(made.text, encoding="utf-8", newline="")
    inv.console.out(
        clean(f"Wrote the public list of {len(made.accounts)} official accounts to {out}.")
    )
    return EXIT_OK
