"""``sar ...``: the subject access request register and the export of one author's record."""

from __future__ import annotations

import argparse
from datetime import date
from pathlib import Path
from typing import Any

from desk.cli import auth
from desk.cli.context import EXIT_OK, Invocation, Subparsers, command, group, json_flag
from desk.cli.output import clean, iso, table, write_json
from desk.core.errors import DeskError, InvalidInput
from desk.core.roles import Action
from desk.core.subject_access import (
    Ground,
    Outcome,
    Redaction,
    Regime,
    parse_redaction,
)
from desk.services.subject_access import RequestView

AUTHOR_HELP = "the author: platform:handle (e.g. x:@resident; the @ may be left off) or author:ID"


def _day(text: str) -> date:
    try:
        return date.fromisoformat(text.strip())
    except ValueError:
        raise argparse.ArgumentTypeError(
            f"{text!r} is not a date: write YYYY-MM-DD, e.g. 2026-12-01"
        ) from None


def _redaction(text: str) -> Redaction:
    try:
        return parse_redaction(text)
    except DeskError as exc:
        raise argparse.ArgumentTypeError(exc.message) from None


def _id_arg(parser: argparse.ArgumentParser) -> None:
    parser.add_argument("id", type=sar_id, metavar="SAR", help="the request: SAR-7 or 7")


def sar_id(text: str) -> int:
    """Read a request number: SAR-7 or 7."""
    digits = text.strip().upper().removeprefix("SAR-")
    if not digits.isdigit():
        raise argparse.ArgumentTypeError(f"{text!r} is not a request number (e.g. SAR-7 or 7)")
    return int(digits)


