"""``impersonation check|flagged|scan|reminders`` and ``impersonation suspects add|list|...``."""

from __future__ import annotations

from datetime import UTC, datetime
from typing import Any

from desk.cli import auth
from desk.cli.context import EXIT_OK, Invocation, Subparsers, command, group, json_flag
from desk.cli.official import PLATFORMS, platform_type
from desk.cli.output import clean, iso, table, when, write_json
from desk.core.errors import InvalidInput
from desk.core.impersonation import Outcome, parse_outcome
from desk.core.items import Platform
from desk.core.roles import Action
from desk.services.impersonation import SuspectView


def add_parsers(sub: Subparsers) -> None:
    """Add the ``impersonation`` commands."""
    top = command(
        sub,
        "impersonation",
        "the impersonation watch: look-alike authors and suspected fake accounts",
        "Authors whose handle or display name looks like one of the official accounts are "
        "flagged as they arrive (look-alike characters, added words such as '_official', one "
        "letter different, or the force's name with 'police'). Suspected fake accounts are "
        "kept in a register with their evidence, the report to the platform and its outcome. "
        "See docs/account-estate.md.",
    )
    cmds = group(top, "impersonation_command", "IMPERSONATION_COMMAND")

    check = command(cmds, "check", "say whether a handle (and name) would be flagged")
    check.add_argument("platform", type=platform_type, metavar="PLATFORM", help=PLATFORMS)
    check.add_argument("handle", metavar="HANDLE", help="the handle to check")
    check.add_argument("--name", default="", metavar="NAME", help="a display name to check too")
    check.set_defaults(handler=run_check)

    flagged = command(cmds, "flagged", "list the authors flagged as resembling an official account")
    json_flag(flagged)
    flagged.set_defaults(handler=run_flagged)

    scan = command(
        cmds,
        "scan",
        "re-check every author against the official accounts (administrators)",
        "Re-check every author against the official accounts and the force's name as they "
        "are now: run it after adding an official account or setting force_name. Flags are "
        "set and cleared; the scan is audited.",
    )
    json_flag(scan)
    scan.set_defaults(handler=run_scan)

    reminders = command(
        cmds, "reminders", "reports to platforms still without an outcome (supervisors)"
    )
    json_flag(reminders)
    reminders.set_defaults(handler=run_reminders)

    suspects = command(cmds, "suspects", "the register of suspected fake accounts")
    s_cmds = group(suspects, "suspects_command", "SUSPECTS_COMMAND")

    add = command(s_cmds, "add", "add a suspected fake account with its evidence")
    add.add_argument("platform", type=platform_type, metavar="PLATFORM", help=PLATFORMS)
    add.add_argument("handle", metavar="HANDLE", help="its handle or name on that platform")
    add.add_argument("--link", default="", metavar="URL", help="the account's page")
    _evidence_args(add)
    add.add_argument("--author", type=int, metavar="ID", help="the author Desk saw it as")
    add.add_argument(
        "--first-seen", metavar="TIME", help="when it was first seen (ISO, UTC; default: known)"
    )
    add.set_defaults(handler=run_add)

    evidence = command(s_cmds, "evidence", "add links, items or a note to a suspect's evidence")
    evidence.add_argument("id", type=int, metavar="SUSPECT", help="the suspect's number")
    _evidence_args(evidence)
    evidence.set_defaults(handler=run_evidence)

    report = command(
        s_cmds,
        "report",
        "record the report to the platform and its reference (communications, supervisors)",
    )
    report.add_argument("id", type=int, metavar="SUSPECT", help="the suspect's number")
    report.add_argument("--reference", required=True, help="the platform's reference")
    report.add_argument("--at", metavar="TIME", help="when it was reported (ISO, UTC; default now)")
    report.set_defaults(handler=run_report)

    outcome = command(
        s_cmds, "outcome", "record what the platform did (communications, supervisors)"
    )
    outcome.add_argument("id", type=int, metavar="SUSPECT", help="the suspect's number")
    outcome.add_argument(
        "outcome", metavar="OUTCOME", help="removed, not_removed or pending (still waiting)"
    )
    outcome.set_defaults(handler=run_outcome)

    listing = command(s_cmds, "list", "list the register")
    listing.add_argument("--open", action="store_true", help="only those without an outcome")
    json_flag(listing)
    listing.set_defaults(handler=run_list)

    show = command(s_cmds, "show", "show one suspect with all its evidence")
    show.add_argument("id", type=int, metavar="SUSPECT", help="the suspect's number")
    json_flag(show)
    show.set_defaults(handler=run_show)


