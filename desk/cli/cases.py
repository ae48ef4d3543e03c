"""``case ...``: show a case, claim it, note, assess with THRIVE, close, re-open, redact."""

from __future__ import annotations

import argparse
import json
from datetime import datetime

from desk.cli import auth
from desk.cli.caseviews import detail_json, duration, priority_label, target
from desk.cli.context import EXIT_OK, Invocation, Subparsers, command, group, json_flag
from desk.cli.escalations import case_lines
from desk.cli.output import clean, when, when_utc, write_json
from desk.core.cases import OUTCOME_LABELS, Outcome, parse_outcome
from desk.core.errors import Conflict, InvalidInput, UnacknowledgedEscalations
from desk.core.roles import Action
from desk.core.thrive import DEFAULT_GRADES, FACTOR_LABELS, FACTORS, parse_risk_seen
from desk.services.case_views import CaseDetail, ItemView

_OUTCOMES = ", ".join(o.value for o in Outcome)
_GRADES = [g.code for g in DEFAULT_GRADES]


def case_id_type(text: str) -> int:
    """Parse a case or item number: ``12`` or ``#12``."""
    value = text.strip().removeprefix("#")
    if not value.isdigit() or int(value) < 1:
        raise argparse.ArgumentTypeError(f"{text!r} is not a case or item number")
    return int(value)


def _offset(text: str) -> int:
    if not text.strip().isdigit():
        raise argparse.ArgumentTypeError(f"{text!r} is not a character position (0 or more)")
    return int(text)


def _outcome(text: str) -> Outcome:
    try:
        return parse_outcome(text)
    except InvalidInput as exc:
        raise argparse.ArgumentTypeError(exc.message) from None


def add_parsers(sub: Subparsers) -> None:
    """Add the ``case`` commands."""
    case = command(
        sub,
        "case",
        "work a case: show, claim, note, assess, close, re-open, redact",
        "Work a case as the queue window does. Each change is on the case's timeline and in "
        "the audit. When a case is owned by someone else, or needs a THRIVE assessment "
        "first, the command says so and exits 2.",
    )
    cases = group(case, "case_command", "CASE_COMMAND")

    def one(name: str, summary: str, description: str = "") -> argparse.ArgumentParser:
        cmd = command(cases, name, summary, description)
        cmd.add_argument("case_id", type=case_id_type, metavar="ID", help="the case number")
        return cmd

    show = one(
        "show",
        "show a case in full",
        "Show a case in full: its items (with the words risk rules matched), the rest of "
        "the thread, the author's history on this desk, THRIVE assessments and the timeline.",
    )
    json_flag(show)
    show.set_defaults(handler=run_show)

    one("claim", "take a new case: you own it until you release or close it").set_defaults(
        handler=run_claim
    )
    one("release", "give a case back to the queue (its owner, or a supervisor)").set_defaults(
        handler=run_release
    )

    assign = one("assign", "give a case to someone (supervisors only)")
    assign.add_argument("username", metavar="USERNAME", help="who is to own it")
    assign.set_defaults(handler=run_assign)

    note = one("note", "add a note to a case's timeline")
    note.add_argument("text", metavar="TEXT", help="the note")
    note.set_defaults(handler=run_note)

    assess = one(
        "assess",
        "record a THRIVE assessment (a new version each time)",
        "Record a THRIVE assessment of a case you own: threat, harm, risk, investigation, "
        "vulnerability and engagement, and the resulting grade. Each assessment is kept as a "
        "new version. A case that matched a risk rule needs one before it can be closed.",
    )
    for factor in FACTORS:
        assess.add_argument(
            f"--{factor}", required=True, metavar="TEXT", help=FACTOR_LABELS[factor]
        )
    assess.add_argument(
        "--grade", required=True, choices=_GRADES, metavar="G", help=f"one of: {', '.join(_GRADES)}"
    )
    assess.add_argument(
        "--risk-seen",
        metavar="CATS",
        help="the risk categories you see, comma-separated, or 'none' (whatever the rules "
        "matched: 'desk-admin rules export-feedback' turns the differences into test cases)",
    )
    assess.set_defaults(handler=run_assess)

    close = one("close", "close a case with its outcome")
    close.add_argument(
        "--outcome", required=True, type=_outcome, metavar="CODE", help=f"one of: {_OUTCOMES}"
    )
    close.add_argument("--note", default="", metavar="TEXT", help="a closing note")
    close.add_argument(
        "--despite-unacknowledged",
        action="store_true",
        help="close it although escalations still await acknowledgement (recorded on the case)",
    )
    close.set_defaults(handler=run_close)

    reopen = one("reopen", "re-open a closed case; you own it")
    reopen.add_argument("--reason", required=True, metavar="TEXT", help="why it is re-opened")
    reopen.set_defaults(handler=run_reopen)

    redact = command(
        cases,
        "redact",
        "replace personal data inside an item's text",
        "Replace characters START to END (counted from 0, END not included, as 'case show "
        "--json' gives the text) of an item's stored text with '[redacted]'. The original is "
        "gone; who redacted it and why are recorded.",
    )
    redact.add_argument("item_id", type=case_id_type, metavar="ITEM_ID", help="the item number")
    redact.add_argument("--start", required=True, type=_offset, metavar="N", help="first character")
    redact.add_argument("--end", required=True, type=_offset, metavar="N", help="after the last")
    redact.add_argument("--reason", required=True, metavar="TEXT", help="why it is redacted")
    redact.set_defaults(handler=run_redact)