def add_parsers(sub: Subparsers) -> None:
    """Add the ``sar`` commands."""
    sar = command(
        sub,
        "sar",
        "subject access requests: the register, and the export of one author's record",
    )
    ss = group(sar, "sar_command", "SAR_COMMAND")

    add = command(
        ss,
        "add",
        "record a subject access request (due one calendar month after it was received)",
    )
    add.add_argument("--requester", required=True, metavar="NAME", help="who asked")
    add.add_argument(
        "--regime",
        required=True,
        metavar="REGIME",
        help="uk_gdpr, or part3 (DPA 2018 Part 3, law-enforcement processing)",
    )
    add.add_argument(
        "--received", type=_day, required=True, metavar="YYYY-MM-DD", help="the day received"
    )
    add.add_argument("--subject", default="", metavar="AUTHOR", help=AUTHOR_HELP)
    add.add_argument(
        "--identity",
        default="",
        metavar="TEXT",
        help="how the requester's identity was checked, when already done",
    )
    json_flag(add)
    add.set_defaults(handler=run_add)

    listing = command(ss, "list", "list the register, newest first")
    listing.add_argument("--open", action="store_true", help="only requests not closed")
    json_flag(listing)
    listing.set_defaults(handler=run_list)

    show = command(ss, "show", "show one request")
    _id_arg(show)
    json_flag(show)
    show.set_defaults(handler=run_show)

    due = command(ss, "due", "list open requests overdue or due within a week")
    json_flag(due)
    due.set_defaults(handler=run_due)

    ident = command(ss, "identity", "record that the requester's identity was checked")
    _id_arg(ident)
    ident.add_argument("--how", required=True, metavar="TEXT", help="how it was checked")
    json_flag(ident)
    ident.set_defaults(handler=run_identity)

    extend = command(
        ss,
        "extend",
        "extend the time limit by whole months (two at most), recording the notice given",
    )
    _id_arg(extend)
    extend.add_argument("--months", type=int, default=1, metavar="N", help="1 or 2 (default 1)")
    extend.add_argument(
        "--notice",
        required=True,
        metavar="TEXT",
        help="the notice given to the requester: when, how, and why",
    )
    json_flag(extend)
    extend.set_defaults(handler=run_extend)

    pause = command(ss, "pause", "stop the clock while clarification is awaited")
    _id_arg(pause)
    pause.add_argument("--reason", required=True, metavar="TEXT", help="what was asked")
    json_flag(pause)
    pause.set_defaults(handler=run_pause)

    resume = command(ss, "resume", "start the clock again (the days paused move the due date)")
    _id_arg(resume)
    json_flag(resume)
    resume.set_defaults(handler=run_resume)

    restrict = command(ss, "restrict", "record a restriction on what is released, and its ground")
    _id_arg(restrict)
    restrict.add_argument(
        "--ground",
        required=True,
        metavar="GROUND",
        help="one of: " + ", ".join(g.value for g in Ground) + " (ncnd: neither confirm nor deny)",
    )
    restrict.add_argument("--note", required=True, metavar="TEXT", help="what and why")
    json_flag(restrict)
    restrict.set_defaults(handler=run_restrict)

    close = command(ss, "close", "close a request with its outcome")
    _id_arg(close)
    close.add_argument(
        "--outcome",
        required=True,
        metavar="OUTCOME",
        help="one of: " + ", ".join(o.value for o in Outcome),
    )
    close.add_argument("--note", default="", metavar="TEXT", help="a note on the outcome")
    json_flag(close)
    close.set_defaults(handler=run_close)

    review = command(
        ss,
        "review",
        "list passages in an author's record that may name third parties",
        "List the passages in AUTHOR's record that may name other people (mentions, email "
        "addresses, phone numbers, other authors' names), each with the redaction that would "
        "withhold it, for a reviewer to decide before 'sar export'.",
    )
    review.add_argument("author", metavar="AUTHOR", help=AUTHOR_HELP)
    json_flag(review)
    review.set_defaults(handler=run_review)

    export = command(
        ss,
        "export",
        "write everything Desk holds about an author as JSON and PDF",
        "Write everything Desk holds about AUTHOR (items, cases, timeline notes, THRIVE, "
        "replies, moderation, escalations and the audit entries naming them) to DIR as "
        "subject-access-author-ID.json and .pdf. When passages may name third parties, run "
        "'sar review' first and give --reviewed with a --redact for each to withhold: "
        "KIND:ID withholds a whole text, KIND:ID:START-END a span (KIND item, reply or note).",
    )
    export.add_argument("author", metavar="AUTHOR", help=AUTHOR_HELP)
    export.add_argument("--out", required=True, metavar="DIR", help="the folder to write to")
    export.add_argument(
        "--redact",
        type=_redaction,
        action="append",
        default=[],
        metavar="SPEC",
        help="withhold a third party's data: item:12 or item:12:5-20 (repeatable)",
    )
    export.add_argument(
        "--reviewed",
        action="store_true",
        help="the flagged passages have been reviewed (needed when there are any)",
    )
    export.add_argument(
        "--request", type=sar_id, default=None, metavar="SAR", help="the request it answers"
    )
    json_flag(export)
    export.set_defaults(handler=run_export)


def request_json(v: RequestView) -> dict[str, Any]:
    """One request as JSON."""
    return {
        "id": v.id,
        "reference": v.reference,
        "requester": v.requester,
        "subject": v.subject,
        "regime": v.regime.value,
        "received_on": v.received_on.isoformat(),
        "due_on": v.due_on.isoformat(),
        "state": v.state.value,
        "identity_checked_at": iso(v.identity_checked_at),
        "identity_checked_by": v.identity_checked_by,
        "identity_how": v.identity_how,
        "extension_months": v.extension_months,
        "extension_notice": v.extension_notice,
        "paused_days": v.paused_days,
        "paused_since": v.paused_since.isoformat() if v.paused_since else None,
        "pause_reason": v.pause_reason,
        "restrictions": [
            {"ground": r.ground.value, "note": r.note, "at": r.at, "by": r.by}
            for r in v.restrictions
        ],
        "outcome": v.outcome.value if v.outcome else None,
        "outcome_note": v.outcome_note,
        "closed_at": iso(v.closed_at),
        "closed_by": v.closed_by,
    }


