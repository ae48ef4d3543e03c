"""``queue``: the cases in the order the window shows them, with the window's filters."""

from __future__ import annotations

import argparse
from collections.abc import Callable, Iterator
from typing import Any

from desk.cli import auth
from desk.cli.caseviews import case_json, duration, priority_label, target, write_json_array
from desk.cli.context import EXIT_OK, Invocation, Subparsers, command
from desk.cli.official import PLATFORMS, platform_type
from desk.cli.output import table
from desk.core.cases import CaseStatus
from desk.core.errors import InvalidInput
from desk.core.items import ItemKind
from desk.core.queue_filter import OwnerFilter, QueueFilter
from desk.core.risk import RiskCategory
from desk.core.roles import Action
from desk.services.case_views import QueueKey, QueueRow

PAGE = 500
"""Cases fetched per keyset page."""
DEFAULT_LIMIT = 100
SUMMARY_WIDTH = 60

_STATUSES = [s.value for s in CaseStatus]
_CATEGORIES = [c.value for c in RiskCategory]
_KINDS = [k.value for k in ItemKind]
_OWNERS = [o.value for o in OwnerFilter]


def priority_type(text: str) -> int:
    """Parse a priority: 1 to 4, or P1 to P4."""
    value = text.strip().upper().removeprefix("P")
    if value not in {"1", "2", "3", "4"}:
        raise argparse.ArgumentTypeError(f"{text!r} is not a priority: use 1 to 4 (or P1 to P4)")
    return int(value)


def limit_type(text: str) -> int:
    """Parse ``--limit``: a whole number, 0 for every case."""
    try:
        value = int(text)
    except ValueError:
        raise argparse.ArgumentTypeError(f"{text!r} is not a whole number") from None
    if value < 0:
        raise argparse.ArgumentTypeError(f"{value} is negative: use 0 for every case")
    return value


def _many(
    parser: argparse.ArgumentParser,
    name: str,
    *,
    help: str,
    metavar: str,
    choices: list[str] | None = None,
    type: Callable[[str], Any] = str,
) -> None:
    """Add a filter option that takes one or more values, and may be given again."""
    parser.add_argument(
        name, action="extend", nargs="+", default=[], choices=choices, type=type,
        metavar=metavar, help=help + " (one or more)",
    )  # fmt: skip


def add_parsers(sub: Subparsers) -> None:
    """Add the ``queue`` command."""
    queue = command(
        sub,
        "queue",
        "print the queue: highest priority first, then oldest",
        "Print the cases in the order the queue window shows them: highest priority first, "
        "then oldest first. The filters are the window's, and all combine: a filter given "
        "several values (--status new triage, or --status new --status triage) matches any "
        "of them. Without filters every case is shown, closed ones too.\n\n"
        "With --json, print a JSON array ('[]' when no case matches): one object per case, "
        "one a line, with its priority, status, risk categories, owner, times (ISO 8601, UTC) "
        "and its items, for scripts.",
    )
    queue.add_argument(
        "--json", action="store_true", help="print a JSON array of the cases (for scripts)"
    )
    _many(queue, "--status", choices=_STATUSES, metavar="S", help=f"one of: {', '.join(_STATUSES)}")
    _many(
        queue,
        "--priority",
        type=priority_type,
        metavar="1..4",
        help="a priority: 1 to 4, or P1 to P4",
    )
    _many(
        queue,
        "--category",
        choices=_CATEGORIES,
        metavar="C",
        help=f"a risk category: {', '.join(_CATEGORIES)}",
    )
    _many(queue, "--platform", type=platform_type, metavar="P", help=f"one of: {PLATFORMS}")
    _many(queue, "--account", metavar="HANDLE", help="an official account's handle")
    _many(queue, "--kind", choices=_KINDS, metavar="K", help=f"one of: {', '.join(_KINDS)}")
    queue.add_argument(
        "--owner",
        choices=_OWNERS,
        default=OwnerFilter.ANYONE.value,
        help="whose cases: me, unassigned or anyone (default)",
    )
    queue.add_argument(
        "--search",
        default="",
        metavar="TEXT",
        help="only cases with an item whose text or author has every word (as a prefix)",
    )
    queue.add_argument(
        "--limit",
        type=limit_type,
        default=DEFAULT_LIMIT,
        metavar="N",
        help=f"at most N cases (default {DEFAULT_LIMIT}); 0 for every case",
    )
    queue.set_defaults(handler=run_queue)