def _evidence_args(parser: Any) -> None:
    parser.add_argument(
        "--evidence",
        action="append",
        default=[],
        metavar="URL",
        help="a link to a post, screenshot or profile (repeat for more)",
    )
    parser.add_argument(
        "--item",
        type=int,
        action="append",
        default=[],
        metavar="ID",
        help="an item seen from it (repeat for more)",
    )
    parser.add_argument("--note", default="", help="what was seen, in a sentence or two")


def _time(option: str, text: str | None) -> datetime | None:
    if text is None:
        return None
    try:
        moment = datetime.fromisoformat(text.strip().replace("Z", "+00:00"))
    except ValueError:
        raise InvalidInput(
            f"{option} {text!r} is not an ISO date and time (e.g. 2026-12-01T09:30)."
        ) from None
    return moment if moment.tzinfo else moment.replace(tzinfo=UTC)


def _as_json(v: SuspectView) -> dict[str, Any]:
    return {
        "id": v.id,
        "platform": v.platform,
        "handle": v.handle,
        "link": v.link,
        "author_id": v.author_id,
        "resembles_id": v.resembles_id,
        "resembles": v.resembles,
        "links": list(v.links),
        "item_ids": list(v.item_ids),
        "note": v.note,
        "first_seen_at": iso(v.first_seen_at),
        "added_by": v.added_by,
        "added_at": iso(v.added_at),
        "reported_at": iso(v.reported_at),
        "report_reference": v.report_reference,
        "reported_by": v.reported_by,
        "outcome": v.outcome.value,
        "outcome_at": iso(v.outcome_at),
        "outcome_by": v.outcome_by,
        "overdue": v.overdue,
    }


def _state(v: SuspectView) -> str:
    if v.reported_at is None:
        return "not reported"
    if v.outcome is Outcome.PENDING:
        return "reported, OVERDUE" if v.overdue else "reported, waiting"
    return v.outcome.value.replace("_", " ")


def run_check(inv: Invocation) -> int:
    """Say whether a handle would be flagged."""
    platform: Platform = inv.args.platform
    with auth.acting(inv, Action.VIEW_QUEUE) as acting:
        text = inv.desk.impersonation.check(
            acting.token, platform, str(inv.args.handle), str(inv.args.name)
        )
    inv.console.out(
        f"{clean(inv.args.handle)} {clean(text)}."
        if text
        else f"{clean(inv.args.handle)} does not resemble an official account."
    )
    return EXIT_OK


def run_flagged(inv: Invocation) -> int:
    """List flagged authors."""
    with auth.acting(inv, Action.VIEW_QUEUE) as acting:
        found = inv.desk.impersonation.flagged(acting.token)
    if inv.args.json:
        write_json(
            inv.console.stdout,
            [
                {
                    "author_id": f.author_id,
                    "platform": f.platform,
                    "handle": f.handle,
                    "display_name": f.display_name,
                    "resembles_id": f.resembles_id,
                    "why": f.why.value,
                    "impersonates": f.impersonates,
                }
                for f in found
            ],
        )
        return EXIT_OK
    if not found:
        inv.console.out("No author resembles an official account.")
        return EXIT_OK
    rows = [(f.author_id, f.platform, clean(f.handle), clean(f.impersonates)) for f in found]
    inv.console.out(table(("author", "platform", "handle", "why"), rows))
    return EXIT_OK


def run_scan(inv: Invocation) -> int:
    """Re-check every author."""
    with auth.acting(inv, Action.MANAGE_OFFICIAL_ACCOUNTS) as acting:
        report = inv.desk.impersonation.scan(acting.token)
    if inv.args.json:
        write_json(
            inv.console.stdout,
            {
                "checked": report.checked,
                "flagged": report.flagged,
                "newly_flagged": list(report.newly_flagged),
                "cleared": list(report.cleared),
                "changed": list(report.changed),
            },
        )
        return EXIT_OK
    inv.console.out(
        f"Checked {report.checked} authors: {report.flagged} flagged "
        f"({len(report.newly_flagged)} new, {len(report.cleared)} cleared, "
        f"{len(report.changed)} changed)."
    )
    return EXIT_OK


def run_reminders(inv: Invocation) -> int:
    """List reports waiting too long for an outcome."""
    with auth.acting(inv, Action.MANAGE_FAKE_ACCOUNTS) as acting:
        found = inv.desk.impersonation.reminders(acting.token)
    if inv.args.json:
        write_json(
            inv.console.stdout,
            [
                {
                    "suspect_id": r.suspect_id,
                    "platform": r.platform,
                    "handle": r.handle,
                    "reported_at": iso(r.reported_at),
                    "report_reference": r.report_reference,
                    "days_waiting": r.days_waiting,
                    "text": r.text,
                }
                for r in found
            ],
        )
        return EXIT_OK
    if not found:
        inv.console.out("No report to a platform is waiting too long for an outcome.")
        return EXIT_OK
    for r in found:
        inv.console.out(f"#{r.suspect_id}: {clean(r.text)}")
    return EXIT_OK