def _print_one(inv: Invocation, v: RequestView, said: str = "") -> None:
    if inv.args.json:
        write_json(inv.console.stdout, request_json(v))
        return
    if said:
        inv.console.out(said)
    lines = [
        f"{v.reference}: {clean(v.requester)}",
        f"  regime:    {v.regime.label()}",
        f"  received:  {v.received_on.isoformat()}",
        f"  due:       {v.due_on.isoformat()} ({v.state.value.replace('_', ' ')})",
    ]
    if v.subject:
        lines.append(f"  subject:   {clean(v.subject)}")
    if v.identity_checked_at:
        lines.append(f"  identity:  checked by {v.identity_checked_by} ({clean(v.identity_how)})")
    else:
        lines.append("  identity:  not checked yet")
    if v.extension_months:
        lines.append(
            f"  extended:  {v.extension_months} month(s); notice: {clean(v.extension_notice)}"
        )
    if v.paused_since:
        lines.append(f"  paused:    since {v.paused_since.isoformat()} ({clean(v.pause_reason)})")
    if v.paused_days:
        lines.append(f"  days paused so far: {v.paused_days}")
    for r in v.restrictions:
        lines.append(f"  restricted: {r.ground.value}: {clean(r.note)}")
    if v.outcome:
        lines.append(f"  closed:    {v.outcome.value} by {v.closed_by} ({clean(v.outcome_note)})")
    inv.console.out("\n".join(lines))


def _table(inv: Invocation, found: list[RequestView], empty: str) -> None:
    if inv.args.json:
        write_json(inv.console.stdout, [request_json(v) for v in found])
        return
    if not found:
        inv.console.out(empty)
        return
    rows = [
        (
            v.reference,
            v.requester,
            v.regime.value,
            v.received_on.isoformat(),
            v.due_on.isoformat(),
            v.state.value.replace("_", " "),
            v.outcome.value if v.outcome else "",
        )
        for v in found
    ]
    inv.console.out(
        table(("ref", "requester", "regime", "received", "due", "state", "outcome"), rows)
    )


def run_add(inv: Invocation) -> int:
    """Record a request."""
    a = inv.args
    regime: Regime | str = a.regime
    with auth.acting(inv, Action.MANAGE_SUBJECT_ACCESS) as acting:
        v = inv.desk.subject_access.add(
            acting.token, a.requester, regime, a.received, a.subject, a.identity
        )
    _print_one(inv, v, f"Recorded {v.reference}, due {v.due_on.isoformat()}.")
    return EXIT_OK


def run_list(inv: Invocation) -> int:
    """List the register."""
    with auth.acting(inv, Action.MANAGE_SUBJECT_ACCESS) as acting:
        found = inv.desk.subject_access.list(acting.token, open_only=inv.args.open)
    _table(inv, found, "No subject access requests recorded.")
    return EXIT_OK


def run_show(inv: Invocation) -> int:
    """Show a request."""
    with auth.acting(inv, Action.MANAGE_SUBJECT_ACCESS) as acting:
        v = inv.desk.subject_access.get(acting.token, inv.args.id)
    _print_one(inv, v)
    return EXIT_OK


def run_due(inv: Invocation) -> int:
    """List overdue and soon-due requests."""
    with auth.acting(inv, Action.MANAGE_SUBJECT_ACCESS) as acting:
        att = inv.desk.subject_access.attention(acting.token)
    if inv.args.json:
        write_json(
            inv.console.stdout,
            {
                "overdue": [request_json(v) for v in att.overdue],
                "due_soon": [request_json(v) for v in att.due_soon],
            },
        )
        return EXIT_OK
    _table(inv, att.overdue + att.due_soon, "No open request is overdue or due within a week.")
    return EXIT_OK


def run_identity(inv: Invocation) -> int:
    """Record the identity check."""
    with auth.acting(inv, Action.MANAGE_SUBJECT_ACCESS) as acting:
        v = inv.desk.subject_access.check_identity(acting.token, inv.args.id, inv.args.how)
    _print_one(inv, v, f"Recorded the identity check on {v.reference}.")
    return EXIT_OK


