"""``guidelines ...``, ``moderate CASE`` and ``author CASE-OR-AUTHOR``: moderation by the rules."""

from __future__ import annotations

import argparse
from typing import Any

from desk.cli import auth
from desk.cli.cases import case_id_type
from desk.cli.context import EXIT_OK, Invocation, Subparsers, command, group, json_flag
from desk.cli.output import clean, iso, table, when, write_json
from desk.core.errors import InvalidInput
from desk.core.moderation import ModerationKind, parse_kind
from desk.core.roles import Action
from desk.services.guidelines import GuidelineView
from desk.services.moderation import AuthorRecord, ModerationDone

_KINDS = ", ".join(k.value for k in ModerationKind)


def _kind(text: str) -> ModerationKind:
    try:
        return parse_kind(text)
    except InvalidInput as exc:
        raise argparse.ArgumentTypeError(exc.message) from None


def _who(text: str) -> tuple[str, int]:
    """``12`` or ``#12``: case 12's author; ``author:5`` (or ``a5``): author number 5."""
    value = text.strip().lower()
    for prefix in ("author:", "a"):
        if value.startswith(prefix) and value[len(prefix) :].isdigit():
            return "author", int(value[len(prefix) :])
    return "case", case_id_type(text)


def add_parsers(sub: Subparsers) -> None:
    """Add the ``guidelines``, ``moderate`` and ``author`` commands."""
    guidelines = command(
        sub,
        "guidelines",
        "list and keep the force's published community guidelines",
        "The force's published community guidelines: every moderation action names the rule "
        "broken. Everyone may list them; administrators and communications officers add, "
        "edit and retire them.",
    )
    rules = group(guidelines, "guidelines_command", "GUIDELINES_COMMAND")

    listing = command(rules, "list", "list the guidelines (the active ones unless --all)")
    listing.add_argument("--all", action="store_true", help="include retired guidelines")
    json_flag(listing)
    listing.set_defaults(handler=run_list)

    add = command(rules, "add", "add a guideline (administrators and communications)")
    add.add_argument("code", metavar="CODE", help="its code, like CG-9")
    add.add_argument("--title", required=True, metavar="TEXT", help="a short title")
    add.add_argument("--text", required=True, metavar="TEXT", help="the public text (English)")
    add.add_argument("--text-cy", default="", metavar="TEXT", help="the public text in Welsh")
    add.set_defaults(handler=run_add)

    edit = command(rules, "edit", "change a guideline's title or wording")
    edit.add_argument("code", metavar="CODE", help="the guideline's code")
    edit.add_argument("--title", metavar="TEXT", help="a new short title")
    edit.add_argument("--text", metavar="TEXT", help="new public text (English)")
    edit.add_argument("--text-cy", metavar="TEXT", help="new public text in Welsh")
    edit.set_defaults(handler=run_edit)

    retire = command(
        rules,
        "retire",
        "retire a guideline: earlier actions keep naming it, new ones cannot",
    )
    retire.add_argument("code", metavar="CODE", help="the guideline's code")
    retire.set_defaults(handler=run_retire)

    moderate = command(
        sub,
        "moderate",
        "record a moderation action on a case you own",
        "Record a moderation action on a case you own: the rule broken and the explanation "
        "given to the public (needed for hide, delete, block and restrict). When no connector "
        "for the platform is installed, finish the action on the platform yourself: the "
        "command prints the item's link.",
    )
    moderate.add_argument("case_id", type=case_id_type, metavar="CASE", help="the case number")
    moderate.add_argument(
        "--action", required=True, type=_kind, metavar="ACTION", help=f"one of: {_KINDS}"
    )
    moderate.add_argument("--rule", required=True, metavar="CODE", help="the guideline broken")
    moderate.add_argument(
        "--explanation", default="", metavar="TEXT", help="what the public is told"
    )
    moderate.add_argument(
        "--item", type=case_id_type, metavar="ITEM_ID", help="the item (default: the newest)"
    )
    json_flag(moderate)
    moderate.set_defaults(handler=run_moderate)

    author = command(
        sub,
        "author",
        "show an author's moderation record",
        "Show the moderation actions recorded against an author across every case, and "
        "whether they are a repeat offender (3 or more actions in 90 days). Name a case "
        "(12 or #12: its author) or an author number (author:5).",
    )
    author.add_argument("who", type=_who, metavar="CASE-OR-AUTHOR", help="12, #12 or author:5")
    json_flag(author)
    author.set_defaults(handler=run_author)


def _guideline_json(g: GuidelineView) -> dict[str, Any]:
    return {
        "code": g.code,
        "title": g.title,
        "public_text": g.public_text,
        "public_text_cy": g.public_text_cy,
        "active": g.active,
    }


