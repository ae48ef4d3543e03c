"""``erase AUTHOR``: remove everything Desk holds about one author (right to erasure)."""

from __future__ import annotations

from desk.cli import auth
from desk.cli.context import EXIT_OK, Invocation, Subparsers, command, json_flag
from desk.cli.output import write_json
from desk.cli.sar import AUTHOR_HELP, sar_id
from desk.core.roles import Action


def add_parsers(sub: Subparsers) -> None:
    """Add the ``erase`` command."""
    erase = command(
        sub,
        "erase",
        "erase an author: their words and identifiers removed everywhere Desk keeps them",
        "Remove everything Desk holds about AUTHOR: every item they wrote, every case of "
        "theirs whole (timeline, THRIVE, escalations, replies, moderation), the search index's "
        "copy, and the database's write-ahead log; every mention of their handle or name in "
        "what other people wrote (items and their stored originals, notes, THRIVE, replies, "
        "escalations, moderation, handover notes and signed handover reports) is replaced "
        "with [erased person]. Refused while a legal hold or an open case of theirs stands, or "
        "a case under a legal hold mentions them. The audit keeps a tombstone entry (ids and "
        "counts, no content). This cannot be undone.",
    )
    erase.add_argument("author", metavar="AUTHOR", help=AUTHOR_HELP)
    erase.add_argument(
        "--reason",
        required=True,
        metavar="TEXT",
        help="why (kept in the audit: do not name the person), e.g. 'Art. 17 request SAR-4'",
    )
    erase.add_argument(
        "--request", type=sar_id, default=None, metavar="SAR", help="the request it answers"
    )
    json_flag(erase)
    erase.set_defaults(handler=run_erase)


def run_erase(inv: Invocation) -> int:
    """Erase an author."""
    a = inv.args
    with auth.acting(inv, Action.MANAGE_SUBJECT_ACCESS) as acting:
        done = inv.desk.erasure.erase(acting.token, a.author, a.reason, a.request)
    if a.json:
        write_json(
            inv.console.stdout,
            {
                "author_id": done.author_id,
                "items": done.items,
                "cases": list(done.cases),
                "log_emptied": done.log_emptied,
                "mentions_replaced": done.mentions,
                "rows_redacted": done.redacted,
            },
        )
        return EXIT_OK
    inv.console.out(
        f"Erased author {done.author_id}: {done.items} item(s) and {len(done.cases)} case(s) "
        "removed; the audit keeps a tombstone entry."
    )
    if done.mentions:
        where = ", ".join(f"{table} {rows}" for table, rows in sorted(done.redacted.items()))
        inv.console.out(
            f"Replaced {done.mentions} mention(s) of them in other records with "
            f"[erased person] ({where})."
        )
    if not done.log_emptied:
        inv.console.note(
            "The database's write-ahead log could not be emptied now (another window is "
            "reading); SQLite empties it once every window on this desk has closed."
        )
    return EXIT_OK
