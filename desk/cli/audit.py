"""``audit list``, ``audit anchor`` and ``audit verify``: reading and checking the audit chain."""

from __future__ import annotations

import argparse
import io
import json
from datetime import datetime
from pathlib import Path
from typing import Any

from desk.cli import auth
from desk.cli.context import (
    EXIT_OK,
    EXIT_VERIFY_FAILED,
    Invocation,
    Subparsers,
    command,
    group,
)
from desk.cli.output import stored_time, table, write_json
from desk.core.audit_export import audit_json, details_value, entry_json, write_audit_csv
from desk.core.audit_filter import AuditFilter
from desk.core.errors import DeskError, InvalidInput
from desk.core.roles import Action
from desk.core.shifts import parse_moment

MAX_LIMIT = 10_000
_TIME_HELP = "an ISO date and time, e.g. 2026-11-24T19:30 (UK local time) or 2026-11-24T19:30Z"


def _limit(text: str) -> int:
    try:
        value = int(text)
    except ValueError:
        raise argparse.ArgumentTypeError(f"{text!r} is not a whole number") from None
    if not 1 <= value <= MAX_LIMIT:
        raise argparse.ArgumentTypeError(f"{value} is outside 1 to {MAX_LIMIT}")
    return value


def _case(text: str) -> int:
    try:
        value = int(text.removeprefix("#"))
    except ValueError:
        raise argparse.ArgumentTypeError(f"{text!r} is not a case number") from None
    if value < 1:
        raise argparse.ArgumentTypeError(f"{value} is not a case number (they start at 1)")
    return value


def _moment(text: str) -> datetime:
    try:
        return parse_moment(text)
    except DeskError as exc:
        raise argparse.ArgumentTypeError(exc.message) from None


def add_parsers(sub: Subparsers) -> None:
    """Add the ``audit`` commands."""
    audit = command(sub, "audit", "read and verify the audit chain (supervisors, administrators)")
    audits = group(audit, "audit_command", "AUDIT_COMMAND")

    listing = command(
        audits,
        "list",
        "show audit entries, newest first, filtered",
        "Show audit entries, newest first. Filters combine: --case, --actor, --action, "
        "--since (inclusive) and --until (exclusive). --before SEQ shows the next page.",
    )
    listing.add_argument(
        "--limit", type=_limit, default=50, metavar="N", help="at most N entries (default 50)"
    )
    listing.add_argument("--case", type=_case, default=None, metavar="N", help="only case N")
    listing.add_argument("--actor", default="", metavar="USER", help="only what USER did")
    listing.add_argument(
        "--action",
        default="",
        metavar="PREFIX",
        help="only actions starting with PREFIX, e.g. 'signin.' or 'account.create'",
    )
    listing.add_argument("--since", type=_moment, default=None, metavar="TIME", help=_TIME_HELP)
    listing.add_argument("--until", type=_moment, default=None, metavar="TIME", help=_TIME_HELP)
    listing.add_argument(
        "--before", type=int, default=None, metavar="SEQ", help="only entries older than SEQ"
    )
    out = listing.add_mutually_exclusive_group()
    out.add_argument("--json", action="store_true", help="print JSON instead of a table")
    out.add_argument(
        "--csv",
        action="store_true",
        help="print every matching entry as CSV (marked, formulas neutralised; audited)",
    )
    out.add_argument(
        "--export-json",
        action="store_true",
        help="print every matching entry as a marked JSON export (audited)",
    )
    listing.set_defaults(handler=run_list)

    anchor = command(
        audits,
        "anchor",
        "write the chain's head, signed with the desk's Ed25519 key",
        "Write the newest entry's number, hash and time to FILE, signed with the desk's "
        "Ed25519 key (its public key is in the file). Keep the file outside Desk; "
        "'audit verify --anchor FILE' later shows entries cut from the end or a rewritten chain.",
    )
    anchor.add_argument("--out", required=True, metavar="FILE", help="the anchor file to write")
    anchor.set_defaults(handler=run_anchor)

    verify = command(
        audits,
        "verify",
        "check the whole chain for changed, removed or inserted entries",
        "Walk the whole audit chain and check every entry's seal. Exit 0 when it is intact; "
        f"exit {EXIT_VERIFY_FAILED}, naming the first entry changed, removed or inserted, "
        "when it is not. Entries removed by retention are checked through their signed "
        "checkpoint: the chain starts from it, and each cut is named. With --anchor FILE, "
        "also check the log still reaches the anchored entry with the anchored hash.",
    )
    verify.add_argument("--anchor", default=None, metavar="FILE", help="an 'audit anchor' file")
    verify.set_defaults(handler=run_verify)

    reanchor = command(
        audits,
        "reanchor",
        "accept the log as it is now: anchor this workstation's keyring to its head",
        "Desk keeps the chain's head in this workstation's keyring (entry 'audit-head'), "
        "refreshed at each sign-in and sign-out, and 'audit verify' names entries cut after "
        "it. After restoring a backup (which legitimately ends the log earlier) accept the "
        "log as it is: the anchor is replaced, and an audit entry records the old one and "
        "what verify found against it.",
    )
    reanchor.set_defaults(handler=run_reanchor)


def _details_text(text: str) -> str:
    details = details_value(text)
    if not isinstance(details, dict):
        return text
    return " ".join(f"{k}={v if isinstance(v, str) else json.dumps(v)}" for k, v in details.items())


