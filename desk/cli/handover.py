"""``handover ...`` and ``coverage ...``: shift handovers, their PDF, and the coverage log."""

from __future__ import annotations

import argparse
from datetime import datetime
from pathlib import Path

from desk.cli import auth
from desk.cli.context import EXIT_OK, Invocation, Subparsers, command, group, json_flag
from desk.cli.output import clean, iso, table, when_utc, write_json
from desk.core.errors import DeskError, InvalidInput
from desk.core.handover import (
    CoverageReason,
    HandoverReport,
    render_html,
    render_text,
    report_to_dict,
    title,
)
from desk.core.roles import Action
from desk.core.shifts import parse_moment
from desk.services.coverage import CoverageView, parse_reason

_TIME_HELP = (
    "an ISO date and time, e.g. 2026-11-24T19:30 (UK local time) or 2026-11-24T19:30Z (UTC)"
)


def _moment(text: str) -> datetime:
    try:
        return parse_moment(text)
    except DeskError as exc:
        raise argparse.ArgumentTypeError(exc.message) from None


def _reason(text: str) -> CoverageReason:
    try:
        return parse_reason(text)
    except DeskError as exc:
        raise argparse.ArgumentTypeError(exc.message) from None


def _shift_arg(parser: argparse.ArgumentParser, required: bool = True) -> None:
    parser.add_argument(
        "--shift",
        type=_moment,
        required=required,
        metavar="TIME",
        help=f"the shift containing TIME: {_TIME_HELP}" + ("" if required else " (default: now)"),
    )


def add_parsers(sub: Subparsers) -> None:
    """Add the ``handover`` and ``coverage`` commands."""
    handover = command(
        sub, "handover", "shift handovers: show, export to PDF, note, sign off, list"
    )
    hs = group(handover, "handover_command", "HANDOVER_COMMAND")

    show = command(hs, "show", "show a shift's handover (as signed, or compiled now)")
    _shift_arg(show)
    json_flag(show)
    show.set_defaults(handler=run_show)

    export = command(
        hs,
        "export",
        "write a shift's handover as a PDF",
        "Write the handover of the shift containing TIME to an A4 PDF (as signed off, or "
        "compiled now when not signed yet).",
    )
    _shift_arg(export)
    export.add_argument("--out", required=True, metavar="FILE.pdf", help="the PDF to write")
    json_flag(export)
    export.set_defaults(handler=run_export)

    note = command(hs, "note", "add an outgoing operator's note to a shift's handover")
    _shift_arg(note, required=False)
    note.add_argument("text", metavar="TEXT", help="the note")
    note.set_defaults(handler=run_note)

    sign = command(
        hs,
        "sign-off",
        "sign off a shift's handover as the incoming supervisor (it is then read-only)",
        "Sign off the handover of the shift containing TIME. It describes the shift as of its "
        "end; a shift still running is signed off only with --early-reason.",
    )
    _shift_arg(sign)
    sign.add_argument(
        "--early-reason",
        default="",
        metavar="TEXT",
        help="why a shift still running is signed off now (kept with the signature and audited)",
    )
    json_flag(sign)
    sign.set_defaults(handler=run_sign_off)

    listing = command(hs, "list", "list signed-off handovers, newest first")
    listing.add_argument("--search", default="", metavar="TEXT", help="only those mentioning TEXT")
    json_flag(listing)
    listing.set_defaults(handler=run_list)

    coverage = command(sub, "coverage", "the coverage log: periods the desk was not monitored")
    cs = group(coverage, "coverage_command", "COVERAGE_COMMAND")
    add = command(
        cs,
        "add",
        "record a period the desk was not monitored (supervisors)",
        "Record a period "
        "the desk was not monitored, why, and the risk accepted; it shows in the handover.",
    )
    add.add_argument(
        "--from",
        dest="start",
        type=_moment,
        required=True,
        metavar="TIME",
        help=f"when it started: {_TIME_HELP}",
    )
    add.add_argument(
        "--to", dest="end", type=_moment, required=True, metavar="TIME", help="when it ended"
    )
    add.add_argument(
        "--reason",
        type=_reason,
        required=True,
        metavar="REASON",
        help="one of: " + ", ".join(r.value for r in CoverageReason),
    )
    add.add_argument("--risk", required=True, metavar="TEXT", help="the risk accepted")
    add.add_argument("--platform", default=None, metavar="NAME", help="the platform (outages)")
    json_flag(add)
    add.set_defaults(handler=run_coverage_add)

    clist = command(cs, "list", "list recorded periods, newest first")
    json_flag(clist)
    clist.set_defaults(handler=run_coverage_list)


def _print_report(inv: Invocation, report: HandoverReport) -> None:
    if inv.args.json:
        write_json(inv.console.stdout, report_to_dict(report))
    else:
        inv.console.out("\n".join(clean(line) for line in render_text(report).splitlines()))


def run_show(inv: Invocation) -> int:
    """Print a handover."""
    with auth.acting(inv, Action.SIGN_OFF_HANDOVER) as acting:
        report = inv.desk.handover.get(acting.token, inv.args.shift)
    _print_report(inv, report)
    return EXIT_OK


