"""``escalation-target ...`` and ``escalation ...``: who risk goes to, and what waits for them."""

from __future__ import annotations

import argparse
from typing import Any

from desk.cli import auth
from desk.cli.context import EXIT_OK, Invocation, Subparsers, command, group, json_flag
from desk.cli.output import clean, iso, table, when, write_json
from desk.core.errors import InvalidInput
from desk.core.escalation import TargetKind, Urgency, parse_kind, parse_urgency
from desk.core.roles import Action
from desk.services.escalations import EscalationView, TargetView

_KINDS = ", ".join(k.value for k in TargetKind)
_URGENCIES = ", ".join(u.value for u in Urgency)


def _kind(text: str) -> TargetKind:
    try:
        return parse_kind(text)
    except InvalidInput as exc:
        raise argparse.ArgumentTypeError(exc.message) from None


def _urgency(text: str) -> Urgency:
    try:
        return parse_urgency(text)
    except InvalidInput as exc:
        raise argparse.ArgumentTypeError(exc.message) from None


def _number(text: str) -> int:
    value = text.strip().removeprefix("#")
    if not value.isdigit() or int(value) < 1:
        raise argparse.ArgumentTypeError(f"{text!r} is not a number")
    return int(value)


def _contact_options(parser: argparse.ArgumentParser, default: str | None) -> None:
    parser.add_argument("--area", default=default, metavar="AREA", help="the area (neighbourhood)")
    parser.add_argument("--email", default=default, metavar="ADDRESS", help="email address")
    parser.add_argument("--phone", default=default, metavar="NUMBER", help="phone number")
    parser.add_argument(
        "--instructions", default=default, metavar="TEXT", help="what the desk should know"
    )


def add_parsers(sub: Subparsers) -> None:
    """Add the ``escalation-target`` and ``escalation`` commands."""
    target = command(
        sub,
        "escalation-target",
        "list and keep the escalation targets and their contact details",
        "The people a case can be escalated to (Command, call for service, intelligence, "
        "communications, professional standards, neighbourhood teams by area, safeguarding, "
        "investigations). A new profile starts with example targets whose contact details "
        "an administrator must replace.",
    )
    targets = group(target, "target_command", "TARGET_COMMAND")
    listing = command(targets, "list", "list the targets")
    listing.add_argument("--all", action="store_true", help="include disabled targets")
    json_flag(listing)
    listing.set_defaults(handler=run_target_list)

    add = command(targets, "add", "add a target (administrators only)")
    add.add_argument("kind", type=_kind, metavar="KIND", help=f"one of: {_KINDS}")
    add.add_argument("name", metavar="NAME", help="who it is, as the desk will see it")
    _contact_options(add, "")
    add.set_defaults(handler=run_target_add)

    change = command(targets, "set", "change a target's details (administrators only)")
    change.add_argument("target_id", type=_number, metavar="ID", help="the target number")
    change.add_argument("--name", default=None, metavar="NAME", help="a new name")
    _contact_options(change, None)
    change.set_defaults(handler=run_target_set)

    for name, active in (("disable", False), ("enable", True)):
        toggle = command(targets, name, f"{name} a target (administrators only)")
        toggle.add_argument("target_id", type=_number, metavar="ID", help="the target number")
        toggle.set_defaults(handler=run_target_toggle, active=active)

    escalation = command(
        sub,
        "escalation",
        "list escalations, make one, record acknowledgements, refer for investigation",
        "Escalations wait for the target to acknowledge them; those past their urgency's "
        "deadline are overdue. Each change goes on the case's timeline and in the audit.",
    )
    escalations = group(escalation, "escalation_command", "ESCALATION_COMMAND")
    shown = command(escalations, "list", "list the latest escalations")
    shown.add_argument("--waiting", action="store_true", help="only those awaiting acknowledgement")
    json_flag(shown)
    shown.set_defaults(handler=run_list)

    make = command(escalations, "create", "escalate a case you own")
    make.add_argument("case_id", type=_number, metavar="CASE", help="the case number")
    make.add_argument("--kind", required=True, type=_kind, metavar="KIND", help=f"one of: {_KINDS}")
    make.add_argument(
        "--urgency", required=True, type=_urgency, metavar="U", help=f"one of: {_URGENCIES}"
    )
    make.add_argument("--summary", default="", metavar="TEXT", help="one line for the target")
    make.add_argument("--area", default="", metavar="AREA", help="the area (neighbourhood)")
    make.set_defaults(handler=run_create)

    ack = command(escalations, "ack", "record who acknowledged an escalation")
    ack.add_argument("escalation_id", type=_number, metavar="ID", help="the escalation number")
    ack.add_argument("--by", required=True, metavar="NAME", help="who acknowledged it")
    ack.add_argument("--note", default="", metavar="TEXT", help="what they said")
    ack.set_defaults(handler=run_ack)

    refer = command(
        escalations,
        "refer",
        "refer a case's content to the investigations team",
        "Desk is for engagement, not investigation: content that needs investigating is "
        "referred to the investigations team and the case is marked as referred.",
    )
    refer.add_argument("case_id", type=_number, metavar="CASE", help="the case number")
    refer.add_argument("--reason", required=True, metavar="TEXT", help="why")
    refer.set_defaults(handler=run_refer)