def _case(inv: Invocation) -> int:
    value: int = inv.args.case_id
    return value


def run_claim(inv: Invocation) -> int:
    """Claim a case."""
    with auth.acting(inv, Action.WORK_CASES) as acting:
        inv.desk.cases.claim(acting.token, _case(inv))
    inv.console.out(f"Claimed case #{_case(inv)}: it is yours.")
    return EXIT_OK


def run_release(inv: Invocation) -> int:
    """Release a case."""
    with auth.acting(inv, Action.WORK_CASES) as acting:
        inv.desk.cases.release(acting.token, _case(inv))
    inv.console.out(f"Released case #{_case(inv)}.")
    return EXIT_OK


def run_assign(inv: Invocation) -> int:
    """Give a case to someone."""
    username = str(inv.args.username).strip().lower()
    with auth.acting(inv, Action.REASSIGN_CASES) as acting:
        inv.desk.cases.reassign(acting.token, _case(inv), username)
    inv.console.out(f"Case #{_case(inv)} is now {clean(username)}'s.")
    return EXIT_OK


def run_note(inv: Invocation) -> int:
    """Add a note."""
    with auth.acting(inv, Action.WORK_CASES) as acting:
        inv.desk.cases.add_note(acting.token, _case(inv), str(inv.args.text))
    inv.console.out(f"Added a note to case #{_case(inv)}.")
    return EXIT_OK


def run_assess(inv: Invocation) -> int:
    """Record a THRIVE assessment."""
    values = {f: str(getattr(inv.args, f)) for f in FACTORS}
    values["grade"] = str(inv.args.grade)
    if inv.args.risk_seen is not None:
        values["risk_seen"] = str(inv.args.risk_seen)
        parse_risk_seen(values["risk_seen"])  # refuse a bad value before a code is spent
    with auth.acting(inv, Action.WORK_CASES) as acting:
        version = inv.desk.cases.assess(acting.token, _case(inv), values)
    inv.console.out(f"Recorded THRIVE v{version} for case #{_case(inv)}: grade {values['grade']}.")
    return EXIT_OK


def run_close(inv: Invocation) -> int:
    """Close a case with its outcome."""
    outcome: Outcome = inv.args.outcome
    despite = bool(inv.args.despite_unacknowledged)
    with auth.acting(inv, Action.WORK_CASES) as acting:
        try:
            inv.desk.cases.close(
                acting.token,
                _case(inv),
                outcome,
                str(inv.args.note),
                despite_unacknowledged=despite,
            )
        except UnacknowledgedEscalations as exc:
            raise Conflict(
                f"{exc.waiting} Close it once they are acknowledged, or add "
                "--despite-unacknowledged to close it anyway."
            ) from None
    inv.console.out(f"Closed case #{_case(inv)}: {OUTCOME_LABELS[outcome]}.")
    return EXIT_OK


def run_reopen(inv: Invocation) -> int:
    """Re-open a closed case."""
    with auth.acting(inv, Action.WORK_CASES) as acting:
        inv.desk.cases.reopen(acting.token, _case(inv), str(inv.args.reason))
    inv.console.out(f"Re-opened case #{_case(inv)}: it is yours.")
    return EXIT_OK