def run_add(inv: Invocation) -> int:
    """Add a suspected fake account."""
    platform: Platform = inv.args.platform
    first_seen = _time("--first-seen", inv.args.first_seen)
    with auth.acting(inv, Action.FLAG_FAKE_ACCOUNTS) as acting:
        view = inv.desk.impersonation.add_suspect(
            acting.token,
            platform,
            str(inv.args.handle),
            link=str(inv.args.link),
            links=list(inv.args.evidence),
            item_ids=list(inv.args.item),
            note=str(inv.args.note),
            author_id=inv.args.author,
            first_seen_at=first_seen,
        )
    like = f", resembling {clean(view.resembles)}" if view.resembles else ""
    inv.console.out(
        f"Added {clean(view.handle)} on {view.platform} as suspected fake account "
        f"#{view.id}{like}. Report it to the platform, then record the reference with "
        f"'desk-admin impersonation suspects report {view.id} --reference REF'."
    )
    return EXIT_OK


def run_evidence(inv: Invocation) -> int:
    """Add evidence to a suspect."""
    with auth.acting(inv, Action.FLAG_FAKE_ACCOUNTS) as acting:
        view = inv.desk.impersonation.add_evidence(
            acting.token,
            inv.args.id,
            links=list(inv.args.evidence),
            item_ids=list(inv.args.item),
            note=str(inv.args.note),
        )
    inv.console.out(
        f"Suspect #{view.id} now has {len(view.links)} links and {len(view.item_ids)} items "
        "as evidence."
    )
    return EXIT_OK


def run_report(inv: Invocation) -> int:
    """Record the report to the platform."""
    at = _time("--at", inv.args.at)
    with auth.acting(inv, Action.MANAGE_FAKE_ACCOUNTS) as acting:
        view = inv.desk.impersonation.record_report(
            acting.token, inv.args.id, str(inv.args.reference), at
        )
    inv.console.out(
        f"Recorded suspect #{view.id} ({clean(view.handle)}) as reported to {view.platform} "
        f"on {when(view.reported_at)} (reference {clean(view.report_reference)})."
    )
    return EXIT_OK


def run_outcome(inv: Invocation) -> int:
    """Record the platform's outcome."""
    outcome = parse_outcome(str(inv.args.outcome))
    with auth.acting(inv, Action.MANAGE_FAKE_ACCOUNTS) as acting:
        view = inv.desk.impersonation.record_outcome(acting.token, inv.args.id, outcome)
    inv.console.out(
        f"Suspect #{view.id} ({clean(view.handle)}): {view.outcome.value.replace('_', ' ')}."
    )
    return EXIT_OK


def run_list(inv: Invocation) -> int:
    """List the register."""
    with auth.acting(inv, Action.VIEW_QUEUE) as acting:
        views = inv.desk.impersonation.suspects(acting.token, open_only=inv.args.open)
    if inv.args.json:
        write_json(inv.console.stdout, [_as_json(v) for v in views])
        return EXIT_OK
    if not views:
        inv.console.out(
            "The register of suspected fake accounts is empty: add one with "
            "'desk-admin impersonation suspects add PLATFORM HANDLE'."
        )
        return EXIT_OK
    rows = [
        (
            v.id,
            v.platform,
            clean(v.handle),
            clean(v.resembles or ""),
            when(v.first_seen_at),
            clean(v.report_reference or ""),
            _state(v),
        )
        for v in views
    ]
    inv.console.out(
        table(("#", "platform", "handle", "resembles", "first seen", "reference", "state"), rows)
    )
    return EXIT_OK


def run_show(inv: Invocation) -> int:
    """Show one suspect."""
    with auth.acting(inv, Action.VIEW_QUEUE) as acting:
        v = inv.desk.impersonation.suspect(acting.token, inv.args.id)
    if inv.args.json:
        write_json(inv.console.stdout, _as_json(v))
        return EXIT_OK
    lines = [
        f"Suspect #{v.id}: {clean(v.handle)} on {v.platform}",
        f"  page: {clean(v.link) or '-'}",
        f"  resembles: {clean(v.resembles or '-')}",
        f"  first seen: {when(v.first_seen_at)} (added by {clean(v.added_by)})",
        f"  items seen: {', '.join(f'#{i}' for i in v.item_ids) or '-'}",
        *(f"  evidence: {clean(link)}" for link in v.links),
        f"  note: {clean(v.note) or '-'}",
        f"  reported: {when(v.reported_at) if v.reported_at else 'not yet'}"
        + (f" (reference {clean(v.report_reference)})" if v.report_reference else ""),
        f"  state: {_state(v)}",
    ]
    inv.console.out("\n".join(lines))
    return EXIT_OK