def run_list(inv: Invocation) -> int:
    """Print the guidelines."""
    with auth.acting(inv, Action.VIEW_QUEUE) as acting:
        views = inv.desk.guidelines.list(acting.token, include_retired=bool(inv.args.all))
    if inv.args.json:
        write_json(inv.console.stdout, [_guideline_json(g) for g in views])
        return EXIT_OK
    if not views:
        inv.console.out("There are no community guidelines.")
        return EXIT_OK
    rows = [(g.code, g.title, "active" if g.active else "retired") for g in views]
    inv.console.out(table(("code", "title", "status"), rows))
    return EXIT_OK


def run_add(inv: Invocation) -> int:
    """Add a guideline."""
    with auth.acting(inv, Action.MANAGE_GUIDELINES) as acting:
        g = inv.desk.guidelines.add(
            acting.token,
            str(inv.args.code),
            str(inv.args.title),
            str(inv.args.text),
            str(inv.args.text_cy),
        )
    inv.console.out(f"Added guideline {g.code}: {clean(g.title)}.")
    return EXIT_OK


def run_edit(inv: Invocation) -> int:
    """Change a guideline's wording."""
    args = inv.args
    if args.title is None and args.text is None and args.text_cy is None:
        raise InvalidInput("Say what to change: --title, --text or --text-cy.")
    with auth.acting(inv, Action.MANAGE_GUIDELINES) as acting:
        g = inv.desk.guidelines.edit(
            acting.token,
            str(args.code),
            title=args.title,
            public_text=args.text,
            public_text_cy=args.text_cy,
        )
    inv.console.out(f"Changed guideline {g.code}: {clean(g.title)}.")
    return EXIT_OK


def run_retire(inv: Invocation) -> int:
    """Retire a guideline."""
    with auth.acting(inv, Action.MANAGE_GUIDELINES) as acting:
        g = inv.desk.guidelines.retire(acting.token, str(inv.args.code))
    inv.console.out(f"Retired guideline {g.code}: new moderation actions cannot name it.")
    return EXIT_OK


def _done_json(done: ModerationDone) -> dict[str, Any]:
    return {
        "id": done.action_id,
        "case": done.case_id,
        "action": done.kind.value,
        "rule": done.guideline_code,
        "explanation": done.explanation,
        "applied_via": done.applied_via,
        "link": done.link,
        "message": done.message,
    }


def run_moderate(inv: Invocation) -> int:
    """Record a moderation action."""
    kind: ModerationKind = inv.args.action
    case_id: int = inv.args.case_id
    with auth.acting(inv, Action.WORK_CASES) as acting:
        done = inv.desk.moderation.act(
            acting.token,
            case_id,
            kind,
            str(inv.args.rule),
            str(inv.args.explanation),
            inv.args.item,
        )
    if inv.args.json:
        write_json(inv.console.stdout, _done_json(done))
        return EXIT_OK
    inv.console.out(f"Recorded {kind.value} under {done.guideline_code} on case #{case_id}.")
    if done.message:
        inv.console.out(clean(done.message))
    if done.manual:
        where = f" at {clean(done.link)}" if done.link else ""
        inv.console.out(f"Finish it on the platform{where}, giving this explanation:")
        inv.console.out(f"  {clean(done.explanation) or '(none)'}")
    else:
        inv.console.out(f"Applied on the platform through {clean(done.applied_via)}.")
    return EXIT_OK


def _record_json(record: AuthorRecord) -> dict[str, Any]:
    return {
        "author_id": record.author_id,
        "platform": record.platform,
        "handle": record.handle,
        "display_name": record.display_name,
        "actions_against": record.against,
        "actions_in_window": record.recent,
        "repeat_offender": record.repeat_offender,
        "cases": list(record.cases),
        "actions": [
            {
                "id": a.id,
                "case": a.case_id,
                "item": a.item_id,
                "action": a.kind.value,
                "rule": a.guideline_code,
                "explanation": a.explanation,
                "at": iso(a.at),
                "actor": a.actor,
                "applied_via": a.applied_via,
            }
            for a in record.actions
        ],
    }


def run_author(inv: Invocation) -> int:
    """Print an author's moderation record."""
    what, number = inv.args.who
    with auth.acting(inv, Action.VIEW_QUEUE) as acting:
        service = inv.desk.moderation
        record = (
            service.author_record(acting.token, number)
            if what == "author"
            else service.author_record_for_case(acting.token, number)
        )
    if inv.args.json:
        write_json(inv.console.stdout, _record_json(record))
        return EXIT_OK
    flag = "  REPEAT OFFENDER" if record.repeat_offender else ""
    inv.console.out(
        f"{clean(record.handle)} on {record.platform} (author:{record.author_id}): "
        f"{record.against} moderation actions against them, {record.recent} in the last "
        f"90 days{flag}"
    )
    if record.actions:
        rows = [
            (when(a.at), f"#{a.case_id}", a.kind.value, a.guideline_code, a.actor, a.applied_via)
            for a in record.actions
        ]
        inv.console.out(table(("when (UTC)", "case", "action", "rule", "by", "applied"), rows))
    return EXIT_OK