def run_export(inv: Invocation) -> int:
    """Write a handover's PDF."""
    out = Path(inv.args.out).expanduser()
    if not out.parent.is_dir():
        raise InvalidInput(f"Cannot write {out}: the folder {out.parent} does not exist.")
    with auth.acting(inv, Action.EXPORT_HANDOVER) as acting:
        report = inv.desk.handover.for_export(acting.token, inv.args.shift)
    from desk.render.pdf import write_pdf  # Qt is loaded only for this command

    marking = str(inv.desk.settings.get("protective_marking"))
    written = write_pdf(out, title(report), render_html(report), marking)
    if inv.args.json:
        write_json(
            inv.console.stdout,
            {
                "pdf": str(written.resolve()),
                "shift_start": iso(report.shift_start),
                "shift_end": iso(report.shift_end),
                "signed": report.signature is not None,
            },
        )
    else:
        inv.console.out(f"Wrote the handover for {report.shift.label()} to {clean(written)}.")
    return EXIT_OK


def run_note(inv: Invocation) -> int:
    """Add a handover note."""
    with auth.acting(inv, Action.WORK_CASES) as acting:
        moment = inv.args.shift or inv.desk.ctx.clock.now()
        shift = inv.desk.handover.add_note(acting.token, moment, str(inv.args.text))
    inv.console.out(f"Added a note to the handover for {shift.label()}.")
    return EXIT_OK


def run_sign_off(inv: Invocation) -> int:
    """Sign a handover off."""
    with auth.acting(inv, Action.SIGN_OFF_HANDOVER) as acting:
        report = inv.desk.handover.sign_off(acting.token, inv.args.shift, inv.args.early_reason)
    sig = report.signature
    assert sig is not None
    if inv.args.json:
        write_json(inv.console.stdout, report_to_dict(report))
    else:
        inv.console.out(
            f"Signed off the handover for {report.shift.label()} as {sig.signed_by}; "
            f"anchored to audit entry #{sig.audit_seq}. It is now read-only."
        )
    return EXIT_OK


def run_list(inv: Invocation) -> int:
    """List signed-off handovers."""
    with auth.acting(inv, Action.SIGN_OFF_HANDOVER) as acting:
        found = inv.desk.handover.list(acting.token, str(inv.args.search))
    if inv.args.json:
        write_json(
            inv.console.stdout,
            [
                {
                    "shift_start": iso(h.shift_start),
                    "shift_end": iso(h.shift_end),
                    "signed_by": h.signed_by,
                    "signed_at": iso(h.signed_at),
                    "audit_seq": h.audit_seq,
                }
                for h in found
            ],
        )
        return EXIT_OK
    if not found:
        inv.console.out("No signed-off handovers" + (" match." if inv.args.search else "."))
        return EXIT_OK
    rows = [
        (
            when_utc(h.shift_start),
            when_utc(h.shift_end),
            h.signed_by,
            when_utc(h.signed_at),
            f"#{h.audit_seq}",
        )
        for h in found
    ]
    inv.console.out(table(("shift start", "shift end", "signed by", "signed at", "audit"), rows))
    return EXIT_OK


def _coverage_json(c: CoverageView) -> dict[str, object]:
    return {
        "id": c.id,
        "starts_at": iso(c.starts_at),
        "ends_at": iso(c.ends_at),
        "reason": c.reason.value,
        "platform": c.platform,
        "risk_accepted": c.risk_accepted,
        "recorded_at": iso(c.recorded_at),
        "recorded_by": c.recorded_by,
    }


def run_coverage_add(inv: Invocation) -> int:
    """Record a period without monitoring."""
    args = inv.args
    if args.end <= args.start:
        raise InvalidInput("The period must end after it starts: --to is not after --from.")
    with auth.acting(inv, Action.RECORD_COVERAGE) as acting:
        view = inv.desk.coverage.record(
            acting.token, args.start, args.end, args.reason, args.platform, args.risk
        )
    if args.json:
        write_json(inv.console.stdout, _coverage_json(view))
    else:
        inv.console.out(
            f"Recorded coverage gap #{view.id}: {when_utc(view.starts_at)} to "
            f"{when_utc(view.ends_at)} ({view.reason.value})."
        )
    return EXIT_OK


def run_coverage_list(inv: Invocation) -> int:
    """List recorded periods."""
    with auth.acting(inv, Action.VIEW_QUEUE) as acting:
        found = inv.desk.coverage.list(acting.token)
    if inv.args.json:
        write_json(inv.console.stdout, [_coverage_json(c) for c in found])
        return EXIT_OK
    if not found:
        inv.console.out("No coverage gaps recorded.")
        return EXIT_OK
    rows = [
        (
            c.id,
            when_utc(c.starts_at),
            when_utc(c.ends_at),
            c.reason.value,
            c.platform or "",
            c.recorded_by,
            c.risk_accepted,
        )
        for c in found
    ]
    inv.console.out(
        table(("id", "from", "to", "reason", "platform", "recorded by", "risk accepted"), rows)
    )
    return EXIT_OK