def run_redact(inv: Invocation) -> int:
    """Redact part of an item's text."""
    item: int = inv.args.item_id
    start: int = inv.args.start
    end: int = inv.args.end
    if end <= start:
        raise InvalidInput(f"--end ({end}) must be after --start ({start}).")
    with auth.acting(inv, Action.WORK_CASES) as acting:
        inv.desk.cases.redact(acting.token, item, start, end, str(inv.args.reason))
    inv.console.out(f"Redacted characters {start} to {end} of item #{item}.")
    return EXIT_OK


# show --------------------------------------------------------------------------------------


def run_show(inv: Invocation) -> int:
    """Print one case in full."""
    with auth.acting(inv, Action.VIEW_QUEUE) as acting:
        detail = inv.desk.queue.detail(acting.token, _case(inv))
        escalated = case_lines(inv, acting.token, _case(inv))
    if inv.args.json:
        write_json(inv.console.stdout, detail_json(detail))
        return EXIT_OK
    for line in _show(detail, inv.desk.ctx.clock.now()) + escalated:
        inv.console.out(line)
    return EXIT_OK


def _indented(text: str, prefix: str = "      ") -> list[str]:
    return [prefix + clean(line) for line in (text.splitlines() or [""])]


def _item_lines(item: ItemView) -> list[str]:
    name = f" ({clean(item.author_name)})" if item.author_name else ""
    language = f"  [{item.language}]" if item.language else ""
    redacted = "  [redacted]" if item.redacted else ""
    lines = [
        f"  item #{item.id}  {when(item.received_at)}  {item.kind} on {clean(item.account)} "
        f"by {clean(item.author_handle)}{name}{language}{redacted}"
    ]
    lines += _indented(item.text or "(no text)")
    for match in item.matches:
        words = clean(", ".join(json.dumps(w, ensure_ascii=False) for w in match.matched))
        rule = f"rule {match.rule_id}, {match.severity}"
        lines.append(f"      matched {match.category} ({rule}): {words}")
    if item.link:
        lines.append(f"      link: {clean(item.link)}")
    for media in item.media:
        lines.append(f"      media: {clean(media)}")
    return lines


def _show(detail: CaseDetail, now: datetime) -> list[str]:
    row = detail.row
    owner = row.owner or "nobody"
    others = ", ".join(f"#{c}" for c in detail.author_cases)
    items = "1 item" if detail.author_items == 1 else f"{detail.author_items} items"
    history = f"{items} on this desk" + (f"; other cases {others}" if others else "")
    assessment = "  (needs a THRIVE assessment)" if row.needs_assessment else ""
    lines = [
        f"Case #{row.case_id}  {priority_label(row.priority)}  {row.status}  owner: {clean(owner)}",
        f"Opened:    {when_utc(row.opened_at)} ({duration(now - row.opened_at)} ago)",
        f"Target:    {when_utc(row.due_at)} ({target(row, now)})",
        f"Platform:  {row.platform}, account {clean(row.account)}, {row.kind}",
        f"Author:    {clean(row.author)} ({history})",
        f"Risk:      {', '.join(row.risk) or 'none matched'}{assessment}",
    ]
    if row.language:
        lines.append(f"Language:  {row.language}")
    if detail.viewers:
        lines.append(f"Looking at it now: {', '.join(clean(v) for v in detail.viewers)}")
    lines += ["", f"Items ({row.item_count}):"]
    for item in detail.items:
        lines += _item_lines(item)
    if detail.thread:
        lines += ["", "Elsewhere in the thread:"]
        for item in detail.thread:
            lines += _item_lines(item)
    if detail.assessments:
        lines += ["", "THRIVE:"]
        for a in detail.assessments:
            lines.append(f"  v{a.version}  {when(a.at)}  by {clean(a.actor)}: grade {a.grade}")
            lines += [f"      {FACTOR_LABELS[f]}: {clean(a.factors[f])}" for f in FACTORS]
            if a.risk_seen:
                lines.append(f"      Risk seen: {a.risk_seen.replace(',', ', ')}")
    lines += ["", "Timeline (UTC):"]
    lines += [
        f"  {when(t.at)}  {clean(t.actor)}  {t.kind}: {clean(t.text)}" for t in detail.timeline
    ]
    return lines
