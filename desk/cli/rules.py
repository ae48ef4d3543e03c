"""``rules test``, ``rules apply`` and ``rules export-feedback``: the force's own risk rules."""

from __future__ import annotations

import json
import os
from pathlib import Path

from desk.cli import auth
from desk.cli.context import EXIT_OK, Invocation, Subparsers, command, group, json_flag
from desk.cli.output import write_json
from desk.core.errors import InvalidInput
from desk.core.risk_eval import describe_misses, table
from desk.core.roles import Action
from desk.services.rules import RulesReport, summary


def add_parsers(sub: Subparsers) -> None:
    """Add the ``rules`` commands."""
    rules = command(
        sub,
        "rules",
        "measure and apply the profile's own risk rules",
        "Measure risk rules on labelled messages, and put the profile's own rules in use. "
        "Draft rule files go in the profile's config/rules folder; Desk uses them only once "
        "'rules apply' has measured them.",
    )
    rules_sub = group(rules, "rules_command", "RULES_COMMAND")

    test = command(
        rules_sub,
        "test",
        "measure the draft rules and the rules in use",
        "Run the draft rules (the shipped rules with the profile's config/rules files) and the "
        "rules in use over the corpus Desk ships and over FILE, if given, and print recall, "
        "precision and the share of ordinary messages flagged, per category. FILE holds "
        "labelled messages: JSON Lines with 'text' and 'categories', or CSV with those columns.",
    )
    test.add_argument("file", nargs="?", type=Path, metavar="FILE", help="labelled messages")
    test.add_argument(
        "--misses", action="store_true", help="list FILE's messages the drafts missed or flagged"
    )
    json_flag(test)
    test.set_defaults(handler=run_test)

    apply = command(
        rules_sub,
        "apply",
        "measure the draft rules, then put them in use (administrators only)",
        "Measure the draft rules as 'rules test' does and put them in use: refused if they "
        "find less in any category or flag more ordinary messages than the rules in use, "
        "unless --reason says why. Windows already open use them once signed in again.",
    )
    apply.add_argument("file", nargs="?", type=Path, metavar="FILE", help="labelled messages")
    apply.add_argument("--reason", default="", help="why drafts that do worse are applied")
    json_flag(apply)
    apply.set_defaults(handler=run_apply)

    feedback = command(
        rules_sub,
        "export-feedback",
        "write the operators' own risk judgements as labelled messages (administrators only)",
        "Write, as JSON Lines that 'rules test' reads, each case whose THRIVE assessment says "
        "what risk the operator saw: the text that opened it, the categories the operator saw "
        "and those the rules matched. The file holds members of the public's words: keep it "
        "as the force keeps case data. The export is audited.",
    )
    feedback.add_argument(
        "--output", type=Path, metavar="FILE", help="write to FILE (default: standard output)"
    )
    feedback.add_argument(
        "--misses-only",
        action="store_true",
        help="only cases where the operator and the rules disagree",
    )
    feedback.set_defaults(handler=run_feedback)


def _print(inv: Invocation, report: RulesReport) -> None:
    if inv.args.json:
        write_json(inv.console.stdout, summary(report))
        return
    files = ", ".join(report.files) or "none"
    inv.console.out(table(report.drafts, f"Draft rules (shipped + {files})"))
    inv.console.out("")
    inv.console.out(table(report.in_use, "Rules in use"))
    if report.worse:
        inv.console.out("\nThe drafts do worse: " + "; ".join(report.worse) + ".")


def run_test(inv: Invocation) -> int:
    """Measure the drafts and the rules in use."""
    with auth.acting(inv, Action.VIEW_QUEUE) as acting:
        report = inv.desk.risk_rules.test(acting.token, inv.args.file)
    _print(inv, report)
    if inv.args.misses and inv.args.file is not None and not inv.args.json:
        own = str(inv.args.file)
        lines = [line for line in describe_misses(report.drafts) if own in line]
        inv.console.out("\n".join(lines) if lines else "Nothing missed or flagged wrongly.")
    return EXIT_OK


def run_apply(inv: Invocation) -> int:
    """Put the drafts in use once measured."""
    with auth.acting(inv, Action.CHANGE_SETTINGS) as acting:
        report = inv.desk.risk_rules.apply(acting.token, inv.args.file, inv.args.reason)
    _print(inv, report)
    if not inv.args.json:
        inv.console.out("Applied: Desk now uses these rules for every new item.")
    return EXIT_OK


def run_feedback(inv: Invocation) -> int:
    """Write the operators' judgements as labelled messages, whole or not at all."""
    output: Path | None = inv.args.output
    if output is not None and output.exists() and output.is_dir():
        raise InvalidInput(f"--output {output} is a folder: give a file name.")
    with auth.acting(inv, Action.CHANGE_SETTINGS) as acting:
        lines = inv.desk.risk_rules.feedback(acting.token, inv.args.misses_only)
    text = "".join(json.dumps(line, ensure_ascii=False) + "\n" for line in lines)
    if output is None:
        inv.console.stdout.write(text)
        return EXIT_OK
    partial = output.with_name(output.name + ".partial")
    try:
        partial.write_text(text, encoding="utf-8")
        os.replace(partial, output)
    except OSError as exc:
        partial.unlink(missing_ok=True)
        raise InvalidInput(f"Cannot write {output}: {exc.strerror or exc}.") from None
    inv.console.note(f"Wrote {len(lines)} judged cases to {output}.")
    return EXIT_OK