def _filter(inv: Invocation) -> AuditFilter:
    a = inv.args
    return AuditFilter(
        case_id=a.case, actor=a.actor, action_prefix=a.action, since=a.since, until=a.until
    )


def run_list(inv: Invocation) -> int:
    """Print audit entries, newest first."""
    where = _filter(inv)
    if inv.args.csv or inv.args.export_json:
        with auth.acting(inv, Action.VIEW_AUDIT) as acting:
            export = inv.desk.audit.export(acting.token, where)
        if inv.args.csv:
            buffer = io.StringIO(newline="")
            write_audit_csv(buffer, export.entries, export.marking)
            inv.console.stdout.write(buffer.getvalue())
        else:
            data = audit_json(
                export.entries,
                export.marking,
                export.filters,
                export.exported_at,
                export.exported_by,
            )
            write_json(inv.console.stdout, data)
        if not export.complete:
            inv.console.note(
                f"desk-admin: note: only the newest {len(export.entries)} matching entries "
                "were exported: narrow the period for the rest."
            )
        return EXIT_OK
    with auth.acting(inv, Action.VIEW_AUDIT) as acting:
        entries = inv.desk.audit.find(acting.token, where, inv.args.limit, inv.args.before)
    if inv.args.json:
        write_json(inv.console.stdout, [entry_json(e) for e in entries])
        return EXIT_OK
    rows = [
        (e.seq, stored_time(e.at), e.actor, e.action, e.object, _details_text(e.details))
        for e in entries
    ]
    inv.console.out(table(("seq", "at (UTC)", "actor", "action", "object", "details"), rows))
    return EXIT_OK


def run_anchor(inv: Invocation) -> int:
    """Write a signed anchor of the chain's head."""
    out = Path(inv.args.out).expanduser()
    if not out.parent.is_dir():
        raise InvalidInput(f"Cannot write {out}: the folder {out.parent} does not exist.")
    with auth.acting(inv, Action.VERIFY_AUDIT) as acting:
        doc = inv.desk.audit.anchor(acting.token)
    out.write_text(json.dumps(doc, indent=2, ensure_ascii=False) + "\n", encoding="utf-8")
    head = doc["head"]
    inv.console.out(
        f"Anchored audit entry #{head['seq']} ({stored_time(head['at'])} UTC) in {out}, "
        f"signed with key {doc['key_fingerprint']}."
    )
    return EXIT_OK


def _read_anchor(path: Path) -> Any:
    try:
        return json.loads(path.read_text(encoding="utf-8"))
    except FileNotFoundError:
        raise InvalidInput(f"The anchor file {path} does not exist.") from None
    except (OSError, UnicodeDecodeError, ValueError) as exc:
        raise InvalidInput(f"The anchor file {path} cannot be read: {exc}.") from None


def run_reanchor(inv: Invocation) -> int:
    """Anchor the keyring to the log's head as it is now (audited)."""
    with auth.acting(inv, Action.VERIFY_AUDIT) as acting:
        anchor = inv.desk.audit.reanchor(acting.token)
    inv.console.out(
        f"The keyring's audit anchor now names entry #{anchor.seq} ({stored_time(anchor.at)} UTC)."
    )
    return EXIT_OK


def run_verify(inv: Invocation) -> int:
    """Verify the chain (and an anchor): exit 0 when intact, 1 naming the first break."""
    anchor_doc = _read_anchor(Path(inv.args.anchor).expanduser()) if inv.args.anchor else None
    with auth.acting(inv, Action.VERIFY_AUDIT) as acting:
        report = inv.desk.audit.verify(acting.token)  # with the keyring's anchor
        kept = inv.desk.audit.keyring_anchor(acting.token)
        anchors = inv.desk.handover.verify_anchors(acting.token)  # a cut tail shows here
        checked = (
            inv.desk.audit.check_anchor(acting.token, anchor_doc)
            if anchor_doc is not None
            else None
        )
    for problem in anchors.problems:
        inv.console.note(f"desk-admin: error: Audit log cut back or changed: {problem}.")
    if checked is not None:
        for problem in checked.problems:
            inv.console.note(f"desk-admin: error: Audit anchor not matched: {problem}.")
    anchor_ok = checked is None or checked.intact
    if report.intact and anchors.intact and anchor_ok:
        latest = f", latest #{report.last_seq}" if report.last_seq is not None else ""
        inv.console.out(f"Audit chain intact: {report.checked} entries{latest}")
        for cut in report.cuts:
            inv.console.out(f"{cut.summary()}: checked by its signed checkpoint")
        if kept is not None:
            inv.console.out(
                f"Keyring anchor matched: entry #{kept.seq}, taken {stored_time(kept.taken_at)} UTC"
            )
        if anchors.checked:
            inv.console.out(f"Handover anchors intact: {anchors.checked} signed handovers")
        if checked is not None:
            if checked.note:
                inv.console.out(f"Anchor checked: {checked.note}")
            else:
                inv.console.out(
                    f"Anchor matched: entry #{checked.seq} as anchored {checked.made_at}, "
                    f"signed with key {checked.fingerprint}"
                )
        return EXIT_OK
    if report.intact:
        return EXIT_VERIFY_FAILED
    inv.console.note(
        f"desk-admin: error: Audit chain broken: {report.problem} "
        f"({report.checked} entries before it verified). Keep a copy of the database as "
        "evidence and report it."
    )
    return EXIT_VERIFY_FAILED