def _account_ids(inv: Invocation, token: str) -> frozenset[int]:
    wanted: list[str] = inv.args.account
    if not wanted:
        return frozenset()
    accounts = inv.desk.official_accounts.list(token)
    ids: set[int] = set()
    for handle in wanted:
        # the handle as written; else any letter case ("@exampleshirepolice" on Instagram and
        # "@ExampleshirePolice" on X are different accounts when written exactly)
        found = {a.id for a in accounts if a.handle == handle.strip()} or {
            a.id for a in accounts if a.handle.casefold() == handle.strip().casefold()
        }
        if not found:
            raise InvalidInput(
                f"{handle!r} is not an official account: 'desk-admin official-account list' "
                "shows them."
            )
        ids |= found
    return frozenset(ids)


def _filter(inv: Invocation, token: str) -> QueueFilter:
    args = inv.args
    return QueueFilter(
        statuses=frozenset(args.status),
        priorities=frozenset(args.priority),
        categories=frozenset(args.category),
        platforms=frozenset(p.value for p in args.platform),
        account_ids=_account_ids(inv, token),
        kinds=frozenset(args.kind),
        owner=OwnerFilter(args.owner),
        search=args.search,
    )


def rows(inv: Invocation, token: str, flt: QueueFilter, limit: int) -> Iterator[QueueRow]:
    """Yield up to ``limit`` cases (0: all) in queue order, a keyset page at a time."""
    after: QueueKey | None = None
    left = limit or None
    while left is None or left > 0:
        size = PAGE if left is None else min(PAGE, left)
        page = inv.desk.queue.page(token, flt, after=after, limit=size)
        yield from page
        if len(page) < size:
            return
        after = page[-1].key
        if left is not None:
            left -= len(page)


def _short(text: str) -> str:
    line = " ".join(text.split())
    return line if len(line) <= SUMMARY_WIDTH else line[: SUMMARY_WIDTH - 1] + "…"


def run_queue(inv: Invocation) -> int:
    """Print the queue as a table or a JSON array."""
    limit: int = inv.args.limit
    with auth.acting(inv, Action.VIEW_QUEUE) as acting:
        token = acting.token
        flt = _filter(inv, token)
        shown = 0
        if inv.args.json:
            shown = write_json_array(
                inv.console.stdout,
                (
                    case_json(row, inv.desk.queue.detail(token, row.case_id).items)
                    for row in rows(inv, token, flt, limit)
                ),
            )
        else:
            found = list(rows(inv, token, flt, limit))
            shown = len(found)
            _write_table(inv, found)
        if limit and shown == limit:
            total = inv.desk.queue.count(token, flt)
            if total > shown:
                inv.console.note(
                    f"desk-admin: showing the first {shown} of {total} cases; "
                    "--limit 0 shows them all."
                )
    return EXIT_OK


def _write_table(inv: Invocation, found: list[QueueRow]) -> None:
    if not found:
        inv.console.out("No cases.")
        return
    now = inv.desk.ctx.clock.now()
    lines = [
        (
            r.case_id,
            priority_label(r.priority),
            duration(now - r.opened_at),
            target(r, now),
            r.status,
            r.owner or "-",
            r.platform,
            r.account,
            r.author,
            ",".join(r.risk) or ("not-assessed" if r.grade is None else "assessed"),
            _short(r.summary),
        )
        for r in found
    ]
    headers = ("case", "pri", "age", "target", "status", "owner", "platform", "account")
    inv.console.out(table((*headers, "author", "risk", "summary"), lines))