# targets -----------------------------------------------------------------------------------


def _target_json(view: TargetView) -> dict[str, Any]:
    return {
        "id": view.id,
        "kind": view.kind.value,
        "name": view.name,
        "area": view.area,
        "email": view.email,
        "phone": view.phone,
        "instructions": view.instructions,
        "active": view.active,
    }


def run_target_list(inv: Invocation) -> int:
    """Print the targets."""
    with auth.acting(inv) as acting:
        views = inv.desk.escalations.targets(acting.token, include_inactive=bool(inv.args.all))
    if inv.args.json:
        write_json(inv.console.stdout, [_target_json(v) for v in views])
        return EXIT_OK
    rows = [
        (v.id, v.kind.value, v.area, v.name, v.contact, "active" if v.active else "disabled")
        for v in views
    ]
    inv.console.out(table(("id", "kind", "area", "name", "contact", "status"), rows))
    return EXIT_OK


def _fields(inv: Invocation) -> dict[str, Any]:
    names = ("area", "email", "phone", "instructions")
    return {n: getattr(inv.args, n) for n in names}


def run_target_add(inv: Invocation) -> int:
    """Add a target."""
    kind: TargetKind = inv.args.kind
    with auth.acting(inv, Action.MANAGE_ESCALATION_TARGETS) as acting:
        view = inv.desk.escalations.add_target(
            acting.token, kind, str(inv.args.name), **_fields(inv)
        )
    inv.console.out(f"Added escalation target #{view.id}: {clean(view.name)} ({kind.value}).")
    return EXIT_OK


def run_target_set(inv: Invocation) -> int:
    """Change a target."""
    with auth.acting(inv, Action.MANAGE_ESCALATION_TARGETS) as acting:
        view = inv.desk.escalations.set_target(
            acting.token, inv.args.target_id, name=inv.args.name, **_fields(inv)
        )
    inv.console.out(f"Changed escalation target #{view.id}: {clean(view.name)}.")
    return EXIT_OK


def run_target_toggle(inv: Invocation) -> int:
    """Disable or enable a target."""
    active = bool(inv.args.active)
    with auth.acting(inv, Action.MANAGE_ESCALATION_TARGETS) as acting:
        view = inv.desk.escalations.set_active(acting.token, inv.args.target_id, active)
    state = "enabled" if active else "disabled"
    inv.console.out(f"Escalation target #{view.id} ({clean(view.name)}) is {state}.")
    return EXIT_OK


# escalations -------------------------------------------------------------------------------


def escalation_json(view: EscalationView) -> dict[str, Any]:
    """Return one escalation for scripts."""
    return {
        "id": view.id,
        "case_id": view.case_id,
        "target_id": view.target_id,
        "target": view.target_name,
        "kind": view.kind.value,
        "urgency": view.urgency.value,
        "summary": view.summary,
        "created_at": iso(view.created_at),
        "created_by": view.created_by,
        "deadline_at": iso(view.deadline_at),
        "acknowledged_at": iso(view.acknowledged_at),
        "acknowledged_by": view.acknowledged_by,
        "ack_recorded_by": view.ack_recorded_by,
        "ack_note": view.ack_note,
        "overdue": view.overdue,
    }


