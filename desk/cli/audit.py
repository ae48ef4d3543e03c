"""``audit list`` and ``audit verify``: reading and checking the audit chain."""

from __future__ import annotations

import argparse
import json
from typing import Any

from desk.cli import auth
from desk.cli.context import (
    EXIT_OK,
    EXIT_VERIFY_FAILED,
    Invocation,
    Subparsers,
    command,
    group,
    json_flag,
)
from desk.cli.output import stored_time, table, write_json
from desk.core.roles import Action
from desk.services.views import AuditView

MAX_LIMIT = 10_000


def _limit(text: str) -> int:
    try:
        value = int(text)
    except ValueError:
        raise argparse.ArgumentTypeError(f"{text!r} is not a whole number") from None
    if not 1 <= value <= MAX_LIMIT:
        raise argparse.ArgumentTypeError(f"{value} is outside 1 to {MAX_LIMIT}")
    return value


def add_parsers(sub: Subparsers) -> None:
    """Add the ``audit`` commands."""
    audit = command(sub, "audit", "read and verify the audit chain (supervisors, administrators)")
    audits = group(audit, "audit_command", "AUDIT_COMMAND")

    listing = command(
        audits, "list", "show the newest audit entries first", "Show audit entries, newest first."
    )
    listing.add_argument(
        "--limit", type=_limit, default=50, metavar="N", help="at most N entries (default 50)"
    )
    listing.add_argument(
        "--action",
        default=None,
        metavar="PREFIX",
        help="only actions starting with PREFIX, e.g. 'signin.' or 'account.create'",
    )
    json_flag(listing)
    listing.set_defaults(handler=run_list)

    command(
        audits,
        "verify",
        "check the whole chain for changed, removed or inserted entries",
        "Walk the whole audit chain and check every entry's seal. Exit 0 when it is intact; "
        f"exit {EXIT_VERIFY_FAILED}, naming the first entry changed, removed or inserted, "
        "when it is not.",
    ).set_defaults(handler=run_verify)


def _details(text: str) -> Any:
    try:
        return json.loads(text)
    except ValueError:
        return text


def _details_text(text: str) -> str:
    details = _details(text)
    if not isinstance(details, dict):
        return text
    return " ".join(f"{k}={v if isinstance(v, str) else json.dumps(v)}" for k, v in details.items())


def _as_json(e: AuditView) -> dict[str, Any]:
    return {
        "seq": e.seq,
        "at": e.at,
        "actor": e.actor,
        "action": e.action,
        "object": e.object,
        "details": _details(e.details),
    }


def run_list(inv: Invocation) -> int:
    """Print audit entries, newest first."""
    with auth.acting(inv, Action.VIEW_AUDIT) as acting:
        entries = inv.desk.audit.entries(acting.token, inv.args.limit, inv.args.action or None)
    if inv.args.json:
        write_json(inv.console.stdout, [_as_json(e) for e in entries])
        return EXIT_OK
    rows = [
        (e.seq, stored_time(e.at), e.actor, e.action, e.object, _details_text(e.details))
        for e in entries
    ]
    inv.console.out(table(("seq", "at (UTC)", "actor", "action", "object", "details"), rows))
    return EXIT_OK


def run_verify(inv: Invocation) -> int:
    """Verify the chain: exit 0 when intact, 1 naming the first break."""
    with auth.acting(inv, Action.VERIFY_AUDIT) as acting:
        report = inv.desk.audit.verify(acting.token)
        anchors = inv.desk.handover.verify_anchors(acting.token)  # a cut tail shows here
    for problem in anchors.problems:
        inv.console.note(f"desk-admin: error: Audit log cut back or changed: {problem}.")
    if report.intact and anchors.intact:
        latest = f", latest #{report.last_seq}" if report.last_seq is not None else ""
        inv.console.out(f"Audit chain intact: {report.checked} entries{latest}")
        if anchors.checked:
            inv.console.out(f"Handover anchors intact: {anchors.checked} signed handovers")
        return EXIT_OK
    if report.intact:
        return EXIT_VERIFY_FAILED
    inv.console.note(
        f"desk-admin: error: Audit chain broken: {report.problem} "
        f"({report.checked} entries before it verified). Keep a copy of the database as "
        "evidence and report it."
    )
    return EXIT_VERIFY_FAILED
