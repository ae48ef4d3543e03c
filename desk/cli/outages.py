"""``outage start|end|record|edit|list``: the platform (and Desk) outage log."""

from __future__ import annotations

from desk.cli import auth
from desk.cli.context import EXIT_OK, Invocation, Subparsers, command, desk_type, group, json_flag
from desk.cli.output import clean, table, when_utc, write_json
from desk.core.outages import Outage, outage_platforms, outage_to_dict, parse_platform
from desk.core.roles import Action
from desk.core.shifts import parse_moment

_TIME_HELP = "an ISO date and time, e.g. 2026-11-24T19:30 (UK local time) or 2026-11-24T19:30Z"
_PLATFORMS = ", ".join(outage_platforms())


def add_parsers(sub: Subparsers) -> None:
    """Add the ``outage`` command."""
    outage = command(
        sub,
        "outage",
        "the outage log: when a platform or Desk itself was down, and what the desk did",
    )
    os_ = group(outage, "outage_command", "OUTAGE_COMMAND")
    moment = desk_type(parse_moment)

    start = command(
        os_,
        "start",
        "record that a platform (or Desk) is down now",
        "Record that a platform is down, from now (or --from TIME). It stays ongoing, shown "
        "at the top of the dashboard and in the handover, until 'outage end'.",
    )
    start.add_argument(
        "platform", type=desk_type(parse_platform), metavar="PLATFORM", help=f"one of {_PLATFORMS}"
    )
    start.add_argument("--from", dest="start", type=moment, metavar="TIME", help=_TIME_HELP)
    start.add_argument("--did", default="", metavar="TEXT", help="what the desk is doing")
    json_flag(start)
    start.set_defaults(handler=run_start)

    end = command(os_, "end", "end an ongoing outage, saying what the desk did")
    end.add_argument("id", type=int, metavar="ID", help="the outage's number (outage list)")
    end.add_argument("--at", dest="end", type=moment, metavar="TIME", help="when (default: now)")
    end.add_argument("--did", default=None, metavar="TEXT", help="what the desk did")
    end.add_argument(
        "--paper-cases", type=int, default=None, metavar="N", help="Desk: cases handled on paper"
    )
    json_flag(end)
    end.set_defaults(handler=run_end)

    record = command(
        os_,
        "record",
        "record an outage that is over (after the fact)",
        "Record an outage after the fact: for Desk itself, say what was done on paper (--did) "
        "and how many cases were handled that way (--paper-cases). It is marked as recorded "
        "after the fact.",
    )
    record.add_argument(
        "platform", type=desk_type(parse_platform), metavar="PLATFORM", help=f"one of {_PLATFORMS}"
    )
    record.add_argument(
        "--from", dest="start", type=moment, required=True, metavar="TIME", help=_TIME_HELP
    )
    record.add_argument("--to", dest="end", type=moment, required=True, metavar="TIME")
    record.add_argument("--did", required=True, metavar="TEXT", help="what the desk did")
    record.add_argument(
        "--paper-cases", type=int, default=None, metavar="N", help="Desk: cases handled on paper"
    )
    json_flag(record)
    record.set_defaults(handler=run_record)

    edit = command(
        os_,
        "edit",
        "change an outage's times, what was done, or the paper count (audited)",
        "Change an outage: its recorder may change their own, supervisors and administrators "
        "anyone's. Only the options given change.",
    )
    edit.add_argument("id", type=int, metavar="ID")
    edit.add_argument("--from", dest="start", type=moment, metavar="TIME", help=_TIME_HELP)
    edit.add_argument("--to", dest="end", type=moment, metavar="TIME")
    edit.add_argument("--did", default=None, metavar="TEXT")
    edit.add_argument("--paper-cases", type=int, default=None, metavar="N")
    json_flag(edit)
    edit.set_defaults(handler=run_edit)

    listing = command(os_, "list", "list outages: ongoing first, then the newest")
    listing.add_argument("--from", dest="start", type=moment, metavar="TIME")
    listing.add_argument("--to", dest="end", type=moment, metavar="TIME")
    json_flag(listing)
    listing.set_defaults(handler=run_list)


def _say(inv: Invocation, outage: Outage, done: str) -> int:
    if inv.args.json:
        write_json(inv.console.stdout, outage_to_dict(outage))
    else:
        inv.console.out(clean(f"{done} outage #{outage.id} ({outage.platform})."))
    return EXIT_OK


def run_start(inv: Invocation) -> int:
    """Start an outage."""
    args = inv.args
    with auth.acting(inv, Action.RECORD_OUTAGES) as acting:
        outage = inv.desk.outages.start(acting.token, args.platform, args.start, args.did)
    return _say(inv, outage, "Started")


def run_end(inv: Invocation) -> int:
    """End an outage."""
    args = inv.args
    with auth.acting(inv, Action.RECORD_OUTAGES) as acting:
        outage = inv.desk.outages.end(acting.token, args.id, args.end, args.did, args.paper_cases)
    return _say(inv, outage, "Ended")


def run_record(inv: Invocation) -> int:
    """Record an outage after the fact."""
    args = inv.args
    with auth.acting(inv, Action.RECORD_OUTAGES) as acting:
        outage = inv.desk.outages.record(
            acting.token, args.platform, args.start, args.end, args.did, args.paper_cases
        )
    return _say(inv, outage, "Recorded (after the fact)")


def run_edit(inv: Invocation) -> int:
    """Edit an outage."""
    args = inv.args
    with auth.acting(inv, Action.RECORD_OUTAGES) as acting:
        outage = inv.desk.outages.edit(
            acting.token,
            args.id,
            starts_at=args.start,
            ends_at=args.end,
            actions=args.did,
            paper_cases=args.paper_cases,
        )
    return _say(inv, outage, "Changed")


def run_list(inv: Invocation) -> int:
    """List outages."""
    with auth.acting(inv) as acting:
        found = inv.desk.outages.list(acting.token, inv.args.start, inv.args.end)
    if inv.args.json:
        write_json(inv.console.stdout, [outage_to_dict(o) for o in found])
        return EXIT_OK
    if not found:
        inv.console.out("No outage recorded.")
        return EXIT_OK
    rows = [
        (
            o.id,
            o.platform,
            when_utc(o.starts_at),
            "ongoing" if o.ends_at is None else when_utc(o.ends_at),
            "" if o.paper_cases is None else o.paper_cases,
            o.recorded_by + (" (after)" if o.after_the_fact else ""),
            o.actions,
        )
        for o in found
    ]
    inv.console.out(table(("id", "platform", "from", "to", "paper", "recorded by", "did"), rows))
    return EXIT_OK
