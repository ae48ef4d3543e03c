"""``retention rules [--set CLASS=PERIOD[:ACTION] ...]``: the force's retention periods."""

from __future__ import annotations

from typing import Any

from desk.cli import auth
from desk.cli.context import EXIT_OK, Invocation, Subparsers, command, json_flag
from desk.cli.output import table, write_json
from desk.core.errors import InvalidInput
from desk.core.retention import (
    DEFAULT_RULES,
    DELETE_ONLY,
    MIN_DAYS,
    NOT_RUN,
    EndAction,
    RecordClass,
    Rule,
    format_period,
    parse_period,
    parse_rules,
)
from desk.core.roles import Action


def add_rules_parser(r_sub: Subparsers) -> None:
    """Add ``retention rules`` under the ``retention`` command."""
    rules = command(
        r_sub,
        "rules",
        "show each record class's period and end action; --set changes them (administrators)",
        "Show the retention period and end action of every record class, with the default "
        "and the shortest period allowed. An administrator changes them with --set "
        "CLASS=PERIOD[:ACTION], once per class (e.g. --set unactioned=30d --set "
        "escalated=7y:anonymise): a PERIOD is days (90), or 90d, 12w, 6m (30 days), 2y (365 "
        "days); ACTION is delete or anonymise (unchanged if left out). All the changes are one "
        "audited change of the retention_rules setting; a wrong value names its class and "
        "nothing changes. See docs/retention.md.",
    )
    rules.add_argument(
        "--set",
        dest="changes",
        action="append",
        default=[],
        metavar="CLASS=PERIOD[:ACTION]",
        help="change one class (repeat for more)",
    )
    json_flag(rules)
    rules.set_defaults(handler=run_rules)


def parse_change(text: str) -> tuple[RecordClass, int, EndAction | None]:
    """Read ``CLASS=PERIOD[:ACTION]`` (``PERIOD`` bare days or ``Nd``, ``Nw``, ``Nm``, ``Ny``)."""
    name, sep, rest = text.partition("=")
    if not sep:
        raise InvalidInput(f"{text!r} is not CLASS=PERIOD[:ACTION] (e.g. unactioned=90d:delete).")
    try:
        record_class = RecordClass(name.strip().lower())
    except ValueError:
        known = ", ".join(c.value for c in RecordClass)
        raise InvalidInput(f"Unknown record class {name.strip()!r}: use one of {known}.") from None
    period, _, action_text = rest.replace(" ", ":").partition(":")
    period = period.strip()
    try:
        days = parse_period(period + "d" if period.isdigit() else period)
    except InvalidInput as exc:
        raise InvalidInput(f"{record_class.value}: {exc.message}") from None
    action: EndAction | None = None
    if action_text.strip():
        try:
            action = EndAction(action_text.strip().lower())
        except ValueError:
            raise InvalidInput(
                f"Unknown end action {action_text.strip()!r} for {record_class.value}: use "
                "delete or anonymise."
            ) from None
    # the class's own limits (shortest period, delete only), before any code is spent
    parse_rules(f"{record_class.value}={days}d {action.value if action else ''}")
    return record_class, days, action


def _changes(inv: Invocation) -> dict[RecordClass, tuple[int, EndAction | None]]:
    found: dict[RecordClass, tuple[int, EndAction | None]] = {}
    for text in inv.args.changes:
        record_class, days, action = parse_change(text)
        if record_class in found:
            raise InvalidInput(f"The record class {record_class.value} is given twice.")
        found[record_class] = (days, action)
    return found


def _rule_json(rule: Rule) -> dict[str, Any]:
    default = DEFAULT_RULES[rule.record_class]
    return {
        "days": rule.days,
        "period": format_period(rule.days),
        "action": rule.action.value,
        "default": default.code.partition("=")[2],
        "minimum_days": MIN_DAYS.get(rule.record_class, 1),
        "actions": [EndAction.DELETE.value]
        if rule.record_class in DELETE_ONLY
        else [a.value for a in EndAction],
        "runs": rule.record_class not in NOT_RUN,
    }


def _show(inv: Invocation, rules: dict[RecordClass, Rule]) -> None:
    if inv.args.json:
        write_json(inv.console.stdout, {c.value: _rule_json(rules[c]) for c in RecordClass})
        return
    rows = [
        (
            c.value,
            format_period(rules[c].days),
            rules[c].action.value if c not in NOT_RUN else "listed only",
            DEFAULT_RULES[c].code.partition("=")[2],
            format_period(MIN_DAYS.get(c, 1)),
        )
        for c in RecordClass
    ]
    inv.console.out(table(("class", "period", "end", "default", "shortest"), rows))


def run_rules(inv: Invocation) -> int:
    """Show the rules, or change the classes named with --set."""
    changes = _changes(inv)  # a wrong value is refused before anyone signs in
    if not changes:
        with auth.acting(inv):
            rules = inv.desk.retention.rules()
        _show(inv, rules)
        return EXIT_OK
    with auth.acting(inv, Action.CHANGE_SETTINGS) as acting:
        before = inv.desk.retention.rules()
        wanted = {c: (days, action or before[c].action) for c, (days, action) in changes.items()}
        after = inv.desk.settings.set_retention_rules(acting.token, wanted)
    for c in changes:
        inv.console.out(
            f"Set {c.value} to {after[c].code.partition('=')[2]} "
            f"(was {before[c].code.partition('=')[2]})."
        )
    if inv.args.json:
        _show(inv, after)
    return EXIT_OK
