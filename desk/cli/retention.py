"""``retention due|approve|run|batches``, ``hold add|lift|list``, ``appeal mark|list|done``."""

from __future__ import annotations

from datetime import UTC, datetime
from typing import Any

from desk.cli import auth
from desk.cli.context import EXIT_OK, Invocation, Subparsers, command, group, json_flag
from desk.cli.output import clean, iso, table, when, when_utc, write_json
from desk.cli.retention_rules import add_rules_parser
from desk.core.errors import InvalidInput
from desk.core.retention import AppealDone, HoldTarget
from desk.core.roles import Action
from desk.services.retention import DueBatch, RunReport


def add_parsers(sub: Subparsers) -> None:
    """Add the ``retention``, ``hold`` and ``appeal`` commands."""
    retention = command(
        sub,
        "retention",
        "retention by record class: review the due batch, approve it, run it (supervisors)",
        "Records are kept for their class's period (the retention_rules setting; see "
        "docs/retention.md), then deleted or anonymised. Nothing goes without review: 'due' "
        "lists the batch, 'approve' records a supervisor's approval (holding back any case "
        "with --hold), 'run' removes what the approved batch holds and is still due. "
        "'run --approve' approves the due batch as the person running it.",
    )
    r_sub = group(retention, "retention_command", "RETENTION_COMMAND")
    due = command(r_sub, "due", "list what is due, by class: counts, oldest, sample ids")
    json_flag(due)
    due.set_defaults(handler=run_due)
    approve = command(r_sub, "approve", "approve the batch due now (hold back cases with --hold)")
    approve.add_argument(
        "--hold", type=int, action="append", default=[], metavar="CASE", help="a case to keep"
    )
    approve.set_defaults(handler=run_approve)
    run = command(r_sub, "run", "delete or anonymise what the approved batch holds")
    run.add_argument("--dry-run", action="store_true", help="say what would go; change nothing")
    run.add_argument(
        "--approve", action="store_true", help="approve the due batch yourself if none waits"
    )
    json_flag(run)
    run.set_defaults(handler=run_run)
    batches = command(r_sub, "batches", "list approved batches: who approved, when, what ran")
    json_flag(batches)
    batches.set_defaults(handler=run_batches)
    add_rules_parser(r_sub)  # retention rules [--set ...]

    hold = command(sub, "hold", "legal holds on a case or an author: nothing held is deleted")
    h_sub = group(hold, "hold_command", "HOLD_COMMAND")
    add = command(h_sub, "add", "place a legal hold on a case or an author")
    add.add_argument("target", choices=[t.value for t in HoldTarget], help="case or author")
    add.add_argument("id", type=int, metavar="ID", help="the case number or author id")
    add.add_argument("--reason", required=True, help="why (e.g. the order or request)")
    add.set_defaults(handler=run_hold_add)
    lift = command(h_sub, "lift", "lift a legal hold, with the reason")
    lift.add_argument("id", type=int, metavar="HOLD", help="the hold's number from 'hold list'")
    lift.add_argument("--reason", required=True, help="why it is lifted")
    lift.set_defaults(handler=run_hold_lift)
    listing = command(h_sub, "list", "list the legal holds standing")
    listing.add_argument("--all", action="store_true", help="include lifted holds")
    json_flag(listing)
    listing.set_defaults(handler=run_hold_list)

    appeal = command(sub, "appeal", "public appeals: their end, and removing or archiving them")
    a_sub = group(appeal, "appeal_command", "APPEAL_COMMAND")
    mark = command(a_sub, "mark", "mark a case (or one item) as a public appeal with its end")
    mark.add_argument("case", type=int, metavar="CASE", help="the case number")
    mark.add_argument("--ends", required=True, metavar="TIME", help="ISO date and time, UTC")
    mark.add_argument("--item", type=int, metavar="ITEM", help="one item of the case")
    mark.add_argument("--note", default="", help="a note or the link to the platform post")
    mark.set_defaults(handler=run_appeal_mark)
    a_list = command(a_sub, "list", "list the public appeals")
    a_list.add_argument("--ended", action="store_true", help="only ended, not yet dealt with")
    json_flag(a_list)
    a_list.set_defaults(handler=run_appeal_list)
    done = command(a_sub, "done", "record that an ended appeal was removed or archived")
    done.add_argument("id", type=int, metavar="APPEAL", help="the appeal's number")
    done.add_argument("how", choices=[d.value for d in AppealDone], help="removed or archived")
    done.set_defaults(handler=run_appeal_done)