def run_extend(inv: Invocation) -> int:
    """Extend a request's time limit."""
    a = inv.args
    with auth.acting(inv, Action.MANAGE_SUBJECT_ACCESS) as acting:
        v = inv.desk.subject_access.extend(acting.token, a.id, a.months, a.notice)
    _print_one(inv, v, f"Extended {v.reference}: now due {v.due_on.isoformat()}.")
    return EXIT_OK


def run_pause(inv: Invocation) -> int:
    """Pause a request's clock."""
    with auth.acting(inv, Action.MANAGE_SUBJECT_ACCESS) as acting:
        v = inv.desk.subject_access.pause(acting.token, inv.args.id, inv.args.reason)
    _print_one(inv, v, f"Paused the clock on {v.reference}.")
    return EXIT_OK


def run_resume(inv: Invocation) -> int:
    """Resume a request's clock."""
    with auth.acting(inv, Action.MANAGE_SUBJECT_ACCESS) as acting:
        v = inv.desk.subject_access.resume(acting.token, inv.args.id)
    _print_one(inv, v, f"Resumed the clock on {v.reference}: now due {v.due_on.isoformat()}.")
    return EXIT_OK


def run_restrict(inv: Invocation) -> int:
    """Record a restriction."""
    a = inv.args
    with auth.acting(inv, Action.MANAGE_SUBJECT_ACCESS) as acting:
        v = inv.desk.subject_access.restrict(acting.token, a.id, a.ground, a.note)
    _print_one(inv, v, f"Recorded the restriction on {v.reference}.")
    return EXIT_OK


def run_close(inv: Invocation) -> int:
    """Close a request."""
    a = inv.args
    with auth.acting(inv, Action.MANAGE_SUBJECT_ACCESS) as acting:
        v = inv.desk.subject_access.close(acting.token, a.id, a.outcome, a.note)
    _print_one(inv, v, f"Closed {v.reference} ({a.outcome}).")
    return EXIT_OK


def run_review(inv: Invocation) -> int:
    """List passages that may name third parties."""
    with auth.acting(inv, Action.MANAGE_SUBJECT_ACCESS) as acting:
        found = inv.desk.author_export.review(acting.token, inv.args.author)
    if inv.args.json:
        write_json(
            inv.console.stdout,
            [{"redact": f.spec(), "why": f.passage.why, "text": f.passage.text} for f in found],
        )
        return EXIT_OK
    if not found:
        inv.console.out("No passage in this record looks like it names a third party.")
        return EXIT_OK
    inv.console.out(
        table(("redact", "why", "text"), [(f.spec(), f.passage.why, f.passage.text) for f in found])
    )
    return EXIT_OK


def run_export(inv: Invocation) -> int:
    """Write an author's record as JSON and PDF."""
    a = inv.args
    out = Path(a.out).expanduser()
    if not out.is_dir():
        raise InvalidInput(f"Cannot write to {out}: it is not a folder that exists.")
    with auth.acting(inv, Action.MANAGE_SUBJECT_ACCESS) as acting:
        export = inv.desk.author_export.export(
            acting.token, a.author, a.redact, reviewed=a.reviewed, request_id=a.request
        )
    from desk.render.pdf import write_pdf  # Qt is loaded only for this command

    stem = f"subject-access-author-{export.author_id}"
    json_path = out / f"{stem}.json"
    json_path.write_text(export.json_text(), encoding="utf-8")
    pdf_path = write_pdf(
        out / f"{stem}.pdf", export.title, export.html, export.data["protective_marking"]
    )
    if a.json:
        write_json(
            inv.console.stdout,
            {
                "json": str(json_path.resolve()),
                "pdf": str(pdf_path.resolve()),
                "items": len(export.data["items"]),
                "redactions": export.data["redactions"],
            },
        )
    else:
        inv.console.out(
            f"Wrote {len(export.data['items'])} item(s) about author {export.author_id} to "
            f"{clean(json_path)} and {clean(pdf_path)}."
        )
    return EXIT_OK