def _state(view: EscalationView) -> str:
    if view.acknowledged_at is not None:
        return f"acknowledged by {view.acknowledged_by}"
    return "OVERDUE" if view.overdue else "waiting"


def run_list(inv: Invocation) -> int:
    """Print escalations (or only those awaiting acknowledgement)."""
    with auth.acting(inv, Action.VIEW_QUEUE) as acting:
        if inv.args.waiting:
            views = inv.desk.escalations.waiting(acting.token)
        else:
            views = inv.desk.escalations.listing(acting.token)
    if inv.args.json:
        write_json(inv.console.stdout, [escalation_json(v) for v in views])
        return EXIT_OK
    if not views:
        inv.console.out(
            "No escalations await acknowledgement." if inv.args.waiting else "No escalations."
        )
        return EXIT_OK
    rows = [
        (
            v.id,
            f"#{v.case_id}",
            v.target_name,
            v.urgency.value,
            when(v.created_at),
            when(v.deadline_at),
            _state(v),
        )
        for v in views
    ]
    headers = ("id", "case", "target", "urgency", "escalated", "deadline", "state")
    inv.console.out(table(headers, rows))
    return EXIT_OK


def run_create(inv: Invocation) -> int:
    """Escalate a case."""
    kind: TargetKind = inv.args.kind
    urgency: Urgency = inv.args.urgency
    with auth.acting(inv, Action.WORK_CASES) as acting:
        view = inv.desk.escalations.escalate(
            acting.token,
            inv.args.case_id,
            kind,
            urgency,
            str(inv.args.summary),
            area=str(inv.args.area),
        )
    inv.console.out(
        f"Escalated case #{view.case_id} to {clean(view.target_name)} as escalation "
        f"#{view.id} ({urgency.value}); acknowledge by {when(view.deadline_at)} UTC."
    )
    return EXIT_OK


def run_ack(inv: Invocation) -> int:
    """Record an acknowledgement."""
    with auth.acting(inv, Action.WORK_CASES) as acting:
        view = inv.desk.escalations.acknowledge(
            acting.token, inv.args.escalation_id, str(inv.args.by), str(inv.args.note)
        )
    inv.console.out(
        f"Escalation #{view.id} (case #{view.case_id}) acknowledged by "
        f"{clean(view.acknowledged_by)}."
    )
    return EXIT_OK


def run_refer(inv: Invocation) -> int:
    """Refer a case to investigations."""
    with auth.acting(inv, Action.WORK_CASES) as acting:
        view = inv.desk.escalations.refer_to_investigations(
            acting.token, inv.args.case_id, str(inv.args.reason)
        )
    inv.console.out(
        f"Referred case #{view.case_id} to {clean(view.target_name)} (escalation #{view.id}). "
        "Desk is for engagement: the investigation is theirs."
    )
    return EXIT_OK


def case_lines(inv: Invocation, token: str, case_id: int) -> list[str]:
    """Return ``case show``'s escalation lines: time to first escalation and each one."""
    state = inv.desk.escalations.case_state(token, case_id)
    lines: list[str] = []
    taken = state.time_to_escalation
    if taken is not None:
        minutes = int(taken.total_seconds() // 60)
        lines.append(
            f"Escalated: first at {when(state.first_escalated_at)} UTC, {minutes} min after arrival"
        )
    if state.referred_at is not None:
        lines.append(f"Referred to investigations at {when(state.referred_at)} UTC")
    if state.escalations:
        lines += ["", "Escalations:"]
        for e in state.escalations:
            lines.append(
                f"  #{e.id}  {when(e.created_at)}  {clean(e.target_name)}  {e.urgency.value}  "
                f"{_state(e)}  (deadline {when(e.deadline_at)})"
            )
    return lines