def _due_json(due: DueBatch) -> dict[str, Any]:
    return {
        "listed_at": iso(due.listed_at),
        "rules": due.rules,
        "total": due.total,
        "classes": [
            {
                "class": c.record_class.value,
                "rule": c.rule.code,
                "count": c.count,
                "oldest": iso(c.oldest),
                "held": c.held,
                "sample": list(c.sample),
                "runs": c.runs,
            }
            for c in due.classes
        ],
    }


def run_due(inv: Invocation) -> int:
    """List the due batch by class."""
    with auth.acting(inv, Action.REVIEW_RETENTION) as acting:
        due = inv.desk.retention.due(acting.token)
    if inv.args.json:
        write_json(inv.console.stdout, _due_json(due))
        return EXIT_OK
    rows = [
        (
            c.record_class.value,
            c.rule.code.partition("=")[2],
            c.count if c.runs else f"{c.count} (kept: see docs)",
            when(c.oldest) if c.count else "",
            c.held or "",
            ", ".join(clean(x) for x in c.sample),
        )
        for c in due.classes
    ]
    inv.console.out(table(("class", "rule", "due", "oldest", "held", "sample"), rows))
    if due.total:
        inv.console.note(
            f"{due.total} record{'s are' if due.total != 1 else ' is'} due: approve with "
            "'desk-admin retention approve'."
        )
    return EXIT_OK


def run_approve(inv: Invocation) -> int:
    """Approve the due batch."""
    with auth.acting(inv, Action.REVIEW_RETENTION) as acting:
        due = inv.desk.retention.due(acting.token)
        batch = inv.desk.retention.approve(acting.token, due, hold_ids=inv.args.hold)
    parts = ", ".join(f"{k}: {v}" for k, v in batch.counts.items())
    inv.console.out(f"Approved retention batch #{batch.id} ({parts}) as {batch.approved_by}.")
    return EXIT_OK


def _report_json(report: RunReport) -> dict[str, Any]:
    return {
        "batch": report.batch_id,
        "dry_run": report.dry_run,
        "counts": report.counts,
        "not_due_any_more": report.skipped_held,
        "wal_emptied": report.wal_emptied,
    }


def run_run(inv: Invocation) -> int:
    """Run the approved batch (or say what it would do)."""
    with auth.acting(inv, Action.REVIEW_RETENTION) as acting:
        report = inv.desk.retention.run(
            acting.token, dry_run=inv.args.dry_run, approve=inv.args.approve
        )
    if inv.args.json:
        write_json(inv.console.stdout, _report_json(report))
        return EXIT_OK
    parts = ", ".join(f"{k}: {v}" for k, v in report.counts.items()) or "nothing"
    batch = f"batch #{report.batch_id}" if report.batch_id else "the due batch"
    if report.dry_run:
        inv.console.out(f"Dry run of {batch}: would remove or anonymise {parts}.")
    else:
        inv.console.out(f"Ran {batch}: removed or anonymised {parts}.")
    if report.skipped_held:
        inv.console.note(f"{report.skipped_held} approved records are no longer due (or held).")
    if not report.wal_emptied:
        inv.console.note(
            "The write-ahead log could not be emptied (a reader held it): run again later."
        )
    return EXIT_OK


def run_batches(inv: Invocation) -> int:
    """List the approved batches."""
    with auth.acting(inv, Action.REVIEW_RETENTION) as acting:
        batches = inv.desk.retention.batches(acting.token)
    if inv.args.json:
        write_json(
            inv.console.stdout,
            [
                {
                    "id": b.id,
                    "approved_by": b.approved_by,
                    "approved_at": iso(b.approved_at),
                    "counts": b.counts,
                    "held": b.held,
                    "ran_by": b.ran_by,
                    "ran_at": iso(b.ran_at),
                    "outcome": b.outcome,
                }
                for b in batches
            ],
        )
        return EXIT_OK
    rows = [
        (
            b.id,
            b.approved_by,
            when(b.approved_at),
            ", ".join(f"{k}: {v}" for k, v in b.counts.items()),
            b.ran_by or "",
            when(b.ran_at) if b.ran_at else "waiting",
        )
        for b in batches
    ]
    inv.console.out(table(("batch", "approved by", "at", "records", "ran by", "ran"), rows))
    return EXIT_OK


def run_hold_add(inv: Invocation) -> int:
    """Place a legal hold."""
    with auth.acting(inv, Action.MANAGE_HOLDS) as acting:
        hold = inv.desk.retention.add_hold(
            acting.token, inv.args.target, inv.args.id, inv.args.reason
        )
    inv.console.out(f"Legal hold #{hold.id} placed on {hold.target.value} {hold.target_id}.")
    return EXIT_OK


def run_hold_lift(inv: Invocation) -> int:
    """Lift a legal hold."""
    with auth.acting(inv, Action.MANAGE_HOLDS) as acting:
        hold = inv.desk.retention.lift_hold(acting.token, inv.args.id, inv.args.reason)
    inv.console.out(f"Legal hold #{hold.id} on {hold.target.value} {hold.target_id} lifted.")
    return EXIT_OK


def run_hold_list(inv: Invocation) -> int:
    """List the legal holds."""
    with auth.acting(inv, Action.MANAGE_HOLDS) as acting:
        holds = inv.desk.retention.holds(acting.token, include_lifted=inv.args.all)
    if inv.args.json:
        write_json(
            inv.console.stdout,
            [
                {
                    "id": h.id,
                    "target": h.target.value,
                    "target_id": h.target_id,
                    "reason": h.reason,
                    "placed_by": h.placed_by,
                    "placed_at": iso(h.placed_at),
                    "lifted_by": h.lifted_by,
                    "lifted_at": iso(h.lifted_at),
                    "lift_reason": h.lift_reason,
                }
                for h in holds
            ],
        )
        return EXIT_OK
    rows = [
        (
            h.id,
            f"{h.target.value} {h.target_id}",
            clean(h.reason),
            h.placed_by,
            when(h.placed_at),
            f"lifted by {h.lifted_by}" if h.lifted_by else "standing",
        )
        for h in holds
    ]
    inv.console.out(table(("hold", "on", "reason", "by", "at", "state"), rows))
    return EXIT_OK


def _time(text: str) -> datetime:
    try:
        moment = datetime.fromisoformat(text.strip().replace("Z", "+00:00"))
    except ValueError:
        raise InvalidInput(
            f"--ends {text!r} is not an ISO date and time (e.g. 2026-12-31T18:00)."
        ) from None
    return moment if moment.tzinfo else moment.replace(tzinfo=UTC)


def run_appeal_mark(inv: Invocation) -> int:
    """Mark a public appeal."""
    ends = _time(inv.args.ends)
    with auth.acting(inv, Action.WORK_CASES) as acting:
        appeal = inv.desk.retention.mark_appeal(
            acting.token, inv.args.case, ends, inv.args.item, inv.args.note
        )
    inv.console.out(
        f"Case #{appeal.case_id} is public appeal #{appeal.id}, ending {when_utc(appeal.ends_at)}."
    )
    return EXIT_OK


def run_appeal_list(inv: Invocation) -> int:
    """List public appeals."""
    with auth.acting(inv, Action.VIEW_QUEUE) as acting:
        appeals = inv.desk.retention.appeals(acting.token, ended_only=inv.args.ended)
    if inv.args.json:
        write_json(
            inv.console.stdout,
            [
                {
                    "id": a.id,
                    "case": a.case_id,
                    "item": a.item_id,
                    "ends_at": iso(a.ends_at),
                    "done": a.done_how.value if a.done_how else None,
                    "done_by": a.done_by,
                    "done_at": iso(a.done_at),
                }
                for a in appeals
            ],
        )
        return EXIT_OK
    rows = [
        (
            a.id,
            f"#{a.case_id}",
            when(a.ends_at),
            f"{a.done_how.value} by {a.done_by}" if a.done_how else "to remove or archive",
        )
        for a in appeals
    ]
    inv.console.out(table(("appeal", "case", "ends", "state"), rows))
    return EXIT_OK


def run_appeal_done(inv: Invocation) -> int:
    """Record an appeal removed or archived."""
    with auth.acting(inv, Action.WORK_CASES) as acting:
        appeal = inv.desk.retention.appeal_done(acting.token, inv.args.id, inv.args.how)
    assert appeal.done_how is not None
    inv.console.out(f"Public appeal #{appeal.id} recorded as {appeal.done_how.value}.")
    return EXIT_OK
